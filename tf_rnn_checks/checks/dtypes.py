"""Legacy cells in float16, float32 and float64: variables follow the dtype, numbers match the NumPy
reference within that dtype's tolerance, and integer dtypes are refused.

The NumPy reference (:mod:`tf_rnn_checks.references`) runs in float64 on exactly the values TF used
(the float16 weights and inputs widened without rounding), so the comparison measures TF's own
rounding in the dtype under test against :data:`tf_rnn_checks.tolerances.DEFAULT_TOLERANCES`.
"""

from __future__ import annotations

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_true, observe_max_abs_error
from tf_rnn_checks.cells import CellSpec, basic_lstm, basic_rnn, gru, lstm, multi
from tf_rnn_checks.matrix import MODES
from tf_rnn_checks.modes import RunResult, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.references import drivers as reference_drivers
from tf_rnn_checks.references.specs import reference_cell
from tf_rnn_checks.registry import check
from tf_rnn_checks.shared_runs import shared
from tf_rnn_checks.sizes import BATCH, INPUT_SIZE, TIME_STEPS, seeded_values
from tf_rnn_checks.tf_import import tf, v1

FLOAT_DTYPES = ("float16", "float32", "float64")
INTEGER_DTYPES = ("int32", "int64")
DTYPE_CELLS: tuple[CellSpec, ...] = (
    basic_rnn(3),
    gru(3),
    lstm(3, use_peepholes=True, num_proj=2),
    basic_lstm(3),
    multi(lstm(3), gru(3)),
)
INTEGER_PHRASE = "RNN cell only supports floating point inputs"


def _inputs(dtype: str) -> np.ndarray:
    return sizes.inputs(dtype=dtype, distribution=sizes.UNIFORM)


@shared
def _run(cell: CellSpec, dtype: str, mode: str) -> RunResult:
    """dynamic_rnn over ``dtype`` inputs with seeded ``dtype`` variables (shared by the checks of one worker)."""
    return run(
        mode,
        lambda: (cell.make(),),
        lambda cells: v1.nn.dynamic_rnn(cells[0], tf.constant(_inputs(dtype)), dtype=tf.as_dtype(dtype)),
        randomize=seeded_values(2),
    )


# The cells take no dtype= here: the inputs' dtype decides (the constructor argument's default, None).
@check(
    covers=("BasicRNNCell.dtype", "GRUCell.dtype", "LSTMCell.dtype", "BasicLSTMCell.dtype"),
    cell=DTYPE_CELLS,
    dtype=FLOAT_DTYPES,
    mode=MODES,
)
def check_variables_and_outputs_follow_dtype(cell: CellSpec, dtype: str, mode: str) -> None:
    """Under dynamic_rnn with `dtype` inputs, every variable a cell built without `dtype=` creates, its outputs and every part of its final state have that dtype (float16, float32 or float64)."""
    result = _run(cell, dtype, mode)
    call = f"dynamic_rnn({cell}, {dtype} inputs, dtype={dtype}) in {mode} mode"
    dtypes = {v.path: v.dtype for v in result.variables}
    observe("variable_dtypes", dtypes)
    assert_equal(sorted(set(dtypes.values())), [dtype], what="variable dtypes", call=call)
    outputs, state = result.outputs
    parts = [str(outputs.dtype)] + [str(part.dtype) for part in tf.nest.flatten(state)]
    assert_equal(sorted(set(parts)), [dtype], what="output and state dtypes", call=call)


@check(cell=DTYPE_CELLS, dtype=FLOAT_DTYPES, mode=MODES)
def check_outputs_match_reference_per_dtype(cell: CellSpec, dtype: str, mode: str) -> None:
    """dynamic_rnn's outputs and final state in float16, float32 and float64 agree with the float64 NumPy reference on the same weights within that dtype's tolerance."""
    result = _run(cell, dtype, mode)
    values = {path: value.astype(np.float64) for path, value in result.values().items()}
    reference = reference_cell(cell, values)
    expected_outputs, expected_state = reference_drivers.dynamic_rnn(reference, _inputs(dtype).astype(np.float64))
    outputs, state = result.outputs
    call = f"dynamic_rnn({cell}, {dtype}) in {mode} mode vs the float64 NumPy reference"
    observe_max_abs_error("max_abs_error", outputs, expected_outputs, dtype=dtype)
    assert_close(outputs, expected_outputs, what="outputs", call=call, dtype=dtype)
    flat = tf.nest.flatten(state)
    expected_flat = reference_drivers.flatten_state(expected_state)
    assert_equal(len(flat), len(expected_flat), what="number of state parts", call=call)
    for index, (got, want) in enumerate(zip(flat, expected_flat, strict=True)):
        assert_close(got, want, what=f"final state part {index}", call=call, dtype=dtype)


@check(cell=DTYPE_CELLS[:4], dtype=INTEGER_DTYPES, mode=MODES)
def check_integer_dtype_rejected(cell: CellSpec, dtype: str, mode: str) -> None:
    """dynamic_rnn refuses integer inputs with ValueError "RNN cell only supports floating point inputs, but received dtype: ..."."""
    x = np.ones((BATCH, TIME_STEPS, INPUT_SIZE), dtype)
    call = f"dynamic_rnn({cell}, {dtype} inputs, dtype={dtype}) in {mode} mode"
    try:
        run(mode, lambda: (cell.make(),), lambda cells: v1.nn.dynamic_rnn(cells[0], tf.constant(x), dtype=tf.as_dtype(dtype)))
    except Exception as error:  # noqa: BLE001 - the error TF raises is what this check pins
        observed = (type(error).__name__, str(error))
    else:
        observed = ("no error", "")
    # In function mode the message opens with a traceback through this checkout's files: keep TF's own line.
    lines = [line.strip() for line in observed[1].splitlines() if line.strip()]
    key_line = next((line for line in lines if INTEGER_PHRASE in line), lines[-1] if lines else "")
    observe("error", {"type": observed[0], "key_line": key_line})
    assert_equal(observed[0], "ValueError", what="error type", call=call)
    assert_true(
        INTEGER_PHRASE in observed[1] and dtype in observed[1],
        what="error message",
        observed=observed[1],
        expected=f"a message containing {INTEGER_PHRASE!r} and {dtype!r}",
        call=call,
    )

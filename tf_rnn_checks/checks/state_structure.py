"""The structure, shapes and dtypes of legacy cell states, and TF's errors for states that do not fit."""

from __future__ import annotations

from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_equal, assert_true, observe_raised
from tf_rnn_checks.cells import CellSpec, basic_lstm, gru, lstm, multi
from tf_rnn_checks.matrix import LSTM_CELLS, MODES, SINGLE_CELLS
from tf_rnn_checks.modes import run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import BATCH, INPUT_SIZE, seeded_values
from tf_rnn_checks.tf_import import tf, v1

# Every single cell, plus stacks mixing tuple, projected, GRU and concatenated states (the mixtures nest differently).
STATE_CELLS: tuple[CellSpec, ...] = SINGLE_CELLS + (
    multi(lstm(3, num_proj=2), gru(3)),
    multi(basic_lstm(3), lstm(3, state_is_tuple=False)),
)
CONCAT_CELLS: tuple[CellSpec, ...] = (lstm(3), lstm(3, use_peepholes=True), lstm(3, num_proj=2), basic_lstm(3))

# Key phrases of TF's error when the state's feature size does not fit the cell: graph construction (and
# tf.function tracing) fails in shape inference, eager fails in the MatMul kernel.
WRONG_SIZE_ERRORS = {
    "graph": ("ValueError", "Dimensions must be equal"),
    "function": ("ValueError", "Dimensions must be equal"),
    "eager": ("InvalidArgumentError", "Matrix size-incompatible"),
}
BATCH_MISMATCH_ERRORS = {
    "graph": ("ValueError", "Dimension 0 in both shapes must be equal"),
    "function": ("ValueError", "Dimension 0 in both shapes must be equal"),
    "eager": ("InvalidArgumentError", "Dimension 0 in both shapes must be equal"),
}


def _inputs(dtype: str = "float32") -> np.ndarray:
    return sizes.inputs(dtype=dtype)


def describe_state(state: Any) -> str:
    """A readable structure, e.g. ``(LSTMStateTuple(c=[2,3] float32, h=[2,3] float32), [2,3] float32)``."""
    if isinstance(state, v1.nn.rnn_cell.LSTMStateTuple):
        return f"LSTMStateTuple(c={describe_state(state.c)}, h={describe_state(state.h)})"
    if isinstance(state, tuple):
        return "(" + ", ".join(describe_state(part) for part in state) + ")"
    array = np.asarray(state)
    return f"[{','.join(str(d) for d in array.shape)}] {array.dtype}"


def expected_state(spec: CellSpec, batch: int, dtype: str) -> str:
    """The state structure TF1 documents for ``spec``, written the way :func:`describe_state` writes it."""
    if spec.kind == "MultiRNNCell":
        return "(" + ", ".join(expected_state(layer, batch, dtype) for layer in spec.layers) + ")"
    if not spec.is_lstm:
        return f"[{batch},{spec.units}] {dtype}"
    c, h = f"[{batch},{spec.units}] {dtype}", f"[{batch},{spec.output_units}] {dtype}"
    if spec.option.get("state_is_tuple", True):
        return f"LSTMStateTuple(c={c}, h={h})"
    return f"[{batch},{spec.units + spec.output_units}] {dtype}"


def _initial_state(cell: Any, method: str, dtype: str) -> Any:
    if method == "zero_state":
        return cell.zero_state(BATCH, dtype)
    return cell.get_initial_state(batch_size=BATCH, dtype=tf.as_dtype(dtype))


@check(
    covers=("zero_state.batch_size", "zero_state.dtype"),
    cell=STATE_CELLS,
    method=("zero_state", "get_initial_state"),
    dtype=("float32", "float64"),
    mode=MODES,
)
def check_initial_state_structure(cell: CellSpec, method: str, dtype: str, mode: str) -> None:
    """`cell.zero_state(batch, dtype)` and `cell.get_initial_state(batch_size=, dtype=)` give zeros nested like the cell's state (LSTMStateTuple(c, h) per LSTM, one entry per MultiRNNCell layer) with the requested dtype."""
    result = run(mode, cell.make, lambda made: _initial_state(made, method, dtype))
    call = f"{cell}.{method}({BATCH}, {dtype}) in {mode} mode"
    observed = describe_state(result.outputs)
    observe("state", observed)
    assert_equal(observed, expected_state(cell, BATCH, dtype), what="state structure", call=call)
    values = tf.nest.flatten(result.outputs)
    assert_true(
        all(not np.any(v) for v in values),
        what="initial state values",
        observed=[np.abs(v).max() for v in values],
        expected="all zeros",
        call=call,
    )


@check(covers=("LSTMStateTuple.c", "LSTMStateTuple.h"), cell=LSTM_CELLS, mode=MODES)
def check_lstm_state_is_lstm_state_tuple(cell: CellSpec, mode: str) -> None:
    """An LSTM cell's final state from dynamic_rnn is an LSTMStateTuple with fields (c, h), `state[0] is state.c`, and `h` equal to the last output."""
    facts: dict[str, Any] = {}

    def call(cells: tuple[Any, ...]) -> Any:
        outputs, state = v1.nn.dynamic_rnn(cells[0], tf.constant(_inputs()), dtype=tf.float32)
        facts.update(
            type=type(state).__name__,
            fields=list(getattr(state, "_fields", ())),
            first_is_c=state[0] is state.c,
            second_is_h=state[1] is state.h,
        )
        return outputs, state

    result = run(mode, lambda: (cell.make(),), call, randomize=seeded_values(1))
    outputs, state = result.outputs
    call_text = f"dynamic_rnn({cell}) in {mode} mode"
    observe("state", facts)
    assert_equal(facts["type"], "LSTMStateTuple", what="type(state)", call=call_text)
    assert_equal(facts["fields"], ["c", "h"], what="state._fields", call=call_text)
    assert_equal(
        (facts["first_is_c"], facts["second_is_h"]), (True, True), what="(state[0] is state.c, state[1] is state.h)", call=call_text
    )
    assert_true(
        np.array_equal(state.h, outputs[:, -1]), what="state.h vs outputs[:, -1]", observed=state.h, expected=outputs[:, -1], call=call_text
    )


@check(covers=("LSTMCell.state_is_tuple", "BasicLSTMCell.state_is_tuple"), cell=CONCAT_CELLS, mode=MODES)
def check_state_is_tuple_false_concatenates_c_h(cell: CellSpec, mode: str) -> None:
    """With `state_is_tuple=False` an LSTM state is one tensor `concat([c, h], axis=1)` holding exactly the numbers of the tuple state, and the outputs are identical."""

    def drive(spec: CellSpec) -> Any:
        return run(
            mode,
            lambda: (spec.make(),),
            lambda cells: v1.nn.dynamic_rnn(cells[0], tf.constant(_inputs()), dtype=tf.float32),
            randomize=seeded_values(1),
        )

    as_tuple = drive(cell.with_options(state_is_tuple=True))
    flat = drive(cell.with_options(state_is_tuple=False))
    call = f"dynamic_rnn({cell.with_options(state_is_tuple=False)}) vs state_is_tuple=True in {mode} mode"
    (tuple_out, tuple_state), (flat_out, flat_state) = as_tuple.outputs, flat.outputs
    observe("flat_state_shape", list(flat_state.shape))
    assert_equal(flat_state.shape, (BATCH, cell.units + cell.output_units), what="flat state shape", call=call)
    expected = np.concatenate([tuple_state.c, tuple_state.h], axis=1)
    assert_true(
        np.array_equal(flat_state, expected), what="flat state vs concat([c, h], 1)", observed=flat_state, expected=expected, call=call
    )
    assert_true(np.array_equal(flat_out, tuple_out), what="outputs", observed=flat_out, expected=tuple_out, call=call)


def _bad_state(spec: CellSpec, batch: int, extra: int) -> Any:
    """A float32 state for ``spec`` with ``batch`` rows and ``extra`` features too many in every part."""
    if spec.is_lstm:
        return v1.nn.rnn_cell.LSTMStateTuple(tf.zeros([batch, spec.units + extra]), tf.zeros([batch, spec.output_units + extra]))
    return tf.zeros([batch, spec.units + extra])


def _error_from(mode: str, spec: CellSpec, batch: int, extra: int) -> tuple[str, str]:
    try:
        run(mode, spec.make, lambda cell: cell(tf.constant(_inputs()[:, 0]), _bad_state(spec, batch, extra)))
    except Exception as error:  # noqa: BLE001 - the error TF raises is what this check pins
        return type(error).__name__, str(error)
    return "no error", ""


def _assert_error(observed: tuple[str, str], expected: tuple[str, str], call: str) -> None:
    __tracebackhide__ = True
    kind, text = observed
    observe_raised("error", kind, text, [expected[1]])
    assert_equal(kind, expected[0], what="error type", call=call)
    assert_true(expected[1] in text, what="error message", observed=text[:300], expected=f"a message containing {expected[1]!r}", call=call)


@check(cell=SINGLE_CELLS, mode=MODES)
def check_wrongly_sized_state_error(cell: CellSpec, mode: str) -> None:
    """Calling a cell with a state two features too wide fails with "Dimensions must be equal" (graph, tf.function) or "Matrix size-incompatible" (eager)."""
    call = f"{cell}(inputs[{BATCH},{INPUT_SIZE}], state with 2 extra features) in {mode} mode"
    _assert_error(_error_from(mode, cell, BATCH, 2), WRONG_SIZE_ERRORS[mode], call)


@check(cell=SINGLE_CELLS, mode=MODES)
def check_state_batch_mismatch_error(cell: CellSpec, mode: str) -> None:
    """Calling a cell with a state whose batch differs from the inputs' fails with "Dimension 0 in both shapes must be equal"."""
    call = f"{cell}(inputs[{BATCH},{INPUT_SIZE}], state with batch {BATCH + 3}) in {mode} mode"
    _assert_error(_error_from(mode, cell, BATCH + 3, 0), BATCH_MISMATCH_ERRORS[mode], call)

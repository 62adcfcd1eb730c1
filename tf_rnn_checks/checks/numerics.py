"""TF's legacy cells and drivers compute what the NumPy references compute from TF's own variables.

Every run first replaces every variable's initial value with seeded random numbers, so no default
initializer (zero biases, GRU's 1.0 gate bias) can hide a wrong block or a missing term.

The option and driver matrices run in float64, where the tolerance is tight enough to expose a missing
term. The ops are dtype-generic, so the dtype axis is crossed separately: every dtype (float16, float32,
float64) with every cell class and mode in :mod:`tf_rnn_checks.checks.dtypes`.
"""

from __future__ import annotations

import numpy as np

from tf_rnn_checks.assertions import assert_close, assert_equal, assert_true
from tf_rnn_checks.cells import basic_lstm, basic_rnn, gru, lstm, multi
from tf_rnn_checks.checks._numeric_support import (
    BATCH,
    LENGTHS,
    TIME_STEPS,
    DriverCase,
    assert_matches,
    inputs,
    leaves,
    reference_drive,
    run_tf_cached,
)
from tf_rnn_checks.matrix import MODES
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check

MATRIX_DTYPES = ("float64",)
# Every option of every legacy cell class, each alone where it has its own code path, plus one LSTMCell
# with all options at once (their interactions) and two stacks (nested and concatenated states).
CELL_CONFIGS = (
    basic_rnn(3),
    basic_rnn(3, activation="relu"),
    gru(3),
    gru(3, activation="softsign"),
    basic_lstm(3),
    basic_lstm(3, forget_bias=0.5, activation="relu", state_is_tuple=False),
    lstm(3),
    lstm(3, forget_bias=0.25),
    lstm(3, use_peepholes=True),
    lstm(3, cell_clip=0.3),
    lstm(3, num_proj=2),
    lstm(3, num_proj=2, proj_clip=0.1),
    lstm(3, activation="relu", state_is_tuple=False),
    lstm(3, use_peepholes=True, cell_clip=0.3, num_proj=2, proj_clip=0.1, forget_bias=0.7, state_is_tuple=False),
    multi(lstm(3, use_peepholes=True, num_proj=2), gru(2)),
    multi(basic_rnn(3), lstm(2, state_is_tuple=False)),
)
# The cell matrix runs under dynamic_rnn with sequence_length (incl. a zero-length row) and a seeded
# initial state; how each driver moves states is independent of the cell's maths, so the driver matrix
# below uses one stack whose state nests an LSTMStateTuple and a plain array instead of crossing all cells.
CELL_CASE = DriverCase("dynamic_rnn", lengths=True, initial_state=True)
DRIVER_CELL = multi(lstm(3, num_proj=2), gru(2))
DRIVER_CASES = (
    DriverCase("dynamic_rnn"),
    DriverCase("dynamic_rnn", lengths=True, initial_state=True),
    DriverCase("dynamic_rnn", time_major=True),
    DriverCase("dynamic_rnn", time_major=True, lengths=True, initial_state=True),
    DriverCase("static_rnn"),
    DriverCase("static_rnn", lengths=True, initial_state=True),
    DriverCase("bidirectional_dynamic_rnn"),
    DriverCase("bidirectional_dynamic_rnn", lengths=True, initial_state=True),
    DriverCase("bidirectional_dynamic_rnn", time_major=True, lengths=True, initial_state=True),
    DriverCase("static_bidirectional_rnn"),
    DriverCase("static_bidirectional_rnn", lengths=True, initial_state=True),
    DriverCase("cell_call", initial_state=True),
)
SEQUENCE_CASES = tuple(
    DriverCase(d, lengths=True, initial_state=True)
    for d in ("dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn")
)


def _compare_with_reference(case: DriverCase, spec, mode: str, dtype: str) -> None:
    __tracebackhide__ = True
    result = run_tf_cached(case, spec, mode, dtype)
    observed = result.outputs
    expected = reference_drive(case, spec, result.values(), inputs(dtype), observed.get("initial"))
    call = f"{case}({spec}, inputs{list(inputs(dtype).shape)} {dtype}, lengths={LENGTHS.tolist() if case.lengths else None}) in {mode} mode"
    observe("variables", {v.path: list(v.shape) for v in result.variables})
    assert_equal(str(leaves(observed["outputs"])[0].dtype), dtype, what="outputs dtype", call=call)
    assert_matches(observed, expected, call=call, dtype=dtype)


@check(
    covers=(
        "BasicRNNCell.activation",
        "GRUCell.activation",
        "LSTMCell.activation",
        "BasicLSTMCell.activation",
        "LSTMCell.use_peepholes",
        "LSTMCell.cell_clip",
        "LSTMCell.num_proj",
        "LSTMCell.proj_clip",
        "LSTMCell.forget_bias",
        "LSTMCell.state_is_tuple",
        "BasicLSTMCell.forget_bias",
        "BasicLSTMCell.state_is_tuple",
        "MultiRNNCell.cells",
        # with sequence_length and an initial state on flat (state_is_tuple=False) states too; their defaults: the driver matrix
        "dynamic_rnn.sequence_length",
        "dynamic_rnn.initial_state",
    ),
    cell=CELL_CONFIGS,
    mode=MODES,
    dtype=MATRIX_DTYPES,
)
def check_cell_matches_reference(cell, mode: str, dtype: str) -> None:
    """Each legacy cell configuration under dynamic_rnn (with sequence_length and an initial state) gives the outputs and final state of its NumPy reference fed TF's own variables."""
    _compare_with_reference(CELL_CASE, cell, mode, dtype)


@check(
    covers=(
        "dynamic_rnn.cell",
        "dynamic_rnn.inputs",
        "dynamic_rnn.sequence_length",
        "dynamic_rnn.initial_state",
        "dynamic_rnn.time_major",
        "static_rnn.cell",
        "static_rnn.inputs",
        "static_rnn.initial_state",
        "static_rnn.sequence_length",
        "bidirectional_dynamic_rnn.cell_fw",
        "bidirectional_dynamic_rnn.cell_bw",
        "bidirectional_dynamic_rnn.inputs",
        "bidirectional_dynamic_rnn.sequence_length",
        "bidirectional_dynamic_rnn.initial_state_fw",
        "bidirectional_dynamic_rnn.initial_state_bw",
        "bidirectional_dynamic_rnn.time_major",
        "static_bidirectional_rnn.cell_fw",
        "static_bidirectional_rnn.cell_bw",
        "static_bidirectional_rnn.inputs",
        "static_bidirectional_rnn.initial_state_fw",
        "static_bidirectional_rnn.initial_state_bw",
        "static_bidirectional_rnn.sequence_length",
    ),
    driver=DRIVER_CASES,
    mode=MODES,
    dtype=MATRIX_DTYPES,
)
def check_driver_matches_reference(driver: DriverCase, mode: str, dtype: str) -> None:
    """Each TF1 driver (dynamic/static, uni/bidirectional, time_major, sequence_length, initial_state) gives the outputs and final states of the NumPy driver reference."""
    _compare_with_reference(driver, DRIVER_CELL, mode, dtype)


@check(
    covers=(
        "dynamic_rnn.sequence_length",
        "static_rnn.sequence_length",
        "bidirectional_dynamic_rnn.sequence_length",
        "static_bidirectional_rnn.sequence_length",
    ),
    driver=SEQUENCE_CASES,
    mode=MODES,
)
def check_sequence_length_zeroes_outputs_and_carries_state(driver: DriverCase, mode: str) -> None:
    """With sequence_length, outputs past a row's length are exactly zero, a zero-length row's final state is its initial state, and other rows' final h equals their last valid output."""
    spec = lstm(3)
    result = run_tf_cached(driver, spec, mode, "float64")
    call = f"{driver}({spec}, sequence_length={LENGTHS.tolist()}) in {mode} mode"
    directions = result.outputs["outputs"] if driver.bidirectional else (result.outputs["outputs"],)
    states = result.outputs["state"] if driver.bidirectional else (result.outputs["state"],)
    initials = result.outputs["initial"] if driver.bidirectional else (result.outputs["initial"],)
    for name, outputs, state, initial in zip(("forward", "backward"), directions, states, initials, strict=False):
        assert_equal(outputs.shape, (BATCH, TIME_STEPS, 3), what=f"{name} outputs.shape", call=call)
        padding = np.arange(TIME_STEPS)[None, :] >= LENGTHS[:, None]
        observe(f"{name}_padding_values", sorted(set(outputs[padding].ravel().tolist())))
        assert_equal(sorted(set(outputs[padding].ravel().tolist())), [0.0], what=f"{name} outputs past each row's length", call=call)
        zero_rows = LENGTHS == 0
        for leaf_name, got, start in zip(("c", "h"), (state.c, state.h), (initial.c, initial.h), strict=False):
            assert_equal(
                got[zero_rows].tolist(), start[zero_rows].tolist(), what=f"{name} final {leaf_name} of the zero-length row", call=call
            )
        alive = ~zero_rows
        # forward: the last valid step is length-1; backward outputs are re-reversed, so its last computed step sits at t=0
        last = LENGTHS[alive] - 1 if name == "forward" else np.zeros(alive.sum(), int)
        assert_close(
            state.h[alive],
            outputs[alive][np.arange(alive.sum()), last],
            what=f"{name} final h vs its last valid output",
            call=call,
            dtype="float64",
        )
    assert_true(
        bool(np.any(states[0].h[LENGTHS == 0] != 0)),
        what="initial state of the zero-length row",
        observed="all zeros",
        expected="a non-zero seeded initial state (else carrying it proves nothing)",
        call=call,
    )


__all__ = [name for name in dir() if name.startswith("check_")]

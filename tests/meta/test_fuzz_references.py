"""Fuzz the NumPy references (cells, layout split/join, drivers) with wrong shapes, dtypes, NaN/inf and junk."""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")

import numpy as np  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.meta.fuzzing import JUNK, SIZES, arrays, call_cleanly, float_arrays  # noqa: E402
from tf_rnn_checks.references import cells, drivers, layout  # noqa: E402

SHAPES = st.tuples(st.integers(1, 3), st.integers(1, 3))  # (input_size, units)


def _near(shape: tuple[int, ...]) -> st.SearchStrategy[tuple[int, ...]]:
    """``shape`` or one side off by one, a dimension more or fewer."""
    off = [tuple(s + d if k == i else s for k, s in enumerate(shape)) for i in range(len(shape)) for d in (-1, 1)]
    return st.sampled_from([shape, *off, shape[1:], (*shape, 1)])


def _kernel_and_bias(rows: int, columns: int) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    dtypes = st.sampled_from([np.float32, np.float64, np.float16, np.int32])
    return st.tuples(_near((rows, columns)), _near((columns,)), dtypes, dtypes).flatmap(
        lambda t: st.tuples(float_arrays(t[0], t[2]), float_arrays(t[1], t[3]))
    )


@given(SHAPES.flatmap(lambda s: st.tuples(st.just(s), _kernel_and_bias(s[0] + s[1], 4 * s[1]))), SIZES, st.one_of(st.none(), SIZES))
def test_split_lstm_kernel(drawn, num_units, num_proj):
    (n, u), (kernel, bias) = drawn
    for units in (u, num_units):
        result = call_cleanly(
            layout.split_lstm_kernel, kernel, bias, units, num_proj=num_proj, names=("kernel", "bias", "num_units", "num_proj")
        )
        if isinstance(result, layout.LSTMBlocks):
            assert np.array_equal(layout.join_lstm_kernel(result)[0], kernel, equal_nan=True)


@given(JUNK, JUNK, JUNK, JUNK, JUNK)
def test_split_kernels_junk(a, b, c, d, units):
    call_cleanly(layout.split_lstm_kernel, a, b, units, names=("kernel", "bias", "num_units"))
    call_cleanly(layout.split_gru_kernels, a, b, c, d, units, names=("gates_", "candidate_", "num_units"))


@given(SHAPES.flatmap(lambda s: st.tuples(st.just(s), _kernel_and_bias(s[0] + s[1], 2 * s[1]), _kernel_and_bias(s[0] + s[1], s[1]))))
def test_split_gru_kernels(drawn):
    (n, u), (gk, gb), (ck, cb) = drawn
    result = call_cleanly(layout.split_gru_kernels, gk, gb, ck, cb, u, names=("gates_", "candidate_"))
    if isinstance(result, layout.GRUBlocks):
        joined = layout.join_gru_kernels(result)
        assert np.array_equal(joined["gates/kernel"], gk, equal_nan=True)


@given(st.lists(st.one_of(arrays(max_dims=2, max_side=3), JUNK), min_size=12, max_size=12), JUNK)
def test_join_and_accessors(parts, junk):
    gates = [layout.GateWeights(*parts[3 * k : 3 * k + 3]) for k in range(4)]
    call_cleanly(layout.join_lstm_kernel, layout.LSTMBlocks(*gates), names=("blocks",))
    call_cleanly(layout.join_gru_kernels, layout.GRUBlocks(*gates[:3]), names=("blocks",))
    call_cleanly(layout.join_lstm_kernel, junk, names=("blocks",))
    call_cleanly(layout.join_gru_kernels, junk, names=("blocks",))
    blocks = layout.split_lstm_kernel(np.zeros((3, 8), np.float32), np.zeros(8, np.float32), 2)
    call_cleanly(blocks.gate, junk, names=("name",))
    call_cleanly(blocks.stack, junk, "ijfo", names=("part",))
    call_cleanly(blocks.stack, "input", junk, names=("order",))
    call_cleanly(blocks.reordered, junk, names=("order",))
    call_cleanly(blocks.i.part, junk, names=("part",))


@given(JUNK)
def test_activation_function(activation):
    result = call_cleanly(cells.activation_function, activation, names=("activation",))
    assert isinstance(result, Exception) or callable(result)


NAMES = st.sampled_from(
    [
        "kernel",
        "bias",
        "gates/kernel",
        "gates/bias",
        "candidate/kernel",
        "candidate/bias",
        "w_i_diag",
        "w_f_diag",
        "w_o_diag",
        "projection/kernel",
    ]
)


@given(st.dictionaries(NAMES, st.one_of(arrays(max_dims=2, max_side=5), JUNK), max_size=10), st.booleans())
def test_cells_from_variables(variables, peepholes):
    names = ("variables", "kernel", "bias", "gates", "candidate", "peepholes", "projection", "blocks", "num_units", "num_proj")
    call_cleanly(cells.BasicRNNCell.from_variables, variables, names=names)
    call_cleanly(cells.GRUCell.from_variables, variables, names=names)
    call_cleanly(cells.LSTMCell.from_variables, variables, use_peepholes=peepholes, names=names)
    call_cleanly(cells.BasicLSTMCell.from_variables, variables, names=names)


def _reference_cells(n: int, u: int) -> list:
    rng = np.random.default_rng(0)
    k = lambda *shape: rng.standard_normal(shape).astype(np.float32)  # noqa: E731
    rnn = cells.BasicRNNCell(k(n + u, u), k(u))
    gru = cells.GRUCell.from_variables(
        {"gates/kernel": k(n + u, 2 * u), "gates/bias": k(2 * u), "candidate/kernel": k(n + u, u), "candidate/bias": k(u)}
    )
    lstm = cells.LSTMCell.from_variables({"kernel": k(n + u, 4 * u), "bias": k(4 * u)})
    flat = cells.LSTMCell(lstm.blocks, state_is_tuple=False)
    return [rnn, gru, lstm, flat, cells.MultiRNNCell([cells.BasicRNNCell(k(n + u, u), k(u)), cells.BasicRNNCell(k(2 * u, u), k(u))])]


STATES = st.one_of(
    arrays(dtypes=[np.float32, np.float64, np.int32], max_dims=3, max_side=4),
    st.tuples(arrays(max_dims=2, max_side=4), arrays(max_dims=2, max_side=4)),
    st.tuples(arrays(max_dims=2, max_side=4)),
    JUNK,
)


@given(SHAPES, st.integers(0, 3), arrays(max_dims=3, max_side=4), STATES, st.sampled_from(range(5)))
def test_cell_call(sizes, batch, x, state, which):
    n, u = sizes
    cell = _reference_cells(n, u)[which]
    result = call_cleanly(cell, x, state, names=("x", "state"))
    good_x = np.ones((batch, n), np.float32)
    call_cleanly(cell, good_x, state, names=("x", "state"))
    output, new_state = cell(good_x, cell.zero_state(batch))
    assert output.shape == (batch, cell.output_size)
    del result, new_state


@given(
    SHAPES,
    st.sampled_from(range(5)),
    st.one_of(arrays(max_dims=4, max_side=4), JUNK),
    st.one_of(st.none(), arrays(max_dims=2, max_side=4), JUNK),
    st.booleans(),
    st.one_of(st.none(), STATES),
)
def test_drivers(sizes, which, inputs, sequence_length, time_major, initial_state):
    n, u = sizes
    cell = _reference_cells(n, u)[which]
    names = ("inputs", "sequence_length", "initial_state", "x", "state")
    call_cleanly(
        drivers.dynamic_rnn, cell, inputs, sequence_length=sequence_length, time_major=time_major, initial_state=initial_state, names=names
    )
    call_cleanly(drivers.bidirectional_dynamic_rnn, cell, cell, inputs, sequence_length=sequence_length, time_major=time_major, names=names)
    steps = list(inputs) if isinstance(inputs, np.ndarray) and inputs.ndim else inputs
    call_cleanly(drivers.static_rnn, cell, steps, sequence_length=sequence_length, names=names)
    call_cleanly(drivers.static_bidirectional_rnn, cell, cell, steps, sequence_length=sequence_length, names=names)


@given(st.one_of(arrays(max_dims=4, max_side=4), JUNK), st.one_of(st.none(), arrays(max_dims=2, max_side=4), JUNK), JUNK)
def test_reverse_sequence(x, lengths, time_axis):
    call_cleanly(drivers.reverse_sequence, x, lengths, names=("x", "lengths", "sequence_length", "time_axis"))
    call_cleanly(drivers.reverse_sequence, x, lengths, time_axis=time_axis, names=("x", "lengths", "sequence_length", "time_axis"))

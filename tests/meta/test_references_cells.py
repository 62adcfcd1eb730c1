"""The NumPy reference cells reproduce single steps computed by hand for one unit, and reject bad input."""

import math

import numpy as np
import pytest

from tf_rnn_checks.cells import basic_lstm, basic_rnn, gru, lstm, multi
from tf_rnn_checks.references import cells as R
from tf_rnn_checks.references.specs import reference_cell


def _sig(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def test_basic_rnn_one_unit_by_hand() -> None:
    """h' = tanh(x*k0 + h*k1 + b)."""
    cell = R.BasicRNNCell.from_variables({"kernel": np.array([[0.5], [-0.25]]), "bias": np.array([0.1])})
    out, state = cell(np.array([[2.0]]), np.array([[0.4]]))
    assert out[0, 0] == pytest.approx(math.tanh(2 * 0.5 - 0.4 * 0.25 + 0.1), abs=1e-15)
    assert state is out
    relu = R.BasicRNNCell.from_variables({"kernel": np.array([[0.5], [-0.25]]), "bias": np.array([0.1])}, activation="relu")
    assert relu(np.array([[-2.0]]), np.array([[0.0]]))[0][0, 0] == 0


def test_gru_one_unit_by_hand() -> None:
    """r, u from gates/kernel columns [r, u]; c from [x, r*h]; h' = u*h + (1-u)*c."""
    x, h = 0.7, -0.3
    gk = np.array([[0.1, 0.2], [0.3, 0.4]])  # rows x, h; columns r, u
    gb = np.array([0.5, -0.5])
    ck, cb = np.array([[0.6], [0.8]]), np.array([0.05])
    cell = R.GRUCell.from_variables({"gates/kernel": gk, "gates/bias": gb, "candidate/kernel": ck, "candidate/bias": cb})
    r = _sig(x * 0.1 + h * 0.3 + 0.5)
    u = _sig(x * 0.2 + h * 0.4 - 0.5)
    c = math.tanh(x * 0.6 + r * h * 0.8 + 0.05)
    out, _ = cell(np.array([[x]]), np.array([[h]]))
    assert out[0, 0] == pytest.approx(u * h + (1 - u) * c, abs=1e-15)


def _lstm_variables() -> dict:
    # one input, one unit: columns i, j, f, o; rows x, h
    return {"kernel": np.array([[0.1, 0.2, 0.3, 0.4], [-0.5, 0.6, -0.7, 0.8]]), "bias": np.array([0.01, 0.02, 0.03, 0.04])}


def test_lstm_one_unit_by_hand_with_every_option() -> None:
    """Peepholes i, f read c_prev and o reads the new c; cell_clip precedes the output gate; projection and proj_clip follow it."""
    x, c_prev, m_prev = 0.9, 0.8, -0.2
    variables = {
        **_lstm_variables(),
        "w_i_diag": np.array([0.3]),
        "w_f_diag": np.array([-0.4]),
        "w_o_diag": np.array([0.5]),
        "projection/kernel": np.array([[2.0]]),
    }
    i = x * 0.1 + m_prev * -0.5 + 0.01
    j = x * 0.2 + m_prev * 0.6 + 0.02
    f = x * 0.3 + m_prev * -0.7 + 0.03
    o = x * 0.4 + m_prev * 0.8 + 0.04
    c = _sig(f + 0.7 + -0.4 * c_prev) * c_prev + _sig(i + 0.3 * c_prev) * math.tanh(j)
    c = min(max(c, -0.6), 0.6)
    m = _sig(o + 0.5 * c) * math.tanh(c) * 2.0
    m = min(max(m, -0.5), 0.5)
    cell = R.LSTMCell.from_variables(variables, forget_bias=0.7, use_peepholes=True, cell_clip=0.6, proj_clip=0.5)
    out, state = cell(np.array([[x]]), R.LSTMStateTuple(np.array([[c_prev]]), np.array([[m_prev]])))
    assert (out[0, 0], state.c[0, 0], state.h[0, 0]) == pytest.approx((m, c, m), abs=1e-15)
    assert c == 0.6 and m == 0.5  # both clips were active
    unclipped = R.LSTMCell.from_variables(variables, forget_bias=0.7, use_peepholes=True, cell_clip=0.6)
    m_unclipped = _sig(o + 0.5 * 0.6) * math.tanh(0.6) * 2.0
    assert unclipped(np.array([[x]]), (np.array([[c_prev]]), np.array([[m_prev]])))[0][0, 0] == pytest.approx(m_unclipped, abs=1e-15)


def test_basic_lstm_and_concatenated_state() -> None:
    """BasicLSTMCell: c = sig(f+forget_bias)*c_prev + sig(i)*tanh(j), h = tanh(c)*sig(o); state_is_tuple=False concatenates [c, h]."""
    x, c_prev, h_prev = -0.4, 0.25, 0.5
    i, j, f, o = (
        x * k + h_prev * r + b for k, r, b in zip([0.1, 0.2, 0.3, 0.4], [-0.5, 0.6, -0.7, 0.8], [0.01, 0.02, 0.03, 0.04], strict=False)
    )
    c = _sig(f + 1.0) * c_prev + _sig(i) * math.tanh(j)
    h = math.tanh(c) * _sig(o)
    cell = R.BasicLSTMCell.from_variables(_lstm_variables(), state_is_tuple=False)
    out, state = cell(np.array([[x]]), np.array([[c_prev, h_prev]]))
    assert state.shape == (1, 2) and state[0] == pytest.approx([c, h], abs=1e-15) and out[0, 0] == pytest.approx(h, abs=1e-15)
    assert cell.state_size == 2 and R.LSTMCell.from_variables(_lstm_variables()).state_size == (1, 1)


def test_cells_are_vectorised_over_batch() -> None:
    """A batch of rows gives row by row the single-row results."""
    rng = np.random.default_rng(0)
    cell = R.LSTMCell.from_variables({"kernel": rng.standard_normal((5, 8)), "bias": rng.standard_normal(8)})
    x, c, h = rng.standard_normal((4, 3)), rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    batch_out, _ = cell(x, (c, h))
    for row in range(4):
        np.testing.assert_allclose(batch_out[row], cell(x[row : row + 1], (c[row : row + 1], h[row : row + 1]))[0][0], atol=1e-14)


def test_multi_rnn_cell_chains_layers() -> None:
    """Layer 1 reads layer 0's output; the state is the tuple of layer states."""
    first = R.BasicRNNCell(np.array([[1.0], [0.0]]), np.array([0.0]))
    second = R.BasicRNNCell(np.array([[2.0], [0.0]]), np.array([0.0]))
    out, state = R.MultiRNNCell([first, second])(np.array([[0.3]]), (np.zeros((1, 1)), np.zeros((1, 1))))
    assert out[0, 0] == pytest.approx(math.tanh(2 * math.tanh(0.3)))
    assert state[0][0, 0] == pytest.approx(math.tanh(0.3))


def test_reference_from_spec_groups_variables_by_cell() -> None:
    """reference_cell builds a stack from TF-style paths in creation order and refuses options it does not model."""
    rng = np.random.default_rng(2)
    values = {
        "rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel": rng.standard_normal((6, 4)),
        "rnn/multi_rnn_cell/cell_0/gru_cell/gates/bias": rng.standard_normal(4),
        "rnn/multi_rnn_cell/cell_0/gru_cell/candidate/kernel": rng.standard_normal((6, 2)),
        "rnn/multi_rnn_cell/cell_0/gru_cell/candidate/bias": rng.standard_normal(2),
        "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel": rng.standard_normal((3, 4)),
        "rnn/multi_rnn_cell/cell_1/lstm_cell/bias": rng.standard_normal(4),
    }
    stack = reference_cell(multi(gru(2), lstm(1)), values)
    assert isinstance(stack.cells[0], R.GRUCell) and isinstance(stack.cells[1], R.LSTMCell) and stack.output_size == 1
    with pytest.raises(ValueError, match="does not model option"):
        reference_cell(basic_rnn(2, reuse=True), {"rnn/basic_rnn_cell/kernel": np.zeros((3, 2)), "rnn/basic_rnn_cell/bias": np.zeros(2)})
    with pytest.raises(ValueError, match="has 3 units"):
        reference_cell(basic_lstm(3), {"k/kernel": np.zeros((3, 8)), "k/bias": np.zeros(8)})
    with pytest.raises(ValueError, match="left over"):
        reference_cell(gru(2), values)


def test_bad_inputs_raise_value_errors() -> None:
    """Missing variables, wrong input widths and unknown activations are refused with the argument's name."""
    with pytest.raises(ValueError, match=r"variables: LSTMCell needs 'w_i_diag'"):
        R.LSTMCell.from_variables(_lstm_variables(), use_peepholes=True)
    with pytest.raises(ValueError, match=r"x: expected shape \(batch, 1\)"):
        R.LSTMCell.from_variables(_lstm_variables())(np.zeros((1, 2)), (np.zeros((1, 1)), np.zeros((1, 1))))
    with pytest.raises(ValueError, match="activation: expected a callable or one of"):
        R.BasicRNNCell(np.zeros((2, 1)), np.zeros(1), "swishy")
    with pytest.raises(ValueError, match=r"projection: expected shape \(1, num_proj\)"):
        R.LSTMCell.from_variables({**_lstm_variables(), "projection/kernel": np.zeros((2, 1))})
    with pytest.raises(ValueError, match="proj_clip: only meaningful"):
        R.LSTMCell.from_variables(_lstm_variables(), proj_clip=1.0)

"""The NumPy drivers follow TF1's sequence_length, time_major, initial_state and reverse_sequence semantics."""

import numpy as np
import pytest

from tf_rnn_checks.references import cells as R
from tf_rnn_checks.references import drivers as D


def _counter() -> R.BasicRNNCell:
    """A linear cell h' = x + h (identity activation), so outputs are running sums."""
    return R.BasicRNNCell(np.array([[1.0], [1.0]]), np.array([0.0]), activation="linear")


def _inputs() -> np.ndarray:
    return np.arange(1, 13, dtype="float64").reshape(3, 4, 1)  # rows [1..4], [5..8], [9..12]


def test_dynamic_rnn_masks_outputs_and_carries_state() -> None:
    """Outputs past a row's length are 0 and its state stops at its last valid step; a zero-length row keeps the initial state."""
    outputs, state = D.dynamic_rnn(
        _counter(), _inputs(), sequence_length=np.array([4, 0, 2]), initial_state=np.array([[0.0], [7.0], [1.0]])
    )
    np.testing.assert_array_equal(outputs[..., 0], [[1, 3, 6, 10], [0, 0, 0, 0], [10, 20, 0, 0]])
    np.testing.assert_array_equal(state[:, 0], [10, 7, 20])


def test_time_major_is_the_transpose() -> None:
    """time_major takes and returns [time, batch, ...]."""
    batch_major, state = D.dynamic_rnn(_counter(), _inputs(), sequence_length=[4, 1, 3])
    time_major, state_tm = D.dynamic_rnn(_counter(), _inputs().transpose(1, 0, 2), sequence_length=[4, 1, 3], time_major=True)
    np.testing.assert_array_equal(time_major.transpose(1, 0, 2), batch_major)
    np.testing.assert_array_equal(state_tm, state)


def test_static_rnn_equals_dynamic_rnn() -> None:
    """static_rnn works on a list of steps and gives the same values."""
    outputs, state = D.static_rnn(_counter(), list(_inputs().transpose(1, 0, 2)), sequence_length=[2, 4, 0])
    dynamic, dynamic_state = D.dynamic_rnn(_counter(), _inputs(), sequence_length=[2, 4, 0])
    np.testing.assert_array_equal(np.stack(outputs, axis=1), dynamic)
    np.testing.assert_array_equal(state, dynamic_state)


def test_reverse_sequence_reverses_within_each_length() -> None:
    """Each row's first length steps are reversed, the rest stay put; time_axis=0 handles time-major arrays."""
    x = _inputs()[..., 0]
    np.testing.assert_array_equal(D.reverse_sequence(x, [4, 0, 2]), [[4, 3, 2, 1], [5, 6, 7, 8], [10, 9, 11, 12]])
    np.testing.assert_array_equal(D.reverse_sequence(x.T, [4, 0, 2], time_axis=0), D.reverse_sequence(x, [4, 0, 2]).T)
    np.testing.assert_array_equal(D.reverse_sequence(x, None), x[:, ::-1])


def test_bidirectional_backward_reads_each_row_reversed_within_length() -> None:
    """The backward outputs at step t sum the row's inputs from its last valid step down to t; padding stays 0."""
    (forward, backward), (state_fw, state_bw) = D.bidirectional_dynamic_rnn(_counter(), _counter(), _inputs(), sequence_length=[4, 0, 2])
    np.testing.assert_array_equal(backward[..., 0], [[10, 9, 7, 4], [0, 0, 0, 0], [19, 10, 0, 0]])
    np.testing.assert_array_equal(state_bw[:, 0], [10, 0, 19])
    np.testing.assert_array_equal(forward[..., 0], [[1, 3, 6, 10], [0, 0, 0, 0], [9, 19, 0, 0]])
    outputs, fw, bw = D.static_bidirectional_rnn(_counter(), _counter(), list(_inputs().transpose(1, 0, 2)), sequence_length=[4, 0, 2])
    np.testing.assert_array_equal(outputs[0][:, 0], forward[:, 0, 0])
    np.testing.assert_array_equal(outputs[0][:, 1], backward[:, 0, 0])


def test_lstm_state_tuples_are_carried_leafwise() -> None:
    """Masking and flattening handle (c, h) tuples and stacks in TF's nest order."""
    rng = np.random.default_rng(0)
    lstm = R.LSTMCell.from_variables({"kernel": rng.standard_normal((3, 8)), "bias": rng.standard_normal(8)})
    stack = R.MultiRNNCell([lstm, _counter().__class__(np.ones((3, 1)), np.zeros(1))])
    initial = stack.zero_state(3)
    _, state = D.dynamic_rnn(stack, rng.standard_normal((3, 4, 1)), sequence_length=[4, 0, 2], initial_state=initial)
    leaves = D.flatten_state(state)
    assert [leaf.shape for leaf in leaves] == [(3, 2), (3, 2), (3, 1)]
    assert all(np.all(leaf[1] == 0) for leaf in leaves)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: D.dynamic_rnn(_counter(), np.zeros((3, 4))), r"inputs: expected shape \[batch, time, features\]"),
        (
            lambda: D.dynamic_rnn(_counter(), np.zeros((3, 4, 1)), sequence_length=[1, 2]),
            r"sequence_length: expected integers of shape \(3,\)",
        ),
        (
            lambda: D.dynamic_rnn(_counter(), np.zeros((3, 4, 1)), sequence_length=[1, 2, 5]),
            r"sequence_length: expected values in \[0, 4\]",
        ),
        (lambda: D.dynamic_rnn(_counter(), np.zeros((3, 4, 2))), r"inputs: expected shape \[batch, time, features\] with 1 features"),
        (lambda: D.static_rnn(_counter(), []), "inputs: expected a non-empty list"),
        (lambda: D.reverse_sequence(np.zeros((2, 3)), [1, 1], time_axis=2), "time_axis: expected 0 or 1"),
    ],
)
def test_bad_driver_inputs(call, match: str) -> None:
    """Bad shapes and lengths raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=match):
        call()

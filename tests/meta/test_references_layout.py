"""The layout helpers split TF1 kernels into the documented blocks, join them back exactly, and reject bad input."""

import numpy as np
import pytest

from tf_rnn_checks.references import layout


def _kernel(rows: int, columns: int, dtype: str = "float32") -> np.ndarray:
    return np.arange(rows * columns, dtype=dtype).reshape(rows, columns)


def test_lstm_split_names_rows_and_column_blocks() -> None:
    """Rows [0, input_size) are the input block, the rest the recurrent block; columns are i, j, f, o."""
    kernel, bias = _kernel(5, 8), np.arange(8, dtype="float32")  # input_size 3, num_units 2
    blocks = layout.split_lstm_kernel(kernel, bias, num_units=2)
    for k, name in enumerate("ijfo"):
        gate = blocks.gate(name)
        np.testing.assert_array_equal(gate.input, kernel[:3, 2 * k : 2 * k + 2])
        np.testing.assert_array_equal(gate.recurrent, kernel[3:, 2 * k : 2 * k + 2])
        np.testing.assert_array_equal(gate.bias, bias[2 * k : 2 * k + 2])
    assert (blocks.input_size, blocks.recurrent_size, blocks.num_units, blocks.dtype) == (3, 2, 2, np.float32)
    assert [name for name, _ in blocks.items()] == ["i", "j", "f", "o"]


def test_lstm_split_with_projection_uses_num_proj_recurrent_rows() -> None:
    """With num_proj the recurrent block has num_proj rows."""
    blocks = layout.split_lstm_kernel(_kernel(4 + 2, 12, "float64"), np.zeros(12), num_units=3, num_proj=2, input_size=4)
    assert blocks.i.input.shape == (4, 3) and blocks.o.recurrent.shape == (2, 3)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_lstm_round_trip_is_exact(dtype: str) -> None:
    """join(split(kernel, bias)) gives back the same arrays bit for bit."""
    rng = np.random.default_rng(0)
    kernel, bias = rng.standard_normal((7, 12)).astype(dtype), rng.standard_normal(12).astype(dtype)
    joined_kernel, joined_bias = layout.join_lstm_kernel(layout.split_lstm_kernel(kernel, bias, 3))
    assert joined_kernel.dtype == kernel.dtype and joined_bias.dtype == bias.dtype
    np.testing.assert_array_equal(joined_kernel, kernel)
    np.testing.assert_array_equal(joined_bias, bias)


def test_blocks_are_copies() -> None:
    """Editing a block never edits the kernel it came from."""
    kernel = _kernel(5, 8)
    blocks = layout.split_lstm_kernel(kernel, np.zeros(8, "float32"), 2)
    blocks.i.input[...] = -1
    assert kernel.min() == 0


def test_stack_and_reordered() -> None:
    """stack() concatenates one part in any gate order; reordered() permutes whole gates."""
    blocks = layout.split_lstm_kernel(_kernel(5, 8), np.arange(8, dtype="float32"), 2)
    np.testing.assert_array_equal(blocks.stack("bias", "ifjo"), [0, 1, 4, 5, 2, 3, 6, 7])
    np.testing.assert_array_equal(blocks.stack("input", "ijfo"), _kernel(5, 8)[:3])
    swapped = blocks.reordered("ifjo")
    np.testing.assert_array_equal(layout.join_lstm_kernel(swapped)[1], [0, 1, 4, 5, 2, 3, 6, 7])
    with pytest.raises(ValueError, match="order"):
        blocks.stack("bias", "iijo")
    with pytest.raises(ValueError, match="part"):
        blocks.stack("kernel", "ijfo")


def test_gru_split_and_round_trip() -> None:
    """gates/kernel splits into r then u; candidate is its own block; the join is exact."""
    rng = np.random.default_rng(1)
    gk, gb = rng.standard_normal((5, 4)), rng.standard_normal(4)
    ck, cb = rng.standard_normal((5, 2)), rng.standard_normal(2)
    blocks = layout.split_gru_kernels(gk, gb, ck, cb, num_units=2)
    np.testing.assert_array_equal(blocks.r.input, gk[:3, :2])
    np.testing.assert_array_equal(blocks.u.recurrent, gk[3:, 2:])
    np.testing.assert_array_equal(blocks.candidate.recurrent, ck[3:])
    joined = layout.join_gru_kernels(blocks)
    for name, value in {"gates/kernel": gk, "gates/bias": gb, "candidate/kernel": ck, "candidate/bias": cb}.items():
        np.testing.assert_array_equal(joined[name], value)
    np.testing.assert_array_equal(blocks.stack("bias", "ur"), np.concatenate([gb[2:], gb[:2]]))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: layout.split_lstm_kernel(np.zeros((5, 7)), np.zeros(8), 2), r"kernel: expected shape \(input_size \+ 2, 8\)"),
        (lambda: layout.split_lstm_kernel(np.zeros((5, 8)), np.zeros(7), 2), r"bias: expected shape \(8,\)"),
        (lambda: layout.split_lstm_kernel(np.zeros((2, 8)), np.zeros(8), 2), r"kernel: expected shape"),
        (lambda: layout.split_lstm_kernel(np.zeros((5, 8)), np.zeros(8), 2, input_size=4), r"kernel: expected shape \(6, 8\)"),
        (lambda: layout.split_lstm_kernel(np.zeros(8), np.zeros(8), 2), r"kernel: expected shape"),
        (lambda: layout.split_lstm_kernel(np.zeros((5, 8), "int32"), np.zeros(8), 2), r"kernel: expected a floating dtype"),
        (lambda: layout.split_lstm_kernel(np.zeros((5, 8)), np.zeros(8, "float32"), 2), r"bias: expected dtype float64"),
        (lambda: layout.split_lstm_kernel(np.zeros((5, 8)), np.zeros(8), 0), r"num_units: expected a positive int"),
        (lambda: layout.split_lstm_kernel(np.zeros((5, 8)), np.zeros(8), 2.0), r"num_units: expected a positive int"),
        (lambda: layout.split_lstm_kernel(np.zeros((5, 8)), np.zeros(8), 2, num_proj=-1), r"num_proj: expected a positive int"),
        (
            lambda: layout.split_gru_kernels(np.zeros((5, 4)), np.zeros(4), np.zeros((5, 3)), np.zeros(2), 2),
            r"candidate_kernel: expected shape \(5, 2\)",
        ),
        (
            lambda: layout.split_gru_kernels(np.zeros((5, 4)), np.zeros(4), np.zeros((4, 2)), np.zeros(2), 2),
            r"candidate_kernel: expected shape \(5, 2\)",
        ),
        (
            lambda: layout.split_gru_kernels(np.zeros((5, 3)), np.zeros(4), np.zeros((5, 2)), np.zeros(2), 2),
            r"gates_kernel: expected shape",
        ),
        (
            lambda: layout.split_gru_kernels(np.zeros((5, 4)), np.zeros(4), np.zeros((5, 2), "float32"), np.zeros(2, "float32"), 2),
            r"candidate_kernel: expected dtype float64",
        ),
    ],
)
def test_bad_input_raises_value_error_naming_argument(call, match: str) -> None:
    """Wrong shapes, dtypes or num_units raise ValueError naming the argument and the expected shape."""
    with pytest.raises(ValueError, match=match):
        call()


def test_join_rejects_mismatched_blocks() -> None:
    """join refuses gates of different shapes or dtypes, and non-block arguments."""
    blocks = layout.split_lstm_kernel(np.zeros((5, 8)), np.zeros(8), 2)
    bad = layout.LSTMBlocks(blocks.i, blocks.j, blocks.f, layout.GateWeights(np.zeros((3, 3)), np.zeros((2, 3)), np.zeros(3)))
    with pytest.raises(ValueError, match=r"blocks.o: expected input/recurrent/bias shapes"):
        layout.join_lstm_kernel(bad)
    mixed = layout.LSTMBlocks(blocks.i, blocks.j, blocks.f, layout.GateWeights(np.zeros((3, 2), "float32"), np.zeros((2, 2)), np.zeros(2)))
    with pytest.raises(ValueError, match=r"blocks.o: expected one floating dtype"):
        layout.join_lstm_kernel(mixed)
    with pytest.raises(TypeError, match="blocks: expected LSTMBlocks"):
        layout.join_lstm_kernel((np.zeros((5, 8)), np.zeros(8)))

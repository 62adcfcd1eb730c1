"""Deliberate breaks of the converters: each conversion check must fail (AssertionError) when its layout is wrong.

Each test patches one constant or function of the converters and runs one real check on it. They need
the legacy cells (and skip like the check does when Keras 3 / torch / onnx is absent).
"""

from __future__ import annotations

import pytest

from tests.meta.breaking import fails
from tf_rnn_checks.cells import gru, lstm
from tf_rnn_checks.convert import checkpoint, keras_weights, onnx_weights, torch_weights

pytestmark = pytest.mark.legacy_cells


def test_wrong_keras_lstm_gate_order_is_caught(monkeypatch) -> None:
    """Keras LSTM blocks left in TF1's i, j, f, o order (instead of i, f, c, o) fail the Keras check."""
    from tf_rnn_checks.checks import convert_keras

    monkeypatch.setattr(keras_weights, "LSTM_ORDER", ("i", "j", "f", "o"))
    fails(
        convert_keras.check_keras_cell_with_converted_weights_matches_tf1, "outputs: observed 'max abs error", cell=lstm(3), keras="keras2"
    )


def test_forget_bias_not_folded_is_caught(monkeypatch) -> None:
    """Dropping TF1's run-time forget_bias from the Keras f bias fails the Keras check."""
    from tf_rnn_checks.checks import convert_keras

    monkeypatch.setattr(keras_weights, "add_forget_bias", lambda bias, forget_bias: bias)
    fails(convert_keras.check_keras_cell_with_converted_weights_matches_tf1, "outputs", cell=lstm(3), keras="keras2")


def test_forget_bias_not_removed_when_reading_keras_back_is_caught(monkeypatch) -> None:
    """Reading Keras's bias back without subtracting forget_bias fails the bias-initialisation check."""
    from tf_rnn_checks.checks import convert_differences

    monkeypatch.setattr(
        convert_differences.convert, "lstm_from_keras", lambda weights, forget_bias: keras_weights.lstm_from_keras(weights, forget_bias=0.0)
    )
    fails(convert_differences.check_default_lstm_bias_initialisation_differs_between_tf1_and_keras, "converted to TF1", keras="keras2")


def test_wrong_torch_gru_gate_order_is_caught(monkeypatch) -> None:
    """PyTorch GRU blocks in z, r, n order (instead of r, z, n) fail the PyTorch GRU check."""
    from tf_rnn_checks.checks import convert_torch

    monkeypatch.setattr(torch_weights, "GRU_ORDER", ("u", "r", "candidate"))
    fails(convert_torch.check_torch_gru_matches_tf1_gru_with_diagonal_candidate, "outputs", cell=gru(3))


def test_wrong_onnx_peephole_order_is_caught(monkeypatch) -> None:
    """ONNX P in i, f, o order (instead of i, o, f) fails the ONNX peephole check."""
    from tf_rnn_checks.checks import convert_onnx

    monkeypatch.setattr(onnx_weights, "PEEPHOLE_ORDER", ("i", "f", "o"))
    fails(convert_onnx.check_onnx_node_with_converted_weights_matches_tf1, "outputs", cell=lstm(3, use_peepholes=True))


def test_swapped_checkpoint_directions_are_caught(monkeypatch) -> None:
    """Listing bw before fw fails the bidirectional Keras checkpoint check (PyTorch names directions, so its check is immune)."""
    from tf_rnn_checks.checks import convert_checkpoint

    monkeypatch.setattr(checkpoint, "DIRECTIONS", ("bw", "fw"))
    fails(
        convert_checkpoint.check_checkpoint_to_keras_matches_tf1,
        "outputs",
        model=convert_checkpoint.Model("bidirectional_dynamic_rnn", lstm(3)),
        keras="keras2",
    )


def test_reset_after_difference_check_fails_when_the_candidate_is_diagonal(monkeypatch) -> None:
    """With a diagonal candidate kernel everywhere, reset_after=True equals TF1, so the non-equivalence check fails."""
    from tf_rnn_checks.checks import _convert, convert_differences

    original = _convert.run_tf1
    monkeypatch.setattr(_convert, "run_tf1", lambda *a, **k: original(*a, **{**k, "transform": _convert.diagonal_candidate}))
    fails(
        convert_differences.check_keras_reset_after_gru_differs_from_tf1_unless_candidate_is_diagonal,
        "converter refusal: observed None",
        keras="keras2",
    )


def test_reset_after_outputs_difference_is_checked(monkeypatch) -> None:
    """With a diagonal candidate and the refusal check disabled, the outputs comparison itself fails the non-equivalence check."""
    from tf_rnn_checks.checks import _convert, convert_differences

    original = _convert.run_tf1
    monkeypatch.setattr(_convert, "run_tf1", lambda *a, **k: original(*a, **{**k, "transform": _convert.diagonal_candidate}))
    monkeypatch.setattr(convert_differences, "_assert_refused", lambda *a, **k: None)
    fails(
        convert_differences.check_keras_reset_after_gru_differs_from_tf1_unless_candidate_is_diagonal,
        "full candidate kernel\\): observed 'max abs difference",
        keras="keras2",
    )


def test_naive_gru_copy_check_fails_when_the_copy_is_right(monkeypatch) -> None:
    """If the 'naive' copy were the exact conversion (diagonal candidate, z, r, h order), the naive-copy check fails."""
    from tf_rnn_checks import convert
    from tf_rnn_checks.checks import _convert, convert_differences

    original = _convert.run_tf1
    monkeypatch.setattr(_convert, "run_tf1", lambda *a, **k: original(*a, **{**k, "transform": _convert.diagonal_candidate}))
    monkeypatch.setattr(
        convert_differences, "_naive_keras_gru_weights", lambda variables: convert.gru_to_keras(variables, reset_after=True)
    )
    fails(
        convert_differences.check_keras_default_gru_with_naively_copied_weights_differs_from_tf1,
        "outputs of the naive copy vs TF1: observed 'max abs difference",
        keras="keras2",
    )

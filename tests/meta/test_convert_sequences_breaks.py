"""Deliberate breaks of the sequence-length checks: each recipe that makes a target agree with TF1, broken once, must fail its check.

Each test patches one helper of :mod:`tf_rnn_checks.checks.convert_sequences` (or a runner it calls) and runs
one real check on it. They need the legacy cells (and skip like the check does when torch / onnx is absent).
"""

from __future__ import annotations

import numpy as np
import pytest

from tf_rnn_checks.cells import gru, lstm

pytestmark = pytest.mark.legacy_cells


def _fails(check, pattern: str, **kwargs) -> str:
    with pytest.raises(AssertionError, match=pattern) as error:
        check(**kwargs)
    return str(error.value)


def test_mask_one_step_too_long_is_caught(monkeypatch) -> None:
    """Multiplying Keras's outputs by a mask one step longer than each row (lengths + 1) leaves a carried output, which fails the recipe."""
    from tf_rnn_checks.checks import convert_sequences as s

    def off_by_one(outputs, mask):
        return outputs * (mask | np.concatenate([mask[:, :1], mask[:, :-1]], axis=1))[:, :, None]

    monkeypatch.setattr(s, "_times_mask", off_by_one)
    _fails(
        s.check_keras_mask_repeats_the_last_output_past_the_length_where_tf1_gives_zeros,
        "outputs with outputs times the mask past each row's length",
        cell=lstm(3),
        keras="keras3",
        recipe=s.OUTPUTS_TIMES_MASK,
    )


def test_zero_output_for_mask_left_out_is_caught(monkeypatch) -> None:
    """A Keras layer built without zero_output_for_mask=True carries its last output, which fails that recipe."""
    from tf_rnn_checks.checks import convert_sequences as s

    original = s._keras_layer
    monkeypatch.setattr(s, "_keras_layer", lambda *a, zero_output_for_mask=False, **k: original(*a, **k))
    _fails(
        s.check_keras_mask_repeats_the_last_output_past_the_length_where_tf1_gives_zeros,
        r"outputs with zero_output_for_mask=True past each row's length \[5, 1, 3\]: observed \[\[\], \['last valid output'",
        cell=gru(3),
        keras="keras2",
        recipe=s.ZERO_OUTPUT_FOR_MASK,
    )


def test_keras_giving_zeros_past_the_mask_is_caught(monkeypatch) -> None:
    """If the masked Keras layer gave zeros past the length (zero_output_for_mask=True always), the pinned non-equivalence fails."""
    from tf_rnn_checks.checks import convert_sequences as s

    original = s._keras_layer
    monkeypatch.setattr(s, "_keras_layer", lambda *a, **k: original(*a, **{**k, "zero_output_for_mask": True}))
    _fails(
        s.check_keras_mask_repeats_the_last_output_past_the_length_where_tf1_gives_zeros,
        r"outputs past each row's length \[5, 1, 3\]: observed \[\[\], \['zeros'",
        cell=lstm(3),
        keras="keras3",
        recipe=s.OUTPUTS_TIMES_MASK,
    )


def test_keras_bidirectional_without_the_mask_is_caught(monkeypatch) -> None:
    """Calling keras.layers.Bidirectional without mask= runs the backward layer from the padding, which fails the Bidirectional check."""
    from tf_rnn_checks.checks import convert_sequences as s

    original = s._run_keras_layer
    monkeypatch.setattr(s, "_run_keras_layer", lambda layer, weights, x, mask: original(layer, weights, x, None))
    _fails(
        s.check_keras_bidirectional_mask_matches_tf1_bidirectional_dynamic_rnn,
        r"forward outputs past each row's length \[5, 1, 3\]: observed \[\[\], \['other'",
        cell=lstm(3),
        keras="keras2",
        merge_mode=s.MergeMode("concat"),
    )


def test_torch_without_packing_is_caught(monkeypatch) -> None:
    """nn.LSTM(bidirectional=True) run on the padded tensor instead of the packed sequence fails the recipe half of the without-lengths check."""
    pytest.importorskip("torch")
    from tf_rnn_checks.checks import _convert
    from tf_rnn_checks.checks import convert_sequences as s

    original = _convert.run_torch
    monkeypatch.setattr(_convert, "run_torch", lambda *a, lengths=None, **k: original(*a, **k))
    message = _fails(
        s.check_bidirectional_target_without_the_lengths_differs_from_tf1_on_short_rows,
        "outputs past each row's length|outputs at valid steps",
        cell=lstm(3),
        target=s.BIDIRECTIONAL_TARGETS[2],
    )
    assert "given by pack_padded_sequence" in message


def test_onnx_without_sequence_lens_is_caught(monkeypatch) -> None:
    """An ONNX LSTM node without its sequence_lens input fails the sequence_lens check."""
    pytest.importorskip("onnxruntime")
    from tf_rnn_checks.checks import _convert
    from tf_rnn_checks.checks import convert_sequences as s

    original = _convert.run_onnx
    monkeypatch.setattr(_convert, "run_onnx", lambda *a, sequence_lens=None, **k: original(*a, **k))
    _fails(s.check_onnx_sequence_lens_matches_tf1_sequence_length, "outputs \\(Y\\) past each row's length", cell=lstm(3))

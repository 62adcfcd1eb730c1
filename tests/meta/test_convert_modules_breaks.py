"""Deliberate breaks of the whole-module builders: each part that makes a rebuilt module agree with TF1, broken once, must fail its check.

Each test patches one piece of :mod:`tf_rnn_checks.convert` (the shared TF1 runs are emptied around tests that
monkeypatch) and runs one real check of :mod:`tf_rnn_checks.checks.convert_modules` on it. They need the legacy
cells, and skip like the check does when torch is absent.
"""

from __future__ import annotations

import pytest

from tests.meta.breaking import fails

pytestmark = pytest.mark.legacy_cells


def test_backward_direction_reversed_over_the_whole_padded_batch_is_caught(monkeypatch) -> None:
    """A PyTorch module that reverses the backward direction's rows over all steps (padding first) instead of within each length fails on the short rows."""
    pytest.importorskip("torch")
    from tf_rnn_checks.checks import convert_modules as m
    from tf_rnn_checks.convert import _torch_module

    monkeypatch.setattr(_torch_module, "reverse_within_lengths", lambda x, lengths: x.flip(1))
    message = fails(
        m.check_torch_module_from_checkpoint_matches_tf1,
        r"^backward outputs at valid steps: observed 'max abs error",
        model=m.BIDIRECTIONAL_LSTM,
    )
    assert "checkpoint_to_torch_module(<bidirectional_dynamic_rnn(" in message


def test_forget_bias_not_folded_is_caught(monkeypatch) -> None:
    """Keras weights converted without adding TF1's forget_bias to the f bias give other outputs from the first step on."""
    from tf_rnn_checks.checks import convert_modules as m
    from tf_rnn_checks.convert import keras_weights

    monkeypatch.setattr(keras_weights, "add_forget_bias", lambda bias, forget_bias: bias)
    fails(
        m.check_keras_model_from_checkpoint_matches_tf1,
        r"^forward outputs at valid steps: observed 'max abs error",
        case=m.KerasCase(m.BIDIRECTIONAL_LSTM, "keras3"),
    )


def test_keras_rnn_without_zero_output_for_mask_is_caught(monkeypatch) -> None:
    """A unidirectional Keras RNN built without zero_output_for_mask=True repeats each row's last output past its length, where TF1 gives zeros."""
    from tf_rnn_checks.checks import convert_modules as m
    from tf_rnn_checks.convert import _keras_model

    original = _keras_model._rnn
    monkeypatch.setattr(_keras_model, "_rnn", lambda *a, zero_output_for_mask=False, **k: original(*a, **k))
    fails(
        m.check_keras_model_from_checkpoint_matches_tf1,
        r"^outputs past each row's length \[5, 1, 3\]: observed \[\[\], \['other'",
        case=m.KerasCase(m.STACKED_LSTM, "keras3"),
    )


def test_lstm_state_in_keras_order_is_caught(monkeypatch) -> None:
    """Final LSTM states handed back in Keras's (h, c) order instead of TF1's LSTMStateTuple(c, h) fail the final state check."""
    pytest.importorskip("torch")
    from tf_rnn_checks.checks import convert_modules as m
    from tf_rnn_checks.convert import _torch_module

    monkeypatch.setattr(
        _torch_module.TF1RNN, "_tf1_state", staticmethod(lambda kind, final: _torch_module.LSTMState(final[0][0], final[1][0]))
    )
    fails(
        m.check_torch_module_from_checkpoint_matches_tf1,
        r"^final state layer0 c \(TF1: the state at each row's last valid step\)",
        model=m.STACKED_LSTM,
    )

"""Deliberate breaks of the sequence-length checks: each recipe that makes a target agree with TF1, broken once, must fail its check.

Each test patches one helper of :mod:`tf_rnn_checks.checks.convert_sequences` (or a runner it calls) and runs
one real check on it. They need the legacy cells (and skip like the check does when torch / onnx is absent).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.meta.breaking import fails
from tf_rnn_checks.cells import gru, lstm

pytestmark = pytest.mark.legacy_cells


def test_mask_one_step_too_long_is_caught(monkeypatch) -> None:
    """Multiplying Keras's outputs by a mask one step longer than each row (lengths + 1) leaves a carried output, which fails the recipe."""
    from tf_rnn_checks.checks import convert_sequences as s

    def off_by_one(outputs, mask):
        return outputs * (mask | np.concatenate([mask[:, :1], mask[:, :-1]], axis=1))[:, :, None]

    monkeypatch.setattr(s, "_times_mask", off_by_one)
    fails(
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
    fails(
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
    fails(
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
    fails(
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
    message = fails(
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
    fails(s.check_onnx_sequence_lens_matches_tf1_sequence_length, "outputs \\(Y\\) past each row's length", cell=lstm(3))


# ---------------------------------------------------------------- convert_drivers: stacks and initial_state


def test_stacked_keras_layers_without_zero_output_for_mask_are_caught(monkeypatch) -> None:
    """Stacked Keras layers built without zero_output_for_mask=True carry the last output past the length, which fails the stack check's recipe."""
    from tf_rnn_checks.checks import convert_drivers as d

    original = d.keras_stack
    monkeypatch.setattr(d, "keras_stack", lambda *a, zero_output_for_mask=False, **k: original(*a, **k))
    fails(
        d.check_keras_stacked_layers_with_mask_match_tf1_multirnncell_except_past_the_length,
        r"outputs with zero_output_for_mask=True past each row's length \[5, 1, 3\]: observed \[\[\], \['last valid output'",
        cell=d.LSTM_STACK,
        keras="keras3",
        stacking=d.LAYERS,
    )


def test_stacked_keras_layers_giving_zeros_past_the_mask_are_caught(monkeypatch) -> None:
    """If stacked Keras layers gave zeros past the length without being asked, the pinned non-equivalence fails."""
    from tf_rnn_checks.checks import convert_drivers as d

    original = d.keras_stack
    monkeypatch.setattr(d, "keras_stack", lambda *a, **k: original(*a, **{**k, "zero_output_for_mask": True}))
    fails(
        d.check_keras_stacked_layers_with_mask_match_tf1_multirnncell_except_past_the_length,
        r"top layer outputs past each row's length \[5, 1, 3\]: observed \[\[\], \['zeros'",
        cell=d.GRU_STACK,
        keras="keras2",
        stacking=d.LAYERS,
    )


def test_stacked_rnn_cells_without_zero_output_for_mask_are_caught(monkeypatch) -> None:
    """keras.layers.RNN over StackedRNNCells built without zero_output_for_mask=True carries the last output, which fails that stacking's recipe."""
    from tf_rnn_checks.checks import convert_drivers as d

    original = d.keras_stacked_cells
    monkeypatch.setattr(d, "keras_stacked_cells", lambda *a, zero_output_for_mask=False, **k: original(*a, **k))
    message = fails(
        d.check_keras_stacked_layers_with_mask_match_tf1_multirnncell_except_past_the_length,
        r"outputs with zero_output_for_mask=True past each row's length \[5, 1, 3\]: observed \[\[\], \['last valid output'",
        cell=d.GRU_STACK,
        keras="keras2",
        stacking=d.STACKED_CELLS,
    )
    assert "keras2.layers.RNN([GRUCell(3)] * 2)" in message


def test_tf1_state_tuple_given_to_keras_as_it_stands_is_caught(monkeypatch) -> None:
    """Passing TF1's LSTMStateTuple(c, h) to Keras's initial_state in its own order (c where Keras reads h) fails the initial_state check."""
    from tf_rnn_checks.checks import convert_drivers as d

    monkeypatch.setattr(d, "keras_initial_state", lambda state: list(state) if hasattr(state, "h") else [state])
    fails(
        d.check_keras_initial_state_is_h_c_where_tf1_state_tuple_is_c_h,
        r"^outputs at valid steps: observed 'max abs error",
        cell=lstm(3),
        keras="keras3",
    )


# ---------------------------------------------------------------- convert_dropout


def test_dropoutwrapper_left_dropping_at_inference_is_caught(monkeypatch) -> None:
    """A DropoutWrapper run at inference with keep probabilities below 1.0 (0.9) keeps dropping, which fails the inference check against Keras's training=False."""
    from tf_rnn_checks.checks import convert_dropout as dropout

    monkeypatch.setattr(dropout, "inference_keep_probs", lambda: tuple((k, 0.9 if k.endswith("prob") else v) for k, v in dropout.KEEP_ALL))
    fails(
        dropout.check_keras_dropout_at_inference_matches_tf1_dropoutwrapper_only_at_keep_prob_one,
        r"^outputs at valid steps: observed 'max abs error",
        cell=gru(3),
        keras="keras2",
    )


def test_keras_own_input_dropout_shape_as_the_recipe_is_caught(monkeypatch) -> None:
    """keras.layers.Dropout with noise_shape=(batch, 1, features) before the layer drops like Keras's dropout= (one mask per row), not like TF1's input_keep_prob, which fails the recipe."""
    from tf_rnn_checks.checks import convert_dropout as dropout

    monkeypatch.setattr(
        dropout,
        "input_dropout_recipe",
        lambda module, keras, variational: dropout.keras_dropout(module, keras, noise_shape=(None, 1, None)),
    )
    message = fails(
        dropout.check_tf1_input_dropout_masks_differ_in_shape_from_keras_dropout,
        r"masks of keras.layers.Dropout before the layer: observed 'one mask per row for every step', but TF was expected to give 'a new mask per step and row'",
        form=dropout.INPUT_FORMS[0],
        keras="keras3",
    )
    assert "keras3.layers.Dropout(0.5)(x, training=True)" in message


def test_tf1_final_state_read_a_step_early_is_caught(monkeypatch) -> None:
    """Reading TF1's undropped final state one step before each row's last fails the state-dropout check's recipe."""
    from tf_rnn_checks.checks import convert_dropout as dropout

    monkeypatch.setattr(
        dropout, "tf1_undropped_final_state", lambda outputs, lengths: outputs[np.arange(len(lengths)), np.asarray(lengths) - 2]
    )
    fails(
        dropout.check_tf1_state_dropout_returns_a_dropped_final_state_where_keras_recurrent_dropout_does_not,
        r"TF1's output at each row's last step vs keras2's final state: observed 'max abs error",
        keras="keras2",
    )


# ---------------------------------------------------------------- convert_keras_backends


def test_mask_one_step_too_long_is_caught_on_the_jax_backend(monkeypatch) -> None:
    """The outputs-times-the-mask recipe broken (a mask one step too long) fails the backend check on JAX's outputs too (they come from the subprocess)."""
    pytest.importorskip("jax")
    from tf_rnn_checks.checks import convert_keras_backends as b
    from tf_rnn_checks.checks import convert_sequences as s

    monkeypatch.setattr(s, "_times_mask", lambda outputs, mask: outputs * (mask | np.roll(mask, 1, axis=1))[:, :, None])
    message = fails(
        b.check_keras3_masked_layer_repeats_the_last_output_past_the_length_on_every_backend,
        r"outputs times the mask past each row's length \[5, 1, 3\]: observed \[\[\], \['last valid output', 'zeros'",
        cell=lstm(3),
        backend=b.BACKENDS[1],
    )
    assert "KERAS_BACKEND=jax" in message


def test_static_bidirectional_targets_not_told_the_lengths_are_caught(monkeypatch) -> None:
    """A bidirectional target run on the padded batch without the lengths fails the static_bidirectional_rnn check on the short rows."""
    from tf_rnn_checks.checks import convert_sequences as s

    original = s._bidirectional_run
    monkeypatch.setattr(s, "_bidirectional_run", lambda target, cell, values, x, lengths: original(target, cell, values, x, None))
    fails(
        s.check_static_bidirectional_rnn_gives_what_targets_give_for_bidirectional_dynamic_rnn,
        r"keras3 forward outputs past each row's length \[5, 1, 3\]: observed \[\[\], \['other'",
        cell=lstm(3),
        target="keras3",
    )


def test_bidirectional_ave_read_as_sum_is_caught(monkeypatch) -> None:
    """Were Keras's merge_mode="ave" the sum of the two directions, the merged outputs would differ from TF1's fw and bw averaged."""
    from tf_rnn_checks.checks import convert_sequences as s

    monkeypatch.setitem(s.MERGES, "ave", lambda forward, backward: forward + backward)
    fails(
        s.check_keras_bidirectional_mask_matches_tf1_bidirectional_dynamic_rnn,
        r"ave-merged outputs at valid steps: observed 'max abs error",
        cell=lstm(3),
        keras="keras3",
        merge_mode=s.MergeMode("ave"),
    )

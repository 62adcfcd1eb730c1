"""TF1 DropoutWrapper against Keras dropout= / recurrent_dropout= and keras.layers.Dropout: equal at inference, compared by statistics in training.

At inference the two agree number for number (keep probabilities 1.0 against ``training=False``). In training they
draw different random numbers, so the checks pin what can be compared with fixed seeds: the fraction of entries
dropped (about ``1 - keep_prob``), the ``1 / keep_prob`` scaling of the kept ones, and the shape of the masks (a new
one per step and row, one per row for the whole sequence, or one for every step and row). The masks are read off a
BasicRNNCell / SimpleRNN with an identity input kernel, no bias and a recurrent kernel of zero (each output is ``tanh``
of the dropped input at that step) or of ``RECURRENT_GAIN`` times the identity (``arctanh(output_t) - x_t`` is the
dropped ``RECURRENT_GAIN * output_{t-1}``), and off the outputs directly for output dropout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks import convert, sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, assert_true, observe_max_abs_error
from tf_rnn_checks.cells import CellSpec, gru, lstm
from tf_rnn_checks.checks import convert_drivers as d
from tf_rnn_checks.checks import convert_sequences as s
from tf_rnn_checks.modes import run, seed_eager
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import KERAS_FLAVOURS, keras_flavour
from tf_rnn_checks.shared_runs import shared
from tf_rnn_checks.tf_import import tf, v1

KEEP = 0.5
# sizes.DROPOUT_*: 1536 per-step draws (and 32 for the one variational mask, within 0.25 of 0.5 with probability > 0.99).
BATCH, STEPS, UNITS = sizes.DROPOUT_BATCH, sizes.DROPOUT_STEPS, sizes.DROPOUT_UNITS
FRACTION_TOLERANCE = 0.25
SEED = 5

PER_STEP = "a new mask per step and row"
PER_ROW = "one mask per row for every step"
ONE_MASK = "one mask for every step and row"


def mask_shape(dropped: np.ndarray) -> str:
    """Which entries of a ``[batch, time, units]`` drop pattern repeat: :data:`PER_STEP`, :data:`PER_ROW`, :data:`ONE_MASK` (or ``other``)."""
    same_over_steps = all(np.array_equal(dropped[:, t], dropped[:, 0]) for t in range(dropped.shape[1]))
    same_over_rows = all(np.array_equal(dropped[b], dropped[0]) for b in range(dropped.shape[0]))
    if same_over_steps:
        return ONE_MASK if same_over_rows else PER_ROW
    distinct_steps = all(not np.array_equal(dropped[:, t], dropped[:, u]) for t in range(dropped.shape[1]) for u in range(t))
    return PER_STEP if distinct_steps and not same_over_rows else "other"


def _inputs() -> np.ndarray:
    """Positive inputs ``[BATCH, STEPS, UNITS]`` (never zero, so a zero after dropout is a dropped entry), small enough that ``arctanh`` of the outputs stays exact to float32."""
    return sizes.inputs(batch=BATCH, time=STEPS, size=UNITS, seed=3, distribution=sizes.UNIFORM, low=0.05, high=0.3)


RECURRENT_GAIN = 0.25  # keeps the recurrence far from tanh's saturation, where arctanh would lose the scale's digits


def identity_weights(recurrent_gain: float = 0.0) -> dict[str, np.ndarray]:
    """A TF1 BasicRNNCell's ``kernel`` ``[I; recurrent_gain * I]`` and zero ``bias``."""
    kernel = np.concatenate([np.eye(UNITS), recurrent_gain * np.eye(UNITS)]).astype(np.float32)
    return {"kernel": kernel, "bias": np.zeros(UNITS, np.float32)}


@shared
def tf1_identity_run(dropout: tuple[tuple[str, Any], ...], recurrent_gain: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``dynamic_rnn(DropoutWrapper(BasicRNNCell(UNITS) with identity_weights(recurrent_gain), **dropout, seed=SEED))`` in graph mode (:func:`modes.run`, graph seed 0): outputs and final state."""
    weights = {f"rnn/basic_rnn_cell/{name}": value for name, value in identity_weights(recurrent_gain).items()}
    x = _inputs()

    def make() -> Any:
        cell = v1.nn.rnn_cell.BasicRNNCell(UNITS)
        if dropout:
            cell = v1.nn.rnn_cell.DropoutWrapper(cell, seed=SEED, dtype=tf.float32, input_size=UNITS, **dict(dropout))
        return cell

    result = run("graph", make, lambda cell: v1.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32), values=weights)
    used = result.values()
    if set(used) != set(weights) or any(not np.array_equal(used[name], weights[name]) for name in weights):
        raise KeyError(f"values: expected exactly the variables {sorted(weights)} with the identity weights, got {sorted(used)}")
    return result.outputs[0], result.outputs[1]


def keras_identity_layer(module: Any, keras: str, recurrent_gain: float = 0.0, **options: Any) -> Any:
    """A Keras ``SimpleRNN(UNITS, **options)`` holding :func:`identity_weights` (converted), returning sequences and state; seeded where the flavour takes a seed."""
    if keras == "keras3":
        options["seed"] = SEED
    else:
        seed_eager(SEED)  # tf_keras's RNN layers take no seed: its dropout draws from TF's global seed
    layer = module.layers.SimpleRNN(UNITS, return_sequences=True, return_state=True, **options)
    layer.build((BATCH, STEPS, UNITS))
    layer.set_weights(convert.basic_rnn_to_keras(identity_weights(recurrent_gain)))
    return layer


def keras_dropout(module: Any, keras: str, **options: Any) -> Any:
    """``keras.layers.Dropout(1 - KEEP, **options)``, seeded like :func:`keras_identity_layer`."""
    if keras == "keras3":
        options["seed"] = SEED
    else:
        seed_eager(SEED)
    return module.layers.Dropout(1 - KEEP, **options)


def _statistics(key: str, dropped_values: np.ndarray, plain: np.ndarray, *, call: str, masks: bool = True) -> str:
    """Observe and pin the fraction dropped (about ``1 - KEEP``) and the ``1 / KEEP`` scale of the kept entries; returns the masks' shape (:func:`mask_shape` of ``[batch, time, units]`` values) when ``masks``."""
    __tracebackhide__ = True
    dropped = dropped_values == 0
    fraction = float(dropped.mean())
    observe(f"{key}_dropped_fraction", round(fraction, 3), within=FRACTION_TOLERANCE)
    assert_true(
        abs(fraction - (1 - KEEP)) <= FRACTION_TOLERANCE,
        what=f"{key}: fraction of entries dropped",
        observed=round(fraction, 3),
        expected=f"{1 - KEEP} +- {FRACTION_TOLERANCE}",
        call=call,
    )
    scale = dropped_values[~dropped] / plain[~dropped]
    observe_max_abs_error(f"{key}_kept_scale_error", scale, np.full_like(scale, 1 / KEEP))
    assert_close(scale, np.full_like(scale, 1 / KEEP), what=f"{key}: kept entries / undropped entries (1 / keep_prob)", call=call)
    if not masks:
        return ""
    shape = mask_shape(dropped)
    observe(f"{key}_mask", shape)
    return shape


# ---------------------------------------------------------------- inference

DROPOUT_CELLS = (lstm(d.UNITS), gru(d.UNITS))
KEEP_ALL = (("input_keep_prob", 1.0), ("output_keep_prob", 1.0), ("state_keep_prob", 1.0), ("variational_recurrent", True))
KEEP_HALF = (("input_keep_prob", KEEP), ("output_keep_prob", KEEP), ("state_keep_prob", KEEP), ("variational_recurrent", True))


def inference_keep_probs() -> tuple[tuple[str, Any], ...]:
    """The recipe for running a TF1 DropoutWrapper at inference: every keep probability 1.0 (TF1 code feeds them through placeholders)."""
    return KEEP_ALL


@check(cell=DROPOUT_CELLS, keras=KERAS_FLAVOURS)
def check_keras_dropout_at_inference_matches_tf1_dropoutwrapper_only_at_keep_prob_one(cell: CellSpec, keras: str) -> None:
    """A Keras LSTM / GRU(reset_after=False) layer with dropout=0.5 and recurrent_dropout=0.5 called with training=False (masked, zero_output_for_mask=True) gives a TF1 DropoutWrapper(variational_recurrent=True)'s dynamic_rnn outputs and final state with sequence_length when every keep probability is 1.0, while the wrapper at keep probabilities 0.5 keeps dropping, having no training flag, and differs."""
    module = keras_flavour(keras)
    kind, x = d._kind(cell), s._inputs()
    tf1 = d.tf1_run(cell, dropout=inference_keep_probs())
    weights = [s.TO_KERAS[kind](c) for c in d.layer_variables(tf1.values)]
    layer = s._keras_layer(module, kind, d.UNITS, dropout=1 - KEEP, recurrent_dropout=1 - KEEP, zero_output_for_mask=True)
    layer.build(x.shape)
    layer.set_weights(weights[0])
    outputs, *states = (np.asarray(v) for v in layer(x, mask=s.VALID, training=False))
    call = f"{s._keras_call(keras, kind, d.UNITS, ', dropout=0.5, recurrent_dropout=0.5, zero_output_for_mask=True')[:-1]}, training=False) vs dynamic_rnn(DropoutWrapper({cell}, keep 1.0, variational_recurrent=True))"
    s._compare_sequences(outputs, tf1.outputs, what="outputs", call=call)
    d._compare_layer_states([states], d.layer_states(cell, tf1.state), call=call, key="max_abs_error_final")
    dropping = d.tf1_run(cell, dropout=KEEP_HALF)
    observe_max_abs_error("max_abs_difference_keep_half", outputs[s.VALID], dropping.outputs[s.VALID])
    assert_not_close(outputs[s.VALID], dropping.outputs[s.VALID], what="outputs vs DropoutWrapper at keep probabilities 0.5", call=call)


# ---------------------------------------------------------------- training: input dropout


@dataclass(frozen=True)
class Form:
    """A TF1 DropoutWrapper's input or output dropout, per step or variational; ``str`` is its test id."""

    where: str  # "input" or "output"
    variational: bool = False

    def __str__(self) -> str:
        return f"{self.where}_keep_prob" + (", variational_recurrent" if self.variational else "")

    @property
    def options(self) -> tuple[tuple[str, Any], ...]:
        return ((f"{self.where}_keep_prob", KEEP),) + ((("variational_recurrent", True),) if self.variational else ())


INPUT_FORMS = (Form("input"), Form("input", variational=True))
OUTPUT_FORMS = (Form("output"), Form("output", variational=True))


def input_dropout_recipe(module: Any, keras: str, variational: bool) -> Any:
    """The Keras layer that drops inputs the way a TF1 DropoutWrapper(input_keep_prob) does: ``Dropout`` before the RNN layer, per entry, or with ``noise_shape=(1, 1, features)`` for variational_recurrent (one mask for every step and row)."""
    return keras_dropout(module, keras, noise_shape=(1, 1, UNITS)) if variational else keras_dropout(module, keras)


@check(form=INPUT_FORMS, keras=KERAS_FLAVOURS)
def check_tf1_input_dropout_masks_differ_in_shape_from_keras_dropout(form: Form, keras: str) -> None:
    """In training, TF1 DropoutWrapper(input_keep_prob=0.5) and a Keras RNN layer's dropout=0.5 both drop about half of the inputs and scale the kept ones by 1/keep_prob, but TF1 draws a new mask per step and row (with variational_recurrent one [1, features] mask for every step and row) where Keras draws one mask per row for the whole sequence; keras.layers.Dropout before the layer (noise_shape=(1, 1, features) for variational_recurrent) drops the way TF1 does."""
    module = keras_flavour(keras)
    x = _inputs()
    tf1_outputs, _ = tf1_identity_run(form.options)
    call = f"dynamic_rnn(DropoutWrapper(BasicRNNCell({UNITS}), {form}) vs {keras}.layers.SimpleRNN({UNITS}, dropout=0.5)(x, training=True), identity input kernel"
    tf1_shape = _statistics("tf1", np.arctanh(tf1_outputs), x, call=call)
    assert_equal(tf1_shape, ONE_MASK if form.variational else PER_STEP, what="TF1's input dropout masks", call=call)
    keras_outputs, _ = (np.asarray(v) for v in keras_identity_layer(module, keras, dropout=1 - KEEP)(x, training=True))
    keras_shape = _statistics("keras_dropout", np.arctanh(keras_outputs), x, call=call)
    assert_equal(keras_shape, PER_ROW, what=f"{keras}'s dropout= masks", call=call)
    assert_true(
        keras_shape != tf1_shape, what="mask shapes", observed=[tf1_shape, keras_shape], expected="TF1's and Keras's differ", call=call
    )
    dropped_x = np.asarray(input_dropout_recipe(module, keras, form.variational)(x, training=True))
    recipe_outputs, _ = (np.asarray(v) for v in keras_identity_layer(module, keras)(dropped_x))
    noise = ", noise_shape=(1, 1, features)" if form.variational else ""
    call = f"dynamic_rnn(DropoutWrapper(BasicRNNCell({UNITS}), {form}) vs {keras}.layers.SimpleRNN({UNITS})({keras}.layers.Dropout(0.5{noise})(x, training=True)), identity input kernel"
    recipe_shape = _statistics("keras_dropout_layer_first", np.arctanh(recipe_outputs), x, call=call)
    assert_equal(recipe_shape, tf1_shape, what="masks of keras.layers.Dropout before the layer", call=call)


# ---------------------------------------------------------------- training: output and state dropout


@check(form=OUTPUT_FORMS, keras=KERAS_FLAVOURS)
def check_tf1_output_dropout_drops_like_a_keras_dropout_layer_on_the_outputs(form: Form, keras: str) -> None:
    """In training, TF1 DropoutWrapper(output_keep_prob=0.5) zeroes about half of the outputs and scales the kept ones by exactly 1/keep_prob with a new mask per step and row (variational_recurrent: one [1, units] mask for every step and row), as keras.layers.Dropout(0.5) on a Keras layer's outputs does (noise_shape=(1, 1, units)); Keras RNN layers have no output dropout of their own."""
    module = keras_flavour(keras)
    x = _inputs()
    plain, _ = tf1_identity_run(())
    variational = form.variational
    tf1_outputs, _ = tf1_identity_run(form.options)
    call = f"dynamic_rnn(DropoutWrapper(BasicRNNCell({UNITS}), output_keep_prob=0.5, variational_recurrent={variational})) vs {keras}.layers.Dropout(0.5{', noise_shape=(1, 1, units)' if variational else ''}) on the outputs"
    tf1_shape = _statistics("tf1", tf1_outputs, plain, call=call)
    assert_equal(tf1_shape, ONE_MASK if variational else PER_STEP, what="TF1's output dropout masks", call=call)
    keras_outputs, _ = (np.asarray(v) for v in keras_identity_layer(module, keras)(x))
    observe_max_abs_error("keras_undropped_outputs_vs_tf1", keras_outputs, plain)
    assert_close(keras_outputs, plain, what="undropped outputs", call=call)
    dropped = np.asarray(input_dropout_recipe(module, keras, variational)(keras_outputs, training=True))
    keras_shape = _statistics("keras_dropout_layer", dropped, keras_outputs, call=call)
    assert_equal(keras_shape, tf1_shape, what="masks of keras.layers.Dropout on the outputs", call=call)


STATE_FORMS = (Form("state"), Form("state", variational=True))


def recurrent_drops(outputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """From steps 1.. of an :func:`identity_weights` ``(RECURRENT_GAIN)`` run's outputs: the state fed to each step as dropped (``arctanh(output_t) - x_t``) and undropped (``RECURRENT_GAIN * output_{t-1}``)."""
    return np.arctanh(outputs[:, 1:]) - _inputs()[:, 1:], RECURRENT_GAIN * outputs[:, :-1]


@check(form=STATE_FORMS, keras=KERAS_FLAVOURS)
def check_tf1_state_dropout_masks_differ_in_shape_from_keras_recurrent_dropout(form: Form, keras: str) -> None:
    """In training, TF1 DropoutWrapper(state_keep_prob=0.5) and a Keras RNN layer's recurrent_dropout=0.5 both drop about half of the state fed to each next step and scale the kept entries by 1/keep_prob, but TF1 draws a new mask per step and row (with variational_recurrent one [1, units] mask for every step and row) where Keras draws one mask per row for the whole sequence; no Keras RNN layer option draws TF1's masks."""
    module = keras_flavour(keras)
    x = _inputs()
    tf1_outputs, _ = tf1_identity_run(form.options, RECURRENT_GAIN)
    call = f"dynamic_rnn(DropoutWrapper(BasicRNNCell({UNITS}), {form}) vs {keras}.layers.SimpleRNN({UNITS}, recurrent_dropout=0.5)(x, training=True), kernel [I; {RECURRENT_GAIN} I]"
    dropped, plain = recurrent_drops(tf1_outputs)
    dropped[np.abs(dropped) < 1e-4] = 0.0  # a dropped state leaves arctanh(output) - x at rounding level
    tf1_shape = _statistics("tf1", dropped, plain, call=call)
    assert_equal(tf1_shape, ONE_MASK if form.variational else PER_STEP, what="TF1's state dropout masks (steps 1..)", call=call)
    keras_outputs, _ = (
        np.asarray(v) for v in keras_identity_layer(module, keras, RECURRENT_GAIN, recurrent_dropout=1 - KEEP)(x, training=True)
    )
    dropped, plain = recurrent_drops(keras_outputs)
    dropped[np.abs(dropped) < 1e-4] = 0.0
    keras_shape = _statistics("keras_recurrent_dropout", dropped, plain, call=call)
    assert_equal(keras_shape, PER_ROW, what=f"{keras}'s recurrent_dropout= masks (steps 1..)", call=call)
    assert_true(
        keras_shape != tf1_shape, what="mask shapes", observed=[tf1_shape, keras_shape], expected="TF1's and Keras's differ", call=call
    )


def tf1_undropped_final_state(outputs: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The recipe for a TF1 BasicRNNCell/GRUCell's undropped final state under state dropout: its output at each row's last step."""
    return outputs[np.arange(len(lengths)), np.asarray(lengths) - 1]


@check(keras=KERAS_FLAVOURS)
def check_tf1_state_dropout_returns_a_dropped_final_state_where_keras_recurrent_dropout_does_not(keras: str) -> None:
    """In training, TF1 DropoutWrapper(state_keep_prob=0.5) returns the dropped state as dynamic_rnn's final state (about half its entries zero, the rest the last output / keep_prob), while a Keras layer's recurrent_dropout=0.5 drops only the state fed to the recurrent matmul and returns the undropped final state, equal to its last output; TF1's last output is its undropped final state."""
    module = keras_flavour(keras)
    x = _inputs()
    outputs, state = tf1_identity_run((("state_keep_prob", KEEP),))
    call = f"dynamic_rnn(DropoutWrapper(BasicRNNCell({UNITS}), state_keep_prob=0.5)) vs {keras}.layers.SimpleRNN({UNITS}, recurrent_dropout=0.5)(x, training=True), identity input kernel, zero recurrent kernel"
    last = outputs[:, -1]
    _statistics("tf1_final_state", state, last, call=call, masks=False)
    keras_outputs, keras_state = (np.asarray(v) for v in keras_identity_layer(module, keras, recurrent_dropout=1 - KEEP)(x, training=True))
    observe("keras_final_state_dropped_fraction", float(np.mean(keras_state == 0)))
    assert_equal(int(np.sum(keras_state == 0)), 0, what=f"{keras}'s final state entries dropped", call=call)
    assert_equal(keras_state, keras_outputs[:, -1], what=f"{keras}'s final state vs its last output", call=call)
    observe_max_abs_error("max_abs_difference_tf1_final_state_vs_keras", state, keras_state)
    assert_not_close(state, keras_state, what=f"TF1's final state vs {keras}'s", call=call)
    recipe = tf1_undropped_final_state(outputs, np.full(BATCH, STEPS))
    observe_max_abs_error("max_abs_error_with_recipe", recipe, keras_state)
    assert_close(recipe, keras_state, what=f"TF1's output at each row's last step vs {keras}'s final state", call=call)

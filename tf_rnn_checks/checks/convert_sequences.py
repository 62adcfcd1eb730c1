"""TF1 dynamic_rnn / bidirectional_dynamic_rnn with sequence_length against Keras masks, PyTorch packed sequences and ONNX sequence_lens, with converted weights.

Every check runs the padded batch ``LENGTHS`` (one full-length row, one row of a single step, one in between)
through TF1 and one target runtime given the converted weights, and compares the outputs at valid steps, the
outputs past each row's length (TF1 gives zeros there) and the final state (TF1: the state at each row's last
valid step). Where a target differs from TF1, the check pins the difference with its size and proves the
recipe that removes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from tf_rnn_checks import convert, sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, observe_max_abs_error
from tf_rnn_checks.cells import gru, lstm
from tf_rnn_checks.checks import _convert as c
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import KERAS_FLAVOURS, keras_flavour, requires

LSTM = lstm(3)
GRU = gru(3)  # only targets that hold TF1's GRU exactly: Keras GRU(reset_after=False), ONNX GRU(linear_before_reset=0)
CELLS = (LSTM, GRU)

STEPS = sizes.SEQUENCE_STEPS
LENGTHS = sizes.SEQUENCE_LENGTHS
VALID = np.arange(STEPS)[None, :] < np.array(LENGTHS)[:, None]  # [batch, time]: True at the steps within each row's length

TO_KERAS = {"LSTMCell": convert.lstm_to_keras, "GRUCell": convert.gru_to_keras}
TO_ONNX = {"LSTMCell": convert.lstm_to_onnx, "GRUCell": convert.gru_to_onnx}


@dataclass(frozen=True)
class Recipe:
    """A way to make a masked Keras layer give TF1's zeros past each row's length; ``str`` is its test id."""

    name: str

    def __str__(self) -> str:
        return self.name


OUTPUTS_TIMES_MASK = Recipe("outputs times the mask")
ZERO_OUTPUT_FOR_MASK = Recipe("zero_output_for_mask=True")
RECIPES = (OUTPUTS_TIMES_MASK, ZERO_OUTPUT_FOR_MASK)


@dataclass(frozen=True)
class MergeMode:
    """A ``keras.layers.Bidirectional`` merge_mode; ``str`` is its test id."""

    value: str | None

    def __str__(self) -> str:
        return f"merge_mode={self.value}"


MERGE_MODES = tuple(MergeMode(value) for value in (None, "concat", "sum", "mul", "ave"))
# How each merge_mode that cannot be split back combines the forward and backward outputs.
MERGES = {
    "sum": lambda forward, backward: forward + backward,
    "mul": lambda forward, backward: forward * backward,
    "ave": lambda forward, backward: (forward + backward) / 2,
}


@dataclass(frozen=True)
class Target:
    """A runtime a bidirectional TF1 model is converted to, and how it is told the lengths; ``str`` is its test id."""

    runtime: str
    lengths_by: str
    modules: tuple[str, ...] = ()  # the optional runtimes it needs (see runtimes.requires)

    def __str__(self) -> str:
        return f"{self.runtime} without {self.lengths_by}"


BIDIRECTIONAL_TARGETS = (
    Target("keras2", "mask"),
    Target("keras3", "mask"),
    Target("torch", "pack_padded_sequence", ("torch",)),
    Target("onnx", "sequence_lens", ("onnx", "onnxruntime")),
)


def _inputs() -> np.ndarray:
    return c.inputs()[:, :STEPS]


def _past_the_length(outputs: np.ndarray) -> list[list[str]]:
    """What each row holds at each step past its length: ``zeros``, ``last valid output`` (repeated exactly) or ``other``."""
    table = []
    for row, length in enumerate(LENGTHS):
        last = outputs[row, length - 1]
        kinds = []
        for step in range(length, STEPS):
            value = outputs[row, step]
            kinds.append("zeros" if not value.any() else "last valid output" if np.array_equal(value, last) else "other")
        table.append(kinds)
    return table


ZEROS_PAST_THE_LENGTH = [["zeros"] * (STEPS - length) for length in LENGTHS]


def _final(state: Any) -> list[np.ndarray]:
    """TF1's final state of one cell as ``[h]`` or ``[h, c]`` (Keras's order)."""
    h, cstate = c.tf1_final(state)
    return [h] if cstate is None else [h, cstate]


def _compare_sequences(outputs: np.ndarray, expected: np.ndarray, *, what: str, call: str, key: str = "max_abs_error") -> None:
    """Outputs agree with TF1's at valid steps and are zeros past each row's length, as TF1's are."""
    __tracebackhide__ = True
    observe_max_abs_error(key, outputs, expected)
    observe(f"{key.replace('max_abs_error', 'past_the_length')}", _past_the_length(outputs))
    assert_close(outputs[VALID], expected[VALID], what=f"{what} at valid steps", call=call)
    assert_equal(_past_the_length(outputs), ZEROS_PAST_THE_LENGTH, what=f"{what} past each row's length {list(LENGTHS)}", call=call)


def _compare_states(states: list[np.ndarray], expected: list[np.ndarray], *, names: list[str], call: str, key: str) -> None:
    __tracebackhide__ = True
    for state, value, name in zip(states, expected, names, strict=True):
        observe_max_abs_error(f"{key}_{name}", state, value)
        assert_close(state, value, what=f"final {name} (TF1: the state at each row's last valid step)", call=call)


def _directions(values: Mapping[str, np.ndarray]) -> tuple[Mapping[str, np.ndarray], Mapping[str, np.ndarray]]:
    """The ``fw`` and ``bw`` cells' ``{short name: value}`` of a TF1 bidirectional model."""
    cells = {cell.direction: cell.variables for cell in convert.find_cells(values)}
    return cells["fw"], cells["bw"]


# ---------------------------------------------------------------- Keras


def _keras_layer(module: ModuleType, kind: str, units: int, **options: Any) -> Any:
    """The Keras layer users write for a TF1 cell: ``LSTM(units)`` or ``GRU(units, reset_after=False)``, returning sequences and states."""
    if kind == "LSTMCell":
        return module.layers.LSTM(units, return_sequences=True, return_state=True, **options)
    return module.layers.GRU(units, reset_after=False, return_sequences=True, return_state=True, **options)


def _run_keras_layer(layer: Any, weights: list[np.ndarray], x: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
    """Build ``layer`` on ``x``, ``set_weights(weights)``, and return what ``layer(x, mask=mask)`` returns, as NumPy."""
    layer(x, mask=mask)
    layer.set_weights(weights)
    return [np.asarray(value) for value in layer(x, mask=mask)]


def _times_mask(outputs: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The recipe for a masked Keras layer's outputs: ``outputs * mask[..., None]`` zeroes the steps past each row's length."""
    return outputs * mask[:, :, None]


def _keras_call(keras: str, kind: str, units: int, options: str = "") -> str:
    layer = f"LSTM({units}" if kind == "LSTMCell" else f"GRU({units}, reset_after=False"
    return f"{keras}.layers.{layer}{options})(x, mask=lengths {list(LENGTHS)})"


@check(cell=CELLS, keras=KERAS_FLAVOURS, recipe=RECIPES)
def check_keras_mask_repeats_the_last_output_past_the_length_where_tf1_gives_zeros(cell, keras: str, recipe: Recipe) -> None:
    """A Keras LSTM / GRU(reset_after=False) layer called with mask= gives TF1 dynamic_rnn's outputs at valid steps and its final state, but repeats each row's last valid output past its length where TF1 gives zeros; multiplying the outputs by the mask, or zero_output_for_mask=True, gives TF1's outputs everywhere."""
    module = keras_flavour(keras)
    kind = c.kind_of(cell)
    x = _inputs()
    tf1 = c.run_tf1(cell, x, sequence_length=LENGTHS)
    weights = TO_KERAS[kind](c.single_cell_variables(tf1.values))
    call = _keras_call(keras, kind, cell.units) + f" with {TO_KERAS[kind].__name__}({cell}) vs dynamic_rnn(sequence_length={list(LENGTHS)})"
    outputs, *states = _run_keras_layer(_keras_layer(module, kind, cell.units), weights, x, VALID)
    observe_max_abs_error("max_abs_error_valid_steps", outputs[VALID], tf1.outputs[VALID])
    assert_close(outputs[VALID], tf1.outputs[VALID], what="outputs at valid steps", call=call)
    _compare_states(states, _final(tf1.state), names=["h", "c"][: len(states)], call=call, key="max_abs_error_final")
    observe("past_the_length", _past_the_length(outputs))
    carried = [["last valid output"] * (STEPS - length) for length in LENGTHS]
    assert_equal(_past_the_length(outputs), carried, what=f"outputs past each row's length {list(LENGTHS)}", call=call)
    observe_max_abs_error("max_abs_difference_past_the_length", outputs[~VALID], tf1.outputs[~VALID])
    assert_not_close(outputs[~VALID], tf1.outputs[~VALID], what="outputs past the length vs TF1's zeros", call=call, margin=1e-3)
    if recipe == OUTPUTS_TIMES_MASK:
        fixed = _times_mask(outputs, VALID)
    else:
        layer = _keras_layer(module, kind, cell.units, zero_output_for_mask=True)
        fixed, *_ = _run_keras_layer(layer, weights, x, VALID)
        call = _keras_call(keras, kind, cell.units, ", zero_output_for_mask=True") + f" with {TO_KERAS[kind].__name__}({cell})"
    _compare_sequences(fixed, tf1.outputs, what=f"outputs with {recipe}", call=call, key="max_abs_error_with_recipe")


@check(cell=CELLS, keras=KERAS_FLAVOURS, merge_mode=MERGE_MODES)
def check_keras_bidirectional_mask_matches_tf1_bidirectional_dynamic_rnn(cell, keras: str, merge_mode: MergeMode) -> None:
    """keras.layers.Bidirectional over an LSTM / GRU(reset_after=False) layer called with mask= gives bidirectional_dynamic_rnn's outputs with sequence_length (the backward direction reversed within each row's length, zeros past it in both; merged by each merge_mode as TF1's fw and bw outputs would be) and both directions' final states."""
    module = keras_flavour(keras)
    kind = c.kind_of(cell)
    x = _inputs()
    tf1 = c.run_tf1(cell, x, driver="bidirectional_dynamic_rnn", sequence_length=LENGTHS)
    fw, bw = _directions(tf1.values)
    layer = module.layers.Bidirectional(_keras_layer(module, kind, cell.units), merge_mode=merge_mode.value)
    call = f"{keras}.layers.Bidirectional({_keras_call(keras, kind, cell.units).split('(x')[0]}, {merge_mode}) with mask, vs bidirectional_dynamic_rnn"
    result = _run_keras_layer(layer, TO_KERAS[kind](fw) + TO_KERAS[kind](bw), x, VALID)
    observe(
        "zero_output_for_mask",
        {"forward": bool(layer.forward_layer.zero_output_for_mask), "backward": bool(layer.backward_layer.zero_output_for_mask)},
    )
    if merge_mode.value in (None, "concat"):
        forward, backward, *states = result if merge_mode.value is None else (*np.split(result[0], 2, axis=-1), *result[1:])
        _compare_sequences(forward, tf1.outputs[0], what="forward outputs", call=call, key="max_abs_error_forward")
        _compare_sequences(backward, tf1.outputs[1], what="backward outputs", call=call, key="max_abs_error_backward")
    else:
        merged, *states = result
        expected = MERGES[merge_mode.value](tf1.outputs[0], tf1.outputs[1])
        _compare_sequences(merged, expected, what=f"{merge_mode.value}-merged outputs", call=call, key="max_abs_error_merged")
    half = len(states) // 2
    names = ["h", "c"][:half]
    _compare_states(states[:half], _final(tf1.state[0]), names=names, call=call, key="max_abs_error_final_forward")
    _compare_states(states[half:], _final(tf1.state[1]), names=names, call=call, key="max_abs_error_final_backward")


# ---------------------------------------------------------------- PyTorch


@check(cell=(LSTM,))
@requires("torch")
def check_torch_packed_sequence_matches_tf1_sequence_length(cell) -> None:
    """A PyTorch nn.LSTM run on pack_padded_sequence(enforce_sorted=False) and unpacked by pad_packed_sequence(total_length=time) gives TF1 dynamic_rnn's outputs with sequence_length, zeros past each length included, and h_n, c_n equal TF1's state at each row's last valid step."""
    x = _inputs()
    tf1 = c.run_tf1(cell, x, sequence_length=LENGTHS)
    state_dict = convert.lstm_to_torch(c.single_cell_variables(tf1.values))
    call = f"torch.nn.LSTM on pack_padded_sequence(lengths={list(LENGTHS)}) with lstm_to_torch({cell}) vs dynamic_rnn(sequence_length=...)"
    outputs, h_n, c_n = c.run_torch("LSTMCell", state_dict, x, units=cell.units, lengths=LENGTHS)
    _compare_sequences(outputs, tf1.outputs, what="outputs", call=call)
    _compare_states([h_n[0], c_n[0]], _final(tf1.state), names=["h", "c"], call=call, key="max_abs_error_final")


@check(cell=(LSTM,))
@requires("torch")
def check_torch_bidirectional_packed_sequence_matches_tf1_bidirectional_dynamic_rnn(cell) -> None:
    """A PyTorch nn.LSTM(bidirectional=True) run on a packed sequence gives bidirectional_dynamic_rnn's outputs with sequence_length (the reverse direction reversed within each row's length, zeros past it) and h_n, c_n equal both directions' TF1 final states."""
    x = _inputs()
    tf1 = c.run_tf1(cell, x, driver="bidirectional_dynamic_rnn", sequence_length=LENGTHS)
    state_dict = convert.variables_to_torch(tf1.values)
    call = f"torch.nn.LSTM(bidirectional=True) on pack_padded_sequence(lengths={list(LENGTHS)}) with variables_to_torch(<{cell} fw/bw>)"
    outputs, h_n, c_n = c.run_torch("LSTMCell", state_dict, x, units=cell.units, bidirectional=True, lengths=LENGTHS)
    forward, backward = np.split(outputs, 2, axis=-1)
    _compare_sequences(forward, tf1.outputs[0], what="forward outputs", call=call, key="max_abs_error_forward")
    _compare_sequences(backward, tf1.outputs[1], what="reverse outputs", call=call, key="max_abs_error_backward")
    _compare_states([h_n[0], c_n[0]], _final(tf1.state[0]), names=["h", "c"], call=call, key="max_abs_error_final_forward")
    _compare_states([h_n[1], c_n[1]], _final(tf1.state[1]), names=["h", "c"], call=call, key="max_abs_error_final_backward")


# ---------------------------------------------------------------- ONNX Runtime


@check(cell=CELLS)
@requires("onnx", "onnxruntime")
def check_onnx_sequence_lens_matches_tf1_sequence_length(cell) -> None:
    """An ONNX LSTM / GRU(linear_before_reset=0) node given sequence_lens gives TF1 dynamic_rnn's outputs with sequence_length in ONNX Runtime, zeros past each length included, and Y_h (and Y_c) equal TF1's state at each row's last valid step."""
    kind = c.kind_of(cell)
    x = _inputs()
    tf1 = c.run_tf1(cell, x, sequence_length=LENGTHS)
    tensors = TO_ONNX[kind](c.single_cell_variables(tf1.values))
    call = f"onnxruntime {c.ONNX_OPS[kind]} node with sequence_lens={list(LENGTHS)} and {TO_ONNX[kind].__name__}({cell})"
    outputs, states = c.run_onnx(kind, [tensors], x, units=cell.units, sequence_lens=LENGTHS, cell_states=True)
    _compare_sequences(outputs, tf1.outputs, what="outputs (Y)", call=call)
    _compare_states([s[0] for s in states], _final(tf1.state), names=["h", "c"][: len(states)], call=call, key="max_abs_error_final")


@check(cell=CELLS)
@requires("onnx", "onnxruntime")
def check_onnx_bidirectional_sequence_lens_matches_tf1_bidirectional_dynamic_rnn(cell) -> None:
    """An ONNX LSTM / GRU(linear_before_reset=0) node with direction="bidirectional" and sequence_lens gives bidirectional_dynamic_rnn's outputs with sequence_length (the reverse direction reversed within each row's length, zeros past it) and Y_h (and Y_c) equal both directions' TF1 final states."""
    kind = c.kind_of(cell)
    x = _inputs()
    tf1 = c.run_tf1(cell, x, driver="bidirectional_dynamic_rnn", sequence_length=LENGTHS)
    fw, bw = _directions(tf1.values)
    tensors = convert.bidirectional(TO_ONNX[kind](fw), TO_ONNX[kind](bw))
    call = f'onnxruntime {c.ONNX_OPS[kind]}(direction="bidirectional") with sequence_lens={list(LENGTHS)} and bidirectional({TO_ONNX[kind].__name__}(fw), ...(bw))'
    outputs, states = c.run_onnx(kind, [tensors], x, units=cell.units, direction="bidirectional", sequence_lens=LENGTHS, cell_states=True)
    forward, backward = np.split(outputs, 2, axis=-1)
    _compare_sequences(forward, tf1.outputs[0], what="forward outputs", call=call, key="max_abs_error_forward")
    _compare_sequences(backward, tf1.outputs[1], what="reverse outputs", call=call, key="max_abs_error_backward")
    names = ["h", "c"][: len(states)]
    _compare_states([s[0] for s in states], _final(tf1.state[0]), names=names, call=call, key="max_abs_error_final_forward")
    _compare_states([s[1] for s in states], _final(tf1.state[1]), names=names, call=call, key="max_abs_error_final_backward")


# ---------------------------------------------------------------- the lengths left out


def _bidirectional_run(target: Target, cell, values: Mapping[str, np.ndarray], x: np.ndarray, lengths: tuple[int, ...] | None) -> tuple:
    """``(forward outputs, backward outputs, forward final h, backward final h)`` of ``target`` given the converted fw/bw weights, told ``lengths`` or not."""
    kind = c.kind_of(cell)
    fw, bw = _directions(values)
    if target.runtime.startswith("keras"):
        module = keras_flavour(target.runtime)
        layer = module.layers.Bidirectional(_keras_layer(module, kind, cell.units), merge_mode=None)
        mask = None if lengths is None else VALID
        forward, backward, *states = _run_keras_layer(layer, TO_KERAS[kind](fw) + TO_KERAS[kind](bw), x, mask)
        return forward, backward, states[0], states[len(states) // 2]
    if target.runtime == "torch":
        outputs, h_n, _ = c.run_torch(kind, convert.variables_to_torch(values), x, units=cell.units, bidirectional=True, lengths=lengths)
        return (*np.split(outputs, 2, axis=-1), h_n[0], h_n[1])
    tensors = convert.bidirectional(TO_ONNX[kind](fw), TO_ONNX[kind](bw))
    outputs, (y_h,) = c.run_onnx(kind, [tensors], x, units=cell.units, direction="bidirectional", sequence_lens=lengths)
    return (*np.split(outputs, 2, axis=-1), y_h[0], y_h[1])


def _skip_unless_installed(target: Target) -> None:
    """``pytest.skip`` with the install command (through :func:`requires`, the one place that words it) when ``target``'s runtime is missing."""
    requires(*target.modules)(lambda: None)()


@check(cell=(LSTM,), target=BIDIRECTIONAL_TARGETS)
def check_bidirectional_target_without_the_lengths_differs_from_tf1_on_short_rows(cell, target: Target) -> None:
    """Not told the lengths, a Keras Bidirectional layer, nn.LSTM(bidirectional=True) or a bidirectional ONNX LSTM runs the backward direction from the padding, so on rows shorter than the batch its backward outputs at valid steps and both final states differ from bidirectional_dynamic_rnn's (the full-length row agrees); told them (mask=, pack_padded_sequence, sequence_lens) it agrees."""
    _skip_unless_installed(target)
    x = _inputs()
    tf1 = c.run_tf1(cell, x, driver="bidirectional_dynamic_rnn", sequence_length=LENGTHS)
    call = f"{target.runtime} bidirectional {cell} with converted weights on the padded batch (lengths {list(LENGTHS)}) not given"
    forward, backward, h_fw, h_bw = _bidirectional_run(target, cell, tf1.values, x, None)
    short = np.array(LENGTHS) < STEPS
    short_valid = VALID & short[:, None]
    observe_max_abs_error("max_abs_error_forward_valid_steps", forward[VALID], tf1.outputs[0][VALID])
    assert_close(forward[VALID], tf1.outputs[0][VALID], what="forward outputs at valid steps", call=call)
    observe_max_abs_error("max_abs_error_full_length_row", backward[~short], tf1.outputs[1][~short])
    assert_close(backward[~short], tf1.outputs[1][~short], what="backward outputs of the full-length row", call=call)
    observe_max_abs_error("max_abs_difference_backward_short_rows", backward[short_valid], tf1.outputs[1][short_valid])
    assert_not_close(backward[short_valid], tf1.outputs[1][short_valid], what="backward outputs of short rows at valid steps", call=call)
    for name, observed, expected in (("forward", h_fw, _final(tf1.state[0])[0]), ("backward", h_bw, _final(tf1.state[1])[0])):
        observe_max_abs_error(f"max_abs_difference_final_h_{name}_short_rows", observed[short], expected[short])
        assert_not_close(observed[short], expected[short], what=f"final {name} h of short rows", call=call)
    observe("past_the_length", {"forward": _past_the_length(forward), "backward": _past_the_length(backward)})
    call = call.replace("not given", f"given by {target.lengths_by}")
    forward, backward, h_fw, h_bw = _bidirectional_run(target, cell, tf1.values, x, LENGTHS)
    _compare_sequences(forward, tf1.outputs[0], what="forward outputs", call=call, key="max_abs_error_forward_with_lengths")
    _compare_sequences(backward, tf1.outputs[1], what="backward outputs", call=call, key="max_abs_error_backward_with_lengths")
    _compare_states(
        [h_fw, h_bw],
        [_final(tf1.state[0])[0], _final(tf1.state[1])[0]],
        names=["h_forward", "h_backward"],
        call=call,
        key="max_abs_error_final_with_lengths",
    )


TARGET_BY_RUNTIME = {target.runtime: target for target in BIDIRECTIONAL_TARGETS}


@check(cell=(LSTM,), target=tuple(TARGET_BY_RUNTIME))
def check_static_bidirectional_rnn_gives_what_targets_give_for_bidirectional_dynamic_rnn(cell, target: str) -> None:
    """static_bidirectional_rnn over the list of steps with sequence_length creates bidirectional_dynamic_rnn's variables and, on the same weights, gives its (fw, bw) outputs and final states, hence what Keras Bidirectional (mask=), nn.LSTM(bidirectional=True) (packed) and a bidirectional ONNX LSTM (sequence_lens) give with the converted weights."""
    target = TARGET_BY_RUNTIME[target]
    _skip_unless_installed(target)
    x = _inputs()
    dynamic = c.run_tf1(cell, x, driver="bidirectional_dynamic_rnn", sequence_length=LENGTHS)
    static = c.run_tf1(cell, x, driver="static_bidirectional_rnn", sequence_length=LENGTHS)
    call = f"static_bidirectional_rnn({cell}, sequence_length={list(LENGTHS)}) vs bidirectional_dynamic_rnn and {target.runtime} told the lengths by {target.lengths_by}"
    assert_equal(sorted(static.values), sorted(dynamic.values), what="variable names", call=call)
    for direction, got, want in zip(("forward", "backward"), static.outputs, dynamic.outputs, strict=True):
        observe_max_abs_error(f"max_abs_difference_{direction}", got, want)
        assert_close(got, want, what=f"{direction} outputs vs bidirectional_dynamic_rnn's", call=call)
    for direction, got, want in zip(("forward", "backward"), static.state, dynamic.state, strict=True):
        _compare_states(_final(got), _final(want), names=["h", "c"], call=call, key=f"max_abs_difference_final_{direction}")
    forward, backward, h_fw, h_bw = _bidirectional_run(target, cell, static.values, x, LENGTHS)
    _compare_sequences(forward, static.outputs[0], what=f"{target.runtime} forward outputs", call=call, key="max_abs_error_forward")
    _compare_sequences(backward, static.outputs[1], what=f"{target.runtime} backward outputs", call=call, key="max_abs_error_backward")
    _compare_states([h_fw], _final(static.state[0])[:1], names=["h"], call=call, key="max_abs_error_final_forward")
    _compare_states([h_bw], _final(static.state[1])[:1], names=["h"], call=call, key="max_abs_error_final_backward")

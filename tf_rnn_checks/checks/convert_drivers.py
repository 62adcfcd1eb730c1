"""TF1 MultiRNNCell stacks, initial_state, time_major and static_rnn against Keras, PyTorch and ONNX, with converted weights.

The padded batch and its lengths are :mod:`~tf_rnn_checks.checks.convert_sequences`'s (``LENGTHS`` = 5, 1, 3 over 5
steps); every TF1 run is shared between the checks of a process (:func:`tf1_run`), and so is every target's run on the
converted weights (the variables of ``dynamic_rnn``, its ``time_major`` form and ``static_rnn`` are the same, so one
target run serves all three). The parallel_iterations / swap_memory loop options are pinned (TF1 against TF1) by
:func:`tf_rnn_checks.checks.argument_effects.check_loop_options_do_not_change_values` and not again here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks import convert, sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, observe_max_abs_error
from tf_rnn_checks.cells import CellSpec, gru, lstm, multi
from tf_rnn_checks.checks import _convert as c
from tf_rnn_checks.checks import convert_sequences as s
from tf_rnn_checks.modes import run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import KERAS_FLAVOURS, keras_flavour, requires
from tf_rnn_checks.shared_runs import shared
from tf_rnn_checks.tf_import import tf, v1

UNITS = 3
LSTM_STACK = multi(lstm(UNITS), lstm(UNITS))
GRU_STACK = multi(
    gru(UNITS), gru(UNITS)
)  # only for targets that hold TF1's GRU exactly (Keras reset_after=False, ONNX linear_before_reset=0)
STACKS = (LSTM_STACK, GRU_STACK)


# ---------------------------------------------------------------- the TF1 side, shared


def initial_state(spec: CellSpec) -> tuple[tuple[np.ndarray, ...], ...]:
    """A seeded, non-zero initial state per layer, each ``(h, c)`` for an LSTM or ``(h,)`` (Keras's order), uniform(-1, 1) from ``sizes.STATE_SEED``."""
    layers = spec.layers or (spec,)
    batch = len(s.LENGTHS)
    return tuple(
        tuple(
            sizes.seeded_array(sizes.STATE_SEED, 2 * k + part, (batch, layer.units), np.float32)
            for part in range(2 if layer.is_lstm else 1)
        )
        for k, layer in enumerate(layers)
    )


def _tf1_state(spec: CellSpec, state: tuple[tuple[np.ndarray, ...], ...]) -> Any:
    """``state`` in TF1's structure: ``LSTMStateTuple(c, h)`` per LSTM layer (c first), a tuple of layers for a MultiRNNCell."""
    parts = [
        v1.nn.rnn_cell.LSTMStateTuple(tf.constant(layer[1]), tf.constant(layer[0])) if len(layer) == 2 else tf.constant(layer[0])
        for layer in state
    ]
    return tuple(parts) if spec.kind == "MultiRNNCell" else parts[0]


DROPOUT_SEED = 5  # the DropoutWrapper's op seed (the graph's seed is modes.run's, 0)


@shared
def tf1_run(
    spec: CellSpec,
    driver: str = "dynamic_rnn",
    *,
    lengths: tuple[int, ...] | None = s.LENGTHS,
    with_initial_state: bool = False,
    time_major: bool = False,
    dropout: tuple[tuple[str, Any], ...] = (),
) -> c.TF1Run:
    """``driver`` (``dynamic_rnn`` or ``static_rnn`` on the list of steps) over the padded batch in graph mode (:func:`modes.run`), variables seeded like :func:`_convert.run_tf1`.

    ``time_major=True`` feeds ``x.transpose(1, 0, 2)`` and returns dynamic_rnn's outputs as it gives them, ``[time, batch, units]``;
    ``dropout`` (``(keyword, value)`` pairs) wraps the cell in a ``DropoutWrapper(seed=DROPOUT_SEED)``.
    """
    x = s._inputs()

    def make() -> Any:
        cell = spec.make()
        if dropout:
            cell = v1.nn.rnn_cell.DropoutWrapper(cell, seed=DROPOUT_SEED, dtype=tf.float32, input_size=x.shape[-1], **dict(dropout))
        return cell

    def call(cell: Any) -> tuple[Any, Any]:
        initial = _tf1_state(spec, initial_state(spec)) if with_initial_state else None
        sequence_length = None if lengths is None else tf.constant(np.asarray(lengths, np.int32))
        options = dict(sequence_length=sequence_length, initial_state=initial, dtype=tf.float32)
        if driver == "static_rnn":
            steps, state = v1.nn.static_rnn(cell, tf.unstack(tf.constant(x), axis=1), **options)
            return tf.stack(steps, axis=1), state
        feed = tf.constant(np.ascontiguousarray(x.transpose(1, 0, 2)) if time_major else x)
        return v1.nn.dynamic_rnn(cell, feed, time_major=time_major, **options)

    result = run("graph", make, call, randomize=sizes.seeded_values(sizes.VARIABLE_SEED))
    return c.TF1Run(result.outputs[0], result.outputs[1], result.values())


def layer_states(spec: CellSpec, state: Any) -> list[list[np.ndarray]]:
    """TF1's final state per layer as ``[h]`` or ``[h, c]`` (Keras's order)."""
    return [s._final(layer) for layer in (state if spec.kind == "MultiRNNCell" else (state,))]


def layer_variables(values: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
    """``{short name: value}`` of each layer, bottom first."""
    return [cell.variables for cell in convert.find_cells(values)]


def _kind(spec: CellSpec) -> str:
    return c.kind_of(spec.layers[0] if spec.kind == "MultiRNNCell" else spec)


def _depth(spec: CellSpec) -> int:
    return len(spec.layers) or 1


def _compare_layer_states(observed: list[list[np.ndarray]], expected: list[list[np.ndarray]], *, call: str, key: str) -> None:
    __tracebackhide__ = True
    for k, (got, want) in enumerate(zip(observed, expected, strict=True)):
        assert_equal(len(got), len(want), what=f"number of final state parts of layer {k}", call=call)
        for name, state, value in zip(["h", "c"][: len(want)], got, want, strict=True):
            observe_max_abs_error(f"{key}_layer{k}_{name}", state, value)
            assert_close(state, value, what=f"final {name} of layer {k} (TF1: the state at each row's last valid step)", call=call)


# ---------------------------------------------------------------- the targets


def keras_stack(
    module: Any,
    kind: str,
    units: int,
    weights: list[list[np.ndarray]],
    x: np.ndarray,
    mask: np.ndarray | None,
    *,
    initial: tuple[tuple[np.ndarray, ...], ...] | None = None,
    zero_output_for_mask: bool = False,
) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """Keras LSTM / GRU(reset_after=False) layers stacked by hand (each called on the one below's sequences, with ``mask`` and its ``initial`` state): the top's outputs and each layer's final states.

    ``zero_output_for_mask`` is given to every layer.
    """
    outputs, states = x, []
    for k, layer_weights in enumerate(weights):
        layer = s._keras_layer(module, kind, units, zero_output_for_mask=zero_output_for_mask)
        layer.build(outputs.shape)
        layer.set_weights(layer_weights)
        arguments: dict[str, Any] = {"mask": mask}
        if initial is not None:
            arguments["initial_state"] = [tf.constant(part) for part in initial[k]]  # tf_keras takes tensors only
        outputs, *state = (np.asarray(value) for value in layer(outputs, **arguments))
        states.append(state)
    return outputs, states


def keras_stacked_cells(
    module: Any,
    kind: str,
    units: int,
    weights: list[list[np.ndarray]],
    x: np.ndarray,
    mask: np.ndarray,
    *,
    zero_output_for_mask: bool = False,
) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """``keras.layers.RNN([cell, cell])`` (a StackedRNNCells) of Keras LSTMCell / GRUCell(reset_after=False) with ``mask``: outputs and each cell's final states."""
    cells = [c.keras_cell(module, kind, units) for _ in weights]
    layer = module.layers.RNN(cells, return_sequences=True, return_state=True, zero_output_for_mask=zero_output_for_mask)
    layer.build(x.shape)
    for cell, cell_weights in zip(cells, weights, strict=True):
        cell.set_weights(cell_weights)
    outputs, *states = layer(x, mask=mask)
    flat = [np.asarray(state) for state in tf.nest.flatten(states)]
    parts = len(flat) // len(cells)
    return np.asarray(outputs), [flat[k * parts : (k + 1) * parts] for k in range(len(cells))]


def run_torch(
    state_dict: dict[str, np.ndarray], x: np.ndarray, *, units: int, num_layers: int, lengths: tuple[int, ...], initial: Any = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(outputs, h_n, c_n)`` of ``nn.LSTM(num_layers=...)`` on ``pack_padded_sequence(x, lengths, enforce_sorted=False)``, started from ``(h0, c0)`` when ``initial`` is given (layers' ``(h, c)``)."""
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    torch.set_num_threads(1)
    module = torch.nn.LSTM(input_size=x.shape[-1], hidden_size=units, num_layers=num_layers, batch_first=True)
    module.load_state_dict({name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in state_dict.items()}, strict=True)
    packed = pack_padded_sequence(torch.from_numpy(x), torch.as_tensor(lengths), batch_first=True, enforce_sorted=False)
    hx = None if initial is None else tuple(torch.from_numpy(np.stack([layer[part] for layer in initial])) for part in (0, 1))
    with torch.no_grad():
        outputs, (h_n, c_n) = module(packed, hx)
        outputs, _ = pad_packed_sequence(outputs, batch_first=True, total_length=x.shape[1])
    return outputs.numpy(), h_n.numpy(), c_n.numpy()


def run_onnx_from(
    kind: str, tensors: dict[str, np.ndarray], x: np.ndarray, *, units: int, sequence_lens: tuple[int, ...], initial: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """One ONNX ``LSTM`` / ``GRU`` node given ``sequence_lens`` and ``initial_h`` (and ``initial_c``) = ``initial``'s ``(h[, c])``: outputs ``[batch, time, units]`` and ``[Y_h[, Y_c]]``."""
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    op = c.ONNX_OPS[kind]
    batch, steps, features = x.shape
    feeds = {"sequence_lens": np.asarray(sequence_lens, np.int32), "initial_h": initial[0][None]}
    if op == "LSTM":
        feeds["initial_c"] = initial[1][None]
    initializers = [numpy_helper.from_array(np.asarray(value), name) for name, value in {**tensors, **feeds}.items()]
    outputs = ["Y", "Y_h"] + (["Y_c"] if op == "LSTM" else [])
    node_inputs = ["X", "W", "R", "B", "sequence_lens", "initial_h"] + (["initial_c"] if op == "LSTM" else [])
    graph = helper.make_graph(
        [helper.make_node(op, node_inputs, outputs, hidden_size=units)],
        "tf1_cell_from_a_state",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [steps, batch, features])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [steps, 1, batch, units])]
        + [helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, batch, units]) for name in outputs[1:]],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", c.ONNX_OPSET)])
    model.ir_version = c.ONNX_IR_VERSION
    onnx.checker.check_model(model)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    y, *states = session.run(None, {"X": np.ascontiguousarray(x.transpose(1, 0, 2))})
    return y.transpose(2, 0, 1, 3).reshape(batch, steps, units), [state[0] for state in states]


TARGETS = ("keras2", "keras3", "torch", "onnx")
NEEDS = {"torch": ("torch",), "onnx": ("onnx", "onnxruntime")}
HOW = {
    "keras2": "tf_keras layers with mask= and zero_output_for_mask=True",
    "keras3": "keras 3 layers with mask= and zero_output_for_mask=True",
    "torch": "torch.nn.LSTM on pack_padded_sequence",
    "onnx": "chained ONNX nodes with sequence_lens",
}


def skip_unless_installed(target: str) -> None:
    """``pytest.skip`` with the install command when ``target``'s runtime is missing (through :func:`requires`)."""
    requires(*NEEDS.get(target, ()))(lambda: None)()


@shared
def target_run(target: str, spec: CellSpec, with_initial_state: bool = False) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """``target`` given ``spec``'s converted TF1 weights, run batch-major on the padded batch told its lengths (from :func:`initial_state` when asked): outputs and each layer's ``[h(, c)]``."""
    kind, depth, x = _kind(spec), _depth(spec), s._inputs()
    values = tf1_run(spec).values
    initial = initial_state(spec) if with_initial_state else None
    if target.startswith("keras"):
        weights = [s.TO_KERAS[kind](layer) for layer in layer_variables(values)]
        return keras_stack(keras_flavour(target), kind, UNITS, weights, x, s.VALID, initial=initial, zero_output_for_mask=True)
    if target == "torch":
        outputs, h_n, c_n = run_torch(
            convert.variables_to_torch(values), x, units=UNITS, num_layers=depth, lengths=s.LENGTHS, initial=initial
        )
        return outputs, [[h_n[k], c_n[k]] for k in range(depth)]
    tensors = [s.TO_ONNX[kind](layer) for layer in layer_variables(values)]
    if initial is not None:
        outputs, states = run_onnx_from(kind, tensors[0], x, units=UNITS, sequence_lens=s.LENGTHS, initial=initial[0])
        return outputs, [states]
    outputs, states = c.run_onnx(kind, tensors, x, units=UNITS, sequence_lens=s.LENGTHS, cell_states=True)
    per_layer = [[states[k][0]] + ([states[depth + k][0]] if kind == "LSTMCell" else []) for k in range(depth)]
    return outputs, per_layer


# ---------------------------------------------------------------- MultiRNNCell stacks


@dataclass(frozen=True)
class Stacking:
    """How Keras code stacks two recurrent layers; ``str`` is its test id."""

    name: str

    def __str__(self) -> str:
        return self.name


LAYERS = Stacking("stacked layers")
STACKED_CELLS = Stacking("RNN(StackedRNNCells)")


def _keras_stacked(stacking: Stacking, *args: Any, **kwargs: Any) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    return (keras_stack if stacking == LAYERS else keras_stacked_cells)(*args, **kwargs)


@check(cell=STACKS, keras=KERAS_FLAVOURS, stacking=(LAYERS, STACKED_CELLS))
def check_keras_stacked_layers_with_mask_match_tf1_multirnncell_except_past_the_length(
    cell: CellSpec, keras: str, stacking: Stacking
) -> None:
    """Two Keras LSTM / GRU(reset_after=False) layers stacked (each called on the one below's sequences, or as keras.layers.RNN over StackedRNNCells) and called with mask= give a two-layer TF1 MultiRNNCell's dynamic_rnn outputs with sequence_length at valid steps and each layer's final state, but repeat each row's last valid output past its length where TF1 gives zeros; built with zero_output_for_mask=True they give TF1's outputs everywhere."""
    module = keras_flavour(keras)
    kind, x = _kind(cell), s._inputs()
    tf1 = tf1_run(cell)
    weights = [s.TO_KERAS[kind](layer) for layer in layer_variables(tf1.values)]
    if stacking == LAYERS:
        built = f"{s._keras_call(keras, kind, UNITS)} stacked twice"
    else:
        built = (
            f"{keras}.layers.RNN([{c.keras_cell(module, kind, UNITS).__class__.__name__}({UNITS})] * 2)(x, mask=lengths {list(s.LENGTHS)})"
        )
    call = f"{built} with {s.TO_KERAS[kind].__name__} per layer vs dynamic_rnn({cell}, sequence_length={list(s.LENGTHS)})"
    outputs, states = _keras_stacked(stacking, module, kind, UNITS, weights, x, s.VALID)
    observe_max_abs_error("max_abs_error_valid_steps", outputs[s.VALID], tf1.outputs[s.VALID])
    assert_close(outputs[s.VALID], tf1.outputs[s.VALID], what="top layer outputs at valid steps", call=call)
    _compare_layer_states(states, layer_states(cell, tf1.state), call=call, key="max_abs_error_final")
    observe("past_the_length", s._past_the_length(outputs))
    carried = [["last valid output"] * (s.STEPS - length) for length in s.LENGTHS]
    assert_equal(s._past_the_length(outputs), carried, what=f"top layer outputs past each row's length {list(s.LENGTHS)}", call=call)
    observe_max_abs_error("max_abs_difference_past_the_length", outputs[~s.VALID], tf1.outputs[~s.VALID])
    assert_not_close(outputs[~s.VALID], tf1.outputs[~s.VALID], what="outputs past the length vs TF1's zeros", call=call)
    if stacking == LAYERS:
        fixed, fixed_states = target_run(keras, cell)
    else:
        fixed, fixed_states = keras_stacked_cells(module, kind, UNITS, weights, x, s.VALID, zero_output_for_mask=True)
    call = f"{built} with zero_output_for_mask=True, {s.TO_KERAS[kind].__name__} per layer, vs dynamic_rnn({cell}, sequence_length=...)"
    s._compare_sequences(fixed, tf1.outputs, what="outputs with zero_output_for_mask=True", call=call, key="max_abs_error_with_recipe")
    _compare_layer_states(fixed_states, layer_states(cell, tf1.state), call=call, key="max_abs_error_final_with_recipe")


@check(cell=(LSTM_STACK,))
@requires("torch")
def check_torch_num_layers_packed_sequence_matches_tf1_multirnncell(cell: CellSpec) -> None:
    """A PyTorch nn.LSTM(num_layers=2) loaded with variables_to_torch of a two-layer TF1 MultiRNNCell and run on pack_padded_sequence gives its dynamic_rnn outputs with sequence_length (zeros past each length included), and h_n[k], c_n[k] equal layer k's TF1 final state."""
    tf1 = tf1_run(cell)
    outputs, states = target_run("torch", cell)
    call = f"torch.nn.LSTM(num_layers=2) on pack_padded_sequence(lengths={list(s.LENGTHS)}) with variables_to_torch(<{cell}>)"
    s._compare_sequences(outputs, tf1.outputs, what="outputs", call=call)
    _compare_layer_states(states, layer_states(cell, tf1.state), call=call, key="max_abs_error_final")


@check(cell=STACKS)
@requires("onnx", "onnxruntime")
def check_onnx_chained_nodes_with_sequence_lens_match_tf1_multirnncell(cell: CellSpec) -> None:
    """Two ONNX LSTM / GRU(linear_before_reset=0) nodes chained (the first's Y squeezed into the second's X), both given sequence_lens, give a two-layer TF1 MultiRNNCell's dynamic_rnn outputs with sequence_length in ONNX Runtime (zeros past each length included), and each node's Y_h (and Y_c) equal its layer's TF1 final state."""
    tf1 = tf1_run(cell)
    outputs, states = target_run("onnx", cell)
    kind = _kind(cell)
    call = f"onnxruntime {c.ONNX_OPS[kind]} -> Squeeze -> {c.ONNX_OPS[kind]} with sequence_lens={list(s.LENGTHS)} and {s.TO_ONNX[kind].__name__} per layer of <{cell}>"
    s._compare_sequences(outputs, tf1.outputs, what="outputs (Y of the second node)", call=call)
    _compare_layer_states(states, layer_states(cell, tf1.state), call=call, key="max_abs_error_final")


# ---------------------------------------------------------------- initial_state

SINGLE = (lstm(UNITS), gru(UNITS))


def keras_initial_state(tf1_state: Any) -> list[np.ndarray]:
    """The recipe for a Keras ``initial_state=``: ``[h, c]`` from TF1's ``LSTMStateTuple(c, h)`` (``[h]`` from a GRU's state)."""
    return [tf1_state.h, tf1_state.c] if hasattr(tf1_state, "h") else [tf1_state]


def tf1_initial_state(spec: CellSpec) -> Any:
    """:func:`initial_state` of a single cell as TF1 holds it: ``LSTMStateTuple(c, h)`` of NumPy arrays, or the GRU's ``h``."""
    (layer,) = initial_state(spec)
    return v1.nn.rnn_cell.LSTMStateTuple(layer[1], layer[0]) if len(layer) == 2 else layer[0]


@check(cell=SINGLE, keras=KERAS_FLAVOURS)
def check_keras_initial_state_is_h_c_where_tf1_state_tuple_is_c_h(cell: CellSpec, keras: str) -> None:
    """A Keras LSTM / GRU(reset_after=False) layer called with initial_state=[h, c] (masked, zero_output_for_mask=True) gives TF1 dynamic_rnn's outputs and final state from the same non-zero initial_state with sequence_length; TF1's LSTMStateTuple is (c, h), so passing it to Keras as it stands swaps c and h and differs."""
    module = keras_flavour(keras)
    kind, x = _kind(cell), s._inputs()
    tf1 = tf1_run(cell, with_initial_state=True)
    weights = [s.TO_KERAS[kind](c.single_cell_variables(tf1.values))]
    state = tf1_initial_state(cell)
    call = f"{s._keras_call(keras, kind, UNITS, ', zero_output_for_mask=True')[:-1]}, initial_state=[h, c]) vs dynamic_rnn({cell}, initial_state=LSTMStateTuple(c, h), sequence_length=...)"
    outputs, states = keras_stack(
        module, kind, UNITS, weights, x, s.VALID, initial=(tuple(keras_initial_state(state)),), zero_output_for_mask=True
    )
    observe(
        "initial_state_order",
        {"tf1": list(type(state)._fields) if hasattr(state, "_fields") else ["h"], "keras": ["h", "c"][: len(states[0])]},
    )
    s._compare_sequences(outputs, tf1.outputs, what="outputs", call=call)
    _compare_layer_states(states, layer_states(cell, tf1.state), call=call, key="max_abs_error_final")
    if kind == "LSTMCell":
        swapped, _ = keras_stack(module, kind, UNITS, weights, x, s.VALID, initial=(tuple(state),), zero_output_for_mask=True)
        observe_max_abs_error("max_abs_difference_with_tf1_tuple_as_is", swapped[s.VALID], tf1.outputs[s.VALID])
        assert_not_close(swapped[s.VALID], tf1.outputs[s.VALID], what="outputs with initial_state=list(LSTMStateTuple(c, h))", call=call)


@check(cell=(lstm(UNITS),))
@requires("torch")
def check_torch_h0_c0_matches_tf1_initial_state(cell: CellSpec) -> None:
    """A PyTorch nn.LSTM called on a packed sequence with (h0, c0) (each [layers, batch, units]) gives TF1 dynamic_rnn's outputs and final state from the same non-zero initial_state LSTMStateTuple(c, h) with sequence_length."""
    tf1 = tf1_run(cell, with_initial_state=True)
    outputs, states = target_run("torch", cell, with_initial_state=True)
    call = f"torch.nn.LSTM(packed, (h0, c0)) with lstm_to_torch({cell}) vs dynamic_rnn(initial_state=LSTMStateTuple(c, h), sequence_length={list(s.LENGTHS)})"
    s._compare_sequences(outputs, tf1.outputs, what="outputs", call=call)
    _compare_layer_states(states, layer_states(cell, tf1.state), call=call, key="max_abs_error_final")


@check(cell=SINGLE)
@requires("onnx", "onnxruntime")
def check_onnx_initial_h_c_matches_tf1_initial_state(cell: CellSpec) -> None:
    """An ONNX LSTM / GRU(linear_before_reset=0) node given initial_h (and initial_c), each [1, batch, units], and sequence_lens gives TF1 dynamic_rnn's outputs and final state from the same non-zero initial_state with sequence_length in ONNX Runtime."""
    tf1 = tf1_run(cell, with_initial_state=True)
    outputs, states = target_run("onnx", cell, with_initial_state=True)
    kind = _kind(cell)
    call = f"onnxruntime {c.ONNX_OPS[kind]} with initial_h/initial_c and sequence_lens={list(s.LENGTHS)} vs dynamic_rnn({cell}, initial_state=...)"
    s._compare_sequences(outputs, tf1.outputs, what="outputs (Y)", call=call)
    _compare_layer_states(states, layer_states(cell, tf1.state), call=call, key="max_abs_error_final")


# ---------------------------------------------------------------- time_major and static_rnn


@dataclass(frozen=True)
class Driver:
    """A TF1 way of feeding the padded batch other than batch-major dynamic_rnn; ``str`` is its test id."""

    name: str
    time_major: bool = False

    def __str__(self) -> str:
        return f"{self.name}(time_major=True)" if self.time_major else f"{self.name}(list of steps)"


TIME_MAJOR = Driver("dynamic_rnn", time_major=True)
STATIC = Driver("static_rnn")


@check(driver=(TIME_MAJOR, STATIC), target=TARGETS)
def check_time_major_and_static_rnn_give_what_targets_give_batch_major(driver: Driver, target: str) -> None:
    """dynamic_rnn(time_major=True) fed x.transpose(1, 0, 2), its outputs transposed back, and static_rnn over the list of steps with sequence_length, stacked, give exactly batch-major dynamic_rnn's outputs and final state from the same variables, hence what Keras (mask=, zero_output_for_mask=True), torch.nn.LSTM (packed) and an ONNX LSTM (sequence_lens) give on the batch-major x with the converted weights."""
    skip_unless_installed(target)
    cell = lstm(UNITS)
    batch_major = tf1_run(cell)
    tf1 = tf1_run(cell, driver.name, time_major=driver.time_major)
    outputs = tf1.outputs.transpose(1, 0, 2) if driver.time_major else tf1.outputs
    call = f"{driver}({cell}, sequence_length={list(s.LENGTHS)}) vs dynamic_rnn batch-major and {HOW[target]}"
    assert_equal(sorted(tf1.values), sorted(batch_major.values), what="variable names", call=call)
    observe("outputs_shape_as_returned", list(tf1.outputs.shape))
    observe("equal_to_batch_major_dynamic_rnn", bool(np.array_equal(outputs, batch_major.outputs)))
    assert_equal(outputs, batch_major.outputs, what="outputs (transposed back) vs batch-major dynamic_rnn's", call=call)
    assert_equal(
        layer_states(cell, tf1.state), layer_states(cell, batch_major.state), what="final state vs batch-major dynamic_rnn's", call=call
    )
    expected, states = target_run(target, cell)
    s._compare_sequences(outputs, expected, what=f"TF1 outputs vs {target}'s", call=call)
    _compare_layer_states(layer_states(cell, tf1.state), states, call=call, key="max_abs_error_final")

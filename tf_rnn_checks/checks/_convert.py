"""Shared parts of the conversion checks: the TF1 side (graph, seeded variables, optional Saver checkpoint)
and one small runner per target runtime (Keras 2/3, PyTorch, ONNX Runtime), all returning NumPy.

Sizes: float32 inputs ``[BATCH, STEPS, INPUT_SIZE]``; ``STEPS`` is 12 so a layout error compounds
through the recurrence instead of hiding in one step.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.cells import CellSpec
from tf_rnn_checks.drivers import drive, make_cells
from tf_rnn_checks.modes import run
from tf_rnn_checks.sizes import seeded_values
from tf_rnn_checks.tf_import import tf

INPUT_SIZE = sizes.INPUT_SIZE
BATCH = sizes.NUMERIC_BATCH
STEPS = sizes.CONVERT_STEPS


def inputs(seed: int = sizes.INPUT_SEED) -> np.ndarray:
    return sizes.inputs(batch=BATCH, time=STEPS, seed=seed)


def diagonal_candidate(path: str, value: np.ndarray) -> np.ndarray:
    """A ``transform`` for :func:`run_tf1`: zero the off-diagonal recurrent entries of every GRU ``candidate/kernel``."""
    if not path.endswith("candidate/kernel"):
        return value
    units = value.shape[1]
    value = value.copy()
    value[-units:] = np.diag(np.diag(value[-units:]))
    return value


@dataclass(frozen=True)
class TF1Run:
    """What the TF1 model computed: outputs ``[batch, time, units]`` (a ``(fw, bw)`` pair for bidirectional drivers), the final state, and ``{path: value}``."""

    outputs: Any
    state: Any
    values: dict[str, np.ndarray]


def run_tf1(
    spec: CellSpec,
    x: np.ndarray,
    *,
    driver: str = "dynamic_rnn",
    seed: int = sizes.VARIABLE_SEED,
    transform: Callable[[str, np.ndarray], np.ndarray] | None = None,
    values: Mapping[str, np.ndarray] | None = None,
    checkpoint: str | None = None,
    extra: Callable[[], Any] | None = None,
    sequence_length: Sequence[int] | None = None,
) -> TF1Run:
    """Run ``spec`` under ``driver`` in graph mode with seeded uniform(-1, 1) variables (or exactly ``values``), optionally saving a Saver checkpoint at prefix ``checkpoint``.

    ``sequence_length`` (one length per row) is passed to the driver; ``extra()`` adds more graph content, e.g. a
    non-RNN variable the checkpoint converters must ignore.
    """
    lengths = None if sequence_length is None else np.asarray(sequence_length, np.int32)

    def call(cells: tuple[Any, ...]) -> Any:
        result = drive(driver, cells, x, sequence_length=lengths)
        if extra is not None:
            extra()
        return result

    result = run(
        "graph",
        lambda: make_cells(driver, spec),
        call,
        randomize=None if values is not None else seeded_values(seed),
        values=values,
        transform=transform,
        save_to=checkpoint,
    )
    chosen = result.values()
    if values is not None and set(chosen) - set(values):
        raise KeyError(f"values: no value for {sorted(set(chosen) - set(values))}")
    return TF1Run(result.outputs[0], result.outputs[1], chosen)


def single_cell_variables(values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``{short name: value}`` of the one cell in ``values``."""
    from tf_rnn_checks.references.variables import group_by_cell

    groups = group_by_cell(values)
    if len(groups) != 1:
        raise ValueError(f"values: expected one cell, got scopes {[scope for scope, _ in groups]}")
    return groups[0][1]


def kind_of(spec: CellSpec) -> str:
    """The converter kind of a single-cell spec: ``LSTMCell`` (also BasicLSTMCell), ``GRUCell`` or ``BasicRNNCell``."""
    return "LSTMCell" if spec.is_lstm else spec.kind


def tf1_final(state: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """``(h, c)`` of a single cell's final TF1 state (``c`` is None for GRU/RNN)."""
    if hasattr(state, "h"):
        return np.asarray(state.h), np.asarray(state.c)
    return np.asarray(state), None


# ---------------------------------------------------------------- Keras (2 or 3)


def keras_cell(keras: ModuleType, kind: str, units: int, *, reset_after: bool = False) -> Any:
    if kind == "LSTMCell":
        return keras.layers.LSTMCell(units)
    if kind == "GRUCell":
        return keras.layers.GRUCell(units, reset_after=reset_after)
    return keras.layers.SimpleRNNCell(units)


def run_keras(
    keras: ModuleType, cells: Sequence[Any], weights: Sequence[Sequence[np.ndarray] | None], x: np.ndarray, *, go_backwards: bool = False
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Run Keras ``cells`` (a stack when several) over ``x`` after ``set_weights``; return outputs in input time order and the flat final states.

    ``weights[k] is None`` keeps cell ``k``'s initialised weights.
    """
    layer = keras.layers.RNN(
        list(cells) if len(cells) > 1 else cells[0], return_sequences=True, return_state=True, go_backwards=go_backwards
    )
    layer(x)  # builds the cells
    for cell, cell_weights in zip(cells, weights, strict=True):
        if cell_weights is not None:
            cell.set_weights(list(cell_weights))
    outputs, *states = layer(x)
    outputs = np.asarray(outputs)
    if go_backwards:
        outputs = outputs[:, ::-1]
    return outputs, [np.asarray(s) for s in tf.nest.flatten(states)]


# ---------------------------------------------------------------- PyTorch


def run_torch(
    kind: str,
    state_dict: Mapping[str, np.ndarray],
    x: np.ndarray,
    *,
    units: int,
    num_layers: int = 1,
    bidirectional: bool = False,
    proj_size: int = 0,
    lengths: Sequence[int] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``(outputs [batch, time, dirs*out], h_n [dirs*layers, batch, out], c_n or None)`` of a PyTorch module loaded with ``state_dict`` (strict).

    With ``lengths``, ``x`` goes in through ``pack_padded_sequence(enforce_sorted=False)`` and the outputs come back through
    ``pad_packed_sequence(total_length=time)`` (``h_n``/``c_n`` are in the rows' original order).
    """
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    torch.set_num_threads(1)
    options: dict[str, Any] = dict(
        input_size=x.shape[-1], hidden_size=units, num_layers=num_layers, batch_first=True, bidirectional=bidirectional
    )
    if kind == "LSTMCell":
        module = torch.nn.LSTM(**options, proj_size=proj_size)
    elif kind == "GRUCell":
        module = torch.nn.GRU(**options)
    else:
        module = torch.nn.RNN(**options, nonlinearity="tanh")
    module.load_state_dict({name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in state_dict.items()}, strict=True)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "LSTM with projections is not supported with oneDNN", UserWarning)
        if lengths is None:
            outputs, state = module(torch.from_numpy(x))
        else:
            packed = pack_padded_sequence(torch.from_numpy(x), torch.as_tensor(lengths), batch_first=True, enforce_sorted=False)
            outputs, state = module(packed)
            outputs, _ = pad_packed_sequence(outputs, batch_first=True, total_length=x.shape[1])
    if kind == "LSTMCell":
        return outputs.numpy(), state[0].numpy(), state[1].numpy()
    return outputs.numpy(), state.numpy(), None


# ---------------------------------------------------------------- ONNX Runtime

ONNX_OPS = {"LSTMCell": "LSTM", "GRUCell": "GRU", "BasicRNNCell": "RNN"}
ONNX_OPSET = 17
ONNX_IR_VERSION = 8


def run_onnx(
    kind: str,
    layers: Sequence[Mapping[str, np.ndarray]],
    x: np.ndarray,
    *,
    units: int,
    direction: str = "forward",
    sequence_lens: Sequence[int] | None = None,
    cell_states: bool = False,
    **attributes: Any,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Run one ONNX ``LSTM``/``GRU``/``RNN`` node per layer (chained) in ONNX Runtime; return outputs ``[batch, time, dirs*units]`` and each layer's ``Y_h``.

    ``sequence_lens`` (one length per row) is every node's ``sequence_lens`` input; ``cell_states=True`` (LSTM) appends each layer's ``Y_c`` after the ``Y_h``s.
    """
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    op = ONNX_OPS[kind]
    batch, steps, _ = x.shape
    dirs = 2 if direction == "bidirectional" else 1
    nodes, initializers, graph_outputs = [], [], []
    current = "X"
    if sequence_lens is not None:
        initializers.append(numpy_helper.from_array(np.asarray(sequence_lens, np.int32), "sequence_lens"))
    cell_outputs = []
    for k, tensors in enumerate(layers):
        names = {name: f"{name}{k}" for name in tensors}
        initializers += [numpy_helper.from_array(np.asarray(value), names[name]) for name, value in tensors.items()]
        node_inputs = [current, names["W"], names["R"], names["B"]]
        if sequence_lens is not None:
            node_inputs.append("sequence_lens")
        if "P" in tensors:
            node_inputs += [""] * (7 - len(node_inputs)) + [names["P"]]  # P is input 7, after sequence_lens, initial_h, initial_c
        node_outputs = [f"Y{k}", f"Y_h{k}"] + ([f"Y_c{k}"] if op == "LSTM" else [])
        nodes.append(helper.make_node(op, node_inputs, node_outputs, hidden_size=units, direction=direction, **attributes))
        graph_outputs.append(f"Y_h{k}")
        if cell_states and op == "LSTM":
            cell_outputs.append(f"Y_c{k}")
        if k + 1 < len(layers):
            axes = f"axes{k}"
            initializers.append(numpy_helper.from_array(np.array([1], np.int64), axes))
            nodes.append(helper.make_node("Squeeze", [f"Y{k}", axes], [f"X{k + 1}"]))
            current = f"X{k + 1}"
    last = f"Y{len(layers) - 1}"
    graph = helper.make_graph(
        nodes,
        "tf1_cells",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [steps, batch, x.shape[2]])],
        [helper.make_tensor_value_info(last, TensorProto.FLOAT, [steps, dirs, batch, units])]
        + [helper.make_tensor_value_info(name, TensorProto.FLOAT, [dirs, batch, units]) for name in graph_outputs + cell_outputs],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", ONNX_OPSET)])
    model.ir_version = ONNX_IR_VERSION
    onnx.checker.check_model(model)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    y, *states = session.run(None, {"X": np.ascontiguousarray(x.transpose(1, 0, 2))})
    return y.transpose(2, 0, 1, 3).reshape(batch, steps, dirs * units), states

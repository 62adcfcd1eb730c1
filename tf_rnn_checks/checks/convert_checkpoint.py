"""A TF1 Saver checkpoint (single cells, MultiRNNCell stacks, fw/bw pairs) converts by variable name to weights that reproduce the TF1 model in PyTorch, ONNX Runtime and Keras."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

import numpy as np

from tf_rnn_checks import convert
from tf_rnn_checks.assertions import assert_close, assert_equal, observe_max_abs_error
from tf_rnn_checks.cells import CellSpec, gru, lstm, multi
from tf_rnn_checks.checks import _convert as c
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import KERAS_FLAVOURS, keras_flavour, requires
from tf_rnn_checks.tf_import import v1
from tf_rnn_checks.variable_names import DRIVER_SCOPES


@dataclass(frozen=True)
class Model:
    """A TF1 model: a cell spec run by a driver; ``str`` is its test id."""

    driver: str
    cell: CellSpec
    diagonal_candidate: bool = False  # GRU candidate's recurrent block made diagonal: the only TF1 GRU nn.GRU holds

    def __str__(self) -> str:
        return f"{self.driver}({self.cell}{',diagonal candidate' if self.diagonal_candidate else ''})"

    @property
    def layers(self) -> tuple[CellSpec, ...]:
        return self.cell.layers if self.cell.kind == "MultiRNNCell" else (self.cell,)

    @property
    def scope(self) -> str:
        return DRIVER_SCOPES[self.driver]

    @property
    def bidirectional(self) -> bool:
        return self.driver.startswith("bidirectional")


MODELS = (
    Model("dynamic_rnn", lstm(3)),
    Model("dynamic_rnn", multi(lstm(3), lstm(3))),
    Model("bidirectional_dynamic_rnn", lstm(3)),
)
KERAS_MODELS = MODELS + (Model("dynamic_rnn", multi(gru(3), gru(3))),)


def _output_layer() -> None:
    v1.get_variable("output/kernel", [3, 2])  # outside the RNN scope: the converters must leave it alone


def _saved(model: Model, directory: str) -> tuple[c.TF1Run, str]:
    prefix = os.path.join(directory, "model.ckpt")
    tf1 = c.run_tf1(model.cell, c.inputs(), driver=model.driver, checkpoint=prefix, extra=_output_layer)
    return tf1, prefix


def _tf1_outputs(model: Model, tf1: c.TF1Run) -> np.ndarray:
    return np.concatenate(tf1.outputs, axis=-1) if model.bidirectional else tf1.outputs


@check(model=MODELS)
@requires("torch")
def check_checkpoint_to_torch_matches_tf1(model: Model) -> None:
    """checkpoint_to_torch(path, scope=...) turns a TF1 checkpoint into one nn.LSTM state_dict (num_layers for a stack, bidirectional for fw/bw) that reproduces the TF1 outputs."""
    with tempfile.TemporaryDirectory() as directory:
        tf1, prefix = _saved(model, directory)
        state_dict = convert.checkpoint_to_torch(prefix, scope=model.scope)
    call = f"torch.nn.LSTM(num_layers={len(model.layers)}, bidirectional={model.bidirectional}).load_state_dict(checkpoint_to_torch(<{model}>))"
    outputs, _, _ = c.run_torch(
        "LSTMCell", state_dict, c.inputs(), units=3, num_layers=len(model.layers), bidirectional=model.bidirectional
    )
    expected = _tf1_outputs(model, tf1)
    observe("state_dict_names", sorted(state_dict))
    observe_max_abs_error("max_abs_error", outputs, expected)
    assert_close(outputs, expected, what="outputs", call=call)


@check(model=MODELS)
@requires("onnx", "onnxruntime")
def check_checkpoint_to_onnx_matches_tf1(model: Model) -> None:
    """checkpoint_to_onnx gives W, R, B per TF1 cell scope; chained per layer (or joined by bidirectional() for fw/bw) in ONNX Runtime they reproduce the TF1 outputs."""
    with tempfile.TemporaryDirectory() as directory:
        tf1, prefix = _saved(model, directory)
        by_scope = convert.checkpoint_to_onnx(prefix, scope=model.scope)
    observe("scopes", list(by_scope))
    layers = list(by_scope.values())
    direction = "forward"
    if model.bidirectional:
        layers, direction = [convert.bidirectional(*layers)], "bidirectional"
    call = f"onnxruntime LSTM(direction={direction}) x{len(layers)} with checkpoint_to_onnx(<{model}>)"
    outputs, _ = c.run_onnx("LSTMCell", layers, c.inputs(), units=3, direction=direction)
    expected = _tf1_outputs(model, tf1)
    observe_max_abs_error("max_abs_error", outputs, expected)
    assert_close(outputs, expected, what="outputs", call=call)


@check(model=KERAS_MODELS, keras=KERAS_FLAVOURS)
def check_checkpoint_to_keras_matches_tf1(model: Model, keras: str) -> None:
    """checkpoint_to_keras gives one weights list per TF1 cell scope; Keras RNN layers of those cells (stacked, or a go_backwards layer for bw) reproduce the TF1 outputs."""
    module = keras_flavour(keras)
    with tempfile.TemporaryDirectory() as directory:
        tf1, prefix = _saved(model, directory)
        by_scope = convert.checkpoint_to_keras(prefix, scope=model.scope)
    observe("scopes", list(by_scope))
    kind = c.kind_of(model.layers[0])
    x = c.inputs()
    weights = list(by_scope.values())
    assert_equal(
        len(weights), len(model.layers) * (2 if model.bidirectional else 1), what="cells found", call=f"checkpoint_to_keras(<{model}>)"
    )
    call = f"{keras}.layers.RNN of {kind} with checkpoint_to_keras(<{model}>)"
    if model.bidirectional:
        forward, _ = c.run_keras(module, [c.keras_cell(module, kind, 3)], [weights[0]], x)
        backward, _ = c.run_keras(module, [c.keras_cell(module, kind, 3)], [weights[1]], x, go_backwards=True)
        outputs = np.concatenate([forward, backward], axis=-1)
    else:
        outputs, _ = c.run_keras(module, [c.keras_cell(module, kind, 3) for _ in weights], weights, x)
    expected = _tf1_outputs(model, tf1)
    observe_max_abs_error("max_abs_error", outputs, expected)
    assert_close(outputs, expected, what="outputs", call=call)

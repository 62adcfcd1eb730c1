"""A TF1 Saver checkpoint's dynamic_rnn / bidirectional_dynamic_rnn rebuilt whole, as a PyTorch nn.Module and a Keras 2/3 model, reproduces TF1's outputs and final states.

Each TF1 model runs a padded batch (lengths ``LENGTHS``) from a non-zero initial state and is saved with
``tf.compat.v1.train.Saver``; :func:`tf_rnn_checks.convert.checkpoint_to_torch_module` and
:func:`~tf_rnn_checks.convert.checkpoint_to_keras_model` rebuild it from the checkpoint alone (stack depth,
directions and cell kind detected) and are called with the same inputs, lengths and initial state. Outputs are
compared at valid steps, must be zeros past each row's length (as TF1's are), and the final states must have
TF1's structure and values (the state at each row's last valid step).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks import convert, sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_true, observe_max_abs_error
from tf_rnn_checks.cells import gru, lstm, multi
from tf_rnn_checks.checks import _convert as c
from tf_rnn_checks.checks.convert_checkpoint import Model
from tf_rnn_checks.drivers import make_cells
from tf_rnn_checks.modes import run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import keras_flavour, requires
from tf_rnn_checks.shared_runs import shared
from tf_rnn_checks.sizes import seeded_values
from tf_rnn_checks.tf_import import tf, v1
from tf_rnn_checks.variable_names import driver_prefixes, expected_variables

UNITS, INPUT_SIZE, BATCH = (
    3,
    sizes.INPUT_SIZE,
    sizes.NUMERIC_BATCH,
)  # small on purpose: two layers and two directions already multiply the work
STEPS, LENGTHS = sizes.SEQUENCE_STEPS, sizes.SEQUENCE_LENGTHS
VALID = np.arange(STEPS)[None, :] < np.array(LENGTHS)[:, None]  # [batch, time]: True at the steps within each row's length


LSTM_STACK = multi(lstm(UNITS), lstm(UNITS))
GRU_STACK = multi(gru(UNITS), gru(UNITS))
STACKED_LSTM = Model("dynamic_rnn", LSTM_STACK)
BIDIRECTIONAL_LSTM = Model("bidirectional_dynamic_rnn", LSTM_STACK)
BIDIRECTIONAL_GRU = Model("bidirectional_dynamic_rnn", GRU_STACK)
TORCH_MODELS = (STACKED_LSTM, BIDIRECTIONAL_LSTM, Model("bidirectional_dynamic_rnn", GRU_STACK, diagonal_candidate=True))


@dataclass(frozen=True)
class KerasCase:
    """A TF1 model rebuilt in one Keras flavour (``keras2``/``keras3``); ``str`` is its test id."""

    model: Model
    keras: str

    def __str__(self) -> str:
        return f"{self.model}-{self.keras}"


# Both flavours on the bidirectional stack; the unidirectional stack and the GRU once each (every case costs a Keras build).
KERAS_CASES = (
    KerasCase(STACKED_LSTM, "keras3"),
    KerasCase(BIDIRECTIONAL_LSTM, "keras3"),
    KerasCase(BIDIRECTIONAL_LSTM, "keras2"),
    KerasCase(BIDIRECTIONAL_GRU, "keras2"),
)
# Layer 0 projects (nn.LSTM holds it as proj_size, Keras LSTMCell cannot), layer 1 has peepholes (neither holds them).
EXTRAS = Model("dynamic_rnn", multi(lstm(UNITS, num_proj=2), lstm(UNITS, use_peepholes=True)))


@dataclass(frozen=True)
class TF1Saved:
    """A TF1 model's checkpoint files ``{suffix: bytes}`` (after the prefix ``model.ckpt``), its inputs, initial state, outputs and final state."""

    files: Mapping[str, bytes]
    x: np.ndarray
    initial_state: Any
    outputs: Any
    state: Any


@shared
def tf1_saved(model: Model) -> TF1Saved:
    """Run ``model`` in a TF1 graph (seeded uniform(-1, 1) variables, lengths ``LENGTHS``, seeded initial state) and save it with a Saver."""
    x = c.inputs()[:, :STEPS]

    def call(cells: tuple[Any, ...]) -> Any:
        leaves = iter(range(100))
        initial = tuple(
            tf.nest.map_structure(
                lambda size: tf.constant(sizes.seeded_array(sizes.STATE_SEED, next(leaves), (BATCH, size), np.float32)), cell.state_size
            )
            for cell in cells
        )
        lengths = tf.constant(LENGTHS, tf.int32)
        if model.bidirectional:
            outputs, state = v1.nn.bidirectional_dynamic_rnn(
                cells[0], cells[1], x, sequence_length=lengths, initial_state_fw=initial[0], initial_state_bw=initial[1]
            )
            return initial, outputs, state
        outputs, state = v1.nn.dynamic_rnn(cells[0], x, sequence_length=lengths, initial_state=initial[0])
        return initial[0], outputs, state

    with tempfile.TemporaryDirectory() as directory:
        prefix = os.path.join(directory, "model.ckpt")
        result = run(
            "graph",
            lambda: make_cells(model.driver, model.cell),
            call,
            randomize=seeded_values(sizes.VARIABLE_SEED),
            transform=c.diagonal_candidate if model.diagonal_candidate else None,
            save_to=prefix,
        )
        files = {name[len("model.ckpt") :]: open(os.path.join(directory, name), "rb").read() for name in os.listdir(directory)}
    initial_value, outputs_value, state_value = result.outputs
    return TF1Saved(files, x, initial_value, outputs_value, state_value)


def _write(saved: TF1Saved, directory: str) -> str:
    """Write the checkpoint files into ``directory``; return the prefix to pass."""
    prefix = os.path.join(directory, "model.ckpt")
    for suffix, data in saved.files.items():
        with open(prefix + suffix, "wb") as file:
            file.write(data)
    return prefix


def _numpy(value: Any) -> np.ndarray:
    value = value.detach().numpy() if hasattr(value, "detach") else value
    return np.asarray(value)


def _leaves(value: Any, path: str) -> list[tuple[str, Any]]:
    """``[(path, array)]`` of a TF1-structured state: ``<path>_layer0_c``, ... (namedtuple fields by name, tuple items as layers)."""
    if hasattr(value, "_fields"):
        return [leaf for name in value._fields for leaf in _leaves(getattr(value, name), f"{path}_{name}")]
    if isinstance(value, (tuple, list)):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, f"{path}_layer{index}")]
    return [(path, value)]


def _structure(value: Any) -> Any:
    """A state's structure without its values: ``[["c", "h"], ["c", "h"]]`` for two LSTM layers, ``"array"`` for one tensor."""
    if hasattr(value, "_fields"):
        return list(value._fields)
    if isinstance(value, (tuple, list)):
        return [_structure(item) for item in value]
    return "array"


def _past_the_length(outputs: np.ndarray) -> list[list[str]]:
    """What each row holds at each step past its length: ``zeros`` or ``other``."""
    return [["zeros" if not outputs[row, step].any() else "other" for step in range(length, STEPS)] for row, length in enumerate(LENGTHS)]


ZEROS_PAST_THE_LENGTH = [["zeros"] * (STEPS - length) for length in LENGTHS]


def _compare(model: Model, outputs: Any, state: Any, saved: TF1Saved, call: str) -> None:
    """Outputs agree with TF1's at valid steps and are zeros past each row's length; final states have TF1's structure and values."""
    __tracebackhide__ = True
    pairs = [("forward", outputs[0], saved.outputs[0]), ("backward", outputs[1], saved.outputs[1])] if model.bidirectional else []
    pairs = pairs or [("", outputs, saved.outputs)]
    for name, observed, expected in pairs:
        observed = _numpy(observed)
        what = f"{name} outputs".strip()
        key = f"_{name}" if name else ""
        observe_max_abs_error(f"max_abs_error_outputs{key}", observed[VALID], expected[VALID])
        observe(f"past_the_length{key}", _past_the_length(observed))
        assert_close(observed[VALID], expected[VALID], what=f"{what} at valid steps", call=call)
        assert_equal(_past_the_length(observed), ZEROS_PAST_THE_LENGTH, what=f"{what} past each row's length {list(LENGTHS)}", call=call)
    observe("final_state_structure", _structure(state))
    assert_equal(_structure(state), _structure(saved.state), what="final state structure (LSTMStateTuple(c, h) per LSTM layer)", call=call)
    directions = [("fw", state[0], saved.state[0]), ("bw", state[1], saved.state[1])] if model.bidirectional else [("", state, saved.state)]
    for name, observed_state, expected_state in directions:
        prefix = f"final_state_{name}".rstrip("_")
        for (path, observed), (_, expected) in zip(_leaves(observed_state, prefix), _leaves(expected_state, prefix), strict=True):
            observe_max_abs_error(f"max_abs_error_{path}", _numpy(observed), expected)
            what = f"{path.replace('_', ' ')} (TF1: the state at each row's last valid step)"
            assert_close(_numpy(observed), expected, what=what, call=call)


@check(model=TORCH_MODELS)
@requires("torch")
def check_torch_module_from_checkpoint_matches_tf1(model: Model) -> None:
    """checkpoint_to_torch_module(prefix, scope=...) rebuilds a TF1 dynamic_rnn / bidirectional_dynamic_rnn over a MultiRNNCell as one nn.Module whose forward(x, sequence_length, initial_state) gives TF1's outputs (zeros past each row's length, the backward direction reversed within it) and final states in TF1's structure."""
    import torch

    saved = tf1_saved(model)
    with tempfile.TemporaryDirectory() as directory:
        module = convert.checkpoint_to_torch_module(_write(saved, directory), scope=model.scope)
    observe("modules", {name: repr(child) for name, child in module.named_children() if child is not None})
    call = f"checkpoint_to_torch_module(<{model}>, scope={model.scope!r})(x, sequence_length={list(LENGTHS)}, initial_state=...)"
    initial = tf.nest.map_structure(torch.tensor, saved.initial_state)  # copies: the shared arrays are read-only
    with torch.no_grad():
        outputs, state = module(torch.tensor(saved.x), sequence_length=torch.tensor(LENGTHS), initial_state=initial)
    _compare(model, outputs, state, saved, call)


@check(case=KERAS_CASES)
def check_keras_model_from_checkpoint_matches_tf1(case: KerasCase) -> None:
    """checkpoint_to_keras_model(prefix, scope=..., keras=...) rebuilds a TF1 dynamic_rnn / bidirectional_dynamic_rnn over a MultiRNNCell as one Keras model (RNN over the stacked cells, Bidirectional for fw/bw) whose call(x, sequence_length, initial_state) gives TF1's outputs (zeros past each row's length, the backward direction reversed within it) and final states in TF1's structure."""
    model, keras = case.model, case.keras
    module = keras_flavour(keras)
    saved = tf1_saved(model)
    with tempfile.TemporaryDirectory() as directory:
        built = convert.checkpoint_to_keras_model(_write(saved, directory), scope=model.scope, keras=module)
    directions = [built.rnn.forward_layer, built.rnn.backward_layer] if model.bidirectional else [built.rnn]
    observe(
        "layers",
        [type(built.rnn).__name__] + [type(cell).__name__ for rnn in directions for cell in getattr(rnn.cell, "cells", [rnn.cell])],
    )
    call = f"checkpoint_to_keras_model(<{model}>, scope={model.scope!r}, keras={keras!r})(x, sequence_length={list(LENGTHS)}, initial_state=...)"
    outputs, state = built(saved.x, sequence_length=np.array(LENGTHS), initial_state=saved.initial_state)
    _compare(model, outputs, state, saved, call)


@dataclass(frozen=True)
class Refusal:
    """What a target cannot hold, the TF1 model holding it, an option passed, and how its ``ValueError`` starts and ends; ``str`` is its test id."""

    target: str
    what: str
    model: Model
    phrase: str
    cell: str
    options: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        return f"{self.target} refuses {self.what}"


REFUSALS = (
    Refusal("torch", "peepholes", EXTRAS, "use_peepholes: not representable in PyTorch nn.LSTM", "rnn/multi_rnn_cell/cell_1/lstm_cell"),
    Refusal("keras", "num_proj", EXTRAS, "num_proj: not representable in Keras LSTMCell", "rnn/multi_rnn_cell/cell_0/lstm_cell"),
    Refusal(
        "torch",
        "a GRU whose candidate is not diagonal",
        BIDIRECTIONAL_GRU,
        "GRUCell: not representable in PyTorch nn.GRU",
        "bidirectional_rnn/fw/multi_rnn_cell/cell_0/gru_cell",
    ),
    Refusal(
        "keras",
        "cell_clip",
        STACKED_LSTM,
        "cell_clip=3.0: not representable in Keras LSTMCell",
        "rnn/multi_rnn_cell/cell_0/lstm_cell",
        (("cell_clip", 3.0),),
    ),
)


def _values(model: Model) -> dict[str, np.ndarray]:
    """Seeded uniform(-1, 1) values under the names and shapes TF1 gives ``model``'s variables (the suite's naming table, no TF run)."""
    values = {}
    for prefix in driver_prefixes(model.driver):
        for path, shape in expected_variables(model.cell, INPUT_SIZE).items():
            values[prefix + path] = sizes.seeded_array(sizes.VARIABLE_SEED, len(values), shape, np.float32)
    return values


@check(refusal=REFUSALS, needs_legacy_cells=False)
def check_module_builders_refuse_what_the_target_cannot_hold(refusal: Refusal) -> None:
    """variables_to_torch_module / variables_to_keras_model (and so the checkpoint_to_* builders) raise the converters' ValueError naming the option a target cannot hold (peepholes, num_proj in Keras, cell_clip, a TF1 GRU whose candidate is not diagonal in PyTorch) and the cell's scope."""
    build = convert.variables_to_torch_module if refusal.target == "torch" else convert.variables_to_keras_model
    call = f"{build.__name__}(<{refusal.model}>, scope={refusal.model.scope!r}{''.join(f', {k}={v!r}' for k, v in refusal.options)})"
    try:
        build(_values(refusal.model), scope=refusal.model.scope, **dict(refusal.options))
    except ValueError as error:
        message = str(error)
    else:
        message = ""
    observe(
        "error", {"starts_with": message.split(":")[0], "cell": message.rsplit("[cell ", 1)[-1].rstrip("]").strip("'") if message else ""}
    )
    assert_true(
        message.startswith(refusal.phrase) and message.endswith(f"[cell {refusal.cell!r}]"),
        what="ValueError",
        observed=message or "no error",
        expected=f"{refusal.phrase} ... [cell {refusal.cell!r}]",
        call=call,
    )

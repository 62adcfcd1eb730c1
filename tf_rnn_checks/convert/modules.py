"""Whole migrated modules from a TF1 checkpoint: a PyTorch ``nn.Module`` and a Keras model that reproduce the TF1 driver.

Where :mod:`~tf_rnn_checks.convert.checkpoint` gives weight lists, these build the module the weights go in,
from what :func:`tf_rnn_checks.model.detect.detect` finds under ``scope`` (the same detector as
``tf-rnn-checks inspect``): the cell kind (``LSTMCell``/``BasicLSTMCell``, ``GRUCell``, ``BasicRNNCell``), the
``MultiRNNCell`` depth (``cell_0``, ``cell_1``...), each layer's units and input width, and the directions
(``dynamic_rnn``: one; ``bidirectional_dynamic_rnn``: ``fw`` and ``bw``, each stacked on its own as TF1 does).
The weights go through the converters, so ``forget_bias`` is folded into the ``f`` bias and an option a target
cannot hold raises their ``ValueError`` naming it (``use_peepholes``, ``num_proj`` in Keras, ``cell_clip``,
``proj_clip``, a TF1 GRU whose candidate is not diagonal in PyTorch), with the cell's scope appended.

Both modules are called the way TF1's driver was, with batch-major inputs ``x [batch, time, input]``:

- ``module(x, sequence_length=None, initial_state=None) -> (outputs, final_states)`` (PyTorch ``forward``;
  the Keras model also takes ``mask=``, a right-padded ``[batch, time]`` boolean mask, instead of lengths);
- ``outputs`` is ``[batch, time, units]``, zeros past each row's length as ``dynamic_rnn`` gives;
  ``final_states`` is each row's state at its last valid step (the initial state for a row of length 0);
- states have TF1's structure: :class:`LSTMState` ``(c, h)`` for an LSTM layer (TF1's ``LSTMStateTuple``
  order), ``h`` for a GRU or basic RNN layer, a tuple of those per layer for a ``MultiRNNCell``;
- bidirectional: ``outputs`` is ``(fw, bw)`` and ``final_states`` ``(fw_state, bw_state)``, as
  ``bidirectional_dynamic_rnn`` returns them; the backward direction runs on each row reversed within its
  length and its outputs come back in input time order. ``initial_state`` is then ``(initial_fw, initial_bw)``.

PyTorch: one single-layer ``nn.LSTM``/``nn.GRU``/``nn.RNN(batch_first=True)`` per layer and direction
(``module.fw[k]``, ``module.bw[k]``), run on ``pack_padded_sequence(enforce_sorted=False)``. Keras (2 or 3):
``keras.layers.RNN`` over the layers' cells (``LSTMCell``, ``GRUCell(reset_after=False)``, ``SimpleRNNCell``)
with ``zero_output_for_mask=True``, in ``keras.layers.Bidirectional(merge_mode=None)`` for fw/bw
(``model.rnn``, to reuse in your own model); the lengths become the mask ``steps < length``.

Recipe, a 2-layer bidirectional TF1 LSTM into PyTorch and Keras 3::

    module = checkpoint_to_torch_module("model.ckpt", scope="bidirectional_rnn")
    (out_fw, out_bw), (state_fw, state_bw) = module(torch.from_numpy(x), sequence_length=torch.tensor(lengths))
    model = checkpoint_to_keras_model("model.ckpt", scope="bidirectional_rnn", keras="keras3")
    (out_fw, out_bw), (state_fw, state_bw) = model(x, sequence_length=lengths)
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np

from tf_rnn_checks.checkpoint_files import open_checkpoint
from tf_rnn_checks.convert import keras_weights, torch_weights
from tf_rnn_checks.convert._tf1 import check_forget_bias
from tf_rnn_checks.model.detect import NoStructureError, Structure, detect
from tf_rnn_checks.references.variables import split_path

KERAS = ("keras2", "keras3")
INSTALL = {
    "torch": 'pip install torch==2.13.0 (or the convert extra: pip install "tf-rnn-checks[convert]")',
    "keras3": 'pip install "keras>=3" (TensorFlow >= 2.16 installs it)',
    "keras2": 'pip install "tf-keras==<your TensorFlow minor>.*" (TensorFlow <= 2.15 bundles Keras 2)',
}
"""The install command each missing runtime's ``ImportError`` names."""


class LSTMState(NamedTuple):
    """One LSTM layer's state in TF1's ``LSTMStateTuple`` order: ``c`` (cell state) then ``h`` (output)."""

    c: Any
    h: Any


@dataclass(frozen=True)
class Layer:
    """One layer of one direction, as the targets build it: kind (``LSTM``, ``GRU``, ``RNN``), sizes, and its converted weights."""

    kind: str
    input_size: int
    units: int
    proj_size: int
    weights: Any  # a PyTorch state_dict of NumPy arrays (layer 0) or a Keras weights list
    scope: str


@dataclass(frozen=True)
class Plan:
    """What a migrated module holds: the structure's scope, dtype, whether it is stacked, and its layers per direction (fw first)."""

    scope: str
    dtype: str
    stacked: bool
    directions: tuple[tuple[Layer, ...], ...]

    @property
    def bidirectional(self) -> bool:
        return len(self.directions) == 2


_KINDS = {"LSTMCell": "LSTM", "BasicLSTMCell": "LSTM", "GRUCell": "GRU", "BasicRNNCell": "RNN"}


def _structure(variables: Mapping[str, tuple[Any, str]], scope: str, where: str) -> Structure:
    """The one structure :func:`detect` finds at (or under) ``scope`` (``""``: the only one), else ``ValueError`` naming those found."""
    if not isinstance(scope, str):
        raise TypeError(f"scope: expected the driver's variable scope str such as 'rnn' or 'bidirectional_rnn', got {scope!r}")
    scope = scope.strip("/")
    structures = detect(variables).structures
    found = ", ".join(repr(s.id) for s in structures) or "none"
    chosen = [s for s in structures if scope in (s.id, s.scope)] if scope else list(structures)
    chosen = chosen or [s for s in structures if s.scope.startswith(scope + "/")]  # an outer scope, as inspect --scope takes it
    if not chosen:
        raise NoStructureError(f"{where}: scope {scope!r} holds no TF1 recurrent structure (structures: {found})")
    if len(chosen) > 1:
        raise ValueError(f"scope: {where} holds several TF1 recurrent structures ({found}); pass scope= one of them")
    structure = chosen[0]
    if structure.problem:
        raise ValueError(f"{where}: structure {structure.id!r} is no TF1 construction these modules rebuild: {structure.problem}")
    return structure


def _plan(
    structure: Structure, read: Callable[[str], np.ndarray], target: str, *, forget_bias: float, cell_clip: Any, proj_clip: Any
) -> Plan:
    """Convert every cell of ``structure`` for ``target`` (``torch`` or ``keras``): the converters' refusals, with the cell's scope."""
    forget_bias = check_forget_bias(forget_bias)
    directions = []
    for direction in structure.directions:
        layers = []
        for cell in direction.layers:
            variables = {split_path(v.today)[1]: read(v.name) for v in cell.variables}
            cell_scope = split_path(cell.variables[0].today)[0]
            kind = _KINDS[cell.kind]
            try:
                if kind != "LSTM" and (cell_clip is not None or proj_clip is not None):
                    name = "cell_clip" if cell_clip is not None else "proj_clip"
                    raise ValueError(f"{name}: an LSTMCell option, but the cell is a {cell.kind}")
                if target == "torch":
                    if kind == "LSTM":
                        weights = torch_weights.lstm_to_torch(variables, forget_bias=forget_bias, cell_clip=cell_clip, proj_clip=proj_clip)
                    elif kind == "GRU":
                        weights = torch_weights.gru_to_torch(variables)
                    else:
                        weights = torch_weights.basic_rnn_to_torch(variables)
                elif kind == "LSTM":
                    weights = keras_weights.lstm_to_keras(variables, forget_bias=forget_bias, cell_clip=cell_clip, proj_clip=proj_clip)
                elif kind == "GRU":
                    weights = keras_weights.gru_to_keras(variables, reset_after=False)
                else:
                    weights = keras_weights.basic_rnn_to_keras(variables)
            except ValueError as error:
                raise ValueError(f"{error} [cell {cell_scope!r}]") from None
            layers.append(Layer(kind, cell.input_size, cell.units, cell.num_proj or 0, weights, cell_scope))
        directions.append(tuple(layers))
    return Plan(structure.scope, structure.dtype, structure.directions[0].stacked, tuple(directions))


def _from_values(values: Mapping[str, np.ndarray], scope: str, target: str, **options: Any) -> Plan:
    if not isinstance(values, Mapping):
        raise TypeError(f"values: expected a mapping {{variable path: array}}, got {type(values).__name__}")
    arrays = {name: np.asarray(value) for name, value in values.items()}
    structure = _structure({name: (a.shape, a.dtype.name) for name, a in arrays.items()}, scope, "values")
    return _plan(structure, arrays.__getitem__, target, **options)


def _from_checkpoint(path: str, scope: str, target: str, **options: Any) -> Plan:
    checkpoint = open_checkpoint(path, "path")
    structure = _structure(checkpoint.variables, scope, checkpoint.prefix)
    return _plan(structure, checkpoint.read, target, **options)


# ---------------------------------------------------------------- PyTorch


def _import_torch() -> None:
    if importlib.util.find_spec("torch") is None:
        raise ImportError(f"PyTorch is not installed, so no nn.Module can be built: {INSTALL['torch']}")


def variables_to_torch_module(
    values: Mapping[str, np.ndarray],
    *,
    scope: str = "",
    forget_bias: float = 1.0,
    cell_clip: float | None = None,
    proj_clip: float | None = None,
) -> Any:
    """The PyTorch ``nn.Module`` (see the module docstring) of the TF1 structure under ``scope`` in ``{variable path: value}``."""
    plan = _from_values(values, scope, "torch", forget_bias=forget_bias, cell_clip=cell_clip, proj_clip=proj_clip)
    _import_torch()
    from tf_rnn_checks.convert._torch_module import TF1RNN

    return TF1RNN(plan)


def checkpoint_to_torch_module(
    path: str, *, scope: str = "", forget_bias: float = 1.0, cell_clip: float | None = None, proj_clip: float | None = None
) -> Any:
    """A PyTorch ``nn.Module`` rebuilding the TF1 ``dynamic_rnn``/``bidirectional_dynamic_rnn`` under ``scope`` of checkpoint ``path``, weights loaded.

    ``module(x, sequence_length=None, initial_state=None)`` returns ``(outputs, final_states)`` in TF1's
    structure. ``forget_bias`` is the TF1 LSTM's (not stored in checkpoints; 1.0 by default); ``cell_clip`` and
    ``proj_clip`` are refused (``ValueError`` naming them) since ``nn.LSTM`` has neither.
    """
    plan = _from_checkpoint(path, scope, "torch", forget_bias=forget_bias, cell_clip=cell_clip, proj_clip=proj_clip)
    _import_torch()
    from tf_rnn_checks.convert._torch_module import TF1RNN

    return TF1RNN(plan)


# ---------------------------------------------------------------- Keras


def keras_module(keras: str | ModuleType) -> ModuleType:
    """The Keras module of ``keras``: ``"keras3"`` (the ``keras`` 3 package), ``"keras2"`` (``tf_keras``, or TF <= 2.15's Keras 2), or a module."""
    if isinstance(keras, ModuleType):
        if not hasattr(keras, "layers") or not hasattr(keras, "Model"):
            raise TypeError(f"keras: expected a Keras module (keras, tf_keras, tf.keras), got module {keras.__name__!r}")
        return keras
    if keras not in KERAS:
        raise ValueError(f"keras: expected one of {KERAS} or a Keras module, got {keras!r}")
    if keras == "keras2" and importlib.util.find_spec("tf_keras") is not None:
        return importlib.import_module("tf_keras")
    if importlib.util.find_spec("keras") is None:
        raise ImportError(f"{keras}: Keras is not installed: {INSTALL[keras]}")
    module = importlib.import_module("keras")
    major = str(module.__version__).split(".")[0]
    if major != keras[-1]:
        raise ImportError(f"{keras}: found keras {module.__version__}, not Keras {keras[-1]}: {INSTALL[keras]}")
    return module


def variables_to_keras_model(
    values: Mapping[str, np.ndarray],
    *,
    scope: str = "",
    keras: str | ModuleType = "keras3",
    forget_bias: float = 1.0,
    cell_clip: float | None = None,
    proj_clip: float | None = None,
) -> Any:
    """The Keras model (see the module docstring) of the TF1 structure under ``scope`` in ``{variable path: value}``."""
    plan = _from_values(values, scope, "keras", forget_bias=forget_bias, cell_clip=cell_clip, proj_clip=proj_clip)
    from tf_rnn_checks.convert._keras_model import build

    return build(keras_module(keras), plan)


def checkpoint_to_keras_model(
    path: str,
    *,
    scope: str = "",
    keras: str | ModuleType = "keras3",
    forget_bias: float = 1.0,
    cell_clip: float | None = None,
    proj_clip: float | None = None,
) -> Any:
    """A Keras model rebuilding the TF1 ``dynamic_rnn``/``bidirectional_dynamic_rnn`` under ``scope`` of checkpoint ``path``, weights set.

    ``model(x, sequence_length=None, initial_state=None)`` (or ``mask=`` instead of lengths) returns
    ``(outputs, final_states)`` in TF1's structure. ``keras`` is ``"keras3"``, ``"keras2"`` or a Keras module.
    Keras ``LSTMCell`` holds no peepholes, ``num_proj``, ``cell_clip`` or ``proj_clip``: those raise ``ValueError`` naming them.
    """
    plan = _from_checkpoint(path, scope, "keras", forget_bias=forget_bias, cell_clip=cell_clip, proj_clip=proj_clip)
    from tf_rnn_checks.convert._keras_model import build

    return build(keras_module(keras), plan)


__all__ = [
    "KERAS",
    "LSTMState",
    "Layer",
    "Plan",
    "checkpoint_to_keras_model",
    "checkpoint_to_torch_module",
    "keras_module",
    "variables_to_keras_model",
    "variables_to_torch_module",
]

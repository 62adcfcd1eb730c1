"""Convert every TF1 cell of a ``tf.compat.v1.train.Saver`` checkpoint, by variable name.

:func:`read_checkpoint` is the only function here that imports TensorFlow (it opens the checkpoint with
:func:`tf_rnn_checks.checkpoint_files.open_checkpoint`, whose errors name the file and what was expected);
everything else works on ``{variable path: array}`` and is NumPy only. Cells are found by their scopes
(see :mod:`tf_rnn_checks.references.variables`): a ``MultiRNNCell`` stack's layers are its
``cell_<k>`` scopes (ordered numerically), a bidirectional model's directions its ``fw``/``bw`` scopes.
The cell kind comes from TF's default cell scope names (``lstm_cell``, ``basic_lstm_cell``,
``gru_cell``, ``basic_rnn_cell``) or, for renamed cells, from the variable names and shapes
(pass ``kind=`` when a BasicRNNCell and an LSTM cannot be told apart).

One-line recipe, TF1 LSTM checkpoint -> PyTorch::

    lstm.load_state_dict({k: torch.from_numpy(v) for k, v in checkpoint_to_torch("model.ckpt", scope="rnn").items()})

with ``lstm = torch.nn.LSTM(input_size, num_units, num_layers=<stack depth>, batch_first=True)``
(``bidirectional=True`` for a single-layer fw/bw model, ``proj_size=num_proj`` for a projecting cell).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks.checkpoint_files import open_checkpoint
from tf_rnn_checks.convert import keras_weights, onnx_weights, torch_weights
from tf_rnn_checks.references.variables import SHORT_NAMES, group_by_cell
from tf_rnn_checks.variable_names import DIRECTIONS, KIND_OF_SCOPE

KINDS: tuple[str, ...] = ("LSTMCell", "GRUCell", "BasicRNNCell")
_DEFAULT_SCOPES = {scope: "LSTMCell" if kind == "BasicLSTMCell" else kind for scope, kind in KIND_OF_SCOPE.items()}  # converter kinds


@dataclass(frozen=True)
class TF1CellVariables:
    """One TF1 cell found in a checkpoint: its scope, kind, direction (``""``, ``"fw"``, ``"bw"``), layer and variables by short name."""

    scope: str
    kind: str
    direction: str
    layer: int
    variables: Mapping[str, np.ndarray]


def read_checkpoint(path: str, scope: str = "") -> dict[str, np.ndarray]:
    """``{variable path: value}`` of the TF1 cell variables saved in checkpoint ``path`` (a prefix such as ``model.ckpt``), under ``scope``.

    A path that is not a readable checkpoint prefix raises ``ValueError`` naming the file and what was expected.
    """
    if not isinstance(scope, str):
        raise TypeError(f"scope: expected a variable scope str such as 'rnn' ('' for the whole checkpoint), got {scope!r}")
    checkpoint = open_checkpoint(path, "path")
    return {name: checkpoint.read(name) for name in checkpoint.names if _in_scope(name, scope) and _is_cell_variable(name)}


def _checkpoint_cells(path: str, scope: str) -> dict[str, np.ndarray]:
    values = read_checkpoint(path, scope)
    if not values:
        raise ValueError(
            f"{path}: no TF1 cell variables (kernel, bias, gates/..., candidate/...) under scope {scope!r}; "
            "expected the scope the cells were built in (tf.train.list_variables(path) shows the stored names)"
        )
    return values


def _in_scope(name: str, scope: str) -> bool:
    scope = scope.strip("/")
    return not scope or name == scope or name.startswith(scope + "/")


def _is_cell_variable(name: str) -> bool:
    return any(name == short or name.endswith("/" + short) for short in SHORT_NAMES)


def _kind(scope: str, variables: Mapping[str, np.ndarray], kind: str | None) -> str:
    if kind is not None:
        return kind
    last = scope.rsplit("/", 1)[-1]
    if last in _DEFAULT_SCOPES:
        return _DEFAULT_SCOPES[last]
    if "gates/kernel" in variables:
        return "GRUCell"
    if "w_i_diag" in variables or "projection/kernel" in variables:
        return "LSTMCell"
    kernel, bias = np.shape(variables.get("kernel")), np.shape(variables.get("bias"))
    if len(kernel) == 2 and kernel[1:] == bias:
        units = kernel[1]
        could_be_rnn = kernel[0] > units
        could_be_lstm = units % 4 == 0 and kernel[0] > units // 4
        if could_be_rnn != could_be_lstm:
            return "BasicRNNCell" if could_be_rnn else "LSTMCell"
    raise ValueError(f"kind: cannot tell the cell kind of scope {scope!r} (variables {sorted(variables)}); pass kind= one of {KINDS}")


def find_cells(values: Mapping[str, np.ndarray], *, kind: str | None = None) -> list[TF1CellVariables]:
    """The TF1 cells in ``{variable path: value}``, ordered by direction (``fw`` before ``bw``) then layer."""
    if not isinstance(values, Mapping):
        raise TypeError(f"values: expected a mapping {{variable path: array}}, got {type(values).__name__}")
    if kind is not None and (not isinstance(kind, str) or kind not in KINDS):
        raise ValueError(f"kind: expected one of {KINDS} or None, got {kind!r}")
    bad = [name for name in values if not isinstance(name, str)]
    if bad:
        raise TypeError(f"values: expected variable paths (str) as keys, got {bad[:3]!r}")
    if not values:
        raise ValueError(
            "values: no TF1 cell variables (kernel, bias, gates/..., candidate/...) found; check the checkpoint path and scope"
        )
    cells = []
    for scope, variables in group_by_cell(values):
        parts = scope.split("/")
        directions = [p for p in parts if p in DIRECTIONS]
        layers = [int(m.group(1)) for p in parts if (m := re.fullmatch(r"cell_(\d+)", p))]
        cells.append(
            TF1CellVariables(
                scope, _kind(scope, variables, kind), directions[-1] if directions else "", layers[-1] if layers else 0, variables
            )
        )
    cells.sort(key=lambda c: (DIRECTIONS.index(c.direction) if c.direction else -1, c.layer))
    seen = {}
    for cell in cells:
        key = (cell.direction, cell.layer)
        if key in seen:
            raise ValueError(
                f"values: two cells for direction {cell.direction or 'forward'!r} layer {cell.layer}: {seen[key]!r} and {cell.scope!r}; pass a narrower scope"
            )
        seen[key] = cell.scope
    return cells


def _convert_one(cell: TF1CellVariables, target: str, options: Mapping[str, Any]) -> Any:
    functions = {
        ("keras", "LSTMCell"): keras_weights.lstm_to_keras,
        ("keras", "GRUCell"): keras_weights.gru_to_keras,
        ("keras", "BasicRNNCell"): keras_weights.basic_rnn_to_keras,
        ("onnx", "LSTMCell"): onnx_weights.lstm_to_onnx,
        ("onnx", "GRUCell"): onnx_weights.gru_to_onnx,
        ("onnx", "BasicRNNCell"): onnx_weights.basic_rnn_to_onnx,
        ("torch", "LSTMCell"): torch_weights.lstm_to_torch,
        ("torch", "GRUCell"): torch_weights.gru_to_torch,
        ("torch", "BasicRNNCell"): torch_weights.basic_rnn_to_torch,
    }
    accepted = {"LSTMCell": ("forget_bias", "layer", "reverse"), "GRUCell": ("layer", "reverse", "reset_after", "linear_before_reset")}
    kwargs = {k: v for k, v in options.items() if k in accepted.get(cell.kind, ("layer", "reverse"))}
    try:
        return functions[(target, cell.kind)](cell.variables, **kwargs)
    except ValueError as error:
        raise ValueError(f"{error} [cell {cell.scope!r}]") from None


def variables_to_keras(
    values: Mapping[str, np.ndarray], *, forget_bias: float = 1.0, reset_after: bool = False, kind: str | None = None
) -> dict[str, list[np.ndarray]]:
    """``{cell scope: Keras weights list}`` for every TF1 cell in ``values`` (layers of a stack in order)."""
    return {
        c.scope: _convert_one(c, "keras", {"forget_bias": forget_bias, "reset_after": reset_after}) for c in find_cells(values, kind=kind)
    }


def variables_to_onnx(
    values: Mapping[str, np.ndarray], *, forget_bias: float = 1.0, linear_before_reset: int = 0, kind: str | None = None
) -> dict[str, dict[str, np.ndarray]]:
    """``{cell scope: {W, R, B[, P]}}`` for every TF1 cell in ``values``; join a fw/bw pair with :func:`onnx_weights.bidirectional`."""
    options = {"forget_bias": forget_bias, "linear_before_reset": linear_before_reset}
    return {c.scope: _convert_one(c, "onnx", options) for c in find_cells(values, kind=kind)}


def variables_to_torch(values: Mapping[str, np.ndarray], *, forget_bias: float = 1.0, kind: str | None = None) -> dict[str, np.ndarray]:
    """One ``nn.LSTM``/``nn.GRU``/``nn.RNN`` state_dict for the TF1 cells in ``values``.

    A ``MultiRNNCell`` stack becomes ``num_layers=<depth>`` (``_l0``, ``_l1``...); a fw/bw pair of single
    cells becomes ``bidirectional=True`` (``_reverse``). Stacked bidirectional models raise ``ValueError``:
    TF1 stacks each direction on its own, while PyTorch feeds both directions into the next layer; convert
    each direction with ``scope=".../fw"`` and ``".../bw"`` instead.
    """
    cells = find_cells(values, kind=kind)
    kinds = {c.kind for c in cells}
    if len(kinds) != 1:
        raise ValueError(f"values: one PyTorch module holds one cell kind, got {sorted(kinds)} in {[c.scope for c in cells]}")
    directions = {c.direction for c in cells}
    bidirectional = directions == {"fw", "bw"}
    if bidirectional and len(cells) != 2:
        raise ValueError(
            "values: a stacked bidirectional TF1 model is not one PyTorch module (TF1 stacks each direction on its own; "
            "nn.LSTM(bidirectional=True, num_layers>1) feeds both directions into the next layer); convert scope='.../fw' and '.../bw' separately"
        )
    state: dict[str, np.ndarray] = {}
    for index, cell in enumerate(cells):
        layer, reverse = (0, cell.direction == "bw") if bidirectional else (index, False)
        if not bidirectional and cell.layer != index:
            raise ValueError(
                f"values: expected stack layers 0..{len(cells) - 1} in one direction, got layer {cell.layer} at position {index} ({cell.scope!r})"
            )
        state.update(_convert_one(cell, "torch", {"forget_bias": forget_bias, "layer": layer, "reverse": reverse}))
    return state


def checkpoint_to_keras(
    path: str, *, scope: str = "", forget_bias: float = 1.0, reset_after: bool = False, kind: str | None = None
) -> dict[str, list[np.ndarray]]:
    """:func:`variables_to_keras` of the cells under ``scope`` in the TF1 checkpoint ``path``."""
    return variables_to_keras(_checkpoint_cells(path, scope), forget_bias=forget_bias, reset_after=reset_after, kind=kind)


def checkpoint_to_onnx(
    path: str, *, scope: str = "", forget_bias: float = 1.0, linear_before_reset: int = 0, kind: str | None = None
) -> dict[str, dict[str, np.ndarray]]:
    """:func:`variables_to_onnx` of the cells under ``scope`` in the TF1 checkpoint ``path``."""
    return variables_to_onnx(_checkpoint_cells(path, scope), forget_bias=forget_bias, linear_before_reset=linear_before_reset, kind=kind)


def checkpoint_to_torch(path: str, *, scope: str = "", forget_bias: float = 1.0, kind: str | None = None) -> dict[str, np.ndarray]:
    """:func:`variables_to_torch` of the cells under ``scope`` in the TF1 checkpoint ``path`` (a PyTorch state_dict of NumPy arrays)."""
    return variables_to_torch(_checkpoint_cells(path, scope), forget_bias=forget_bias, kind=kind)


__all__ = [
    "DIRECTIONS",
    "KINDS",
    "TF1CellVariables",
    "checkpoint_to_keras",
    "checkpoint_to_onnx",
    "checkpoint_to_torch",
    "find_cells",
    "read_checkpoint",
    "variables_to_keras",
    "variables_to_onnx",
    "variables_to_torch",
]

"""Build the NumPy reference for a :class:`~tf_rnn_checks.cells.CellSpec` from TF's variables (no TF import)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from tf_rnn_checks.cells import CellSpec
from tf_rnn_checks.references import cells as reference
from tf_rnn_checks.references.variables import group_by_cell

# The constructor options each reference understands; any other option is refused, so a new spec
# option can never be silently ignored by the reference it is checked against.
_OPTIONS = {
    "BasicRNNCell": ("activation",),
    "GRUCell": ("activation",),
    "BasicLSTMCell": ("forget_bias", "activation", "state_is_tuple"),
    "LSTMCell": ("use_peepholes", "cell_clip", "num_proj", "proj_clip", "forget_bias", "activation", "state_is_tuple"),
}


def reference_cell(spec: CellSpec, variables: Mapping[str, np.ndarray]) -> Any:
    """The reference cell for ``spec``, fed the variable values ``{path: value}`` of exactly one TF cell (or stack).

    Paths are as TF names them (``rnn/lstm_cell/kernel``); cells take their groups in creation order.
    """
    groups = group_by_cell(variables)
    cell, rest = _build(spec, groups)
    if rest:
        raise ValueError(f"variables: {len(rest)} cell scope(s) left over after building {spec}: {[scope for scope, _ in rest]}")
    return cell


def _build(spec: CellSpec, groups: list[tuple[str, dict[str, np.ndarray]]]) -> tuple[Any, list]:
    if spec.kind == "MultiRNNCell":
        if spec.option.get("state_is_tuple", True) is not True:
            raise ValueError(f"spec: the reference MultiRNNCell keeps tuple states only, got {spec}")
        layers = []
        for layer in spec.layers:
            cell, groups = _build(layer, groups)
            layers.append(cell)
        return reference.MultiRNNCell(layers), groups
    if spec.kind not in _OPTIONS:
        raise ValueError(f"spec: no reference for {spec.kind!r}; expected one of {sorted(_OPTIONS)} or MultiRNNCell")
    unknown = sorted(set(spec.option) - set(_OPTIONS[spec.kind]))
    if unknown:
        raise ValueError(f"spec: the {spec.kind} reference does not model option(s) {unknown} of {spec}")
    if not groups:
        raise ValueError(f"variables: no variables left for {spec}")
    (_, variables), rest = groups[0], groups[1:]
    options = {k: v for k, v in spec.option.items() if k != "num_proj"}  # num_proj is read off projection/kernel
    built = getattr(reference, spec.kind).from_variables(variables, **options)
    if getattr(built, "num_units", getattr(built, "state_size", None)) != spec.units:
        raise ValueError(
            f"variables: {spec} has {spec.units} units, the variables give {built.num_units if hasattr(built, 'num_units') else built.state_size}"
        )
    return built, rest


__all__ = ["reference_cell"]

"""Group TF variable paths into cells and strip them to the short names the references take.

TF names a cell's variables ``<scopes>/<cell scope>/<short name>``, e.g.
``rnn/multi_rnn_cell/cell_0/lstm_cell/kernel`` or ``bidirectional_rnn/bw/gru_cell/gates/bias``. The
short names are fixed per cell class (:data:`SHORT_NAMES`); everything before one is the cell's scope.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

SHORT_NAMES: tuple[str, ...] = (
    "gates/kernel",
    "gates/bias",
    "candidate/kernel",
    "candidate/bias",
    "projection/kernel",
    "kernel",
    "bias",
    "w_i_diag",
    "w_f_diag",
    "w_o_diag",
)
"""The variable names TF1 cells create inside their own scope (longest first, so ``gates/kernel`` wins over ``kernel``)."""


def split_path(path: str) -> tuple[str, str]:
    """``(cell scope, short name)`` for a variable path (a trailing ``:0`` is ignored)."""
    path = path.rsplit(":", 1)[0] if ":" in path else path
    for short in SHORT_NAMES:
        if path == short or path.endswith("/" + short):
            return path[: len(path) - len(short)].rstrip("/"), short
    raise ValueError(f"path: expected a TF1 cell variable ending in one of {SHORT_NAMES}, got {path!r}")


def group_by_cell(values: Mapping[str, np.ndarray]) -> list[tuple[str, dict[str, np.ndarray]]]:
    """``[(cell scope, {short name: value})]`` in the order the cells first appear in ``values`` (creation order)."""
    groups: dict[str, dict[str, np.ndarray]] = {}
    for path, value in values.items():
        scope, short = split_path(path)
        groups.setdefault(scope, {})[short] = np.asarray(value)
    return list(groups.items())


__all__ = ["SHORT_NAMES", "group_by_cell", "split_path"]

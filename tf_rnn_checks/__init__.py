"""tf-rnn-checks: executable checks of how TensorFlow 2 runs TF1-style recurrent cells.

Importing the package does not import TensorFlow; :mod:`tf_rnn_checks.tf_import` does, after setting
``TF_USE_LEGACY_KERAS`` as the installed packages require. The public API for checking your own
cells (``check_cell``, ``parametrize_with_checks``, ``custom_cell``) is loaded on first use.

Where things live: TF is run in one place, :mod:`tf_rnn_checks.modes` (graph, eager and function mode, checkpoints,
assignments, captured logs); sizes, inputs and seeds in :mod:`tf_rnn_checks.sizes`; naming facts (cell and driver
scopes, ``cell_N``, directions) in :mod:`tf_rnn_checks.variable_names`; tolerances per dtype in
:mod:`tf_rnn_checks.tolerances`; the cells and options checks run over in :mod:`tf_rnn_checks.cells` and
:mod:`tf_rnn_checks.matrix`; the checks in :mod:`tf_rnn_checks.checks`, one module per behaviour family; NumPy
references (no TF) in :mod:`tf_rnn_checks.references`; converters in :mod:`tf_rnn_checks.convert`; reports, diffs and
goldens (no TF, no pytest) in :mod:`tf_rnn_checks.report`.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "check_cell": "tf_rnn_checks.checking",
    "parametrize_with_checks": "tf_rnn_checks.checking",
    "CellCheckFailure": "tf_rnn_checks.checking",
    "CheckResult": "tf_rnn_checks.checking",
    "CheckResults": "tf_rnn_checks.checking",
    "custom_cell": "tf_rnn_checks.cells",
    "CustomCell": "tf_rnn_checks.cells",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tf_rnn_checks' has no attribute {name!r}")

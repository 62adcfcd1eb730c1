"""tf-rnn-checks: executable checks of how TensorFlow 2 runs TF1-style recurrent cells.

Importing the package does not import TensorFlow; :mod:`tf_rnn_checks.tf_import` does, after setting
``TF_USE_LEGACY_KERAS`` as the installed packages require. The public API for checking your own
cells (``check_cell``, ``parametrize_with_checks``, ``custom_cell``) is loaded on first use.
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

"""The packaged suite: every check family as pytest tests, so ``tf-rnn-checks run`` works from an installed wheel.

:func:`families` discovers the family modules of :mod:`tf_rnn_checks.checks` (no hand-kept list);
``test_suite.py`` turns each into a test class named after the family, and ``pytest.ini`` is the
configuration that run uses whatever the current directory holds.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

SUITE_DIR = Path(__file__).resolve().parent
SUITE_MODULE = SUITE_DIR / "test_suite.py"
SUITE_INI = SUITE_DIR / "pytest.ini"


def family_names() -> list[str]:
    """Names of the modules in :mod:`tf_rnn_checks.checks`, sorted; found without importing them (or TensorFlow)."""
    import tf_rnn_checks.checks as package

    return sorted(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_"))


def families() -> list[ModuleType]:
    """The family modules that declare at least one check (imports them, hence TensorFlow)."""
    from tf_rnn_checks import registry

    modules = [importlib.import_module(f"tf_rnn_checks.checks.{name}") for name in family_names()]
    return [module for module in modules if registry.checks_in(module)]

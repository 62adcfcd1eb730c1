"""Where the TF1 legacy RNN cells come from, and the one environment switch that brings them back.

TF <= 2.15 bundles Keras 2, which carries `tf.compat.v1.nn.rnn_cell`. TF >= 2.16 defaults to Keras 3,
where those cells raise ``AttributeError: X is not available with Keras 3``; they return with the
``tf-keras`` package of the same minor version and ``TF_USE_LEGACY_KERAS=1`` set before TensorFlow is
first imported. TF 2.15 already honours the variable and fails to import Keras when ``tf_keras`` is
absent, so the variable must be set exactly when ``tf_keras`` is importable.

Nothing in this module imports TensorFlow except :func:`legacy_cells_status`.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import os
import sys
from dataclasses import dataclass

ENV_VAR = "TF_USE_LEGACY_KERAS"
_TF_DISTRIBUTIONS = ("tensorflow-cpu", "tensorflow", "tf-nightly", "tf-nightly-cpu", "tensorflow-intel")
_TF_KERAS_DISTRIBUTIONS = ("tf-keras", "tf-keras-nightly")


@dataclass(frozen=True)
class EnvironmentSetup:
    """What :func:`configure_legacy_keras` found and did."""

    tf_keras_importable: bool
    action: str


def _distribution_version(names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        try:
            return name, importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def installed_tensorflow() -> tuple[str, str] | None:
    """The installed TensorFlow distribution and version, read without importing TensorFlow."""
    return _distribution_version(_TF_DISTRIBUTIONS)


def installed_tf_keras() -> tuple[str, str] | None:
    """The installed tf-keras distribution and version, read without importing it."""
    return _distribution_version(_TF_KERAS_DISTRIBUTIONS)


def configure_legacy_keras() -> EnvironmentSetup:
    """Set ``TF_USE_LEGACY_KERAS=1`` when ``tf_keras`` is importable, and make sure it is unset otherwise.

    Must run before TensorFlow is first imported in the process; afterwards it changes nothing and
    says so.
    """
    importable = importlib.util.find_spec("tf_keras") is not None
    if "tensorflow" in sys.modules:
        return EnvironmentSetup(importable, f"TensorFlow was imported before the suite could set {ENV_VAR}")
    current = os.environ.get(ENV_VAR)
    if importable:
        os.environ[ENV_VAR] = "1"
        return EnvironmentSetup(True, f"{ENV_VAR}=1 set by tf-rnn-checks (tf_keras is importable)")
    if current is not None:
        del os.environ[ENV_VAR]
        return EnvironmentSetup(False, f"{ENV_VAR}={current} removed by tf-rnn-checks (tf_keras is not installed)")
    return EnvironmentSetup(False, f"{ENV_VAR} left unset (tf_keras is not installed)")


@dataclass(frozen=True)
class LegacyCellsStatus:
    """Whether ``tf.compat.v1.nn.rnn_cell`` works, where its classes live, and how to fix it if not."""

    available: bool
    home: str
    module: str
    problem: str
    fix: str

    def describe(self) -> str:
        if self.available:
            return f"legacy cells from {self.home} ({self.module})"
        return f"legacy cells unavailable: {self.problem}. Fix: {self.fix}"


def _fix_instructions(tf_version: str) -> str:
    minor = ".".join(tf_version.split(".")[:2])
    return (
        f'pip install "tf-keras=={minor}.*" (the tf-keras release matching TensorFlow {tf_version}); '
        f"then {ENV_VAR}=1 must be set before TensorFlow is imported "
        "(tf-rnn-checks sets it itself when tf_keras is importable)"
    )


@functools.cache
def legacy_cells_status() -> LegacyCellsStatus:
    """Import TensorFlow (configured first) and report where the legacy RNN cells come from."""
    from tf_rnn_checks.tf_import import tf

    try:
        cell_class = tf.compat.v1.nn.rnn_cell.LSTMCell
    except (AttributeError, ImportError) as error:
        return LegacyCellsStatus(False, "unavailable", "", f"{type(error).__name__}: {error}", _fix_instructions(tf.__version__))
    module = cell_class.__module__
    if module.startswith("tf_keras"):
        tf_keras = installed_tf_keras()
        home = f"tf_keras {tf_keras[1]}" if tf_keras else "tf_keras"
    elif module.startswith("keras"):
        keras = _distribution_version(("keras", "keras-nightly"))
        home = f"keras 2 bundled (keras {keras[1]})" if keras else "keras 2 bundled"
    else:
        home = module.split(".")[0]
    return LegacyCellsStatus(True, home, module, "", "")

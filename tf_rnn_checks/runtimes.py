"""The optional target runtimes of the conversion checks (Keras 2/3, PyTorch, ONNX Runtime), imported on demand.

A check needing one is decorated ``@requires("torch")``; when the module is missing the check skips with
the exact install command as its reason (one place, not a try/except per check). Keras flavours are
picked with :func:`keras_flavour`: ``"keras2"`` is ``tf.keras`` when it is Keras 2 (``tf_keras`` under
``TF_USE_LEGACY_KERAS=1``, or TF <= 2.15's bundled Keras); ``"keras3"`` is the ``keras`` package when it is Keras 3.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

INSTALL: dict[str, str] = {
    "torch": "pip install torch==2.13.0",
    "onnx": "pip install onnx",
    "onnxruntime": "pip install onnxruntime",
}
"""The install command named in the skip reason of each optional runtime."""

KERAS_FLAVOURS: tuple[str, ...] = ("keras2", "keras3")


def missing(*modules: str) -> list[str]:
    """The names in ``modules`` that are not importable."""
    unknown = [m for m in modules if m not in INSTALL]
    if unknown:
        raise ValueError(f"modules: expected names from {sorted(INSTALL)}, got {unknown}")
    return [m for m in modules if importlib.util.find_spec(m) is None]


def requires(*modules: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Skip the decorated check, naming the install command, when any of ``modules`` is not installed."""
    missing(*modules)  # validate the names at decoration time

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            absent = missing(*modules)
            if absent:
                pytest.skip(f"{', '.join(absent)} not installed: " + "; ".join(INSTALL[m] for m in absent))
            function(*args, **kwargs)

        return wrapper

    return decorate


def keras_flavour(flavour: str) -> ModuleType:
    """The Keras module of ``flavour`` (``"keras2"`` or ``"keras3"``), or ``pytest.skip`` saying why it is absent."""
    if flavour not in KERAS_FLAVOURS:
        raise ValueError(f"flavour: expected one of {KERAS_FLAVOURS}, got {flavour!r}")
    if flavour == "keras2":
        from tf_rnn_checks.tf_import import tf

        module = tf.keras
        home = module.layers.LSTMCell.__module__.split(".")[0]  # tf_keras, or keras (TF <= 2.15's bundled Keras 2, or Keras 3)
        version = importlib.import_module(home).__version__
        if not str(version).startswith("2."):
            pytest.skip(f"tf.keras is Keras {version} here (Keras 2 needs tf-keras): pip install tf-keras==<TensorFlow minor>.*")
        return module
    if importlib.util.find_spec("keras") is None:
        pytest.skip('Keras 3 not installed: pip install "keras>=3" (TensorFlow >= 2.16 installs it)')
    module = importlib.import_module("keras")
    if not module.__version__.startswith("3."):
        pytest.skip(f"Keras 3 not installed: found keras {module.__version__} (TensorFlow <= 2.15 bundles Keras 2)")
    return module


__all__ = ["INSTALL", "KERAS_FLAVOURS", "keras_flavour", "missing", "requires"]

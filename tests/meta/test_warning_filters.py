"""The warnings policy: pyproject's filterwarnings ignore exactly the warnings TF is known to emit.

Each filter is applied the way pytest applies its ini filters (regex message and module, later entries
win, on top of "always"); then known TF texts must be swallowed while anything new (another message,
another category, a new deprecation from a tensorflow/keras module, a warning from tf_rnn_checks) must
still come through to the warnings summary.
"""

from __future__ import annotations

import builtins
import re
import warnings
from pathlib import Path

import pytest

from tf_rnn_checks.warning_filters import ignoring_known_tf_warnings, known_tf_warning_filters

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[2]
FILTERS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["filterwarnings"]

KNOWN = [  # (message, category, module) as TF 2.12 / 2.15 / 2.21 emit them
    *[
        (
            f"`tf.nn.rnn_cell.{cell}` is deprecated and will be removed in a future version. This class is equivalent as "
            f"`tf.keras.layers.{keras}`, and will be replaced by that in Tensorflow 2.0.",
            UserWarning,
            "tf_rnn_checks.cells",
        )
        for cell, keras in [
            ("GRUCell", "GRUCell"),
            ("LSTMCell", "LSTMCell"),
            ("BasicLSTMCell", "LSTMCell"),
            ("BasicRNNCell", "SimpleRNNCell"),
        ]
    ],
    (
        "`tf.nn.rnn_cell.MultiRNNCell` is deprecated and will be removed in a future version. This class is equivalent as "
        "`tf.keras.layers.StackedRNNCells`, and will be replaced by that in Tensorflow 2.0.",
        UserWarning,
        "tf_rnn_checks.drivers",
    ),
    (
        "`layer.updates` will be removed in a future version. This property should not be used in TensorFlow 2.0, "
        "as `updates` are applied automatically.",
        UserWarning,
        "tf_keras.src.legacy_tf_layers.base",
    ),
    ("module 'sre_constants' is deprecated", DeprecationWarning, "tensorflow.python.debug.cli.debugger_cli_common"),
    ("invalid escape sequence '\\ '", DeprecationWarning, "keras.utils.data_utils"),
    ("invalid escape sequence '\\{'", DeprecationWarning, "keras.utils.vis_utils"),
    ("invalid escape sequence '\\}'", DeprecationWarning, "keras.utils.vis_utils"),
]

NEW = [  # must NOT be filtered
    ("`tf.compat.v1.nn.dynamic_rnn` is deprecated, use keras.layers.RNN", DeprecationWarning, "tensorflow.python.ops.rnn"),
    ("Call to deprecated function rnn_cell_impl", DeprecationWarning, "tensorflow.python.util.deprecation"),
    ("This module will be removed", DeprecationWarning, "tf_keras.src.layers.rnn"),
    ("This module will be removed", DeprecationWarning, "keras.src.layers.rnn"),
    ("Call to deprecated create function FieldDescriptor()", DeprecationWarning, "google.protobuf.descriptor"),
    ("the imp module is deprecated", DeprecationWarning, "flatbuffers.compat"),
    ("`tf.nn.rnn_cell.GRUCell` is deprecated and will be removed in a future version.", DeprecationWarning, "tensorflow"),
    ("`tf.nn.rnn_cell.GRUCell` is deprecated and will be removed in a future version.", FutureWarning, "tensorflow"),
    ("`tf.nn.rnn_cell.GRUCell` now behaves differently", UserWarning, "tf_rnn_checks.cells"),
    ("`tf.layers.Dense` is deprecated and will be removed in a future version.", UserWarning, "tf_rnn_checks.cells"),
    ("`layer.updates` changed meaning", UserWarning, "tf_keras.src.legacy_tf_layers.base"),
    ("invalid escape sequence '\\d'", DeprecationWarning, "tf_rnn_checks.references.cells"),
    ("overflow encountered in matmul", RuntimeWarning, "tf_rnn_checks.references.cells"),
    ("unclosed file <_io.BufferedReader name='old.index'>", ResourceWarning, "tf_rnn_checks.checks.checkpoints"),
]


def _install(filters: list[str]) -> None:
    """Apply ini filter strings as pytest does: ``action:message:category:module:lineno``, regexes, last wins."""
    warnings.simplefilter("always")
    for text in filters:
        action, message, category, module, *_ = [*text.split(":", 4), "", "", "", ""][:5]
        warnings.filterwarnings(action, message, getattr(builtins, category) if category else Warning, module)


def _shown(message: str, category: type[Warning], module: str) -> bool:
    with warnings.catch_warnings(record=True) as caught:
        _install(FILTERS)
        warnings.warn_explicit(message, category, module.replace(".", "/") + ".py", 1, module=module)
    return bool(caught)


def test_filters_name_message_and_category() -> None:
    """No module-wide or category-wide ignore: every filter has both a message and a category."""
    for text in FILTERS:
        action, message, category, *rest = text.split(":")
        assert action == "ignore" and message and category, text
        assert not rest or not any(rest), f"filter by message and category only, not by module: {text}"
        re.compile(message)


@pytest.mark.parametrize(("message", "category", "module"), KNOWN, ids=[m[:40] for m, _, _ in KNOWN])
def test_known_tf_warnings_are_filtered(message: str, category: type[Warning], module: str) -> None:
    assert not _shown(message, category, module)


@pytest.mark.parametrize(("message", "category", "module"), NEW, ids=[f"{c.__name__}-{m[:40]}" for m, c, _ in NEW])
def test_new_warnings_are_surfaced(message: str, category: type[Warning], module: str) -> None:
    assert _shown(message, category, module)


def test_the_warning_check_records_despite_the_filters() -> None:
    """check_legacy_cell_construction_warns records with catch_warnings(record=True) + simplefilter("always"),
    which overrides the ignore filters, so the text it pins is measured even though the suite ignores it."""
    source = (ROOT / "tf_rnn_checks" / "checks" / "api_surface.py").read_text()
    body = source[source.index("def check_legacy_cell_construction_warns") :]
    body = body[: body.index("\n@check") if "\n@check" in body else len(body)]
    assert "warnings.catch_warnings(record=True)" in body and 'warnings.simplefilter("always")' in body
    message, category, module = KNOWN[0]
    with warnings.catch_warnings():
        _install(FILTERS)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.warn_explicit(message, category, "cells.py", 1, module=module)
    assert [str(w.message) for w in caught] == [message]


def test_check_cell_reads_the_same_filters() -> None:
    """tf_rnn_checks.warning_filters reads the packaged pytest.ini, which holds pyproject's list (test_suite_entry keeps them equal)."""
    assert list(known_tf_warning_filters()) == FILTERS


@pytest.mark.parametrize(("message", "category", "module", "shown"), [(*k, False) for k in KNOWN] + [(*n, True) for n in NEW])
def test_check_cell_ignores_the_known_warnings_and_shows_new_ones(message: str, category: type[Warning], module: str, shown: bool) -> None:
    """Inside ignoring_known_tf_warnings() (every generic check on a user's cell) known TF texts are ignored, anything new shows."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ignoring_known_tf_warnings():
            warnings.warn_explicit(message, category, module.replace(".", "/") + ".py", 1, module=module)
    assert bool(caught) is shown

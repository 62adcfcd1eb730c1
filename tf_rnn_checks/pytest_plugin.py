"""The suite's pytest plugin: legacy-Keras setup, the session header, the availability gate and clearing shared
runs around monkeypatching tests; it loads the suite's other plugins (:data:`pytest_plugins`). Loaded by the
repository's ``conftest.py`` (and by ``tf-rnn-checks run``); it is not auto-registered, so installing the package
changes no other project's pytest runs.
"""

from __future__ import annotations

import platform
from collections.abc import Iterator
from typing import Any

import pytest

from tf_rnn_checks.legacy_keras import EnvironmentSetup, configure_legacy_keras, installed_tensorflow

_SETUP_KEY = pytest.StashKey[EnvironmentSetup]()
pytest_plugins = [
    "tf_rnn_checks.selection",  # --tf-modes, --exhaustive: which cases run
    "tf_rnn_checks.known_differences",  # known_differences.toml: expected failures by TF version, with reasons
    "tf_rnn_checks.report.capture",  # each check's metadata and observations
    "tf_rnn_checks.report.goldens",  # --update-goldens, --golden
    "tf_rnn_checks.report.collect",  # --report DIR: report.json and report.md
    "tf_rnn_checks.progress",  # what a long run is doing before its first result, and an estimate of its length
]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SETUP_KEY] = configure_legacy_keras()
    config.addinivalue_line("markers", "legacy_cells: needs tf.compat.v1.nn.rnn_cell; skipped with the fix when it is unavailable")
    config.addinivalue_line("markers", "gate: the check that fails, once, when the legacy cells are unavailable")


def pytest_report_header(config: pytest.Config) -> list[str]:
    import numpy

    from tf_rnn_checks import selection
    from tf_rnn_checks.legacy_keras import legacy_cells_status

    distribution = installed_tensorflow()
    status = legacy_cells_status()
    from tf_rnn_checks.tf_import import tf

    return [
        f"tf-rnn-checks: TensorFlow {tf.__version__} ({distribution[0] if distribution else 'unknown distribution'}), "
        f"NumPy {numpy.__version__}, Python {platform.python_version()}",
        f"tf-rnn-checks: {status.describe()}",
        f"tf-rnn-checks: {config.stash[_SETUP_KEY].action}",
        f"tf-rnn-checks: {selection.describe(config)}",
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if any(item.get_closest_marker("legacy_cells") for item in items):
        from tf_rnn_checks.legacy_keras import legacy_cells_status

        status = legacy_cells_status()
        if not status.available:
            skip = pytest.mark.skip(reason=f"legacy RNN cells unavailable ({status.problem}); fix: {status.fix}")
            for item in items:
                if item.get_closest_marker("legacy_cells"):
                    item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[Any]:
    # A test that monkeypatches TF must neither read a shared run computed without its patch nor leave one behind.
    patches = "monkeypatch" in getattr(item, "fixturenames", ())
    if patches:
        from tf_rnn_checks import shared_runs

        shared_runs.clear()
    try:
        return (yield)
    finally:
        if patches:
            shared_runs.clear()

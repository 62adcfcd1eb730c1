"""The suite's pytest plugin: legacy-Keras setup, session header, the availability gate, mode
selection and observation recording. Loaded by the repository's ``conftest.py`` (and by
``tf-rnn-checks run``); it is not auto-registered, so installing the package changes no other
project's pytest runs.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterator
from typing import Any

import pytest

from tf_rnn_checks.legacy_keras import EnvironmentSetup, configure_legacy_keras, installed_tensorflow

MODES_ENV_VAR = "TF_RNN_CHECKS_MODES"
EXHAUSTIVE_ENV_VAR = "TF_RNN_CHECKS_EXHAUSTIVE"
ALL_MODES = ("graph", "eager", "function")
_SETUP_KEY = pytest.StashKey[EnvironmentSetup]()
# The behaviour report (--report DIR, --golden, --update-goldens): check metadata, outcomes, report.json/md.
pytest_plugins = ["tf_rnn_checks.report.collect"]
_MODES_KEY = pytest.StashKey[tuple]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tf-rnn-checks")
    group.addoption(
        "--tf-modes",
        default=os.environ.get(MODES_ENV_VAR, ",".join(ALL_MODES)),
        help=f"comma-separated execution modes to run: {', '.join(ALL_MODES)} (default: all, or ${MODES_ENV_VAR})",
    )
    group.addoption(
        "--exhaustive",
        action="store_true",
        default=os.environ.get(EXHAUSTIVE_ENV_VAR, "") not in ("", "0"),
        help=f"run every check in every mode for every case (the full product), not the default selection where modes rotate (or ${EXHAUSTIVE_ENV_VAR}=1); "
        "narrowing --tf-modes also runs every case in the modes kept",
    )


def _selected_modes(config: pytest.Config) -> tuple[str, ...]:
    modes = tuple(mode.strip() for mode in config.getoption("--tf-modes").split(",") if mode.strip())
    unknown = [mode for mode in modes if mode not in ALL_MODES]
    if unknown or not modes:
        raise pytest.UsageError(
            f"--tf-modes / {MODES_ENV_VAR}: expected a comma-separated subset of {ALL_MODES}, got {unknown or 'nothing'}"
        )
    return modes


def rotating(config: pytest.Config) -> bool:
    """Whether this run is the default selection: modes rotate over each check's cases (all three modes, no --exhaustive)."""
    # Narrowing --tf-modes runs every case in the modes kept, so no case is left without a mode.
    return not config.getoption("--exhaustive") and set(config.stash[_MODES_KEY]) == set(ALL_MODES)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SETUP_KEY] = configure_legacy_keras()
    config.stash[_MODES_KEY] = _selected_modes(config)
    config.addinivalue_line("markers", "legacy_cells: needs tf.compat.v1.nn.rnn_cell; skipped with the fix when it is unavailable")
    config.addinivalue_line("markers", "gate: the check that fails, once, when the legacy cells are unavailable")
    config.addinivalue_line("markers", "exhaustive: a case outside the default selection; runs with --exhaustive")


def pytest_report_header(config: pytest.Config) -> list[str]:
    import numpy

    from tf_rnn_checks.legacy_keras import legacy_cells_status

    distribution = installed_tensorflow()
    status = legacy_cells_status()
    from tf_rnn_checks.tf_import import tf

    return [
        f"tf-rnn-checks: TensorFlow {tf.__version__} ({distribution[0] if distribution else 'unknown distribution'}), "
        f"NumPy {numpy.__version__}, Python {platform.python_version()}",
        f"tf-rnn-checks: {status.describe()}",
        f"tf-rnn-checks: {config.stash[_SETUP_KEY].action}",
        f"tf-rnn-checks: execution modes {', '.join(config.stash[_MODES_KEY])} (--tf-modes / ${MODES_ENV_VAR}); "
        + (
            "default selection: modes rotate over the cases (--exhaustive for all)"
            if rotating(config)
            else "every case in every mode selected"
        ),
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    modes = config.stash[_MODES_KEY]
    rotate = rotating(config)
    kept, deselected = [], []
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        mode = params.get("mode") or getattr(params.get("check"), "mode", None)  # parametrize_with_checks' bound check
        outside = (mode and mode not in modes) or (rotate and item.get_closest_marker("exhaustive"))
        (deselected if outside else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    if any(item.get_closest_marker("legacy_cells") for item in items):
        from tf_rnn_checks.legacy_keras import legacy_cells_status

        status = legacy_cells_status()
        if not status.available:
            skip = pytest.mark.skip(reason=f"legacy RNN cells unavailable ({status.problem}); fix: {status.fix}")
            for item in items:
                if item.get_closest_marker("legacy_cells"):
                    item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[Any]:
    from tf_rnn_checks.observations import Recording

    with Recording() as recording:
        try:
            return (yield)
        finally:
            item.user_properties.append(("observations", recording.records))


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

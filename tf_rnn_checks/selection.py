"""Which cases a run selects: the execution modes (``--tf-modes``) and the default selection vs ``--exhaustive``.

The default selection runs every check on every value of every axis, with the modes rotating over the cases
(:func:`tf_rnn_checks.registry.default_cases`); ``--exhaustive`` runs the full product, and narrowing
``--tf-modes`` runs every case in the modes kept. TensorFlow-free, so the plugin can use it before TF is imported.
"""

from __future__ import annotations

import os

import pytest

MODES: tuple[str, ...] = ("graph", "eager", "function")
MODES_ENV_VAR = "TF_RNN_CHECKS_MODES"
EXHAUSTIVE_ENV_VAR = "TF_RNN_CHECKS_EXHAUSTIVE"
_MODES_KEY = pytest.StashKey[tuple]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tf-rnn-checks")
    group.addoption(
        "--tf-modes",
        default=os.environ.get(MODES_ENV_VAR, ",".join(MODES)),
        help=f"comma-separated execution modes to run: {', '.join(MODES)} (default: all, or ${MODES_ENV_VAR})",
    )
    group.addoption(
        "--exhaustive",
        action="store_true",
        default=os.environ.get(EXHAUSTIVE_ENV_VAR, "") not in ("", "0"),
        help=f"run every check in every mode for every case (the full product), not the default selection where modes rotate (or ${EXHAUSTIVE_ENV_VAR}=1); "
        "narrowing --tf-modes also runs every case in the modes kept",
    )


def parse_modes(text: str) -> tuple[str, ...]:
    """The modes named in a comma-separated ``--tf-modes`` value; ``pytest.UsageError`` naming the unknown ones."""
    modes = tuple(mode.strip() for mode in text.split(",") if mode.strip())
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown or not modes:
        raise pytest.UsageError(f"--tf-modes / {MODES_ENV_VAR}: expected a comma-separated subset of {MODES}, got {unknown or 'nothing'}")
    return modes


def selected_modes(config: pytest.Config) -> tuple[str, ...]:
    return config.stash[_MODES_KEY]


def rotating(config: pytest.Config) -> bool:
    """Whether this run is the default selection: modes rotate over each check's cases (all three modes, no --exhaustive)."""
    # Narrowing --tf-modes runs every case in the modes kept, so no case is left without a mode.
    return not config.getoption("--exhaustive") and set(selected_modes(config)) == set(MODES)


def describe(config: pytest.Config) -> str:
    """The header line saying which modes and selection run."""
    selection = (
        "default selection: modes rotate over the cases (--exhaustive for all)" if rotating(config) else "every case in every mode selected"
    )
    return f"execution modes {', '.join(selected_modes(config))} (--tf-modes / ${MODES_ENV_VAR}); {selection}"


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_MODES_KEY] = parse_modes(config.getoption("--tf-modes"))
    config.addinivalue_line("markers", "exhaustive: a case outside the default selection; runs with --exhaustive")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    modes = selected_modes(config)
    rotate = rotating(config)
    kept, deselected = [], []
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        # parametrize_with_checks' bound check carries its mode, and so does a generic check's cell value that absorbed a
        # family case in another mode (tf_rnn_checks.matrix.under(..., mode=...)).
        mode = params.get("mode") or getattr(params.get("check"), "mode", None) or getattr(params.get("cell"), "mode", None)
        outside = (mode and mode not in modes) or (rotate and item.get_closest_marker("exhaustive"))
        (deselected if outside else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept

"""The pytest side of the report: each check's outcome, and writing ``report.json``/``report.md``.

Registered by :mod:`tf_rnn_checks.pytest_plugin`. ``--report DIR`` writes DIR/report.json and DIR/report.md;
goldens (:mod:`tf_rnn_checks.report.goldens`) are written and compared from the same report. The checks'
metadata and observations arrive in ``user_properties`` (:mod:`tf_rnn_checks.report.capture`); under xdist
only the controller writes.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tf_rnn_checks import known_differences, selection
from tf_rnn_checks.report import capture, goldens, schema

_COLLECTOR_KEY = pytest.StashKey["Collector"]()
_RESULT_KEY = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tf-rnn-checks report")
    group.addoption("--report", metavar="DIR", default=None, help="write DIR/report.json and DIR/report.md (the behaviour report)")


MAX_REASON = 2000
_SITE_PACKAGES = re.compile(r"[^\s\"']*[/\\]site-packages[/\\]")


def _reason(report: pytest.TestReport) -> str:
    # Paths into an environment (site-packages of a tox env, a venv) differ per machine: keep them relative.
    text = _SITE_PACKAGES.sub("", _full_reason(report))
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def _full_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        text = str(longrepr[2])
        return text[len("Skipped: ") :] if text.startswith("Skipped: ") else text
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None and getattr(crash, "message", None):
        return str(crash.message)
    lines = [line for line in str(longrepr or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


class Collector:
    """Accumulates the per-phase reports of each check into one entry."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.add(report)

    def add(self, report: pytest.TestReport) -> None:
        metadata = capture.item_property(report.user_properties, capture.CHECK_PROPERTY)
        if metadata is None:
            return
        entry = self.entries.setdefault(report.nodeid, {**metadata, "outcome": None, "duration": 0.0, "reason": "", "observations": {}})
        entry["duration"] = round(entry["duration"] + float(report.duration or 0.0), 4)
        observations = capture.item_property(report.user_properties, capture.OBSERVATIONS_PROPERTY)
        if isinstance(observations, dict):
            entry["observations"].update(observations)
        tolerances = capture.item_property(report.user_properties, capture.TOLERANCES_PROPERTY)
        if tolerances:
            entry.setdefault("tolerances", {}).update(tolerances)
        wasxfail = getattr(report, "wasxfail", None)
        if report.when == "call":
            if wasxfail is not None:
                entry["outcome"] = "xfailed" if report.skipped else "xpassed"
                entry["reason"] = str(wasxfail)
            else:
                entry["outcome"] = report.outcome
                entry["reason"] = _reason(report) if report.outcome != "passed" else ""
        elif report.skipped and entry["outcome"] is None:
            entry["outcome"] = "xfailed" if wasxfail is not None else "skipped"
            entry["reason"] = str(wasxfail) if wasxfail is not None else _reason(report)
        elif report.failed:
            if entry["outcome"] in (None, "passed"):
                entry["outcome"] = "error"
                entry["reason"] = f"error in {report.when}: {_reason(report)}"

    def checks(self) -> list[dict[str, Any]]:
        done = [entry for entry in self.entries.values() if entry["outcome"] is not None]
        return sorted(done, key=lambda entry: entry["id"])


def _version(*distributions: str) -> str | None:
    for name in distributions:
        try:
            return f"{name} {importlib.metadata.version(name)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def environment(config: pytest.Config | None = None) -> dict[str, Any]:
    """Versions and platform of this run (imports TensorFlow through the suite's configured import)."""
    from tf_rnn_checks.legacy_keras import installed_tensorflow, installed_tf_keras, legacy_cells_status

    tensorflow = installed_tensorflow()
    tf_keras = installed_tf_keras()
    try:
        status = legacy_cells_status()
        legacy = {"available": status.available, "home": status.home, "module": status.module, "problem": status.problem}
        tf_version = sys.modules["tensorflow"].__version__
    except Exception as error:  # the report must still be written when TF cannot even be imported
        legacy = {"available": False, "home": "unavailable", "module": "", "problem": f"{type(error).__name__}: {error}"}
        tf_version = tensorflow[1] if tensorflow else None
    modes = None
    if config is not None:
        try:
            modes = list(selection.selected_modes(config))
        except KeyError:  # a config the selection plugin did not configure
            modes = None
    return {
        "tensorflow": tf_version,
        "tensorflow_distribution": tensorflow[0] if tensorflow else None,
        "tf_keras": tf_keras[1] if tf_keras else None,
        "keras": _version("keras", "keras-nightly"),
        "legacy_cells": legacy,
        "TF_USE_LEGACY_KERAS": os.environ.get("TF_USE_LEGACY_KERAS"),
        "numpy": _version("numpy"),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "modes": modes,
        "selection": _selection(config),
        "known_differences": known_differences.summary(config) if config is not None else None,
    }


def _selection(config: pytest.Config | None) -> str | None:
    """``default`` (modes rotate over the cases) or ``exhaustive`` (every case in every selected mode)."""
    if config is None:
        return None
    try:
        return "default" if selection.rotating(config) else "exhaustive"
    except (ValueError, KeyError):
        return None


def build_report(checks: list[dict[str, Any]], env: dict[str, Any], exit_status: int) -> dict[str, Any]:
    from tf_rnn_checks import __version__

    summary: dict[str, int] = {}
    families: dict[str, str] = {}
    for entry in checks:
        doc = entry.pop("family_doc", "")
        families[entry["family"]] = families.get(entry["family"]) or doc
        summary[entry["outcome"]] = summary.get(entry["outcome"], 0) + 1
    return {
        "schema": schema.SCHEMA_NAME,
        "schema_version": schema.SCHEMA_VERSION,
        "suite_version": __version__,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "exit_status": int(exit_status),
        "environment": env,
        "summary": dict(sorted(summary.items())),
        "families": dict(sorted(families.items())),
        "checks": checks,
    }


def pytest_configure(config: pytest.Config) -> None:
    collector = Collector()
    config.stash[_COLLECTOR_KEY] = collector
    config.pluginmanager.register(collector, "tf-rnn-checks-report-collector")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workerinput") or not (config.getoption("--report") or goldens.wanted(config)):
        return
    from tf_rnn_checks.report import markdown, questions

    lines: list[str] = []
    report = build_report(config.stash[_COLLECTOR_KEY].checks(), environment(config), exitstatus)
    directory = config.getoption("--report")
    if directory:
        json_path = schema.write_atomic(Path(directory) / "report.json", schema.dumps(report))
        md_path = schema.write_atomic(Path(directory) / "report.md", markdown.render(report))
        schema.write_atomic(Path(directory) / "questions.md", questions.render(report))
        lines.append(f"tf-rnn-checks: report written to {json_path} and {md_path} ({len(report['checks'])} checks)")
    lines += goldens.finish(session, report)
    config.stash[_RESULT_KEY] = lines


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = config.stash.get(_RESULT_KEY, [])
    if lines:
        terminalreporter.section("tf-rnn-checks report")
        for text in lines:
            terminalreporter.write_line(text)

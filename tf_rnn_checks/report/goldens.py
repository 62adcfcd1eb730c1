"""Goldens: the committed report of each TF version, written with ``--update-goldens`` and compared with ``--golden``.

``goldens/tf<major.minor>[-no-tf-keras].json`` in a checkout (``--goldens-dir``), else the copy a wheel installs
under ``<prefix>/share/tf-rnn-checks/goldens``. ``--golden PATH|auto`` prints the diff against a golden at the
end of the run and fails the session on the classes ``--golden-fail-on`` names (regressions by default).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tf_rnn_checks.report import diff, schema

# The wheel installs the goldens here (pyproject's data-files), for --golden auto outside a checkout.
INSTALLED_GOLDENS = Path(sys.prefix) / "share" / "tf-rnn-checks" / "goldens"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tf-rnn-checks report")
    group.addoption(
        "--update-goldens",
        action="store_true",
        help="also write the report as the golden of the installed TF version: GOLDENS_DIR/tf<major.minor>[-no-tf-keras].json",
    )
    group.addoption("--goldens-dir", metavar="DIR", default="goldens", help="where goldens live (default: ./goldens)")
    group.addoption(
        "--golden",
        metavar="PATH",
        default=None,
        help="compare this run with a golden report.json ('auto': the installed TF's golden in GOLDENS_DIR, else the one "
        "installed with the package) and print the diff",
    )
    group.addoption("--golden-fail-on", type=diff.fail_on_argument, default="regression", help="with --golden: " + diff.FAIL_ON_HELP)


def wanted(config: pytest.Config) -> bool:
    return bool(config.getoption("--update-goldens") or config.getoption("--golden"))


def golden_name(env: dict[str, Any]) -> str:
    """``tf2.21``, or ``tf2.21-no-tf-keras`` for a Keras-3 TF without tf-keras."""
    version = str(env.get("tensorflow") or "unknown")
    parts = version.split(".")
    name = f"tf{'.'.join(parts[:2])}"
    try:
        keras3 = (int(parts[0]), int(parts[1])) >= (2, 16)
    except (ValueError, IndexError):
        keras3 = False
    if keras3 and not env.get("tf_keras"):
        name += "-no-tf-keras"
    return name


def auto_golden(goldens: Path, name: str) -> Path:
    """``goldens/<name>.json``, else the copy installed with the package."""
    local = goldens / f"{name}.json"
    installed = INSTALLED_GOLDENS / f"{name}.json"
    return installed if not local.exists() and installed.exists() else local


def finish(session: pytest.Session, report: dict[str, Any]) -> list[str]:
    """Write and compare goldens as the options ask; returns the lines for the terminal summary."""
    config = session.config
    lines: list[str] = []
    goldens = Path(config.getoption("--goldens-dir"))
    if config.getoption("--update-goldens"):
        path = schema.write_atomic(goldens / f"{golden_name(report['environment'])}.json", schema.dumps(report))
        lines.append(f"tf-rnn-checks: golden updated: {path}")
    golden = config.getoption("--golden")
    if golden:
        path = auto_golden(goldens, golden_name(report["environment"])) if golden == "auto" else Path(golden)
        fail_on = config.getoption("--golden-fail-on")
        try:
            old = schema.load(path)
        except schema.ReportError as error:
            lines.append(f"tf-rnn-checks: cannot compare with the golden: {error}")
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
        else:
            result = diff.compare(old, report)
            lines.append(diff.render_markdown(result, old_name=str(path), new_name="this run", fail_on=fail_on))
            if session.exitstatus == pytest.ExitCode.OK and diff.should_fail(result, fail_on):
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
    return lines

"""Known differences as data: entries become strict xfails or skips with their reason, stale ones warn, bad files are refused."""

from __future__ import annotations

import json

import pytest

from tf_rnn_checks import known_differences

pytest_plugins = ["pytester"]

CHECKS = """
import sys
from tf_rnn_checks import registry
from tf_rnn_checks.registry import check

@check(case=("a", "b"), needs_legacy_cells=False)
def check_changed_on_purpose(case):
    '''A behaviour the installed TF changed.'''
    assert False, "observed 2, but TF was expected to give 1"

@check(needs_legacy_cells=False)
def check_still_holds():
    '''A behaviour that still holds.'''

for function in (check_changed_on_purpose, check_still_holds):
    function.__module__ = "tf_rnn_checks.checks.demo"  # so the report sees them as suite checks of a family "demo"
globals().update(registry.tests_from(sys.modules[__name__]))
"""

ENTRIES = """
[[difference]]
check = "demo::test_changed_on_purpose[a]"
tensorflow = ">=2"
outcome = "failed"
reason = "TF 2 changed this on purpose"

[[difference]]
check = "demo::test_changed_on_purpose[b]"
tensorflow = "<1"
outcome = "failed"
reason = "only on TF 0.x"

[[difference]]
check = "demo::test_still_holds"
outcome = "failed"
reason = "said to fail, but passes"

[[difference]]
check = "demo::test_removed_long_ago*"
outcome = "skipped"
reason = "a check that no longer exists"
"""


def test_entries_become_strict_xfails_with_reasons_and_stale_ones_warn(pytester: pytest.Pytester) -> None:
    """Under xdist: an applying entry xfails its check with the reason in the report; a passing one fails strictly; a stale one warns."""
    pytester.makepyfile(test_demo=CHECKS)
    pytester.makefile(".toml", known_differences=ENTRIES)
    result = pytester.runpytest_subprocess(
        "-p",
        "tf_rnn_checks.pytest_plugin",
        "-p",
        "no:randomly",
        "--known-differences",
        "known_differences.toml",
        "-p",
        "no:hypothesispytest",
        "--report",
        "out",
        "-n",
        "1",  # one worker is enough to take the xdist path (workeroutput); each process imports TensorFlow
    )
    checks = {entry["id"]: entry for entry in json.loads((pytester.path / "out" / "report.json").read_text())["checks"]}
    assert checks["demo::test_changed_on_purpose[a]"]["outcome"] == "xfailed"
    assert checks["demo::test_changed_on_purpose[a]"]["reason"] == "known difference: TF 2 changed this on purpose"
    assert checks["demo::test_changed_on_purpose[b]"]["outcome"] == "failed", "an entry for other TF versions does not apply"
    assert checks["demo::test_still_holds"]["outcome"] == "failed", "an unexpected pass fails (strict xfail)"
    assert "XPASS(strict)" in checks["demo::test_still_holds"]["reason"]
    result.stdout.fnmatch_lines(["*stale entry in known_differences.toml: demo::test_removed_long_ago* (every version: skipped)*"])
    report = json.loads((pytester.path / "out" / "report.json").read_text())
    assert report["environment"]["known_differences"]["stale"] == ["demo::test_removed_long_ago* (every version: skipped)"]


def test_the_shipped_file_is_valid_and_each_entry_has_a_reason() -> None:
    """The repository's known_differences.toml loads; every entry it holds names a reason."""
    assert all(entry.reason.strip() for entry in known_differences.load(known_differences.DEFAULT_FILE))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[difference]]\ncheck = 'x'\noutcome = 'failed'\n", "missing fields ['reason']"),
        ("[[difference]]\ncheck = 'x'\noutcome = 'passed'\nreason = 'r'\n", "outcome must be one of ('failed', 'skipped')"),
        ("[[difference]]\ncheck = 'x'\noutcome = 'failed'\nreason = 'r'\ntensorflow = 'two'\n", "tensorflow: expected a version specifier"),
        ("[[difference]]\ncheck = 'x'\noutcome = 'failed'\nreason = 'r'\nwhen = 'x'\n", "unknown fields ['when']"),
        ("[[difference]\n", "not valid TOML"),
        ("[other]\n", "expected only [[difference]] tables"),
    ],
)
def test_unusable_files_are_refused_naming_the_file_and_field(tmp_path, text: str, message: str) -> None:
    """Each mistake in the file is a ValueError naming the file and what was expected."""
    path = tmp_path / "known.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match="known.toml") as raised:
        known_differences.load(path)
    assert message in str(raised.value)


def test_a_missing_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    """--known-differences naming no file stops the run with one line naming it."""
    pytester.makepyfile(test_nothing="def test_nothing(): pass")
    result = pytester.runpytest_inprocess("-p", "tf_rnn_checks.pytest_plugin", "--known-differences", "nowhere.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--known-differences: nowhere.toml: cannot read the known-differences file*"])


@pytest.mark.parametrize(
    ("pattern", "check_id", "matches"),
    [
        ("lstm_layout::test_x[LSTMCell(units=3)-graph]", "lstm_layout::test_x[LSTMCell(units=3)-graph]", True),
        ("lstm_layout::test_x[a]", "lstm_layout::test_x[b]", False),
        ("lstm_layout::test_x[*-graph]", "lstm_layout::test_x[GRUCell(units=3)-graph]", True),
        ("lstm_layout::test_x[*-graph]", "lstm_layout::test_x[GRUCell(units=3)-eager]", False),
        ("*::test_x[?]", "family::test_x[a]", True),
    ],
)
def test_check_patterns_are_literal_but_for_star_and_question_mark(pattern: str, check_id: str, matches: bool) -> None:
    """Brackets in ids are literal (not glob character classes); * and ? are the only wildcards."""
    entry = known_differences.Difference(check=pattern, outcome="failed", reason="r")
    assert entry.matches(check_id) is matches

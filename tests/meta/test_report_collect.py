"""The plugin side: phase reports become one entry per check; golden names; run's pytest command line."""

from __future__ import annotations

import pytest

from tf_rnn_checks import cli
from tf_rnn_checks.report import capture, collect, goldens

META = {"id": "naming::test_x[a]", "family": "naming", "check": "test_x", "params": {"case": "a"}, "docstring": "X.", "family_doc": ""}


def _report(when: str, outcome: str, longrepr=None, observations=None, **extra) -> pytest.TestReport:
    properties = [(capture.CHECK_PROPERTY, META)]
    if observations is not None:
        properties.append(("observations", observations))
    result = pytest.TestReport(
        "tests/test_naming.py::test_x[a]", ("f", 1, "x"), {}, outcome, longrepr, when, user_properties=properties, duration=0.5
    )
    for key, value in extra.items():
        setattr(result, key, value)
    return result


def _entry(*reports: pytest.TestReport) -> dict:
    collector = collect.Collector()
    for item in reports:
        collector.add(item)
    [entry] = collector.checks()
    return entry


def test_a_passing_check_keeps_its_observations_and_total_duration() -> None:
    entry = _entry(_report("setup", "passed"), _report("call", "passed", observations={"names": ["a:0"]}), _report("teardown", "passed"))
    assert entry["outcome"] == "passed" and entry["reason"] == ""
    assert entry["observations"] == {"names": ["a:0"]}
    assert entry["duration"] == 1.5


def test_a_skip_in_setup_carries_its_reason() -> None:
    entry = _entry(_report("setup", "skipped", ("f.py", 3, "Skipped: legacy RNN cells unavailable")), _report("teardown", "passed"))
    assert (entry["outcome"], entry["reason"]) == ("skipped", "legacy RNN cells unavailable")


def test_a_failure_carries_the_assertion_line() -> None:
    entry = _entry(
        _report("setup", "passed"),
        _report("call", "failed", "E   AssertionError: names: observed ['w'], but TF was expected to give ['k']"),
        _report("teardown", "passed"),
    )
    assert entry["outcome"] == "failed"
    assert "observed ['w']" in entry["reason"]


def test_environment_paths_are_dropped_from_reasons() -> None:
    message = 'E   ValueError: in user code: File "/work/x/.tox/tf2.14/lib/python3.11/site-packages/tf_rnn_checks/modes.py", line 117'
    entry = _entry(_report("setup", "passed"), _report("call", "failed", message))
    assert 'File "tf_rnn_checks/modes.py", line 117' in entry["reason"]


def test_xfail_and_teardown_errors() -> None:
    assert _entry(_report("setup", "passed"), _report("call", "skipped", ("f", 1, "x"), wasxfail="known on 2.12"))["outcome"] == "xfailed"
    errored = _entry(_report("setup", "passed"), _report("call", "passed"), _report("teardown", "failed", "E   RuntimeError: boom"))
    assert errored["outcome"] == "error" and "teardown" in errored["reason"]


def test_tests_that_are_not_checks_are_left_out() -> None:
    collector = collect.Collector()
    collector.add(
        pytest.TestReport("tests/meta/test_x.py::test_y", ("f", 1, "y"), {}, "passed", None, "call", user_properties=[], duration=0.1)
    )
    assert collector.checks() == []


@pytest.mark.parametrize(
    ("tensorflow", "tf_keras", "name"),
    [
        ("2.15.1", None, "tf2.15"),
        ("2.21.0", "2.21.0", "tf2.21"),
        ("2.21.0", None, "tf2.21-no-tf-keras"),
        ("2.23.0-dev20261026", "2.23.0", "tf2.23"),
    ],
)
def test_golden_name(tensorflow: str, tf_keras: str | None, name: str) -> None:
    assert goldens.golden_name({"tensorflow": tensorflow, "tf_keras": tf_keras}) == name


def test_run_uses_the_packaged_suite_its_ini_xdist_and_a_report_by_default() -> None:
    arguments = cli.pytest_arguments(["-k", "lstm"])
    assert arguments[0].endswith("tf_rnn_checks/suite/test_suite.py")
    assert arguments[arguments.index("-c") + 1].endswith("tf_rnn_checks/suite/pytest.ini")
    assert "-n" in arguments and arguments[arguments.index("--report") + 1] == "report"
    assert arguments[-2:] == ["-k", "lstm"]
    explicit = cli.pytest_arguments(["-n", "1", "--report=out"])
    assert explicit.count("-n") == 1 and "--report" not in explicit
    assert "-n" not in cli.pytest_arguments(["-p", "no:xdist"])


def test_golden_auto_prefers_the_local_goldens_then_the_installed_copy(tmp_path, monkeypatch) -> None:
    installed = tmp_path / "share" / "tf-rnn-checks" / "goldens"
    installed.mkdir(parents=True)
    (installed / "tf2.21.json").write_text("{}")
    monkeypatch.setattr(goldens, "INSTALLED_GOLDENS", installed)
    local = tmp_path / "goldens"
    assert goldens.auto_golden(local, "tf2.21") == installed / "tf2.21.json"
    local.mkdir()
    (local / "tf2.21.json").write_text("{}")
    assert goldens.auto_golden(local, "tf2.21") == local / "tf2.21.json"
    assert goldens.auto_golden(local, "tf2.99") == local / "tf2.99.json", "a missing golden is reported at the path asked for"

"""Progress of a long run: what starts, how many tests were collected, and the estimate from the golden's durations."""

from __future__ import annotations

import json

import pytest

from tf_rnn_checks import progress

pytest_plugins = ["pytester"]


def test_the_estimate_sums_the_golden_durations_of_the_collected_checks_over_the_workers() -> None:
    """Only checks collected now count; their golden durations are divided over the workers; none known gives None."""
    durations = {"smoke::test_a[x]": 3.0, "smoke::test_a[y]": 1.0, "lstm::test_b": 10.0}
    assert progress.estimate_seconds(durations, {"test_a[x]", "test_a[y]"}, workers=2) == 2.0
    assert progress.estimate_seconds(durations, {"test_b", "test_new"}, workers=1) == 10.0
    assert progress.estimate_seconds(durations, {"test_new"}, workers=2) is None


def test_a_run_says_how_many_tests_it_collected_and_how_long_they_took_last_time(pytester: pytest.Pytester) -> None:
    """With a golden holding the checks' durations, the run prints the count and the estimate before the first result."""
    pytester.makepyfile(test_example="import pytest\n@pytest.mark.parametrize('case', ['a', 'b'])\ndef test_example(case): pass\n")
    goldens = pytester.mkdir("goldens")
    from tf_rnn_checks.legacy_keras import installed_tensorflow, installed_tf_keras
    from tf_rnn_checks.report.goldens import golden_name

    name = golden_name({"tensorflow": installed_tensorflow()[1], "tf_keras": (installed_tf_keras() or (None, None))[1]})
    checks = [{"id": f"demo::test_example[{case}]", "duration": 30.0} for case in "ab"]
    (goldens / f"{name}.json").write_text(json.dumps({"checks": checks}))
    result = pytester.runpytest_inprocess("-p", "tf_rnn_checks.pytest_plugin", "-p", "no:randomly", "-p", "no:xdist")
    result.stdout.fnmatch_lines(["tf-rnn-checks: 2 tests collected; their checks took about 60 s on 1 worker in the golden run"])

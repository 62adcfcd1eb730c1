"""tf-rnn-checks diff: outcome changes, observed values named to the nested key, appeared/vanished, exit codes."""

from __future__ import annotations

import json

import pytest

from tests.meta.reports import baseline, entry
from tf_rnn_checks import cli
from tf_rnn_checks.report import diff

KERNEL = "rnn/lstm_cell/kernel:0"


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_identical_reports_have_no_changes_and_exit_0(tmp_path, capsys) -> None:
    """Two equal reports: nothing changed, exit 0, and the text says so."""
    path = _write(tmp_path, "a.json", baseline())
    assert cli.main(["diff", path, path]) == 0
    assert "No check changed outcome or observed value." in capsys.readouterr().out


def test_renamed_variable_is_reported_as_a_rename_with_old_and_new_name(tmp_path, capsys) -> None:
    """A variable renamed kernel -> weights shows the observation key, the old and the new name."""
    new = baseline()
    inventory = new["checks"][0]["observations"]["inventory"]
    inventory["rnn/lstm_cell/weights:0"] = inventory.pop(KERNEL)
    result = diff.compare(baseline(), new)
    assert result["regressions"] == result["gains"] == result["notes"] == []
    [changed] = result["observation_changes"]
    assert changed["id"] == "naming::test_variable_names[LSTMCell(units=3)-graph]"
    assert changed["changes"] == [
        {"path": "inventory", "kind": "renamed", "old": KERNEL, "new": "rnn/lstm_cell/weights:0", "value": [7, 12]}
    ]
    code = cli.main(["diff", _write(tmp_path, "old.json", baseline()), _write(tmp_path, "new.json", new)])
    out = capsys.readouterr().out
    assert code == 0, "an observation change alone does not fail by default"
    assert f"`inventory`: key renamed `{KERNEL}` → `rnn/lstm_cell/weights:0`" in out
    assert "`LSTMCell(units=3)-graph`" in out


def test_changed_shape_names_the_nested_key(tmp_path) -> None:
    """A changed value inside a dict observation is reported under inventory["<name>"] with old and new value."""
    new = baseline()
    new["checks"][0]["observations"]["inventory"][KERNEL] = [7, 16]
    [changed] = diff.compare(baseline(), new)["observation_changes"]
    assert changed["changes"] == [{"path": f'inventory["{KERNEL}"][1]', "kind": "changed", "old": 12, "new": 16}]
    assert diff.change_text(changed["changes"][0]) == f'`inventory["{KERNEL}"][1]`: `12` → `16`'


def test_renamed_item_of_a_name_list_is_reported_by_position() -> None:
    """One name changed in a list of names is reported at its index."""
    new = baseline()
    new["checks"][0]["observations"]["names"] = ["a:0", "c:0"]
    [changed] = diff.compare(baseline(), new)["observation_changes"]
    assert changed["changes"] == [{"path": "names[1]", "kind": "changed", "old": "b:0", "new": "c:0"}]


def test_float_noise_is_not_a_change_but_a_moved_value_is() -> None:
    """max abs errors of order 1e-7 that differ slightly are equal; a default moving from 0 to 1 is a change."""
    new = baseline()
    new["checks"][2]["observations"]["max_abs_error"] = 2.5e-7
    assert diff.compare(baseline(), new)["observation_changes"] == []
    new["checks"][2]["observations"]["max_abs_error"] = 0.5
    [changed] = diff.compare(baseline(), new)["observation_changes"]
    assert changed["changes"][0]["path"] == "max_abs_error"


def test_pass_to_fail_is_a_regression_that_fails_by_default(tmp_path, capsys) -> None:
    """A check going from pass to fail is a regression: exit 1 by default, named with its reason; exit 0 with --fail-on none."""
    new = baseline()
    new["checks"][2].update(
        outcome="failed", reason="AssertionError: outputs.shape: observed (2, 3, 2), but TF was expected to give (2, 3, 3)"
    )
    old_path, new_path = _write(tmp_path, "old.json", baseline()), _write(tmp_path, "new.json", new)
    assert cli.main(["diff", old_path, new_path]) == 1
    out = capsys.readouterr().out
    assert "**Gate (regression): FAIL. Regressions: 1 check (1 case); gains: 0 checks (0 cases);" in out
    assert "## Regressions: checks that got worse: 1 check (1 case)" in out
    assert "- **smoke::test_output_shape** — The sentence of test_output_shape." in out
    assert "  - ✅ pass → ❌ FAIL in `GRUCell(units=3)-graph` — now: AssertionError: outputs.shape: observed (2, 3, 2)" in out
    assert cli.main(["diff", old_path, new_path, "--fail-on", "none"]) == 0


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("passed", "failed", "regression"),
        ("passed", "error", "regression"),
        ("passed", "skipped", "regression"),
        ("skipped", "failed", "regression"),
        ("xfailed", "xpassed", "regression"),
        ("skipped", "passed", "gain"),
        ("failed", "passed", "gain"),
        ("xfailed", "passed", "gain"),
        ("passed", "xfailed", "note"),
        ("failed", "skipped", "note"),
        ("failed", "error", "note"),
        ("passed", None, "regression"),
        ("skipped", None, "regression"),
        ("failed", None, "note"),
        (None, "passed", "gain"),
        (None, "skipped", "gain"),
        (None, "failed", "regression"),
        ("passed", "passed", None),
    ],
)
def test_every_outcome_move_has_one_class(old, new, kind) -> None:
    """Worse is a regression, better (or a new check) a gain, anything else a note; None is vanished or appeared."""
    assert diff.classify(old, new) == kind


def test_skips_that_became_passes_are_gains_and_do_not_fail_the_gate(tmp_path, capsys) -> None:
    """The 2.15 -> 2.21 shape: checks skipped for a missing runtime now pass; exit 0, counted as checks and cases."""
    old, new = baseline(), baseline()
    for index in (0, 1):
        old["checks"][index].update(outcome="skipped", reason="Keras 3 not installed: found keras 2.15.0")
    old_path, new_path = _write(tmp_path, "old.json", old), _write(tmp_path, "new.json", new)
    assert cli.main(["diff", old_path, new_path]) == 0
    out = capsys.readouterr().out
    assert "Regressions: 0 checks (0 cases); gains: 1 check (2 cases);" in out
    assert "## Gains: checks that got better or appeared: 1 check (2 cases)" in out
    assert "⏭ skip → ✅ pass in `LSTMCell(units=3)-eager`, `LSTMCell(units=3)-graph` — was: Keras 3 not installed" in out
    assert cli.main(["diff", old_path, new_path, "--fail-on", "gain"]) == 1
    assert cli.main(["diff", old_path, new_path, "--fail-on", "change"]) == 1


def test_a_changed_skip_reason_is_a_note(tmp_path) -> None:
    """Skipped on both sides for different reasons: a note, not a regression."""
    old, new = baseline(), baseline()
    old["checks"][3].update(outcome="skipped", reason="torch not installed")
    new["checks"][3].update(outcome="skipped", reason="onnxruntime not installed")
    result = diff.compare(old, new)
    assert [move["id"] for move in result["notes"]] == ["smoke::test_legacy"] and not result["regressions"]
    assert diff.should_fail(result, "regression") is False and diff.should_fail(result, "note") is True


def test_appeared_checks_are_gains_and_vanished_passing_checks_regressions(tmp_path, capsys) -> None:
    """A new check is a gain; a passing check that vanished is a regression (the gate must not go blind)."""
    new = baseline()
    gone = new["checks"].pop(3)
    new["checks"].append(entry("smoke::test_new_behaviour[x]"))
    old_path, new_path = _write(tmp_path, "old.json", baseline()), _write(tmp_path, "new.json", new)
    assert cli.main(["diff", old_path, new_path]) == 1
    out = capsys.readouterr().out
    assert "- **smoke::test_new_behaviour** — The sentence of test_new_behaviour." in out
    assert "(not in the old report) → ✅ pass in `x`" in out
    assert f"- **{gone['family']}::{gone['check']}**" in out and "✅ pass → (vanished) in `(no parameters)`" in out


def test_a_number_recorded_with_its_tolerance_changes_only_beyond_it(tmp_path, capsys) -> None:
    """0.000208 -> 0.000356 within a 0.01 tolerance is the same value under --fail-on any; 0.000208 -> 0.0105 is a change."""
    old, new = baseline(), baseline()
    for report in (old, new):
        report["checks"][2]["tolerances"] = {"max_abs_error": 0.01}
    old["checks"][2]["observations"]["max_abs_error"] = 0.000208
    new["checks"][2]["observations"]["max_abs_error"] = 0.000356
    old_path = _write(tmp_path, "old.json", old)
    assert cli.main(["diff", old_path, _write(tmp_path, "near.json", new), "--fail-on", "any"]) == 0
    new["checks"][2]["observations"]["max_abs_error"] = 0.0105
    assert cli.main(["diff", old_path, _write(tmp_path, "far.json", new), "--fail-on", "value"]) == 1
    assert "`max_abs_error`: `0.000208` → `0.0105` (beyond its tolerance 0.01)" in capsys.readouterr().out


def test_fail_on_accepts_classes_and_refuses_anything_else(tmp_path, capsys) -> None:
    """--fail-on takes comma-separated classes or an alias; an unknown one is a usage error naming the choices."""
    assert diff.fail_on_classes("regression,value") == {"regression", "value"}
    assert diff.fail_on_classes("any") == set(diff.CLASSES) and diff.fail_on_classes("none") == set()
    path = _write(tmp_path, "a.json", baseline())
    with pytest.raises(SystemExit) as exited:
        cli.main(["diff", path, path, "--fail-on", "sometimes"])
    assert exited.value.code == 2
    assert "expected classes from ('regression', 'gain', 'note', 'value')" in capsys.readouterr().err


def test_json_format_is_the_compare_result(tmp_path, capsys) -> None:
    """--format json prints the same data compare() returns."""
    new = baseline()
    new["environment"]["tensorflow"] = "2.21.0"
    new["checks"][3]["observations"]["home"] = "tf_keras 2.21.0"
    old_path, new_path = _write(tmp_path, "old.json", baseline()), _write(tmp_path, "new.json", new)
    assert cli.main(["diff", old_path, new_path, "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(diff.compare(baseline(), new)))
    assert {"key": "tensorflow", "old": "2.15.1", "new": "2.21.0"} in printed["environment_changes"]
    assert printed["observation_changes"][0]["changes"] == [
        {"path": "home", "kind": "changed", "old": "keras 2 bundled", "new": "tf_keras 2.21.0"}
    ]


def test_a_goldens_folder_as_old_means_its_newest_plain_golden(tmp_path, capsys) -> None:
    """`diff goldens NEW` compares with the newest TF version's golden, not the -no-tf-keras one."""
    goldens = tmp_path / "goldens"
    goldens.mkdir()
    for name, version in (("tf2.9", "2.9.0"), ("tf2.12", "2.12.0"), ("tf2.21-no-tf-keras", "2.21.0")):
        data = baseline()
        data["environment"]["tensorflow"] = version
        _write(goldens, f"{name}.json", data)
    assert cli.main(["diff", str(goldens), _write(tmp_path, "new.json", baseline())]) == 0
    assert "tf2.12.json" in capsys.readouterr().out


def test_should_fail_rejects_unknown_modes() -> None:
    """should_fail names its argument when given an unknown class."""
    with pytest.raises(ValueError, match="fail_on"):
        diff.should_fail(diff.compare(baseline(), baseline()), "sometimes")


def test_a_folder_on_either_side_means_its_report_json_and_the_same_mistake_reads_the_same(tmp_path, capsys) -> None:
    """`diff report report/report.json` and the reverse: a folder holding report.json is used; one without is refused alike."""
    folder = tmp_path / "report"
    folder.mkdir()
    _write(folder, "report.json", baseline())
    assert cli.main(["diff", str(folder), str(folder / "report.json")]) == 0
    assert cli.main(["diff", str(folder / "report.json"), str(folder)]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    capsys.readouterr()
    assert cli.main(["diff", str(empty), str(folder)]) == 2
    assert cli.main(["diff", str(folder), str(empty)]) == 2
    old_error, new_error = capsys.readouterr().err.splitlines()
    assert old_error.startswith(f"tf-rnn-checks: error: {empty}: is a folder without a report.json")
    assert (
        new_error
        == f"tf-rnn-checks: error: {empty}: is a folder without a report.json; expected a report.json file or a folder holding one"
    )

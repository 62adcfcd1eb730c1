"""report.md and docs/matrix.md read as documentation: families, sentences, observations, reasons, versions."""

from __future__ import annotations

import json

from tests.meta.reports import baseline, entry, report
from tf_rnn_checks import cli
from tf_rnn_checks.report import markdown, matrix


def test_report_md_has_a_section_per_family_with_sentences_observations_and_reasons() -> None:
    data = baseline()
    data["checks"][1].update(outcome="skipped", reason="does not apply to eager mode")
    text = markdown.render(data)
    assert text.startswith("# How TensorFlow 2.15.1 runs TF1-style recurrent cells\n")
    assert text.index("## naming") < text.index("## smoke")
    assert "Variable names." in text
    assert "### ✅ The sentence of test_variable_names." in text
    assert '| `LSTMCell(units=3)-graph` | ✅ pass | inventory = {"rnn/lstm_cell/kernel:0": [7, 12]' in text
    assert "| `LSTMCell(units=3)-eager` | ⏭ skip: does not apply to eager mode |" in text
    assert "**4 checks: 3 passed, 1 skipped.**" in text


def test_report_md_collapses_cases_skipped_for_one_reason() -> None:
    """The no-tf-keras report says once per check why all its cases were skipped."""
    reason = "legacy RNN cells unavailable (AttributeError); fix: pip install tf-keras"
    data = report([entry(f"naming::test_names[{case}]", "skipped", reason=reason) for case in ("a", "b", "c")])
    text = markdown.render(data)
    assert f"All cases skipped: {reason}" in text
    assert "| `a` |" not in text


def test_report_command_regenerates_report_md(tmp_path) -> None:
    source = tmp_path / "report.json"
    source.write_text(json.dumps(baseline()))
    assert cli.main(["report", str(source), "-o", str(tmp_path / "out" / "report.md")]) == 0
    assert (tmp_path / "out" / "report.md").read_text() == markdown.render(baseline())


def test_matrix_orders_versions_numerically_and_shows_the_cliff(tmp_path) -> None:
    """Columns run tf2.9, tf2.12, tf2.21, tf2.21-no-tf-keras; cells count outcomes; moved cases are listed."""
    skipped = report([entry(c["id"], "skipped", reason="unavailable") for c in baseline()["checks"]], "2.21.0")
    failing = baseline()
    failing["checks"][2]["outcome"] = "failed"
    for name, data in (("tf2.12", baseline()), ("tf2.9", baseline()), ("tf2.21", failing), ("tf2.21-no-tf-keras", skipped)):
        (tmp_path / f"{name}.json").write_text(json.dumps(data))
    (tmp_path / "notes.json").write_text("{}")
    assert [path.stem for path in matrix.golden_paths(tmp_path)] == ["tf2.9", "tf2.12", "tf2.21", "tf2.21-no-tf-keras"]
    assert matrix.newest_golden(tmp_path).stem == "tf2.21"
    text = matrix.render_directory(tmp_path)
    assert "| check | tf2.9 | tf2.12 | tf2.21 | tf2.21-no-tf-keras |" in text
    assert "| The sentence of test_variable_names. (`test_variable_names`) | ✅ 2 | ✅ 2 | ✅ 2 | ⏭ 2 |" in text
    assert "| The sentence of test_output_shape. (`test_output_shape`) | ✅ | ✅ | ❌ | ⏭ |" in text
    assert "| `smoke::test_output_shape[GRUCell(units=3)-graph]` | ✅ | ✅ | ❌ |" in text


def test_matrix_lists_a_check_whose_cases_all_moved_alike_once() -> None:
    old = baseline()
    new = baseline()
    for entry_ in new["checks"][:2]:
        entry_["outcome"] = "failed"
    text = matrix.render([("tf2.12", old), ("tf2.13", new)])
    assert "| `naming::test_variable_names` (all 2 cases) | ✅ | ❌ |" in text
    assert "LSTMCell(units=3)-graph]` |" not in text


def test_matrix_command_on_an_empty_folder_is_a_one_line_error(tmp_path, capsys) -> None:
    assert cli.main(["matrix", str(tmp_path)]) == 2
    assert "no goldens" in capsys.readouterr().err

"""The questions page: every question is answered from the golden's checks, its recipes are proven, and a report that
cannot answer (a check missing or failed) says so; the command gives one line and exit 2 on bad input."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from tf_rnn_checks import cli
from tf_rnn_checks.references import cells as R
from tf_rnn_checks.references import recipes
from tf_rnn_checks.references.layout import split_lstm_kernel
from tf_rnn_checks.report import collect, matrix, questions, schema

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "goldens" / "tf2.21.json"


@pytest.fixture(scope="module")
def golden() -> dict:
    return schema.load(GOLDEN)


def _section(page: str, slug: str) -> str:
    start = page.index(f'<a id="{slug}"></a>')
    end = page.find('<a id="', start + 1)
    return page[start : end if end != -1 else None]


# ------------------------------------------------------------------------------------------------ declared questions


def test_the_questions_of_the_five_first_users_are_declared() -> None:
    """The five questions the project began with are on the page, with distinct slugs, and at least ten in all."""
    slugs = [q.slug for q in questions.QUESTIONS]
    assert len(slugs) == len(set(slugs)) and len(slugs) >= 10, slugs
    for slug in ("scope-initializer", "same-cell-twice", "gru-by-hand", "cell-n-and-kernel-rows", "lstm-kernel-order"):
        assert slug in slugs, f"questions.QUESTIONS: observed no question {slug!r}, expected one"


@pytest.mark.parametrize("question", questions.QUESTIONS, ids=lambda q: q.slug)
def test_every_check_pattern_matches_a_check_of_the_newest_golden(golden, question) -> None:
    """Each role's pattern matches at least one check of goldens/tf2.21.json, so a renamed check breaks the page loudly."""
    ids = [entry["id"] for entry in golden["checks"]]
    for role, pattern in question.checks.items():
        assert any(questions.matches(pattern, check_id) for check_id in ids), (
            f"question {question.slug!r}, role {role!r}: observed no check matching {pattern!r} in {GOLDEN.name}, expected at least one"
        )


@pytest.mark.parametrize("question", questions.QUESTIONS, ids=lambda q: q.slug)
def test_every_answer_renders_from_the_newest_golden(golden, question) -> None:
    """Every question gets an answer (no problem) from the golden, and reads every role it declares."""
    blocks, evidence, problem = questions.answer(question, golden)
    assert problem is None, f"question {question.slug!r}: observed {problem!r}, expected an answer"
    assert blocks and blocks[0].strip()
    assert evidence.read == set(question.checks), f"roles declared but not read: {set(question.checks) - evidence.read}"


def test_patterns_match_cases_and_star_only() -> None:
    """A pattern without a case matches every case of the check; `*` is the only wildcard (`[` is literal)."""
    assert questions.matches("a::test_x", "a::test_x") and questions.matches("a::test_x", "a::test_x[LSTMCell(units=3)-graph]")
    assert not questions.matches("a::test_x", "a::test_x_more[c]") and not questions.matches("a::test_x", "b::test_x")
    assert questions.matches("a::test_x[*GRUCell*]", "a::test_x[GRUCell(units=3)-eager]")
    assert not questions.matches("a::test_x[*GRUCell*]", "a::test_x[LSTMCell(units=3)]")


# ------------------------------------------------------------------------------------------------ the page


def test_the_page_shows_full_values_and_no_internal_jargon(golden) -> None:
    """Inventories are printed in full (every weight of the stacks, bw and cell_1 included), with no cut values and no internal jargon."""
    page = questions.render(golden, links="behaviour.md")
    assert "…" not in page, "a value was cut"
    for jargon in (":mod:", ":func:", "seed 00", "(seed "):
        assert jargon not in page, f"internal jargon {jargon!r} on the page"
    scope = _section(page, "scope-initializer")
    (question,) = [q for q in questions.QUESTIONS if q.slug == "scope-initializer"]
    every = [e for e in golden["checks"] if questions.matches(question.checks["every_weight"], e["id"]) and e["outcome"] == "passed"]
    shown = questions._stacks_shown(every)
    assert shown, "scope-initializer: observed no stacked cell among the outer-scope initializer's cases"
    for entry in shown:
        for name in entry["observations"]["weights_initial_first_value"]:
            assert name in scope, f"scope-initializer: {name} is not shown"
    assert "/multi_rnn_cell/cell_1/gru_cell/gates/kernel" in scope
    rows = _section(page, "cell-n-and-kernel-rows")
    assert "(126, 100)" in rows and "(200, 100)" in rows and "126 = 26" in rows and "200 = 100" in rows


def test_links_point_at_check_anchors_of_the_behaviour_page(golden) -> None:
    """Every check link on the page points at an anchor that the behaviour page rendered from the same report has."""
    from tf_rnn_checks.report import markdown

    page, behaviour = questions.render(golden, links="behaviour.md"), markdown.render(golden)
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', behaviour))
    links = re.findall(r"\]\(behaviour\.md#([^)]+)\)", page)
    assert links and set(links) <= anchors, sorted(set(links) - anchors)


def test_the_committed_page_answers_every_question() -> None:
    """docs/questions.md, generated from a golden, answers every question and links into behaviour.md."""
    page = (ROOT / "docs" / "questions.md").read_text()
    assert "Not answered" not in page
    for question in questions.QUESTIONS:
        assert f'<a id="{question.slug}"></a>' in page, f"docs/questions.md: no section {question.slug}; regenerate it"
    assert "](behaviour.md#" in page


@pytest.mark.parametrize("path", matrix.golden_paths(ROOT / "goldens"), ids=lambda p: p.name)
def test_every_golden_renders(path) -> None:
    """Every golden renders; one that cannot answer (no tf-keras) names the reason instead of answering."""
    page = questions.render(schema.load(path))
    assert page.count("<a id=") == len(questions.QUESTIONS)
    if "no-tf-keras" in path.name:
        assert "legacy RNN cells unavailable" in page


# ------------------------------------------------------------------------------------------------ failures say so


def test_a_failed_check_makes_its_question_say_so(golden) -> None:
    """When one case of a question's check failed, the question is not answered and the page names the case and reason."""
    report = copy.deepcopy(golden)
    failed = next(e for e in report["checks"] if e["id"].startswith("lstm_layout::test_lstm_gate_order_is_ijfo["))
    failed.update(outcome="failed", reason="gate_order: observed 'i,f,j,o', but TF was expected to give 'i,j,f,o'")
    page = questions.render(report)
    section = _section(page, "lstm-kernel-order")
    assert "**Not answered by this report (TensorFlow 2.21.0):**" in section
    assert failed["id"] in section and "observed 'i,f,j,o'" in section
    assert "**Answer" not in section
    assert "(not answered by this report)" in page.split('<a id="', 1)[0]
    assert "**Answer (TensorFlow 2.21.0):**" in _section(page, "gru-by-hand"), "other questions still answer"


def test_a_missing_check_makes_its_question_say_so(golden) -> None:
    """A report without a question's check (renamed or not run) says which pattern found nothing."""
    report = copy.deepcopy(golden)
    report["checks"] = [e for e in report["checks"] if "three_stacked_basic_rnn_cells" not in e["id"]]
    section = _section(questions.render(report), "cell-n-and-kernel-rows")
    assert "Not answered by this report" in section and "no check matching" in section
    assert "**missing from this report**" in section


def test_a_skipped_case_does_not_block_but_all_skipped_does(golden) -> None:
    """Skipped cases beside passed ones still answer; a role whose cases were all skipped gives the skip reason."""
    report = copy.deepcopy(golden)
    for entry in report["checks"]:
        if entry["id"].startswith("numerics::test_sequence_length_zeroes"):
            entry.update(outcome="skipped", reason="not run here", observations={})
    assert "Not answered by this report" in _section(questions.render(report), "sequence-length")
    assert "not run here" in _section(questions.render(report), "sequence-length")


def test_a_check_added_by_one_pattern_is_shown_in_full(golden, monkeypatch) -> None:
    """A role the answer does not read (a new check joining a question) is listed with its observations in full."""
    first = questions.QUESTIONS[0]
    extended = dataclasses.replace(first, checks={**first.checks, "extra": "variable_naming::test_from_config_*"})
    monkeypatch.setattr(questions, "QUESTIONS", (extended, *questions.QUESTIONS[1:]))
    section = _section(questions.render(golden), first.slug)
    assert "**Also observed:**" in section and '"clone_variables"' in section and "b/lstm_cell_2/kernel:0" in section
    assert "variable_naming::test_from_config_turns_the_keras_layer_name_into_the_variable_scope" in section


@pytest.mark.parametrize("outcome", ["passed", "failed"])
def test_the_orthogonal_check_answers_the_scope_question(golden, outcome: str) -> None:
    """The scope question reads the orthogonal recipe check: what it saw when it passed, why it cannot say otherwise, and absence."""
    first = questions.QUESTIONS[0]
    pattern = first.checks["orthogonal"]
    report = copy.deepcopy(golden)
    report["checks"] = [entry for entry in report["checks"] if not entry["id"].startswith(pattern)]
    assert "(renamed, removed or not selected)" in _section(questions.render(report), first.slug)
    family, check = pattern.split("::")
    fake = {**report["checks"][0], "id": f"{pattern}[GRUCell]", "family": family, "check": check, "outcome": outcome}
    fake.update(reason="" if outcome == "passed" else "kernel: observed not orthogonal", params={"cell": "GRUCell"})
    identity = "W W^T = I (orthonormal rows)"  # the form the orthogonal checks observe: each kernel's identity that held
    fake["observations"] = {"orthogonal_as_a_whole": {"fw/gru_cell/gates/kernel": identity, "bw/gru_cell/gates/kernel": identity}}
    report["checks"].append(fake)
    section = _section(questions.render(report), first.slug)
    assert "**Answer" in section and "not pinned by this report" not in section
    if outcome == "passed":
        assert "2 of 2 distinct kernels came out orthogonal as a whole (`W W^T = I (orthonormal rows)`)" in section
        assert "fw/gru_cell/gates/kernel  W W^T = I (orthonormal rows)" in section
    else:
        assert "is not answered by this report" in section and "kernel: observed not orthogonal" in section
        assert "**Note:**" in section


def test_an_empty_report_renders_every_question_unanswered() -> None:
    """A report with no checks still renders (the --report writer must never crash), every question unanswered."""
    from tests.meta.reports import report

    page = questions.render(report([]))
    assert page.count("**Not answered by this report") == len(questions.QUESTIONS)


# ------------------------------------------------------------------------------------------------ recipes


def _rng_arrays(seed: int, *shapes: tuple[int, ...]) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.0, 1.0, shape) for shape in shapes]


@pytest.mark.parametrize(("n_in", "units"), [(4, 3), (26, 5), (2, 2)])
def test_gru_recipe_equals_the_reference_gru(n_in: int, units: int) -> None:
    """gru_step_by_hand equals the reference GRUCell (which the numerics and layout checks prove equal to TF) on random weights."""
    x, h, gk, gb, ck, cb = _rng_arrays(
        n_in * 10 + units, (5, n_in), (5, units), (n_in + units, 2 * units), (2 * units,), (n_in + units, units), (units,)
    )
    reference = R.GRUCell.from_variables({"gates/kernel": gk, "gates/bias": gb, "candidate/kernel": ck, "candidate/bias": cb})
    expected, _ = reference(x, h)
    np.testing.assert_allclose(recipes.gru_step_by_hand(x, h, gk, gb, ck, cb), expected, rtol=0, atol=1e-14)


@pytest.mark.parametrize("forget_bias", [1.0, 0.0, 2.5])
def test_lstm_recipe_equals_the_reference_lstm(forget_bias: float) -> None:
    """lstm_step_by_hand equals the reference LSTMCell on random weights, output and both state parts."""
    x, c, h, kernel, bias = _rng_arrays(7, (5, 4), (5, 3), (5, 3), (7, 12), (12,))
    reference = R.LSTMCell.from_variables({"kernel": kernel, "bias": bias}, forget_bias=forget_bias)
    expected, (expected_c, expected_h) = reference(x, R.LSTMStateTuple(c, h))
    output, (new_c, new_h) = recipes.lstm_step_by_hand(x, c, h, kernel, bias, forget_bias=forget_bias)
    for got, want in ((output, expected), (new_c, expected_c), (new_h, expected_h)):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)


def test_lstm_slices_are_the_layout_blocks_also_with_a_projection() -> None:
    """lstm_kernel_slices gives the same W, U, b per gate as the layout helper the converters use, with and without num_proj."""
    for rows, num_proj in ((7, None), (6, 2)):
        kernel, bias = _rng_arrays(rows, (rows, 12), (12,))
        blocks = split_lstm_kernel(kernel, bias, 3, num_proj=num_proj)
        slices = recipes.lstm_kernel_slices(kernel, bias, input_size=4)
        for gate, weights in blocks.items():
            np.testing.assert_array_equal(slices[f"W_{gate}"], weights.input)
            np.testing.assert_array_equal(slices[f"U_{gate}"], weights.recurrent)
            np.testing.assert_array_equal(slices[f"b_{gate}"], weights.bias)


@pytest.mark.parametrize("cell", ["GRUCell(units=3)", "LSTMCell(units=3)", "LSTMCell(units=3,forget_bias=0.25)"])
def test_the_reference_the_recipes_equal_gave_tf_outputs_in_the_golden(golden, cell: str) -> None:
    """The other half of the proof: in goldens/tf2.21.json the reference of each recipe's cell gave TF's outputs (float64)."""
    cases = [e for e in golden["checks"] if e["id"].startswith(f"numerics::test_cell_matches_reference[{cell}-")]
    assert cases and all(case["outcome"] == "passed" for case in cases), [(c["id"], c["outcome"]) for c in cases]
    assert all(case["observations"]["max_abs_error"] < 1e-12 for case in cases)


def test_the_recipes_on_the_page_are_the_tested_functions(golden) -> None:
    """The page prints the source of the tested recipe functions, not a copy."""
    page = questions.render(golden)
    for function in (recipes.gru_step_by_hand, recipes.lstm_kernel_slices, recipes.lstm_step_by_hand):
        assert f"def {function.__name__}(" in page
    assert "(r * h) @ U_h" in _section(page, "gru-by-hand")


# ------------------------------------------------------------------------------------------------ command and writer


def test_questions_command_writes_the_page(tmp_path, capsys) -> None:
    """`tf-rnn-checks questions REPORT -o FILE --links behaviour.md` writes the page and exits 0."""
    output = tmp_path / "questions.md"
    assert cli.main(["questions", str(GOLDEN), "-o", str(output), "--links", "behaviour.md"]) == 0
    assert output.read_text() == questions.render(schema.load(GOLDEN), links="behaviour.md")
    assert cli.main(["questions", str(GOLDEN)]) == 0
    assert "](report.md#" in capsys.readouterr().out


@pytest.mark.parametrize("case", ["missing", "directory", "garbage", "not a report"])
def test_questions_command_bad_input_is_one_line_and_exit_2(tmp_path, capsys, case: str) -> None:
    """A missing file, a folder, garbage or another JSON gives one stderr line naming it, exit 2, no traceback."""
    path = {"missing": tmp_path / "nope.json", "directory": tmp_path}.get(case, tmp_path / "bad.json")
    if case == "garbage":
        path.write_text("{ half")
    elif case == "not a report":
        path.write_text(json.dumps({"hello": "world"}))
    assert cli.main(["questions", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == "" and len(lines) == 1 and lines[0].startswith(f"tf-rnn-checks: error: {path}"), captured.err
    assert "Traceback" not in captured.err


def test_the_report_writer_puts_questions_md_next_to_report_md(tmp_path, monkeypatch) -> None:
    """`--report DIR` writes DIR/questions.md beside report.json and report.md."""
    from tests.meta.reports import report

    monkeypatch.setattr(collect, "environment", lambda config=None: report([])["environment"])
    options = {"--report": str(tmp_path), "--update-goldens": False, "--golden": None, "--goldens-dir": str(tmp_path)}
    config = SimpleNamespace(getoption=options.get, stash={collect._COLLECTOR_KEY: collect.Collector()})
    collect.pytest_sessionfinish(SimpleNamespace(config=config), 0)
    assert (tmp_path / "report.json").is_file() and (tmp_path / "report.md").is_file()
    assert (tmp_path / "questions.md").read_text().startswith("# Questions about TF1 recurrent cells")


def test_update_goldens_regenerates_docs_questions_md() -> None:
    """scripts/update-goldens writes docs/questions.md from the newest golden, linking into behaviour.md."""
    script = (ROOT / "scripts" / "update-goldens").read_text()
    assert '-m tf_rnn_checks questions "$newest" -o docs/questions.md --links behaviour.md' in script


def test_readme_points_to_the_questions_page() -> None:
    """README links the questions page near the behaviour report."""
    readme = (ROOT / "README.md").read_text()
    assert "(docs/questions.md)" in readme
    section = readme.split("## The behaviour report", 1)[1].split("\n## ", 1)[0]
    assert "docs/questions.md" in section

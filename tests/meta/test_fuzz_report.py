"""Fuzz the report loaders, the diff, the renderers and the CLI with garbage, truncated and wrong-schema reports.

Contract: :func:`schema.load` returns a validated report or raises :class:`schema.ReportError` (a
``ValueError``); every report that validates can be compared and rendered; the CLI answers a bad file
with exit code 2 and one line, and never leaves a half-written output file.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.meta.reports import baseline  # noqa: E402
from tf_rnn_checks import cli  # noqa: E402
from tf_rnn_checks.report import diff, markdown, matrix, schema  # noqa: E402

JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=12,
)
FIELDS = ["schema", "schema_version", "environment", "checks", "suite_version", "created", "exit_status", "families"]
ENTRY_FIELDS = ["id", "family", "check", "params", "outcome", "duration", "docstring", "reason", "observations"]
ENV_FIELDS = ["tensorflow", "legacy_cells", "tf_keras", "keras", "modes", "numpy", "python", "platform"]


@st.composite
def mutated_reports(draw: st.DrawFn) -> dict:
    """The baseline report with a few fields replaced by random JSON, deleted, or checks dropped/duplicated."""
    report = baseline()
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(["top", "entry", "environment", "observations", "outcome"]))
        value = draw(JSON)
        delete = draw(st.booleans())
        if where == "top":
            target, key = report, draw(st.sampled_from(FIELDS))
        elif where == "environment" and isinstance(report.get("environment"), dict):
            target, key = report["environment"], draw(st.sampled_from(ENV_FIELDS))
        elif isinstance(report.get("checks"), list) and report["checks"] and isinstance(report["checks"][0], dict):
            entry = report["checks"][draw(st.integers(0, len(report["checks"]) - 1))]
            if not isinstance(entry, dict):
                continue
            if where == "outcome":
                target, key, value = entry, "outcome", draw(st.sampled_from(schema.OUTCOMES))
                delete = False
            elif where == "observations" and isinstance(entry.get("observations"), dict):
                target, key = entry["observations"], draw(st.sampled_from(["inventory", "names", "output_shape", "home", "new"]))
            else:
                target, key = entry, draw(st.sampled_from(ENTRY_FIELDS))
        else:
            continue
        if delete:
            target.pop(key, None)
        else:
            target[key] = value
    return report


def _use(report: dict) -> None:
    """Everything a validated report goes through: diff both ways, both renderers, the matrix."""
    other = baseline()
    for old, new in ((other, report), (report, other), (report, report)):
        result = diff.compare(old, new)
        json.dumps(result)
        assert isinstance(diff.render_markdown(result), str)
        for fail_on in ("regression", "change", "value", "any", "none"):
            assert diff.should_fail(result, fail_on) in (True, False)
    assert isinstance(markdown.render(report), str)
    assert isinstance(matrix.render([("tf2.15", other), ("tf2.21", report)]), str)


@given(mutated_reports())
def test_validated_reports_are_usable(report):
    try:
        validated = schema.validate(copy.deepcopy(report), "fuzzed.json")
    except schema.ReportError as error:
        assert str(error).startswith("fuzzed.json: ")
        return
    _use(validated)


@given(JSON)
def test_validate_random_json(data):
    with pytest.raises(schema.ReportError, match="^r.json: "):
        schema.validate(data, "r.json")


def _load_text(content: bytes) -> dict | schema.ReportError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.json"
        path.write_bytes(content)
        try:
            return schema.load(path)
        except schema.ReportError as error:
            assert str(error).startswith(str(path)), error
            return error


@given(st.one_of(st.binary(max_size=64), st.text(max_size=64).map(str.encode), JSON.map(lambda d: json.dumps(d).encode())))
def test_load_garbage(content):
    assert isinstance(_load_text(content), schema.ReportError)


@given(st.data())
def test_load_truncated(data):
    text = schema.dumps(data.draw(mutated_reports())).encode()
    cut = data.draw(st.integers(0, len(text)))
    result = _load_text(text[:cut])
    if cut < len(text.rstrip()):
        assert isinstance(result, schema.ReportError)
    elif isinstance(result, dict):
        _use(result)


@given(
    st.one_of(st.binary(max_size=40), st.builds(lambda: schema.dumps(baseline()).encode())),
    st.sampled_from(["diff", "report"]),
    st.booleans(),
)
def test_cli_bad_files_leave_no_output(content, command, existing_output):
    """A bad input file: exit 2 with one line on stderr; the -o file is untouched (or never created)."""
    with tempfile.TemporaryDirectory() as folder:
        bad, good, output = (os.path.join(folder, name) for name in ("bad.json", "good.json", "out.md"))
        Path(bad).write_bytes(content)
        Path(good).write_text(schema.dumps(baseline()))
        if existing_output:
            Path(output).write_text("previous")
        argv = ["diff", good, bad] if command == "diff" else ["report", bad]
        code = cli.main([*argv, "-o", output, *(["--fail-on", "none"] if command == "diff" else [])])
        if code == 2:
            assert Path(output).read_text() == "previous" if existing_output else not os.path.exists(output)
        else:
            assert code == 0 and Path(output).read_text() != "previous"
        assert sorted(os.listdir(folder)) == sorted(["bad.json", "good.json", *(["out.md"] if existing_output or code == 0 else [])])

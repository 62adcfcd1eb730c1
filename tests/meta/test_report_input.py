"""Unusable report files give one clear line and exit 2, never a traceback; writes are atomic."""

from __future__ import annotations

import json
import os

import pytest

from tests.meta.reports import baseline
from tf_rnn_checks import cli
from tf_rnn_checks.report import schema


def _text_cases() -> dict[str, tuple[str, str]]:
    good = json.dumps(baseline())
    wrong_version = baseline()
    wrong_version["schema_version"] = 99
    bad_outcome = baseline()
    bad_outcome["checks"][0]["outcome"] = "exploded"
    twice = baseline()
    twice["checks"].append(twice["checks"][0])
    no_checks = baseline()
    del no_checks["checks"]
    return {
        "truncated": (good[: len(good) // 2], "is not valid JSON (truncated or corrupted?)"),
        "garbage": ("\x00\x01 garbage }{", "is not valid JSON"),
        "empty": ("", "is empty"),
        "a list": ("[1, 2, 3]", "not a tf-rnn-checks report"),
        "another json": (json.dumps({"hello": "world"}), "not a tf-rnn-checks report"),
        "wrong schema version": (json.dumps(wrong_version), "report schema version 99, but this tf-rnn-checks reads version 1"),
        "unknown outcome": (json.dumps(bad_outcome), "checks[0].outcome is 'exploded'"),
        "duplicate id": (json.dumps(twice), "appears twice"),
        "no checks": (json.dumps(no_checks), '"checks" is missing'),
        "deeply nested": ("[" * 100000 + "]" * 100000, "report"),
    }


@pytest.mark.parametrize("case", list(_text_cases()))
@pytest.mark.parametrize("command", ["diff-old", "diff-new", "report"])
def test_unusable_report_gives_one_line_and_exit_2(tmp_path, capsys, case: str, command: str) -> None:
    """Each malformed file, as either side of diff or as report's input, is named in a single stderr line."""
    text, phrase = _text_cases()[case]
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(baseline()))
    argv = {"diff-old": ["diff", str(bad), str(good)], "diff-new": ["diff", str(good), str(bad)], "report": ["report", str(bad)]}[command]
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"tf-rnn-checks: error: {bad}: ")
    assert phrase in lines[0]
    assert "Traceback" not in captured.err


def test_binary_garbage_and_missing_files_are_one_line_errors(tmp_path, capsys) -> None:
    """Invalid UTF-8, a missing file and a directory are reported without a traceback."""
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    for path, phrase in ((binary, "cannot be read"), (tmp_path / "missing.json", "no such file"), (tmp_path, "is a directory")):
        assert cli.main(["report", str(path)]) == 2
        err = capsys.readouterr().err
        assert phrase in err and len(err.strip().splitlines()) == 1


def test_write_atomic_replaces_whole_file_and_leaves_no_temporary(tmp_path) -> None:
    target = tmp_path / "sub" / "golden.json"
    schema.write_atomic(target, "first\n")
    schema.write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["golden.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask, "readable like any written file, not mkstemp's 0600"


def test_write_atomic_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch) -> None:
    """A crash during the replace leaves the previous golden intact and no temporary file behind."""
    target = tmp_path / "golden.json"
    schema.write_atomic(target, "old\n")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        schema.write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["golden.json"]


def test_load_round_trips_dumps(tmp_path) -> None:
    path = schema.write_atomic(tmp_path / "r.json", schema.dumps(baseline()))
    assert schema.load(path) == baseline()

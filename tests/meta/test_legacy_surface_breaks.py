"""Deliberate breaks of the legacy-surface checks (issue 8): patch TF or the rename tool, watch the check fail.

The full list of breaks is in the issue-8 report; these are the cheap ones (no RNN run).
"""

from __future__ import annotations

import warnings

import pytest

from tf_rnn_checks import checkpoint_rename
from tf_rnn_checks.checks import api_surface, checkpoints
from tf_rnn_checks.tf_import import v1


@pytest.mark.legacy_cells
def test_moved_forget_bias_default_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    init = v1.nn.rnn_cell.BasicLSTMCell.__init__
    defaults = list(init.__defaults__)
    defaults[0] = 0.5  # forget_bias is BasicLSTMCell's first defaulted argument
    monkeypatch.setattr(init, "__defaults__", tuple(defaults))
    with pytest.raises(AssertionError, match=r"BasicLSTMCell constructor .*\('forget_bias', 0.5, ''\)"):
        api_surface.check_rnn_cell_constructor_signature("BasicLSTMCell")


def test_moved_driver_default_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def static_rnn(cell, inputs, initial_state=None, dtype="float32", sequence_length=None, scope=None):  # noqa: ANN001, ANN202
        raise NotImplementedError

    monkeypatch.setattr(v1.nn, "static_rnn", static_rnn)
    with pytest.raises(AssertionError, match=r"static_rnn \(argument, default, kind\): observed"):
        api_surface.check_rnn_driver_signature("static_rnn")


@pytest.mark.legacy_cells
def test_missing_deprecation_warning_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warnings, "warn", lambda *args, **kwargs: None)
    with pytest.raises(AssertionError, match="deprecation warnings with the key phrase: observed \\[\\]"):
        api_surface.check_legacy_cell_construction_warns("LSTMCell")


def test_rename_tool_accepting_unknown_names_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkpoint_rename, "new_name", lambda name: name)
    with pytest.raises(AssertionError, match="exit status: observed 0, but TF was expected to give 2"):
        checkpoints.check_rename_tool_refuses("unknown")


def test_rename_tool_overwriting_its_output_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkpoint_rename, "_check_paths", lambda old, new: None)
    with pytest.raises(AssertionError, match=r"files under the new prefix \(sha256\)"):
        checkpoints.check_rename_tool_writes_nothing("existing output")


def test_rename_tool_writing_on_dry_run_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    convert = checkpoint_rename.convert_checkpoint
    monkeypatch.setattr(checkpoint_rename, "convert_checkpoint", lambda old, new, dry_run=False: convert(old, new))
    with pytest.raises(AssertionError, match=r"files under the new prefix \(sha256\)"):
        checkpoints.check_rename_tool_writes_nothing("--dry-run")

"""The plugin's selection options: the default selection, --exhaustive, and a narrowed --tf-modes."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

CHECKS = """
from tf_rnn_checks.registry import check, tests_from

@check(cell=("lstm", "gru", "rnn", "basic_lstm"), mode=("graph", "eager", "function"), needs_legacy_cells=False)
def check_example(cell, mode):
    '''An example check.'''

globals().update(tests_from(__import__(__name__)))
"""


@pytest.mark.parametrize(
    ("options", "selected"),
    [
        ((), ["basic_lstm-graph", "gru-eager", "lstm-graph", "rnn-function"]),
        (("--exhaustive",), [f"{c}-{m}" for c in ("basic_lstm", "gru", "lstm", "rnn") for m in ("eager", "function", "graph")]),
        (("--tf-modes", "graph"), ["basic_lstm-graph", "gru-graph", "lstm-graph", "rnn-graph"]),
    ],
    ids=["default", "exhaustive", "graph-only"],
)
def test_selected_cases(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...], selected: list[str]) -> None:
    """Modes rotate by default; --exhaustive runs the product; a narrowed --tf-modes runs every case in the modes kept."""
    monkeypatch.delenv("TF_RNN_CHECKS_EXHAUSTIVE", raising=False)
    monkeypatch.delenv("TF_RNN_CHECKS_MODES", raising=False)
    pytester.makepyfile(test_example=CHECKS)
    result = pytester.runpytest_inprocess("-p", "tf_rnn_checks.pytest_plugin", "-p", "no:randomly", "--collect-only", "-q", *options)
    ids = sorted(line.split("[", 1)[1].rstrip("]") for line in result.outlines if "::test_example[" in line)
    assert ids == sorted(selected)


def test_the_environment_variable_selects_exhaustive(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """TF_RNN_CHECKS_EXHAUSTIVE=1 is --exhaustive."""
    monkeypatch.setenv("TF_RNN_CHECKS_EXHAUSTIVE", "1")
    pytester.makepyfile(test_example=CHECKS)
    result = pytester.runpytest_inprocess("-p", "tf_rnn_checks.pytest_plugin", "-p", "no:randomly", "--collect-only", "-q")
    assert sum("::test_example[" in line for line in result.outlines) == 12

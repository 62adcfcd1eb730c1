"""The default selection: every value of every axis runs, and modes rotate over the other axes' combinations."""

from __future__ import annotations

import itertools

import pytest

from tf_rnn_checks.registry import as_test, check, default_cases

MODES = ("graph", "eager", "function")


def test_modes_rotate_over_the_other_axes() -> None:
    cases = default_cases({"cell": tuple(range(16)), "mode": MODES})
    assert sorted(cases) == [(cell, cell % 3) for cell in range(16)]


def test_every_mode_runs_even_with_fewer_combinations_than_modes() -> None:
    assert sorted(default_cases({"cell": ("lstm",), "mode": MODES})) == [(0, 0), (0, 1), (0, 2)]
    assert sorted(default_cases({"driver": ("a", "b"), "mode": MODES})) == [(0, 0), (0, 2), (1, 1)]


def test_without_a_mode_axis_every_case_runs() -> None:
    axes = {"cell": ("lstm", "gru"), "driver": ("dynamic", "static", "bidirectional")}
    assert default_cases(axes) == set(itertools.product(range(2), range(3)))
    assert default_cases({"mode": MODES}) == {(0,), (1,), (2,)}


def test_every_combination_of_the_other_axes_runs_once_wherever_the_mode_axis_sits() -> None:
    axes = {"wrapper": ("dropout", "residual"), "mode": MODES, "dtype": ("float16", "float32", "float64")}
    cases = default_cases(axes)
    assert sorted((wrapper, dtype) for wrapper, _, dtype in cases) == sorted(itertools.product(range(2), range(3)))
    assert {mode for _, mode, _ in cases} == {0, 1, 2}


def test_cases_outside_the_default_selection_carry_the_exhaustive_marker() -> None:
    @check(cell=("lstm", "gru", "rnn", "basic_lstm"), mode=MODES, needs_legacy_cells=False)
    def check_example(cell: str, mode: str) -> None:
        """An example."""

    (parametrize,) = [mark for mark in as_test(check_example).pytestmark if mark.name == "parametrize"]
    marked = {param.id: [mark.name for mark in param.marks] for param in parametrize.args[1]}
    default = sorted(case for case, marks in marked.items() if "exhaustive" not in marks)
    assert default == ["basic_lstm-graph", "gru-eager", "lstm-graph", "rnn-function"]
    assert len(marked) == 12


@pytest.mark.parametrize("other", [1, 2, 3, 5, 16])
def test_each_value_of_each_axis_is_in_the_default_selection(other: int) -> None:
    cases = default_cases({"cell": tuple(range(other)), "mode": MODES})
    assert {cell for cell, _ in cases} == set(range(other))
    assert {mode for _, mode in cases} == {0, 1, 2}

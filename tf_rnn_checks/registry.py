"""Checks as plain functions with a declared matrix, and their pytest form.

A check is ``check_<subject>_<property>(**axes)``: it raises ``AssertionError`` (through
:mod:`tf_rnn_checks.assertions`) when TF does not behave as its one-sentence docstring says, and calls
``pytest.skip`` with a reason when it does not apply. ``@check(cell=..., mode=...)`` declares the values
each argument runs over; :func:`tests_from` turns a module of checks into parametrized pytest tests
named ``test_<subject>_<property>`` with ids such as ``LSTMCell(units=3,peepholes)-graph``.

The default selection runs every check on every value of every axis; the execution ``mode`` rotates over
the other axes' combinations instead of multiplying them (each combination runs in one mode, every mode
runs). The cases this leaves out carry the ``exhaustive`` marker: ``pytest --exhaustive`` (or
``TF_RNN_CHECKS_EXHAUSTIVE=1``) runs the full product. See :func:`default_cases`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import pytest

AXES_ATTRIBUTE = "__tf_rnn_checks_axes__"
NEEDS_LEGACY_ATTRIBUTE = "__tf_rnn_checks_needs_legacy_cells__"
ANY_CELL_ATTRIBUTE = "__tf_rnn_checks_any_cell__"
COVERS_ATTRIBUTE = "__tf_rnn_checks_covers__"
_COVERED_ARGUMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*")


def check(
    *, needs_legacy_cells: bool = True, any_cell: bool = False, covers: Sequence[str] = (), **axes: Sequence[Any]
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare a check and the values each of its arguments runs over (ids come from ``str(value)``).

    ``any_cell=True`` marks a generic check: it holds for every well-behaved TF1 ``RNNCell``, so
    ``check_cell`` and ``parametrize_with_checks`` run it on users' cells, replacing the ``cell`` axis.
    ``covers=("LSTMCell.cell_clip", "dynamic_rnn.time_major", ...)`` names the arguments of public TF symbols
    (``"Symbol.argument"``; ``zero_state.<arg>`` for the cells' ``zero_state``, op-def inputs and attributes for
    raw ops) whose effect the check pins by value. Together, the checks declaring an argument pin its default
    and at least one other value (in the tuple and the flat LSTM state form where the state enters); a required
    argument, what the value passed does. ``tests/meta/test_argument_coverage.py`` holds every argument of the
    live signatures to these declarations.
    """
    covered = covered_names(covers)
    if any_cell and "cell" not in axes:
        raise ValueError("any_cell: a generic check needs a 'cell' axis (the built-in cells it runs on in the suite)")
    for name, values in axes.items():
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
            raise TypeError(f"{name}: expected a non-empty sequence of values, got {values!r}")

    def declare(function: Callable[..., None]) -> Callable[..., None]:
        if not function.__name__.startswith("check_"):
            raise ValueError(f"function: a check's name starts with 'check_', got {function.__name__!r}")
        if not (function.__doc__ or "").strip():
            raise ValueError(f"function: {function.__name__} needs a one-sentence docstring stating the behaviour it pins")
        setattr(function, AXES_ATTRIBUTE, dict(axes))
        setattr(function, NEEDS_LEGACY_ATTRIBUTE, needs_legacy_cells)
        setattr(function, ANY_CELL_ATTRIBUTE, any_cell)
        setattr(function, COVERS_ATTRIBUTE, covered)
        return function

    return declare


def covered_names(covers: Any) -> tuple[str, ...]:
    """``covers`` validated as distinct ``"Symbol.argument"`` strings (``TypeError``/``ValueError`` naming ``covers`` otherwise)."""
    if isinstance(covers, (str, bytes)) or not isinstance(covers, Sequence):
        raise TypeError(f"covers: expected a sequence of 'Symbol.argument' strings such as ('LSTMCell.cell_clip',), got {covers!r}")
    for name in covers:
        if not isinstance(name, str):
            raise TypeError(f"covers: expected 'Symbol.argument' strings, got {name!r}")
        if not _COVERED_ARGUMENT.fullmatch(name):
            raise ValueError(f"covers: expected 'Symbol.argument' such as 'LSTMCell.cell_clip' or 'dynamic_rnn.time_major', got {name!r}")
    duplicates = sorted({name for name in covers if list(covers).count(name) > 1})
    if duplicates:
        raise ValueError(f"covers: names each argument once, got {duplicates} more than once")
    return tuple(covers)


def covered_arguments(function: Callable[..., None]) -> tuple[str, ...]:
    """The ``"Symbol.argument"`` names a check declared with ``@check(covers=...)`` (empty when none)."""
    return tuple(getattr(function, COVERS_ATTRIBUTE, ()))


def checks_in(module: ModuleType) -> list[Callable[..., None]]:
    """The declared checks of ``module``, in source order."""
    return [value for name, value in vars(module).items() if name.startswith("check_") and hasattr(value, AXES_ATTRIBUTE)]


def is_generic(function: Callable[..., None]) -> bool:
    """Whether ``function`` was declared with ``@check(any_cell=True)``."""
    return bool(getattr(function, ANY_CELL_ATTRIBUTE, False))


def default_cases(axes: dict[str, Sequence[Any]]) -> set[tuple[int, ...]]:
    """The cases of the default selection, as tuples of value positions in ``axes`` order.

    Without a ``mode`` axis, or with nothing else, every case. Otherwise the combinations of the other axes
    are taken in order and the modes are dealt out in turn, continuing until every combination and every
    mode has run once: 16 cells x 3 modes gives 16 cases, 1 cell x 3 modes gives 3.
    """
    positions = [range(len(values)) for values in axes.values()]
    if "mode" not in axes or len(axes) == 1:
        return set(itertools.product(*positions))
    mode_axis = list(axes).index("mode")
    modes = len(axes["mode"])
    others = list(itertools.product(*(p for axis, p in enumerate(positions) if axis != mode_axis)))
    cases = set()
    for index in range(max(len(others), modes)):
        case = list(others[index % len(others)])
        case.insert(mode_axis, index % modes)
        cases.add(tuple(case))
    return cases


def case_id(values: Sequence[Any]) -> str:
    return "-".join(str(value) for value in values)


def as_test(function: Callable[..., None], axes: dict[str, Sequence[Any]] | None = None) -> Callable[..., None]:
    """The pytest test for one check: same docstring, parametrized over its axes (or ``axes``)."""
    axes = dict(getattr(function, AXES_ATTRIBUTE) if axes is None else axes)

    @functools.wraps(function)
    def test(**kwargs: Any) -> None:
        function(**kwargs)

    test.__name__ = "test_" + function.__name__[len("check_") :]
    test.__qualname__ = test.__name__
    marks = [pytest.mark.legacy_cells] if getattr(function, NEEDS_LEGACY_ATTRIBUTE, True) else []
    if axes:
        names = list(axes)
        default = default_cases(axes)
        cases = []
        for case in itertools.product(*(range(len(values)) for values in axes.values())):
            values = [axis[position] for axis, position in zip(axes.values(), case, strict=True)]
            cases.append(pytest.param(*values, id=case_id(values), marks=() if case in default else (pytest.mark.exhaustive,)))
        marks.append(pytest.mark.parametrize(names, cases))
    for mark in marks:
        test = mark(test)
    return test


def tests_from(*modules: ModuleType) -> dict[str, Callable[..., None]]:
    """``{test name: test}`` for every check in ``modules``; a test module does ``globals().update(...)``."""
    tests: dict[str, Callable[..., None]] = {}
    for module in modules:
        for function in checks_in(module):
            test = as_test(function)
            if test.__name__ in tests:
                raise ValueError(f"modules: two checks are both named {function.__name__!r}")
            tests[test.__name__] = test
    return tests

"""The suite's generic checks as a library for users' own cells: ``check_cell`` and ``parametrize_with_checks``.

A *cell spec* is anything with a readable ``str(spec)`` and ``spec.make(**overrides)`` returning a fresh
TF1 ``RNNCell``: the built-in :class:`~tf_rnn_checks.cells.CellSpec` or a user's factory wrapped by
:func:`~tf_rnn_checks.cells.custom_cell` (a bare named factory is wrapped automatically). The checks
run are those declared ``@check(any_cell=True)`` in :mod:`tf_rnn_checks.checks`, with every axis but
``cell`` kept, e.g. ``check_static_rnn_matches_dynamic_rnn-graph``.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from tf_rnn_checks import registry
from tf_rnn_checks.assertions import DEFAULT_SUBJECT, expectations_of
from tf_rnn_checks.cells import CellSpec, StepFunction, custom_cell
from tf_rnn_checks.observations import Recording
from tf_rnn_checks.selection import MODES
from tf_rnn_checks.warning_filters import ignoring_known_tf_warnings

OUTCOMES = ("passed", "skipped", "failed")


class CellCheckFailure(AssertionError):
    """A generic check failed on a user's cell; the message names the cell, the check and what was observed."""


@dataclass(frozen=True)
class BoundCheck:
    """One generic check with every axis but ``cell`` fixed; ``bound(cell)`` runs it, ``str(bound)`` is its id."""

    function: Callable[..., None]
    arguments: tuple[tuple[str, Any], ...] = ()

    @property
    def name(self) -> str:
        return self.function.__name__

    @property
    def mode(self) -> str | None:
        """The execution mode this case runs in, if the check has a ``mode`` axis (read by ``--tf-modes``)."""
        return dict(self.arguments).get("mode")

    def __str__(self) -> str:
        return registry.case_id([self.name, *(value for _, value in self.arguments)])

    def __call__(self, cell: Any) -> None:
        __tracebackhide__ = True
        with expectations_of(subject_of(cell)), ignoring_known_tf_warnings():
            self.function(cell=cell, **dict(self.arguments))


def subject_of(spec: Any) -> str:
    """Whose behaviour a failure on ``spec`` reports: TF for a built-in cell, else the user's cell by its id."""
    return DEFAULT_SUBJECT if isinstance(spec, CellSpec) and spec.factory is None else str(spec)


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check on one cell: ``outcome`` is passed/skipped/failed; ``message`` the reason or failure."""

    cell: str
    check: str
    outcome: str
    message: str = ""
    observations: dict = field(default_factory=dict)


MESSAGE_LIMIT = 600  # characters of a reason or failure shown per line of the summary


class CheckResults(list):
    """What :func:`check_cell` returns: its :class:`CheckResult` list, whose ``str()`` is a one-screen summary."""

    def __init__(self, cell: str, modes: Sequence[str], results: Sequence[CheckResult] = ()) -> None:
        super().__init__(results)
        self.cell = cell
        self.modes = tuple(modes)

    def counts(self) -> dict[str, int]:
        """``{outcome: how many checks ended so}`` for passed, skipped and failed."""
        return {outcome: sum(result.outcome == outcome for result in self) for outcome in OUTCOMES}

    def __str__(self) -> str:
        lines = [f"check_cell({self.cell}) in {', '.join(self.modes)} mode: {self._counted()}"]
        for outcome in ("failed", "skipped"):
            lines += [f"  {outcome} {checks}: {_shortened(message)}" for checks, message in _grouped(self, outcome)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<CheckResults {self.cell}: {self._counted()}>"

    def _counted(self) -> str:
        return ", ".join(f"{number} {outcome}" for outcome, number in self.counts().items())


def _grouped(results: Sequence[CheckResult], outcome: str) -> list[tuple[str, str]]:
    """``(checks, message)`` per distinct message: one check's modes with the same reason read ``check_x (graph, eager)``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for result in results:
        if result.outcome == outcome:
            name, _, mode = result.check.rpartition("-")
            name, mode = (name, mode) if mode in MODES else (result.check, "")
            groups.setdefault((name, result.message), []).append(mode)
    return [(f"{name} ({', '.join(modes)})" if any(modes) else name, message) for (name, message), modes in groups.items()]


def _shortened(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else ""
    return line if len(line) <= MESSAGE_LIMIT else line[: MESSAGE_LIMIT - 1] + "…"


def generic_checks() -> list[Callable[..., None]]:
    """Every ``@check(any_cell=True)`` function of the modules in :mod:`tf_rnn_checks.checks` (imports TensorFlow)."""
    from tf_rnn_checks.suite import families

    return [function for module in families() for function in registry.checks_in(module) if registry.is_generic(function)]


def bound_checks(modes: Sequence[str] | None = None) -> list[BoundCheck]:
    """Every generic check crossed with its non-``cell`` axes; ``modes`` keeps only those execution modes."""
    modes = _validated_modes(modes)
    bound = []
    for function in generic_checks():
        axes = {name: values for name, values in getattr(function, registry.AXES_ATTRIBUTE).items() if name != "cell"}
        if "mode" in axes:
            axes["mode"] = [mode for mode in axes["mode"] if mode in modes]
        for values in itertools.product(*axes.values()):
            bound.append(BoundCheck(function, tuple(zip(axes, values, strict=True))))
    return bound


def _is_spec(cell: Any) -> bool:
    return not isinstance(cell, type) and callable(getattr(cell, "make", None))


def as_cell_spec(cell: Any, argument: str = "cell") -> Any:
    """``cell`` if it is a spec (has ``make``), else a named factory wrapped with :func:`custom_cell`."""
    if _is_spec(cell):
        return cell
    if callable(cell):
        try:
            return custom_cell(cell)
        except ValueError as error:
            raise ValueError(f"{argument}: {error}; or wrap it: custom_cell(make_cell, name='MyCell')") from None
    raise TypeError(f"{argument}: expected a cell spec (custom_cell(...), a CellSpec) or a factory returning a TF1 RNNCell, got {cell!r}")


def run_check(bound: BoundCheck, spec: Any) -> CheckResult:
    """Run one bound check on ``spec`` outside pytest: skips and failures become the result, never raised."""
    with Recording() as recording:
        try:
            bound(spec)
        except pytest.skip.Exception as skip:
            return CheckResult(str(spec), str(bound), "skipped", str(skip.msg), recording.records)
        except (AssertionError, pytest.fail.Exception) as failure:
            return CheckResult(str(spec), str(bound), "failed", str(failure), recording.records)
        except Exception as error:  # a crash inside the user's cell is that check's failure, reported the same way
            return CheckResult(str(spec), str(bound), "failed", f"{type(error).__name__}: {error}", recording.records)
    return CheckResult(str(spec), str(bound), "passed", "", recording.records)


def check_cell(
    make_cell: Any,
    *,
    name: str | None = None,
    reference: StepFunction | None = None,
    inherits_initializer: bool = True,
    initializer_argument: str | None = None,
    own_initializer: Sequence[str] = (),
    checkpoint_compatible_with: str | CellSpec | None = None,
    shares_when_stacked: bool | None = None,
    modes: Sequence[str] | None = None,
    on_fail: str | None = "raise",
    quiet: bool = False,
) -> CheckResults:
    """Run every generic check on a cell, print a summary and return the results; raise :class:`CellCheckFailure` on the first failure.

    ``make_cell`` is a factory returning a fresh TF1 ``RNNCell`` (or a cell spec); ``name``, ``reference``,
    ``inherits_initializer``, ``initializer_argument``, ``own_initializer``, ``checkpoint_compatible_with``
    and ``shares_when_stacked`` are :func:`custom_cell`'s.
    Checks that do not apply are skipped, with the reason saying how to enable them, in the results.
    ``modes`` restricts the execution modes (default: graph, eager, function). ``on_fail=None`` runs every
    check and returns all results instead of raising. Once every check has run, the summary (counts, each
    skip and failure with its reason; ``str(results)``) is printed unless ``quiet=True``. TF's warnings that
    the suite's ``filterwarnings`` ignore are ignored while the checks run.
    """
    if on_fail not in ("raise", None):
        raise ValueError(f"on_fail: expected 'raise' or None, got {on_fail!r}")
    if not isinstance(quiet, bool):
        raise TypeError(f"quiet: expected a bool, got {quiet!r}")
    spec = _spec_with_options(
        make_cell,
        name=name,
        reference=reference,
        inherits_initializer=inherits_initializer,
        initializer_argument=initializer_argument,
        own_initializer=own_initializer,
        checkpoint_compatible_with=checkpoint_compatible_with,
        shares_when_stacked=shares_when_stacked,
    )
    results = CheckResults(str(spec), _validated_modes(modes))
    for bound in bound_checks(modes):
        result = run_check(bound, spec)
        results.append(result)
        if result.outcome == "failed" and on_fail == "raise":
            raise CellCheckFailure(f"{result.check} failed for {spec}: {result.message}")
    if not quiet:
        print(results)
    return results


def _spec_with_options(make_cell: Any, **options: Any) -> Any:
    """``make_cell`` wrapped by ``custom_cell(make_cell, **options)``, or the spec itself when no option differs from the default."""
    if not _is_spec(make_cell):
        return custom_cell(make_cell, **options)
    defaults = inspect.signature(custom_cell).parameters
    given = [key for key, value in options.items() if not _is_default(value, defaults[key].default)]
    if given:
        raise TypeError(f"{given[0]}: pass it to custom_cell(...) when make_cell is already a cell spec")
    return make_cell


def _is_default(value: Any, default: Any) -> bool:
    return value == default or (isinstance(value, list) and tuple(value) == default)  # own_initializer=[] is the default ()


def parametrize_with_checks(cells: Sequence[Any], *, modes: Sequence[str] | None = None) -> Any:
    """A pytest decorator giving one test per (cell, generic check, other axes), with ids like ``MyCell-check_x-graph``.

    The decorated test takes ``cell`` and ``check`` and calls ``check(cell)``. ``cells`` are cell specs
    or named factories; ``modes`` restricts the execution modes.
    """
    if isinstance(cells, (str, bytes)) or not isinstance(cells, Sequence) or not cells:
        raise TypeError(f"cells: expected a non-empty list of cell specs or factories, got {cells!r}")
    specs = [as_cell_spec(cell, f"cells[{index}]") for index, cell in enumerate(cells)]
    ids = [str(spec) for spec in specs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"cells: two cells share the id {duplicates[0]!r}; give them distinct names")
    bound = bound_checks(modes)
    cases = [pytest.param(spec, check, id=f"{spec}-{check}") for spec in specs for check in bound]
    return pytest.mark.parametrize(("cell", "check"), cases)


def _validated_modes(modes: Sequence[str] | None) -> tuple[str, ...]:
    if modes is None:
        return MODES
    if isinstance(modes, str):
        modes = [modes]
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown or not modes:
        raise ValueError(f"modes: expected a non-empty subset of {MODES}, got {list(modes)!r}")
    return tuple(modes)

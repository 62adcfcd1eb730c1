"""The suite's one assertion grammar.

Every failure reads ``<what>: observed <value>, but TF was expected to give <value> [<call>]``: what
was measured, what the check pins, and the TF call that produced it. When the generic checks run on a
user's cell, :func:`expectations_of` names that cell instead of TF (``but MyCell was expected to give``):
the behaviour pinned is then the cell's, not TensorFlow's. Helper frames are hidden from pytest tracebacks.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from tf_rnn_checks.observations import observe
from tf_rnn_checks.tolerances import tolerance_for

DEFAULT_SUBJECT = "TF"
_subject: contextvars.ContextVar[str] = contextvars.ContextVar("tf_rnn_checks_subject", default=DEFAULT_SUBJECT)


@contextlib.contextmanager
def expectations_of(subject: str) -> Iterator[None]:
    """Inside, failures say ``but <subject> was expected to give``: whose behaviour the check pins (default TF)."""
    if not isinstance(subject, str) or not subject.strip():
        raise ValueError(f"subject: expected a non-empty str naming whose behaviour is checked, got {subject!r}")
    token = _subject.set(subject)
    try:
        yield
    finally:
        _subject.reset(token)


def _message(what: str, observed: Any, expected: Any, call: str, detail: str = "") -> str:
    text = f"{what}: observed {observed!r}, but {_subject.get()} was expected to give {expected!r} [{call}]"
    return f"{text}\n{detail}" if detail else text


def _numeric(value: Any, argument: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):  # ragged nesting
        raise TypeError(f"{argument}: expected a numeric array, got {type(value).__name__}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{argument}: expected a numeric array, got dtype {array.dtype}")
    return array


def _differs(observed: Any, expected: Any) -> bool:
    if not isinstance(observed, np.ndarray) and not isinstance(expected, np.ndarray):
        try:
            return bool(observed != expected)
        except (ValueError, TypeError):  # containers of arrays compare elementwise
            pass
    try:
        return not np.array_equal(np.asarray(observed, dtype=object), np.asarray(expected, dtype=object))
    except (ValueError, TypeError):
        raise TypeError(
            f"observed: cannot compare {type(observed).__name__} with {type(expected).__name__} exactly; use assert_close for arrays"
        ) from None


def assert_equal(observed: Any, expected: Any, *, what: str, call: str) -> None:
    """Exact equality of plain values (names, shapes, dtypes, flags); arrays compare by shape and every element."""
    __tracebackhide__ = True
    if _differs(observed, expected):
        raise AssertionError(_message(what, observed, expected, call))


def assert_true(condition: bool, *, what: str, observed: Any, expected: Any, call: str) -> None:
    """A property that must hold; ``observed``/``expected`` say what was seen and what the check pins."""
    __tracebackhide__ = True
    if not condition:
        raise AssertionError(_message(what, observed, expected, call))


def assert_close(observed: Any, expected: Any, *, what: str, call: str, dtype: Any = None, check: str | None = None) -> None:
    """Numeric agreement within the dtype's tolerance (see :mod:`tf_rnn_checks.tolerances`)."""
    __tracebackhide__ = True
    observed = _numeric(observed, "observed")
    expected = _numeric(expected, "expected")
    if observed.shape != expected.shape:
        raise AssertionError(_message(f"{what} shape", observed.shape, expected.shape, call))
    tolerance = tolerance_for(dtype if dtype is not None else observed.dtype, check)
    try:
        np.testing.assert_allclose(observed, expected, rtol=tolerance.rtol, atol=tolerance.atol)
    except AssertionError as error:
        with np.errstate(invalid="ignore", over="ignore"):
            worst = float(np.max(np.abs(observed.astype(np.float64) - expected.astype(np.float64)), initial=0.0))
        raise AssertionError(
            _message(what, f"max abs error {worst:.3g}", f"within rtol={tolerance.rtol}, atol={tolerance.atol}", call, str(error).strip())
        ) from None


def assert_not_close(observed: Any, expected: Any, *, what: str, call: str, margin: float = 1e-3) -> None:
    """The two arrays differ somewhere by more than ``margin`` (used to show a layout is not accidental)."""
    __tracebackhide__ = True
    observed = _numeric(observed, "observed").astype(np.float64)
    expected = _numeric(expected, "expected").astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        worst = float(np.max(np.abs(observed - expected), initial=0.0)) if observed.shape == expected.shape else float("inf")
    if worst <= margin:
        raise AssertionError(_message(what, f"max abs difference {worst:.3g}", f"a difference above {margin}", call))


def error_bound(expected: Any, dtype: Any = None, check: str | None = None) -> float:
    """The largest absolute error :func:`assert_close` accepts against ``expected``: atol + rtol * max|expected|."""
    expected = _numeric(expected, "expected")
    tolerance = tolerance_for(dtype if dtype is not None else expected.dtype, check)
    return tolerance.atol + tolerance.rtol * float(np.max(np.abs(expected.astype(np.float64)), initial=0.0))


def observe_max_abs_error(key: str, observed: Any, expected: Any, *, dtype: Any = None, check: str | None = None) -> float:
    """Record the largest absolute difference under ``key`` with the bound :func:`assert_close` judges it by; returns it.

    The bound travels with the value, so a run on another CPU (whose rounding differs) diffs clean while it holds.
    """
    observed = _numeric(observed, "observed")
    expected = _numeric(expected, "expected")
    if observed.shape != expected.shape:
        raise ValueError(f"observed: shape {observed.shape} differs from expected's {expected.shape}")
    with np.errstate(invalid="ignore", over="ignore"):
        worst = float(np.max(np.abs(observed.astype(np.float64) - expected.astype(np.float64)), initial=0.0))
    observe(key, worst, within=error_bound(expected, dtype if dtype is not None else observed.dtype, check))
    return worst


def observe_raised(key: str, kind: str, text: str, phrases: Sequence[str]) -> None:
    """Record a raised error by its type name ``kind`` and which of the pinned ``phrases`` its ``text`` contains.

    TF's op messages gain details between builds (``grad_a=false`` in a MatMul node): the full text would read
    as a change on another machine, the pinned phrases do not. With no phrase found, the first line is kept.
    """
    found = [phrase for phrase in phrases if phrase in text]
    record: dict[str, Any] = {"type": kind, "contains": found}
    if not found:
        record["first_line"] = next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]
    observe(key, record)

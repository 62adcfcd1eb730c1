"""The suite's one assertion grammar.

Every failure reads ``<what>: observed <value>, but TF was expected to give <value> [<call>]``: what
was measured, what the check pins, and the TF call that produced it. Helper frames are hidden from
pytest tracebacks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tf_rnn_checks.tolerances import tolerance_for


def _message(what: str, observed: Any, expected: Any, call: str, detail: str = "") -> str:
    text = f"{what}: observed {observed!r}, but TF was expected to give {expected!r} [{call}]"
    return f"{text}\n{detail}" if detail else text


def assert_equal(observed: Any, expected: Any, *, what: str, call: str) -> None:
    """Exact equality of plain values (names, shapes, dtypes, flags)."""
    __tracebackhide__ = True
    if observed != expected:
        raise AssertionError(_message(what, observed, expected, call))


def assert_true(condition: bool, *, what: str, observed: Any, expected: Any, call: str) -> None:
    """A property that must hold; ``observed``/``expected`` say what was seen and what the check pins."""
    __tracebackhide__ = True
    if not condition:
        raise AssertionError(_message(what, observed, expected, call))


def assert_close(observed: Any, expected: Any, *, what: str, call: str, dtype: Any = None, check: str | None = None) -> None:
    """Numeric agreement within the dtype's tolerance (see :mod:`tf_rnn_checks.tolerances`)."""
    __tracebackhide__ = True
    observed = np.asarray(observed)
    expected = np.asarray(expected)
    if observed.shape != expected.shape:
        raise AssertionError(_message(f"{what} shape", observed.shape, expected.shape, call))
    tolerance = tolerance_for(dtype if dtype is not None else observed.dtype, check)
    try:
        np.testing.assert_allclose(observed, expected, rtol=tolerance.rtol, atol=tolerance.atol)
    except AssertionError as error:
        worst = float(np.max(np.abs(observed.astype(np.float64) - expected.astype(np.float64))))
        raise AssertionError(
            _message(what, f"max abs error {worst:.3g}", f"within rtol={tolerance.rtol}, atol={tolerance.atol}", call, str(error).strip())
        ) from None


def assert_not_close(observed: Any, expected: Any, *, what: str, call: str, margin: float = 1e-3) -> None:
    """The two arrays differ somewhere by more than ``margin`` (used to show a layout is not accidental)."""
    __tracebackhide__ = True
    observed = np.asarray(observed, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    worst = float(np.max(np.abs(observed - expected))) if observed.shape == expected.shape else float("inf")
    if worst <= margin:
        raise AssertionError(_message(what, f"max abs difference {worst:.3g}", f"a difference above {margin}", call))

"""Record what a check observed (names, shapes, values, errors) alongside its verdict.

Checks call :func:`observe`; :mod:`tf_rnn_checks.report.capture` attaches the records of each test to its
report (``user_properties``), which xdist carries back to the controller and the report writer reads.
Outside a pytest run (e.g. ``check_cell`` in a script) observations are kept for the caller.

A measured number that varies between machines (an error against a reference, an output) is recorded with
the tolerance that judges it, ``observe("max_abs_error", error, within=bound)``: the report keeps it under the
check's ``tolerances`` and ``tf-rnn-checks diff`` calls it changed only when it moves by more than that.
"""

from __future__ import annotations

import contextvars
import json
from typing import Any

import numpy as np

_current: contextvars.ContextVar[Recording | None] = contextvars.ContextVar("tf_rnn_checks_observations", default=None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.generic,)):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def observe(key: str, value: Any, *, within: float | None = None) -> None:
    """Record ``value`` under ``key`` for the running check (JSON-serialisable after conversion).

    ``within``: the absolute tolerance of every number in ``value``, for comparing runs on other machines.
    """
    if not isinstance(key, str) or not key:
        raise TypeError(f"key: expected a non-empty str, got {key!r}")
    if within is not None:
        if isinstance(within, bool) or not isinstance(within, (int, float, np.floating)) or not np.isfinite(within) or within < 0:
            raise ValueError(f"within: expected a finite tolerance >= 0 or None, got {within!r}")
        within = float(within)
    try:
        converted = _jsonable(value)
        json.dumps(converted)
    except (TypeError, ValueError, RecursionError) as error:
        raise TypeError(f"value: expected a JSON-serialisable value (numbers, str, lists, dicts, NumPy arrays), got {error}") from None
    recording = _current.get()
    if recording is not None:
        recording.records[key] = converted
        if within is None:
            recording.tolerances.pop(key, None)
        else:
            recording.tolerances[key] = within


class Recording:
    """Context manager collecting the observations made inside it: ``with Recording() as rec: ...; rec.records``.

    ``rec.tolerances`` maps the keys recorded with ``within=`` to their tolerance.
    """

    def __init__(self) -> None:
        self.records: dict[str, Any] = {}
        self.tolerances: dict[str, float] = {}
        self._token: contextvars.Token | None = None

    def __enter__(self) -> Recording:
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._token is not None
        _current.reset(self._token)

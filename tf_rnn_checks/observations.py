"""Record what a check observed (names, shapes, values, errors) alongside its verdict.

Checks call :func:`observe`; the pytest plugin attaches the records of each test to its report
(``user_properties``), which xdist carries back to the controller and the report writer reads.
Outside a pytest run (e.g. ``check_cell`` in a script) observations are kept for the caller.
"""

from __future__ import annotations

import contextvars
import json
from typing import Any

import numpy as np

_current: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("tf_rnn_checks_observations", default=None)


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


def observe(key: str, value: Any) -> None:
    """Record ``value`` under ``key`` for the running check (JSON-serialisable after conversion)."""
    if not isinstance(key, str) or not key:
        raise TypeError(f"key: expected a non-empty str, got {key!r}")
    try:
        converted = _jsonable(value)
        json.dumps(converted)
    except (TypeError, ValueError, RecursionError) as error:
        raise TypeError(f"value: expected a JSON-serialisable value (numbers, str, lists, dicts, NumPy arrays), got {error}") from None
    records = _current.get()
    if records is not None:
        records[key] = converted


class Recording:
    """Context manager collecting the observations made inside it: ``with Recording() as rec: ...; rec.records``."""

    def __init__(self) -> None:
        self.records: dict[str, Any] = {}
        self._token: contextvars.Token | None = None

    def __enter__(self) -> Recording:
        self._token = _current.set(self.records)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._token is not None
        _current.reset(self._token)

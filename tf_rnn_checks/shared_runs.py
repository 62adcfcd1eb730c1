"""Share expensive, read-only TF runs between the checks of one process.

A function decorated with :func:`shared` must be fully determined by its (hashable) arguments: a cell
spec, a mode, a dtype, seeds. Its result is computed once per process and every NumPy array in it is made
read-only, so a check that tried to modify a shared result raises ``ValueError: assignment destination is
read-only`` instead of leaking into the next check. :func:`clear` empties every cache; the pytest plugin
calls it around each test that uses ``monkeypatch``, so a deliberately broken TF never reads a result
computed without the break (nor leaves one behind).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

Result = TypeVar("Result")
CACHE_SIZE = 512
_caches: list[Any] = []


def shared(function: Callable[..., Result]) -> Callable[..., Result]:
    """Cache ``function``'s read-only result per distinct arguments; unhashable arguments are a ``TypeError``."""

    @functools.lru_cache(maxsize=CACHE_SIZE)
    def cached(*args: Any, **kwargs: Any) -> Result:
        return freeze(function(*args, **kwargs))

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Result:
        try:
            hash((args, tuple(kwargs.items())))
        except TypeError as error:
            raise TypeError(
                f"{function.__qualname__}: shared runs need hashable arguments (pass tuples, not lists or arrays): {error}"
            ) from None
        return cached(*args, **kwargs)

    _caches.append(cached)
    return wrapper


def clear() -> None:
    """Forget every shared result (the next call of each shared function runs TF again)."""
    for cache in _caches:
        cache.cache_clear()


def freeze(value: Any) -> Any:
    """Make every NumPy array reachable through tuples, lists, dicts and dataclasses read-only; returns ``value``."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, (tuple, list)):
        for item in value:
            freeze(item)
    elif isinstance(value, dict):
        for item in value.values():
            freeze(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            freeze(getattr(value, field.name))
    return value

"""Shared pieces of the fuzz tests: junk-value strategies and the "clean error" contract.

A public helper given bad input must either return, or raise ``ValueError``/``TypeError`` from
tf_rnn_checks' own code whose message names the offending argument; an error raised inside NumPy (a
broadcast ``ValueError``), or an ``IndexError``/``KeyError``/``AttributeError``, fails the test.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tf_rnn_checks

# Where the package under test was imported from: the checkout, or site-packages in a tox env (the installed wheel).
PACKAGE = str(Path(tf_rnn_checks.__file__).resolve().parent)

DTYPES = [np.float16, np.float32, np.float64, np.int32, np.int64, np.bool_, np.complex64]


def arrays(dtypes: Iterable[Any] = DTYPES, max_dims: int = 3, max_side: int = 5) -> st.SearchStrategy[np.ndarray]:
    """Small arrays of any of ``dtypes``, any rank up to ``max_dims`` (including 0-d and empty), with NaN/inf."""
    return st.sampled_from(list(dtypes)).flatmap(
        lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=max_side))
    )


def float_arrays(shape: tuple[int, ...], dtype: Any = np.float32) -> st.SearchStrategy[np.ndarray]:
    """Arrays of exactly ``shape`` with any float values (NaN, inf, huge)."""
    return hnp.arrays(dtype, shape)


SIZES = st.one_of(st.integers(-3, 6), st.just(10**12), st.booleans(), st.floats(allow_nan=True), st.none(), st.text(max_size=3))
"""Junk for an int size argument: negative, zero, huge, bool, float, None, str."""

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5), st.binary(max_size=5))

JUNK = st.one_of(
    SCALARS,
    arrays(),
    st.lists(st.floats(), max_size=4),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=3),
    st.builds(object),
)
"""Any wrong-typed value."""


def _raised_in_package(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and str(Path(frames[-1].filename).resolve()).startswith(PACKAGE)


def call_cleanly(function: Callable[..., Any], *args: Any, names: Iterable[str] = (), **kwargs: Any) -> Any:
    """Call ``function``; return its result or the clean ``ValueError``/``TypeError`` it raised.

    A clean error is raised by tf_rnn_checks itself (not deep inside NumPy) and, when ``names`` is
    given, its message mentions one of them (the offending argument). Anything else fails the test.
    """
    __tracebackhide__ = True
    try:
        return function(*args, **kwargs)
    except (ValueError, TypeError) as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
        assert _raised_in_package(error), f"{function.__name__} leaked {type(error).__name__} from {where.filename}:{where.lineno}: {error}"
        names = list(names)
        assert not names or any(name in str(error) for name in names), (
            f"{function.__name__} raised {type(error).__name__} not naming any of {names}: {error}"
        )
        return error
    except (AssertionError, KeyboardInterrupt):
        raise
    except Exception as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
        raise AssertionError(
            f"{function.__name__} leaked an obscure {type(error).__name__} from {where.filename}:{where.lineno}: {error!r}"
        ) from error

"""What every deliberate-break test asserts: the check, run on the broken behaviour, fails with the expected message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def fails(check: Callable[..., None], pattern: str, **kwargs: Any) -> str:
    """Run ``check(**kwargs)``, expect an AssertionError matching ``pattern`` (a regex), and return its message."""
    __tracebackhide__ = True
    with pytest.raises(AssertionError, match=pattern) as error:
        check(**kwargs)
    return str(error.value)

"""Shared runs are computed once per arguments, handed out read-only, and forgotten on clear()."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from tf_rnn_checks import shared_runs


@dataclass(frozen=True)
class _Result:
    outputs: tuple
    values: dict


def _counting():
    calls: list[tuple] = []

    @shared_runs.shared
    def compute(name: str, size: int) -> _Result:
        calls.append((name, size))
        return _Result((np.zeros(size), [np.ones(size)]), {"kernel": np.arange(size)})

    return compute, calls


def test_same_arguments_compute_once_and_share_the_result() -> None:
    compute, calls = _counting()
    assert compute("lstm", 3) is compute("lstm", 3)
    compute("gru", 3)
    assert calls == [("lstm", 3), ("gru", 3)]


def test_every_array_of_a_shared_result_is_read_only() -> None:
    compute, _ = _counting()
    result = compute("lstm", 3)
    for array in (result.outputs[0], result.outputs[1][0], result.values["kernel"]):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1.0


def test_clear_forgets_every_shared_result() -> None:
    compute, calls = _counting()
    first = compute("lstm", 3)
    shared_runs.clear()
    assert compute("lstm", 3) is not first
    assert calls == [("lstm", 3), ("lstm", 3)]


def test_unhashable_arguments_are_a_type_error_naming_the_function() -> None:
    compute, _ = _counting()
    with pytest.raises(TypeError, match=r"compute: shared runs need hashable arguments"):
        compute("lstm", [3])

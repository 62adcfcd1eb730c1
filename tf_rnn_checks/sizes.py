"""Sizes, inputs and seeds: the one place every check takes them from.

Sizes are tiny on purpose (units 2-5, a few time steps) so the whole matrix stays fast. Structural checks
(names, shapes, sharing, scopes) draw standard-normal inputs; numeric checks draw uniform(-1, 1) inputs and
weights, which keep float16 in range.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

INPUT_SIZE = 4
TIME_STEPS = 3
BATCH = 2  # structural checks: two rows are enough to see a batch dimension
NUMERIC_BATCH = 3  # numeric checks: one row per entry of LENGTHS
LENGTHS = np.array([3, 0, 2], dtype=np.int32)  # a full row, a zero-length row, a row cut short
SEQUENCE_STEPS = 5  # padded-batch conversion checks: one row per entry of SEQUENCE_LENGTHS
SEQUENCE_LENGTHS = (5, 1, 3)  # a full-length row, a one-step row, a row in between
CONVERT_STEPS = 12  # converter checks: long enough for a wrong gate order to compound
PROBE_BATCH, PROBE_STEPS = 2, 5  # `tf-rnn-checks probe` of a user's checkpoint
# Dropout statistics: 8 x 6 x 32 = 1536 per-step draws, so a dropped fraction far from 1 - keep is no accident of the seed.
DROPOUT_BATCH, DROPOUT_STEPS, DROPOUT_UNITS = 8, 6, 32

INPUT_SEED = 0
NUMERIC_INPUT_SEED = 7
VARIABLE_SEED = 1
STATE_SEED = 11

NORMAL = "normal"
UNIFORM = "uniform"


def inputs(
    *,
    batch: int = BATCH,
    time: int = TIME_STEPS,
    size: int = INPUT_SIZE,
    dtype: Any = "float32",
    seed: int = INPUT_SEED,
    distribution: str = NORMAL,
    low: float = -1.0,
    high: float = 1.0,
) -> np.ndarray:
    """Seeded batch-major inputs ``[batch, time, size]``: standard normal, or uniform(low, high) with ``distribution=UNIFORM``."""
    generator = np.random.default_rng(seed)
    if distribution == NORMAL:
        values = generator.standard_normal((batch, time, size))
    elif distribution == UNIFORM:
        values = generator.uniform(low, high, (batch, time, size))
    else:
        raise ValueError(f"distribution: expected {NORMAL!r} or {UNIFORM!r}, got {distribution!r}")
    return values.astype(dtype)


def seeded_array(seed: int, index: int, shape: tuple[int, ...], dtype: Any, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """The ``index``-th seeded uniform array of stream ``seed``: the same for the same (seed, index) on every machine."""
    return np.random.default_rng([seed, index]).uniform(low, high, size=shape).astype(dtype)


def seeded_values(seed: int, low: float = -1.0, high: float = 1.0) -> Callable[[int, tuple[int, ...], Any], np.ndarray]:
    """A value maker for :func:`tf_rnn_checks.modes.run`'s ``randomize``: uniform values, seeded by ``seed`` and creation order."""

    def make(index: int, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        return seeded_array(seed, index, shape, dtype, low, high)

    return make

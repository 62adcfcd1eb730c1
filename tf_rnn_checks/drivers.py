"""The TF1 ways of running a cell over inputs, behind one call: ``drive(driver, cells, inputs)``.

Outputs are returned batch-major ``[batch, time, units]`` for every driver (``static_rnn``'s list is
stacked); bidirectional drivers return ``(forward, backward)`` pairs of outputs and states;
``cell_call`` is one step ``cell(inputs[:, 0], cell.zero_state(...))``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from tf_rnn_checks.cells import CellSpec
from tf_rnn_checks.tf_import import tf, v1

DRIVERS: tuple[str, ...] = ("dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn", "cell_call")
BIDIRECTIONAL = ("bidirectional_dynamic_rnn", "static_bidirectional_rnn")


def make_cells(driver: str, spec: CellSpec, **overrides: Any) -> tuple[Any, ...]:
    """The cell objects ``driver`` needs: two independent cells for bidirectional drivers, else one."""
    _check_driver(driver)
    count = 2 if driver in BIDIRECTIONAL else 1
    return tuple(spec.make(**overrides) for _ in range(count))


def make_stacked_twice(spec: CellSpec, *, same_object: bool) -> Callable[[], tuple[Any]]:
    """A ``make`` for ``modes.run``: ``MultiRNNCell([cell, cell])`` (one object twice) or ``MultiRNNCell([make(), make()])``."""

    def make() -> tuple[Any]:
        first = spec.make()
        return (v1.nn.rnn_cell.MultiRNNCell([first, first] if same_object else [first, spec.make()]),)

    return make


def drive(
    driver: str,
    cells: tuple[Any, ...],
    inputs: np.ndarray,
    *,
    sequence_length: np.ndarray | None = None,
    scope: str | None = None,
) -> tuple[Any, Any]:
    """Run ``cells`` over batch-major ``inputs`` ``[batch, time, features]`` with ``driver``; return (outputs, state)."""
    _check_driver(driver)
    inputs = np.asarray(inputs)
    if inputs.ndim != 3:
        raise ValueError(f"inputs: expected shape [batch, time, features], got {inputs.shape}")
    dtype = tf.as_dtype(inputs.dtype)
    x = tf.constant(inputs)
    lengths = None if sequence_length is None else tf.constant(sequence_length, dtype=tf.int32)
    if driver == "dynamic_rnn":
        return v1.nn.dynamic_rnn(cells[0], x, sequence_length=lengths, dtype=dtype, scope=scope)
    if driver == "bidirectional_dynamic_rnn":
        return v1.nn.bidirectional_dynamic_rnn(cells[0], cells[1], x, sequence_length=lengths, dtype=dtype, scope=scope)
    steps = tf.unstack(x, axis=1)
    if driver == "static_rnn":
        outputs, state = v1.nn.static_rnn(cells[0], steps, sequence_length=lengths, dtype=dtype, scope=scope)
        return tf.stack(outputs, axis=1), state
    if driver == "static_bidirectional_rnn":
        outputs, state_fw, state_bw = v1.nn.static_bidirectional_rnn(
            cells[0], cells[1], steps, sequence_length=lengths, dtype=dtype, scope=scope
        )
        # No strict=: under tf.function, autograph of TF <= 2.14 turns zip into a zip_ that rejects it.
        forward, backward = zip(*(tf.split(step, 2, axis=1) for step in outputs))  # noqa: B905
        return (tf.stack(forward, axis=1), tf.stack(backward, axis=1)), (state_fw, state_bw)
    cell = cells[0]
    state = cell.zero_state(inputs.shape[0], dtype)
    if scope:
        with v1.variable_scope(scope):
            output, state = cell(x[:, 0], state)
    else:
        output, state = cell(x[:, 0], state)
    return output[:, None], state


def _check_driver(driver: str) -> None:
    if driver not in DRIVERS:
        raise ValueError(f"driver: expected one of {DRIVERS}, got {driver!r}")

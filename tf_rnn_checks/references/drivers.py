"""NumPy references for TF1's sequence drivers: ``dynamic_rnn``, ``static_rnn`` and the bidirectional pair.

Semantics mirrored from ``tf.compat.v1.nn``:

- the cell runs one time step at a time on every row; with ``sequence_length``, a row's outputs at
  steps ``t >= sequence_length[row]`` are zero and its state is carried through unchanged, so the
  final state is the state after the row's last valid step (the initial state for a zero-length row);
- ``initial_state`` defaults to the cell's zero state;
- ``time_major=True`` takes and returns ``[time, batch, ...]`` instead of ``[batch, time, ...]``;
- the backward direction of a bidirectional driver reads each row reversed *within its own length*
  (as ``tf.reverse_sequence`` does; the whole time axis when ``sequence_length`` is ``None``) and its
  outputs are reversed back the same way, so ``outputs_bw[:, t]`` lines up with ``inputs[:, t]``.

Cells are the references of :mod:`tf_rnn_checks.references.cells` (any object with ``__call__(x,
state)``, ``zero_state(batch)``, ``output_size`` and ``dtype``). Loops run over time, never over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from tf_rnn_checks.references.cells import LSTMStateTuple, check_state


def map_state(function: Callable[..., np.ndarray], *states: Any) -> Any:
    """Apply ``function`` leaf-wise to states of the same structure (arrays, ``LSTMStateTuple``s, tuples)."""
    first = states[0]
    if isinstance(first, LSTMStateTuple):
        return LSTMStateTuple(*(map_state(function, *leaves) for leaves in zip(*states, strict=True)))
    if isinstance(first, (tuple, list)):
        return tuple(map_state(function, *leaves) for leaves in zip(*states, strict=True))
    return function(*states)


def flatten_state(state: Any) -> list[np.ndarray]:
    """The state's arrays in TF's ``tf.nest.flatten`` order (``c`` before ``h``, layer 0 first)."""
    if isinstance(state, (tuple, list)):
        return [leaf for part in state for leaf in flatten_state(part)]
    return [np.asarray(state)]


def _lengths(sequence_length: Any, batch: int, time: int) -> np.ndarray | None:
    if sequence_length is None:
        return None
    try:
        lengths = np.asarray(sequence_length)
    except (ValueError, TypeError):  # ragged nesting
        raise ValueError(f"sequence_length: expected integers of shape ({batch},), got {type(sequence_length).__name__}") from None
    if lengths.shape != (batch,) or not np.issubdtype(lengths.dtype, np.integer):
        raise ValueError(f"sequence_length: expected integers of shape ({batch},), got {lengths.dtype} {lengths.shape}")
    if lengths.min(initial=0) < 0 or lengths.max(initial=0) > time:
        raise ValueError(f"sequence_length: expected values in [0, {time}], got {lengths.tolist()}")
    return lengths


def _check_steps(inputs: Any) -> None:
    expected = "inputs: expected a non-empty list of [batch, features] arrays of one shape"
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError(f"{expected}, got {type(inputs).__name__}")
    shapes = {np.shape(step) for step in inputs}
    if len(shapes) != 1 or len(next(iter(shapes))) != 2:
        raise ValueError(f"{expected}, got shapes {sorted(shapes)}")


def _batch_major(inputs: Any, time_major: bool) -> np.ndarray:
    layout = "[time, batch, features]" if time_major else "[batch, time, features]"
    try:
        x = np.asarray(inputs)
    except (ValueError, TypeError):  # ragged nesting
        raise ValueError(f"inputs: expected a numeric array of shape {layout}, got {type(inputs).__name__}") from None
    if x.dtype.kind not in "biuf":
        raise ValueError(f"inputs: expected a numeric array of shape {layout}, got dtype {x.dtype}")
    if x.ndim != 3:
        raise ValueError(f"inputs: expected shape {layout}, got {x.shape}")
    return x.transpose(1, 0, 2) if time_major else x


def dynamic_rnn(
    cell: Any, inputs: np.ndarray, *, sequence_length: Any = None, initial_state: Any = None, time_major: bool = False
) -> tuple[np.ndarray, Any]:
    """``tf.compat.v1.nn.dynamic_rnn``: ``(outputs, final_state)`` of ``cell`` over ``inputs`` (see the module docstring)."""
    x = _batch_major(inputs, time_major).astype(cell.dtype, copy=False)
    batch, time = x.shape[:2]
    input_size = getattr(cell, "input_size", x.shape[2])
    if x.shape[2] != input_size:
        layout = "[time, batch, features]" if time_major else "[batch, time, features]"
        raise ValueError(f"inputs: expected shape {layout} with {input_size} features (the cell's input size), got {np.shape(inputs)}")
    lengths = _lengths(sequence_length, batch, time)
    if initial_state is None:
        state = cell.zero_state(batch)
    else:
        state = map_state(lambda s: np.asarray(s, cell.dtype), check_state(initial_state, cell.state_size, batch, "initial_state"))
    outputs = np.zeros((batch, time, cell.output_size), cell.dtype)
    for t in range(time):
        output, new_state = cell(x[:, t], state)
        if lengths is None:
            outputs[:, t], state = output, new_state
            continue
        alive = (t < lengths)[:, None]
        outputs[:, t] = np.where(alive, output, 0)
        state = map_state(lambda new, old, alive=alive: np.where(alive, new, old), new_state, state)
    return (outputs.transpose(1, 0, 2) if time_major else outputs), state


def static_rnn(
    cell: Any, inputs: Sequence[np.ndarray], *, sequence_length: Any = None, initial_state: Any = None
) -> tuple[list[np.ndarray], Any]:
    """``tf.compat.v1.nn.static_rnn``: a list of ``[batch, features]`` steps in, a list of outputs out; same semantics as :func:`dynamic_rnn`."""
    _check_steps(inputs)
    outputs, state = dynamic_rnn(cell, np.stack(inputs, axis=1), sequence_length=sequence_length, initial_state=initial_state)
    return list(outputs.transpose(1, 0, 2)), state


def reverse_sequence(x: np.ndarray, lengths: Any, *, time_axis: int = 1) -> np.ndarray:
    """``tf.reverse_sequence`` for batch axis 0 (``time_axis=1``) or batch axis 1 (``time_axis=0``).

    Row ``b``'s first ``lengths[b]`` steps are reversed; steps past the length stay where they are.
    ``lengths=None`` reverses the whole time axis.
    """
    x = np.asarray(x)
    if isinstance(time_axis, bool) or not isinstance(time_axis, (int, np.integer)) or time_axis not in (0, 1) or x.ndim < 2:
        raise ValueError(f"time_axis: expected 0 or 1 for an array of at least 2 dims, got {time_axis} for shape {x.shape}")
    batch_major = x if time_axis == 1 else np.swapaxes(x, 0, 1)
    batch, time = batch_major.shape[:2]
    if lengths is None:
        result = batch_major[:, ::-1]
    else:
        lengths = _lengths(lengths, batch, time)
        steps = np.arange(time)[None, :]
        source = np.where(steps < lengths[:, None], lengths[:, None] - 1 - steps, steps)
        result = batch_major[np.arange(batch)[:, None], source]
    return result if time_axis == 1 else np.swapaxes(result, 0, 1)


def bidirectional_dynamic_rnn(
    cell_fw: Any,
    cell_bw: Any,
    inputs: np.ndarray,
    *,
    sequence_length: Any = None,
    initial_state_fw: Any = None,
    initial_state_bw: Any = None,
    time_major: bool = False,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[Any, Any]]:
    """``tf.compat.v1.nn.bidirectional_dynamic_rnn``: ``((outputs_fw, outputs_bw), (state_fw, state_bw))``."""
    x = _batch_major(inputs, time_major)
    forward, state_fw = dynamic_rnn(cell_fw, x, sequence_length=sequence_length, initial_state=initial_state_fw)
    reversed_outputs, state_bw = dynamic_rnn(
        cell_bw, reverse_sequence(x, sequence_length), sequence_length=sequence_length, initial_state=initial_state_bw
    )
    backward = reverse_sequence(reversed_outputs, sequence_length)
    if time_major:
        forward, backward = forward.transpose(1, 0, 2), backward.transpose(1, 0, 2)
    return (forward, backward), (state_fw, state_bw)


def static_bidirectional_rnn(
    cell_fw: Any,
    cell_bw: Any,
    inputs: Sequence[np.ndarray],
    *,
    sequence_length: Any = None,
    initial_state_fw: Any = None,
    initial_state_bw: Any = None,
) -> tuple[list[np.ndarray], Any, Any]:
    """``tf.compat.v1.nn.static_bidirectional_rnn``: ``(outputs, state_fw, state_bw)``, each output ``concat([fw, bw], axis=1)``."""
    _check_steps(inputs)
    (forward, backward), (state_fw, state_bw) = bidirectional_dynamic_rnn(
        cell_fw,
        cell_bw,
        np.stack(inputs, axis=1),
        sequence_length=sequence_length,
        initial_state_fw=initial_state_fw,
        initial_state_bw=initial_state_bw,
    )
    return list(np.concatenate([forward, backward], axis=2).transpose(1, 0, 2)), state_fw, state_bw


__all__ = [
    "bidirectional_dynamic_rnn",
    "dynamic_rnn",
    "flatten_state",
    "map_state",
    "reverse_sequence",
    "static_bidirectional_rnn",
    "static_rnn",
]

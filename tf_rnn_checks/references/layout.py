"""Split TF1 RNN kernels into named per-gate blocks, and join them back (NumPy only, exact round trip).

TF1 ``LSTMCell`` / ``BasicLSTMCell`` store one ``kernel`` of shape ``(input_size + recurrent_size,
4 * num_units)`` and one ``bias`` of shape ``(4 * num_units,)``; ``recurrent_size`` is ``num_proj``
when the cell projects, else ``num_units``. The cell computes ``[x, h_prev] @ kernel + bias``, so:

- rows ``[0, input_size)`` multiply the input ``x`` (the *input* block), rows ``[input_size, end)``
  multiply the previous output ``h`` (or projected ``m``) (the *recurrent* block);
- columns come in four blocks of ``num_units`` in the gate order ``i, j, f, o``: input gate,
  new input (the candidate, Keras' ``c``, PyTorch's ``g``), forget gate, output gate;
- ``forget_bias`` is NOT stored in ``bias``: the cell adds it to the ``f`` block at run time.

TF1 ``GRUCell`` stores ``gates/kernel (input_size + num_units, 2 * num_units)`` and ``gates/bias
(2 * num_units,)`` with column blocks ``r, u`` (reset first, then update), and ``candidate/kernel
(input_size + num_units, num_units)`` and ``candidate/bias (num_units,)``; the candidate's recurrent
rows multiply ``r * h_prev`` (reset applied before the matmul).

Every block is a :class:`GateWeights`: ``input (input_size, num_units)``, ``recurrent
(recurrent_size, num_units)``, ``bias (num_units,)``, so ``x @ g.input + h @ g.recurrent + g.bias`` is
that gate's pre-activation. Blocks are copies: editing them never changes the kernel they came from.

Stable API (used by the weight converters): :class:`GateWeights`, :class:`LSTMBlocks`,
:class:`GRUBlocks`, :func:`split_lstm_kernel`, :func:`join_lstm_kernel`, :func:`split_gru_kernels`,
:func:`join_gru_kernels`, :data:`LSTM_GATES`, :data:`GRU_GATES`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

LSTM_GATES: tuple[str, ...] = ("i", "j", "f", "o")
"""The TF1 LSTM column-block order: input gate, new input (candidate), forget gate, output gate."""

GRU_GATES: tuple[str, ...] = ("r", "u")
"""The TF1 GRU ``gates/kernel`` column-block order: reset gate, then update gate."""

PARTS: tuple[str, ...] = ("input", "recurrent", "bias")


@dataclass(frozen=True)
class GateWeights:
    """One gate's weights: ``input (input_size, units)``, ``recurrent (recurrent_size, units)``, ``bias (units,)``."""

    input: np.ndarray
    recurrent: np.ndarray
    bias: np.ndarray

    def part(self, name: str) -> np.ndarray:
        """The block named ``name``: one of ``"input"``, ``"recurrent"``, ``"bias"``."""
        if not isinstance(name, str) or name not in PARTS:
            raise ValueError(f"part: expected one of {PARTS}, got {name!r}")
        return getattr(self, name)

    @property
    def kernel(self) -> np.ndarray:
        """``input`` stacked over ``recurrent``: this gate's column block of the TF kernel."""
        return np.concatenate([self.input, self.recurrent], axis=0)


def _names(order: object, argument: str) -> tuple[str, ...]:
    """``order`` (a str of one-letter names or a sequence of names) as a tuple of str, else a ``ValueError``."""
    if isinstance(order, str):
        return tuple(order)
    if not isinstance(order, (list, tuple)) or not all(isinstance(name, str) for name in order):
        raise ValueError(f"{argument}: expected a sequence of gate names, got {order!r}")
    return tuple(order)


class _Blocks:
    """Shared accessors of :class:`LSTMBlocks` and :class:`GRUBlocks` (``GATES`` names the fields)."""

    GATES: tuple[str, ...] = ()

    def gate(self, name: str) -> GateWeights:
        """The :class:`GateWeights` of gate ``name``."""
        if not isinstance(name, str) or name not in self.GATES:
            raise ValueError(f"name: expected one of {self.GATES}, got {name!r}")
        return getattr(self, name)

    def items(self) -> Iterator[tuple[str, GateWeights]]:
        """``(gate name, GateWeights)`` in storage order."""
        return ((name, getattr(self, name)) for name in self.GATES)

    def stack(self, part: str, order: Sequence[str]) -> np.ndarray:
        """Concatenate ``part`` (``input``/``recurrent``/``bias``) of the gates in ``order`` along the units axis.

        E.g. ``blocks.stack("input", "ifjo")`` is a Keras-ordered (``i, f, c, o``) input kernel.
        """
        order = _names(order, "order")
        if not order or len(order) != len(set(order)) or any(name not in self.GATES for name in order):
            raise ValueError(f"order: expected distinct gate names from {self.GATES}, got {order!r}")
        return np.concatenate([self.gate(name).part(part) for name in order], axis=-1)

    @property
    def input_size(self) -> int:
        return int(self.gate(self.GATES[0]).input.shape[0])

    @property
    def recurrent_size(self) -> int:
        return int(self.gate(self.GATES[0]).recurrent.shape[0])

    @property
    def num_units(self) -> int:
        return int(self.gate(self.GATES[0]).bias.shape[0])

    @property
    def dtype(self) -> np.dtype:
        return self.gate(self.GATES[0]).bias.dtype


@dataclass(frozen=True)
class LSTMBlocks(_Blocks):
    """The TF1 LSTM kernel and bias as named gates ``i, j, f, o`` (see the module docstring)."""

    i: GateWeights
    j: GateWeights
    f: GateWeights
    o: GateWeights
    GATES = LSTM_GATES

    def reordered(self, order: Sequence[str]) -> LSTMBlocks:
        """Blocks whose gate ``LSTM_GATES[k]`` holds this object's gate ``order[k]`` (a deliberate permutation)."""
        order = _names(order, "order")
        if sorted(order) != sorted(LSTM_GATES):
            raise ValueError(f"order: expected a permutation of {LSTM_GATES}, got {order!r}")
        return LSTMBlocks(*(self.gate(name) for name in order))


@dataclass(frozen=True)
class GRUBlocks(_Blocks):
    """The TF1 GRU variables as named blocks: gates ``r``, ``u`` and the ``candidate`` (see the module docstring)."""

    r: GateWeights
    u: GateWeights
    candidate: GateWeights
    GATES = ("r", "u", "candidate")


def _float_array(value: object, argument: str, ndim: int, expected: str) -> np.ndarray:
    array = np.asarray(value)
    if array.ndim != ndim:
        raise ValueError(f"{argument}: expected shape {expected}, got {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(f"{argument}: expected a floating dtype (float16/32/64), got {array.dtype}")
    return array


def _positive(value: object, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{argument}: expected a positive int, got {value!r}")
    return int(value)


def _split_kernel(
    kernel: object, bias: object, gates: int, num_units: int, recurrent_size: int, input_size: int | None, names: tuple[str, str]
) -> list[GateWeights]:
    kernel_name, bias_name = names
    num_units = _positive(num_units, "num_units")
    recurrent_size = _positive(recurrent_size, "num_proj")
    columns = gates * num_units
    shape_text = f"(input_size + {recurrent_size}, {columns})" if input_size is None else f"({input_size + recurrent_size}, {columns})"
    kernel = _float_array(kernel, kernel_name, 2, shape_text)
    bias = _float_array(bias, bias_name, 1, f"({columns},)")
    rows = kernel.shape[0] - recurrent_size
    if kernel.shape[1] != columns or rows < 1 or (input_size is not None and rows != _positive(input_size, "input_size")):
        raise ValueError(f"{kernel_name}: expected shape {shape_text} for num_units={num_units}, got {kernel.shape}")
    if bias.shape != (columns,):
        raise ValueError(f"{bias_name}: expected shape ({columns},) for num_units={num_units}, got {bias.shape}")
    if bias.dtype != kernel.dtype:
        raise ValueError(f"{bias_name}: expected dtype {kernel.dtype} (the kernel's), got {bias.dtype}")
    blocks = []
    for k in range(gates):
        cols = slice(k * num_units, (k + 1) * num_units)
        blocks.append(GateWeights(kernel[:rows, cols].copy(), kernel[rows:, cols].copy(), bias[cols].copy()))
    return blocks


def _join_kernel(gates: Sequence[tuple[str, GateWeights]], argument: str) -> tuple[np.ndarray, np.ndarray]:
    first_name, first = gates[0]
    for name, gate in gates:
        if not isinstance(gate, GateWeights):
            raise TypeError(f"{argument}.{name}: expected GateWeights, got {type(gate).__name__}")
        expected = (np.shape(first.input), np.shape(first.recurrent), np.shape(first.bias))
        shapes = (np.shape(gate.input), np.shape(gate.recurrent), np.shape(gate.bias))
        if shapes != expected or len(expected[2]) != 1 or expected[0][1:] != expected[2] or expected[1][1:] != expected[2]:
            raise ValueError(
                f"{argument}.{name}: expected input/recurrent/bias shapes {expected} "
                f"(like {first_name}, with (rows, units) and (units,)), got {shapes}"
            )
        first_dtype = np.asarray(first.bias).dtype
        dtypes = {np.asarray(p).dtype for p in (gate.input, gate.recurrent, gate.bias)}
        if dtypes != {first_dtype} or not np.issubdtype(first_dtype, np.floating):
            raise ValueError(f"{argument}.{name}: expected one floating dtype {first_dtype} for all parts, got {sorted(map(str, dtypes))}")
    kernel = np.concatenate([np.concatenate([g.input, g.recurrent], axis=0) for _, g in gates], axis=1)
    bias = np.concatenate([g.bias for _, g in gates])
    return kernel, bias


def split_lstm_kernel(
    kernel: np.ndarray, bias: np.ndarray, num_units: int, *, num_proj: int | None = None, input_size: int | None = None
) -> LSTMBlocks:
    """Split a TF1 LSTM ``kernel (input_size + recurrent_size, 4*num_units)`` and ``bias (4*num_units,)`` into gates ``i, j, f, o``.

    ``recurrent_size`` is ``num_proj`` when given (``LSTMCell(num_proj=...)``), else ``num_units``;
    ``input_size``, when given, is checked against the kernel. Raises ``ValueError`` naming the argument
    and the expected shape for wrong shapes, non-floating or mismatched dtypes, or a bad ``num_units``.
    """
    recurrent = _positive(num_units, "num_units") if num_proj is None else _positive(num_proj, "num_proj")
    return LSTMBlocks(*_split_kernel(kernel, bias, 4, num_units, recurrent, input_size, ("kernel", "bias")))


def join_lstm_kernel(blocks: LSTMBlocks) -> tuple[np.ndarray, np.ndarray]:
    """The TF1 ``(kernel, bias)`` for ``blocks`` (inverse of :func:`split_lstm_kernel`, exact)."""
    if not isinstance(blocks, LSTMBlocks):
        raise TypeError(f"blocks: expected LSTMBlocks, got {type(blocks).__name__}")
    return _join_kernel(list(blocks.items()), "blocks")


def split_gru_kernels(
    gates_kernel: np.ndarray,
    gates_bias: np.ndarray,
    candidate_kernel: np.ndarray,
    candidate_bias: np.ndarray,
    num_units: int,
    *,
    input_size: int | None = None,
) -> GRUBlocks:
    """Split TF1 GRU ``gates/kernel (in+units, 2*units)``, ``gates/bias``, ``candidate/kernel (in+units, units)``, ``candidate/bias``.

    Returns :class:`GRUBlocks` with ``r``, ``u`` (the gates' column blocks, reset first) and ``candidate``;
    ``candidate.recurrent`` multiplies ``r * h_prev``. Raises ``ValueError`` like :func:`split_lstm_kernel`.
    """
    r, u = _split_kernel(gates_kernel, gates_bias, 2, num_units, num_units, input_size, ("gates_kernel", "gates_bias"))
    (candidate,) = _split_kernel(
        candidate_kernel, candidate_bias, 1, num_units, num_units, r.input.shape[0], ("candidate_kernel", "candidate_bias")
    )
    if candidate.bias.dtype != r.bias.dtype:
        raise ValueError(f"candidate_kernel: expected dtype {r.bias.dtype} (the gates'), got {candidate.bias.dtype}")
    return GRUBlocks(r, u, candidate)


def join_gru_kernels(blocks: GRUBlocks) -> dict[str, np.ndarray]:
    """``{"gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"}`` for ``blocks`` (exact inverse of the split)."""
    if not isinstance(blocks, GRUBlocks):
        raise TypeError(f"blocks: expected GRUBlocks, got {type(blocks).__name__}")
    items = list(blocks.items())
    _join_kernel(items, "blocks")  # one validation for all three blocks: same shapes and dtype
    gates_kernel, gates_bias = _join_kernel(items[:2], "blocks")
    candidate_kernel, candidate_bias = _join_kernel(items[2:], "blocks")
    return {"gates/kernel": gates_kernel, "gates/bias": gates_bias, "candidate/kernel": candidate_kernel, "candidate/bias": candidate_bias}


__all__ = [
    "GRU_GATES",
    "GRUBlocks",
    "GateWeights",
    "LSTMBlocks",
    "LSTM_GATES",
    "PARTS",
    "join_gru_kernels",
    "join_lstm_kernel",
    "split_gru_kernels",
    "split_lstm_kernel",
]

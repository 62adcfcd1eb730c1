"""TF1 cell variables <-> Keras ``LSTMCell`` / ``GRUCell`` / ``SimpleRNNCell`` weight lists (NumPy only).

The lists are what ``cell.get_weights()`` returns and ``cell.set_weights()`` takes, in the same order in
Keras 2 (``tf_keras``, TF <= 2.15's bundled Keras) and Keras 3: ``[kernel (in, G*units),
recurrent_kernel (units, G*units), bias]``.

- LSTM: Keras gate order ``i, f, c, o`` (TF1's ``i, j, f, o`` with ``j`` = Keras ``c``); TF1's run-time
  ``forget_bias`` is folded into the stored ``f`` bias (Keras adds nothing at run time). Keras LSTMCell
  has no peepholes, projection or cell clip: those raise ``ValueError``.
- GRU: Keras gate order ``z, r, h`` (TF1's update gate ``u`` is Keras ``z``). ``reset_after=False`` is
  exactly TF1's GRUCell (bias ``(3*units,)``). Keras' default ``reset_after=True`` (bias ``(2, 3*units)``:
  input and recurrent biases) applies the reset after the recurrent matmul, ``r * (h @ U_h + b_rh)``,
  where TF1 computes ``(r * h) @ U_h``: it represents a TF1 GRU exactly only when ``U_h`` (the recurrent
  rows of ``candidate/kernel``) is diagonal and ``b_rh`` is zero; otherwise converting raises ``ValueError``.
- SimpleRNN: ``kernel`` is the input rows of TF1's kernel, ``recurrent_kernel`` the recurrent rows.

Activations are configuration, not weights: build the Keras cell with the TF1 cell's activation (tanh by default).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tf_rnn_checks.convert import _gates
from tf_rnn_checks.convert._tf1 import (
    LSTMWeights,
    RNNWeights,
    add_forget_bias,
    check_forget_bias,
    read_basic_rnn,
    read_gru,
    read_lstm,
    refuse_options,
    write_basic_rnn,
    write_gru,
    write_lstm,
)
from tf_rnn_checks.references.layout import GateWeights, GRUBlocks, LSTMBlocks

LSTM_ORDER: tuple[str, ...] = ("i", "f", "j", "o")
"""Keras LSTM gate order ``i, f, c, o`` in TF1 gate names."""
GRU_ORDER: tuple[str, ...] = ("u", "r", "candidate")
"""Keras GRU gate order ``z, r, h`` in TF1 block names."""


def _with_forget_bias(blocks: LSTMBlocks, forget_bias: float) -> LSTMBlocks:
    f = blocks.f
    return LSTMBlocks(blocks.i, blocks.j, GateWeights(f.input, f.recurrent, add_forget_bias(f.bias, forget_bias)), blocks.o)


def refuse_lstm_extras(weights: LSTMWeights, target: str, *, peepholes_go_to: str, projection_goes_to: str) -> None:
    """``ValueError`` naming ``use_peepholes`` / ``num_proj`` when ``weights`` has them and ``target`` cannot hold them."""
    if weights.peepholes is not None and peepholes_go_to:
        raise ValueError(f"use_peepholes: not representable in {target} (it has no peephole connections); {peepholes_go_to} takes them")
    if weights.projection is not None and projection_goes_to:
        raise ValueError(f"num_proj: not representable in {target} (it has no output projection); {projection_goes_to} takes it")


def lstm_to_keras(
    variables: Mapping[str, np.ndarray], *, forget_bias: float = 1.0, cell_clip: float | None = None, proj_clip: float | None = None
) -> list[np.ndarray]:
    """Keras ``LSTMCell`` weights ``[kernel, recurrent_kernel, bias]`` for TF1 LSTMCell/BasicLSTMCell ``{kernel, bias}``.

    ``forget_bias`` is the TF1 cell's (default 1.0), folded into the ``f`` bias. Peepholes, ``num_proj``,
    ``cell_clip`` and ``proj_clip`` raise ``ValueError`` (Keras LSTMCell cannot express them).
    """
    forget_bias = check_forget_bias(forget_bias)
    weights = read_lstm(variables)
    refuse_lstm_extras(
        weights, "Keras LSTMCell", peepholes_go_to="ONNX LSTM's P input", projection_goes_to="PyTorch nn.LSTM(proj_size=...)"
    )
    refuse_options("Keras LSTMCell", cell_clip=cell_clip, proj_clip=proj_clip)
    blocks = _with_forget_bias(weights.blocks, forget_bias)
    return list(_gates.stack(dict(blocks.items()), LSTM_ORDER))


def lstm_from_keras(weights: Sequence[np.ndarray], *, forget_bias: float = 1.0) -> dict[str, np.ndarray]:
    """TF1 LSTMCell ``{kernel, bias}`` for Keras ``LSTMCell`` weights, for a TF1 cell built with ``forget_bias``.

    Inverse of :func:`lstm_to_keras`; the ``f`` bias is stored minus ``forget_bias`` (exact when the
    subtraction is exact in the dtype, always for ``forget_bias=0``).
    """
    forget_bias = check_forget_bias(forget_bias)
    kernel, recurrent, bias = _gates.weight_list(weights, "weights", (3,), "[kernel, recurrent_kernel, bias]")
    kernel = _gates.array(kernel, "weights[0] (kernel)", (None, None))
    if kernel.shape[1] % 4:
        raise ValueError(f"weights[0] (kernel): expected shape (input_size, 4 * units), got {kernel.shape}")
    units = kernel.shape[1] // 4
    recurrent = _gates.array(recurrent, "weights[1] (recurrent_kernel)", (units, 4 * units), kernel.dtype)
    bias = _gates.array(bias, "weights[2] (bias)", (4 * units,), kernel.dtype)
    gates = _gates.unstack(kernel, recurrent, bias, LSTM_ORDER)
    f = gates["f"]
    gates["f"] = GateWeights(f.input, f.recurrent, f.bias - np.asarray(forget_bias, dtype=f.bias.dtype))
    return write_lstm(LSTMWeights(LSTMBlocks(**gates)))


def gru_to_keras(variables: Mapping[str, np.ndarray], *, reset_after: bool = False) -> list[np.ndarray]:
    """Keras ``GRUCell(reset_after=...)`` weights ``[kernel, recurrent_kernel, bias]`` for TF1 GRUCell variables.

    ``reset_after=False`` (bias ``(3*units,)``) is exact for every TF1 GRU. ``reset_after=True`` (bias
    ``(2, 3*units)``) raises ``ValueError`` unless the candidate's recurrent block is diagonal.
    """
    if not isinstance(reset_after, bool):
        raise TypeError(f"reset_after: expected a bool, got {reset_after!r}")
    blocks = read_gru(variables)
    kernel, recurrent, bias = _gates.stack(dict(blocks.items()), GRU_ORDER)
    if reset_after:
        _gates.require_diagonal(blocks.candidate.recurrent, "Keras GRUCell(reset_after=True)", "reset_after=True")
        bias = np.stack([bias, np.zeros_like(bias)])
    return [kernel, recurrent, bias]


def gru_from_keras(weights: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """TF1 GRUCell variables for Keras ``GRUCell`` weights (``reset_after`` read off the bias shape).

    ``reset_after=True`` weights convert only when the candidate's recurrent kernel is diagonal and its
    recurrent bias is zero; the ``z``/``r`` input and recurrent biases are summed.
    """
    kernel, recurrent, bias = _gates.weight_list(weights, "weights", (3,), "[kernel, recurrent_kernel, bias]")
    kernel = _gates.array(kernel, "weights[0] (kernel)", (None, None))
    if kernel.shape[1] % 3:
        raise ValueError(f"weights[0] (kernel): expected shape (input_size, 3 * units), got {kernel.shape}")
    units = kernel.shape[1] // 3
    recurrent = _gates.array(recurrent, "weights[1] (recurrent_kernel)", (units, 3 * units), kernel.dtype)
    bias_array = np.asarray(bias)
    if bias_array.ndim == 2:
        bias_array = _gates.array(bias, "weights[2] (bias)", (2, 3 * units), kernel.dtype)
        _gates.require_diagonal(recurrent[:, 2 * units :], "TF1 GRUCell", "reset_after=True weights")
        if np.any(bias_array[1, 2 * units :] != 0):
            raise ValueError(
                "weights[2] (bias): not representable in TF1 GRUCell: the recurrent candidate bias bias[1, 2*units:] is scaled by the reset gate and must be zero"
            )
        bias_array = bias_array[0] + bias_array[1]
    else:
        bias_array = _gates.array(bias, "weights[2] (bias)", (3 * units,), kernel.dtype)
    gates = _gates.unstack(kernel, recurrent, bias_array, GRU_ORDER)
    return write_gru(GRUBlocks(**gates))


def basic_rnn_to_keras(variables: Mapping[str, np.ndarray]) -> list[np.ndarray]:
    """Keras ``SimpleRNNCell`` weights ``[kernel (in, units), recurrent_kernel (units, units), bias]`` for TF1 BasicRNNCell."""
    block = read_basic_rnn(variables).block
    return [np.ascontiguousarray(block.input), np.ascontiguousarray(block.recurrent), block.bias.copy()]


def basic_rnn_from_keras(weights: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """TF1 BasicRNNCell ``{kernel, bias}`` for Keras ``SimpleRNNCell`` weights (inverse of :func:`basic_rnn_to_keras`)."""
    kernel, recurrent, bias = _gates.weight_list(weights, "weights", (3,), "[kernel, recurrent_kernel, bias]")
    kernel = _gates.array(kernel, "weights[0] (kernel)", (None, None))
    units = kernel.shape[1]
    recurrent = _gates.array(recurrent, "weights[1] (recurrent_kernel)", (units, units), kernel.dtype)
    bias = _gates.array(bias, "weights[2] (bias)", (units,), kernel.dtype)
    return write_basic_rnn(RNNWeights(GateWeights(kernel.copy(), recurrent.copy(), bias.copy())))


__all__ = [
    "GRU_ORDER",
    "LSTM_ORDER",
    "basic_rnn_from_keras",
    "basic_rnn_to_keras",
    "gru_from_keras",
    "gru_to_keras",
    "lstm_from_keras",
    "lstm_to_keras",
]

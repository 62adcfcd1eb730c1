"""One TF1 cell step written out by hand, with every weight slice named (NumPy only).

These are the recipes printed on the questions page (``docs/questions.md``): the LSTM kernel cut into
``W_i, W_j, W_f, W_o`` (input rows), ``U_i, U_j, U_f, U_o`` (recurrent rows) and ``b_i, b_j, b_f, b_o``,
and the GRU step with explicit ``W_r, W_z, W_h`` slices of ``gates/kernel`` and ``candidate/kernel``.
``tests/meta/test_questions.py`` proves them equal to the reference cells of
:mod:`tf_rnn_checks.references.cells`, which the layout and numerics checks prove equal to TensorFlow.
"""

from __future__ import annotations

import numpy as np

from tf_rnn_checks.references.cells import sigmoid


def lstm_kernel_slices(kernel: np.ndarray, bias: np.ndarray, input_size: int) -> dict[str, np.ndarray]:
    """``W_g`` (input rows), ``U_g`` (recurrent rows) and ``b_g`` for each gate g of a TF1 LSTM ``kernel`` and ``bias``.

    The kernel is ``(input_size + h, 4 * units)`` with ``h`` = num_proj or units; its column blocks are i, j, f, o.
    """
    units = kernel.shape[1] // 4
    slices = {}
    for k, gate in enumerate("ijfo"):  # i: input gate, j: new input (candidate), f: forget gate, o: output gate
        columns = slice(k * units, (k + 1) * units)
        slices[f"W_{gate}"] = kernel[:input_size, columns]  # multiplies the input x
        slices[f"U_{gate}"] = kernel[input_size:, columns]  # multiplies the previous output h
        slices[f"b_{gate}"] = bias[columns]
    return slices


def lstm_step_by_hand(x: np.ndarray, c: np.ndarray, h: np.ndarray, kernel: np.ndarray, bias: np.ndarray, forget_bias: float = 1.0):
    """One step of a TF1 ``LSTMCell`` / ``BasicLSTMCell`` without peepholes, clipping or projection: ``(new_h, (new_c, new_h))``."""
    s = lstm_kernel_slices(kernel, bias, input_size=x.shape[1])
    i = sigmoid(x @ s["W_i"] + h @ s["U_i"] + s["b_i"])
    j = np.tanh(x @ s["W_j"] + h @ s["U_j"] + s["b_j"])
    f = sigmoid(x @ s["W_f"] + h @ s["U_f"] + s["b_f"] + forget_bias)  # forget_bias is added here, never stored in bias
    o = sigmoid(x @ s["W_o"] + h @ s["U_o"] + s["b_o"])
    new_c = f * c + i * j
    new_h = o * np.tanh(new_c)
    return new_h, (new_c, new_h)


def gru_step_by_hand(
    x: np.ndarray, h: np.ndarray, gates_kernel: np.ndarray, gates_bias: np.ndarray, candidate_kernel: np.ndarray, candidate_bias: np.ndarray
) -> np.ndarray:
    """One step of a TF1 ``GRUCell`` (tanh) from its four variables; the new state, which is also the output."""
    n, units = x.shape[1], h.shape[1]
    W_r, U_r, b_r = gates_kernel[:n, :units], gates_kernel[n:, :units], gates_bias[:units]  # reset gate: first column block
    W_z, U_z, b_z = gates_kernel[:n, units:], gates_kernel[n:, units:], gates_bias[units:]  # update gate (TF's u): second block
    W_h, U_h, b_h = candidate_kernel[:n], candidate_kernel[n:], candidate_bias
    r = sigmoid(x @ W_r + h @ U_r + b_r)
    z = sigmoid(x @ W_z + h @ U_z + b_z)
    h_tilde = np.tanh(x @ W_h + (r * h) @ U_h + b_h)  # the reset scales h BEFORE the matmul
    return z * h + (1 - z) * h_tilde  # z = 1 keeps the old state


__all__ = ["gru_step_by_hand", "lstm_kernel_slices", "lstm_step_by_hand"]

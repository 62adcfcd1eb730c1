"""TF1 cell variables <-> the ONNX ``LSTM`` / ``GRU`` / ``RNN`` operators' W, R, B (and P) inputs (NumPy only).

Each tensor has a leading ``num_directions`` axis (1 here; :func:`bidirectional` stacks a forward and a
backward conversion for ``direction="bidirectional"``); gates are along rows:
``W [dirs, G*units, input_size]``, ``R [dirs, G*units, units]``, ``B [dirs, 2*G*units]`` (input biases,
then recurrent biases; TF1's bias goes to the first half, the second half is zero).

- LSTM: order ``i, o, f, c`` (TF1 ``i, o, f, j``), ``forget_bias`` folded into ``f``; peepholes go to
  ``P [dirs, 3*units]`` in order ``i, o, f`` (ONNX, like TF1, feeds ``o`` the new cell state).
  ``num_proj`` (ONNX has no projection), ``cell_clip`` (ONNX's ``clip`` attribute clips gate inputs, not
  the cell state) and ``proj_clip`` raise ``ValueError``.
- GRU: order ``z, r, h`` (TF1 ``u, r, candidate``). ``linear_before_reset=0`` is exactly TF1's GRU;
  ``linear_before_reset=1`` (PyTorch's and Keras ``reset_after=True``'s form) is exact only when the
  candidate's recurrent block is diagonal, otherwise ``ValueError``.
- RNN: ``activations=["Tanh"]`` (default) or ``["Relu"]`` to match the TF1 cell's activation.
"""

from __future__ import annotations

from collections.abc import Mapping

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
from tf_rnn_checks.convert.keras_weights import refuse_lstm_extras
from tf_rnn_checks.references.layout import GateWeights, GRUBlocks, LSTMBlocks

LSTM_ORDER: tuple[str, ...] = ("i", "o", "f", "j")
"""ONNX LSTM gate order ``i, o, f, c`` in TF1 gate names."""
PEEPHOLE_ORDER: tuple[str, ...] = ("i", "o", "f")
"""ONNX LSTM ``P`` order."""
GRU_ORDER: tuple[str, ...] = ("u", "r", "candidate")
"""ONNX GRU gate order ``z, r, h`` in TF1 block names."""


def _tensors(gates: Mapping[str, GateWeights], order: tuple[str, ...]) -> dict[str, np.ndarray]:
    input, recurrent, bias = _gates.stack(gates, order)
    return {
        "W": np.ascontiguousarray(input.T[None]),
        "R": np.ascontiguousarray(recurrent.T[None]),
        "B": np.concatenate([bias, np.zeros_like(bias)])[None],
    }


def _read(tensors: object, gates: int, direction: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """``(input, recurrent, input bias, recurrent bias, units)`` in Keras orientation for one direction."""
    if not isinstance(tensors, Mapping):
        raise TypeError(f"tensors: expected a mapping {{'W', 'R', 'B'}} of arrays, got {type(tensors).__name__}")
    missing = [name for name in ("W", "R", "B") if name not in tensors]
    if missing:
        raise ValueError(f"tensors: expected 'W', 'R' and 'B', missing {missing}")
    w = _gates.array(tensors["W"], "tensors['W']", (None, None, None))
    if w.shape[1] % gates or w.shape[0] not in (1, 2):
        raise ValueError(f"tensors['W']: expected shape (num_directions, {gates} * units, input_size), got {w.shape}")
    dirs, units = w.shape[0], w.shape[1] // gates
    if isinstance(direction, bool) or not isinstance(direction, int) or not 0 <= direction < dirs:
        raise ValueError(f"direction: expected an int in [0, {dirs}) for W of shape {w.shape}, got {direction!r}")
    r = _gates.array(tensors["R"], "tensors['R']", (dirs, gates * units, units), w.dtype)
    b = _gates.array(tensors["B"], "tensors['B']", (dirs, 2 * gates * units), w.dtype)
    return w[direction].T, r[direction].T, b[direction, : gates * units], b[direction, gates * units :], units


def lstm_to_onnx(
    variables: Mapping[str, np.ndarray], *, forget_bias: float = 1.0, cell_clip: float | None = None, proj_clip: float | None = None
) -> dict[str, np.ndarray]:
    """ONNX LSTM ``{W, R, B}`` (plus ``P`` for a peephole cell) for TF1 LSTM variables, ``forget_bias`` folded into ``f``."""
    forget_bias = check_forget_bias(forget_bias)
    weights = read_lstm(variables)
    refuse_lstm_extras(weights, "ONNX LSTM", peepholes_go_to="", projection_goes_to="PyTorch nn.LSTM(proj_size=...)")
    refuse_options("ONNX LSTM", cell_clip=cell_clip, proj_clip=proj_clip)
    gates = dict(weights.blocks.items())
    f = gates["f"]
    gates["f"] = GateWeights(f.input, f.recurrent, add_forget_bias(f.bias, forget_bias))
    tensors = _tensors(gates, LSTM_ORDER)
    if weights.peepholes is not None:
        tensors["P"] = np.concatenate([weights.peepholes[g] for g in PEEPHOLE_ORDER])[None]
    return tensors


def lstm_from_onnx(tensors: Mapping[str, np.ndarray], *, forget_bias: float = 1.0, direction: int = 0) -> dict[str, np.ndarray]:
    """TF1 LSTMCell variables for one direction of ONNX LSTM ``{W, R, B[, P]}`` (input and recurrent biases summed)."""
    forget_bias = check_forget_bias(forget_bias)
    input, recurrent, bias_w, bias_r, units = _read(tensors, 4, direction)
    gates = _gates.unstack(input, recurrent, bias_w + bias_r, LSTM_ORDER)
    f = gates["f"]
    gates["f"] = GateWeights(f.input, f.recurrent, f.bias - np.asarray(forget_bias, dtype=f.bias.dtype))
    peepholes = None
    if tensors.get("P") is not None:
        p = _gates.array(tensors["P"], "tensors['P']", (None, 3 * units), input.dtype)[direction]
        peepholes = {g: p[k * units : (k + 1) * units].copy() for k, g in enumerate(PEEPHOLE_ORDER)}
    return write_lstm(LSTMWeights(LSTMBlocks(**gates), peepholes))


def gru_to_onnx(variables: Mapping[str, np.ndarray], *, linear_before_reset: int = 0) -> dict[str, np.ndarray]:
    """ONNX GRU ``{W, R, B}`` for TF1 GRUCell variables, for a node with ``linear_before_reset`` (0 is exact)."""
    if isinstance(linear_before_reset, bool) or not isinstance(linear_before_reset, (int, np.integer)) or linear_before_reset not in (0, 1):
        raise ValueError(f"linear_before_reset: expected 0 (TF1's form) or 1, got {linear_before_reset!r}")
    blocks = read_gru(variables)
    if linear_before_reset:
        _gates.require_diagonal(blocks.candidate.recurrent, "ONNX GRU(linear_before_reset=1)", "linear_before_reset=1")
    return _tensors(dict(blocks.items()), GRU_ORDER)


def gru_from_onnx(tensors: Mapping[str, np.ndarray], *, linear_before_reset: int = 0, direction: int = 0) -> dict[str, np.ndarray]:
    """TF1 GRUCell variables for one direction of ONNX GRU ``{W, R, B}``.

    With ``linear_before_reset=0`` the recurrent ``h`` bias ``Rbh`` is added outside the reset, so it is
    summed with ``Wbh``; with ``=1`` it is scaled by the reset gate and must be zero, and ``R``'s ``h`` block diagonal.
    """
    if isinstance(linear_before_reset, bool) or not isinstance(linear_before_reset, (int, np.integer)) or linear_before_reset not in (0, 1):
        raise ValueError(f"linear_before_reset: expected 0 (TF1's form) or 1, got {linear_before_reset!r}")
    input, recurrent, bias_w, bias_r, units = _read(tensors, 3, direction)
    if linear_before_reset:
        _gates.require_diagonal(recurrent[:, 2 * units :], "TF1 GRUCell", "linear_before_reset=1 tensors")
        if np.any(bias_r[2 * units :] != 0):
            raise ValueError(
                "tensors['B']: not representable in TF1 GRUCell: with linear_before_reset=1 the recurrent h bias Rbh is scaled by the reset gate and must be zero"
            )
    gates = _gates.unstack(input, recurrent, bias_w + bias_r, GRU_ORDER)
    return write_gru(GRUBlocks(**gates))


def basic_rnn_to_onnx(variables: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """ONNX RNN ``{W [1, units, in], R [1, units, units], B [1, 2*units]}`` for TF1 BasicRNNCell ``{kernel, bias}``."""
    return _tensors({"h": read_basic_rnn(variables).block}, ("h",))


def basic_rnn_from_onnx(tensors: Mapping[str, np.ndarray], *, direction: int = 0) -> dict[str, np.ndarray]:
    """TF1 BasicRNNCell ``{kernel, bias}`` for one direction of ONNX RNN ``{W, R, B}`` (``bias = Wb + Rb``)."""
    input, recurrent, bias_w, bias_r, _ = _read(tensors, 1, direction)
    return write_basic_rnn(RNNWeights(GateWeights(input.copy(), recurrent.copy(), bias_w + bias_r)))


def bidirectional(forward: Mapping[str, np.ndarray], backward: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The ``direction="bidirectional"`` tensors: ``forward``'s and ``backward``'s stacked on the ``num_directions`` axis."""
    for argument, tensors in (("forward", forward), ("backward", backward)):
        if not isinstance(tensors, Mapping):
            raise TypeError(f"{argument}: expected a mapping of ONNX tensors, got {type(tensors).__name__}")
    if set(forward) != set(backward):
        raise ValueError(f"backward: expected the same tensors as forward {sorted(forward)}, got {sorted(backward)}")
    out = {}
    for name in forward:
        f, b = np.asarray(forward[name]), np.asarray(backward[name])
        if f.shape != b.shape or f.shape[:1] != (1,):
            raise ValueError(f"backward[{name!r}]: expected shape {f.shape} with num_directions 1 (like forward), got {b.shape}")
        out[name] = np.concatenate([f, b])
    return out


__all__ = [
    "GRU_ORDER",
    "LSTM_ORDER",
    "PEEPHOLE_ORDER",
    "basic_rnn_from_onnx",
    "basic_rnn_to_onnx",
    "bidirectional",
    "gru_from_onnx",
    "gru_to_onnx",
    "lstm_from_onnx",
    "lstm_to_onnx",
]

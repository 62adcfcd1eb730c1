"""TF1 cell variables <-> PyTorch ``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` state_dict entries (NumPy only).

Entries are named ``weight_ih_l{layer}``, ``weight_hh_l{layer}``, ``bias_ih_l{layer}``, ``bias_hh_l{layer}``
(suffix ``_reverse`` for the backward direction of ``bidirectional=True``); PyTorch stores gates along
rows, so ``weight_ih (gates*units, input_size)`` is TF1's input rows, transposed. Load them with
``module.load_state_dict({k: torch.from_numpy(v) for k, v in entries.items()})``.

- LSTM: order ``i, f, g, o`` (TF1 ``i, f, j, o``); TF1's bias (plus ``forget_bias`` on ``f``) goes to
  ``bias_ih`` and ``bias_hh`` is zero. ``num_proj`` maps to ``nn.LSTM(proj_size=num_proj)``
  (``weight_hr (num_proj, units)``, the transposed ``projection/kernel``); peepholes, ``cell_clip`` and
  ``proj_clip`` raise ``ValueError``.
- GRU: order ``r, z, n`` (TF1 ``r, u, candidate``). PyTorch computes ``n = tanh(W_in x + b_in + r *
  (W_hn h + b_hn))``, the reset after the recurrent matmul, where TF1 computes ``(r * h) @ U``: a TF1 GRU
  is representable exactly only when the candidate's recurrent block ``U`` is diagonal (then
  ``r * (h @ U) == (r * h) @ U``); otherwise conversion raises ``ValueError`` naming the targets that hold a
  TF1 GRU exactly (Keras ``GRUCell(reset_after=False)``, ONNX ``GRU`` with ``linear_before_reset=0``).
- RNN: ``nn.RNN(nonlinearity="tanh")`` (or ``"relu"`` for a TF1 cell built with ``activation=tf.nn.relu``).
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

LSTM_ORDER: tuple[str, ...] = ("i", "f", "j", "o")
"""PyTorch LSTM gate order ``i, f, g, o`` in TF1 gate names."""
GRU_ORDER: tuple[str, ...] = ("r", "u", "candidate")
"""PyTorch GRU gate order ``r, z, n`` in TF1 block names."""
EXACT_GRU_TARGETS = (
    "convert to a target that holds TF1's GRU exactly instead: Keras GRUCell(reset_after=False) "
    "(gru_to_keras / checkpoint_to_keras) or an ONNX GRU with linear_before_reset=0 (gru_to_onnx / checkpoint_to_onnx)"
)
"""The way forward :func:`gru_to_torch`'s refusal offers (check_keras_cell_with_converted_weights_matches_tf1 and check_onnx_node_with_converted_weights_matches_tf1 run both)."""


def suffix(layer: int = 0, reverse: bool = False) -> str:
    """The state_dict name suffix of a layer and direction: ``_l0``, ``_l1_reverse``..."""
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or layer < 0:
        raise ValueError(f"layer: expected a non-negative int, got {layer!r}")
    if not isinstance(reverse, bool):
        raise TypeError(f"reverse: expected a bool, got {reverse!r}")
    return f"_l{int(layer)}" + ("_reverse" if reverse else "")


def _entries(gates: Mapping[str, GateWeights], order: tuple[str, ...], end: str) -> dict[str, np.ndarray]:
    input, recurrent, bias = _gates.stack(gates, order)
    return {
        f"weight_ih{end}": np.ascontiguousarray(input.T),
        f"weight_hh{end}": np.ascontiguousarray(recurrent.T),
        f"bias_ih{end}": bias,
        f"bias_hh{end}": np.zeros_like(bias),
    }


def _read(state_dict: object, end: str, gates: int, recurrent_size: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``(input, recurrent, bias_ih + bias_hh, units)`` in Keras orientation from PyTorch entries."""
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"state_dict: expected a mapping of PyTorch parameter names to arrays, got {type(state_dict).__name__}")
    names = [f"weight_ih{end}", f"weight_hh{end}", f"bias_ih{end}", f"bias_hh{end}"]
    missing = [name for name in names if name not in state_dict]
    if missing:
        raise ValueError(f"state_dict: expected entries {names}, missing {missing} (got {sorted(state_dict)})")
    weight_ih = _gates.array(state_dict[names[0]], f"state_dict[{names[0]!r}]", (None, None))
    if weight_ih.shape[0] % gates:
        raise ValueError(f"state_dict[{names[0]!r}]: expected shape ({gates} * units, input_size), got {weight_ih.shape}")
    units = weight_ih.shape[0] // gates
    weight_hh = _gates.array(state_dict[names[1]], f"state_dict[{names[1]!r}]", (gates * units, recurrent_size or units), weight_ih.dtype)
    bias_ih = _gates.array(state_dict[names[2]], f"state_dict[{names[2]!r}]", (gates * units,), weight_ih.dtype)
    bias_hh = _gates.array(state_dict[names[3]], f"state_dict[{names[3]!r}]", (gates * units,), weight_ih.dtype)
    return weight_ih.T, weight_hh.T, (bias_ih, bias_hh), units  # type: ignore[return-value]


def lstm_to_torch(
    variables: Mapping[str, np.ndarray],
    *,
    forget_bias: float = 1.0,
    layer: int = 0,
    reverse: bool = False,
    cell_clip: float | None = None,
    proj_clip: float | None = None,
) -> dict[str, np.ndarray]:
    """``nn.LSTM`` entries (``weight_ih_l0`` ...; ``weight_hr_l0`` when the TF1 cell has ``num_proj``) for TF1 LSTM variables."""
    end = suffix(layer, reverse)
    forget_bias = check_forget_bias(forget_bias)
    weights = read_lstm(variables)
    refuse_lstm_extras(weights, "PyTorch nn.LSTM", peepholes_go_to="ONNX LSTM's P input", projection_goes_to="")
    refuse_options("PyTorch nn.LSTM", cell_clip=cell_clip, proj_clip=proj_clip)
    gates = dict(weights.blocks.items())
    f = gates["f"]
    gates["f"] = GateWeights(f.input, f.recurrent, add_forget_bias(f.bias, forget_bias))
    entries = _entries(gates, LSTM_ORDER, end)
    if weights.projection is not None:
        entries[f"weight_hr{end}"] = np.ascontiguousarray(weights.projection.T)
    return entries


def lstm_from_torch(
    state_dict: Mapping[str, np.ndarray], *, forget_bias: float = 1.0, layer: int = 0, reverse: bool = False
) -> dict[str, np.ndarray]:
    """TF1 LSTMCell variables for one layer/direction of ``nn.LSTM`` entries (``bias = bias_ih + bias_hh - forget_bias`` on ``f``)."""
    end = suffix(layer, reverse)
    forget_bias = check_forget_bias(forget_bias)
    projection = None
    proj_name = f"weight_hr{end}"
    if isinstance(state_dict, Mapping) and proj_name in state_dict:
        projection = np.asarray(state_dict[proj_name])
        if projection.ndim != 2:
            raise ValueError(f"state_dict[{proj_name!r}]: expected shape (proj_size, units), got {projection.shape}")
    input, recurrent, (bias_ih, bias_hh), units = _read(state_dict, end, 4, None if projection is None else projection.shape[0])
    if projection is not None:
        projection = _gates.array(projection, f"state_dict[{proj_name!r}]", (projection.shape[0], units), input.dtype).T.copy()
    gates = _gates.unstack(input, recurrent, bias_ih + bias_hh, LSTM_ORDER)
    f = gates["f"]
    gates["f"] = GateWeights(f.input, f.recurrent, f.bias - np.asarray(forget_bias, dtype=f.bias.dtype))
    return write_lstm(LSTMWeights(LSTMBlocks(**gates), None, projection))


def gru_to_torch(variables: Mapping[str, np.ndarray], *, layer: int = 0, reverse: bool = False) -> dict[str, np.ndarray]:
    """``nn.GRU`` entries for TF1 GRUCell variables; ``ValueError`` unless the candidate's recurrent block is diagonal."""
    end = suffix(layer, reverse)
    blocks = read_gru(variables)
    _gates.require_diagonal(blocks.candidate.recurrent, "PyTorch nn.GRU", "GRUCell", EXACT_GRU_TARGETS)
    return _entries(dict(blocks.items()), GRU_ORDER, end)


def gru_from_torch(state_dict: Mapping[str, np.ndarray], *, layer: int = 0, reverse: bool = False) -> dict[str, np.ndarray]:
    """TF1 GRUCell variables for ``nn.GRU`` entries whose ``n`` recurrent block is diagonal and ``n`` recurrent bias zero."""
    end = suffix(layer, reverse)
    input, recurrent, (bias_ih, bias_hh), units = _read(state_dict, end, 3)
    _gates.require_diagonal(recurrent[:, 2 * units :], "TF1 GRUCell", "nn.GRU weights")
    if np.any(bias_hh[2 * units :] != 0):
        raise ValueError(
            f"state_dict['bias_hh{end}']: not representable in TF1 GRUCell: its n block is scaled by the reset gate and must be zero"
        )
    gates = _gates.unstack(input, recurrent, bias_ih + bias_hh, GRU_ORDER)
    return write_gru(GRUBlocks(**gates))


def basic_rnn_to_torch(variables: Mapping[str, np.ndarray], *, layer: int = 0, reverse: bool = False) -> dict[str, np.ndarray]:
    """``nn.RNN`` entries for TF1 BasicRNNCell ``{kernel, bias}``."""
    end = suffix(layer, reverse)
    return _entries({"h": read_basic_rnn(variables).block}, ("h",), end)


def basic_rnn_from_torch(state_dict: Mapping[str, np.ndarray], *, layer: int = 0, reverse: bool = False) -> dict[str, np.ndarray]:
    """TF1 BasicRNNCell ``{kernel, bias}`` for ``nn.RNN`` entries (``bias = bias_ih + bias_hh``)."""
    end = suffix(layer, reverse)
    input, recurrent, (bias_ih, bias_hh), _ = _read(state_dict, end, 1)
    return write_basic_rnn(RNNWeights(GateWeights(input.copy(), recurrent.copy(), bias_ih + bias_hh)))


__all__ = [
    "GRU_ORDER",
    "LSTM_ORDER",
    "basic_rnn_from_torch",
    "basic_rnn_to_torch",
    "gru_from_torch",
    "gru_to_torch",
    "lstm_from_torch",
    "lstm_to_torch",
    "suffix",
]

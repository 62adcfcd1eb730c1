"""The PyTorch module :func:`tf_rnn_checks.convert.modules.checkpoint_to_torch_module` builds (imports torch; imported only when building one)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from tf_rnn_checks.convert.modules import Layer, LSTMState, Plan

_DTYPES = {"float16": torch.float16, "float32": torch.float32, "float64": torch.float64}


def _make(layer: Layer, dtype: torch.dtype) -> torch.nn.Module:
    options: dict[str, Any] = dict(input_size=layer.input_size, hidden_size=layer.units, batch_first=True, dtype=dtype)
    if layer.kind == "LSTM":
        module = torch.nn.LSTM(**options, proj_size=layer.proj_size)
    elif layer.kind == "GRU":
        module = torch.nn.GRU(**options)
    else:
        module = torch.nn.RNN(**options, nonlinearity="tanh")
    module.load_state_dict({name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in layer.weights.items()}, strict=True)
    return module


def reverse_within_lengths(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Each row of ``x [batch, time, ...]`` reversed within its length, the steps past it left in place (TF1's ``reverse_sequence``)."""
    steps = torch.arange(x.shape[1], device=x.device)[None, :]
    last = lengths.to(x.device)[:, None] - 1
    index = torch.where(steps <= last, last - steps, steps)
    return torch.gather(x, 1, index[:, :, None].expand(-1, -1, x.shape[2]))


class TF1RNN(torch.nn.Module):
    """A TF1 ``dynamic_rnn`` / ``bidirectional_dynamic_rnn`` over one cell or a ``MultiRNNCell``, as PyTorch layers with the TF1 weights.

    ``fw`` (and ``bw``) hold one single-layer ``nn.LSTM``/``nn.GRU``/``nn.RNN(batch_first=True)`` per TF1 layer.
    Call ``module(x, sequence_length=None, initial_state=None) -> (outputs, final_states)``; see
    :mod:`tf_rnn_checks.convert.modules` for the structures.
    """

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.scope = plan.scope
        self.stacked = plan.stacked
        self.bidirectional = plan.bidirectional
        self.kinds = tuple(tuple(layer.kind for layer in direction) for direction in plan.directions)
        dtype = _DTYPES[plan.dtype]  # the parameters are made in the checkpoint's dtype, then loaded: no rounding through float32
        self.fw = torch.nn.ModuleList([_make(layer, dtype) for layer in plan.directions[0]])
        self.bw = torch.nn.ModuleList([_make(layer, dtype) for layer in plan.directions[1]]) if plan.bidirectional else None

    def extra_repr(self) -> str:
        driver = "bidirectional_dynamic_rnn" if self.bidirectional else "dynamic_rnn"
        return f"TF1 {driver} under scope {self.scope!r}" + (", MultiRNNCell layers" if self.stacked else "")

    def forward(self, x: Any, sequence_length: Any = None, initial_state: Any = None) -> tuple[Any, Any]:
        x = torch.as_tensor(x)
        if x.dim() != 3:
            raise ValueError(f"x: expected shape [batch, time, input], got {tuple(x.shape)}")
        batch, steps = x.shape[0], x.shape[1]
        lengths = None
        if sequence_length is not None:
            lengths = torch.as_tensor(sequence_length).to(torch.int64).cpu()
            if lengths.shape != (batch,) or bool((lengths < 0).any()) or bool((lengths > steps).any()):
                raise ValueError(f"sequence_length: expected {batch} lengths in [0, {steps}], got {lengths.tolist()}")
        if not self.bidirectional:
            return self._direction(self.fw, self.kinds[0], x, lengths, initial_state)
        initial_fw, initial_bw = (None, None) if initial_state is None else initial_state
        outputs_fw, state_fw = self._direction(self.fw, self.kinds[0], x, lengths, initial_fw)
        full = torch.full((batch,), steps, dtype=torch.int64) if lengths is None else lengths
        reversed_x = reverse_within_lengths(x, full)
        outputs_bw, state_bw = self._direction(self.bw, self.kinds[1], reversed_x, lengths, initial_bw)
        return (outputs_fw, reverse_within_lengths(outputs_bw, full)), (state_fw, state_bw)

    def _direction(
        self, layers: torch.nn.ModuleList, kinds: tuple[str, ...], x: torch.Tensor, lengths: Any, initial: Any
    ) -> tuple[Any, Any]:
        """Run one direction's layers over ``x`` (already reversed for ``bw``); outputs zero past each length, states at each row's last step."""
        per_layer = [None] * len(layers) if initial is None else (list(initial) if self.stacked else [initial])
        if len(per_layer) != len(layers):
            raise ValueError(f"initial_state: expected {len(layers)} layer states, got {len(per_layer)}")
        hidden = [self._hidden(kind, state, x) for kind, state in zip(kinds, per_layer, strict=True)]
        current: Any = x
        if lengths is not None:
            # PyTorch refuses empty rows: run them for one step and restore TF1's zeros and initial state below.
            current = pack_padded_sequence(x, lengths.clamp(min=1), batch_first=True, enforce_sorted=False)
        finals = []
        for layer, state in zip(layers, hidden, strict=True):
            current, final = layer(current, state)
            finals.append(final)
        if lengths is None:
            outputs = current
        else:
            outputs, _ = pad_packed_sequence(current, batch_first=True, total_length=x.shape[1])
            empty = lengths == 0
            if bool(empty.any()):
                outputs = outputs.masked_fill(empty.to(outputs.device)[:, None, None], 0.0)
                finals = [self._keep_initial(final, state, empty, x) for final, state in zip(finals, hidden, strict=True)]
        states = [self._tf1_state(kind, final) for kind, final in zip(kinds, finals, strict=True)]
        return outputs, (tuple(states) if self.stacked else states[0])

    @staticmethod
    def _hidden(kind: str, state: Any, x: torch.Tensor) -> Any:
        """A TF1 layer state (``LSTMState(c, h)`` / ``h``, or None for zeros) as PyTorch's ``(h_0, c_0)`` / ``h_0`` with a layer axis."""
        if state is None:
            return None
        if kind == "LSTM":
            c, h = state
            return (torch.as_tensor(h, dtype=x.dtype)[None].contiguous(), torch.as_tensor(c, dtype=x.dtype)[None].contiguous())
        return torch.as_tensor(state, dtype=x.dtype)[None].contiguous()

    @staticmethod
    def _keep_initial(final: Any, initial: Any, empty: torch.Tensor, x: torch.Tensor) -> Any:
        def keep(value: torch.Tensor, start: torch.Tensor | None) -> torch.Tensor:
            start = torch.zeros_like(value) if start is None else start
            return torch.where(empty.to(value.device)[None, :, None], start, value)

        if isinstance(final, tuple):
            starts = (None, None) if initial is None else initial
            return tuple(keep(value, start) for value, start in zip(final, starts, strict=True))
        return keep(final, initial)

    @staticmethod
    def _tf1_state(kind: str, final: Any) -> Any:
        if kind == "LSTM":
            h_n, c_n = final
            return LSTMState(c_n[0], h_n[0])
        return final[0]


__all__ = ["TF1RNN", "reverse_within_lengths"]

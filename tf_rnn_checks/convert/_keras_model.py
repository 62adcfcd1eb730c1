"""The Keras model :func:`tf_rnn_checks.convert.modules.checkpoint_to_keras_model` builds, for Keras 2 or 3 (imported only when building one)."""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import numpy as np

from tf_rnn_checks.convert.modules import Layer, LSTMState, Plan


def _cell(keras: ModuleType, layer: Layer, dtype: str) -> Any:
    if layer.kind == "LSTM":
        return keras.layers.LSTMCell(layer.units, dtype=dtype)
    if layer.kind == "GRU":
        return keras.layers.GRUCell(layer.units, reset_after=False, dtype=dtype)
    return keras.layers.SimpleRNNCell(layer.units, dtype=dtype)


def _rnn(keras: ModuleType, layers: tuple[Layer, ...], stacked: bool, dtype: str, **options: Any) -> Any:
    cells = [_cell(keras, layer, dtype) for layer in layers]
    # Keras 3 cannot run RNN([one GRU cell]) with a mask (a nested-structure error), so a single cell goes in bare.
    return keras.layers.RNN(cells if stacked else cells[0], return_sequences=True, return_state=True, dtype=dtype, **options)


def _cells_of(rnn: Any, stacked: bool) -> list[Any]:
    return list(rnn.cell.cells) if stacked else [rnn.cell]


def _flatten(keras: ModuleType, value: Any) -> list[Any]:
    if hasattr(keras, "tree"):  # Keras 3
        return list(keras.tree.flatten(value))
    from tf_rnn_checks.tf_import import tf

    return list(tf.nest.flatten(value))


def _ops(keras: ModuleType) -> Any:
    if hasattr(keras, "ops"):  # Keras 3, any backend
        return keras.ops
    return None


@functools.cache
def model_class(keras: ModuleType) -> type:
    """The ``TF1RNN`` Keras model class for the Keras module ``keras`` (one subclass of ``keras.Model`` per module)."""

    class TF1RNN(keras.Model):
        """A TF1 ``dynamic_rnn`` / ``bidirectional_dynamic_rnn`` as a Keras ``RNN`` (in ``Bidirectional(merge_mode=None)`` for fw/bw), ``self.rnn``.

        Call ``model(x, sequence_length=None, initial_state=None, mask=None) -> (outputs, final_states)``; see
        :mod:`tf_rnn_checks.convert.modules` for the structures.
        """

        def __init__(self, plan: Plan, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.plan = plan
            forward = _rnn(keras, plan.directions[0], plan.stacked, plan.dtype, zero_output_for_mask=True)
            if plan.bidirectional:
                backward = _rnn(keras, plan.directions[1], plan.stacked, plan.dtype, zero_output_for_mask=True, go_backwards=True)
                self.rnn = keras.layers.Bidirectional(forward, backward_layer=backward, merge_mode=None)
            else:
                self.rnn = forward

        def _layers_by_direction(self) -> list[Any]:
            return [self.rnn.forward_layer, self.rnn.backward_layer] if self.plan.bidirectional else [self.rnn]

        def set_tf1_weights(self) -> None:
            """Build the layers on a one-step input and set every cell's converted TF1 weights."""
            self.rnn(np.zeros((1, 1, self.plan.directions[0][0].input_size), dtype=self.plan.dtype))
            for rnn, layers in zip(self._layers_by_direction(), self.plan.directions, strict=True):
                for cell, layer in zip(_cells_of(rnn, self.plan.stacked), layers, strict=True):
                    cell.set_weights([np.asarray(w) for w in layer.weights])

        def call(self, x: Any, sequence_length: Any = None, initial_state: Any = None, mask: Any = None) -> tuple[Any, Any]:
            if sequence_length is not None and mask is not None:
                raise ValueError("sequence_length: pass the lengths or mask=, not both")
            if sequence_length is not None:
                mask = self._mask(x, sequence_length)
            flat = None if initial_state is None else self._keras_states(initial_state)
            result = self.rnn(x, mask=mask, initial_state=flat)
            directions = 2 if self.plan.bidirectional else 1
            outputs, states = list(result[:directions]), _flatten(keras, list(result[directions:]))
            finals, start = [], 0
            for layers in self.plan.directions:
                layer_states = []
                for layer in layers:
                    if layer.kind == "LSTM":
                        h, c = states[start : start + 2]
                        layer_states.append(LSTMState(c, h))
                        start += 2
                    else:
                        layer_states.append(states[start])
                        start += 1
                finals.append(tuple(layer_states) if self.plan.stacked else layer_states[0])
            if self.plan.bidirectional:
                return (outputs[0], outputs[1]), (finals[0], finals[1])
            return outputs[0], finals[0]

        def _mask(self, x: Any, sequence_length: Any) -> Any:
            ops = _ops(keras)
            if ops is not None:
                steps = ops.arange(ops.shape(x)[1])
                return ops.less(steps[None, :], ops.cast(ops.convert_to_tensor(sequence_length), "int32")[:, None])
            from tf_rnn_checks.tf_import import tf

            return tf.sequence_mask(tf.cast(sequence_length, tf.int32), maxlen=tf.shape(x)[1])

        def _keras_states(self, initial_state: Any) -> list[Any]:
            """TF1's initial state structure as the list Keras takes: ``[h, c]`` per LSTM layer (``h`` otherwise), one entry per stacked cell, fw then bw."""
            per_direction = initial_state if self.plan.bidirectional else (initial_state,)
            if len(per_direction) != len(self.plan.directions):
                raise ValueError(f"initial_state: expected (initial_fw, initial_bw), got {len(per_direction)} entries")
            ops = _ops(keras)
            if ops is None:
                from tf_rnn_checks.tf_import import tf

                ops = tf

            def tensor(value: Any) -> Any:
                return ops.convert_to_tensor(value, dtype=self.plan.dtype)

            states = []
            for state, layers in zip(per_direction, self.plan.directions, strict=True):
                per_layer = list(state) if self.plan.stacked else [state]
                if len(per_layer) != len(layers):
                    raise ValueError(f"initial_state: expected {len(layers)} layer states, got {len(per_layer)}")
                cells = [
                    [tensor(value[1]), tensor(value[0])] if layer.kind == "LSTM" else tensor(value)
                    for value, layer in zip(per_layer, layers, strict=True)
                ]
                # A stacked RNN takes each cell's state ([h, c], or h); a single cell's RNN the list of its states.
                # Bidirectional halves the whole list.
                states += cells if self.plan.stacked else (cells[0] if layers[0].kind == "LSTM" else [cells[0]])
            kinds = [[layer.kind for layer in layers] for layers in self.plan.directions]
            if self.plan.bidirectional and kinds[0] != kinds[1]:
                raise ValueError(
                    f"initial_state: Keras Bidirectional halves the initial states, so fw and bw need the same layer kinds, got {kinds}"
                )
            return states

    return TF1RNN


def build(keras: ModuleType, plan: Plan) -> Any:
    """The ``TF1RNN`` model of ``plan`` in ``keras``, its weights set from the TF1 checkpoint."""
    model = model_class(keras)(plan, name=(plan.scope or "rnn").replace("/", "_"), dtype=plan.dtype)  # no autocast to float32
    model.set_tf1_weights()
    return model


__all__ = ["build", "model_class"]

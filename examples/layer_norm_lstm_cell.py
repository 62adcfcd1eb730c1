"""A layer-normalised LSTM as a TF1 ``RNNCell``, its NumPy step function, and a variant whose kernel ignores the scope.

``LayerNormLSTMCell`` (Ba, Kiros and Hinton 2016, "Layer Normalization") normalises each gate's
pre-activation and scales and shifts it by its own gain ``ln_gamma`` (ones) and shift ``ln_beta``
(zeros). Those two start at fixed values by design, so an enclosing ``variable_scope`` initializer must
not reach them, while the kernel still inherits it: declare them with
``custom_cell(..., own_initializer=("ln_gamma", "ln_beta"))`` and the check holds the kernel to the scope.
``ScopeIgnoringLayerNormLSTMCell`` gives its kernel an explicit default initializer, a TF1-era bug the
check still catches with that declaration.
"""

from __future__ import annotations

import numpy as np

# tf_import sets TF_USE_LEGACY_KERAS as the installed Keras needs, then imports TensorFlow (see cifg_cell.py).
from tf_rnn_checks.tf_import import tf

v1 = tf.compat.v1
rnn_cell = v1.nn.rnn_cell
EPSILON = 1e-5


class LayerNormLSTMCell(rnn_cell.RNNCell):
    """``kernel ([x, h] -> 4 * units)`` in gate blocks ``i, j, f, o``, no bias; ``ln_gamma``, ``ln_beta`` are ``(4, units)``.

    Each block ``z`` becomes ``(z - mean(z)) / sqrt(var(z) + 1e-5) * ln_gamma[k] + ln_beta[k]`` over the units;
    ``c' = sigmoid(f + forget_bias) * c + sigmoid(i) * tanh(j)``; ``h' = sigmoid(o) * tanh(c')``.
    """

    def __init__(self, num_units: int, forget_bias: float = 1.0, initializer=None, name: str | None = None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._initializer = initializer

    @property
    def state_size(self):
        return rnn_cell.LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self) -> int:
        return self._num_units

    def _kernel_initializer(self):
        # None lets an enclosing variable_scope's initializer reach the kernel, as TF's own cells do.
        return self._initializer

    def build(self, inputs_shape) -> None:
        depth = int(inputs_shape[-1])
        units = self._num_units
        self._kernel = self.add_weight("kernel", shape=[depth + units, 4 * units], initializer=self._kernel_initializer())
        # Gain and shift start at the identity transform whatever the enclosing scope says.
        self._gamma = self.add_weight("ln_gamma", shape=[4, units], initializer=v1.ones_initializer())
        self._beta = self.add_weight("ln_beta", shape=[4, units], initializer=v1.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        c, h = state
        blocks = tf.reshape(tf.matmul(tf.concat([inputs, h], axis=1), self._kernel), [-1, 4, self._num_units])
        mean, variance = tf.nn.moments(blocks, axes=[2], keepdims=True)
        normalised = (blocks - mean) * tf.math.rsqrt(variance + EPSILON) * self._gamma + self._beta
        i, j, f, o = tf.unstack(normalised, axis=1)
        new_c = tf.sigmoid(f + self._forget_bias) * c + tf.sigmoid(i) * tf.tanh(j)
        new_h = tf.sigmoid(o) * tf.tanh(new_c)
        return new_h, rnn_cell.LSTMStateTuple(new_c, new_h)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def layer_norm_lstm_step(variables: dict[str, np.ndarray], x: np.ndarray, state, forget_bias: float = 1.0):
    """One step in NumPy: ``variables`` has ``kernel``, ``ln_gamma``, ``ln_beta``; ``state`` is ``(c, h)``; returns ``(h', (c', h'))``."""
    c, h = state
    units = h.shape[1]
    blocks = (np.concatenate([x, h], axis=1) @ variables["kernel"]).reshape(-1, 4, units)
    mean, variance = blocks.mean(axis=2, keepdims=True), blocks.var(axis=2, keepdims=True)
    normalised = (blocks - mean) / np.sqrt(variance + EPSILON) * variables["ln_gamma"] + variables["ln_beta"]
    i, j, f, o = (normalised[:, k] for k in range(4))
    new_c = _sigmoid(f + forget_bias) * c + _sigmoid(i) * np.tanh(j)
    new_h = _sigmoid(o) * np.tanh(new_c)
    return new_h, rnn_cell.LSTMStateTuple(new_c, new_h)


class ScopeIgnoringLayerNormLSTMCell(LayerNormLSTMCell):
    """BROKEN: the kernel defaults to its own glorot initializer, so an enclosing scope's initializer never reaches it."""

    def _kernel_initializer(self):
        # The bug: an explicit default replaces the scope's initializer instead of deferring to it.
        return self._initializer or v1.glorot_uniform_initializer()

"""A custom TF1 recurrent cell, its NumPy step function, and two deliberately broken variants.

``CIFGLSTMCell`` is an LSTM with a *coupled input-forget gate* (CIFG, Greff et al. 2017, "LSTM: A
Search Space Odyssey"): the input gate is ``1 - f``, so the kernel holds three column blocks instead
of four. It subclasses ``tf.compat.v1.nn.rnn_cell.RNNCell`` the way TF1 projects wrote their cells.
``ScopeEscapingCIFGCell`` and ``CallTimeVariablesCIFGCell`` each carry one bug TF1-era cells often had;
``tests/test_custom_cells.py`` shows they fail exactly the generic checks that bug breaks.
"""

from __future__ import annotations

import numpy as np

# tf_import sets TF_USE_LEGACY_KERAS as the installed Keras needs (TF >= 2.16 keeps these cells in tf-keras),
# then imports TensorFlow; in your own code, set that variable before the first `import tensorflow`.
from tf_rnn_checks.tf_import import tf

v1 = tf.compat.v1
rnn_cell = v1.nn.rnn_cell


class CIFGLSTMCell(rnn_cell.RNNCell):
    """``kernel ([x, h] -> 3 * units)`` in column blocks ``j, f, o``; ``bias (3 * units)`` zeros; state ``LSTMStateTuple(c, h)``.

    ``f = sigmoid(f_pre + forget_bias)``; ``c' = f * c + (1 - f) * tanh(j)``; ``h' = sigmoid(o) * tanh(c')``.
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

    def build(self, inputs_shape) -> None:
        depth = int(inputs_shape[-1])
        # initializer=None lets an enclosing variable_scope's initializer reach the kernel, as TF's own cells do.
        self._kernel = self.add_weight("kernel", shape=[depth + self._num_units, 3 * self._num_units], initializer=self._initializer)
        self._bias = self.add_weight("bias", shape=[3 * self._num_units], initializer=v1.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        c, h = state
        gates = tf.matmul(tf.concat([inputs, h], axis=1), self._kernel) + self._bias
        j, f, o = tf.split(gates, 3, axis=1)
        forget = tf.sigmoid(f + self._forget_bias)
        new_c = forget * c + (1.0 - forget) * tf.tanh(j)
        new_h = tf.sigmoid(o) * tf.tanh(new_c)
        return new_h, rnn_cell.LSTMStateTuple(new_c, new_h)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def cifg_step(variables: dict[str, np.ndarray], x: np.ndarray, state, forget_bias: float = 1.0):
    """One CIFG step in NumPy: ``variables`` has ``"kernel"`` and ``"bias"``; ``state`` is ``(c, h)``; returns ``(h', (c', h'))``."""
    c, h = state
    gates = np.concatenate([x, h], axis=1) @ variables["kernel"] + variables["bias"]
    j, f, o = np.split(gates, 3, axis=1)
    forget = _sigmoid(f + forget_bias)
    new_c = forget * c + (1.0 - forget) * np.tanh(j)
    new_h = _sigmoid(o) * np.tanh(new_c)
    return new_h, rnn_cell.LSTMStateTuple(new_c, new_h)


class ScopeEscapingCIFGCell(CIFGLSTMCell):
    """BROKEN: creates its variables in an absolute scope of its own, ignoring the scope the caller opened."""

    def build(self, inputs_shape) -> None:
        depth = int(inputs_shape[-1])
        # The bug: a VariableScope object re-enters that scope from the root, dropping the caller's scopes
        # (and their initializer).
        with v1.variable_scope(v1.VariableScope(reuse=v1.AUTO_REUSE, name="cifg")):
            self._kernel = v1.get_variable("kernel", shape=[depth + self._num_units, 3 * self._num_units], initializer=self._initializer)
            self._bias = v1.get_variable("bias", shape=[3 * self._num_units], initializer=v1.zeros_initializer())
        self.built = True


class CallTimeVariablesCIFGCell(CIFGLSTMCell):
    """BROKEN: asks for its variables with get_variable inside call, a TF1 habit.

    In a graph the cell's scope is re-entered with reuse=True after the first call, so this worked; in
    eager mode there is no variable store, so every step gets fresh weights (same names, new values).
    """

    def build(self, inputs_shape) -> None:
        self._depth = int(inputs_shape[-1])
        self.built = True

    def call(self, inputs, state):
        # The bug: variables are created (graph: or reused) on every call instead of once in build.
        self._kernel = v1.get_variable("kernel", shape=[self._depth + self._num_units, 3 * self._num_units], initializer=self._initializer)
        self._bias = v1.get_variable("bias", shape=[3 * self._num_units], initializer=v1.zeros_initializer())
        return super().call(inputs, state)

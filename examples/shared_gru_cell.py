"""A TF1-era weight-sharing trick ported to ``tf.compat.v1``, and what TF2 really does with it.

``SharedGRUCell`` subclasses ``GRUCell`` and passes the variable scope of its first call to every later
call, so that in TF 1.0 (before cells kept their own scope) one cell reused across layers shared one set
of weights. Under TF2 it passes every generic check, yet ``tests/test_custom_cells.py`` pins two
surprises that only the declared properties catch:

- its variables land at ``rnn/gates/kernel``, not the built-in ``rnn/gru_cell/gates/kernel``, so a
  ``GRUCell`` checkpoint does not load into it (``checkpoint_compatible_with="GRUCell"`` fails);
- two copies stacked in ``MultiRNNCell([SharedGRUCell(3), SharedGRUCell(3)])`` do not share: each captures
  its own first scope (``cell_0/...``, ``cell_1/...``), so ``shares_when_stacked=True`` fails.

To share weights between layers in TF2, stack one cell object twice, ``MultiRNNCell([cell, cell])``, as
with the built-in cells (only ``cell_0/...`` is created).
"""

from __future__ import annotations

# tf_import sets TF_USE_LEGACY_KERAS as the installed Keras needs, then imports TensorFlow (see cifg_cell.py).
from tf_rnn_checks.tf_import import tf

v1 = tf.compat.v1


class SharedGRUCell(v1.nn.rnn_cell.GRUCell):
    """A ``GRUCell`` that runs every call in the variable scope its first call was made in (reusing it after)."""

    def __init__(self, num_units: int, **kwargs) -> None:
        super().__init__(num_units, **kwargs)
        self._shared_scope = None

    def __call__(self, inputs, state, scope=None):
        if self._shared_scope is None:
            self._shared_scope = v1.get_variable_scope()
        else:
            self._shared_scope.reuse_variables()
        return super().__call__(inputs, state, scope=self._shared_scope)

"""Deliberate breaks of how TF applies a scope initializer make the initializer_recipes checks fail.

Each test monkeypatches one behaviour the family pins, calls the check functions directly and expects their
AssertionError (the plugin clears the shared builds around tests that use ``monkeypatch``).
"""

from __future__ import annotations

import pytest

from tf_rnn_checks.tf_import import tf, v1

pytestmark = pytest.mark.legacy_cells


def _legacy_layer_base() -> type:
    """The TF1 ``tf.layers`` base class the legacy cells create their variables through."""
    return next(k for k in v1.nn.rnn_cell.LSTMCell.__mro__ if k.__module__.endswith("legacy_tf_layers.base"))


def test_scope_initializer_skipping_1d_variables_fails_the_peephole_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TF whose scope initializer skipped 1-D variables (peephole diagonals start at zero) no longer raises, nor draws them."""
    from tf_rnn_checks.checks import initializer_recipes as family

    base = _legacy_layer_base()
    original = base.add_weight

    def add_weight(self, name, shape, *args, **kwargs):
        if len(shape) == 1 and kwargs.get("initializer") is None:  # a weight that would take the scope's initializer
            kwargs["initializer"] = tf.zeros_initializer()
        return original(self, name, shape, *args, **kwargs)

    monkeypatch.setattr(base, "add_weight", add_weight)
    uniform = family.ELEMENTWISE[-1]
    peepholes = family.STAT_CELLS[2]  # LSTMCell(units=64,peepholes,num_proj=32)
    with pytest.raises(AssertionError, match="error raised: observed 'no error', but TF was expected to give 'ValueError'"):
        family.check_orthogonal_scope_initializer_raises_on_peephole_diagonals("eager")
    with pytest.raises(AssertionError, match=r"what initialized each variable .*'lstm_cell/w_f_diag': 0.0"):
        family.check_scope_initializer_reaches_kernels_peepholes_and_projection_but_no_bias(uniform, peepholes, "graph")
    with pytest.raises(AssertionError, match=r"lstm_cell/w_f_diag \(64,\) .* max \|w\| of 64 draws: observed 0.0"):
        family.check_scope_initializer_draws_use_the_fans_of_the_whole_fused_kernel(uniform, peepholes, "function")


def test_per_gate_orthogonal_fails_the_whole_kernel_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """An orthogonal initializer applied to each of the four gate blocks separately leaves the fused kernel's rows non-orthonormal."""
    from tf_rnn_checks.cells import lstm
    from tf_rnn_checks.checks import initializer_recipes as family

    original = v1.orthogonal_initializer

    class PerGateOrthogonal:
        """Splits a 2-D shape with 4k columns into four (rows, k) gate blocks, each orthogonal on its own."""

        def __init__(self, gain=1.0, seed=None, dtype=tf.float32):
            self._block = original(gain=gain, seed=seed)

        def __call__(self, shape, dtype=None, partition_info=None):
            shape = list(shape)
            if len(shape) == 2 and shape[1] % 4 == 0:
                return tf.concat([self._block([shape[0], shape[1] // 4], dtype=dtype) for _ in range(4)], axis=1)
            return self._block(shape, dtype=dtype, partition_info=partition_info)

    monkeypatch.setattr(v1, "orthogonal_initializer", PerGateOrthogonal)
    whole = r"W W\^T = I for the whole .*lstm_cell/kernel \(7, 12\): observed 'max abs error"
    with pytest.raises(AssertionError, match=whole):
        family.check_orthogonal_scope_initializer_makes_each_whole_kernel_orthogonal(lstm(3), "graph")
    with pytest.raises(AssertionError, match=whole):
        family.check_orthogonal_fused_lstm_kernel_parts_are_orthogonal_only_as_its_shape_allows("eager")
    with pytest.raises(AssertionError, match=whole):
        family.check_orthogonal_scope_around_a_bidirectional_multirnncell(family.BIDIRECTIONAL_STACKS[0], "function")


def test_cell_ignoring_its_initializer_argument_fails_the_cell_argument_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TF whose cells dropped their own initializer for 2-D weights (kernels fall back to glorot_uniform) fails the cell-argument checks."""
    from tf_rnn_checks.cells import gru
    from tf_rnn_checks.checks import initializer_recipes as family

    base = _legacy_layer_base()
    original = base.add_weight

    def add_weight(self, name, shape, *args, **kwargs):
        if len(shape) == 2:
            kwargs["initializer"] = None
        return original(self, name, shape, *args, **kwargs)

    monkeypatch.setattr(base, "add_weight", add_weight)
    variance_scaling = family.ELEMENTWISE[2]
    peepholes = family.OWN_STAT_CELLS[0]  # LSTMCell(units=64,peepholes,num_proj=32)
    with pytest.raises(AssertionError, match=r"lstm_cell/kernel \(96, 256\) \(fans 96, 256\) range: observed"):
        family.check_cell_initializer_argument_draws_like_a_scope_initializer(variance_scaling, peepholes, "graph")
    with pytest.raises(AssertionError, match=r"W\^T W = I for the whole gru_cell/gates/kernel \(7, 6\): observed 'max abs error"):
        family.check_orthogonal_cell_initializer_argument_makes_each_whole_kernel_orthogonal(gru(3), "eager")


def test_partition_aware_orthogonal_fails_the_per_part_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """An orthogonal initializer drawn over the whole logical kernel and sliced per part makes the joined kernel orthogonal, failing the per-part check."""
    from tf_rnn_checks.cells import lstm
    from tf_rnn_checks.checks import initializer_recipes as family

    original = v1.orthogonal_initializer

    class WholeOrthogonal:
        """Draws ``partition_info.full_shape`` and returns this part's slice of it."""

        def __init__(self, gain=1.0, seed=None, dtype=tf.float32):
            self._whole = original(gain=gain, seed=seed)

        def __call__(self, shape, dtype=None, partition_info=None):
            if partition_info is None:
                return self._whole(shape, dtype=dtype)
            return tf.slice(self._whole(partition_info.full_shape, dtype=dtype), partition_info.var_offset, list(shape))

    monkeypatch.setattr(v1, "orthogonal_initializer", WholeOrthogonal)
    with pytest.raises(AssertionError, match=r"W W\^T = I for the joined rnn/lstm_cell/kernel \(7, 12\): observed"):
        family.check_scope_partitioner_makes_an_orthogonal_initializer_apply_per_part(lstm(3), "graph")


def test_per_part_fans_fail_the_whole_kernel_fans_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """A glorot initializer that ignored `partition_info` (fans from each (64, 256) part, bound 0.137 instead of 0.125) fails the partitioned-fans check."""
    from tf_rnn_checks.checks import initializer_recipes as family

    original = v1.glorot_uniform_initializer

    class PerPartGlorot(original):
        def __call__(self, shape, dtype=None, partition_info=None):
            return super().__call__(shape, dtype=dtype)

    monkeypatch.setattr(v1, "glorot_uniform_initializer", PerPartGlorot)
    with pytest.raises(AssertionError, match=r"lstm_cell/kernel/part_0 \(64, 256\) \(fans 128, 256\) max \|w\|: observed 0\.13"):
        family.check_scope_partitioner_draws_each_part_with_the_whole_kernels_fans(family.ELEMENTWISE[0], "eager")

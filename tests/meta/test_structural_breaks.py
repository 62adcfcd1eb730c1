"""Deliberate breaks of TF's behaviour make the structural checks fail (a check that cannot fail is a defect).

Each test monkeypatches one behaviour the checks pin, calls the check function directly and expects its
AssertionError; the patches are undone by ``monkeypatch`` when the test ends.
"""

from __future__ import annotations

import pytest

from tf_rnn_checks.tf_import import tf, v1

pytestmark = pytest.mark.legacy_cells


def _legacy_layer_base() -> type:
    """The TF1 ``tf.layers`` base class the legacy cells create their variables through."""
    return next(k for k in v1.nn.rnn_cell.LSTMCell.__mro__ if k.__module__.endswith("legacy_tf_layers.base"))


def _patch_add_weight(monkeypatch: pytest.MonkeyPatch, rewrite) -> None:
    base = _legacy_layer_base()
    original = base.add_weight

    def add_weight(self, name, shape, *args, **kwargs):
        kwargs = rewrite(name, dict(kwargs))
        return original(self, name, shape, *args, **kwargs)

    monkeypatch.setattr(base, "add_weight", add_weight)


def test_cell_that_ignores_the_scope_initializer_fails_inheritance_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import cell_contract
    from tf_rnn_checks.checks import initializer_inheritance as family
    from tf_rnn_checks.matrix import DEEP_CELL, under

    def own_default(name, kwargs):
        if kwargs.get("initializer") is None:
            kwargs["initializer"] = v1.glorot_uniform_initializer()
        return kwargs

    _patch_add_weight(monkeypatch, own_default)
    with pytest.raises(AssertionError, match=r"not initialised to the outer scope's 0.5: observed \['outer/plain0/plain1/"):
        cell_contract.check_outer_scope_initializer_reaches_weights(under("dynamic_rnn", DEEP_CELL, "eager"))
    with pytest.raises(AssertionError, match="initial value of outer/inner/"):
        family.check_inner_scope_initializer_overrides_outer_only_below_it("graph")


def test_biases_taking_the_scope_initializer_fail_the_bias_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.cells import gru
    from tf_rnn_checks.checks import initializer_inheritance as family

    def scope_bias(name, kwargs):
        if name.endswith("bias"):
            kwargs["initializer"] = None
        return kwargs

    _patch_add_weight(monkeypatch, scope_bias)
    with pytest.raises(AssertionError, match="bias: observed 0.5"):
        family.check_biases_ignore_the_scope_initializer(gru(3))


def test_dropped_cell_initializer_argument_fails_the_override_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.cells import lstm
    from tf_rnn_checks.checks import cell_contract

    cls = v1.nn.rnn_cell.LSTMCell
    original = cls.__init__
    monkeypatch.setattr(cls, "__init__", lambda self, *a, initializer=None, **k: original(self, *a, **k))
    with pytest.raises(AssertionError, match=r"not initialised to initializer's 0.25: observed \['outer/inner/rnn/lstm_cell/kernel'"):
        cell_contract.check_initializer_argument_reaches_weights(lstm(3, use_peepholes=True, num_proj=2))


def test_glorot_normal_default_fails_the_glorot_uniform_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import initializer_inheritance as family

    def normal_default(name, kwargs):
        if kwargs.get("initializer") is None:
            kwargs["initializer"] = v1.glorot_normal_initializer()
        return kwargs

    _patch_add_weight(monkeypatch, normal_default)
    with pytest.raises(AssertionError, match="max [|]w[|]"):
        family.check_default_kernel_initializer_is_glorot_uniform(family.STAT_CELLS[2], "eager")


def test_gru_gate_bias_of_zero_fails_the_bias_default_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.cells import gru
    from tf_rnn_checks.checks import bias_defaults as family

    def zero_gates(name, kwargs):
        if name == "gates/bias":
            kwargs["initializer"] = tf.zeros_initializer()
        return kwargs

    _patch_add_weight(monkeypatch, zero_gates)
    with pytest.raises(AssertionError, match=r"distinct values of gru_cell/gates/bias: observed \[0.0\]"):
        family.check_bias_starts_at_its_default(gru(3), "eager")


def test_ignored_forget_bias_fails_the_forget_bias_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.cells import basic_lstm
    from tf_rnn_checks.checks import bias_defaults as family

    cls = v1.nn.rnn_cell.BasicLSTMCell
    original = cls.__init__
    monkeypatch.setattr(cls, "__init__", lambda self, *a, forget_bias=1.0, **k: original(self, *a, **k))
    with pytest.raises(AssertionError, match=r"outputs with .* vs forget_bias=0 and bias\[f\] \+="):
        family.check_forget_bias_is_added_to_the_f_block_at_run_time(basic_lstm(3), "graph")
    with pytest.raises(AssertionError, match="get_config"):
        family.check_forget_bias_survives_a_checkpoint_as_a_constructor_argument(basic_lstm(3))


def test_layer_n_naming_fails_the_naming_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.cells import gru, multi
    from tf_rnn_checks.checks import variable_naming as family

    def call(self, inputs, state):
        output, states = inputs, []
        for index, cell in enumerate(self._cells):
            with v1.variable_scope(f"layer_{index}"):
                output, new_state = cell(output, state[index])
                states.append(new_state)
        return output, tuple(states)

    monkeypatch.setattr(v1.nn.rnn_cell.MultiRNNCell, "call", call)
    with pytest.raises(AssertionError, match="multi_rnn_cell/layer_0/gru_cell"):
        family.check_variable_names_and_shapes(multi(gru(3), gru(3)), "dynamic_rnn")


def test_multirnncell_copying_repeated_cells_fails_the_sharing_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.cells import gru
    from tf_rnn_checks.checks import weight_sharing as family

    cls = v1.nn.rnn_cell.MultiRNNCell
    original = cls.__init__

    def copying_init(self, cells, *args, **kwargs):
        seen: set[int] = set()
        copies = []
        for cell in cells:
            copies.append(type(cell).from_config({k: v for k, v in cell.get_config().items() if k != "name"}) if id(cell) in seen else cell)
            seen.add(id(cell))
        original(self, copies, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", copying_init)
    with pytest.raises(AssertionError, match="variables {name: shape} of the shared stack"):
        family.check_same_cell_twice_in_multirnncell_shares_one_set_of_weights(gru(3), "eager")
    with pytest.raises(AssertionError, match="'same object' log records: observed \\[\\]"):
        family.check_same_cell_twice_logs_the_will_share_weights_warning()


def test_ignored_gru_bias_initializer_fails_the_override_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import bias_defaults as family

    cls = v1.nn.rnn_cell.GRUCell
    original = cls.__init__
    monkeypatch.setattr(cls, "__init__", lambda self, *a, bias_initializer=None, **k: original(self, *a, **k))
    with pytest.raises(AssertionError, match="distinct bias values"):
        family.check_gru_bias_initializer_overrides_both_biases("graph")


def test_tf1_0_checkpoint_keys_fail_the_saver_key_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import variable_naming as family

    class WeightsSaver(v1.train.Saver):
        """Writes TF 1.0-era keys (``weights``/``biases``) instead of the variable names."""

        def __init__(self, *args, **kwargs):
            renamed = {v.op.name.replace("kernel", "weights").replace("/bias", "/biases"): v for v in v1.global_variables()}
            super().__init__(renamed, *args, **kwargs)

    monkeypatch.setattr(v1.train, "Saver", WeightsSaver)
    with pytest.raises(AssertionError, match="checkpoint {key: shape}"):
        family.check_saver_checkpoint_keys_are_the_variable_names("dynamic_rnn")


def test_silently_skipped_restore_fails_the_renamed_scope_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import variable_naming as family

    monkeypatch.setattr(v1.train.Saver, "restore", lambda self, session, path: None)
    with pytest.raises(AssertionError, match="observed 'no error'"):
        family.check_checkpoint_does_not_restore_into_a_renamed_scope()


def test_config_without_name_fails_the_from_config_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import variable_naming as family

    cls = v1.nn.rnn_cell.LSTMCell
    original = cls.get_config
    monkeypatch.setattr(cls, "get_config", lambda self: {**original(self), "name": "lstm_cell"})
    with pytest.raises(AssertionError, match="get_config"):
        family.check_from_config_turns_the_keras_layer_name_into_the_variable_scope()


def test_silent_reuse_fails_the_already_exists_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.cells import gru
    from tf_rnn_checks.checks import weight_sharing as family

    class AutoReusing:
        """``tf.compat.v1`` whose ``variable_scope`` reuses by default, as if TF stopped refusing duplicates."""

        def __getattr__(self, name):
            return getattr(v1, name)

        @staticmethod
        def variable_scope(name, *args, **kwargs):
            kwargs.setdefault("reuse", v1.AUTO_REUSE)
            return v1.variable_scope(name, *args, **kwargs)

    monkeypatch.setattr(family, "v1", AutoReusing())
    with pytest.raises(AssertionError, match="ValueError's first line: observed None"):
        family.check_new_cell_in_the_same_scope_without_reuse_raises_already_exists(gru(3))


@pytest.mark.parametrize("mode", ["graph", "eager"])
def test_built_in_cell_whose_tf_step_drifts_from_the_reference_fails_the_contract_reference_check(monkeypatch, mode) -> None:
    """The generic reference check runs on built-in cells (their step is the suite's NumPy reference): a GRU whose TF step adds 1e-3 to its output fails it."""
    from tf_rnn_checks.cells import gru
    from tf_rnn_checks.checks import cell_contract

    original = v1.nn.rnn_cell.GRUCell.call

    def drifted(self, inputs, state):
        output, new_state = original(self, inputs, state)
        return output + 1e-3, new_state + 1e-3

    monkeypatch.setattr(v1.nn.rnn_cell.GRUCell, "call", drifted)
    with pytest.raises(AssertionError, match="outputs vs the NumPy reference"):
        cell_contract.check_outputs_match_numpy_reference(cell=gru(3), mode=mode)

"""Deliberate breaks of the arguments' effects make the argument-effect checks fail (issue 17).

Each test monkeypatches TF so that one argument stops doing what a check pins (or starts doing what it
must not), calls the check directly and expects its AssertionError; ``monkeypatch`` undoes the patch.
"""

from __future__ import annotations

import pytest

from tf_rnn_checks.tf_import import tf, v1

pytestmark = pytest.mark.legacy_cells


def test_ignored_cell_name_fails_the_name_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.cells import lstm
    from tf_rnn_checks.checks import argument_effects as family

    cls = v1.nn.rnn_cell.LSTMCell
    original = cls.__init__
    monkeypatch.setattr(cls, "__init__", lambda self, *a, name=None, **k: original(self, *a, **k))
    with pytest.raises(AssertionError, match="variable names with name='my_cell'"):
        family.check_cell_name_becomes_its_variable_scope(lstm(3), "eager")


def test_parallel_iterations_that_changes_values_fails_the_loop_options_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import argument_effects as family

    original = v1.nn.dynamic_rnn

    def dynamic_rnn(*args, parallel_iterations=None, **kwargs):
        outputs, state = original(*args, parallel_iterations=parallel_iterations, **kwargs)
        return (outputs + 1e-3 if parallel_iterations == 1 else outputs), state

    monkeypatch.setattr(v1.nn, "dynamic_rnn", dynamic_rnn)
    with pytest.raises(AssertionError, match="with parallel_iterations=1 vs default"):
        family.check_loop_options_do_not_change_values("dynamic_rnn", "parallel_iterations=1", "eager")


def test_driver_inferring_dtype_from_inputs_fails_the_dtype_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import argument_effects as family

    original = v1.nn.static_rnn

    def static_rnn(cell, inputs, initial_state=None, dtype=None, **kwargs):
        return original(cell, inputs, initial_state=initial_state, dtype=dtype or inputs[0].dtype, **kwargs)

    monkeypatch.setattr(v1.nn, "static_rnn", static_rnn)
    with pytest.raises(AssertionError, match="dtype omitted: \\(outcome"):
        family.check_driver_dtype_is_the_zero_states_dtype("static_rnn")


def test_moved_block_lstm_forget_bias_default_fails_the_attribute_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import fused_ops as family

    original = tf.raw_ops.BlockLSTM

    def block_lstm(**kwargs):
        kwargs.setdefault("forget_bias", 0.0)
        return original(**kwargs)

    monkeypatch.setattr(tf.raw_ops, "BlockLSTM", block_lstm)
    with pytest.raises(AssertionError, match="cs without forget_bias vs forget_bias=1.0"):
        family.check_fused_lstm_attribute_defaults("BlockLSTM.forget_bias", "eager")


def test_ignored_state_filter_visitor_fails_the_visitor_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks.checks import wrappers as family

    cls = v1.nn.rnn_cell.DropoutWrapper
    original = cls.__init__
    monkeypatch.setattr(cls, "__init__", lambda self, *a, dropout_state_filter_visitor=None, **k: original(self, *a, **k))
    with pytest.raises(AssertionError, match=r"state part 0 \(spared\)"):
        family.check_dropout_state_filter_visitor_picks_the_dropped_state_parts(family.VISITOR_CASES[3], "eager")

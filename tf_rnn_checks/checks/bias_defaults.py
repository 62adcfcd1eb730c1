"""What the legacy cells' biases start at (pinned here only), and where LSTM's `forget_bias` lives (a constructor argument added at run time).

Bias values are read from the variables TF created (exact equality: they come from constant initializers).
The forget-bias checks are numeric: a run with ``forget_bias=b`` must equal a run with ``forget_bias=0``
whose stored bias has ``b`` added to the ``f`` block (columns ``[2h:3h]`` of ``i, j, f, o``). The checkpoint
round trip uses ``tf.compat.v1.train.Saver`` and is graph-only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, assert_true
from tf_rnn_checks.cells import CellSpec, basic_lstm, gru, lstm
from tf_rnn_checks.drivers import drive, make_cells
from tf_rnn_checks.matrix import MODES, SINGLE_CELLS
from tf_rnn_checks.modes import RunResult, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import BATCH, INPUT_SIZE, seeded_values
from tf_rnn_checks.tf_import import tf
from tf_rnn_checks.variable_names import is_bias

GRU_GATES_BIAS = 1.0
# The one table of the biases' defaults (by path suffix; any other bias starts at 0.0): GRU's gates start at 1.0
# ("do not reset, do not update"). Other families read it from here.
DEFAULT_BIAS = {"gates/bias": GRU_GATES_BIAS}
DEFAULT_FORGET_BIAS = 1.0


def _inputs(dtype: str = "float32") -> np.ndarray:
    return sizes.inputs(dtype=dtype)


def _expected_bias(path: str) -> float:
    return next((value for suffix, value in DEFAULT_BIAS.items() if path.endswith(suffix)), 0.0)


def _assert_bias_defaults(result: RunResult, call: str) -> None:
    __tracebackhide__ = True
    biases = [r for r in result.variables if is_bias(r.path)]
    observe("biases", {r.path: {"shape": list(r.shape), "dtype": r.dtype, "values": sorted(set(r.initial.tolist()))} for r in biases})
    assert_true(len(biases) > 0, what="biases created", observed=0, expected="at least one", call=call)
    for record in biases:
        assert_equal(
            sorted(set(record.initial.tolist())), [_expected_bias(record.path)], what=f"distinct values of {record.path}", call=call
        )


# One step (cell_call) is enough: biases are created on the first call whatever the driver.
@check(covers=("GRUCell.bias_initializer",), cell=SINGLE_CELLS, mode=MODES)
def check_bias_starts_at_its_default(cell, mode: str) -> None:
    """GRUCell's `gates/bias` starts at exactly 1.0; every other bias (GRU candidate, LSTM, BasicLSTM, BasicRNN) at exactly 0.0."""
    result = run(mode, lambda: make_cells("cell_call", cell), lambda cells: drive("cell_call", cells, _inputs()))
    _assert_bias_defaults(result, f"{cell}(inputs[{BATCH},{INPUT_SIZE}]) one step, {mode} mode")


@check(covers=("GRUCell.bias_initializer",), mode=MODES)
def check_gru_bias_initializer_overrides_both_biases(mode: str) -> None:
    """GRUCell's `bias_initializer=` sets both `gates/bias` and `candidate/bias`, replacing the 1.0 / 0.0 defaults."""
    value = -0.75
    result = run(
        mode,
        lambda: make_cells("cell_call", gru(3), bias_initializer=tf.constant_initializer(value)),
        lambda cells: drive("cell_call", cells, _inputs()),
    )
    call = f"GRUCell(3, bias_initializer=constant({value})) one step, {mode} mode"
    biases = {r.path: sorted(set(r.initial.tolist())) for r in result.variables if is_bias(r.path)}
    observe("biases", biases)
    assert_equal(biases, {"gru_cell/gates/bias": [value], "gru_cell/candidate/bias": [value]}, what="distinct bias values", call=call)


GATES = "ijfo"  # the column blocks of the LSTM kernel and bias, in order (lstm_layout.check_lstm_gate_order_is_ijfo)


def _shift_block(
    values: Callable[[int, tuple[int, ...], Any], np.ndarray], units: int, shift: float, gate: str = "f"
) -> Callable[[int, tuple[int, ...], Any], np.ndarray]:
    """``values`` plus ``shift`` on the ``gate`` block of the LSTM bias (the only ``(4h,)`` variable)."""
    block = GATES.index(gate)

    def make(index: int, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        value = values(index, shape, dtype)
        if shape == (4 * units,):
            value = value.copy()
            value[block * units : (block + 1) * units] += np.asarray(shift, dtype=dtype)
        return value

    return make


def _lstm_outputs(mode: str, cell: CellSpec, values, **overrides: Any) -> np.ndarray:
    result = run(
        mode, lambda: make_cells("dynamic_rnn", cell, **overrides), lambda cells: drive("dynamic_rnn", cells, _inputs()), randomize=values
    )
    return result.outputs[0]


# forget_bias is a Python constant added inside call(); tf.function traces that same call, so graph and
# eager cover the two execution paths. Plain LSTMCell, LSTMCell with peepholes+projection and BasicLSTMCell
# add it in three different places of the code. (The bias variable stays zeros whatever forget_bias is:
# check_forget_bias_survives_a_checkpoint_as_a_constructor_argument reads it from the checkpoint.)
@check(
    covers=("LSTMCell.forget_bias", "BasicLSTMCell.forget_bias"),
    cell=(lstm(3), lstm(3, use_peepholes=True, num_proj=2), basic_lstm(3)),
    mode=("graph", "eager"),
)
def check_forget_bias_is_added_to_the_f_block_at_run_time(cell, mode: str) -> None:
    """LSTM `forget_bias=b` (default 1.0) equals `forget_bias=0` with `b` added to the stored bias's f block (columns 2h:3h), and not to the i, j or o block."""
    values = seeded_values(11)
    units = cell.units
    call = f"dynamic_rnn({cell}), {mode} mode"
    plain = {0.0: _lstm_outputs(mode, cell, values, forget_bias=0.0)}
    for forget_bias in (None, 2.5):
        effective = DEFAULT_FORGET_BIAS if forget_bias is None else forget_bias
        overrides = {} if forget_bias is None else {"forget_bias": forget_bias}
        got = _lstm_outputs(mode, cell, values, **overrides)
        want = _lstm_outputs(mode, cell, _shift_block(values, units, effective), forget_bias=0.0)
        label = "default" if forget_bias is None else f"forget_bias={forget_bias}"
        assert_close(got, want, what=f"outputs with {label} vs forget_bias=0 and bias[f] += {effective}", call=call)
        plain[effective] = got
    observe("outputs_by_forget_bias", {str(k): plain[k][0, -1] for k in sorted(plain)})
    for a, b in ((0.0, 1.0), (1.0, 2.5)):
        assert_not_close(plain[a], plain[b], what=f"outputs with forget_bias={a} vs {b}", call=call)
    elsewhere = {}
    for gate in "ijo":
        moved = _lstm_outputs(mode, cell, _shift_block(values, units, DEFAULT_FORGET_BIAS, gate), forget_bias=0.0)
        assert_not_close(
            moved, plain[DEFAULT_FORGET_BIAS], what=f"outputs with forget_bias=0 and bias[{gate}] += 1.0 vs the default", call=call
        )
        elsewhere[f"added to {gate}"] = float(np.max(np.abs(moved.astype(np.float64) - plain[DEFAULT_FORGET_BIAS])))
    observe("difference_if_forget_bias_went_elsewhere", elsewhere)


def _graph_outputs(
    make_cell: Callable[[], Any], checkpoint: str | None = None, save_to: str | None = None
) -> tuple[np.ndarray, str | None]:
    """``dynamic_rnn`` outputs in graph mode, restored from ``checkpoint`` or initialized (graph seed 5), saved to ``save_to``."""
    result = run(
        "graph",
        lambda: (make_cell(),),
        lambda cells: drive("dynamic_rnn", cells, _inputs())[0],
        seed=5,
        restore_from=checkpoint,
        save_to=save_to,
    )
    return result.outputs, save_to


@check(cell=(lstm(3), basic_lstm(3)))
def check_forget_bias_survives_a_checkpoint_as_a_constructor_argument(cell) -> None:
    """A Saver checkpoint of LSTM(forget_bias=2.5) holds only `kernel` and a zero `bias`; 2.5 lives in `get_config()` (graph-only)."""
    made = []

    def original() -> Any:
        made.append(cell.make(forget_bias=2.5))
        return made[-1]

    call = f"Saver().save / restore of dynamic_rnn({cell.kind}(3, forget_bias=2.5)), graph mode"
    with tempfile.TemporaryDirectory() as directory:
        saved, path = _graph_outputs(original, save_to=os.path.join(directory, "model"))
        stored = dict(tf.train.list_variables(path))
        scope = "rnn/lstm_cell" if cell.kind == "LSTMCell" else "rnn/basic_lstm_cell"
        observe("checkpoint_variables", stored)
        assert_equal(stored, {f"{scope}/kernel": [INPUT_SIZE + 3, 12], f"{scope}/bias": [12]}, what="checkpoint variables", call=call)
        bias = tf.train.load_variable(path, f"{scope}/bias")
        assert_equal(sorted(set(bias.tolist())), [0.0], what="distinct values of the checkpointed bias", call=call)
        config = made[0].get_config()
        observe("config_forget_bias", config["forget_bias"])
        assert_equal(config["forget_bias"], 2.5, what="get_config()['forget_bias']", call=call)
        # config["name"] is Keras's process-wide unique layer name (e.g. "lstm_cell_7"); passed back it would become
        # the variable scope and rename every variable, so the round trip drops it.
        unnamed = {key: value for key, value in config.items() if key != "name"}
        rebuilt, _ = _graph_outputs(lambda: type(made[0]).from_config(unnamed), checkpoint=path)
        assert_close(rebuilt, saved, what="outputs of from_config(get_config()) restored from the checkpoint", call=call)
        default, _ = _graph_outputs(cell.make, checkpoint=path)
        assert_not_close(default, saved, what="outputs of a default-forget_bias cell restored from the same checkpoint", call=call)

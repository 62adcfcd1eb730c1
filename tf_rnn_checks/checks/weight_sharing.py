"""When TF1 cells share weights, proven by values and gradients rather than by counting variables.

Unrolling over time, reusing a cell object twice in one `MultiRNNCell`, and name-based reuse under
`variable_scope(reuse=True | AUTO_REUSE)`; a second driver call with the same cells, under every driver, is pinned by
:func:`tf_rnn_checks.checks.cell_contract.check_second_call_reuses_variables`. Name-based reuse and the "already exists"
error belong to the graph's variable store, so those checks are graph-only; eagerly a new cell object owns
new variables whatever the scope says (pinned by the eager-only check at the end); object reuse runs in every mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, observe_raised
from tf_rnn_checks.cells import basic_lstm, basic_rnn, gru, lstm, multi
from tf_rnn_checks.drivers import DRIVERS, drive, make_cells, make_stacked_twice
from tf_rnn_checks.matrix import MODES
from tf_rnn_checks.modes import captured_logs, fresh_eager, fresh_graph, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import INPUT_SIZE, TIME_STEPS, seeded_values
from tf_rnn_checks.tf_import import tf, v1
from tf_rnn_checks.variable_names import expected_inventory, expected_variables

SHARE_WARNING = "At least two cells provided to MultiRNNCell are the same object and will share weights."
ONE_OF_EACH = (basic_rnn(3), gru(3), lstm(3, use_peepholes=True, num_proj=2), basic_lstm(3))
REUSE_CELLS = ONE_OF_EACH + (multi(lstm(3), lstm(3)),)


def _inputs(size: int = INPUT_SIZE, time: int = TIME_STEPS, seed: int = 0) -> np.ndarray:
    return sizes.inputs(size=size, time=time, seed=seed)


def _inventory(mode: str, build: Callable[[], Any]) -> dict[str, tuple[int, ...]]:
    """``{name: shape}`` of the variables ``build()`` creates (graph mode: no session)."""
    return run(mode, lambda: None, lambda _: build(), evaluate=mode != "graph").inventory


# cell_call is a single step: there is no unrolling to vary. tf.function traces the same Python unrolling
# as graph mode, so graph and eager cover the two variable stores.
@check(driver=tuple(d for d in DRIVERS if d != "cell_call"), mode=("graph", "eager"))
def check_unrolling_creates_one_set_of_variables_whatever_the_length(driver: str, mode: str) -> None:
    """Unrolling an LSTM(peepholes)+GRU stack over T = 1, 3 and 17 steps creates the identical variable inventory."""
    stack = multi(lstm(3, use_peepholes=True), gru(3))
    inventories = {
        steps: _inventory(mode, lambda steps=steps: drive(driver, make_cells(driver, stack), _inputs(time=steps))) for steps in (1, 3, 17)
    }
    observe("inventory", {name: list(shape) for name, shape in inventories[17].items()})
    call = f"{driver}({stack}) over T = 1, 3, 17, {mode} mode"
    assert_equal(inventories[1], expected_inventory(stack, INPUT_SIZE, driver), what="variables {name: shape} at T=1", call=call)
    for steps in (3, 17):
        assert_equal(inventories[steps], inventories[1], what=f"variables {{name: shape}} at T={steps} vs T=1", call=call)


def _loss_and_gradients(size: int) -> Callable[[tuple[Any]], Any]:
    """``call`` for ``modes.run``: static_rnn, a weighted-sum loss and its gradients w.r.t. the cells' variables."""
    weights = sizes.inputs(size=size, seed=3)

    def call(cells: tuple[Any]) -> Any:
        with tf.GradientTape() as tape:
            outputs, _ = drive("static_rnn", cells, _inputs(size))
            loss = tf.reduce_sum(outputs * weights)
        # A shared stack lists its cell's variables once per layer: keep each variable once, in creation order.
        variables = list({id(v): v for v in cells[0].trainable_variables}.values())
        if tf.executing_eagerly():
            return outputs, tape.gradient(loss, variables)
        # In a TF1 graph the tape does not record the legacy cells' variable reads; tf.gradients does.
        return outputs, tf.gradients(loss, variables)

    return call


# tf.function traces the same graph-building code (tf.gradients path) as graph mode; graph and eager cover
# both variable stores and both gradient paths at half the cost.
@check(cell=ONE_OF_EACH, mode=("graph", "eager"))
def check_same_cell_twice_in_multirnncell_shares_one_set_of_weights(cell, mode: str) -> None:
    """`MultiRNNCell([cell] * 2)` has one variable set (`cell_0`), equals two equal-valued cells, and its gradient is their sum."""
    size = cell.output_units
    per_cell = len(expected_variables(cell, size))
    same_values = lambda index, shape, dtype: seeded_values(21)(index % per_cell, shape, dtype)  # noqa: E731
    shared = run(mode, make_stacked_twice(cell, same_object=True), _loss_and_gradients(size), randomize=same_values)
    distinct = run(mode, make_stacked_twice(cell, same_object=False), _loss_and_gradients(size), randomize=same_values)
    call = f"static_rnn(MultiRNNCell([{cell}] * 2), {size} inputs) vs two distinct cells with equal values, {mode} mode"
    observe("inventory", {name: list(shape) for name, shape in shared.inventory.items()})
    expected = {f"rnn/multi_rnn_cell/cell_0/{path}:0": shape for path, shape in expected_variables(cell, size).items()}
    assert_equal(shared.inventory, expected, what="variables {name: shape} of the shared stack", call=call)
    assert_close(shared.outputs[0], distinct.outputs[0], what="outputs", call=call)
    gradients, (first, second) = shared.outputs[1], (distinct.outputs[1][:per_cell], distinct.outputs[1][per_cell:])
    for record, got, a, b in zip(shared.variables, gradients, first, second, strict=True):
        assert_not_close(a, b, what=f"gradient of {record.path} from layer 0 vs layer 1", call=call, margin=1e-6)
        assert_close(got, a + b, what=f"gradient of shared {record.path} vs sum of the two layers' gradients", call=call)


@check()
def check_same_cell_twice_logs_the_will_share_weights_warning() -> None:
    """`MultiRNNCell([cell] * 2)` logs one tensorflow WARNING: the cells "are the same object and will share weights"."""
    from tensorflow.python.platform import tf_logging

    # TF logs this with log_first_n(..., 1), counted per calling source line; forget this module's count so
    # the message is logged again when the check is repeated in one process.
    for token in [t for t in tf_logging._log_counter_per_token if t[0] == __file__]:
        del tf_logging._log_counter_per_token[token]
    with captured_logs() as records:
        cell = v1.nn.rnn_cell.GRUCell(3)
        v1.nn.rnn_cell.MultiRNNCell([cell] * 2)
        v1.nn.rnn_cell.MultiRNNCell([v1.nn.rnn_cell.GRUCell(3), v1.nn.rnn_cell.GRUCell(3)])
    sharing = [
        (r.name, r.levelname, r.getMessage()) for r in records if "MultiRNNCell" in r.getMessage() and "same object" in r.getMessage()
    ]
    observe("log_records", sharing)
    assert_equal(
        sharing,
        [("tensorflow", "WARNING", SHARE_WARNING)],
        what="'same object' log records",
        call="MultiRNNCell([GRUCell(3)] * 2); MultiRNNCell([GRUCell(3), GRUCell(3)])",
    )


# Graph construction checks shapes statically; eager runs the matmul and the kernel reports the mismatch.
SHAPE_ERRORS = {
    "graph": (ValueError, "Dimensions must be equal, but are 6 and 7"),
    "eager": (tf.errors.InvalidArgumentError, "Matrix size-incompatible: In[0]: [2,6], In[1]: [7,6]"),
    "function": (ValueError, "Dimensions must be equal, but are 6 and 7"),
}


@check(mode=MODES)
def check_same_cell_twice_with_a_different_input_size_raises_a_shape_error(mode: str) -> None:
    """`MultiRNNCell([GRUCell(3)] * 2)` on 4 inputs fails in layer 1: gates kernel (4+3, 6) but layer 1 feeds 3+3 columns."""
    error_type, phrase = SHAPE_ERRORS[mode]
    call = f"static_rnn(MultiRNNCell([GRUCell(3)] * 2), inputs with 4 features), {mode} mode"
    try:
        run(mode, make_stacked_twice(gru(3), same_object=True), lambda cells: drive("static_rnn", cells, _inputs(4)))
    except Exception as error:  # noqa: BLE001 - the type is what is pinned
        observed = (type(error).__name__, phrase in str(error))
        observe_raised("error", type(error).__name__, str(error), [phrase])
    else:
        observed = ("no error", False)
    assert_equal(observed, (error_type.__name__, True), what=f"(error type, message contains {phrase!r})", call=call)


@dataclass(frozen=True)
class Reuse:
    """How the second construction asks for reuse: ``reuse=True``, or ``AUTO_REUSE`` around both."""

    label: str

    def __str__(self) -> str:
        return self.label


REUSE_MODES = (Reuse("reuse=True"), Reuse("reuse=AUTO_REUSE"))


@check(cell=REUSE_CELLS, reuse=REUSE_MODES)
def check_new_cell_under_a_reuse_scope_reuses_variables_by_name(cell, reuse: Reuse) -> None:
    """A new cell under `variable_scope('model', reuse=True | AUTO_REUSE)` reuses the variables by name: none new, same outputs."""
    x = _inputs()
    with fresh_graph(0) as graph:
        first_reuse = v1.AUTO_REUSE if reuse.label.endswith("AUTO_REUSE") else None
        second_reuse = v1.AUTO_REUSE if first_reuse else True
        with v1.variable_scope("model", reuse=first_reuse):
            a, _ = drive("dynamic_rnn", make_cells("dynamic_rnn", cell), x)
        with v1.variable_scope("model", reuse=second_reuse):
            b, _ = drive("dynamic_rnn", make_cells("dynamic_rnn", cell), x)
        names = [v.name for v in graph.variables()]
        graph.initialize()
        out_a, out_b = graph.evaluate([a, b])
    call = f"dynamic_rnn({cell}) in variable_scope('model'), then a new {cell.kind} in variable_scope('model', {reuse}), graph mode"
    observe("variables", names)
    assert_equal(
        sorted(names), sorted(expected_inventory(cell, INPUT_SIZE, "dynamic_rnn", outer="model/")), what="global variables", call=call
    )
    assert_close(out_b, out_a, what="the new cell's outputs vs the first cell's", call=call)


@check(covers=("BasicRNNCell.reuse", "GRUCell.reuse", "LSTMCell.reuse", "BasicLSTMCell.reuse"), cell=REUSE_CELLS)
def check_new_cell_in_the_same_scope_without_reuse_raises_already_exists(cell) -> None:
    """A new cell in the same `variable_scope` without reuse raises ValueError "Variable <name> already exists, disallowed" (graph)."""
    first_name = next(iter(expected_inventory(cell, INPUT_SIZE, "dynamic_rnn", outer="model/"))).rsplit(":", 1)[0]
    call = f"dynamic_rnn({cell}) twice with new cells in variable_scope('model'), graph mode"
    message = None
    with fresh_graph():
        with v1.variable_scope("model"):
            drive("dynamic_rnn", make_cells("dynamic_rnn", cell), _inputs())
        with v1.variable_scope("model"):
            try:
                drive("dynamic_rnn", make_cells("dynamic_rnn", cell), _inputs())
            except ValueError as error:
                message = str(error)
    first_line = message.strip().splitlines()[0] if message else None
    observe("error_first_line", first_line)
    expected = f"Variable {first_name} already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?"
    assert_equal(first_line, expected, what="ValueError's first line", call=call)


def _first_call_outcome(body: Callable[[], Any]) -> list[str]:
    """``["ok", ""]`` when ``tf.function(body)()`` works, else the error type and the last line of its message."""
    try:
        tf.function(body)()
    except Exception as error:  # noqa: BLE001 - the error TF raises is what the check pins
        return [type(error).__name__, str(error).strip().splitlines()[-1].strip()]
    return ["ok", ""]


def _inside_function_outcomes() -> dict[str, list[str]]:
    with fresh_eager():
        return _function_outcomes()


def _function_outcomes() -> dict[str, list[str]]:
    x = tf.constant(np.ones((2, 3, 4), np.float32))
    outside = v1.nn.rnn_cell.GRUCell(3)

    def inside_dynamic_rnn() -> Any:
        return v1.nn.dynamic_rnn(v1.nn.rnn_cell.GRUCell(3), x, dtype=tf.float32)[0]

    def inside_cell_call() -> Any:
        cell = v1.nn.rnn_cell.GRUCell(3)
        return cell(x[:, 0], cell.zero_state(2, tf.float32))[0]

    def outside_dynamic_rnn() -> Any:
        return v1.nn.dynamic_rnn(outside, x, dtype=tf.float32, scope="outside")[0]

    return {body.__name__: _first_call_outcome(body) for body in (inside_dynamic_rnn, inside_cell_call, outside_dynamic_rnn)}


INSIDE_FUNCTION_OUTCOMES = {
    # tf.function traces again after the first trace created variables; the retrace asks the variable store
    # for the same names, and TF's "already exists" error path itself fails on a symbolic tensor's .op.
    "inside_dynamic_rnn": ["AttributeError", "Tensor.op is undefined when eager execution is enabled"],
    "inside_cell_call": ["ValueError", "tf.function only supports singleton tf.Variables created on the first call"],
    "outside_dynamic_rnn": ["ok", ""],
}


@check(mode=("function",))
def check_cell_constructed_inside_tf_function_fails_on_the_first_call(mode: str) -> None:
    """A GRUCell constructed inside a tf.function fails on its first call, even on a fresh default graph; one constructed outside works."""
    outcomes = _inside_function_outcomes()
    call = "tf.function(lambda: dynamic_rnn(GRUCell(3), x))() etc. after tf.compat.v1.reset_default_graph()"
    observe("outcomes", outcomes)
    for name, (error_type, phrase) in INSIDE_FUNCTION_OUTCOMES.items():
        got_type, got_message = outcomes[name]
        assert_equal(
            (got_type, phrase in got_message), (error_type, True), what=f"{name}: (error type, message contains {phrase!r})", call=call
        )


@check(mode=("eager",))
def check_eager_cells_ignore_scope_reuse_and_never_collide(mode: str) -> None:
    """Eagerly, a new cell under `reuse=True` gets new variables named like the first cell's; without reuse, no "already exists" error."""
    x = _inputs()
    with fresh_eager(0):
        first, reusing, plain = (lstm(3).make() for _ in range(3))
        with v1.variable_scope("model"):
            drive("dynamic_rnn", (first,), x)
        with v1.variable_scope("model", reuse=True):
            drive("dynamic_rnn", (reusing,), x)
        with v1.variable_scope("model"):
            drive("dynamic_rnn", (plain,), x)
    call = "dynamic_rnn(LSTMCell(3)) in variable_scope('model'), then new cells with reuse=True and without reuse, eager mode"
    names = [[v.name for v in cell.variables] for cell in (first, reusing, plain)]
    observe("variable_names_per_cell", names)
    expected = ["model/rnn/lstm_cell/kernel:0", "model/rnn/lstm_cell/bias:0"]
    assert_equal(names, [expected] * 3, what="each cell's variable names", call=call)
    for label, cell in (("reuse=True", reusing), ("no reuse", plain)):
        same = [new is old for new, old in zip(cell.variables, first.variables, strict=True)]
        assert_equal(same, [False, False], what=f"{label} cell's variables are the first cell's objects", call=call)
        assert_not_close(
            cell.variables[0].numpy(), first.variables[0].numpy(), what=f"{label} cell's kernel vs the first cell's", call=call
        )

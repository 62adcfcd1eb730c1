"""The names and shapes of the variables TF1 cells create (`cell_N`, driver scopes), and how Saver checkpoints key them.

Expected names come from the plain table in :mod:`tf_rnn_checks.variable_names`. The cross of every cell with
every driver is built graph-only (names do not depend on the mode; building without a session keeps it cheap),
and one deep stack checks the same names in eager and tf.function. `tf.compat.v1.train.Saver` checkpoints
exist only in graph mode, so the checkpoint checks are graph-only. That a checkpoint restores every variable into an
equivalent construction is :func:`tf_rnn_checks.checks.cell_contract.check_checkpoint_round_trip_into_fresh_graph`'s.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_equal, assert_true
from tf_rnn_checks.cells import basic_rnn, gru, lstm, multi
from tf_rnn_checks.drivers import DRIVERS, drive, make_cells
from tf_rnn_checks.matrix import ALL_CELLS
from tf_rnn_checks.modes import fresh_graph, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import BATCH, INPUT_SIZE, TIME_STEPS
from tf_rnn_checks.tf_import import tf, v1
from tf_rnn_checks.variable_names import expected_inventory

DEEP_CELL = multi(lstm(3, use_peepholes=True, num_proj=2), gru(3))


def _inputs(size: int = INPUT_SIZE, time: int = TIME_STEPS) -> np.ndarray:
    return sizes.inputs(size=size, time=time)


def _graph_inventory(build: Callable[[], Any]) -> dict[str, tuple[int, ...]]:
    """``{name: shape}`` of the variables ``build()`` creates in a fresh graph (no session)."""
    return run("graph", lambda: None, lambda _: build(), evaluate=False).inventory


def _shown(inventory: dict[str, tuple[int, ...]]) -> dict[str, list[int]]:
    return {name: list(shape) for name, shape in inventory.items()}


@check(
    covers=("BasicRNNCell.num_units", "GRUCell.num_units", "LSTMCell.num_units", "BasicLSTMCell.num_units", "MultiRNNCell.cells"),
    cell=ALL_CELLS,
    driver=DRIVERS,
)
def check_variable_names_and_shapes(cell, driver: str) -> None:
    """Each cell under each driver creates exactly the TF1 names and shapes (`rnn/`, `fw|bw/`, `multi_rnn_cell/cell_N/`, kernels)."""
    inventory = _graph_inventory(lambda: drive(driver, make_cells(driver, cell), _inputs()))
    observe("inventory", _shown(inventory))
    expected = expected_inventory(cell, INPUT_SIZE, driver)
    assert_equal(
        inventory, expected, what="variables {name: shape}", call=f"{driver}({cell}, inputs[{BATCH},{TIME_STEPS},{INPUT_SIZE}]), graph mode"
    )


# Modes use different variable stores (graph collections vs layer-owned eager variables); drivers add the
# scopes. One stack with every kind of variable (LSTM peepholes + projection, GRU gates/candidate, cell_N)
# shows the names do not depend on the mode.
@check(driver=DRIVERS, mode=("eager", "function"))
def check_variable_names_are_the_same_in_eager_and_function(driver: str, mode: str) -> None:
    """Eager and tf.function create the same variable names and shapes as a TF1 graph, driver scopes and `cell_N` included."""
    result = run(mode, lambda: make_cells(driver, DEEP_CELL), lambda cells: drive(driver, cells, _inputs()))
    observe("inventory", _shown(result.inventory))
    assert_equal(
        result.inventory,
        expected_inventory(DEEP_CELL, INPUT_SIZE, driver),
        what="variables {name: shape}",
        call=f"{driver}({DEEP_CELL}), {mode} mode",
    )


SEED_003 = [
    ("rnn/multi_rnn_cell/cell_0/basic_rnn_cell/kernel:0", (126, 100)),
    ("rnn/multi_rnn_cell/cell_0/basic_rnn_cell/bias:0", (100,)),
    ("rnn/multi_rnn_cell/cell_1/basic_rnn_cell/kernel:0", (200, 100)),
    ("rnn/multi_rnn_cell/cell_1/basic_rnn_cell/bias:0", (100,)),
    ("rnn/multi_rnn_cell/cell_2/basic_rnn_cell/kernel:0", (200, 100)),
    ("rnn/multi_rnn_cell/cell_2/basic_rnn_cell/bias:0", (100,)),
]


@check(mode=("graph", "eager", "function"))
def check_three_stacked_basic_rnn_cells_are_three_layers_not_three_steps(mode: str) -> None:
    """3 stacked BasicRNNCell(100) on 26 inputs give `cell_0` (126, 100), `cell_1`/`cell_2` (200, 100): per layer, not per step."""
    stack = multi(basic_rnn(100), basic_rnn(100), basic_rnn(100))
    result = run(mode, lambda: make_cells("dynamic_rnn", stack), lambda cells: drive("dynamic_rnn", cells, _inputs(26, 3)))
    created = [(v.name, v.shape) for v in result.variables]
    observe("variables_in_creation_order", [[name, list(shape)] for name, shape in created])
    assert_equal(
        created,
        SEED_003,
        what="variables [(name, shape)] in creation order",
        call=f"dynamic_rnn(MultiRNNCell([BasicRNNCell(100)] x3 distinct), inputs[{BATCH},3,26]), {mode} mode",
    )


@dataclass(frozen=True)
class ScopeCase:
    """Where a driver runs: its own ``scope=`` and/or inside user ``variable_scope``s."""

    label: str
    scope: str | None
    outer: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.label


SCOPE_CASES = (
    ScopeCase("scope='encoder'", "encoder"),
    ScopeCase("inside variable_scope('user')/('layer')", None, ("user", "layer")),
    ScopeCase("scope='encoder' inside variable_scope('user')", "encoder", ("user",)),
)


def _in_scopes(names: tuple[str, ...], body: Callable[[], Any]) -> Any:
    if not names:
        return body()
    with v1.variable_scope(names[0]):
        return _in_scopes(names[1:], body)


# Scopes only prefix names, identically for every cell type, so one cell runs over drivers x scope cases.
@check(
    covers=("dynamic_rnn.scope", "static_rnn.scope", "bidirectional_dynamic_rnn.scope", "static_bidirectional_rnn.scope"),
    driver=DRIVERS,
    where=SCOPE_CASES,
)
def check_custom_and_user_scopes_prefix_every_name(driver: str, where: ScopeCase) -> None:
    """A driver's `scope=` replaces its default scope (`rnn`, `bidirectional_rnn`); enclosing user scopes prefix every name."""
    cell = lstm(3)
    inventory = _graph_inventory(
        lambda: _in_scopes(where.outer, lambda: drive(driver, make_cells(driver, cell), _inputs(), scope=where.scope))
    )
    observe("inventory", _shown(inventory))
    outer = "".join(f"{name}/" for name in where.outer)
    expected = expected_inventory(cell, INPUT_SIZE, driver, scope=where.scope, outer=outer)
    assert_equal(inventory, expected, what="variables {name: shape}", call=f"{driver}({cell}) {where}, graph mode")


def _save(make_and_drive: Callable[[], Any], path: str, seed: int) -> tuple[str, dict[str, np.ndarray], np.ndarray]:
    """Build, initialize with graph seed ``seed``, save; return (checkpoint, {path: value}, outputs)."""
    with fresh_graph(seed) as graph:
        outputs = make_and_drive()
        graph.initialize()
        return graph.save(path), graph.values(), graph.evaluate(outputs)


def _restore(
    make_and_drive: Callable[[], Any], checkpoint: str, seed: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Build, initialize with ``seed``, restore ``checkpoint``; return (fresh values, restored values, outputs)."""
    with fresh_graph(seed) as graph:
        outputs = make_and_drive()
        graph.initialize()
        fresh = graph.values()
        graph.restore(checkpoint)
        return fresh, graph.values(), graph.evaluate(outputs)


# Checkpoint keys come from variable names; the driver is what changes them (fw/bw, rnn), the cell only adds
# its own suffixes, already pinned above. One deep stack over every driver.
@check(driver=DRIVERS)
def check_saver_checkpoint_keys_are_the_variable_names(driver: str) -> None:
    """A Saver checkpoint read with `tf.train.list_variables` holds exactly the variable names (no `:0`) and shapes (graph-only)."""
    call = f"Saver().save of {driver}({DEEP_CELL}); tf.train.list_variables, graph mode"
    with tempfile.TemporaryDirectory() as directory:
        checkpoint, _, _ = _save(lambda: drive(driver, make_cells(driver, DEEP_CELL), _inputs()), os.path.join(directory, "model"), seed=1)
        stored = {name: tuple(shape) for name, shape in tf.train.list_variables(checkpoint)}
    observe("checkpoint_keys", _shown(stored))
    expected = {name.rsplit(":", 1)[0]: shape for name, shape in expected_inventory(DEEP_CELL, INPUT_SIZE, driver).items()}
    assert_equal(stored, expected, what="checkpoint {key: shape}", call=call)


@check()
def check_checkpoint_does_not_restore_into_a_renamed_scope() -> None:
    """Restoring a scope='encoder' checkpoint under scope='decoder' raises NotFoundError: key `decoder/...` not found (graph-only)."""
    cell = lstm(3)
    call = "Saver().restore of a scope='encoder' checkpoint into dynamic_rnn(LSTMCell(3), scope='decoder'), graph mode"
    with tempfile.TemporaryDirectory() as directory:
        checkpoint, _, _ = _save(
            lambda: drive("dynamic_rnn", make_cells("dynamic_rnn", cell), _inputs(), scope="encoder"),
            os.path.join(directory, "model"),
            seed=1,
        )
        try:
            _restore(lambda: drive("dynamic_rnn", make_cells("dynamic_rnn", cell), _inputs(), scope="decoder"), checkpoint, seed=2)
        except tf.errors.NotFoundError as error:
            message = str(error)
        else:
            message = None
    assert_true(
        message is not None, what="restore into scope 'decoder'", observed="no error", expected="tf.errors.NotFoundError", call=call
    )
    key_line = next((line.strip() for line in message.splitlines() if "not found in checkpoint" in line), None)
    observe("error_key_line", key_line)
    assert_true(
        key_line is not None and key_line.startswith("Key decoder/lstm_cell/"),
        what="error line with 'not found in checkpoint'",
        observed=key_line,
        expected="Key decoder/lstm_cell/<kernel|bias> not found in checkpoint",
        call=call,
    )


@check()
def check_from_config_turns_the_keras_layer_name_into_the_variable_scope() -> None:
    """`from_config(get_config())` puts a legacy cell's variables under its unique Keras name (`lstm_cell_2`), not `lstm_cell`."""
    x = _inputs()
    with fresh_graph():
        first, second = lstm(3).make(), lstm(3).make()
        drive("dynamic_rnn", (first,), x, scope="a")
        drive("dynamic_rnn", (second,), x, scope="b")
        originals = sorted(v.name for v in v1.global_variables() if v.name.startswith("b/"))
        config = second.get_config()
    clone = _graph_inventory(lambda: drive("dynamic_rnn", (type(second).from_config(config),), x, scope="b"))
    call = (
        "LSTMCell.from_config(cell.get_config()) of the second LSTMCell(3) built in a graph, run by dynamic_rnn(scope='b') in a new graph"
    )
    observe("layer_names", [first.name, second.name])
    observe("original_variables", originals)
    observe("clone_variables", sorted(clone))
    assert_equal(originals, ["b/lstm_cell/bias:0", "b/lstm_cell/kernel:0"], what="the original cell's variables", call=call)
    assert_equal(config["name"], second.name, what="get_config()['name']", call=call)
    assert_true(
        config["name"] != "lstm_cell",
        what="get_config()['name']",
        observed=config["name"],
        expected="a uniquified name such as 'lstm_cell_2'",
        call=call,
    )
    assert_equal(sorted(clone), [f"b/{config['name']}/bias:0", f"b/{config['name']}/kernel:0"], what="the clone's variables", call=call)

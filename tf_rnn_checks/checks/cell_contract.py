"""The contract every well-behaved TF1 RNNCell keeps: scopes, initializers, sharing, state, drivers, checkpoints.

These checks are generic (``@check(any_cell=True)``): they read sizes from the built TF cell
(``output_size``, ``state_size``), never from the spec, so ``check_cell`` and
``parametrize_with_checks`` run them on users' own cells. Here their ``cell`` axis is a representative
subset of the built-in cells (:data:`tf_rnn_checks.matrix.CONTRACT_CELLS`), plus, where a family pinned the same
property further, those cases as extra values of that axis: built-in cells under another driver or in another mode
(:func:`tf_rnn_checks.matrix.under`). Each property here is pinned by this one check, for the suite and for users' cells.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, assert_true, error_bound
from tf_rnn_checks.cells import CellSpec, gru, lstm
from tf_rnn_checks.drivers import DRIVERS, drive, make_cells, make_stacked_twice
from tf_rnn_checks.matrix import CONTRACT_CELLS, DEEP_CELL, MODES, under
from tf_rnn_checks.modes import RunResult, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import BATCH, INPUT_SIZE, TIME_STEPS, seeded_values
from tf_rnn_checks.tf_import import tf, v1
from tf_rnn_checks.variable_names import driver_prefixes, expected_variables, is_bias, matches_name_pattern

GRAPH_AND_EAGER = ("graph", "eager")
USER_SCOPE = "my_scope"
OUTER_INITIAL_VALUE = 0.5
INNER_INITIAL_VALUE = 0.375
ARGUMENT_INITIAL_VALUE = 0.25
PLAIN_SCOPES = ("plain0", "plain1")  # between the initializer's scope and the driver: inheritance goes through them
SHIFT = 0.5  # added to every variable to show both driver calls read the same ones
LENGTHS = np.array([TIME_STEPS, TIME_STEPS - 1], dtype=np.int32)  # one full row, one padded row


def _inputs(seed: int = 0, size: int = INPUT_SIZE) -> np.ndarray:
    return sizes.inputs(seed=seed, size=size)


def _driver(cell: Any) -> str:
    """The driver a case runs under: a :class:`~tf_rnn_checks.matrix.DrivenCell`'s, else (users' cells) ``dynamic_rnn``."""
    return getattr(cell, "driver", "dynamic_rnn")


def _own_mode(cell: Any) -> str:
    """The mode of a case of a check without a mode axis: a :class:`~tf_rnn_checks.matrix.DrivenCell`'s, else graph."""
    return getattr(cell, "mode", None) or "graph"


def _call(driver: str, cell: Any, mode: str, extra: str = "") -> str:
    return f"{driver}({cell}, inputs[{BATCH},{TIME_STEPS},{INPUT_SIZE}]{extra}) in {mode} mode"


def _run(
    mode: str,
    cell: Any,
    driver: str = "dynamic_rnn",
    *,
    calls: int = 1,
    sequence_length: np.ndarray | None = None,
    randomize: bool | Callable[[int, tuple[int, ...], Any], np.ndarray] = True,
    seed: int = 0,
    save_to: str | None = None,
    restore_from: str | None = None,
    reassign: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]] | None = None,
    **overrides: Any,
) -> RunResult:
    """``driver`` over the fixed inputs, ``calls`` times with the same cell objects, with seeded variable values (``randomize``)."""

    def call(cells: tuple[Any, ...]) -> Any:
        results = tuple(drive(driver, cells, _inputs(), sequence_length=sequence_length) for _ in range(calls))
        return results[0] if calls == 1 else results

    values = seeded_values(1) if randomize is True else (randomize or None)
    return run(
        mode,
        lambda: make_cells(driver, cell, **overrides),
        call,
        randomize=values,
        seed=seed,
        reassign=reassign,
        save_to=save_to,
        restore_from=restore_from,
    )


def _run_keeping_cell(mode: str, cell: Any, call: Any, **options: Any) -> tuple[RunResult, Any]:
    """``run`` with ``make_cells("dynamic_rnn", cell)``; also returns the TF cell object it built (sizes are read from it)."""
    made: list[Any] = []

    def make() -> tuple[Any, ...]:
        made.extend(make_cells("dynamic_rnn", cell))
        return tuple(made)

    result = run(mode, make, call, **options)
    return result, made[0]


def _created(result: RunResult) -> list[tuple[str, tuple[int, ...]]]:
    """Every variable creation in order, duplicates kept (an eager cell may create same-named variables per step)."""
    return [(v.path, v.shape) for v in result.variables]


def _weights_following_initializers(cell: Any, result: RunResult) -> dict[str, np.ndarray]:
    """``{path: initial value}`` of the non-bias variables, less those the cell declares keep their own initializer."""
    own = getattr(cell, "own_initializer", ())
    return {v.path: v.initial for v in result.variables if not is_bias(v.path) and not matches_name_pattern(v.path, own)}


def _assert_own_initializer_patterns_match(cell: Any, result: RunResult, call: str) -> None:
    """Every ``own_initializer`` pattern names at least one variable (a stale or misspelt one would exempt nothing)."""
    __tracebackhide__ = True
    stale = [
        pattern
        for pattern in getattr(cell, "own_initializer", ())
        if not any(matches_name_pattern(v.path, [pattern]) for v in result.variables)
    ]
    assert_equal(stale, [], what="own_initializer patterns that match no variable", call=call)


def _sizes(size: Any) -> list[int]:
    return tf.TensorShape(size).as_list()


def _assert_structures_close(observed: Any, expected: Any, *, what: str, call: str, leaf: str = "tensor") -> tuple[float, float]:
    """Equal leaf counts, then every leaf within tolerance; returns (largest absolute difference, largest bound accepted)."""
    __tracebackhide__ = True
    observed_leaves, expected_leaves = tf.nest.flatten(observed), tf.nest.flatten(expected)
    assert_equal(len(observed_leaves), len(expected_leaves), what=f"{what}: number of {leaf}s", call=call)
    worst, bound = 0.0, 0.0
    for index, (got, want) in enumerate(zip(observed_leaves, expected_leaves, strict=True)):
        assert_close(got, want, what=f"{what} [{leaf} {index}]", call=call)
        difference = np.abs(np.asarray(got, np.float64) - np.asarray(want, np.float64))
        worst, bound = max(worst, float(np.max(difference, initial=0.0))), max(bound, error_bound(want))
    return worst, bound


def _assert_states_close(observed: Any, expected: Any, *, what: str, call: str) -> tuple[float, float]:
    __tracebackhide__ = True
    return _assert_structures_close(observed, expected, what=what, call=call, leaf="state tensor")


def _assert_outputs_close(observed: Any, expected: Any, *, what: str, call: str) -> tuple[float, float]:
    __tracebackhide__ = True
    return _assert_structures_close(observed, expected, what=what, call=call, leaf="output tensor")


# Not in function mode: check_variables_and_outputs_match_graph_mode pins that tf.function names every variable as
# the graph does, so a third run here would add time, not coverage. The same holds for the declared sizes below.
@check(cell=CONTRACT_CELLS, mode=GRAPH_AND_EAGER, any_cell=True)
def check_variables_created_under_driver_scope(cell, mode: str) -> None:
    """Every variable a cell creates under `dynamic_rnn` is named `rnn/...`, and `my_scope/rnn/...` inside `variable_scope("my_scope")`."""
    default = _run(mode, cell, randomize=False)

    def scoped(cells: tuple[Any, ...]) -> Any:
        with v1.variable_scope(USER_SCOPE):
            return drive("dynamic_rnn", cells, _inputs())

    user = run(mode, lambda: make_cells("dynamic_rnn", cell), scoped)
    names = [v.path for v in default.variables]
    user_names = [v.path for v in user.variables]
    observe("variables", names)
    observe("variables_in_user_scope", user_names)
    call = _call("dynamic_rnn", cell, mode)
    assert_true(bool(names), what="variables created", observed=names, expected="at least one variable", call=call)
    assert_equal([n for n in names if not n.startswith("rnn/")], [], what="variables outside the driver scope 'rnn/'", call=call)
    user_call = f"variable_scope({USER_SCOPE!r}): {call}"
    prefix = f"{USER_SCOPE}/rnn/"
    assert_equal(
        [n for n in user_names if not n.startswith(prefix)], [], what=f"variables outside the user scope {prefix!r}", call=user_call
    )
    assert_equal(
        [n[len(USER_SCOPE) + 1 :] for n in user_names], names, what=f"variable names under {USER_SCOPE}/ without the prefix", call=user_call
    )


# The cell decides which weights exist (CONTRACT_CELLS: every kind); the driver adds scopes (fw/bw, cell_N below them)
# and the mode the variable store: one stack with every kind of weight runs under each driver, the modes dealt out in turn.
OUTER_SCOPE_CELLS = CONTRACT_CELLS + tuple(
    under(driver, DEEP_CELL, mode) for driver, mode in zip(DRIVERS, ("graph", "eager", "function", "graph", "eager"), strict=True)
)


@check(cell=OUTER_SCOPE_CELLS, any_cell=True)
def check_outer_scope_initializer_reaches_weights(cell) -> None:
    """An initializer set on a `variable_scope` two plain scopes above the driver gives every non-bias variable of the cell its value, through fw/bw and `cell_N` scopes, under every driver and in every mode."""
    if not getattr(cell, "inherits_initializer", True):
        pytest.skip(
            f"{cell} declares that it sets its own initializers (inherits_initializer=False); to enable, leave the "
            "weights' initializer=None so they inherit the scope's and pass custom_cell(..., inherits_initializer=True), "
            "naming any that keep their own with own_initializer=('ln_gamma', ...)"
        )

    driver, mode = _driver(cell), _own_mode(cell)

    def call(cells: tuple[Any, ...]) -> Any:
        with v1.variable_scope("outer", initializer=v1.constant_initializer(OUTER_INITIAL_VALUE)):
            with v1.variable_scope(PLAIN_SCOPES[0]), v1.variable_scope(PLAIN_SCOPES[1]):
                return drive(driver, cells, _inputs())

    result = run(mode, lambda: make_cells(driver, cell), call)
    observe("weights_initial_first_value", {v.path: float(v.initial.flat[0]) for v in result.variables if not is_bias(v.path)})
    weights = _weights_following_initializers(cell, result)
    scopes = "/".join(PLAIN_SCOPES)
    text = f"variable_scope('outer', initializer=constant_initializer({OUTER_INITIAL_VALUE}))/{scopes}: {_call(driver, cell, mode)}"
    _assert_own_initializer_patterns_match(cell, result, text)
    assert_true(bool(weights), what="non-bias variables", observed=[v.path for v in result.variables], expected="at least one", call=text)
    missed = sorted(path for path, value in weights.items() if not np.all(value == OUTER_INITIAL_VALUE))
    assert_equal(missed, [], what=f"non-bias variables not initialised to the outer scope's {OUTER_INITIAL_VALUE}", call=text)


# The built-in cells with an initializer argument (LSTMCell's initializer=, GRUCell's kernel_initializer=) also run
# eagerly and under tf.function, whose variable stores differ from the graph's; the others skip.
INITIALIZER_ARGUMENT_CELLS = CONTRACT_CELLS + (
    under("dynamic_rnn", gru(3), "eager"),
    under("dynamic_rnn", lstm(3, use_peepholes=True, num_proj=2), "function"),
)


@check(covers=("LSTMCell.initializer", "GRUCell.kernel_initializer"), cell=INITIALIZER_ARGUMENT_CELLS, any_cell=True)
def check_initializer_argument_reaches_weights(cell) -> None:
    """The cell's initializer argument (LSTMCell's `initializer=`, GRUCell's `kernel_initializer=`) sets every non-bias variable, over the initializers of every enclosing `variable_scope`."""
    argument = getattr(cell, "initializer_argument", None)
    if argument is None:
        pytest.skip(
            f"{cell} has no initializer argument declared; to enable, pass custom_cell(make_cell, initializer_argument='<keyword>') "
            "naming the factory keyword that takes an initializer"
        )

    driver, mode = _driver(cell), _own_mode(cell)

    def call(cells: tuple[Any, ...]) -> Any:
        with v1.variable_scope("outer", initializer=v1.constant_initializer(OUTER_INITIAL_VALUE)):
            with v1.variable_scope("inner", initializer=v1.constant_initializer(INNER_INITIAL_VALUE)):
                return drive(driver, cells, _inputs())

    overrides = {argument: v1.constant_initializer(ARGUMENT_INITIAL_VALUE)}
    result = run(mode, lambda: make_cells(driver, cell, **overrides), call)
    observe("weights_initial_first_value", {v.path: float(v.initial.flat[0]) for v in result.variables if not is_bias(v.path)})
    weights = _weights_following_initializers(cell, result)
    text = (
        f"make({argument}=constant_initializer({ARGUMENT_INITIAL_VALUE})) under outer({OUTER_INITIAL_VALUE})/inner({INNER_INITIAL_VALUE}) "
        f"scope initializers: {_call(driver, cell, mode)}"
    )
    _assert_own_initializer_patterns_match(cell, result, text)
    assert_true(bool(weights), what="non-bias variables", observed=[v.path for v in result.variables], expected="at least one", call=text)
    missed = sorted(path for path, value in weights.items() if not np.all(value == ARGUMENT_INITIAL_VALUE))
    assert_equal(missed, [], what=f"non-bias variables not initialised to {argument}'s {ARGUMENT_INITIAL_VALUE}", call=text)


# How a driver reuses the cells' variables does not depend on the cell: one LSTM runs under the other drivers.
SECOND_CALL_CELLS = CONTRACT_CELLS + tuple(under(driver, lstm(3)) for driver in DRIVERS if driver != "dynamic_rnn")


@check(cell=SECOND_CALL_CELLS, mode=MODES, any_cell=True)
def check_second_call_reuses_variables(cell, mode: str) -> None:
    """A second driver call with the same cell objects creates no new variables and reads the same ones: identical outputs and states, also after every variable is shifted."""
    driver = _driver(cell)
    once = _run(mode, cell, driver)
    twice = _run(mode, cell, driver, calls=2, reassign=lambda values: {path: value + SHIFT for path, value in values.items()})
    observe("variables_after_two_calls", [v.path for v in twice.variables])
    call = f"two calls of {_call(driver, cell, mode)} with the same cell objects, then every variable += {SHIFT}"
    twice_names, once_names = [v.path for v in twice.variables], [v.path for v in once.variables]
    assert_equal(len(twice_names), len(once_names), what="number of variables created by two calls vs one", call=call)
    assert_equal(twice_names, once_names, what="variables created by two calls vs one", call=call)
    (first_outputs, first_state), (second_outputs, second_state) = twice.outputs
    _assert_outputs_close(second_outputs, first_outputs, what="second call's outputs vs the first call's", call=call)
    _assert_states_close(second_state, first_state, what="second call's final state vs the first call's", call=call)
    (shifted_first, shifted_first_state), (shifted_second, shifted_second_state) = twice.reassigned_outputs
    for index, (after, before) in enumerate(zip(tf.nest.flatten(shifted_first), tf.nest.flatten(first_outputs), strict=True)):
        assert_not_close(after, before, what=f"first call's outputs after the shift vs before [output tensor {index}]", call=call)
    _assert_outputs_close(shifted_second, shifted_first, what="second call's outputs vs the first call's after the shift", call=call)
    _assert_states_close(
        shifted_second_state, shifted_first_state, what="second call's final state vs the first call's after the shift", call=call
    )


@check(cell=CONTRACT_CELLS, mode=GRAPH_AND_EAGER, any_cell=True)
def check_zero_state_and_outputs_match_declared_sizes(cell, mode: str) -> None:
    """`zero_state(batch)` and the final state are zeros/arrays structured like `state_size`, and outputs are [batch, time, output_size]."""

    def call(cells: tuple[Any, ...]) -> Any:
        outputs, final = drive("dynamic_rnn", cells, _inputs())
        return cells[0].zero_state(BATCH, tf.float32), outputs, final

    result, tf_cell = _run_keeping_cell(mode, cell, call)
    zero, outputs, final = result.outputs
    state_size, output_size = tf_cell.state_size, tf_cell.output_size
    expected_state = tf.nest.map_structure(lambda size: (BATCH, *_sizes(size)), state_size)
    expected_outputs = [(BATCH, TIME_STEPS, *_sizes(size)) for size in tf.nest.flatten(output_size)]
    observe("state_size", repr(state_size))
    observe("output_size", repr(output_size))
    call = _call("dynamic_rnn", cell, mode)
    zero_call = f"{cell}.zero_state({BATCH}, float32) in {mode} mode"
    assert_equal(
        tf.nest.map_structure(np.shape, zero), expected_state, what="zero_state shapes (structured like state_size)", call=zero_call
    )
    nonzero = [i for i, leaf in enumerate(tf.nest.flatten(zero)) if np.any(leaf != 0)]
    assert_equal(nonzero, [], what="zero_state tensors that are not all zeros", call=zero_call)
    assert_equal(
        [str(np.asarray(leaf).dtype) for leaf in tf.nest.flatten(zero)],
        ["float32"] * len(tf.nest.flatten(zero)),
        what="zero_state dtypes",
        call=zero_call,
    )
    assert_equal(tf.nest.map_structure(np.shape, final), expected_state, what="final state shapes (structured like state_size)", call=call)
    assert_equal(
        [np.shape(o) for o in tf.nest.flatten(outputs)], expected_outputs, what="outputs shapes ([batch, time] + output_size)", call=call
    )


@check(cell=CONTRACT_CELLS, mode=MODES, any_cell=True)
def check_static_rnn_matches_dynamic_rnn(cell, mode: str) -> None:
    """`static_rnn` creates the variables `dynamic_rnn` does and, on the same weights and lengths, gives the same outputs and state."""
    dynamic = _run(mode, cell, "dynamic_rnn", sequence_length=LENGTHS)
    static = _run(mode, cell, "static_rnn", sequence_length=LENGTHS)
    observe("static_rnn_variables", [v.path for v in static.variables])
    call = f"static_rnn vs {_call('dynamic_rnn', cell, mode, f', sequence_length={LENGTHS.tolist()}')}"
    assert_equal(_created(static), _created(dynamic), what="static_rnn's variables [(name, shape)] vs dynamic_rnn's", call=call)
    outputs = _assert_outputs_close(static.outputs[0], dynamic.outputs[0], what="static_rnn outputs vs dynamic_rnn outputs", call=call)
    state = _assert_states_close(static.outputs[1], dynamic.outputs[1], what="static_rnn final state vs dynamic_rnn's", call=call)
    observe("max_abs_difference", max(outputs[0], state[0]), within=max(outputs[1], state[1]))


@check(cell=CONTRACT_CELLS, any_cell=True)
def check_checkpoint_round_trip_into_fresh_graph(cell) -> None:
    """A `tf.compat.v1.train.Saver` checkpoint of the cell, restored into a freshly built graph, restores every variable's value and so its outputs."""
    with tempfile.TemporaryDirectory() as directory:
        path = str(Path(directory) / "cell.ckpt")
        saved = _run("graph", cell, seed=1, randomize=seeded_values(3), save_to=path)
        stored = sorted(name for name, _ in tf.train.list_variables(path))
        restored = _run("graph", cell, seed=2, randomize=False, restore_from=path)
    observe("checkpoint_names", stored)
    call = f"Saver().save, then restore into a fresh graph: {_call('dynamic_rnn', cell, 'graph')}"
    assert_equal(stored, sorted({v.path for v in saved.variables}), what="checkpoint keys vs the variables the cell created", call=call)
    saved_values, restored_values = saved.values(), restored.values()
    assert_equal(sorted(restored_values), sorted(saved_values), what="restored variables vs saved", call=call)
    for path, value in saved_values.items():
        assert_close(restored_values[path], value, what=f"restored {path} vs saved", call=call)
    _assert_outputs_close(restored.outputs[0], saved.outputs[0], what="outputs after restore vs before save", call=call)
    _assert_states_close(restored.outputs[1], saved.outputs[1], what="final state after restore vs before save", call=call)


def _shown(result: RunResult) -> dict[str, tuple[int, ...]]:
    """``{path: shape}`` of a run's variables, in creation order (paths as checkpoints store them)."""
    return {v.path: v.shape for v in result.variables}


def _declared_built_in(cell: Any, tf_cell: Any) -> CellSpec | None:
    """The built-in cell ``cell`` declares checkpoint compatibility with; a class name takes ``tf_cell``'s output size as units."""
    declared = getattr(cell, "checkpoint_compatible_with", None)
    if declared is None or isinstance(declared, CellSpec):
        return declared
    return CellSpec(declared, _sizes(tf_cell.output_size)[-1])


@check(cell=CONTRACT_CELLS, any_cell=True)
def check_variables_have_the_declared_built_in_cells_names_and_shapes(cell) -> None:
    """Under `dynamic_rnn` a cell creates exactly the variable names and shapes of the built-in cell it declares checkpoint compatibility with (graph)."""
    result, tf_cell = _run_keeping_cell("graph", cell, lambda cells: drive("dynamic_rnn", cells, _inputs()))
    landed = _shown(result)
    observe("variables_under_dynamic_rnn", {path: list(shape) for path, shape in landed.items()})
    built_in = _declared_built_in(cell, tf_cell)
    if built_in is None:
        pytest.skip(
            f"{cell}'s variables land at {landed}; to check them against a built-in cell's (so its checkpoints load), "
            "pass checkpoint_compatible_with='GRUCell' (or a spec such as lstm(3, num_proj=2))"
        )
    prefix = driver_prefixes("dynamic_rnn")[0]
    expected = {prefix + path: shape for path, shape in expected_variables(built_in, INPUT_SIZE).items()}
    call = f"{_call('dynamic_rnn', cell, 'graph')} vs {built_in}"
    assert_equal(landed, expected, what=f"variables {{path: shape}} vs {built_in}'s", call=call)


@check(cell=CONTRACT_CELLS, any_cell=True)
def check_stacked_copies_share_variables_as_declared(cell) -> None:
    """Two copies stacked in `MultiRNNCell([make(), make()])` share one set of variables exactly when the cell declares so (graph; built-in cells never do)."""

    def call(cells: tuple[Any, ...]) -> Any:
        return drive("dynamic_rnn", cells, _inputs(size=_sizes(cells[0].output_size)[-1]))  # a shared kernel needs equal widths

    one = _run("graph", cell, randomize=False)
    stacked = run("graph", make_stacked_twice(cell, same_object=False), call)
    share = len(stacked.variables) == len(one.variables)
    observe("stacked_copies_share", share)
    observe("stacked_variables", list(_shown(stacked)))
    found = f"one copy creates {len(one.variables)} variables, two stacked copies {len(stacked.variables)}: {list(_shown(stacked))}"
    declared = getattr(cell, "shares_when_stacked", None)
    if declared is None:
        pytest.skip(
            f"two stacked {cell} copies {'share' if share else 'do not share'} variables ({found}); "
            "to check it, pass shares_when_stacked=True or False (what your model relies on)"
        )
    call_text = f"dynamic_rnn(MultiRNNCell([{cell}, {cell}]), two new copies) in graph mode"
    assert_equal(share, declared, what=f"stacked copies share one set of variables ({found})", call=call_text)


def _relative_names(cell: Any, paths: list[str]) -> list[str]:
    """Variable paths relative to the cell's own scope (``rnn/lstm_cell/kernel`` -> ``kernel``); others unchanged."""
    try:
        scope = cell.scope_name
    except (AttributeError, ValueError):
        scope = None
    prefix = f"{scope}/" if scope else None
    return [path[len(prefix) :] if prefix and path.startswith(prefix) else path for path in paths]


@check(cell=CONTRACT_CELLS, mode=MODES, any_cell=True)
def check_outputs_match_numpy_reference(cell, mode: str) -> None:
    """`dynamic_rnn` outputs and final state equal the cell's NumPy step function run over the same inputs and weights."""
    step = getattr(cell, "reference", None)
    if step is None:
        pytest.skip(
            f"no NumPy reference for {cell}; to enable, pass custom_cell(make_cell, reference=step) with "
            "step(variables, x, state) -> (output, new_state)"
        )
    result, tf_cell = _run_keeping_cell(mode, cell, lambda cells: drive("dynamic_rnn", cells, _inputs()), randomize=seeded_values(1))
    names = _relative_names(tf_cell, [v.path for v in result.variables])
    variables = {name: v.initial for name, v in zip(names, result.variables, strict=True)}
    observe("reference_variables", sorted(variables))
    call = _call("dynamic_rnn", cell, mode) + " vs reference(variables, x, state)"
    inputs = _inputs()
    state = tf.nest.map_structure(lambda size: np.zeros((BATCH, *_sizes(size)), np.float32), tf_cell.state_size)
    outputs = []
    for time in range(TIME_STEPS):
        try:
            output, state = step(variables, inputs[:, time], state)
        except Exception as error:  # the user's step function: report what it was given
            assert_true(
                False,
                what=f"reference step at time {time}",
                observed=f"{type(error).__name__}: {error}",
                expected=f"(output, new_state) from variables {sorted(variables)}",
                call=call,
            )
        outputs.append(np.asarray(output))
    tf_outputs, tf_state = result.outputs
    reference_outputs = np.stack(outputs, axis=1)
    observe("max_abs_error", float(np.max(np.abs(reference_outputs - tf_outputs))) if reference_outputs.shape == tf_outputs.shape else None)
    assert_close(tf_outputs, reference_outputs, what="outputs vs the NumPy reference", call=call)
    _assert_states_close(tf_state, state, what="final state vs the NumPy reference", call=call)

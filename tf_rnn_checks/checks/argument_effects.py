"""What the arguments no other family exercises do, pinned by value: each against its default.

Issue 17 asks every argument of every public symbol the suite covers to have a check pinning its effect
(``@check(covers=...)``, held to the live signatures by ``tests/meta/test_argument_coverage.py``). The
arguments whose natural family already runs them are pinned there; this module holds the rest: a cell's
``name``, ``dtype``, ``reuse`` and ``activation`` (tuple state), ``LSTMCell``'s shard counts,
``MultiRNNCell(state_is_tuple=False)``, the drivers' ``dtype``, ``parallel_iterations`` and ``swap_memory``, and
the two drivers only ``api_surface`` pinned so far, ``raw_rnn`` and ``static_state_saving_rnn``.

Where two builds must see the same weights they run in one :func:`~tf_rnn_checks.modes.run` with values
seeded by position within each build (``_same_values``); variable names and errors that come from graph
construction are read from a ``tf.Graph`` without a session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks.assertions import assert_close, assert_equal, assert_true, observe_raised
from tf_rnn_checks.cells import CellSpec, basic_lstm, basic_rnn, gru, lstm
from tf_rnn_checks.checks._numeric_support import (
    LENGTHS,
    STATE_SEED,
    DriverCase,
    _seeded_state,
    assert_agrees,
    assert_differs,
    inputs,
    leaves,
    reference_drive,
    run_tf,
    run_tf_cached,
)
from tf_rnn_checks.matrix import MODES
from tf_rnn_checks.modes import fresh_graph, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import seeded_values
from tf_rnn_checks.tf_import import tf, v1
from tf_rnn_checks.variable_names import CELL_SCOPES

DTYPE = "float64"
ONE_OF_EACH: tuple[CellSpec, ...] = (basic_rnn(3), gru(3), lstm(3), basic_lstm(3))
CASE = DriverCase("dynamic_rnn", initial_state=True)


def _same_values(per_build: int, seed: int = 1) -> Callable[[int, tuple[int, ...], Any], np.ndarray]:
    """A ``randomize`` giving the k-th variable of every build of ``per_build`` variables the same seeded value."""
    values = seeded_values(seed)
    return lambda index, shape, dtype: values(index % per_build, shape, dtype)


def _graph_variables(build: Callable[[], Any]) -> tuple[dict[str, str], BaseException | None]:
    """``{variable name: dtype}`` of what ``build()`` created in a fresh graph (no session), and the error it raised, if any."""
    with fresh_graph() as graph:
        try:
            build()
            error = None
        except (TypeError, ValueError) as raised:
            error = raised
        return {v.name: v.dtype.base_dtype.name for v in graph.variables()}, error


def _dynamic(cell: Any, x: np.ndarray, **options: Any) -> tuple[Any, Any]:
    return v1.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.as_dtype(x.dtype), **options)


# --- the cells' name, dtype, reuse, activation and shards ---------------------------------------------------


@check(covers=("BasicRNNCell.name", "GRUCell.name", "LSTMCell.name", "BasicLSTMCell.name"), cell=ONE_OF_EACH, mode=MODES)
def check_cell_name_becomes_its_variable_scope(cell: CellSpec, mode: str) -> None:
    """A legacy cell's `name=` replaces its default variable scope (`basic_rnn_cell`, `gru_cell`, `lstm_cell`, `basic_lstm_cell`) in every variable name, e.g. `rnn/my_cell/kernel:0`."""
    x = inputs(DTYPE)
    result = run(
        mode,
        lambda: (cell.make(), cell.make(name="my_cell")),
        lambda cells: (_dynamic(cells[0], x, scope="default")[0], _dynamic(cells[1], x, scope="named")[0]),
    )
    names = list(result.inventory)
    observe("variables", names)
    default = [name for name in names if name.startswith("default/")]
    expected = [name.replace("default/", "named/", 1).replace(f"/{CELL_SCOPES[cell.kind]}/", "/my_cell/", 1) for name in default]
    call = f"dynamic_rnn({cell}, scope='default') and dynamic_rnn({cell.kind}(3, name='my_cell'), scope='named') in {mode} mode"
    assert_true(
        bool(default) and all(f"/{CELL_SCOPES[cell.kind]}/" in name for name in default),
        what="default variable names",
        observed=default,
        expected=f"names under default/{CELL_SCOPES[cell.kind]}/",
        call=call,
    )
    assert_equal(names[len(default) :], expected, what="variable names with name='my_cell'", call=call)


@check(covers=("BasicRNNCell.dtype", "GRUCell.dtype", "LSTMCell.dtype", "BasicLSTMCell.dtype"), cell=ONE_OF_EACH)
def check_cell_dtype_fixes_its_variables_dtype(cell: CellSpec) -> None:
    """A legacy cell built with `dtype=tf.float64` creates float64 variables whatever its inputs, so on float32 inputs dynamic_rnn raises TypeError "... has type float64 that does not match type float32 ..." (the default dtype=None follows the inputs; graph construction)."""
    x32 = inputs("float32")
    default, default_error = _graph_variables(lambda: _dynamic(cell.make(), x32))
    fixed, error = _graph_variables(lambda: _dynamic(cell.make(dtype=tf.float64), x32))
    call = f"dynamic_rnn({cell.kind}(3, dtype=tf.float64), float32 inputs, dtype=float32) in a tf.Graph"
    observe("variable_dtypes", {"default": sorted(set(default.values())), "dtype=float64": sorted(set(fixed.values()))})
    assert_equal(
        (sorted(set(default.values())), default_error), (["float32"], None), what="default cell: (variable dtypes, error)", call=call
    )
    assert_equal(sorted(set(fixed.values())), ["float64"], what="variable dtypes with dtype=float64", call=call)
    phrase = "has type float64 that does not match type float32"
    observe_raised("error", type(error).__name__, str(error), [phrase])
    assert_equal((type(error).__name__, phrase in str(error)), ("TypeError", True), what=f"(error type, contains {phrase!r})", call=call)


@check(covers=("BasicRNNCell.reuse", "GRUCell.reuse", "LSTMCell.reuse", "BasicLSTMCell.reuse"), cell=ONE_OF_EACH)
def check_cell_reuse_true_takes_the_existing_variables(cell: CellSpec) -> None:
    """A legacy cell built with `reuse=True` in a variable_scope that holds its variables creates none and gives the first cell's outputs, and raises ValueError "... does not exist, or was not created with tf.get_variable()" where none exist (graph mode; reuse=None refuses, pinned in weight_sharing)."""
    x = inputs("float32")

    def call(cells: tuple[Any, Any]) -> Any:
        outputs = []
        for made in cells:
            with v1.variable_scope("model"):
                outputs.append(_dynamic(made, x)[0])
        return tuple(outputs)

    result = run("graph", lambda: (cell.make(), cell.make(reuse=True)), call)
    text = f"dynamic_rnn({cell}) in variable_scope('model'), then dynamic_rnn({cell.kind}(3, reuse=True)) in it again, graph mode"
    observe("variables", list(result.inventory))
    assert_true(
        all(name.startswith(f"model/rnn/{CELL_SCOPES[cell.kind]}/") for name in result.inventory) and bool(result.inventory),
        what="variables created",
        observed=list(result.inventory),
        expected="only the first cell's",
        call=text,
    )
    first, second = result.outputs
    assert_true(np.array_equal(first, second), what="outputs of the reuse=True cell", observed=second, expected=first, call=text)
    _, error = _graph_variables(lambda: _dynamic(cell.make(reuse=True), x))
    phrase = "does not exist, or was not created with tf.get_variable()"
    observe_raised("error_without_variables", type(error).__name__, str(error), [phrase])
    assert_equal(
        (type(error).__name__, phrase in str(error)),
        ("ValueError", True),
        what=f"reuse=True in an empty scope: (error type, contains {phrase!r})",
        call=f"dynamic_rnn({cell.kind}(3, reuse=True)) in a fresh tf.Graph",
    )


SHARDED = lstm(3, num_proj=2, num_unit_shards=2, num_proj_shards=2)
SHARD_SHAPES = {
    # graph: kernel (4 + 2, 12) in two row blocks; projection/kernel (3, 2) in blocks of 2 and 1 rows
    "graph": {
        "rnn/lstm_cell/kernel/part_0": (3, 12),
        "rnn/lstm_cell/kernel/part_1": (3, 12),
        "rnn/lstm_cell/bias": (12,),
        "rnn/lstm_cell/projection/kernel/part_0": (2, 2),
        "rnn/lstm_cell/projection/kernel/part_1": (1, 2),
    },
    "eager": {"rnn/lstm_cell/kernel": (6, 12), "rnn/lstm_cell/bias": (12,), "rnn/lstm_cell/projection/kernel": (3, 2)},
}


def _joined(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Partitioned variables (``.../kernel/part_k``) as the one variable they split, row blocks concatenated in order."""
    joined: dict[str, list[np.ndarray]] = {}
    for path, value in values.items():
        joined.setdefault(path.split("/part_", 1)[0], []).append(value)
    return {path: np.concatenate(parts, axis=0) for path, parts in joined.items()}


@check(covers=("LSTMCell.num_unit_shards", "LSTMCell.num_proj_shards"), mode=("graph", "eager"))
def check_lstm_shards_split_the_kernels_in_a_graph_only(mode: str) -> None:
    """LSTMCell's `num_unit_shards` / `num_proj_shards` split `kernel` / `projection/kernel` into that many row blocks `.../part_k` in a TF1 graph and are ignored eagerly, the outputs being the unsplit cell's on the joined blocks (None, the default, keeps one variable each)."""
    result = run_tf(CASE, SHARDED, mode, DTYPE)
    call = f"dynamic_rnn({SHARDED}) in {mode} mode"
    shapes = {v.path: v.shape for v in result.variables}
    observe("variables", {path: list(shape) for path, shape in shapes.items()})
    assert_equal(shapes, SHARD_SHAPES[mode], what="variables {path: shape}", call=call)
    plain = lstm(3, num_proj=2)
    expected = reference_drive(CASE, plain, _joined(result.values()), inputs(DTYPE), result.outputs["initial"])
    assert_agrees(result, expected, what="the unsplit LSTMCell on the joined row blocks", call=call)
    default, _ = _graph_variables(lambda: _dynamic(plain.make(), inputs(DTYPE)))
    assert_equal(
        sorted(default),
        sorted(f"{path}:0" for path in SHARD_SHAPES["eager"]),
        what="variables without shards",
        call=f"dynamic_rnn({plain})",
    )


@check(
    covers=("LSTMCell.activation", "BasicLSTMCell.activation"),
    cell=(lstm(3, activation="relu"), basic_lstm(3, activation="relu"), lstm(3, use_peepholes=True, num_proj=2, activation="relu")),
    mode=MODES,
)
def check_lstm_activation_replaces_tanh_in_the_tuple_state_form(cell: CellSpec, mode: str) -> None:
    """An LSTM's `activation=` (here relu) replaces tanh on both j and the new c with an LSTMStateTuple state too: TF matches the NumPy reference with relu and not the one with the default tanh."""
    result = run_tf_cached(CASE, cell, mode, DTYPE)
    call = f"dynamic_rnn({cell}) in {mode} mode"
    x, initial = inputs(DTYPE), result.outputs["initial"]
    assert_agrees(result, reference_drive(CASE, cell, result.values(), x, initial), what="activation=relu", call=call)
    tanh = cell.with_options(activation=None)
    observe(
        "difference_from_tanh",
        assert_differs(result, reference_drive(CASE, tanh, result.values(), x, initial), what="the default tanh", call=call),
    )


# --- MultiRNNCell(state_is_tuple=False) --------------------------------------------------------------------------

FLAT_LAYERS = (gru(3), lstm(2, state_is_tuple=False))


@check(covers=("MultiRNNCell.state_is_tuple",), mode=MODES)
def check_multirnncell_state_is_tuple_false_concatenates_layer_states(mode: str) -> None:
    """MultiRNNCell(state_is_tuple=False) over flat-state layers gives one state tensor, the layers' states concatenated in order, and the tuple-state stack's outputs; over a layer with an LSTMStateTuple it raises ValueError "Some cells return tuples of states, but the flag state_is_tuple is not set"."""
    x = inputs("float32")
    rnn_cell = v1.nn.rnn_cell

    def make() -> tuple[Any, Any]:
        return tuple(rnn_cell.MultiRNNCell([layer.make() for layer in FLAT_LAYERS], state_is_tuple=flag) for flag in (False, True))

    result = run(
        mode,
        make,
        lambda cells: (_dynamic(cells[0], x, scope="flat"), _dynamic(cells[1], x, scope="nested")),
        randomize=_same_values(per_build=6),
    )
    (flat_outputs, flat_state), (outputs, state) = result.outputs
    call = f"dynamic_rnn(MultiRNNCell([{', '.join(map(str, FLAT_LAYERS))}], state_is_tuple=False)) vs state_is_tuple=True in {mode} mode"
    observe("flat_state_shape", list(np.shape(flat_state)))
    expected = np.concatenate([state[0], state[1]], axis=1)
    assert_true(
        np.array_equal(flat_state, expected), what="flat state vs concat(layer states)", observed=flat_state, expected=expected, call=call
    )
    assert_true(np.array_equal(flat_outputs, outputs), what="outputs", observed=flat_outputs, expected=outputs, call=call)
    try:
        rnn_cell.MultiRNNCell([lstm(3).make(), gru(3).make()], state_is_tuple=False)
        raised: tuple[str, str] = ("no error", "")
    except ValueError as error:
        raised = (type(error).__name__, str(error))
    phrase = "Some cells return tuples of states, but the flag state_is_tuple is not set"
    observe_raised("error_with_a_tuple_state_layer", raised[0], raised[1], [phrase])
    assert_equal(
        (raised[0], phrase in raised[1]),
        ("ValueError", True),
        what=f"(error type, contains {phrase!r})",
        call="MultiRNNCell([LSTMCell(3), GRUCell(3)], state_is_tuple=False)",
    )


# --- the drivers' dtype, parallel_iterations and swap_memory -----------------------------------------------------

DRIVERS = ("dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn")


def _call_driver(driver: str, cells: tuple[Any, ...], x: np.ndarray, initial: Any = None, **options: Any) -> tuple[Any, Any]:
    """``driver`` over batch-major ``x`` with ``options`` passed through (``initial`` for every direction); returns (outputs, state)."""
    feed = tf.constant(x) if "dynamic" in driver else tf.unstack(tf.constant(x), axis=1)
    if driver == "dynamic_rnn":
        return v1.nn.dynamic_rnn(cells[0], feed, initial_state=initial, **options)
    if driver == "static_rnn":
        return v1.nn.static_rnn(cells[0], feed, initial_state=initial, **options)
    if driver == "bidirectional_dynamic_rnn":
        return v1.nn.bidirectional_dynamic_rnn(cells[0], cells[1], feed, initial_state_fw=initial, initial_state_bw=initial, **options)
    outputs, state_fw, state_bw = v1.nn.static_bidirectional_rnn(
        cells[0], cells[1], feed, initial_state_fw=initial, initial_state_bw=initial, **options
    )
    return outputs, (state_fw, state_bw)


@check(
    covers=("dynamic_rnn.dtype", "static_rnn.dtype", "bidirectional_dynamic_rnn.dtype", "static_bidirectional_rnn.dtype"),
    driver=DRIVERS,
)
def check_driver_dtype_is_the_zero_states_dtype(driver: str) -> None:
    """Without initial_state a driver's `dtype=` is its zero state's dtype: omitted it raises ValueError "If no initial_state is provided, argument `dtype` must be specified", float64 over float32 inputs raises TypeError, float32 gives float32 states, and with an initial_state it may be omitted (graph construction)."""
    x = inputs("float32")
    count = 2 if "bidirectional" in driver else 1
    cells = lambda: tuple(gru(3).make() for _ in range(count))  # noqa: E731
    outcomes: dict[str, list[str]] = {}
    for label, build in (
        ("dtype omitted", lambda: _call_driver(driver, cells(), x)),
        ("dtype=float64", lambda: _call_driver(driver, cells(), x, dtype=tf.float64)),
        ("dtype=float32", lambda: _call_driver(driver, cells(), x, dtype=tf.float32)),
        ("initial_state, dtype omitted", lambda: _call_driver(driver, cells(), x, initial=tf.zeros([x.shape[0], 3]))),
    ):
        with fresh_graph():
            try:
                _, state = build()
                outcomes[label] = ["ok", ",".join(sorted({leaf.dtype.name for leaf in tf.nest.flatten(state)}))]
            except (TypeError, ValueError) as error:
                outcomes[label] = [type(error).__name__, str(error).strip().splitlines()[0]]
    observe("outcomes", outcomes)
    call = f"{driver}(GRUCell(3), float32 inputs, dtype=...) in a tf.Graph"
    expected = {
        "dtype omitted": ["ValueError", "If no initial_state is provided, argument `dtype` must be specified"],
        "dtype=float64": ["TypeError", "float64"],
        "dtype=float32": ["ok", "float32"],
        "initial_state, dtype omitted": ["ok", "float32"],
    }
    for label, (kind, phrase) in expected.items():
        got_kind, got_text = outcomes[label]
        assert_equal((got_kind, phrase in got_text), (kind, True), what=f"{label}: (outcome, contains {phrase!r})", call=call)


def _raw_rnn(cell: Any, x: np.ndarray, lengths: np.ndarray, **options: Any) -> tuple[Any, Any]:
    """``raw_rnn`` with a ``loop_fn`` that reads ``x`` step by step and finishes each row at its length; outputs batch-major."""
    batch, steps, features = x.shape
    dtype = tf.as_dtype(x.dtype)
    read = tf.TensorArray(dtype, size=steps).unstack(tf.transpose(tf.constant(x), [1, 0, 2]))
    ends = tf.constant(lengths)

    def loop_fn(time: Any, cell_output: Any, cell_state: Any, loop_state: Any) -> tuple[Any, ...]:
        state = cell.zero_state(batch, dtype) if cell_output is None else cell_state
        finished = time >= ends
        step = tf.cond(tf.reduce_all(finished), lambda: tf.zeros([batch, features], dtype), lambda: read.read(time))
        return finished, step, state, cell_output, None

    emitted, state, _ = v1.nn.raw_rnn(cell, loop_fn, **options)
    return tf.transpose(emitted.stack(), [1, 0, 2]), state


LOOP_DRIVERS = ("dynamic_rnn", "bidirectional_dynamic_rnn", "raw_rnn")
LOOP_OPTIONS = {"parallel_iterations=1": {"parallel_iterations": 1}, "swap_memory=True": {"swap_memory": True}}


@check(
    covers=(
        "dynamic_rnn.parallel_iterations",
        "dynamic_rnn.swap_memory",
        "bidirectional_dynamic_rnn.parallel_iterations",
        "bidirectional_dynamic_rnn.swap_memory",
        "raw_rnn.parallel_iterations",
        "raw_rnn.swap_memory",
    ),
    driver=LOOP_DRIVERS,
    option=tuple(LOOP_OPTIONS),
    mode=MODES,
)
def check_loop_options_do_not_change_values(driver: str, option: str, mode: str) -> None:
    """`parallel_iterations` (default None, i.e. 32) and `swap_memory` (default False) of dynamic_rnn, bidirectional_dynamic_rnn and raw_rnn only schedule the while loop: parallel_iterations=1 or swap_memory=True give the default's outputs and final state."""
    x = inputs(DTYPE)
    count = 2 if "bidirectional" in driver else 1
    spec = lstm(3, num_proj=2)

    def call(cells: tuple[Any, ...]) -> Any:
        results = []
        for half, options in ((cells[:count], {}), (cells[count:], LOOP_OPTIONS[option])):
            scope = "with_option" if options else "default"
            if driver == "raw_rnn":
                results.append(_raw_rnn(half[0], x, np.full(x.shape[0], x.shape[1], np.int32), scope=scope, **options))
            else:
                results.append(_call_driver(driver, half, x, dtype=tf.float64, sequence_length=LENGTHS, scope=scope, **options))
        return tuple(results)

    result = run(mode, lambda: tuple(spec.make() for _ in range(2 * count)), call, randomize=_same_values(per_build=3 * count))
    default, changed = result.outputs
    text = f"{driver}({spec}, {option}) vs the default in {mode} mode"
    pairs = list(zip(leaves(default), leaves(changed), strict=True))
    observe("max_abs_difference", max(float(np.max(np.abs(a - b))) for a, b in pairs))
    for index, (a, b) in enumerate(pairs):
        assert_close(b, a, what=f"outputs and state part {index} with {option} vs default", call=text, dtype=DTYPE)


# --- raw_rnn and static_state_saving_rnn ------------------------------------------------------------------------


@check(covers=("raw_rnn.cell", "raw_rnn.loop_fn", "raw_rnn.scope"), mode=MODES)
def check_raw_rnn_with_a_reading_loop_fn_equals_dynamic_rnn(mode: str) -> None:
    """raw_rnn whose loop_fn feeds the inputs step by step and finishes each row at its length gives dynamic_rnn's outputs (zeros past each length) and final state with that sequence_length, and names its variables under `scope` (default `rnn`)."""
    x = inputs(DTYPE)
    spec = lstm(3, use_peepholes=True)

    def call(cells: tuple[Any, ...]) -> Any:
        return (
            _raw_rnn(cells[0], x, LENGTHS),
            _call_driver("dynamic_rnn", cells[1:2], x, dtype=tf.float64, sequence_length=LENGTHS, scope="dynamic"),
            _raw_rnn(cells[2], x, LENGTHS, scope="decoder")[0],
        )

    result = run(mode, lambda: tuple(spec.make() for _ in range(3)), call, randomize=_same_values(per_build=5))
    (raw_outputs, raw_state), (outputs, state), _ = result.outputs
    text = f"raw_rnn({spec}, loop_fn reading inputs[3,3,4] until lengths {LENGTHS.tolist()}) vs dynamic_rnn in {mode} mode"
    names = list(result.inventory)
    observe("variables", names)
    scopes = sorted({name.split("/", 1)[0] for name in names})
    assert_equal(scopes, ["decoder", "dynamic", "rnn"], what="top-level scopes of the variables", call=text)
    assert_close(raw_outputs, outputs, what="raw_rnn outputs vs dynamic_rnn's", call=text, dtype=DTYPE)
    for index, (a, b) in enumerate(zip(leaves(raw_state), leaves(state), strict=True)):
        assert_close(a, b, what=f"raw_rnn final state part {index} vs dynamic_rnn's", call=text, dtype=DTYPE)


class DictStateSaver:
    """The smallest object ``static_state_saving_rnn`` accepts: ``state(name)`` reads ``initial[name]``, ``save_state`` records."""

    def __init__(self, initial: dict[str, Any]) -> None:
        self.initial = initial
        self.saved: dict[str, Any] = {}

    def state(self, name: str) -> Any:
        return self.initial[name]

    def save_state(self, name: str, value: Any) -> Any:
        self.saved[name] = value
        return tf.identity(value)


@dataclass(frozen=True)
class SavingCase:
    """A cell and the ``state_name`` that fits its state: one name, or one per LSTMStateTuple part."""

    cell: CellSpec
    state_name: str | tuple[str, str]

    def __str__(self) -> str:
        name = self.state_name if isinstance(self.state_name, str) else f"({','.join(self.state_name)})"
        return f"{self.cell}-state_name={name}"


SAVING_CASES = (SavingCase(gru(3), "h"), SavingCase(lstm(3), ("c", "h")), SavingCase(lstm(3, state_is_tuple=False), "state"))


@check(
    covers=(
        "static_state_saving_rnn.cell",
        "static_state_saving_rnn.inputs",
        "static_state_saving_rnn.state_saver",
        "static_state_saving_rnn.state_name",
        "static_state_saving_rnn.sequence_length",
        "static_state_saving_rnn.scope",
    ),
    case=SAVING_CASES,
    mode=MODES,
)
def check_static_state_saving_rnn_starts_from_and_saves_the_named_state(case: SavingCase, mode: str) -> None:
    """static_state_saving_rnn starts from `state_saver.state(state_name)` (a name per LSTMStateTuple part), passes the final state to `state_saver.save_state`, and otherwise is static_rnn with that initial_state and sequence_length (none by default), its variables under `scope` (default `rnn`)."""
    x = inputs(DTYPE)
    spec = case.cell
    per_build = 4 if spec.kind == "GRUCell" else 2

    def call(cells: tuple[Any, ...]) -> Any:
        initial = _seeded_state(cells[0], DTYPE, STATE_SEED)
        names, parts = tf.nest.flatten(case.state_name), tf.nest.flatten(initial)
        if len(names) != len(parts):  # no zip(strict=) here: TF <= 2.14's autograph rejects it in traced code
            raise ValueError(f"state_name: {len(names)} names for {len(parts)} state parts")
        results = {}
        for index, lengths in enumerate((LENGTHS, None)):
            saver = DictStateSaver(dict(zip(names, parts)))  # noqa: B905 - lengths checked above
            steps = tf.unstack(tf.constant(x), axis=1)
            scope = None if lengths is not None else "saving_full"
            outputs, state = v1.nn.static_state_saving_rnn(
                cells[2 * index], steps, saver, case.state_name, sequence_length=lengths, scope=scope
            )
            plain_outputs, plain_state = v1.nn.static_rnn(
                cells[2 * index + 1], steps, initial_state=initial, sequence_length=lengths, scope=f"plain_{index}"
            )
            saved = [saver.saved[name] for name in names]
            results[f"lengths={lengths is not None}"] = (tf.stack(outputs, 1), state, tf.stack(plain_outputs, 1), plain_state, saved)
        return results

    result = run(mode, lambda: tuple(spec.make() for _ in range(4)), call, randomize=_same_values(per_build=per_build))
    text = f"static_state_saving_rnn({spec}, state_name={case.state_name!r}) vs static_rnn(initial_state=saver's) in {mode} mode"
    scopes = sorted({name.split("/", 1)[0] for name in result.inventory})
    observe("scopes", scopes)
    assert_equal(scopes, ["plain_0", "plain_1", "rnn", "saving_full"], what="top-level scopes of the variables", call=text)
    for label, (outputs, state, plain_outputs, plain_state, saved) in result.outputs.items():
        assert_close(outputs, plain_outputs, what=f"outputs ({label}) vs static_rnn's", call=text, dtype=DTYPE)
        for index, (a, b, s) in enumerate(zip(leaves(state), leaves(plain_state), leaves(saved), strict=True)):
            assert_close(a, b, what=f"final state part {index} ({label}) vs static_rnn's", call=text, dtype=DTYPE)
            assert_close(s, a, what=f"saved state part {index} ({label}) vs the final state", call=text, dtype=DTYPE)
    with_lengths, without = result.outputs["lengths=True"][0], result.outputs["lengths=False"][0]
    assert_equal(float(np.abs(with_lengths[LENGTHS == 0]).max()), 0.0, what="outputs of the zero-length row", call=text)
    assert_true(
        bool(np.abs(without[LENGTHS == 0]).max() > 0),
        what="outputs of that row without sequence_length",
        observed=0.0,
        expected="non-zero",
        call=text,
    )


__all__ = [name for name in dir() if name.startswith("check_")]

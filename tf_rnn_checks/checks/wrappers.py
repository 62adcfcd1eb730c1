"""DropoutWrapper, ResidualWrapper and DeviceWrapper: what they change, and what they leave alone.

Device placement is a graph property (``op.device`` of the ops the cell builds), so that check runs in
graph mode only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_true
from tf_rnn_checks.cells import CellSpec, basic_lstm, basic_rnn, gru, lstm
from tf_rnn_checks.matrix import MODES
from tf_rnn_checks.modes import RunResult, fresh_graph, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import BATCH, INPUT_SIZE, TIME_STEPS, seeded_values
from tf_rnn_checks.tf_import import tf, v1

rnn_cell = v1.nn.rnn_cell
TINY_KEEP = 1e-6  # a keep probability whose survivors are (for the fixed seeds below) none at all
# Residual connections need the cell's output size to equal the input size.
RESIDUAL_CELLS: tuple[CellSpec, ...] = (gru(INPUT_SIZE), lstm(3, num_proj=INPUT_SIZE))
# One cell per code path: plain state, GRU, and an LSTM with every optional variable (peepholes, projection).
DROPOUT_CELLS: tuple[CellSpec, ...] = (basic_rnn(3), gru(3), lstm(3, use_peepholes=True, num_proj=2))
C_STATE_CELLS: tuple[CellSpec, ...] = (lstm(3, num_proj=2), basic_lstm(3))
NAME_CELLS: tuple[CellSpec, ...] = (gru(3), lstm(3, use_peepholes=True, num_proj=2), basic_lstm(3))

# The variables each cell creates under dynamic_rnn's default scope, wrapped or not (FACTS: kernel/bias names).
PINNED_NAMES: dict[str, tuple[str, ...]] = {
    "BasicRNNCell": ("rnn/basic_rnn_cell/kernel:0", "rnn/basic_rnn_cell/bias:0"),
    "GRUCell": (
        "rnn/gru_cell/gates/kernel:0",
        "rnn/gru_cell/gates/bias:0",
        "rnn/gru_cell/candidate/kernel:0",
        "rnn/gru_cell/candidate/bias:0",
    ),
    "LSTMCell": (
        "rnn/lstm_cell/kernel:0",
        "rnn/lstm_cell/bias:0",
        "rnn/lstm_cell/w_f_diag:0",
        "rnn/lstm_cell/w_i_diag:0",
        "rnn/lstm_cell/w_o_diag:0",
        "rnn/lstm_cell/projection/kernel:0",
    ),
    "BasicLSTMCell": ("rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"),
}


def _inputs(seed: int = 0, time_steps: int = TIME_STEPS) -> np.ndarray:
    return sizes.inputs(seed=seed, time=time_steps)


def subtract_input(inputs: Any, outputs: Any) -> Any:
    """A custom ``residual_fn``: ``outputs - inputs`` (distinguishable from the default sum)."""
    return tf.nest.map_structure(lambda i, o: o - i, inputs, outputs)


def _dynamic(mode: str, make: Callable[[], Any], inputs: np.ndarray, seed: int = 0, parallel_iterations: int | None = None) -> RunResult:
    return run(
        mode,
        lambda: (make(),),
        lambda cells: v1.nn.dynamic_rnn(cells[0], tf.constant(inputs), dtype=tf.float32, parallel_iterations=parallel_iterations),
        seed=seed,
        randomize=seeded_values(1),
    )


def _one_step(mode: str, make: Callable[[], Any], inputs: np.ndarray) -> RunResult:
    def call(cells: tuple[Any, ...]) -> Any:
        cell = cells[0]
        return cell(tf.constant(inputs[:, 0]), cell.zero_state(BATCH, tf.float32))

    return run(mode, lambda: (make(),), call, randomize=seeded_values(1))


def _same(observed: Any, expected: Any, *, what: str, call: str) -> None:
    __tracebackhide__ = True
    for index, (got, want) in enumerate(zip(tf.nest.flatten(observed), tf.nest.flatten(expected), strict=True)):
        assert_true(np.array_equal(got, want), what=f"{what} (part {index})", observed=got, expected=want, call=call)


@check(
    covers=("DropoutWrapper.cell", "DropoutWrapper.input_keep_prob", "DropoutWrapper.output_keep_prob", "DropoutWrapper.state_keep_prob"),
    cell=DROPOUT_CELLS,
    mode=MODES,
)
def check_dropout_keep_one_is_identity(cell: CellSpec, mode: str) -> None:
    """A DropoutWrapper with input, output and state keep probabilities of 1.0 gives exactly the wrapped cell's outputs and state."""
    x = _inputs()
    bare = _dynamic(mode, cell.make, x)
    wrapped = _dynamic(mode, lambda: rnn_cell.DropoutWrapper(cell.make(), 1.0, 1.0, 1.0, seed=5), x)
    call = f"dynamic_rnn(DropoutWrapper({cell}, keep 1.0, 1.0, 1.0)) vs dynamic_rnn({cell}) in {mode} mode"
    observe(
        "max_abs_difference",
        float(max(np.max(np.abs(a - b)) for a, b in zip(tf.nest.flatten(wrapped.outputs), tf.nest.flatten(bare.outputs), strict=True))),
    )
    _same(wrapped.outputs, bare.outputs, what="outputs and final state", call=call)


@check(covers=("DropoutWrapper.output_keep_prob",), cell=DROPOUT_CELLS, mode=MODES)
def check_dropout_tiny_output_keep_zeroes_outputs_not_state(cell: CellSpec, mode: str) -> None:
    """A DropoutWrapper with output_keep_prob near 0 zeroes every output while the final state equals the wrapped cell's exactly."""
    x = _inputs()
    bare = _dynamic(mode, cell.make, x)
    wrapped = _dynamic(mode, lambda: rnn_cell.DropoutWrapper(cell.make(), output_keep_prob=TINY_KEEP, seed=5), x)
    call = f"dynamic_rnn(DropoutWrapper({cell}, output_keep_prob={TINY_KEEP})) in {mode} mode"
    outputs, state = wrapped.outputs
    observe("nonzero_outputs", int(np.count_nonzero(outputs)))
    assert_equal(int(np.count_nonzero(outputs)), 0, what="non-zero outputs", call=call)
    _same(state, bare.outputs[1], what="final state vs unwrapped cell", call=call)


@check(covers=("DropoutWrapper.input_keep_prob",), cell=DROPOUT_CELLS, mode=MODES)
def check_dropout_tiny_input_keep_zeroes_inputs(cell: CellSpec, mode: str) -> None:
    """A DropoutWrapper with input_keep_prob near 0 gives exactly the wrapped cell's outputs on all-zero inputs."""
    x = _inputs()
    zeroed = _dynamic(mode, cell.make, np.zeros_like(x))
    wrapped = _dynamic(mode, lambda: rnn_cell.DropoutWrapper(cell.make(), input_keep_prob=TINY_KEEP, seed=5), x)
    call = f"dynamic_rnn(DropoutWrapper({cell}, input_keep_prob={TINY_KEEP}), x) vs dynamic_rnn({cell}, zeros) in {mode} mode"
    _same(wrapped.outputs, zeroed.outputs, what="outputs and final state", call=call)


@check(covers=("DropoutWrapper.state_keep_prob", "DropoutWrapper.dropout_state_filter_visitor"), cell=C_STATE_CELLS, mode=MODES)
def check_dropout_never_drops_lstm_c(cell: CellSpec, mode: str) -> None:
    """A DropoutWrapper with state_keep_prob near 0 zeroes an LSTM state's `h` but passes its `c` through untouched."""
    x = _inputs()
    bare = _one_step(mode, cell.make, x)
    wrapped = _one_step(mode, lambda: rnn_cell.DropoutWrapper(cell.make(), state_keep_prob=TINY_KEEP, seed=5), x)
    call = f"DropoutWrapper({cell}, state_keep_prob={TINY_KEEP})(x, zero_state) in {mode} mode"
    state = wrapped.outputs[1]
    observe("nonzero", {"c": int(np.count_nonzero(state.c)), "h": int(np.count_nonzero(state.h))})
    _same(state.c, bare.outputs[1].c, what="state.c vs unwrapped cell", call=call)
    assert_equal(int(np.count_nonzero(state.h)), 0, what="non-zero entries of state.h", call=call)
    _same(wrapped.outputs[0], bare.outputs[0], what="output (output_keep_prob=1.0)", call=call)


def _dropped_pattern(mode: str, variational: bool, seed: int, parallel_iterations: int | None = None) -> np.ndarray:
    """Which outputs a 0.5 output dropout zeroed, ``[batch, time, units]`` booleans (5 time steps)."""

    def make() -> Any:
        return rnn_cell.DropoutWrapper(
            basic_rnn(3).make(), output_keep_prob=0.5, variational_recurrent=variational, dtype=tf.float32, seed=seed
        )

    return _dynamic(mode, make, _inputs(time_steps=5), parallel_iterations=parallel_iterations).outputs[0] == 0


def _per_step_masks(pattern: np.ndarray) -> list[str]:
    """The time steps' masks as a sorted list: the same draws, whichever time step each landed on."""
    return sorted("".join(map(str, pattern[:, t].astype(int).ravel())) for t in range(pattern.shape[1]))


@check(covers=("DropoutWrapper.variational_recurrent",), mode=MODES)
def check_dropout_variational_uses_one_mask(mode: str) -> None:
    """With `variational_recurrent=True` DropoutWrapper drops the same units at every time step (and, being shaped [1, units], for every batch row), unlike the default per-step masks."""
    variational = _dropped_pattern(mode, True, seed=3)
    call = f"dynamic_rnn(DropoutWrapper(BasicRNNCell(3), output_keep_prob=0.5, variational_recurrent=True, seed=3)) in {mode} mode"
    observe("mask", variational[0, 0].astype(int))
    assert_true(
        variational.any() and not variational.all(),
        what="dropped outputs",
        observed=int(variational.sum()),
        expected="some but not all outputs dropped",
        call=call,
    )
    assert_true(
        (variational == variational[:1, :1]).all(),
        what="mask per (batch, time)",
        observed=variational.astype(int),
        expected="one mask for every batch row and time step",
        call=call,
    )
    per_step = _dropped_pattern(mode, False, seed=3)
    assert_true(
        not (per_step == per_step[:, :1]).all(),
        what="default (non-variational) mask per time step",
        observed=per_step.astype(int),
        expected="masks that differ between time steps",
        call=call.replace("True", "False"),
    )


# In a TF1 graph, dynamic_rnn's while loop runs up to `parallel_iterations` (default 32) steps at once, and each
# step's dropout draw depends only on a constant shape, so the steps take the seeded stream's draws in whatever
# order the scheduler runs them (seen: two different layouts in four identical graph runs). The draws themselves
# are reproducible, and with parallel_iterations=1 so is their order.
@check(covers=("DropoutWrapper.seed",), mode=MODES)
def check_dropout_same_seed_same_masks(mode: str) -> None:
    """A DropoutWrapper seeded alike draws the same per-step masks (in the same time steps with parallel_iterations=1; in a TF1 graph with the default 32, possibly shuffled across steps), and another seed draws others."""
    sequential = [_dropped_pattern(mode, False, seed, parallel_iterations=1) for seed in (7, 7, 8)]
    parallel = [_dropped_pattern(mode, False, 7) for _ in range(2)]
    call = f"dynamic_rnn(DropoutWrapper(BasicRNNCell(3), output_keep_prob=0.5, seed=7)) twice, then seed=8, in {mode} mode"
    first, again, other = sequential
    observe("masks", {"seed7": first.astype(int), "seed8": other.astype(int)})
    assert_true(
        np.array_equal(first, again),
        what="mask with the same seed (parallel_iterations=1)",
        observed=again.astype(int),
        expected=first.astype(int),
        call=call,
    )
    assert_true(
        not np.array_equal(first, other), what="mask with another seed", observed=other.astype(int), expected="a different mask", call=call
    )
    assert_equal(
        [_per_step_masks(pattern) for pattern in parallel],
        [_per_step_masks(first)] * 2,
        what="per-step masks (sorted) with the default parallel_iterations",
        call=call,
    )


@check(
    covers=("ResidualWrapper.cell", "ResidualWrapper.residual_fn"),
    cell=RESIDUAL_CELLS,
    residual_fn=("default", "subtract_input"),
    mode=MODES,
)
def check_residual_wrapper_output(cell: CellSpec, residual_fn: str, mode: str) -> None:
    """ResidualWrapper's output is the wrapped cell's output plus the input (or `residual_fn(inputs, outputs)` when given), and its state is the cell's state."""
    x = _inputs()
    function = None if residual_fn == "default" else subtract_input
    bare = _dynamic(mode, cell.make, x)
    wrapped = _dynamic(mode, lambda: rnn_cell.ResidualWrapper(cell.make(), residual_fn=function), x)
    call = f"dynamic_rnn(ResidualWrapper({cell}, residual_fn={residual_fn})) in {mode} mode"
    expected = bare.outputs[0] + x if function is None else bare.outputs[0] - x
    observe("output_minus_cell_output", (wrapped.outputs[0] - bare.outputs[0])[0, 0])
    assert_close(wrapped.outputs[0], expected, what="outputs", call=call)
    _same(wrapped.outputs[1], bare.outputs[1], what="final state vs unwrapped cell", call=call)


@check(covers=("DeviceWrapper.cell", "DeviceWrapper.device"), cell=(gru(3), lstm(3, use_peepholes=True)))
def check_device_wrapper_places_cell_ops(cell: CellSpec) -> None:
    """Every computation op a DeviceWrapper('/cpu:0')-wrapped cell builds for one step in a TF1 graph (zero state and step; not variable initializers or ReadVariableOps) is placed on /device:CPU:0, while an unwrapped cell's carry no device (graph mode only)."""
    with fresh_graph() as built:
        graph = built.graph
        x = tf.constant(_inputs()[:, 0])
        for scope, made in (("wrapped", rnn_cell.DeviceWrapper(cell.make(), "/cpu:0")), ("bare", cell.make())):
            with v1.variable_scope(scope):
                made(x, made.zero_state(BATCH, tf.float32))

    def devices(prefix: str) -> list[str]:
        return sorted({op.device for op in graph.get_operations() if op.name.startswith(prefix) and not _placed_by_variable(op)})

    call = f"DeviceWrapper({cell}, '/cpu:0')(x, zero_state) in a tf.Graph"
    cell_scope = {"GRUCell": "gru_cell", "LSTMCell": "lstm_cell"}[cell.kind]
    wrapped_step, wrapped_zero = devices(f"wrapped/{cell_scope}/"), devices("wrapped/DeviceWrapperZeroState/")
    bare_step = devices(f"bare/{cell_scope}/")
    observe("devices", {"wrapped_step": wrapped_step, "wrapped_zero_state": wrapped_zero, "bare_step": bare_step})
    assert_equal(wrapped_step, ["/device:CPU:0"], what="devices of the wrapped cell's step ops", call=call)
    assert_equal(wrapped_zero, ["/device:CPU:0"], what="devices of the wrapped cell's zero-state ops", call=call)
    assert_equal(bare_step, [""], what="devices of the unwrapped cell's step ops", call=call)


def _placed_by_variable(op: Any) -> bool:
    """Initializers (built in an init scope) and variable reads take their placement from the variable."""
    return "/Initializer/" in op.name or op.type == "ReadVariableOp"


WRAPPERS: dict[str, Callable[[Any], Any]] = {
    "DropoutWrapper": lambda cell: rnn_cell.DropoutWrapper(cell, 0.9, 0.9, 0.9, seed=1),
    "ResidualWrapper": lambda cell: rnn_cell.ResidualWrapper(cell, residual_fn=lambda i, o: o),
    "DeviceWrapper": lambda cell: rnn_cell.DeviceWrapper(cell, "/cpu:0"),
}


@check(wrapper=tuple(WRAPPERS), cell=NAME_CELLS, mode=MODES)
def check_wrapping_keeps_variable_names(wrapper: str, cell: CellSpec, mode: str) -> None:
    """Wrapping a cell in DropoutWrapper, ResidualWrapper or DeviceWrapper leaves its variable names unchanged (e.g. `rnn/lstm_cell/kernel:0`), alone and inside MultiRNNCell."""
    x = _inputs()

    def call(cells: tuple[Any, ...]) -> Any:
        alone, stacked = cells
        return (
            v1.nn.dynamic_rnn(alone, tf.constant(x), dtype=tf.float32)[0],
            v1.nn.dynamic_rnn(stacked, tf.constant(x), dtype=tf.float32, scope="stacked")[0],
        )

    result = run(
        mode,
        lambda: (WRAPPERS[wrapper](cell.make()), rnn_cell.MultiRNNCell([WRAPPERS[wrapper](cell.make())])),
        call,
    )
    names = tuple(result.inventory)
    observe("names", list(names))
    expected = tuple(name for name in PINNED_NAMES[cell.kind] if _created_by(cell, name))
    in_stack = tuple(name.replace("rnn/", "stacked/multi_rnn_cell/cell_0/", 1) for name in expected)
    call_text = f"dynamic_rnn({wrapper}({cell})), then dynamic_rnn(MultiRNNCell([{wrapper}({cell})]), scope='stacked') in {mode} mode"
    assert_equal(names, expected + in_stack, what="variable names", call=call_text)


def _created_by(cell: CellSpec, name: str) -> bool:
    leaf = name.split("/", 2)[-1]
    if "diag" in leaf:
        return bool(cell.option.get("use_peepholes"))
    if "projection" in leaf:
        return bool(cell.option.get("num_proj"))
    return True


def _drop_nothing(substate: Any) -> bool:
    """A ``dropout_state_filter_visitor`` that spares every part of the state."""
    return False


def _drop_everything(substate: Any) -> bool:
    """A ``dropout_state_filter_visitor`` that lets state dropout reach every part, LSTM ``c`` included."""
    return True


@dataclass(frozen=True)
class VisitorCase:
    """A cell, the ``dropout_state_filter_visitor`` given to DropoutWrapper, and which state parts it must zero."""

    cell: CellSpec
    visitor: Callable[[Any], bool] | None
    dropped: tuple[bool, ...]  # per tf.nest.flatten(state) part

    def __str__(self) -> str:
        return f"{self.cell}-{'default' if self.visitor is None else self.visitor.__name__.lstrip('_')}"


VISITOR_CASES = (
    VisitorCase(lstm(3), _drop_nothing, (False, False)),
    VisitorCase(lstm(3), _drop_everything, (True, True)),
    VisitorCase(lstm(3, state_is_tuple=False), None, (True,)),
    VisitorCase(lstm(3, state_is_tuple=False), _drop_nothing, (False,)),
)


@check(covers=("DropoutWrapper.dropout_state_filter_visitor", "DropoutWrapper.state_keep_prob"), case=VISITOR_CASES, mode=MODES)
def check_dropout_state_filter_visitor_picks_the_dropped_state_parts(case: VisitorCase, mode: str) -> None:
    """DropoutWrapper's `dropout_state_filter_visitor` picks the state parts state dropout may zero: the default spares an LSTMStateTuple's `c` (as check_dropout_never_drops_lstm_c pins) but zeroes a flat concat([c, h]) state whole, `lambda s: False` spares everything and `lambda s: True` drops `c` too."""
    x = _inputs()

    def call(cells: tuple[Any, Any]) -> Any:
        return tuple(cell(tf.constant(x[:, 0]), cell.zero_state(BATCH, tf.float32))[1] for cell in cells)

    def make() -> tuple[Any, Any]:
        wrapped = rnn_cell.DropoutWrapper(case.cell.make(), state_keep_prob=TINY_KEEP, seed=5, dropout_state_filter_visitor=case.visitor)
        return wrapped, case.cell.make()

    result = run(mode, make, call, randomize=lambda index, shape, dtype: seeded_values(1)(index % 2, shape, dtype))
    wrapped, bare = (tf.nest.flatten(state) for state in result.outputs)
    call_text = (
        f"DropoutWrapper({case.cell}, state_keep_prob={TINY_KEEP}, dropout_state_filter_visitor={case})(x, zero_state) in {mode} mode"
    )
    observe("nonzero_per_state_part", [int(np.count_nonzero(part)) for part in wrapped])
    assert_equal(len(wrapped), len(case.dropped), what="number of state parts", call=call_text)
    for index, (got, want, dropped) in enumerate(zip(wrapped, bare, case.dropped, strict=True)):
        assert_true(np.any(want != 0), what=f"unwrapped state part {index}", observed="all zeros", expected="non-zero", call=call_text)
        expected = np.zeros_like(want) if dropped else want
        assert_true(
            np.array_equal(got, expected),
            what=f"state part {index} ({'dropped' if dropped else 'spared'})",
            observed=got,
            expected=expected,
            call=call_text,
        )


def _variational_input(mode: str) -> np.ndarray:
    """Outputs of variational input dropout (keep 0.5, seed 3) seen through a residual around an all-zero BasicRNNCell: the dropped inputs."""

    def make() -> tuple[Any]:
        cell = rnn_cell.ResidualWrapper(basic_rnn(INPUT_SIZE).make())
        return (
            rnn_cell.DropoutWrapper(cell, input_keep_prob=0.5, variational_recurrent=True, input_size=INPUT_SIZE, dtype=tf.float32, seed=3),
        )

    zeros = lambda index, shape, dtype: np.zeros(shape, dtype)  # noqa: E731 - tanh(0 @ kernel + 0) = 0, so output = dropped input
    return run(mode, make, lambda cells: v1.nn.dynamic_rnn(cells[0], tf.constant(_inputs()), dtype=tf.float32)[0], randomize=zeros).outputs


@check(covers=("DropoutWrapper.input_size", "DropoutWrapper.dtype"), mode=MODES)
def check_dropout_variational_input_needs_input_size_and_dtype(mode: str) -> None:
    """With variational_recurrent=True, DropoutWrapper refuses input_keep_prob < 1 without `input_size` and any dropout without `dtype` (ValueError "... input_size must be provided", "... dtype must be provided"); given both, it drops the same input features, the kept ones scaled by 1/keep, at every time step and in every batch row."""
    errors = {}
    for label, options in (
        ("input_size", {"input_keep_prob": 0.5, "dtype": tf.float32}),
        ("dtype", {"output_keep_prob": 0.5}),
    ):
        try:
            rnn_cell.DropoutWrapper(gru(3).make(), variational_recurrent=True, **options)
            errors[label] = ("no error", "")
        except ValueError as error:
            errors[label] = (type(error).__name__, str(error))
    observe("errors", {label: text for label, (_, text) in errors.items()})
    for label, phrase in (
        ("input_size", "When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, input_size must be provided"),
        ("dtype", "When variational_recurrent=True, dtype must be provided"),
    ):
        kind, text = errors[label]
        assert_equal(
            (kind, phrase in text),
            ("ValueError", True),
            what=f"(error type, contains {phrase!r})",
            call=f"DropoutWrapper(GRUCell(3), variational_recurrent=True) without {label}",
        )
    x, dropped = _inputs(), _variational_input(mode)
    call = f"dynamic_rnn(DropoutWrapper(ResidualWrapper(zero BasicRNNCell({INPUT_SIZE})), input_keep_prob=0.5, variational_recurrent=True, input_size={INPUT_SIZE}, dtype=float32, seed=3)) in {mode} mode"
    kept = dropped != 0
    observe("input_mask", kept[0, 0].astype(int))
    assert_true(
        bool((kept == kept[:1, :1]).all()) and 0 < int(kept[0, 0].sum()) < INPUT_SIZE,
        what="kept input features per (batch row, time step)",
        observed=kept.astype(int),
        expected="one mask, some features kept and some dropped",
        call=call,
    )
    assert_close(dropped[kept], x[kept] / 0.5, what="kept inputs vs inputs / keep", call=call)


@check(covers=("DropoutWrapper.seed",), mode=MODES)
def check_dropout_without_seed_follows_tfs_seed(mode: str) -> None:
    """A DropoutWrapper built without `seed` (the default) draws its masks from TF's graph-level (graph) or global (eager, tf.function) seed: the same TF seed repeats them, another draws others."""

    def pattern(tf_seed: int) -> np.ndarray:
        make = lambda: rnn_cell.DropoutWrapper(basic_rnn(3).make(), output_keep_prob=0.5)  # noqa: E731
        return _dynamic(mode, make, _inputs(time_steps=5), seed=tf_seed, parallel_iterations=1).outputs[0] == 0

    first, again, other = pattern(0), pattern(0), pattern(1)
    call = (
        f"dynamic_rnn(DropoutWrapper(BasicRNNCell(3), output_keep_prob=0.5), parallel_iterations=1) under TF seed 0, 0 and 1 in {mode} mode"
    )
    observe("masks", {"tf_seed0": first.astype(int), "tf_seed1": other.astype(int)})
    assert_true(
        0 < int(first.sum()) < first.size, what="dropped outputs", observed=int(first.sum()), expected="some but not all", call=call
    )
    assert_true(
        np.array_equal(first, again), what="masks under the same TF seed", observed=again.astype(int), expected=first.astype(int), call=call
    )
    assert_true(
        not np.array_equal(first, other), what="masks under another TF seed", observed=other.astype(int), expected="others", call=call
    )

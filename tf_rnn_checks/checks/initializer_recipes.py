"""What the initializers people really put on a `variable_scope` do to TF1 cells, by value.

The recipes are the ``tf.compat.v1`` initializers found in TF1 RNN code: ``orthogonal_initializer()``,
``glorot_uniform_initializer`` and ``glorot_normal_initializer`` (Xavier), ``variance_scaling_initializer()``,
``truncated_normal_initializer(stddev=0.1)`` and ``random_uniform_initializer(-0.05, 0.05)``, each seeded.

How TF1 applies them: the scope's initializer is called once per variable on the variable's whole shape. A
fused kernel is one variable: LSTM's ``kernel`` is ``(in+h, 4h)`` with the ``i, j, f, o`` blocks side by side
and the input rows above the recurrent rows, GRU's ``gates/kernel`` is ``(in+h, 2h)``. So an orthogonal
initializer makes the whole fused matrix orthogonal along its shorter side (not each gate, not the recurrent
rows on their own), and glorot/variance-scaling compute their fans from the whole shape (``fan_in = in+h``,
``fan_out = 4h``; a 1-D peephole diagonal of ``n`` has ``fan_in = fan_out = n``). Keras differs:
``tf.keras.layers.LSTMCell(recurrent_initializer='orthogonal')`` initializes a separate ``recurrent_kernel``
``(h, 4h)``, whose rows are orthonormal on their own, and its ``kernel`` ``(in, 4h)`` with glorot_uniform.

The same recipes given to the cells' own arguments (LSTMCell's ``initializer``, GRUCell's ``kernel_initializer`` and
``bias_initializer``) act as on a scope. A scope's ``partitioner`` (``fixed_size_partitioner(2)``) splits every variable
into row blocks ``part_k`` in every mode; orthogonal then applies per part, while glorot and variance scaling take
their fans from the whole logical kernel.

Statistics are judged on kernels of at least 2048 draws (``WIDE`` units) against the formula's bound and
variance with the tolerances stated where they are used; every build is seeded, so each verdict is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, assert_true, error_bound, observe_raised
from tf_rnn_checks.cells import CellSpec, basic_lstm, basic_rnn, gru, lstm, multi
from tf_rnn_checks.checks.bias_defaults import DEFAULT_BIAS
from tf_rnn_checks.checks.initializer_inheritance import WIDE
from tf_rnn_checks.drivers import drive, make_cells
from tf_rnn_checks.matrix import MODES
from tf_rnn_checks.modes import RunResult, VariableRecord, fresh_eager, fresh_graph, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.shared_runs import shared
from tf_rnn_checks.sizes import INPUT_SIZE
from tf_rnn_checks.tf_import import tf, v1
from tf_rnn_checks.variable_names import is_bias

SEED = 7
SCOPE = "model"
# The standard deviation of a standard normal truncated to +-2 (scipy.stats.truncnorm.std(-2, 2)): TF's
# truncated normal redraws values beyond 2 stddev, and variance_scaling divides its stddev by this constant.
TRUNCATED_STD = 0.87962566103423978


@dataclass(frozen=True)
class Law:
    """What an elementwise initializer draws for one shape: the distribution, TF's fans and the formula's bound and variance."""

    distribution: str  # "uniform" or "truncated_normal"
    fan_in: int
    fan_out: int
    bound: float
    variance: float

    def facts(self) -> dict[str, Any]:
        return {
            "distribution": self.distribution,
            "fans": [self.fan_in, self.fan_out],
            "bound": round(self.bound, 6),
            "variance": round(self.variance, 8),
        }


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """TF1's fans (``init_ops._compute_fans``): rows and columns of a matrix, ``n`` and ``n`` for a vector."""
    return (shape[0], shape[0]) if len(shape) == 1 else (shape[0], shape[1])


def _uniform(fans: tuple[int, int], limit: float) -> Law:
    return Law("uniform", *fans, bound=limit, variance=limit**2 / 3)


def _truncated(fans: tuple[int, int], stddev: float) -> Law:
    """TF's truncated normal with parameter ``stddev``: draws within 2 stddev, variance ``(0.8796 stddev)^2``."""
    return Law("truncated_normal", *fans, bound=2 * stddev, variance=(TRUNCATED_STD * stddev) ** 2)


# {initializer name: law(fans, keyword arguments)}: TF1's formulas (init_ops.VarianceScaling and friends).
_LAWS: dict[str, Callable[[tuple[int, int], dict[str, Any]], Law]] = {
    "glorot_uniform_initializer": lambda f, a: _uniform(f, math.sqrt(6.0 / (f[0] + f[1]))),
    "glorot_normal_initializer": lambda f, a: _truncated(f, math.sqrt(2.0 / (f[0] + f[1])) / TRUNCATED_STD),
    "variance_scaling_initializer": lambda f, a: _truncated(f, math.sqrt(1.0 / f[0]) / TRUNCATED_STD),  # scale=1, fan_in
    "truncated_normal_initializer": lambda f, a: _truncated(f, a["stddev"]),
    "random_uniform_initializer": lambda f, a: _uniform(f, a["maxval"]),  # symmetric: minval = -maxval
}


@dataclass(frozen=True)
class Recipe:
    """A ``tf.compat.v1`` initializer as people write it on a scope; ``str`` is the call, e.g. ``glorot_uniform_initializer(seed=7)``."""

    name: str
    arguments: tuple[tuple[str, Any], ...] = ()
    seed: int | None = SEED

    def __str__(self) -> str:
        shown = [f"{k}={v}" for k, v in self.arguments] + ([f"seed={self.seed}"] if self.seed is not None else [])
        return f"{self.name}({','.join(shown)})"

    def make(self) -> Any:
        """A fresh initializer object (looked up on ``tf.compat.v1`` at call time)."""
        return getattr(v1, self.name)(**dict(self.arguments), seed=self.seed)

    @property
    def elementwise(self) -> bool:
        """Whether it draws each value independently from a law (everything but orthogonal)."""
        return self.name in _LAWS

    def law(self, shape: tuple[int, ...]) -> Law:
        return _LAWS[self.name](_fans(shape), dict(self.arguments))


ORTHOGONAL = Recipe("orthogonal_initializer")
ELEMENTWISE = (
    Recipe("glorot_uniform_initializer"),
    Recipe("glorot_normal_initializer"),
    Recipe("variance_scaling_initializer"),
    Recipe("truncated_normal_initializer", (("stddev", 0.1),)),
    Recipe("random_uniform_initializer", (("minval", -0.05), ("maxval", 0.05))),
)
RECIPES = (ORTHOGONAL, *ELEMENTWISE)
# The commonest recipe as written: orthogonal_initializer() with no seed of its own.
UNSEEDED_ORTHOGONAL = Recipe("orthogonal_initializer", seed=None)


def _own_bias(path: str) -> float:
    """The default a bias keeps under any scope initializer (bias_defaults.DEFAULT_BIAS: GRU gates 1.0, else 0.0)."""
    return next((value for suffix, value in DEFAULT_BIAS.items() if path.endswith(suffix)), 0.0)


def _own_arguments(recipe: Recipe, cell: CellSpec) -> dict[str, Any]:
    """The cell's own initializer arguments, each given ``recipe``: LSTMCell's ``initializer``, GRUCell's ``kernel_``
    and (for elementwise recipes, which can draw a 1-D bias) ``bias_initializer``; BasicRNNCell and BasicLSTMCell have none."""
    if cell.kind == "GRUCell":
        names = ("kernel_initializer", "bias_initializer") if recipe.elementwise else ("kernel_initializer",)
        return {name: recipe.make() for name in names}
    return {"initializer": recipe.make()}


def _build_fresh(
    recipe: Recipe | None,
    cell: CellSpec,
    mode: str,
    driver: str = "cell_call",
    input_size: int = INPUT_SIZE,
    tf_seed: int = 0,
    *,
    on: str = "scope",
    parts: int | None = None,
) -> RunResult:
    """``driver`` runs ``cell`` inside ``variable_scope("model", initializer=recipe.make())`` with TF's seed ``tf_seed``.

    ``on="cell"`` gives ``recipe`` to the cell's own arguments instead (:func:`_own_arguments`) and leaves the scope
    without initializer; ``parts`` puts ``partitioner=fixed_size_partitioner(parts)`` on the scope.
    """
    inputs = sizes.inputs(size=input_size)
    own = _own_arguments(recipe, cell) if on == "cell" and recipe is not None else {}
    scope_initializer = recipe.make() if on == "scope" and recipe is not None else None

    def call(cells: tuple[Any, ...]) -> Any:
        partitioner = None if parts is None else v1.fixed_size_partitioner(parts)
        with v1.variable_scope(SCOPE, initializer=scope_initializer, partitioner=partitioner):
            return drive(driver, cells, inputs)

    return run(mode, lambda: make_cells(driver, cell, **own), call, seed=tf_seed)


# Read by several checks (statistics and inventory; the orthogonal and seed checks): built once per worker.
_build = shared(_build_fresh)


def _describe(
    recipe: Recipe | None,
    cell: CellSpec,
    mode: str,
    driver: str = "cell_call",
    input_size: int = INPUT_SIZE,
    *,
    on: str = "scope",
    parts: int | None = None,
) -> str:
    scope = [f"initializer={recipe}"] if on == "scope" and recipe is not None else []
    scope += [f"partitioner=fixed_size_partitioner({parts})"] if parts is not None else []
    own = ", ".join(f"{name}={recipe}" for name in _own_arguments(recipe, cell)) if on == "cell" and recipe is not None else ""
    shown = f"{str(cell)[:-1]},{own})" if own else str(cell)
    return f"{driver}({shown}, {input_size} inputs) inside variable_scope({', '.join([repr(SCOPE), *scope])}), TF seed 0, {mode} mode"


def _weights(result: RunResult) -> list[VariableRecord]:
    return [record for record in result.variables if not is_bias(record.path)]


def _short(path: str) -> str:
    return path[len(SCOPE) + 1 :] if path.startswith(SCOPE + "/") else path


# ---------------------------------------------------------------------------------------------------------
# Orthogonal


def _gram(w: np.ndarray) -> tuple[str, np.ndarray]:
    """The identity an orthogonal ``w`` satisfies along its shorter side, and the Gram matrix it is about."""
    w = w.astype(np.float64)
    rows, cols = w.shape
    if rows < cols:
        return "W W^T = I (orthonormal rows)", w @ w.T
    if rows > cols:
        return "W^T W = I (orthonormal columns)", w.T @ w
    return "W W^T = W^T W = I (square)", w.T @ w


def _assert_orthonormal(gram: np.ndarray, expected: bool, what: str, call: str) -> None:
    """``gram`` is the identity (``expected``) or differs from it by more than 0.1 somewhere."""
    __tracebackhide__ = True
    if expected:
        assert_close(gram, np.eye(len(gram)), what=what, call=call, dtype="float32")
    else:
        assert_not_close(gram, np.eye(len(gram)), what=what, call=call, margin=0.1)


def _assert_orthogonal(record: VariableRecord, call: str) -> str:
    """``record`` is orthogonal as a whole matrix (gain 1); returns the identity that holds."""
    __tracebackhide__ = True
    identity, gram = _gram(record.initial)
    _assert_orthonormal(gram, True, f"{identity.split(' (')[0]} for the whole {_short(record.path)} {record.shape}", call)
    if record.shape[0] == record.shape[1]:
        w = record.initial.astype(np.float64)
        _assert_orthonormal(w @ w.T, True, f"W W^T = I for the whole square {_short(record.path)}", call)
    return identity


def _assert_default_biases(result: RunResult, call: str) -> None:
    __tracebackhide__ = True
    biases = {_short(r.path): sorted(set(r.initial.tolist())) for r in result.variables if is_bias(r.path)}
    observe("biases", biases)
    assert_equal(biases, {path: [_own_bias(path)] for path in biases}, what="distinct values of each bias", call=call)


ORTHOGONAL_CELLS = (basic_rnn(3), gru(3), lstm(3), lstm(3, num_proj=2), basic_lstm(3), multi(lstm(3), gru(3)))


@check(cell=ORTHOGONAL_CELLS, mode=MODES)
def check_orthogonal_scope_initializer_makes_each_whole_kernel_orthogonal(cell: CellSpec, mode: str) -> None:
    """`orthogonal_initializer()` on a scope makes each kernel orthogonal as one whole matrix along its shorter side, W W^T = I for a wide one such as LSTM's fused (4+3, 12) kernel and W^T W = I for a tall one such as BasicRNN's or GRU's candidate (4+3, 3) kernel and the (3, 2) projection, and leaves the biases at their defaults."""
    result = _build(ORTHOGONAL, cell, mode)
    call = _describe(ORTHOGONAL, cell, mode)
    weights = _weights(result)
    assert_true(len(weights) > 0, what="kernels created", observed=0, expected="at least one", call=call)
    identities, deviations = {}, {}
    for record in weights:
        identities[_short(record.path)] = {"shape": list(record.shape), "identity": _assert_orthogonal(record, call)}
        _, gram = _gram(record.initial)
        deviations[_short(record.path)] = float(np.abs(gram - np.eye(len(gram))).max())
    observe("max_abs_deviation_from_identity", deviations, within=error_bound(np.eye(1), "float32"))
    observe("orthogonal_as_a_whole", identities)
    _assert_default_biases(result, call)


# (inputs, whether the gate blocks and the recurrent rows are orthogonal on their own): 4 inputs give a wide kernel
# (4+3, 12), whose rows are orthonormal; 20 inputs a tall one (20+3, 12), whose columns are.
LSTM_KERNEL_SHAPES = ((INPUT_SIZE, False, True), (20, True, False))


@check(mode=MODES)
def check_orthogonal_fused_lstm_kernel_parts_are_orthogonal_only_as_its_shape_allows(mode: str) -> None:
    """An orthogonal fused LSTM kernel is orthogonal only as a whole, so its parts follow its shape: with in+h < 4h its rows are orthonormal, the recurrent rows included (as Keras's separate orthogonal `recurrent_kernel` is), but no (in+h, h) gate block is orthogonal; with in+h > 4h each gate block has orthonormal columns but the recurrent rows are not orthonormal."""
    units = 3
    facts = {}
    for input_size, gates_orthogonal, recurrent_orthonormal in LSTM_KERNEL_SHAPES:
        cell = lstm(units)
        result = _build(ORTHOGONAL, cell, mode, input_size=input_size)
        call = _describe(ORTHOGONAL, cell, mode, input_size=input_size)
        record = result.variable("kernel")
        identity = _assert_orthogonal(record, call)
        w = record.initial.astype(np.float64)
        for k, gate in enumerate("ijfo"):
            block = w[:, k * units : (k + 1) * units]
            _assert_orthonormal(block.T @ block, gates_orthogonal, f"W^T W of gate block {gate} {block.shape} vs I", call)
        recurrent = w[input_size:]
        _assert_orthonormal(recurrent @ recurrent.T, recurrent_orthonormal, f"R R^T of the recurrent rows kernel[{input_size}:] vs I", call)
        facts[f"{input_size} inputs"] = {
            "kernel": list(record.shape),
            "whole": identity,
            "gate_blocks_orthogonal": gates_orthogonal,
            "recurrent_rows_orthonormal": recurrent_orthonormal,
        }
    observe("lstm_kernel", facts)


PEEPHOLE_CELL = lstm(3, use_peepholes=True)
PEEPHOLE_ERROR_PHRASES = ("must be at least two-dimensional", "Received shape=[3]")


def _assert_peephole_refusal(mode: str, on: str) -> None:
    """Building ``PEEPHOLE_CELL`` with the orthogonal initializer ``on`` the scope or the cell raises TF's ValueError at `w_f_diag`."""
    __tracebackhide__ = True
    attempted: list[str] = []
    inputs = sizes.inputs()
    scope_initializer = ORTHOGONAL.make() if on == "scope" else None
    own = {} if on == "scope" else {"initializer": ORTHOGONAL.make()}

    def call(cells: tuple[Any, ...]) -> Any:
        with v1.variable_scope(SCOPE, initializer=scope_initializer):
            return drive("dynamic_rnn", cells, inputs)

    call_text = _describe(ORTHOGONAL, PEEPHOLE_CELL, mode, "dynamic_rnn", on=on)
    raised: BaseException | None = None
    try:
        run(mode, lambda: make_cells("dynamic_rnn", PEEPHOLE_CELL, **own), call, attempted=attempted)
    except Exception as error:  # the error is what the check pins
        raised = error
    kind = type(raised).__name__ if raised is not None else "no error"
    text = str(raised) if raised is not None else ""
    observe_raised("error", kind, text, PEEPHOLE_ERROR_PHRASES)
    observe("variables_attempted", attempted)
    assert_equal(kind, "ValueError", what="error raised", call=call_text)
    assert_equal(
        [p for p in PEEPHOLE_ERROR_PHRASES if p in text], list(PEEPHOLE_ERROR_PHRASES), what="pinned phrases in the message", call=call_text
    )
    assert_equal(
        attempted,
        [f"{SCOPE}/rnn/lstm_cell/{name}" for name in ("kernel", "bias", "w_f_diag")],
        what="variables TF asked for, the last one raising",
        call=call_text,
    )
    assert_equal("w_f_diag" in text, False, what="message names the variable", call=call_text)


@check(mode=MODES)
def check_orthogonal_scope_initializer_raises_on_peephole_diagonals(mode: str) -> None:
    """LSTMCell(use_peepholes=True) under an orthogonal scope initializer raises ValueError 'must be at least two-dimensional. Received shape=[3]' when it creates its first 1-D diagonal `w_f_diag`, without naming the variable."""
    _assert_peephole_refusal(mode, "scope")


BIDIRECTIONAL_STACKS = (multi(lstm(3), lstm(3)), multi(gru(3), gru(3)))
# Inside tf.function, dynamic_rnn's fw and bw cells create their variables in identical while_loop body graphs,
# where an unseeded op takes its seed from the op count: under a TF seed both directions draw the same values
# (seen on TF 2.21: static_bidirectional_rnn, which has no while loop, draws different ones in tf.function too).
UNSEEDED_FW_EQUALS_BW = {"graph": False, "eager": False, "function": True}


def _directions(result: RunResult) -> list[tuple[VariableRecord, VariableRecord]]:
    forward = [r for r in _weights(result) if "/fw/" in r.path]
    backward = [r for r in _weights(result) if "/bw/" in r.path]
    return list(zip(forward, backward, strict=True))


@check(cell=BIDIRECTIONAL_STACKS, mode=MODES)
def check_orthogonal_scope_around_a_bidirectional_multirnncell(cell: CellSpec, mode: str) -> None:
    """The common recipe `orthogonal_initializer()` on a scope around `bidirectional_dynamic_rnn` of two-layer MultiRNNCells, makes every kernel of both directions and layers orthogonal as a whole with default biases, and under a TF seed the fw and bw kernels differ except inside tf.function, where they come out identical."""
    driver = "bidirectional_dynamic_rnn"
    result = _build(UNSEEDED_ORTHOGONAL, cell, mode, driver)
    call = _describe(UNSEEDED_ORTHOGONAL, cell, mode, driver)
    weights = _weights(result)
    assert_equal(len(weights), 2 * sum(2 if layer.kind == "GRUCell" else 1 for layer in cell.layers), what="kernels created", call=call)
    observe("orthogonal_as_a_whole", {_short(r.path): _assert_orthogonal(r, call) for r in weights})
    _assert_default_biases(result, call)
    same = {_short(fw.path): bool(np.array_equal(fw.initial, bw.initial)) for fw, bw in _directions(result)}
    observe("fw_kernel_equals_bw_kernel", same)
    assert_equal(set(same.values()), {UNSEEDED_FW_EQUALS_BW[mode]}, what="fw kernel == bw kernel, per kernel", call=call)


# ---------------------------------------------------------------------------------------------------------
# Elementwise recipes: which variables take them, and with what statistics

# Bound: every |w| <= bound up to float32 rounding. Reach: with >= 2048 draws both extremes lie within 5% of
# the bound (uniform: 2.5% of the mass per side, P(miss) = 0.975^2048 ~ 1e-22; truncated normal: 0.63% per side,
# P(miss) = 0.9937^2048 ~ 3e-6). Variance: within 15% of the formula, > 5 sigma of the sample variance at 2048
# draws for both laws (relative standard error 0.020 uniform, 0.026 truncated normal), while fans taken per gate
# block (glorot: fan_out h instead of 4h) or from the recurrent rows alone (variance scaling: fan_in h instead
# of in+h) move it by more than 30%.
BOUND_SLACK = 1 + 1e-6
REACH = 0.95
VARIANCE_TOLERANCE = 0.15
MANY = 2048
# A 1-D peephole diagonal has only WIDE draws: in bounds, and its largest |w| beyond half the bound
# (P(miss) = 0.5^64 uniform, 0.72^64 ~ 1e-9 truncated normal), which tells it from zeros or any constant.
FEW_REACH = 0.5


def _assert_law(record: VariableRecord, law: Law, call: str) -> float | None:
    """``record``'s draws obey ``law``; returns their variance / the formula's (``None`` for too few draws)."""
    __tracebackhide__ = True
    values = record.initial.astype(np.float64).ravel()
    what = f"{_short(record.path)} {record.shape} (fans {law.fan_in}, {law.fan_out})"
    largest = float(np.abs(values).max())
    assert_true(
        largest <= law.bound * BOUND_SLACK,
        what=f"{what} max |w|",
        observed=largest,
        expected=f"<= the {law.distribution} bound {law.bound:.6f}",
        call=call,
    )
    if values.size < MANY:
        assert_true(
            largest > FEW_REACH * law.bound,
            what=f"{what} max |w| of {values.size} draws",
            observed=largest,
            expected=f"> {FEW_REACH} x bound = {FEW_REACH * law.bound:.6f}",
            call=call,
        )
        return None
    assert_true(
        values.min() < -REACH * law.bound and values.max() > REACH * law.bound,
        what=f"{what} range",
        observed=(float(values.min()), float(values.max())),
        expected=f"both extremes beyond {REACH} x +-{law.bound:.6f}",
        call=call,
    )
    ratio = float(values.var() / law.variance)
    assert_true(
        abs(ratio - 1) < VARIANCE_TOLERANCE,
        what=f"{what} variance / formula variance {law.variance:.3g}",
        observed=round(ratio, 4),
        expected=f"1 within {VARIANCE_TOLERANCE}",
        call=call,
    )
    return ratio


# Every kind of weight at >= 2048 draws per matrix (WIDE units): kernels, gates/candidate, peephole diagonals,
# the projection, and a stacked layer whose fan_in is the previous layer's output plus its own units (64+48).
STAT_CELLS = (basic_rnn(WIDE), gru(WIDE), lstm(WIDE, use_peepholes=True, num_proj=WIDE // 2), multi(basic_lstm(WIDE), gru(48)))


@check(recipe=ELEMENTWISE, cell=STAT_CELLS, mode=MODES)
def check_scope_initializer_draws_use_the_fans_of_the_whole_fused_kernel(recipe: Recipe, cell: CellSpec, mode: str) -> None:
    """A glorot, variance-scaling, truncated-normal or uniform scope initializer draws every kernel, peephole diagonal and projection with TF1's formula over the variable's whole shape (fused LSTM kernel: fan_in = in+h, fan_out = 4h; 1-D diagonal: n, n), truncated normals cut at 2 stddev so that `truncated_normal_initializer(stddev=0.1)` has a true stddev of 0.088."""
    result = _build(recipe, cell, mode, input_size=WIDE)
    call = _describe(recipe, cell, mode, input_size=WIDE)
    weights = _weights(result)
    assert_true(len(weights) > 0, what="kernels created", observed=0, expected="at least one", call=call)
    laws = {record.path: recipe.law(record.shape) for record in weights}
    observe("formula", {_short(path): {"shape": list(r.shape), **laws[path].facts()} for path, r in zip(laws, weights, strict=True)})
    ratios = {_short(r.path): _assert_law(r, laws[r.path], call) for r in weights}
    observe(
        "variance_over_formula", {path: round(ratio, 4) for path, ratio in ratios.items() if ratio is not None}, within=VARIANCE_TOLERANCE
    )


TOOK_IT = "scope initializer"


def _source(recipe: Recipe, record: VariableRecord, took_it: str = TOOK_IT) -> Any:
    """What filled ``record``: its constant, ``took_it`` when its draws lie within ``recipe``'s bound, else how they do not."""
    distinct = np.unique(record.initial)
    if distinct.size == 1:
        return float(distinct[0])
    within = float(np.abs(record.initial).max()) <= recipe.law(record.shape).bound * BOUND_SLACK
    return took_it if within else f"{distinct.size} values beyond the {recipe} bound"


@check(recipe=ELEMENTWISE, cell=STAT_CELLS, mode=MODES)
def check_scope_initializer_reaches_kernels_peepholes_and_projection_but_no_bias(recipe: Recipe, cell: CellSpec, mode: str) -> None:
    """A real scope initializer reaches every kernel, peephole diagonal and projection kernel, while every bias keeps its own constant (GRU `gates/bias` 1.0, all others 0.0)."""
    result = _build(recipe, cell, mode, input_size=WIDE)
    call = _describe(recipe, cell, mode, input_size=WIDE)
    observed = {_short(r.path): _source(recipe, r) for r in result.variables}
    observe("initialized_by", observed)
    expected = {_short(r.path): _own_bias(r.path) if is_bias(r.path) else TOOK_IT for r in result.variables}
    assert_equal(observed, expected, what="what initialized each variable {path: source or constant}", call=call)


# ---------------------------------------------------------------------------------------------------------
# Seeds

SEED_CELL = lstm(4)


def _direct(recipe: Recipe, shape: tuple[int, ...], mode: str) -> np.ndarray:
    """``recipe.make()(shape)`` evaluated on its own under TF seed 0: in a fresh graph and session (graph mode) or eagerly."""
    if mode == "graph":
        with fresh_graph(0) as graph:
            return graph.evaluate(recipe.make()(shape))
    with fresh_eager(0):
        return recipe.make()(shape).numpy()


@check(recipe=RECIPES, mode=MODES)
def check_seeded_scope_initializer_gives_identical_fresh_builds(recipe: Recipe, mode: str) -> None:
    """A seeded scope initializer gives every variable the same values in two fresh builds in every mode, the first kernel being exactly the initializer called on its own shape under the same seeds."""
    first = _build(recipe, SEED_CELL, mode)
    second = _build_fresh(recipe, SEED_CELL, mode)
    call = _describe(recipe, SEED_CELL, mode) + ", built twice"
    same = {_short(a.path): bool(np.array_equal(a.initial, b.initial)) for a, b in zip(first.variables, second.variables, strict=True)}
    observe("same_values_in_a_second_build", same)
    assert_equal(set(same.values()), {True}, what="variables with identical values in both builds", call=call)
    kernel = first.variable("kernel")
    direct = _direct(recipe, kernel.shape, mode)
    observe("first_kernel_equals_the_initializer_called_directly", bool(np.array_equal(kernel.initial, direct)))
    assert_equal(
        kernel.initial.tolist(), direct.tolist(), what=f"{_short(kernel.path)} vs {recipe}({kernel.shape}) called directly", call=call
    )


STREAM_CELL = multi(lstm(3), lstm(3))  # on 4 inputs: layer 0 kernel (7, 12), layer 1 kernel (6, 12)
# A seeded op's random stream depends only on (TF seed, op seed): graph and tf.function create a new op per
# variable, which restarts the stream; eager mode runs one cached kernel per seed pair, which continues it.
SEEDED_STREAM_RESTARTS = {"graph": True, "eager": False, "function": True}


@check(recipe=RECIPES, mode=MODES)
def check_seeded_scope_initializer_repeats_its_draw_within_a_build(recipe: Recipe, mode: str) -> None:
    """A seeded scope initializer restarts its random stream for every variable in graph and tf.function modes, so a bidirectional RNN's fw and bw kernels are identical and an elementwise initializer's smaller layer-1 kernel (6, 12) is layer 0's first 6 rows rescaled, while eager mode continues the stream and every kernel differs."""
    driver = "bidirectional_dynamic_rnn"
    result = _build(recipe, STREAM_CELL, mode, driver)
    call = _describe(recipe, STREAM_CELL, mode, driver)
    pairs = _directions(result)
    restarts = SEEDED_STREAM_RESTARTS[mode]
    observe("fw_kernel_equals_bw_kernel", {_short(fw.path): bool(np.array_equal(fw.initial, bw.initial)) for fw, bw in pairs})
    for fw, bw in pairs:
        if restarts:
            assert_equal(fw.initial.tolist(), bw.initial.tolist(), what=f"{_short(fw.path)} vs {_short(bw.path)}", call=call)
        else:
            assert_not_close(fw.initial, bw.initial, what=f"{_short(fw.path)} vs {_short(bw.path)}", call=call)
    (layer0, _), (layer1, _) = pairs
    rows = layer1.shape[0]
    if restarts and recipe.elementwise:
        scale = recipe.law(layer1.shape).bound / recipe.law(layer0.shape).bound
        observe("layer1_over_layer0_first_rows", round(scale, 6))
        what = f"{_short(layer1.path)} vs {_short(layer0.path)}[:{rows}] x {scale:.6f} (the formulas' scale ratio)"
        assert_close(layer1.initial, layer0.initial[:rows] * scale, what=what, call=call)
    elif not restarts:
        assert_not_close(layer1.initial, layer0.initial[:rows], what=f"{_short(layer1.path)} vs {_short(layer0.path)}[:{rows}]", call=call)


@check(mode=MODES)
def check_unseeded_scope_initializer_follows_the_tf_seed(mode: str) -> None:
    """An unseeded scope initializer (`orthogonal_initializer()` as commonly written) follows TF's graph-level or global seed, unlike the cells' default initializer: two fresh builds under the same TF seed draw identical kernels, and another TF seed draws different ones."""
    cell, driver = BIDIRECTIONAL_STACKS[0], "bidirectional_dynamic_rnn"
    first = _build(UNSEEDED_ORTHOGONAL, cell, mode, driver)
    again = _build_fresh(UNSEEDED_ORTHOGONAL, cell, mode, driver)
    other = _build_fresh(UNSEEDED_ORTHOGONAL, cell, mode, driver, tf_seed=1)
    call = _describe(UNSEEDED_ORTHOGONAL, cell, mode, driver) + ", built again with TF seed 0, then with TF seed 1"
    observe(
        "same_kernels",
        {
            "same_tf_seed": all(np.array_equal(a.initial, b.initial) for a, b in zip(_weights(first), _weights(again), strict=True)),
            "other_tf_seed": any(np.array_equal(a.initial, b.initial) for a, b in zip(_weights(first), _weights(other), strict=True)),
        },
    )
    for a, b, c in zip(_weights(first), _weights(again), _weights(other), strict=True):
        assert_equal(a.initial.tolist(), b.initial.tolist(), what=f"{_short(a.path)} in two builds under TF seed 0", call=call)
        assert_not_close(a.initial, c.initial, what=f"{_short(a.path)} under TF seed 0 vs TF seed 1", call=call)


# ---------------------------------------------------------------------------------------------------------
# The cells' own initializer arguments given these recipes. Only LSTMCell (`initializer`) and GRUCell
# (`kernel_initializer`, `bias_initializer`) take one on TF 2.21; BasicRNNCell and BasicLSTMCell have none, so
# a scope initializer is their only way in. Which one wins when a scope initializer and a cell argument are both
# given is pinned with constants by cell_contract.check_initializer_argument_reaches_weights
# (the cell argument wins for every non-bias variable; initializer_inheritance.check_biases_ignore_the_scope_initializer
# pins that biases take no scope initializer).

OWN_RECIPES = (ELEMENTWISE[0], ELEMENTWISE[2], ELEMENTWISE[3])  # glorot uniform, variance scaling, truncated normal
OWN_STAT_CELLS = (lstm(WIDE, use_peepholes=True, num_proj=WIDE // 2), gru(WIDE))
TOOK_OWN = "cell argument"


@check(
    covers=("LSTMCell.initializer", "GRUCell.kernel_initializer", "GRUCell.bias_initializer"),
    recipe=OWN_RECIPES,
    cell=OWN_STAT_CELLS,
    mode=MODES,
)
def check_cell_initializer_argument_draws_like_a_scope_initializer(recipe: Recipe, cell: CellSpec, mode: str) -> None:
    """A real initializer given as LSTMCell's `initializer=` reaches its kernel, peephole diagonals and projection but not its bias (0.0), and as GRUCell's `kernel_initializer=`/`bias_initializer=` both kernels and both biases, each drawn with TF1's formula over the variable's whole shape as on a scope."""
    result = _build(recipe, cell, mode, input_size=WIDE, on="cell")
    call = _describe(recipe, cell, mode, input_size=WIDE, on="cell")
    observed = {_short(r.path): _source(recipe, r, TOOK_OWN) for r in result.variables}
    observe("initialized_by", observed)
    expected = {_short(r.path): 0.0 if is_bias(r.path) and cell.kind == "LSTMCell" else TOOK_OWN for r in result.variables}
    assert_equal(observed, expected, what="what initialized each variable {path: source or constant}", call=call)
    drawn = [r for r in result.variables if expected[_short(r.path)] == TOOK_OWN]
    ratios = {_short(r.path): _assert_law(r, recipe.law(r.shape), call) for r in drawn}
    observe(
        "variance_over_formula", {path: round(ratio, 4) for path, ratio in ratios.items() if ratio is not None}, within=VARIANCE_TOLERANCE
    )


OWN_ORTHOGONAL_CELLS = (lstm(3, num_proj=2), gru(3))


@check(covers=("LSTMCell.initializer", "GRUCell.kernel_initializer"), cell=OWN_ORTHOGONAL_CELLS, mode=MODES)
def check_orthogonal_cell_initializer_argument_makes_each_whole_kernel_orthogonal(cell: CellSpec, mode: str) -> None:
    """`orthogonal_initializer()` as LSTMCell's `initializer=` or GRUCell's `kernel_initializer=` makes each kernel (LSTM's fused (4+3, 12) kernel and (3, 2) projection, GRU's gates and candidate kernels) orthogonal as one whole matrix, as on a scope, and leaves the biases at their defaults."""
    result = _build(ORTHOGONAL, cell, mode, on="cell")
    call = _describe(ORTHOGONAL, cell, mode, on="cell")
    weights = _weights(result)
    assert_equal(len(weights), 2, what="kernels created", call=call)
    observe("orthogonal_as_a_whole", {_short(r.path): {"shape": list(r.shape), "identity": _assert_orthogonal(r, call)} for r in weights})
    _assert_default_biases(result, call)


@check(covers=("LSTMCell.initializer",), mode=MODES)
def check_orthogonal_cell_initializer_argument_raises_on_peephole_diagonals(mode: str) -> None:
    """LSTMCell(use_peepholes=True, initializer=orthogonal_initializer()) raises the same ValueError 'must be at least two-dimensional. Received shape=[3]' as under an orthogonal scope, at its first 1-D diagonal `w_f_diag`."""
    _assert_peephole_refusal(mode, "cell")


# ---------------------------------------------------------------------------------------------------------
# partitioner= on the scope. Unlike LSTMCell's own num_unit_shards (argument_effects: honoured in a graph only),
# a scope's partitioner is honoured in every mode: get_variable splits every variable of the cell, biases and
# peephole diagonals included, into row blocks `.../part_k`, fixed_size_partitioner(2) giving n - n//2 and n//2 rows.

PARTS = 2
PARTITIONED_CELLS = (lstm(3, use_peepholes=True, num_proj=2), gru(3))


def _joined(result: RunResult) -> dict[str, np.ndarray]:
    """Partitioned variables (``.../kernel/part_k``) as the one variable they split, row blocks concatenated in order."""
    joined: dict[str, list[np.ndarray]] = {}
    for record in result.variables:
        joined.setdefault(record.path.split("/part_", 1)[0], []).append(record.initial)
    return {path: np.concatenate(parts, axis=0) for path, parts in joined.items()}


def _part_weights(result: RunResult) -> list[VariableRecord]:
    """The parts of the partitioned variables that are no bias."""
    return [r for r in result.variables if not is_bias(r.path.split("/part_", 1)[0])]


def _split_shapes(result: RunResult) -> dict[str, tuple[int, ...]]:
    """The ``{path/part_k: shape}`` fixed_size_partitioner(2) makes of ``result``'s unpartitioned variables."""
    shapes = {}
    for record in result.variables:
        rows = record.shape[0]
        for k, part_rows in enumerate((rows - rows // PARTS, rows // PARTS)):
            shapes[f"{_short(record.path)}/part_{k}"] = (part_rows, *record.shape[1:])
    return shapes


@check(cell=PARTITIONED_CELLS, mode=MODES)
def check_scope_partitioner_splits_every_variable_in_every_mode(cell: CellSpec, mode: str) -> None:
    """`partitioner=fixed_size_partitioner(2)` on a scope around `dynamic_rnn` splits every variable of LSTMCell and GRUCell (kernels, biases, peephole diagonals, projection) into two row blocks `part_0`/`part_1` in graph, eager and tf.function alike, and the outputs are the unpartitioned cell's on the joined values."""
    driver = "dynamic_rnn"
    result = _build(None, cell, mode, driver, parts=PARTS)
    unpartitioned = _build(None, cell, mode, driver)
    call = _describe(None, cell, mode, driver, parts=PARTS)
    shapes = {_short(r.path): r.shape for r in result.variables}
    observe("variables", {path: list(shape) for path, shape in shapes.items()})
    assert_equal(shapes, _split_shapes(unpartitioned), what="variables {path: shape}", call=call)
    joined = list(_joined(result).values())
    inputs = sizes.inputs()
    plain = run(
        mode,
        lambda: make_cells(driver, cell),
        lambda cells: drive(driver, cells, inputs),
        randomize=lambda index, shape, dtype: joined[index].astype(dtype),
    )
    for k, (observed, expected) in enumerate(zip(tf.nest.flatten(result.outputs), tf.nest.flatten(plain.outputs), strict=True)):
        what = f"dynamic_rnn result {k} (outputs, then state) vs the unpartitioned cell on the joined values"
        assert_close(observed, expected, what=what, call=call, dtype="float32")


@check(cell=(lstm(3), gru(3)), mode=MODES)
def check_scope_partitioner_makes_an_orthogonal_initializer_apply_per_part(cell: CellSpec, mode: str) -> None:
    """Under a scope partitioner an orthogonal scope initializer makes each part orthogonal on its own (LSTM's (4, 12) and (3, 12) row blocks have orthonormal rows), so the joined kernel is not orthogonal."""
    result = _build(ORTHOGONAL, cell, mode, "dynamic_rnn", parts=PARTS)
    call = _describe(ORTHOGONAL, cell, mode, "dynamic_rnn", parts=PARTS)
    parts = _part_weights(result)
    assert_equal(len(parts), PARTS * (2 if cell.kind == "GRUCell" else 1), what="kernel parts created", call=call)
    observe("orthogonal_per_part", {_short(r.path): {"shape": list(r.shape), "identity": _assert_orthogonal(r, call)} for r in parts})
    whole = {}
    for path, value in _joined(result).items():
        if not is_bias(path):
            identity, gram = _gram(value)
            _assert_orthonormal(gram, False, f"{identity.split(' (')[0]} for the joined {_short(path)} {value.shape}", call)
            whole[_short(path)] = list(value.shape)
    observe("joined_not_orthogonal", whole)


PARTITION_RECIPES = (ELEMENTWISE[0], ELEMENTWISE[2])  # glorot uniform (both fans), variance scaling (fan_in)
PARTITION_STAT_CELL = lstm(
    WIDE
)  # kernel (64+64, 256): parts (64, 256); per-part fans would move the bound 9% (glorot), the variance 2x (fan_in)


@check(recipe=PARTITION_RECIPES, mode=MODES)
def check_scope_partitioner_draws_each_part_with_the_whole_kernels_fans(recipe: Recipe, mode: str) -> None:
    """Under a scope partitioner a glorot or variance-scaling scope initializer draws each part with the fans of the whole logical kernel (fan_in = in+h = 128, not the part's 64 rows), and its two equal-shape parts are identical in graph and tf.function (the seeded stream restarts per part) but differ eagerly."""
    result = _build(recipe, PARTITION_STAT_CELL, mode, "dynamic_rnn", input_size=WIDE, parts=PARTS)
    call = _describe(recipe, PARTITION_STAT_CELL, mode, "dynamic_rnn", input_size=WIDE, parts=PARTS)
    whole = _joined(result)[f"{SCOPE}/rnn/lstm_cell/kernel"].shape
    law = recipe.law(whole)
    observe("formula", {"whole_shape": list(whole), **law.facts()})
    parts = _part_weights(result)
    ratios = {_short(r.path): _assert_law(r, law, call) for r in parts}
    observe(
        "variance_over_formula", {path: round(ratio, 4) for path, ratio in ratios.items() if ratio is not None}, within=VARIANCE_TOLERANCE
    )
    first, second = parts
    identical = SEEDED_STREAM_RESTARTS[mode]
    observe("part_0_equals_part_1", bool(np.array_equal(first.initial, second.initial)))
    what = f"{_short(first.path)} vs {_short(second.path)}"
    if identical:
        assert_equal(first.initial.tolist(), second.initial.tolist(), what=what, call=call)
    else:
        assert_not_close(first.initial, second.initial, what=what, call=call)

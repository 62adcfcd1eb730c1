"""Which initializer each variable of a TF1 cell gets: scope initializers, cell arguments and the default.

Every check reads the initial value of every variable the cell created (``modes.run``'s inventory), so a
kernel that silently ignored its scope's initializer shows up by value. Constant initializers with
distinct values (0.5 outer, 0.25 inner) make each source identifiable. That an outer scope's initializer reaches every
weight under every driver, and that a cell's own initializer argument wins over every scope, are the generic checks of
:mod:`tf_rnn_checks.checks.cell_contract` (``check_outer_scope_initializer_reaches_weights``,
``check_initializer_argument_reaches_weights``), which hold users' cells to the same.

Where the default comes from: the legacy cells create variables through ``tf.compat.v1.layers.Layer.add_weight``,
which substitutes the enclosing scope's initializer when the cell passes none; with no scope initializer
either, the Keras v1 base layer picks ``glorot_uniform`` (the same distribution ``get_variable`` defaults to).
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_equal, assert_not_close, assert_true
from tf_rnn_checks.cells import basic_lstm, basic_rnn, gru, lstm
from tf_rnn_checks.drivers import drive, make_cells
from tf_rnn_checks.matrix import MODES
from tf_rnn_checks.modes import RunResult, VariableRecord, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import INPUT_SIZE
from tf_rnn_checks.tf_import import tf, v1
from tf_rnn_checks.variable_names import is_bias

OUTER, INNER = 0.5, 0.25


def _inputs(size: int = INPUT_SIZE) -> np.ndarray:
    return sizes.inputs(size=size)


def _constant(record: VariableRecord) -> Any:
    """The value a variable was filled with, or its first 4 distinct values when it is not constant."""
    distinct = np.unique(record.initial)
    return float(distinct[0]) if distinct.size == 1 else [float(v) for v in distinct[:4]]


def _assert_values(result: RunResult, expect: Any, call: str) -> None:
    """Every variable holds the constant ``expect(record)`` says; observes ``{path: value}``."""
    __tracebackhide__ = True
    observe("initial_values", {record.path: _constant(record) for record in result.variables})
    assert_true(len(result.variables) > 0, what="variables created", observed=0, expected="at least one", call=call)
    for record in result.variables:
        assert_equal(_constant(record), expect(record), what=f"initial value of {record.path}", call=call)


def _run_under_scopes(mode: str, spec, driver: str, scopes: tuple[tuple[str, Any], ...], **overrides: Any) -> RunResult:
    def call(cells):
        with contextlib.ExitStack() as stack:
            for name, initializer in scopes:
                stack.enter_context(v1.variable_scope(name, initializer=initializer))
            return drive(driver, cells, _inputs())

    return run(mode, lambda: make_cells(driver, spec, **overrides), call)


@check(mode=MODES)
def check_inner_scope_initializer_overrides_outer_only_below_it(mode: str) -> None:
    """An inner scope's initializer overrides the outer one only for cells below it; a sibling scope keeps the outer initializer."""

    def make():
        return tuple(basic_rnn(3).make() for _ in range(3))

    def call(cells):
        x = _inputs()
        with v1.variable_scope("outer", initializer=tf.constant_initializer(OUTER)):
            with v1.variable_scope("inner", initializer=tf.constant_initializer(INNER)):
                a = drive("dynamic_rnn", cells[:1], x)
            with v1.variable_scope("sibling"):
                b = drive("dynamic_rnn", cells[1:2], x)
            c = drive("dynamic_rnn", cells[2:], x, scope="after_inner")
        return a, b, c

    result = run(mode, make, call)
    expected_kernels = {"outer/inner/": INNER, "outer/sibling/": OUTER, "outer/after_inner/": OUTER}

    def expect(record: VariableRecord) -> float:
        if is_bias(record.path):
            return 0.0
        return next(value for prefix, value in expected_kernels.items() if record.path.startswith(prefix))

    _assert_values(
        result, expect, f"BasicRNNCell(3) kernels under outer({OUTER})/inner({INNER}), outer/sibling, outer/after_inner; {mode} mode"
    )
    assert_equal(len(result.variables), 6, what="number of variables", call=f"three BasicRNNCell(3) in {mode} mode")


@check(cell=(basic_rnn(3), gru(3), lstm(3, use_peepholes=True), basic_lstm(3)))
def check_biases_ignore_the_scope_initializer(cell) -> None:
    """Biases ignore the scope initializer, starting where they start without one (their defaults), while kernels take it."""
    result = _run_under_scopes("graph", cell, "dynamic_rnn", (("outer", tf.constant_initializer(OUTER)),))
    # The defaults themselves are pinned by bias_defaults.check_bias_starts_at_its_default; here: the same with or without.
    defaults = {r.path: _constant(r) for r in _run_under_scopes("graph", cell, "dynamic_rnn", (("outer", None),)).variables}
    biases = [r for r in result.variables if is_bias(r.path)]
    call = f"dynamic_rnn({cell}) inside variable_scope('outer', initializer=constant({OUTER})) vs without it, graph mode"
    observe("bias_values", {r.path: _constant(r) for r in biases})
    assert_equal(len(biases), 2 if cell.kind == "GRUCell" else 1, what="number of biases", call=call)
    _assert_values(result, lambda r: defaults.get(r.path) if is_bias(r.path) else OUTER, call)


# Large enough for tight statistics (>= 16k samples per kernel), small enough to build in well under a second.
WIDE = 64
STAT_CELLS = (basic_rnn(WIDE), gru(WIDE), lstm(WIDE, use_peepholes=True, num_proj=WIDE // 2), basic_lstm(WIDE))
HISTOGRAM_BINS = 8
# The range, variance and histogram bounds below are > 4 sigma only from this many draws on.
MIN_DRAWS_FOR_SHAPE = 2048


def _glorot_limit(shape: tuple[int, ...]) -> float:
    """``sqrt(6 / (fan_in + fan_out))`` with TF's fans (rows, columns; ``n``, ``n`` for a vector)."""
    fan_in, fan_out = (shape[0], shape[0]) if len(shape) == 1 else shape[:2]
    return float(np.sqrt(6.0 / (fan_in + fan_out)))


def _assert_glorot_uniform(record: VariableRecord, call: str) -> dict[str, float]:
    """``record`` looks like U(-limit, limit): in bounds, reaching them, uniform variance, flat histogram."""
    __tracebackhide__ = True
    values = record.initial.astype(np.float64).ravel()
    limit = _glorot_limit(record.shape)
    facts = {"limit": limit, "min": float(values.min()), "max": float(values.max()), "var_ratio": float(values.var() / (limit**2 / 3))}
    what = f"{record.path} {record.shape}"
    assert_true(
        np.abs(values).max() <= limit,
        what=f"{what} max |w|",
        observed=float(np.abs(values).max()),
        expected=f"<= sqrt(6/(fan_in+fan_out)) = {limit:.5f}",
        call=call,
    )
    if len(record.shape) == 1:  # peephole diagonals (WIDE draws): too few for shape statistics, only the bounds are asserted
        return facts
    assert_true(
        values.size >= MIN_DRAWS_FOR_SHAPE,
        what=f"{what} number of draws",
        observed=values.size,
        expected=f">= {MIN_DRAWS_FOR_SHAPE} (the shape statistics below need them)",
        call=call,
    )
    facts["shape_statistics"] = True
    # The extremes lie within 1% of the bounds and the variance within 10% of limit^2/3 (both > 5 sigma).
    assert_true(
        values.min() < -0.99 * limit and values.max() > 0.99 * limit,
        what=f"{what} range",
        observed=(facts["min"], facts["max"]),
        expected=f"reaching +-{limit:.5f} (uniform, not truncated normal)",
        call=call,
    )
    assert_true(
        abs(facts["var_ratio"] - 1) < 0.1,
        what=f"{what} variance / (limit^2/3)",
        observed=round(facts["var_ratio"], 4),
        expected="1 within 0.1",
        call=call,
    )
    counts, _ = np.histogram(values, bins=HISTOGRAM_BINS, range=(-limit, limit))
    flat = counts / (values.size / HISTOGRAM_BINS)
    facts["histogram_ratio_range"] = [float(flat.min()), float(flat.max())]
    # Each bin holds >= 256 draws; +-25% is > 4 sigma, while glorot_normal's centre bins hold ~1.6x its edge bins.
    assert_true(
        flat.min() > 0.75 and flat.max() < 1.25,
        what=f"{what} histogram over {HISTOGRAM_BINS} equal bins / expected count",
        observed=[round(float(f), 3) for f in flat],
        expected="every bin within 0.75..1.25 (flat)",
        call=call,
    )
    return facts


@check(covers=("LSTMCell.initializer", "GRUCell.kernel_initializer"), cell=STAT_CELLS, mode=MODES)
def check_default_kernel_initializer_is_glorot_uniform(cell, mode: str) -> None:
    """With no initializer anywhere, weights are glorot_uniform: U(+-sqrt(6/(fan_in+fan_out))) over the whole fused kernel."""
    result = run(mode, lambda: make_cells("cell_call", cell), lambda cells: drive("cell_call", cells, _inputs(WIDE)), seed=4)
    call = f"{cell}({WIDE} inputs) with no initializer, seed 4, {mode} mode"
    weights = [r for r in result.variables if not is_bias(r.path)]
    assert_true(len(weights) > 0, what="kernels created", observed=0, expected="at least one", call=call)
    facts = {r.path: _assert_glorot_uniform(r, call) for r in weights}
    # The draws differ from run to run (check_default_initializer_ignores_tf_seeds): record the bound they obey.
    observe("glorot_limits", {path: round(fact["limit"], 6) for path, fact in facts.items()})
    observe("shape_statistics_checked", sorted(path for path, fact in facts.items() if fact.get("shape_statistics")))


SEED_CELL = basic_rnn(8)
SEEDED_SCOPE_INITIALIZER_SEED = 7


def _kernel_of_a_fresh_build(mode: str, initializer: Any) -> np.ndarray:
    """The kernel of ``SEED_CELL`` built under ``variable_scope("model", initializer=...)`` with TF's seed 0 set."""
    return _run_under_scopes(mode, SEED_CELL, "cell_call", (("model", initializer),)).variable("kernel").initial


@check(mode=MODES)
def check_default_initializer_ignores_tf_seeds(mode: str) -> None:
    """The default kernel initializer ignores TF's seeds: two identical builds under the same graph-level (graph) or global (eager, tf.function) seed draw different kernels, while a seeded scope initializer draws the same ones."""
    call = f"{SEED_CELL} built twice with seed 0 in {mode} mode, with no initializer, then with glorot_uniform(seed={SEEDED_SCOPE_INITIALIZER_SEED}) on its scope"
    unseeded = [_kernel_of_a_fresh_build(mode, None) for _ in range(2)]
    seeded = [_kernel_of_a_fresh_build(mode, v1.glorot_uniform_initializer(seed=SEEDED_SCOPE_INITIALIZER_SEED)) for _ in range(2)]
    observe("same_kernel_twice_without_initializer", bool(np.array_equal(*unseeded)))
    observe("same_kernel_twice_with_seeded_scope_initializer", bool(np.array_equal(*seeded)))
    assert_not_close(unseeded[0], unseeded[1], what="kernels of two identical builds with no initializer", call=call)
    assert_equal(seeded[0].tolist(), seeded[1].tolist(), what="kernels of two identical builds with a seeded scope initializer", call=call)

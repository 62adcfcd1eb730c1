"""Shared plumbing of the numeric checks: run a TF driver on seeded variables, run the NumPy reference on them.

The TF side builds every driver the TF1 way (with ``initial_state``, ``time_major`` and
``sequence_length`` when the case asks) and returns outputs batch-major; the reference side builds
:mod:`tf_rnn_checks.references` cells from the variable values TF actually used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, error_bound
from tf_rnn_checks.cells import CellSpec
from tf_rnn_checks.modes import RunResult, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.references import drivers as reference_drivers
from tf_rnn_checks.references.specs import reference_cell
from tf_rnn_checks.shared_runs import shared
from tf_rnn_checks.sizes import INPUT_SIZE, LENGTHS, STATE_SEED, TIME_STEPS, VARIABLE_SEED, seeded_values
from tf_rnn_checks.tf_import import tf, v1

BATCH = sizes.NUMERIC_BATCH
INPUT_SEED = sizes.NUMERIC_INPUT_SEED


@dataclass(frozen=True)
class DriverCase:
    """One way of driving a cell: the TF1 function and the options it is called with."""

    driver: str
    time_major: bool = False
    lengths: bool = False
    initial_state: bool = False

    def __str__(self) -> str:
        flags = [name for name in ("time_major", "lengths", "initial_state") if getattr(self, name)]
        return f"{self.driver}({','.join(flags)})" if flags else self.driver

    @property
    def bidirectional(self) -> bool:
        return "bidirectional" in self.driver


def inputs(dtype: str, seed: int = INPUT_SEED, batch: int = BATCH, time: int = TIME_STEPS, features: int = INPUT_SIZE) -> np.ndarray:
    """Seeded batch-major inputs ``[batch, time, features]``."""
    return sizes.inputs(batch=batch, time=time, size=features, dtype=dtype, seed=seed, distribution=sizes.UNIFORM)


def _seeded_state(cell: Any, dtype: str, seed: int) -> Any:
    """A seeded state with the structure of ``cell.zero_state`` (each leaf its own stream)."""
    leaves = tf.nest.flatten(cell.zero_state(BATCH, tf.as_dtype(dtype)))
    values = [tf.constant(sizes.seeded_array(seed, k, tuple(leaf.shape), dtype)) for k, leaf in enumerate(leaves)]
    return tf.nest.pack_sequence_as(cell.zero_state(BATCH, tf.as_dtype(dtype)), values)


def tf_drive(case: DriverCase, cells: tuple[Any, ...], x: np.ndarray) -> dict[str, Any]:
    """Run ``cells`` with ``case`` on batch-major ``x``; outputs come back batch-major, with the initial state used."""
    result = _tf_drive(case, cells, x)
    if not case.initial_state:
        del result["initial"]  # a graph-mode session cannot fetch None
    return result


def _tf_drive(case: DriverCase, cells: tuple[Any, ...], x: np.ndarray) -> dict[str, Any]:
    dtype = x.dtype.name
    tf_dtype = tf.as_dtype(dtype)
    lengths = tf.constant(LENGTHS) if case.lengths else None
    initial = (
        tuple(_seeded_state(cell, dtype, STATE_SEED + k) for k, cell in enumerate(cells)) if case.initial_state else (None,) * len(cells)
    )
    x_tf = tf.constant(x)
    if case.driver == "cell_call":
        output, state = cells[0](x_tf[:, 0], initial[0] if case.initial_state else cells[0].zero_state(BATCH, tf_dtype))
        return {"outputs": output[:, None], "state": state, "initial": initial[0]}
    if case.driver == "dynamic_rnn":
        feed = tf.transpose(x_tf, [1, 0, 2]) if case.time_major else x_tf
        outputs, state = v1.nn.dynamic_rnn(
            cells[0], feed, sequence_length=lengths, initial_state=initial[0], dtype=tf_dtype, time_major=case.time_major
        )
        return {"outputs": tf.transpose(outputs, [1, 0, 2]) if case.time_major else outputs, "state": state, "initial": initial[0]}
    if case.driver == "bidirectional_dynamic_rnn":
        feed = tf.transpose(x_tf, [1, 0, 2]) if case.time_major else x_tf
        (forward, backward), states = v1.nn.bidirectional_dynamic_rnn(
            cells[0],
            cells[1],
            feed,
            sequence_length=lengths,
            initial_state_fw=initial[0],
            initial_state_bw=initial[1],
            dtype=tf_dtype,
            time_major=case.time_major,
        )
        if case.time_major:
            forward, backward = tf.transpose(forward, [1, 0, 2]), tf.transpose(backward, [1, 0, 2])
        return {"outputs": (forward, backward), "state": states, "initial": initial}
    steps = tf.unstack(x_tf, axis=1)
    if case.driver == "static_rnn":
        outputs, state = v1.nn.static_rnn(cells[0], steps, sequence_length=lengths, initial_state=initial[0], dtype=tf_dtype)
        return {"outputs": tf.stack(outputs, axis=1), "state": state, "initial": initial[0]}
    if case.driver == "static_bidirectional_rnn":
        outputs, state_fw, state_bw = v1.nn.static_bidirectional_rnn(
            cells[0], cells[1], steps, sequence_length=lengths, initial_state_fw=initial[0], initial_state_bw=initial[1], dtype=tf_dtype
        )
        stacked = tf.stack(outputs, axis=1)
        units = stacked.shape[-1] // 2
        return {"outputs": (stacked[..., :units], stacked[..., units:]), "state": (state_fw, state_bw), "initial": initial}
    raise ValueError(f"case: unknown driver {case.driver!r}")


def run_tf(case: DriverCase, spec: CellSpec, mode: str, dtype: str, *, randomize: Callable | None = None) -> RunResult:
    """``case`` driving ``spec`` in ``mode`` with seeded variables (or ``randomize``) and seeded inputs."""
    count = 2 if case.bidirectional else 1
    return run(
        mode,
        lambda: tuple(spec.make() for _ in range(count)),
        lambda cells: tf_drive(case, cells, inputs(dtype)),
        randomize=randomize or seeded_values(VARIABLE_SEED),
    )


@shared
def run_tf_cached(case: DriverCase, spec: CellSpec, mode: str, dtype: str) -> RunResult:
    """:func:`run_tf` with the default seeds, computed once per process and read-only (:mod:`tf_rnn_checks.shared_runs`)."""
    return run_tf(case, spec, mode, dtype)


def reference_drive(
    case: DriverCase, spec: CellSpec, values: dict[str, np.ndarray], x: np.ndarray, initial: Any, *, build: Callable = reference_cell
) -> dict[str, Any]:
    """The reference's outputs (batch-major) and final state for ``case``, from TF's variable ``values``."""
    lengths = LENGTHS if case.lengths else None
    if case.bidirectional:
        fw = build(spec, {p: v for p, v in values.items() if "/fw/" in p})
        bw = build(spec, {p: v for p, v in values.items() if "/bw/" in p})
        init_fw, init_bw = initial if case.initial_state else (None, None)
        (forward, backward), states = reference_drivers.bidirectional_dynamic_rnn(
            fw, bw, x, sequence_length=lengths, initial_state_fw=init_fw, initial_state_bw=init_bw
        )
        return {"outputs": (forward, backward), "state": states}
    cell = build(spec, values)
    if case.driver == "cell_call":
        state = initial if case.initial_state else cell.zero_state(BATCH)
        output, new_state = cell(x[:, 0], state)
        return {"outputs": output[:, None], "state": new_state}
    outputs, state = reference_drivers.dynamic_rnn(cell, x, sequence_length=lengths, initial_state=initial if case.initial_state else None)
    return {"outputs": outputs, "state": state}


def leaves(structure: Any) -> list[np.ndarray]:
    """Arrays of a nest (TF's namedtuples or the reference's) in ``tf.nest.flatten`` order."""
    return [np.asarray(leaf) for leaf in reference_drivers.flatten_state(structure)]


def assert_matches(
    observed: dict[str, Any], expected: dict[str, Any], *, call: str, dtype: str, check: str | None = None, prefix: str = ""
) -> float:
    """Outputs and final state leaf by leaf within ``dtype``'s tolerance; observes and returns the max abs error."""
    __tracebackhide__ = True
    worst, bound = 0.0, 0.0
    for part in ("outputs", "state"):
        got, want = leaves(observed[part]), leaves(expected[part])
        assert_equal(len(got), len(want), what=f"number of {part} arrays", call=call)
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_close(g, w, what=f"{prefix}{part}[{k}] vs NumPy reference", call=call, dtype=dtype, check=check)
            worst = max(worst, float(np.max(np.abs(g.astype(np.float64) - w.astype(np.float64)), initial=0.0)))
            bound = max(bound, error_bound(w, dtype, check))
    observe(f"{prefix}max_abs_error", worst, within=bound)
    return worst


def max_abs_error(observed: dict[str, Any], expected: dict[str, Any]) -> float:
    """The largest absolute difference over outputs and final state."""
    return max(
        float(np.max(np.abs(np.asarray(o, np.float64) - np.asarray(e, np.float64)), initial=0.0))
        for part in ("outputs", "state")
        for o, e in zip(leaves(observed[part]), leaves(expected[part]), strict=True)
    )


def assert_agrees(result: RunResult, expected: dict[str, Any], *, what: str, call: str, dtype: str = "float64") -> None:
    """TF's outputs and final state (``result.outputs``) equal a reference built on the hypothesis ``what``."""
    __tracebackhide__ = True
    for part in ("outputs", "state"):
        got, want = leaves(result.outputs[part]), leaves(expected[part])
        assert_equal(len(got), len(want), what=f"number of {part} arrays", call=call)
        for k, (o, e) in enumerate(zip(got, want, strict=True)):
            assert_close(o, e, what=f"{part}[{k}] vs reference with {what}", call=call, dtype=dtype)


def assert_differs(result: RunResult, expected: dict[str, Any], *, what: str, call: str) -> float:
    """TF's outputs or final state differ from a reference built on the competing hypothesis ``what``; returns the difference."""
    __tracebackhide__ = True
    worst = max_abs_error(result.outputs, expected)
    assert_not_close(np.array([worst]), np.array([0.0]), what=f"TF vs reference with {what}", call=call)
    return worst

"""Run the same cell-building code in the three ways TF1 code runs under TF2.

- ``graph``: a fresh ``tf.Graph`` and ``tf.compat.v1.Session``, the TF1 way;
- ``eager``: straight Python calls with eager execution;
- ``function``: the call traced by ``tf.function``.

A run is split into ``make()``, which constructs the cells (plain Python objects, no variables yet),
and ``call(made)``, which calls them and returns a nest of tensors. In ``function`` mode only
``call`` is traced: TF's first ``tf.function`` call traces twice once it has created variables,
so a cell constructed *inside* the traced function asks for its variables again, which TF refuses
(the documented TF2 pattern is to construct layers outside the function).

Every variable created during ``call`` is captured through ``tf.variable_creator_scope``, so the
inventory is the same in all modes and never depends on graph collections.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks.selection import MODES
from tf_rnn_checks.tf_import import tf, v1


@dataclass(frozen=True)
class VariableRecord:
    """One variable as TF created it: its full name (``.../kernel:0``), shape, dtype and first value."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    initial: np.ndarray

    @property
    def path(self) -> str:
        """The name without TF's ``:0`` output suffix, as checkpoints store it."""
        return self.name.rsplit(":", 1)[0]


@dataclass(frozen=True)
class RunResult:
    """What one run produced: the outputs (NumPy, same nesting as ``call`` returned) and the variables."""

    mode: str
    outputs: Any
    variables: tuple[VariableRecord, ...]

    @property
    def inventory(self) -> dict[str, tuple[int, ...]]:
        """``{name: shape}`` in creation order."""
        return {v.name: v.shape for v in self.variables}

    def variable(self, name: str) -> VariableRecord:
        """The variable whose full name or path equals ``name``, or ends with ``/name``."""
        matches = [v for v in self.variables if name in (v.name, v.path) or v.path.endswith("/" + name)]
        if len(matches) != 1:
            raise KeyError(
                f"name: expected exactly one variable matching {name!r}, found {[v.name for v in matches]} in {list(self.inventory)}"
            )
        return matches[0]

    def values(self) -> dict[str, np.ndarray]:
        """``{path: initial value}``: the values the outputs were computed with."""
        return {v.path: v.initial for v in self.variables}


def seeded_values(seed: int, low: float = -1.0, high: float = 1.0) -> Callable[[int, tuple[int, ...], Any], np.ndarray]:
    """A value maker for :func:`run`'s ``randomize``: uniform values, seeded by ``seed`` and creation order."""

    def make(index: int, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        return np.random.default_rng([seed, index]).uniform(low, high, size=shape).astype(dtype)

    return make


def run(
    mode: str,
    make: Callable[[], Any],
    call: Callable[[Any], Any],
    *,
    seed: int = 0,
    randomize: Callable[[int, tuple[int, ...], Any], np.ndarray] | None = None,
) -> RunResult:
    """Construct with ``make()``, call with ``call(made)`` in ``mode``, and return outputs and variables.

    ``seed`` seeds TF's graph-level (graph mode) or global (eager, function) random seed before anything
    is built. ``randomize(index, shape, dtype)``, when given, replaces every variable's initial value
    (e.g. :func:`seeded_values`), so numeric checks never rely on a default initializer.
    """
    if mode not in MODES:
        raise ValueError(f"mode: expected one of {MODES}, got {mode!r}")
    created: list[Any] = []

    def creator(next_creator: Callable[..., Any], **kwargs: Any) -> Any:
        if randomize is not None:
            shape = creator_variable_shape(kwargs)
            dtype = tf.as_dtype(kwargs["dtype"]).as_numpy_dtype
            value = randomize(len(created), shape, dtype)
            kwargs["initial_value"] = lambda: tf.constant(value)
        variable = next_creator(**kwargs)
        created.append(variable)
        return variable

    def traced_call(made: Any) -> Any:
        with tf.variable_creator_scope(creator):
            return call(made)

    if mode == "graph":
        return _run_graph(make, traced_call, created, seed)
    # A traced call registers its variable names in the global default graph's variable store, which
    # would make the next run's identically named variables collide; a fresh default graph isolates runs.
    v1.reset_default_graph()
    tf.random.set_seed(seed)
    made = make()
    outputs = traced_call(made) if mode == "eager" else tf.function(lambda: traced_call(made))()
    return RunResult(mode, _to_numpy(outputs), _records(created, [v.numpy() for v in created]))


def creator_variable_shape(creator_kwargs: dict[str, Any]) -> tuple[int, ...]:
    """The shape of the variable being created; TF <= 2.14 leaves ``shape`` unset for legacy-layer weights."""
    shape = tf.TensorShape(creator_kwargs.get("shape"))
    if shape.rank is None:
        initial = creator_kwargs["initial_value"]
        with tf.init_scope():
            shape = (initial() if callable(initial) else tf.convert_to_tensor(initial)).shape
    return tuple(shape.as_list())


def _run_graph(make: Callable[[], Any], traced_call: Callable[[Any], Any], created: list[Any], seed: int) -> RunResult:
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(seed)
        outputs = traced_call(make())
        with v1.Session(graph=graph) as session:
            session.run(v1.variables_initializer(created))
            initial, values = session.run((created, outputs))  # nothing in a forward pass assigns to a variable
    return RunResult("graph", values, _records(created, initial))


def _records(variables: Sequence[Any], values: Sequence[np.ndarray]) -> tuple[VariableRecord, ...]:
    return tuple(
        VariableRecord(v.name, tuple(v.shape.as_list()), v.dtype.base_dtype.name, np.asarray(value))
        for v, value in zip(variables, values, strict=True)
    )


def _to_numpy(structure: Any) -> Any:
    return tf.nest.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, structure)

"""The run layer: the one place TensorFlow is run, in the three ways TF1 code runs under TF2.

- ``graph``: a fresh ``tf.Graph`` and ``tf.compat.v1.Session``, the TF1 way;
- ``eager``: straight Python calls with eager execution;
- ``function``: the call traced by ``tf.function``.

:func:`run` is the path every check takes: it splits a run into ``make()``, which constructs the cells (plain
Python objects, no variables yet), and ``call(made)``, which calls them and returns a nest of tensors. In
``function`` mode only ``call`` is traced: TF's first ``tf.function`` call traces twice once it has created
variables, so a cell constructed *inside* the traced function asks for its variables again, which TF refuses
(the documented TF2 pattern is to construct layers outside the function). Every variable created during
``call`` is captured through ``tf.variable_creator_scope``, so the inventory is the same in all modes and never
depends on graph collections. The detours a check may need go through the same call: exact or seeded
variable values, a Saver checkpoint saved or restored, new values assigned and the outputs computed again.

Checks that inspect a graph rather than run a construction (devices, op types, errors raised while building)
open it with :func:`fresh_graph`; eager-only detours start from :func:`fresh_eager`; TF's log records are read
through :func:`captured_logs`. No check opens a ``Graph``, ``Session`` or creator scope of its own.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks.selection import MODES
from tf_rnn_checks.tf_import import tf, v1


@dataclass(frozen=True)
class VariableRecord:
    """One variable as TF created it: its full name (``.../kernel:0``), shape, dtype and first value (``None`` when not evaluated)."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    initial: np.ndarray | None

    @property
    def path(self) -> str:
        """The name without TF's ``:0`` output suffix, as checkpoints store it."""
        return self.name.rsplit(":", 1)[0]


@dataclass(frozen=True)
class RunResult:
    """What one run produced: the outputs (NumPy, same nesting as ``call`` returned), the variables, and the outputs after ``reassign``."""

    mode: str
    outputs: Any
    variables: tuple[VariableRecord, ...]
    reassigned_outputs: Any = None

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


Randomize = Callable[[int, tuple[int, ...], Any], np.ndarray]
Reassign = Callable[[dict[str, np.ndarray]], Mapping[str, np.ndarray]]


def run(
    mode: str,
    make: Callable[[], Any],
    call: Callable[[Any], Any],
    *,
    seed: int = 0,
    randomize: Randomize | None = None,
    values: Mapping[str, np.ndarray] | None = None,
    transform: Callable[[str, np.ndarray], np.ndarray] | None = None,
    evaluate: bool = True,
    save_to: str | None = None,
    restore_from: str | None = None,
    reassign: Reassign | None = None,
    attempted: list[str] | None = None,
) -> RunResult:
    """Construct with ``make()``, call with ``call(made)`` in ``mode``, and return outputs and variables.

    ``seed`` seeds TF's graph-level (graph mode) or global (eager, function) random seed before anything
    is built. ``randomize(index, shape, dtype)``, when given, replaces every variable's initial value
    (e.g. :func:`tf_rnn_checks.sizes.seeded_values`), so numeric checks never rely on a default initializer;
    ``values`` ``{path: array}`` then sets the variables it names (of that shape) exactly, and
    ``transform(path, value)`` may change each value so chosen.
    ``evaluate=False`` (graph mode) builds without running: no outputs, no initial values.
    ``save_to`` writes a ``tf.compat.v1.train.Saver`` checkpoint of the run's variables after the outputs;
    ``restore_from`` restores one instead of initializing (both graph mode only).
    ``reassign(values)`` returns new ``{path: value}`` for the variables: they are assigned and ``call``'s
    outputs computed again, into ``reassigned_outputs``. ``attempted`` (a list) receives the name of every
    variable TF asks to create, the one whose creation raised included.
    """
    if mode not in MODES:
        raise ValueError(f"mode: expected one of {MODES}, got {mode!r}")
    if mode != "graph" and (save_to or restore_from or not evaluate):
        raise ValueError(f"save_to, restore_from and evaluate=False: graph mode only, got mode {mode!r}")
    created: list[Any] = []

    def creator(next_creator: Callable[..., Any], **kwargs: Any) -> Any:
        if attempted is not None:
            attempted.append(str(kwargs.get("name")))
        replacement = _initial_value(kwargs, len(created), randomize, values)
        if replacement is not None and transform is not None:
            replacement = transform(str(kwargs.get("name")), replacement)
        if replacement is not None:
            kwargs["initial_value"] = lambda: tf.constant(replacement)
        variable = next_creator(**kwargs)
        created.append(variable)
        return variable

    def traced_call(made: Any) -> Any:
        with tf.variable_creator_scope(creator):
            return call(made)

    if mode == "graph":
        return _run_graph(make, traced_call, created, seed, evaluate, save_to, restore_from, reassign)
    with fresh_eager(seed):
        made = make()

        def called() -> Any:
            return traced_call(made)

        function = called if mode == "eager" else tf.function(called)
        outputs = _to_numpy(function())
        records = _records(created, [v.numpy() for v in created])
        again = None
        if reassign is not None:
            unique = _unique(created)
            for variable, value in zip(unique, _new_values(reassign, records, unique), strict=True):
                variable.assign(value)
            again = _to_numpy(function())
    return RunResult(mode, outputs, records, again)


def _initial_value(
    kwargs: dict[str, Any], index: int, randomize: Randomize | None, values: Mapping[str, np.ndarray] | None
) -> np.ndarray | None:
    if randomize is None and values is None:
        return None
    shape = creator_variable_shape(kwargs)
    dtype = tf.as_dtype(kwargs["dtype"]).as_numpy_dtype
    chosen = values.get(str(kwargs.get("name"))) if values is not None else None
    if chosen is not None and tuple(np.shape(chosen)) == shape:
        return np.asarray(chosen, dtype=dtype)
    return None if randomize is None else randomize(index, shape, dtype)


def creator_variable_shape(creator_kwargs: dict[str, Any]) -> tuple[int, ...]:
    """The shape of the variable being created; TF <= 2.14 leaves ``shape`` unset for legacy-layer weights."""
    shape = tf.TensorShape(creator_kwargs.get("shape"))
    if shape.rank is None:
        initial = creator_kwargs["initial_value"]
        with tf.init_scope():
            shape = (initial() if callable(initial) else tf.convert_to_tensor(initial)).shape
    return tuple(shape.as_list())


def _run_graph(
    make: Callable[[], Any],
    traced_call: Callable[[Any], Any],
    created: list[Any],
    seed: int,
    evaluate: bool,
    save_to: str | None,
    restore_from: str | None,
    reassign: Reassign | None,
) -> RunResult:
    with fresh_graph(seed) as graph:
        outputs = traced_call(make())
        if not evaluate:
            return RunResult("graph", None, _records(created, [None] * len(created)))
        unique = _unique(created)
        if restore_from is not None:
            graph.restore(restore_from, unique)
        else:
            graph.session.run(v1.variables_initializer(unique))
        initial, values = graph.session.run((created, outputs))  # nothing in a forward pass assigns to a variable
        records = _records(created, initial)
        if save_to is not None:
            graph.save(save_to, unique)
        again = None
        if reassign is not None:
            for variable, value in zip(unique, _new_values(reassign, records, unique), strict=True):
                variable.load(value, graph.session)
            again = graph.session.run(outputs)
    return RunResult("graph", values, records, again)


def _unique(variables: Sequence[Any]) -> list[Any]:
    """Each variable once, in creation order (a shared cell may hand the same variable back)."""
    return list({id(v): v for v in variables}.values())


def _new_values(reassign: Reassign, records: Sequence[VariableRecord], variables: Sequence[Any]) -> list[np.ndarray]:
    current = {r.path: r.initial for r in records}
    new = reassign(dict(current))
    return [np.asarray(new[v.name.rsplit(":", 1)[0]]) for v in variables]


def _records(variables: Sequence[Any], values: Sequence[np.ndarray | None]) -> tuple[VariableRecord, ...]:
    return tuple(
        VariableRecord(v.name, tuple(v.shape.as_list()), v.dtype.base_dtype.name, None if value is None else np.asarray(value))
        for v, value in zip(variables, values, strict=True)
    )


def _to_numpy(structure: Any) -> Any:
    return tf.nest.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, structure)


class Graph:
    """A fresh ``tf.Graph``, the default while its :func:`fresh_graph` block runs, and the one Session that evaluates it."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self._session: Any = None

    @property
    def session(self) -> Any:
        """The ``tf.compat.v1.Session`` of this graph, opened on first use and closed with the block."""
        if self._session is None:
            self._session = v1.Session(graph=self.graph)
        return self._session

    def variables(self) -> list[Any]:
        """The graph's global variables, in creation order."""
        return v1.global_variables()

    def initialize(self) -> None:
        """Run every global variable's initializer."""
        self.session.run(v1.global_variables_initializer())

    def evaluate(self, fetches: Any) -> Any:
        """``session.run(fetches)``."""
        return self.session.run(fetches)

    def values(self) -> dict[str, np.ndarray]:
        """``{path: value}`` of every global variable now."""
        variables = self.variables()
        return {v.name.rsplit(":", 1)[0]: value for v, value in zip(variables, self.session.run(variables), strict=True)}

    def save(self, prefix: str, variables: Any = None) -> str:
        """Save ``variables`` (a list or ``{key: variable}``; default: every global one) with a TF1 Saver to ``prefix``."""
        return v1.train.Saver(variables).save(self.session, prefix, write_meta_graph=False, write_state=False)

    def restore(self, prefix: str, variables: Any = None) -> None:
        """Restore ``variables`` (default: every global one) from the Saver checkpoint at ``prefix``."""
        v1.train.Saver(variables).restore(self.session, prefix)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


@contextlib.contextmanager
def fresh_graph(seed: int | None = None) -> Iterator[Graph]:
    """A fresh ``tf.Graph`` as the default graph (graph-level seed ``seed``), with its Session; both end with the block."""
    graph = Graph(tf.Graph())
    try:
        with graph.graph.as_default():
            if seed is not None:
                v1.set_random_seed(seed)
            yield graph
    finally:
        graph.close()


def write_checkpoint(prefix: str, values: Mapping[str, np.ndarray]) -> str:
    """Write ``{name: array}`` as a ``tf.compat.v1.train.Saver`` (V2) checkpoint at ``prefix``, no meta graph or state file."""
    with fresh_graph() as graph:
        feeds, variables = {}, {}
        for index, (name, value) in enumerate(values.items()):
            array = np.asarray(value)
            placeholder = v1.placeholder(tf.as_dtype(array.dtype), array.shape)
            variables[name] = v1.Variable(placeholder, name=f"value_{index}")
            feeds[placeholder] = array
        graph.session.run([v.initializer for v in variables.values()], feed_dict=feeds)
        return graph.save(prefix, variables)


@contextlib.contextmanager
def fresh_eager(seed: int | None = None) -> Iterator[None]:
    """Eager execution from a clean slate: a fresh default graph and TF's global seed ``seed``."""
    # A traced call registers its variable names in the global default graph's variable store, which
    # would make the next run's identically named variables collide; a fresh default graph isolates runs.
    v1.reset_default_graph()
    if seed is not None:
        tf.random.set_seed(seed)
    yield


def seed_eager(seed: int) -> None:
    """Set TF's global seed, which eager code that takes no seed of its own draws from (tf_keras's dropout layers)."""
    tf.random.set_seed(seed)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def captured_logs() -> Iterator[list[logging.LogRecord]]:
    """The ``tensorflow`` logger's records emitted inside the block (the list fills as they come)."""
    handler = _Records()
    logger = logging.getLogger("tensorflow")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


__all__ = [
    "MODES",
    "Graph",
    "RunResult",
    "VariableRecord",
    "captured_logs",
    "creator_variable_shape",
    "fresh_eager",
    "fresh_graph",
    "run",
    "seed_eager",
    "write_checkpoint",
]

"""Rebuild a detected structure with the installed TensorFlow, through the suite's run layer (:func:`tf_rnn_checks.modes.run`).

The same construction the checkpoint's code made (the cells, ``MultiRNNCell``, the driver under the
structure's scope) is built in one execution mode; every variable TF creates is recorded, and with
``values`` it starts at the checkpoint's value *for the name TF gave it*, the lookup ``Saver.restore``
does. :func:`compare` says whether the names, shapes and dtypes TF created are exactly the checkpoint's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from tf_rnn_checks import drivers, modes, sizes
from tf_rnn_checks.model.detect import Direction, Structure
from tf_rnn_checks.variable_names import CELL_SCOPES

LOADS, LOADS_AFTER_RENAME, DOES_NOT_LOAD = "loads", "loads after rename", "does not load"


def _make_direction(direction: Direction) -> Any:
    from tf_rnn_checks.tf_import import v1

    cells = []
    for cell in direction.layers:
        named = {} if cell.scope_name == CELL_SCOPES[cell.kind] else {"name": cell.scope_name}
        cells.append(cell.spec.make(**named))
    return v1.nn.rnn_cell.MultiRNNCell(cells) if direction.stacked else cells[0]


def inputs_for(structure: Structure, batch: int, time_steps: int, seed: int = 0) -> np.ndarray:
    """The fixed seeded input ``[batch, time, input width]`` in the structure's dtype."""
    return sizes.inputs(
        batch=batch, time=time_steps, size=structure.input_size, dtype=structure.dtype, seed=seed, distribution=sizes.UNIFORM
    )


def run(
    structure: Structure,
    mode: str,
    inputs: np.ndarray,
    *,
    sequence_length: Sequence[int] | None = None,
    values: Mapping[str, np.ndarray] | None = None,
) -> modes.RunResult:
    """Build ``structure`` in ``mode`` and run it on ``inputs``; with ``values`` ``{name: array}`` each variable TF creates starts at ``values[name]``."""
    if structure.problem:
        raise ValueError(f"structure: {structure.id!r} cannot be rebuilt: {structure.problem}")

    lengths = None if sequence_length is None else np.asarray(sequence_length, dtype=np.int32)

    def make() -> tuple[Any, ...]:
        return tuple(_make_direction(direction) for direction in structure.directions)

    def call(cells: tuple[Any, ...]) -> Any:
        return drivers.drive(structure.driver, cells, inputs, sequence_length=lengths, scope=structure.scope or None)

    return modes.run(mode, make, call, values=values)


def compare(structure: Structure, created: Mapping[str, tuple[tuple[int, ...], str]]) -> dict[str, Any]:
    """Whether the ``{name: (shape, dtype)}`` TF created is exactly the structure's checkpoint variables (as saved, or after the rename)."""
    saved = {v.name: (v.shape, v.dtype) for v in structure.variables}
    today = {v.today: (v.shape, v.dtype) for v in structure.variables}
    if dict(created) == saved:
        return {"verdict": LOADS}
    if dict(created) == today:
        return {"verdict": LOADS_AFTER_RENAME, "rename": structure.renamed}
    missing = sorted(name for name in created if name not in today)
    unused = sorted(v.name for v in structure.variables if v.today not in created)
    different = {
        name: {"checkpoint": list(today[name][0]) + [today[name][1]], "tensorflow": list(created[name][0]) + [created[name][1]]}
        for name in sorted(created)
        if name in today and today[name] != created[name]
    }
    return {"verdict": DOES_NOT_LOAD, "not_in_checkpoint": missing, "not_created": unused, "different": different}


def created_variables(result: modes.RunResult) -> dict[str, tuple[tuple[int, ...], str]]:
    """``{name: (shape, dtype)}`` of the variables a run created, as a Saver would store them."""
    return {record.path: (record.shape, record.dtype) for record in result.variables}


__all__ = ["DOES_NOT_LOAD", "LOADS", "LOADS_AFTER_RENAME", "compare", "created_variables", "inputs_for", "run"]

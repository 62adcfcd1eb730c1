"""``tf-rnn-checks probe``: rebuild each structure of a TF1 checkpoint, restore it, run a fixed input, and report in the suite's schema.

Each structure and mode gives two checks: ``probe::restores[<id>-<mode>]`` (TF creates exactly the
checkpoint's names, shapes and dtypes) and ``probe::outputs[<id>-<mode>]`` (the outputs and final states
on a seeded input, each observation with its absolute tolerance in ``tolerances``). Two probes on two
TensorFlow versions compare with ``tf-rnn-checks diff``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.checkpoint_files import SaverCheckpoint
from tf_rnn_checks.model import build
from tf_rnn_checks.model.detect import NoStructureError, Structure, detect
from tf_rnn_checks.model.inspect import select
from tf_rnn_checks.modes import MODES
from tf_rnn_checks.tolerances import tolerance_for

FAMILY = "probe"
FAMILY_DOC = "Your own TF1 checkpoint rebuilt, restored and run on the installed TensorFlow (tf-rnn-checks probe)."
RESTORES_DOC = "The installed TensorFlow, rebuilding this structure under its scope, creates exactly the checkpoint's variable names, shapes and dtypes, so Saver.restore loads it."
OUTPUTS_DOC = "The restored structure gives these outputs and final states on the fixed seeded input, each within its dtype's tolerance."
BATCH, TIME_STEPS, SEED = sizes.PROBE_BATCH, sizes.PROBE_STEPS, sizes.INPUT_SEED


def _flatten(prefix: str, value: Any) -> dict[str, np.ndarray]:
    """``{key: array}`` for a nest of outputs or states: LSTM states by field (``.c``, ``.h``), stack layers as ``.cell_<k>``."""
    if hasattr(value, "_fields"):
        return {key: array for field in value._fields for key, array in _flatten(f"{prefix}.{field}", getattr(value, field)).items()}
    if isinstance(value, (tuple, list)):
        return {key: array for index, item in enumerate(value) for key, array in _flatten(f"{prefix}.cell_{index}", item).items()}
    return {prefix: np.asarray(value)}


def _observed(structure: Structure, outputs: Any) -> dict[str, np.ndarray]:
    output, state = outputs
    if not structure.bidirectional:
        return {"outputs": np.asarray(output), **_flatten("final_state", state)}
    observed: dict[str, np.ndarray] = {}
    for index, direction in enumerate(("fw", "bw")):
        observed[f"outputs.{direction}"] = np.asarray(output[index])
        observed.update(_flatten(f"final_state.{direction}", state[index]))
    return observed


def _decimals(atol: float) -> int:
    return int(round(-np.log10(atol))) + 2


def _entry(check: str, structure: Structure, mode: str, doc: str) -> dict[str, Any]:
    return {
        "id": f"{FAMILY}::{check}[{structure.id}-{mode}]",
        "family": FAMILY,
        "family_doc": FAMILY_DOC,
        "check": check,
        "params": {"scope": structure.id, "mode": mode, "structure": structure.describe()},
        "outcome": "passed",
        "duration": 0.0,
        "docstring": doc,
        "reason": "",
        "observations": {},
        "tolerances": {},
    }


def _probe_one(
    structure: Structure, mode: str, values: dict[str, np.ndarray], shape: tuple[int, int], lengths: Sequence[int] | None
) -> list[dict[str, Any]]:
    restores = _entry("restores", structure, mode, RESTORES_DOC)
    outputs = _entry("outputs", structure, mode, OUTPUTS_DOC)
    if structure.problem:
        restores.update(outcome="failed", reason=f"not a TF1 construction this tool recognises: {structure.problem}")
        outputs.update(outcome="skipped", reason="the structure was not recognised")
        return [restores, outputs]
    inputs = build.inputs_for(structure, *shape, seed=SEED)
    started = time.perf_counter()
    try:
        result = build.run(structure, mode, inputs, sequence_length=lengths, values=values)
    except Exception as error:  # a TF that cannot build or run the construction is the finding, not a crash
        restores.update(outcome="failed", reason=f"building it failed: {type(error).__name__}: {str(error).splitlines()[0]}")
        outputs.update(outcome="skipped", reason="the structure could not be built")
        return [restores, outputs]
    restores["duration"] = round(time.perf_counter() - started, 4)
    created = build.created_variables(result)
    restores["observations"]["created"] = {name: list(shape) + [dtype] for name, (shape, dtype) in created.items()}
    load = build.compare(structure, created)
    if load["verdict"] == build.DOES_NOT_LOAD:
        different = sorted(load["different"])
        restores.update(
            outcome="failed",
            reason=f"TF creates {load['not_in_checkpoint']} not in the checkpoint; does not create {load['not_created']}; shapes or dtypes differ for {different}",
        )
        outputs.update(outcome="skipped", reason="the checkpoint does not restore into this construction")
        return [restores, outputs]
    unset = sorted(record.path for record in result.variables if not np.array_equal(record.initial, values[record.path]))
    if unset:
        restores.update(outcome="failed", reason=f"TF created {unset} under the checkpoint's names but did not start them at its values")
        outputs.update(outcome="skipped", reason="the checkpoint's values did not reach the variables")
        return [restores, outputs]
    if load["verdict"] == build.LOADS_AFTER_RENAME:
        restores.update(
            outcome="failed",
            reason=f"Saver.restore looks for today's names, but the checkpoint holds {sorted(load['rename'])} under old names; "
            "rename it with python -m tf_rnn_checks.checkpoint_rename",
        )
        outputs["observations"]["restored_through_rename"] = True
    atol = tolerance_for(structure.dtype).atol
    for key, array in _observed(structure, result.outputs).items():
        outputs["observations"][key] = np.round(array.astype(np.float64), _decimals(atol)).tolist()
        outputs["tolerances"][key] = atol
    outputs["observations"]["inputs"] = {
        "shape": list(inputs.shape),
        "seed": SEED,
        "sequence_length": None if lengths is None else list(lengths),
    }
    return [restores, outputs]


def probe_checks(
    checkpoint: SaverCheckpoint, *, scope: str | None = None, modes: Sequence[str] = MODES, sequence_length: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """The check entries of a probe: for each structure under ``scope`` and each mode, ``restores`` then ``outputs``."""
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown or not modes:
        raise ValueError(f"modes: expected some of {MODES}, got {list(modes)}")
    if sequence_length is not None and (not sequence_length or any(n < 1 for n in sequence_length)):
        raise ValueError(f"sequence_length: expected positive lengths, one per batch row, got {list(sequence_length)}")
    structures = select(detect(checkpoint.variables), scope, checkpoint.prefix)
    if not structures:
        raise NoStructureError(f"{checkpoint.prefix}: holds no TF1 recurrent structure (inspect lists its variables)")
    checks = []
    shape = (len(sequence_length), max(sequence_length)) if sequence_length else (BATCH, TIME_STEPS)
    saved = {
        v.name: checkpoint.read(v.name) for structure in structures for v in structure.variables
    }  # a damaged file fails before any run
    for structure in structures:
        values = {v.today: saved[v.name] for v in structure.variables}
        for mode in modes:
            checks += _probe_one(structure, mode, values, shape, sequence_length)
    return checks


def probe_report(checkpoint: SaverCheckpoint, **options: Any) -> dict[str, Any]:
    """The probe as a report of the suite's schema (``report.json``), built by :func:`tf_rnn_checks.report.collect.build_report`."""
    from tf_rnn_checks.report.collect import build_report, environment

    checks = probe_checks(checkpoint, **options)
    env = environment(None)
    env["modes"] = list(options.get("modes", MODES))
    status = 0 if all(entry["outcome"] in ("passed", "skipped") for entry in checks) else 1
    return build_report(checks, env, status)


__all__ = ["FAMILY", "probe_checks", "probe_report"]

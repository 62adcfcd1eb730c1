"""``tf-rnn-checks inspect``: what a TF1 checkpoint holds, whether the installed TF loads it, and where its weights can go.

For each structure :func:`inspect_checkpoint` reports the cells (kind, units, input width, peepholes,
``num_proj``, MultiRNNCell depth, directions, dtype), the verdict of :func:`tf_rnn_checks.model.build.compare`
on a rebuild with the installed TF (loads as saved, loads after ``checkpoint_rename``, or not, with the
names that differ), and which conversion targets hold it: the converters of :mod:`tf_rnn_checks.convert`
run on the checkpoint's values, and their own refusal is the reason when one cannot.
"""

from __future__ import annotations

from typing import Any

from tf_rnn_checks.checkpoint_files import SaverCheckpoint
from tf_rnn_checks.checkpoint_rename import CheckpointRenameError, rename_map
from tf_rnn_checks.convert.checkpoint import variables_to_keras, variables_to_onnx, variables_to_torch
from tf_rnn_checks.model import build
from tf_rnn_checks.model.detect import SLOT, Detection, NoStructureError, Structure, detect

CONVERTERS = {"keras": variables_to_keras, "onnx": variables_to_onnx, "torch": variables_to_torch}


def select(detection: Detection, scope: str | None, prefix: str) -> list[Structure]:
    """The structures under ``scope`` (all when None); a scope that holds none is a :class:`NoStructureError` naming ``prefix``."""
    structures = list(detection.structures)
    if scope is None:
        return structures
    scope = scope.strip("/")
    chosen = [s for s in structures if scope in (s.id, s.scope) or s.scope.startswith(scope + "/") or not scope]
    if not chosen:
        found = ", ".join(s.id for s in structures) or "none"
        raise NoStructureError(f"{prefix}: scope {scope!r} holds no TF1 recurrent structure (structures: {found})")
    return chosen


def _conversions(structure: Structure, checkpoint: SaverCheckpoint) -> dict[str, dict[str, Any]]:
    values = {v.today: checkpoint.read(v.name) for v in structure.variables}
    targets: dict[str, dict[str, Any]] = {}
    for target, convert in CONVERTERS.items():
        try:
            convert(values)
        except (ValueError, TypeError) as error:
            targets[target] = {"holds": False, "why": str(error)}
        else:
            targets[target] = {"holds": True}
    return targets


def _load(structure: Structure) -> dict[str, Any]:
    if structure.problem:
        return {"verdict": build.DOES_NOT_LOAD, "why": structure.problem}
    inputs = build.inputs_for(structure, batch=1, time_steps=1)
    try:
        result = build.run(structure, "graph", inputs)
    except Exception as error:  # the installed TF may refuse the construction itself (e.g. Keras 3 without tf-keras)
        return {"verdict": build.DOES_NOT_LOAD, "why": f"building it failed: {type(error).__name__}: {str(error).splitlines()[0]}"}
    return build.compare(structure, build.created_variables(result))


def _cells(structure: Structure) -> list[dict[str, Any]]:
    return [
        {
            "direction": direction.name or None,
            "multi_rnn_cell_depth": len(direction.layers) if direction.stacked else None,
            "layers": [
                {
                    "kind": cell.kind,
                    "cell_scope": cell.scope_name,
                    "units": cell.units,
                    "input_size": cell.input_size,
                    "peepholes": cell.peepholes,
                    "num_proj": cell.num_proj,
                    "variables": {v.name: list(v.shape) for v in cell.variables},
                }
                for cell in direction.layers
            ],
        }
        for direction in structure.directions
    ]


def inspect_checkpoint(checkpoint: SaverCheckpoint, scope: str | None = None) -> dict[str, Any]:
    """The JSON-ready inspection of ``checkpoint`` (``--format json``); ``loads_as_is`` is the exit-status verdict."""
    from tf_rnn_checks.tf_import import tf

    detection = detect(checkpoint.variables)
    structures = select(detection, scope, checkpoint.prefix)
    entries = []
    for structure in structures:
        entry: dict[str, Any] = {"id": structure.id, "scope": structure.scope, "description": structure.describe()}
        if structure.problem:
            entry.update({"problem": structure.problem, "variables": {v.name: list(v.shape) for v in structure.variables}})
        else:
            entry.update({"driver": structure.driver, "dtype": structure.dtype, "input_size": structure.input_size})
            entry.update({"directions": _cells(structure), "conversion": _conversions(structure, checkpoint)})
        entry["load"] = _load(structure)
        entries.append(entry)
    others = [
        {"name": name, "shape": list(checkpoint.variables[name][0]), "dtype": checkpoint.variables[name][1], "why": why}
        for name, why in detection.others
    ]
    result: dict[str, Any] = {
        "checkpoint": checkpoint.prefix,
        "prefix": checkpoint.prefix,
        "tensorflow": tf.__version__,
        "structures": entries,
        "others": others if scope is None else [],
        "loads_as_is": all(entry["load"]["verdict"] == build.LOADS for entry in entries),
    }
    if any(entry["load"]["verdict"] == build.LOADS_AFTER_RENAME for entry in entries):
        result["rename"] = _rename_advice(checkpoint)
    return result


def _rename_advice(checkpoint: SaverCheckpoint) -> dict[str, Any]:
    command = f"python -m tf_rnn_checks.checkpoint_rename {checkpoint.prefix} {checkpoint.prefix}-renamed"
    try:
        rename_map(checkpoint.variables)
    except CheckpointRenameError as error:
        return {"command": command, "refused": str(error)}
    return {"command": command}


def _shape(shape: list[int]) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"


def render_text(result: dict[str, Any]) -> str:
    """The inspection for people: one block per structure, then the other variables."""
    structures, others = result["structures"], result["others"]
    lines = [
        f"checkpoint {result['prefix']} on TensorFlow {result['tensorflow']}: "
        f"{len(structures)} recurrent structure{'s' if len(structures) != 1 else ''}, {len(others)} other variable{'s' if len(others) != 1 else ''}",
        "",
    ]
    for entry in structures:
        lines.append(f"{entry['id']}")
        if "problem" in entry:
            lines.append(f"  not a TF1 construction this tool recognises: {entry['problem']}")
            lines += [f"    {name} {_shape(shape)}" for name, shape in entry["variables"].items()]
        else:
            where = f"under scope {entry['scope']!r}" if entry["scope"] else "called directly at the root scope (probed for one step)"
            lines.append(f"  {entry['driver']} {where}, {entry['dtype']}, input width {entry['input_size']}")
            for direction in entry["directions"]:
                head = f"  {direction['direction']}: " if direction["direction"] else "  "
                depth = direction["multi_rnn_cell_depth"]
                lines.append(head + (f"MultiRNNCell, depth {depth}" if depth else "single cell"))
                for index, cell in enumerate(direction["layers"]):
                    options = (", peepholes" if cell["peepholes"] else "") + (f", num_proj={cell['num_proj']}" if cell["num_proj"] else "")
                    where = f"cell_{index}: " if depth else ""
                    lines.append(
                        f"    {where}{cell['kind']} units={cell['units']}, input width {cell['input_size']}{options} ({cell['cell_scope']})"
                    )
        load = entry["load"]
        lines.append(f"  on TF {result['tensorflow']}: {_load_text(load)}")
        for name, old_new in sorted(load.get("rename", {}).items()):
            lines.append(f"    {name} -> {old_new}")
        for target, verdict in entry.get("conversion", {}).items():
            lines.append(f"  {target}: " + ("converts" if verdict["holds"] else f"cannot hold it: {verdict['why']}"))
        lines.append("")
    if "rename" in result:
        advice = result["rename"]
        lines.append(
            f"rename: {advice['command']}" + (f" (the tool refuses this checkpoint: {advice['refused']})" if "refused" in advice else "")
        )
        lines.append("")
    slots = [o for o in others if o["why"] == SLOT]
    if others:
        lines.append("other variables (in no recognised cell):")
        lines += [f"  {o['name']} {_shape(o['shape'])} {o['dtype']}: {o['why']}" for o in others if o["why"] != SLOT]
        if slots:
            kinds = sorted({o["name"].rsplit("/", 1)[-1] for o in slots})
            lines.append(f"  and {len(slots)} optimizer slots ({', '.join(kinds)}; --format json lists them)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _load_text(load: dict[str, Any]) -> str:
    verdict = load["verdict"]
    if verdict == build.LOADS:
        return "loads as saved (TF creates exactly these names, shapes and dtypes)"
    if verdict == build.LOADS_AFTER_RENAME:
        return "does not load as saved; loads after renaming these variables:"
    if "why" in load:
        return f"does not load: {load['why']}"
    parts = []
    if load["not_in_checkpoint"]:
        parts.append(f"TF creates {load['not_in_checkpoint']}, not in the checkpoint")
    if load["not_created"]:
        parts.append(f"TF does not create {load['not_created']}")
    parts += [f"{name}: checkpoint {d['checkpoint']}, TF {d['tensorflow']}" for name, d in load["different"].items()]
    return "does not load: " + "; ".join(parts)


__all__ = ["inspect_checkpoint", "render_text", "select"]

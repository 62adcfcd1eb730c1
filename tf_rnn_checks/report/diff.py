"""What moved between two reports, classified for a gate: regressions, gains, notes and changed values.

:func:`compare` returns plain data (the ``--format json`` output); :func:`render_markdown` words it for people;
:func:`should_fail` is the gate. Every outcome change is one class:

- *regression*: a check got worse: passed/skipped/xfailed → failed/error/xpassed, passed → skipped, a passing or
  skipping check vanished, or a check appeared failing;
- *gain*: a check got better: skipped/failed/xfailed → passed, or a check appeared (not failing);
- *note*: anything else worth reading: a skip reason that changed, passed → xfailed (a recorded known difference),
  failed → skipped.

Observed values are compared the way their check judges them: a number recorded with a tolerance
(``observe(key, value, within=tol)``, stored in the check's ``tolerances``) has changed only when it moves by more
than that tolerance; other numbers by a small relative/absolute tolerance for run-to-run noise.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from typing import Any

from tf_rnn_checks.report import schema
from tf_rnn_checks.report.format import cell, outcome_label, value_text

ABS_TOLERANCE = 1e-6
REL_TOLERANCE = 1e-4
CLASSES = ("regression", "gain", "note", "value")
# --fail-on takes classes (comma-separated) or one of these names for a set of them.
FAIL_ON_ALIASES: dict[str, frozenset[str]] = {
    "change": frozenset({"regression", "gain", "note"}),
    "outcome": frozenset({"regression", "gain", "note"}),  # the name before the classes existed
    "any": frozenset(CLASSES),
    "none": frozenset(),
}
FAIL_ON_HELP = (
    "what makes the exit code 1: 'regression' (default: a check got worse), 'gain', 'note', 'value' (an observed value "
    "moved beyond its tolerance), comma-separated, or 'change' (regression,gain,note), 'any' (all four), 'none'"
)
_BAD = frozenset({"failed", "error", "xpassed"})
_ENVIRONMENT_KEYS = ("tensorflow", "tensorflow_distribution", "tf_keras", "keras", "numpy", "python", "platform", "modes")


def fail_on_classes(fail_on: str) -> frozenset[str]:
    """The classes named by a ``--fail-on`` value; ``ValueError`` naming the argument for anything else."""
    if not isinstance(fail_on, str):
        raise TypeError(f"fail_on: expected a str such as 'regression' or 'regression,value', got {fail_on!r}")
    classes: set[str] = set()
    for name in (part.strip() for part in fail_on.split(",")):
        if name in FAIL_ON_ALIASES:
            classes |= FAIL_ON_ALIASES[name]
        elif name in CLASSES:
            classes.add(name)
        else:
            raise ValueError(f"fail_on: expected classes from {CLASSES} or one of {tuple(FAIL_ON_ALIASES)}, got {fail_on!r}")
    return frozenset(classes)


def fail_on_argument(value: str) -> str:
    """``value`` when it names fail-on classes (an argparse ``type=``); ``argparse.ArgumentTypeError`` saying what is accepted."""
    try:
        fail_on_classes(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("fail_on: ")) from None
    return value


def classify(old: str | None, new: str | None) -> str | None:
    """The class of an outcome move (``None`` for a check that vanished or appeared); ``None`` when nothing moved."""
    if old == new:
        return None
    if new is None:  # vanished
        return "regression" if old in ("passed", "skipped") else "note"
    if old is None:  # appeared
        return "regression" if new in _BAD else "gain"
    if new in _BAD:
        return "note" if old in _BAD else "regression"
    if new == "passed":
        return "gain"
    if old == "passed" and new == "skipped":
        return "regression"
    return "note"


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _same(old: Any, new: Any, within: float | None = None) -> bool:
    """Equal values; numbers within ``within`` (absolute) when given, else within run-to-run noise."""
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        if math.isnan(old) or math.isnan(new):
            return math.isnan(old) and math.isnan(new)
        if within is not None:
            return old == new or abs(old - new) <= within
        return math.isclose(old, new, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b, within) for a, b in zip(old, new, strict=True))
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k], within) for k in old)
    return old == new


def _path(base: str, key: Any) -> str:
    return f"{base}[{json.dumps(key, ensure_ascii=False)}]"


def value_changes(path: str, old: Any, new: Any, within: float | None = None) -> list[dict[str, Any]]:
    """The changes from ``old`` to ``new`` under ``path``, as precise as the structure allows.

    Dict keys that vanished and appeared with the same value are reported as one rename; equal-length lists
    of scalars are compared position by position. ``within`` is the tolerance of every number under ``path``.
    """
    if _same(old, new, within):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[dict[str, Any]] = []
        removed = [key for key in old if key not in new]
        added = [key for key in new if key not in old]
        for key in list(removed):
            partner = next((other for other in added if _same(old[key], new[other], within)), None)
            if partner is not None:
                removed.remove(key)
                added.remove(partner)
                changes.append({"path": path, "kind": "renamed", "old": key, "new": partner, "value": new[partner]})
        changes += [{"path": _path(path, key), "kind": "removed", "old": old[key], "new": None} for key in removed]
        changes += [{"path": _path(path, key), "kind": "added", "old": None, "new": new[key]} for key in added]
        for key in old:
            if key in new:
                changes += value_changes(_path(path, key), old[key], new[key], within)
        return changes
    if isinstance(old, list) and isinstance(new, list) and all(map(_scalar, old + new)):
        if len(old) == len(new) and sum(not _same(a, b, within) for a, b in zip(old, new, strict=True)) <= max(1, len(old) // 2):
            return [
                {"path": f"{path}[{index}]", "kind": "changed", "old": a, "new": b}
                for index, (a, b) in enumerate(zip(old, new, strict=True))
                if not _same(a, b, within)
            ]
        if all(isinstance(v, str) for v in old + new):
            gone = [v for v in old if v not in new]
            came = [v for v in new if v not in old]
            if gone or came:
                return [{"path": path, "kind": "items", "old": gone, "new": came}]
    change = {"path": path, "kind": "changed", "old": old, "new": new}
    return [{**change, "within": within} if within is not None else change]


def _within(before: dict[str, Any], after: dict[str, Any], key: str) -> float | None:
    """The tolerance an observation was recorded with (the larger of the two reports', if both give one)."""
    bounds = [entry.get("tolerances", {}).get(key) for entry in (before, after)]
    bounds = [bound for bound in bounds if isinstance(bound, (int, float))]
    return max(bounds) if bounds else None


def _observation_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    old_values, new_values = before["observations"], after["observations"]
    changes: list[dict[str, Any]] = []
    for key in list(old_values) + [key for key in new_values if key not in old_values]:
        if key not in new_values:
            changes.append({"path": key, "kind": "removed", "old": old_values[key], "new": None})
        elif key not in old_values:
            changes.append({"path": key, "kind": "added", "old": None, "new": new_values[key]})
        else:
            changes += value_changes(key, old_values[key], new_values[key], _within(before, after, key))
    return changes


def _environment(report: dict[str, Any]) -> dict[str, Any]:
    env = report["environment"]
    legacy = env.get("legacy_cells") or {}
    return {
        **{key: env.get(key) for key in _ENVIRONMENT_KEYS},
        "legacy_cells": legacy.get("home"),
        "suite_version": report.get("suite_version"),
    }


def _move(check_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None, kind: str) -> dict[str, Any]:
    latest = after or before
    assert latest is not None
    return {
        "id": check_id,
        "family": latest["family"],
        "check": latest["check"],
        "docstring": latest["docstring"],
        "class": kind,
        "old": before["outcome"] if before else None,
        "new": after["outcome"] if after else None,
        "old_reason": (before or {}).get("reason") or "",
        "new_reason": (after or {}).get("reason") or "",
    }


def _tally(entries: list[dict[str, Any]]) -> dict[str, int]:
    return {"checks": len({(entry["family"], entry["check"]) for entry in entries}), "cases": len(entries)}


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The differences between two validated reports, as JSON-ready data."""
    old_checks, new_checks = schema.by_id(old), schema.by_id(new)
    moves, observation_changes = [], []
    for check_id in sorted(old_checks.keys() | new_checks.keys()):
        before, after = old_checks.get(check_id), new_checks.get(check_id)
        kind = classify(before and before["outcome"], after and after["outcome"])
        same_skip = before and after and before["outcome"] == after["outcome"] == "skipped"
        if kind is None and same_skip and (before.get("reason") or "") != (after.get("reason") or ""):
            kind = "note"
        if kind is not None:
            moves.append(_move(check_id, before, after, kind))
        if before and after and "skipped" not in (before["outcome"], after["outcome"]):  # a skip observes nothing to compare
            changes = _observation_changes(before, after)
            if changes:
                observation_changes.append(
                    {
                        "id": check_id,
                        "family": after["family"],
                        "check": after["check"],
                        "docstring": after["docstring"],
                        "changes": changes,
                    }
                )
    old_env, new_env = _environment(old), _environment(new)
    by_class = {kind: [move for move in moves if move["class"] == kind] for kind in CLASSES[:3]}
    return {
        "old": old_env,
        "new": new_env,
        "environment_changes": [
            {"key": key, "old": old_env[key], "new": new_env[key]} for key in old_env if old_env[key] != new_env.get(key)
        ],
        **{f"{kind}s": entries for kind, entries in by_class.items()},
        "observation_changes": observation_changes,
        "totals": {
            **{f"{kind}s": _tally(entries) for kind, entries in by_class.items()},
            "values": {**_tally(observation_changes), "values": sum(len(entry["changes"]) for entry in observation_changes)},
        },
        "counts": {"old": len(old_checks), "new": len(new_checks)},
    }


def should_fail(result: dict[str, Any], fail_on: str = "regression") -> bool:
    """Whether the diff has anything of the classes ``fail_on`` names (see :func:`fail_on_classes`)."""
    classes = fail_on_classes(fail_on)
    found = {kind for kind in CLASSES[:3] if result[f"{kind}s"]} | ({"value"} if result["observation_changes"] else set())
    return bool(classes & found)


def change_text(change: dict[str, Any]) -> str:
    kind, path = change["kind"], change["path"]
    if kind == "renamed":
        return f"`{path}`: key renamed `{change['old']}` → `{change['new']}` (value {value_text(change['value'], 80)})"
    if kind == "removed":
        return f"`{path}`: no longer observed (was `{value_text(change['old'])}`)"
    if kind == "added":
        return f"`{path}`: newly observed `{value_text(change['new'])}`"
    if kind == "items":
        parts = []
        if change["old"]:
            parts.append("lost " + ", ".join(f"`{v}`" for v in change["old"]))
        if change["new"]:
            parts.append("gained " + ", ".join(f"`{v}`" for v in change["new"]))
        return f"`{path}`: " + "; ".join(parts)
    beyond = f" (beyond its tolerance {change['within']:g})" if change.get("within") is not None else ""
    return f"`{path}`: `{value_text(change['old'])}` → `{value_text(change['new'])}`{beyond}"


def _env_name(env: dict[str, Any]) -> str:
    return f"TF {env.get('tensorflow')}" + ("" if env.get("legacy_cells") not in (None, "unavailable") else " (no legacy cells)")


def _case(check_id: str) -> str:
    return check_id.split("[", 1)[1][:-1] if "[" in check_id else "(no parameters)"


def _cases_text(cases: list[str], limit: int) -> str:
    shown = ", ".join(f"`{case}`" for case in cases[:limit])
    return shown + (f" and {len(cases) - limit} more" if len(cases) > limit else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _tally_text(tally: dict[str, int]) -> str:
    return f"{_plural(tally['checks'], 'check')} ({_plural(tally['cases'], 'case')})"


_TITLES = {
    "regression": "Regressions: checks that got worse",
    "gain": "Gains: checks that got better or appeared",
    "note": "Notes: other outcome moves and changed skip reasons",
}


def _outcome(outcome: str | None, moved: str) -> str:
    return outcome_label(outcome) if outcome else moved


def _moves_section(kind: str, moves: list[dict[str, Any]], max_cases: int) -> list[str]:
    lines = [f"## {_TITLES[kind]}: {_tally_text(_tally(moves))}", ""]
    grouped: dict[tuple[str, str], dict[tuple[str, str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    docs: dict[tuple[str, str], str] = {}
    for move in moves:
        key = (move["family"], move["check"])
        docs[key] = move["docstring"]
        reason = f"now: {move['new_reason']}" if move["new_reason"] else ""
        reason = reason or (f"was: {move['old_reason']}" if move["old_reason"] else "")
        before, after = _outcome(move["old"], "(not in the old report)"), _outcome(move["new"], "(vanished)")
        grouped[key][(before, after, reason)].append(_case(move["id"]))
    for (family, check), groups in grouped.items():
        lines.append(f"- **{family}::{check}** — {docs[(family, check)]}")
        for (before, after, reason), cases in groups.items():
            why = f" — {value_text(reason, 300)}" if reason else ""
            lines.append(f"  - {before} → {after} in {_cases_text(cases, max_cases)}{why}")
    return [*lines, ""]


def render_markdown(
    result: dict[str, Any], old_name: str = "old", new_name: str = "new", max_cases: int = 6, fail_on: str = "regression"
) -> str:
    """The diff as Markdown: the verdict, then regressions, gains, notes, changed values, environment."""
    old_env, new_env = result["old"], result["new"]
    totals = result["totals"]
    lines = [f"# tf-rnn-checks diff: {_env_name(old_env)} → {_env_name(new_env)}", ""]
    for side, name, env in (("old", old_name, old_env), ("new", new_name, new_env)):
        lines.append(
            f"- {side}: {name} — TF {env.get('tensorflow')}, legacy cells from {env.get('legacy_cells')}, {result['counts'][side]} cases"
        )
    failing = should_fail(result, fail_on)
    verdict = "FAIL" if failing else "pass"
    values = totals["values"]
    lines += [
        "",
        f"**Gate ({fail_on}): {verdict}. Regressions: {_tally_text(totals['regressions'])}; gains: {_tally_text(totals['gains'])}; "
        f"notes: {_tally_text(totals['notes'])}; changed values: {values['values']} in {_tally_text(values)}.**",
        "",
    ]
    for kind in CLASSES[:3]:
        if result[f"{kind}s"]:
            lines += _moves_section(kind, result[f"{kind}s"], max_cases)
    observed = result["observation_changes"]
    if observed:
        lines += [f"## Changed values: {_tally_text(values)}", ""]
        by_check: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        docs: dict[tuple[str, str], str] = {}
        for entry in observed:
            key = (entry["family"], entry["check"])
            docs[key] = entry["docstring"]
            for change in entry["changes"]:
                by_check[key][change_text(change)].append(_case(entry["id"]))
        for (family, check), texts in by_check.items():
            lines.append(f"- **{family}::{check}** — {docs[(family, check)]}")
            lines += [f"  - {text} — in {_cases_text(cases, max_cases)}" for text, cases in texts.items()]
        lines.append("")
    if result["environment_changes"]:
        lines += ["## Environment", "", "| | old | new |", "|---|---|---|"]
        lines += [
            f"| {change['key']} | {cell(str(change['old']))} | {cell(str(change['new']))} |" for change in result["environment_changes"]
        ]
        lines.append("")
    if not (any(result[f"{kind}s"] for kind in CLASSES[:3]) or observed):
        lines += ["No check changed outcome or observed value.", ""]
    return "\n".join(lines).rstrip() + "\n"

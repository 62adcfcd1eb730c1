"""What moved between two reports: outcomes, observed values (to the nested key), checks that appeared or vanished.

:func:`compare` returns plain data (the ``--format json`` output); :func:`render_markdown` words it for people.
Floats compare with a small tolerance so run-to-run noise in errors of order 1e-7 does not read as a change.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from typing import Any

from tf_rnn_checks.report import schema
from tf_rnn_checks.report.format import cell, outcome_label, value_text

ABS_TOLERANCE = 1e-6
REL_TOLERANCE = 1e-4
FAIL_ON = ("outcome", "any", "none")
_ENVIRONMENT_KEYS = ("tensorflow", "tensorflow_distribution", "tf_keras", "keras", "numpy", "python", "platform", "modes")


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        if math.isnan(old) and math.isnan(new):
            return True
        return math.isclose(old, new, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    return old == new


def _path(base: str, key: Any) -> str:
    return f"{base}[{json.dumps(key, ensure_ascii=False)}]"


def value_changes(path: str, old: Any, new: Any) -> list[dict[str, Any]]:
    """The changes from ``old`` to ``new`` under ``path``, as precise as the structure allows.

    Dict keys that vanished and appeared with the same value are reported as one rename; equal-length lists
    of scalars are compared position by position.
    """
    if _same(old, new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[dict[str, Any]] = []
        removed = [key for key in old if key not in new]
        added = [key for key in new if key not in old]
        for key in list(removed):
            partner = next((other for other in added if _same(old[key], new[other])), None)
            if partner is not None:
                removed.remove(key)
                added.remove(partner)
                changes.append({"path": path, "kind": "renamed", "old": key, "new": partner, "value": new[partner]})
        changes += [{"path": _path(path, key), "kind": "removed", "old": old[key], "new": None} for key in removed]
        changes += [{"path": _path(path, key), "kind": "added", "old": None, "new": new[key]} for key in added]
        for key in old:
            if key in new:
                changes += value_changes(_path(path, key), old[key], new[key])
        return changes
    if isinstance(old, list) and isinstance(new, list) and all(map(_scalar, old + new)):
        if len(old) == len(new) and sum(not _same(a, b) for a, b in zip(old, new, strict=True)) <= max(1, len(old) // 2):
            return [
                {"path": f"{path}[{index}]", "kind": "changed", "old": a, "new": b}
                for index, (a, b) in enumerate(zip(old, new, strict=True))
                if not _same(a, b)
            ]
        if all(isinstance(v, str) for v in old + new):
            gone = [v for v in old if v not in new]
            came = [v for v in new if v not in old]
            if gone or came:
                return [{"path": path, "kind": "items", "old": gone, "new": came}]
    return [{"path": path, "kind": "changed", "old": old, "new": new}]


def _environment(report: dict[str, Any]) -> dict[str, Any]:
    env = report["environment"]
    legacy = env.get("legacy_cells") or {}
    return {
        **{key: env.get(key) for key in _ENVIRONMENT_KEYS},
        "legacy_cells": legacy.get("home"),
        "suite_version": report.get("suite_version"),
    }


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The differences between two validated reports, as JSON-ready data."""
    old_checks, new_checks = schema.by_id(old), schema.by_id(new)
    outcome_changes, observation_changes = [], []
    for check_id in sorted(old_checks.keys() & new_checks.keys()):
        before, after = old_checks[check_id], new_checks[check_id]
        if before["outcome"] != after["outcome"]:
            outcome_changes.append(
                {
                    "id": check_id,
                    "family": after["family"],
                    "check": after["check"],
                    "docstring": after["docstring"],
                    "old": before["outcome"],
                    "new": after["outcome"],
                    "old_reason": before.get("reason", ""),
                    "new_reason": after.get("reason", ""),
                }
            )
        changes = []
        keys = list(before["observations"]) + [key for key in after["observations"] if key not in before["observations"]]
        for key in keys:
            if key not in after["observations"]:
                changes.append({"path": key, "kind": "removed", "old": before["observations"][key], "new": None})
            elif key not in before["observations"]:
                changes.append({"path": key, "kind": "added", "old": None, "new": after["observations"][key]})
            else:
                changes += value_changes(key, before["observations"][key], after["observations"][key])
        if changes:
            observation_changes.append(
                {"id": check_id, "family": after["family"], "check": after["check"], "docstring": after["docstring"], "changes": changes}
            )
    old_env, new_env = _environment(old), _environment(new)
    return {
        "old": old_env,
        "new": new_env,
        "environment_changes": [
            {"key": key, "old": old_env[key], "new": new_env[key]} for key in old_env if old_env[key] != new_env.get(key)
        ],
        "outcome_changes": outcome_changes,
        "observation_changes": observation_changes,
        "appeared": [
            {"id": i, "family": new_checks[i]["family"], "outcome": new_checks[i]["outcome"]}
            for i in sorted(new_checks.keys() - old_checks.keys())
        ],
        "vanished": [
            {"id": i, "family": old_checks[i]["family"], "outcome": old_checks[i]["outcome"]}
            for i in sorted(old_checks.keys() - new_checks.keys())
        ],
        "counts": {"old": len(old_checks), "new": len(new_checks)},
    }


def should_fail(result: dict[str, Any], fail_on: str) -> bool:
    """``outcome``: a check changed outcome; ``any``: anything about the checks changed; ``none``: never."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on: expected one of {FAIL_ON}, got {fail_on!r}")
    if fail_on == "none":
        return False
    if fail_on == "outcome":
        return bool(result["outcome_changes"])
    return any(result[key] for key in ("outcome_changes", "observation_changes", "appeared", "vanished"))


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
    return f"`{path}`: `{value_text(change['old'])}` → `{value_text(change['new'])}`"


def _env_name(env: dict[str, Any]) -> str:
    return f"TF {env.get('tensorflow')}" + ("" if env.get("legacy_cells") not in (None, "unavailable") else " (no legacy cells)")


def _case(check_id: str) -> str:
    return check_id.split("[", 1)[1][:-1] if "[" in check_id else "(no parameters)"


def _cases_text(cases: list[str], limit: int) -> str:
    shown = ", ".join(f"`{case}`" for case in cases[:limit])
    return shown + (f" and {len(cases) - limit} more" if len(cases) > limit else "")


def render_markdown(result: dict[str, Any], old_name: str = "old", new_name: str = "new", max_cases: int = 6) -> str:
    """The diff as Markdown: verdict first, then outcome changes, observation changes, appeared/vanished, environment."""
    old_env, new_env = result["old"], result["new"]
    outcome, observed = result["outcome_changes"], result["observation_changes"]
    lines = [f"# tf-rnn-checks diff: {_env_name(old_env)} → {_env_name(new_env)}", ""]
    for side, name, env in (("old", old_name, old_env), ("new", new_name, new_env)):
        lines.append(
            f"- {side}: {name} — TF {env.get('tensorflow')}, legacy cells from {env.get('legacy_cells')}, {result['counts'][side]} checks"
        )
    lines.append("")
    verdict = [
        f"{len(outcome)} check{'s' if len(outcome) != 1 else ''} changed outcome",
        f"{sum(len(entry['changes']) for entry in observed)} observed values changed in {len(observed)} checks",
        f"{len(result['appeared'])} appeared",
        f"{len(result['vanished'])} vanished",
    ]
    lines += [f"**{'; '.join(verdict)}.**", ""]
    if outcome:
        lines += [f"## Checks that changed outcome ({len(outcome)})", ""]
        grouped: dict[tuple[str, str], dict[tuple[str, str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
        outcome_docs: dict[tuple[str, str], str] = {}
        for entry in outcome:
            key = (entry["family"], entry["check"])
            outcome_docs[key] = entry["docstring"]
            reason = f"now: {entry['new_reason']}" if entry["new_reason"] else ""
            reason = reason or (f"was: {entry['old_reason']}" if entry["old_reason"] else "")
            grouped[key][(entry["old"], entry["new"], reason)].append(_case(entry["id"]))
        for (family, check), moves in grouped.items():
            lines.append(f"- **{family}::{check}** — {outcome_docs[(family, check)]}")
            for (before, after, reason), cases in moves.items():
                why = f" — {value_text(reason, 300)}" if reason else ""
                lines.append(f"  - {outcome_label(before)} → {outcome_label(after)} in {_cases_text(cases, max_cases)}{why}")
        lines.append("")
    if observed:
        lines += [f"## Observations that changed value ({len(observed)} checks)", ""]
        by_check: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        docs: dict[tuple[str, str], str] = {}
        for entry in observed:
            key = (entry["family"], entry["check"])
            docs[key] = entry["docstring"]
            for change in entry["changes"]:
                by_check[key][change_text(change)].append(_case(entry["id"]))
        for (family, check), texts in by_check.items():
            lines.append(f"- **{family}::{check}** — {docs[(family, check)]}")
            for text, cases in texts.items():
                shown = ", ".join(f"`{case}`" for case in cases[:max_cases]) + (
                    f" and {len(cases) - max_cases} more" if len(cases) > max_cases else ""
                )
                lines.append(f"  - {text} — in {shown}")
        lines.append("")
    for title, key in (("Checks that appeared", "appeared"), ("Checks that vanished", "vanished")):
        if result[key]:
            lines += [f"## {title} ({len(result[key])})", ""]
            lines += [f"- `{entry['id']}` ({outcome_label(entry['outcome'])})" for entry in result[key]]
            lines.append("")
    if result["environment_changes"]:
        lines += ["## Environment", "", "| | old | new |", "|---|---|---|"]
        lines += [
            f"| {change['key']} | {cell(str(change['old']))} | {cell(str(change['new']))} |" for change in result["environment_changes"]
        ]
        lines.append("")
    if not (outcome or observed or result["appeared"] or result["vanished"]):
        lines += ["No check changed outcome or observed value.", ""]
    return "\n".join(lines).rstrip() + "\n"

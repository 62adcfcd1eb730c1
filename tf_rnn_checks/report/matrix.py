"""``docs/matrix.md``: every check (grouped by family) against every golden's TF version."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from tf_rnn_checks.report import schema
from tf_rnn_checks.report.format import cell

_SYMBOLS = {"passed": "✅", "failed": "❌", "error": "💥", "skipped": "⏭", "xfailed": "⚠", "xpassed": "❗"}
_NAME = re.compile(r"^tf(\d+)\.(\d+)(.*)\.json$")


def golden_paths(directory: str | Path) -> list[Path]:
    """The goldens in ``directory`` ordered by TF version (plain before suffixed, e.g. ``-no-tf-keras``)."""
    found = []
    for path in Path(directory).glob("tf*.json"):
        match = _NAME.match(path.name)
        if match:
            found.append(((int(match[1]), int(match[2]), match[3]), path))
    return [path for _, path in sorted(found)]


def newest_golden(directory: str | Path) -> Path:
    """The golden of the newest TF version in ``directory`` with the legacy cells (no ``-suffix``)."""
    plain = [path for path in golden_paths(directory) if _NAME.match(path.name)[3] == ""]
    if not plain:
        raise schema.ReportError(f"{directory}: no goldens named tf<major>.<minor>.json")
    return plain[-1]


def _cell(outcomes: list[str]) -> str:
    if not outcomes:
        return "—"
    counts = Counter(outcomes)
    if len(counts) == 1:
        outcome = next(iter(counts))
        return _SYMBOLS.get(outcome, outcome) + (f" {len(outcomes)}" if len(outcomes) > 1 else "")
    order = ("failed", "error", "xpassed", "xfailed", "passed", "skipped")
    return " ".join(f"{_SYMBOLS[o]} {counts[o]}" for o in order if counts.get(o))


def _moved_rows(per_case: dict[str, dict[str, str]], columns: list[str]) -> list[tuple[str, dict[str, str]]]:
    """Rows for the cases whose outcome differs across ``columns``; a check whose cases all moved alike is one row."""
    by_check: dict[str, list[str]] = {}
    for case in sorted(per_case):
        by_check.setdefault(case.split("[", 1)[0], []).append(case)
    rows = []
    for check, cases in by_check.items():
        patterns = {tuple(per_case[case].get(column, "—") for column in columns) for case in cases}
        moved = [case for case in cases if len({per_case[case].get(column, "—") for column in columns}) > 1]
        if not moved:
            continue
        if len(patterns) == 1 and len(cases) > 1:
            rows.append((f"`{cell(check)}` (all {len(cases)} cases)", per_case[cases[0]]))
        else:
            rows += [(f"`{cell(case)}`", per_case[case]) for case in moved]
    return rows


def _known_differences(reports: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """The checks each golden expected to fail (known_differences.toml), with their reasons."""
    reasons: dict[str, dict[str, list[str]]] = {}
    for name, report in reports:
        for entry in report["checks"]:
            if entry["outcome"] == "xfailed":
                reasons.setdefault(entry.get("reason") or "no reason given", {}).setdefault(name, []).append(entry["id"])
    lines = ["## Known differences", ""]
    if not reasons:
        return [*lines, "None: no golden holds a check expected to fail (`tf_rnn_checks/known_differences.toml`).", ""]
    for reason, by_golden in reasons.items():
        where = "; ".join(f"{name}: {', '.join(f'`{cell(i)}`' for i in ids)}" for name, ids in by_golden.items())
        lines.append(f"- {cell(reason)} — {where}")
    return [*lines, ""]


def render(reports: list[tuple[str, dict[str, Any]]]) -> str:
    """The matrix page for ``[(column name, report), ...]`` in column order."""
    columns = [name for name, _ in reports]
    docs: dict[tuple[str, str], str] = {}
    outcomes: dict[tuple[str, str], dict[str, list[str]]] = {}
    per_case: dict[str, dict[str, str]] = {}
    for name, report in reports:
        for entry in report["checks"]:
            key = (entry["family"], entry["check"])
            docs.setdefault(key, entry["docstring"])
            outcomes.setdefault(key, {}).setdefault(name, []).append(entry["outcome"])
            per_case.setdefault(entry["id"], {})[name] = entry["outcome"]
    header = ["| check | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    lines = [
        "# Behaviour matrix: every check on every TensorFlow version",
        "",
        "Generated from `goldens/` by `tf-rnn-checks matrix goldens -o docs/matrix.md`; each golden is the report of "
        "one tox environment (`tox -e tf2.12` … `tf2.21`, `tf2.21-no-tf-keras`). A cell counts the check's cases by "
        "outcome: ✅ passed, ❌ failed, 💥 error, ⏭ skipped, ⚠ known failure, ❗ unexpected pass, — not in that run.",
        "",
        "| golden | TensorFlow | legacy cells from | checks |",
        "|---|---|---|---|",
    ]
    for name, report in reports:
        env = report["environment"]
        legacy = env.get("legacy_cells") or {}
        lines.append(f"| {name} | {env.get('tensorflow')} | {cell(legacy.get('home', ''))} | {len(report['checks'])} |")
    lines.append("")
    for family in sorted({family for family, _ in outcomes}):
        lines += [f"## {family}", "", *header]
        for key in sorted(k for k in outcomes if k[0] == family):
            row = [_cell(outcomes[key].get(column, [])) for column in columns]
            lines.append(f"| {cell(docs[key])} (`{key[1]}`) | " + " | ".join(row) + " |")
        lines.append("")
    lines += _known_differences(reports)
    plain = [name for name in columns if not name.endswith("-no-tf-keras")]
    lines += ["## Cases whose outcome differs between versions", ""]
    rows = _moved_rows(per_case, plain)
    if rows:
        lines += ["| case | " + " | ".join(plain) + " |", "|---|" + "---|" * len(plain)]
        lines += [f"| {label} | " + " | ".join(_SYMBOLS.get(by.get(c, ""), "—") for c in plain) + " |" for label, by in rows]
    else:
        versions = f" ({', '.join(plain)})" if plain else ""
        lines.append(f"None: every case has the same outcome on every version with the legacy cells{versions}.")
    return "\n".join(lines).rstrip() + "\n"


def render_directory(directory: str | Path) -> str:
    paths = golden_paths(directory)
    if not paths:
        raise schema.ReportError(f"{directory}: no goldens named tf<major>.<minor>[-suffix].json")
    return render([(path.stem, schema.load(path)) for path in paths])

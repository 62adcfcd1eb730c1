"""Small text helpers shared by the Markdown renderers."""

from __future__ import annotations

import json
from typing import Any

OUTCOME_LABELS = {
    "passed": "✅ pass",
    "failed": "❌ FAIL",
    "error": "💥 ERROR",
    "skipped": "⏭ skip",
    "xfailed": "⚠ known failure",
    "xpassed": "❗ unexpected pass",
}


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome)


def value_text(value: Any, limit: int = 160) -> str:
    """A compact one-line rendering of an observed value, shortened with an ellipsis past ``limit`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_anchor(family: str, check: str) -> str:
    """The HTML anchor of a check's section in report.md / docs/behaviour.md (``family-check``), stable across renderers."""
    return f"{family}-{check}"


def cell(text: str) -> str:
    """``text`` made safe for a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def observations_text(observations: dict[str, Any], limit: int = 160) -> str:
    return "; ".join(f"{key} = {value_text(value, limit)}" for key, value in observations.items())


def summary_text(counts: dict[str, int]) -> str:
    order = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
    parts = [f"{counts[name]} {name}" for name in order if counts.get(name)]
    return ", ".join(parts) or "no checks"

"""The ``report.json`` format: loading with validation, and atomic writing.

A report is ``{"schema": "tf-rnn-checks-report", "schema_version": 1, "suite_version": ..., "created": ...,
"exit_status": ..., "environment": {...}, "checks": [{"id", "family", "check", "params", "outcome",
"duration", "docstring", "reason", "observations"}, ...]}``; ``outcome`` is one of :data:`OUTCOMES`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

SCHEMA_NAME = "tf-rnn-checks-report"
SCHEMA_VERSION = 1
OUTCOMES = ("passed", "failed", "skipped", "error", "xfailed", "xpassed")
_CHECK_FIELDS = {"id": str, "family": str, "check": str, "outcome": str, "docstring": str, "observations": dict}
# Fields that may be missing (or null), but have this type when present.
_OPTIONAL_CHECK_FIELDS: dict[str, type | tuple[type, ...]] = {"reason": str, "params": dict, "duration": (int, float), "tolerances": dict}
_OPTIONAL_TOP_FIELDS: dict[str, type | tuple[type, ...]] = {"families": dict}
_OPTIONAL_ENVIRONMENT_FIELDS: dict[str, type | tuple[type, ...]] = {"legacy_cells": dict, "modes": list, "known_differences": dict}


def _optional(data: dict[str, Any], fields: dict[str, type | tuple[type, ...]], where: str, source: str) -> None:
    for field, kind in fields.items():
        value = data.get(field)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise ReportError(f"{source}: {where}{field} is not a {names}")


class ReportError(ValueError):
    """A report file that cannot be used; the message is one line naming the file and the problem."""


def validate(data: Any, source: str = "report") -> dict[str, Any]:
    """``data`` if it is a report of this schema version, else :class:`ReportError` naming what is wrong."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_NAME:
        raise ReportError(f'{source}: not a tf-rnn-checks report (no "schema": "{SCHEMA_NAME}" at the top level)')
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ReportError(
            f"{source}: report schema version {version!r}, but this tf-rnn-checks reads version {SCHEMA_VERSION}; "
            "regenerate the report with this tf-rnn-checks version"
        )
    if not isinstance(data.get("environment"), dict):
        raise ReportError(f'{source}: "environment" is missing or not an object')
    _optional(data, _OPTIONAL_TOP_FIELDS, "", source)
    _optional(data["environment"], _OPTIONAL_ENVIRONMENT_FIELDS, "environment.", source)
    if not all(isinstance(mode, str) for mode in data["environment"].get("modes") or []):
        raise ReportError(f"{source}: environment.modes is not a list of str")
    checks = data.get("checks")
    if not isinstance(checks, list):
        raise ReportError(f'{source}: "checks" is missing or not a list')
    seen: set[str] = set()
    for index, entry in enumerate(checks):
        if not isinstance(entry, dict):
            raise ReportError(f"{source}: checks[{index}] is not an object")
        for field, kind in _CHECK_FIELDS.items():
            if not isinstance(entry.get(field), kind):
                raise ReportError(f"{source}: checks[{index}].{field} is missing or not a {kind.__name__}")
        _optional(entry, _OPTIONAL_CHECK_FIELDS, f"checks[{index}].", source)
        tolerances = entry.get("tolerances") or {}
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in tolerances.values()):
            raise ReportError(f"{source}: checks[{index}].tolerances must map observation keys to numbers >= 0")
        if entry["outcome"] not in OUTCOMES:
            raise ReportError(f"{source}: checks[{index}].outcome is {entry['outcome']!r}, expected one of {', '.join(OUTCOMES)}")
        if entry["id"] in seen:
            raise ReportError(f"{source}: check id {entry['id']!r} appears twice")
        seen.add(entry["id"])
    return data


def load(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate a report; every problem (missing, unreadable, truncated, garbage) is a :class:`ReportError`."""
    source = os.fspath(path)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{source}: is a directory, expected a report.json file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(f"{source}: cannot be read ({type(error).__name__}: {error})") from None
    if not text.strip():
        raise ReportError(f"{source}: is empty, expected a report.json")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportError(
            f"{source}: is not valid JSON (truncated or corrupted?): {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise ReportError(f"{source}: is not a usable JSON report (nested too deeply)") from None
    return validate(data, source)


def write_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A crash leaves either the old file or the new one, never half of either.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(temporary, _file_mode(target))
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    return target


def _file_mode(target: Path) -> int:
    """The existing file's permissions, else what a plain ``open(..., "w")`` would give (mkstemp's are 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def dumps(report: dict[str, Any]) -> str:
    """The canonical JSON text of a report (stable key order, so goldens diff cleanly in git)."""
    return json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in report["checks"]}

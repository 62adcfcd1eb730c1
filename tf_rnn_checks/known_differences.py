"""Known differences as data: checks expected to fail (or skip) on some TensorFlow versions, each with its reason.

The file (``--known-differences PATH``; default: the ``known_differences.toml`` shipped in this package) holds
``[[difference]]`` tables::

    [[difference]]
    check = "lstm_layout::test_kernel_blocks_are_ijfo[*-graph]"  # a check id; * and ? are wildcards
    tensorflow = ">=2.22"                                          # PEP 440 specifier (optional: every version)
    tf_keras = ">=2.22"                                            # optional, the same for tf-keras
    outcome = "failed"                                             # "failed" (a strict xfail) or "skipped"
    reason = "TF 2.22 stores the LSTM kernel as ifjo; see <link>"

A matching check becomes a strict xfail (an unexpected pass fails the run) or a skip, with the reason in the
report, the matrix and the diff. An entry whose ``check`` matches no collected test is stale: the run warns
about it at the end. Ids are the report's (``family::test_name[case]``); other tests match by pytest node id.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_FILE = Path(__file__).with_name("known_differences.toml")
OUTCOMES = ("failed", "skipped")
_FIELDS = {"check": str, "outcome": str, "reason": str, "tensorflow": str, "tf_keras": str}
_REQUIRED = ("check", "outcome", "reason")
_STATE_KEY = pytest.StashKey["_State"]()
_WORKER_OUTPUT = "tf_rnn_checks_stale_known_differences"


@dataclass(frozen=True)
class Difference:
    """One entry: which checks, on which versions, the outcome expected there and why."""

    check: str
    outcome: str
    reason: str
    tensorflow: SpecifierSet | None = None
    tf_keras: SpecifierSet | None = None

    def matches(self, check_id: str) -> bool:
        """``check`` matches ``check_id`` literally, but for ``*`` (any text) and ``?`` (one character): ids hold brackets."""
        pattern = re.escape(self.check).replace(r"\*", ".*").replace(r"\?", ".")
        return re.fullmatch(pattern, check_id) is not None

    def applies(self, tensorflow: str | None, tf_keras: str | None) -> bool:
        """Whether the installed versions fall in this entry's specifiers (a missing package matches no specifier)."""
        return all(
            spec is None or (version is not None and _version(version) in spec)
            for spec, version in ((self.tensorflow, tensorflow), (self.tf_keras, tf_keras))
        )

    def describe(self) -> str:
        versions = ", ".join(f"{name} {spec}" for name, spec in (("TF", self.tensorflow), ("tf-keras", self.tf_keras)) if spec)
        return f"{self.check} ({versions or 'every version'}: {self.outcome})"


def _version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        return Version("0")


def _specifier(value: str, where: str) -> SpecifierSet:
    try:
        return SpecifierSet(value)
    except InvalidSpecifier:
        raise ValueError(f"{where}: expected a version specifier such as '>=2.16,<2.19', got {value!r}") from None


def parse(data: Any, source: str = "known differences") -> list[Difference]:
    """The entries of a parsed TOML document; ``ValueError`` naming the file, entry and field for anything unusable."""
    if not isinstance(data, dict) or set(data) - {"difference"}:
        raise ValueError(f"{source}: expected only [[difference]] tables, got {sorted(data) if isinstance(data, dict) else data!r}")
    entries = data.get("difference", [])
    if not isinstance(entries, list):
        raise ValueError(f"{source}: 'difference' must be an array of tables ([[difference]])")
    differences = []
    for index, entry in enumerate(entries):
        where = f"{source}: difference #{index + 1}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a table")
        unknown = sorted(set(entry) - set(_FIELDS))
        missing = [name for name in _REQUIRED if name not in entry]
        if unknown or missing:
            raise ValueError(f"{where}: unknown fields {unknown} / missing fields {missing}; expected {sorted(_FIELDS)}")
        for name, value in entry.items():
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{where}: {name} must be a non-empty string, got {value!r}")
        if entry["outcome"] not in OUTCOMES:
            raise ValueError(f"{where}: outcome must be one of {OUTCOMES}, got {entry['outcome']!r}")
        differences.append(
            Difference(
                check=entry["check"],
                outcome=entry["outcome"],
                reason=entry["reason"],
                tensorflow=_specifier(entry["tensorflow"], f"{where}: tensorflow") if "tensorflow" in entry else None,
                tf_keras=_specifier(entry["tf_keras"], f"{where}: tf_keras") if "tf_keras" in entry else None,
            )
        )
    return differences


def load(path: str | Path) -> list[Difference]:
    """The entries of a known-differences file; ``ValueError`` naming the file when it is missing or not valid TOML."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot read the known-differences file ({type(error).__name__})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML ({error})") from None
    return parse(data, str(path))


@dataclass
class _State:
    path: Path
    differences: list[Difference]
    stale: tuple[str, ...] = ()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("tf-rnn-checks").addoption(
        "--known-differences",
        metavar="PATH",
        default=str(DEFAULT_FILE),
        help="the known-differences file: checks expected to fail or skip on some TF versions, with reasons "
        "(default: the one shipped with tf-rnn-checks)",
    )


def pytest_configure(config: pytest.Config) -> None:
    path = Path(config.getoption("--known-differences"))
    try:
        config.stash[_STATE_KEY] = _State(path, load(path))
    except ValueError as error:
        raise pytest.UsageError(f"--known-differences: {error}") from None


def _test_id(item: pytest.Item) -> str:
    from tf_rnn_checks.report.capture import check_metadata

    metadata = check_metadata(item)
    return metadata["id"] if metadata else item.nodeid


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from tf_rnn_checks.legacy_keras import installed_tensorflow, installed_tf_keras

    state = config.stash[_STATE_KEY]
    tensorflow, tf_keras = (found[1] if found else None for found in (installed_tensorflow(), installed_tf_keras()))
    ids = [_test_id(item) for item in items]
    state.stale = tuple(entry.describe() for entry in state.differences if not any(entry.matches(i) for i in ids))
    if hasattr(config, "workeroutput"):
        config.workeroutput[_WORKER_OUTPUT] = list(state.stale)
    active = [entry for entry in state.differences if entry.applies(tensorflow, tf_keras)]
    for item, test_id in zip(items, ids, strict=True):
        entry = next((entry for entry in active if entry.matches(test_id)), None)
        if entry is None:
            continue
        reason = f"known difference: {entry.reason}"
        item.add_marker(pytest.mark.xfail(strict=True, reason=reason) if entry.outcome == "failed" else pytest.mark.skip(reason=reason))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    stale = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT)
    if stale is not None:
        node.config.stash[_STATE_KEY].stale = tuple(stale)


def summary(config: pytest.Config) -> dict[str, Any]:
    """For the report's environment: which file was used, how many entries, and the stale ones."""
    state = config.stash.get(_STATE_KEY, None)
    if state is None:
        return {}
    return {"file": state.path.name, "entries": len(state.differences), "stale": list(state.stale)}


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_STATE_KEY, None)
    if state is not None and state.stale:
        terminalreporter.section("tf-rnn-checks known differences", yellow=True)
        for text in state.stale:
            terminalreporter.write_line(f"stale entry in {state.path}: {text} matches no collected check", yellow=True)

"""A golden diffs clean on another machine: every number recorded with a tolerance may move within it, not beyond."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from tf_rnn_checks.report import diff, matrix, schema
from tf_rnn_checks.report.goldens import golden_name

GOLDENS = Path(__file__).resolve().parents[2] / "goldens"


def _shift(value: Any, by: float) -> Any:
    """``value`` with every float moved by ``by`` (ints, strings and flags as they are)."""
    if isinstance(value, float):
        return value + by
    if isinstance(value, list):
        return [_shift(item, by) for item in value]
    if isinstance(value, dict):
        return {key: _shift(item, by) for key, item in value.items()}
    return value


def _perturbed(report: dict[str, Any], fraction: float) -> tuple[dict[str, Any], int]:
    """A copy whose observations recorded with a tolerance all move by ``fraction`` of it; and how many moved."""
    moved = copy.deepcopy(report)
    count = 0
    for entry in moved["checks"]:
        for key, within in (entry.get("tolerances") or {}).items():
            if key in entry["observations"]:
                entry["observations"][key] = _shift(entry["observations"][key], fraction * within)
                count += 1
    return moved, count


@pytest.fixture(scope="module", params=[path.name for path in matrix.golden_paths(GOLDENS)])
def golden(request) -> dict[str, Any]:
    return schema.load(GOLDENS / request.param)


def test_moves_within_the_tolerance_diff_clean_under_the_strictest_fail_on(golden) -> None:
    """Every toleranced observation moved by 99% of its tolerance: no change, even under --fail-on any."""
    near, count = _perturbed(golden, 0.99)
    if golden["environment"]["legacy_cells"]["available"]:
        assert count > 50, "the golden records measured errors with their tolerance"
    result = diff.compare(golden, near)
    assert result["observation_changes"] == []
    assert diff.should_fail(result, "any") is False


def test_moves_beyond_the_tolerance_are_reported_by_key(golden) -> None:
    """The same observations moved by 101% of their tolerance: each is a changed value, and --fail-on value fails."""
    far, count = _perturbed(golden, 1.01)
    if not count:
        pytest.skip("this golden records no toleranced observation (no legacy cells)")
    result = diff.compare(golden, far)
    reported = sum(len(entry["changes"]) for entry in result["observation_changes"])
    assert reported >= count
    assert all(change.get("within") is not None for entry in result["observation_changes"] for change in entry["changes"])
    assert diff.should_fail(result, "value") is True and diff.should_fail(result, "regression") is False


def test_one_pass_turned_into_a_fail_is_a_regression_named_by_id(golden) -> None:
    """A copy of a golden with one passing case failed: exit 1 under the default gate, the case named as a regression."""
    broken = copy.deepcopy(golden)
    case = next(entry for entry in broken["checks"] if entry["outcome"] == "passed")
    case.update(outcome="failed", reason="AssertionError: observed 1, but TF was expected to give 2")
    result = diff.compare(golden, broken)
    assert [move["id"] for move in result["regressions"]] == [case["id"]]
    assert diff.should_fail(result, "regression") is True
    assert f"**{case['family']}::{case['check']}**" in diff.render_markdown(result)


def _envs_installing(extra: str) -> set[str]:
    """The tox envs that install the runtime extra ``extra``, read from tox.ini's ``tf2.{14,...}: <extra>`` extras line."""
    match = re.search(rf"^\s*tf2\.\{{([\d,]+)\}}: {extra}$", (GOLDENS.parent / "tox.ini").read_text(), re.MULTILINE)
    assert match, f"tox.ini names the envs that install {extra}"
    return {f"tf2.{minor}" for minor in match[1].split(",")}


def test_no_converter_check_is_skipped_for_a_missing_runtime(golden) -> None:
    """Every tox env installs ONNX and ONNX Runtime, and PyTorch and JAX where its TF allows, so no golden skips for want of them."""
    env = golden_name(golden["environment"]).removesuffix("-no-tf-keras")
    runtimes = {"onnx", "onnxruntime"} | {extra for extra in ("torch", "jax") if env in _envs_installing(extra)}
    missing = []
    for entry in golden["checks"]:
        absent = re.match(r"([\w, ]+) not installed", entry.get("reason") or "") if entry["outcome"] == "skipped" else None
        if absent and runtimes & {name.strip() for name in absent[1].split(",")}:
            missing.append(entry["id"])
    assert missing == []

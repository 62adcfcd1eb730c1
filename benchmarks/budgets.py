"""Measure the suite's speed, scaling, memory and stability budgets in one run, and say whether each is met.

    python benchmarks/budgets.py                 # main job and test-command wall-time ratios, -n 0/1/2 scaling, peak RSS, slowest checks
    python benchmarks/budgets.py --flake-runs 5  # also: 5 random-order xdist runs must give identical outcomes
    python benchmarks/budgets.py --matrix        # also: the ten-version tox matrix, envs recreated from the warm package cache

Budgets (issues 7 and 15): the main job (`tf-rnn-checks run`, default selection) <= 10x a bare `import tensorflow`;
the README test command (`pytest -n 2`) <= 15x; -n 2 >= 1.5x faster than -n 1;
peak RSS of any pytest process < 2 GiB; the tox matrix < 20 minutes; identical outcomes across flake runs.
Run it with the interpreter of the environment under test (e.g. `.venv/bin/python benchmarks/budgets.py`).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WALL_RATIO_BUDGET = 15.0
MAIN_JOB_RATIO_BUDGET = 10.0
SCALING_BUDGET = 1.5
RSS_BUDGET_BYTES = 2 * 1024**3
MATRIX_BUDGET_SECONDS = 20 * 60
TOX_MATRIX = ",".join(f"tf2.{minor}" for minor in range(12, 22))


@dataclass
class PytestRun:
    seconds: float
    peak_rss_bytes: int
    outcomes: dict[str, str]
    durations: dict[str, float]
    returncode: int


def _timed(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and the peak RSS (bytes) of the largest process the command started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is in KiB on Linux and is a running maximum over all waited-for descendants.
    return seconds, completed.returncode, max(after, before) * 1024


def import_seconds() -> float:
    return _timed([sys.executable, "-c", "import tensorflow"])[0]


def run_pytest(workers: int, *extra: str) -> PytestRun:
    with tempfile.TemporaryDirectory() as folder:
        junit = Path(folder) / "junit.xml"
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *extra]
        command += ["-n", str(workers)] if workers else ["-p", "no:xdist"]
        seconds, code, rss = _timed(command)
        outcomes, durations = _parse_junit(junit)
    return PytestRun(seconds, rss, outcomes, durations, code)


def main_job_seconds() -> tuple[float, int]:
    """Wall seconds and exit code of the main job: ``tf-rnn-checks run`` (the packaged suite, its default selection and workers, and its report)."""
    with tempfile.TemporaryDirectory() as folder:
        seconds, code, _ = _timed([sys.executable, "-m", "tf_rnn_checks.cli", "run", "--report", folder])
    return seconds, code


def _parse_junit(path: Path) -> tuple[dict[str, str], dict[str, float]]:
    outcomes: dict[str, str] = {}
    durations: dict[str, float] = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        children = {child.tag for child in case}
        outcome = "failed" if children & {"failure", "error"} else "skipped" if "skipped" in children else "passed"
        outcomes[test_id] = outcome
        durations[test_id] = float(case.get("time", 0.0))
    return outcomes, durations


def _verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def _budget_line(name: str, figure: str, ratio: float, budget: str, met: bool) -> str:
    """One budget: its figure, the figure as a ratio, the budget that ratio is held to, and the verdict."""
    return f"{name}: {figure} -> {ratio:.2f} (budget {budget}): {_verdict(met)}"


def _counts(outcomes: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return dict(sorted(counts.items()))


def _flake_runs(runs: int) -> bool:
    """``runs`` random-order ``-n 2`` runs with different pytest-randomly seeds; True when all outcomes are identical."""
    baseline: dict[str, str] | None = None
    identical = True
    for index in range(runs):
        seed = 1000 + index
        run = run_pytest(2, "-p", "randomly", f"--randomly-seed={seed}")
        print(
            f"flake run {index + 1} (random order, seed {seed}, -n 2): {run.seconds:.1f} s, {_counts(run.outcomes)}, exit {run.returncode}"
        )
        if baseline is None:
            baseline = run.outcomes
        elif run.outcomes != baseline:
            identical = False
            changed = sorted(k for k in set(run.outcomes) | set(baseline) if run.outcomes.get(k) != baseline.get(k))
            print(f"  outcomes differ from run 1 for {len(changed)} checks: {changed[:10]}")
    return identical


def _matrix() -> tuple[float, int, list[str]]:
    """Recreate and run every env of the ten-version matrix from the warm package cache; seconds, exit code, tox's per-env summary."""
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "tox", "run", "--recreate", "-e", TOX_MATRIX],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ,
    )
    seconds = time.perf_counter() - start
    summary = [line.strip() for line in completed.stdout.splitlines() if line.strip().startswith(tuple(TOX_MATRIX.split(",")))]
    return seconds, completed.returncode, [line for line in summary if "seconds)" in line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flake-runs", type=int, default=0, help="random-order xdist runs whose outcomes must be identical")
    parser.add_argument("--matrix", action="store_true", help="also time `tox run --recreate -e tf2.12,...,tf2.21` (warm package cache)")
    args = parser.parse_args(argv)
    if args.flake_runs == 1:
        parser.error("--flake-runs: expected 0 or at least 2 runs (outcomes are compared between runs)")
    verdicts: list[bool] = []
    import_time = statistics.median(import_seconds() for _ in range(3))
    print(f"import tensorflow: {import_time:.2f} s (median of 3 bare `python -c 'import tensorflow'`)")

    main_seconds, main_code = main_job_seconds()
    print(f"main job (tf-rnn-checks run): {main_seconds:.1f} s, exit {main_code}")
    main_ratio = main_seconds / import_time
    verdicts.append(main_code == 0 and main_ratio <= MAIN_JOB_RATIO_BUDGET)
    print(
        _budget_line(
            "main job",
            f"tf-rnn-checks run {main_seconds:.1f} s / import {import_time:.2f} s",
            main_ratio,
            f"<= {MAIN_JOB_RATIO_BUDGET:.0f}x",
            verdicts[-1],
        )
    )

    runs = {workers: run_pytest(workers, "-p", "no:randomly") for workers in (0, 1, 2)}
    for workers, run in runs.items():
        print(f"pytest -n {workers}: {run.seconds:.1f} s, {_counts(run.outcomes)}, exit {run.returncode}")
        for test_id in sorted(test for test, outcome in run.outcomes.items() if outcome in ("failed", "error")):
            print(f"  {run.outcomes[test_id]}: {test_id}")
    verdicts.append(all(run.returncode == 0 for run in runs.values()))
    print(f"suite: every run exits 0: {_verdict(verdicts[-1])}")
    ratio = runs[2].seconds / import_time
    verdicts.append(ratio <= WALL_RATIO_BUDGET)
    print(
        _budget_line(
            "test command",
            f"pytest -n 2 {runs[2].seconds:.1f} s / import {import_time:.2f} s",
            ratio,
            f"<= {WALL_RATIO_BUDGET:.0f}x",
            verdicts[-1],
        )
    )
    speedup = runs[1].seconds / runs[2].seconds
    verdicts.append(speedup >= SCALING_BUDGET)
    print(
        _budget_line(
            "scaling", f"-n 1 {runs[1].seconds:.1f} s / -n 2 {runs[2].seconds:.1f} s", speedup, f">= {SCALING_BUDGET}x", verdicts[-1]
        )
    )
    print(f"  (-n 0 / -n 2 = {runs[0].seconds / runs[2].seconds:.2f}x)")
    peak = max(run.peak_rss_bytes for run in runs.values())
    verdicts.append(peak < RSS_BUDGET_BYTES)
    print(
        _budget_line(
            "memory", f"peak RSS of any pytest process {peak / 1024**2:.0f} MiB / 2048 MiB", peak / RSS_BUDGET_BYTES, "< 1.00", verdicts[-1]
        )
    )

    durations = sorted(runs[0].durations.values())
    if durations:
        p95 = durations[min(len(durations) - 1, int(0.95 * len(durations)))]
        print(
            f"per-check time (-n 0): median {statistics.median(durations) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {len(durations)} checks"
        )
        print("ten slowest checks (-n 0):")
        for test_id, seconds in sorted(runs[0].durations.items(), key=lambda item: -item[1])[:10]:
            print(f"  {seconds:6.2f} s  {test_id}")

    if args.flake_runs:
        verdicts.append(_flake_runs(args.flake_runs))
        print(f"flakes: identical outcomes over {args.flake_runs} random-order runs: {_verdict(verdicts[-1])}")

    if args.matrix:
        seconds, returncode, summary = _matrix()
        for line in summary:
            print(f"  {line}")
        verdicts.append(seconds < MATRIX_BUDGET_SECONDS and returncode == 0)
        figure = f"tox run --recreate -e {TOX_MATRIX}: {seconds / 60:.1f} min, exit {returncode}"
        print(_budget_line("matrix", figure, seconds / MATRIX_BUDGET_SECONDS, "< 1.00 of 20 min", verdicts[-1]))
    failed = verdicts.count(False)
    print("all budgets met" if not failed else f"{failed} budget(s) NOT met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

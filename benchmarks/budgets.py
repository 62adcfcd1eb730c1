"""Measure the suite's speed, scaling, memory and stability budgets in one run, and say whether each is met.

    python benchmarks/budgets.py                 # wall-time ratio, -n 0/1/2 scaling, peak worker RSS, slowest checks
    python benchmarks/budgets.py --flake-runs 5  # also: 5 random-order xdist runs must give identical outcomes
    python benchmarks/budgets.py --matrix        # also: the ten-version tox matrix wall time (warm package cache)

Budgets (issue 7): `pytest -n 2` <= 15x a bare `import tensorflow`; -n 2 >= 1.5x faster than -n 1;
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


def _counts(outcomes: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return dict(sorted(counts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flake-runs", type=int, default=0, help="random-order xdist runs whose outcomes must be identical")
    parser.add_argument("--matrix", action="store_true", help="also time `tox -e tf2.12,...,tf2.21` (warm cache)")
    args = parser.parse_args(argv)
    failures = 0
    import_time = statistics.median(import_seconds() for _ in range(3))
    print(f"import tensorflow: {import_time:.2f} s (median of 3)")

    runs = {workers: run_pytest(workers, "-p", "no:randomly") for workers in (0, 1, 2)}
    for workers, run in runs.items():
        print(f"pytest -n {workers}: {run.seconds:.1f} s, {_counts(run.outcomes)}, exit {run.returncode}")
    ratio = runs[2].seconds / import_time
    met = ratio <= WALL_RATIO_BUDGET
    failures += not met
    print(f"wall time: pytest -n 2 / import = {ratio:.1f}x (budget <= {WALL_RATIO_BUDGET:.0f}x): {_verdict(met)}")
    speedup = runs[1].seconds / runs[2].seconds
    met = speedup >= SCALING_BUDGET
    failures += not met
    print(f"scaling: -n 1 / -n 2 = {speedup:.2f}x (budget >= {SCALING_BUDGET}x): {_verdict(met)}")
    peak = max(run.peak_rss_bytes for run in runs.values())
    met = peak < RSS_BUDGET_BYTES
    failures += not met
    print(f"memory: peak RSS of any pytest process {peak / 1024**2:.0f} MiB (budget < 2048 MiB): {_verdict(met)}")

    durations = sorted(runs[0].durations.values())
    if durations:
        p95 = durations[min(len(durations) - 1, int(0.95 * len(durations)))]
        print(
            f"per-check time (-n 0): median {statistics.median(durations) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, {len(durations)} checks"
        )
        print("ten slowest checks (-n 0):")
        for test_id, seconds in sorted(runs[0].durations.items(), key=lambda item: -item[1])[:10]:
            print(f"  {seconds:6.2f} s  {test_id}")

    if args.flake_runs:
        baseline = None
        for index in range(args.flake_runs):
            seed = 1000 + index
            run = run_pytest(2, "-p", "randomly", "-p", "no:cacheprovider", f"--randomly-seed={seed}")
            print(f"flake run {index + 1} (random order, seed {seed}, -n 2): {_counts(run.outcomes)}")
            if baseline is None:
                baseline = run.outcomes
            elif run.outcomes != baseline:
                changed = sorted(k for k in set(run.outcomes) | set(baseline) if run.outcomes.get(k) != baseline.get(k))
                failures += 1
                print(f"  outcomes differ from run 1 for: {changed[:10]}")
        print(f"flakes: {_verdict(failures == 0)} over {args.flake_runs} runs")

    if args.matrix:
        start = time.perf_counter()
        completed = subprocess.run(["tox", "-q", "-p", "1", "-e", TOX_MATRIX], cwd=ROOT, stdout=subprocess.DEVNULL, env=os.environ)
        seconds = time.perf_counter() - start
        met = seconds < MATRIX_BUDGET_SECONDS and completed.returncode == 0
        failures += not met
        print(f"matrix: tox -e {TOX_MATRIX}: {seconds / 60:.1f} min, exit {completed.returncode} (budget < 20 min): {_verdict(met)}")
    print("all budgets met" if failures == 0 else f"{failures} budget(s) NOT met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Say that a long run is working: what starts, how many checks were collected, and an estimate of the time left.

Workers spend their first seconds importing TensorFlow and building the check matrix, with nothing on screen; the
controller says so, and once collection is done, how many checks will run and about how long they took last time
(the durations in the installed TF's golden, divided over the workers).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

_ANNOUNCED = pytest.StashKey[bool]()


def _say(config: pytest.Config, text: str) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and config.get_verbosity() >= 0:
        reporter.write_line(f"tf-rnn-checks: {text}")


def _workers(config: pytest.Config) -> int:
    count = getattr(config.option, "numprocesses", None)
    return count if isinstance(count, int) and count > 0 else 1


def estimate_seconds(durations: dict[str, float], test_names: set[str], workers: int) -> float | None:
    """The golden durations of the checks named in ``test_names`` (``test_x[case]``), summed over ``workers``; None if none."""
    known = [duration for check_id, duration in durations.items() if check_id.split("::", 1)[-1] in test_names]
    return sum(known) / workers if known else None


def _golden_durations(config: pytest.Config) -> dict[str, float]:
    from tf_rnn_checks.legacy_keras import installed_tensorflow, installed_tf_keras
    from tf_rnn_checks.report import goldens

    tensorflow, tf_keras = installed_tensorflow(), installed_tf_keras()
    name = goldens.golden_name({"tensorflow": tensorflow[1] if tensorflow else None, "tf_keras": tf_keras[1] if tf_keras else None})
    try:
        path = goldens.auto_golden(Path(config.getoption("--goldens-dir")), name)
        checks = json.loads(path.read_text(encoding="utf-8"))["checks"]
        return {entry["id"]: float(entry.get("duration") or 0.0) for entry in checks}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _announce(config: pytest.Config, node_ids: list[str]) -> None:
    if config.stash.get(_ANNOUNCED, False):
        return
    config.stash[_ANNOUNCED] = True
    workers = _workers(config)
    eta = estimate_seconds(_golden_durations(config), {node_id.rsplit("::", 1)[-1] for node_id in node_ids}, workers)
    text = f"{len(node_ids)} tests collected"
    if eta is not None:
        text += f"; their checks took about {eta:.0f} s on {workers} worker{'s' if workers > 1 else ''} in the golden run"
    _say(config, text)


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if not hasattr(config, "workerinput") and _workers(config) > 1:
        _say(config, f"starting {_workers(config)} workers: each imports TensorFlow and builds the check matrix before the first result")


def pytest_collection_finish(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput") and _workers(session.config) == 1:
        _announce(session.config, [item.nodeid for item in session.items])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """Under xdist the controller collects nothing itself: announce from the first worker's node ids."""
    _announce(node.config, ids)

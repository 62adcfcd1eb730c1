"""Synthetic reports for the report/diff tests (no TensorFlow needed)."""

from __future__ import annotations

import copy
from typing import Any

from tf_rnn_checks.report import schema

LSTM_INVENTORY = {"rnn/lstm_cell/kernel:0": [7, 12], "rnn/lstm_cell/bias:0": [12]}


def entry(check_id: str, outcome: str = "passed", observations: dict[str, Any] | None = None, reason: str = "") -> dict[str, Any]:
    family, name = check_id.split("::", 1)
    return {
        "id": check_id,
        "family": family,
        "check": name.split("[", 1)[0],
        "params": {"case": name.split("[", 1)[1][:-1]} if "[" in name else {},
        "outcome": outcome,
        "duration": 0.01,
        "docstring": f"The sentence of {name.split('[', 1)[0]}.",
        "reason": reason,
        "observations": copy.deepcopy(observations or {}),
    }


def report(checks: list[dict[str, Any]], tensorflow: str = "2.15.1", tf_keras: str | None = None) -> dict[str, Any]:
    home = f"tf_keras {tf_keras}" if tf_keras else "keras 2 bundled (keras 2.15.0)"
    return {
        "schema": schema.SCHEMA_NAME,
        "schema_version": schema.SCHEMA_VERSION,
        "suite_version": "0.1.0",
        "created": "2026-11-22T00:00:00+00:00",
        "exit_status": 0,
        "environment": {
            "tensorflow": tensorflow,
            "tensorflow_distribution": "tensorflow-cpu",
            "tf_keras": tf_keras,
            "keras": "keras 2.15.0",
            "legacy_cells": {"available": True, "home": home, "module": "x", "problem": ""},
            "numpy": "numpy 1.26.4",
            "python": "3.11.7",
            "python_implementation": "CPython",
            "platform": "Linux",
            "modes": ["graph", "eager", "function"],
        },
        "families": {"naming": "Variable names.", "smoke": "Smoke."},
        "checks": copy.deepcopy(checks),
    }


def baseline() -> dict[str, Any]:
    return report(
        [
            entry(
                "naming::test_variable_names[LSTMCell(units=3)-graph]", observations={"inventory": LSTM_INVENTORY, "names": ["a:0", "b:0"]}
            ),
            entry("naming::test_variable_names[LSTMCell(units=3)-eager]", observations={"inventory": LSTM_INVENTORY}),
            entry("smoke::test_output_shape[GRUCell(units=3)-graph]", observations={"output_shape": [2, 3, 3], "max_abs_error": 1.2e-7}),
            entry("smoke::test_legacy", observations={"home": "keras 2 bundled"}),
        ]
    )

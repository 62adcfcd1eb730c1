"""Hypothesis profiles for the fuzz tests (tests/meta/test_fuzz_*.py).

``ci`` (the default) is deterministic and quick: derandomized, no deadline, 100 examples per test.
``TF_RNN_CHECKS_HYPOTHESIS_PROFILE=long`` runs 2000 examples per test, still derandomized;
``=random`` draws fresh examples each run (for hunting, not for CI).
"""

from __future__ import annotations

import os

try:
    from hypothesis import HealthCheck, Phase, settings
except ImportError:  # hypothesis is in the dev extra only; the fuzz modules skip without it
    settings = None

if settings is not None:
    # No explain phase: tracing every line while it explains a failure takes minutes; the shrunk example is what we read.
    _phases = [phase for phase in Phase if phase is not Phase.explain]
    _common = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
        "database": None,
        "phases": _phases,
    }
    settings.register_profile("ci", max_examples=100, derandomize=True, **_common)
    settings.register_profile("long", max_examples=2000, derandomize=True, **_common)
    settings.register_profile("random", max_examples=500, derandomize=False, **_common)
    settings.load_profile(os.environ.get("TF_RNN_CHECKS_HYPOTHESIS_PROFILE", "ci"))

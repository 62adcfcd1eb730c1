"""The packaged suite covers every family module, and the checkout's tests/ has the same thin layer for each."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

from tf_rnn_checks.suite import SUITE_INI, SUITE_MODULE, family_names

ROOT = Path(__file__).resolve().parents[2]
tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def test_families_are_discovered_from_the_package() -> None:
    names = family_names()
    assert {"environment", "smoke"} <= set(names)
    assert SUITE_MODULE.is_file()


def test_every_family_has_its_thin_test_module() -> None:
    """tests/test_<family>.py exists and calls registry.tests_from(<family>), so tox and `run` see the same checks."""
    for name in family_names():
        layer = ROOT / "tests" / f"test_{name}.py"
        assert layer.is_file(), f"tests/test_{name}.py: missing thin layer for tf_rnn_checks/checks/{name}.py"
        assert re.search(rf"tests_from\(\s*{name}\s*\)", layer.read_text()), (
            f"tests/test_{name}.py: does not call registry.tests_from({name})"
        )


def test_packaged_ini_filters_the_same_warnings_as_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(SUITE_INI)
    packaged = [line.strip() for line in ini["pytest"]["filterwarnings"].splitlines() if line.strip()]
    assert packaged == pyproject["filterwarnings"]
    assert ini["pytest"]["xfail_strict"] == "true"


def test_the_ini_ships_in_the_wheel() -> None:
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "pytest.ini" in package_data["tf_rnn_checks.suite"]

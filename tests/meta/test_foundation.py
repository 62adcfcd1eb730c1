"""The suite's own building blocks behave as documented, without TensorFlow."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tf_rnn_checks import registry
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close
from tf_rnn_checks.cells import CellSpec, basic_rnn, gru, lstm, multi
from tf_rnn_checks.observations import Recording, observe
from tf_rnn_checks.tolerances import DEFAULT_TOLERANCES, tolerance_for

ROOT = Path(__file__).resolve().parents[2]


def test_cell_ids_read_as_sentences() -> None:
    """Cell specs render as the ids used in test names."""
    assert str(lstm(3, use_peepholes=True)) == "LSTMCell(units=3,peepholes)"
    assert str(lstm(3, num_proj=2)) == "LSTMCell(units=3,num_proj=2)"
    assert str(multi(gru(3), basic_rnn(2))) == "MultiRNNCell(GRUCell(units=3),BasicRNNCell(units=2))"
    assert lstm(3).output_units == 3 and lstm(3, num_proj=2).output_units == 2


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [({"kind": "NoSuchCell", "units": 3}, "kind"), ({"kind": "GRUCell", "units": 0}, "units"), ({"kind": "MultiRNNCell"}, "layers")],
)
def test_cell_spec_rejects_bad_input_naming_the_argument(kwargs: dict, argument: str) -> None:
    """A malformed cell spec is refused with a ValueError that names the argument."""
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        CellSpec(**kwargs)


def test_assertion_grammar() -> None:
    """Failures read 'what: observed X, but TF was expected to give Y [call]'."""
    with pytest.raises(AssertionError, match=r"^outputs.shape: observed \(2, 3\), but TF was expected to give \(2, 4\) \[f\(x\)\]$"):
        assert_equal((2, 3), (2, 4), what="outputs.shape", call="f(x)")
    with pytest.raises(AssertionError, match=r"max abs error 0.1"):
        assert_close(np.float32([1.0]), np.float32([1.1]), what="h", call="f(x)")
    with pytest.raises(AssertionError, match=r"h shape: observed \(1,\)"):
        assert_close(np.zeros(1), np.zeros(2), what="h", call="f(x)")
    with pytest.raises(AssertionError, match=r"a difference above"):
        assert_not_close(np.zeros(2), np.zeros(2), what="h", call="f(x)")
    assert_close(np.float32([1.0]), np.float32([1.0 + 1e-7]), what="h", call="f(x)")


def test_tolerance_per_dtype() -> None:
    """Each float dtype has one tolerance; other dtypes are refused by name."""
    assert tolerance_for(np.float32) == DEFAULT_TOLERANCES["float32"]
    assert tolerance_for("float64").rtol < tolerance_for("float32").rtol < tolerance_for("float16").rtol
    with pytest.raises(ValueError, match="^dtype:"):
        tolerance_for(np.int32)


def test_observations_are_recorded_only_inside_a_recording() -> None:
    """observe() converts NumPy values to JSON and records into the active recording."""
    observe("outside", 1)
    with Recording() as recording:
        observe("shape", np.array([2, 3]))
        observe("value", np.float32(0.5))
    assert recording.records == {"shape": [2, 3], "value": 0.5}
    with pytest.raises(TypeError, match="^key:"):
        observe("", 1)


def test_registry_makes_parametrized_tests_with_readable_ids() -> None:
    """@check axes become one pytest parameter set per combination, ids joined by '-'."""

    @registry.check(cell=[gru(3), lstm(3, use_peepholes=True)], mode=["graph", "eager"])
    def check_example(cell, mode) -> None:
        """An example."""

    test = registry.as_test(check_example)
    assert test.__name__ == "test_example" and test.__doc__ == "An example."
    (parametrize,) = [mark for mark in test.pytestmark if mark.name == "parametrize"]
    assert [param.id for param in parametrize.args[1]] == [
        "GRUCell(units=3)-graph",
        "GRUCell(units=3)-eager",
        "LSTMCell(units=3,peepholes)-graph",
        "LSTMCell(units=3,peepholes)-eager",
    ]
    assert any(mark.name == "legacy_cells" for mark in test.pytestmark)


def test_registry_refuses_checks_without_docstring_or_axes() -> None:
    """A check needs a 'check_' name, a docstring and non-empty axes."""
    with pytest.raises(ValueError, match="docstring"):

        @registry.check()
        def check_undocumented() -> None:
            pass

    with pytest.raises(TypeError, match="^mode:"):
        registry.check(mode=[])


def test_covers_is_validated_and_stored() -> None:
    """@check(covers=...) takes distinct "Symbol.argument" strings and stores them on the check; anything else names `covers`."""

    @registry.check(covers=("LSTMCell.cell_clip", "dynamic_rnn.time_major"), mode=("graph",))
    def check_example(mode: str) -> None:
        """An example."""

    assert registry.covered_arguments(check_example) == ("LSTMCell.cell_clip", "dynamic_rnn.time_major")
    assert "covers" not in registry.as_test(check_example).pytestmark[-1].args[0]
    for bad, error in (("LSTMCell.cell_clip", TypeError), ((1,), TypeError), (("cell_clip",), ValueError), (("a.b.c",), ValueError)):
        with pytest.raises(error, match="^covers:"):
            registry.check(covers=bad)
    with pytest.raises(ValueError, match="^covers: names each argument once"):
        registry.check(covers=("LSTMCell.cell_clip", "LSTMCell.cell_clip"))


_LOG_LEVEL_WHEN_TENSORFLOW_IS_IMPORTED = """
import os, sys

class StopAtTensorFlow:
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow":
            print(os.environ.get("TF_CPP_MIN_LOG_LEVEL"))
            raise ImportError("stopped where TensorFlow would be imported")
        return None

sys.meta_path.insert(0, StopAtTensorFlow())
try:
    import tf_rnn_checks.tf_import
except ImportError:
    pass
"""


@pytest.mark.parametrize(("user_value", "expected"), [(None, "2"), ("0", "0"), ("3", "3")])
def test_tf_import_sets_the_cpp_log_level_before_tensorflow_unless_the_user_did(user_value, expected) -> None:
    """A fresh process (like each pytest-xdist worker) has TF_CPP_MIN_LOG_LEVEL=2 when TensorFlow starts importing; a user's value is kept."""
    env = {name: value for name, value in os.environ.items() if name != "TF_CPP_MIN_LOG_LEVEL"}
    if user_value is not None:
        env["TF_CPP_MIN_LOG_LEVEL"] = user_value
    code = _LOG_LEVEL_WHEN_TENSORFLOW_IS_IMPORTED
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert completed.stdout.strip() == expected, (
        f"TF_CPP_MIN_LOG_LEVEL when tf_import imports TensorFlow (user set {user_value!r}): observed {completed.stdout.strip()!r}, "
        f"expected {expected!r}; stderr: {completed.stderr[-500:]}"
    )


def test_foundation_does_not_import_tensorflow() -> None:
    """The TF-free modules (cells, registry, assertions, tolerances, observations, legacy_keras) do not import TensorFlow."""
    modules = "cells registry assertions tolerances observations legacy_keras".split()
    code = "import sys\n" + "".join(f"import tf_rnn_checks.{m}\n" for m in modules) + "print('tensorflow' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert completed.stdout.strip() == "False", f"importing {modules}: observed TensorFlow imported, expected not"

"""The check-your-own-cell API validates its input and keeps `import tf_rnn_checks` free of TensorFlow."""

import re
import subprocess
import sys

import pytest

from tf_rnn_checks import registry
from tf_rnn_checks.assertions import assert_equal, expectations_of
from tf_rnn_checks.cells import CellSpec, custom_cell, gru, lstm, multi
from tf_rnn_checks.checking import BoundCheck, CheckResult, CheckResults
from tf_rnn_checks.variable_names import matches_name_pattern


def test_custom_cell_is_a_spec_with_a_readable_id() -> None:
    """custom_cell wraps a factory: str() is its name, make() calls it with the overrides."""
    spec = custom_cell(lambda **kwargs: kwargs, name="LayerNormLSTM")
    assert str(spec) == "LayerNormLSTM" and spec.make(dtype="float64") == {"dtype": "float64"}

    def my_cell():
        return None

    assert str(custom_cell(my_cell)) == "my_cell"


@pytest.mark.parametrize(
    ("kwargs", "error", "argument"),
    [
        ({"make_cell": 3}, TypeError, "make_cell"),
        ({"make_cell": lambda: None}, ValueError, "name"),
        ({"make_cell": print, "name": " "}, ValueError, "name"),
        ({"make_cell": print, "reference": 1}, TypeError, "reference"),
        ({"make_cell": print, "inherits_initializer": "no"}, TypeError, "inherits_initializer"),
        ({"make_cell": print, "initializer_argument": "not a keyword"}, ValueError, "initializer_argument"),
        ({"make_cell": print, "own_initializer": "ln_gamma"}, TypeError, "own_initializer"),
        ({"make_cell": print, "own_initializer": ("ln_gamma", "")}, ValueError, "own_initializer"),
        ({"make_cell": print, "own_initializer": ("ln_gamma", 3)}, ValueError, "own_initializer"),
        ({"make_cell": print, "own_initializer": ("ln_*",), "inherits_initializer": False}, ValueError, "own_initializer"),
        ({"make_cell": print, "checkpoint_compatible_with": "GRUcell"}, ValueError, "checkpoint_compatible_with"),
        ({"make_cell": print, "checkpoint_compatible_with": "MultiRNNCell"}, ValueError, "checkpoint_compatible_with"),
        ({"make_cell": print, "checkpoint_compatible_with": 3}, TypeError, "checkpoint_compatible_with"),
        ({"make_cell": print, "checkpoint_compatible_with": CellSpec("Mine", 3, factory=print)}, TypeError, "checkpoint_compatible_with"),
        ({"make_cell": print, "shares_when_stacked": "yes"}, TypeError, "shares_when_stacked"),
    ],
)
def test_custom_cell_rejects_bad_input_naming_the_argument(kwargs: dict, error: type, argument: str) -> None:
    """Each malformed argument is refused with an error that starts with its name."""
    with pytest.raises(error, match=rf"^{argument}:"):
        custom_cell(**kwargs)


def test_built_in_specs_declare_their_initializer_argument() -> None:
    """LSTMCell takes `initializer`, GRUCell `kernel_initializer`; a mixed stack has none to declare."""
    assert lstm(3).initializer_argument == "initializer" and gru(3).initializer_argument == "kernel_initializer"
    assert CellSpec("BasicRNNCell", 3).initializer_argument is None
    assert multi(lstm(3), lstm(2)).initializer_argument == "initializer" and multi(lstm(3), gru(3)).initializer_argument is None


def test_generic_checks_need_a_cell_axis() -> None:
    """@check(any_cell=True) is refused without a 'cell' axis and recorded otherwise."""
    with pytest.raises(ValueError, match="^any_cell:"):
        registry.check(mode=["graph"], any_cell=True)

    @registry.check(cell=[gru(3)], any_cell=True)
    def check_example(cell) -> None:
        """An example."""

    assert registry.is_generic(check_example)


def test_public_api_loads_lazily_without_tensorflow() -> None:
    """`import tf_rnn_checks` and reading custom_cell do not import TensorFlow."""
    code = "import sys, tf_rnn_checks; tf_rnn_checks.custom_cell; assert 'tensorflow' not in sys.modules, 'tensorflow imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cell_identity_includes_the_factory_and_the_reference() -> None:
    """Two cells with one name but different factories (or references) differ and hash apart, so no cached run is shared."""

    def broken():
        return None

    def fixed():
        return None

    assert custom_cell(broken, name="MyCell") == custom_cell(broken, name="MyCell")
    assert hash(custom_cell(broken, name="MyCell")) == hash(custom_cell(broken, name="MyCell"))
    assert custom_cell(broken, name="MyCell") != custom_cell(fixed, name="MyCell")
    assert hash(custom_cell(broken, name="MyCell")) != hash(custom_cell(fixed, name="MyCell"))
    assert custom_cell(fixed, name="MyCell", reference=print) != custom_cell(fixed, name="MyCell", reference=repr)
    assert CellSpec("Mine", 3, factory=broken) != CellSpec("Mine", 3, factory=fixed)


def _always_fails(cell) -> None:
    assert_equal(1, 2, what="a value", call=f"f({cell})")


@pytest.mark.parametrize(
    ("spec", "subject"),
    [(custom_cell(print, name="MyCell"), "MyCell"), (CellSpec("Mine", 3, factory=print), "Mine(units=3)"), (gru(3), "TF")],
)
def test_failures_name_the_users_cell_as_the_subject_and_tf_for_built_in_cells(spec, subject: str) -> None:
    """A generic check on a user's cell fails with 'but <cell> was expected to give'; on a built-in cell, with 'but TF was'."""
    with pytest.raises(AssertionError, match=rf"^a value: observed 1, but {re.escape(subject)} was expected to give 2 \["):
        BoundCheck(_always_fails)(spec)
    with pytest.raises(AssertionError, match=r"but TF was expected to give 2"):
        _always_fails(spec)


def test_expectations_of_refuses_an_empty_subject() -> None:
    with pytest.raises(ValueError, match="^subject:"):
        with expectations_of(" "):
            pass


@pytest.mark.parametrize(
    ("path", "patterns", "matches"),
    [
        ("outer/rnn/layer_norm_lstm_cell/ln_gamma:0", ["ln_gamma"], True),
        ("outer/rnn/layer_norm_lstm_cell/ln_gamma", ["ln_*"], True),
        ("rnn/layer_norm_lstm_cell/ln_gamma", ["layer_norm_lstm_cell/ln_*"], True),
        ("rnn/layer_norm_lstm_cell/kernel", ["ln_*", "ln_gamma"], False),
        ("rnn/my_ln_gamma", ["ln_gamma"], False),  # a whole trailing name, not a substring
        ("rnn/gates/kernel", ["kernel"], True),
        ("rnn/gates/kernel", [], False),
    ],
)
def test_name_patterns_match_whole_trailing_parts_of_a_variable_path(path: str, patterns: list[str], matches: bool) -> None:
    assert matches_name_pattern(path, patterns) is matches


def test_built_in_specs_declare_themselves_checkpoint_compatible_and_not_sharing() -> None:
    """A built-in spec is checked against its own variable table and as never sharing when stacked; a factory's declares nothing."""
    spec = lstm(3, num_proj=2)
    assert spec.checkpoint_compatible_with is spec and spec.shares_when_stacked is False
    mine = CellSpec("Mine", 3, factory=print)
    assert mine.checkpoint_compatible_with is None and mine.shares_when_stacked is None


@pytest.mark.parametrize(
    "option", [{"own_initializer": ("ln_*",)}, {"checkpoint_compatible_with": "GRUCell"}, {"shares_when_stacked": False}]
)
def test_check_cell_refuses_options_beside_a_spec(option: dict) -> None:
    """Options belong to custom_cell(...) when check_cell is given a spec; the error names the option."""
    from tf_rnn_checks.checking import check_cell

    with pytest.raises(TypeError, match=rf"^{next(iter(option))}: pass it to custom_cell"):
        check_cell(gru(3), **option)


def test_check_cell_takes_a_spec_with_options_left_at_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_rnn_checks import checking

    monkeypatch.setattr(checking, "bound_checks", lambda modes: [])
    assert checking.check_cell(gru(3), own_initializer=[], shares_when_stacked=None, quiet=True) == []


def _results() -> CheckResults:
    return CheckResults(
        "MyCell",
        ("graph", "eager"),
        [
            CheckResult("MyCell", "check_a-graph", "passed"),
            CheckResult("MyCell", "check_reference-graph", "skipped", "no NumPy reference for MyCell; to enable, pass reference="),
            CheckResult("MyCell", "check_reference-eager", "skipped", "no NumPy reference for MyCell; to enable, pass reference="),
            CheckResult("MyCell", "check_b", "failed", "names: observed ['x'], but MyCell was expected to give ['y'] [f()]\ndetail"),
            CheckResult("MyCell", "check_c-eager", "failed", "z" * 700),
        ],
    )


def test_results_print_as_a_one_screen_summary() -> None:
    """str(results): counts, then each failure and skip with its reason (one line each; a check's modes with one reason grouped)."""
    assert str(_results()) == "\n".join(
        [
            "check_cell(MyCell) in graph, eager mode: 1 passed, 2 skipped, 2 failed",
            "  failed check_b: names: observed ['x'], but MyCell was expected to give ['y'] [f()]",
            f"  failed check_c (eager): {'z' * 599}…",
            "  skipped check_reference (graph, eager): no NumPy reference for MyCell; to enable, pass reference=",
        ]
    )
    assert repr(_results()) == "<CheckResults MyCell: 1 passed, 2 skipped, 2 failed>"
    assert _results().counts() == {"passed": 1, "skipped": 2, "failed": 2} and len(_results()) == 5


@pytest.mark.parametrize("quiet", [False, True])
def test_check_cell_prints_its_summary_unless_quiet(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, quiet: bool) -> None:
    from tf_rnn_checks import checking

    monkeypatch.setattr(checking, "bound_checks", lambda modes: [])
    results = checking.check_cell(print, name="MyCell", quiet=quiet)
    printed = capsys.readouterr().out
    assert printed == ("" if quiet else "check_cell(MyCell) in graph, eager, function mode: 0 passed, 0 skipped, 0 failed\n")
    assert isinstance(results, CheckResults) and results == []
    with pytest.raises(TypeError, match="^quiet:"):
        checking.check_cell(print, name="MyCell", quiet="no")

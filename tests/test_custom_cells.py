"""The public API on the worked examples: the good cells pass, each broken one fails exactly its checks, declarations are checked.

examples/cifg_cell.py (two broken variants), examples/layer_norm_lstm_cell.py (own_initializer) and
examples/shared_gru_cell.py (checkpoint_compatible_with, shares_when_stacked: what TF2 does with a TF1 trick).
"""

import functools
import importlib.util
import re
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from tf_rnn_checks import CellCheckFailure, check_cell, custom_cell, parametrize_with_checks
from tf_rnn_checks.cells import gru
from tf_rnn_checks.checking import CheckResult, bound_checks, run_check

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE = EXAMPLES / "cifg_cell.py"

# {broken cell: {failing check id: key phrase of its message}}: every other generic check passes.
OUTSIDE_RNN = "variables outside the driver scope 'rnn/': observed ['cifg/kernel', 'cifg/bias']"
NOT_OUTER = "non-bias variables not initialised to the outer scope's 0.5: observed ['cifg/kernel']"
TWO_CALLS = "number of variables created by two calls vs one: observed 12, but CallTimeVariablesCIFGCell was expected to give 6"
EXPECTED_FAILURES = {
    "ScopeEscapingCIFGCell": {
        # Its variables live at cifg/... whatever scope the caller opened ...
        **{f"check_variables_created_under_driver_scope-{mode}": OUTSIDE_RNN for mode in ("graph", "eager")},
        # ... so the outer scope's initializer never reaches the kernel ...
        "check_outer_scope_initializer_reaches_weights": NOT_OUTER,
        # ... and the reference, given variables by their name within the cell's scope, finds no 'kernel'.
        **{
            f"check_outputs_match_numpy_reference-{mode}": "reference step at time 0: observed \"KeyError: 'kernel'\""
            for mode in ("graph", "eager", "function")
        },
    },
    "CallTimeVariablesCIFGCell": {
        # Eager mode has no variable store: each step's get_variable makes new weights under the same name.
        "check_second_call_reuses_variables-eager": TWO_CALLS,
        "check_outputs_match_numpy_reference-eager": "outputs vs the NumPy reference: observed 'max abs error",
        "check_variables_and_outputs_match_graph_mode-eager": "outputs: observed 'max abs error",
    },
}


@functools.cache
def _example(stem: str = "cifg_cell") -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"tf_rnn_checks_example_{stem}", EXAMPLES / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _spec(class_name: str):
    example = _example()
    cell_class = getattr(example, class_name)
    return custom_cell(
        lambda **overrides: cell_class(3, **overrides), name=class_name, reference=example.cifg_step, initializer_argument="initializer"
    )


@pytest.mark.legacy_cells
@pytest.mark.parametrize("class_name", sorted(EXPECTED_FAILURES))
def test_broken_example_cell_fails_exactly_its_checks(class_name: str) -> None:
    """check_cell(on_fail=None) reports exactly the checks the cell's bug breaks, each with its key phrase."""
    results = check_cell(_spec(class_name), on_fail=None)
    failed = {result.check: result.message for result in results if result.outcome == "failed"}
    assert sorted(failed) == sorted(EXPECTED_FAILURES[class_name]), "\n".join(f"{k}: {v.splitlines()[0]}" for k, v in failed.items())
    for check, phrase in EXPECTED_FAILURES[class_name].items():
        assert phrase in failed[check], f"{check}: {failed[check]!r} lacks {phrase!r}"
    undeclared = ["check_variables_have_the_declared_built_in_cells_names_and_shapes", "check_stacked_copies_share_variables_as_declared"]
    assert [r.check for r in results if r.outcome == "skipped"] == undeclared, "reference and initializer_argument enable the others"


@pytest.mark.legacy_cells
def test_check_cell_raises_on_the_first_failure_naming_check_and_cell() -> None:
    """check_cell raises CellCheckFailure with '<check id> failed for <cell>: <assertion message>', the user's cell as the subject."""
    example = _example()
    expected = (
        r"^check_variables_created_under_driver_scope-graph failed for Escaping: "
        r"variables outside the driver scope 'rnn/': observed \['cifg/kernel', 'cifg/bias'\], but Escaping was expected to give \[\]"
    )
    with pytest.raises(CellCheckFailure, match=expected):
        check_cell(lambda: example.ScopeEscapingCIFGCell(3), name="Escaping", modes=["graph"])


@pytest.mark.legacy_cells
def test_good_example_cell_passes_with_skips_saying_how_to_enable() -> None:
    """A plain factory passes every graph-mode check; the reference and initializer checks skip with the argument that enables them."""
    example = _example()
    results = check_cell(lambda: example.CIFGLSTMCell(3), name="CIFG", modes=["graph"])
    assert [r.check for r in results if r.outcome == "failed"] == []
    skipped = {r.check: r.message for r in results if r.outcome == "skipped"}
    assert sorted(skipped) == [
        "check_initializer_argument_reaches_weights",
        "check_outputs_match_numpy_reference-graph",
        "check_stacked_copies_share_variables_as_declared",
        "check_variables_have_the_declared_built_in_cells_names_and_shapes",
    ]
    assert "pass custom_cell(make_cell, initializer_argument=" in skipped["check_initializer_argument_reaches_weights"]
    assert "pass custom_cell(make_cell, reference=step)" in skipped["check_outputs_match_numpy_reference-graph"]


def test_parametrize_with_checks_ids_name_cell_check_and_mode() -> None:
    """The decorator gives one case per (cell, check, mode) with ids '<cell>-<check>[-<mode>]'."""
    (mark,) = parametrize_with_checks([_spec_free("MyCell")], modes=["graph"]).mark.args[1:2]
    ids = [param.id for param in mark]
    assert "MyCell-check_static_rnn_matches_dynamic_rnn-graph" in ids
    assert "MyCell-check_checkpoint_round_trip_into_fresh_graph" in ids
    assert not any(i.endswith(("-eager", "-function")) for i in ids)


def _spec_free(name: str):
    return custom_cell(lambda: None, name=name)


def test_parametrize_with_checks_rejects_unnamed_and_duplicate_cells() -> None:
    """Lambdas without a name and two cells with one id are refused, naming the argument."""
    with pytest.raises(ValueError, match=r"^cells\[0\]: name: .* has no readable name"):
        parametrize_with_checks([lambda: None])
    with pytest.raises(ValueError, match=r"^cells: two cells share the id 'A'"):
        parametrize_with_checks([_spec_free("A"), _spec_free("A")])
    with pytest.raises(ValueError, match=r"^modes:"):
        parametrize_with_checks([_spec_free("A")], modes=["graf"])


@pytest.mark.legacy_cells
def test_docs_list_every_generic_check_with_its_modes() -> None:
    """docs/checking-your-own-cell.md lists exactly the generic checks, each with the modes it runs in."""
    import re

    from tf_rnn_checks import registry
    from tf_rnn_checks.checking import generic_checks

    text = (EXAMPLE.parents[1] / "docs" / "checking-your-own-cell.md").read_text()
    listed = dict(re.findall(r"^- `(check_\w+)` \(([a-z, ]+)\)$", text, flags=re.M))
    declared = {f.__name__: ", ".join(getattr(f, registry.AXES_ATTRIBUTE).get("mode", ["graph"])) for f in generic_checks()}
    assert listed == declared


@pytest.mark.legacy_cells
def test_built_in_cell_passes_through_the_public_api_quietly(capsys: pytest.CaptureFixture) -> None:
    """check_cell runs the same generic checks on a built-in cell that tests/test_cell_contract.py runs; it passes, prints its
    summary, and lets none of the TF warnings the suite's filterwarnings ignore through."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = check_cell(gru(3), modes=["graph"])
    outcomes = {result.outcome for result in results}
    assert "failed" not in outcomes and "passed" in outcomes, f"check_cell(GRUCell(units=3)): observed {results}"
    known = [str(w.message)[:80] for w in caught if re.match(r"`tf\.nn\.rnn_cell\.|`layer\.updates`", str(w.message))]
    assert known == []
    # A built-in cell's NumPy step is the suite's reference, so every generic check runs: none is skipped.
    assert capsys.readouterr().out == "check_cell(GRUCell(units=3)) in graph mode: 10 passed, 0 skipped, 0 failed\n"


@pytest.mark.legacy_cells
@pytest.mark.parametrize("order", [("CallTimeVariablesCIFGCell", "CIFGLSTMCell"), ("CIFGLSTMCell", "CallTimeVariablesCIFGCell")])
def test_fixed_cell_checked_again_under_the_same_name_gets_its_own_runs(order: tuple[str, str]) -> None:
    """A cell checked after another with the same name (a notebook: fix, re-run) is judged on its own runs, not the cached ones."""
    example = _example()
    verdicts = {}
    for class_name in order:
        cell_class = getattr(example, class_name)
        results = check_cell(lambda cell_class=cell_class: cell_class(3), name="MyCell", modes=["eager"], on_fail=None)
        verdicts[class_name] = {r.check: r.outcome for r in results}["check_variables_and_outputs_match_graph_mode-eager"]
    assert verdicts == {"CallTimeVariablesCIFGCell": "failed", "CIFGLSTMCell": "passed"}


LN_PATTERNS = ("ln_gamma", "ln_beta")
# The outer-scope check drives the cell two plain scopes below the initializer's; the argument check below outer/inner.
LN_OWN = "['outer/plain0/plain1/rnn/layer_norm_lstm_cell/ln_beta', 'outer/plain0/plain1/rnn/layer_norm_lstm_cell/ln_gamma']"
LN_OWN_UNDER_INNER = "['outer/inner/rnn/layer_norm_lstm_cell/ln_beta', 'outer/inner/rnn/layer_norm_lstm_cell/ln_gamma']"
# (cell class, own_initializer) -> {failing check: key phrase}; every other graph-mode check passes.
OWN_INITIALIZER_CASES = {
    ("LayerNormLSTMCell", LN_PATTERNS): {},
    ("LayerNormLSTMCell", ("ln_*",)): {},
    # Without the declaration, the deliberately fixed gain and shift fail both initializer checks.
    ("LayerNormLSTMCell", ()): {
        "check_outer_scope_initializer_reaches_weights": f"not initialised to the outer scope's 0.5: observed {LN_OWN}",
        "check_initializer_argument_reaches_weights": f"not initialised to initializer's 0.25: observed {LN_OWN_UNDER_INNER}",
    },
    # The declaration exempts ln_* only: a kernel that ignores the scope still fails.
    ("ScopeIgnoringLayerNormLSTMCell", LN_PATTERNS): {
        "check_outer_scope_initializer_reaches_weights": "observed ['outer/plain0/plain1/rnn/scope_ignoring_layer_norm_lstm_cell/kernel'], but "
        "ScopeIgnoringLayerNormLSTMCell was expected to give []",
    },
    # A misspelt pattern exempts nothing and says so.
    ("LayerNormLSTMCell", ("ln_gama", "ln_beta")): {
        check: "own_initializer patterns that match no variable: observed ['ln_gama']"
        for check in ("check_outer_scope_initializer_reaches_weights", "check_initializer_argument_reaches_weights")
    },
}


@pytest.mark.legacy_cells
@pytest.mark.parametrize(
    ("class_name", "own"), list(OWN_INITIALIZER_CASES), ids=[f"{c}-{','.join(o) or 'none'}" for c, o in OWN_INITIALIZER_CASES]
)
def test_own_initializer_exempts_only_the_declared_variables(class_name: str, own: tuple[str, ...]) -> None:
    """own_initializer lets ln_gamma/ln_beta keep their ones/zeros while the kernel is still held to the scope's initializer."""
    example = _example("layer_norm_lstm_cell")
    cell_class = getattr(example, class_name)
    results = check_cell(
        lambda **overrides: cell_class(3, **overrides),
        name=class_name,
        reference=example.layer_norm_lstm_step,
        initializer_argument="initializer",
        own_initializer=own,
        modes=["graph"],
        on_fail=None,
    )
    failed = {result.check: result.message for result in results if result.outcome == "failed"}
    expected = OWN_INITIALIZER_CASES[(class_name, own)]
    assert sorted(failed) == sorted(expected), "\n".join(f"{k}: {v.splitlines()[0]}" for k, v in failed.items())
    for check, phrase in expected.items():
        assert phrase in failed[check], f"{check}: {failed[check]!r} lacks {phrase!r}"


SHARED_GRU_LANDS = "{'rnn/gates/kernel': (7, 6), 'rnn/gates/bias': (6,), 'rnn/candidate/kernel': (7, 3), 'rnn/candidate/bias': (3,)}"
BUILT_IN_GRU_LANDS = (
    "{'rnn/gru_cell/gates/kernel': (7, 6), 'rnn/gru_cell/gates/bias': (6,), 'rnn/gru_cell/candidate/kernel': (7, 3), "
    "'rnn/gru_cell/candidate/bias': (3,)}"
)
STACKED_SHARED_GRUS = [
    f"rnn/multi_rnn_cell/cell_{n}/{part}" for n in (0, 1) for part in ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")
]
LANDING = "check_variables_have_the_declared_built_in_cells_names_and_shapes"
STACKING = "check_stacked_copies_share_variables_as_declared"


def _shared_gru(**declared):
    example = _example("shared_gru_cell")
    return custom_cell(lambda: example.SharedGRUCell(3), name="SharedGRUCell", **declared)


def _outcome(check_name: str, spec) -> CheckResult:
    (bound,) = [bound for bound in bound_checks(["graph"]) if bound.name == check_name]
    return run_check(bound, spec)


@pytest.mark.legacy_cells
def test_shared_gru_cell_passes_every_check_and_reports_where_its_variables_land() -> None:
    """Undeclared, SharedGRUCell passes; the skips report its variables at rnn/gates/... and stacked copies at cell_0/cell_1."""
    results = check_cell(_shared_gru(), modes=["graph"], on_fail=None)
    assert [r.check for r in results if r.outcome == "failed"] == []
    by_check = {r.check: r for r in results}
    landing, stacking = by_check[LANDING], by_check[STACKING]
    assert (landing.outcome, stacking.outcome) == ("skipped", "skipped")
    assert f"SharedGRUCell's variables land at {SHARED_GRU_LANDS}; to check them" in landing.message
    assert "pass checkpoint_compatible_with='GRUCell'" in landing.message
    assert (
        f"two stacked SharedGRUCell copies do not share variables (one copy creates 4 variables, two stacked copies 8: {STACKED_SHARED_GRUS})"
        in (stacking.message)
    )
    assert stacking.observations == {"stacked_copies_share": False, "stacked_variables": STACKED_SHARED_GRUS}
    assert landing.observations["variables_under_dynamic_rnn"]["rnn/gates/kernel"] == [7, 6]


# What TF2 really does with SharedGRUCell, per declaration: (check, declaration) -> (outcome, key phrase).
SHARED_GRU_DECLARATIONS = {
    (LANDING, "GRUCell"): (
        "failed",
        f"variables {{path: shape}} vs GRUCell(units=3)'s: observed {SHARED_GRU_LANDS}, but SharedGRUCell was expected to give {BUILT_IN_GRU_LANDS}",
    ),
    (STACKING, True): ("failed", "observed False, but SharedGRUCell was expected to give True"),
    (STACKING, False): ("passed", ""),
}


@pytest.mark.legacy_cells
@pytest.mark.parametrize(("check_name", "declared"), list(SHARED_GRU_DECLARATIONS), ids=[f"{c}-{d}" for c, d in SHARED_GRU_DECLARATIONS])
def test_shared_gru_cell_against_its_declarations(check_name: str, declared) -> None:
    """Declared checkpoint compatibility with GRUCell fails (rnn/gates/... vs rnn/gru_cell/gates/...); stacked copies do not share."""
    keyword = "checkpoint_compatible_with" if check_name == LANDING else "shares_when_stacked"
    result = _outcome(check_name, _shared_gru(**{keyword: declared}))
    outcome, phrase = SHARED_GRU_DECLARATIONS[(check_name, declared)]
    assert result.outcome == outcome and phrase in result.message, result.message


@pytest.mark.legacy_cells
@pytest.mark.parametrize("declared", ["GRUCell", gru(3)], ids=str)
def test_built_in_gru_cell_from_a_factory_meets_both_declarations(declared) -> None:
    """A plain GRUCell factory declared checkpoint-compatible with GRUCell (by name or spec) and not sharing passes both checks."""
    from tf_rnn_checks.tf_import import v1

    spec = custom_cell(lambda: v1.nn.rnn_cell.GRUCell(3), name="PlainGRU", checkpoint_compatible_with=declared, shares_when_stacked=False)
    assert [_outcome(name, spec).outcome for name in (LANDING, STACKING)] == ["passed", "passed"]


@pytest.mark.legacy_cells
def test_one_shared_gru_cell_object_stacked_twice_shares_like_a_built_in_cell() -> None:
    """The TF2 way to share: MultiRNNCell([cell, cell]) with one SharedGRUCell object creates only cell_0's variables."""
    from tf_rnn_checks.drivers import drive, make_stacked_twice
    from tf_rnn_checks.modes import run

    x = np.zeros((2, 3, 3), np.float32)  # 3 features = 3 units, so the one kernel fits both layers
    result = run("graph", make_stacked_twice(_shared_gru(), same_object=True), lambda cells: drive("dynamic_rnn", cells, x))
    assert [v.path for v in result.variables] == STACKED_SHARED_GRUS[:4]

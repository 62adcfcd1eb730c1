"""Every argument of every public TF symbol the suite covers has a check that pins its effect by value.

The arguments come from the live TensorFlow: ``inspect.signature`` of the ``tf.compat.v1`` cells, wrappers,
``zero_state`` methods and drivers, and the op defs (inputs and attributes) of the fused RNN raw ops. The
claims come from the checks themselves, ``@check(covers=("LSTMCell.cell_clip", ...))`` (see
:func:`tf_rnn_checks.registry.check`), so a TensorFlow that adds an argument fails here, naming it, until a
check pins what it does. :data:`EXEMPT` holds the few arguments no value check is meant for, each with why;
:data:`UNCOVERED_YET` the arguments still waiting for one.
"""

from __future__ import annotations

import fnmatch
import inspect

import pytest

from tf_rnn_checks import registry
from tf_rnn_checks.suite import families

pytestmark = pytest.mark.legacy_cells

CLASSES = ("BasicRNNCell", "GRUCell", "LSTMCell", "BasicLSTMCell", "MultiRNNCell", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper")
# Built by TF, not by users, but its two fields are the LSTM state every driver returns.
STATE_CLASSES = ("LSTMStateTuple",)
DRIVERS = (
    "dynamic_rnn",
    "static_rnn",
    "bidirectional_dynamic_rnn",
    "static_bidirectional_rnn",
    "static_state_saving_rnn",
    "raw_rnn",
)
RAW_OPS = ("LSTMBlockCell", "GRUBlockCell", "BlockLSTM", "BlockLSTMV2")

# {pattern (fnmatch over "Symbol.argument"): reason}. Few on purpose: everything else is pinned by a check.
EXEMPT: dict[str, str] = {
    "*.kwargs": "**kwargs go to the Keras base Layer (trainable, _reuse, ...); they are no argument of the recurrent maths",
}
# {"Symbol.argument": reason}: arguments no check pins yet. Remove an entry when a check declares it in covers=.
UNCOVERED_YET: dict[str, str] = {}


def _parameters(function) -> list[inspect.Parameter]:
    return [p for p in inspect.signature(function).parameters.values() if p.name != "self"]


def live_arguments() -> dict[str, str]:
    """``{"Symbol.argument": "default <repr>" | "required" | "input" | "attr default <value>"}`` from the installed TF."""
    from tensorflow.python.framework import op_def_registry

    from tf_rnn_checks.tf_import import tf, v1

    def describe(p: inspect.Parameter) -> str:
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            return "**"
        return "required" if p.default is inspect.Parameter.empty else f"default {p.default!r}"

    arguments: dict[str, str] = {}
    for symbol in CLASSES + STATE_CLASSES:
        for p in _parameters(getattr(v1.nn.rnn_cell, symbol)):
            arguments[f"{symbol}.{p.name}"] = describe(p)
    # One zero_state for all: RNNCell's, overridden by MultiRNNCell and the wrappers; an argument any of them adds shows up.
    for symbol in CLASSES:
        for p in _parameters(getattr(v1.nn.rnn_cell, symbol).zero_state):
            arguments.setdefault(f"zero_state.{p.name}", describe(p))
    for symbol in DRIVERS:
        for p in _parameters(getattr(v1.nn, symbol)):
            arguments[f"{symbol}.{p.name}"] = describe(p)
    for op in RAW_OPS:
        assert hasattr(tf.raw_ops, op), f"tf.raw_ops.{op}: missing from this TensorFlow"
        op_def = op_def_registry.get(op)
        for arg in op_def.input_arg:
            arguments[f"{op}.{arg.name}"] = "input"
        for attr in op_def.attr:
            default = attr.default_value if attr.HasField("default_value") else None
            value = None if default is None else getattr(default, default.WhichOneof("value"))
            arguments[f"{op}.{attr.name}"] = "attr" if default is None else f"attr default {value!r}"
    return arguments


def declared_covers() -> dict[str, list[str]]:
    """``{"Symbol.argument": [check names]}`` over every check of every family."""
    claims: dict[str, list[str]] = {}
    for module in families():
        for function in registry.checks_in(module):
            for name in registry.covered_arguments(function):
                claims.setdefault(name, []).append(f"{module.__name__.rsplit('.', 1)[-1]}.{function.__name__}")
    return claims


def exemption_for(argument: str) -> str | None:
    return next((reason for pattern, reason in EXEMPT.items() if fnmatch.fnmatchcase(argument, pattern)), None)


def uncovered(arguments: dict[str, str], claims: dict[str, list[str]]) -> list[str]:
    """The arguments no check covers, none exempts and :data:`UNCOVERED_YET` does not list."""
    return sorted(a for a in arguments if a not in claims and exemption_for(a) is None and a not in UNCOVERED_YET)


@pytest.fixture(scope="module")
def arguments() -> dict[str, str]:
    return live_arguments()


@pytest.fixture(scope="module")
def claims() -> dict[str, list[str]]:
    return declared_covers()


def test_every_argument_has_a_check_pinning_its_effect(arguments, claims) -> None:
    missing = uncovered(arguments, claims)
    covered = sum(1 for a in arguments if a in claims)
    exempt = sum(1 for a in arguments if a not in claims and exemption_for(a) is not None)
    print(f"arguments: {len(arguments)} total, {covered} covered, {exempt} exempt, {len(UNCOVERED_YET)} uncovered yet")
    assert not missing, (
        f"{len(missing)} argument(s) of the live TF signatures are pinned by no check: "
        + ", ".join(f"{a} ({arguments[a]})" for a in missing)
        + "; add a check with @check(covers=(...)) that pins each one's effect by value (default and another value)"
    )


def test_every_claim_names_a_live_argument(arguments, claims) -> None:
    unknown = {name: checks for name, checks in claims.items() if name not in arguments}
    assert not unknown, f"covers= names arguments the installed TF does not have (misspelt, or removed by TF): {unknown}"


def test_exemptions_are_few_reasoned_and_live(arguments, claims) -> None:
    assert len(EXEMPT) <= 5, f"EXEMPT: {len(EXEMPT)} patterns; pin arguments with checks instead of exempting them"
    for pattern, reason in EXEMPT.items():
        assert reason.strip(), f"EXEMPT[{pattern!r}]: needs a reason"
        matched = [a for a in arguments if fnmatch.fnmatchcase(a, pattern)]
        assert matched, f"EXEMPT[{pattern!r}]: matches no live argument; remove it"
        claimed = [a for a in matched if a in claims]
        assert not claimed, f"EXEMPT[{pattern!r}]: {claimed} are covered by checks {[claims[a] for a in claimed]}; narrow the pattern"


def test_uncovered_yet_lists_only_live_uncovered_arguments(arguments, claims) -> None:
    for name, reason in UNCOVERED_YET.items():
        assert reason.strip(), f"UNCOVERED_YET[{name!r}]: needs a reason"
        assert name in arguments, f"UNCOVERED_YET[{name!r}]: the installed TF has no such argument; remove it"
        assert name not in claims, f"UNCOVERED_YET[{name!r}]: now covered by {claims[name]}; remove the entry"


def test_an_argument_added_by_tf_shows_up_as_uncovered(arguments, claims) -> None:
    """A TF that grows an argument fails the coverage test, naming it (simulated on the live enumeration)."""
    grown = {**arguments, "LSTMCell.new_option": "default None"}
    assert uncovered(grown, claims) == sorted([*uncovered(arguments, claims), "LSTMCell.new_option"])

"""Fuzz the small public helpers: CellSpec/custom_cell, tolerances, assertions, observe, checkpoint name mapping."""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")

import numpy as np  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.meta.fuzzing import JUNK, SCALARS, SIZES, arrays, call_cleanly  # noqa: E402
from tf_rnn_checks import assertions, checkpoint_rename, observations, tolerances  # noqa: E402
from tf_rnn_checks.cells import CellSpec, CustomCell, custom_cell  # noqa: E402

KINDS = st.one_of(st.sampled_from(["BasicRNNCell", "GRUCell", "LSTMCell", "BasicLSTMCell", "MultiRNNCell"]), JUNK)


def _factory(**kwargs):
    return None


@given(KINDS, SIZES, st.one_of(st.just(()), JUNK), st.one_of(st.just(()), JUNK))
def test_cell_spec(kind, units, options, layers):
    spec = call_cleanly(CellSpec, kind, units, options, layers, names=("kind", "units", "options", "layers"))
    if isinstance(spec, CellSpec):
        assert isinstance(str(spec), str)
        assert isinstance(spec.output_units, int)


@given(st.one_of(st.just(_factory), JUNK), st.one_of(st.none(), JUNK), st.one_of(st.none(), JUNK), JUNK, st.one_of(st.none(), JUNK))
def test_custom_cell(make_cell, name, reference, inherits, argument):
    names = ("make_cell", "name", "reference", "inherits_initializer", "initializer_argument")
    result = call_cleanly(
        custom_cell, make_cell, name=name, reference=reference, inherits_initializer=inherits, initializer_argument=argument, names=names
    )
    assert isinstance(result, (CustomCell, ValueError, TypeError))


@given(st.one_of(st.sampled_from(["float16", "float32", "float64", np.float32, np.dtype("int8")]), JUNK), st.one_of(st.none(), JUNK))
def test_tolerance_for(dtype, check):
    result = call_cleanly(tolerances.tolerance_for, dtype, check, names=("dtype", "check"))
    assert isinstance(result, (tolerances.Tolerance, ValueError, TypeError))


@given(st.one_of(arrays(max_dims=2, max_side=3), JUNK), st.one_of(arrays(max_dims=2, max_side=3), JUNK), st.one_of(st.none(), JUNK))
def test_assertions(observed, expected, dtype):
    """The assertion helpers raise AssertionError (a verdict) or a clean ValueError/TypeError, nothing else."""
    names = ("observed", "expected", "dtype", "margin")
    for function, kwargs in ((assertions.assert_close, {"dtype": dtype}), (assertions.assert_not_close, {}), (assertions.assert_equal, {})):
        try:
            call_cleanly(function, observed, expected, what="w", call="c", names=names, **kwargs)
        except AssertionError as error:
            assert "leaked" not in str(error) and "not naming" not in str(error), str(error)


@given(
    st.one_of(st.text(min_size=1, max_size=5), JUNK),
    st.recursive(
        st.one_of(SCALARS, arrays(max_dims=2, max_side=3), st.builds(object)),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
        max_leaves=6,
    ),
)
def test_observe(key, value):
    with observations.Recording() as recording:
        result = call_cleanly(observations.observe, key, value, names=("key", "value"))
    if result is None:
        assert key in recording.records


def test_observe_circular():
    value: list = []
    value.append(value)
    with pytest.raises((ValueError, TypeError), match="value"):
        observations.observe("k", value)


SEGMENTS = st.sampled_from(
    [
        "RNN",
        "BiRNN",
        "FW",
        "BW",
        "MultiRNNCell",
        "Cell0",
        "Cell1",
        "LSTMCell",
        "GRUCell",
        "BasicLSTMCell",
        "Linear",
        "Matrix",
        "Bias",
        "Gates",
        "Candidate",
        "W_F_diag",
        "Adam",
        "Adam_1",
        "lstm_cell",
        "kernel",
        "bias",
        "x",
        "",
    ]
)
NAMES = st.one_of(st.lists(SEGMENTS, min_size=1, max_size=6).map("/".join), st.text(max_size=12), JUNK)


@given(NAMES, st.one_of(st.lists(NAMES, max_size=5), JUNK))
def test_checkpoint_rename_names(name, names):
    result = call_cleanly(checkpoint_rename.new_name, name, names=("name", "RNN-era"))
    assert isinstance(result, (str, ValueError, TypeError))
    mapping = call_cleanly(checkpoint_rename.rename_map, names, names=("name", "names", "RNN-era", "ambiguous"))
    if isinstance(mapping, dict):
        assert isinstance(checkpoint_rename.format_mapping(mapping), str)
    call_cleanly(checkpoint_rename.format_mapping, names, names=("mapping",))

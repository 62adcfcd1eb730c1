"""Fuzz the NumPy weight converters (Keras, PyTorch, ONNX, checkpoint variables) with wrong shapes, dtypes and junk,
and the checkpoint converters with broken checkpoint files and wrong paths."""

from __future__ import annotations

import os
import tempfile

import pytest

pytest.importorskip("hypothesis")

import numpy as np  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.meta.bad_checkpoints import KINDS, make_bad_path, write_checkpoint  # noqa: E402
from tests.meta.fuzzing import JUNK, SCALARS, call_cleanly, float_arrays  # noqa: E402
from tf_rnn_checks import convert  # noqa: E402

DTYPES = st.sampled_from([np.float32, np.float32, np.float64, np.float16, np.int32])


def _near(shape: tuple[int, ...]) -> st.SearchStrategy[tuple[int, ...]]:
    off = [tuple(s + d if k == i else s for k, s in enumerate(shape)) for i in range(len(shape)) for d in (-1, 1)]
    return st.sampled_from([shape, shape, *off, shape[1:], (*shape, 1)])


def _entries(shapes: dict[str, tuple[int, ...]]) -> st.SearchStrategy[dict[str, object]]:
    """Each named entry: an array of a near-correct shape and some dtype, junk, or left out."""
    entry = lambda shape: st.one_of(  # noqa: E731
        st.tuples(_near(shape), DTYPES).flatmap(lambda t: float_arrays(t[0], t[1])), JUNK, st.just(None)
    )
    return st.fixed_dictionaries({}, optional={name: entry(shape) for name, shape in shapes.items()})


def _tf1(n: int, u: int, p: int) -> dict[str, tuple[int, ...]]:
    return {
        "kernel": (n + u, 4 * u),
        "bias": (4 * u,),
        "w_i_diag": (u,),
        "w_f_diag": (u,),
        "w_o_diag": (u,),
        "projection/kernel": (u, p),
        "gates/kernel": (n + u, 2 * u),
        "gates/bias": (2 * u,),
        "candidate/kernel": (n + u, u),
        "candidate/bias": (u,),
    }


def _torch(n: int, u: int, p: int) -> dict[str, tuple[int, ...]]:
    g = 4 * u
    return {"weight_ih_l0": (g, n), "weight_hh_l0": (g, u), "bias_ih_l0": (g,), "bias_hh_l0": (g,), "weight_hr_l0": (p, u)}


def _onnx(n: int, u: int, p: int) -> dict[str, tuple[int, ...]]:
    return {"W": (1, 4 * u, n), "R": (1, 4 * u, u), "B": (1, 8 * u), "P": (1, 3 * u)}


SIZES = st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
OPTIONS = st.one_of(st.just(1.0), st.just(0.0), SCALARS, st.floats())
NAMES = (
    "variables",
    "weights",
    "state_dict",
    "tensors",
    "forget_bias",
    "cell_clip",
    "proj_clip",
    "kernel",
    "bias",
    "num_units",
    "num_proj",
)
NAMES += (
    "layer",
    "reverse",
    "direction",
    "reset_after",
    "linear_before_reset",
    "kind",
    "values",
    "gates",
    "candidate",
    "projection",
    "peephole",
)
NAMES += ("w_", "weight_", "W", "R", "B", "P", "not representable")


@given(SIZES.flatmap(lambda s: _entries(_tf1(*s))), OPTIONS)
def test_to_targets(variables, forget_bias):
    for function in (convert.lstm_to_keras, convert.lstm_to_onnx, convert.lstm_to_torch):
        call_cleanly(function, variables, forget_bias=forget_bias, names=NAMES)
    for function in (convert.gru_to_keras, convert.gru_to_onnx, convert.gru_to_torch, convert.basic_rnn_to_keras):
        call_cleanly(function, variables, names=NAMES)
    call_cleanly(convert.basic_rnn_to_onnx, variables, names=NAMES)
    call_cleanly(convert.basic_rnn_to_torch, variables, names=NAMES)


@given(JUNK, JUNK, JUNK)
def test_junk_arguments(value, option, other):
    for function in (convert.lstm_to_keras, convert.lstm_to_onnx, convert.lstm_to_torch, convert.lstm_from_keras, convert.lstm_from_onnx):
        call_cleanly(function, value, names=NAMES)
        call_cleanly(function, value, forget_bias=option, names=NAMES)
    for function in (
        convert.gru_to_keras,
        convert.gru_from_keras,
        convert.basic_rnn_from_keras,
        convert.gru_from_torch,
        convert.basic_rnn_from_torch,
    ):
        call_cleanly(function, value, names=NAMES)
    call_cleanly(convert.gru_to_keras, value, reset_after=option, names=NAMES)
    call_cleanly(convert.gru_to_onnx, value, linear_before_reset=option, names=NAMES)
    call_cleanly(convert.gru_from_onnx, value, linear_before_reset=option, direction=other, names=NAMES)
    call_cleanly(convert.lstm_to_torch, value, layer=option, reverse=other, names=NAMES)
    call_cleanly(convert.lstm_from_torch, value, layer=option, reverse=other, names=NAMES)
    call_cleanly(convert.basic_rnn_from_onnx, value, direction=option, names=NAMES)
    call_cleanly(convert.bidirectional, value, other, names=NAMES)
    for function in (convert.variables_to_keras, convert.variables_to_onnx, convert.variables_to_torch, convert.find_cells):
        call_cleanly(function, value, names=NAMES)
        call_cleanly(function, {"rnn/lstm_cell/kernel": value}, kind=option, names=NAMES)
        call_cleanly(function, {value if isinstance(value, (int, str, bytes, float, type(None))) else 0: 1.0}, names=NAMES)


@given(
    SIZES.flatmap(
        lambda s: st.tuples(
            *(
                st.tuples(_near(shape), DTYPES).flatmap(lambda t: float_arrays(t[0], t[1]))
                for shape in [(s[0], 4 * s[1]), (s[1], 4 * s[1]), (4 * s[1],)]
            )
        )
    ),
    st.integers(0, 3),
    OPTIONS,
)
def test_from_keras(weights, length, forget_bias):
    weights = list(weights)[:length] if length < 3 else list(weights)
    call_cleanly(convert.lstm_from_keras, weights, forget_bias=forget_bias, names=NAMES)
    call_cleanly(convert.gru_from_keras, weights, names=NAMES)
    call_cleanly(convert.basic_rnn_from_keras, weights, names=NAMES)


@given(SIZES.flatmap(lambda s: _entries(_torch(*s))), OPTIONS)
def test_from_torch(state_dict, forget_bias):
    call_cleanly(convert.lstm_from_torch, state_dict, forget_bias=forget_bias, names=NAMES)
    call_cleanly(convert.gru_from_torch, state_dict, names=NAMES)
    call_cleanly(convert.basic_rnn_from_torch, state_dict, names=NAMES)


@given(SIZES.flatmap(lambda s: _entries(_onnx(*s))), OPTIONS, st.integers(-1, 2))
def test_from_onnx(tensors, forget_bias, direction):
    call_cleanly(convert.lstm_from_onnx, tensors, forget_bias=forget_bias, direction=direction, names=NAMES)
    call_cleanly(convert.gru_from_onnx, tensors, direction=direction, names=NAMES)
    call_cleanly(convert.basic_rnn_from_onnx, tensors, direction=direction, names=NAMES)
    call_cleanly(convert.bidirectional, tensors, tensors, names=NAMES)


PREFIXES = st.sampled_from(["", "rnn/", "rnn/multi_rnn_cell/cell_0/", "bidirectional_rnn/fw/", "a/"])
CELLS = st.sampled_from(["lstm_cell/", "gru_cell/", "basic_rnn_cell/", "basic_lstm_cell/", ""])


@given(
    SIZES.flatmap(lambda s: st.tuples(PREFIXES, CELLS, _entries(_tf1(*s)))),
    st.one_of(st.none(), st.sampled_from(["LSTMCell", "GRUCell", "BasicRNNCell", "x"]), JUNK),
)
def test_checkpoint_variables(drawn, kind):
    prefix, cell, entries = drawn
    values = {prefix + cell + name: value for name, value in entries.items()}
    for function in (convert.variables_to_keras, convert.variables_to_onnx, convert.variables_to_torch, convert.find_cells):
        call_cleanly(function, values, kind=kind, names=NAMES)


CHECKPOINT_READERS = (convert.checkpoint_to_keras, convert.checkpoint_to_onnx, convert.checkpoint_to_torch, convert.read_checkpoint)


@pytest.fixture(scope="module")
def good_checkpoint(tmp_path_factory) -> str:
    prefix = str(tmp_path_factory.mktemp("good") / "model.ckpt")
    write_checkpoint(prefix)
    return prefix


@pytest.mark.parametrize("kind", KINDS)
def test_checkpoint_readers_name_the_file_of_a_bad_checkpoint(kind, tmp_path) -> None:
    """Each mistake gives a ValueError that starts with the file and says what is wrong and what was expected."""
    bad = make_bad_path(kind, str(tmp_path))
    for function in CHECKPOINT_READERS:
        with pytest.raises(ValueError) as caught:
            function(bad.path)
        assert str(caught.value).startswith(f"{bad.named}: ") and bad.phrase in str(caught.value), function.__name__


def test_checkpoint_converters_name_an_empty_scope(good_checkpoint) -> None:
    for function in CHECKPOINT_READERS[:3]:
        with pytest.raises(ValueError, match="no TF1 cell variables .* under scope 'encoder'") as caught:
            function(good_checkpoint, scope="encoder")
        assert str(caught.value).startswith(f"{good_checkpoint}: ")


@given(st.sampled_from(KINDS), st.binary(max_size=64), st.floats(0, 0.99))
def test_bad_checkpoint_files(kind, junk, keep):
    with tempfile.TemporaryDirectory() as directory:
        bad = make_bad_path(kind, directory, junk, keep)
        for function in CHECKPOINT_READERS:
            error = call_cleanly(function, bad.path, names=(bad.named,))
            assert isinstance(error, ValueError) and bad.phrase in str(error), (function.__name__, error)


@given(st.text(st.characters(blacklist_characters="/"), max_size=12), JUNK.filter(lambda value: not isinstance(value, str)), JUNK)
def test_checkpoint_paths_and_scopes(name, path, scope):
    with tempfile.TemporaryDirectory() as directory:
        missing = os.path.join(directory, name)
        for function in CHECKPOINT_READERS:
            call_cleanly(function, missing, names=(missing, "path"))
            call_cleanly(function, path, names=("path",))
            call_cleanly(function, os.path.join(directory, "absent"), scope=scope, names=("scope", "absent"))

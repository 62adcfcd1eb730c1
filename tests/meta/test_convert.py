"""The weight converters (TF-free): exact round trips, the documented gate orders, refusals naming the option, and argument validation."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from tf_rnn_checks import convert, runtimes
from tf_rnn_checks.convert import onnx_weights, torch_weights

IN, UNITS, PROJ = 4, 3, 2


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def lstm_vars(dtype="float32", peepholes=False, proj=False, seed=0) -> dict[str, np.ndarray]:
    rng = _rng(seed)
    rec = PROJ if proj else UNITS
    out = {"kernel": rng.standard_normal((IN + rec, 4 * UNITS)).astype(dtype), "bias": rng.standard_normal(4 * UNITS).astype(dtype)}
    if peepholes:
        out.update({f"w_{g}_diag": rng.standard_normal(UNITS).astype(dtype) for g in "ifo"})
    if proj:
        out["projection/kernel"] = rng.standard_normal((UNITS, PROJ)).astype(dtype)
    return out


def gru_vars(dtype="float32", diagonal=False, seed=0) -> dict[str, np.ndarray]:
    rng = _rng(seed)
    out = {
        "gates/kernel": rng.standard_normal((IN + UNITS, 2 * UNITS)).astype(dtype),
        "gates/bias": rng.standard_normal(2 * UNITS).astype(dtype),
        "candidate/kernel": rng.standard_normal((IN + UNITS, UNITS)).astype(dtype),
        "candidate/bias": rng.standard_normal(UNITS).astype(dtype),
    }
    if diagonal:
        out["candidate/kernel"][IN:] = np.diag(np.diag(out["candidate/kernel"][IN:]))
    return out


def rnn_vars(dtype="float32", seed=0) -> dict[str, np.ndarray]:
    rng = _rng(seed)
    return {"kernel": rng.standard_normal((IN + UNITS, UNITS)).astype(dtype), "bias": rng.standard_normal(UNITS).astype(dtype)}


def assert_bitwise(got: dict, want: dict) -> None:
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name].dtype == want[name].dtype and got[name].shape == want[name].shape, name
        assert np.array_equal(got[name], want[name]), f"{name} differs after the round trip"


ROUND_TRIPS = [
    ("lstm-keras", lambda: lstm_vars(), lambda v: convert.lstm_from_keras(convert.lstm_to_keras(v, forget_bias=0.0), forget_bias=0.0)),
    ("lstm-torch", lambda: lstm_vars(), lambda v: convert.lstm_from_torch(convert.lstm_to_torch(v, forget_bias=0.0), forget_bias=0.0)),
    (
        "lstm-torch-proj",
        lambda: lstm_vars(proj=True),
        lambda v: convert.lstm_from_torch(convert.lstm_to_torch(v, forget_bias=0.0), forget_bias=0.0),
    ),
    (
        "lstm-torch-layer1-reverse",
        lambda: lstm_vars(),
        lambda v: convert.lstm_from_torch(
            convert.lstm_to_torch(v, forget_bias=0, layer=1, reverse=True), forget_bias=0, layer=1, reverse=True
        ),
    ),
    ("lstm-onnx", lambda: lstm_vars(), lambda v: convert.lstm_from_onnx(convert.lstm_to_onnx(v, forget_bias=0.0), forget_bias=0.0)),
    (
        "lstm-onnx-peepholes",
        lambda: lstm_vars(peepholes=True),
        lambda v: convert.lstm_from_onnx(convert.lstm_to_onnx(v, forget_bias=0.0), forget_bias=0.0),
    ),
    (
        "lstm-keras-float64",
        lambda: lstm_vars("float64"),
        lambda v: convert.lstm_from_keras(convert.lstm_to_keras(v, forget_bias=0.0), forget_bias=0.0),
    ),
    ("gru-keras", lambda: gru_vars(), lambda v: convert.gru_from_keras(convert.gru_to_keras(v))),
    (
        "gru-keras-reset-after-diagonal",
        lambda: gru_vars(diagonal=True),
        lambda v: convert.gru_from_keras(convert.gru_to_keras(v, reset_after=True)),
    ),
    ("gru-torch-diagonal", lambda: gru_vars(diagonal=True), lambda v: convert.gru_from_torch(convert.gru_to_torch(v))),
    ("gru-onnx", lambda: gru_vars(), lambda v: convert.gru_from_onnx(convert.gru_to_onnx(v))),
    (
        "gru-onnx-lbr1-diagonal",
        lambda: gru_vars(diagonal=True),
        lambda v: convert.gru_from_onnx(convert.gru_to_onnx(v, linear_before_reset=1), linear_before_reset=1),
    ),
    ("rnn-keras", lambda: rnn_vars(), lambda v: convert.basic_rnn_from_keras(convert.basic_rnn_to_keras(v))),
    ("rnn-torch", lambda: rnn_vars(), lambda v: convert.basic_rnn_from_torch(convert.basic_rnn_to_torch(v))),
    ("rnn-onnx", lambda: rnn_vars("float64"), lambda v: convert.basic_rnn_from_onnx(convert.basic_rnn_to_onnx(v))),
]


@pytest.mark.parametrize("make, trip", [pytest.param(m, t, id=name) for name, m, t in ROUND_TRIPS])
def test_round_trip_is_bitwise_exact(make, trip) -> None:
    """TF1 -> target -> TF1 gives back every variable bit for bit (same names, shapes, dtypes)."""
    variables = make()
    assert_bitwise(trip(variables), variables)


@pytest.mark.parametrize("forget_bias", [1.0, 0.25, -2.0])
@pytest.mark.parametrize(
    "to, back",
    [
        (convert.lstm_to_keras, convert.lstm_from_keras),
        (convert.lstm_to_torch, convert.lstm_from_torch),
        (convert.lstm_to_onnx, convert.lstm_from_onnx),
    ],
    ids=["keras", "torch", "onnx"],
)
def test_forget_bias_fold_is_exact_when_the_sum_is_representable(to, back, forget_bias) -> None:
    """With biases on a 2**-10 grid the folded sum is exact in float32, so the round trip is bitwise even with forget_bias."""
    variables = lstm_vars()
    variables["bias"] = (np.round(variables["bias"] * 1024) / 1024).astype(np.float32)
    assert_bitwise(back(to(variables, forget_bias=forget_bias), forget_bias=forget_bias), variables)


def test_forget_bias_round_trip_error_is_one_rounding_for_arbitrary_values() -> None:
    """For arbitrary float32 biases, (b + 1.0) - 1.0 loses at most the bits float32 rounding of b + 1.0 drops."""
    variables = lstm_vars()
    back = convert.lstm_from_keras(convert.lstm_to_keras(variables), forget_bias=1.0)
    ulp = np.spacing(np.abs(variables["bias"]) + np.float32(1.0))
    assert np.all(np.abs(back["bias"] - variables["bias"]) <= ulp)
    assert np.array_equal(back["kernel"], variables["kernel"])


def _marked_lstm(forget_bias_gate_values=(1.0, 2.0, 3.0, 4.0)) -> dict[str, np.ndarray]:
    """A TF1 LSTM whose i, j, f, o blocks hold 1, 2, 3, 4 everywhere (kernel and bias)."""
    blocks = np.repeat(np.asarray(forget_bias_gate_values, np.float32), UNITS)
    return {"kernel": np.tile(blocks, (IN + UNITS, 1)), "bias": blocks.copy()}


def _order(array: np.ndarray, axis: int = -1) -> list[float]:
    """The block values along ``axis``, one per gate."""
    values = np.moveaxis(np.asarray(array), axis, -1).reshape(-1, np.asarray(array).shape[axis])[0]
    return values[::UNITS].tolist()


def test_lstm_gate_orders_are_the_documented_ones() -> None:
    """Keras and PyTorch order i, f, c(j), o; ONNX i, o, f, c(j); forget_bias lands on f only; peepholes go to P as i, o, f."""
    variables = _marked_lstm()
    kernel, recurrent, bias = convert.lstm_to_keras(variables, forget_bias=10.0)
    assert _order(kernel) == [1, 3, 2, 4] and _order(recurrent) == [1, 3, 2, 4] and _order(bias) == [1, 13, 2, 4]
    entries = convert.lstm_to_torch(variables, forget_bias=10.0)
    assert _order(entries["weight_ih_l0"], 0) == [1, 3, 2, 4] and _order(entries["bias_ih_l0"]) == [1, 13, 2, 4]
    assert not entries["bias_hh_l0"].any()
    tensors = convert.lstm_to_onnx(
        dict(variables, **{f"w_{g}_diag": np.full(UNITS, k, np.float32) for k, g in enumerate("ifo", 5)}), forget_bias=10.0
    )
    assert _order(tensors["W"][0], 0) == [1, 4, 3, 2] and _order(tensors["B"][0]) == [1, 4, 13, 2, 0, 0, 0, 0]
    assert _order(tensors["P"][0]) == [5, 7, 6]


def test_gru_gate_orders_are_the_documented_ones() -> None:
    """TF1 r, u, candidate become Keras z(u), r, h; PyTorch r, z(u), n; ONNX z(u), r, h."""
    variables = {
        "gates/kernel": np.tile(np.repeat(np.float32([1, 2]), UNITS), (IN + UNITS, 1)),
        "gates/bias": np.repeat(np.float32([1, 2]), UNITS),
        "candidate/kernel": np.zeros((IN + UNITS, UNITS), np.float32) + 3,
        "candidate/bias": np.full(UNITS, 3, np.float32),
    }
    assert _order(convert.gru_to_keras(variables)[0]) == [2, 1, 3]
    assert _order(convert.gru_to_onnx(variables)["B"][0]) == [2, 1, 3, 0, 0, 0]
    variables["candidate/kernel"][IN:] = np.diag(np.full(UNITS, 3, np.float32))
    assert _order(convert.gru_to_torch(variables)["weight_ih_l0"], 0) == [1, 2, 3]


@pytest.mark.parametrize(
    "convert_it, variables, option",
    [
        (convert.lstm_to_keras, lstm_vars(peepholes=True), "use_peepholes"),
        (convert.lstm_to_torch, lstm_vars(peepholes=True), "use_peepholes"),
        (convert.lstm_to_keras, lstm_vars(proj=True), "num_proj"),
        (convert.lstm_to_onnx, lstm_vars(proj=True), "num_proj"),
        (lambda v: convert.lstm_to_keras(v, cell_clip=3.0), lstm_vars(), "cell_clip"),
        (lambda v: convert.lstm_to_torch(v, proj_clip=1.0), lstm_vars(proj=True), "proj_clip"),
        (lambda v: convert.lstm_to_onnx(v, cell_clip=3.0), lstm_vars(), "cell_clip"),
        (lambda v: convert.gru_to_keras(v, reset_after=True), gru_vars(), "reset_after=True"),
        (convert.gru_to_torch, gru_vars(), "GRUCell: not representable in PyTorch nn.GRU"),
        (lambda v: convert.gru_to_onnx(v, linear_before_reset=1), gru_vars(), "linear_before_reset=1"),
    ],
    ids=[
        "keras-peepholes",
        "torch-peepholes",
        "keras-proj",
        "onnx-proj",
        "keras-cell_clip",
        "torch-proj_clip",
        "onnx-cell_clip",
        "keras-reset_after",
        "torch-gru",
        "onnx-lbr1",
    ],
)
def test_unrepresentable_options_raise_naming_the_option(convert_it, variables, option) -> None:
    """Options the target cannot express raise ValueError naming the option and 'not representable'."""
    with pytest.raises(ValueError, match="not representable") as error:
        convert_it(variables)
    assert str(error.value).startswith(option)


def test_torch_gru_refusal_names_the_exact_targets() -> None:
    """gru_to_torch's refusal names the targets that hold TF1's GRU exactly, and those targets take the refused cell.

    That they reproduce TF1's outputs is checked in the real runtimes by check_keras_cell_with_converted_weights_matches_tf1
    (GRUCell(reset_after=False)) and check_onnx_node_with_converted_weights_matches_tf1 (GRU, linear_before_reset=0).
    """
    variables = gru_vars()
    with pytest.raises(ValueError, match="GRUCell: not representable in PyTorch nn.GRU") as error:
        convert.gru_to_torch(variables)
    assert "Keras GRUCell(reset_after=False) (gru_to_keras / checkpoint_to_keras)" in str(error.value)
    assert "an ONNX GRU with linear_before_reset=0 (gru_to_onnx / checkpoint_to_onnx)" in str(error.value)
    assert len(convert.gru_to_keras(variables, reset_after=False)) == 3
    assert set(convert.gru_to_onnx(variables, linear_before_reset=0)) == {"W", "R", "B"}


def test_reset_after_weights_with_recurrent_candidate_bias_are_refused() -> None:
    """Keras reset_after=True / nn.GRU / ONNX lbr=1 weights with a recurrent candidate bias have no TF1 form."""
    weights = convert.gru_to_keras(gru_vars(diagonal=True), reset_after=True)
    weights[2][1, -1] = 0.5
    with pytest.raises(ValueError, match=r"weights\[2\] \(bias\).*must be zero"):
        convert.gru_from_keras(weights)
    entries = convert.gru_to_torch(gru_vars(diagonal=True))
    entries["bias_hh_l0"][-1] = 0.5
    with pytest.raises(ValueError, match="bias_hh_l0.*must be zero"):
        convert.gru_from_torch(entries)


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: convert.lstm_to_keras([1, 2]), TypeError, r"variables: expected a mapping"),
        (
            lambda: convert.lstm_to_keras({"kernel": np.zeros((7, 12), np.float32)}),
            ValueError,
            r"variables: a TF1 LSTMCell needs 'bias' of shape \(4 \* units,\)",
        ),
        (
            lambda: convert.lstm_to_keras({"kernel": np.zeros((7, 12), np.float32), "bias": np.zeros(10, np.float32)}),
            ValueError,
            r"variables\['bias'\]: expected shape \(4 \* units,\)",
        ),
        (
            lambda: convert.lstm_to_keras({"kernel": np.zeros((7, 8), np.float32), "bias": np.zeros(12, np.float32)}),
            ValueError,
            r"variables\['kernel'\]: expected shape \(input_size \+ 3, 12\)",
        ),
        (
            lambda: convert.lstm_to_keras({"kernel": np.zeros((7, 12), np.int32), "bias": np.zeros(12, np.float32)}),
            ValueError,
            r"variables\['kernel'\]: expected a floating array",
        ),
        (
            lambda: convert.lstm_to_keras(dict(lstm_vars(), w_i_diag=np.zeros(3, np.float32))),
            ValueError,
            r"peepholes need w_i_diag, w_f_diag and w_o_diag",
        ),
        (lambda: convert.lstm_to_keras(lstm_vars(), forget_bias=True), TypeError, r"forget_bias: expected a real number"),
        (lambda: convert.lstm_to_keras(lstm_vars(), forget_bias=float("nan")), ValueError, r"forget_bias: expected a finite number"),
        (
            lambda: convert.gru_to_keras({k: v for k, v in gru_vars().items() if k != "gates/bias"}),
            ValueError,
            r"variables: a TF1 GRUCell needs 'gates/bias' of shape \(6,\)",
        ),
        (
            lambda: convert.gru_to_keras(dict(gru_vars(), **{"candidate/kernel": np.zeros((6, 3), np.float32)})),
            ValueError,
            r"variables\['candidate/kernel'\]: expected shape",
        ),
        (lambda: convert.gru_to_keras(gru_vars(), reset_after=1), TypeError, r"reset_after: expected a bool"),
        (
            lambda: convert.basic_rnn_to_keras({"kernel": np.zeros((3, 3), np.float32), "bias": np.zeros(3, np.float32)}),
            ValueError,
            r"variables\['kernel'\]: expected shape \(input_size \+ 3, 3\)",
        ),
        (
            lambda: convert.lstm_from_keras([np.zeros((4, 12), np.float32)] * 2),
            ValueError,
            r"weights: expected 3 arrays \[kernel, recurrent_kernel, bias\], got 2",
        ),
        (lambda: convert.lstm_from_keras({"kernel": 1}), TypeError, r"weights: expected a list"),
        (
            lambda: convert.lstm_from_keras([np.zeros((4, 12), np.float32), np.zeros((4, 12), np.float32), np.zeros(12, np.float32)]),
            ValueError,
            r"weights\[1\] \(recurrent_kernel\): expected shape \(3, 12\), got \(4, 12\)",
        ),
        (
            lambda: convert.lstm_from_keras([np.zeros((4, 12), np.float32), np.zeros((3, 12), np.float32), np.zeros(12, np.float64)]),
            ValueError,
            r"weights\[2\] \(bias\): expected dtype float32",
        ),
        (
            lambda: convert.gru_from_keras([np.zeros((4, 10), np.float32), np.zeros((3, 9), np.float32), np.zeros(9, np.float32)]),
            ValueError,
            r"weights\[0\] \(kernel\): expected shape \(input_size, 3 \* units\)",
        ),
        (
            lambda: convert.lstm_from_torch({"weight_ih_l0": np.zeros((12, 4), np.float32)}),
            ValueError,
            r"state_dict: expected entries .*missing \['weight_hh_l0'",
        ),
        (lambda: convert.lstm_from_torch([]), TypeError, r"state_dict: expected a mapping"),
        (lambda: convert.lstm_to_torch(lstm_vars(), layer=-1), ValueError, r"layer: expected a non-negative int"),
        (
            lambda: convert.lstm_from_onnx(
                {"W": np.zeros((1, 12, 4), np.float32), "R": np.zeros((1, 12, 4), np.float32), "B": np.zeros((1, 24), np.float32)}
            ),
            ValueError,
            r"tensors\['R'\]: expected shape \(1, 12, 3\)",
        ),
        (
            lambda: convert.lstm_from_onnx(convert.lstm_to_onnx(lstm_vars()), direction=1),
            ValueError,
            r"direction: expected an int in \[0, 1\)",
        ),
        (lambda: convert.gru_to_onnx(gru_vars(), linear_before_reset=2), ValueError, r"linear_before_reset: expected 0"),
        (
            lambda: onnx_weights.bidirectional(convert.lstm_to_onnx(lstm_vars()), convert.gru_to_onnx(gru_vars())),
            ValueError,
            r"backward\['W'\]: expected shape \(1, 12, 4\)",
        ),
    ],
    ids=lambda value: (
        value.__name__ if isinstance(value, type) else value.split(":")[0].replace("\\", "") if isinstance(value, str) else ""
    ),
)
def test_bad_input_raises_naming_the_argument(call, error, pattern) -> None:
    """Wrong types, names, shapes or dtypes raise TypeError/ValueError naming the argument and the expected shape."""
    with pytest.raises(error, match=pattern):
        call()


def _paths(prefix: str, variables: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {f"{prefix}/{name}": value for name, value in variables.items()}


def test_find_cells_orders_stack_layers_numerically_and_directions_fw_first() -> None:
    """cell_10 comes after cell_2 (checkpoints list names alphabetically); fw before bw; kinds from TF's default scope names."""
    values = {}
    for k in (10, 2, 0, 1, 3, 4, 5, 6, 7, 8, 9):
        values.update(
            _paths(
                f"rnn/multi_rnn_cell/cell_{k}/basic_rnn_cell",
                rnn_vars(seed=k) if k == 0 else {"kernel": np.zeros((6, 3), np.float32), "bias": np.zeros(3, np.float32)},
            )
        )
    cells = convert.find_cells(values)
    assert [cell.layer for cell in cells] == list(range(11)) and {cell.kind for cell in cells} == {"BasicRNNCell"}
    pair = {**_paths("bidirectional_rnn/bw/gru_cell", gru_vars()), **_paths("bidirectional_rnn/fw/lstm_cell", lstm_vars())}
    assert [(cell.direction, cell.kind) for cell in convert.find_cells(pair)] == [("fw", "LSTMCell"), ("bw", "GRUCell")]


def test_variables_to_torch_names_layers_and_reverse_direction() -> None:
    """A stack becomes _l0, _l1; a fw/bw pair becomes _l0 and _l0_reverse; a stacked bidirectional model and mixed kinds are refused."""
    stack = {
        **_paths("rnn/multi_rnn_cell/cell_0/lstm_cell", lstm_vars()),
        **_paths("rnn/multi_rnn_cell/cell_1/lstm_cell", {"kernel": np.zeros((6, 12), np.float32), "bias": np.zeros(12, np.float32)}),
    }
    assert sorted(convert.variables_to_torch(stack)) == sorted(
        f"{p}_l{k}" for k in (0, 1) for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    )
    pair = {**_paths("bidirectional_rnn/fw/lstm_cell", lstm_vars()), **_paths("bidirectional_rnn/bw/lstm_cell", lstm_vars(seed=1))}
    state = convert.variables_to_torch(pair)
    assert "weight_ih_l0_reverse" in state and np.array_equal(
        state["weight_ih_l0"], torch_weights.lstm_to_torch(lstm_vars())["weight_ih_l0"]
    )
    layer1 = {"kernel": np.zeros((UNITS + UNITS, 4 * UNITS), np.float32), "bias": np.zeros(4 * UNITS, np.float32)}
    stacked_pair = {}
    for direction in ("fw", "bw"):
        stacked_pair.update(_paths(f"bidirectional_rnn/{direction}/multi_rnn_cell/cell_0/lstm_cell", lstm_vars()))
        stacked_pair.update(_paths(f"bidirectional_rnn/{direction}/multi_rnn_cell/cell_1/lstm_cell", layer1))
    with pytest.raises(ValueError, match="stacked bidirectional TF1 model is not one PyTorch module"):
        convert.variables_to_torch(stacked_pair)
    with pytest.raises(ValueError, match="one PyTorch module holds one cell kind"):
        convert.variables_to_torch(
            {**_paths("rnn/multi_rnn_cell/cell_0/lstm_cell", lstm_vars()), **_paths("rnn/multi_rnn_cell/cell_1/gru_cell", gru_vars())}
        )


def test_find_cells_refuses_what_it_cannot_classify() -> None:
    """A non-RNN kernel (no default cell scope name, shapes fit no cell) asks for kind=; an empty selection says so."""
    with pytest.raises(ValueError, match=r"kind: cannot tell the cell kind of scope 'output'.*pass kind="):
        convert.find_cells({"output/kernel": np.zeros((3, 2), np.float32)})
    with pytest.raises(ValueError, match="values: no TF1 cell variables"):
        convert.find_cells({})
    renamed = _paths("rnn/my_cell", lstm_vars())
    assert convert.find_cells(renamed)[0].kind == "LSTMCell"
    assert convert.find_cells(_paths("rnn/my_cell", rnn_vars()), kind="BasicRNNCell")[0].kind == "BasicRNNCell"


def test_converters_import_no_tensorflow_torch_or_onnx() -> None:
    """The converter package is NumPy only: importing it and converting loads none of the runtimes."""
    convert.lstm_to_onnx(lstm_vars())
    for module in (
        "tf_rnn_checks.convert.keras_weights",
        "tf_rnn_checks.convert.torch_weights",
        "tf_rnn_checks.convert.onnx_weights",
        "tf_rnn_checks.convert._tf1",
        "tf_rnn_checks.convert.modules",  # imports torch / Keras only inside the builders
    ):
        source = open(sys.modules[module].__file__).read()
        assert "import tensorflow" not in source and "import torch" not in source and "import onnx" not in source, module


def test_requires_skips_with_the_install_command(monkeypatch) -> None:
    """A check needing a missing runtime skips with the exact install command; an unknown runtime name is refused."""
    monkeypatch.setattr(runtimes.importlib.util, "find_spec", lambda name: None)

    @runtimes.requires("torch", "onnxruntime")
    def check_x() -> None:
        """Doc."""
        raise AssertionError("must not run")

    with pytest.raises(
        pytest.skip.Exception, match=r"torch, onnxruntime not installed: pip install torch==2\.13\.0; pip install onnxruntime"
    ):
        check_x()
    assert check_x.__name__ == "check_x" and check_x.__doc__ == "Doc."
    with pytest.raises(ValueError, match="modules: expected names from"):
        runtimes.requires("tensorflow")

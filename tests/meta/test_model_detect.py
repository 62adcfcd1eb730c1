"""Structures from a checkpoint's names and shapes, without TensorFlow: kinds, options, stacks, directions, refusals, and a fuzz."""

from __future__ import annotations

import sys

import pytest

from tf_rnn_checks.model.detect import SLOT, detect

F32 = "float32"


def lstm(
    scope: str, units: int = 3, inputs: int = 4, proj: int | None = None, peepholes: bool = False
) -> dict[str, tuple[tuple[int, ...], str]]:
    table = {f"{scope}/kernel": ((inputs + (proj or units), 4 * units), F32), f"{scope}/bias": ((4 * units,), F32)}
    if proj:
        table[f"{scope}/projection/kernel"] = ((units, proj), F32)
    if peepholes:
        table.update({f"{scope}/w_{g}_diag": ((units,), F32) for g in "ifo"})
    return table


def gru(scope: str, units: int = 3, inputs: int = 4) -> dict[str, tuple[tuple[int, ...], str]]:
    return {
        f"{scope}/gates/kernel": ((inputs + units, 2 * units), F32),
        f"{scope}/gates/bias": ((2 * units,), F32),
        f"{scope}/candidate/kernel": ((inputs + units, units), F32),
        f"{scope}/candidate/bias": ((units,), F32),
    }


def describe(variables: dict[str, tuple[tuple[int, ...], str]]) -> dict[str, str]:
    return {s.id: s.problem or s.describe() for s in detect(variables).structures}


def test_the_cell_scope_names_the_kind_basic_lstm_and_lstm_share_variables() -> None:
    assert describe({**lstm("a/rnn/lstm_cell"), **lstm("b/rnn/basic_lstm_cell")}) == {
        "a/rnn": "LSTMCell(units=3)",
        "b/rnn": "BasicLSTMCell(units=3)",
    }


def test_options_come_from_the_variables() -> None:
    structure = detect(lstm("rnn/lstm_cell", units=5, inputs=7, proj=2, peepholes=True)).structures[0]
    (cell,) = structure.directions[0].layers
    assert (cell.units, cell.input_size, cell.peepholes, cell.num_proj, structure.driver) == (5, 7, True, 2, "dynamic_rnn")


def test_stacks_take_their_layers_in_order_and_check_the_widths() -> None:
    stack = {**gru("rnn/multi_rnn_cell/cell_1/gru_cell", 2, 3), **lstm("rnn/multi_rnn_cell/cell_0/lstm_cell", 4, 6, proj=3)}
    assert describe(stack) == {"rnn": "MultiRNNCell(LSTMCell(units=4,num_proj=3),GRUCell(units=2))"}
    gap = {**lstm("rnn/multi_rnn_cell/cell_0/lstm_cell"), **lstm("rnn/multi_rnn_cell/cell_2/lstm_cell", 3, 3)}
    assert "MultiRNNCell layers [0, 2]" in describe(gap)["rnn"]
    wrong = {**lstm("rnn/multi_rnn_cell/cell_0/lstm_cell"), **lstm("rnn/multi_rnn_cell/cell_1/lstm_cell", 3, 5)}
    assert "layer 1 takes 5 inputs but the layer below gives 3" in describe(wrong)["rnn"]


def test_fw_and_bw_make_one_bidirectional_structure_a_lone_fw_is_a_scope() -> None:
    both = {**lstm("bidirectional_rnn/fw/lstm_cell"), **gru("bidirectional_rnn/bw/gru_cell")}
    (structure,) = detect(both).structures
    assert (structure.id, structure.driver, structure.describe()) == (
        "bidirectional_rnn",
        "bidirectional_dynamic_rnn",
        "LSTMCell(units=3) [fw] + GRUCell(units=3) [bw]",
    )
    assert describe(lstm("encoder/fw/lstm_cell")) == {"encoder/fw": "LSTMCell(units=3)"}


def test_old_names_are_read_through_the_rename_table() -> None:
    old = {
        "RNN/MultiRNNCell/Cell0/BasicLSTMCell/Linear/Matrix": ((7, 12), F32),
        "RNN/MultiRNNCell/Cell0/BasicLSTMCell/Linear/Bias": ((12,), F32),
    }
    (structure,) = detect(old).structures
    assert structure.describe() == "MultiRNNCell(BasicLSTMCell(units=3))"
    assert structure.renamed == {
        "RNN/MultiRNNCell/Cell0/BasicLSTMCell/Linear/Matrix": "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel",
        "RNN/MultiRNNCell/Cell0/BasicLSTMCell/Linear/Bias": "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias",
    }


def test_other_variables_say_why() -> None:
    variables = {
        **lstm("rnn/lstm_cell"),
        "rnn/lstm_cell/kernel/Adam": ((7, 12), F32),
        "dense/kernel": ((3, 3), F32),
        "LSTMCell/W_0": ((3, 3), F32),
        "global_step": ((), "int64"),
        "rnn/lstm_cell/w_x_diag": ((3,), F32),
    }
    others = dict(detect(variables).others)
    assert others["rnn/lstm_cell/w_x_diag"].startswith("unknown RNN-era name")
    assert others["rnn/lstm_cell/kernel/Adam"] == SLOT and others["dense/kernel"] == others["global_step"] == "not in a TF1 cell scope"
    assert others["LSTMCell/W_0"].startswith("unknown RNN-era name 'LSTMCell/W_0'")


@pytest.mark.parametrize(
    ("variables", "words"),
    [
        ({"rnn/lstm_cell/kernel": ((7, 10), F32), "rnn/lstm_cell/bias": ((12,), F32)}, "fit no LSTMCell"),
        ({"rnn/lstm_cell/kernel": ((7, 12), F32)}, "missing ['bias']"),
        ({**lstm("rnn/lstm_cell"), "rnn/lstm_cell/w_f_diag": ((3,), F32)}, "missing ['w_i_diag', 'w_o_diag']"),
        ({**lstm("rnn/lstm_cell"), "rnn/lstm_cell/projection/kernel": ((4, 2), F32)}, "fit no LSTMCell"),
        (
            {"rnn/gru_cell/gates/kernel": ((7, 5), F32), **{k: v for k, v in gru("rnn/gru_cell").items() if "gates/kernel" not in k}},
            "fit no GRUCell",
        ),
        ({"rnn/lstm_cell/kernel": ((7, 12), "int32"), "rnn/lstm_cell/bias": ((12,), "int32")}, "dtypes ['int32']"),
        ({"rnn/lstm_cell/kernel": ((3, 12), F32), "rnn/lstm_cell/bias": ((12,), F32)}, "fit no LSTMCell"),
    ],
)
def test_variables_that_fit_no_cell_are_a_problem_not_a_crash(variables: dict, words: str) -> None:
    (structure,) = detect(variables).structures
    assert words in structure.problem and structure.describe() == "unrecognised"
    assert sorted(v.name for v in structure.variables) == sorted(variables)


def test_detect_refuses_what_is_not_a_name_map() -> None:
    with pytest.raises(TypeError, match="variables: expected a mapping"):
        detect([("rnn/lstm_cell/kernel", (7, 12))])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="variables: expected variable names"):
        detect({3: ((1,), F32)})  # type: ignore[dict-item]


def test_detect_does_not_import_tensorflow() -> None:
    import subprocess

    code = "import sys, tf_rnn_checks.model.detect; sys.exit('tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies
SEGMENTS = ["rnn", "fw", "bw", "multi_rnn_cell", "cell_0", "cell_1", "cell_3", "lstm_cell", "basic_lstm_cell", "gru_cell", "basic_rnn_cell",
            "lstm_cell_1", "gates", "candidate", "projection", "kernel", "bias", "w_i_diag", "w_f_diag", "w_o_diag", "weights", "biases",
            "Linear", "Matrix", "Bias", "LSTMCell", "MultiRNNCell", "Cell0", "RNN", "BiRNN", "FW", "Adam", "dense", "x"]  # fmt: skip
names = st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=6).map("/".join)
shapes = st.lists(st.integers(0, 9), max_size=3).map(tuple)
dtypes = st.sampled_from([F32, "float64", "int64", "bfloat16"])


@hypothesis.given(st.dictionaries(names, st.tuples(shapes, dtypes), max_size=12))
def test_fuzz_every_variable_lands_in_exactly_one_place(variables: dict[str, tuple[tuple[int, ...], str]]) -> None:
    detection = detect(variables)
    placed = [v.name for s in detection.structures for v in s.variables] + [name for name, _ in detection.others]
    assert sorted(placed) == sorted(variables)
    for structure in detection.structures:
        assert structure.problem or (structure.input_size >= 1 and structure.dtype in ("float32", "float64") and structure.describe())
        assert structure.id == (structure.id.strip("/") or "(root)")
    assert len({s.id for s in detection.structures}) == len(detection.structures)


def test_the_readme_commands_parse() -> None:
    """Every inspect/probe/diff command line of README's "Your own checkpoint through the gate" parses with the real parser."""
    import re
    import shlex
    from pathlib import Path

    from tf_rnn_checks.cli import parser

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Your own checkpoint through the gate", 1)[1]
    lines = re.findall(r"tf-rnn-checks ((?:inspect|probe|diff) [^|#\n`]+)", section)
    assert {line.split()[0] for line in lines} == {"inspect", "probe", "diff"}
    for line in lines:
        parser().parse_args(shlex.split(line.replace('"$CKPT"', "model.ckpt")))

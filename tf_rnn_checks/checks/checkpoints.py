"""Checkpoints of legacy cells: interchange between constructions, pinned key sets, and old-era names.

TF1 ``Saver`` checkpoints are a graph-mode feature, so these checks save and restore them through graph-mode
runs (object-based ``tf.train.Checkpoint`` keys are taken eagerly, where that API lives).
Old-era checkpoints are written by hand: today's values saved under the TF 1.0 / TF 0.x names, then
converted with :mod:`tf_rnn_checks.checkpoint_rename` and restored into today's cells.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tf_rnn_checks import checkpoint_rename, sizes
from tf_rnn_checks.assertions import assert_equal, assert_true
from tf_rnn_checks.cells import CellSpec, basic_lstm, basic_rnn, gru, lstm, multi
from tf_rnn_checks.modes import fresh_eager, run, write_checkpoint
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.sizes import seeded_values
from tf_rnn_checks.tf_import import tf, v1

KEY_CELLS: tuple[CellSpec, ...] = (basic_rnn(3), gru(3), lstm(3, use_peepholes=True, num_proj=2), basic_lstm(3), multi(lstm(3), gru(3)))

# {cell id: {variable path: shape}} as a Saver stores them under dynamic_rnn's default scope.
SAVER_KEYS: dict[str, dict[str, list[int]]] = {
    "BasicRNNCell(units=3)": {"rnn/basic_rnn_cell/bias": [3], "rnn/basic_rnn_cell/kernel": [7, 3]},
    "GRUCell(units=3)": {
        "rnn/gru_cell/candidate/bias": [3],
        "rnn/gru_cell/candidate/kernel": [7, 3],
        "rnn/gru_cell/gates/bias": [6],
        "rnn/gru_cell/gates/kernel": [7, 6],
    },
    "LSTMCell(units=3,peepholes,num_proj=2)": {
        "rnn/lstm_cell/bias": [12],
        "rnn/lstm_cell/kernel": [6, 12],
        "rnn/lstm_cell/projection/kernel": [3, 2],
        "rnn/lstm_cell/w_f_diag": [3],
        "rnn/lstm_cell/w_i_diag": [3],
        "rnn/lstm_cell/w_o_diag": [3],
    },
    "BasicLSTMCell(units=3)": {"rnn/basic_lstm_cell/bias": [12], "rnn/basic_lstm_cell/kernel": [7, 12]},
    "MultiRNNCell(LSTMCell(units=3),GRUCell(units=3))": {
        "rnn/multi_rnn_cell/cell_0/lstm_cell/bias": [12],
        "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel": [7, 12],
        "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias": [3],
        "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel": [6, 3],
        "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias": [6],
        "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel": [6, 6],
    },
}
_OBJECT_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
# The same variables in a tf.train.Checkpoint(cell=cell): attribute paths, '/' inside a name escaped as '.S'.
OBJECT_KEYS: dict[str, dict[str, list[int]]] = {
    "BasicRNNCell(units=3)": {"cell/bias": [3], "cell/kernel": [7, 3]},
    "GRUCell(units=3)": {
        "cell/candidate.Sbias": [3],
        "cell/candidate.Skernel": [7, 3],
        "cell/gates.Sbias": [6],
        "cell/gates.Skernel": [7, 6],
    },
    "LSTMCell(units=3,peepholes,num_proj=2)": {
        "cell/bias": [12],
        "cell/kernel": [6, 12],
        "cell/projection.Skernel": [3, 2],
        "cell/w_f_diag": [3],
        "cell/w_i_diag": [3],
        "cell/w_o_diag": [3],
    },
    "BasicLSTMCell(units=3)": {"cell/bias": [12], "cell/kernel": [7, 12]},
    "MultiRNNCell(LSTMCell(units=3),GRUCell(units=3))": {
        "cell/cell-0/bias": [12],
        "cell/cell-0/kernel": [7, 12],
        "cell/cell-1/candidate.Sbias": [3],
        "cell/cell-1/candidate.Skernel": [6, 3],
        "cell/cell-1/gates.Sbias": [6],
        "cell/cell-1/gates.Skernel": [6, 6],
    },
}


@dataclass(frozen=True)
class OldCheckpoint:
    """A model as an old TF version saved it: today's cell, the driver, and ``{today's name: old name}``."""

    era: str
    spec: CellSpec
    driver: str
    names: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return f"{self.era.replace(' ', '')}-{self.driver}-{self.spec}"


OLD_CHECKPOINTS: tuple[OldCheckpoint, ...] = (
    OldCheckpoint(
        "TF 1.0",
        basic_rnn(3),
        "dynamic_rnn",
        (
            ("rnn/basic_rnn_cell/kernel", "rnn/basic_rnn_cell/weights"),
            ("rnn/basic_rnn_cell/bias", "rnn/basic_rnn_cell/biases"),
        ),
    ),
    OldCheckpoint(
        "TF 1.0",
        gru(3),
        "dynamic_rnn",
        (
            ("rnn/gru_cell/gates/kernel", "rnn/gru_cell/gates/weights"),
            ("rnn/gru_cell/gates/bias", "rnn/gru_cell/gates/biases"),
            ("rnn/gru_cell/candidate/kernel", "rnn/gru_cell/candidate/weights"),
            ("rnn/gru_cell/candidate/bias", "rnn/gru_cell/candidate/biases"),
        ),
    ),
    OldCheckpoint(
        "TF 1.0",
        lstm(3, use_peepholes=True, num_proj=2),
        "dynamic_rnn",
        (
            ("rnn/lstm_cell/kernel", "rnn/lstm_cell/weights"),
            ("rnn/lstm_cell/bias", "rnn/lstm_cell/biases"),
            ("rnn/lstm_cell/w_f_diag", "rnn/lstm_cell/w_f_diag"),
            ("rnn/lstm_cell/w_i_diag", "rnn/lstm_cell/w_i_diag"),
            ("rnn/lstm_cell/w_o_diag", "rnn/lstm_cell/w_o_diag"),
            ("rnn/lstm_cell/projection/kernel", "rnn/lstm_cell/projection/weights"),
        ),
    ),
    OldCheckpoint(
        "TF 1.0",
        multi(basic_lstm(3), basic_lstm(3)),
        "dynamic_rnn",
        (
            ("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel", "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/weights"),
            ("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias", "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/biases"),
            ("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel", "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/weights"),
            ("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias", "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/biases"),
        ),
    ),
    OldCheckpoint(
        "TF 0.x",
        basic_rnn(3),
        "dynamic_rnn",
        (
            ("rnn/basic_rnn_cell/kernel", "RNN/BasicRNNCell/Linear/Matrix"),
            ("rnn/basic_rnn_cell/bias", "RNN/BasicRNNCell/Linear/Bias"),
        ),
    ),
    OldCheckpoint(
        "TF 0.x",
        basic_lstm(3),
        "dynamic_rnn",
        (
            ("rnn/basic_lstm_cell/kernel", "RNN/BasicLSTMCell/Linear/Matrix"),
            ("rnn/basic_lstm_cell/bias", "RNN/BasicLSTMCell/Linear/Bias"),
        ),
    ),
    OldCheckpoint(
        "TF 0.x",
        multi(gru(3), gru(3)),
        "dynamic_rnn",
        (
            ("rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel", "RNN/MultiRNNCell/Cell0/GRUCell/Gates/Linear/Matrix"),
            ("rnn/multi_rnn_cell/cell_0/gru_cell/gates/bias", "RNN/MultiRNNCell/Cell0/GRUCell/Gates/Linear/Bias"),
            ("rnn/multi_rnn_cell/cell_0/gru_cell/candidate/kernel", "RNN/MultiRNNCell/Cell0/GRUCell/Candidate/Linear/Matrix"),
            ("rnn/multi_rnn_cell/cell_0/gru_cell/candidate/bias", "RNN/MultiRNNCell/Cell0/GRUCell/Candidate/Linear/Bias"),
            ("rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel", "RNN/MultiRNNCell/Cell1/GRUCell/Gates/Linear/Matrix"),
            ("rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias", "RNN/MultiRNNCell/Cell1/GRUCell/Gates/Linear/Bias"),
            ("rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel", "RNN/MultiRNNCell/Cell1/GRUCell/Candidate/Linear/Matrix"),
            ("rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias", "RNN/MultiRNNCell/Cell1/GRUCell/Candidate/Linear/Bias"),
        ),
    ),
    OldCheckpoint(
        "TF 0.x",
        basic_lstm(3),
        "bidirectional_dynamic_rnn",
        (
            ("bidirectional_rnn/fw/basic_lstm_cell/kernel", "BiRNN/FW/BasicLSTMCell/Linear/Matrix"),
            ("bidirectional_rnn/fw/basic_lstm_cell/bias", "BiRNN/FW/BasicLSTMCell/Linear/Bias"),
            ("bidirectional_rnn/bw/basic_lstm_cell/kernel", "BiRNN/BW/BasicLSTMCell/Linear/Matrix"),
            ("bidirectional_rnn/bw/basic_lstm_cell/bias", "BiRNN/BW/BasicLSTMCell/Linear/Bias"),
        ),
    ),
)


def _inputs() -> np.ndarray:
    return sizes.inputs()


def _drive(driver: str, cells: tuple[Any, ...]) -> Any:
    x = tf.constant(_inputs())
    if driver == "bidirectional_dynamic_rnn":
        return v1.nn.bidirectional_dynamic_rnn(cells[0], cells[1], x, dtype=tf.float32)
    return v1.nn.dynamic_rnn(cells[0], x, dtype=tf.float32)


def _run_and_save(make: Callable[[], tuple[Any, ...]], driver: str, prefix: str) -> tuple[Any, dict[str, np.ndarray]]:
    """Build with seeded values, run, and save with a Saver to ``prefix``; return (outputs, {path: value})."""
    result = run("graph", make, lambda cells: _drive(driver, cells), randomize=seeded_values(3), save_to=prefix)
    return result.outputs, result.values()


def _restore_and_run(make: Callable[[], tuple[Any, ...]], driver: str, prefix: str) -> Any:
    return run("graph", make, lambda cells: _drive(driver, cells), restore_from=prefix).outputs


def _same(observed: Any, expected: Any, *, what: str, call: str) -> None:
    __tracebackhide__ = True
    for index, (got, want) in enumerate(zip(tf.nest.flatten(observed), tf.nest.flatten(expected), strict=True)):
        assert_true(np.array_equal(got, want), what=f"{what} (part {index})", observed=got, expected=want, call=call)


def _stored(prefix: str) -> dict[str, list[int]]:
    return {name: list(shape) for name, shape in tf.train.list_variables(prefix)}


@check(forget_bias=(1.0, 0.5))
def check_basic_lstm_checkpoint_restores_into_lstm_cell(forget_bias: float) -> None:
    """A Saver checkpoint of `BasicLSTMCell(3)` restores into `LSTMCell(3, name="basic_lstm_cell")` (same forget_bias) and gives identical outputs and state (graph mode)."""
    with tempfile.TemporaryDirectory() as directory:
        prefix = os.path.join(directory, "basic")
        saved, _ = _run_and_save(lambda: (basic_lstm(3, forget_bias=forget_bias).make(),), "dynamic_rnn", prefix)
        keys = _stored(prefix)
        restored = _restore_and_run(lambda: (lstm(3, forget_bias=forget_bias).make(name="basic_lstm_cell"),), "dynamic_rnn", prefix)
    call = f"Saver.restore(BasicLSTMCell(3, forget_bias={forget_bias}) checkpoint) into LSTMCell(3, forget_bias={forget_bias}, name='basic_lstm_cell') under dynamic_rnn"
    observe("checkpoint_keys", keys)
    assert_equal(
        keys, {"rnn/basic_lstm_cell/bias": [12], "rnn/basic_lstm_cell/kernel": [7, 12]}, what="checkpoint keys {name: shape}", call=call
    )
    _same(restored, saved, what="outputs and final state", call=call)


@check(cell=KEY_CELLS)
def check_saver_and_object_checkpoint_keys(cell: CellSpec) -> None:
    """A TF1 Saver stores a cell's variables under their scoped names (`rnn/lstm_cell/kernel`), and tf.train.Checkpoint(cell=cell) under attribute paths (`cell/kernel`, `cell/gates.Skernel`, `cell/cell-0/...`)."""
    with tempfile.TemporaryDirectory() as directory:
        saver_prefix = os.path.join(directory, "saver")
        _run_and_save(lambda: (cell.make(),), "dynamic_rnn", saver_prefix)
        saver_keys = _stored(saver_prefix)
        with fresh_eager():
            made = cell.make()
            v1.nn.dynamic_rnn(made, tf.constant(_inputs()), dtype=tf.float32)
        object_prefix = tf.train.Checkpoint(cell=made).write(os.path.join(directory, "object"))
        object_keys = {
            name[: -len(_OBJECT_SUFFIX)]: shape for name, shape in _stored(object_prefix).items() if name.endswith(_OBJECT_SUFFIX)
        }
        other_object_keys = sorted(name for name in _stored(object_prefix) if not name.endswith(_OBJECT_SUFFIX))
    observe("saver_keys", saver_keys)
    observe("object_keys", object_keys)
    assert_equal(
        saver_keys,
        SAVER_KEYS[str(cell)],
        what="Saver checkpoint keys {name: shape}",
        call=f"Saver().save() after dynamic_rnn({cell}) in a tf.Graph",
    )
    call = f"tf.train.Checkpoint(cell={cell}).write() after eager dynamic_rnn"
    assert_equal(object_keys, OBJECT_KEYS[str(cell)], what=f"object checkpoint keys {{path: shape}} (without {_OBJECT_SUFFIX})", call=call)
    assert_equal(other_object_keys, ["_CHECKPOINTABLE_OBJECT_GRAPH"], what="other object checkpoint keys", call=call)


def _write_old_checkpoint(prefix: str, values: dict[str, np.ndarray]) -> None:
    """Save ``{old name: value}`` (plus an int64 ``global_step``) with a Saver, the way old TF1 code did."""
    write_checkpoint(prefix, {**values, "global_step": np.int64(42)})


def _digest(directory: str, prefix: str) -> dict[str, str]:
    return {
        name: hashlib.sha256(Path(directory, name).read_bytes()).hexdigest()
        for name in sorted(os.listdir(directory))
        if name.startswith(os.path.basename(prefix) + ".")
    }


@check(old=OLD_CHECKPOINTS)
def check_old_checkpoint_converts_and_restores(old: OldCheckpoint) -> None:
    """A checkpoint written under TF 1.0 (`weights`/`biases`) or TF 0.x (`RNN/BasicLSTMCell/Linear/Matrix`, `MultiRNNCell/Cell0`, `GRUCell/Gates`, `BiRNN/FW`) names, renamed by `tf_rnn_checks.checkpoint_rename`, restores into today's cells with identical outputs, leaving the input files untouched (graph mode)."""

    def make() -> tuple[Any, ...]:
        return tuple(old.spec.make() for _ in range(2 if old.driver.startswith("bidirectional") else 1))

    names = dict(old.names)
    call = f"convert_checkpoint({old.era} checkpoint of {old.driver}({old.spec})) then Saver.restore into today's cells"
    expected_mapping = {old_name: today for today, old_name in names.items()} | {"global_step": "global_step"}
    with tempfile.TemporaryDirectory() as directory:
        today_prefix, old_prefix, new_prefix = (os.path.join(directory, n) for n in ("today", "old", "new"))
        expected, values = _run_and_save(make, old.driver, today_prefix)
        assert_equal(sorted(values), sorted(names), what="variables today's cell creates", call=f"{old.driver}({old.spec})")
        _write_old_checkpoint(old_prefix, {names[name]: value for name, value in values.items()})
        before = _digest(directory, old_prefix)
        mapping = checkpoint_rename.convert_checkpoint(old_prefix, new_prefix)
        observe("mapping", mapping)
        assert_equal(mapping, expected_mapping, what="renaming {old: new}", call=call)
        assert_equal(_digest(directory, old_prefix), before, what="input checkpoint files (sha256)", call=call)
        converted = checkpoint_rename.checkpoint_names(new_prefix)
        assert_equal(sorted(converted), sorted(expected_mapping.values()), what="names in the converted checkpoint", call=call)
        global_step = tf.train.load_checkpoint(new_prefix).get_tensor("global_step")
        assert_equal(int(global_step), 42, what="global_step copied unchanged", call=call)
        restored = _restore_and_run(make, old.driver, new_prefix)
    _same(restored, expected, what="outputs and final state", call=call)


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = checkpoint_rename.main(argv)
    return status, out.getvalue(), err.getvalue()


OLD_STYLE = {"rnn/basic_lstm_cell/weights": np.ones((7, 12), np.float32), "rnn/basic_lstm_cell/biases": np.zeros(12, np.float32)}
REFUSALS: dict[str, tuple[dict[str, np.ndarray], str]] = {
    "unknown": ({"RNN/LSTMCell/W_0": np.ones((7, 12), np.float32)}, "unknown RNN-era name 'RNN/LSTMCell/W_0'"),
    "ambiguous": (
        {**OLD_STYLE, "rnn/basic_lstm_cell/kernel": np.ones((7, 12), np.float32)},
        "ambiguous names: ['rnn/basic_lstm_cell/kernel', 'rnn/basic_lstm_cell/weights'] would all become 'rnn/basic_lstm_cell/kernel'",
    ),
}


@check(needs_legacy_cells=False, case=tuple(REFUSALS))
def check_rename_tool_refuses(case: str) -> None:
    """`python -m tf_rnn_checks.checkpoint_rename OLD NEW` exits 2 with a message naming the offending variables when a name is unknown or two names would collide, and writes nothing."""
    values, phrase = REFUSALS[case]
    with tempfile.TemporaryDirectory() as directory:
        old_prefix, new_prefix = os.path.join(directory, "old"), os.path.join(directory, "new")
        _write_old_checkpoint(old_prefix, values)
        status, _, err = _cli([old_prefix, new_prefix])
        written = sorted(name for name in os.listdir(directory) if name.startswith("new"))
    call = f"checkpoint_rename.main([old, new]) on a checkpoint with {sorted(values)}"
    observe("stderr", err.strip().replace(directory, "<tmp>"))  # the same text whatever the temporary folder
    assert_equal(status, 2, what="exit status", call=call)
    assert_true(phrase in err, what="error message", observed=err.strip(), expected=f"a message containing {phrase!r}", call=call)
    assert_equal(written, [], what="files written", call=call)


@check(needs_legacy_cells=False, option=("--dry-run", "existing output"))
def check_rename_tool_writes_nothing(option: str) -> None:
    """`checkpoint_rename --dry-run` prints `old -> new` per variable and writes nothing; an existing output prefix is refused (exit 2) and left byte-for-byte as it was."""
    with tempfile.TemporaryDirectory() as directory:
        old_prefix, new_prefix = os.path.join(directory, "old"), os.path.join(directory, "new")
        _write_old_checkpoint(old_prefix, OLD_STYLE)
        if option == "existing output":
            with open(new_prefix + ".index", "wb") as handle:
                handle.write(b"precious")
        before = _digest(directory, new_prefix)
        status, out, err = _cli([old_prefix, new_prefix] + (["--dry-run"] if option == "--dry-run" else []))
        after = _digest(directory, new_prefix)
    call = f"checkpoint_rename.main([old, new{', --dry-run' if option == '--dry-run' else ''}])" + (
        " with new.index present" if option != "--dry-run" else ""
    )
    observe("stdout", out.strip().replace(directory, "<tmp>"))  # the same text whatever the temporary folder
    observe("stderr", err.strip().replace(directory, "<tmp>"))
    assert_equal(after, before, what="files under the new prefix (sha256)", call=call)
    if option == "--dry-run":
        assert_equal(status, 0, what="exit status", call=call)
        expected_lines = [
            "global_step (unchanged)",
            "rnn/basic_lstm_cell/biases -> rnn/basic_lstm_cell/bias",
            "rnn/basic_lstm_cell/weights -> rnn/basic_lstm_cell/kernel",
        ]
        assert_equal(out.splitlines()[:3], expected_lines, what="printed mapping", call=call)
    else:
        assert_equal(status, 2, what="exit status", call=call)
        assert_true(
            "already exists" in err, what="error message", observed=err.strip(), expected="a message containing 'already exists'", call=call
        )

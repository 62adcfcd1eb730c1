"""The checkpoint renaming table (names in, names out, refusals, without TensorFlow) and the command's one-line errors."""

from __future__ import annotations

import pytest

from tests.meta.bad_checkpoints import KINDS, make_bad_path, write_checkpoint
from tf_rnn_checks.checkpoint_rename import CheckpointRenameError, format_mapping, main, new_name, rename_map


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("rnn/basic_lstm_cell/weights", "rnn/basic_lstm_cell/kernel"),
        ("rnn/basic_lstm_cell/biases", "rnn/basic_lstm_cell/bias"),
        ("rnn/basic_rnn_cell/weights", "rnn/basic_rnn_cell/kernel"),
        ("rnn/gru_cell/gates/weights", "rnn/gru_cell/gates/kernel"),
        ("rnn/gru_cell/candidate/biases", "rnn/gru_cell/candidate/bias"),
        ("rnn/lstm_cell/projection/weights", "rnn/lstm_cell/projection/kernel"),
        ("rnn/lstm_cell/w_f_diag", "rnn/lstm_cell/w_f_diag"),
        ("rnn/multi_rnn_cell/cell_1/lstm_cell/weights", "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel"),
        ("lstm/BasicLSTMCell/Linear/Matrix", "lstm/basic_lstm_cell/kernel"),
        ("lstm/BasicLSTMCell/Linear/Bias", "lstm/basic_lstm_cell/bias"),
        ("RNN/MultiRNNCell/Cell0/GRUCell/Gates/Linear/Matrix", "rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel"),
        ("RNN/MultiRNNCell/Cell12/GRUCell/Candidate/Linear/Bias", "rnn/multi_rnn_cell/cell_12/gru_cell/candidate/bias"),
        ("BiRNN/FW/BasicRNNCell/Linear/Matrix", "bidirectional_rnn/fw/basic_rnn_cell/kernel"),
        ("BiRNN/BW/BasicRNNCell/Linear/Bias", "bidirectional_rnn/bw/basic_rnn_cell/bias"),
        ("encoder/rnn/lstm_cell_1/weights", "encoder/rnn/lstm_cell_1/kernel"),
        ("rnn/basic_lstm_cell/weights/Adam_1", "rnn/basic_lstm_cell/kernel/Adam_1"),
        ("rnn/lstm_cell/kernel", "rnn/lstm_cell/kernel"),
        ("global_step", "global_step"),
        ("dense/weights", "dense/weights"),
        ("RNN/my_dense/weights", "RNN/my_dense/weights"),
    ],
)
def test_new_name(old: str, new: str) -> None:
    assert new_name(old) == new


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("RNN/LSTMCell/W_0", "'W_0' under 'LSTMCell' is not a variable today's lstm_cell creates"),
        ("rnn/gru_cell/weights", "'kernel' under 'gru_cell' is not a variable today's gru_cell creates"),
        ("Attention_0/Linear/Matrix", "it has no cell scope"),
        ("MultiRNNCell/Cell0/MyCell/w", "it has no cell scope"),
    ],
)
def test_unknown_names_are_refused(name: str, phrase: str) -> None:
    with pytest.raises(CheckpointRenameError, match="unknown RNN-era name") as caught:
        rename_map([name, "global_step"])
    assert phrase in str(caught.value)


def test_ambiguous_names_are_refused() -> None:
    with pytest.raises(
        CheckpointRenameError,
        match=r"ambiguous names: \['rnn/basic_lstm_cell/kernel', 'rnn/basic_lstm_cell/weights'\] would all become 'rnn/basic_lstm_cell/kernel'",
    ):
        rename_map(["rnn/basic_lstm_cell/weights", "rnn/basic_lstm_cell/kernel"])
    with pytest.raises(CheckpointRenameError, match="ambiguous"):
        rename_map(["lstm/BasicLSTMCell/Linear/Matrix", "lstm/basic_lstm_cell/weights"])


def test_every_unknown_name_is_listed() -> None:
    with pytest.raises(CheckpointRenameError) as caught:
        rename_map(["RNN/LSTMCell/W_0", "RNN/LSTMCell/B"])
    assert "'RNN/LSTMCell/W_0'" in str(caught.value) and "'RNN/LSTMCell/B'" in str(caught.value)


def test_new_name_validates_its_argument() -> None:
    with pytest.raises(TypeError, match="name: expected a non-empty variable name str"):
        new_name("")


def test_format_mapping() -> None:
    text = format_mapping(rename_map(["rnn/basic_rnn_cell/weights", "global_step"]))
    assert text.splitlines() == ["global_step (unchanged)", "rnn/basic_rnn_cell/weights -> rnn/basic_rnn_cell/kernel"]


@pytest.mark.parametrize("kind", KINDS)
def test_cli_names_the_file_of_a_bad_checkpoint(kind, tmp_path, capsys) -> None:
    """A missing, damaged or wrongly named input exits 2 with one line: the file, what is wrong, what was expected."""
    bad = make_bad_path(kind, str(tmp_path))
    assert main([bad.path, str(tmp_path / "out" / "model.ckpt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"checkpoint_rename: error: {bad.named}: ") and err.count("\n") == 1, err
    assert bad.phrase in err
    assert not (tmp_path / "out").exists()


def test_cli_refuses_an_existing_output_before_reading(tmp_path, capsys) -> None:
    (tmp_path / "old.index").write_bytes(b"")
    (tmp_path / "new.index").write_bytes(b"keep me")
    assert main([str(tmp_path / "old"), str(tmp_path / "new")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "new.index").read_bytes() == b"keep me"


def test_cli_refuses_the_same_prefix(tmp_path, capsys) -> None:
    (tmp_path / "old.index").write_bytes(b"")
    assert main([str(tmp_path / "old"), str(tmp_path / "old")]) == 2
    assert "must differ from old_prefix" in capsys.readouterr().err


def test_cli_reads_a_single_file_v1_checkpoint(tmp_path, capsys) -> None:
    """A TF 0.x-era V1 checkpoint (one file, no .index) is a prefix too: the shared opener reads it."""
    write_checkpoint(str(tmp_path / "old.ckpt"), single_file_v1=True)
    assert main([str(tmp_path / "old.ckpt"), str(tmp_path / "new.ckpt"), "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["rnn/basic_rnn_cell/bias (unchanged)", "rnn/basic_rnn_cell/kernel (unchanged)"]

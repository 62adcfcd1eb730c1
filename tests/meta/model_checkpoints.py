"""TF1 checkpoints for the inspect/probe tests, written with real TF1 code (a tf.compat.v1 graph and a Saver).

:func:`write_zoo` saves one graph holding every cell kind and option, MultiRNNCell depths 1-3, bidirectional
drivers, nested user scopes, a float64 structure and non-RNN variables (an embedding, a dense layer,
``global_step``, Adam slots). :data:`ZOO` is what ``inspect`` must recover from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from tf_rnn_checks.checkpoint_rename import MAPPING_TABLE, new_name
from tf_rnn_checks.tf_import import tf, v1

INPUT = 4
# {structure id: (driver, dtype, input width, description as inspect words it)}
ZOO: dict[str, tuple[str, str, int, str]] = {
    "basic_rnn/rnn": ("dynamic_rnn", "float32", INPUT, "BasicRNNCell(units=3)"),
    "gru/rnn": ("dynamic_rnn", "float32", INPUT, "GRUCell(units=3)"),
    "lstm/rnn": ("dynamic_rnn", "float32", INPUT, "LSTMCell(units=2)"),
    "basic_lstm/rnn": ("dynamic_rnn", "float32", INPUT, "BasicLSTMCell(units=2)"),
    "peepholes_projection/rnn": ("dynamic_rnn", "float32", INPUT, "LSTMCell(units=3,peepholes,num_proj=2)"),
    "stack1/rnn": ("dynamic_rnn", "float32", INPUT, "MultiRNNCell(LSTMCell(units=3))"),
    "stack2/rnn": ("dynamic_rnn", "float32", INPUT, "MultiRNNCell(GRUCell(units=3),LSTMCell(units=2,num_proj=1))"),
    "stack3/rnn": ("dynamic_rnn", "float32", INPUT, "MultiRNNCell(BasicRNNCell(units=2),GRUCell(units=2),BasicLSTMCell(units=2))"),
    "model/encoder/bidirectional_rnn": (
        "bidirectional_dynamic_rnn",
        "float32",
        INPUT,
        "MultiRNNCell(LSTMCell(units=3),LSTMCell(units=3)) [fw] + MultiRNNCell(LSTMCell(units=3),LSTMCell(units=3)) [bw]",
    ),
    "model/decoder/rnn": ("dynamic_rnn", "float64", INPUT, "LSTMCell(units=3,peepholes)"),
    "tagger/bidirectional_rnn": ("bidirectional_dynamic_rnn", "float32", INPUT, "GRUCell(units=2) [fw] + BasicRNNCell(units=2) [bw]"),
}
ZOO_OTHERS = ("embedding", "dense/kernel", "dense/bias", "global_step", "beta1_power", "beta2_power")


def _save(session: object, prefix: str, var_list: object = None) -> None:
    v1.train.Saver(var_list=var_list).save(session, prefix, write_meta_graph=False, write_state=False)


def write_zoo(prefix: str) -> None:
    """Build :data:`ZOO` under its scopes on embedded token inputs, add a dense layer and Adam, initialise and save."""
    cells = v1.nn.rnn_cell
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(7)
        tokens = v1.placeholder(tf.int32, [None, None])
        embedding = v1.get_variable("embedding", [10, INPUT])
        x = tf.nn.embedding_lookup(embedding, tokens)
        finals = []

        def unidirectional(scope: str, cell: object, inputs: object = x, dtype: object = tf.float32) -> None:
            with v1.variable_scope(scope):
                outputs, _ = v1.nn.dynamic_rnn(cell, inputs, dtype=dtype)
            finals.append(tf.cast(outputs[:, -1, :1], tf.float32))

        unidirectional("basic_rnn", cells.BasicRNNCell(3))
        unidirectional("gru", cells.GRUCell(3))
        unidirectional("lstm", cells.LSTMCell(2))
        unidirectional("basic_lstm", cells.BasicLSTMCell(2))
        unidirectional("peepholes_projection", cells.LSTMCell(3, use_peepholes=True, num_proj=2))
        unidirectional("stack1", cells.MultiRNNCell([cells.LSTMCell(3)]))
        unidirectional("stack2", cells.MultiRNNCell([cells.GRUCell(3), cells.LSTMCell(2, num_proj=1)]))
        unidirectional("stack3", cells.MultiRNNCell([cells.BasicRNNCell(2), cells.GRUCell(2), cells.BasicLSTMCell(2)]))
        with v1.variable_scope("model"), v1.variable_scope("encoder"):
            fw = cells.MultiRNNCell([cells.LSTMCell(3) for _ in range(2)])
            bw = cells.MultiRNNCell([cells.LSTMCell(3) for _ in range(2)])
            (out_fw, _), _ = v1.nn.bidirectional_dynamic_rnn(fw, bw, x, dtype=tf.float32)
        finals.append(out_fw[:, -1, :1])
        with v1.variable_scope("model"):
            unidirectional("decoder", cells.LSTMCell(3, use_peepholes=True), tf.cast(x, tf.float64), tf.float64)
        with v1.variable_scope("tagger"):
            (out_fw, _), _ = v1.nn.bidirectional_dynamic_rnn(cells.GRUCell(2), cells.BasicRNNCell(2), x, dtype=tf.float32)
        finals.append(out_fw[:, -1, :1])
        features = tf.concat(finals, axis=1)
        with v1.variable_scope("dense"):
            kernel = v1.get_variable("kernel", [len(finals), 5])
            bias = v1.get_variable("bias", [5], initializer=v1.zeros_initializer())
        loss = tf.reduce_sum(tf.matmul(features, kernel) + bias)
        v1.train.AdamOptimizer().minimize(loss, global_step=v1.train.get_or_create_global_step())
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            _save(session, prefix)


def write_shared_scope_and_root_cell(prefix: str) -> None:
    """An LSTMCell and a GRUCell run by two dynamic_rnn calls under one scope ``rnn``, and a BasicRNNCell called directly at the root."""
    cells = v1.nn.rnn_cell
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [2, 3, INPUT])
        v1.nn.dynamic_rnn(cells.LSTMCell(2), x, dtype=tf.float32, scope="rnn")
        v1.nn.dynamic_rnn(cells.GRUCell(2), x, dtype=tf.float32, scope="rnn")
        cell = cells.BasicRNNCell(2)
        cell(x[:, 0], cell.zero_state(2, tf.float32))
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            _save(session, prefix)


def read_all(prefix: str) -> dict[str, np.ndarray]:
    reader = tf.train.load_checkpoint(prefix)
    return {name: reader.get_tensor(name) for name, _ in tf.train.list_variables(prefix)}


def write_values(prefix: str, values: Mapping[str, np.ndarray]) -> None:
    """Save ``{name: value}`` as a Saver checkpoint, the names exactly as given."""
    graph = tf.Graph()
    with graph.as_default():
        variables = {name: v1.Variable(np.asarray(value), name=f"v{index}") for index, (name, value) in enumerate(sorted(values.items()))}
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            _save(session, prefix, variables)


_TF10 = {today: old for era, old, today, _ in MAPPING_TABLE if era == "TF 1.0"}


def tf10_name(name: str) -> str:
    """The TF 1.0 name of today's ``name`` (``kernel`` -> ``weights``, ``bias`` -> ``biases`` inside cell scopes), by checkpoint_rename's table."""
    segments = name.split("/")
    leaf = next((i for i in range(len(segments) - 1, -1, -1) if segments[i] in _TF10), None)
    if leaf is None or new_name(name) != name:
        return name
    old = "/".join(segments[:leaf] + [_TF10[segments[leaf]]] + segments[leaf + 1 :])
    return old if new_name(old) == name else name


# TF 0.x names of a MultiRNNCell of two GRUCells under dynamic_rnn and a BasicLSTMCell pair under bidirectional_dynamic_rnn.
TF0X = {
    "rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel": "RNN/MultiRNNCell/Cell0/GRUCell/Gates/Linear/Matrix",
    "rnn/multi_rnn_cell/cell_0/gru_cell/gates/bias": "RNN/MultiRNNCell/Cell0/GRUCell/Gates/Linear/Bias",
    "rnn/multi_rnn_cell/cell_0/gru_cell/candidate/kernel": "RNN/MultiRNNCell/Cell0/GRUCell/Candidate/Linear/Matrix",
    "rnn/multi_rnn_cell/cell_0/gru_cell/candidate/bias": "RNN/MultiRNNCell/Cell0/GRUCell/Candidate/Linear/Bias",
    "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel": "RNN/MultiRNNCell/Cell1/GRUCell/Gates/Linear/Matrix",
    "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias": "RNN/MultiRNNCell/Cell1/GRUCell/Gates/Linear/Bias",
    "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel": "RNN/MultiRNNCell/Cell1/GRUCell/Candidate/Linear/Matrix",
    "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias": "RNN/MultiRNNCell/Cell1/GRUCell/Candidate/Linear/Bias",
    "bidirectional_rnn/fw/basic_lstm_cell/kernel": "BiRNN/FW/BasicLSTMCell/Linear/Matrix",
    "bidirectional_rnn/fw/basic_lstm_cell/bias": "BiRNN/FW/BasicLSTMCell/Linear/Bias",
    "bidirectional_rnn/bw/basic_lstm_cell/kernel": "BiRNN/BW/BasicLSTMCell/Linear/Matrix",
    "bidirectional_rnn/bw/basic_lstm_cell/bias": "BiRNN/BW/BasicLSTMCell/Linear/Bias",
}


def write_tf0x(prefix: str) -> None:
    """Build the models of :data:`TF0X` with today's TF1 code and save their values under the TF 0.x names."""
    cells = v1.nn.rnn_cell
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, None, INPUT])
        v1.nn.dynamic_rnn(cells.MultiRNNCell([cells.GRUCell(3), cells.GRUCell(3)]), x, dtype=tf.float32)
        v1.nn.bidirectional_dynamic_rnn(cells.BasicLSTMCell(3), cells.BasicLSTMCell(3), x, dtype=tf.float32)
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            values = {v.op.name: session.run(v) for v in v1.global_variables()}
    write_values(prefix, {TF0X[name]: value for name, value in values.items()})


def cached(base: Path, name: str, write: object) -> str:
    """The prefix ``base/name/model.ckpt``, written by ``write(prefix)`` the first time a worker asks for it."""
    prefix = base / name / "model.ckpt"
    if not Path(f"{prefix}.index").exists():
        prefix.parent.mkdir(parents=True, exist_ok=True)
        write(str(prefix))  # type: ignore[operator]
    return str(prefix)


__all__ = ["TF0X", "cached", "write_tf0x", "INPUT", "ZOO", "ZOO_OTHERS", "read_all", "tf10_name", "write_values", "write_zoo"]

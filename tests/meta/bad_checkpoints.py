"""Broken checkpoint paths for the error tests of everything that opens a checkpoint through
:func:`tf_rnn_checks.checkpoint_files.open_checkpoint`: the rename tool, the checkpoint converters, and
``tf-rnn-checks inspect``/``probe``.

:func:`make_bad_path` lays out one kind of mistake in a directory and returns the path to pass, the key
phrase the error must contain and the path the message must name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

DATA_SUFFIX = ".data-00000-of-00001"


@dataclass(frozen=True)
class BadPath:
    """A path to pass, the key phrase its error must hold and the file the message must name (its first word)."""

    path: str
    phrase: str
    named: str


def write_checkpoint(prefix: str, *, single_file_v1: bool = False) -> None:
    """A small TF1 Saver checkpoint holding one BasicRNNCell (``rnn/basic_rnn_cell/kernel`` and ``bias``).

    ``single_file_v1=True`` writes the old V1 format: one file named ``prefix``, no ``.index``.
    """
    from tf_rnn_checks.tf_import import tf, v1

    graph = tf.Graph()
    with graph.as_default(), v1.Session(graph=graph) as session:
        kernel = v1.Variable(np.ones((5, 3), np.float32), name="rnn/basic_rnn_cell/kernel")
        bias = v1.Variable(np.zeros(3, np.float32), name="rnn/basic_rnn_cell/bias")
        session.run(v1.global_variables_initializer())
        version = v1.train.SaverDef.V1 if single_file_v1 else v1.train.SaverDef.V2
        v1.train.Saver([kernel, bias], write_version=version).save(session, prefix, write_meta_graph=False, write_state=False)


def _write(path: str, content: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(content)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def make_bad_path(kind: str, directory: str, junk: bytes = b"not a checkpoint index", keep: float = 0.5) -> BadPath:
    """Lay out mistake ``kind`` (one of :data:`KINDS`) in ``directory``; ``junk`` and ``keep`` vary the damaged bytes."""
    good = os.path.join(directory, "model.ckpt")
    prefix = os.path.join(directory, kind.replace(" ", "_"))
    if kind == "missing":
        return BadPath(prefix, "no checkpoint with this prefix: expected the file", prefix)
    if kind == "empty directory":
        os.makedirs(prefix)
        return BadPath(prefix, "is a directory with no checkpoint in it", prefix)
    if kind == "junk file":
        _write(prefix, junk)
        return BadPath(prefix, "not a readable checkpoint (", prefix)
    if kind == "object-based":
        from tf_rnn_checks.tf_import import tf

        tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(prefix)
        return BadPath(
            prefix, "an object-based tf.train.Checkpoint (it has _CHECKPOINTABLE_OBJECT_GRAPH), not a TF1 Saver checkpoint", prefix
        )
    write_checkpoint(good)
    index, data = _read(good + ".index"), _read(good + DATA_SUFFIX)
    if kind == "directory":
        return BadPath(directory, f"is a directory; pass the prefix of a checkpoint in it (the path without .index): {good}", directory)
    if kind == "index file":
        return BadPath(good + ".index", f"pass the checkpoint prefix {good}, not its .index file", good + ".index")
    if kind == "data file":
        return BadPath(good + DATA_SUFFIX, f"pass the checkpoint prefix {good}, not its .data file", good + DATA_SUFFIX)
    if kind == "meta file":
        _write(good + ".meta", junk)
        return BadPath(good + ".meta", f"pass the checkpoint prefix {good}, not its .meta file", good + ".meta")
    layouts = {
        "empty index": (b"", data, "not a readable checkpoint index (file is too short to be an sstable)"),
        "truncated index": (index[: int(len(index) * keep)], data, "not a readable checkpoint index"),
        "junk index": (junk, data, "not a readable checkpoint index"),
        "missing data": (index, None, "its .data file is missing"),
        "truncated data": (index, data[: int(len(data) * keep)], "cannot read variable"),
    }
    index_bytes, data_bytes, phrase = layouts[kind]
    _write(prefix + ".index", index_bytes)
    if data_bytes is not None:
        _write(prefix + DATA_SUFFIX, data_bytes)
    named = prefix + ".index" if kind.endswith("index") else prefix
    return BadPath(prefix, phrase, named)


KINDS: tuple[str, ...] = (
    "missing",
    "empty directory",
    "junk file",
    "directory",
    "index file",
    "data file",
    "meta file",
    "object-based",
    "empty index",
    "truncated index",
    "junk index",
    "missing data",
    "truncated data",
)

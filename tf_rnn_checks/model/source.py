"""Open a TF1 ``Saver`` checkpoint for ``inspect`` and ``probe``, refusing unusable input with one line naming the path.

:func:`open_checkpoint` is the one function here; every problem (missing, a folder without a checkpoint,
not a checkpoint, truncated or corrupted, an object-based ``tf.train.Checkpoint``) is a
:class:`CheckpointError` whose message starts with the path the user gave.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_rnn_checks.checkpoint_files import OBJECT_GRAPH_KEY

_FILE_SUFFIX = re.compile(r"\.(index|meta|data-\d{5}-of-\d{5})$")


class CheckpointError(ValueError):
    """A checkpoint that cannot be used; the message is one line starting with the path."""


@dataclass(frozen=True)
class Checkpoint:
    """An opened checkpoint: its prefix, ``{name: (shape, dtype name)}``, and :meth:`read` for values."""

    path: str
    prefix: str
    variables: dict[str, tuple[tuple[int, ...], str]]
    reader: Any

    def read(self, names: Iterable[str]) -> dict[str, np.ndarray]:
        """``{name: value}``; a checkpoint whose data cannot be read (truncated, corrupted) is a :class:`CheckpointError`."""
        try:
            return {name: np.asarray(self.reader.get_tensor(name)) for name in names}
        except Exception as error:  # TF raises DataLossError, OutOfRangeError, InternalError... for damaged data files
            raise CheckpointError(f"{self.path}: cannot read the checkpoint's values (truncated or corrupted?): {_line(error)}") from None


def _line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def _prefix(path: str) -> str:
    if os.path.isdir(path):
        from tf_rnn_checks.tf_import import tf

        latest = tf.train.latest_checkpoint(path)
        if latest is None:
            raise CheckpointError(
                f"{path}: a folder without a TF checkpoint (no 'checkpoint' state file naming one); pass the prefix, e.g. model.ckpt"
            )
        return latest
    return _FILE_SUFFIX.sub("", path) if not os.path.exists(path + ".index") else path


def open_checkpoint(path: str | os.PathLike[str]) -> Checkpoint:
    """The TF1 checkpoint at ``path`` (a prefix such as ``model.ckpt``, one of its files, or a folder with a ``checkpoint`` file)."""
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise CheckpointError(f"{path!r}: expected a checkpoint path")
    path = os.fspath(path)
    prefix = _prefix(path)
    if not (os.path.exists(prefix + ".index") or os.path.isfile(prefix)):
        if not glob.glob(glob.escape(prefix) + ".*"):
            raise CheckpointError(f"{path}: no such checkpoint (expected the file {prefix}.index)")
        raise CheckpointError(f"{path}: not a complete TF checkpoint (no {prefix}.index next to its other files)")
    from tf_rnn_checks.tf_import import tf

    try:
        reader = tf.train.load_checkpoint(prefix)
        shapes = reader.get_variable_to_shape_map()
        dtypes = reader.get_variable_to_dtype_map()
    except Exception as error:  # TF reports a junk or truncated file as DataLossError, NotFoundError, InvalidArgumentError...
        raise CheckpointError(f"{path}: not a readable TF checkpoint (truncated, corrupted or another format?): {_line(error)}") from None
    if OBJECT_GRAPH_KEY in shapes:
        raise CheckpointError(
            f"{path}: an object-based tf.train.Checkpoint (it has {OBJECT_GRAPH_KEY}); inspect and probe read TF1 Saver checkpoints"
        )
    variables = {name: (tuple(int(d) for d in shapes[name]), dtypes[name].name) for name in sorted(shapes)}
    if not variables:
        raise CheckpointError(f"{path}: a checkpoint without variables")
    return Checkpoint(path, prefix, variables, reader)


__all__ = ["Checkpoint", "CheckpointError", "open_checkpoint"]

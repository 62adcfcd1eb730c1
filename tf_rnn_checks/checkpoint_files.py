"""Open a TF1 ``tf.compat.v1.train.Saver`` checkpoint by its prefix, with errors that name the file.

The one place a checkpoint is opened: by the converters (:mod:`tf_rnn_checks.convert.checkpoint`), the
rename tool (:mod:`tf_rnn_checks.checkpoint_rename`) and ``tf-rnn-checks inspect``/``probe``
(:mod:`tf_rnn_checks.model`), so all of them accept and refuse the same paths. A checkpoint is named by its
*prefix*: ``model.ckpt`` for the files ``model.ckpt.index`` and ``model.ckpt.data-00000-of-00001`` (or the
single file of an old V1 checkpoint). A wrong path (a directory, one of the checkpoint's files), a damaged
file, an object-based ``tf.train.Checkpoint`` or a checkpoint without variables raises
:class:`CheckpointFileError`, a ``ValueError`` whose one-line message starts with the offending path and says
what was expected, instead of TensorFlow's ``NotFoundError``/``OpError`` from inside its reader.

TensorFlow is imported only when a checkpoint is actually opened.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

_SUFFIXES = (
    (re.compile(r"\.index$"), ".index file"),
    (re.compile(r"\.data-\d{5}-of-\d{5}$"), ".data file"),
    (re.compile(r"\.meta$"), ".meta file"),
)
_SHOWN_CANDIDATES = 3
_STATE_FILE_PATH = re.compile(r'^model_checkpoint_path:\s*"([^"]+)"', re.MULTILINE)
OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


class CheckpointFileError(ValueError):
    """A path that does not lead to a readable TF1 Saver checkpoint."""


@dataclass(frozen=True)
class SaverCheckpoint:
    """An opened checkpoint: its prefix, ``{name: (shape, dtype name)}`` of every variable it stores (sorted by name), and :meth:`read`."""

    prefix: str
    variables: Mapping[str, tuple[tuple[int, ...], str]]
    reader: Any

    @property
    def names(self) -> tuple[str, ...]:
        """The stored variable names, sorted."""
        return tuple(self.variables)

    def read(self, name: str) -> np.ndarray:
        """The stored value of variable ``name``; :class:`CheckpointFileError` when its data file cannot be read."""
        from tf_rnn_checks.tf_import import tf

        try:
            return self.reader.get_tensor(name)
        except (tf.errors.OpError, IndexError) as error:  # a truncated .data file raises IndexError "Read less bytes than requested"
            raise CheckpointFileError(
                f"{self.prefix}: cannot read variable {name!r} ({_tf_reason(error)}); expected the .data file(s) "
                "saved together with its .index, complete and unchanged"
            ) from None


def open_checkpoint(path: str | os.PathLike[str], argument: str = "path") -> SaverCheckpoint:
    """Open the checkpoint whose prefix is ``path``; ``argument`` names ``path`` in a ``TypeError``.

    Raises :class:`CheckpointFileError` when ``path`` is missing, a directory, a checkpoint's ``.index``
    or ``.data`` file instead of its prefix, a file TensorFlow cannot read as a checkpoint, an object-based
    ``tf.train.Checkpoint``, or a checkpoint without variables (``Saver`` itself refuses to write one).
    """
    prefix = _checkpoint_prefix(path, argument)
    from tf_rnn_checks.tf_import import tf

    try:
        reader = tf.train.load_checkpoint(prefix)
        shapes, dtypes = reader.get_variable_to_shape_map(), reader.get_variable_to_dtype_map()
    except tf.errors.OpError as error:
        raise CheckpointFileError(_unreadable(prefix, error)) from None
    if OBJECT_GRAPH_KEY in shapes:
        raise CheckpointFileError(
            f"{prefix}: an object-based tf.train.Checkpoint (it has {OBJECT_GRAPH_KEY}), not a TF1 Saver checkpoint; "
            "expected a checkpoint written by tf.compat.v1.train.Saver"
        )
    if not shapes:
        raise CheckpointFileError(f"{prefix}: a checkpoint without variables; expected a tf.compat.v1.train.Saver checkpoint holding some")
    _require_data_files(prefix)
    variables = {name: (tuple(int(d) for d in shapes[name]), tf.as_dtype(dtypes[name]).name) for name in sorted(shapes)}
    return SaverCheckpoint(prefix, variables, reader)


def _checkpoint_prefix(path: object, argument: str) -> str:
    """``path`` as a prefix TensorFlow can open, or the error saying what to pass instead (no TensorFlow)."""
    if not isinstance(path, (str, os.PathLike)) or not isinstance(os.fspath(path), str):
        raise TypeError(f"{argument}: expected a checkpoint prefix path (str), got {path!r}")
    prefix = os.fspath(path)
    if not prefix or "\0" in prefix:
        raise CheckpointFileError(
            f"{argument}: expected a checkpoint prefix path, got {prefix!r}" + (" (it holds a NUL character)" if prefix else "")
        )
    if os.path.exists(prefix + ".index"):
        return prefix
    if os.path.isdir(prefix):
        raise CheckpointFileError(_directory_message(prefix))
    for suffix, what in _SUFFIXES:
        stripped = suffix.sub("", prefix)
        if stripped != prefix:
            raise CheckpointFileError(f"{prefix}: pass the checkpoint prefix {stripped}, not its {what}")
    if os.path.isfile(prefix):
        return prefix  # a single-file V1 checkpoint, or a file that opening reports as unreadable
    raise CheckpointFileError(
        f"{prefix}: no checkpoint with this prefix: expected the file {prefix}.index next to its .data file(s) "
        "(pass the checkpoint prefix, the path without .index)"
    )


def _directory_message(directory: str) -> str:
    prefixes = sorted(name[: -len(".index")] for name in glob.glob(os.path.join(glob.escape(directory), "*.index")))
    if not prefixes:
        return f"{directory}: is a directory with no checkpoint in it (no .index file); pass a checkpoint prefix such as model.ckpt"
    latest = _latest_prefix(directory)
    if latest in prefixes:  # the one its 'checkpoint' state file names comes first
        prefixes.remove(latest)
        prefixes.insert(0, latest)
    shown = ", ".join(prefixes[:_SHOWN_CANDIDATES]) + (", ..." if len(prefixes) > _SHOWN_CANDIDATES else "")
    latest_note = " (the first is the latest, named by its 'checkpoint' file)" if latest in prefixes and len(prefixes) > 1 else ""
    return f"{directory}: is a directory; pass the prefix of a checkpoint in it (the path without .index): {shown}{latest_note}"


def _latest_prefix(directory: str) -> str | None:
    """The prefix the ``checkpoint`` state file in ``directory`` names as the latest (read as text, no TensorFlow), if any."""
    try:
        with open(os.path.join(directory, "checkpoint"), encoding="utf-8") as handle:
            match = _STATE_FILE_PATH.search(handle.read())
    except (OSError, UnicodeDecodeError):
        return None
    if match is None:
        return None
    return os.path.join(directory, match.group(1))  # an absolute path stays as it is


def _unreadable(prefix: str, error: Exception) -> str:
    if os.path.exists(prefix + ".index"):
        return (
            f"{prefix}.index: not a readable checkpoint index ({_tf_reason(error)}); expected the .index file "
            "tf.compat.v1.train.Saver writes; it is truncated, damaged or not a checkpoint"
        )
    return (
        f"{prefix}: not a readable checkpoint ({_tf_reason(error)}); expected a checkpoint prefix "
        "(the path of its .index file without .index) or a single-file V1 checkpoint"
    )


def _require_data_files(prefix: str) -> None:
    if os.path.exists(prefix + ".index") and not glob.glob(glob.escape(prefix) + ".data-?????-of-?????"):
        raise CheckpointFileError(
            f"{prefix}: its .data file is missing: expected {prefix}.data-00000-of-00001 (or the shards saved with it) next to {prefix}.index"
        )


def _tf_reason(error: Exception) -> str:
    """TensorFlow's reason, without its ``Unable to open table file <path>: DATA_LOSS:`` lead and ``: perhaps ...`` advice."""
    message = (getattr(error, "message", None) or str(error)).strip()
    reason = message.splitlines()[0] if message else type(error).__name__
    return reason.split("DATA_LOSS: ")[-1].split(": perhaps")[0]


__all__ = ["OBJECT_GRAPH_KEY", "CheckpointFileError", "SaverCheckpoint", "open_checkpoint"]

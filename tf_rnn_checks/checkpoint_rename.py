"""Rename the variables of a TF 0.x / 1.0-1.1 era RNN checkpoint to the names today's legacy cells use.

Old TF1 code saved RNN cells under names today's ``tf.compat.v1.nn.rnn_cell`` cells no longer look for,
so restoring fails with "Key ... not found in checkpoint". This tool writes a *new* checkpoint with the
variables renamed by the table below (:data:`MAPPING_TABLE`); the input is never modified, and an
existing output is never overwritten.

========  ==============================  =============================  =====================================
era       old                             today                          where
========  ==============================  =============================  =====================================
TF 1.0    ``weights``                     ``kernel``                     leaf inside a cell scope
TF 1.0    ``biases``                      ``bias``                       leaf inside a cell scope
TF 0.x    ``Linear/Matrix``               ``kernel``                     leaf inside a cell scope
TF 0.x    ``Linear/Bias``                 ``bias``                       leaf inside a cell scope
TF 0.x    ``BasicRNNCell``                ``basic_rnn_cell``             cell scope
TF 0.x    ``GRUCell``                     ``gru_cell``                   cell scope
TF 0.x    ``BasicLSTMCell``               ``basic_lstm_cell``            cell scope
TF 0.x    ``LSTMCell``                    ``lstm_cell``                  cell scope
TF 0.x    ``Gates`` / ``Candidate``       ``gates`` / ``candidate``      GRU sub-scopes
TF 0.x    ``MultiRNNCell``                ``multi_rnn_cell``             scope of a stacked cell
TF 0.x    ``Cell<N>``                     ``cell_<N>``                   layer scope under MultiRNNCell
TF 0.x    ``RNN``                         ``rnn``                        dynamic_rnn/static_rnn scope, directly
                                                                         above a cell or MultiRNNCell scope
TF 0.x    ``BiRNN`` / ``FW`` / ``BW``     ``bidirectional_rnn`` /        bidirectional driver scopes
                                          ``fw`` / ``bw``
========  ==============================  =============================  =====================================

A name is *RNN-related* when one of its segments is a cell scope (old or today's spelling, e.g.
``lstm_cell_1``), ``MultiRNNCell``/``Cell<N>`` or ``Linear``. RNN-related names must resolve to a
variable today's cell creates (``kernel``, ``bias``, ``gates/...``, ``candidate/...``, ``w_*_diag``,
``projection/kernel``, optionally followed by an optimizer slot such as ``Adam``); otherwise the tool
refuses (*unknown* names, e.g. TF 0.x ``LSTMCell/W_0``). Other names (``global_step``, embeddings, dense
layers' ``weights``) are copied unchanged. Two names that would end up the same (e.g. a checkpoint holding
both ``.../weights`` and ``.../kernel``) are refused as *ambiguous*.

Command line: ``python -m tf_rnn_checks.checkpoint_rename OLD_PREFIX NEW_PREFIX [--dry-run]``.
This module imports TensorFlow only when it reads or writes a checkpoint.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from tf_rnn_checks.checkpoint_files import CheckpointFileError, open_checkpoint
from tf_rnn_checks.variable_names import ALLOWED_VARIABLES, CELL_SCOPE_PATTERN, CELL_SCOPES

MAPPING_TABLE: tuple[tuple[str, str, str, str], ...] = (
    ("TF 1.0", "weights", "kernel", "leaf inside a cell scope"),
    ("TF 1.0", "biases", "bias", "leaf inside a cell scope"),
    ("TF 0.x", "Linear/Matrix", "kernel", "leaf inside a cell scope"),
    ("TF 0.x", "Linear/Bias", "bias", "leaf inside a cell scope"),
    ("TF 0.x", "BasicRNNCell", "basic_rnn_cell", "cell scope"),
    ("TF 0.x", "GRUCell", "gru_cell", "cell scope"),
    ("TF 0.x", "BasicLSTMCell", "basic_lstm_cell", "cell scope"),
    ("TF 0.x", "LSTMCell", "lstm_cell", "cell scope"),
    ("TF 0.x", "Gates", "gates", "GRU sub-scope"),
    ("TF 0.x", "Candidate", "candidate", "GRU sub-scope"),
    ("TF 0.x", "MultiRNNCell", "multi_rnn_cell", "scope of a stacked cell"),
    ("TF 0.x", "Cell<N>", "cell_<N>", "layer scope under MultiRNNCell"),
    ("TF 0.x", "RNN", "rnn", "driver scope directly above a cell or MultiRNNCell scope"),
    ("TF 0.x", "BiRNN", "bidirectional_rnn", "bidirectional driver scope above FW/BW"),
    ("TF 0.x", "FW", "fw", "forward scope under BiRNN"),
    ("TF 0.x", "BW", "bw", "backward scope under BiRNN"),
)

OLD_CELL_SCOPES = CELL_SCOPES  # TF 0.x scoped a cell by its class name; today's scope is the class name in snake case
_OLD_LAYER = re.compile(r"^Cell(\d+)$")
_SUB_SCOPES = {"Gates": "gates", "Candidate": "candidate"}
_LEAVES = {"weights": "kernel", "biases": "bias"}
TODAY_VARIABLES = ALLOWED_VARIABLES  # what each of today's cells may create under its scope
OPTIMIZER_SLOTS = frozenset(
    {
        "Adam",
        "Adam_1",
        "Momentum",
        "RMSProp",
        "RMSProp_1",
        "Adagrad",
        "Adadelta",
        "Adadelta_1",
        "Ftrl",
        "Ftrl_1",
        "ExponentialMovingAverage",
    }
)


class CheckpointRenameError(ValueError):
    """The checkpoint cannot be renamed safely (unknown or ambiguous names, bad paths)."""


def _is_cell_scope(segment: str) -> bool:
    return segment in OLD_CELL_SCOPES or bool(CELL_SCOPE_PATTERN.match(segment))


def _is_rnn_related(segments: Sequence[str]) -> bool:
    return any(_is_cell_scope(s) or s in ("MultiRNNCell", "Linear") or _OLD_LAYER.match(s) for s in segments)


def _rename_scopes(segments: Sequence[str]) -> list[str]:
    """Rename the scope segments above a cell's variables (drivers, MultiRNNCell, layers, cell scopes)."""
    renamed = []
    for index, segment in enumerate(segments):
        previous = segments[index - 1] if index else ""
        following = segments[index + 1] if index + 1 < len(segments) else ""
        layer = _OLD_LAYER.match(segment)
        if segment in OLD_CELL_SCOPES:
            segment = OLD_CELL_SCOPES[segment]
        elif segment == "MultiRNNCell":
            segment = "multi_rnn_cell"
        elif layer and previous in ("MultiRNNCell", "multi_rnn_cell"):
            segment = f"cell_{layer.group(1)}"
        elif segment == "RNN" and (_is_cell_scope(following) or following in ("MultiRNNCell", "multi_rnn_cell")):
            segment = "rnn"
        elif segment == "BiRNN" and following in ("FW", "BW"):
            segment = "bidirectional_rnn"
        elif segment in ("FW", "BW") and previous == "BiRNN":
            segment = segment.lower()
        renamed.append(segment)
    return renamed


def _rename_leaf(segments: Sequence[str]) -> list[str]:
    """Rename the part below a cell scope: ``Linear/Matrix`` -> ``kernel``, ``weights`` -> ``kernel``, ``Gates`` -> ``gates``..."""
    renamed: list[str] = []
    index = 0
    while index < len(segments):
        segment = segments[index]
        following = segments[index + 1] if index + 1 < len(segments) else ""
        if segment == "Linear" and following in ("Matrix", "Bias"):
            renamed.append("kernel" if following == "Matrix" else "bias")
            index += 2
            continue
        renamed.append(_SUB_SCOPES.get(segment, _LEAVES.get(segment, segment)))
        index += 1
    return renamed


def new_name(name: str) -> str:
    """Today's name for the checkpoint variable ``name`` (unchanged when it is not RNN-related).

    Raises :class:`CheckpointRenameError` for an RNN-related name that does not resolve to a variable
    today's cells create.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name: expected a non-empty variable name str, got {name!r}")
    segments = name.split("/")
    if not _is_rnn_related(segments):
        return name
    cells = [i for i, s in enumerate(segments) if _is_cell_scope(s)]
    if not cells:
        raise CheckpointRenameError(
            f"unknown RNN-era name {name!r}: it has no cell scope (expected one of {sorted(OLD_CELL_SCOPES)} or today's spelling)"
        )
    k = cells[-1]
    head = _rename_scopes(segments[: k + 1])
    tail = _rename_leaf(segments[k + 1 :])
    slots: list[str] = []
    while tail and tail[-1] in OPTIMIZER_SLOTS:
        slots.insert(0, tail.pop())
    cell_kind = CELL_SCOPE_PATTERN.match(head[-1]).group(1)  # type: ignore[union-attr]
    variable = "/".join(tail)
    if variable not in TODAY_VARIABLES[cell_kind]:
        raise CheckpointRenameError(
            f"unknown RNN-era name {name!r}: {variable!r} under {segments[k]!r} is not a variable today's "
            f"{cell_kind} creates (expected one of {sorted(TODAY_VARIABLES[cell_kind])}, optionally followed by an optimizer slot)"
        )
    return "/".join(head + tail + slots)


def rename_map(names: Iterable[str]) -> dict[str, str]:
    """``{old name: new name}`` for every name (unchanged names map to themselves), or a refusal.

    Refuses (:class:`CheckpointRenameError`) when any name is unknown or two names would collide; the
    message lists every offending name.
    """
    expected = f"names: expected an iterable of variable name strs, got {type(names).__name__}"
    if isinstance(names, (str, bytes)) or not isinstance(names, Iterable):
        raise TypeError(expected)
    try:
        names = list(names)
    except TypeError:  # e.g. a 0-d NumPy array
        raise TypeError(expected) from None
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for name in names:
        try:
            mapping[name] = new_name(name)
        except CheckpointRenameError as error:
            unknown.append(str(error))
    if unknown:
        raise CheckpointRenameError("refusing to rename: " + "; ".join(unknown))
    targets: dict[str, list[str]] = defaultdict(list)
    for old, new in mapping.items():
        targets[new].append(old)
    clashes = {new: sorted(olds) for new, olds in targets.items() if len(olds) > 1}
    if clashes:
        listed = "; ".join(f"{olds} would all become {new!r}" for new, olds in sorted(clashes.items()))
        raise CheckpointRenameError(f"refusing to rename: ambiguous names: {listed}")
    return mapping


def format_mapping(mapping: dict[str, str]) -> str:
    """One line per variable, sorted: ``old -> new`` or ``name (unchanged)``."""
    if not isinstance(mapping, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise TypeError(f"mapping: expected a {{old name: new name}} dict of strs (as rename_map returns), got {type(mapping).__name__}")
    lines = [f"{old} -> {new}" if old != new else f"{old} (unchanged)" for old, new in sorted(mapping.items())]
    return "\n".join(lines)


def format_table() -> str:
    """The mapping table as plain text (``--help`` prints it)."""
    return "\n".join(f"  {era:<7} {old:<15} -> {new:<18} ({where})" for era, old, new, where in MAPPING_TABLE)


def _check_paths(old_prefix: str, new_prefix: str) -> None:
    for argument, value in (("old_prefix", old_prefix), ("new_prefix", new_prefix)):
        if not isinstance(value, (str, os.PathLike)) or not str(value):
            raise TypeError(f"{argument}: expected a checkpoint prefix path, got {value!r}")
    if os.path.abspath(old_prefix) == os.path.abspath(new_prefix):
        raise CheckpointRenameError(f"new_prefix: must differ from old_prefix {str(old_prefix)!r}; the input is never overwritten")
    existing = sorted(glob.glob(glob.escape(str(new_prefix)) + ".*"))
    if os.path.exists(new_prefix) or existing:
        raise CheckpointRenameError(
            f"new_prefix: {str(new_prefix)!r} already exists ({existing or [str(new_prefix)]}); refusing to overwrite it"
        )


def checkpoint_names(prefix: str) -> list[str]:
    """The variable names stored in the TF1 (Saver) checkpoint at ``prefix``."""
    return list(open_checkpoint(prefix, "prefix").names)


def convert_checkpoint(old_prefix: str, new_prefix: str, *, dry_run: bool = False) -> dict[str, str]:
    """Write the checkpoint at ``old_prefix`` to ``new_prefix`` with today's variable names; return the mapping.

    ``dry_run=True`` computes and returns the mapping without writing anything. Refuses
    (:class:`CheckpointRenameError`) when ``new_prefix`` exists or equals ``old_prefix``, or when a name
    is unknown or ambiguous, and (:class:`~tf_rnn_checks.checkpoint_files.CheckpointFileError`) when
    ``old_prefix`` is not a readable checkpoint prefix. The output has no ``checkpoint`` state file and no meta graph.
    """
    _check_paths(old_prefix, new_prefix)
    checkpoint = open_checkpoint(old_prefix, "old_prefix")
    mapping = rename_map(checkpoint.names)
    if dry_run:
        return mapping
    from tf_rnn_checks.modes import write_checkpoint

    write_checkpoint(str(new_prefix), {new: checkpoint.read(old) for old, new in sorted(mapping.items())})
    return mapping


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``OLD_PREFIX NEW_PREFIX [--dry-run]``; exit status 0 on success, 2 on refusal."""
    parser = argparse.ArgumentParser(
        prog="python -m tf_rnn_checks.checkpoint_rename",
        description="Write a copy of a TF 0.x/1.0-era RNN checkpoint with today's variable names (the input is never modified).",
        epilog="mapping table (old -> today):\n" + format_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("old_prefix", help="prefix of the old checkpoint (the path without .index)")
    parser.add_argument("new_prefix", help="prefix to write; must not exist yet")
    parser.add_argument("--dry-run", action="store_true", help="print the mapping and write nothing")
    args = parser.parse_args(argv)
    try:
        mapping = convert_checkpoint(args.old_prefix, args.new_prefix, dry_run=args.dry_run)
    except (CheckpointRenameError, CheckpointFileError) as error:
        print(f"checkpoint_rename: error: {error}", file=sys.stderr)
        return 2
    print(format_mapping(mapping))
    renamed = sum(old != new for old, new in mapping.items())
    action = "would write" if args.dry_run else "wrote"
    print(f"{action} {args.new_prefix}: {renamed} renamed, {len(mapping) - renamed} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())

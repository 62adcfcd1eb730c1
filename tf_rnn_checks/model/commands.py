"""The ``inspect`` and ``probe`` subcommands of ``tf-rnn-checks``: their arguments and handlers.

Exit codes: ``inspect`` 0 when every structure loads as saved, 1 when one would not; ``probe`` 0 when every
check passed, 1 otherwise; both 2 with one line naming the file on unusable input.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

# tf_rnn_checks.modes.MODES, spelled out so that building the parser does not import TensorFlow.
MODES = ("graph", "eager", "function")
CHECKPOINT_HELP = (
    "checkpoint prefix: model.ckpt for model.ckpt.index and its .data file(s), as the converters and checkpoint_rename take it"
)


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """Add ``inspect`` and ``probe`` to the ``tf-rnn-checks`` subcommands."""
    inspect = commands.add_parser(
        "inspect",
        help="the TF1 recurrent structures in a Saver checkpoint, and whether the installed TF loads them",
        description="List every TF1 recurrent structure in a tf.compat.v1.train.Saver checkpoint (cells, sizes, options, "
        "MultiRNNCell depth, directions, dtype), whether the installed TensorFlow builds exactly those variables (or the "
        "rename that makes it load), and which conversion targets hold it. Exit 0: every structure loads; 1: one would not; 2: bad input.",
    )
    inspect.add_argument("checkpoint", metavar="CKPT", help=CHECKPOINT_HELP)
    inspect.add_argument("--scope", help="only the structures under this scope")
    inspect.add_argument("--format", choices=("text", "json"), default="text", help="text for people (default) or JSON")
    probe = commands.add_parser(
        "probe",
        help="rebuild, restore and run a TF1 checkpoint's structures; write a report that `diff` compares",
        description="Rebuild each structure of a TF1 Saver checkpoint with the installed TensorFlow, restore it, run a fixed "
        "seeded input and write DIR/report.json and DIR/report.md (compare two with `tf-rnn-checks diff --fail-on regression,value`). "
        "Exit 0: every check passed; 1: a structure did not restore; 2: bad input.",
    )
    probe.add_argument("checkpoint", metavar="CKPT", help=CHECKPOINT_HELP)
    probe.add_argument("--scope", help="only the structures under this scope")
    probe.add_argument("--modes", default=",".join(MODES), help=f"comma-separated execution modes (default {','.join(MODES)})")
    probe.add_argument(
        "--sequence-length",
        type=int,
        nargs="+",
        metavar="N",
        help="the length of each input row (the batch has one row per N; time steps = max N)",
    )
    probe.add_argument("--report", metavar="DIR", required=True, help="write DIR/report.json and DIR/report.md")


def _fail(message: str) -> int:
    print(f"tf-rnn-checks: error: {message}", file=sys.stderr)
    return 2


@contextlib.contextmanager
def _quiet_tensorflow() -> Iterator[None]:
    """Keep TF's deprecation notices about the legacy cells out of the command's output (it exists to run them)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        logger.setLevel(level)


def inspect(args: argparse.Namespace) -> int:
    """``tf-rnn-checks inspect``."""
    from tf_rnn_checks.checkpoint_files import CheckpointFileError, open_checkpoint
    from tf_rnn_checks.model.detect import NoStructureError

    with _quiet_tensorflow():
        try:
            checkpoint = open_checkpoint(args.checkpoint, "CKPT")
            from tf_rnn_checks.model.inspect import inspect_checkpoint, render_text

            result = inspect_checkpoint(checkpoint, args.scope)
        except (CheckpointFileError, NoStructureError) as error:
            return _fail(str(error))
    sys.stdout.write(json.dumps(result, indent=1) + "\n" if args.format == "json" else render_text(result))
    return 0 if result["loads_as_is"] else 1


def probe(args: argparse.Namespace) -> int:
    """``tf-rnn-checks probe``."""
    from tf_rnn_checks.checkpoint_files import CheckpointFileError, open_checkpoint
    from tf_rnn_checks.model.detect import NoStructureError

    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if not modes or any(mode not in MODES for mode in modes):
        return _fail(f"--modes: expected a comma-separated subset of {','.join(MODES)}, got {args.modes!r}")
    if args.sequence_length and any(n < 1 for n in args.sequence_length):
        return _fail(f"--sequence-length: expected positive lengths, got {args.sequence_length}")
    with _quiet_tensorflow():
        try:
            checkpoint = open_checkpoint(args.checkpoint, "CKPT")
            from tf_rnn_checks.model.probe import probe_report

            report = probe_report(checkpoint, scope=args.scope, modes=modes, sequence_length=args.sequence_length)
        except (CheckpointFileError, NoStructureError) as error:
            return _fail(str(error))
    from tf_rnn_checks.report import markdown, schema

    schema.validate(report, "probe report")
    directory = Path(args.report)
    json_path = schema.write_atomic(directory / "report.json", schema.dumps(report))
    md_path = schema.write_atomic(directory / "report.md", markdown.render(report))
    summary = ", ".join(f"{count} {outcome}" for outcome, count in report["summary"].items())
    print(f"tf-rnn-checks: probe of {args.checkpoint}: {len(report['checks'])} checks ({summary}); wrote {json_path} and {md_path}")
    return report["exit_status"]


HANDLERS = {"inspect": inspect, "probe": probe}

__all__ = ["HANDLERS", "MODES", "add_parsers", "inspect", "probe"]

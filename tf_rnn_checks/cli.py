"""The ``tf-rnn-checks`` command (also ``python -m tf_rnn_checks``).

    tf-rnn-checks run [--report DIR] [--golden PATH|auto] [--update-goldens] [pytest args...]
    tf-rnn-checks diff OLD.json NEW.json [--format md|json] [--fail-on regression|gain|note|value|change|any|none]
    tf-rnn-checks report report.json [-o report.md]
    tf-rnn-checks questions report.json [-o questions.md] [--links report.md]
    tf-rnn-checks matrix [GOLDENS_DIR] [-o docs/matrix.md]
    tf-rnn-checks inspect CKPT [--scope S] [--format text|json]
    tf-rnn-checks probe CKPT [--scope S] [--modes graph,eager,function] [--sequence-length N ...] --report DIR

Exit codes: ``run`` returns pytest's; ``diff`` returns 1 when a check regressed (``--fail-on`` names other classes);
every command returns 2 with a one-line message on unusable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from tf_rnn_checks.model import commands as model_commands

DEFAULT_REPORT_DIR = "report"
_XDIST_FLAGS = ("-n", "--numprocesses", "--dist", "-d", "--tx")


def _default_workers() -> str:
    return str(max(1, min(4, os.cpu_count() or 1)))


def pytest_arguments(extra: Sequence[str]) -> list[str]:
    """The pytest command line of ``run``: the packaged suite with its own configuration, then ``extra``."""
    from tf_rnn_checks.suite import SUITE_DIR, SUITE_INI, SUITE_MODULE

    extra = list(extra)
    arguments = [str(SUITE_MODULE), "-c", str(SUITE_INI), "--rootdir", str(SUITE_DIR), "-p", "tf_rnn_checks.pytest_plugin"]
    xdist_off = any(a in ("no:xdist",) for a in extra) or any(a.startswith(_XDIST_FLAGS) for a in extra)
    if not xdist_off:
        arguments += ["-n", _default_workers()]
    if not any(a == "--report" or a.startswith("--report=") for a in extra):
        arguments += ["--report", DEFAULT_REPORT_DIR]
    return arguments + extra


def _run(extra: Sequence[str]) -> int:
    import pytest

    return int(pytest.main(pytest_arguments(extra)))


def _fail(message: str) -> int:
    print(f"tf-rnn-checks: error: {message}", file=sys.stderr)
    return 2


def _write(text: str, output: str | None) -> None:
    if output:
        from tf_rnn_checks.report.schema import write_atomic

        write_atomic(output, text)
        print(f"tf-rnn-checks: wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _report_file(path: str, goldens_too: bool) -> str:
    """``path``, or for a folder the report.json in it (for OLD also a goldens folder: its newest golden)."""
    from tf_rnn_checks.report import matrix, schema

    if not os.path.isdir(path):
        return path
    if os.path.isfile(os.path.join(path, "report.json")):
        return os.path.join(path, "report.json")
    if goldens_too and matrix.golden_paths(path):
        return str(matrix.newest_golden(path))
    held = "a report.json or goldens named tf<major>.<minor>.json" if goldens_too else "a report.json"
    raise schema.ReportError(f"{path}: is a folder without {held}; expected a report.json file or a folder holding one")


def _diff(args: argparse.Namespace) -> int:
    from tf_rnn_checks.report import diff, schema

    args.old, args.new = _report_file(args.old, goldens_too=True), _report_file(args.new, goldens_too=False)
    old, new = schema.load(args.old), schema.load(args.new)
    result = diff.compare(old, new)
    if args.format == "json":
        text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    else:
        text = diff.render_markdown(result, old_name=args.old, new_name=args.new, fail_on=args.fail_on)
    _write(text, args.output)
    return 1 if diff.should_fail(result, args.fail_on) else 0


def _report(args: argparse.Namespace) -> int:
    from tf_rnn_checks.report import markdown, schema

    _write(markdown.render(schema.load(args.report)), args.output)
    return 0


def _questions(args: argparse.Namespace) -> int:
    from tf_rnn_checks.report import questions, schema

    _write(questions.render(schema.load(args.report), links=args.links), args.output)
    return 0


def _matrix(args: argparse.Namespace) -> int:
    from tf_rnn_checks.report import matrix

    _write(matrix.render_directory(args.goldens), args.output)
    return 0


def parser() -> argparse.ArgumentParser:
    from tf_rnn_checks.report.diff import FAIL_ON_HELP, fail_on_argument

    top = argparse.ArgumentParser(
        prog="tf-rnn-checks", description="How TensorFlow 2 runs TF1-style recurrent cells: run the suite, report, diff."
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="{run,diff,report,questions,matrix,inspect,probe}")
    run = commands.add_parser(
        "run",
        help="run the suite on the installed TensorFlow and write report.json + report.md",
        description="Run the packaged suite (pytest with xdist) and write DIR/report.json and DIR/report.md "
        f"(--report DIR, default ./{DEFAULT_REPORT_DIR}). Other arguments go to pytest, e.g. -k, --tf-modes, "
        "--golden PATH|auto, --golden-fail-on, --update-goldens, --goldens-dir, -n. Exit code: pytest's.",
        add_help=False,
    )
    run.add_argument("-h", "--help", action="help", help="show this help (pytest --help lists the pytest options)")
    diff = commands.add_parser("diff", help="what changed between two report.json files (the upgrade gate)")
    diff.add_argument(
        "old", metavar="OLD.json", help="the baseline report (a folder: its report.json; a goldens folder: its newest TF version's golden)"
    )
    diff.add_argument("new", metavar="NEW.json", help="the report to judge (a folder: its report.json)")
    diff.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    diff.add_argument("--fail-on", type=fail_on_argument, default="regression", help=FAIL_ON_HELP)
    diff.add_argument("-o", "--output", help="write to this file instead of stdout")
    report = commands.add_parser("report", help="regenerate report.md from a report.json")
    report.add_argument("report", metavar="report.json")
    report.add_argument("-o", "--output", help="write to this file instead of stdout")
    questions = commands.add_parser("questions", help="questions.md from a report.json: the common questions, answered by its checks")
    questions.add_argument("report", metavar="report.json")
    questions.add_argument("-o", "--output", help="write to this file instead of stdout")
    questions.add_argument("--links", default="report.md", help="the behaviour page the check links point into (default report.md)")
    matrix = commands.add_parser("matrix", help="docs/matrix.md from the goldens: checks x TF versions")
    matrix.add_argument("goldens", nargs="?", default="goldens", metavar="GOLDENS_DIR")
    matrix.add_argument("-o", "--output", help="write to this file instead of stdout")
    model_commands.add_parsers(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "run" and not ({"-h", "--help"} & set(argv[1:2])):
        return _run(argv[1:])
    args = parser().parse_args(argv)
    from tf_rnn_checks.report.schema import ReportError

    handler = {"diff": _diff, "report": _report, "questions": _questions, "matrix": _matrix, **model_commands.HANDLERS}[args.command]
    try:
        return handler(args)
    except ReportError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{type(error).__name__}: {error}")
    except Exception as error:  # an unusable but valid-looking file must still give one line, not a traceback
        return _fail(f"cannot process the input ({type(error).__name__}: {error})")


if __name__ == "__main__":
    sys.exit(main())

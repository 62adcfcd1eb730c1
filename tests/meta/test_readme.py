"""README.md's two opening commands are the ones CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _opening_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text())[:2]


def test_readme_opens_with_two_commands_that_ci_runs() -> None:
    """README's set-up command and test command both appear verbatim in .ci/run."""
    commands = _opening_commands()
    assert len(commands) == 2, f"README.md: observed {len(commands)} opening bash blocks, expected 2"
    ci = (ROOT / ".ci" / "run").read_text()
    for command in commands:
        assert command in ci, f".ci/run: does not run README's command {command!r}"

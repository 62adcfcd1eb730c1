"""README.md's two opening commands are the ones CI runs, and its migration example is a file that runs."""

import importlib.metadata
import importlib.util
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIGRATION_EXAMPLE = ROOT / "examples" / "migrate_bidirectional_lstm.py"


def _opening_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text())[:2]


def test_readme_opens_with_two_commands_that_ci_runs() -> None:
    """README's set-up command and test command both appear verbatim in .ci/run."""
    commands = _opening_commands()
    assert len(commands) == 2, f"README.md: observed {len(commands)} opening bash blocks, expected 2"
    ci = (ROOT / ".ci" / "run").read_text()
    for command in commands:
        assert command in ci, f".ci/run: does not run README's command {command!r}"


def test_readme_migration_example_is_the_example_file() -> None:
    """README's whole-module migration snippet is examples/migrate_bidirectional_lstm.py verbatim, so running the file runs the snippet."""
    blocks = re.findall(r"```python\n(.+?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    assert MIGRATION_EXAMPLE.read_text() in blocks, (
        f"README.md: no python block is {MIGRATION_EXAMPLE.relative_to(ROOT)} verbatim; paste the file into the README's block"
    )


@pytest.mark.legacy_cells
def test_readme_migration_example_runs(capsys) -> None:
    """examples/migrate_bidirectional_lstm.py runs: the PyTorch module and Keras 3 model it builds from its TF1 checkpoint match TF1's outputs and final states."""
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch not installed: pip install torch==2.13.0")
    if importlib.util.find_spec("keras") is None or not importlib.metadata.version("keras").startswith("3."):
        pytest.skip('Keras 3 not installed: pip install "keras>=3" (TensorFlow >= 2.16 installs it)')
    runpy.run_path(str(MIGRATION_EXAMPLE), run_name="__main__")
    assert capsys.readouterr().out.splitlines() == [
        "torch: outputs and final states match TF1's",
        "keras3: outputs and final states match TF1's",
    ]

"""The generic cell contract on the built-in cells, through the same public API users run on their own cells."""

import pytest

from tf_rnn_checks import parametrize_with_checks
from tf_rnn_checks.matrix import CONTRACT_CELLS


@pytest.mark.legacy_cells
@parametrize_with_checks(CONTRACT_CELLS)
def test_cell_contract(cell, check) -> None:
    """Each built-in cell passes every generic check (see tf_rnn_checks.checks.cell_contract)."""
    check(cell)

"""Check a custom cell with the suite's generic checks: one test per (cell, check, mode).

Run: python -m pytest examples   (ids read like test_cell[CIFGLSTMCell-check_static_rnn_matches_dynamic_rnn-graph])
"""

from cifg_cell import CIFGLSTMCell, cifg_step

from tf_rnn_checks import custom_cell, parametrize_with_checks

CIFG = custom_cell(
    lambda **overrides: CIFGLSTMCell(3, **overrides),  # a fresh cell per call; overrides such as initializer=
    name="CIFGLSTMCell",
    reference=cifg_step,  # enables the NumPy comparison
    initializer_argument="initializer",  # enables the initializer-argument check
)


@parametrize_with_checks([CIFG])
def test_cell(cell, check):
    check(cell)

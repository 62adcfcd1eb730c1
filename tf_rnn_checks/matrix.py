"""The built-in cell configurations and execution modes that the suite's checks run over.

Sizes, inputs and seeds are :mod:`tf_rnn_checks.sizes`'s.
"""

from __future__ import annotations

from tf_rnn_checks.cells import CellSpec, basic_lstm, basic_rnn, gru, lstm, multi
from tf_rnn_checks.modes import MODES

SINGLE_CELLS: tuple[CellSpec, ...] = (
    basic_rnn(3),
    gru(3),
    lstm(3),
    lstm(3, use_peepholes=True),
    lstm(3, num_proj=2),
    basic_lstm(3),
)
STACKED_CELLS: tuple[CellSpec, ...] = tuple(multi(cell, cell) for cell in SINGLE_CELLS)
ALL_CELLS: tuple[CellSpec, ...] = SINGLE_CELLS + STACKED_CELLS
# The generic cell-contract checks run on one cell of each kind (the LSTM with every option that adds
# variables) plus one mixed stack: the contract is kind-agnostic, so the full matrix would only add time.
CONTRACT_CELLS: tuple[CellSpec, ...] = (
    basic_rnn(3),
    gru(3),
    lstm(3, use_peepholes=True, num_proj=2),
    basic_lstm(3),
    multi(lstm(3), gru(3)),
)
LSTM_CELLS: tuple[CellSpec, ...] = tuple(cell for cell in SINGLE_CELLS if cell.is_lstm)

__all__ = ["ALL_CELLS", "CONTRACT_CELLS", "LSTM_CELLS", "MODES", "SINGLE_CELLS", "STACKED_CELLS"]

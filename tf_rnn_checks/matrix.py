"""The built-in cell configurations and execution modes that the suite's checks run over.

Sizes, inputs and seeds are :mod:`tf_rnn_checks.sizes`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

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
# A stack holding every kind of weight (LSTM kernel, peepholes, projection, GRU gates/candidate) under cell_N scopes.
DEEP_CELL: CellSpec = multi(lstm(3, use_peepholes=True, num_proj=2), gru(3))


@dataclass(frozen=True)
class DrivenCell(CellSpec):
    """A built-in cell that a generic check runs under another driver than ``dynamic_rnn`` and, for a check without a
    ``mode`` axis, in another mode than graph: the family cases a generic check absorbed, as values of its ``cell`` axis.

    Users' cells carry neither, so ``check_cell`` runs them as before; the checks read ``driver``/``mode`` with those defaults.
    """

    driver: str = "dynamic_rnn"
    mode: str | None = None

    def __str__(self) -> str:
        text = super().__str__() + ("" if self.driver == "dynamic_rnn" else f" under {self.driver}")
        return text + (f" in {self.mode} mode" if self.mode else "")


def under(driver: str, cell: CellSpec, mode: str | None = None) -> DrivenCell:
    """``cell`` run by ``driver`` (and in ``mode``, for a check without a mode axis), e.g. ``LSTMCell(units=3) under static_rnn``."""
    return DrivenCell(cell.kind, cell.units, cell.options, cell.layers, cell.factory, driver=driver, mode=mode)


__all__ = [
    "ALL_CELLS",
    "CONTRACT_CELLS",
    "DEEP_CELL",
    "LSTM_CELLS",
    "MODES",
    "SINGLE_CELLS",
    "STACKED_CELLS",
    "DrivenCell",
    "under",
]

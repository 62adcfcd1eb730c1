"""Where TF1's GRUCell keeps its weights and how its r, u blocks and candidate are wired, pinned block by block.

Graph mode and float64 only, for the reason given in :mod:`lstm_layout`: the variables' layout does
not depend on the execution mode, and the cell matrix in :mod:`numerics` covers the modes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from tf_rnn_checks.assertions import assert_equal
from tf_rnn_checks.cells import CellSpec, gru
from tf_rnn_checks.checks._numeric_support import (
    DriverCase,
    assert_agrees,
    assert_differs,
    inputs,
    reference_drive,
    run_tf_cached,
    tf_drive,
)
from tf_rnn_checks.modes import run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.references import cells as R
from tf_rnn_checks.references.layout import GateWeights, GRUBlocks, join_gru_kernels, split_gru_kernels
from tf_rnn_checks.references.specs import reference_cell
from tf_rnn_checks.registry import check

DTYPE = "float64"
CASE = DriverCase("dynamic_rnn", initial_state=True)
CELL = gru(4)  # units == input size (4): the input and recurrent row blocks can be swapped
NAMES = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


def _paths(values: dict[str, np.ndarray]) -> dict[str, str]:
    return {name: next(p for p in values if p.endswith("/" + name)) for name in NAMES}


def blocks_of(values: dict[str, np.ndarray]) -> GRUBlocks:
    """The named blocks r, u, candidate of the (single) GRU cell in ``values``."""
    paths = _paths(values)
    return split_gru_kernels(*(values[paths[n]] for n in NAMES), num_units=values[paths["candidate/bias"]].shape[0])


def with_blocks(values: dict[str, np.ndarray], blocks: GRUBlocks) -> dict[str, np.ndarray]:
    paths = _paths(values)
    return {**values, **{paths[name]: value for name, value in join_gru_kernels(blocks).items()}}


def _reference(result: Any, values: dict[str, np.ndarray] | None = None, build: Callable = reference_cell) -> dict[str, Any]:
    return reference_drive(CASE, CELL, result.values() if values is None else values, inputs(DTYPE), result.outputs["initial"], build=build)


def _result() -> Any:
    return run_tf_cached(CASE, CELL, "graph", DTYPE)


def assert_gate_order(result: Any, order: str) -> None:
    """Assert TF equals the reference reading ``gates/kernel``'s two column blocks as gates ``order`` (``"ru"`` or ``"ur"``)."""
    __tracebackhide__ = True
    stored = blocks_of(result.values())
    read = stored if order == "ru" else GRUBlocks(stored.u, stored.r, stored.candidate)
    assert_agrees(
        result,
        _reference(result, with_blocks(result.values(), read)),
        what=f"gates blocks read as {','.join(order)}",
        call=f"dynamic_rnn({CELL}) in graph mode",
    )


@check(cell=(gru(3), gru(2)))
def check_gru_variables_names_and_shapes(cell: CellSpec) -> None:
    """GRUCell keeps gates/kernel (input+units, 2*units), gates/bias (2*units), candidate/kernel (input+units, units) and candidate/bias (units), in that order (their starting values: bias_defaults)."""
    result = run("graph", lambda: (cell.make(),), lambda cells: tf_drive(DriverCase("dynamic_rnn"), cells, inputs(DTYPE)), evaluate=False)
    units, call = cell.units, f"dynamic_rnn({cell}, inputs[..., 4])"
    observe("inventory", {v.path: list(v.shape) for v in result.variables})
    assert_equal(
        [v.path for v in result.variables], [f"rnn/gru_cell/{n}" for n in NAMES], what="variable paths in creation order", call=call
    )
    assert_equal(
        [v.shape for v in result.variables],
        [(4 + units, 2 * units), (2 * units,), (4 + units, units), (units,)],
        what="variable shapes",
        call=call,
    )


@check()
def check_gru_gate_order_is_r_then_u() -> None:
    """gates/kernel's and gates/bias's first column block is the reset gate r and the second the update gate u: reading them as u, r disagrees with TF."""
    result = _result()
    assert_gate_order(result, "ru")
    with pytest.raises(AssertionError) as caught:
        assert_gate_order(result, "ur")
    observe("gate_order", "r,u")
    observe("ur_rejected_with", str(caught.value).splitlines()[0])


@check(part=("input", "recurrent", "bias"))
def check_gru_swapping_r_and_u_blocks_breaks_agreement(part: str) -> None:
    """Swapping r and u in only the input rows, only the recurrent rows, or only the bias of the gates makes the reference disagree with TF."""
    result = _result()
    b = blocks_of(result.values())
    r = dataclasses.replace(b.r, **{part: b.u.part(part)})
    u = dataclasses.replace(b.u, **{part: b.r.part(part)})
    call = f"dynamic_rnn({CELL}) vs reference with r and u swapped in the {part} block"
    observe(
        "max_abs_difference",
        assert_differs(
            result, _reference(result, with_blocks(result.values(), GRUBlocks(r, u, b.candidate))), what="r, u swapped", call=call
        ),
    )


@check(block=("gates", "candidate"))
def check_gru_input_and_recurrent_rows_are_not_interchangeable(block: str) -> None:
    """Reading a GRU kernel's input rows as recurrent rows and vice versa (input size == units here) makes the reference disagree with TF."""
    result = _result()
    b = blocks_of(result.values())
    flip = lambda g: GateWeights(g.recurrent, g.input, g.bias)  # noqa: E731
    flipped = GRUBlocks(flip(b.r), flip(b.u), b.candidate) if block == "gates" else GRUBlocks(b.r, b.u, flip(b.candidate))
    call = f"dynamic_rnn({CELL}) vs reference with {block}/kernel rows [x, h] read as [h, x]"
    observe(
        "max_abs_difference",
        assert_differs(result, _reference(result, with_blocks(result.values(), flipped)), what="rows flipped", call=call),
    )


@dataclasses.dataclass
class _VariantGRU(R.GRUCell):
    """A deliberately different GRU: reset applied after the candidate's recurrent matmul, or the update gate's roles exchanged."""

    reset_after: bool = False
    update_keeps_candidate: bool = False

    def __call__(self, x: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        b = self.blocks
        r = R.sigmoid(x @ b.r.input + state @ b.r.recurrent + b.r.bias)
        u = R.sigmoid(x @ b.u.input + state @ b.u.recurrent + b.u.bias)
        recurrent = r * (state @ b.candidate.recurrent) if self.reset_after else (r * state) @ b.candidate.recurrent
        c = np.tanh(x @ b.candidate.input + recurrent + b.candidate.bias)
        h = (1 - u) * state + u * c if self.update_keeps_candidate else u * state + (1 - u) * c
        return h, h


def _variant(**flags: bool) -> Callable:
    def build(spec: CellSpec, values: dict[str, np.ndarray]) -> _VariantGRU:
        right = reference_cell(spec, values)
        return _VariantGRU(right.blocks, right.activation, **flags)

    return build


@check()
def check_gru_reset_multiplies_h_before_the_candidate_matmul() -> None:
    """GRUCell's candidate is act([x, r*h] @ candidate/kernel + candidate/bias): the reset gate scales h before the matmul, not the matmul's result (Keras reset_after / PyTorch)."""
    result = _result()
    call = f"dynamic_rnn({CELL})"
    assert_agrees(result, _reference(result), what="reset before the matmul", call=call)
    observe(
        "difference_if_reset_after",
        assert_differs(result, _reference(result, build=_variant(reset_after=True)), what="reset after the matmul", call=call),
    )


@check()
def check_gru_new_h_is_u_times_h_plus_one_minus_u_times_candidate() -> None:
    """GRUCell's new state is u*h + (1-u)*c: u = 1 keeps the old state; the opposite convention disagrees with TF."""
    result = _result()
    call = f"dynamic_rnn({CELL})"
    assert_agrees(result, _reference(result), what="u*h + (1-u)*c", call=call)
    observe(
        "difference_if_u_weights_candidate",
        assert_differs(result, _reference(result, build=_variant(update_keeps_candidate=True)), what="(1-u)*h + u*c", call=call),
    )


__all__ = [name for name in dir() if name.startswith("check_")]

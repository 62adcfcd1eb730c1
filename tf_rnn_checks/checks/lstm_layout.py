"""The TF1 LSTM kernel layout (rows [x, h], column blocks i, j, f, o) and where each option enters, pinned block by block.

Layout is fixed when the cell builds its variables and the cell's maths is the same code in every
execution mode (the cell matrix in :mod:`numerics` proves graph, eager and function agree with the
reference), so these checks run in graph mode only, in float64 so small differences stand out.
Each check shows both sides: TF agrees with the reference built on the documented layout, and
disagrees with the reference built on each competing layout.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from tf_rnn_checks.assertions import assert_equal, assert_true
from tf_rnn_checks.cells import CellSpec, basic_lstm, lstm
from tf_rnn_checks.checks._numeric_support import DriverCase, assert_agrees, assert_differs, inputs, reference_drive, run_tf_cached
from tf_rnn_checks.modes import run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.references import cells as R
from tf_rnn_checks.references.layout import LSTM_GATES, GateWeights, LSTMBlocks, join_lstm_kernel, split_lstm_kernel
from tf_rnn_checks.references.specs import reference_cell
from tf_rnn_checks.registry import check

DTYPE = "float64"
# A seeded initial state makes the f gate and the recurrent rows matter from the first step on.
CASE = DriverCase("dynamic_rnn", initial_state=True)
# units == input size (4), so the input and recurrent row blocks have the same shape and can be swapped.
LAYOUT_CELL = lstm(4, use_peepholes=True, forget_bias=0.7)
LAYOUT_CELLS = (LAYOUT_CELL, basic_lstm(4, forget_bias=0.7))
SWAPS = tuple("".join(pair) for pair in itertools.combinations(LSTM_GATES, 2))
PARTS = ("input", "recurrent", "bias")


def _kernel_path(values: dict[str, np.ndarray]) -> tuple[str, str]:
    kernel = next(p for p in values if p.endswith("/kernel") and not p.endswith("projection/kernel"))
    return kernel, kernel[: -len("kernel")] + "bias"


def _num_proj(values: dict[str, np.ndarray]) -> int | None:
    projection = [v for p, v in values.items() if p.endswith("projection/kernel")]
    return projection[0].shape[1] if projection else None


def blocks_of(values: dict[str, np.ndarray]) -> LSTMBlocks:
    """The named gate blocks of the (single) LSTM cell in ``values``."""
    kernel, bias = _kernel_path(values)
    return split_lstm_kernel(values[kernel], values[bias], values[bias].shape[0] // 4, num_proj=_num_proj(values))


def with_blocks(values: dict[str, np.ndarray], blocks: LSTMBlocks) -> dict[str, np.ndarray]:
    """``values`` with the cell's kernel and bias rebuilt from ``blocks``."""
    kernel, bias = _kernel_path(values)
    joined_kernel, joined_bias = join_lstm_kernel(blocks)
    return {**values, kernel: joined_kernel, bias: joined_bias}


def _reference(
    spec: CellSpec, result: Any, values: dict[str, np.ndarray] | None = None, build: Callable = reference_cell
) -> dict[str, Any]:
    return reference_drive(CASE, spec, result.values() if values is None else values, inputs(DTYPE), result.outputs["initial"], build=build)


def assert_gate_order(result: Any, spec: CellSpec, order: str) -> None:
    """Assert TF's outputs equal the reference that reads the kernel's column blocks as gates ``order`` (e.g. ``"ijfo"``)."""
    __tracebackhide__ = True
    stored = blocks_of(result.values())
    # stored block k holds gate order[k]; the reference wants gate g from block order.index(g)
    as_reference = stored.reordered([LSTM_GATES[order.index(g)] for g in LSTM_GATES])
    assert_agrees(
        result,
        _reference(spec, result, with_blocks(result.values(), as_reference)),
        what=f"column blocks read as {','.join(order)}",
        call=f"dynamic_rnn({spec}) in graph mode",
    )


@check(covers=("LSTMCell.num_proj",), cell=(lstm(3), lstm(3, num_proj=2), basic_lstm(3)))
def check_lstm_kernel_rows_are_input_then_recurrent(cell: CellSpec) -> None:
    """The LSTM kernel has shape (input_size + h, 4*units) with h = num_proj or units: its first input_size rows multiply the input and the rest the previous h (or projected m)."""
    case = DriverCase("dynamic_rnn")  # zero initial state: at step 0 the recurrent rows meet h = 0
    result = run_tf_cached(case, cell, "graph", DTYPE)
    kernel_path, bias_path = _kernel_path(result.values())
    recurrent = cell.output_units
    call = f"dynamic_rnn({cell}, inputs[..., 4])"
    observe("kernel", {"path": kernel_path, "shape": list(result.variable(kernel_path).shape)})
    assert_equal(result.variable(kernel_path).shape, (4 + recurrent, 4 * cell.units), what="kernel shape", call=call)
    assert_equal(result.variable(bias_path).shape, (4 * cell.units,), what="bias shape", call=call)
    outputs = result.outputs["outputs"]
    for rows, name in ((slice(4, None), "recurrent rows [4:]"), (slice(0, 4), "input rows [:4]")):
        values = [v.initial.copy() for v in result.variables]
        index = [v.path for v in result.variables].index(kernel_path)
        values[index][rows] += 0.5
        changed = run(
            "graph", lambda: (cell.make(),), lambda cells: _drive(case, cells), randomize=lambda i, shape, dtype, values=values: values[i]
        ).outputs["outputs"]
        step0 = float(np.max(np.abs(changed[:, 0] - outputs[:, 0])))
        step1 = float(np.max(np.abs(changed[:, 1] - outputs[:, 1])))
        observe(f"change_after_editing_{name.split()[0]}_rows", {"step0": step0, "step1": step1})
        if name.startswith("recurrent"):
            assert_equal(step0, 0.0, what=f"step-0 output change after editing {name} (h_prev = 0)", call=call)
        else:
            assert_true(step0 > 1e-3, what=f"step-0 output change after editing {name}", observed=step0, expected="> 1e-3", call=call)
        assert_true(step1 > 1e-3, what=f"step-1 output change after editing {name}", observed=step1, expected="> 1e-3", call=call)


def _drive(case: DriverCase, cells: tuple[Any, ...]) -> Any:
    from tf_rnn_checks.checks._numeric_support import tf_drive

    return tf_drive(case, cells, inputs(DTYPE))


@check(cell=LAYOUT_CELLS)
def check_lstm_gate_order_is_ijfo(cell: CellSpec) -> None:
    """The LSTM kernel's and bias's column blocks are the gates i, j, f, o in that order: the reference reading them as any other order of the four disagrees with TF."""
    result = run_tf_cached(CASE, cell, "graph", DTYPE)
    assert_gate_order(result, cell, "ijfo")
    rejected = {}
    for order in ("".join(p) for p in itertools.permutations(LSTM_GATES)):
        if order == "ijfo":
            continue
        with pytest.raises(AssertionError) as caught:
            assert_gate_order(result, cell, order)
        rejected[order] = str(caught.value).splitlines()[0]
    observe("gate_order", "i,j,f,o")
    observe("ifjo_rejected_with", rejected["ifjo"])


def _swap_part(blocks: LSTMBlocks, part: str, a: str, b: str) -> LSTMBlocks:
    gates = dict(blocks.items())
    ga, gb = gates[a], gates[b]
    gates[a] = dataclasses.replace(ga, **{part: gb.part(part)})
    gates[b] = dataclasses.replace(gb, **{part: ga.part(part)})
    return LSTMBlocks(**gates)


@check(part=PARTS, swap=SWAPS)
def check_lstm_swapping_two_gate_blocks_breaks_agreement(part: str, swap: str) -> None:
    """Swapping any two gate blocks of only the kernel's input rows, only its recurrent rows, or only the bias makes the reference disagree with TF."""
    result = run_tf_cached(CASE, LAYOUT_CELL, "graph", DTYPE)
    call = f"dynamic_rnn({LAYOUT_CELL}) vs reference with the {part} blocks of {swap[0]} and {swap[1]} swapped"
    swapped = _swap_part(blocks_of(result.values()), part, swap[0], swap[1])
    observe(
        "max_abs_difference",
        assert_differs(result, _reference(LAYOUT_CELL, result, with_blocks(result.values(), swapped)), what="swapped blocks", call=call),
    )


@check(cell=LAYOUT_CELLS)
def check_lstm_input_and_recurrent_rows_are_not_interchangeable(cell: CellSpec) -> None:
    """Reading the kernel's input rows as recurrent rows and vice versa (input size == units here) makes the reference disagree with TF."""
    result = run_tf_cached(CASE, cell, "graph", DTYPE)
    blocks = blocks_of(result.values())
    flipped = LSTMBlocks(**{g: GateWeights(w.recurrent, w.input, w.bias) for g, w in blocks.items()})
    call = f"dynamic_rnn({cell}) vs reference with kernel rows [x, h] read as [h, x]"
    assert_agrees(result, _reference(cell, result), what="the documented layout", call=call)
    observe(
        "max_abs_difference",
        assert_differs(result, _reference(cell, result, with_blocks(result.values(), flipped)), what="rows flipped", call=call),
    )


@dataclasses.dataclass
class _VariantLSTM(R.LSTMCell):
    """A deliberately wrong LSTM: the o peephole reads c_prev, or the output gate sees the unclipped c."""

    o_peephole_reads_c_prev: bool = False
    output_from_unclipped_c: bool = False

    def __call__(self, x: np.ndarray, state: Any) -> tuple[np.ndarray, Any]:
        c_prev, m_prev = state
        b, p = self.blocks, self.peepholes
        i, j, f, o = (x @ g.input + m_prev @ g.recurrent + g.bias for g in (b.i, b.j, b.f, b.o))
        if p is not None:
            i, f = i + p["i"] * c_prev, f + p["f"] * c_prev
        c = R.sigmoid(f + self.forget_bias) * c_prev + R.sigmoid(i) * np.tanh(j)
        clipped = c if self.cell_clip is None else np.clip(c, -self.cell_clip, self.cell_clip)
        c_out = c if self.output_from_unclipped_c else clipped
        if p is not None:
            o = o + p["o"] * (c_prev if self.o_peephole_reads_c_prev else c_out)
        m = R.sigmoid(o) * np.tanh(c_out)
        if self.projection is not None:
            m = m @ self.projection
        return m, R.LSTMStateTuple(clipped, m)


def _variant(**flags: bool) -> Callable:
    def build(spec: CellSpec, values: dict[str, np.ndarray]) -> _VariantLSTM:
        right = reference_cell(spec, values)
        return _VariantLSTM(**{f.name: getattr(right, f.name) for f in dataclasses.fields(R.LSTMCell)}, **flags)

    return build


@check(covers=("LSTMCell.use_peepholes",))
def check_peepholes_enter_i_f_from_c_prev_and_o_from_new_c() -> None:
    """Peephole diagonals w_i_diag and w_f_diag multiply c_prev into i and f, and w_o_diag multiplies the new c into o."""
    cell = lstm(4, use_peepholes=True)
    result = run_tf_cached(CASE, cell, "graph", DTYPE)
    call = f"dynamic_rnn({cell})"
    diags = {v.path.rsplit("/", 1)[1]: list(v.shape) for v in result.variables if v.path.endswith("_diag")}
    observe("peephole_variables", diags)
    assert_equal(sorted(diags.items()), [("w_f_diag", [4]), ("w_i_diag", [4]), ("w_o_diag", [4])], what="peephole variables", call=call)
    assert_agrees(result, _reference(cell, result), what="i, f from c_prev and o from the new c", call=call)
    differences = {
        "o from c_prev": assert_differs(
            result, _reference(cell, result, build=_variant(o_peephole_reads_c_prev=True)), what="o peephole reading c_prev", call=call
        )
    }
    values = result.values()
    paths = {name: next(p for p in values if p.endswith(name)) for name in ("w_i_diag", "w_f_diag", "w_o_diag")}
    for a, b in itertools.combinations(sorted(paths), 2):
        swapped = {**values, paths[a]: values[paths[b]], paths[b]: values[paths[a]]}
        differences[f"{a}<->{b}"] = assert_differs(result, _reference(cell, result, swapped), what=f"{a} and {b} swapped", call=call)
    observe("difference_for_wrong_peephole_wiring", differences)


@check(covers=("LSTMCell.cell_clip",))
def check_cell_clip_clips_c_before_the_output_gate() -> None:
    """cell_clip clips the new c to [-cell_clip, cell_clip] before the output gate reads it, and the clipped c is the state."""
    cell = lstm(4, use_peepholes=True, cell_clip=0.3)
    result = run_tf_cached(CASE, cell, "graph", DTYPE)
    call = f"dynamic_rnn({cell})"
    c = result.outputs["state"].c
    observe("final_c_abs_max", float(np.max(np.abs(c))))
    observe("final_c_entries_at_the_clip", int(np.sum(np.abs(c) == 0.3)))
    assert_true(bool(np.max(np.abs(c)) <= 0.3), what="max |final c|", observed=float(np.max(np.abs(c))), expected="<= 0.3", call=call)
    assert_true(
        bool(np.any(np.abs(c) == 0.3)),
        what="final c entries exactly at the clip",
        observed=0,
        expected="at least one (else the clip was never active)",
        call=call,
    )
    assert_agrees(result, _reference(cell, result), what="c clipped before the output gate", call=call)
    differences = {
        "output gate sees unclipped c": assert_differs(
            result,
            _reference(cell, result, build=_variant(output_from_unclipped_c=True)),
            what="the output gate reading the unclipped c",
            call=call,
        ),
        "no clip": assert_differs(result, _reference(cell.with_options(cell_clip=None), result), what="no cell_clip", call=call),
    }
    observe("difference_for_wrong_clip", differences)


@check(covers=("LSTMCell.num_proj", "LSTMCell.proj_clip"))
def check_num_proj_projects_h_and_proj_clip_clips_it() -> None:
    """num_proj multiplies the output by projection/kernel (units, num_proj), the projected m is the recurrent input, and proj_clip clips it."""
    cell = lstm(4, num_proj=2, proj_clip=0.1)
    result = run_tf_cached(CASE, cell, "graph", DTYPE)
    call = f"dynamic_rnn({cell})"
    observe("inventory", {v.path: list(v.shape) for v in result.variables})
    assert_equal(result.variable("projection/kernel").shape, (4, 2), what="projection/kernel shape", call=call)
    assert_equal(result.variable("lstm_cell/kernel").shape, (4 + 2, 16), what="kernel shape (input + num_proj rows)", call=call)
    outputs = result.outputs["outputs"]
    assert_equal(outputs.shape[-1], 2, what="output width", call=call)
    assert_true(
        bool(np.max(np.abs(outputs)) <= 0.1 and np.any(np.abs(outputs) == 0.1)),
        what="outputs against proj_clip=0.1",
        observed=float(np.max(np.abs(outputs))),
        expected="<= 0.1 with some entries at 0.1",
        call=call,
    )
    assert_agrees(result, _reference(cell, result), what="projection then proj_clip", call=call)
    observe(
        "difference_without_proj_clip",
        assert_differs(result, _reference(cell.with_options(proj_clip=None), result), what="no proj_clip", call=call),
    )


__all__ = [name for name in dir() if name.startswith("check_")]

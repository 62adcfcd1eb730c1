"""TF's fused RNN kernels (tf.raw_ops LSTMBlockCell, BlockLSTM, BlockLSTMV2, GRUBlockCell) fed the legacy cells' own variables.

Layout they expect, relative to ``LSTMCell`` / ``GRUCell`` (each pinned below):

- ``LSTMBlockCell`` and ``BlockLSTM`` take ``LSTMCell``'s ``kernel`` as ``w`` and ``bias`` as ``b``
  unchanged (rows ``[x, h]``, column blocks ``i, j(ci), f, o``); ``forget_bias`` is an attribute
  added to ``f`` at run time (default 1.0, like the cell); peepholes are ``wci = w_i_diag``,
  ``wcf = w_f_diag``, ``wco = w_o_diag``; ``cell_clip`` defaults to 3.0 (the cell's ``None`` is -1);
- ``BlockLSTMV2`` wants the column blocks in the order ``i, f, j, o`` and has no ``forget_bias``
  attribute: it must be folded into the ``f`` block of ``b``;
- ``GRUBlockCell`` takes ``GRUCell``'s ``gates/kernel``, ``candidate/kernel``, ``gates/bias`` and
  ``candidate/bias`` unchanged as ``w_ru``, ``w_c``, ``b_ru``, ``b_c``.

The ops have no float64 kernels (float32 and half for the LSTM ops, float32 for GRUBlockCell), so
these checks run in float32 and the refusal of float64 is pinned on its own. Weights come from one
graph-mode run of the legacy cell; the raw ops then run in every mode on those values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, assert_true, observe_max_abs_error, observe_raised
from tf_rnn_checks.cells import CellSpec, gru, lstm
from tf_rnn_checks.checks._numeric_support import TIME_STEPS, DriverCase, inputs, run_tf_cached
from tf_rnn_checks.checks.lstm_layout import blocks_of
from tf_rnn_checks.matrix import MODES
from tf_rnn_checks.modes import run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.references import drivers as reference_drivers
from tf_rnn_checks.references.layout import join_lstm_kernel
from tf_rnn_checks.references.specs import reference_cell
from tf_rnn_checks.registry import check
from tf_rnn_checks.tf_import import tf

DTYPE = "float32"
STEP = DriverCase("cell_call", initial_state=True)
SEQUENCE = DriverCase("dynamic_rnn", initial_state=True)
LSTM_SPECS = (lstm(3, forget_bias=0.7), lstm(3, use_peepholes=True, cell_clip=0.3, forget_bias=0.7))


def _short(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    from tf_rnn_checks.references.variables import split_path

    return {split_path(path)[1]: value for path, value in values.items()}


def _lstm_arguments(spec: CellSpec, values: dict[str, np.ndarray]) -> dict[str, Any]:
    """LSTMCell's variables and options as the fused LSTM ops' arguments (the documented mapping)."""
    short = _short(values)
    units = spec.units
    zeros = np.zeros(units, DTYPE)
    peepholes = bool(spec.option.get("use_peepholes"))
    return {
        "w": short["kernel"],
        "b": short["bias"],
        "wci": short["w_i_diag"] if peepholes else zeros,
        "wcf": short["w_f_diag"] if peepholes else zeros,
        "wco": short["w_o_diag"] if peepholes else zeros,
        "forget_bias": float(spec.option.get("forget_bias", 1.0)),
        "cell_clip": -1.0 if spec.option.get("cell_clip") is None else float(spec.option["cell_clip"]),
        "use_peephole": peepholes,
    }


def _raw(mode: str, op: Any) -> Any:
    return run(mode, lambda: None, lambda _: op()).outputs


@check(
    covers=(
        "LSTMBlockCell.x",
        "LSTMBlockCell.cs_prev",
        "LSTMBlockCell.h_prev",
        "LSTMBlockCell.w",
        "LSTMBlockCell.wci",
        "LSTMBlockCell.wcf",
        "LSTMBlockCell.wco",
        "LSTMBlockCell.b",
        "LSTMBlockCell.use_peephole",
        "LSTMBlockCell.cell_clip",
    ),
    cell=LSTM_SPECS,
    mode=MODES,
)
def check_lstm_block_cell_takes_lstmcell_kernel_unchanged(cell: CellSpec, mode: str) -> None:
    """tf.raw_ops.LSTMBlockCell fed LSTMCell's kernel as w, bias as b, w_i/f/o_diag as wci/wcf/wco and forget_bias as an attribute gives LSTMCell's new c and h."""
    legacy = run_tf_cached(STEP, cell, "graph", DTYPE)
    arguments = _lstm_arguments(cell, legacy.values())
    initial = legacy.outputs["initial"]
    x = inputs(DTYPE)[:, 0]
    fused = _raw(mode, lambda: tf.raw_ops.LSTMBlockCell(x=x, cs_prev=initial.c, h_prev=initial.h, **arguments))
    call = f"LSTMBlockCell(w=kernel, b=bias, forget_bias={arguments['forget_bias']}, cell_clip={arguments['cell_clip']}) vs {cell} in {mode} mode"
    observe("argument_mapping", "w=kernel, b=bias, wci=w_i_diag, wcf=w_f_diag, wco=w_o_diag, forget_bias attr, cell_clip=-1 for None")
    state = legacy.outputs["state"]
    assert_close(fused.cs, state.c, what="LSTMBlockCell cs vs LSTMCell c", call=call, dtype=DTYPE)
    assert_close(fused.h, state.h, what="LSTMBlockCell h vs LSTMCell h", call=call, dtype=DTYPE)
    reference_output, reference_state = reference_cell(cell, legacy.values())(x, initial)
    assert_close(fused.h, reference_output, what="LSTMBlockCell h vs NumPy reference", call=call, dtype=DTYPE)
    observe_max_abs_error("max_abs_error", fused.h, reference_output, dtype=DTYPE)
    if arguments["use_peephole"]:
        swapped = {**arguments, "wci": arguments["wcf"], "wcf": arguments["wci"]}
        wrong = _raw(mode, lambda: tf.raw_ops.LSTMBlockCell(x=x, cs_prev=initial.c, h_prev=initial.h, **swapped))
        assert_not_close(wrong.cs, state.c, what="LSTMBlockCell cs with w_i_diag and w_f_diag swapped", call=call)


@check(covers=("LSTMBlockCell.cell_clip",), mode=MODES)
def check_lstm_block_cell_clips_cs_at_3_by_default(mode: str) -> None:
    """tf.raw_ops.LSTMBlockCell clips cs to [-3, 3] unless cell_clip is given (LSTMCell's cell_clip=None corresponds to -1)."""
    cell = lstm(3, forget_bias=5.0)
    legacy = run_tf_cached(STEP, cell, "graph", DTYPE)
    arguments = {k: v for k, v in _lstm_arguments(cell, legacy.values()).items() if k != "cell_clip"}
    x, c_prev, h_prev = inputs(DTYPE)[:, 0], np.full((3, 3), 5.0, DTYPE), legacy.outputs["initial"].h
    fused = _raw(mode, lambda: tf.raw_ops.LSTMBlockCell(x=x, cs_prev=c_prev, h_prev=h_prev, **arguments))
    call = f"LSTMBlockCell(cs_prev=5, forget_bias=5) without cell_clip in {mode} mode"
    observe("cs_abs_max_default_clip", float(np.max(np.abs(fused.cs))))
    assert_equal(float(np.max(np.abs(fused.cs))), 3.0, what="max |cs| with the default cell_clip", call=call)
    _, unclipped = reference_cell(cell, legacy.values())(x, (c_prev, h_prev))
    assert_true(
        bool(np.max(np.abs(unclipped.c)) > 3.0),
        what="max |c| of the unclipped reference",
        observed=float(np.max(np.abs(unclipped.c))),
        expected="> 3 (else the default clip was never active)",
        call=call,
    )
    _, clipped = reference_cell(cell.with_options(cell_clip=3.0), legacy.values())(x, (c_prev, h_prev))
    assert_close(fused.cs, clipped.c, what="LSTMBlockCell cs vs reference with cell_clip=3", call=call, dtype=DTYPE)


def _reference_sequence(cell: CellSpec, values: dict[str, np.ndarray], initial: Any) -> tuple[np.ndarray, Any]:
    return reference_drivers.dynamic_rnn(reference_cell(cell, values), inputs(DTYPE), initial_state=initial)


@check(
    covers=(
        "BlockLSTM.seq_len_max",
        "BlockLSTM.x",
        "BlockLSTM.cs_prev",
        "BlockLSTM.h_prev",
        "BlockLSTM.w",
        "BlockLSTM.wci",
        "BlockLSTM.wcf",
        "BlockLSTM.wco",
        "BlockLSTM.b",
        "BlockLSTM.use_peephole",
        "BlockLSTM.cell_clip",
    ),
    cell=LSTM_SPECS,
    mode=MODES,
)
def check_block_lstm_takes_lstmcell_kernel_unchanged(cell: CellSpec, mode: str) -> None:
    """tf.raw_ops.BlockLSTM (time-major) fed LSTMCell's variables as LSTMBlockCell is gives dynamic_rnn's outputs and final c, and zeros past seq_len_max."""
    legacy = run_tf_cached(SEQUENCE, cell, "graph", DTYPE)
    arguments = _lstm_arguments(cell, legacy.values())
    initial = legacy.outputs["initial"]
    x = inputs(DTYPE).transpose(1, 0, 2)
    call = f"BlockLSTM(w=kernel, b=bias, forget_bias={arguments['forget_bias']}) vs dynamic_rnn({cell}) in {mode} mode"
    fused = _raw(
        mode, lambda: tf.raw_ops.BlockLSTM(seq_len_max=np.int64(TIME_STEPS), x=x, cs_prev=initial.c, h_prev=initial.h, **arguments)
    )
    assert_close(fused.h.transpose(1, 0, 2), legacy.outputs["outputs"], what="BlockLSTM h vs dynamic_rnn outputs", call=call, dtype=DTYPE)
    assert_close(fused.cs[-1], legacy.outputs["state"].c, what="BlockLSTM last cs vs dynamic_rnn final c", call=call, dtype=DTYPE)
    outputs, _ = _reference_sequence(cell, legacy.values(), initial)
    assert_close(fused.h.transpose(1, 0, 2), outputs, what="BlockLSTM h vs NumPy reference", call=call, dtype=DTYPE)
    observe_max_abs_error("max_abs_error", fused.h.transpose(1, 0, 2), outputs, dtype=DTYPE)
    short = _raw(mode, lambda: tf.raw_ops.BlockLSTM(seq_len_max=np.int64(1), x=x, cs_prev=initial.c, h_prev=initial.h, **arguments))
    observe("h_past_seq_len_max", sorted(set(short.h[1:].ravel().tolist())))
    assert_equal(sorted(set(short.h[1:].ravel().tolist())), [0.0], what="BlockLSTM h past seq_len_max=1", call=call)


def _v2_arguments(cell: CellSpec, values: dict[str, np.ndarray]) -> dict[str, Any]:
    blocks = blocks_of(values)
    forget_bias = float(cell.option.get("forget_bias", 1.0))
    return {
        "w": np.concatenate([blocks.stack("input", "ifjo"), blocks.stack("recurrent", "ifjo")], axis=0),
        "b": np.concatenate([blocks.i.bias, blocks.f.bias + np.float32(forget_bias), blocks.j.bias, blocks.o.bias]),
    }


@check(covers=("BlockLSTMV2.x", "BlockLSTMV2.cs_prev", "BlockLSTMV2.h_prev", "BlockLSTMV2.w", "BlockLSTMV2.b"), mode=MODES)
def check_block_lstm_v2_wants_ifjo_blocks_and_forget_bias_in_b(mode: str) -> None:
    """tf.raw_ops.BlockLSTMV2 has no forget_bias attribute and wants LSTMCell's column blocks reordered to i, f, j, o with forget_bias folded into b's f block; fed LSTMCell's kernel as is it disagrees."""
    cell = LSTM_SPECS[0]
    legacy = run_tf_cached(SEQUENCE, cell, "graph", DTYPE)
    initial = legacy.outputs["initial"]
    x = inputs(DTYPE).transpose(1, 0, 2)
    zeros = np.zeros(cell.units, DTYPE)
    common = {
        "seq_len_max": np.int64(TIME_STEPS),
        "x": x,
        "cs_prev": initial.c,
        "h_prev": initial.h,
        "wci": zeros,
        "wcf": zeros,
        "wco": zeros,
    }
    call = f"BlockLSTMV2 vs dynamic_rnn({cell}) in {mode} mode"
    fused = _raw(mode, lambda: tf.raw_ops.BlockLSTMV2(**common, **_v2_arguments(cell, legacy.values())))
    assert_close(
        fused.h.transpose(1, 0, 2),
        legacy.outputs["outputs"],
        what="BlockLSTMV2 h (i,f,j,o blocks, forget_bias in b) vs dynamic_rnn",
        call=call,
        dtype=DTYPE,
    )
    kernel, bias = join_lstm_kernel(blocks_of(legacy.values()))
    as_is = _raw(mode, lambda: tf.raw_ops.BlockLSTMV2(**common, w=kernel, b=bias))
    assert_not_close(
        as_is.h.transpose(1, 0, 2), legacy.outputs["outputs"], what="BlockLSTMV2 h fed LSTMCell's kernel and bias unchanged", call=call
    )
    observe("block_order", "i,f,j,o (IFCO in TF's op docs, where LSTMBlockCell is ICFO = i,j,f,o); forget_bias folded into b")


@check(
    covers=("GRUBlockCell.x", "GRUBlockCell.h_prev", "GRUBlockCell.w_ru", "GRUBlockCell.w_c", "GRUBlockCell.b_ru", "GRUBlockCell.b_c"),
    mode=MODES,
)
def check_gru_block_cell_takes_grucell_variables_unchanged(mode: str) -> None:
    """tf.raw_ops.GRUBlockCell fed GRUCell's gates/kernel, candidate/kernel, gates/bias, candidate/bias as w_ru, w_c, b_ru, b_c gives GRUCell's new h."""
    cell = gru(3)
    legacy = run_tf_cached(STEP, cell, "graph", DTYPE)
    short = _short(legacy.values())
    x, h_prev = inputs(DTYPE)[:, 0], legacy.outputs["initial"]
    call = f"GRUBlockCell(w_ru=gates/kernel, w_c=candidate/kernel, b_ru=gates/bias, b_c=candidate/bias) vs {cell} in {mode} mode"
    fused = _raw(
        mode,
        lambda: tf.raw_ops.GRUBlockCell(
            x=x,
            h_prev=h_prev,
            w_ru=short["gates/kernel"],
            w_c=short["candidate/kernel"],
            b_ru=short["gates/bias"],
            b_c=short["candidate/bias"],
        ),
    )
    assert_close(fused.h, legacy.outputs["state"], what="GRUBlockCell h vs GRUCell h", call=call, dtype=DTYPE)
    reference_output, _ = reference_cell(cell, legacy.values())(x, h_prev)
    assert_close(fused.h, reference_output, what="GRUBlockCell h vs NumPy reference", call=call, dtype=DTYPE)
    units = cell.units
    gates = 1 / (1 + np.exp(-(np.concatenate([x, h_prev], 1) @ short["gates/kernel"] + short["gates/bias"])))
    assert_close(fused.r, gates[:, :units], what="GRUBlockCell r vs the first gates block", call=call, dtype=DTYPE)
    assert_close(fused.u, gates[:, units:], what="GRUBlockCell u vs the second gates block", call=call, dtype=DTYPE)
    observe("argument_mapping", "w_ru=gates/kernel (r then u), w_c=candidate/kernel, b_ru=gates/bias, b_c=candidate/bias")
    observe_max_abs_error("max_abs_error", fused.h, reference_output, dtype=DTYPE)


def _float64_call(op: str) -> Any:
    x, h, z = np.zeros((1, 2)), np.zeros((1, 1)), np.zeros(1)
    if op == "LSTMBlockCell":
        return lambda: tf.raw_ops.LSTMBlockCell(x=x, cs_prev=h, h_prev=h, w=np.zeros((3, 4)), wci=z, wcf=z, wco=z, b=np.zeros(4))
    if op == "BlockLSTM":
        return lambda: tf.raw_ops.BlockLSTM(
            seq_len_max=np.int64(1), x=x[None], cs_prev=h, h_prev=h, w=np.zeros((3, 4)), wci=z, wcf=z, wco=z, b=np.zeros(4)
        )
    return lambda: tf.raw_ops.GRUBlockCell(x=x, h_prev=h, w_ru=np.zeros((3, 2)), w_c=np.zeros((3, 1)), b_ru=np.zeros(2), b_c=z)


@check(covers=("LSTMBlockCell.T", "BlockLSTM.T", "GRUBlockCell.T"), op=("LSTMBlockCell", "BlockLSTM", "GRUBlockCell"))
def check_fused_ops_refuse_float64(op: str) -> None:
    """The fused RNN raw ops have no float64 kernel: called with float64 they raise an error saying double is not an allowed value of attr T."""
    call = f"tf.raw_ops.{op}(float64 arguments) in eager mode"
    try:
        _float64_call(op)()
    except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError, TypeError) as error:
        text = str(error)
        observe_raised("error", type(error).__name__, text, ["double", "'T'"])
        assert_true(
            "double" in text and "'T'" in text,
            what="error text",
            observed=text.splitlines()[0][:200],
            expected="mentions attr 'T' and double",
            call=call,
        )
    else:
        assert_true(False, what="float64 call", observed="no error", expected="an error refusing double", call=call)


__all__ = [name for name in dir() if name.startswith("check_")]


# {"Op.attribute": (op-def default, another value)}; the inputs make each attribute matter (|c| > 3 for the clip).
ATTRIBUTE_DEFAULTS: dict[str, tuple[float, float]] = {
    "LSTMBlockCell.forget_bias": (1.0, 0.7),
    "LSTMBlockCell.cell_clip": (3.0, -1.0),
    "BlockLSTM.forget_bias": (1.0, 0.7),
    "BlockLSTM.cell_clip": (3.0, -1.0),
    "BlockLSTMV2.cell_clip": (0.0, 0.3),
}


def _attribute_call(name: str, legacy: Any, cell: CellSpec) -> Callable[..., Any]:
    """``call(**attribute)`` running the op of ``name`` on ``legacy``'s weights with c_prev = 5, the attribute alone varying."""
    op = name.split(".")[0]
    x = inputs(DTYPE)
    c_prev, h_prev = np.full((x.shape[0], cell.units), 5.0, DTYPE), legacy.outputs["initial"].h
    if op == "BlockLSTMV2":
        weights = {**_v2_arguments(cell, legacy.values()), **{k: np.zeros(cell.units, DTYPE) for k in ("wci", "wcf", "wco")}}
    else:
        arguments = _lstm_arguments(cell, legacy.values())
        weights = {k: arguments[k] for k in ("w", "b", "wci", "wcf", "wco")}
        # forget_bias=5 keeps c near its previous 5 so the default clip at 3 bites (the forget_bias case varies it itself).
        weights.update({} if name.endswith("forget_bias") else {"forget_bias": 5.0})
    if op == "LSTMBlockCell":
        return lambda **attribute: tf.raw_ops.LSTMBlockCell(x=x[:, 0], cs_prev=c_prev, h_prev=h_prev, **weights, **attribute)
    method = getattr(tf.raw_ops, op)
    return lambda **attribute: method(
        seq_len_max=np.int64(TIME_STEPS), x=x.transpose(1, 0, 2), cs_prev=c_prev, h_prev=h_prev, **weights, **attribute
    )


@check(
    covers=(
        "LSTMBlockCell.forget_bias",
        "LSTMBlockCell.cell_clip",
        "BlockLSTM.forget_bias",
        "BlockLSTM.cell_clip",
        "BlockLSTMV2.cell_clip",
    ),
    attribute=tuple(ATTRIBUTE_DEFAULTS),
    mode=MODES,
)
def check_fused_lstm_attribute_defaults(attribute: str, mode: str) -> None:
    """A fused LSTM op called without an attribute computes exactly what passing its op-def default does (LSTMBlockCell and BlockLSTM forget_bias=1.0 and cell_clip=3.0, BlockLSTMV2 cell_clip=0.0, no clip), and another value changes the result."""
    cell = LSTM_SPECS[0]
    legacy = run_tf_cached(SEQUENCE, cell, "graph", DTYPE)
    op_call = _attribute_call(attribute, legacy, cell)
    key = attribute.split(".")[1]
    default, other = ATTRIBUTE_DEFAULTS[attribute]
    omitted, explicit, changed = (_raw(mode, lambda a=a: op_call(**a)) for a in ({}, {key: default}, {key: other}))
    call = f"tf.raw_ops.{attribute.split('.')[0]}(LSTMCell's weights, cs_prev=5) without {key}, with {key}={default} and {key}={other} in {mode} mode"
    observe("max_abs_cs", {"omitted": float(np.max(np.abs(omitted.cs))), f"{key}={other}": float(np.max(np.abs(changed.cs)))})
    for part in ("cs", "h"):
        got, want = getattr(omitted, part), getattr(explicit, part)
        assert_true(np.array_equal(got, want), what=f"{part} without {key} vs {key}={default}", observed=got, expected=want, call=call)
        assert_not_close(getattr(changed, part), want, what=f"{part} with {key}={other} vs {key}={default}", call=call)


@check(
    covers=(
        "BlockLSTMV2.use_peephole",
        "BlockLSTMV2.wci",
        "BlockLSTMV2.wcf",
        "BlockLSTMV2.wco",
        "BlockLSTMV2.seq_len_max",
        "BlockLSTMV2.T",
    ),
    mode=MODES,
)
def check_block_lstm_v2_peepholes_seq_len_max_and_dtypes(mode: str) -> None:
    """tf.raw_ops.BlockLSTMV2 with use_peephole=True and wci/wcf/wco = LSTMCell's w_i/f/o_diag gives LSTMCell(use_peepholes=True)'s outputs, ignores the diagonals with the default use_peephole=False, writes zeros past seq_len_max, and refuses float64 (attr T: half or float)."""
    cell = LSTM_SPECS[1]
    legacy = run_tf_cached(SEQUENCE, cell, "graph", DTYPE)
    short, initial = _short(legacy.values()), legacy.outputs["initial"]
    common = {"x": inputs(DTYPE).transpose(1, 0, 2), "cs_prev": initial.c, "h_prev": initial.h, **_v2_arguments(cell, legacy.values())}
    diagonals = {"wci": short["w_i_diag"], "wcf": short["w_f_diag"], "wco": short["w_o_diag"]}
    clip = float(cell.option["cell_clip"])

    def v2(steps: int, **options: Any) -> Any:
        return _raw(mode, lambda: tf.raw_ops.BlockLSTMV2(seq_len_max=np.int64(steps), cell_clip=clip, **common, **options))

    call = f"BlockLSTMV2(i,f,j,o blocks, wci/wcf/wco = w_i/f/o_diag, cell_clip={clip}) vs dynamic_rnn({cell}) in {mode} mode"
    peephole = v2(TIME_STEPS, use_peephole=True, **diagonals)
    outputs = legacy.outputs["outputs"]
    assert_close(peephole.h.transpose(1, 0, 2), outputs, what="BlockLSTMV2 h with use_peephole=True vs dynamic_rnn", call=call, dtype=DTYPE)
    observe_max_abs_error("max_abs_error", peephole.h.transpose(1, 0, 2), outputs, dtype=DTYPE)
    zeros = {name: np.zeros_like(value) for name, value in diagonals.items()}
    ignored, without = v2(TIME_STEPS, **diagonals), v2(TIME_STEPS, **zeros)
    assert_true(
        np.array_equal(ignored.h, without.h),
        what="h with the diagonals and the default use_peephole=False vs with zero diagonals",
        observed=ignored.h,
        expected=without.h,
        call=call,
    )
    assert_not_close(ignored.h.transpose(1, 0, 2), outputs, what="h without use_peephole vs the peephole LSTM", call=call)
    short_run = v2(1, use_peephole=True, **diagonals)
    observe("h_past_seq_len_max", sorted(set(short_run.h[1:].ravel().tolist())))
    assert_equal(sorted(set(short_run.h[1:].ravel().tolist())), [0.0], what="h past seq_len_max=1", call=call)
    assert_close(short_run.h[0], peephole.h[0], what="h at step 0 with seq_len_max=1", call=call, dtype=DTYPE)
    as_float64 = {name: np.asarray(value, np.float64) for name, value in {**common, **zeros}.items()}
    try:
        tf.raw_ops.BlockLSTMV2(seq_len_max=np.int64(1), **as_float64)
        raised = ("no error", "")
    except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError, TypeError) as error:
        raised = (type(error).__name__, str(error))
    observe_raised("float64_error", raised[0], raised[1], ["double", "'T'"])
    assert_true(
        "double" in raised[1] and "'T'" in raised[1],
        what="BlockLSTMV2 called with float64",
        observed=raised[1].splitlines()[0][:200] if raised[1] else raised[0],
        expected="an error saying double is not an allowed value of attr 'T'",
        call="tf.raw_ops.BlockLSTMV2(float64 arguments) in eager mode",
    )

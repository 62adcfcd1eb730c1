"""Read and write the variables of one TF1 cell by short name, with argument-naming validation (NumPy only).

A TF1 cell's variables are passed as ``{short name: array}`` (the names after the cell's own scope):

- ``BasicRNNCell``: ``kernel (input_size + units, units)``, ``bias (units,)``;
- ``GRUCell``: ``gates/kernel``, ``gates/bias``, ``candidate/kernel``, ``candidate/bias``;
- ``LSTMCell`` / ``BasicLSTMCell``: ``kernel``, ``bias`` and, when the cell has them, ``w_i_diag``,
  ``w_f_diag``, ``w_o_diag`` (peepholes) and ``projection/kernel (units, num_proj)``.

Cell options are not stored in checkpoints: ``forget_bias`` (added to the ``f`` block at run time),
``activation``, ``cell_clip`` and ``proj_clip`` must be supplied by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tf_rnn_checks.references.layout import (
    GateWeights,
    GRUBlocks,
    LSTMBlocks,
    join_gru_kernels,
    join_lstm_kernel,
    split_gru_kernels,
    split_lstm_kernel,
)

PEEPHOLE_NAMES = {"i": "w_i_diag", "f": "w_f_diag", "o": "w_o_diag"}


@dataclass(frozen=True)
class LSTMWeights:
    """A TF1 LSTM's weights: gate blocks ``i, j, f, o``, optional peephole diagonals ``{i, f, o}`` and projection."""

    blocks: LSTMBlocks
    peepholes: Mapping[str, np.ndarray] | None = None
    projection: np.ndarray | None = None

    @property
    def num_units(self) -> int:
        return self.blocks.num_units


@dataclass(frozen=True)
class RNNWeights:
    """A TF1 BasicRNNCell's weights as one block: ``input (in, units)``, ``recurrent (units, units)``, ``bias (units,)``."""

    block: GateWeights

    @property
    def num_units(self) -> int:
        return int(self.block.bias.shape[0])


def _mapping(variables: object, argument: str) -> Mapping[str, object]:
    if not isinstance(variables, Mapping):
        raise TypeError(f"{argument}: expected a mapping {{short name: array}}, got {type(variables).__name__}")
    return variables


def _get(variables: Mapping[str, object], name: str, argument: str, cell: str, expected: str) -> np.ndarray:
    if name not in variables:
        raise ValueError(f"{argument}: a TF1 {cell} needs {name!r} of shape {expected}, got names {sorted(variables)}")
    array = np.asarray(variables[name])
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(f"{argument}[{name!r}]: expected a floating array of shape {expected}, got dtype {array.dtype}")
    return array


def _units(bias: np.ndarray, blocks: int, argument: str) -> int:
    if bias.ndim != 1 or bias.shape[0] == 0 or bias.shape[0] % blocks:
        expected = "(units,)" if blocks == 1 else f"({blocks} * units,)"
        raise ValueError(f"{argument}: expected shape {expected}, got {bias.shape}")
    return bias.shape[0] // blocks


def _rename(error: ValueError, argument: str, names: Mapping[str, str]) -> ValueError:
    """Re-word a layout error so it names the caller's argument and TF's variable name."""
    text = str(error)
    for layout_name, tf_name in names.items():
        if text.startswith(layout_name + ":"):
            return ValueError(f"{argument}[{tf_name!r}]" + text[len(layout_name) :])
    return ValueError(f"{argument}: {text}")


def read_lstm(variables: Mapping[str, object], argument: str = "variables") -> LSTMWeights:
    """The :class:`LSTMWeights` of TF1 ``{kernel, bias[, w_*_diag][, projection/kernel]}``."""
    variables = _mapping(variables, argument)
    bias = _get(variables, "bias", argument, "LSTMCell", "(4 * units,)")
    units = _units(bias, 4, f"{argument}['bias']")
    kernel = _get(variables, "kernel", argument, "LSTMCell", f"(input_size + {units}, {4 * units})")
    projection = None
    if "projection/kernel" in variables:
        projection = _get(variables, "projection/kernel", argument, "LSTMCell", f"({units}, num_proj)")
        if projection.ndim != 2 or projection.shape[0] != units or projection.shape[1] < 1 or projection.dtype != bias.dtype:
            raise ValueError(
                f"{argument}['projection/kernel']: expected shape ({units}, num_proj) and dtype {bias.dtype}, got {projection.shape} {projection.dtype}"
            )
    try:
        blocks = split_lstm_kernel(kernel, bias, units, num_proj=None if projection is None else projection.shape[1])
    except ValueError as error:
        raise _rename(error, argument, {"kernel": "kernel", "bias": "bias"}) from None
    present = [name for name in PEEPHOLE_NAMES.values() if name in variables]
    peepholes = None
    if present:
        if len(present) != 3:
            missing = sorted(set(PEEPHOLE_NAMES.values()) - set(present))
            raise ValueError(f"{argument}: peepholes need w_i_diag, w_f_diag and w_o_diag of shape ({units},), missing {missing}")
        peepholes = {}
        for gate, name in PEEPHOLE_NAMES.items():
            value = _get(variables, name, argument, "LSTMCell", f"({units},)")
            if value.shape != (units,) or value.dtype != bias.dtype:
                raise ValueError(f"{argument}[{name!r}]: expected shape ({units},) and dtype {bias.dtype}, got {value.shape} {value.dtype}")
            peepholes[gate] = value.copy()
    return LSTMWeights(blocks, peepholes, None if projection is None else projection.copy())


def write_lstm(weights: LSTMWeights) -> dict[str, np.ndarray]:
    """TF1 ``{kernel, bias[, w_*_diag][, projection/kernel]}`` for ``weights`` (inverse of :func:`read_lstm`)."""
    kernel, bias = join_lstm_kernel(weights.blocks)
    out = {"kernel": kernel, "bias": bias}
    if weights.peepholes is not None:
        out.update({name: np.array(weights.peepholes[gate]) for gate, name in PEEPHOLE_NAMES.items()})
    if weights.projection is not None:
        out["projection/kernel"] = np.array(weights.projection)
    return out


def read_gru(variables: Mapping[str, object], argument: str = "variables") -> GRUBlocks:
    """The :class:`GRUBlocks` (``r``, ``u``, ``candidate``) of TF1 ``{gates/kernel, gates/bias, candidate/kernel, candidate/bias}``."""
    variables = _mapping(variables, argument)
    candidate_bias = _get(variables, "candidate/bias", argument, "GRUCell", "(units,)")
    units = _units(candidate_bias, 1, f"{argument}['candidate/bias']")
    shapes = {
        "gates/kernel": f"(input_size + {units}, {2 * units})",
        "gates/bias": f"({2 * units},)",
        "candidate/kernel": f"(input_size + {units}, {units})",
    }
    arrays = {name: _get(variables, name, argument, "GRUCell", shape) for name, shape in shapes.items()}
    try:
        return split_gru_kernels(arrays["gates/kernel"], arrays["gates/bias"], arrays["candidate/kernel"], candidate_bias, units)
    except ValueError as error:
        names = {
            "gates_kernel": "gates/kernel",
            "gates_bias": "gates/bias",
            "candidate_kernel": "candidate/kernel",
            "candidate_bias": "candidate/bias",
        }
        raise _rename(error, argument, names) from None


def write_gru(blocks: GRUBlocks) -> dict[str, np.ndarray]:
    """TF1 ``{gates/kernel, gates/bias, candidate/kernel, candidate/bias}`` (inverse of :func:`read_gru`)."""
    return join_gru_kernels(blocks)


def read_basic_rnn(variables: Mapping[str, object], argument: str = "variables") -> RNNWeights:
    """The :class:`RNNWeights` of TF1 BasicRNNCell ``{kernel (input_size + units, units), bias (units,)}``."""
    variables = _mapping(variables, argument)
    bias = _get(variables, "bias", argument, "BasicRNNCell", "(units,)")
    units = _units(bias, 1, f"{argument}['bias']")
    kernel = _get(variables, "kernel", argument, "BasicRNNCell", f"(input_size + {units}, {units})")
    if kernel.ndim != 2 or kernel.shape[1] != units or kernel.shape[0] <= units:
        raise ValueError(f"{argument}['kernel']: expected shape (input_size + {units}, {units}), got {kernel.shape}")
    if kernel.dtype != bias.dtype:
        raise ValueError(f"{argument}['bias']: expected dtype {kernel.dtype} (the kernel's), got {bias.dtype}")
    rows = kernel.shape[0] - units
    return RNNWeights(GateWeights(kernel[:rows].copy(), kernel[rows:].copy(), bias.copy()))


def write_basic_rnn(weights: RNNWeights) -> dict[str, np.ndarray]:
    """TF1 ``{kernel, bias}`` (inverse of :func:`read_basic_rnn`)."""
    return {"kernel": np.array(weights.block.kernel), "bias": np.array(weights.block.bias)}


def check_forget_bias(forget_bias: object) -> float:
    """``forget_bias`` as a float; a ``TypeError``/``ValueError`` naming it otherwise."""
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, (int, float, np.integer, np.floating)):
        raise TypeError(f"forget_bias: expected a real number (TF1's default is 1.0), got {forget_bias!r}")
    if not math.isfinite(float(forget_bias)):
        raise ValueError(f"forget_bias: expected a finite number, got {forget_bias!r}")
    return float(forget_bias)


def add_forget_bias(bias: np.ndarray, forget_bias: float) -> np.ndarray:
    """``bias + forget_bias`` in ``bias``'s dtype: TF1 adds ``forget_bias`` to the ``f`` pre-activation at run time.

    Exact whenever the sum is representable in the dtype (always for ``forget_bias=0``); otherwise the
    float rounding of the sum, the same value a runtime holding one folded bias uses.
    """
    return bias + np.asarray(forget_bias, dtype=bias.dtype)


def refuse_options(target: str, **options: object) -> None:
    """``ValueError`` naming the first TF1 option (e.g. ``cell_clip``) that is set but ``target`` cannot express."""
    reasons = {
        "cell_clip": "TF1 clips the new cell state c; {target} has no such clip (ONNX's `clip` clips gate inputs, a different function)",
        "proj_clip": "TF1 clips the projected output; {target} has no such clip",
    }
    for name, value in options.items():
        if value is not None:
            raise ValueError(f"{name}={value!r}: not representable in {target}: " + reasons[name].format(target=target))


__all__ = [
    "LSTMWeights",
    "PEEPHOLE_NAMES",
    "RNNWeights",
    "add_forget_bias",
    "check_forget_bias",
    "read_basic_rnn",
    "read_gru",
    "read_lstm",
    "refuse_options",
    "write_basic_rnn",
    "write_gru",
    "write_lstm",
]

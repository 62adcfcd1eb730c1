"""Stack named gate blocks in a target's gate order and back, and validate a target's arrays (NumPy only).

Internally every layout is handled in the Keras orientation: ``input (input_size, gates * units)``,
``recurrent (recurrent_size, gates * units)``, ``bias (gates * units,)``; PyTorch and ONNX store the
transposes (gates along rows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tf_rnn_checks.references.layout import GateWeights


def stack(gates: Mapping[str, GateWeights], order: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(input, recurrent, bias)`` with the gates' column blocks concatenated in ``order``."""
    return tuple(
        np.ascontiguousarray(np.concatenate([getattr(gates[name], part) for name in order], axis=-1))
        for part in ("input", "recurrent", "bias")
    )  # type: ignore[return-value]


def unstack(input: np.ndarray, recurrent: np.ndarray, bias: np.ndarray, order: Sequence[str]) -> dict[str, GateWeights]:
    """``{gate: GateWeights}`` from arrays whose column blocks are the gates in ``order`` (inverse of :func:`stack`)."""
    units = bias.shape[-1] // len(order)
    out = {}
    for k, name in enumerate(order):
        cols = slice(k * units, (k + 1) * units)
        out[name] = GateWeights(input[:, cols].copy(), recurrent[:, cols].copy(), bias[..., cols].copy())
    return out


def array(value: object, argument: str, expected: tuple[int | None, ...], dtype: np.dtype | None = None) -> np.ndarray:
    """``value`` as a floating array of shape ``expected`` (``None`` = any positive size), else a ``ValueError`` naming ``argument``."""
    if value is None:
        raise ValueError(f"{argument}: expected an array of shape {_shape_text(expected)}, got None")
    result = np.asarray(value)
    shape_ok = result.ndim == len(expected) and all(e is None and s > 0 or s == e for s, e in zip(result.shape, expected, strict=True))
    if not shape_ok:
        raise ValueError(f"{argument}: expected shape {_shape_text(expected)}, got {result.shape}")
    if not np.issubdtype(result.dtype, np.floating):
        raise ValueError(f"{argument}: expected a floating dtype, got {result.dtype}")
    if dtype is not None and result.dtype != dtype:
        raise ValueError(f"{argument}: expected dtype {dtype} (like the other weights), got {result.dtype}")
    return result


def _shape_text(expected: tuple[int | None, ...]) -> str:
    inner = ", ".join("n" if e is None else str(e) for e in expected)
    return f"({inner},)" if len(expected) == 1 else f"({inner})"


def weight_list(weights: object, argument: str, lengths: tuple[int, ...], names: str) -> list[object]:
    """``weights`` as a list of ``lengths`` items (``get_weights()`` style), else a ``TypeError``/``ValueError`` naming it."""
    if isinstance(weights, (str, bytes, Mapping)) or not isinstance(weights, Sequence):
        raise TypeError(f"{argument}: expected a list {names} (as get_weights() returns), got {type(weights).__name__}")
    if len(weights) not in lengths:
        raise ValueError(f"{argument}: expected {' or '.join(map(str, lengths))} arrays {names}, got {len(weights)}")
    return list(weights)


def require_diagonal(recurrent: np.ndarray, target: str, option: str, exact_instead: str = "") -> None:
    """``ValueError`` unless the GRU candidate's recurrent block is diagonal (the only case a reset-after GRU is exact).

    ``exact_instead``, when given, ends the message with the way forward: the targets that hold a TF1 GRU exactly.
    """
    off = recurrent - np.diag(np.diag(recurrent))
    if np.any(off != 0):
        raise ValueError(
            f"{option}: not representable in {target}: TF1 GRUCell resets before the candidate's recurrent matmul, "
            f"(r * h) @ U, while {target} resets after it, r * (h @ U); the two agree for every input only when U "
            f"(the recurrent rows of candidate/kernel) is diagonal, but its largest off-diagonal entry is {float(np.max(np.abs(off))):.3g}"
            + (f"; {exact_instead}" if exact_instead else "")
        )


__all__ = ["array", "require_diagonal", "stack", "unstack", "weight_list"]

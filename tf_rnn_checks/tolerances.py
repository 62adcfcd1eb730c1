"""One tolerance per dtype for comparing TF against the NumPy references, and the reasoned overrides."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float


# float32: TF's matmuls (oneDNN) sum in a different order than NumPy; a few time steps of tanh/sigmoid
# keep the difference near 1e-6. float64 differences are rounding only. float16 accumulates in float32
# on CPU but rounds every stored intermediate to 11 significant bits.
DEFAULT_TOLERANCES: dict[str, Tolerance] = {
    "float16": Tolerance(rtol=1e-2, atol=1e-2),
    "float32": Tolerance(rtol=1e-5, atol=1e-5),
    "float64": Tolerance(rtol=1e-10, atol=1e-10),
}

# Per-check overrides: {(check name, dtype): (Tolerance, why)}. Keep each with its reason.
OVERRIDES: dict[tuple[str, str], tuple[Tolerance, str]] = {}


def tolerance_for(dtype: object, check: str | None = None) -> Tolerance:
    """The tolerance for ``dtype`` (a NumPy/TF dtype or its name), with ``check``'s override if any."""
    if dtype is None:
        raise TypeError("dtype: expected a NumPy/TF dtype or its name, got None")
    try:
        name = np.dtype(getattr(dtype, "as_numpy_dtype", dtype)).name
    except Exception:  # np.dtype raises TypeError, ValueError, even SyntaxError for odd strings
        raise TypeError(f"dtype: expected a NumPy/TF dtype or its name, got {dtype!r}") from None
    if check is not None and not isinstance(check, str):
        raise TypeError(f"check: expected a check name str or None, got {check!r}")
    if check is not None and (check, name) in OVERRIDES:
        return OVERRIDES[(check, name)][0]
    if name not in DEFAULT_TOLERANCES:
        raise ValueError(f"dtype: expected one of {sorted(DEFAULT_TOLERANCES)}, got {name!r}")
    return DEFAULT_TOLERANCES[name]

"""The naming facts of TF1's legacy cells, in one place, and the variables they create as a plain table: ``{path below the driver's scope: shape}``.

Paths follow TF 2.x's ``tf.compat.v1.nn.rnn_cell`` (names ``kernel``/``bias``): a cell's variables live in
a scope named after its class in snake case (``lstm_cell``), a ``MultiRNNCell`` puts layer ``N`` in
``multi_rnn_cell/cell_N``, and the drivers prefix ``rnn/`` (or ``bidirectional_rnn/fw/``, ``.../bw/``).
Kernels take the concatenation ``[inputs, h]`` (``h`` is the projected output ``num_proj`` when an
LSTMCell projects), so layer ``N > 0`` sees the previous layer's output size as its input size.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence

from tf_rnn_checks.cells import CellSpec

CELL_SCOPES = {
    "BasicRNNCell": "basic_rnn_cell",
    "GRUCell": "gru_cell",
    "LSTMCell": "lstm_cell",
    "BasicLSTMCell": "basic_lstm_cell",
}
KIND_OF_SCOPE = {scope: kind for kind, scope in CELL_SCOPES.items()}
# A cell's scope as Keras may uniquify it (``lstm_cell_1``); group 1 is the class's scope.
CELL_SCOPE_PATTERN = re.compile(rf"^({'|'.join(CELL_SCOPES.values())})(_\d+)?$")
STACK_SCOPE = "multi_rnn_cell"
LAYER_PATTERN = re.compile(r"^cell_(\d+)$")  # layer N of a MultiRNNCell
DIRECTIONS = ("fw", "bw")  # the bidirectional drivers' direction scopes
DRIVER_SCOPES = {
    "dynamic_rnn": "rnn",
    "static_rnn": "rnn",
    "bidirectional_dynamic_rnn": "bidirectional_rnn",
    "static_bidirectional_rnn": "bidirectional_rnn",
    "cell_call": "",
}
PEEPHOLES = frozenset({"w_i_diag", "w_f_diag", "w_o_diag"})
# The short names each cell scope must hold, and those it may hold.
REQUIRED_VARIABLES: dict[str, frozenset[str]] = {
    "basic_rnn_cell": frozenset({"kernel", "bias"}),
    "basic_lstm_cell": frozenset({"kernel", "bias"}),
    "gru_cell": frozenset({"gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"}),
    "lstm_cell": frozenset({"kernel", "bias"}),
}
ALLOWED_VARIABLES: dict[str, frozenset[str]] = {
    **REQUIRED_VARIABLES,
    "lstm_cell": REQUIRED_VARIABLES["lstm_cell"] | PEEPHOLES | {"projection/kernel"},
}


def _driver_prefixes(scope: str, bidirectional: bool) -> tuple[str, ...]:
    if not scope:
        return ("",)
    return tuple(f"{scope}/{direction}/" for direction in DIRECTIONS) if bidirectional else (f"{scope}/",)


_DRIVER_PREFIXES = {driver: _driver_prefixes(scope, "bidirectional" in driver) for driver, scope in DRIVER_SCOPES.items()}


def _single(spec: CellSpec, input_size: int) -> dict[str, tuple[int, ...]]:
    h = spec.units
    scope = CELL_SCOPES[spec.kind]
    if spec.kind == "BasicRNNCell":
        return {f"{scope}/kernel": (input_size + h, h), f"{scope}/bias": (h,)}
    if spec.kind == "GRUCell":
        return {
            f"{scope}/gates/kernel": (input_size + h, 2 * h),
            f"{scope}/gates/bias": (2 * h,),
            f"{scope}/candidate/kernel": (input_size + h, h),
            f"{scope}/candidate/bias": (h,),
        }
    recurrent = spec.output_units
    table = {f"{scope}/kernel": (input_size + recurrent, 4 * h), f"{scope}/bias": (4 * h,)}
    if spec.option.get("use_peepholes"):
        table.update({f"{scope}/w_f_diag": (h,), f"{scope}/w_i_diag": (h,), f"{scope}/w_o_diag": (h,)})
    if spec.option.get("num_proj"):
        table[f"{scope}/projection/kernel"] = (h, recurrent)
    return table


def expected_variables(spec: CellSpec, input_size: int) -> dict[str, tuple[int, ...]]:
    """``{path: shape}`` of the variables ``spec`` creates on inputs of ``input_size`` features, below the driver's scope."""
    if not isinstance(spec, CellSpec):
        raise TypeError(f"spec: expected a CellSpec, got {type(spec).__name__}")
    if not isinstance(input_size, int) or input_size < 1:
        raise ValueError(f"input_size: expected a positive int, got {input_size!r}")
    if spec.kind != "MultiRNNCell":
        if spec.kind not in CELL_SCOPES:
            raise ValueError(f"spec: expected a legacy cell kind {tuple(CELL_SCOPES)} or MultiRNNCell, got {spec.kind!r}")
        return _single(spec, input_size)
    table: dict[str, tuple[int, ...]] = {}
    for index, layer in enumerate(spec.layers):
        table.update({f"multi_rnn_cell/cell_{index}/{path}": shape for path, shape in expected_variables(layer, input_size).items()})
        input_size = layer.output_units
    return table


def driver_prefixes(driver: str, scope: str | None = None) -> tuple[str, ...]:
    """The scope prefixes ``driver`` puts before a cell's paths (two for bidirectional drivers), with ``scope=`` replacing the default."""
    if driver not in _DRIVER_PREFIXES:
        raise ValueError(f"driver: expected one of {tuple(_DRIVER_PREFIXES)}, got {driver!r}")
    prefixes = _DRIVER_PREFIXES[driver]
    if scope:
        prefixes = tuple(f"{scope}/" + p.split("/", 1)[1] if "/" in p else f"{scope}/" for p in prefixes)
    return prefixes


def expected_inventory(
    spec: CellSpec, input_size: int, driver: str, scope: str | None = None, outer: str = ""
) -> dict[str, tuple[int, ...]]:
    """``{variable name with ':0': shape}`` for ``spec`` run by ``driver`` (inside user scopes ``outer``, e.g. ``'user/'``)."""
    return {
        f"{outer}{prefix}{path}:0": shape
        for prefix in driver_prefixes(driver, scope)
        for path, shape in expected_variables(spec, input_size).items()
    }


def is_bias(path: str) -> bool:
    """Whether a variable path names a bias (its last part contains ``bias``: ``.../bias``, a user's ``ln_bias``), as opposed to a kernel, peephole diagonal or projection."""
    return "bias" in path.rsplit(":", 1)[0].rsplit("/", 1)[-1]


def matches_name_pattern(path: str, patterns: Sequence[str]) -> bool:
    """Whether a glob of ``patterns`` matches the end of ``path`` on a ``/`` boundary: ``ln_*`` and ``cell/ln_gamma`` match ``rnn/cell/ln_gamma``."""
    parts = path.rsplit(":", 1)[0].split("/")
    tails = ["/".join(parts[start:]) for start in range(len(parts))]
    return any(fnmatch.fnmatchcase(tail, pattern) for pattern in patterns for tail in tails)

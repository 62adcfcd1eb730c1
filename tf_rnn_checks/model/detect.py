"""The TF1 recurrent structures in a checkpoint's ``{name: (shape, dtype)}`` map (pure Python, no TensorFlow).

A structure is what one driver call created under one scope: ``dynamic_rnn``/``static_rnn`` (one direction,
``<scope>/<cell>`` or ``<scope>/multi_rnn_cell/cell_<k>/<cell>``) or ``bidirectional_dynamic_rnn``
(``<scope>/fw/...`` and ``<scope>/bw/...``). Old TF 0.x / 1.0 names are read through
:func:`tf_rnn_checks.checkpoint_rename.new_name`, so a structure records both the checkpoint's names and
today's. The cell kind comes from today's default cell scope (``basic_lstm_cell`` is a BasicLSTMCell,
``lstm_cell`` an LSTMCell; the two store the same variables); units, input width, peepholes and
``num_proj`` come from the shapes. Variables in no cell scope (embeddings, dense layers, optimizer slots,
``global_step``) are listed as ``others``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tf_rnn_checks.cells import CellSpec
from tf_rnn_checks.checkpoint_rename import OPTIMIZER_SLOTS, CheckpointRenameError, new_name
from tf_rnn_checks.references.variables import split_path
from tf_rnn_checks.variable_names import (
    ALLOWED_VARIABLES,
    CELL_SCOPE_PATTERN,
    DIRECTIONS,
    KIND_OF_SCOPE,
    LAYER_PATTERN,
    PEEPHOLES,
    REQUIRED_VARIABLES,
    STACK_SCOPE,
    expected_variables,
)

FLOAT_DTYPES = ("float16", "float32", "float64")
SLOT = "an optimizer slot"


class NoStructureError(ValueError):
    """The checkpoint, or the part under ``--scope``, holds no TF1 recurrent structure to inspect or probe; one line starting with its prefix."""


@dataclass(frozen=True)
class Variable:
    """One checkpoint variable: its name in the checkpoint, today's name for it, shape and dtype name."""

    name: str
    today: str
    shape: tuple[int, ...]
    dtype: str


@dataclass(frozen=True)
class Cell:
    """One TF1 cell: kind, its own scope name (``lstm_cell``, ``lstm_cell_1``), sizes, options and variables."""

    kind: str
    scope_name: str
    units: int
    input_size: int
    peepholes: bool = False
    num_proj: int | None = None
    variables: tuple[Variable, ...] = ()

    @property
    def output_size(self) -> int:
        return self.num_proj or self.units

    @property
    def spec(self) -> CellSpec:
        options: list[tuple[str, object]] = []
        if self.peepholes:
            options.append(("use_peepholes", True))
        if self.num_proj:
            options.append(("num_proj", self.num_proj))
        return CellSpec(self.kind, self.units, tuple(options))

    def describe(self) -> str:
        options = ["peepholes"] if self.peepholes else []
        options += [f"num_proj={self.num_proj}"] if self.num_proj else []
        return f"{self.kind}(units={self.units}{''.join(',' + o for o in options)})"


@dataclass(frozen=True)
class Direction:
    """The cells of one direction (``""`` unidirectional, ``fw``, ``bw``): one cell, or a MultiRNNCell's layers."""

    name: str
    stacked: bool
    layers: tuple[Cell, ...]

    @property
    def spec(self) -> CellSpec:
        if not self.stacked:
            return self.layers[0].spec
        return CellSpec("MultiRNNCell", layers=tuple(cell.spec for cell in self.layers))

    def describe(self) -> str:
        cells = ",".join(cell.describe() for cell in self.layers)
        return f"MultiRNNCell({cells})" if self.stacked else cells


@dataclass(frozen=True)
class Structure:
    """What one driver call created under ``scope``: one or two directions of cells, and the problem if the shapes fit no construction."""

    id: str
    scope: str
    directions: tuple[Direction, ...]
    problem: str = ""
    unbuilt: tuple[Variable, ...] = ()

    @property
    def bidirectional(self) -> bool:
        return len(self.directions) == 2

    @property
    def driver(self) -> str:
        if self.bidirectional:
            return "bidirectional_dynamic_rnn"
        return "dynamic_rnn" if self.scope else "cell_call"

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(v for d in self.directions for cell in d.layers for v in cell.variables) + self.unbuilt

    @property
    def dtype(self) -> str:
        dtypes = sorted({v.dtype for v in self.variables})
        return dtypes[0] if len(dtypes) == 1 else "/".join(dtypes)

    @property
    def input_size(self) -> int:
        return self.directions[0].layers[0].input_size

    @property
    def renamed(self) -> dict[str, str]:
        """``{checkpoint name: today's name}`` for the variables saved under an old name."""
        return {v.name: v.today for v in self.variables if v.name != v.today}

    def describe(self) -> str:
        if self.problem:
            return "unrecognised"
        parts = [d.describe() + (f" [{d.name}]" if d.name else "") for d in self.directions]
        return " + ".join(parts)


@dataclass(frozen=True)
class Detection:
    """All structures of a checkpoint, and the variables that belong to no recognised cell (with why)."""

    structures: tuple[Structure, ...]
    others: tuple[tuple[str, str], ...] = field(default=())


def _cell(scope_name: str, variables: Sequence[Variable], where: str) -> tuple[Cell | None, str]:
    """The cell stored under one cell scope, or ``(None, problem)`` when its variables fit no TF1 cell."""
    base = CELL_SCOPE_PATTERN.match(scope_name).group(1)  # type: ignore[union-attr]
    kind = KIND_OF_SCOPE[base]
    shapes = {split_path(v.today)[1]: v.shape for v in variables}
    missing, extra = REQUIRED_VARIABLES[base] - set(shapes), set(shapes) - ALLOWED_VARIABLES[base]
    peepholes = PEEPHOLES & set(shapes)
    if missing or extra or peepholes not in (set(), PEEPHOLES):
        what = [f"missing {sorted(missing | (PEEPHOLES - peepholes if peepholes else set()))}"] if missing or peepholes else []
        what += [f"unexpected {sorted(extra)}"] if extra else []
        return None, f"{where}: not the variables of a {kind} ({'; '.join(what)}; has {sorted(shapes)})"
    bias = shapes["candidate/bias" if kind == "GRUCell" else "bias"]
    kernel = shapes["candidate/kernel" if kind == "GRUCell" else "kernel"]
    projection = shapes.get("projection/kernel", (0, 0))
    blocks = 4 if kind.endswith("LSTMCell") else 1
    bad = f"{where}: shapes {dict(sorted(shapes.items()))} fit no {kind}"
    if len(bias) != 1 or len(kernel) != 2 or len(projection) != 2 or not bias[0] or bias[0] % blocks:
        return None, bad
    units, num_proj = bias[0] // blocks, projection[1] or None
    input_size = kernel[0] - (num_proj or units)
    cell = Cell(kind, scope_name, units, input_size, bool(peepholes), num_proj, tuple(variables))
    if input_size < 1:
        return None, bad
    # The suite's own table of what this cell creates, against what the checkpoint holds.
    expected = {path.split("/", 1)[1]: shape for path, shape in expected_variables(cell.spec, input_size).items()}
    if expected != shapes:
        return None, bad
    return cell, ""


def _parse(scope: str) -> tuple[str, str, int | None, str] | None:
    """``(structure scope, direction, layer or None, cell scope name)`` of a cell's full scope, or None."""
    segments = scope.split("/")
    if not CELL_SCOPE_PATTERN.match(segments[-1]):
        return None
    rest, layer = segments[:-1], None
    if len(rest) >= 2 and rest[-2] == STACK_SCOPE and (match := LAYER_PATTERN.match(rest[-1])):
        layer, rest = int(match.group(1)), rest[:-2]
    direction = rest[-1] if rest and rest[-1] in DIRECTIONS else ""
    if direction:
        rest = rest[:-1]
    return "/".join(rest), direction, layer, segments[-1]


def _today(name: str) -> tuple[str | None, str]:
    try:
        return new_name(name), ""
    except CheckpointRenameError as error:
        return None, str(error)


def _direction(name: str, cells: Mapping[int | None, tuple[Cell | None, str]], where: str) -> tuple[Direction | None, str]:
    problems = [problem for _, problem in cells.values() if problem]
    if problems:
        return None, problems[0]
    if None in cells:
        if len(cells) > 1:
            return None, f"{where}: holds both a single cell and MultiRNNCell layers"
        return Direction(name, False, (cells[None][0],)), ""  # type: ignore[arg-type]
    layers = sorted(cells)
    if layers != list(range(len(layers))):
        return None, f"{where}: MultiRNNCell layers {layers}, expected cell_0 ... cell_{len(layers) - 1}"
    ordered = tuple(cells[k][0] for k in layers)
    for below, above in zip(ordered, ordered[1:], strict=False):
        if above.input_size != below.output_size:  # type: ignore[union-attr]
            return (
                None,
                f"{where}: layer {ordered.index(above)} takes {above.input_size} inputs but the layer below gives {below.output_size}",
            )  # type: ignore[union-attr]
    return Direction(name, True, ordered), ""  # type: ignore[arg-type]


def detect(variables: Mapping[str, tuple[Sequence[int], str]]) -> Detection:
    """The structures in ``{checkpoint name: (shape, dtype name)}``, ordered by scope, and the other variables."""
    if not isinstance(variables, Mapping):
        raise TypeError(f"variables: expected a mapping {{name: (shape, dtype name)}}, got {type(variables).__name__}")
    others: list[tuple[str, str]] = []
    # {(scope, cell scope name of a single unidirectional cell else ""): {direction: {layer: {cell scope name: [Variable]}}}}
    groups: dict[tuple[str, str], dict[str, dict[int | None, dict[str, list[Variable]]]]] = {}
    for name in sorted(variables):
        if not isinstance(name, str) or not name:
            raise TypeError(f"variables: expected variable names (str) as keys, got {name!r}")
        shape, dtype = variables[name]
        today, refusal = _today(name)
        if today is None:
            others.append((name, refusal))
            continue
        try:
            cell_scope, _ = split_path(today)
        except ValueError:
            slot = today.rsplit("/", 1)[-1] in OPTIMIZER_SLOTS
            others.append((name, SLOT if slot else "not in a TF1 cell scope"))
            continue
        parsed = _parse(cell_scope)
        if parsed is None:
            others.append((name, "not in a TF1 cell scope"))
            continue
        scope, direction, layer, cell_name = parsed
        key = (scope, "" if direction or layer is not None else cell_name)
        per_layer = groups.setdefault(key, {}).setdefault(direction, {}).setdefault(layer, {})
        per_layer.setdefault(cell_name, []).append(Variable(name, today, tuple(int(d) for d in shape), str(dtype)))
    structures = [_structure(scope, directions) for (scope, _), directions in groups.items()]
    structures = _with_ids(structures)
    return Detection(tuple(sorted(structures, key=lambda s: s.id)), tuple(others))


def _structure(scope: str, directions: dict[str, dict[int | None, dict[str, list[Variable]]]]) -> Structure:
    if set(directions) in ({"fw"}, {"bw"}):  # a lone fw/bw is a user scope of that name, not a bidirectional driver
        only = next(iter(directions))
        scope, directions = f"{scope}/{only}".strip("/"), {"": directions[only]}
    where = scope or "(root)"
    problem = ""
    built: list[Direction] = []
    if "" in directions and set(directions) != {""}:
        problem = f"{where}: holds both a unidirectional cell and fw/bw directions"
    for name in sorted(directions, key=lambda d: DIRECTIONS.index(d) if d else -1):
        cells: dict[int | None, tuple[Cell | None, str]] = {}
        for layer, by_cell in directions[name].items():
            if len(by_cell) > 1:
                cells[layer] = (None, f"{where}: layer {layer} of {name or 'the stack'} holds several cells {sorted(by_cell)}")
                continue
            cell_name, cell_variables = next(iter(by_cell.items()))
            cells[layer] = _cell(cell_name, cell_variables, f"{where}/{name}".rstrip("/") + ("" if layer is None else f" layer {layer}"))
        direction, why = _direction(name, cells, f"{where} {name}".strip())
        problem = problem or why
        if direction is not None:
            built.append(direction)
    if not problem and len(built) == 2 and built[0].layers[0].input_size != built[1].layers[0].input_size:
        problem = f"{where}: fw takes {built[0].layers[0].input_size} inputs but bw takes {built[1].layers[0].input_size}"
    dtypes = {v.dtype for d in built for cell in d.layers for v in cell.variables}
    if not problem and (len(dtypes) != 1 or not dtypes <= set(FLOAT_DTYPES)):
        problem = f"{where}: dtypes {sorted(dtypes)}, expected one of {FLOAT_DTYPES} for every variable"
    if problem:
        every = tuple(v for by_layer in directions.values() for by_cell in by_layer.values() for vs in by_cell.values() for v in vs)
        return Structure(scope, scope, (), problem, every)
    return Structure(scope, scope, tuple(built))


def _with_ids(structures: list[Structure]) -> list[Structure]:
    """Give each structure its scope as id, adding the cell scope name where two structures share a scope."""
    counts: dict[str, int] = {}
    for structure in structures:
        counts[structure.scope] = counts.get(structure.scope, 0) + 1
    named = []
    for structure in structures:
        identifier = structure.scope or "(root)"
        if counts[structure.scope] > 1 and len(structure.directions) == 1 and not structure.directions[0].stacked:
            identifier = f"{structure.scope}/{structure.directions[0].layers[0].scope_name}".lstrip("/")
        named.append(Structure(identifier, structure.scope, structure.directions, structure.problem, structure.unbuilt))
    return named


__all__ = ["DIRECTIONS", "SLOT", "Cell", "Detection", "Direction", "NoStructureError", "Structure", "Variable", "detect"]

"""Cell configurations as small values with readable ids, e.g. ``LSTMCell(units=3,peepholes)``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

_OPTION_LABELS = {"use_peepholes": "peepholes", "state_is_tuple": "state_is_tuple"}
LEGACY_CELL_KINDS = ("BasicRNNCell", "GRUCell", "LSTMCell", "BasicLSTMCell")


def _label(name: str, value: Any) -> str:
    if value is True:
        return _OPTION_LABELS.get(name, name)
    if value is False:
        return f"{_OPTION_LABELS.get(name, name)}=False"
    if callable(value):
        return f"{name}={getattr(value, '__name__', type(value).__name__)}"
    return f"{name}={value}"


@dataclass(frozen=True)
class CellSpec:
    """A recipe for one ``tf.compat.v1.nn.rnn_cell`` cell (or a stack of them).

    ``kind`` names the class in ``tf.compat.v1.nn.rnn_cell``; ``options`` are its constructor keyword
    arguments besides ``num_units``; a ``MultiRNNCell`` spec holds its ``layers`` instead of units.
    ``str(spec)`` is the id used in test names.
    """

    kind: str
    units: int = 0
    options: tuple[tuple[str, Any], ...] = ()
    layers: tuple[CellSpec, ...] = ()
    factory: Callable[..., Any] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind == "MultiRNNCell":
            if not self.layers:
                raise ValueError("layers: a MultiRNNCell spec needs at least one layer spec")
        elif self.factory is None and self.kind not in LEGACY_CELL_KINDS:
            raise ValueError(f"kind: expected one of {LEGACY_CELL_KINDS + ('MultiRNNCell',)} or a factory, got {self.kind!r}")
        elif self.kind != "MultiRNNCell" and (not isinstance(self.units, int) or self.units < 1):
            raise ValueError(f"units: expected a positive int, got {self.units!r}")

    def __str__(self) -> str:
        if self.kind == "MultiRNNCell":
            return f"MultiRNNCell({','.join(str(layer) for layer in self.layers)})"
        labels = [f"units={self.units}"] + [_label(k, v) for k, v in self.options]
        return f"{self.kind}({','.join(labels)})"

    @property
    def option(self) -> dict[str, Any]:
        return dict(self.options)

    def with_options(self, **options: Any) -> CellSpec:
        """The same cell with extra or replaced constructor options (a new spec)."""
        merged = {**self.option, **options}
        return CellSpec(self.kind, self.units, tuple(merged.items()), self.layers, self.factory)

    @property
    def is_lstm(self) -> bool:
        return self.kind in ("LSTMCell", "BasicLSTMCell")

    @property
    def output_units(self) -> int:
        """The size of the cell's output (the last layer's; ``num_proj`` when projecting)."""
        if self.kind == "MultiRNNCell":
            return self.layers[-1].output_units
        return int(self.option.get("num_proj") or self.units)

    def make(self, **overrides: Any) -> Any:
        """Construct the TF cell; ``overrides`` are extra constructor arguments (``name=``, ``dtype=``...)."""
        if self.factory is not None:
            return self.factory(**overrides)
        from tf_rnn_checks.tf_import import v1

        rnn_cell = v1.nn.rnn_cell
        if self.kind == "MultiRNNCell":
            return rnn_cell.MultiRNNCell([layer.make(**overrides) for layer in self.layers], **self.option)
        return getattr(rnn_cell, self.kind)(self.units, **{**self.option, **overrides})


def basic_rnn(units: int = 3, **options: Any) -> CellSpec:
    return CellSpec("BasicRNNCell", units, tuple(options.items()))


def gru(units: int = 3, **options: Any) -> CellSpec:
    return CellSpec("GRUCell", units, tuple(options.items()))


def lstm(units: int = 3, **options: Any) -> CellSpec:
    return CellSpec("LSTMCell", units, tuple(options.items()))


def basic_lstm(units: int = 3, **options: Any) -> CellSpec:
    return CellSpec("BasicLSTMCell", units, tuple(options.items()))


def multi(*layers: CellSpec) -> CellSpec:
    return CellSpec("MultiRNNCell", layers=tuple(layers))

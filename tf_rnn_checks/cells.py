"""Cell configurations as small values with readable ids, e.g. ``LSTMCell(units=3,peepholes)``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_OPTION_LABELS = {"use_peepholes": "peepholes", "state_is_tuple": "state_is_tuple"}
LEGACY_CELL_KINDS = ("BasicRNNCell", "GRUCell", "LSTMCell", "BasicLSTMCell")
# The constructor keyword through which each legacy cell takes its weight initializer (the others have none).
INITIALIZER_ARGUMENTS = {"LSTMCell": "initializer", "GRUCell": "kernel_initializer"}


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
    # Part of the identity: two specs that build different cells never share a cached run (shared_runs).
    factory: Callable[..., Any] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str):
            raise TypeError(f"kind: expected a cell class name str, got {self.kind!r}")
        if not isinstance(self.options, tuple) or not all(
            isinstance(o, tuple) and len(o) == 2 and isinstance(o[0], str) for o in self.options
        ):
            raise TypeError(f"options: expected a tuple of (keyword, value) pairs, got {self.options!r}")
        if not isinstance(self.layers, tuple) or not all(isinstance(layer, CellSpec) for layer in self.layers):
            raise TypeError(f"layers: expected a tuple of CellSpec, got {self.layers!r}")
        if self.kind == "MultiRNNCell":
            if not self.layers:
                raise ValueError("layers: a MultiRNNCell spec needs at least one layer spec")
        elif self.factory is None and self.kind not in LEGACY_CELL_KINDS:
            raise ValueError(f"kind: expected one of {LEGACY_CELL_KINDS + ('MultiRNNCell',)} or a factory, got {self.kind!r}")
        elif self.kind != "MultiRNNCell" and (isinstance(self.units, bool) or not isinstance(self.units, int) or self.units < 1):
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

    @property
    def initializer_argument(self) -> str | None:
        """The constructor keyword that sets the cell's weight initializer, or ``None`` when it has none."""
        if self.kind == "MultiRNNCell":
            arguments = {layer.initializer_argument for layer in self.layers}
            return arguments.pop() if len(arguments) == 1 else None
        return INITIALIZER_ARGUMENTS.get(self.kind)

    # The generic checks' optional spec attributes (see CustomCell): built-in cells inherit the outer
    # scope's initializer for every weight, and their NumPy step is the suite's reference.
    inherits_initializer = True
    own_initializer: tuple[str, ...] = ()

    @property
    def reference(self) -> StepFunction:
        """The NumPy step of :mod:`tf_rnn_checks.references` for this cell: ``reference(variables, x, state) -> (output, new_state)``."""
        from tf_rnn_checks.references.specs import reference_cell

        def step(variables: dict, x: Any, state: Any) -> tuple:
            return reference_cell(self, variables)(x, state)

        return step

    @property
    def checkpoint_compatible_with(self) -> CellSpec | None:
        """The built-in cell whose variable names and shapes this one must have: itself (``None`` for a factory's)."""
        return self if self.factory is None else None

    @property
    def shares_when_stacked(self) -> bool | None:
        """Whether two copies stacked in a ``MultiRNNCell`` share variables: built-in cells never do (``None`` for a factory's)."""
        return False if self.factory is None else None

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


StepFunction = Callable[[dict, Any, Any], tuple]


@dataclass(frozen=True)
class CustomCell:
    """A user's cell as the generic checks see it: ``str(spec)`` is its id, ``spec.make()`` builds a fresh cell.

    ``reference(variables, x, state) -> (output, new_state)`` is an optional NumPy step function (see
    :func:`custom_cell`); ``inherits_initializer=False`` declares that the cell sets every weight's
    initializer itself, ``own_initializer`` the name patterns of the few that do;
    ``initializer_argument`` names the factory keyword that takes an initializer;
    ``checkpoint_compatible_with`` (a built-in :class:`CellSpec` or class name) and ``shares_when_stacked``
    declare where its variables land and whether stacked copies share them.
    """

    # The factory and the reference are part of the identity (equality, hash), not just the name: a cell
    # fixed and checked again under the same name in one process must not get the first cell's cached runs.
    make_cell: Callable[..., Any]
    name: str
    reference: StepFunction | None = None
    inherits_initializer: bool = True
    initializer_argument: str | None = None
    own_initializer: tuple[str, ...] = ()
    checkpoint_compatible_with: str | CellSpec | None = None
    shares_when_stacked: bool | None = None

    def __str__(self) -> str:
        return self.name

    def make(self, **overrides: Any) -> Any:
        """A fresh TF cell from the user's factory (``overrides`` are passed on as keyword arguments)."""
        return self.make_cell(**overrides)


def custom_cell(
    make_cell: Callable[..., Any],
    *,
    name: str | None = None,
    reference: StepFunction | None = None,
    inherits_initializer: bool = True,
    initializer_argument: str | None = None,
    own_initializer: Sequence[str] = (),
    checkpoint_compatible_with: str | CellSpec | None = None,
    shares_when_stacked: bool | None = None,
) -> CustomCell:
    """Wrap a factory of a TF1 ``RNNCell`` (``make_cell()`` returns a fresh cell) for the generic checks.

    ``name`` is the id in test names (default: the factory's ``__name__``). ``reference``, a NumPy step
    function ``reference(variables, x, state) -> (output, new_state)``, enables the numeric check:
    ``variables`` maps each variable's name relative to the cell's own scope (``"kernel"``,
    ``"gates/kernel"``, ``"cell_0/lstm_cell/kernel"``) to its value, ``x`` is ``(batch, input_size)`` and
    ``state`` is structured like ``cell.state_size`` with ``(batch, size)`` arrays.
    ``inherits_initializer=False`` says the cell sets its own initializers, which skips the check that an
    outer ``variable_scope`` initializer reaches its weights; ``own_initializer`` (e.g. ``("ln_gamma",
    "ln_beta")`` or ``("ln_*",)``) names only the variables that keep their own initializer, so the check
    still holds the others to it (see :func:`~tf_rnn_checks.variable_names.matches_name_pattern`).
    ``checkpoint_compatible_with`` (a built-in spec such as ``gru(3)`` or a class name such as
    ``"GRUCell"``, which takes the cell's ``output_size`` as its units) declares that the cell's variables
    under ``dynamic_rnn`` have exactly that cell's names and shapes, so its checkpoints load into yours;
    ``shares_when_stacked`` declares whether two copies stacked in ``MultiRNNCell([make(), make()])``
    share one set of variables. Undeclared, both are observed and reported in the skip reason.
    ``initializer_argument`` (e.g.
    ``"kernel_initializer"``) names the factory keyword that takes an initializer, which enables the
    check that it reaches the weights.
    """
    if not callable(make_cell):
        raise TypeError(f"make_cell: expected a callable returning a TF1 RNNCell, got {make_cell!r}")
    if name is None:
        name = getattr(make_cell, "__name__", "")
        if not name or name == "<lambda>":
            raise ValueError(f"name: {make_cell!r} has no readable name; pass name='MyCell' for the test ids")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name: expected a non-empty str (the id in test names), got {name!r}")
    if reference is not None and not callable(reference):
        raise TypeError(f"reference: expected a step function reference(variables, x, state) -> (output, new_state), got {reference!r}")
    if not isinstance(inherits_initializer, bool):
        raise TypeError(f"inherits_initializer: expected a bool, got {inherits_initializer!r}")
    if initializer_argument is not None and (not isinstance(initializer_argument, str) or not initializer_argument.isidentifier()):
        raise ValueError(f"initializer_argument: expected a keyword name such as 'kernel_initializer', got {initializer_argument!r}")
    own_initializer = _name_patterns(own_initializer, "own_initializer")
    if own_initializer and not inherits_initializer:
        raise ValueError("own_initializer: inherits_initializer=False already exempts every variable; pass one or the other")
    _check_built_in(checkpoint_compatible_with)
    if shares_when_stacked is not None and not isinstance(shares_when_stacked, bool):
        raise TypeError(f"shares_when_stacked: expected True, False or None (not declared), got {shares_when_stacked!r}")
    return CustomCell(
        make_cell,
        name,
        reference,
        inherits_initializer,
        initializer_argument,
        own_initializer,
        checkpoint_compatible_with,
        shares_when_stacked,
    )


def _check_built_in(declared: Any) -> None:
    """``checkpoint_compatible_with`` names a built-in cell: a legacy class name or a :class:`CellSpec` without a factory."""
    if declared is None or (isinstance(declared, CellSpec) and declared.factory is None):
        return
    if isinstance(declared, str):
        if declared not in LEGACY_CELL_KINDS:
            raise ValueError(
                f"checkpoint_compatible_with: expected one of {LEGACY_CELL_KINDS} or a built-in spec such as gru(3), got {declared!r}"
            )
        return
    raise TypeError(
        f"checkpoint_compatible_with: expected a legacy cell class name such as 'GRUCell' or a built-in CellSpec, got {declared!r}"
    )


def _name_patterns(patterns: Any, argument: str) -> tuple[str, ...]:
    """``patterns`` as a tuple of non-empty str; a bare str is refused (it would read as one pattern per character)."""
    if isinstance(patterns, str) or not isinstance(patterns, (tuple, list)):
        raise TypeError(f"{argument}: expected a tuple of variable name patterns such as ('ln_gamma', 'ln_*'), got {patterns!r}")
    bad = [pattern for pattern in patterns if not isinstance(pattern, str) or not pattern.strip() or pattern.startswith("/")]
    if bad:
        raise ValueError(f"{argument}: expected non-empty name patterns such as 'ln_gamma' or 'ln_*', got {bad[0]!r}")
    return tuple(patterns)

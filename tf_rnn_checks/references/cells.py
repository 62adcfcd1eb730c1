"""NumPy references for the TF1 cells of ``tf.compat.v1.nn.rnn_cell``, built from TF's own variables.

Each cell is built with ``Cell.from_variables(variables, ...)`` where ``variables`` maps the short
names TF gives the cell's variables (the part after the cell's own scope, e.g. ``"kernel"``,
``"gates/kernel"``, ``"w_f_diag"``, ``"projection/kernel"``) to arrays. A cell is called like TF's:
``output, new_state = cell(x, state)`` with ``x (batch, input_size)``; states are arrays
``(batch, units)``, :class:`LSTMStateTuple` ``(c, h)`` pairs, or tuples of those (a :class:`MultiRNNCell`).
Everything is vectorised over the batch and computed in the variables' dtype.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from tf_rnn_checks.references.layout import GRUBlocks, LSTMBlocks, split_gru_kernels, split_lstm_kernel


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, stable for large ``|x|``."""
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def _softsign(x: np.ndarray) -> np.ndarray:
    return x / (1 + np.abs(x))


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "relu": _relu,
    "softsign": _softsign,
    "linear": lambda x: x,
}


def activation_function(activation: str | Callable[[np.ndarray], np.ndarray] | None) -> Callable[[np.ndarray], np.ndarray]:
    """The NumPy activation for a Keras activation name (``None`` means ``tanh``, TF1's default) or a callable."""
    if activation is None:
        return np.tanh
    if callable(activation):
        return activation
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"activation: expected a callable or one of {sorted(ACTIVATIONS)}, got {activation!r}")
    return ACTIVATIONS[activation]


class LSTMStateTuple(NamedTuple):
    """An LSTM state ``(c, h)`` in TF's order (``h`` is the projected ``m`` when the cell projects)."""

    c: np.ndarray
    h: np.ndarray


def _variable(variables: Mapping[str, np.ndarray], name: str, cell: str) -> np.ndarray:
    if name not in variables:
        raise ValueError(f"variables: {cell} needs {name!r}, got names {sorted(variables)}")
    return np.asarray(variables[name])


def _numeric_array(value: Any, argument: str, expected: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):  # ragged nesting
        raise ValueError(f"{argument}: expected a numeric array of shape {expected}, got {type(value).__name__}") from None
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{argument}: expected a numeric array of shape {expected}, got dtype {array.dtype} {array.shape}")
    return array


def _check_input(x: np.ndarray, input_size: int, dtype: np.dtype) -> np.ndarray:
    x = _numeric_array(x, "x", f"(batch, {input_size})")
    if x.ndim != 2 or x.shape[1] != input_size:
        raise ValueError(f"x: expected shape (batch, {input_size}), got {x.shape}")
    return x.astype(dtype, copy=False)


def check_state(state: Any, size: Any, batch: int, argument: str = "state") -> Any:
    """``state`` with its leaves as arrays if it is structured like ``size`` (a cell's ``state_size``) with ``batch`` rows,
    else a ``ValueError`` naming ``argument`` and the expected shape."""
    if isinstance(size, tuple):
        if isinstance(size, LSTMStateTuple):
            expected = f"an LSTMStateTuple (c, h) of shapes ({batch}, {size.c}) and ({batch}, {size.h})"
        else:
            expected = f"a tuple of {len(size)} layer states"
        if not isinstance(state, (tuple, list)) or len(state) != len(size):
            got = np.shape(state) if isinstance(state, np.ndarray) else type(state).__name__
            raise ValueError(f"{argument}: expected {expected}, got {got}")
        parts = [check_state(s, z, batch, f"{argument}[{k}]") for k, (s, z) in enumerate(zip(state, size, strict=True))]
        return LSTMStateTuple(*parts) if isinstance(size, LSTMStateTuple) else tuple(parts)
    array = _numeric_array(state, argument, f"({batch}, {size})")
    if array.shape != (batch, size):
        raise ValueError(f"{argument}: expected shape ({batch}, {size}), got {array.shape}")
    return array


class _Cell:
    """Shared parts: ``zero_state``, the sizes and ``dtype``."""

    dtype: np.dtype
    input_size: int

    @property
    def state_size(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def output_size(self) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    def zero_state(self, batch: int) -> Any:
        """The all-zero state of ``batch`` rows, structured like :attr:`state_size`."""
        return _map_sizes(lambda size: np.zeros((batch, size), self.dtype), self.state_size)


def _map_sizes(function: Callable[[int], Any], sizes: Any) -> Any:
    if isinstance(sizes, LSTMStateTuple):
        return LSTMStateTuple(function(sizes.c), function(sizes.h))
    if isinstance(sizes, tuple):
        return tuple(_map_sizes(function, size) for size in sizes)
    return function(sizes)


@dataclass
class BasicRNNCell(_Cell):
    """``h' = act([x, h] @ kernel + bias)``; ``kernel (input_size + units, units)``, output = new state = ``h'``."""

    kernel: np.ndarray
    bias: np.ndarray
    activation: str | Callable[[np.ndarray], np.ndarray] | None = None

    def __post_init__(self) -> None:
        self.kernel, self.bias = np.asarray(self.kernel), np.asarray(self.bias)
        if self.bias.ndim != 1 or not self.bias.shape[0] or not np.issubdtype(self.bias.dtype, np.floating):
            raise ValueError(f"bias: expected a floating array of shape (units,), got {self.bias.dtype} {self.bias.shape}")
        units = self.bias.shape[0]
        if self.kernel.dtype != self.bias.dtype:
            raise ValueError(f"kernel: expected dtype {self.bias.dtype} (the bias'), got {self.kernel.dtype}")
        if self.kernel.ndim != 2 or self.kernel.shape[1] != units or self.kernel.shape[0] <= units:
            raise ValueError(f"kernel: expected shape (input_size + {units}, {units}), got {self.kernel.shape}")
        self.dtype = self.kernel.dtype
        self.input_size = self.kernel.shape[0] - units
        self._act = activation_function(self.activation)

    @classmethod
    def from_variables(cls, variables: Mapping[str, np.ndarray], *, activation: Any = None) -> BasicRNNCell:
        """From TF's ``{"kernel", "bias"}``."""
        return cls(_variable(variables, "kernel", cls.__name__), _variable(variables, "bias", cls.__name__), activation)

    @property
    def state_size(self) -> int:
        return int(self.bias.shape[0])

    @property
    def output_size(self) -> int:
        return self.state_size

    def __call__(self, x: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = _check_input(x, self.input_size, self.dtype)
        state = check_state(state, self.state_size, x.shape[0])
        h = self._act(np.concatenate([x, state], axis=1) @ self.kernel + self.bias)
        return h, h


@dataclass
class GRUCell(_Cell):
    """The TF1 GRU: ``[r, u] = sigmoid([x, h] @ gates/kernel + gates/bias)`` (column blocks ``r`` then ``u``),
    ``c = act([x, r * h] @ candidate/kernel + candidate/bias)`` (reset applied before the matmul),
    ``h' = u * h + (1 - u) * c``; output = new state = ``h'``.
    """

    blocks: GRUBlocks
    activation: str | Callable[[np.ndarray], np.ndarray] | None = None

    def __post_init__(self) -> None:
        self.dtype = self.blocks.dtype
        self.input_size = self.blocks.input_size
        self._act = activation_function(self.activation)

    @classmethod
    def from_variables(cls, variables: Mapping[str, np.ndarray], *, activation: Any = None) -> GRUCell:
        """From TF's ``{"gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"}``."""
        names = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")
        gk, gb, ck, cb = (_variable(variables, name, cls.__name__) for name in names)
        return cls(split_gru_kernels(gk, gb, ck, cb, num_units=cb.shape[0] if cb.ndim == 1 else 0), activation)

    @property
    def state_size(self) -> int:
        return self.blocks.num_units

    @property
    def output_size(self) -> int:
        return self.state_size

    def __call__(self, x: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = _check_input(x, self.input_size, self.dtype)
        state = check_state(state, self.state_size, x.shape[0])
        b = self.blocks
        r = sigmoid(x @ b.r.input + state @ b.r.recurrent + b.r.bias)
        u = sigmoid(x @ b.u.input + state @ b.u.recurrent + b.u.bias)
        c = self._act(x @ b.candidate.input + (r * state) @ b.candidate.recurrent + b.candidate.bias)
        h = u * state + (1 - u) * c
        return h, h


@dataclass
class LSTMCell(_Cell):
    """TF1 ``LSTMCell`` (and ``BasicLSTMCell``: no peepholes, clip or projection).

    ``z = [x, m_prev] @ kernel + bias`` split into column blocks ``i, j, f, o`` (see
    :mod:`~tf_rnn_checks.references.layout`), then::

        c = sigmoid(f + forget_bias + w_f_diag * c_prev) * c_prev + sigmoid(i + w_i_diag * c_prev) * act(j)
        c = clip(c, -cell_clip, cell_clip)                    # if cell_clip, before the output gate
        m = sigmoid(o + w_o_diag * c) * act(c)                # the o peephole reads the NEW c
        m = clip(m @ projection/kernel, -proj_clip, proj_clip)  # if num_proj (clip only if proj_clip)

    (peephole terms only with ``use_peepholes``). ``forget_bias`` is added at run time, never stored.
    The state is ``LSTMStateTuple(c, m)``, or ``concat([c, m], axis=1)`` when ``state_is_tuple=False``;
    the output is ``m``.
    """

    blocks: LSTMBlocks
    forget_bias: float = 1.0
    activation: str | Callable[[np.ndarray], np.ndarray] | None = None
    peepholes: Mapping[str, np.ndarray] | None = None
    cell_clip: float | None = None
    projection: np.ndarray | None = None
    proj_clip: float | None = None
    state_is_tuple: bool = True

    def __post_init__(self) -> None:
        b = self.blocks
        self.dtype = b.dtype
        self.input_size = b.input_size
        self._act = activation_function(self.activation)
        units = b.num_units
        if self.peepholes is not None:
            missing = {"i", "f", "o"} - set(self.peepholes)
            if missing:
                raise ValueError(f"peepholes: expected diagonals for gates i, f, o, missing {sorted(missing)}")
            self.peepholes = {k: np.asarray(v) for k, v in self.peepholes.items()}
            for k, v in self.peepholes.items():
                if v.shape != (units,):
                    raise ValueError(f"peepholes: expected w_{k}_diag of shape ({units},), got {v.shape}")
        if self.projection is not None:
            self.projection = np.asarray(self.projection)
            if self.projection.ndim != 2 or self.projection.shape[0] != units:
                raise ValueError(f"projection: expected shape ({units}, num_proj), got {self.projection.shape}")
        expected_recurrent = units if self.projection is None else self.projection.shape[-1]
        if b.recurrent_size != expected_recurrent:
            raise ValueError(f"blocks: expected {expected_recurrent} recurrent rows (num_proj or num_units), got {b.recurrent_size}")
        if self.proj_clip is not None and self.projection is None:
            raise ValueError("proj_clip: only meaningful with a projection (num_proj)")

    @classmethod
    def from_variables(
        cls,
        variables: Mapping[str, np.ndarray],
        *,
        forget_bias: float = 1.0,
        activation: Any = None,
        use_peepholes: bool = False,
        cell_clip: float | None = None,
        proj_clip: float | None = None,
        state_is_tuple: bool = True,
    ) -> LSTMCell:
        """From TF's ``{"kernel", "bias"}`` plus ``w_i_diag``, ``w_f_diag``, ``w_o_diag`` (peepholes) and ``projection/kernel``."""
        name = cls.__name__
        kernel, bias = _variable(variables, "kernel", name), _variable(variables, "bias", name)
        projection = None if "projection/kernel" not in variables else _variable(variables, "projection/kernel", name)
        if projection is not None and projection.ndim != 2:
            raise ValueError(f"variables: {name}'s 'projection/kernel' expected shape (num_units, num_proj), got {projection.shape}")
        num_units = bias.shape[0] // 4 if bias.ndim == 1 else 0
        num_proj = None if projection is None else projection.shape[-1]
        blocks = split_lstm_kernel(kernel, bias, num_units, num_proj=num_proj)
        peepholes = {g: _variable(variables, f"w_{g}_diag", name) for g in "ifo"} if use_peepholes else None
        return cls(blocks, forget_bias, activation, peepholes, cell_clip, projection, proj_clip, state_is_tuple)

    @property
    def num_units(self) -> int:
        return self.blocks.num_units

    @property
    def output_size(self) -> int:
        return self.blocks.recurrent_size

    @property
    def state_size(self) -> Any:
        if self.state_is_tuple:
            return LSTMStateTuple(self.num_units, self.output_size)
        return self.num_units + self.output_size

    def __call__(self, x: np.ndarray, state: Any) -> tuple[np.ndarray, Any]:
        x = _check_input(x, self.input_size, self.dtype)
        state = check_state(state, self.state_size, x.shape[0])
        if self.state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev, m_prev = state[:, : self.num_units], state[:, self.num_units :]
        b, act, p = self.blocks, self._act, self.peepholes
        i, j, f, o = (x @ g.input + m_prev @ g.recurrent + g.bias for g in (b.i, b.j, b.f, b.o))
        if p is not None:
            i, f = i + p["i"] * c_prev, f + p["f"] * c_prev
        c = sigmoid(f + np.asarray(self.forget_bias, self.dtype)) * c_prev + sigmoid(i) * act(j)
        if self.cell_clip is not None:
            c = np.clip(c, -self.cell_clip, self.cell_clip)
        if p is not None:
            o = o + p["o"] * c
        m = sigmoid(o) * act(c)
        if self.projection is not None:
            m = m @ self.projection
            if self.proj_clip is not None:
                m = np.clip(m, -self.proj_clip, self.proj_clip)
        new_state = LSTMStateTuple(c, m) if self.state_is_tuple else np.concatenate([c, m], axis=1)
        return m, new_state


class BasicLSTMCell(LSTMCell):
    """TF1 ``BasicLSTMCell``: :class:`LSTMCell`'s math without peepholes, clipping or projection.

    ``c = sigmoid(f + forget_bias) * c_prev + sigmoid(i) * act(j)``, ``h = act(c) * sigmoid(o)``, with
    ``[x, h_prev] @ kernel + bias`` split into column blocks ``i, j, f, o``.
    """

    @classmethod
    def from_variables(  # type: ignore[override]
        cls, variables: Mapping[str, np.ndarray], *, forget_bias: float = 1.0, activation: Any = None, state_is_tuple: bool = True
    ) -> BasicLSTMCell:
        """From TF's ``{"kernel", "bias"}``."""
        kernel, bias = _variable(variables, "kernel", cls.__name__), _variable(variables, "bias", cls.__name__)
        blocks = split_lstm_kernel(kernel, bias, bias.shape[0] // 4 if bias.ndim == 1 else 0)
        return cls(blocks, forget_bias, activation, state_is_tuple=state_is_tuple)


@dataclass
class MultiRNNCell(_Cell):
    """A stack: layer ``k`` reads layer ``k-1``'s output; the state is the tuple of the layers' states."""

    cells: Sequence[Any]

    def __post_init__(self) -> None:
        if not self.cells:
            raise ValueError("cells: expected at least one cell")
        self.cells = tuple(self.cells)
        self.dtype = self.cells[0].dtype
        self.input_size = self.cells[0].input_size
        for k in range(1, len(self.cells)):
            if self.cells[k].input_size != self.cells[k - 1].output_size:
                raise ValueError(
                    f"cells: layer {k} expects input size {self.cells[k].input_size}, layer {k - 1} outputs {self.cells[k - 1].output_size}"
                )

    @property
    def state_size(self) -> tuple[Any, ...]:
        return tuple(cell.state_size for cell in self.cells)

    @property
    def output_size(self) -> int:
        return self.cells[-1].output_size

    def __call__(self, x: np.ndarray, state: Sequence[Any]) -> tuple[np.ndarray, tuple[Any, ...]]:
        if not isinstance(state, (tuple, list)) or len(state) != len(self.cells):
            got = len(state) if isinstance(state, (tuple, list)) else type(state).__name__
            raise ValueError(f"state: expected {len(self.cells)} layer states, got {got}")
        new_states = []
        for cell, layer_state in zip(self.cells, state, strict=False):
            x, new_state = cell(x, layer_state)
            new_states.append(new_state)
        return x, tuple(new_states)


__all__ = [
    "ACTIVATIONS",
    "BasicLSTMCell",
    "BasicRNNCell",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "activation_function",
    "check_state",
    "sigmoid",
]

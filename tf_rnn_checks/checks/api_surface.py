"""The public compat.v1 RNN symbols keep their signatures and defaults, and legacy cells warn on construction.

The pinned tables below are the TF 2.15-2.21 surface; every check also records the signature it saw,
so a default that moves between TF versions shows in the upgrade diff even before an assertion trips.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

from tf_rnn_checks.assertions import assert_equal, assert_true
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.tf_import import v1

REQUIRED = "<required>"

# {symbol: ((parameter, default or REQUIRED, kind), ...)}: kind is "" for ordinary parameters.
CELL_SIGNATURES: dict[str, tuple[tuple[str, Any, str], ...]] = {
    "BasicRNNCell": (
        ("num_units", REQUIRED, ""),
        ("activation", None, ""),
        ("reuse", None, ""),
        ("name", None, ""),
        ("dtype", None, ""),
        ("kwargs", REQUIRED, "**"),
    ),
    "GRUCell": (
        ("num_units", REQUIRED, ""),
        ("activation", None, ""),
        ("reuse", None, ""),
        ("kernel_initializer", None, ""),
        ("bias_initializer", None, ""),
        ("name", None, ""),
        ("dtype", None, ""),
        ("kwargs", REQUIRED, "**"),
    ),
    "LSTMCell": (
        ("num_units", REQUIRED, ""),
        ("use_peepholes", False, ""),
        ("cell_clip", None, ""),
        ("initializer", None, ""),
        ("num_proj", None, ""),
        ("proj_clip", None, ""),
        ("num_unit_shards", None, ""),
        ("num_proj_shards", None, ""),
        ("forget_bias", 1.0, ""),
        ("state_is_tuple", True, ""),
        ("activation", None, ""),
        ("reuse", None, ""),
        ("name", None, ""),
        ("dtype", None, ""),
        ("kwargs", REQUIRED, "**"),
    ),
    "BasicLSTMCell": (
        ("num_units", REQUIRED, ""),
        ("forget_bias", 1.0, ""),
        ("state_is_tuple", True, ""),
        ("activation", None, ""),
        ("reuse", None, ""),
        ("name", None, ""),
        ("dtype", None, ""),
        ("kwargs", REQUIRED, "**"),
    ),
    "MultiRNNCell": (("cells", REQUIRED, ""), ("state_is_tuple", True, "")),
    "DropoutWrapper": (
        ("cell", REQUIRED, ""),
        ("input_keep_prob", 1.0, ""),
        ("output_keep_prob", 1.0, ""),
        ("state_keep_prob", 1.0, ""),
        ("variational_recurrent", False, ""),
        ("input_size", None, ""),
        ("dtype", None, ""),
        ("seed", None, ""),
        ("dropout_state_filter_visitor", None, ""),
        ("kwargs", REQUIRED, "**"),
    ),
    "ResidualWrapper": (("cell", REQUIRED, ""), ("residual_fn", None, ""), ("kwargs", REQUIRED, "**")),
    "DeviceWrapper": (("cell", REQUIRED, ""), ("device", REQUIRED, ""), ("kwargs", REQUIRED, "**")),
    "LSTMStateTuple": (("c", REQUIRED, ""), ("h", REQUIRED, "")),
    "RNNCell": (("trainable", True, ""), ("name", None, ""), ("dtype", None, ""), ("kwargs", REQUIRED, "**")),
}

DRIVER_SIGNATURES: dict[str, tuple[tuple[str, Any, str], ...]] = {
    "dynamic_rnn": (
        ("cell", REQUIRED, ""),
        ("inputs", REQUIRED, ""),
        ("sequence_length", None, ""),
        ("initial_state", None, ""),
        ("dtype", None, ""),
        ("parallel_iterations", None, ""),
        ("swap_memory", False, ""),
        ("time_major", False, ""),
        ("scope", None, ""),
    ),
    "static_rnn": (
        ("cell", REQUIRED, ""),
        ("inputs", REQUIRED, ""),
        ("initial_state", None, ""),
        ("dtype", None, ""),
        ("sequence_length", None, ""),
        ("scope", None, ""),
    ),
    "bidirectional_dynamic_rnn": (
        ("cell_fw", REQUIRED, ""),
        ("cell_bw", REQUIRED, ""),
        ("inputs", REQUIRED, ""),
        ("sequence_length", None, ""),
        ("initial_state_fw", None, ""),
        ("initial_state_bw", None, ""),
        ("dtype", None, ""),
        ("parallel_iterations", None, ""),
        ("swap_memory", False, ""),
        ("time_major", False, ""),
        ("scope", None, ""),
    ),
    "static_bidirectional_rnn": (
        ("cell_fw", REQUIRED, ""),
        ("cell_bw", REQUIRED, ""),
        ("inputs", REQUIRED, ""),
        ("initial_state_fw", None, ""),
        ("initial_state_bw", None, ""),
        ("dtype", None, ""),
        ("sequence_length", None, ""),
        ("scope", None, ""),
    ),
    "static_state_saving_rnn": (
        ("cell", REQUIRED, ""),
        ("inputs", REQUIRED, ""),
        ("state_saver", REQUIRED, ""),
        ("state_name", REQUIRED, ""),
        ("sequence_length", None, ""),
        ("scope", None, ""),
    ),
    "raw_rnn": (
        ("cell", REQUIRED, ""),
        ("loop_fn", REQUIRED, ""),
        ("parallel_iterations", None, ""),
        ("swap_memory", False, ""),
        ("scope", None, ""),
    ),
}

RNN_CELL_NAMESPACE = (
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "RNNCell",
    "ResidualWrapper",
)

# Cells whose constructor emits TF's deprecation UserWarning (the wrappers and MultiRNNCell do not pin one here).
WARNING_CELLS = ("BasicRNNCell", "GRUCell", "LSTMCell", "BasicLSTMCell")


def signature_table(function: Any) -> tuple[tuple[str, Any, str], ...]:
    """``((parameter, default or REQUIRED, "*"/"**"/""), ...)`` for ``function`` (a class gives its constructor)."""
    kinds = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return tuple(
        (p.name, REQUIRED if p.default is inspect.Parameter.empty else p.default, kinds.get(p.kind, ""))
        for p in inspect.signature(function).parameters.values()
    )


def _observe_signature(table: tuple[tuple[str, Any, str], ...]) -> None:
    observe("signature", [[name, repr(default) if default is not REQUIRED else REQUIRED, kind] for name, default, kind in table])


@check(symbol=tuple(CELL_SIGNATURES))
def check_rnn_cell_constructor_signature(symbol: str) -> None:
    """The constructor of `tf.compat.v1.nn.rnn_cell.<symbol>` takes the pinned arguments in order with the pinned defaults (e.g. forget_bias=1.0, state_is_tuple=True)."""
    observed = signature_table(getattr(v1.nn.rnn_cell, symbol))
    _observe_signature(observed)
    assert_equal(
        observed,
        CELL_SIGNATURES[symbol],
        what=f"{symbol} constructor (argument, default, kind)",
        call=f"inspect.signature(tf.compat.v1.nn.rnn_cell.{symbol})",
    )


@check(needs_legacy_cells=False, driver=tuple(DRIVER_SIGNATURES))
def check_rnn_driver_signature(driver: str) -> None:
    """`tf.compat.v1.nn.<driver>` takes the pinned arguments in order with the pinned defaults (e.g. time_major=False, swap_memory=False)."""
    observed = signature_table(getattr(v1.nn, driver))
    _observe_signature(observed)
    assert_equal(
        observed, DRIVER_SIGNATURES[driver], what=f"{driver} (argument, default, kind)", call=f"inspect.signature(tf.compat.v1.nn.{driver})"
    )


@check()
def check_rnn_cell_namespace_exports() -> None:
    """`tf.compat.v1.nn.rnn_cell` exports exactly the ten TF1 cell, wrapper and state classes."""
    observed = tuple(sorted(name for name in dir(v1.nn.rnn_cell) if not name.startswith("_")))
    observe("exports", list(observed))
    assert_equal(observed, RNN_CELL_NAMESPACE, what="public names", call="dir(tf.compat.v1.nn.rnn_cell)")


@check(cell=WARNING_CELLS)
def check_legacy_cell_construction_warns(cell: str) -> None:
    """Constructing a legacy cell emits a UserWarning saying "`tf.nn.rnn_cell.<cell>` is deprecated and will be removed in a future version" and naming its tf.keras.layers replacement."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        getattr(v1.nn.rnn_cell, cell)(3)
    call = f"tf.compat.v1.nn.rnn_cell.{cell}(3)"
    texts = [(w.category.__name__, str(w.message)) for w in caught]
    observe("warnings", [list(t) for t in texts])
    phrase = f"`tf.nn.rnn_cell.{cell}` is deprecated and will be removed in a future version"
    matching = [(category, text) for category, text in texts if phrase in text]
    assert_true(
        len(matching) == 1,
        what="deprecation warnings with the key phrase",
        observed=texts,
        expected=f"one warning containing {phrase!r}",
        call=call,
    )
    category, text = matching[0]
    assert_equal(category, "UserWarning", what="warning category", call=call)
    replacement = {"BasicRNNCell": "SimpleRNNCell", "BasicLSTMCell": "LSTMCell"}.get(cell, cell)
    assert_true(
        f"tf.keras.layers.{replacement}" in text,
        what="named replacement",
        observed=text,
        expected=f"a mention of tf.keras.layers.{replacement}",
        call=call,
    )

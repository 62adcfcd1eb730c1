"""Every cell type runs under dynamic_rnn in every execution mode, with the shapes TF1 documents."""

from __future__ import annotations

import numpy as np

from tf_rnn_checks import sizes
from tf_rnn_checks.assertions import assert_close, assert_equal
from tf_rnn_checks.drivers import drive, make_cells
from tf_rnn_checks.matrix import ALL_CELLS, MODES
from tf_rnn_checks.modes import RunResult, run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.shared_runs import shared
from tf_rnn_checks.sizes import BATCH, INPUT_SIZE, TIME_STEPS, seeded_values
from tf_rnn_checks.tf_import import tf


def _inputs(seed: int = 0, dtype: str = "float32") -> np.ndarray:
    return sizes.inputs(seed=seed, dtype=dtype)


@shared
def _run_dynamic(cell, mode: str) -> RunResult:
    return run(
        mode,
        lambda: make_cells("dynamic_rnn", cell),
        lambda cells: drive("dynamic_rnn", cells, _inputs()),
        randomize=seeded_values(1),
    )


def _last_h(state):
    """The ``h`` of the last layer of a (possibly stacked, possibly LSTM) state."""
    while isinstance(state, tuple) and not hasattr(state, "h"):
        state = state[-1]
    return state.h if hasattr(state, "h") else state


@check(cell=ALL_CELLS, mode=MODES)
def check_dynamic_rnn_output_shape_and_final_state(cell, mode: str) -> None:
    """`dynamic_rnn` returns outputs of shape [batch, time, output units] whose last step equals the final state's `h`."""
    result = _run_dynamic(cell, mode)
    outputs, state = result.outputs
    call = f"dynamic_rnn({cell}, inputs[{BATCH},{TIME_STEPS},{INPUT_SIZE}]) in {mode} mode"
    observe("output_shape", list(outputs.shape))
    assert_equal(outputs.shape, (BATCH, TIME_STEPS, cell.output_units), what="outputs.shape", call=call)
    assert_equal(str(outputs.dtype), "float32", what="outputs.dtype", call=call)
    assert_close(outputs[:, -1], _last_h(state), what="outputs[:, -1] vs final state h", call=call)


@check(cell=ALL_CELLS, mode=("eager", "function"), any_cell=True)
def check_variables_and_outputs_match_graph_mode(cell, mode: str) -> None:
    """A cell run eagerly or inside tf.function creates the same variable names and shapes, and gives the same outputs, as in a TF1 graph."""
    graph = _run_dynamic(cell, "graph")
    other = _run_dynamic(cell, mode)
    call = f"dynamic_rnn({cell}) in {mode} mode vs graph mode"
    observe("inventory", {name: list(shape) for name, shape in other.inventory.items()})
    assert_equal(other.inventory, graph.inventory, what="variable inventory {name: shape}", call=call)
    assert_close(other.outputs[0], graph.outputs[0], what="outputs", call=call)
    for got, want in zip(tf.nest.flatten(other.outputs[1]), tf.nest.flatten(graph.outputs[1]), strict=True):
        assert_close(got, want, what="final state", call=call)

"""TF1 cells converted to Keras 2 (tf_keras) and Keras 3 LSTMCell/GRUCell/SimpleRNNCell give TF1's outputs."""

from __future__ import annotations

import numpy as np

from tf_rnn_checks import convert
from tf_rnn_checks.assertions import assert_close, assert_equal, observe_max_abs_error
from tf_rnn_checks.cells import basic_lstm, basic_rnn, gru, lstm
from tf_rnn_checks.checks import _convert as c
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import KERAS_FLAVOURS, keras_flavour

KERAS_CELLS = (basic_rnn(3), gru(3), lstm(3), lstm(3, forget_bias=0.25), basic_lstm(3))

TO_KERAS = {"LSTMCell": convert.lstm_to_keras, "GRUCell": convert.gru_to_keras, "BasicRNNCell": convert.basic_rnn_to_keras}
FROM_KERAS = {"LSTMCell": convert.lstm_from_keras, "GRUCell": convert.gru_from_keras, "BasicRNNCell": convert.basic_rnn_from_keras}


def _options(cell) -> dict:
    return {"forget_bias": cell.option.get("forget_bias", 1.0)} if cell.is_lstm else {}


@check(cell=KERAS_CELLS, keras=KERAS_FLAVOURS)
def check_keras_cell_with_converted_weights_matches_tf1(cell, keras: str) -> None:
    """A Keras cell (LSTMCell, GRUCell(reset_after=False), SimpleRNNCell) given the converted TF1 weights gives the TF1 cell's outputs and final state over 12 steps."""
    module = keras_flavour(keras)
    kind = c.kind_of(cell)
    x = c.inputs()
    tf1 = c.run_tf1(cell, x)
    variables = c.single_cell_variables(tf1.values)
    weights = TO_KERAS[kind](variables, **_options(cell))
    keras_cell = c.keras_cell(module, kind, cell.units)
    outputs, states = c.run_keras(module, [keras_cell], [weights], x)
    call = f"{keras}.layers.RNN({type(keras_cell).__name__}({cell.units})) with {TO_KERAS[kind].__name__}({cell}) over {c.STEPS} steps"
    observe("keras_weight_shapes", [list(w.shape) for w in keras_cell.get_weights()])
    observe_max_abs_error("max_abs_error", outputs, tf1.outputs)
    assert_equal([w.shape for w in keras_cell.get_weights()], [w.shape for w in weights], what="Keras weight shapes", call=call)
    assert_close(outputs, tf1.outputs, what="outputs", call=call)
    h, cstate = c.tf1_final(tf1.state)
    assert_close(states[0], h, what="final h", call=call)
    if cstate is not None:
        assert_close(states[1], cstate, what="final c (Keras states are [h, c])", call=call)
    back = FROM_KERAS[kind]([np.asarray(w) for w in keras_cell.get_weights()], **_options(cell))
    observe("round_trip_max_abs_error", max(float(np.max(np.abs(back[n] - variables[n]))) for n in variables))
    for name in variables:
        assert_close(back[name], variables[name], what=f"{name} read back from the Keras cell", call=call)

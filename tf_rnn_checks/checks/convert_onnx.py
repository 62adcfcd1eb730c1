"""TF1 cells converted to ONNX LSTM / GRU / RNN W, R, B (P) tensors give TF1's outputs in ONNX Runtime."""

from __future__ import annotations

from tf_rnn_checks import convert
from tf_rnn_checks.assertions import assert_close, observe_max_abs_error
from tf_rnn_checks.cells import basic_lstm, basic_rnn, gru, lstm
from tf_rnn_checks.checks import _convert as c
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import requires

ONNX_CELLS = (basic_rnn(3), gru(3), lstm(3), lstm(3, forget_bias=0.25), lstm(3, use_peepholes=True), basic_lstm(3))

TO_ONNX = {"LSTMCell": convert.lstm_to_onnx, "GRUCell": convert.gru_to_onnx, "BasicRNNCell": convert.basic_rnn_to_onnx}
FROM_ONNX = {"LSTMCell": convert.lstm_from_onnx, "GRUCell": convert.gru_from_onnx, "BasicRNNCell": convert.basic_rnn_from_onnx}


def _compare(cell, tf1: c.TF1Run, call: str, **options) -> None:
    __tracebackhide__ = True
    kind = c.kind_of(cell)
    variables = c.single_cell_variables(tf1.values)
    if cell.is_lstm:
        options["forget_bias"] = cell.option.get("forget_bias", 1.0)
    tensors = TO_ONNX[kind](variables, **options)
    attributes = {k: v for k, v in options.items() if k == "linear_before_reset"}
    outputs, (y_h,) = c.run_onnx(kind, [tensors], c.inputs(), units=cell.units, **attributes)
    observe("tensor_shapes", {name: list(value.shape) for name, value in tensors.items()})
    observe_max_abs_error("max_abs_error", outputs, tf1.outputs)
    assert_close(outputs, tf1.outputs, what="outputs (Y)", call=call)
    assert_close(y_h[0], c.tf1_final(tf1.state)[0], what="final h (Y_h[0])", call=call)
    back = FROM_ONNX[kind](tensors, **options)
    for name in variables:
        assert_close(back[name], variables[name], what=f"{name} read back from the ONNX tensors", call=call)


@check(cell=ONNX_CELLS)
@requires("onnx", "onnxruntime")
def check_onnx_node_with_converted_weights_matches_tf1(cell) -> None:
    """A one-node ONNX LSTM (P for peepholes), GRU (linear_before_reset=0) or RNN model given the converted TF1 weights gives the TF1 cell's outputs over 12 steps in ONNX Runtime."""
    kind = c.kind_of(cell)
    _compare(cell, c.run_tf1(cell, c.inputs()), f"onnxruntime {c.ONNX_OPS[kind]} node with {TO_ONNX[kind].__name__}({cell})")


@check(cell=(gru(3),))
@requires("onnx", "onnxruntime")
def check_onnx_gru_linear_before_reset_matches_tf1_with_diagonal_candidate(cell) -> None:
    """An ONNX GRU with linear_before_reset=1 reproduces a TF1 GRUCell exactly when the candidate's recurrent kernel is diagonal."""
    tf1 = c.run_tf1(cell, c.inputs(), transform=c.diagonal_candidate)
    _compare(cell, tf1, f"onnxruntime GRU(linear_before_reset=1) with gru_to_onnx({cell} with diagonal candidate)", linear_before_reset=1)

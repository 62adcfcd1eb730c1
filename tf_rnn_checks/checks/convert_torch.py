"""TF1 cells converted to PyTorch nn.LSTM / nn.GRU / nn.RNN state_dicts give TF1's outputs on PyTorch CPU."""

from __future__ import annotations

from tf_rnn_checks import convert
from tf_rnn_checks.assertions import assert_close, observe_max_abs_error
from tf_rnn_checks.cells import basic_lstm, basic_rnn, gru, lstm
from tf_rnn_checks.checks import _convert as c
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import requires

TORCH_CELLS = (basic_rnn(3), lstm(3), lstm(3, forget_bias=0.25), basic_lstm(3), lstm(3, num_proj=2))

TO_TORCH = {"LSTMCell": convert.lstm_to_torch, "GRUCell": convert.gru_to_torch, "BasicRNNCell": convert.basic_rnn_to_torch}
FROM_TORCH = {"LSTMCell": convert.lstm_from_torch, "GRUCell": convert.gru_from_torch, "BasicRNNCell": convert.basic_rnn_from_torch}


def _compare(cell, tf1: c.TF1Run, variables: dict, call: str) -> None:
    __tracebackhide__ = True
    kind = c.kind_of(cell)
    options = {"forget_bias": cell.option.get("forget_bias", 1.0)} if cell.is_lstm else {}
    state_dict = TO_TORCH[kind](variables, **options)
    proj = int(cell.option.get("num_proj") or 0)
    outputs, h_n, c_n = c.run_torch(kind, state_dict, c.inputs(), units=cell.units, proj_size=proj)
    observe("state_dict_shapes", {name: list(value.shape) for name, value in state_dict.items()})
    observe_max_abs_error("max_abs_error", outputs, tf1.outputs)
    assert_close(outputs, tf1.outputs, what="outputs", call=call)
    h, cstate = c.tf1_final(tf1.state)
    assert_close(h_n[0], h, what="final h (h_n[0])", call=call)
    if cstate is not None:
        assert_close(c_n[0], cstate, what="final c (c_n[0])", call=call)
    back = FROM_TORCH[kind](state_dict, **options)
    for name in variables:
        assert_close(back[name], variables[name], what=f"{name} read back from the state_dict", call=call)


@check(cell=TORCH_CELLS)
@requires("torch")
def check_torch_module_with_converted_weights_matches_tf1(cell) -> None:
    """A PyTorch nn.LSTM (proj_size=num_proj for a projecting cell) or nn.RNN loaded with the converted TF1 weights gives the TF1 cell's outputs and final state over 12 steps."""
    tf1 = c.run_tf1(cell, c.inputs())
    kind = c.kind_of(cell)
    _compare(
        cell,
        tf1,
        c.single_cell_variables(tf1.values),
        f"torch.nn.{kind[:-4].replace('Basic', '')}.load_state_dict({TO_TORCH[kind].__name__}({cell}))",
    )


@check(cell=(gru(3),))
@requires("torch")
def check_torch_gru_matches_tf1_gru_with_diagonal_candidate(cell) -> None:
    """A PyTorch nn.GRU (reset after the recurrent matmul) reproduces a TF1 GRUCell exactly when the candidate's recurrent kernel is diagonal, which is the condition gru_to_torch enforces."""
    tf1 = c.run_tf1(cell, c.inputs(), transform=c.diagonal_candidate)
    _compare(
        cell,
        tf1,
        c.single_cell_variables(tf1.values),
        f"torch.nn.GRU.load_state_dict(gru_to_torch({cell} with diagonal candidate recurrent kernel))",
    )

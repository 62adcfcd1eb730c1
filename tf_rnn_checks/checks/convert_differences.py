"""Where the TF1 cells and their Keras / PyTorch namesakes are NOT interchangeable (living documentation of the traps)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tf_rnn_checks import convert
from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, assert_true, observe_max_abs_error
from tf_rnn_checks.cells import gru, lstm
from tf_rnn_checks.checks import _convert as c
from tf_rnn_checks.drivers import drive, make_cells
from tf_rnn_checks.modes import run
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import KERAS_FLAVOURS, keras_flavour, requires

GRU = gru(3)
LSTM = lstm(3)


def _tf1_default_values(spec) -> dict[str, np.ndarray]:
    """The TF1 cell's own initial values (no seeding of the variables), ``{short name: value}``."""
    result = run("graph", lambda: make_cells("dynamic_rnn", spec), lambda cells: drive("dynamic_rnn", cells, c.inputs()))
    return c.single_cell_variables(result.values())


def _assert_refused(conversion: Callable[[], object], start: str, *, call: str) -> None:
    """The conversion raises a ValueError whose message starts with ``start``."""
    __tracebackhide__ = True
    try:
        conversion()
        refusal = None
    except ValueError as error:
        refusal = str(error)
    observe("refusal", refusal)
    assert_true(
        refusal is not None and refusal.startswith(start),
        what="converter refusal",
        observed=refusal,
        expected=f"ValueError starting {start!r}",
        call=call,
    )


def _naive_keras_gru_weights(variables: dict[str, np.ndarray]) -> list[np.ndarray]:
    """TF1 GRU weights copied as they are stored (blocks r, u, candidate), shaped for a default reset_after=True GRUCell."""
    units = variables["candidate/bias"].shape[0]
    kernel = np.concatenate([variables["gates/kernel"], variables["candidate/kernel"]], axis=1)
    bias = np.concatenate([variables["gates/bias"], variables["candidate/bias"]])
    return [kernel[:-units], kernel[-units:], np.stack([bias, np.zeros_like(bias)])]


@check(keras=KERAS_FLAVOURS)
def check_keras_default_gru_with_naively_copied_weights_differs_from_tf1(keras: str) -> None:
    """A default Keras GRUCell (reset_after=True, gates z, r, h) given a TF1 GRUCell's weights copied in storage order computes something else."""
    module = keras_flavour(keras)
    x = c.inputs()
    tf1 = c.run_tf1(GRU, x)
    variables = c.single_cell_variables(tf1.values)
    cell = module.layers.GRUCell(GRU.units)
    outputs, _ = c.run_keras(module, [cell], [_naive_keras_gru_weights(variables)], x)
    call = f"{keras}.layers.GRUCell({GRU.units}) with TF1 {GRU} weights copied in r, u, candidate order"
    observe("keras_default_reset_after", bool(cell.reset_after))
    observe("max_abs_difference", float(np.max(np.abs(outputs - tf1.outputs))))
    assert_equal(bool(cell.reset_after), True, what="Keras GRUCell default reset_after", call=call)
    assert_not_close(outputs, tf1.outputs, what="outputs of the naive copy vs TF1", call=call, margin=1e-2)


@check(keras=KERAS_FLAVOURS)
def check_keras_reset_after_gru_differs_from_tf1_unless_candidate_is_diagonal(keras: str) -> None:
    """Even with gates reordered to z, r, h, Keras GRUCell(reset_after=True) differs from a TF1 GRUCell, and gru_to_keras refuses it, unless the candidate's recurrent kernel is diagonal."""
    module = keras_flavour(keras)
    x = c.inputs()
    tf1 = c.run_tf1(GRU, x)
    variables = c.single_cell_variables(tf1.values)
    call = f"{keras}.layers.GRUCell({GRU.units}, reset_after=True) with gates reordered z, r, h"
    _assert_refused(lambda: convert.gru_to_keras(variables, reset_after=True), "reset_after=True: not representable", call=call)
    reordered = convert.gru_to_keras(variables)
    reordered[2] = np.stack([reordered[2], np.zeros_like(reordered[2])])
    outputs, _ = c.run_keras(module, [module.layers.GRUCell(GRU.units, reset_after=True)], [reordered], x)
    observe("max_abs_difference_full_candidate", float(np.max(np.abs(outputs - tf1.outputs))))
    assert_not_close(outputs, tf1.outputs, what="reset_after=True outputs vs TF1 (full candidate kernel)", call=call, margin=1e-3)
    diagonal = c.run_tf1(GRU, x, transform=c.diagonal_candidate)
    weights = convert.gru_to_keras(c.single_cell_variables(diagonal.values), reset_after=True)
    outputs, _ = c.run_keras(module, [module.layers.GRUCell(GRU.units, reset_after=True)], [weights], x)
    observe_max_abs_error("max_abs_error_diagonal_candidate", outputs, diagonal.outputs)
    assert_close(outputs, diagonal.outputs, what="reset_after=True outputs vs TF1 (diagonal candidate kernel)", call=call)


@check(keras=KERAS_FLAVOURS)
def check_default_lstm_bias_initialisation_differs_between_tf1_and_keras(keras: str) -> None:
    """A new TF1 LSTMCell stores an all-zero bias and adds forget_bias=1.0 at run time, while a new Keras LSTMCell stores 1.0 in its f block (unit_forget_bias=True) and adds nothing, so copying Keras's bias unconverted counts the 1.0 twice."""
    module = keras_flavour(keras)
    units = LSTM.units
    tf1_bias = _tf1_default_values(LSTM)["bias"]
    # Seeded kernels keep the reported output gap reproducible; the biases stay Keras's defaults.
    cell = module.layers.LSTMCell(
        units, kernel_initializer=module.initializers.GlorotUniform(seed=1), recurrent_initializer=module.initializers.Orthogonal(seed=2)
    )
    x = c.inputs()
    _, _ = c.run_keras(module, [cell], [None], x)
    kernel, recurrent, keras_bias = (np.asarray(w) for w in cell.get_weights())
    expected_keras = np.concatenate([np.zeros(units), np.ones(units), np.zeros(2 * units)]).astype(np.float32)
    call = f"TF1 {LSTM} vs {keras}.layers.LSTMCell({units}) as constructed (kernels seeded)"
    observe("tf1_initial_bias", tf1_bias)
    observe("keras_initial_bias", keras_bias)
    assert_equal(tf1_bias.tolist(), [0.0] * (4 * units), what="TF1 LSTMCell initial bias", call=call)
    assert_equal(keras_bias.tolist(), expected_keras.tolist(), what="Keras LSTMCell initial bias (i, f, c, o)", call=call)
    converted = convert.lstm_from_keras([kernel, recurrent, keras_bias], forget_bias=1.0)
    assert_equal(converted["bias"].tolist(), tf1_bias.tolist(), what="Keras initial bias converted to TF1 (forget_bias=1.0)", call=call)
    keras_outputs, _ = c.run_keras(module, [cell], [None], x)
    paths = {"kernel": "rnn/lstm_cell/kernel", "bias": "rnn/lstm_cell/bias"}
    naive_bias = keras_bias[
        np.r_[0:units, 2 * units : 3 * units, units : 2 * units, 3 * units : 4 * units]
    ]  # Keras i,f,c,o -> TF1 i,j,f,o, unconverted
    naive = c.run_tf1(LSTM, x, values={paths["kernel"]: converted["kernel"], paths["bias"]: naive_bias})
    right = c.run_tf1(LSTM, x, values={paths["kernel"]: converted["kernel"], paths["bias"]: converted["bias"]})
    observe("max_abs_difference_unconverted_bias", float(np.max(np.abs(naive.outputs - keras_outputs))))
    assert_not_close(naive.outputs, keras_outputs, what="TF1 outputs with Keras's bias copied unconverted vs Keras", call=call, margin=1e-3)
    assert_close(right.outputs, keras_outputs, what="TF1 outputs with the converted bias vs Keras", call=call)


@check(keras=KERAS_FLAVOURS)
def check_default_gru_bias_initialisation_differs_between_tf1_and_keras(keras: str) -> None:
    """A new TF1 GRUCell stores gates/bias = 1.0 and candidate/bias = 0, while a new Keras GRUCell(reset_after=False) stores an all-zero bias."""
    module = keras_flavour(keras)
    units = GRU.units
    tf1 = _tf1_default_values(GRU)
    cell = module.layers.GRUCell(units, reset_after=False)
    c.run_keras(module, [cell], [None], c.inputs())
    keras_bias = np.asarray(cell.get_weights()[2])
    call = f"TF1 {GRU} vs {keras}.layers.GRUCell({units}, reset_after=False) as constructed"
    observe("tf1_initial_biases", {"gates/bias": tf1["gates/bias"], "candidate/bias": tf1["candidate/bias"]})
    observe("keras_initial_bias", keras_bias)
    assert_equal(tf1["gates/bias"].tolist(), [1.0] * (2 * units), what="TF1 GRUCell initial gates/bias", call=call)
    assert_equal(tf1["candidate/bias"].tolist(), [0.0] * units, what="TF1 GRUCell initial candidate/bias", call=call)
    assert_equal(keras_bias.tolist(), [0.0] * (3 * units), what="Keras GRUCell initial bias", call=call)
    converted = convert.gru_from_keras(cell.get_weights())
    assert_true(
        not np.array_equal(converted["gates/bias"], tf1["gates/bias"]),
        what="Keras initial bias converted to TF1 gates/bias",
        observed=converted["gates/bias"].tolist(),
        expected="not TF1's initial 1.0 (the initialisations differ)",
        call=call,
    )


@check(cell=(GRU,))
@requires("torch")
def check_torch_gru_differs_from_tf1_gru_unless_candidate_is_diagonal(cell) -> None:
    """PyTorch nn.GRU applies the reset after the recurrent matmul, so with every weight in its right place it still differs from a TF1 GRUCell whose candidate kernel is not diagonal, and gru_to_torch refuses that cell."""
    x = c.inputs()
    tf1 = c.run_tf1(cell, x)
    variables = c.single_cell_variables(tf1.values)
    call = f"torch.nn.GRU with {cell}'s weights in r, z, n order (full candidate recurrent kernel)"
    _assert_refused(lambda: convert.gru_to_torch(variables), "GRUCell: not representable in PyTorch nn.GRU", call=call)
    units = cell.units
    recurrent = variables["candidate/kernel"][-units:]
    diagonal = dict(variables, **{"candidate/kernel": c.diagonal_candidate("candidate/kernel", variables["candidate/kernel"])})
    state_dict = convert.gru_to_torch(diagonal)
    state_dict["weight_hh_l0"][2 * units :] = recurrent.T  # every weight in place, bypassing the guard
    outputs, _, _ = c.run_torch("GRUCell", state_dict, x, units=units)
    observe("max_abs_difference", float(np.max(np.abs(outputs - tf1.outputs))))
    assert_not_close(outputs, tf1.outputs, what="nn.GRU outputs vs TF1 GRUCell", call=call, margin=1e-3)

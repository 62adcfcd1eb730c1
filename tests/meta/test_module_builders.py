"""The whole-module builders' arguments and refusals, without TensorFlow: scopes, missing runtimes, options a cell does not have.

The TF1 variables are made from the suite's naming table (:func:`tf_rnn_checks.variable_names.expected_variables`)
with seeded values; ``tests/test_convert_modules.py`` runs the built modules against TF1 itself.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from tf_rnn_checks import convert
from tf_rnn_checks.cells import gru, lstm, multi
from tf_rnn_checks.convert import modules
from tf_rnn_checks.model.detect import NoStructureError
from tf_rnn_checks.variable_names import expected_variables


def _values(spec, prefixes=("rnn/",), input_size: int = 4) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        prefix + path: rng.uniform(-1, 1, shape).astype(np.float32)
        for prefix in prefixes
        for path, shape in expected_variables(spec, input_size).items()
    }


def _missing(*names: str):
    find_spec = importlib.util.find_spec
    return lambda name, *args: None if name in names else find_spec(name, *args)


def test_a_missing_runtime_is_an_import_error_with_the_install_command(monkeypatch) -> None:
    """Without torch (or Keras 3) the builders raise ImportError naming the install command, after the weights converted."""
    monkeypatch.setattr(modules.importlib.util, "find_spec", _missing("torch", "keras", "tf_keras"))
    values = _values(multi(lstm(3), lstm(3)))
    with pytest.raises(ImportError, match=r"PyTorch is not installed.*pip install torch==2\.13\.0"):
        convert.variables_to_torch_module(values, scope="rnn")
    with pytest.raises(ImportError, match=r'keras3: Keras is not installed: pip install "keras>=3"'):
        convert.variables_to_keras_model(values, scope="rnn", keras="keras3")
    with pytest.raises(ImportError, match=r"keras2: Keras is not installed: pip install \"tf-keras=="):
        convert.variables_to_keras_model(values, scope="rnn", keras="keras2")


def test_refusals_come_before_the_runtime(monkeypatch) -> None:
    """An option the target cannot hold is refused by name even where the runtime is missing."""
    monkeypatch.setattr(modules.importlib.util, "find_spec", _missing("torch"))
    with pytest.raises(ValueError, match=r"^use_peepholes: not representable in PyTorch nn\.LSTM.*\[cell 'rnn/lstm_cell'\]$"):
        convert.variables_to_torch_module(_values(lstm(3, use_peepholes=True)))


def test_scopes_select_one_structure() -> None:
    """scope= picks one detected structure; none there, or several without scope=, is a ValueError naming the structures found."""
    values = {**_values(lstm(3), ("encoder/rnn/",)), **_values(gru(3), ("decoder/rnn/",))}
    with pytest.raises(ValueError, match=r"several TF1 recurrent structures \('decoder/rnn', 'encoder/rnn'\); pass scope="):
        convert.variables_to_keras_model(values, keras="keras3")
    with pytest.raises(
        NoStructureError, match=r"^values: scope 'rnn' holds no TF1 recurrent structure \(structures: 'decoder/rnn', 'encoder/rnn'\)"
    ):
        convert.variables_to_keras_model(values, scope="rnn", keras="keras3")
    plan = modules._from_values(values, "encoder", "torch", forget_bias=1.0, cell_clip=None, proj_clip=None)
    assert (plan.scope, plan.directions[0][0].kind) == ("encoder/rnn", "LSTM")  # an outer scope holding one structure
    with pytest.raises(TypeError, match="scope: expected the driver's variable scope str"):
        convert.variables_to_torch_module(values, scope=None)


def test_lstm_options_on_other_cells_and_bad_arguments_are_refused() -> None:
    """cell_clip on a GRU, an unknown Keras flavour, a bad forget_bias and a non-mapping are refused naming the argument."""
    with pytest.raises(ValueError, match=r"^cell_clip: an LSTMCell option, but the cell is a GRUCell \[cell 'rnn/gru_cell'\]$"):
        convert.variables_to_keras_model(_values(gru(3)), cell_clip=1.0)
    with pytest.raises(ValueError, match=r"keras: expected one of \('keras2', 'keras3'\) or a Keras module, got 'keras4'"):
        convert.variables_to_keras_model(_values(lstm(3)), keras="keras4")
    with pytest.raises(TypeError, match="forget_bias: expected a real number"):
        convert.variables_to_torch_module(_values(lstm(3)), forget_bias="1")
    with pytest.raises(TypeError, match="values: expected a mapping"):
        convert.variables_to_torch_module([1, 2])


def test_the_plan_follows_the_detected_structure() -> None:
    """A bidirectional MultiRNNCell becomes fw and bw directions of per-layer plans, input widths chained, forget_bias folded."""
    values = _values(multi(lstm(3), lstm(5)), ("bidirectional_rnn/fw/", "bidirectional_rnn/bw/"))
    plan = modules._from_values(values, "bidirectional_rnn", "keras", forget_bias=1.0, cell_clip=None, proj_clip=None)
    assert plan.bidirectional and plan.stacked and plan.dtype == "float32"
    assert [[(layer.kind, layer.input_size, layer.units) for layer in direction] for direction in plan.directions] == [
        [("LSTM", 4, 3), ("LSTM", 3, 5)]
    ] * 2
    assert [layer.scope for layer in plan.directions[1]] == [f"bidirectional_rnn/bw/multi_rnn_cell/cell_{k}/lstm_cell" for k in (0, 1)]
    bias = values["bidirectional_rnn/fw/multi_rnn_cell/cell_0/lstm_cell/bias"]
    np.testing.assert_array_equal(plan.directions[0][0].weights[2][3:6], bias[6:9] + np.float32(1.0))  # Keras i, f, c, o; TF1 i, j, f, o

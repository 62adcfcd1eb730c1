"""Weight converters from TF1 recurrent cells to Keras, PyTorch and ONNX, and back (NumPy in, NumPy out).

- :mod:`~tf_rnn_checks.convert.keras_weights`: Keras ``LSTMCell`` / ``GRUCell`` / ``SimpleRNNCell`` weight lists (Keras 2 and 3);
- :mod:`~tf_rnn_checks.convert.torch_weights`: PyTorch ``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` state_dict entries;
- :mod:`~tf_rnn_checks.convert.onnx_weights`: ONNX ``LSTM`` / ``GRU`` / ``RNN`` ``W``, ``R``, ``B`` (``P``) tensors;
- :mod:`~tf_rnn_checks.convert.checkpoint`: every cell of a TF1 ``Saver`` checkpoint, by variable name;
- :mod:`~tf_rnn_checks.convert.modules`: the whole migrated module of a checkpoint's ``dynamic_rnn`` /
  ``bidirectional_dynamic_rnn`` (stack depth, directions and cell kind detected), a PyTorch ``nn.Module`` or a
  Keras model whose call reproduces TF1's outputs and final states, ``sequence_length`` and ``initial_state`` included.

A TF1 cell is given as ``{short name: array}`` (``kernel``, ``bias``, ``gates/kernel``, ``w_f_diag``,
``projection/kernel``...). Its ``forget_bias`` (LSTM, default 1.0, not stored in the checkpoint) is
folded into the target's ``f`` bias. Options a target cannot express raise ``ValueError`` naming the
option (``use_peepholes``, ``num_proj``, ``cell_clip``, ``proj_clip``, ``reset_after=True`` ...). The
gate blocks come from :mod:`tf_rnn_checks.references.layout`. No converter imports TF, PyTorch or ONNX;
only :func:`read_checkpoint` and the ``checkpoint_to_*`` functions import TF (through
:func:`tf_rnn_checks.checkpoint_files.open_checkpoint`); the module builders import PyTorch or Keras when called.

Recipe, TF1 LSTM checkpoint -> PyTorch (``forget_bias`` is the TF1 cell's, 1.0 by default)::

    lstm.load_state_dict({k: torch.from_numpy(v) for k, v in checkpoint_to_torch("model.ckpt", scope="rnn").items()})
"""

from tf_rnn_checks.convert.checkpoint import (
    checkpoint_to_keras,
    checkpoint_to_onnx,
    checkpoint_to_torch,
    find_cells,
    read_checkpoint,
    variables_to_keras,
    variables_to_onnx,
    variables_to_torch,
)
from tf_rnn_checks.convert.keras_weights import (
    basic_rnn_from_keras,
    basic_rnn_to_keras,
    gru_from_keras,
    gru_to_keras,
    lstm_from_keras,
    lstm_to_keras,
)
from tf_rnn_checks.convert.modules import (
    LSTMState,
    checkpoint_to_keras_model,
    checkpoint_to_torch_module,
    variables_to_keras_model,
    variables_to_torch_module,
)
from tf_rnn_checks.convert.onnx_weights import (
    basic_rnn_from_onnx,
    basic_rnn_to_onnx,
    bidirectional,
    gru_from_onnx,
    gru_to_onnx,
    lstm_from_onnx,
    lstm_to_onnx,
)
from tf_rnn_checks.convert.torch_weights import (
    basic_rnn_from_torch,
    basic_rnn_to_torch,
    gru_from_torch,
    gru_to_torch,
    lstm_from_torch,
    lstm_to_torch,
)

__all__ = [
    "LSTMState",
    "basic_rnn_from_keras",
    "basic_rnn_from_onnx",
    "basic_rnn_from_torch",
    "basic_rnn_to_keras",
    "basic_rnn_to_onnx",
    "basic_rnn_to_torch",
    "bidirectional",
    "checkpoint_to_keras",
    "checkpoint_to_keras_model",
    "checkpoint_to_onnx",
    "checkpoint_to_torch",
    "checkpoint_to_torch_module",
    "find_cells",
    "gru_from_keras",
    "gru_from_onnx",
    "gru_from_torch",
    "gru_to_keras",
    "gru_to_onnx",
    "gru_to_torch",
    "lstm_from_keras",
    "lstm_from_onnx",
    "lstm_from_torch",
    "lstm_to_keras",
    "lstm_to_onnx",
    "lstm_to_torch",
    "read_checkpoint",
    "variables_to_keras",
    "variables_to_keras_model",
    "variables_to_onnx",
    "variables_to_torch",
    "variables_to_torch_module",
]

"""Check a cell whose layer-norm gain and shift keep their own initializers: declare them, and the kernel is still checked.

Run: python -m pytest examples
"""

from layer_norm_lstm_cell import LayerNormLSTMCell, layer_norm_lstm_step

from tf_rnn_checks import custom_cell, parametrize_with_checks

LAYER_NORM_LSTM = custom_cell(
    lambda **overrides: LayerNormLSTMCell(3, **overrides),
    name="LayerNormLSTMCell",
    reference=layer_norm_lstm_step,
    initializer_argument="initializer",
    own_initializer=("ln_gamma", "ln_beta"),  # ones and zeros by design; every other weight follows the scope
)


@parametrize_with_checks([LAYER_NORM_LSTM])
def test_cell(cell, check):
    check(cell)

from tf_rnn_checks import registry
from tf_rnn_checks.checks import lstm_layout

globals().update(registry.tests_from(lstm_layout))

from tf_rnn_checks.checks import lstm_layout
from tf_rnn_checks import registry

globals().update(registry.tests_from(lstm_layout))

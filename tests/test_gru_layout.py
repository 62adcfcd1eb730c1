from tf_rnn_checks import registry
from tf_rnn_checks.checks import gru_layout

globals().update(registry.tests_from(gru_layout))

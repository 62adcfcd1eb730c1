from tf_rnn_checks.checks import gru_layout
from tf_rnn_checks import registry

globals().update(registry.tests_from(gru_layout))

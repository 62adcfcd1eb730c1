from tf_rnn_checks.checks import bias_defaults
from tf_rnn_checks import registry

globals().update(registry.tests_from(bias_defaults))

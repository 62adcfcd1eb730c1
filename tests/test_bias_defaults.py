from tf_rnn_checks import registry
from tf_rnn_checks.checks import bias_defaults

globals().update(registry.tests_from(bias_defaults))

from tf_rnn_checks import registry
from tf_rnn_checks.checks import environment

globals().update(registry.tests_from(environment))

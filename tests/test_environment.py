from tf_rnn_checks.checks import environment
from tf_rnn_checks import registry

globals().update(registry.tests_from(environment))

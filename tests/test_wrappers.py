from tf_rnn_checks.checks import wrappers
from tf_rnn_checks import registry

globals().update(registry.tests_from(wrappers))

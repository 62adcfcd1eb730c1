from tf_rnn_checks import registry
from tf_rnn_checks.checks import wrappers

globals().update(registry.tests_from(wrappers))

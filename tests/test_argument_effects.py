from tf_rnn_checks import registry
from tf_rnn_checks.checks import argument_effects

globals().update(registry.tests_from(argument_effects))

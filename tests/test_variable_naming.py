from tf_rnn_checks import registry
from tf_rnn_checks.checks import variable_naming

globals().update(registry.tests_from(variable_naming))

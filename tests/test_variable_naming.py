from tf_rnn_checks.checks import variable_naming
from tf_rnn_checks import registry

globals().update(registry.tests_from(variable_naming))

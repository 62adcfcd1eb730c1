from tf_rnn_checks.checks import state_structure
from tf_rnn_checks import registry

globals().update(registry.tests_from(state_structure))

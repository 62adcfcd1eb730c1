from tf_rnn_checks import registry
from tf_rnn_checks.checks import state_structure

globals().update(registry.tests_from(state_structure))

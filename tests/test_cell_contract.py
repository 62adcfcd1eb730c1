from tf_rnn_checks import registry
from tf_rnn_checks.checks import cell_contract

globals().update(registry.tests_from(cell_contract))

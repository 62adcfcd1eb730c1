from tf_rnn_checks import registry
from tf_rnn_checks.checks import checkpoints

globals().update(registry.tests_from(checkpoints))

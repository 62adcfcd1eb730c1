from tf_rnn_checks.checks import checkpoints
from tf_rnn_checks import registry

globals().update(registry.tests_from(checkpoints))

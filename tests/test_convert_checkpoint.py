from tf_rnn_checks.checks import convert_checkpoint
from tf_rnn_checks import registry

globals().update(registry.tests_from(convert_checkpoint))

from tf_rnn_checks.checks import weight_sharing
from tf_rnn_checks import registry

globals().update(registry.tests_from(weight_sharing))

from tf_rnn_checks import registry
from tf_rnn_checks.checks import weight_sharing

globals().update(registry.tests_from(weight_sharing))

from tf_rnn_checks import registry
from tf_rnn_checks.checks import dtypes

globals().update(registry.tests_from(dtypes))

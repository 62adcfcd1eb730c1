from tf_rnn_checks.checks import dtypes
from tf_rnn_checks import registry

globals().update(registry.tests_from(dtypes))

from tf_rnn_checks.checks import initializer_inheritance
from tf_rnn_checks import registry

globals().update(registry.tests_from(initializer_inheritance))

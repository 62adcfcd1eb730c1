from tf_rnn_checks.checks import numerics
from tf_rnn_checks import registry

globals().update(registry.tests_from(numerics))

from tf_rnn_checks import registry
from tf_rnn_checks.checks import numerics

globals().update(registry.tests_from(numerics))

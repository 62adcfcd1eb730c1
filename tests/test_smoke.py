from tf_rnn_checks import registry
from tf_rnn_checks.checks import smoke

globals().update(registry.tests_from(smoke))

from tf_rnn_checks.checks import smoke
from tf_rnn_checks import registry

globals().update(registry.tests_from(smoke))

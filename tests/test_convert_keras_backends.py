from tf_rnn_checks import registry
from tf_rnn_checks.checks import convert_keras_backends

globals().update(registry.tests_from(convert_keras_backends))

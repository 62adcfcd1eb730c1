from tf_rnn_checks import registry
from tf_rnn_checks.checks import api_surface

globals().update(registry.tests_from(api_surface))

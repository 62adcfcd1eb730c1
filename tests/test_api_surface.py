from tf_rnn_checks.checks import api_surface
from tf_rnn_checks import registry

globals().update(registry.tests_from(api_surface))

from tf_rnn_checks import registry
from tf_rnn_checks.checks import convert_modules

globals().update(registry.tests_from(convert_modules))

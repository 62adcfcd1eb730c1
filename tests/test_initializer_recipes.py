from tf_rnn_checks import registry
from tf_rnn_checks.checks import initializer_recipes

globals().update(registry.tests_from(initializer_recipes))

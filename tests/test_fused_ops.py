from tf_rnn_checks import registry
from tf_rnn_checks.checks import fused_ops

globals().update(registry.tests_from(fused_ops))

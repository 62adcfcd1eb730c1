from tf_rnn_checks.checks import fused_ops
from tf_rnn_checks import registry

globals().update(registry.tests_from(fused_ops))

"""The suite's checks, one module per behaviour family; see :mod:`tf_rnn_checks.registry`."""

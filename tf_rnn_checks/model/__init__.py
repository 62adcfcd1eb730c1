"""Your own TF1 checkpoint through the gate: ``tf-rnn-checks inspect`` and ``tf-rnn-checks probe``.

- :mod:`~tf_rnn_checks.model.detect`: the recurrent structures in a ``{name: (shape, dtype)}`` map (no TensorFlow);
- :mod:`~tf_rnn_checks.model.source`: :func:`~tf_rnn_checks.model.source.open_checkpoint`, the one place a checkpoint is opened;
- :mod:`~tf_rnn_checks.model.build`: a structure rebuilt with the installed TF through :func:`tf_rnn_checks.modes.run`;
- :mod:`~tf_rnn_checks.model.inspect` and :mod:`~tf_rnn_checks.model.probe`: the two commands' results;
- :mod:`~tf_rnn_checks.model.commands`: their command-line arguments and exit codes.
"""

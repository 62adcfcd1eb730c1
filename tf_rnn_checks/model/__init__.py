"""Your own TF1 checkpoint through the gate: ``tf-rnn-checks inspect`` and ``tf-rnn-checks probe``.

- :mod:`~tf_rnn_checks.model.detect`: the recurrent structures in a ``{name: (shape, dtype)}`` map (no TensorFlow), the
  checkpoint opened by :func:`tf_rnn_checks.checkpoint_files.open_checkpoint` like everywhere else;
- :mod:`~tf_rnn_checks.model.build`: a structure rebuilt with the installed TF through :func:`tf_rnn_checks.modes.run`;
- :mod:`~tf_rnn_checks.model.inspect` and :mod:`~tf_rnn_checks.model.probe`: the two commands' results;
- :mod:`~tf_rnn_checks.model.commands`: their command-line arguments and exit codes.
"""

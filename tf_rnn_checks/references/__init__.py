"""NumPy references for the TF1 recurrent cells and drivers, and the kernel-layout helpers.

Nothing in this package imports TensorFlow: the references are what TF is checked against, and they
are tested on their own (``tests/meta``) so they still run when TensorFlow is broken.

- :mod:`~tf_rnn_checks.references.layout`: split/join TF1 LSTM and GRU kernels into named gate blocks;
- :mod:`~tf_rnn_checks.references.cells`: the cells, built from TF's own variables by short name;
- :mod:`~tf_rnn_checks.references.drivers`: ``dynamic_rnn``, ``static_rnn``, the bidirectional pair.
"""

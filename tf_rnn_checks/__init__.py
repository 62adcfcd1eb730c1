"""tf-rnn-checks: executable checks of how TensorFlow 2 runs TF1-style recurrent cells.

Importing the package does not import TensorFlow; :mod:`tf_rnn_checks.tf_import` does, after setting
``TF_USE_LEGACY_KERAS`` as the installed packages require.
"""

__version__ = "0.1.0"

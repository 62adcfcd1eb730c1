"""The one place the library imports TensorFlow, after configuring the legacy-Keras switch.

Importing this module has the side effect the suite exists to control: it sets or clears
``TF_USE_LEGACY_KERAS`` (see :mod:`tf_rnn_checks.legacy_keras`) and then imports TensorFlow.
"""

import os

from tf_rnn_checks.legacy_keras import configure_legacy_keras

ENVIRONMENT_SETUP = configure_legacy_keras()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TF's C++ start-up chatter out of test logs

import tensorflow as tf  # noqa: E402

v1 = tf.compat.v1

__all__ = ["ENVIRONMENT_SETUP", "tf", "v1"]

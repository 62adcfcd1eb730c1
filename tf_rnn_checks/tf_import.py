"""The one place the library imports TensorFlow, after configuring the legacy-Keras switch.

Importing this module has the side effect the suite exists to control: it sets or clears
``TF_USE_LEGACY_KERAS`` (see :mod:`tf_rnn_checks.legacy_keras`), sets ``TF_CPP_MIN_LOG_LEVEL=2`` unless the
user set it, and then imports TensorFlow. Every process that runs checks (pytest-xdist workers included)
imports TensorFlow through here.
"""

import os

from tf_rnn_checks.legacy_keras import configure_legacy_keras

ENVIRONMENT_SETUP = configure_legacy_keras()
# 2 drops the INFO and WARNING lines of TF's C++ logging (start-up chatter such as cpu_feature_guard) and keeps
# ERROR and FATAL; 3 would hide C++ errors too. The lines absl prints before absl::InitializeLog() (oneDNN,
# cudart_stub on TF 2.21) ignore this variable at any level.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

v1 = tf.compat.v1

__all__ = ["ENVIRONMENT_SETUP", "tf", "v1"]

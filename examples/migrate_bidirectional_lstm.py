"""A bidirectional, padded, two-layer TF1 LSTM checkpoint migrated whole into PyTorch and Keras 3 (README.md shows this file)."""

import os
import tempfile

import numpy as np
import torch

from tf_rnn_checks import convert
from tf_rnn_checks.tf_import import tf  # sets TF_USE_LEGACY_KERAS where tf-keras is installed, then imports TensorFlow

v1 = tf.compat.v1
x = np.random.default_rng(0).standard_normal((3, 5, 4)).astype(np.float32)  # [batch, time, input]
lengths = np.array([5, 1, 3], np.int32)


def save_tf1_model(prefix):
    """TF1: bidirectional_dynamic_rnn over a 2-layer MultiRNNCell of LSTMCell(8) per direction, saved by a Saver."""
    with tf.Graph().as_default(), v1.Session() as session:
        fw, bw = (v1.nn.rnn_cell.MultiRNNCell([v1.nn.rnn_cell.LSTMCell(8) for _ in range(2)]) for _ in range(2))
        tf1 = v1.nn.bidirectional_dynamic_rnn(fw, bw, x, sequence_length=lengths, dtype=tf.float32)
        session.run(v1.global_variables_initializer())
        v1.train.Saver().save(session, prefix)
        return session.run(tf1)  # ((out_fw, out_bw), (state_fw, state_bw)), a layer's state is LSTMStateTuple(c, h)


with tempfile.TemporaryDirectory() as directory:
    prefix = os.path.join(directory, "model.ckpt")
    expected = save_tf1_model(prefix)
    # Stack depth, directions and cell kind come from the checkpoint; forget_bias (not stored) is TF1's default 1.0.
    module = convert.checkpoint_to_torch_module(prefix, scope="bidirectional_rnn")
    model = convert.checkpoint_to_keras_model(prefix, scope="bidirectional_rnn", keras="keras3")

# Both are called as TF1's driver was: (x, sequence_length=None, initial_state=None) -> (outputs, final_states).
with torch.no_grad():
    migrated = {"torch": module(torch.from_numpy(x), sequence_length=torch.from_numpy(lengths))}
migrated["keras3"] = model(x, sequence_length=lengths)  # or mask= instead of the lengths

for name, result in migrated.items():
    for observed, want in zip(tf.nest.flatten(result), tf.nest.flatten(expected), strict=True):
        np.testing.assert_allclose(np.asarray(observed), want, rtol=1e-5, atol=1e-6)  # zeros past each length included
    print(f"{name}: outputs and final states match TF1's")

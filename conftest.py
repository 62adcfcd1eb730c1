pytest_plugins = ["tf_rnn_checks.pytest_plugin"]

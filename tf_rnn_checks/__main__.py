"""``python -m tf_rnn_checks``: the ``tf-rnn-checks`` command."""

import sys

from tf_rnn_checks.cli import main

sys.exit(main())

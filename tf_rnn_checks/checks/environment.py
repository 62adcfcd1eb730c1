"""Is the TF1 RNN surface there at all, and where does it come from."""

from __future__ import annotations

from tf_rnn_checks.legacy_keras import legacy_cells_status
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check


@check(needs_legacy_cells=False)
def check_legacy_rnn_cells_are_available() -> None:
    """`tf.compat.v1.nn.rnn_cell` provides the TF1 cells, from bundled Keras 2 or from tf_keras with TF_USE_LEGACY_KERAS=1."""
    __tracebackhide__ = True
    status = legacy_cells_status()
    observe("legacy_cells_home", status.home)
    observe("legacy_cells_module", status.module)
    if not status.available:
        raise AssertionError(
            f"tf.compat.v1.nn.rnn_cell.LSTMCell: observed {status.problem}, but TF was expected to provide the legacy cells "
            f"[tf.compat.v1.nn.rnn_cell.LSTMCell]\nFix: {status.fix}.\nEvery check that needs the legacy cells is skipped."
        )

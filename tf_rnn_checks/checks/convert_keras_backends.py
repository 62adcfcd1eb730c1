"""Keras 3 on every backend (TensorFlow, JAX, PyTorch) given converted TF1 weights, against TF1's dynamic_rnn with sequence_length.

Keras fixes its backend when it is first imported, so each backend other than the one the suite's Keras runs on
(TensorFlow) runs in one subprocess per test run (``KERAS_BACKEND=<backend> python _keras_jobs.py``; pytest-xdist
workers share its results through a locked file), which computes every Keras run the checks below compare, from NumPy
weights and inputs to NumPy outputs, once (:func:`backend_results`, shared). The checks then compare those outputs to the shared TF1 runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

try:
    import fcntl
except ImportError:  # Windows: each worker runs its own subprocesses
    fcntl = None  # type: ignore[assignment]

from tf_rnn_checks.assertions import assert_close, assert_equal, assert_not_close, observe_max_abs_error
from tf_rnn_checks.cells import CellSpec, gru, lstm
from tf_rnn_checks.checks import _keras_jobs as jobs
from tf_rnn_checks.checks import convert_drivers as d
from tf_rnn_checks.checks import convert_sequences as s
from tf_rnn_checks.observations import observe
from tf_rnn_checks.registry import check
from tf_rnn_checks.runtimes import INSTALL, keras_flavour
from tf_rnn_checks.shared_runs import shared

WORKER = Path(jobs.__file__)
TIMEOUT_SECONDS = 300
# JAX's persistent compilation cache for the jax subprocess, unless JAX_COMPILATION_CACHE_DIR names one.
JAX_CACHE = os.path.join(tempfile.gettempdir(), f"tf-rnn-checks-jax-cache-{getattr(os, 'getuid', lambda: 0)()}")
# What the skip reason names when a backend's runtime is missing (torch's is runtimes.INSTALL's).
BACKEND_INSTALL = {"tensorflow": "pip install tensorflow-cpu", "jax": 'pip install "jax[cpu]"', "torch": INSTALL["torch"]}


@dataclass(frozen=True)
class Backend:
    """A Keras 3 backend; ``str`` is its test id."""

    name: str

    def __str__(self) -> str:
        return f"keras3-{self.name}"


BACKENDS = (Backend("tensorflow"), Backend("jax"), Backend("torch"))
CELLS = (lstm(d.UNITS), gru(d.UNITS))


def _skip_unless_available(backend: Backend) -> Any:
    """The suite's Keras 3 module (``pytest.skip`` without Keras 3), after skipping with the install command when ``backend``'s runtime is missing."""
    module = keras_flavour("keras3")
    if importlib.util.find_spec(backend.name) is None:
        pytest.skip(f"{backend.name} not installed (Keras 3's {backend.name} backend): {BACKEND_INSTALL[backend.name]}")
    return module


def job_name(stack: CellSpec) -> str:
    return f"stacked from an initial state {stack}"


def _stack_job(stack: CellSpec) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Two Keras layers stacked, each from its layer's initial state, with mask=: the bottom one as users build it
    (zero_output_for_mask=False), the top one with zero_output_for_mask=True."""
    kind = d._kind(stack)
    weights = [s.TO_KERAS[kind](layer) for layer in d.layer_variables(d.tf1_run(stack, with_initial_state=True).values)]
    meta = {"name": job_name(stack), "kind": kind, "units": d.UNITS, "zero_output_for_mask": [False, True]}
    return meta, jobs.job_arrays(job_name(stack), x=s._inputs(), weights=weights, mask=s.VALID, initial=d.initial_state(stack))


def all_jobs() -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    """Every Keras 3 run the checks of this module compare, for one backend: one stack per cell kind (a JAX compile per layer)."""
    metas, arrays = [], {}
    for stack in d.STACKS:
        meta, job = _stack_job(stack)
        metas.append(meta)
        arrays.update(job)
    return metas, arrays


@shared
def backend_results(backend: Backend) -> dict[str, np.ndarray]:
    """The results of :func:`all_jobs` on ``backend``: in process on the backend the suite's Keras 3 runs on, else in one subprocess."""
    module = _skip_unless_available(backend)
    metas, arrays = all_jobs()
    if module.backend.backend() == backend.name:
        return jobs.run_jobs(module, metas, arrays)
    with _shared_between_workers(backend, _digest(metas, arrays)) as saved:
        if os.path.exists(saved):
            with np.load(saved) as data:
                return {key: data[key] for key in data.files}
        results = _in_subprocess(backend, metas, arrays)
        np.savez(saved, **results)
    return results


def _digest(metas: list[dict[str, Any]], arrays: dict[str, np.ndarray]) -> str:
    """A digest of the jobs: a test that changes them (a deliberate break) never reads results computed without the change."""
    digest = hashlib.sha256(json.dumps(metas, sort_keys=True, default=str).encode())
    for key in sorted(arrays):
        digest.update(key.encode())
        digest.update(np.ascontiguousarray(arrays[key]).tobytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _shared_between_workers(backend: Backend, jobs_digest: str) -> Iterator[str]:
    """The file the backend's results for these jobs are kept in for the other pytest-xdist workers of this run, held under a lock.

    Under xdist every worker would otherwise start its own subprocess per backend; one run's workers share
    ``PYTEST_XDIST_TESTRUNUID``, so the results never outlive the run that computed them.
    """
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run_id is None or fcntl is None:
        with tempfile.TemporaryDirectory(prefix="tf-rnn-checks-keras-") as folder:
            yield os.path.join(folder, "results.npz")
        return
    folder = os.path.join(tempfile.gettempdir(), f"tf-rnn-checks-keras-{getattr(os, 'getuid', lambda: 0)()}")
    os.makedirs(folder, exist_ok=True)
    name = f"{run_id}-{backend.name}-{jobs_digest}"
    with open(os.path.join(folder, f"{name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield os.path.join(folder, f"{name}.npz")


def _in_subprocess(backend: Backend, metas: list[dict[str, Any]], arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Run the jobs with ``KERAS_BACKEND=<backend>`` in a fresh interpreter; its results, checked to come from that backend."""
    with tempfile.TemporaryDirectory(prefix="tf-rnn-checks-keras-") as folder:
        jobs_path, results_path = os.path.join(folder, "jobs.npz"), os.path.join(folder, "results.npz")
        jobs.write_jobs(jobs_path, metas, arrays)
        environment = {**os.environ, "KERAS_BACKEND": backend.name, "JAX_PLATFORMS": "cpu", "OMP_NUM_THREADS": "1"}
        environment["XLA_FLAGS"] = " ".join(filter(None, [os.environ.get("XLA_FLAGS"), "--xla_cpu_multi_thread_eigen=false"]))
        if backend.name == "jax" and "JAX_COMPILATION_CACHE_DIR" not in os.environ:
            # JAX compiles each layer's scan (about 0.3-0.8 s of CPU each, cold); its persistent cache makes later runs cheap.
            environment["JAX_COMPILATION_CACHE_DIR"] = JAX_CACHE
            environment["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] = "0"
        done = subprocess.run(
            [sys.executable, str(WORKER), jobs_path, results_path],
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"KERAS_BACKEND={backend.name} {WORKER.name} exited with {done.returncode}: {done.stderr.strip()[-2000:]}")
        with np.load(results_path) as data:
            results = {key: data[key] for key in data.files}
    if str(results.pop("backend")) != backend.name:
        raise RuntimeError(f"KERAS_BACKEND={backend.name}: the subprocess's Keras ran on another backend")
    results.pop("keras_version")
    return results


def _states(results: dict[str, np.ndarray], stack: CellSpec, layers: range) -> list[list[np.ndarray]]:
    parts = 2 if d._kind(stack) == "LSTMCell" else 1
    return [[results[f"{job_name(stack)}/state{layer}_{part}"] for part in range(parts)] for layer in layers]


def _stack_of(cell: CellSpec) -> CellSpec:
    return next(stack for stack in d.STACKS if stack.layers[0] == cell)


@check(cell=CELLS, backend=BACKENDS)
def check_keras3_masked_layer_repeats_the_last_output_past_the_length_on_every_backend(cell: CellSpec, backend: Backend) -> None:
    """On each Keras 3 backend (TensorFlow, JAX, PyTorch) an LSTM / GRU(reset_after=False) layer given the converted TF1 weights, initial_state=[h(, c)] and mask= gives TF1 dynamic_rnn's outputs at valid steps and final state from the same non-zero initial_state with sequence_length, and repeats each row's last valid output past its length where TF1 gives zeros; multiplied by the mask, its outputs are TF1's everywhere."""
    results = backend_results(backend)
    stack = _stack_of(cell)
    tf1 = d.tf1_run(cell, with_initial_state=True)
    call = f"KERAS_BACKEND={backend.name} {s._keras_call('keras3', d._kind(cell), d.UNITS)[:-1]}, initial_state=...) with {s.TO_KERAS[d._kind(cell)].__name__}({cell}) vs dynamic_rnn(initial_state=..., sequence_length=...)"
    # The bottom layer of the stack job: its weights and initial state are those of the single cell (seeded alike).
    bottom = d.layer_variables(d.tf1_run(stack, with_initial_state=True).values)[0]
    single = d.layer_variables(tf1.values)[0]
    assert_equal(sorted(bottom), sorted(single), what="the stack's bottom layer variable names vs the single cell's", call=call)
    for name in single:
        assert_equal(bottom[name], single[name], what=f"the stack's bottom layer {name} vs the single cell's", call=call)
    for part, value in enumerate(d.initial_state(cell)[0]):
        assert_equal(
            d.initial_state(stack)[0][part], value, what=f"the stack's bottom initial state part {part} vs the single cell's", call=call
        )
    outputs = results[f"{job_name(stack)}/outputs0"]
    observe_max_abs_error("max_abs_error_valid_steps", outputs[s.VALID], tf1.outputs[s.VALID])
    assert_close(outputs[s.VALID], tf1.outputs[s.VALID], what="outputs at valid steps", call=call)
    d._compare_layer_states(_states(results, stack, range(1)), d.layer_states(cell, tf1.state), call=call, key="max_abs_error_final")
    observe("past_the_length", s._past_the_length(outputs))
    carried = [["last valid output"] * (s.STEPS - length) for length in s.LENGTHS]
    assert_equal(s._past_the_length(outputs), carried, what=f"outputs past each row's length {list(s.LENGTHS)}", call=call)
    observe_max_abs_error("max_abs_difference_past_the_length", outputs[~s.VALID], tf1.outputs[~s.VALID])
    assert_not_close(outputs[~s.VALID], tf1.outputs[~s.VALID], what="outputs past the length vs TF1's zeros", call=call)
    s._compare_sequences(
        s._times_mask(outputs, s.VALID), tf1.outputs, what="outputs times the mask", call=call, key="max_abs_error_with_recipe"
    )


@check(cell=d.STACKS, backend=BACKENDS)
def check_keras3_stacked_layers_from_an_initial_state_match_tf1_on_every_backend(cell: CellSpec, backend: Backend) -> None:
    """On each Keras 3 backend (TensorFlow, JAX, PyTorch) two LSTM / GRU(reset_after=False) layers stacked, each given its converted TF1 layer's weights, initial_state=[h(, c)] and mask=, the top one with zero_output_for_mask=True, give a two-layer TF1 MultiRNNCell's dynamic_rnn outputs (zeros past each length included) and each layer's final state from the same non-zero initial_state with sequence_length."""
    results = backend_results(backend)
    tf1 = d.tf1_run(cell, with_initial_state=True)
    call = f"KERAS_BACKEND={backend.name} keras3 layers stacked twice with mask= and initial_state per layer, the top one with zero_output_for_mask=True, vs dynamic_rnn({cell}, initial_state=..., sequence_length=...)"
    s._compare_sequences(results[f"{job_name(cell)}/outputs1"], tf1.outputs, what="outputs", call=call)
    d._compare_layer_states(_states(results, cell, range(2)), d.layer_states(cell, tf1.state), call=call, key="max_abs_error_final")

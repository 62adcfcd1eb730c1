"""Keras 3 runs of converted TF1 weights on any Keras backend: NumPy arrays in, NumPy arrays out.

Keras picks its backend (TensorFlow, JAX, PyTorch) once, when it is first imported (``KERAS_BACKEND``), so a process
runs one backend. :func:`run_jobs` runs a batch of jobs with the ``keras`` module it is given (the checks call it in
process for the backend the suite's Keras runs on); run as a script it is the subprocess of any other backend::

    KERAS_BACKEND=jax python _keras_jobs.py jobs.npz results.npz

A job is one stack of Keras ``LSTM`` / ``GRU(reset_after=False)`` layers (each called on the one below's sequences)
set to given weights and called on ``x`` with an optional ``mask`` and per-layer ``initial_state``, each layer with its
own ``zero_output_for_mask``. ``jobs.npz`` holds
the job list as JSON under ``"jobs"`` and each job's arrays under ``"<job>/x"``, ``"<job>/mask"``,
``"<job>/weights<layer>_<k>"`` and ``"<job>/initial<layer>_<part>"``; the results are each layer's ``"<job>/outputs<layer>"`` and
``"<job>/state<layer>_<part>"`` (Keras's ``[h, c]`` order). Imports nothing of tf_rnn_checks, so the subprocess never
imports TensorFlow; the layers are built with zero initializers (their weights are set right after), which keeps
JAX from compiling random and QR initializers it would throw away.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np

ZEROS = {"kernel_initializer": "zeros", "recurrent_initializer": "zeros", "bias_initializer": "zeros"}


def job_arrays(
    name: str,
    *,
    x: np.ndarray,
    weights: list[list[np.ndarray]],
    mask: np.ndarray | None = None,
    initial: Any = None,
) -> dict[str, np.ndarray]:
    """The arrays of job ``name`` as ``jobs.npz`` keys (``initial``: per layer a tuple ``(h[, c])``)."""
    arrays = {f"{name}/x": np.asarray(x)}
    if mask is not None:
        arrays[f"{name}/mask"] = np.asarray(mask, bool)
    for layer, layer_weights in enumerate(weights):
        arrays.update({f"{name}/weights{layer}_{k}": np.asarray(w) for k, w in enumerate(layer_weights)})
    for layer, parts in enumerate(initial or ()):
        arrays.update({f"{name}/initial{layer}_{part}": np.asarray(value) for part, value in enumerate(parts)})
    return arrays


def run_jobs(keras: Any, jobs: list[dict[str, Any]], arrays: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Run every job (``{"name", "kind": "LSTMCell" | "GRUCell", "units", "zero_output_for_mask": [one bool per layer]}``) with ``keras``; return the results by key."""
    results: dict[str, np.ndarray] = {}
    for job in jobs:
        name, kind, units = job["name"], job["kind"], int(job["units"])
        outputs = keras.ops.convert_to_tensor(arrays[f"{name}/x"])
        mask = keras.ops.convert_to_tensor(arrays[f"{name}/mask"]) if f"{name}/mask" in arrays else None
        for layer_index, zero_output_for_mask in enumerate(job["zero_output_for_mask"]):
            options = dict(ZEROS, return_sequences=True, return_state=True, zero_output_for_mask=bool(zero_output_for_mask))
            if kind == "LSTMCell":
                layer = keras.layers.LSTM(units, **options)
            else:
                layer = keras.layers.GRU(units, reset_after=False, **options)
            layer.build(tuple(outputs.shape))
            prefix = f"{name}/weights{layer_index}_"
            layer.set_weights([arrays[f"{prefix}{k}"] for k in range(len([key for key in arrays if key.startswith(prefix)]))])
            arguments: dict[str, Any] = {"mask": mask}
            initial = [arrays[key] for key in sorted(arrays) if key.startswith(f"{name}/initial{layer_index}_")]
            if initial:
                arguments["initial_state"] = [keras.ops.convert_to_tensor(value) for value in initial]
            outputs, *states = layer(outputs, **arguments)
            results[f"{name}/outputs{layer_index}"] = keras.ops.convert_to_numpy(outputs)
            for part, state in enumerate(states):
                results[f"{name}/state{layer_index}_{part}"] = keras.ops.convert_to_numpy(state)
    return results


def read_jobs(path: str) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    """The job list and arrays of a ``jobs.npz`` written by :func:`write_jobs`."""
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files}
    return json.loads(str(arrays.pop("jobs"))), arrays


def write_jobs(path: str, jobs: list[dict[str, Any]], arrays: Mapping[str, np.ndarray]) -> None:
    np.savez(path, jobs=np.array(json.dumps(jobs)), **arrays)


def main(argv: list[str]) -> int:
    jobs_path, results_path = argv
    if os.environ.get("KERAS_BACKEND") != "jax":
        # Keras 3 imports JAX whenever it is installed (keras/src/callbacks/orbax_checkpoint.py, ~0.5 s of CPU) and
        # carries on without it; a None entry makes that import fail the way a missing JAX does.
        sys.modules.setdefault("jax", None)  # type: ignore[arg-type]
    import keras  # the backend is KERAS_BACKEND's

    if keras.backend.backend() == "torch":
        import torch

        torch.set_num_threads(1)
    jobs, arrays = read_jobs(jobs_path)
    results = run_jobs(keras, jobs, arrays)
    np.savez(results_path, backend=np.array(keras.backend.backend()), keras_version=np.array(keras.__version__), **results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

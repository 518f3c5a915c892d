"""What this notebook runs on: versions, CPU or GPU, XLA, and the run profile."""

from __future__ import annotations

import os
import platform

import keras
import tensorflow as tf

from helpers.profile import ENV_VAR, PROFILE


def gpus() -> list[str]:
    """Names of the GPUs TensorFlow can use (empty on a CPU-only machine)."""
    return [d.name for d in tf.config.list_physical_devices("GPU")]


def uses_xla() -> bool:
    """Whether the course compiles models with XLA (``jit_compile=True``).

    On a CPU, XLA fuses the many small operations of a recurrent step and trains the
    chapter's models faster with the same results; on a GPU we keep Keras' default,
    which lets LSTM and GRU layers use their cuDNN kernels.
    """
    return not gpus()


def report() -> str:
    """A few lines saying what runs the notebook; printed by :func:`helpers.setup`."""
    gpu_names = gpus()
    if gpu_names:
        device = f"GPU x{len(gpu_names)} ({', '.join(gpu_names)}); cuDNN kernels for LSTM/GRU"
    else:
        device = f"CPU only ({os.cpu_count()} cores), no GPU found"
    xla = "on (jit_compile=True)" if uses_xla() else "Keras default"
    source = f"${ENV_VAR}" if os.environ.get(ENV_VAR) else f"default; set ${ENV_VAR}=quick for tests"
    return "\n".join([
        f"TensorFlow {tf.__version__}, Keras {keras.__version__} "
        f"(backend: {keras.backend.backend()}), Python {platform.python_version()}",
        f"Device: {device}; XLA: {xla}",
        f"Profile: {PROFILE.describe()} [{source}]",
    ])

"""What this notebook runs on: versions, CPU or GPU, XLA, and the run profile."""

import os
import platform

import keras
import tensorflow as tf

from helpers import checks
from helpers.profile import ENV_VAR, PROFILE


def gpus() -> list[str]:
    """Names of the GPUs TensorFlow can use (empty on a CPU-only machine)."""
    return [d.name for d in tf.config.list_physical_devices("GPU")]


def uses_xla() -> bool:
    """Whether the course compiles models with XLA (``jit_compile=True``).

    On a CPU, XLA fuses the many small operations of a recurrent step and trains the
    chapter's models faster with the same results; on a GPU we keep Keras' default,
    which lets LSTM and GRU layers use their cuDNN kernels. The quick profile turns it off
    (``Profile.xla``): compiling costs more than its short runs save.
    """
    return not gpus() and PROFILE.xla


def report() -> str:
    """A few lines saying what runs the notebook; printed by :func:`helpers.setup`."""
    gpu_names = gpus()
    device = (f"GPU x{len(gpu_names)} ({', '.join(gpu_names)}); cuDNN kernels for LSTM/GRU"
              if gpu_names else f"CPU only ({os.cpu_count()} cores), no GPU found")
    xla = ("on (jit_compile=True)" if uses_xla() else "Keras default" if gpu_names
           else f"off in the {PROFILE.name} profile")
    source = (f"${ENV_VAR}" if os.environ.get(ENV_VAR)
              else f"default; set ${ENV_VAR}=quick for tests")
    return (f"TensorFlow {tf.__version__}, Keras {keras.__version__} (backend: "
            f"{keras.backend.backend()}), Python {platform.python_version()}\n"
            f"Device: {device}; XLA: {xla}\nProfile: {PROFILE.describe()} [{source}]")


def cudnn_conditions(layer: keras.layers.Layer) -> dict[str, bool]:
    """The conditions under which Keras runs ``layer`` with NVIDIA's cuDNN kernel on a GPU.

    Only ``LSTM`` and ``GRU`` layers have such a kernel, and only with their default
    activations, no recurrent dropout, no unrolling, biases on, and (GRU) ``reset_after``.
    ``SimpleRNN`` and ``RNN(cell)`` always run the generic loop. Returns each condition
    and whether it holds; ``all(...)`` tells whether cuDNN will be used (given a GPU).
    """
    checks.instance("layer", layer, keras.layers.Layer, "a Keras layer")
    conditions = {"is an LSTM or GRU layer": isinstance(layer, (keras.layers.LSTM,
                                                               keras.layers.GRU))}
    if not conditions["is an LSTM or GRU layer"]:
        return conditions
    conditions.update({
        "activation is tanh": layer.activation is keras.activations.tanh,
        "recurrent_activation is sigmoid":
            layer.recurrent_activation is keras.activations.sigmoid,
        "recurrent_dropout == 0": layer.recurrent_dropout == 0,
        "unroll is False": not layer.unroll,
        "use_bias is True": layer.use_bias})
    if isinstance(layer, keras.layers.GRU):
        conditions["reset_after is True"] = layer.reset_after
    return conditions


def kernel_report(model: keras.Model) -> str:
    """One line per recurrent layer of ``model``: which kernel it runs on a GPU, and why."""
    lines = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.RNN):
            failed = [name for name, ok in cudnn_conditions(layer).items() if not ok]
            why = "cuDNN (all conditions hold)" if not failed else \
                f"generic loop (not: {', '.join(failed)})"
            lines.append(f"{layer.name:<24} {type(layer).__name__:<10} -> {why}")
    return "\n".join(lines) or "(no recurrent layers)"

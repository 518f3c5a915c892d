"""Shared code for the course notebooks: data, plots, training, metrics and widgets.

Import this package *before* TensorFlow or Keras (the notebooks' setup cells do): it
quiets TensorFlow's C++ start-up lines, which would otherwise land in every notebook's
output. Submodules:

- :mod:`helpers.profile`   run profile (``COURSE_PROFILE=full|quick``): sizes and epochs
- :mod:`helpers.data`      the chapter's time-series generator, split and targets
- :mod:`helpers.baselines` naive forecasts, the noise floor, notebook 01's widget logic
- :mod:`helpers.plots`     consistent figures and ``save_fig``
- :mod:`helpers.training`  seeding, compiling (XLA on CPU), fitting with progress, recording
- :mod:`helpers.metrics`   the last-time-step MSE metric
- :mod:`helpers.device`    TensorFlow/Keras versions, device and profile report
- :mod:`helpers.results`   results/ records and the RESULTS.md table
- :mod:`helpers.widgets`   small ipywidgets builders shared by the notebooks
- :mod:`helpers.playground` notebook 11's playground: logic and wiring
"""

from __future__ import annotations

import os
import sys

__all__ = [
    "PROFILE",
    "Profile",
    "get_profile",
    "setup",
]


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow with its pre-logging start-up lines kept out of stderr.

    ``TF_CPP_MIN_LOG_LEVEL=3`` silences TensorFlow's C++ log once its logging is set up,
    but a few lines (oneDNN, CUDA stubs) are written straight to file descriptor 2 before
    that, whatever the variable says. Jupyter kernels forward that descriptor into the
    notebook, so we point it at /dev/null for the duration of the import only. Python
    exceptions raised by the import still propagate normally.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules:
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (embedded interpreters)
        import tensorflow  # noqa: F401
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


_import_tensorflow_quietly()


def _configure_cpu_threads() -> None:
    """One thread per TensorFlow op on a CPU-only machine (``COURSE_CPU_THREADS`` to change).

    The course's models are small (tens of units): splitting each matrix product across
    cores costs more in synchronisation than it saves. Measured on 2 cores, 5 epochs of
    the book's deep RNN took 33.7 s with one thread per op against 39.3 s with
    TensorFlow's default, and 14.3 s against 20.0 s with XLA. This must run before
    TensorFlow executes its first operation, hence here, at import time.
    """
    import tensorflow as tf

    value = os.environ.get("COURSE_CPU_THREADS", "1").strip()
    if value in ("", "0", "default") or tf.config.list_physical_devices("GPU"):
        return
    try:
        tf.config.threading.set_intra_op_parallelism_threads(int(value))
    except RuntimeError:  # TensorFlow already ran something: keep its setting
        pass
    except ValueError as error:
        raise ValueError(f"COURSE_CPU_THREADS must be a whole number, got {value!r}") from error


_configure_cpu_threads()

from helpers.profile import PROFILE, Profile, get_profile  # noqa: E402


def setup(seed: int | None = None) -> Profile:
    """Set up a notebook: plotting style, seeds, and a device/profile report.

    Returns the active :class:`~helpers.profile.Profile`, whose fields give the data
    sizes and epochs the notebook should use.
    """
    from helpers import device, plots, training

    plots.set_style()
    training.set_seed(PROFILE.seed if seed is None else seed)
    print(device.report())
    return PROFILE

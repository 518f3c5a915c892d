"""Shared code for the course notebooks: data, plots, training, metrics and widgets.

Import this package *before* TensorFlow or Keras (the notebooks' setup cells do): it
arranges for TensorFlow, when something first imports it, to load with its C++ start-up
lines muted (they would otherwise land in every notebook's output) and with one thread
per operation on a CPU. Importing the package does not load TensorFlow itself. Submodules:

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

import importlib.abc
import importlib.util
import os
import sys

__all__ = [
    "PROFILE",
    "Profile",
    "get_profile",
    "setup",
]


class _Stderr:
    """Point file descriptor 2 at /dev/null for a while (see :class:`_QuietTensorFlow`)."""

    def __enter__(self):
        try:
            sys.stderr.flush()
            self.saved = os.dup(2)
        except (OSError, ValueError):  # no real stderr (embedded interpreters)
            self.saved = None
            return self
        self.devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(self.devnull, 2)
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            os.dup2(self.saved, 2)
            os.close(self.saved)
            os.close(self.devnull)
        return False


class _QuietLoader(importlib.abc.Loader):
    """TensorFlow's own loader, run with stderr muted, then the course's CPU threads set."""

    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        with _Stderr():
            self.loader.exec_module(module)
        _configure_cpu_threads(module)


class _QuietTensorFlow(importlib.abc.MetaPathFinder):
    """Import TensorFlow, whenever something first does, with its start-up lines muted.

    ``TF_CPP_MIN_LOG_LEVEL=3`` silences TensorFlow's C++ log once its logging is set up,
    but a few lines (oneDNN, CUDA stubs) are written straight to file descriptor 2 before
    that, whatever the variable says. Jupyter kernels forward that descriptor into the
    notebook, so the import runs with it pointed at /dev/null. Importing :mod:`helpers`
    only installs this finder: tools that never touch TensorFlow (``make nav``) do not
    load it. Python exceptions raised by the import still propagate normally.
    """

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once; and the search below must not find us again
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def _configure_cpu_threads(tf) -> None:
    """One thread per TensorFlow op on a CPU-only machine (``COURSE_CPU_THREADS`` to change).

    The course's models are small (tens of units): splitting each matrix product across
    cores costs more in synchronisation than it saves. This must run before TensorFlow
    executes its first operation, hence right after TensorFlow is imported.
    """
    value = os.environ.get("COURSE_CPU_THREADS", "1").strip()
    if value in ("", "0", "default") or tf.config.list_physical_devices("GPU"):
        return
    try:
        tf.config.threading.set_intra_op_parallelism_threads(int(value))
    except RuntimeError:  # TensorFlow already ran something: keep its setting
        pass
    except ValueError as error:
        raise ValueError(f"COURSE_CPU_THREADS must be a whole number, got {value!r}") from error


os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if "tensorflow" not in sys.modules and not any(
        isinstance(finder, _QuietTensorFlow) for finder in sys.meta_path):
    sys.meta_path.insert(0, _QuietTensorFlow())

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

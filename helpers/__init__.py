"""Shared code for the course notebooks: data, models, training, plots and widgets.

Import this package *before* TensorFlow or Keras (the notebooks' setup cells do).
Importing it loads neither; it arranges that when something first imports them,
TensorFlow loads with its C++ start-up lines muted (they would otherwise land in every
notebook's output) and one thread per operation on a CPU, and that once Keras is loaded
the course's custom layers, cells and metric are registered: after ``import helpers``,
``keras.saving.load_model`` loads any of the course's ``.keras`` files. The main modules:

- :mod:`helpers.profile`    run profile (``COURSE_PROFILE=full|quick``): sizes and epochs
- :mod:`helpers.checks`     the argument checks of every public function
- :mod:`helpers.data`       the chapter's time-series generator, split and targets
- :mod:`helpers.datasets`   data sets of one notebook each: real demand, chorales,
  sketches, the memory task
- :mod:`helpers.taught`     the classes and functions the notebooks teach (generated from
  their cells tagged ``taught`` by ``python -m tools.taught``)
- :mod:`helpers.models`     the registry of architectures, built by name
- :mod:`helpers.training`   seeding, compiling (XLA on CPU), fitting with progress, recording
- :mod:`helpers.metrics`    the last-time-step MSE metric
- :mod:`helpers.baselines`, :mod:`helpers.plots`, :mod:`helpers.widgets`,
  :mod:`helpers.results`, :mod:`helpers.device`, :mod:`helpers.diagrams`
- :mod:`helpers.playground` notebook 11's playground: logic and wiring

The maintainers' tools (navigation links, test schedule, seeds, bench, generating
:mod:`helpers.taught`) live in the ``tools`` package.
"""

import contextlib
import importlib
import importlib.abc
import importlib.util
import os
import sys

__all__ = ["PROFILE", "Profile", "get_profile", "setup"]

REGISTERING = ("helpers.taught", "helpers.metrics", "helpers.datasets.sketches")
"""The modules that register the course's custom Keras objects when imported."""
_loading: set[str] = set()  # hooked modules whose code is running now


@contextlib.contextmanager
def _muted_stderr():
    """Point file descriptor 2 at /dev/null for a while (see :class:`_Hook`)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class _Loader(importlib.abc.Loader):
    """A hooked module's own loader, run muted, then the course's steps (see :class:`_Hook`)."""

    def __init__(self, loader, name: str) -> None:
        self.loader, self.name = loader, name

    def __getattr__(self, attribute):  # anything else the import system asks of a loader
        return getattr(self.loader, attribute)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        _loading.add(self.name)
        with _muted_stderr():
            self.loader.exec_module(module)
        _loading.discard(self.name)
        if self.name == "tensorflow":
            _configure_cpu_threads(module)
        _register_custom_objects()


class _Hook(importlib.abc.MetaPathFinder):
    """Run the first import of TensorFlow, and of Keras, through :class:`_Loader`.

    ``TF_CPP_MIN_LOG_LEVEL=3`` silences TensorFlow's C++ log once its logging is set up,
    but a few lines (oneDNN, CUDA stubs) are written straight to file descriptor 2 before
    that, whatever the variable says. Jupyter kernels forward that descriptor into the
    notebook, so the imports run with it pointed at /dev/null. Once both have loaded
    (each imports the other), :data:`REGISTERING` is imported. Importing :mod:`helpers`
    only installs this finder: tools that never touch TensorFlow (``make nav``) do not
    load it. Exceptions raised by the imports propagate normally.
    """

    def __init__(self, names) -> None:
        self.names = set(names)

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        self.names.discard(name)  # once; and the search below must not find us again
        if not self.names:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader, name)
        return spec


def _register_custom_objects() -> None:
    """Import :data:`REGISTERING` once Keras (and the TensorFlow it runs on) has loaded."""
    if "keras" in sys.modules and not _loading:
        for name in REGISTERING:
            importlib.import_module(name)


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
_names = {"tensorflow", "keras"} - sys.modules.keys()
if _names and not any(isinstance(finder, _Hook) for finder in sys.meta_path):
    sys.meta_path.insert(0, _Hook(_names))

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


_register_custom_objects()  # Keras came first: register now

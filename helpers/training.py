"""Seeding, compiling and fitting the course's models, and recording what they score.

The notebooks write ``model.compile`` and ``model.fit`` themselves the first time they
teach them; after that they call :func:`train`, which does the same with the course's
conventions:

- ``jit_compile=True`` (XLA) on a CPU, Keras' default on a GPU (see
  :func:`helpers.device.uses_xla`), and with XLA several training steps per call into
  the compiled function (:data:`STEPS_PER_EXECUTION`);
- the validation set scored in large batches (:func:`fit_options`);
- a compact progress line every few epochs instead of a progress bar per epoch;
- the training time and the final validation metric recorded in ``results/`` by
  :func:`helpers.results.record`.
"""

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from helpers import checks, results
from helpers.device import uses_xla
from helpers.profile import PROFILE

# Training steps per call into an XLA-compiled train function. Each call from Python into
# TensorFlow costs a fixed overhead that, for the course's small models, is a large share
# of a step; running 64 steps per call (the same steps, in the same order, with the same
# updates) removes most of it. Batch-level callbacks then run every 64 steps.
STEPS_PER_EXECUTION = 64
# Batch size for scoring the validation set (no gradients are kept, so large is cheap).
VALIDATION_BATCH = 2_048


def set_seed(seed: int | None = None) -> None:
    """Seed Python, NumPy and Keras/TensorFlow: call it right before building a model.

    ``seed`` defaults to the run's seed (:attr:`helpers.profile.Profile.seed`, 42 unless
    ``$COURSE_SEED`` says otherwise).

    On a GPU this also turns on TensorFlow's op determinism. On a CPU the course compiles
    with XLA, whose CPU kernels are deterministic already (and Keras refuses XLA when op
    determinism is on), so the same seed gives the same numbers either way.
    """
    keras.utils.set_random_seed(checks.integer("seed", PROFILE.seed if seed is None else seed, 0))
    if not uses_xla():
        tf.config.experimental.enable_op_determinism()


def compile_model(model: keras.Model, *, learning_rate: float = 1e-3,
                  loss: str | keras.losses.Loss = "mse", metrics: Sequence | None = None,
                  optimizer: keras.optimizers.Optimizer | None = None,
                  jit_compile: bool | None = None) -> keras.Model:
    """Compile ``model`` with Adam(``learning_rate``) (or ``optimizer``) and the course's XLA
    choice.

    ``jit_compile=False`` turns XLA off for this model whatever the profile (for a model
    whose compilation would take longer than it saves).
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    if optimizer is None:
        checks.number("learning_rate", learning_rate, above=0)
        optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    xla = jit_compile is not False and uses_xla()
    model.compile(loss=loss, optimizer=optimizer, metrics=list(metrics or []),
                  jit_compile=True if xla else "auto",
                  steps_per_execution=STEPS_PER_EXECUTION if xla else 1)
    return model


def fit_options(n_valid: int) -> dict:
    """Extra ``model.fit`` arguments of the course: the validation set in one batch (or in
    batches of :data:`VALIDATION_BATCH`). The validation loss is the same mean either way;
    fewer, larger batches cost less time per epoch."""
    return {"validation_batch_size": min(checks.integer("n_valid", n_valid), VALIDATION_BATCH)}


class EpochProgress(keras.callbacks.Callback):
    """Print one short line every ``every`` epochs (and after the last one)."""

    def __init__(self, epochs: int, every: int | None = None, label: str = "") -> None:
        super().__init__()
        self.epochs, self.every = epochs, every or max(1, epochs // 5)
        self.label = f"{label}: " if label else ""

    def on_train_begin(self, logs=None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None) -> None:
        done = epoch + 1
        if done % self.every and done != self.epochs:
            return
        shown = "  ".join(f"{k} {v:.5f}" for k, v in (logs or {}).items() if k != "learning_rate")
        elapsed = time.perf_counter() - self._start
        print(f"{self.label}epoch {done:>3}/{self.epochs}  {shown}  ({elapsed:.1f} s)")


def _check_targets(model: keras.Model, name: str, y: np.ndarray) -> None:
    """Refuse targets that an MSE loss would broadcast against the model's outputs.

    Keras' losses drop or add a last axis of size 1 to match ranks (``[batch]`` targets
    for ``[batch, 1]`` outputs are fine) and then broadcast: ``[batch, steps, 1]`` targets
    against ``[batch, steps, 10]`` outputs train without an error, on the wrong loss.
    Sizes the model does not fix (``None``) are not compared.
    """
    try:
        output = tuple(model.output_shape)[1:]
    except (AttributeError, ValueError, TypeError):  # not built, or several outputs
        return
    if not all(size is None or isinstance(size, int) for size in output):
        return
    target = tuple(y.shape[1:])
    if len(output) == len(target) + 1 and output[-1] == 1:
        output = output[:-1]
    elif len(target) == len(output) + 1 and target[-1] == 1:
        target = target[:-1]
    if len(output) != len(target) or any(o not in (None, t) for o, t in zip(output, target)):
        raise ValueError(f"{name} has shape {y.shape}, but the model outputs {model.output_shape}: "
                         f"the loss would broadcast one against the other")


@dataclass
class TrainResult:
    """What :func:`train` returns; ``value`` is the final value of ``metric`` (by default
    the validation MSE)."""

    name: str
    history: dict[str, list[float]]
    seconds: float
    params: int
    metric: str
    value: float

    def __repr__(self) -> str:
        return (f"TrainResult({self.name!r}: {self.metric}={self.value:.5f}, "
                f"{self.params:,} params, {self.seconds:.1f} s)")


def train(model: keras.Model, X_train: np.ndarray, y_train: np.ndarray, X_valid: np.ndarray,
          y_valid: np.ndarray, *, name: str, notebook: str, epochs: int | None = None,
          learning_rate: float = 1e-3, batch_size: int | None = None,
          metrics: Sequence | None = None, monitor: str = "val_loss", label: str | None = None,
          progress: bool = True, record: bool = True, compile: bool = True,
          callbacks: Sequence[keras.callbacks.Callback] = (),
          optimizer: keras.optimizers.Optimizer | None = None) -> TrainResult:
    """Compile (unless ``compile=False``), fit with validation, time it and record it.

    ``epochs`` and ``batch_size`` default to the active profile's. The recorded value is
    the last epoch's ``monitor`` (``"val_loss"``: the validation MSE for an MSE loss).
    Inputs and targets must be finite and, for an MSE loss, targets shaped like the
    model's outputs (checked before training, with an error naming the array).
    Extra Keras ``callbacks`` run alongside the progress line; ``optimizer`` replaces
    the default ``Adam(learning_rate)`` (to clip gradients, say).
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty str identifying the model in results/")
    epochs = checks.integer("epochs", PROFILE.epochs if epochs is None else epochs)
    batch_size = checks.integer("batch_size", PROFILE.batch_size if batch_size is None
                                else batch_size)
    arrays = {"X_train": X_train, "y_train": y_train, "X_valid": X_valid, "y_valid": y_valid}
    for arg, array in arrays.items():
        checks.array(arg, checks.instance(arg, array, np.ndarray, "a NumPy array"))
    if len(X_train) != len(y_train) or len(X_valid) != len(y_valid):
        raise ValueError(f"inputs and targets must have as many rows: X_train {len(X_train)}, "
                         f"y_train {len(y_train)}, X_valid {len(X_valid)}, y_valid {len(y_valid)}")
    if compile or getattr(model, "loss", None) in ("mse", "mean_squared_error"):
        _check_targets(model, "y_train", y_train)
        _check_targets(model, "y_valid", y_valid)
    if compile:
        compile_model(model, learning_rate=learning_rate, metrics=metrics, optimizer=optimizer)
    callbacks = list(callbacks) + ([EpochProgress(epochs, label=name)] if progress else [])
    start = time.perf_counter()
    history = model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size,
                        validation_data=(X_valid, y_valid), callbacks=callbacks, verbose=0,
                        **fit_options(len(X_valid))).history
    seconds = time.perf_counter() - start
    if monitor not in history:
        raise ValueError(f"monitor {monitor!r} is not among the logged values {sorted(history)}")
    metric = "val_mse" if monitor == "val_loss" else monitor
    result = TrainResult(name, {k: [float(v) for v in vs] for k, vs in history.items()},
                         seconds, int(model.count_params()), metric, float(history[monitor][-1]))
    if record:
        results.record(name, value=result.value, metric=metric, params=result.params,
                       seconds=seconds, notebook=notebook, epochs=epochs, label=label)
    return result


@contextmanager
def quiet_retracing() -> Iterator[None]:
    """Hide TensorFlow's warnings while the block runs (it stays at ERROR level).

    A cell that builds and runs many models, or one model on inputs of several shapes,
    makes TensorFlow trace new functions, which it reports as "excessive retracing":
    expected there, and noise in a notebook's output.
    """
    logger, level = tf.get_logger(), tf.get_logger().level
    logger.setLevel("ERROR")
    try:
        yield
    finally:
        logger.setLevel(level)

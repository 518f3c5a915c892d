"""The playground (notebook 09): pick a task and an architecture, train, compare.

Everything a click does is a plain function here, tested on its own
(``tests/test_playground.py``):

- :func:`get_settings`: data sizes, epoch and time bounds per run profile (small: a
  reader waits for each click, so the epochs slider stops at ``max_epochs`` and a run
  stops at ``max_seconds``);
- :func:`load_task`: the chosen task's training and validation arrays, and its
  baseline's score (:data:`TASKS`: 1 step ahead, 10 steps ahead, the memory task of
  notebook 05, the real electricity series of notebook 07);
- :func:`build_model`: an architecture by name (:data:`ARCHITECTURES`: from the linear
  model to the full WaveNet, with the custom cells of notebooks 04 and 05 and the
  WaveNets of notebook 06 taken from those notebooks, not copied);
- :func:`controls_used`: which size controls an architecture reads;
- :func:`run_training`: one bounded training run (no XLA: compiling costs more than a few
  epochs save), reporting each epoch to callbacks, scored with the task's metric;
- :func:`leaderboard_row`, :func:`leaderboard_html`: runs as a table, with the book's
  figure where it reports one (:data:`helpers.results.BOOK`);
- :func:`figure_png`: the learning curve so far and an example forecast, as PNG bytes.

:class:`Playground` only wires these to the shared builders of :mod:`helpers.widgets`.
Its widgets carry CSS classes (:data:`CSS`) so that the browser test
(``tests/browser/``) can find them in the Voila page.
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from numbers import Real
from typing import NamedTuple

import keras
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers import data, memory, notebook_code, plots, realdata, results, training, widgets
from helpers.data import _non_negative_int, _positive_int
from helpers.profile import PROFILE, Profile


def _learning_rate(value) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 < value <= 1:
        raise ValueError(f"learning_rate must be in (0, 1], got {value!r}")
    return float(value)


def _in_range(name: str, value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not low <= value <= high:
        raise ValueError(f"{name} must be a number in [{low}, {high}], got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Settings:
    """Sizes of the playground's data and the bounds of one click's training."""

    n_train: int
    """Training series (or sequences) of the synthetic and memory tasks."""
    n_valid: int
    epochs: int
    """Default of the epochs slider."""
    max_epochs: int
    """Top of the epochs slider: a click never trains longer than this."""
    max_seconds: float = 60.0
    """A run stops after the batch that passes this many seconds (then says so)."""
    batch_size: int = 32
    seed: int = field(default_factory=lambda: PROFILE.seed)
    """Seed of the data and the initial weights: by default the run's seed
    (:attr:`helpers.profile.Profile.seed`, 42 unless ``$COURSE_SEED`` says otherwise)."""
    learning_rate: float = 1e-2
    """Adam's step size. Ten times Keras' default: with a few epochs on a few hundred
    series, 1e-3 leaves the linear model and the SimpleRNN far from converged (measured:
    val MSE 0.09 vs 0.010 for the linear model, 0.31 vs 0.031 for the SimpleRNN, 3 epochs
    on 1,000 series)."""
    memory_lag: int = 20
    """Lag ``k`` of the memory task: recall a value seen ``k`` steps earlier."""
    real_window: int = 96
    """Steps (half hours) a model reads on the real series: two days."""
    real_horizon: int = realdata.DAY
    """Steps it forecasts: the next day, as notebook 07's headline figures."""
    real_stride: int = 2
    """Keep every ``real_stride``-th training window of the real series."""

    def __post_init__(self) -> None:
        for name in ("n_train", "n_valid", "epochs", "max_epochs", "batch_size",
                     "memory_lag", "real_window", "real_horizon", "real_stride"):
            _positive_int(f"Settings.{name}", getattr(self, name))
        _non_negative_int("Settings.seed", self.seed)
        _learning_rate(self.learning_rate)
        _in_range("Settings.max_seconds", self.max_seconds, 1, 3600)
        if self.epochs > self.max_epochs:
            raise ValueError(f"Settings.epochs ({self.epochs}) must be <= max_epochs "
                             f"({self.max_epochs})")


SETTINGS = {
    "full": Settings(n_train=1_000, n_valid=500, epochs=3, max_epochs=10),
    "quick": Settings(n_train=300, n_valid=200, epochs=1, max_epochs=5, max_seconds=30,
                      memory_lag=10, real_stride=6),
}


def get_settings(profile: str | Profile | None = None) -> Settings:
    """The playground's settings for a profile name (default: the active profile)."""
    if isinstance(profile, Profile):
        profile = profile.name
    name = PROFILE.name if profile is None else profile
    if name not in SETTINGS:
        raise ValueError(f"profile must be one of {sorted(SETTINGS)}, got {name!r}")
    return SETTINGS[name]


# --- tasks -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    label: str
    metric: str
    """What the score column holds for this task."""
    baseline: str
    """The trivial forecaster the baseline column scores."""
    higher_is_better: bool = False


TASKS: dict[str, Task] = {
    "1-step": Task("the next value of a synthetic series", "val MSE", "naive (last value)"),
    "10-step": Task("the next 10 values of a synthetic series", "val MSE",
                    "naive (last value, repeated)"),
    "memory": Task("notebook 05's memory task: recall a marked value", "recall",
                   "always 0", higher_is_better=True),
    "real series": Task("electricity demand, next day (notebook 07)", "val MAE (MW)",
                        "seasonal naive (last week)"),
}


class Shape(NamedTuple):
    """What a model of a task reads and writes."""

    n_steps: int
    n_inputs: int
    n_outputs: int
    sequence_output: bool
    """True: a target at every step (``[batch, steps, n_outputs]``)."""


@dataclass
class TaskData:
    """A task's arrays, its baseline's score, and what scoring needs."""

    task: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray
    baseline: float
    """The task's metric for :attr:`Task.baseline` on the validation set."""
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> Shape:
        return Shape(self.X_train.shape[1], self.X_train.shape[2], self.y_train.shape[-1],
                     self.y_train.ndim == 3)


def _task(task: str) -> Task:
    if task not in TASKS:
        raise ValueError(f"task must be one of {list(TASKS)}, got {task!r}")
    return TASKS[task]


def task_shape(task: str, settings: Settings | None = None) -> Shape:
    """The :class:`Shape` of ``task``'s models (without loading its data)."""
    _task(task)
    s = settings or get_settings()
    return {"1-step": Shape(PROFILE.n_steps, 1, 1, False),
            "10-step": Shape(PROFILE.n_steps, 1, 10, False),
            "memory": Shape(s.memory_lag + memory.LEAD, 2, 1, True),
            "real series": Shape(s.real_window, 1, s.real_horizon, False)}[task]


def _mse(a, b) -> float:
    return float(np.mean((np.asarray(a, dtype="float64") - b) ** 2))


def _synthetic(task: str, s: Settings, seed: int) -> TaskData:
    n_steps = PROFILE.n_steps
    ahead = 1 if task == "1-step" else 10
    series = data.generate_time_series(s.n_train + s.n_valid, n_steps + ahead, seed=seed)
    X, y = data.vector_targets(series, n_steps, ahead)
    n = s.n_train
    naive = np.repeat(X[n:, -1], ahead, axis=1)
    return TaskData(task, X[:n], y[:n], X[n:], y[n:], baseline=_mse(naive, y[n:]))


def _memory(s: Settings, seed: int) -> TaskData:
    train = memory.recall_task(s.n_train, s.memory_lag, seed=seed)
    valid = memory.recall_task(s.n_valid, s.memory_lag, seed=seed + 1)
    zeros = np.zeros_like(valid.Y)
    return TaskData("memory", train.X, train.Y, valid.X, valid.Y,
                    baseline=memory.recall_score(valid, zeros, s.memory_lag),
                    extra={"valid": valid})


def _arrays(dataset) -> tuple[np.ndarray, np.ndarray]:
    pairs = [(x.numpy(), y.numpy()) for x, y in dataset]
    return (np.concatenate([x for x, _ in pairs]).astype("float32"),
            np.concatenate([y for _, y in pairs]).astype("float32"))


@lru_cache(maxsize=1)
def _demand() -> realdata.Demand:
    return realdata.prepare()


def _real(s: Settings, seed: int) -> TaskData:
    demand = _demand()
    z, window, horizon = demand.z, s.real_window, s.real_horizon
    X_train, y_train = _arrays(realdata.windows(
        z, window, horizon, start=realdata.WEEK + window, end=demand.train_end,
        stride=s.real_stride, batch_size=256))
    X_valid, y_valid = _arrays(realdata.windows(
        z, window, horizon, start=demand.train_end, end=demand.valid_end, batch_size=256))
    at = realdata.origins(demand.train_end, demand.valid_end, horizon)
    truth = realdata.targets(demand.y, at, horizon)
    naive = realdata.baseline_forecasts(demand.y, at, horizon)["seasonal naive"]
    return TaskData("real series", X_train, y_train, X_valid, y_valid,
                    baseline=float(np.abs(truth - naive).mean()),
                    extra={"demand": demand, "at": at, "truth": truth})


def load_task(task: str, settings: Settings | None = None, *, seed: int | None = None
              ) -> TaskData:
    """Training and validation arrays of ``task`` (sizes from ``settings``).

    The synthetic tasks draw ``n_train + n_valid`` series; the memory task as many
    sequences at lag ``memory_lag``; the real series is cut into windows of its training
    and validation weeks (notebook 07's split; the test weeks are never touched here).
    """
    _task(task)
    s = settings or get_settings()
    if not isinstance(s, Settings):
        raise TypeError(f"settings must be a playground Settings, got {type(s).__name__}")
    seed = s.seed if seed is None else seed
    if task in ("1-step", "10-step"):
        return _synthetic(task, s, seed)
    if task == "memory":
        return _memory(s, seed)
    return _real(s, seed)


def score(task_data: TaskData, predictions) -> float:
    """The task's metric for ``predictions`` of the whole validation set.

    MSE for the synthetic tasks; recall at the task's lag for the memory task
    (:func:`helpers.memory.recall_score`: 1 is perfect, 0 is answering 0); for the real
    series, the mean absolute error in MW of the next-day forecasts, after undoing the
    scaling and the weekly differencing.
    """
    if not isinstance(task_data, TaskData):
        raise TypeError(f"task_data must be a TaskData (see load_task), got "
                        f"{type(task_data).__name__}")
    predictions = np.asarray(predictions, dtype="float64")
    if predictions.shape != task_data.y_valid.shape:
        raise ValueError(f"predictions must have the validation targets' shape "
                         f"{task_data.y_valid.shape}, got {predictions.shape}")
    if task_data.task == "memory":
        valid = task_data.extra["valid"]
        return memory.recall_score(valid, predictions, valid.X.shape[1] - memory.LEAD)
    if task_data.task == "real series":
        demand, at = task_data.extra["demand"], task_data.extra["at"]
        forecast = realdata.undifference(demand.y, at, demand.scaler.inverse(predictions))
        return float(np.abs(task_data.extra["truth"] - forecast).mean())
    return _mse(predictions, task_data.y_valid)


# --- architectures ---------------------------------------------------------------------

@lru_cache(maxsize=None)
def _taught(notebook: str, *names: str):
    """The last of ``names`` as defined in the notebook that teaches it (loaded once)."""
    objects = notebook_code.load(notebook, *names)
    return objects[-1] if isinstance(objects, tuple) else objects


def _inputs(shape: Shape) -> keras.KerasTensor:
    return keras.Input(shape=(shape.n_steps, shape.n_inputs))


def _linear(shape: Shape, units: int, layers: int, dropout: float) -> keras.Model:
    inputs = _inputs(shape)
    if shape.sequence_output:  # one Dense per step: it sees only the current step
        return keras.Model(inputs, keras.layers.Dense(shape.n_outputs)(inputs))
    flat = keras.layers.Flatten()(inputs)
    return keras.Model(inputs, keras.layers.Dense(shape.n_outputs)(flat))


def _simple_rnn(shape: Shape, units: int, layers: int, dropout: float) -> keras.Model:
    # The book's smallest RNN: one SimpleRNN layer whose outputs are the forecast.
    inputs = _inputs(shape)
    return keras.Model(inputs, keras.layers.SimpleRNN(
        shape.n_outputs, return_sequences=shape.sequence_output)(inputs))


def _stack(recurrent: Callable[[int, bool], keras.layers.Layer], *, front=None):
    """``layers`` recurrent layers of ``units`` (Dropout after each), then ``Dense``."""

    def build(shape: Shape, units: int, layers: int, dropout: float) -> keras.Model:
        inputs = _inputs(shape)
        x = inputs if front is None else front(shape, units)(inputs)
        for i in range(layers):
            x = recurrent(units, shape.sequence_output or i < layers - 1)(x)
            if dropout:
                x = keras.layers.Dropout(dropout)(x)
        return keras.Model(inputs, keras.layers.Dense(shape.n_outputs)(x))

    return build


def _conv_front(shape: Shape, units: int) -> keras.layers.Layer:
    # notebook 05: a strided Conv1D halves the sequence before the GRUs. With a target at
    # every step (the memory task) the length must stay, so stride 1 and causal padding.
    if shape.sequence_output:
        return keras.layers.Conv1D(units, kernel_size=4, padding="causal", activation="relu")
    return keras.layers.Conv1D(units, kernel_size=4, strides=2, activation="relu")


def _cell_layer(notebook: str, cell: str):
    def layer(units: int, return_sequences: bool) -> keras.layers.Layer:
        return keras.layers.RNN(_taught(notebook, cell)(units),
                                return_sequences=return_sequences)
    return layer


def _wavenet(*names: str):
    def build(shape: Shape, units: int, layers: int, dropout: float) -> keras.Model:
        net = _taught("06_wavenet", *names)(shape.n_outputs, rates=(1, 2, 4, 8) * layers,
                                            filters=units, n_inputs=shape.n_inputs)
        inputs = _inputs(shape)
        outputs = net(inputs)  # a forecast at every step
        return keras.Model(inputs, outputs if shape.sequence_output else outputs[:, -1])
    return build


@dataclass(frozen=True)
class Arch:
    label: str
    build: Callable[[Shape, int, int, float], keras.Model]
    uses: frozenset = frozenset({"units", "layers", "dropout"})
    """Which of the size controls (units, layers, dropout) it reads."""
    taught_in: str = ""


_CONV = frozenset({"units", "layers"})

ARCHITECTURES: dict[str, Arch] = {
    "linear": Arch("linear", _linear, frozenset(), "01"),
    "simple_rnn": Arch("SimpleRNN", _simple_rnn, frozenset(), "02"),
    "deep_rnn": Arch("deep RNN", _stack(
        lambda u, seq: keras.layers.SimpleRNN(u, return_sequences=seq)), taught_in="02"),
    "ln_rnn": Arch("LN SimpleRNN", _stack(
        _cell_layer("04_unstable_gradients", "LNSimpleRNNCell")), taught_in="04"),
    "lstm": Arch("LSTM", _stack(
        lambda u, seq: keras.layers.LSTM(u, return_sequences=seq)), taught_in="05"),
    "peephole": Arch("peephole LSTM", _stack(
        _cell_layer("05_lstm_gru_conv1d", "PeepholeLSTMCell")), taught_in="05"),
    "gru": Arch("GRU", _stack(
        lambda u, seq: keras.layers.GRU(u, return_sequences=seq)), taught_in="05"),
    "conv_gru": Arch("Conv1D + GRU", _stack(
        lambda u, seq: keras.layers.GRU(u, return_sequences=seq), front=_conv_front),
        taught_in="05"),
    "wavenet": Arch("WaveNet", _wavenet("simple_wavenet"), _CONV, "06"),
    "full_wavenet": Arch("full WaveNet", _wavenet(
        "gated_activation", "GatedResidualBlock", "full_wavenet"), _CONV, "06"),
}
"""name -> what the app shows, the builder, the size controls it reads, its notebook.

Recurrent models stack ``layers`` layers of ``units`` (Dropout after each, when set) and
end in ``Dense``; the WaveNets take ``units`` filters and ``layers`` runs of dilation
rates 1, 2, 4, 8 (the book's is two). The linear model and the SimpleRNN have the book's
fixed size."""

SIZE_CONTROLS = ("units", "layers", "dropout")
MAX_UNITS = 512
"""Most units (or filters) per layer :func:`build_model` builds (the app's slider stops
at 64): more would not train within a click's time, or fit in memory."""
MAX_LAYERS = 8
"""Most layers (WaveNets: runs of rates) :func:`build_model` stacks (the slider: 4)."""


def _arch(arch: str) -> str:
    if arch not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {list(ARCHITECTURES)}, got {arch!r}")
    return arch


def arch_label(arch: str) -> str:
    """The label the app shows for architecture ``arch``."""
    return ARCHITECTURES[_arch(arch)].label


def arch_from_label(label: str) -> str:
    """The architecture's name for the label the app shows."""
    for name, spec in ARCHITECTURES.items():
        if spec.label == label:
            return name
    raise ValueError(f"label must be one of {[a.label for a in ARCHITECTURES.values()]}, "
                     f"got {label!r}")


def controls_used(arch: str) -> frozenset:
    """The size controls (of :data:`SIZE_CONTROLS`) that ``arch`` reads; the app greys
    out the others."""
    return ARCHITECTURES[_arch(arch)].uses


def build_model(arch: str, *, task: str = "1-step", units: int = 20, layers: int = 2,
                dropout: float = 0.0, settings: Settings | None = None) -> keras.Model:
    """A fresh, uncompiled model of architecture ``arch`` shaped for ``task``.

    At most :data:`MAX_UNITS` units and :data:`MAX_LAYERS` layers.
    """
    spec = ARCHITECTURES[_arch(arch)]
    units = _positive_int("units", units, at_most=MAX_UNITS)
    layers = _positive_int("layers", layers, at_most=MAX_LAYERS)
    dropout = _in_range("dropout", dropout, 0, 0.9)
    return spec.build(task_shape(task, settings), units, layers, dropout)


BOOK_KEYS = {("1-step", "linear"): "linear", ("1-step", "simple_rnn"): "simple_rnn",
             ("1-step", "deep_rnn"): "deep_rnn", ("10-step", "linear"): "linear_10",
             ("10-step", "deep_rnn"): "seq2vec_10"}
"""(task, architecture) -> key of :data:`helpers.results.BOOK` where the book trained
that model on that task. (Its LSTM, GRU and WaveNet figures are last-step errors of
sequence-to-sequence training, a different measure, so they are not shown.)"""


def book_figure(task: str, arch: str) -> float | None:
    """The book's validation MSE for ``arch`` on ``task``, or None where it gives none."""
    _task(task)
    key = BOOK_KEYS.get((task, _arch(arch)))
    return None if key is None else results.BOOK[key].value


# --- one training run ------------------------------------------------------------------

class LiveHistory(keras.callbacks.Callback):
    """Collect each epoch's logs and hand the history so far to ``on_epoch(history, epoch)``."""

    def __init__(self, on_epoch: Callable[[dict[str, list[float]], int], None] | None = None):
        super().__init__()
        self.on_epoch = on_epoch
        self.history: dict[str, list[float]] = {}

    def on_epoch_end(self, epoch, logs=None) -> None:
        for key, value in (logs or {}).items():
            if key != "learning_rate":
                self.history.setdefault(key, []).append(float(value))
        if self.on_epoch is not None:
            self.on_epoch(self.history, epoch + 1)


class TimeLimit(keras.callbacks.Callback):
    """Stop training after the first batch that ends past ``seconds`` (sets ``stopped``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = _in_range("seconds", seconds, 0, 3600)
        self.stopped = False
        self._start = 0.0

    def on_train_begin(self, logs=None) -> None:
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None) -> None:
        if time.perf_counter() - self._start > self.seconds:
            self.stopped = True
            self.model.stop_training = True


@dataclass
class Run:
    """What :func:`run_training` returns: one row of the leaderboard, and its plot data."""

    task: str
    arch: str
    epochs: int
    """Epochs finished (fewer than asked when the time limit stopped the run)."""
    learning_rate: float
    history: dict[str, list[float]]
    val_loss: float
    score: float
    """The task's metric on the validation set (see :func:`score`)."""
    params: int
    seconds: float
    prediction: np.ndarray = field(repr=False)
    """The trained model's output for the first validation example."""
    units: int = 20
    layers: int = 2
    dropout: float = 0.0
    clip: float = 0.0
    stopped: bool = False
    """True when :attr:`Settings.max_seconds` cut the run short."""


def run_training(
    task_data: TaskData,
    arch: str,
    epochs: int,
    *,
    settings: Settings | None = None,
    learning_rate: float | None = None,
    units: int = 20,
    layers: int = 2,
    dropout: float = 0.0,
    clip: float = 0.0,
    seed: int | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> Run:
    """Build ``arch`` for ``task_data``'s task, train it, score it with the task's metric.

    At most ``settings.max_epochs`` epochs and about ``settings.max_seconds`` seconds.
    ``learning_rate`` defaults to ``settings.learning_rate``; ``clip`` > 0 clips the
    gradients' global norm (Adam's ``global_clipnorm``), 0 leaves them alone.
    """
    settings = settings or get_settings()
    if not isinstance(task_data, TaskData):
        raise TypeError(f"task_data must be a TaskData (see load_task), got "
                        f"{type(task_data).__name__}")
    epochs = _positive_int("epochs", epochs)
    if epochs > settings.max_epochs:
        raise ValueError(f"epochs must be at most {settings.max_epochs} in the playground, "
                         f"got {epochs}")
    learning_rate = _learning_rate(settings.learning_rate if learning_rate is None
                                   else learning_rate)
    clip = _in_range("clip", clip, 0, 100)
    training.set_seed(settings.seed if seed is None else seed)
    model = build_model(arch, task=task_data.task, units=units, layers=layers,
                        dropout=dropout, settings=settings)
    if model.output_shape[1:] != task_data.y_train.shape[1:]:
        raise ValueError(f"{arch} writes {model.output_shape[1:]} but the task's targets are "
                         f"{task_data.y_train.shape[1:]}: settings differ from the data's")
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate,
                                      global_clipnorm=clip or None)
    training.compile_model(model, optimizer=optimizer, jit_compile=False)
    live, limit = LiveHistory(), TimeLimit(settings.max_seconds)
    start = time.perf_counter()
    # Every run builds a new model, so TensorFlow traces new functions each time and
    # warns about "excessive retracing" from the fifth run on: expected here.
    with training.quiet_retracing():
        model.fit(task_data.X_train, task_data.y_train, epochs=epochs,
                  batch_size=settings.batch_size,
                  validation_data=(task_data.X_valid, task_data.y_valid),
                  callbacks=[live, limit, *callbacks], verbose=0)
        seconds = time.perf_counter() - start
        predictions = model.predict(task_data.X_valid, batch_size=256, verbose=0)
    if not live.history:  # stopped inside the first epoch: score what there is
        live.history = {"loss": [], "val_loss": [_mse(predictions, task_data.y_valid)]}
    return Run(task=task_data.task, arch=arch, epochs=len(live.history["val_loss"]),
               learning_rate=learning_rate, history=live.history,
               val_loss=live.history["val_loss"][-1], score=score(task_data, predictions),
               params=int(model.count_params()), seconds=seconds, prediction=predictions[0],
               units=units, layers=layers, dropout=float(dropout), clip=clip,
               stopped=limit.stopped)


# --- leaderboard -----------------------------------------------------------------------

COLUMNS = ("run", "task", "model", "size", "learning rate", "dropout", "clip", "epochs",
           "params", "metric", "score", "baseline", "book", "seconds")


def size_text(arch: str, units: int, layers: int) -> str:
    """``"2 x 20"`` (layers x units; WaveNets: runs of rates x filters), or the book's
    fixed size for the linear model and the SimpleRNN."""
    used = controls_used(arch)
    return f"{layers} x {units}" if "units" in used else "fixed"


def leaderboard_row(run: Run, number: int, baseline: float | None = None) -> dict:
    """One leaderboard row for ``run`` (``number``: its position in the session, from 1;
    ``baseline``: the task's baseline score, see :attr:`TaskData.baseline`)."""
    if not isinstance(run, Run):
        raise TypeError(f"run must be a Run, got {type(run).__name__}")
    number = _positive_int("number", number)
    used = controls_used(run.arch)
    return {"run": number, "task": run.task, "model": arch_label(run.arch),
            "size": size_text(run.arch, run.units, run.layers),
            "learning rate": run.learning_rate,
            "dropout": run.dropout if "dropout" in used else None,
            "clip": run.clip or None,
            "epochs": run.epochs, "params": run.params, "metric": TASKS[run.task].metric,
            "score": run.score, "baseline": baseline, "book": book_figure(run.task, run.arch),
            "seconds": run.seconds}


def leaderboard_frame(rows: Sequence[dict]) -> pd.DataFrame:
    """The rows as a table: grouped by task (in :data:`TASKS` order), best score first
    within a task (lowest error, highest recall; ties: earlier run first)."""
    rows = list(rows)
    wrong = [r for r in rows if not isinstance(r, dict) or set(r) != set(COLUMNS)]
    if wrong:
        got = sorted(wrong[0]) if isinstance(wrong[0], dict) else type(wrong[0]).__name__
        raise ValueError(f"rows must be dicts with exactly the columns {COLUMNS}; got {got}")
    order = {name: i for i, name in enumerate(TASKS)}

    def key(row):
        sign = -1 if TASKS[row["task"]].higher_is_better else 1
        return order[row["task"]], sign * row["score"], row["run"]

    return pd.DataFrame(sorted(rows, key=key), columns=list(COLUMNS))


def _fmt(value, spec: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    return format(value, spec) if spec else str(value)


def _score_text(value, metric: str) -> str:
    return _fmt(value, ".0f" if "MW" in metric else ".3f" if metric == "recall" else ".4f")


def leaderboard_html(rows: Sequence[dict]) -> str:
    """An HTML table of the rows (header only when there are none)."""
    frame = leaderboard_frame(rows)
    specs = {"learning rate": ".2g", "params": ",", "dropout": "g", "clip": "g", "book": "g",
             "seconds": ".1f"}
    shown = pd.DataFrame(
        [{column: _score_text(row[column], row["metric"]) if column in ("score", "baseline")
          else _fmt(row[column], specs.get(column, "")) for column in COLUMNS}
         for row in frame.to_dict("records")], columns=list(COLUMNS))
    return shown.to_html(index=False, classes="pg-table", border=0)


# --- figure ----------------------------------------------------------------------------

def _draw_example(ax, task_data: TaskData, prediction, label: str) -> None:
    """The first validation example with its target and, when given, the prediction."""
    X, y = task_data.X_valid[0], task_data.y_valid[0]
    if task_data.task == "memory":
        steps = np.arange(len(X))
        ax.scatter(steps, X[:, 0], s=8, color=plots.INPUT_COLOR, label="values")
        marked = int(np.argmax(X[:, 1]))
        ax.axvline(marked, color=plots.FLOOR_COLOR, ls=":", lw=1)
        ax.step(steps, y[:, 0], where="mid", color=plots.TARGET_COLOR, lw=2,
                label="value to recall")
        if prediction is not None:
            ax.plot(steps, np.asarray(prediction)[:, 0], color=plots.PALETTE[1],
                    label=label or "model")
        ax.set(xlabel="time step", ylim=(-1.3, 1.3),
               title=f"a validation sequence (marked at step {marked})")
        ax.legend(loc="lower left", ncols=3, fontsize=8)
    elif task_data.task == "real series":
        demand, at = task_data.extra["demand"], int(task_data.extra["at"][0])
        horizon = y.shape[-1]
        past = np.arange(at - realdata.DAY, at)
        ahead = np.arange(at, at + horizon)
        hours = (np.r_[past, ahead] - at) / 2
        ax.plot(hours[:len(past)], demand.y[past] / 1000, color=plots.INPUT_COLOR,
                label="last day")
        ax.plot(hours[len(past):], demand.y[ahead] / 1000, color=plots.TARGET_COLOR, lw=2,
                label="actual")
        if prediction is not None:
            mw = realdata.undifference(demand.y, np.array([at]),
                                       demand.scaler.inverse(np.asarray(prediction)[None]))[0]
            ax.plot(hours[len(past):], mw / 1000, color=plots.PALETTE[1], label=label)
        ax.set(xlabel=f"hours from {demand.times[at]:%a %d %b %H:%M}", ylabel="GW",
               title="the first validation day")
        ax.legend(fontsize=8)
    else:
        forecasts = None if prediction is None else {label or "forecast": prediction}
        plots.plot_series(X, y, forecasts, ax=ax, title="a validation series")


def figure_png(
    history: dict[str, list[float]] | None,
    task_data: TaskData,
    *,
    epochs: int,
    prediction: np.ndarray | None = None,
    label: str = "",
    book: float | None = None,
) -> bytes:
    """The learning curve so far (left) and a validation example with its prediction.

    Drawn on a standalone matplotlib Figure (no pyplot: nothing is shown by accident) and
    returned as PNG bytes. The epoch axis spans ``1..epochs`` so a live curve grows into a
    fixed frame.
    """
    epochs = _positive_int("epochs", epochs)
    if not isinstance(task_data, TaskData):
        raise TypeError(f"task_data must be a TaskData, got {type(task_data).__name__}")
    fig = Figure(figsize=(10, 3.2), dpi=80, layout="constrained")
    ax_curve, ax_example = fig.subplots(1, 2)
    if history and history.get("loss"):
        plots.plot_learning_curves(history, label=label or None, ax=ax_curve)
    else:
        ax_curve.text(0.5, 0.5, "press Train", ha="center", va="center",
                      transform=ax_curve.transAxes, color=plots.FLOOR_COLOR)
        ax_curve.set_xlabel("epoch")
        ax_curve.set_ylabel("loss (MSE)")
    if book is not None:
        ax_curve.axhline(book, color=plots.FLOOR_COLOR, ls=":", label=f"book {book:g}")
        ax_curve.legend()
    ax_curve.set_xlim(0.5, epochs + 0.5)
    ax_curve.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_curve.set_title("learning curve")
    _draw_example(ax_example, task_data, prediction, label)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def png_output(png: bytes) -> dict:
    """A display_data output holding ``png`` (what an Output widget's ``outputs`` holds)."""
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(png).decode("ascii"),
                     "text/plain": "<playground figure>"}}


# --- the app ---------------------------------------------------------------------------

TABLE_STYLE = (".pg-table {border-collapse: collapse} "
               ".pg-table th, .pg-table td {padding: 2px 10px; text-align: right} "
               ".pg-table tbody tr:nth-child(odd) {background: #f3f6fa}")

CSS = {"task": "pg-task", "arch": "pg-arch", "units": "pg-units", "layers": "pg-layers",
       "learning_rate": "pg-lr", "epochs": "pg-epochs", "dropout": "pg-dropout",
       "clip": "pg-clip", "train": "pg-train", "status": "pg-status", "plot": "pg-plot",
       "leaderboard": "pg-leaderboard"}
"""CSS classes on the app's widgets (the browser test finds them by these)."""


def status_text(run: Run, number: int, baseline: float) -> str:
    """The status line after a run: its score next to the baseline's and the book's."""
    metric = TASKS[run.task].metric
    book = book_figure(run.task, run.arch)
    versus = f", book {book:g}" if book is not None else ""
    cut = f" (stopped by the {run.seconds:.0f} s limit after {run.epochs} epochs)" \
        if run.stopped else ""
    return (f"done: run {number}, {arch_label(run.arch)} on {run.task}: {metric} "
            f"{_score_text(run.score, metric)} (baseline {_score_text(baseline, metric)}"
            f"{versus}) in {run.seconds:.1f} s{cut}")


class Playground:
    """The playground's widgets, wired to the functions above.

    ``view`` is the widget to display. ``train()`` is what the Train button does (tests
    call it directly); ``rows`` holds one leaderboard row per finished run, and
    :meth:`add` puts a run made elsewhere (with :func:`run_training`) on the board.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        s = self.settings
        self.controls = {
            "task": widgets.dropdown("task", list(TASKS)),
            "arch": widgets.dropdown("model", [a.label for a in ARCHITECTURES.values()]),
            "units": widgets.int_slider("units", 1, 64, 20),
            "layers": widgets.int_slider("layers", 1, 4, 2),
            "learning_rate": widgets.log_slider("learning rate", -4, -1, s.learning_rate),
            "epochs": widgets.int_slider("epochs", 1, s.max_epochs, s.epochs),
            "dropout": widgets.float_slider("dropout", 0.0, 0.5, 0.0, 0.1),
            "clip": widgets.float_slider("clip norm (0: off)", 0.0, 5.0, 0.0, 0.5),
        }
        self.button = widgets.train_button()
        self.status = widgets.status_line("choose a task and a model, then press Train")
        self.plot = widgets.output_area()
        self.board = widgets.html_block(leaderboard_html([]))
        for name, widget in {**self.controls, "train": self.button, "status": self.status,
                             "plot": self.plot, "leaderboard": self.board}.items():
            widget.add_class(CSS[name])
        self.rows: list[dict] = []
        self._data: dict[str, TaskData] = {}
        self.button.on_click(lambda _: self.train())
        self.controls["arch"].observe(lambda _: self._grey_out(), names="value")
        self.controls["task"].observe(lambda _: self._show(None), names="value")
        self._grey_out()
        self._show(None)
        self.view = widgets.layout(
            self.controls, self.button, self.status, self.plot,
            widgets.html_block(f"<style>{TABLE_STYLE}</style><h3>Leaderboard</h3>"),
            self.board)

    def task_data(self, task: str) -> TaskData:
        if task not in self._data:
            self._data[task] = load_task(task, self.settings)
        return self._data[task]

    @property
    def arch(self) -> str:
        return arch_from_label(self.controls["arch"].value)

    def _grey_out(self) -> None:
        used = controls_used(self.arch)
        for name in SIZE_CONTROLS:
            self.controls[name].disabled = name not in used

    def _show(self, history, *, epochs: int | None = None, arch: str | None = None,
              prediction=None) -> None:
        task = self.controls["task"].value
        png = figure_png(history, self.task_data(task),
                         epochs=epochs or self.settings.max_epochs, prediction=prediction,
                         label=arch_label(arch) if arch else "",
                         book=book_figure(task, arch) if arch else None)
        self.plot.outputs = (png_output(png),)

    def add(self, run: Run) -> dict:
        """Put ``run`` on the leaderboard; return its row."""
        row = leaderboard_row(run, len(self.rows) + 1, self.task_data(run.task).baseline)
        self.rows.append(row)
        self.board.value = leaderboard_html(self.rows)
        return row

    def train(self) -> Run:
        """Train the chosen model, drawing each epoch; add a leaderboard row."""
        values = {name: control.value for name, control in self.controls.items()}
        task, arch, epochs = values["task"], self.arch, values["epochs"]
        label = arch_label(arch)

        def on_epoch(history, done):
            shown = "  ".join(f"{k} {history[k][-1]:.4f}" for k in ("loss", "val_loss")
                              if k in history)
            self.status.value = f"training {label}: epoch {done}/{epochs}  {shown}"
            self._show(history, epochs=epochs, arch=arch)

        self.button.disabled = True
        self.status.value = f"training {label} on the {task} task ..."
        try:
            run = run_training(
                self.task_data(task), arch, epochs, settings=self.settings,
                learning_rate=values["learning_rate"], units=values["units"],
                layers=values["layers"], dropout=values["dropout"], clip=values["clip"],
                callbacks=[LiveHistory(on_epoch)])
            self._show(run.history, epochs=epochs, arch=arch, prediction=run.prediction)
            self.add(run)
            self.status.value = status_text(run, len(self.rows),
                                            self.task_data(task).baseline)
            return run
        except Exception as error:
            self.status.value = f"failed: {type(error).__name__}: {error}"
            raise
        finally:
            self.button.disabled = False

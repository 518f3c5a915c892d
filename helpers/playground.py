"""The playground (notebook 11): pick a task and an architecture, train, compare.

Everything a click does is a plain function here, tested on its own
(``tests/test_playground.py``):

- :func:`get_settings`: data sizes, epoch and time bounds per run profile (small: a
  reader waits for each click, so the epochs slider stops at ``max_epochs`` and a run
  stops at ``max_seconds``);
- :func:`load_task`: the chosen task's training and validation arrays, and its
  baseline's score (:data:`TASKS`: 1 step ahead, 10 steps ahead, the memory task of
  notebook 06, the real electricity series of notebook 08);
- :func:`build_model`: an architecture by name (:data:`ARCHITECTURES`: from the linear
  model to the full WaveNet, with the custom cells of notebooks 04 and 05 and the
  WaveNets of notebook 07 taken from those notebooks, not copied);
- :func:`controls_used`: which size controls an architecture reads;
- :func:`run_training`: one bounded training run (no XLA: compiling costs more than a few
  epochs save), reporting each epoch to callbacks, scored with the task's metric after
  every epoch (the run keeps that curve, ``history["val_score"]``);
- :func:`leaderboard_row`, :func:`leaderboard_html`: runs as a table, with the book's
  figure where it reports one (:data:`helpers.results.BOOK`);
- :func:`figure_png`: the learning curve so far and an example forecast, as PNG bytes;
- :func:`overlay_figure`, :func:`overlay_png`: the validation curves of several runs,
  one colour per run, one panel per task (the app draws the runs picked under the
  leaderboard);
- :data:`PRESETS`: each notebook's key experiment as control settings (:class:`Preset`),
  grouped into comparisons to run side by side; :func:`preset_values` turns one into the
  controls' values, :func:`preset_table` lists them.

:class:`Playground` only wires these to the shared builders of :mod:`helpers.widgets`.
Its widgets carry CSS classes (:data:`CSS`) so that the browser test
(``tests/browser/``) can find them in the Voila page.
"""

from __future__ import annotations

import base64
import io
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from numbers import Real

import keras
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers import data, plots, results, training, widgets
from helpers.data import _non_negative_int, _positive_int
from helpers.datasets import memory, realdata
from helpers.models import ARCHITECTURES, MAX_LAYERS, MAX_UNITS, SIZE_CONTROLS, Shape
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
    """Steps it forecasts: the next day, as notebook 08's headline figures."""
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
    "memory": Task("notebook 06's memory task: recall a marked value", "recall",
                   "always 0", higher_is_better=True),
    "real series": Task("electricity demand, next day (notebook 08)", "val MAE (MW)",
                        "seasonal naive (last week)"),
}


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
    and validation weeks (notebook 08's split; the test weeks are never touched here).
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
    (:func:`helpers.datasets.memory.recall_score`: 1 is perfect, 0 is answering 0); for the real
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


class EpochScore(keras.callbacks.Callback):
    """After each epoch, the task's metric on the validation set (see :func:`score`).

    Kept in ``scores``, and written into the epoch's logs as ``val_score`` for the
    callbacks after it (:class:`LiveHistory` records it).
    """

    def __init__(self, task_data: TaskData) -> None:
        super().__init__()
        if not isinstance(task_data, TaskData):
            raise TypeError(f"task_data must be a TaskData, got {type(task_data).__name__}")
        self.task_data = task_data
        self.scores: list[float] = []

    def on_epoch_end(self, epoch, logs=None) -> None:
        predictions = self.model.predict(self.task_data.X_valid, batch_size=256, verbose=0)
        self.scores.append(score(self.task_data, predictions))
        if logs is not None:
            logs["val_score"] = self.scores[-1]


def task_lag(task_data: TaskData) -> int | None:
    """The lag of a memory task's data (its sequences are ``lag + LEAD`` steps); None for
    the other tasks."""
    if not isinstance(task_data, TaskData):
        raise TypeError(f"task_data must be a TaskData, got {type(task_data).__name__}")
    return task_data.X_train.shape[1] - memory.LEAD if task_data.task == "memory" else None


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
    lag: int | None = None
    """The memory task's lag (None for the other tasks)."""


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
    gradients' global norm (Adam's ``global_clipnorm``), 0 leaves them alone. The memory
    task's model reads sequences as long as ``task_data``'s, whatever
    ``settings.memory_lag`` says. The run's ``history`` holds each epoch's ``loss``,
    ``val_loss`` (MSE) and ``val_score`` (the task's metric, see :func:`score`).
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
    lag = task_lag(task_data)
    model = build_model(arch, task=task_data.task, units=units, layers=layers,
                        dropout=dropout,
                        settings=settings if lag is None else replace(settings, memory_lag=lag))
    if model.output_shape[1:] != task_data.y_train.shape[1:]:
        raise ValueError(f"{arch} writes {model.output_shape[1:]} but the task's targets are "
                         f"{task_data.y_train.shape[1:]}: settings differ from the data's")
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate,
                                      global_clipnorm=clip or None)
    training.compile_model(model, optimizer=optimizer, jit_compile=False)
    scorer, live = EpochScore(task_data), LiveHistory()
    limit = TimeLimit(settings.max_seconds)
    start = time.perf_counter()
    # Every run builds a new model, so TensorFlow traces new functions each time and
    # warns about "excessive retracing" from the fifth run on: expected here.
    with training.quiet_retracing():
        model.fit(task_data.X_train, task_data.y_train, epochs=epochs,
                  batch_size=settings.batch_size,
                  validation_data=(task_data.X_valid, task_data.y_valid),
                  callbacks=[scorer, live, limit, *callbacks], verbose=0)
        seconds = time.perf_counter() - start
        predictions = model.predict(task_data.X_valid, batch_size=256, verbose=0)
    final = score(task_data, predictions)
    if not live.history:  # stopped inside the first epoch: score what there is
        live.history = {"loss": [], "val_loss": [_mse(predictions, task_data.y_valid)]}
        scorer.scores = [final]
    live.history["val_score"] = list(scorer.scores)
    return Run(task=task_data.task, arch=arch, epochs=len(live.history["val_loss"]),
               learning_rate=learning_rate, history=live.history,
               val_loss=live.history["val_loss"][-1], score=final,
               params=int(model.count_params()), seconds=seconds, prediction=predictions[0],
               units=units, layers=layers, dropout=float(dropout), clip=clip,
               stopped=limit.stopped, lag=lag)


# --- leaderboard -----------------------------------------------------------------------

COLUMNS = ("run", "task", "lag", "model", "size", "learning rate", "dropout", "clip", "epochs",
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
    return {"run": number, "task": run.task, "lag": run.lag, "model": arch_label(run.arch),
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


# --- several runs' curves, overlaid ---------------------------------------------------

def run_label(run: Run, number: int, *, task: bool = False) -> str:
    """``"3: GRU 2 x 20, lr 0.01"``: the run's number, model and settings (its lag, and
    dropout or clipping where used); with ``task``, the task first (``"1-step · 3: ..."``).
    """
    if not isinstance(run, Run):
        raise TypeError(f"run must be a Run, got {type(run).__name__}")
    number = _positive_int("number", number)
    size = size_text(run.arch, run.units, run.layers)
    head = f"{number}: {arch_label(run.arch)}" + ("" if size == "fixed" else f" {size}")
    details = [f"lr {run.learning_rate:.2g}"]
    if run.lag is not None:
        details.insert(0, f"lag {run.lag}")
    if run.dropout and "dropout" in controls_used(run.arch):
        details.append(f"dropout {run.dropout:g}")
    if run.clip:
        details.append(f"clip {run.clip:g}")
    text = f"{head}, {', '.join(details)}"
    return f"{run.task} · {text}" if task else text


def score_curve(run: Run) -> list[float]:
    """The run's validation score after each epoch, in its task's metric.

    ``history["val_score"]`` where :func:`run_training` recorded it; otherwise (a run
    made elsewhere) the MSE curve of the synthetic tasks, or the final score alone.
    """
    if not isinstance(run, Run):
        raise TypeError(f"run must be a Run, got {type(run).__name__}")
    if run.history.get("val_score"):
        return list(run.history["val_score"])
    if TASKS[run.task].metric == "val MSE" and run.history.get("val_loss"):
        return list(run.history["val_loss"])
    return [math.nan] * (run.epochs - 1) + [run.score]


def overlay_figure(runs: Mapping[int, Run], baselines: Mapping[int, float] | None = None
                   ) -> Figure:
    """The validation curves of ``runs`` (run number -> :class:`Run`), overlaid.

    One panel per task (in :data:`TASKS` order), in that task's metric; one colour per
    run, labelled by :func:`run_label`. ``baselines`` (run number -> the baseline score
    of that run's data) adds the task's trivial forecast as a dashed line. A standalone
    matplotlib Figure (no pyplot), with a hint to pick runs when ``runs`` is empty.
    """
    if not isinstance(runs, Mapping):
        raise TypeError(f"runs must be a mapping of run number -> Run, got "
                        f"{type(runs).__name__}")
    for number, run in runs.items():
        _positive_int("run number", number)
        if not isinstance(run, Run):
            raise TypeError(f"runs must map run numbers to Run objects, got "
                            f"{type(run).__name__} for run {number}")
    baselines = dict(baselines or {})
    tasks = [task for task in TASKS if any(run.task == task for run in runs.values())]
    fig = Figure(figsize=(10, 3.2), dpi=80, layout="constrained")
    if not tasks:
        ax = fig.subplots()
        ax.text(0.5, 0.5, "pick runs in the list above to overlay their learning curves",
                ha="center", va="center", transform=ax.transAxes, color=plots.FLOOR_COLOR)
        ax.set(xlabel="epoch", xticks=[], yticks=[])
        return fig
    axes = np.atleast_1d(fig.subplots(1, len(tasks)))
    for ax, task in zip(axes, tasks):
        mine = {n: r for n, r in sorted(runs.items()) if r.task == task}
        for number, run in mine.items():
            i = sorted(runs).index(number)
            curve = score_curve(run)
            ax.plot(np.arange(1, len(curve) + 1), curve, marker="o", ms=3,
                    ls=("-", "--", ":")[i // len(plots.PALETTE) % 3],
                    color=plots.PALETTE[i % len(plots.PALETTE)], label=run_label(run, number))
        levels = sorted({round(baselines[n], 6) for n in mine if baselines.get(n) is not None})
        for j, level in enumerate(levels):
            ax.axhline(level, color=plots.FLOOR_COLOR, ls="--", lw=1,
                       label=TASKS[task].baseline if j == 0 else None)
        metric = TASKS[task].metric
        values = [v for r in mine.values() for v in score_curve(r) if np.isfinite(v)]
        if metric == "val MSE" and values and min(values) > 0:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        lags = sorted({r.lag for r in mine.values() if r.lag is not None})
        title = task if not lags else \
            f"{task} (lag{'s' if len(lags) > 1 else ''} {', '.join(map(str, lags))})"
        ax.set(xlabel="epoch", ylabel=metric, title=title)
        ax.legend(fontsize=7)
    return fig


def overlay_png(runs: Mapping[int, Run], baselines: Mapping[int, float] | None = None
                ) -> bytes:
    """:func:`overlay_figure` as PNG bytes."""
    buffer = io.BytesIO()
    overlay_figure(runs, baselines).savefig(buffer, format="png")
    return buffer.getvalue()


# --- presets: each notebook's key experiment -------------------------------------------

SLIDERS = {"lag": (5, 100, 5), "units": (1, 64, 1), "layers": (1, 4, 1),
           "dropout": (0.0, 0.5, 0.1), "clip": (0.0, 5.0, 0.5)}
"""(min, max, step) of the app's sliders (the epochs slider's top is
:attr:`Settings.max_epochs`)."""
LEARNING_RATE_EXPONENTS = (-4, -1, 0.25)
"""The learning-rate slider: powers of ten from ``10**-4`` to ``10**-1``, in steps of
a quarter."""


def _on_slider(name: str, value) -> None:
    low, high, step = SLIDERS[name]
    if isinstance(value, bool) or not isinstance(value, Real) or not low <= value <= high \
            or abs(round((value - low) / step) * step + low - value) > 1e-9:
        raise ValueError(f"{name} must be in [{low}, {high}] in steps of {step} (the app's "
                         f"slider), got {value!r}")


@dataclass(frozen=True)
class Preset:
    """One run of a notebook's key experiment, as the app's controls' values.

    Presets that share ``experiment`` form a comparison: the app trains them one after
    the other and overlays their curves. ``epochs`` None means the most the epochs
    slider allows (:attr:`Settings.max_epochs`); ``learning_rate`` None, the
    playground's default (:attr:`Settings.learning_rate`); ``lag`` is set for the memory
    task only.
    """

    notebook: str
    """The notebook it comes from, ``"06"``."""
    experiment: str
    model: str
    """What the run is, in the preset's name (``"LSTM (1 x 20)"``)."""
    description: str
    """What it replays and what to look at; it names its notebook."""
    task: str
    arch: str
    units: int = 20
    layers: int = 2
    learning_rate: float | None = None
    dropout: float = 0.0
    clip: float = 0.0
    lag: int | None = None
    epochs: int | None = None

    def __post_init__(self) -> None:
        if not (isinstance(self.notebook, str) and re.fullmatch(r"\d\d", self.notebook)):
            raise ValueError(f"notebook must be a two-digit str like '06', got "
                             f"{self.notebook!r}")
        if f"notebook {self.notebook}" not in self.description:
            raise ValueError(f"description must name its notebook ('notebook "
                             f"{self.notebook}'), got {self.description!r}")
        _task(self.task)
        _arch(self.arch)
        for name in ("units", "layers", "dropout", "clip"):
            _on_slider(name, getattr(self, name))
        if (self.task == "memory") != (self.lag is not None):
            raise ValueError(f"lag must be set for the memory task and only for it; got "
                             f"lag={self.lag!r} for task {self.task!r}")
        if self.lag is not None:
            _on_slider("lag", self.lag)
        if self.learning_rate is not None:
            low, high, step = LEARNING_RATE_EXPONENTS
            exponent = math.log10(_learning_rate(self.learning_rate))
            if not low <= exponent <= high or abs(exponent / step - round(exponent / step)) \
                    > 1e-6:
                raise ValueError(f"learning_rate must be 10**e for e in [{low}, {high}] in "
                                 f"steps of {step} (the app's slider), got "
                                 f"{self.learning_rate!r}")
        if self.epochs is not None:
            _positive_int("epochs", self.epochs)

    @property
    def name(self) -> str:
        """What the presets' drop-down shows: ``"06 · memory task, lag 50: LSTM (1 x 20)"``."""
        return f"{self.notebook} · {self.experiment}: {self.model}"


def _presets(*presets: Preset) -> dict[str, Preset]:
    named = {p.name: p for p in presets}
    if len(named) != len(presets):
        raise ValueError("preset names must be unique")
    return named


_ONE = "one step ahead"
_TEN = "ten steps at once"
_LR = "learning rate 0.1"
_GATED = "gated cells, ten steps"
_FRONT = "a Conv1D front end, ten steps"
_MEMORY = "memory task, lag 50"
_WAVENET = "WaveNet, ten steps"
_REACH = "WaveNet on the memory task, lag 50"
_REAL = "the real series, next day"

PRESETS: dict[str, Preset] = _presets(
    Preset("01", _ONE, "linear model",
           "From notebook 01: the linear model, the baseline every network must beat "
           "(the leaderboard's book column has the book's figure).",
           "1-step", "linear"),
    Preset("02", _ONE, "SimpleRNN (one neuron)",
           "From notebook 02: the book's smallest RNN, a single recurrent neuron. "
           "Overlay it on the linear model's curve.",
           "1-step", "simple_rnn"),
    Preset("02", _ONE, "deep RNN (2 x 20)",
           "From notebook 02: two SimpleRNN layers of 20 units and a Dense output.",
           "1-step", "deep_rnn"),
    Preset("03", _TEN, "linear model",
           "From notebook 03: a linear model writing all ten values at once.",
           "10-step", "linear"),
    Preset("03", _TEN, "deep RNN (2 x 20)",
           "From notebook 03: the sequence-to-vector RNN, two SimpleRNN layers and a "
           "Dense(10) output. (The playground trains sequence-to-vector models only; "
           "notebook 03 also trains sequence-to-sequence.)",
           "10-step", "deep_rnn"),
    Preset("04", _LR, "deep RNN",
           "After notebook 04: the deep RNN with steps ten times the playground's "
           "default. (Notebook 04's failing network, ReLU on 200 steps, is not in the "
           "playground.) How steady is its curve?",
           "1-step", "deep_rnn", learning_rate=0.1),
    Preset("04", _LR, "deep RNN, clip norm 1",
           "After notebook 04: the same run with its gradients clipped to a global norm "
           "of 1, one of notebook 04's remedies.",
           "1-step", "deep_rnn", learning_rate=0.1, clip=1.0),
    Preset("04", _LR, "LN SimpleRNN",
           "After notebook 04: notebook 04's layer-normalized cell in place of "
           "SimpleRNN, at the same learning rate.",
           "1-step", "ln_rnn", learning_rate=0.1),
    Preset("05", _GATED, "LSTM (2 x 20)",
           "From notebook 05: two LSTM layers of 20 units. Notebook 06 finds LSTM, "
           "peephole LSTM and GRU within seed-to-seed spread: a tie.",
           "10-step", "lstm"),
    Preset("05", _GATED, "peephole LSTM (2 x 20)",
           "From notebook 05: its custom peephole cell, run by keras.layers.RNN "
           "(slower: no fused kernel).",
           "10-step", "peephole"),
    Preset("06", _GATED, "GRU (2 x 20)",
           "From notebook 06: two GRU layers: three sets of weights per unit where the "
           "LSTM has four (see the params column).",
           "10-step", "gru"),
    Preset("06", _FRONT, "GRU (2 x 20)",
           "From notebook 06: the GRUs alone, to compare with the same GRUs behind a "
           "strided Conv1D.",
           "10-step", "gru"),
    Preset("06", _FRONT, "Conv1D + GRU (2 x 20)",
           "From notebook 06: a Conv1D with stride 2 halves the sequence before the "
           "GRUs.",
           "10-step", "conv_gru"),
    Preset("06", _MEMORY, "SimpleRNN (1 x 20)",
           "From notebook 06: recall a value seen 50 steps earlier, with one SimpleRNN "
           "layer of 20 units (the 'deep RNN' model with one layer). A recall near 1 is "
           "perfect, near 0 is no better than answering 0.",
           "memory", "deep_rnn", layers=1, lag=50),
    Preset("06", _MEMORY, "LSTM (1 x 20)",
           "From notebook 06: the same task with one LSTM layer of 20 units. Overlay it "
           "on the SimpleRNN's curve.",
           "memory", "lstm", layers=1, lag=50),
    Preset("06", _MEMORY, "GRU (1 x 20)",
           "From notebook 06: one GRU layer of 20 units on the same task.",
           "memory", "gru", layers=1, lag=50),
    Preset("07", _WAVENET, "WaveNet (2 runs x 20)",
           "From notebook 07: the book's simplified WaveNet, two runs of dilation rates "
           "1, 2, 4, 8 with 20 filters.",
           "10-step", "wavenet"),
    Preset("07", _WAVENET, "full WaveNet (2 runs x 20)",
           "From notebook 07: gated activations, residual and skip connections.",
           "10-step", "full_wavenet"),
    Preset("07", _REACH, "WaveNet (2 runs x 20)",
           "From notebook 07: two runs of rates 1-8 see the last 31 steps, too few to "
           "reach a value 50 steps back.",
           "memory", "wavenet", lag=50),
    Preset("07", _REACH, "WaveNet (4 runs x 20)",
           "From notebook 07: four runs of rates 1-8 see the last 61 steps, enough to "
           "reach a value 50 steps back.",
           "memory", "wavenet", layers=4, lag=50),
    Preset("08", _REAL, "linear model",
           "From notebook 08: two days of demand in, the next day out, by a linear "
           "model. The baseline is last week's values (seasonal naive).",
           "real series", "linear"),
    Preset("08", _REAL, "GRU (2 x 32)",
           "From notebook 08: two GRU layers of 32 units on the same windows.",
           "real series", "gru", units=32),
)
"""Each notebook's key experiment, by preset name (see :class:`Preset`), in notebook order.
Picking one in the app sets the controls; "Train the comparison" trains every preset
of its experiment and overlays them. Training stays within the playground's bounds."""


def experiment_presets(name: str) -> list[str]:
    """The names of the presets in the same comparison as preset ``name`` (in order)."""
    if name not in PRESETS:
        raise ValueError(f"preset must be one of {list(PRESETS)}, got {name!r}")
    key = PRESETS[name].experiment
    return [other for other, preset in PRESETS.items() if preset.experiment == key]


def preset_values(name: str, settings: Settings | None = None) -> dict:
    """The app's control values for preset ``name`` (keys of :attr:`Playground.controls`;
    ``arch`` as its label, ``lag`` only for the memory task)."""
    if name not in PRESETS:
        raise ValueError(f"preset must be one of {list(PRESETS)}, got {name!r}")
    p, s = PRESETS[name], settings or get_settings()
    values = {"task": p.task, "arch": arch_label(p.arch), "units": p.units,
              "layers": p.layers,
              "learning_rate": s.learning_rate if p.learning_rate is None else p.learning_rate,
              "epochs": s.max_epochs if p.epochs is None else min(p.epochs, s.max_epochs),
              "dropout": p.dropout, "clip": p.clip}
    if p.lag is not None:
        values["lag"] = p.lag
    return values


def preset_table() -> pd.DataFrame:
    """The presets as a table indexed by notebook and comparison: task (and lag), model,
    and what they change from the playground's defaults."""
    rows = []
    for p in PRESETS.values():
        changes = [f"learning rate {p.learning_rate:g}" if p.learning_rate else "",
                   f"clip {p.clip:g}" if p.clip else "",
                   f"dropout {p.dropout:g}" if p.dropout else ""]
        rows.append({"notebook": p.notebook, "comparison": p.experiment,
                     "task": p.task if p.lag is None else f"{p.task} (lag {p.lag})",
                     "model": p.model, "changed": ", ".join(c for c in changes if c) or "—"})
    return pd.DataFrame(rows).set_index(["notebook", "comparison"])


# --- the app ---------------------------------------------------------------------------

TABLE_STYLE = (".pg-table {border-collapse: collapse} "
               ".pg-table th, .pg-table td {padding: 2px 10px; text-align: right} "
               ".pg-table tbody tr:nth-child(odd) {background: #f3f6fa}")

CSS = {"preset": "pg-preset", "train_preset": "pg-train-preset",
       "preset_note": "pg-preset-note", "task": "pg-task", "lag": "pg-lag",
       "arch": "pg-arch", "units": "pg-units", "layers": "pg-layers",
       "learning_rate": "pg-lr", "epochs": "pg-epochs", "dropout": "pg-dropout",
       "clip": "pg-clip", "train": "pg-train", "status": "pg-status", "plot": "pg-plot",
       "leaderboard": "pg-leaderboard", "picker": "pg-runs", "overlay": "pg-overlay"}
"""CSS classes on the app's widgets (the browser test finds them by these)."""

NO_PRESET = "(none: set the controls yourself)"
"""The presets' drop-down entry for "no preset"."""
PRESET_HINT = ("A <b>preset</b> sets the controls to one run of a notebook's key "
               "experiment; press <b>Train</b> to run it, or <b>Train the comparison</b> "
               "to run every model of that experiment and overlay their curves below the "
               "leaderboard.")


def status_text(run: Run, number: int, baseline: float) -> str:
    """The status line after a run: its score next to the baseline's and the book's."""
    metric = TASKS[run.task].metric
    book = book_figure(run.task, run.arch)
    versus = f", book {book:g}" if book is not None else ""
    cut = f" (stopped by the {run.seconds:.0f} s limit after {run.epochs} epochs)" \
        if run.stopped else ""
    task = run.task if run.lag is None else f"{run.task} (lag {run.lag})"
    return (f"done: run {number}, {arch_label(run.arch)} on {task}: {metric} "
            f"{_score_text(run.score, metric)} (baseline {_score_text(baseline, metric)}"
            f"{versus}) in {run.seconds:.1f} s{cut}")


def comparison_text(runs: Mapping[int, Run]) -> str:
    """The status line after a comparison: each run's number, model and score."""
    if not isinstance(runs, Mapping) or not runs:
        raise ValueError("runs must be a non-empty mapping of run number -> Run")
    parts = [f"run {n} {arch_label(r.arch)} {_score_text(r.score, TASKS[r.task].metric)}"
             for n, r in runs.items()]
    metric = TASKS[next(iter(runs.values())).task].metric
    return f"done: {', '.join(parts)} ({metric}); their curves are overlaid below"


def preset_note(name: str) -> str:
    """The HTML under the presets' drop-down: what preset ``name`` replays, and its
    comparison (:data:`PRESET_HINT` for :data:`NO_PRESET`)."""
    if name == NO_PRESET:
        return PRESET_HINT
    if name not in PRESETS:
        raise ValueError(f"preset must be one of {[NO_PRESET, *PRESETS]}, got {name!r}")
    p = PRESETS[name]
    others = [PRESETS[n].model for n in experiment_presets(name)]
    return (f"<b>{p.description}</b> The comparison <i>{p.experiment}</i> trains "
            f"{len(others)} runs: {', '.join(others)}.")


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    return a == b


class Playground:
    """The playground's widgets, wired to the functions above.

    ``view`` is the widget to display. ``train()`` is what the Train button does and
    ``train_comparison()`` what "Train the comparison" does (tests call them directly);
    ``apply_preset(name)`` is what picking a preset does. ``rows`` holds one leaderboard
    row per finished run and ``runs`` the runs by number; :meth:`add` puts a run made
    elsewhere (with :func:`run_training`) on the board, and :meth:`select` picks the runs
    whose curves the overlay draws (a new run joins the picked ones).
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        s = self.settings
        lag_low, lag_high, lag_step = SLIDERS["lag"]
        self.controls = {
            "task": widgets.dropdown("task", list(TASKS)),
            "lag": widgets.int_slider("memory lag", lag_low, max(lag_high, s.memory_lag),
                                      s.memory_lag, lag_step),
            "arch": widgets.dropdown("model", [a.label for a in ARCHITECTURES.values()]),
            "units": widgets.int_slider("units", *SLIDERS["units"][:2], 20),
            "layers": widgets.int_slider("layers", *SLIDERS["layers"][:2], 2),
            "learning_rate": widgets.log_slider("learning rate", *LEARNING_RATE_EXPONENTS[:2],
                                                s.learning_rate, LEARNING_RATE_EXPONENTS[2]),
            "epochs": widgets.int_slider("epochs", 1, s.max_epochs, s.epochs),
            "dropout": widgets.float_slider("dropout", *SLIDERS["dropout"][:2], 0.0,
                                            SLIDERS["dropout"][2]),
            "clip": widgets.float_slider("clip norm (0: off)", *SLIDERS["clip"][:2], 0.0,
                                         SLIDERS["clip"][2]),
        }
        self.preset = widgets.dropdown("preset", [NO_PRESET, *PRESETS])
        self.preset.layout.width = "480px"
        self.preset_button = widgets.train_button("Train the comparison")
        self.preset_button.layout.width = "auto"
        self.preset_button.disabled = True
        self.preset_note = widgets.html_block(PRESET_HINT)
        self.button = widgets.train_button()
        self.status = widgets.status_line("choose a task and a model, then press Train")
        self.plot = widgets.output_area()
        self.board = widgets.html_block(leaderboard_html([]))
        self.picker = widgets.multi_select("runs to overlay", [], rows=6)
        self.overlay = widgets.output_area()
        for name, widget in {**self.controls, "preset": self.preset,
                             "train_preset": self.preset_button,
                             "preset_note": self.preset_note, "train": self.button,
                             "status": self.status, "plot": self.plot,
                             "leaderboard": self.board, "picker": self.picker,
                             "overlay": self.overlay}.items():
            widget.add_class(CSS[name])
        self.rows: list[dict] = []
        self.runs: dict[int, Run] = {}
        self._baselines: dict[int, float] = {}
        self._data: dict[tuple[str, int | None], TaskData] = {}
        self._applying = self._quiet = False
        self.button.on_click(lambda _: self.train())
        self.preset_button.on_click(lambda _: self.train_comparison())
        self.preset.observe(lambda change: self._on_preset(change["new"]), names="value")
        self.controls["arch"].observe(lambda _: self._grey_out(), names="value")
        self.controls["task"].observe(lambda _: (self._grey_out(), self._show(None)),
                                      names="value")
        self.controls["lag"].observe(lambda _: self._show(None) if self.task == "memory"
                                     else None, names="value")
        for control in self.controls.values():
            control.observe(lambda _: self._leave_preset(), names="value")
        self.picker.observe(lambda _: self._draw_overlay(), names="value")
        self._grey_out()
        self._show(None)
        self._draw_overlay()
        self.view = widgets.column(
            widgets.row(self.preset, self.preset_button), self.preset_note,
            widgets.layout(
                self.controls, self.button, self.status, self.plot,
                widgets.html_block(f"<style>{TABLE_STYLE}</style><h3>Leaderboard</h3>"),
                self.board,
                widgets.html_block("<h3>Learning curves, overlaid</h3>Pick runs in the "
                                   "list (ctrl- or shift-click for several): their "
                                   "validation scores, epoch by epoch, in each task's "
                                   "metric."),
                self.picker, self.overlay))

    # --- data and drawing

    @property
    def task(self) -> str:
        return self.controls["task"].value

    @property
    def arch(self) -> str:
        return arch_from_label(self.controls["arch"].value)

    @property
    def lag(self) -> int | None:
        """The memory lag the controls say, when the memory task is chosen."""
        return self.controls["lag"].value if self.task == "memory" else None

    def task_data(self, task: str, lag: int | None = None) -> TaskData:
        """``task``'s data at the playground's sizes (the memory task at ``lag``, by
        default :attr:`Settings.memory_lag`), loaded once."""
        _task(task)
        lag = (lag or self.settings.memory_lag) if task == "memory" else None
        if (task, lag) not in self._data:
            settings = self.settings if lag is None else replace(self.settings,
                                                                  memory_lag=lag)
            self._data[task, lag] = load_task(task, settings)
        return self._data[task, lag]

    def _grey_out(self) -> None:
        used = controls_used(self.arch)
        for name in SIZE_CONTROLS:
            self.controls[name].disabled = name not in used
        self.controls["lag"].disabled = self.task != "memory"

    def _show(self, history, *, epochs: int | None = None, arch: str | None = None,
              prediction=None) -> None:
        task = self.task
        png = figure_png(history, self.task_data(task, self.lag),
                         epochs=epochs or self.settings.max_epochs, prediction=prediction,
                         label=arch_label(arch) if arch else "",
                         book=book_figure(task, arch) if arch else None)
        self.plot.outputs = (png_output(png),)

    def _draw_overlay(self) -> None:
        if self._quiet:
            return
        picked = {n: self.runs[n] for n in self.picker.value}
        self.overlay.outputs = (png_output(overlay_png(picked, self._baselines)),)

    # --- presets

    def apply_preset(self, name: str) -> dict:
        """Set the controls to preset ``name`` (what picking it does); return the values."""
        if name not in PRESETS:
            raise ValueError(f"preset must be one of {list(PRESETS)}, got {name!r}")
        if self.preset.value != name:
            self.preset.value = name  # its observer sets the controls
        else:
            self._on_preset(name)
        return preset_values(name, self.settings)

    def _on_preset(self, name: str) -> None:
        self.preset_note.value = preset_note(name)
        self.preset_button.disabled = name == NO_PRESET
        if name == NO_PRESET:
            return
        values = preset_values(name, self.settings)
        self._applying = True
        try:  # the lag before the task: the memory data is loaded at the preset's lag
            for key in ("lag", "arch", "units", "layers", "learning_rate", "epochs",
                        "dropout", "clip", "task"):
                if key in values:
                    self.controls[key].value = values[key]
        finally:
            self._applying = False

    def _leave_preset(self) -> None:
        """A control moved away from the chosen preset's value: no preset is chosen."""
        name = self.preset.value
        if self._applying or name == NO_PRESET:
            return
        values = preset_values(name, self.settings)
        if not all(_same(self.controls[key].value, value) for key, value in values.items()):
            self.preset.value = NO_PRESET

    # --- runs

    def add(self, run: Run) -> dict:
        """Put ``run`` on the leaderboard and among the overlaid runs; return its row."""
        number = len(self.rows) + 1
        baseline = self.task_data(run.task, run.lag).baseline
        row = leaderboard_row(run, number, baseline)
        self.rows.append(row)
        self.runs[number] = run
        self._baselines[number] = baseline
        self.board.value = leaderboard_html(self.rows)
        self.select([*self.picker.value, number], _refresh=True)
        return row

    def select(self, numbers: Sequence[int], *, _refresh: bool = False) -> None:
        """Overlay the curves of the runs ``numbers`` (and only those)."""
        numbers = tuple(dict.fromkeys(numbers))
        unknown = [n for n in numbers if n not in self.runs]
        if unknown:
            raise ValueError(f"numbers must be runs on the leaderboard "
                             f"{sorted(self.runs)}, got {unknown}")
        self._quiet = True
        try:
            if _refresh:
                self.picker.options = [(run_label(r, n, task=True), n)
                                       for n, r in self.runs.items()]
            self.picker.value = numbers
        finally:
            self._quiet = False
        self._draw_overlay()

    def train(self) -> Run:
        """Train the chosen model, drawing each epoch; add a leaderboard row."""
        values = {name: control.value for name, control in self.controls.items()}
        task, arch, epochs, lag = values["task"], self.arch, values["epochs"], self.lag
        label = arch_label(arch)
        metric = TASKS[task].metric

        def on_epoch(history, done):
            shown = "  ".join(f"{k} {history[k][-1]:.4f}" for k in ("loss", "val_loss")
                              if k in history)
            if "val_score" in history:
                shown += f"  {metric} {_score_text(history['val_score'][-1], metric)}"
            self.status.value = f"training {label}: epoch {done}/{epochs}  {shown}"
            self._show(history, epochs=epochs, arch=arch)

        self.button.disabled = True
        where = task if lag is None else f"{task} (lag {lag})"
        self.status.value = f"training {label} on the {where} task ..."
        try:
            task_data = self.task_data(task, lag)
            run = run_training(
                task_data, arch, epochs, settings=self.settings,
                learning_rate=values["learning_rate"], units=values["units"],
                layers=values["layers"], dropout=values["dropout"], clip=values["clip"],
                callbacks=[LiveHistory(on_epoch)])
            self._show(run.history, epochs=epochs, arch=arch, prediction=run.prediction)
            self.add(run)
            self.status.value = status_text(run, len(self.rows), task_data.baseline)
            return run
        except Exception as error:
            self.status.value = f"failed: {type(error).__name__}: {error}"
            raise
        finally:
            self.button.disabled = False

    def train_comparison(self) -> dict[int, Run]:
        """Train every preset of the chosen preset's comparison, one after the other, and
        overlay exactly those runs; return them by run number."""
        name = self.preset.value
        if name == NO_PRESET:
            self.status.value = "pick a preset first: its comparison is what trains"
            return {}
        self.preset_button.disabled = True
        trained: dict[int, Run] = {}
        try:
            for other in experiment_presets(name):
                self.apply_preset(other)
                run = self.train()
                trained[len(self.rows)] = run
        finally:
            self.preset_button.disabled = self.preset.value == NO_PRESET
        self.select(list(trained))
        self.status.value = comparison_text(trained)
        return trained

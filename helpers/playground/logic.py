"""The playground's logic: tasks, training runs, scores, the leaderboard, figures, presets.

Each is a plain function, tested on its own; :mod:`helpers.playground.app` wires them to
widgets. A run is bounded (``Settings.max_epochs``, ``Settings.max_seconds``) and compiles
without XLA: over a few epochs compiling costs more than it saves.
"""

import csv
import io
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import keras
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers import checks, data, models, plots, profile, results, training
from helpers.datasets import memory, realdata
from helpers.models import ARCHITECTURES, MAX_LAYERS, MAX_UNITS, Shape  # noqa: F401 (re-exported)
from helpers.profile import PROFILE, Profile, for_profile


@dataclass(frozen=True)
class Settings(profile.Settings):
    """Sizes of the playground's data and the bounds of one click's training.

    ``epochs`` is the epochs slider's default, ``max_epochs`` its top; a run stops after
    the batch that passes ``max_seconds``. ``seed`` (data and initial weights) defaults to
    the run's seed. ``learning_rate`` (Adam's) is ten times Keras' default: a few epochs
    on a few hundred series leave the small models far from converged at 1e-3. The memory
    task recalls a value ``memory_lag`` steps back; models of the real series read
    ``real_window`` half hours (two days) and forecast ``real_horizon`` (the next day),
    trained on every ``real_stride``-th window.
    """

    n_train: int
    n_valid: int
    epochs: int
    max_epochs: int
    max_seconds: float = 60.0
    batch_size: int = 32
    seed: int = field(default_factory=lambda: PROFILE.seed)
    learning_rate: float = 1e-2
    memory_lag: int = 20
    real_window: int = 96
    real_horizon: int = realdata.DAY
    real_stride: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        checks.integer("Settings.epochs", self.epochs, high=self.max_epochs)
        checks.number("Settings.learning_rate", self.learning_rate, above=0, high=1)
        checks.number("Settings.max_seconds", self.max_seconds, 1, 3600)


SETTINGS = {
    "full": Settings(n_train=1_000, n_valid=500, epochs=3, max_epochs=10),
    "quick": Settings(n_train=300, n_valid=200, epochs=1, max_epochs=5, max_seconds=30,
                      memory_lag=10, real_stride=6),
}


def get_settings(profile: str | Profile | None = None) -> Settings:
    """The playground's settings for a profile (default: the active one)."""
    return for_profile(SETTINGS, profile)


def task_text(task: str, lag: int | None) -> str:
    """``"memory (lag 50)"``: the task, and its lag where it has one."""
    return task if lag is None else f"{task} (lag {lag})"


# --- tasks -----------------------------------------------------------------------------

class Task(NamedTuple):
    metric: str  # what the score column holds
    baseline: str  # the trivial forecaster the baseline column scores
    higher_is_better: bool = False


# The next value, or the next 10, of a synthetic series; notebook 06's memory task (recall
# a marked value); the next day of electricity demand (notebook 08).
TASKS: dict[str, Task] = {
    "1-step": Task("val MSE", "naive (last value)"),
    "10-step": Task("val MSE", "naive (last value, repeated)"),
    "memory": Task("recall", "always 0", higher_is_better=True),
    "real series": Task("val MAE (MW)", "seasonal naive (last week)")}


@dataclass
class TaskData:
    """A task's arrays, the validation score of its :attr:`Task.baseline`, and what
    scoring needs (``extra``)."""

    task: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray
    baseline: float
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> Shape:
        return Shape(*self.X_train.shape[1:], self.y_train.shape[-1], self.y_train.ndim == 3)

    @property
    def lag(self) -> int | None:
        """The memory task's lag (its sequences are ``lag + LEAD`` steps); else None."""
        return self.X_train.shape[1] - memory.LEAD if self.task == "memory" else None


def task_shape(task: str, settings: Settings | None = None) -> Shape:
    """The :class:`Shape` of ``task``'s models (without loading its data)."""
    s = settings or get_settings()
    return {"1-step": Shape(PROFILE.n_steps, 1, 1, False),
            "10-step": Shape(PROFILE.n_steps, 1, 10, False),
            "memory": Shape(s.memory_lag + memory.LEAD, 2, 1, True),
            "real series": Shape(s.real_window, 1, s.real_horizon, False)}[
        checks.choice("task", task, TASKS)]


def _mse(a, b) -> float:
    return float(np.mean((np.asarray(a, dtype="float64") - b) ** 2))


@lru_cache(maxsize=1)
def _demand() -> realdata.Demand:
    return realdata.prepare()


def load_task(task: str, settings: Settings | None = None) -> TaskData:
    """Training and validation arrays of ``task`` (sizes from ``settings``).

    The synthetic tasks draw ``n_train + n_valid`` series; the memory task as many
    sequences at lag ``memory_lag``; the real series is cut into windows of its training
    and validation weeks (notebook 08's split; the test weeks are never touched here).
    """
    checks.choice("task", task, TASKS)
    s = checks.instance("settings", settings or get_settings(), Settings, "a playground Settings")
    seed, n = s.seed, s.n_train
    if task == "memory":
        train = memory.recall_task(n, s.memory_lag, seed=seed)
        valid = memory.recall_task(s.n_valid, s.memory_lag, seed=seed + 1)
        return TaskData(task, train.X, train.Y, valid.X, valid.Y, memory.recall_score(
            valid, np.zeros_like(valid.Y), s.memory_lag), {"valid": valid})
    if task == "real series":
        d, w, h = _demand(), s.real_window, s.real_horizon
        # the window of origin t: its w inputs and h targets, z[t - w:t + h]
        windows = np.lib.stride_tricks.sliding_window_view(d.z.astype("float32"), w + h)
        train = windows[realdata.origins(realdata.WEEK + w, d.train_end, h)[::s.real_stride] - w]
        at = realdata.origins(d.train_end, d.valid_end, h)
        truth, valid = realdata.targets(d.y, at, h), windows[at - w]
        naive = realdata.baseline_forecasts(d.y, at, h)["seasonal naive"]
        return TaskData(task, train[:, :w, None], train[:, w:], valid[:, :w, None],
                        valid[:, w:], float(np.abs(truth - naive).mean()),
                        {"demand": d, "at": at, "truth": truth})
    ahead = 1 if task == "1-step" else 10
    series = data.generate_time_series(n + s.n_valid, PROFILE.n_steps + ahead, seed=seed)
    X, y = data.vector_targets(series, PROFILE.n_steps, ahead)
    return TaskData(task, X[:n], y[:n], X[n:], y[n:],
                    _mse(np.repeat(X[n:, -1], ahead, axis=1), y[n:]))


def score(task_data: TaskData, predictions) -> float:
    """The task's metric for ``predictions`` of the whole validation set.

    MSE for the synthetic tasks; recall at the task's lag for the memory task
    (:func:`helpers.datasets.memory.recall_score`: 1 is perfect, 0 is answering 0); for
    the real series, the mean absolute error in MW of the next-day forecasts, after
    undoing the scaling and the weekly differencing.
    """
    checks.instance("task_data", task_data, TaskData, "a TaskData (see load_task)")
    predictions = np.asarray(predictions, dtype="float64")
    if predictions.shape != task_data.y_valid.shape:
        raise ValueError(f"predictions must have the validation targets' shape "
                         f"{task_data.y_valid.shape}, got {predictions.shape}")
    extra, demand = task_data.extra, task_data.extra.get("demand")
    if task_data.task == "memory":
        return memory.recall_score(extra["valid"], predictions, task_data.lag)
    if task_data.task == "real series":
        return float(np.abs(extra["truth"] - realdata.undifference(
            demand.y, extra["at"], demand.scaler.inverse(predictions))).mean())
    return _mse(predictions, task_data.y_valid)


# --- architectures ---------------------------------------------------------------------

def arch_label(arch: str) -> str:
    """The label the app shows for architecture ``arch``."""
    return ARCHITECTURES[checks.choice("architecture", arch, ARCHITECTURES)].label


def arch_from_label(label: str) -> str:
    """The architecture's name for the label the app shows."""
    names = {spec.label: name for name, spec in ARCHITECTURES.items()}
    return names[checks.choice("label", label, names)]


def controls_used(arch: str) -> frozenset:
    """The size controls (units, layers, dropout) that ``arch`` reads; the app greys out
    the others."""
    return ARCHITECTURES[checks.choice("architecture", arch, ARCHITECTURES)].uses


def build_model(arch: str, *, task: str = "1-step", units: int = 20, layers: int = 2,
                dropout: float = 0.0, settings: Settings | None = None) -> keras.Model:
    """A fresh, uncompiled model of architecture ``arch`` shaped for ``task`` (at most
    :data:`MAX_UNITS` units and :data:`MAX_LAYERS` layers)."""
    return models.build_model(arch, task_shape(task, settings), units=units, layers=layers,
                              dropout=dropout)


# (task, architecture) -> key of helpers.results.BOOK where the book trained that model on
# that task. (Its LSTM, GRU and WaveNet figures are last-step errors of sequence-to-sequence
# training, a different measure, so they are not shown.)
BOOK_KEYS = {("1-step", "linear"): "linear", ("1-step", "simple_rnn"): "simple_rnn",
             ("1-step", "deep_rnn"): "deep_rnn", ("10-step", "linear"): "linear_10",
             ("10-step", "deep_rnn"): "seq2vec_10"}


def book_figure(task: str, arch: str) -> float | None:
    """The book's validation MSE for ``arch`` on ``task``, or None where it gives none."""
    key = BOOK_KEYS.get((task, arch))
    return None if key is None else results.BOOK[key].value


# --- one training run ------------------------------------------------------------------

@dataclass
class Run:
    """What :func:`run_training` returns: one row of the leaderboard, and its plot data.

    ``epochs``: those finished (fewer than asked when ``max_seconds`` ``stopped`` the run);
    ``score``: the task's metric (:func:`score`); ``prediction``: the trained model's
    output for the first validation example; ``lag``: the memory task's (else None).
    """

    task: str
    arch: str
    epochs: int
    learning_rate: float
    history: dict[str, list[float]]
    val_loss: float
    score: float
    params: int
    seconds: float
    prediction: np.ndarray = field(repr=False)
    units: int = 20
    layers: int = 2
    dropout: float = 0.0
    clip: float = 0.0
    stopped: bool = False
    lag: int | None = None


def run_training(task_data: TaskData, arch: str, epochs: int, *, settings: Settings | None = None,
                 learning_rate: float | None = None, units: int = 20, layers: int = 2,
                 dropout: float = 0.0, clip: float = 0.0,
                 on_epoch: Callable[[dict[str, list[float]], int], None] | None = None) -> Run:
    """Build ``arch`` for ``task_data``'s task, train it, score it with the task's metric.

    At most ``settings.max_epochs`` epochs and about ``settings.max_seconds`` seconds.
    ``learning_rate`` defaults to ``settings.learning_rate``; ``clip`` > 0 clips the
    gradients' global norm (Adam's ``global_clipnorm``). The model reads and writes
    ``task_data``'s shapes (a memory task at its data's lag). The run's ``history`` holds
    each epoch's ``loss``, ``val_loss`` (MSE) and ``val_score`` (the task's metric);
    ``on_epoch(history, epoch)``, when given, gets it after each epoch (the app draws it).
    """
    settings = settings or get_settings()
    checks.instance("task_data", task_data, TaskData, "a TaskData (see load_task)")
    epochs = checks.integer("epochs", epochs, high=settings.max_epochs)
    learning_rate = checks.number("learning_rate", settings.learning_rate if learning_rate
                                  is None else learning_rate, above=0, high=1)
    clip = checks.number("clip", clip, 0, 100)
    training.set_seed(settings.seed)
    model = models.build_model(arch, task_data.shape, units=units, layers=layers,
                               dropout=dropout)
    training.compile_model(model, jit_compile=False, optimizer=keras.optimizers.Adam(
        learning_rate=learning_rate, global_clipnorm=clip or None))
    history: dict[str, list[float]] = {}
    start = time.perf_counter()

    def end_epoch(epoch, logs):  # score the epoch in the task's metric, record it, report
        logs["val_score"] = score(task_data, model.predict(task_data.X_valid, batch_size=256,
                                                           verbose=0))
        for key, value in logs.items():
            history.setdefault(key, []).append(float(value))
        if on_epoch is not None:
            on_epoch(history, epoch + 1)

    def stop_in_time(batch, logs):  # after the batch that passes the time limit
        if time.perf_counter() - start > settings.max_seconds:
            model.stop_training = True

    watch = keras.callbacks.LambdaCallback(on_epoch_end=end_epoch,
                                           on_train_batch_end=stop_in_time)
    with training.quiet_retracing():  # every run's new model makes TensorFlow retrace
        model.fit(task_data.X_train, task_data.y_train, epochs=epochs,
                  batch_size=settings.batch_size, verbose=0,
                  validation_data=(task_data.X_valid, task_data.y_valid),
                  callbacks=[watch])
        stopped, seconds = model.stop_training, time.perf_counter() - start
        predictions = model.predict(task_data.X_valid, batch_size=256, verbose=0)
    return Run(task_data.task, arch, len(history["val_loss"]), learning_rate, history,
               history["val_loss"][-1],
               score(task_data, predictions), int(model.count_params()), seconds,
               predictions[0], units, layers, float(dropout), clip, stopped, task_data.lag)


# --- leaderboard -----------------------------------------------------------------------

COLUMNS = ("run", "task", "lag", "model", "size", "learning rate", "dropout", "clip", "epochs",
           "params", "metric", "score", "baseline", "book", "seconds")
_FORMATS = {"learning rate": ".2g", "params": ",", "dropout": "g", "clip": "g", "book": "g",
            "seconds": ".1f"}


def size_text(arch: str, units: int, layers: int) -> str:
    """``"2 x 20"`` (layers x units; WaveNets: runs of rates x filters), or ``"fixed"``
    for the book's linear model and SimpleRNN."""
    return f"{layers} x {units}" if "units" in controls_used(arch) else "fixed"


def leaderboard_row(run: Run, number: int, baseline: float | None = None) -> dict:
    """One leaderboard row for ``run`` (``number``: its position in the session, from 1;
    ``baseline``: the task's baseline score, see :attr:`TaskData.baseline`)."""
    checks.instance("run", run, Run, "a Run")
    return {"run": checks.integer("number", number), "task": run.task, "lag": run.lag,
            "model": arch_label(run.arch), "size": size_text(run.arch, run.units, run.layers),
            "learning rate": run.learning_rate,
            "dropout": run.dropout if "dropout" in controls_used(run.arch) else None,
            "clip": run.clip or None, "epochs": run.epochs, "params": run.params,
            "metric": TASKS[run.task].metric, "score": run.score, "baseline": baseline,
            "book": book_figure(run.task, run.arch), "seconds": run.seconds}


def leaderboard_frame(rows: Sequence[dict]) -> pd.DataFrame:
    """The rows as a table: grouped by task (in :data:`TASKS` order), best score first
    within a task (lowest error, highest recall; ties: earlier run first)."""
    for row in rows:
        if not isinstance(row, dict) or set(row) != set(COLUMNS):
            raise ValueError(f"rows must be dicts with exactly the columns {COLUMNS}; "
                             f"got {row!r}")
    return pd.DataFrame(sorted(rows, key=lambda r: (
        list(TASKS).index(r["task"]), r["score"] * (-1 if TASKS[r["task"]].higher_is_better
                                                    else 1), r["run"])), columns=list(COLUMNS))


def _text(value, spec: str = "") -> str:
    return "—" if pd.isna(value) else format(value, spec)


def score_text(value, metric: str) -> str:
    """A score as the app shows it: MW whole, a recall to 3 decimals, an MSE to 4."""
    return _text(value, ".0f" if "MW" in metric else ".3f" if metric == "recall" else ".4f")


def leaderboard_html(rows: Sequence[dict]) -> str:
    """An HTML table of the rows (header only when there are none)."""
    shown = [{c: score_text(r[c], r["metric"]) if c in ("score", "baseline")
              else _text(r[c], _FORMATS.get(c, "")) for c in COLUMNS}
             for r in leaderboard_frame(rows).to_dict("records")]
    return pd.DataFrame(shown, columns=list(COLUMNS)).to_html(index=False, classes="pg-table",
                                                              border=0)


# --- figures ---------------------------------------------------------------------------

def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _draw_example(ax, task_data: TaskData, prediction, label: str) -> None:
    """The first validation example with its target and, when given, the prediction."""
    X, y = task_data.X_valid[0], task_data.y_valid[0]
    if task_data.task == "memory":
        steps, marked = np.arange(len(X)), int(np.argmax(X[:, 1]))
        ax.scatter(steps, X[:, 0], s=8, color=plots.INPUT_COLOR, label="values")
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
        past, ahead = np.arange(at - realdata.DAY, at), np.arange(at, at + y.shape[-1])
        ax.plot((past - at) / 2, demand.y[past] / 1000, color=plots.INPUT_COLOR,
                label="last day")
        ax.plot((ahead - at) / 2, demand.y[ahead] / 1000, color=plots.TARGET_COLOR, lw=2,
                label="actual")
        if prediction is not None:
            mw = realdata.undifference(demand.y, np.array([at]),
                                       demand.scaler.inverse(np.asarray(prediction)[None]))
            ax.plot((ahead - at) / 2, mw[0] / 1000, color=plots.PALETTE[1], label=label)
        ax.set(xlabel=f"hours from {demand.times[at]:%a %d %b %H:%M}", ylabel="GW",
               title="the first validation day")
        ax.legend(fontsize=8)
    else:
        forecasts = None if prediction is None else {label or "forecast": prediction}
        plots.plot_series(X, y, forecasts, ax=ax, title="a validation series")


def figure_png(history: dict[str, list[float]] | None, task_data: TaskData, *, epochs: int,
               prediction: np.ndarray | None = None, label: str = "",
               book: float | None = None) -> bytes:
    """The learning curve so far (left) and a validation example with its prediction, as
    PNG bytes (drawn on a standalone Figure, no pyplot: nothing is shown by accident).
    The epoch axis spans ``1..epochs`` so a live curve grows into a fixed frame."""
    epochs = checks.integer("epochs", epochs)
    checks.instance("task_data", task_data, TaskData, "a TaskData")
    fig = Figure(figsize=(10, 3.2), dpi=80, layout="constrained")
    ax, ax_example = fig.subplots(1, 2)
    if history and history.get("loss"):
        plots.plot_learning_curves(history, label=label or None, ax=ax)
    else:
        ax.text(0.5, 0.5, "press Train", ha="center", va="center", transform=ax.transAxes,
                color=plots.FLOOR_COLOR)
        ax.set(xlabel="epoch", ylabel="loss (MSE)")
    if book is not None:
        ax.axhline(book, color=plots.FLOOR_COLOR, ls=":", label=f"book {book:g}")
        ax.legend()
    ax.set(xlim=(0.5, epochs + 0.5), title="learning curve")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _draw_example(ax_example, task_data, prediction, label)
    return png(fig)


def run_label(run: Run, number: int, *, task: bool = False) -> str:
    """``"3: GRU 2 x 20, lr 0.01"``: the run's number, model and settings (its lag, and
    dropout or clipping where used); with ``task``, the task first (``"1-step · 3: ..."``).
    """
    checks.instance("run", run, Run, "a Run")
    size = size_text(run.arch, run.units, run.layers)
    details = [f"lag {run.lag}" if run.lag is not None else "", f"lr {run.learning_rate:.2g}",
               f"dropout {run.dropout:g}" if run.dropout and "dropout" in controls_used(
                   run.arch) else "", f"clip {run.clip:g}" if run.clip else ""]
    text = (f"{checks.integer('number', number)}: {arch_label(run.arch)}"
            f"{'' if size == 'fixed' else ' ' + size}, {', '.join(d for d in details if d)}")
    return f"{run.task} · {text}" if task else text


def score_curve(run: Run) -> list[float]:
    """The run's validation score after each epoch, in its task's metric:
    ``history["val_score"]`` where :func:`run_training` recorded it; otherwise (a run
    made elsewhere) the MSE curve of the synthetic tasks, or the final score alone."""
    checks.instance("run", run, Run, "a Run")
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
    checks.instance("runs", runs, Mapping, "a mapping of run number -> Run")
    for number, run in runs.items():
        checks.integer("run number", number)
        checks.instance(f"runs[{number}]", run, Run, "a Run")
    baselines, numbers = dict(baselines or {}), sorted(runs)
    tasks = [task for task in TASKS if any(run.task == task for run in runs.values())]
    fig = Figure(figsize=(10, 3.2), dpi=80, layout="constrained")
    if not tasks:
        ax = fig.subplots()
        ax.text(0.5, 0.5, "pick runs in the list above to overlay their learning curves",
                ha="center", va="center", transform=ax.transAxes, color=plots.FLOOR_COLOR)
        ax.set(xlabel="epoch", xticks=[], yticks=[])
        return fig
    for ax, task in zip(np.atleast_1d(fig.subplots(1, len(tasks))), tasks):
        mine = {n: runs[n] for n in numbers if runs[n].task == task}
        for number, run in mine.items():
            i, curve = numbers.index(number), score_curve(run)
            ax.plot(np.arange(1, len(curve) + 1), curve, marker="o", ms=3,
                    ls=("-", "--", ":")[i // len(plots.PALETTE) % 3],
                    color=plots.PALETTE[i % len(plots.PALETTE)], label=run_label(run, number))
        levels = sorted({round(baselines[n], 6) for n in mine if baselines.get(n) is not None})
        for j, level in enumerate(levels):
            ax.axhline(level, color=plots.FLOOR_COLOR, ls="--", lw=1,
                       label=None if j else TASKS[task].baseline)
        values = [v for r in mine.values() for v in score_curve(r) if np.isfinite(v)]
        if TASKS[task].metric == "val MSE" and values and min(values) > 0:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        lags = sorted({r.lag for r in mine.values() if r.lag is not None})
        title = f"{task} (lag{'s' if len(lags) > 1 else ''} {', '.join(map(str, lags))})"
        ax.set(xlabel="epoch", ylabel=TASKS[task].metric, title=title if lags else task)
        ax.legend(fontsize=7)
    return fig


# --- presets: each notebook's key experiment -------------------------------------------

# (min, max, step) of the app's sliders; the learning rate's in powers of ten (the epochs
# slider's top is Settings.max_epochs).
SLIDERS = {"lag": (5, 100, 5), "units": (1, 64, 1), "layers": (1, 4, 1),
           "dropout": (0.0, 0.5, 0.1), "clip": (0.0, 5.0, 0.5), "learning_rate": (-4, -1, 0.25)}


@dataclass(frozen=True)
class Preset:
    """One run of a notebook's key experiment, as the app's controls' values.

    Presets that share ``experiment`` form a comparison: the app trains them one after
    the other and overlays their curves. ``model`` names the run (``"LSTM (1 x 20)"``);
    ``description`` says what it replays and names its notebook (``"06"``).
    ``learning_rate`` None is the playground's default; ``lag`` is set for the memory task
    only. Every value must be one the app's sliders can take (:data:`SLIDERS`).
    """

    notebook: str
    experiment: str
    model: str
    description: str
    task: str
    arch: str
    units: int = 20
    layers: int = 2
    learning_rate: float | None = None
    dropout: float = 0.0
    clip: float = 0.0
    lag: int | None = None

    def __post_init__(self) -> None:
        checks.choice("task", self.task, TASKS)
        checks.choice("architecture", self.arch, ARCHITECTURES)
        if not re.fullmatch(r"\d\d", str(self.notebook)):
            raise ValueError(f"notebook must be a two-digit str like '06'; got {self!r}")
        if f"notebook {self.notebook}" not in self.description:
            raise ValueError(f"description must name its notebook; got {self!r}")
        if (self.task == "memory") != (self.lag is not None):
            raise ValueError(f"lag must be set for the memory task and only for it; got {self!r}")
        for name, (low, high, step) in SLIDERS.items():
            value = getattr(self, name)
            if value is None:
                continue
            if name == "learning_rate":  # its slider moves in powers of ten
                value = math.log10(checks.number(name, value, above=0))
                name = "log10(learning_rate)"
            value = checks.number(name, value)
            on_grid = abs(round((value - low) / step) * step + low - value) <= 1e-6
            if not (low <= value <= high and on_grid):
                raise ValueError(f"{name} must be in [{low}, {high}] in steps of {step} (the "
                                 f"app's slider), got {value!r}")

    @property
    def name(self) -> str:
        """What the presets' drop-down shows: ``"06 · memory task, lag 50: LSTM (1 x 20)"``."""
        return f"{self.notebook} · {self.experiment}: {self.model}"


def _preset(row: dict) -> Preset:
    changes = row.pop("changes").split()  # "layers=1 lag=50": what differs from the defaults
    return Preset(**row, **{k: float(v) if "." in v else int(v) for k, v in
                            (change.split("=") for change in changes)})


# Each notebook's key experiment, by preset name, in notebook order (presets.csv).
with open(Path(__file__).with_name("presets.csv"), newline="", encoding="utf-8") as file:
    PRESETS: dict[str, Preset] = {p.name: p for p in map(_preset, csv.DictReader(file))}


def experiment_presets(name: str) -> list[str]:
    """The names of the presets in the same comparison as preset ``name`` (in order)."""
    key = PRESETS[checks.choice("preset", name, PRESETS)].experiment
    return [other for other, preset in PRESETS.items() if preset.experiment == key]


def preset_values(name: str, settings: Settings | None = None) -> dict:
    """The app's control values for preset ``name`` (keys of :attr:`Playground.controls`;
    ``arch`` as its label, ``lag`` only for the memory task), in the order the app sets them:
    the lag before the task, so that the memory data is loaded at the preset's lag."""
    p, s = PRESETS[checks.choice("preset", name, PRESETS)], settings or get_settings()
    return {**({} if p.lag is None else {"lag": p.lag}), "arch": arch_label(p.arch),
            "units": p.units, "layers": p.layers, "epochs": s.max_epochs,
            "learning_rate": p.learning_rate or s.learning_rate, "dropout": p.dropout,
            "clip": p.clip, "task": p.task}


def preset_table() -> pd.DataFrame:
    """The presets as a table indexed by notebook and comparison: task (and lag), model,
    and what they change from the playground's defaults."""
    return pd.DataFrame([{
        "notebook": p.notebook, "comparison": p.experiment, "task": task_text(p.task, p.lag),
        "model": p.model, "changed": ", ".join(
            f"{what} {value:g}" for what, value in (("learning rate", p.learning_rate),
                                                    ("clip", p.clip), ("dropout", p.dropout))
            if value) or "—"} for p in PRESETS.values()]).set_index(["notebook", "comparison"])

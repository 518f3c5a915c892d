"""The playground (notebook 09): pick a task and an architecture, train, compare.

Everything a click does is a plain function here, tested on its own
(``tests/test_playground.py``):

- :func:`get_settings`: data sizes and epoch bounds per run profile (small: a reader
  waits for each click, and the epochs slider stops at ``max_epochs``);
- :func:`load_task`: the chosen task's training and validation arrays;
- :func:`build_model`: an architecture by name;
- :func:`run_training`: one bounded training run (no XLA: compiling costs more than a few
  epochs save), reporting each epoch to callbacks;
- :func:`leaderboard_row`, :func:`leaderboard_html`: runs as a table, with the book's
  figure where it reports one (:data:`helpers.results.BOOK`);
- :func:`figure_png`: the learning curve so far and the forecast, as PNG bytes.

:class:`Playground` only wires these to the shared builders of :mod:`helpers.widgets`.
Its widgets carry CSS classes (:data:`CSS`) so that the browser test
(``tests/browser/``) can find them in the Voila page.

First version: the 1-step task and three architectures. More tasks (10 steps, the memory
task, the real series) and architectures (LSTM, GRU, WaveNet, ...) plug into
:data:`TASKS` and :data:`ARCHITECTURES`.
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import NamedTuple

import keras
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers import data, plots, results, training, widgets
from helpers.data import _positive_int
from helpers.profile import PROFILE, Profile


def _learning_rate(value) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 < value <= 1:
        raise ValueError(f"learning_rate must be in (0, 1], got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Settings:
    """Sizes of the playground's data and bounds of its epochs slider."""

    n_train: int
    n_valid: int
    epochs: int
    """Default of the epochs slider."""
    max_epochs: int
    """Top of the epochs slider: a click never trains longer than this."""
    batch_size: int = 32
    seed: int = 42
    learning_rate: float = 1e-2
    """Adam's step size. Ten times Keras' default: with a few epochs on a few hundred
    series, 1e-3 leaves the linear model and the SimpleRNN far from converged (measured:
    val MSE 0.09 vs 0.010 for the linear model, 0.31 vs 0.031 for the SimpleRNN, 3 epochs
    on 1,000 series)."""

    def __post_init__(self) -> None:
        for name in ("n_train", "n_valid", "epochs", "max_epochs", "batch_size"):
            _positive_int(f"Settings.{name}", getattr(self, name))
        _learning_rate(self.learning_rate)
        if self.epochs > self.max_epochs:
            raise ValueError(f"Settings.epochs ({self.epochs}) must be <= max_epochs "
                             f"({self.max_epochs})")


SETTINGS = {
    "full": Settings(n_train=1_000, n_valid=500, epochs=3, max_epochs=10),
    "quick": Settings(n_train=300, n_valid=200, epochs=1, max_epochs=5),
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
    kind: str
    """A :data:`helpers.data.TARGET_KINDS` value."""
    n_outputs: int
    book_suffix: str = ""
    """Appended to an architecture's name to find the book's figure (``"_10"``)."""


TASKS: dict[str, Task] = {
    "1-step": Task("1 step ahead", kind="one_step", n_outputs=1),
}


class TaskData(NamedTuple):
    X_train: np.ndarray
    y_train: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray


def _task(task: str) -> Task:
    if task not in TASKS:
        raise ValueError(f"task must be one of {list(TASKS)}, got {task!r}")
    return TASKS[task]


def load_task(task: str, settings: Settings | None = None, *, seed: int | None = None
              ) -> TaskData:
    """Training and validation arrays of ``task`` (sizes from ``settings``)."""
    spec = _task(task)
    settings = settings or get_settings()
    seed = settings.seed if seed is None else seed
    n_steps = PROFILE.n_steps
    n = settings.n_train + settings.n_valid
    if spec.kind == "one_step":
        X, y = data.one_step(data.generate_time_series(n, n_steps + 1, seed=seed), n_steps)
    else:  # pragma: no cover - only the 1-step task exists so far
        raise NotImplementedError(spec.kind)
    return TaskData(X[:settings.n_train], y[:settings.n_train],
                    X[settings.n_train:], y[settings.n_train:])


# --- architectures ---------------------------------------------------------------------

def _linear(n_outputs: int, units: int, layers: int) -> keras.Model:
    return keras.Sequential([keras.Input(shape=(PROFILE.n_steps, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(n_outputs)], name="linear")


def _simple_rnn(n_outputs: int, units: int, layers: int) -> keras.Model:
    return keras.Sequential([keras.Input(shape=(None, 1)), keras.layers.SimpleRNN(n_outputs)],
                            name="simple_rnn")


def _deep_rnn(n_outputs: int, units: int, layers: int) -> keras.Model:
    # The book's deep RNN: `layers` SimpleRNN(units) layers, then SimpleRNN(n_outputs).
    from helpers import models
    return models.rnn_stack(units, layers, head="rnn", n_outputs=n_outputs, name="deep_rnn")


ARCHITECTURES: dict[str, tuple[str, Callable[[int, int, int], keras.Model]]] = {
    "linear": ("linear", _linear),
    "simple_rnn": ("SimpleRNN", _simple_rnn),
    "deep_rnn": ("deep RNN", _deep_rnn),
}
"""name (as recorded in ``results/``) -> (label shown in the app, builder)."""


def arch_label(arch: str) -> str:
    """The label the app shows for architecture ``arch``."""
    return ARCHITECTURES[_arch(arch)][0]


def _arch(arch: str) -> str:
    if arch not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {list(ARCHITECTURES)}, got {arch!r}")
    return arch


def build_model(arch: str, *, task: str = "1-step", units: int = 20, layers: int = 2
                ) -> keras.Model:
    """A fresh, uncompiled model of architecture ``arch`` for ``task``."""
    builder = ARCHITECTURES[_arch(arch)][1]
    units = _positive_int("units", units)
    layers = _positive_int("layers", layers)
    return builder(_task(task).n_outputs, units, layers)


def book_figure(task: str, arch: str) -> float | None:
    """The book's validation MSE for ``arch`` on ``task``, or None where it gives none."""
    key = f"{_arch(arch)}{_task(task).book_suffix}"
    figure = results.BOOK.get(key)
    return None if figure is None else figure.value


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


@dataclass
class Run:
    """What :func:`run_training` returns: one row of the leaderboard, and its plot data."""

    task: str
    arch: str
    epochs: int
    learning_rate: float
    history: dict[str, list[float]]
    val_mse: float
    params: int
    seconds: float
    forecast: np.ndarray = field(repr=False)
    """The trained model's forecast of the first validation series."""


def run_training(
    task_data: TaskData,
    arch: str,
    epochs: int,
    *,
    task: str = "1-step",
    settings: Settings | None = None,
    learning_rate: float | None = None,
    units: int = 20,
    layers: int = 2,
    seed: int | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> Run:
    """Build ``arch``, train it for ``epochs`` (at most ``settings.max_epochs``), score it.

    ``learning_rate`` defaults to ``settings.learning_rate``.
    """
    settings = settings or get_settings()
    epochs = _positive_int("epochs", epochs)
    if epochs > settings.max_epochs:
        raise ValueError(f"epochs must be at most {settings.max_epochs} in the playground, "
                         f"got {epochs}")
    learning_rate = _learning_rate(settings.learning_rate if learning_rate is None
                                   else learning_rate)
    if not isinstance(task_data, TaskData):
        raise TypeError(f"task_data must be a TaskData (see load_task), got "
                        f"{type(task_data).__name__}")
    training.set_seed(settings.seed if seed is None else seed)
    model = build_model(arch, task=task, units=units, layers=layers)
    training.compile_model(model, learning_rate=learning_rate, jit_compile=False)
    live = LiveHistory()
    start = time.perf_counter()
    # Every run builds a new model, so TensorFlow traces new functions each time and
    # warns about "excessive retracing" from the fifth run on: expected here.
    with training.quiet_retracing():
        model.fit(task_data.X_train, task_data.y_train, epochs=epochs,
                  batch_size=settings.batch_size,
                  validation_data=(task_data.X_valid, task_data.y_valid),
                  callbacks=[live, *callbacks], verbose=0)
        seconds = time.perf_counter() - start
        forecast = model.predict(task_data.X_valid[:1], verbose=0)[0]
    return Run(task=task, arch=arch, epochs=epochs, learning_rate=float(learning_rate),
               history=live.history, val_mse=live.history["val_loss"][-1],
               params=int(model.count_params()), seconds=seconds, forecast=forecast)


# --- leaderboard -----------------------------------------------------------------------

COLUMNS = ("run", "task", "model", "epochs", "learning rate", "params", "val MSE", "book",
           "seconds")


def leaderboard_row(run: Run, number: int) -> dict:
    """One leaderboard row for ``run`` (``number``: its position in the session, from 1)."""
    if not isinstance(run, Run):
        raise TypeError(f"run must be a Run, got {type(run).__name__}")
    number = _positive_int("number", number)
    return {"run": number, "task": run.task, "model": arch_label(run.arch),
            "epochs": run.epochs, "learning rate": run.learning_rate, "params": run.params,
            "val MSE": run.val_mse, "book": book_figure(run.task, run.arch),
            "seconds": run.seconds}


def leaderboard_frame(rows: Sequence[dict]) -> pd.DataFrame:
    """The rows as a table, best validation MSE first (ties: earlier run first)."""
    frame = pd.DataFrame(list(rows), columns=list(COLUMNS))
    missing = [r for r in rows if set(r) != set(COLUMNS)]
    if missing:
        raise ValueError(f"rows must have exactly the columns {COLUMNS}; got {sorted(missing[0])}")
    return frame.sort_values(["val MSE", "run"], kind="stable").reset_index(drop=True)


def _fmt(value, spec: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    return format(value, spec)


def leaderboard_html(rows: Sequence[dict]) -> str:
    """An HTML table of the rows (header only when there are none)."""
    frame = leaderboard_frame(rows)
    formatters = {"learning rate": lambda v: _fmt(v, "g"), "params": lambda v: _fmt(v, ","),
                  "val MSE": lambda v: _fmt(v, ".4f"), "book": lambda v: _fmt(v, "g"),
                  "seconds": lambda v: _fmt(v, ".1f")}
    return frame.to_html(index=False, formatters=formatters, classes="pg-table", border=0,
                         na_rep="—")


# --- figure ----------------------------------------------------------------------------

def figure_png(
    history: dict[str, list[float]] | None,
    X_series: np.ndarray,
    y_series: np.ndarray,
    *,
    epochs: int,
    forecast: np.ndarray | None = None,
    label: str = "",
    book: float | None = None,
) -> bytes:
    """The learning curve so far (left) and a validation series with its forecast (right).

    Drawn on a standalone matplotlib Figure (no pyplot: nothing is shown by accident) and
    returned as PNG bytes. The epoch axis spans ``1..epochs`` so a live curve grows into a
    fixed frame.
    """
    epochs = _positive_int("epochs", epochs)
    fig = Figure(figsize=(10, 3.2), dpi=80, layout="constrained")
    ax_curve, ax_series = fig.subplots(1, 2)
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
    forecasts = None if forecast is None else {label or "forecast": forecast}
    plots.plot_series(X_series, y_series, forecasts, ax=ax_series,
                      title="a validation series")
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
               ".pg-table th, .pg-table td {padding: 2px 12px; text-align: right} "
               ".pg-table tbody tr:nth-child(odd) {background: #f3f6fa}")

CSS = {"task": "pg-task", "arch": "pg-arch", "epochs": "pg-epochs", "train": "pg-train",
       "status": "pg-status", "plot": "pg-plot", "leaderboard": "pg-leaderboard"}
"""CSS classes on the app's widgets (the browser test finds them by these)."""


class Playground:
    """The playground's widgets, wired to the functions above.

    ``view`` is the widget to display. ``train()`` is what the Train button does (tests
    call it directly); ``rows`` holds one leaderboard row per finished run.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        s = self.settings
        self.controls = {
            "task": widgets.dropdown("task", list(TASKS)),
            "arch": widgets.dropdown("model", [label for label, _ in ARCHITECTURES.values()]),
            "epochs": widgets.int_slider("epochs", 1, s.max_epochs, s.epochs),
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
        task = self.controls["task"].value
        self._show(None, task, epochs=s.max_epochs)
        self.view = widgets.layout(
            self.controls, self.button, self.status, self.plot,
            widgets.html_block(f"<style>{TABLE_STYLE}</style><h3>Leaderboard</h3>"),
            self.board)

    def task_data(self, task: str) -> TaskData:
        if task not in self._data:
            self._data[task] = load_task(task, self.settings)
        return self._data[task]

    def _arch_from_label(self, label: str) -> str:
        return next(name for name, (shown, _) in ARCHITECTURES.items() if shown == label)

    def _show(self, history, task: str, *, epochs: int, arch: str | None = None,
              forecast=None) -> None:
        d = self.task_data(task)
        png = figure_png(history, d.X_valid[0], d.y_valid[0], epochs=epochs,
                         forecast=forecast, label=arch_label(arch) if arch else "",
                         book=book_figure(task, arch) if arch else None)
        self.plot.outputs = (png_output(png),)

    def train(self) -> Run:
        """Train the chosen model, drawing each epoch; add a leaderboard row."""
        task = self.controls["task"].value
        arch = self._arch_from_label(self.controls["arch"].value)
        epochs = self.controls["epochs"].value
        label = arch_label(arch)

        def on_epoch(history, done):
            shown = "  ".join(f"{k} {history[k][-1]:.4f}" for k in ("loss", "val_loss")
                              if k in history)
            self.status.value = f"training {label}: epoch {done}/{epochs}  {shown}"
            self._show(history, task, epochs=epochs, arch=arch)

        self.button.disabled = True
        self.status.value = f"training {label} on the {task} task ..."
        try:
            run = run_training(self.task_data(task), arch, epochs, task=task,
                               settings=self.settings,
                               callbacks=[LiveHistory(on_epoch)])
            self._show(run.history, task, epochs=epochs, arch=arch, forecast=run.forecast)
            self.rows.append(leaderboard_row(run, len(self.rows) + 1))
            self.board.value = leaderboard_html(self.rows)
            book = book_figure(task, arch)
            versus = f" (book {book:g})" if book is not None else ""
            self.status.value = (f"done: run {len(self.rows)}, {label}, val MSE "
                                 f"{run.val_mse:.4f}{versus} in {run.seconds:.1f} s")
            return run
        except Exception as error:
            self.status.value = f"failed: {type(error).__name__}: {error}"
            raise
        finally:
            self.button.disabled = False

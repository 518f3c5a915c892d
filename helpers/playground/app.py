"""The playground's app: :class:`Playground` wires :mod:`helpers.playground.logic` to the
shared builders of :mod:`helpers.widgets`. Its widgets carry CSS classes (:data:`CSS`) so
that the browser test (``tests/browser/``) finds them in the Voila page.
"""

import base64
import functools
import math
from collections.abc import Sequence
from dataclasses import replace

from helpers import widgets
from helpers.models import ARCHITECTURES, SIZE_CONTROLS
from helpers.playground import logic as lg

TABLE_STYLE = (".pg-table {border-collapse: collapse} "
               ".pg-table th, .pg-table td {padding: 2px 10px; text-align: right} "
               ".pg-table tbody tr:nth-child(odd) {background: #f3f6fa}")
# CSS classes on the app's widgets (the browser test finds them by these).
CSS = {name: "pg-" + {"learning_rate": "lr", "picker": "runs"}.get(name, name).replace("_", "-")
       for name in ("preset", "train_preset", "preset_note", "task", "lag", "arch", "units",
                    "layers", "learning_rate", "epochs", "dropout", "clip", "train", "status",
                    "plot", "leaderboard", "picker", "overlay")}
NO_PRESET = "(none: set the controls yourself)"  # the presets' drop-down entry for none
PRESET_HINT = ("A <b>preset</b> sets the controls to one run of a notebook's key "
               "experiment; press <b>Train</b> to run it, or <b>Train the comparison</b> "
               "to run every model of that experiment and overlay their curves below the "
               "leaderboard.")


def status_text(run: lg.Run, number: int, baseline: float) -> str:
    """The status line after a run: its score next to the baseline's and the book's."""
    metric, book = lg.TASKS[run.task].metric, lg.book_figure(run.task, run.arch)
    return (f"done: run {number}, {lg.arch_label(run.arch)} on {lg.task_text(run.task, run.lag)}: "
            f"{metric} {lg.score_text(run.score, metric)} (baseline "
            f"{lg.score_text(baseline, metric)}{'' if book is None else f', book {book:g}'}) "
            f"in {run.seconds:.1f} s" + (f" (stopped by the {run.seconds:.0f} s limit after "
                                         f"{run.epochs} epochs)" if run.stopped else ""))


def _image(png: bytes) -> str:
    """An ``<img>`` showing ``png`` from a data URL (a changed ``src`` is a changed figure)."""
    return (f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" '
            'style="max-width: 100%; height: auto">')


class Playground:
    """The playground's widgets, wired to the functions of :mod:`helpers.playground.logic`.

    ``view`` is the widget to display. ``train()`` is what the Train button does and
    ``train_comparison()`` what "Train the comparison" does (tests call them directly);
    ``apply_preset(name)`` is what picking a preset does. ``rows`` holds one leaderboard
    row per finished run and ``runs`` the runs by number; :meth:`add` puts a run made
    elsewhere (with :func:`run_training`) on the board, and :meth:`select` picks the runs
    whose curves the overlay draws (a new run joins the picked ones).
    """

    def __init__(self, settings: lg.Settings | None = None) -> None:
        self.settings = s = settings or lg.get_settings()

        def slider(make, label: str, name: str, value, top=None):
            low, high, step = lg.SLIDERS[name]
            return make(label, low, max(high, top or high), value, step)

        self.controls = {
            "task": widgets.dropdown("task", list(lg.TASKS)),
            "lag": slider(widgets.int_slider, "memory lag", "lag", s.memory_lag, s.memory_lag),
            "arch": widgets.dropdown("model", [a.label for a in ARCHITECTURES.values()]),
            "units": slider(widgets.int_slider, "units", "units", 20),
            "layers": slider(widgets.int_slider, "layers", "layers", 2),
            "learning_rate": slider(widgets.log_slider, "learning rate", "learning_rate",
                                    s.learning_rate),
            "epochs": widgets.int_slider("epochs", 1, s.max_epochs, s.epochs),
            "dropout": slider(widgets.float_slider, "dropout", "dropout", 0.0),
            "clip": slider(widgets.float_slider, "clip norm (0: off)", "clip", 0.0)}
        self.preset = widgets.dropdown("preset", [NO_PRESET, *lg.PRESETS])
        self.preset.layout.width = "480px"
        self.preset_button = widgets.train_button("Train the comparison")
        self.preset_button.layout.width, self.preset_button.disabled = "auto", True
        self.preset_note, self.board = widgets.html_block(PRESET_HINT), widgets.html_block()
        self.plot, self.overlay = widgets.html_block(), widgets.html_block()
        self.button = widgets.train_button()
        self.status = widgets.status_line("choose a task and a model, then press Train")
        self.picker = widgets.multi_select("runs to overlay", [], rows=6)
        for name, widget in {**self.controls, "preset": self.preset, "plot": self.plot,
                             "train_preset": self.preset_button, "train": self.button,
                             "preset_note": self.preset_note, "status": self.status,
                             "leaderboard": self.board, "picker": self.picker,
                             "overlay": self.overlay}.items():
            widget.add_class(CSS[name])
        self.rows: list[dict] = []
        self.runs: dict[int, lg.Run] = {}
        self._baselines: dict[int, float] = {}
        self._load = functools.cache(lg.load_task)  # by task and settings
        self._applying = self._quiet = False
        self.button.on_click(lambda _: self.train())
        self.preset_button.on_click(lambda _: self.train_comparison())
        self.preset.observe(lambda change: self._on_preset(change["new"]), names="value")
        for name, control in self.controls.items():
            control.observe(lambda _, name=name: self._on_control(name), names="value")
        self.picker.observe(lambda _: self._draw_overlay(), names="value")
        self.board.value = lg.leaderboard_html([])
        self._on_control("task")
        self._draw_overlay()
        self.view = widgets.column(
            widgets.row(self.preset, self.preset_button), self.preset_note, widgets.layout(
                self.controls, self.button, self.status, self.plot,
                widgets.html_block(f"<style>{TABLE_STYLE}</style><h3>Leaderboard</h3>"),
                self.board, widgets.html_block(
                    "<h3>Learning curves, overlaid</h3>Pick runs in the list (ctrl- or "
                    "shift-click for several): their validation scores, epoch by epoch, in "
                    "each task's metric."), self.picker, self.overlay))

    @property
    def task(self) -> str:
        return self.controls["task"].value

    @property
    def arch(self) -> str:
        return lg.arch_from_label(self.controls["arch"].value)

    @property
    def lag(self) -> int | None:
        """The memory lag the controls say, when the memory task is chosen."""
        return self.controls["lag"].value if self.task == "memory" else None

    def task_data(self, task: str, lag: int | None = None) -> lg.TaskData:
        """``task``'s data at the playground's sizes (the memory task at ``lag``, by
        default :attr:`Settings.memory_lag`), loaded once."""
        return self._load(task, replace(self.settings, memory_lag=lag or self.settings.memory_lag))

    def _on_control(self, name: str) -> None:
        """A control moved: grey out what the model does not read, redraw the example
        for a new task or lag, and leave a preset the controls no longer match."""
        used = lg.controls_used(self.arch)
        for size in SIZE_CONTROLS:
            self.controls[size].disabled = size not in used
        self.controls["lag"].disabled = self.task != "memory"
        if name == "task" or (name == "lag" and self.task == "memory"):
            self._show(None)
        if not (self._applying or self.preset.value == NO_PRESET or all(
                math.isclose(self.controls[key].value, value, rel_tol=1e-6, abs_tol=1e-9)
                if isinstance(value, float) else self.controls[key].value == value
                for key, value in lg.preset_values(self.preset.value, self.settings).items())):
            self.preset.value = NO_PRESET

    def _show(self, history, *, epochs: int | None = None, arch: str | None = None,
              prediction=None) -> None:
        self.plot.value = _image(lg.figure_png(
            history, self.task_data(self.task, self.lag), prediction=prediction,
            epochs=epochs or self.settings.max_epochs, label=lg.arch_label(arch) if arch
            else "", book=lg.book_figure(self.task, arch) if arch else None))

    def _draw_overlay(self) -> None:
        if not self._quiet:
            self.overlay.value = _image(lg.png(lg.overlay_figure(
                {n: self.runs[n] for n in self.picker.value}, self._baselines)))

    def apply_preset(self, name: str) -> dict:
        """Set the controls to preset ``name`` (what picking it does); return the values."""
        values = lg.preset_values(name, self.settings)
        self.preset.value = name  # its observer sets the controls (already set when unchanged)
        return values

    def _on_preset(self, name: str) -> None:
        self.preset_button.disabled = name == NO_PRESET
        if name == NO_PRESET:
            self.preset_note.value = PRESET_HINT
            return
        p, others = lg.PRESETS[name], [lg.PRESETS[n].model for n in lg.experiment_presets(name)]
        self.preset_note.value = (f"<b>{p.description}</b> The comparison <i>{p.experiment}"
                                  f"</i> trains {len(others)} runs: {', '.join(others)}.")
        self._applying = True
        try:
            for key, value in lg.preset_values(name, self.settings).items():
                self.controls[key].value = value
        finally:
            self._applying = False

    def add(self, run: lg.Run) -> dict:
        """Put ``run`` on the leaderboard and among the overlaid runs; return its row."""
        number = len(self.rows) + 1
        baseline = self._baselines[number] = self.task_data(run.task, run.lag).baseline
        self.rows.append(lg.leaderboard_row(run, number, baseline))
        self.runs[number] = run
        self.board.value = lg.leaderboard_html(self.rows)
        self.select([*self.picker.value, number])
        return self.rows[-1]

    def select(self, numbers: Sequence[int]) -> None:
        """Overlay the curves of the runs ``numbers`` (and only those)."""
        numbers = tuple(dict.fromkeys(numbers))
        if any(n not in self.runs for n in numbers):
            raise ValueError(f"numbers must be runs on the leaderboard {sorted(self.runs)}, "
                             f"got {list(numbers)}")
        self._quiet = True
        try:
            self.picker.options = [(lg.run_label(r, n, task=True), n)
                                   for n, r in self.runs.items()]
            self.picker.value = numbers
        finally:
            self._quiet = False
        self._draw_overlay()

    def train(self) -> lg.Run:
        """Train the chosen model, drawing each epoch; add a leaderboard row."""
        values = {name: control.value for name, control in self.controls.items()}
        task, arch, epochs, lag = values["task"], self.arch, values["epochs"], self.lag
        label, metric = lg.arch_label(arch), lg.TASKS[task].metric

        def on_epoch(history, done):
            loss, val_loss, val_score = (history[k][-1] for k in ("loss", "val_loss", "val_score"))
            self.status.value = (f"training {label}: epoch {done}/{epochs}  loss {loss:.4f}  "
                                 f"val_loss {val_loss:.4f}  {metric} "
                                 f"{lg.score_text(val_score, metric)}")
            self._show(history, epochs=epochs, arch=arch)

        self.button.disabled = True
        self.status.value = f"training {label} on the {lg.task_text(task, lag)} task ..."
        try:
            task_data = self.task_data(task, lag)
            run = lg.run_training(task_data, arch, epochs, settings=self.settings,
                                  **{k: values[k] for k in ("learning_rate", "units", "layers",
                                                            "dropout", "clip")},
                                  on_epoch=on_epoch)
            self._show(run.history, epochs=epochs, arch=arch, prediction=run.prediction)
            self.add(run)
            self.status.value = status_text(run, len(self.rows), task_data.baseline)
            return run
        except Exception as error:
            self.status.value = f"failed: {type(error).__name__}: {error}"
            raise
        finally:
            self.button.disabled = False

    def train_comparison(self) -> dict[int, lg.Run]:
        """Train every preset of the chosen preset's comparison, one after the other, and
        overlay exactly those runs; return them by run number."""
        name = self.preset.value
        if name == NO_PRESET:
            self.status.value = "pick a preset first: its comparison is what trains"
            return {}
        self.preset_button.disabled = True
        trained: dict[int, lg.Run] = {}
        try:
            for other in lg.experiment_presets(name):
                self.apply_preset(other)
                run = self.train()
                trained[len(self.rows)] = run
        finally:
            self.preset_button.disabled = self.preset.value == NO_PRESET
        self.select(list(trained))
        metric = lg.TASKS[lg.PRESETS[name].task].metric
        self.status.value = "done: " + ", ".join(
            f"run {n} {lg.arch_label(r.arch)} {lg.score_text(r.score, metric)}"
            for n, r in trained.items()) + f" ({metric}); their curves are overlaid below"
        return trained

"""Figures with one look across the course; every function returns its matplotlib objects.

Colours have fixed roles: the input window is dark grey, the true future is green, and
each model's forecast takes the next colour of a colour-blind-friendly cycle. Figures can
be written to ``images/<name>.png`` (ignored by git) with :func:`save_fig`.
"""

from collections.abc import Mapping
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from helpers import checks
from helpers.results import TASKS, WORK_DIR

IMAGES_DIR = WORK_DIR / "images"

INPUT_COLOR = "#333333"
TARGET_COLOR = "#2ca02c"
# Okabe-Ito palette, minus black and the green used for targets.
PALETTE = ["#0072B2", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#009E73"]
FLOOR_COLOR = "#888888"
# Models keep their colour from plot to plot across the course.
MODEL_COLORS = {"naive": "#D55E00", "linear": "#0072B2", "simple_rnn": "#56B4E9",
                "deep_rnn": "#CC79A7", "deep_rnn_dense": "#E69F00",
                # notebook 03's multi-step forecasters
                "iterative": "#E69F00", "seq2vec": "#CC79A7", "seq2seq": "#56B4E9"}


def color(name: str, index: int = 0) -> str:
    """The colour of model ``name``: fixed for known models, else the ``index``-th of the cycle."""
    return MODEL_COLORS.get(name, PALETTE[index % len(PALETTE)])


def set_style() -> None:
    """Apply the course's matplotlib style (called by :func:`helpers.setup`)."""
    mpl.rcParams.update({
        "figure.figsize": (8, 3.5), "figure.dpi": 100, "savefig.dpi": 150, "savefig.bbox": "tight",
        "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=PALETTE), "axes.titlesize": 11, "axes.labelsize": 10,
        "legend.fontsize": 9, "legend.frameon": False})


def _as_1d(name: str, values) -> np.ndarray:
    """``values`` as one series: shape ``[steps]`` from ``[steps]``, ``[steps, 1]`` or a number."""
    array = np.atleast_1d(np.asarray(values, dtype=float))
    array = array[:, 0] if array.ndim == 2 and array.shape[-1] == 1 else array
    if array.ndim != 1:
        raise ValueError(f"{name} must be one series, [steps] or [steps, 1]: got {array.shape}")
    return array


def _future(ax, n_steps, values, marker, **kwargs):
    """Plot ``values`` at the steps after the ``n_steps`` inputs (a lone value: no line)."""
    ax.plot(np.arange(n_steps, n_steps + len(values)), values,
            marker + "-" if len(values) > 1 else marker, **kwargs)


def plot_series(x, y=None, forecasts=None, *, ax: plt.Axes | None = None, title: str | None = None,
                legend: bool = True, y_lim: tuple[float, float] | None = (-1, 1)) -> plt.Axes:
    """Plot one input window ``x`` and, after it, the true future ``y`` and ``forecasts``.

    ``y`` is a value or an array of the next ``ahead`` values; ``forecasts`` is an array of
    the same length or a mapping ``{model name: forecast}``.
    """
    x = _as_1d("x", x)
    ax = plt.subplots()[1] if ax is None else ax
    n_steps = len(x)
    ax.plot(np.arange(n_steps), x, ".-", color=INPUT_COLOR, lw=1, ms=3, label="inputs")
    if y is not None:
        _future(ax, n_steps, _as_1d("y", y), "*", color=TARGET_COLOR, ms=10, label="true future")
    if forecasts is not None and not isinstance(forecasts, Mapping):
        forecasts = {"forecast": forecasts}
    for i, (name, values) in enumerate((forecasts or {}).items()):
        _future(ax, n_steps, _as_1d(f"forecasts[{name!r}]", values), "o", ms=6, lw=1,
                color=color(name, i), label=name, alpha=0.9)
    ax.axvline(n_steps - 0.5, color=FLOOR_COLOR, lw=0.8, ls=":")
    ax.set(xlabel="time step $t$", ylabel="$x(t)$")
    if y_lim is not None:
        ax.set_ylim(*y_lim)
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(loc="lower left", ncols=2)
    return ax


def plot_series_grid(X, y=None, forecasts=None, *, n: int = 3, titles=None):
    """Plot the first ``n`` series of a batch side by side; returns ``(fig, axes)``.

    ``X`` is ``[batch, steps, 1]``; ``y`` is ``[batch, 1]`` or ``[batch, ahead]``;
    ``forecasts`` is an array like ``y`` or a mapping of such arrays.
    """
    n = checks.integer("n", n, 1, len(X))
    if forecasts is not None and not isinstance(forecasts, Mapping):
        forecasts = {"forecast": forecasts}
    fig, axes = plt.subplots(1, n, figsize=(3.6 * n, 3.2), sharey=True, squeeze=False)
    for i, ax in enumerate(axes[0]):
        panel = {name: np.asarray(values)[i] for name, values in (forecasts or {}).items()}
        plot_series(X[i], None if y is None else np.asarray(y)[i], panel, ax=ax,
                    legend=(i == 0), title=None if titles is None else titles[i])
        if i:
            ax.set_ylabel("")
    fig.tight_layout()
    return fig, axes[0]


def plot_learning_curves(history, *, label: str | None = None, ax: plt.Axes | None = None,
                         metric: str = "loss", log_scale: bool = True,
                         color: str | None = None) -> plt.Axes:
    """Training (dashed) and validation (solid) curves of ``metric`` against epochs.

    ``history`` is a Keras ``History``, its ``.history`` dict, or a
    :class:`helpers.training.TrainResult`. Call it again on the same ``ax`` to overlay
    several models.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping) or metric not in logs:
        raise ValueError(f"history must hold a {metric!r} curve; got keys "
                         f"{sorted(logs) if isinstance(logs, Mapping) else type(logs).__name__}")
    ax = plt.subplots()[1] if ax is None else ax
    epochs = np.arange(1, len(logs[metric]) + 1)
    prefix = f"{label} " if label else ""
    (line,) = ax.plot(epochs, logs[metric], "--", color=color or MODEL_COLORS.get(label or ""),
                      label=f"{prefix}training")
    if f"val_{metric}" in logs:
        ax.plot(epochs, logs[f"val_{metric}"], color=line.get_color(), label=f"{prefix}validation")
    ax.set(xlabel="epoch", ylabel=metric if metric != "loss" else "loss (MSE)")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    if log_scale:
        ax.set_yscale("log")
    ax.legend()
    return ax


def plot_mse_bars(values: Mapping[str, float], *, reference: Mapping[str, float] | None = None,
                  floor: float | None = None, ax: plt.Axes | None = None,
                  log_scale: bool = False) -> plt.Axes:
    """Bar chart of MSEs by model, with optional reference figures and a noise floor line."""
    if not isinstance(values, Mapping) or not values:
        raise ValueError("values must be a non-empty mapping of model name -> MSE")
    ax = plt.subplots(figsize=(6, 3))[1] if ax is None else ax
    positions = np.arange(len(values))
    width = 0.4 if reference else 0.6
    ax.bar_label(ax.bar(positions, list(values.values()), width, label="ours",
                        color=PALETTE[0]), fmt="%.4f", fontsize=8)
    if reference:
        ax.bar(positions + width, [reference.get(k, np.nan) for k in values], width,
               label="book", color=PALETTE[3])
        positions = positions + width / 2
    if floor is not None:
        ax.axhline(floor, color=FLOOR_COLOR, ls="--", lw=1, label="noise floor")
    ax.set(xticks=positions, xticklabels=list(values), ylabel="validation MSE")
    if log_scale:
        ax.set_yscale("log")
    ax.legend()
    return ax


def save_fig(fig: plt.Figure, name: str, *, folder: Path | str | None = None) -> Path:
    """Save ``fig`` as ``images/<name>.png`` (a folder git ignores) and return the path."""
    checks.instance("fig", fig, plt.Figure, "a matplotlib Figure")
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise ValueError(f"name must be a plain file name without folders, got {name!r}")
    folder = Path(folder) if folder is not None else IMAGES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name if name.endswith(".png") else f"{name}.png")
    fig.savefig(path)
    return path


def plot_forecast_band(x, y=None, *, mean, std, n_std: float = 2.0, ax: plt.Axes | None = None,
                       label: str = "forecast", title: str | None = None,
                       color: str | None = None) -> plt.Axes:
    """Plot a forecast ``mean`` with a band of ``± n_std * std`` around it.

    ``x`` is the input window and ``y`` the true future, as in :func:`plot_series`;
    ``mean`` and ``std`` hold one value per forecast step (for instance the mean and
    standard deviation of many MC Dropout predictions).
    """
    mean, std = _as_1d("mean", mean), _as_1d("std", std)
    if mean.shape != std.shape:
        raise ValueError(f"mean and std must have the same length, got {len(mean)} and {len(std)}")
    if not np.all(np.isfinite(std)) or np.any(std < 0):
        raise ValueError("std must hold finite values >= 0")
    checks.number("n_std", n_std, above=0)
    line_color = color or MODEL_COLORS.get(label, PALETTE[0])
    ax = plot_series(x, y, ax=ax, title=title, legend=False)
    future = len(_as_1d("x", x)) + np.arange(len(mean))
    ax.fill_between(future, mean - n_std * std, mean + n_std * std, color=line_color,
                    alpha=0.25, lw=0, label=f"{label} ± {n_std:g} std")
    ax.plot(future, mean, "o-", ms=5, lw=1, color=line_color, label=label)
    ax.legend(loc="lower left", ncols=2)
    return ax


def plot_leaderboard(board, *, floor: float | None = None, limits=None) -> plt.Figure:
    """One panel of horizontal bars per task of ``board`` (see ``results.leaderboard``).

    Our MSE as bars (log scale), the book's figure as a marker where there is one, the
    noise ``floor`` and each task's entry of ``limits`` (e.g. the oracle) as lines.
    """
    tasks = [task for task, rows in board.items() if rows]
    if not tasks:
        raise ValueError("board must hold at least one row")
    heights = [len(board[task]) + 1.5 for task in tasks]
    fig, axes = plt.subplots(len(tasks), 1, figsize=(10, 0.32 * sum(heights) + 1),
                             gridspec_kw={"height_ratios": heights}, sharex=True, squeeze=False)
    for ax, task in zip(axes[:, 0], tasks):
        rows = board[task][::-1]  # best at the top
        y = np.arange(len(rows))
        ax.barh(y, [row["value"] for row in rows], color=PALETTE[0], height=0.6, label="ours")
        book_label = "book"
        for i, row in enumerate(rows):
            right = max(row["value"], row.get("book") or 0)  # past the book's marker
            ax.text(right * 1.12, i, f"{row['value']:.4f}", va="center", fontsize=7)
            if row.get("book") is not None:
                ax.plot(row["book"], i, "D", color=PALETTE[3], ms=5, label=book_label)
                book_label = None  # one legend entry
        ax.set_yticks(y, [row["label"][:60] for row in rows], fontsize=8)
        if floor is not None:
            ax.axvline(floor, color=FLOOR_COLOR, ls="--", lw=1, label="noise floor")
        if limits and task in limits:
            ax.axvline(limits[task], color=TARGET_COLOR, ls=":", lw=1.5, label="oracle")
        ax.set_title(TASKS[task], fontsize=10, loc="left")
        ax.legend(fontsize=7, loc="upper right")
    top = max(max(row["value"], row.get("book") or 0) for task in tasks for row in board[task])
    # the panels share their x axis: one log scale for all
    axes[-1, 0].set(xscale="log", xlim=(None, top * 4), xlabel="validation MSE (log scale)")
    fig.tight_layout()
    return fig


def plot_connectivity(profiles: Mapping[str, np.ndarray], k: int, *,
                      ax: plt.Axes | None = None, floor: float = 1e-3) -> plt.Axes:
    """A heat map of how strongly each model's answer depends on each earlier value.

    ``profiles`` maps a model name to the array ``helpers.datasets.memory.connectivity`` returns
    for lag ``k``: entry ``j`` for the value read ``j`` steps before the answer. One row
    per model, time running left to right up to the answer step, each row divided by its
    largest entry and shown on a log scale down to ``floor``; a dashed line marks the
    marked value, ``k`` steps back.
    """
    if not isinstance(profiles, Mapping) or not profiles:
        raise ValueError("profiles must be a non-empty mapping of model name -> array")
    k = checks.integer("k", k)
    rows = []
    for name, values in profiles.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or len(values) <= k:
            raise ValueError(f"profiles[{name!r}] must be 1D and reach {k} steps back, "
                             f"got shape {values.shape}")
        peak = np.nanmax(values)
        rows.append(values[::-1] / peak if peak > 0 else np.zeros_like(values))
    width = min(len(r) for r in rows)
    image = np.stack([r[-width:] for r in rows])  # aligned on the answer step
    ax = plt.subplots(figsize=(10, 0.55 * len(rows) + 1.4))[1] if ax is None else ax
    shown = ax.imshow(np.clip(image, floor, 1), aspect="auto", cmap="magma",
                      norm=mpl.colors.LogNorm(vmin=floor, vmax=1), interpolation="nearest",
                      extent=(-width + 0.5, 0.5, len(rows) - 0.5, -0.5))
    ax.axvline(-k, color="white", ls="--", lw=1.2)
    ax.set(yticks=range(len(rows)), yticklabels=list(profiles),
           xlabel="steps before the answer (0: the answer step; dashed: the marked value)",
           title=f"|gradient of the answer at lag {k} w.r.t. each value read|, "
                 "each row divided by its maximum")
    ax.grid(False)
    ax.figure.colorbar(shown, ax=ax, pad=0.01)
    return ax


def plot_recall(scores: Mapping[str, Mapping[int, float]], *, solved: float = 0.9,
                ax: plt.Axes | None = None, title: str = "how far back each model remembers"
                ) -> plt.Axes:
    """Recall score against lag, one line per model (``scores[model][lag]``), on a log
    axis of lags, with the ``solved`` threshold and the score of always answering 0."""
    if not isinstance(scores, Mapping) or not scores:
        raise ValueError("scores must be a non-empty mapping of model -> {lag: score}")
    ax = plt.subplots(figsize=(7, 3.5))[1] if ax is None else ax
    lags = sorted(next(iter(scores.values())))
    for i, (name, by_lag) in enumerate(scores.items()):
        if sorted(by_lag) != lags:
            raise ValueError(f"scores[{name!r}] must score the lags {lags}")
        ax.plot(lags, [by_lag[k] for k in lags], "o-", color=PALETTE[i % len(PALETTE)], label=name)
    ax.axhline(solved, color=FLOOR_COLOR, ls="--", lw=1, label="recalled")
    ax.axhline(0, color=FLOOR_COLOR, ls=":", lw=1, label="answering 0")
    ax.set(xscale="log", xticks=lags, xticklabels=[str(k) for k in lags], ylim=(-0.15, 1.05),
           xlabel="lag $k$ (steps between the marked value and the answer)",
           ylabel="recall (share of variance)", title=title)
    ax.minorticks_off()
    ax.legend(loc="lower left", fontsize=8)
    return ax

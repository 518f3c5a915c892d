"""Schematic figures of recurrent networks, drawn with matplotlib (no image files).

Kept out of the notebooks so the lessons show the idea, not the drawing code. Every
function draws on a given ``ax`` (or makes a figure) and returns what it drew on.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from helpers.plots import PALETTE

CELL_COLOR = "#DCE9F5"
ENCODER_COLOR = "#F6E0C8"
IGNORED = "#BBBBBB"
GRADIENT = "#D55E00"
_W, _H = 1.1, 0.7  # box size
_GAP = 2.0  # distance between unrolled copies


def _arrow(ax, start, end, color="#333333", style="-|>", ls="-", rad=0.0, lw=1.2):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12,
                                 color=color, lw=lw, ls=ls,
                                 connectionstyle=f"arc3,rad={rad}"))


def _box(ax, x, y, label="", color=CELL_COLOR):
    ax.add_patch(FancyBboxPatch((x - _W / 2, y - _H / 2), _W, _H,
                                boxstyle="round,pad=0.05", fc=color, ec="#333333", lw=1))
    if label:
        ax.text(x, y, label, ha="center", va="center", fontsize=9)


def _finish(ax, title, n_boxes):
    ax.set_xlim(-1.3, (n_boxes - 1) * _GAP + 1.3)
    ax.set_ylim(-1.75, 1.75)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)


def _step_label(i: int, n: int) -> str:
    offset = n - 1 - i
    return "t" if offset == 0 else f"t-{offset}"


def recurrent_neuron(ax: plt.Axes, *, label: str = "", state: str = "y") -> plt.Axes:
    """One recurrent cell with its output fed back to itself (the rolled-up view)."""
    _box(ax, 0, 0, label)
    _arrow(ax, (0, -1.35), (0, -_H / 2 - 0.07))
    ax.text(0, -1.55, "$x_{(t)}$", ha="center", va="center", fontsize=9)
    _arrow(ax, (0, _H / 2 + 0.07), (0, 1.35))
    ax.text(0, 1.55, f"${state}_{{(t)}}$", ha="center", va="center", fontsize=9)
    # the output, fed back as the next step's extra input
    _arrow(ax, (_W / 2 + 0.07, 0.2), (_W / 2 + 0.07, -0.2), rad=-2.2, color=PALETTE[0])
    ax.text(_W / 2 + 0.55, 0, f"${state}_{{(t-1)}}$", ha="left", va="center", fontsize=8,
            color=PALETTE[0])
    ax.set_xlim(-1.3, 2.0)
    ax.set_ylim(-1.75, 1.75)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def unrolled(
    ax: plt.Axes,
    n_steps: int = 4,
    *,
    inputs: Sequence[bool] | None = None,
    outputs: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    label: str = "",
    state: str = "y",
    out: str = "y",
    title: str = "",
    gradient_from: Sequence[int] = (),
) -> plt.Axes:
    """The same cell copied once per time step, left to right.

    ``inputs[i]``: whether step ``i`` receives an input. ``outputs[i]``: ``"used"``,
    ``"ignored"`` (drawn grey) or ``"none"``. ``gradient_from``: steps whose outputs feed
    the cost; dashed arrows then show gradients flowing back through time from them.
    """
    inputs = [True] * n_steps if inputs is None else list(inputs)
    outputs = ["used"] * n_steps if outputs is None else list(outputs)
    colors = [CELL_COLOR] * n_steps if colors is None else list(colors)
    if not (len(inputs) == len(outputs) == len(colors) == n_steps):
        raise ValueError("inputs, outputs and colors must have n_steps entries each")
    for i in range(n_steps):
        x = i * _GAP
        t = _step_label(i, n_steps)
        _box(ax, x, 0, label, colors[i])
        if inputs[i]:
            _arrow(ax, (x, -1.35), (x, -_H / 2 - 0.07))
            ax.text(x, -1.58, f"$x_{{({t})}}$", ha="center", va="center", fontsize=8)
        if outputs[i] != "none":
            color = IGNORED if outputs[i] == "ignored" else "#333333"
            _arrow(ax, (x, _H / 2 + 0.07), (x, 1.35), color=color)
            ax.text(x, 1.58, f"${out}_{{({t})}}$", ha="center", va="center", fontsize=8,
                    color=color)
        if i:
            _arrow(ax, (x - _GAP + _W / 2 + 0.07, 0), (x - _W / 2 - 0.07, 0), color=PALETTE[0])
            ax.text(x - _GAP / 2, 0.18, f"${state}_{{({_step_label(i - 1, n_steps)})}}$",
                    ha="center", va="bottom", fontsize=7, color=PALETTE[0])
    for step in gradient_from:
        x = step * _GAP
        _arrow(ax, (x + 0.25, 1.35), (x + 0.25, _H / 2 + 0.07), color=GRADIENT, ls="--")
    if gradient_from:
        for j in range(max(gradient_from), 0, -1):
            _arrow(ax, ((j * _GAP) - _W / 2 - 0.07, -0.2),
                   ((j - 1) * _GAP + _W / 2 + 0.07, -0.2), color=GRADIENT, ls="--")
    _finish(ax, title, n_steps)
    return ax


def sequence_shapes(n_steps: int = 4) -> tuple[plt.Figure, list[plt.Axes]]:
    """The four ways to feed and read a recurrent network, side by side."""
    fig, axes = plt.subplots(1, 4, figsize=(14, 2.8))
    no_in = [True] + [False] * (n_steps - 1)
    last_only = ["ignored"] * (n_steps - 1) + ["used"]
    unrolled(axes[0], n_steps, title="sequence to sequence")
    unrolled(axes[1], n_steps, outputs=last_only, title="sequence to vector")
    unrolled(axes[2], n_steps, inputs=no_in, title="vector to sequence")
    half = n_steps // 2
    unrolled(axes[3], n_steps, inputs=[True] * half + [False] * (n_steps - half),
             outputs=["none"] * half + ["used"] * (n_steps - half),
             colors=[ENCODER_COLOR] * half + [CELL_COLOR] * (n_steps - half),
             title="encoder (orange) - decoder (blue)")
    fig.tight_layout()
    return fig, list(axes)


def bptt(n_steps: int = 5, used: Sequence[int] = (2, 3, 4)) -> tuple[plt.Figure, plt.Axes]:
    """Backpropagation through time: the cost reads some outputs; gradients flow back."""
    fig, ax = plt.subplots(figsize=(9, 3))
    outputs = ["used" if i in used else "ignored" for i in range(n_steps)]
    unrolled(ax, n_steps, outputs=outputs, gradient_from=list(used),
             title="forward pass (solid) and gradients (dashed) through time")
    xs = [i * _GAP for i in used]
    names = ", ".join(f"y_{{({_step_label(i, n_steps)})}}" for i in used)
    ax.text(sum(xs) / len(xs), 2.05, f"cost  $C({names})$", ha="center", fontsize=9,
            color=GRADIENT)
    ax.set_ylim(-1.75, 2.3)
    return fig, ax


def dilated_stack(dilation_rates: Sequence[int], kernel_size: int = 2, *,
                  n_steps: int | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """A causal Conv1D stack: one row of dots per layer, the last output's inputs in color.

    Row 0 is the input, row ``i`` the output of the layer with rate ``dilation_rates[i-1]``.
    The connections that feed the last output are drawn, layer by layer; the input steps
    they reach (the receptive field) are highlighted.
    """
    from helpers import convs

    rates = tuple(dilation_rates)
    field = convs.receptive_field(kernel_size, rates)
    n_steps = n_steps or min(field + 4, 72)
    if ax is None:
        _, ax = plt.subplots(figsize=(min(12, 2 + n_steps * 0.17), 0.7 * len(rates) + 1.6))
    last = n_steps - 1
    for row in range(len(rates) + 1):
        ax.scatter(range(n_steps), [row] * n_steps, s=10, color=IGNORED, zorder=2)
    needed = {last}  # steps of the current row that the last output depends on
    for row in range(len(rates), 0, -1):
        d = rates[row - 1]
        below = set()
        for s in needed:
            for j in range(kernel_size):
                if s - j * d >= 0:
                    ax.plot([s, s - j * d], [row, row - 1], color=PALETTE[0], lw=0.9,
                            zorder=1)
                    below.add(s - j * d)
        ax.scatter(sorted(needed), [row] * len(needed), s=16, color=PALETTE[0], zorder=3)
        ax.text(-1, row, f"d={d}", ha="right", va="center", fontsize=8)
        needed = below
    ax.scatter(sorted(needed), [0] * len(needed), s=18, color=GRADIENT, zorder=3)
    ax.text(-1, 0, "input", ha="right", va="center", fontsize=8)
    ax.set_xlim(-6, n_steps)
    ax.set_ylim(-0.6, len(rates) + 0.6)
    ax.axis("off")
    ax.set_title(f"kernel {kernel_size}, rates {rates}: the last output sees {field} steps"
                 + ("" if field <= n_steps else f" ({n_steps} drawn)"), fontsize=10)
    return ax

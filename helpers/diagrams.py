"""Schematic figures of recurrent networks, drawn with matplotlib (no image files).

Kept out of the notebooks so the lessons show the idea, not the drawing code. Every
function draws on a given ``ax`` (or makes a figure) and returns what it drew on.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import MaxNLocator

from helpers import checks
from helpers.plots import INPUT_COLOR, PALETTE, TARGET_COLOR

CELL_COLOR = "#DCE9F5"
ENCODER_COLOR = "#F6E0C8"
IGNORED = "#BBBBBB"
GRADIENT = "#D55E00"
PEEPHOLE_COLOR = PALETTE[6]
INK, NOTE = "#333333", "#555555"  # lines and boxes; side notes
_W, _H = 1.1, 0.7  # box size
_GAP = 2.0  # distance between unrolled copies
_SCALE = 0.8  # inches per drawing unit, for the figures sized here
_IN, _OUT = -_H / 2 - 0.07, _H / 2 + 0.07  # where arrows meet a box, below and above


# --- primitives shared by the figures ----------------------------------------------------

def _arrow(ax, start, end, color=INK, ls="-", rad=0.0, lw=1.2):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12,
                                 color=color, lw=lw, ls=ls,
                                 connectionstyle=f"arc3,rad={rad}"))


def _text(ax, x, y, text, size=9, **kwargs):
    """``text`` centred on ``(x, y)`` unless ``kwargs`` say otherwise."""
    ax.text(x, y, text, **{"ha": "center", "va": "center", "fontsize": size, **kwargs})


def _wire(ax, x, start, end, text_y, text, size=8, color=None):
    """A vertical arrow from ``start`` to ``end`` with ``text`` at ``text_y``."""
    _arrow(ax, (x, start), (x, end), color=color or INK)
    _text(ax, x, text_y, text, size, color=color)


def _box(ax, x, y, label="", color=CELL_COLOR):
    ax.add_patch(FancyBboxPatch((x - _W / 2, y - _H / 2), _W, _H,
                                boxstyle="round,pad=0.05", fc=color, ec=INK, lw=1))
    if label:
        _text(ax, x, y, label)


def _loop(ax, y):
    """A cell's state fed back to itself (the rolled-up view)."""
    _arrow(ax, (_W / 2 + 0.07, y + 0.2), (_W / 2 + 0.07, y - 0.2), rad=-2.2, color=PALETTE[0])


def _link(ax, x, y=0):
    """The state passed from the copy left of ``x`` to the copy at ``x``."""
    _arrow(ax, (x - _GAP + _W / 2 + 0.07, y), (x - _W / 2 - 0.07, y), color=PALETTE[0])


def _frame(ax, xlim, ylim, title=""):
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _step_label(i: int, n: int) -> str:
    return "t" if i == n - 1 else f"t-{n - 1 - i}"


def _axes(ax: plt.Axes | None, figsize: tuple[float, float]) -> plt.Axes:
    """``ax`` itself, or a new figure's axes of size ``figsize`` when ``ax`` is None."""
    if ax is None:
        return plt.subplots(figsize=figsize)[1]
    return checks.instance("ax", ax, plt.Axes, "a matplotlib Axes or None")


def _two_panels(widths, height):
    """A figure with the rolled-up view on the left and the unrolled one on the right."""
    fig, axes = plt.subplots(1, 2, figsize=(_SCALE * sum(widths) + 0.8, _SCALE * height + 0.6),
                             gridspec_kw={"width_ratios": widths})
    return fig, list(axes)


# --- recurrent cells, rolled up and unrolled through time --------------------------------

def recurrent_neuron(ax: plt.Axes, *, label: str = "", state: str = "y",
                     out: str | None = None) -> plt.Axes:
    """One recurrent cell with its state fed back to itself (the rolled-up view).

    ``out``: the name of the output drawn above the cell (default: the state's name, as
    in a simple neuron whose output is its state).
    """
    _box(ax, 0, 0, label)
    _wire(ax, 0, -1.35, _IN, -1.55, "$x_{(t)}$", 9)
    _wire(ax, 0, _OUT, 1.35, 1.55, f"${state if out is None else out}_{{(t)}}$", 9)
    _loop(ax, 0)  # the state, fed back as the next step's extra input
    _text(ax, _W / 2 + 0.55, 0, f"${state}_{{(t-1)}}$", 8, ha="left", color=PALETTE[0])
    return _frame(ax, (-1.3, 2.0), (-1.75, 1.75))


def unrolled(ax: plt.Axes, n_steps: int = 4, *, inputs: Sequence[bool] | None = None,
             outputs: Sequence[str] | None = None, colors: Sequence[str] | None = None,
             label: str = "", state: str = "y", out: str = "y", title: str = "",
             gradient_from: Sequence[int] = ()) -> plt.Axes:
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
        x, t = i * _GAP, _step_label(i, n_steps)
        _box(ax, x, 0, label, colors[i])
        if inputs[i]:
            _wire(ax, x, -1.35, _IN, -1.58, f"$x_{{({t})}}$")
        if outputs[i] != "none":
            _wire(ax, x, _OUT, 1.35, 1.58, f"${out}_{{({t})}}$",
                  color=IGNORED if outputs[i] == "ignored" else INK)
        if i:
            _link(ax, x)
            _text(ax, x - _GAP / 2, 0.18, f"${state}_{{({_step_label(i - 1, n_steps)})}}$",
                  7, va="bottom", color=PALETTE[0])
    for step in gradient_from:
        _arrow(ax, (step * _GAP + 0.25, 1.35), (step * _GAP + 0.25, _OUT), color=GRADIENT,
               ls="--")
    for j in range(max(gradient_from, default=0), 0, -1):
        _arrow(ax, ((j * _GAP) - _W / 2 - 0.07, -0.2), ((j - 1) * _GAP + _W / 2 + 0.07, -0.2),
               color=GRADIENT, ls="--")
    return _frame(ax, (-1.3, (n_steps - 1) * _GAP + 1.3), (-1.75, 1.75), title)


def _vector(ax, x, y, n, name, t, sign=-1, size=0.22):
    """A vector drawn as ``n`` small squares in a row centred on ``(x, y)``, named
    ``name_(t)`` below it (``sign=-1``) or above it (``sign=1``)."""
    left = x - n * size / 2
    for i in range(n):
        ax.add_patch(plt.Rectangle((left + i * size, y - size / 2), size, size,
                                   fc="white", ec=INK, lw=0.9))
    _text(ax, x, y + sign * (size / 2 + 0.22), f"$\\mathbf{{{name}}}_{{({t})}}$", 8,
          color=INK)


def _layer(ax, x, n_neurons, n_inputs, t):
    """A layer of ``n_neurons`` recurrent neurons: a wide box of circles, the input vector
    below it, the output vector (one square per neuron, straight above it) above it."""
    spacing = 0.32
    half = n_neurons * spacing / 2 + 0.12
    ax.add_patch(FancyBboxPatch((x - half, -0.25), 2 * half, 0.5, boxstyle="round,pad=0.05",
                                fc=CELL_COLOR, ec=INK, lw=1))
    centres = [x + (i - (n_neurons - 1) / 2) * spacing for i in range(n_neurons)]
    for cx in centres:
        ax.add_patch(plt.Circle((cx, 0), 0.1, fc="white", ec=INK, lw=0.9))
    _vector(ax, x, -1.15, n_inputs, "x", t)
    _arrow(ax, (x, -1.0), (x, -0.32))
    for cx in centres:
        _arrow(ax, (cx, 0.12), (cx, 0.9), lw=0.9)
    _vector(ax, x, 1.0, n_neurons, "y", t, sign=1, size=spacing)


def layer_of_neurons(n_neurons: int = 5, n_steps: int = 3, *,
                     n_inputs: int = 3) -> tuple[plt.Figure, list[plt.Axes]]:
    """A layer of recurrent neurons (the book's figure 15-2): rolled up on the left,
    unrolled through ``n_steps`` time steps on the right.

    Every neuron gets the whole input vector x_(t) (``n_inputs`` values) and the layer's
    whole previous output vector y_(t-1); the layer outputs one value per neuron.
    """
    n_neurons = checks.integer("n_neurons", n_neurons, 1, 8)
    n_steps = checks.integer("n_steps", n_steps, 1, 6)
    n_inputs = checks.integer("n_inputs", n_inputs, 1, 8)
    half = n_neurons * 0.32 / 2 + 0.12
    gap = 2 * half + 1.4
    fig, (rolled, unrolled_) = _two_panels(
        [2 * half + 1.6, (n_steps - 1) * gap + 2 * half + 0.6], 3.5)
    _layer(rolled, 0, n_neurons, n_inputs, "t")
    # the output vector, fed back into the layer at the next step
    _arrow(rolled, (half * 0.7 + 0.1, 1.0), (half + 0.07, 0), color=PALETTE[0], rad=-0.9)
    _text(rolled, half + 0.55, 0.55, "$\\mathbf{y}_{(t-1)}$", 8, ha="left", color=PALETTE[0])
    for i in range(n_steps):
        _layer(unrolled_, i * gap, n_neurons, n_inputs, _step_label(i, n_steps))
        if i:
            _arrow(unrolled_, ((i - 1) * gap + half + 0.07, 0), (i * gap - half - 0.07, 0),
                   color=PALETTE[0])
            _text(unrolled_, i * gap - gap / 2, 0.15,
                  f"$\\mathbf{{y}}_{{({_step_label(i - 1, n_steps)})}}$", 7, va="bottom",
                  color=PALETTE[0])
    _frame(rolled, (-half - 0.3, half + 1.3), (-1.6, 1.75), "a layer of recurrent neurons")
    _frame(unrolled_, (-half - 0.3, (n_steps - 1) * gap + half + 0.3), (-1.6, 1.75),
           "the same layer, unrolled through time")
    fig.tight_layout()
    return fig, [rolled, unrolled_]


def memory_cell(n_steps: int = 3) -> tuple[plt.Figure, list[plt.Axes]]:
    """A memory cell (the book's figure 15-3): its hidden state h_(t) = f(h_(t-1), x_(t))
    goes to the next step, its output y_(t) goes up, and the two may differ."""
    n_steps = checks.integer("n_steps", n_steps, 1, 6)
    fig, axes = _two_panels([3.3, (n_steps - 1) * _GAP + 2.6], 3.5)
    recurrent_neuron(axes[0], label="cell", state="h", out="y").set_title(
        "a memory cell", fontsize=10)
    unrolled(axes[1], n_steps, label="cell", state="h", out="y",
             title="unrolled: the state $h$ goes right, the output $y$ goes up")
    fig.tight_layout()
    return fig, axes


def sequence_shapes(n_steps: int = 4) -> tuple[plt.Figure, list[plt.Axes]]:
    """The four ways to feed and read a recurrent network, side by side."""
    fig, axes = plt.subplots(1, 4, figsize=(14, 2.8))
    half = n_steps // 2
    unrolled(axes[0], n_steps, title="sequence to sequence")
    unrolled(axes[1], n_steps, outputs=["ignored"] * (n_steps - 1) + ["used"],
             title="sequence to vector")
    unrolled(axes[2], n_steps, inputs=[True] + [False] * (n_steps - 1),
             title="vector to sequence")
    unrolled(axes[3], n_steps, inputs=[True] * half + [False] * (n_steps - half),
             outputs=["none"] * half + ["used"] * (n_steps - half),
             colors=[ENCODER_COLOR] * half + [CELL_COLOR] * (n_steps - half),
             title="encoder (orange) - decoder (blue)")
    fig.tight_layout()
    return fig, list(axes)


def bptt(n_steps: int = 5, used: Sequence[int] = (2, 3, 4)) -> tuple[plt.Figure, plt.Axes]:
    """Backpropagation through time: the cost reads some outputs; gradients flow back."""
    fig, ax = plt.subplots(figsize=(9, 3))
    unrolled(ax, n_steps, outputs=["used" if i in used else "ignored" for i in range(n_steps)],
             gradient_from=list(used),
             title="forward pass (solid) and gradients (dashed) through time")
    xs = [i * _GAP for i in used]
    names = ", ".join(f"y_{{({_step_label(i, n_steps)})}}" for i in used)
    ax.text(sum(xs) / len(xs), 2.05, f"cost  $C({names})$", ha="center", fontsize=9,
            color=GRADIENT)
    ax.set_ylim(-1.75, 2.3)
    return fig, ax


def deep_rnn(n_layers: int = 3, n_steps: int = 3) -> tuple[plt.Figure, list[plt.Axes]]:
    """A deep RNN (the book's figure 15-7): ``n_layers`` recurrent layers stacked, rolled
    up on the left and unrolled through ``n_steps`` time steps on the right. Each layer's
    output sequence is the next layer's input sequence."""
    n_layers = checks.integer("n_layers", n_layers, 1, 5)
    n_steps = checks.integer("n_steps", n_steps, 1, 6)
    rise = 1.4  # vertical distance between layers
    top = (n_layers - 1) * rise
    fig, (rolled, unrolled_) = _two_panels([2.6, (n_steps - 1) * _GAP + 2.0], top + 3.4)
    for ax, steps in ((rolled, 1), (unrolled_, n_steps)):
        for i in range(steps):
            x = i * _GAP
            t = "t" if ax is rolled else _step_label(i, n_steps)
            _wire(ax, x, -1.2, _IN, -1.45, f"$x_{{({t})}}$")
            _wire(ax, x, top + _H / 2 + 0.07, top + 1.2, top + 1.45, f"$y_{{({t})}}$")
            for layer in range(n_layers):
                y = layer * rise
                _box(ax, x, y, f"layer {layer + 1}")
                if layer:
                    _arrow(ax, (x, y - rise + _H / 2 + 0.07), (x, y - _H / 2 - 0.07))
                if ax is rolled:  # each layer feeds its own state back to itself
                    _loop(ax, y)
                elif i:
                    _link(ax, x, y)
    _frame(rolled, (-1.0, 1.6), (-1.7, top + 1.7), "a deep RNN")
    _frame(unrolled_, (-1.0, (n_steps - 1) * _GAP + 1.0), (-1.7, top + 1.7),
           "unrolled: each layer's outputs are the next layer's inputs")
    fig.tight_layout()
    return fig, [rolled, unrolled_]


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
    ax = _axes(ax, (min(12, 2 + n_steps * 0.17), 0.7 * len(rates) + 1.6))
    for row in range(len(rates) + 1):
        ax.scatter(range(n_steps), [row] * n_steps, s=10, color=IGNORED, zorder=2)
    needed = {n_steps - 1}  # steps of the current row that the last output depends on
    for row in range(len(rates), 0, -1):
        d, below = rates[row - 1], set()
        for s in needed:
            for j in range(kernel_size):
                if s - j * d >= 0:
                    ax.plot([s, s - j * d], [row, row - 1], color=PALETTE[0], lw=0.9,
                            zorder=1)
                    below.add(s - j * d)
        ax.scatter(sorted(needed), [row] * len(needed), s=16, color=PALETTE[0], zorder=3)
        _text(ax, -1, row, f"d={d}", 8, ha="right")
        needed = below
    ax.scatter(sorted(needed), [0] * len(needed), s=18, color=GRADIENT, zorder=3)
    _text(ax, -1, 0, "input", 8, ha="right")
    ax.set(xlim=(-6, n_steps), ylim=(-0.6, len(rates) + 0.6))
    ax.axis("off")
    ax.set_title(f"kernel {kernel_size}, rates {rates}: the last output sees {field} steps"
                 + ("" if field <= n_steps else f" ({n_steps} drawn)"), fontsize=10)
    return ax


def seq_to_seq_targets(n_steps: int = 4, ahead: int = 10, *,
                       ax: plt.Axes | None = None) -> plt.Axes:
    """A sequence-to-sequence forecaster (the book's figure 15-8): at every time step t
    the RNN outputs a vector of the next ``ahead`` values, x_(t+1) ... x_(t+ahead).

    The targets are the input series shifted by 1, 2, ..., ``ahead`` steps: each output
    vector is drawn as a column of squares, from x_(t+1) at the bottom to x_(t+ahead) at
    the top (with a gap in the column when ``ahead`` > 4).
    """
    n_steps = checks.integer("n_steps", n_steps, 1, 8)
    ahead = checks.integer("ahead", ahead, 1, 100)
    size = 0.34
    shown = list(range(1, ahead + 1)) if ahead <= 4 else [1, 2, None, ahead]
    ax = _axes(ax, (_SCALE * ((n_steps - 1) * _GAP + 2.6) + 0.6,
                    _SCALE * (3.2 + len(shown) * 0.34) + 0.6))
    for i in range(n_steps):
        x = i * _GAP
        _box(ax, x, 0)
        _wire(ax, x, -1.35, _IN, -1.58, f"$x_{{({i})}}$", 9)
        _arrow(ax, (x, _OUT), (x, 1.0))
        for j, k in enumerate(shown):
            y = 1.05 + j * size
            if k is None:
                _text(ax, x, y + size / 2, "$\\vdots$")
                continue
            ax.add_patch(plt.Rectangle((x - size / 2, y), size, size, fc="white",
                                       ec=GRADIENT, lw=1))
            _text(ax, x + size / 2 + 0.08, y + size / 2, f"$x_{{({i + k})}}$", 8, ha="left",
                  color=GRADIENT)
        if i:
            _link(ax, x)
    _text(ax, -_W / 2 - 0.15, 1.05 + len(shown) * size / 2, "targets", 8, ha="right",
          color=GRADIENT, rotation=90)
    return _frame(ax, (-1.3, (n_steps - 1) * _GAP + 1.3),
                  (-1.8, 1.05 + len(shown) * size + 0.35),
                  f"sequence to sequence: at step $t$ the targets are "
                  f"$x_{{(t+1)}}, \\ldots, x_{{(t+{ahead})}}$")


# --- gated cells (the book's figures 15-9 and 15-10) -------------------------------------

def _op(ax, x, y, symbol):
    """An elementwise operation: a small circle with its symbol (x, +, tanh, 1-)."""
    ax.add_patch(plt.Circle((x, y), 0.22 if len(symbol) < 3 else 0.3, fc="white",
                            ec=INK, lw=1, zorder=3))
    _text(ax, x, y, symbol, 7 if len(symbol) > 1 else 10, zorder=4)


def _dot(ax, *points, color=INK):
    """Junctions: where a line splits in two (a crossing has no dot)."""
    for x, y in points:
        ax.add_patch(plt.Circle((x, y), 0.06, fc=color, ec="none", zorder=4))


def _layer_box(ax, x, y, text, width=0.76, height=0.52, color=CELL_COLOR, fontsize=9):
    """A layer drawn as a rounded box centred on ``(x, y)``, with ``text`` in it."""
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.03", fc=color, ec=INK, lw=1,
                                zorder=2))
    _text(ax, x, y, text, fontsize, zorder=3)


def _gate(ax, x, y, activation, name, bus=None):
    """A fully connected layer of the cell: its activation in the box, its output's name,
    and (given ``bus``) the arrow from the bus up into it."""
    _layer_box(ax, x, y, activation)
    _text(ax, x + 0.45, y + 0.42, name, 8, ha="left", color=PALETTE[0])
    if bus is not None:
        _arrow(ax, (x, bus), (x, y - 0.3))


def _lines(ax, points, color=INK, arrow=True, lw=1.2, ls="-"):
    """A polyline through ``points``, with an arrow head on its last segment."""
    xs, ys = zip(*points)
    ax.plot(xs[:-1], ys[:-1], color=color, lw=lw, ls=ls, solid_capstyle="round", zorder=1)
    if arrow:
        _arrow(ax, points[-2], points[-1], color=color, lw=lw, ls=ls)
    else:
        ax.plot(xs[-2:], ys[-2:], color=color, lw=lw, ls=ls, zorder=1)


def _state_line(ax, y, x_times, x_plus, before, after):
    """The state carried along the top: scaled at ``x_times``, added to at ``x_plus``."""
    _lines(ax, [(-0.6, y), (x_times - 0.22, y)])
    _text(ax, -0.7, y, before, 10, ha="right")
    _op(ax, x_times, y, "×")
    _lines(ax, [(x_times + 0.22, y), (x_plus - 0.22, y)])
    _op(ax, x_plus, y, "+")
    _lines(ax, [(x_plus + 0.22, y), (9.6, y)])
    _text(ax, 9.7, y, after, 10, ha="left")


def _cell_frame(ax, top, title):
    return _frame(ax, (-1.9, 10.6), (-1.2, top + 1.35), title)


_LSTM_TOP, _LSTM_GATES = 4.0, 1.4  # heights of the long-term state line and the gates
_LSTM_GATE_X = {"f": 2.0, "g": 3.6, "i": 5.0, "o": 6.6}  # where each layer stands


def _lstm_body(ax: plt.Axes | None) -> plt.Axes:
    """The LSTM cell that ``lstm_cell`` and ``peephole_lstm_cell`` share (no title)."""
    ax = _axes(ax, (_SCALE * 11, _SCALE * 5.6))
    top, mid, gates, bus = _LSTM_TOP, 2.9, _LSTM_GATES, 0.35
    # the long-term state: c(t-1) -> x f -> + i*g -> c(t)
    _state_line(ax, top, 2.0, 5.0, "$\\mathbf{c}_{(t-1)}$", "$\\mathbf{c}_{(t)}$")
    # the four layers, fed by [h(t-1), x(t)] along the bus
    activations = {"f": "σ", "g": "tanh", "i": "σ", "o": "σ"}
    for name, x in _LSTM_GATE_X.items():
        _gate(ax, x, gates, activations[name], f"$\\mathbf{{{name}}}_{{(t)}}$", bus)
    _lines(ax, [(-0.6, bus), (6.6, bus)], arrow=False)
    _text(ax, -0.7, bus, "$\\mathbf{h}_{(t-1)}$", 10, ha="right")
    _wire(ax, 4.3, -0.55, bus - 0.02, -0.75, "$\\mathbf{x}_{(t)}$", 10)
    # forget gate scales c; i x g is added
    _arrow(ax, (2.0, gates + 0.3), (2.0, top - 0.24))
    _op(ax, 4.3, mid, "×")
    _lines(ax, [(3.6, gates + 0.3), (3.6, mid), (4.3 - 0.23, mid)])
    _lines(ax, [(5.0, gates + 0.3), (5.0, mid), (4.3 + 0.23, mid)])
    _lines(ax, [(4.3, mid + 0.22), (4.3, mid + 0.5), (5.0, mid + 0.5), (5.0, top - 0.24)])
    # output: h = o x tanh(c)
    _op(ax, 8.0, mid + 0.45, "tanh")
    _lines(ax, [(8.0, top), (8.0, mid + 0.76)])
    _dot(ax, (8.0, top), (8.8, gates + 0.55), (4.3, bus), (2.0, bus), (3.6, bus), (5.0, bus))
    _op(ax, 8.0, gates + 0.55, "×")
    _arrow(ax, (8.0, mid + 0.14), (8.0, gates + 0.78))
    _lines(ax, [(6.6, gates + 0.3), (6.6, gates + 0.55), (8.0 - 0.23, gates + 0.55)])
    _lines(ax, [(8.23, gates + 0.55), (8.8, gates + 0.55), (8.8, bus), (9.6, bus)])
    _text(ax, 9.7, bus, "$\\mathbf{h}_{(t)}$", 10, ha="left")
    _lines(ax, [(8.8, gates + 0.55), (8.8, top + 0.9)])
    _text(ax, 8.8, top + 1.1, "$\\mathbf{y}_{(t)}$", 10)
    return ax


def lstm_cell(ax: plt.Axes | None = None) -> plt.Axes:
    """An LSTM cell (the book's figure 15-9): the long-term state c runs along the top,
    the forget gate f scales it, the input gate i admits the candidate g, and the output
    gate o reads a tanh of the new c into the short-term state h (also the output y).
    """
    return _cell_frame(_lstm_body(ax), _LSTM_TOP, "an LSTM cell: forget (f), input (i) "
                                                  "and output (o) gates, candidate g")


def peephole_lstm_cell(ax: plt.Axes | None = None) -> plt.Axes:
    """An LSTM cell with peephole connections (Gers & Schmidhuber 2000): the cell of
    ``lstm_cell`` plus three diagonal connections from the long-term state to the gates,
    dashed in ``PEEPHOLE_COLOR``. The old state c(t-1) feeds the forget gate f and the
    input gate i; the new state c(t) feeds the output gate o.
    """
    ax = _lstm_body(ax)
    top, gates, lane = _LSTM_TOP, _LSTM_GATES, 2.25  # lane: the height the peepholes run at
    into = gates + 0.29  # just above a gate's box, left of its output line
    x = {name: at - 0.25 for name, at in _LSTM_GATE_X.items()}
    style = dict(color=PEEPHOLE_COLOR, ls="--")
    # c(t-1), tapped before the forget gate scales it, to f and to i
    _lines(ax, [(0.9, top), (0.9, lane), (x["i"], lane), (x["i"], into)], **style)
    _lines(ax, [(x["f"], lane), (x["f"], into)], **style)
    # the new c(t), tapped after the addition, to o
    _lines(ax, [(5.9, top), (5.9, lane), (x["o"], lane), (x["o"], into)], **style)
    _dot(ax, (0.9, top), (5.9, top), color=PEEPHOLE_COLOR)
    _dot(ax, (x["f"], lane), color=PEEPHOLE_COLOR)
    return _cell_frame(ax, top, "an LSTM cell with peepholes (dashed, green): "
                                "$\\mathbf{c}_{(t-1)}$ feeds f and i, "
                                "$\\mathbf{c}_{(t)}$ feeds o")


def gru_cell(ax: plt.Axes | None = None) -> plt.Axes:
    """A GRU cell (the book's figure 15-10): one state h; the update gate z keeps z of the
    old state and writes 1 - z of the candidate g (equation 15-4), and the reset gate r
    decides how much of the old state the candidate is computed from.
    """
    ax = _axes(ax, (_SCALE * 11, _SCALE * 5.6))
    top, mid, gates, bus, low = 4.0, 2.75, 1.4, 0.35, -0.25
    # h(t-1) -> x (1 - z) -> + z*g -> h(t)
    _state_line(ax, top, 3.0, 6.4, "$\\mathbf{h}_{(t-1)}$", "$\\mathbf{h}_{(t)}$")
    _lines(ax, [(8.8, top), (8.8, top + 0.9)])
    _text(ax, 8.8, top + 1.1, "$\\mathbf{y}_{(t)}$", 10)
    # the gates read [h(t-1), x(t)]; the candidate reads [r x h(t-1), x(t)]
    _lines(ax, [(0.2, top), (0.2, bus), (3.0, bus)], arrow=False)
    _wire(ax, 2.4, -0.75, bus - 0.02, -0.95, "$\\mathbf{x}_{(t)}$", 10)
    _lines(ax, [(2.4, low), (6.4, low), (6.4, gates - 0.29)])
    _gate(ax, 1.2, gates, "σ", "$\\mathbf{r}_{(t)}$", bus)
    _gate(ax, 3.0, gates, "σ", "$\\mathbf{z}_{(t)}$", bus)
    _gate(ax, 6.4, gates, "tanh", "$\\mathbf{g}_{(t)}$")
    # z scales the old state, 1 - z the candidate (the book's equation 15-4)
    _arrow(ax, (3.0, gates + 0.3), (3.0, top - 0.24))
    _op(ax, 4.3, mid, "1−")
    _op(ax, 5.4, mid, "×")
    _lines(ax, [(3.0, gates + 0.55), (4.3, gates + 0.55), (4.3, mid - 0.23)])
    _arrow(ax, (4.3 + 0.23, mid), (5.4 - 0.23, mid))
    _lines(ax, [(6.4, gates + 0.3), (6.4, mid - 0.45), (5.4, mid - 0.45), (5.4, mid - 0.23)])
    _lines(ax, [(5.4, mid + 0.22), (5.4, mid + 0.6), (6.4, mid + 0.6), (6.4, top - 0.24)])
    # r x h(t-1) feeds the candidate, with x(t)
    _op(ax, 1.2, mid, "×")
    _arrow(ax, (1.2, gates + 0.3), (1.2, mid - 0.23))
    _lines(ax, [(1.2, top), (1.2, mid + 0.23)])
    # r x h(t-1) to the candidate: it crosses the update gate's input without joining it,
    # drawn over it with a white gap, away from the arrow head
    xs, ys = zip(*[(1.42, mid), (2.0, mid), (2.0, 0.72), (5.6, 0.72), (5.6, low)])
    ax.plot(xs, ys, color=INK, lw=1.2, zorder=2, solid_capstyle="round",
            path_effects=[patheffects.Stroke(linewidth=5, foreground="white"),
                          patheffects.Normal()])
    _dot(ax, (0.2, top), (1.2, top), (8.8, top), (2.4, bus), (2.4, low), (5.6, low),
         (3.0, gates + 0.55), (1.2, bus))
    return _cell_frame(ax, top, "a GRU cell: update (z) and reset (r) gates, candidate g")


# --- convolutional front ends and WaveNet ------------------------------------------------

def conv1d_front_end(n_steps: int = 50, kernel_size: int = 4, strides: int = 2, *,
                     ax: plt.Axes | None = None) -> plt.Axes:
    """Which input steps a strided Conv1D ('valid' padding) reads, and which targets its
    outputs are trained on.

    The ``n_steps`` input steps lie on the middle row, the Conv1D's outputs above them
    and the targets below. Output k reads steps ``strides*k`` .. ``strides*k +
    kernel_size - 1``, so it is asked for the target of its last step: the targets are
    ``Y[:, kernel_size-1::strides]``. The layer has ``(n_steps - kernel_size) // strides
    + 1`` outputs; for outputs 0, 1, 2 and the last, lines show the steps they read and
    an arrow the target they are asked for.
    """
    n_steps = checks.integer("n_steps", n_steps, 1, 1000)
    kernel_size = checks.integer("kernel_size", kernel_size, 1, n_steps)
    strides = checks.integer("strides", strides, 1, n_steps)
    n_out = (n_steps - kernel_size) // strides + 1
    starts = strides * np.arange(n_out)  # output k reads steps starts[k] .. + kernel - 1
    centre, last = (kernel_size - 1) / 2, kernel_size - 1
    ax = _axes(ax, (11, 2.8))
    ax.scatter(np.arange(n_steps), np.zeros(n_steps), s=12, color=INPUT_COLOR, zorder=3,
               label="input steps")
    ax.scatter(starts + centre, np.ones(n_out), s=18, color=PALETTE[0], zorder=3,
               label="Conv1D outputs")
    ax.scatter(starts + last, np.full(n_out, -1), s=30, marker="*", color=TARGET_COLOR,
               zorder=3, label="targets")
    shown = sorted({0, 1, 2, n_out - 1} & set(range(n_out)))
    # the "out k" labels: each on the lowest row where it clears the label before it
    width = ax.figure.get_figwidth() * ax.get_position().width  # inches
    label_width = 0.42 * (n_steps + 1) / width  # in time steps
    ends: list[float] = []  # per row, where its last label ends
    for k, colour in zip(shown, PALETTE[1:]):
        x = starts[k] + centre
        row = next((r for r, end in enumerate(ends) if x - label_width / 2 > end),
                   len(ends))
        ends[row:row + 1] = [x + label_width / 2]
        for step in range(starts[k], starts[k] + kernel_size):
            ax.plot([starts[k] + centre, step], [1, 0], color=colour, lw=1.2)
        ax.annotate("", xy=(starts[k] + last, -0.9), xytext=(starts[k] + last, -0.1),
                    arrowprops=dict(arrowstyle="->", color=colour, lw=1.2))
        ax.text(x, 1.2 + 0.25 * row, f"out {k}", ha="center", fontsize=8, color=colour)
    ax.set_yticks([-1, 0, 1], [f"target: Y[:, {last}::{strides}]", "input step",
                               "Conv1D output"])
    ax.set(xlabel="time step", ylim=(-1.4, 1.5 + 0.25 * (len(ends) - 1)),
           xlim=(-0.6, n_steps - 0.4))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    first = "k" if strides == 1 else f"{strides}k"  # strides*k and strides*k + last,
    final = f"{first}+{last}" if last else first  # written the short way: 2k, 2k+3, k+2
    ax.set_title(f"Conv1D(kernel_size={kernel_size}, strides={strides}, 'valid'): "
                 f"{n_out} output{'s' if n_out > 1 else ''}; output k sees steps "
                 f"{first}..{final}, and is asked for Y[:, {final}]", fontsize=10)
    ax.grid(False)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return ax


def wavenet_block(ax: plt.Axes | None = None) -> plt.Axes:
    """WaveNet's gated residual block with skip connections (van den Oord et al. 2016,
    figure 4), as notebook 07's ``GatedResidualBlock`` builds it, and the head that
    follows the last block.

    The block's input x goes through a dilated causal Conv1D with 2f filters; its output
    is split in two halves, a and b, and the gated activation unit computes
    tanh(a) × σ(b); a 1x1 Conv1D maps that back to f channels. That result is (1) added
    to x, the residual connection, whose sum goes on to the next block, and (2) sent
    aside as the block's skip output. The head sums the skips of all blocks, then ReLU,
    a 1x1 Conv1D with ReLU, and a 1x1 Conv1D with a linear output.
    """
    ax = _axes(ax, (9, 5))
    x, conv, head = 3.2, ENCODER_COLOR, 9.0
    residual, skip = PALETTE[0], GRADIENT
    # the block: input, dilated conv, the split into two halves, the gate
    _text(ax, x, -0.05, "$\\mathbf{x}$: the previous block's output")
    _lines(ax, [(x, 0.2), (x, 0.8), (x, 1.22)])
    _layer_box(ax, x, 1.6, "dilated causal Conv1D\n2f filters, dilation d", 2.7, 0.7,
               conv, fontsize=8)
    _lines(ax, [(x, 1.98), (x, 2.35)], arrow=False)
    for side, activation in ((-1, "tanh"), (1, "σ")):  # the two halves, into the gate
        _lines(ax, [(x, 2.35), (x + side * 0.7, 2.35), (x + side * 0.7, 2.66)])
        _layer_box(ax, x + side * 0.7, 2.95, activation)
        _lines(ax, [(x + side * 0.7, 3.24), (x + side * 0.7, 3.75), (x + side * 0.23, 3.75)])
    _text(ax, x + 1.3, 2.35, "split into\ntwo halves\n(f channels each)", 7, ha="left",
          color=NOTE)
    _op(ax, x, 3.75, "×")
    _text(ax, x + 1.3, 3.75, "gated\nactivation unit", 7, ha="left", color=NOTE)
    _arrow(ax, (x, 3.97), (x, 4.37))
    _layer_box(ax, x, 4.65, "1×1 Conv1D, f filters", 2.5, 0.5, conv, fontsize=8)
    # the residual connection: x is added to the block's result, which goes on up
    _lines(ax, [(x, 4.93), (x, 5.4), (x, 5.88)])
    _lines(ax, [(x, 0.8), (1.0, 0.8), (1.0, 6.2), (x - 0.23, 6.2)], color=residual)
    _op(ax, x, 6.2, "+")
    _arrow(ax, (x, 6.42), (x, 7.0))
    _text(ax, x + 0.15, 6.9, "to the next block", 8, ha="left")
    _text(ax, 0.75, 3.5, "residual", rotation=90, color=residual)
    # the skip output, summed with the other blocks' in the head
    _lines(ax, [(x, 5.4), (head - 0.23, 5.4)], color=skip)
    _text(ax, 6.1, 5.55, "skip", va="bottom", color=skip)
    _dot(ax, (x, 0.8), (x, 5.4), (x, 2.35))
    ax.add_patch(FancyBboxPatch((0.45, 0.45), 6.5, 6.1, boxstyle="round,pad=0.05",
                                fc="none", ec="#999999", lw=1, ls="--", zorder=0))
    _text(ax, 6.85, 0.6, "one block; the blocks' dilations\nrun 1, 2, 4, 8, 1, 2, 4, 8, ...",
          7, ha="right", va="bottom", color=NOTE)
    # the head: sum of skips -> ReLU -> 1x1 conv + ReLU -> 1x1 conv, linear
    for side in (-1, 1):
        _lines(ax, [(head + side * 0.6, 6.55), (head + side * 0.17, 5.57)], color=IGNORED)
    _text(ax, head, 6.8, "skips of the other blocks", 8, color="#777777")
    _op(ax, head, 5.4, "Σ")
    above = 5.4 - 0.22
    for y, text, width, color in [(4.55, "ReLU", 1.0, CELL_COLOR),
                                  (3.7, "1×1 Conv1D, ReLU", 2.2, conv),
                                  (2.85, "1×1 Conv1D, linear", 2.2, conv)]:
        _arrow(ax, (head, above), (head, y + 0.28))
        _layer_box(ax, head, y, text, width, 0.5, color, fontsize=8)
        above = y - 0.28
    _wire(ax, head, above, 1.75, 1.4, "output: a forecast\nat every time step")
    _text(ax, head + 1.3, 4.55, "head (once,\nafter the last block)", 7, ha="left",
          color=NOTE)
    return _frame(ax, (0.2, 11.9), (-0.35, 7.35), "WaveNet: a gated residual block "
                  "(dilation d) with its skip output, and the head")

"""Schematic figures of recurrent networks, drawn with matplotlib (no image files).

Kept out of the notebooks so the lessons show the idea, not the drawing code. Every
function draws on a given ``ax`` (or makes a figure) and returns what it drew on.
"""

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
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color,
                                 lw=lw, ls=ls, connectionstyle=f"arc3,rad={rad}"))


def _text(ax, x, y, text, size=9, **kwargs):
    """``text`` centred on ``(x, y)`` unless ``kwargs`` say otherwise."""
    ax.text(x, y, text, **{"ha": "center", "va": "center", "fontsize": size, **kwargs})


def _wire(ax, x, start, end, text_y, text, size=8, color=None):
    """A vertical arrow from ``start`` to ``end`` with ``text`` at ``text_y``."""
    _arrow(ax, (x, start), (x, end), color=color or INK)
    _text(ax, x, text_y, text, size, color=color)


def _box(ax, x, y, label="", color=CELL_COLOR, width=_W, height=_H, size=9, pad=0.05, zorder=1):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, zorder=zorder,
                                boxstyle=f"round,pad={pad}", fc=color, ec=INK, lw=1))
    if label:
        _text(ax, x, y, label, size)


def _loop(ax, y):
    """A cell's state fed back to itself (the rolled-up view)."""
    _arrow(ax, (_W / 2 + 0.07, y + 0.2), (_W / 2 + 0.07, y - 0.2), rad=-2.2, color=PALETTE[0])


def _link(ax, x, y=0, name="", prev="", gap=_GAP, half=_W / 2, text_y=0.18):
    """The state passed from the copy left of ``x`` to the copy at ``x``, labelled
    ``name_(prev)`` when ``name`` is given."""
    _arrow(ax, (x - gap + half + 0.07, y), (x - half - 0.07, y), color=PALETTE[0])
    if name:
        _text(ax, x - gap / 2, text_y, f"${name}_{{({prev})}}$", 7, va="bottom", color=PALETTE[0])


def _frame(ax, xlim, ylim, title="", aspect="equal"):
    ax.set(xlim=xlim, ylim=ylim, aspect=aspect)
    ax.axis("off")
    ax.set_title(title, fontsize=10)
    return ax


def _step_label(i: int, n: int) -> str:
    return "t" if i == n - 1 else f"t-{n - 1 - i}"


def _axes(ax: plt.Axes | None, figsize: tuple[float, float]) -> plt.Axes:
    """``ax`` itself, or a new figure's axes of size ``figsize`` when ``ax`` is None."""
    return (plt.subplots(figsize=figsize)[1] if ax is None
            else checks.instance("ax", ax, plt.Axes, "a matplotlib Axes or None"))


def _two_panels(widths, height):
    """A figure with the rolled-up view on the left and the unrolled one on the right."""
    return plt.subplots(1, 2, figsize=(_SCALE * sum(widths) + 0.8, _SCALE * height + 0.6),
                        gridspec_kw={"width_ratios": widths})


# --- recurrent cells, rolled up and unrolled through time --------------------------------

def recurrent_neuron(ax: plt.Axes, *, label: str = "", state: str = "y",
                     out: str | None = None, title: str = "") -> plt.Axes:
    """One recurrent cell with its state fed back to itself (the rolled-up view).

    ``out``: the name of the output drawn above the cell (default: the state's name, as
    in a simple neuron whose output is its state).
    """
    _box(ax, 0, 0, label)
    _wire(ax, 0, -1.35, _IN, -1.55, "$x_{(t)}$", 9)
    _wire(ax, 0, _OUT, 1.35, 1.55, f"${state if out is None else out}_{{(t)}}$", 9)
    _loop(ax, 0)  # the state, fed back as the next step's extra input
    _text(ax, _W / 2 + 0.55, 0, f"${state}_{{(t-1)}}$", 8, ha="left", color=PALETTE[0])
    return _frame(ax, (-1.3, 2.0), (-1.75, 1.75), title)


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
            _link(ax, x, 0, state, _step_label(i - 1, n_steps))
    grad = dict(color=GRADIENT, ls="--")  # gradients: dashed
    for step in gradient_from:
        _arrow(ax, (step * _GAP + 0.25, 1.35), (step * _GAP + 0.25, _OUT), **grad)
    for j in range(max(gradient_from, default=0), 0, -1):
        _arrow(ax, (j * _GAP - _W / 2 - 0.07, -0.2), ((j - 1) * _GAP + _W / 2 + 0.07, -0.2), **grad)
    return _frame(ax, (-1.3, (n_steps - 1) * _GAP + 1.3), (-1.75, 1.75), title)


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
    spacing = 0.32  # between the neurons of the layer
    half = n_neurons * spacing / 2 + 0.12
    gap = 2 * half + 1.4
    fig, (rolled, unrolled_) = _two_panels(
        [2 * half + 1.6, (n_steps - 1) * gap + 2 * half + 0.6], 3.5)
    for ax, steps in ((rolled, 1), (unrolled_, n_steps)):
        for i in range(steps):
            # a wide box of neurons, the input vector below it, one output per neuron above
            x, t = i * gap, _step_label(i, steps)
            _box(ax, x, 0, width=2 * half, height=0.5)
            for k in range(n_neurons):
                cx = x + (k - (n_neurons - 1) / 2) * spacing
                ax.add_patch(plt.Circle((cx, 0), 0.1, fc="white", ec=INK, lw=0.9))
                _arrow(ax, (cx, 0.12), (cx, 0.9), lw=0.9)
            _arrow(ax, (x, -1.0), (x, -0.32))
            # the vectors x(t) below and y(t) above, as rows of squares, named outside
            for y, n, name, size in ((-1.15, n_inputs, "x", 0.22), (1.0, n_neurons, "y", spacing)):
                for j in range(n):
                    ax.add_patch(plt.Rectangle((x - n * size / 2 + j * size, y - size / 2),
                                               size, size, fc="white", ec=INK, lw=0.9))
                _text(ax, x, y + np.sign(y) * (size / 2 + 0.22),
                      f"$\\mathbf{{{name}}}_{{({t})}}$", 8, color=INK)
            if i:
                _link(ax, x, 0, "\\mathbf{y}", _step_label(i - 1, n_steps), gap, half, 0.15)
    # the output vector, fed back into the layer at the next step
    _arrow(rolled, (half * 0.7 + 0.1, 1.0), (half + 0.07, 0), color=PALETTE[0], rad=-0.9)
    _text(rolled, half + 0.55, 0.55, "$\\mathbf{y}_{(t-1)}$", 8, ha="left", color=PALETTE[0])
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
    recurrent_neuron(axes[0], label="cell", state="h", out="y", title="a memory cell")
    unrolled(axes[1], n_steps, label="cell", state="h", out="y",
             title="unrolled: the state $h$ goes right, the output $y$ goes up")
    fig.tight_layout()
    return fig, list(axes)


def sequence_shapes(n_steps: int = 4) -> tuple[plt.Figure, list[plt.Axes]]:
    """The four ways to feed and read a recurrent network, side by side."""
    fig, axes = plt.subplots(1, 4, figsize=(14, 2.8))
    half, rest = n_steps // 2, n_steps - n_steps // 2  # encoder and decoder steps
    unrolled(axes[0], n_steps, title="sequence to sequence")
    unrolled(axes[1], n_steps, outputs=["ignored"] * (n_steps - 1) + ["used"],
             title="sequence to vector")
    unrolled(axes[2], n_steps, inputs=[True] + [False] * (n_steps - 1), title="vector to sequence")
    unrolled(axes[3], n_steps, inputs=[True] * half + [False] * rest,
             outputs=["none"] * half + ["used"] * rest, title="encoder (orange) - decoder (blue)",
             colors=[ENCODER_COLOR] * half + [CELL_COLOR] * rest)
    fig.tight_layout()
    return fig, list(axes)


def bptt(n_steps: int = 5, used: Sequence[int] = (2, 3, 4)) -> tuple[plt.Figure, plt.Axes]:
    """Backpropagation through time: the cost reads some outputs; gradients flow back."""
    fig, ax = plt.subplots(figsize=(9, 3))
    unrolled(ax, n_steps, outputs=["used" if i in used else "ignored" for i in range(n_steps)],
             gradient_from=list(used),
             title="forward pass (solid) and gradients (dashed) through time")
    names = ", ".join(f"y_{{({_step_label(i, n_steps)})}}" for i in used)
    _text(ax, _GAP * np.mean(used), 2.05, f"cost  $C({names})$", va="baseline", color=GRADIENT)
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
            x, t = i * _GAP, _step_label(i, steps)
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
            for source in range(s, -1, -d)[:kernel_size]:  # the steps s reads, a row below
                ax.plot([s, source], [row, row - 1], color=PALETTE[0], lw=0.9, zorder=1)
                below.add(source)
        ax.scatter(sorted(needed), [row] * len(needed), s=16, color=PALETTE[0], zorder=3)
        _text(ax, -1, row, f"d={d}", 8, ha="right")
        needed = below
    ax.scatter(sorted(needed), [0] * len(needed), s=18, color=GRADIENT, zorder=3)
    _text(ax, -1, 0, "input", 8, ha="right")
    drawn = "" if field <= n_steps else f" ({n_steps} drawn)"
    title = f"kernel {kernel_size}, rates {rates}: the last output sees {field} steps{drawn}"
    return _frame(ax, (-6, n_steps), (-0.6, len(rates) + 0.6), title, "auto")


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
    for i, x in enumerate(_GAP * np.arange(n_steps)):
        _box(ax, x, 0)
        _wire(ax, x, -1.35, _IN, -1.58, f"$x_{{({i})}}$", 9)
        _arrow(ax, (x, _OUT), (x, 1.0))
        for j, k in enumerate(shown):
            y = 1.05 + j * size
            if k is None:
                _text(ax, x, y + size / 2, "$\\vdots$")
                continue
            ax.add_patch(plt.Rectangle((x - size / 2, y), size, size, fc="white", ec=GRADIENT))
            _text(ax, x + size / 2 + 0.08, y + size / 2, f"$x_{{({i + k})}}$", 8, ha="left",
                  color=GRADIENT)
        if i:
            _link(ax, x)
    _text(ax, -_W / 2 - 0.15, 1.05 + len(shown) * size / 2, "targets", 8, ha="right",
          color=GRADIENT, rotation=90)
    return _frame(ax, (-1.3, (n_steps - 1) * _GAP + 1.3), (-1.8, 1.05 + len(shown) * size + 0.35),
                  f"sequence to sequence: at step $t$ the targets are "
                  f"$x_{{(t+1)}}, \\ldots, x_{{(t+{ahead})}}$")


# --- gated cells (the book's figures 15-9 and 15-10) -------------------------------------

def _op(ax, x, y, symbol):
    """An elementwise operation: a small circle with its symbol (x, +, tanh, 1-)."""
    ax.add_patch(plt.Circle((x, y), 0.22 if len(symbol) < 3 else 0.3, fc="white", ec=INK, zorder=3))
    _text(ax, x, y, symbol, 7 if len(symbol) > 1 else 10, zorder=4)


def _dot(ax, *points, color=INK):
    """Junctions: where a line splits in two (a crossing has no dot)."""
    for x, y in points:
        ax.add_patch(plt.Circle((x, y), 0.06, fc=color, ec="none", zorder=4))


def _layer_box(ax, x, y, text, width=0.76, height=0.52, color=CELL_COLOR, size=9):
    """A layer drawn as a rounded box centred on ``(x, y)``, with ``text`` in it, above the
    lines that run into it."""
    _box(ax, x, y, text, color, width, height, size, pad=0.03, zorder=2)


def _gate(ax, x, y, activation, name, bus=None):
    """A fully connected layer of the cell: its activation in the box, its output's name,
    and (given ``bus``) the arrow from the bus up into it."""
    _layer_box(ax, x, y, activation)
    _text(ax, x + 0.45, y + 0.42, name, 8, ha="left", color=PALETTE[0])
    if bus is not None:
        _arrow(ax, (x, bus), (x, y - 0.3))


def _lines(ax, points, color=INK, arrow=True, ls="-"):
    """A polyline through ``points``, with an arrow head on its last segment."""
    xs, ys = zip(*points)
    ax.plot(xs[:-1], ys[:-1], color=color, lw=1.2, ls=ls, solid_capstyle="round", zorder=1)
    if arrow:
        _arrow(ax, points[-2], points[-1], color=color, ls=ls)
    else:
        ax.plot(xs[-2:], ys[-2:], color=color, lw=1.2, ls=ls, zorder=1)


def _ends(ax, y, name):
    """``name_(t-1)`` where a line at height ``y`` comes into a gated cell, ``name_(t)`` where
    it leaves."""
    _text(ax, -0.7, y, f"$\\mathbf{{{name}}}_{{(t-1)}}$", 10, ha="right")
    _text(ax, 9.7, y, f"$\\mathbf{{{name}}}_{{(t)}}$", 10, ha="left")


_TOP, _GATES, _BUS = 4.0, 1.4, 0.35  # heights of the state line, the gates and the bus
_LSTM_GATE_X = {"f": 2.0, "g": 3.6, "i": 5.0, "o": 6.6}  # where each layer stands


def _cell(ax, title, state, times, plus, x_input, low, y_from):
    """What the gated cells share: the frame; the state along the top, scaled at ``times``
    and added to at ``plus``; x(t) rising from ``low`` at ``x_input``; y(t) rising from
    ``y_from`` at the right."""
    ax = _frame(_axes(ax, (_SCALE * 11, _SCALE * 5.6)), (-1.9, 10.6), (-1.2, _TOP + 1.35), title)
    for start, end in ((-0.6, times - 0.22), (times + 0.22, plus - 0.22), (plus + 0.22, 9.6)):
        _lines(ax, [(start, _TOP), (end, _TOP)])
    _op(ax, times, _TOP, "×")
    _op(ax, plus, _TOP, "+")
    _ends(ax, _TOP, state)
    _wire(ax, x_input, low, _BUS - 0.02, low - 0.2, "$\\mathbf{x}_{(t)}$", 10)
    _wire(ax, 8.8, y_from, _TOP + 0.9, _TOP + 1.1, "$\\mathbf{y}_{(t)}$", 10)
    return ax


def _lstm_body(ax: plt.Axes | None, title: str) -> plt.Axes:
    """The LSTM cell that ``lstm_cell`` and ``peephole_lstm_cell`` share."""
    top, mid, gates, bus = _TOP, 2.9, _GATES, _BUS
    # the long-term state: c(t-1) -> x f -> + i*g -> c(t)
    ax = _cell(ax, title, "c", 2.0, 5.0, 4.3, -0.55, gates + 0.55)
    # the four layers, fed by [h(t-1), x(t)] along the bus
    for (name, x), activation in zip(_LSTM_GATE_X.items(), ["σ", "tanh", "σ", "σ"]):
        _gate(ax, x, gates, activation, f"$\\mathbf{{{name}}}_{{(t)}}$", bus)
    _lines(ax, [(-0.6, bus), (6.6, bus)], arrow=False)
    _ends(ax, bus, "h")
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
    return ax


def lstm_cell(ax: plt.Axes | None = None) -> plt.Axes:
    """An LSTM cell (the book's figure 15-9): the long-term state c runs along the top,
    the forget gate f scales it, the input gate i admits the candidate g, and the output
    gate o reads a tanh of the new c into the short-term state h (also the output y).
    """
    return _lstm_body(ax, "an LSTM cell: forget (f), input (i) and output (o) gates, candidate g")


def peephole_lstm_cell(ax: plt.Axes | None = None) -> plt.Axes:
    """An LSTM cell with peephole connections (Gers & Schmidhuber 2000): the cell of
    ``lstm_cell`` plus three diagonal connections from the long-term state to the gates,
    dashed in ``PEEPHOLE_COLOR``. The old state c(t-1) feeds the forget gate f and the
    input gate i; the new state c(t) feeds the output gate o.
    """
    ax = _lstm_body(ax, "an LSTM cell with peepholes (dashed, green): "
                        "$\\mathbf{c}_{(t-1)}$ feeds f and i, $\\mathbf{c}_{(t)}$ feeds o")
    # lane: the height the peepholes run at; into: just above a gate, left of its output line
    top, lane, into = _TOP, 2.25, _GATES + 0.29
    x = {name: at - 0.25 for name, at in _LSTM_GATE_X.items()}
    style = dict(color=PEEPHOLE_COLOR, ls="--")
    # c(t-1), tapped before the forget gate scales it, to f and to i
    _lines(ax, [(0.9, top), (0.9, lane), (x["i"], lane), (x["i"], into)], **style)
    _lines(ax, [(x["f"], lane), (x["f"], into)], **style)
    # the new c(t), tapped after the addition, to o
    _lines(ax, [(5.9, top), (5.9, lane), (x["o"], lane), (x["o"], into)], **style)
    _dot(ax, (0.9, top), (5.9, top), (x["f"], lane), color=PEEPHOLE_COLOR)
    return ax


def gru_cell(ax: plt.Axes | None = None) -> plt.Axes:
    """A GRU cell (the book's figure 15-10): one state h; the update gate z keeps z of the
    old state and writes 1 - z of the candidate g (equation 15-4), and the reset gate r
    decides how much of the old state the candidate is computed from.
    """
    top, mid, gates, bus, low = _TOP, 2.75, _GATES, _BUS, -0.25
    # h(t-1) -> x (1 - z) -> + z*g -> h(t)
    ax = _cell(ax, "a GRU cell: update (z) and reset (r) gates, candidate g", "h", 3.0, 6.4,
               2.4, -0.75, top)
    # the gates read [h(t-1), x(t)]; the candidate reads [r x h(t-1), x(t)]
    _lines(ax, [(0.2, top), (0.2, bus), (3.0, bus)], arrow=False)
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
    ax.plot([1.42, 2.0, 2.0, 5.6, 5.6], [mid, mid, 0.72, 0.72, low], color=INK, lw=1.2, zorder=2,
            solid_capstyle="round",
            path_effects=[patheffects.withStroke(linewidth=5, foreground="white")])
    _dot(ax, (0.2, top), (1.2, top), (8.8, top), (2.4, bus), (2.4, low), (5.6, low),
         (3.0, gates + 0.55), (1.2, bus))
    return ax


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
    # a label's width in time steps: 0.42 inches over the axes' width in inches
    label_width = 0.42 * (n_steps + 1) / (ax.figure.get_figwidth() * ax.get_position().width)
    ends: list[float] = []  # per row, where its last label ends
    for k, colour in zip(shown, PALETTE[1:]):
        x = starts[k] + centre
        row = next((r for r, end in enumerate(ends) if x - label_width / 2 > end), len(ends))
        ends[row:row + 1] = [x + label_width / 2]
        for step in range(starts[k], starts[k] + kernel_size):
            ax.plot([starts[k] + centre, step], [1, 0], color=colour, lw=1.2)
        ax.annotate("", xy=(starts[k] + last, -0.9), xytext=(starts[k] + last, -0.1),
                    arrowprops=dict(arrowstyle="->", color=colour, lw=1.2))
        ax.text(x, 1.2 + 0.25 * row, f"out {k}", ha="center", fontsize=8, color=colour)
    ax.set(xlabel="time step", ylim=(-1.4, 1.5 + 0.25 * (len(ends) - 1)),
           xlim=(-0.6, n_steps - 0.4), yticks=[-1, 0, 1],
           yticklabels=[f"target: Y[:, {last}::{strides}]", "input step", "Conv1D output"])
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
    x, head, conv, residual, skip = 3.2, 9.0, ENCODER_COLOR, PALETTE[0], GRADIENT
    # the block: input, dilated conv, the split into two halves, the gate
    _text(ax, x, -0.05, "$\\mathbf{x}$: the previous block's output")
    _lines(ax, [(x, 0.2), (x, 0.8), (x, 1.22)])
    _layer_box(ax, x, 1.6, "dilated causal Conv1D\n2f filters, dilation d", 2.7, 0.7, conv, size=8)
    _lines(ax, [(x, 1.98), (x, 2.35)], arrow=False)
    for side, activation in ((-1, "tanh"), (1, "σ")):  # the two halves, into the gate
        _lines(ax, [(x, 2.35), (x + side * 0.7, 2.35), (x + side * 0.7, 2.66)])
        _layer_box(ax, x + side * 0.7, 2.95, activation)
        _lines(ax, [(x + side * 0.7, 3.24), (x + side * 0.7, 3.75), (x + side * 0.23, 3.75)])
    _text(ax, x + 1.3, 2.35, "split into\ntwo halves\n(f channels each)", 7, ha="left", color=NOTE)
    _op(ax, x, 3.75, "×")
    _text(ax, x + 1.3, 3.75, "gated\nactivation unit", 7, ha="left", color=NOTE)
    _arrow(ax, (x, 3.97), (x, 4.37))
    _layer_box(ax, x, 4.65, "1×1 Conv1D, f filters", 2.5, 0.5, conv, size=8)
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
        _layer_box(ax, head, y, text, width, 0.5, color, size=8)
        above = y - 0.28
    _wire(ax, head, above, 1.75, 1.4, "output: a forecast\nat every time step")
    _text(ax, head + 1.3, 4.55, "head (once,\nafter the last block)", 7, ha="left", color=NOTE)
    return _frame(ax, (0.2, 11.9), (-0.35, 7.35), "WaveNet: a gated residual block "
                  "(dilation d) with its skip output, and the head")

"""The course's one model registry, and builders that more than one notebook needs.

Notebooks write each architecture out in full the first time they teach it. Widgets, the
playground, the bench, the real series and the memory task then build it by name from
:data:`ARCHITECTURES`; the tests check that both give the same model. The classes that
notebooks teach come from :mod:`helpers.taught`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import keras

from helpers.data import _positive_int

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
HEADS = ("dense", "rnn")


def rnn_stack(
    units: int = 20,
    depth: int = 2,
    *,
    activation: str = "tanh",
    head: str = "dense",
    n_outputs: int = 1,
    n_steps: int | None = None,
    name: str | None = None,
) -> keras.Sequential:
    """A stack of ``depth`` ``SimpleRNN(units)`` layers with a one-step (or vector) head.

    ``head="dense"``: the last recurrent layer returns only its final output and a
    ``Dense(n_outputs)`` layer maps it to the forecast. ``head="rnn"``: a final
    ``SimpleRNN(n_outputs)`` layer is the output (the book's first deep RNN). Every
    recurrent layer but the last returns sequences, so the next one gets 3D input.
    """
    units = _positive_int("units", units)
    depth = _positive_int("depth", depth)
    n_outputs = _positive_int("n_outputs", n_outputs)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    if head not in HEADS:
        raise ValueError(f"head must be one of {HEADS}, got {head!r}")
    layers: list[keras.layers.Layer] = [keras.Input(shape=(n_steps, 1))]
    for i in range(depth):
        last_hidden = i == depth - 1
        layers.append(keras.layers.SimpleRNN(
            units, activation=activation,
            return_sequences=not (last_hidden and head == "dense")))
    if head == "dense":
        layers.append(keras.layers.Dense(n_outputs))
    else:
        layers.append(keras.layers.SimpleRNN(n_outputs, activation=activation))
    return keras.Sequential(layers, name=name or f"rnn_{depth}x{units}_{head}")


class Shape(NamedTuple):
    """What a model of a task reads and writes."""

    n_steps: int
    n_inputs: int
    n_outputs: int
    sequence_output: bool
    """True: a target at every step (``[batch, steps, n_outputs]``)."""


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
    # notebook 06: a strided Conv1D halves the sequence before the GRUs. With a target at
    # every step (the memory task) the length must stay, so stride 1 and causal padding.
    if shape.sequence_output:
        return keras.layers.Conv1D(units, kernel_size=4, padding="causal", activation="relu")
    return keras.layers.Conv1D(units, kernel_size=4, strides=2, activation="relu")


def _cell_layer(cell: str):
    def layer(units: int, return_sequences: bool) -> keras.layers.Layer:
        from helpers import taught

        return keras.layers.RNN(getattr(taught, cell)(units), return_sequences=return_sequences)
    return layer


def _wavenet(name: str):
    def build(shape: Shape, units: int, layers: int, dropout: float) -> keras.Model:
        from helpers import taught

        net = getattr(taught, name)(shape.n_outputs, rates=(1, 2, 4, 8) * layers,
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
        _cell_layer("LNSimpleRNNCell")), taught_in="04"),
    "lstm": Arch("LSTM", _stack(
        lambda u, seq: keras.layers.LSTM(u, return_sequences=seq)), taught_in="05"),
    "peephole": Arch("peephole LSTM", _stack(
        _cell_layer("PeepholeLSTMCell")), taught_in="05"),
    "gru": Arch("GRU", _stack(
        lambda u, seq: keras.layers.GRU(u, return_sequences=seq)), taught_in="06"),
    "conv_gru": Arch("Conv1D + GRU", _stack(
        lambda u, seq: keras.layers.GRU(u, return_sequences=seq), front=_conv_front),
        taught_in="06"),
    "wavenet": Arch("WaveNet", _wavenet("simple_wavenet"), _CONV, "07"),
    "full_wavenet": Arch("full WaveNet", _wavenet("full_wavenet"), _CONV, "07"),
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

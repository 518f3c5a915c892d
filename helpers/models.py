"""The course's one model registry: every architecture a notebook teaches, built by name.

Notebooks write each architecture out in full the first time they teach it. The playground,
the bench, the real series, the memory task and the widgets then build it from
:data:`ARCHITECTURES` (:func:`build_model`), so each is written once. The classes that
notebooks teach come from :mod:`helpers.taught`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import keras

from helpers import checks, taught

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
HEADS = ("dense", "rnn")


class Shape(NamedTuple):
    """What a model of a task reads and writes."""

    n_steps: int | None  # None: any length
    n_inputs: int
    n_outputs: int
    sequence_output: bool  # True: a target at every step ([batch, steps, n_outputs])


def _input(shape: Shape) -> keras.KerasTensor:
    return keras.Input(shape=(shape.n_steps, shape.n_inputs))


def _linear(shape: Shape, units: int, layers: int, dropout: float) -> keras.Model:
    # With a target at every step, one Dense per step: it sees only the current step.
    flat = [] if shape.sequence_output else [keras.layers.Flatten()]
    return keras.Sequential([_input(shape), *flat, keras.layers.Dense(shape.n_outputs)])


def _stack(recurrent: Callable[..., keras.layers.Layer], *, front: bool = False):
    """``layers`` recurrent layers of ``units`` (Dropout after each, when set), then the head.

    Options: ``head="dense"`` (a ``Dense(n_outputs)``) or ``"rnn"`` (a
    ``SimpleRNN(n_outputs)`` output layer, the book's first deep RNN); ``activation`` of
    the Keras recurrent layers and that head; ``book=True`` (conv_gru): the book's conv
    front (linear, stride 2, its targets cropped to match) even with a target at every step.
    """

    def build(shape: Shape, units: int, layers: int, dropout: float, *, head: str = "dense",
              activation: str = "tanh", book: bool = False) -> keras.Model:
        seq = shape.sequence_output or head == "rnn"
        model = keras.Sequential([_input(shape)])
        if front:  # notebook 06: a strided Conv1D halves the sequence before the GRUs; with
            # a target at every step (the memory task) it keeps the length: causal, stride 1
            causal = shape.sequence_output and not book
            model.add(keras.layers.Conv1D(units, kernel_size=4, strides=1 if causal else 2,
                                          padding="causal" if causal else "valid",
                                          activation=None if book else "relu"))
        for i in range(layers):
            model.add(recurrent(units, seq or i < layers - 1, activation))
            if dropout:
                model.add(keras.layers.Dropout(dropout))
        model.add(keras.layers.Dense(shape.n_outputs) if head == "dense" else
                  keras.layers.SimpleRNN(shape.n_outputs, activation=activation,
                                         return_sequences=shape.sequence_output))
        return model

    return build


def _keras_layer(cls):
    return lambda units, seq, activation: cls(units, activation=activation, return_sequences=seq)


def _cell_layer(cell: str):
    return lambda units, seq, activation: keras.layers.RNN(getattr(taught, cell)(units),
                                                           return_sequences=seq)


def _wavenet(name: str):
    """``rates`` (default 1, 2, 4, 8, ``layers`` times) of ``units`` filters.

    Option ``head="dense"`` (the simple WaveNet only): its ReLU convolutions alone, then
    ``Dense`` on the last step (notebook 08's forecaster of a whole day).
    """

    def build(shape: Shape, units: int, layers: int, dropout: float, *,
              rates: tuple[int, ...] | None = None, head: str = "conv") -> keras.Model:
        rates = (1, 2, 4, 8) * layers if rates is None else rates
        inputs = x = _input(shape)
        if head == "dense":
            for rate in rates:
                x = keras.layers.Conv1D(units, kernel_size=2, padding="causal",
                                        dilation_rate=rate, activation="relu")(x)
            return keras.Model(inputs, keras.layers.Dense(shape.n_outputs)(x[:, -1]))
        outputs = getattr(taught, name)(shape.n_outputs, rates=rates, filters=units,
                                        n_inputs=shape.n_inputs)(inputs)  # one per step
        return keras.Model(inputs, outputs if shape.sequence_output else outputs[:, -1])

    return build


@dataclass(frozen=True)
class Arch:
    label: str
    build: Callable[..., keras.Model]
    uses: frozenset = frozenset({"units", "layers", "dropout"})  # the size controls it reads
    taught_in: str = ""


_CONV = frozenset({"units", "layers"})
_deep_rnn = _stack(_keras_layer(keras.layers.SimpleRNN))

# name -> what the app shows, the builder, the size controls it reads, its notebook.
# build(shape, units, layers, dropout, **options): recurrent models stack `layers` layers
# of `units` (Dropout after each, when set) and end in Dense; the WaveNets take `units`
# filters and `layers` runs of dilation rates 1, 2, 4, 8 (the book's is two). The linear
# model and the SimpleRNN have the book's fixed size.
ARCHITECTURES: dict[str, Arch] = {
    "linear": Arch("linear", _linear, frozenset(), "01"),
    # the book's smallest RNN: one SimpleRNN layer whose outputs are the forecast
    "simple_rnn": Arch("SimpleRNN", lambda shape, *_: _deep_rnn(shape, 1, 0, 0.0, head="rnn"),
                       frozenset(), "02"),
    "deep_rnn": Arch("deep RNN", _deep_rnn, taught_in="02"),
    "ln_rnn": Arch("LN SimpleRNN", _stack(_cell_layer("LNSimpleRNNCell")), taught_in="04"),
    "lstm": Arch("LSTM", _stack(_keras_layer(keras.layers.LSTM)), taught_in="05"),
    "peephole": Arch("peephole LSTM", _stack(_cell_layer("PeepholeLSTMCell")), taught_in="05"),
    "gru": Arch("GRU", _stack(_keras_layer(keras.layers.GRU)), taught_in="06"),
    "conv_gru": Arch("Conv1D + GRU", _stack(_keras_layer(keras.layers.GRU), front=True),
                     taught_in="06"),
    "wavenet": Arch("WaveNet", _wavenet("simple_wavenet"), _CONV, "07"),
    "full_wavenet": Arch("full WaveNet", _wavenet("full_wavenet"), _CONV, "07"),
}

SIZE_CONTROLS = ("units", "layers", "dropout")
# The most units (or filters) per layer and layers (WaveNets: runs of rates) build_model
# builds (the app's sliders stop at 64 and 4): more would not train within a click's
# time, or fit in memory.
MAX_UNITS, MAX_LAYERS = 512, 8


def build_model(arch: str, shape: Shape, *, units: int = 20, layers: int = 2,
                dropout: float = 0.0, name: str | None = None, **options) -> keras.Model:
    """A fresh, uncompiled model of ``arch`` (a key of :data:`ARCHITECTURES`) for ``shape``.

    ``options`` are the architecture's own (see :func:`_stack`, :func:`_wavenet`).
    """
    spec = ARCHITECTURES[checks.choice("arch", arch, ARCHITECTURES)]
    model = spec.build(shape, checks.integer("units", units, high=MAX_UNITS),
                       checks.integer("layers", layers, high=MAX_LAYERS),
                       checks.number("dropout", dropout, 0, 0.9), **options)
    if name:
        model.name = name
    return model


def rnn_stack(units: int = 20, depth: int = 2, *, activation: str = "tanh",
              head: str = "dense", n_outputs: int = 1, n_steps: int | None = None,
              name: str | None = None) -> keras.Sequential:
    """A stack of ``depth`` ``SimpleRNN(units)`` layers with a one-step (or vector) head.

    ``head="dense"``: the last recurrent layer returns only its final output and a
    ``Dense(n_outputs)`` layer maps it to the forecast. ``head="rnn"``: a final
    ``SimpleRNN(n_outputs)`` layer is the output (the book's first deep RNN). Every
    recurrent layer but the last returns sequences, so the next one gets 3D input.
    """
    units, depth = checks.integer("units", units), checks.integer("depth", depth)
    shape = Shape(n_steps, 1, checks.integer("n_outputs", n_outputs), False)
    return build_model("deep_rnn", shape, units=units, layers=depth,
                       activation=checks.choice("activation", activation, ACTIVATIONS),
                       head=checks.choice("head", head, HEADS),
                       name=name or f"rnn_{depth}x{units}_{head}")

"""Model builders that more than one notebook (or a widget) needs.

Notebooks write each architecture out in full the first time they teach it; widgets and
later notebooks then build the same thing through these functions, and the tests check
that both give the same model.
"""

from __future__ import annotations

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

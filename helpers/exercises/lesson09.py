"""Checks for notebook 09's exercises (the chapter's exercises: sketches and chorales)."""

import keras
import numpy as np

from helpers import checks
from helpers.datasets import sketches
from helpers.exercises import verdict

__all__ = ["check_half_sketch_accuracy", "check_uniform_change_rate", "half_sketch_accuracy"]


def half_sketch_accuracy(model: keras.Model, inks, labels) -> float:
    """Accuracy of ``model`` on the first half of each sketch's points (``len // 2``).

    ``model`` takes ``[inks, lengths]`` (padded to its input length) as the notebook's
    sketch classifiers do; ``inks`` is a list of stroke-3 arrays, ``labels`` their classes.
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    inks, labels = sketches.as_sketches(inks, labels)
    if not len(inks):
        raise ValueError("inks must hold at least one sketch")
    batch = keras.utils.pad_sequences(inks, maxlen=model.inputs[0].shape[1], dtype="float32",
                                      padding="post", truncating="post")
    lengths = np.minimum([len(ink) for ink in inks], batch.shape[1]).astype(np.int32) // 2
    probs = model.predict([batch, lengths], batch_size=256, verbose=0)
    return float(np.mean(np.argmax(probs, axis=-1) == labels))


def check_half_sketch_accuracy(accuracy, model: keras.Model, inks, labels) -> bool:
    """Exercise 2: the accuracy of ``model`` when each sketch is cut after half its points."""
    expected = half_sketch_accuracy(model, inks, labels)
    return verdict(accuracy, expected, name="accuracy on half sketches", rtol=0, atol=0.01,
                   hint="keep the first len // 2 points: halve the lengths, the mask "
                        "hides the rest.")


def check_uniform_change_rate(rate, n_tokens: int) -> bool:
    """Exercise 3: the limit of the change rate as the temperature grows, for ``n_tokens``."""
    n_tokens = checks.integer("n_tokens", n_tokens, low=2)
    return verdict(rate, 1 - 1 / n_tokens, name="change rate at high temperature", rtol=0,
                   atol=0.02, hint="at a very high temperature every token is equally "
                                    "likely: how often does a voice draw its previous one?")

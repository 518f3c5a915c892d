"""Checks for notebook 09's exercises (the chapter's exercises: sketches and chorales)."""

from __future__ import annotations

from numbers import Integral

import keras
import numpy as np

from helpers.datasets import sketches
from helpers.exercises import verdict

__all__ = ["check_half_sketch_accuracy", "check_uniform_change_rate", "half_sketch_accuracy"]


def half_sketch_accuracy(model: keras.Model, inks, labels) -> float:
    """Accuracy of ``model`` on the first half of each sketch's points (``len // 2``).

    ``model`` takes ``[inks, lengths]`` (padded to its input length) as the notebook's
    sketch classifiers do; ``inks`` is a list of stroke-3 arrays, ``labels`` their classes.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    inks, labels = sketches._check_sketches(inks, labels)
    if not len(inks):
        raise ValueError("inks must hold at least one sketch")
    max_len = model.inputs[0].shape[1] or max(len(ink) for ink in inks)
    batch = np.zeros((len(inks), max_len, 3), dtype=np.float32)
    for i, ink in enumerate(inks):
        batch[i, :min(len(ink), max_len)] = ink[:max_len]
    lengths = np.array([min(len(ink), max_len) // 2 for ink in inks], dtype=np.int32)
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
    if isinstance(n_tokens, bool) or not isinstance(n_tokens, Integral):
        raise TypeError(f"n_tokens must be an int, got {type(n_tokens).__name__}")
    if n_tokens < 2:
        raise ValueError(f"n_tokens must be at least 2, got {n_tokens}")
    return verdict(rate, 1 - 1 / n_tokens, name="change rate at high temperature", rtol=0,
                   atol=0.02, hint="at a very high temperature every token is equally "
                                    "likely: how often does a voice draw its previous one?")

"""Notebook 09's exercise checks: the right answer passes, a wrong one fails."""

import keras
import numpy as np
import pytest

from helpers.datasets import sketches
from helpers.exercises import lesson09


def _small_model(max_len=sketches.MAX_POINTS):
    """An untrained classifier with the notebook's inputs ([inks, lengths])."""
    keras.utils.set_random_seed(0)
    ink = keras.Input(shape=(max_len, 3))
    length = keras.Input(shape=(), dtype="int32")
    x = sketches.MaskedConv1D(8, 5, padding="same")(sketches.MaskPadding()([ink, length]))
    x = keras.layers.LSTM(8)(x)
    outputs = keras.layers.Dense(len(sketches.CLASS_NAMES), activation="softmax")(x)
    return keras.Model([ink, length], outputs)


def test_half_sketch_accuracy_as_the_solution_computes_it(tmp_path):
    inks, labels, _ = sketches.make_sketches(60, seed=1)
    model = _small_model()
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    path = sketches.write_tfrecord(tmp_path / "test.tfrecord", inks, labels)
    test_set = sketches.dataset(path, batch_size=16, max_len=sketches.MAX_POINTS, n_records=60)
    half = test_set.map(lambda x, y: ((x[0], x[1] // 2), y))   # the solution's route
    accuracy = model.evaluate(half, verbose=0)[1]
    assert lesson09.check_half_sketch_accuracy(accuracy, model, inks, labels)
    assert not lesson09.check_half_sketch_accuracy(accuracy + 0.2, model, inks, labels)
    # the helper scores the same predictions as the cut dataset gives
    expected = np.mean(model.predict(half, verbose=0).argmax(axis=1) == labels)
    assert abs(lesson09.half_sketch_accuracy(model, inks, labels) - expected) < 1e-6


def test_half_sketch_accuracy_errors():
    inks, labels, _ = sketches.make_sketches(4, seed=2)
    with pytest.raises(TypeError, match="model"):
        lesson09.half_sketch_accuracy("model", inks, labels)
    with pytest.raises(ValueError, match="same length"):
        lesson09.half_sketch_accuracy(_small_model(), inks, labels[:2])


def test_uniform_change_rate():
    assert lesson09.check_uniform_change_rate(1 - 1 / 46, 46)
    assert lesson09.check_uniform_change_rate(0.978, 46)
    assert not lesson09.check_uniform_change_rate(1.0, 46)
    assert not lesson09.check_uniform_change_rate(0.45, 46)  # Bach's rate, not the limit
    with pytest.raises(ValueError, match="n_tokens"):
        lesson09.check_uniform_change_rate(0.5, 1)
    with pytest.raises(TypeError, match="n_tokens"):
        lesson09.check_uniform_change_rate(0.5, 4.0)

"""Notebook 05's exercise checks: the right answer passes, a wrong one fails (quick profile)."""

import keras
import numpy as np
import pytest

from helpers import data, training
from helpers.exercises import lesson05
from helpers.profile import get_profile


def test_lstm_and_peephole_params():
    assert lesson05.check_lstm_params(4608)
    assert not lesson05.check_lstm_params(1152)  # one dense layer instead of four
    assert lesson05.check_peephole_params(4704)
    assert not lesson05.check_peephole_params(4608)  # the peepholes forgotten


def _survival(bias, steps):
    """The notebook's way, independently: Keras' LSTMCell stepped by hand, its f recomputed."""
    P = get_profile()
    X = data.load("sequence").X_valid[:500]
    training.set_seed(P.seed)
    layer = keras.layers.LSTM(20, unit_forget_bias=bias)
    layer.build((None, None, 1))
    kernel, recurrent, b = layer.get_weights()
    cell = keras.layers.LSTMCell(20)
    cell.build((None, 1))
    cell.set_weights([kernel, recurrent, b])
    h = c = np.zeros((len(X), 20), "float32")
    product = np.ones_like(h, dtype="float64")
    for t in range(steps + 1):
        z = X[:, t] @ kernel + h @ recurrent + b
        f = 1 / (1 + np.exp(-z[:, 20:40]))
        _, (h, c) = cell(X[:, t], [h, c])
        h, c = keras.ops.convert_to_numpy(h), keras.ops.convert_to_numpy(c)
        if t >= 1:
            product *= f
    return product.mean()


def test_forget_bias_ratio():
    ratio = _survival(True, 40) / _survival(False, 40)
    assert lesson05.check_forget_bias_ratio(ratio, steps=40)
    assert not lesson05.check_forget_bias_ratio(ratio ** 0.5, steps=40)
    assert not lesson05.check_forget_bias_ratio(-1.0)
    assert not lesson05.check_forget_bias_ratio("many")
    with pytest.raises(ValueError, match="steps"):
        lesson05.check_forget_bias_ratio(10.0, steps=0)

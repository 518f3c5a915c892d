"""Checks for notebook 05's exercises (the LSTM cell)."""

import keras
import numpy as np

from helpers import checks, data, training
from helpers.exercises import verdict
from helpers.profile import PROFILE


def _lstm_params(units: int, n_inputs: int) -> int:
    layer = keras.layers.LSTM(units)
    layer.build((None, None, n_inputs))
    return layer.count_params()


def check_lstm_params(n, *, units: int = 32, n_inputs: int = 3) -> bool:
    """Exercise 1: the parameters of ``keras.layers.LSTM(units)`` on ``n_inputs`` features."""
    return verdict(n, _lstm_params(units, n_inputs), name="LSTM parameters", rtol=0,
                   hint="four dense layers, each reading x(t) and h(t-1), with biases")


def check_peephole_params(n, *, units: int = 32, n_inputs: int = 3) -> bool:
    """Exercise 1: the same with three diagonal peephole vectors of ``units`` added."""
    return verdict(n, _lstm_params(units, n_inputs) + 3 * units, name="peephole LSTM "
                   "parameters", rtol=0, hint="an LSTM's, plus one weight per unit and gate")


def _forget_products(unit_forget_bias: bool, steps: int) -> float:
    """Mean over 500 validation series of prod_{t=1..steps} f(t), untrained layer."""
    X = data.load("sequence").X_valid[:500]
    if steps + 1 > X.shape[1]:
        raise ValueError(f"steps must be below {X.shape[1]}, got {steps}")
    training.set_seed(PROFILE.seed)
    layer = keras.layers.LSTM(20, unit_forget_bias=unit_forget_bias)
    layer.build((None, None, 1))
    kernel, recurrent, bias = (w.astype("float64") for w in layer.get_weights())
    n = recurrent.shape[0]
    h, c = np.zeros((len(X), n)), np.zeros((len(X), n))
    product = np.ones((len(X), n))
    for t in range(steps + 1):
        z = X[:, t] @ kernel + h @ recurrent + bias
        i, f, o = (1 / (1 + np.exp(-z[:, j * n:(j + 1) * n])) for j in (0, 1, 3))
        c = f * c + i * np.tanh(z[:, 2 * n:3 * n])
        h = o * np.tanh(c)
        if t >= 1:
            product *= f
    return float(product.mean())


def check_forget_bias_ratio(ratio, *, steps: int = 40) -> bool:
    """Exercise 3: the share of c(0) left after ``steps`` steps, bias 1 over bias 0.

    Computed as the notebook does (untrained layers seeded like ``fresh_lstm_layer``,
    500 validation series); compared in log space, within 10 %.
    """
    checks.integer("steps", steps)
    expected = _forget_products(True, steps) / _forget_products(False, steps)
    try:
        given = float(ratio)
    except (TypeError, ValueError):
        print(f"forget-bias ratio: expected a number, got {ratio!r}")
        return False
    if not given > 0:
        print(f"forget-bias ratio: expected a positive number, got {given}")
        return False
    return verdict(np.log(given), np.log(expected), name="forget-bias ratio (log)",
                   rtol=0.1, hint="a product of forget gates over steps 1..steps, "
                   "averaged over the series, for each bias")

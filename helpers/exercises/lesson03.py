"""Checks for notebook 03's exercises (forecasting several steps ahead).

Each ``check_...`` function recomputes the right answer from the data the notebook uses
(:func:`helpers.data.load` with the active profile and seed) and prints a verdict
(:func:`helpers.exercises.verdict`); it returns ``True`` or ``False``.
"""

import keras
import numpy as np

from helpers import baselines, data
from helpers.exercises import verdict
from helpers.profile import get_profile


def _validation(kind: str):
    """The validation inputs and targets of ``kind``, for the active profile and seed."""
    splits = data.load(kind, profile=get_profile())
    return splits.X_valid, splits.y_valid


def check_seq2seq_targets(Y_valid_seq) -> bool:
    """Exercise 1: the seq-to-seq targets ``[n_valid, n_steps, ahead]`` built by hand."""
    _, expected = _validation("sequence")
    return verdict(Y_valid_seq, expected, name="seq-to-seq targets", rtol=0, atol=1e-6,
                   hint="Y[b, t, i] is the value i + 1 steps after input step t: "
                        "series[b, t + 1 + i], where series joins X_valid and Y_valid.")


def check_drift_mse(mse) -> bool:
    """Exercise 2: the validation MSE over the ten steps of the "last change" forecast,
    x(t) + i (x(t) - x(t-1)) for i = 1..ahead."""
    X, Y_valid = _validation("vector")
    last, change = X[:, -1, :1], X[:, -1, :1] - X[:, -2, :1]
    expected = np.mean(np.square(Y_valid - (last + np.arange(1, get_profile().ahead + 1)
                                            * change)))
    return verdict(mse, expected, name="drift forecast MSE", rtol=0.01,
                   hint="forecast i steps ahead = last input + i * (last input - the one "
                        "before), for i = 1..10; then the MSE over all series and steps.")


def check_param_count(n_params) -> bool:
    """Exercise 3: parameters of SimpleRNN(32, seq) -> SimpleRNN(32, seq) -> Dense(10)."""
    units, ahead = 32, get_profile().ahead
    first = units * (1 + units + 1)  # input kernel [1, 32], recurrent [32, 32], bias
    second = units * (units + units + 1)  # input kernel [32, 32], recurrent, bias
    expected = first + second + units * ahead + ahead
    return verdict(n_params, expected, name="parameter count", rtol=0,
                   hint="a SimpleRNN with u units and d inputs per step has "
                        "u * (d + u + 1) parameters; a Dense layer (d + 1) * n.")


def check_chained_rounds(rounds, model) -> bool:
    """Exercise 4: the MSE of each round of 10 when ``model`` (one forecast of ``ahead``
    values per window, shape ``[batch, ahead]``) is chained over 50 steps, on the
    notebook's 100-value series (section 8)."""
    P = get_profile()
    long_ahead = 5 * P.ahead
    series = data.generate_time_series(P.n_eval, P.n_steps + long_ahead, seed=P.seed_for(1))
    X_long, Y_long = series[:, :P.n_steps], series[:, P.n_steps:, 0]

    def forecast(X):
        Y = keras.ops.convert_to_numpy(model(X))
        return Y[:, -1] if Y.ndim == 3 else Y  # a seq-to-seq model: its last step

    chained = baselines.chain_forecasts(forecast, X_long, long_ahead)
    expected = np.mean(np.square(Y_long - chained), axis=0).reshape(-1, P.ahead).mean(axis=1)
    return verdict(rounds, expected, name="MSE of each round", rtol=0.02,
                   hint="chain with baselines.chain_forecasts on X_long, then average the "
                        "per-step MSEs ten steps at a time (five numbers).")

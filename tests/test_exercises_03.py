"""Notebook 03's exercise checks: the right answer passes, a wrong one fails (quick profile)."""

import keras
import numpy as np
import pytest

from helpers import baselines, data
from helpers.exercises import lesson03
from helpers.profile import get_profile


@pytest.fixture(scope="module")
def P():
    profile = get_profile()
    assert profile.name == "quick"  # conftest.py: the tests run the quick profile
    return profile


def test_seq2seq_targets(P):
    X_valid, Y_valid = data.load("vector", profile=P)[2:4]
    series = np.concatenate([X_valid[:, :, 0], Y_valid], axis=1)
    right = np.stack([series[:, t + 1:t + 1 + P.ahead] for t in range(P.n_steps)], axis=1)
    assert lesson03.check_seq2seq_targets(right)
    off_by_one = np.stack([series[:, t:t + P.ahead] for t in range(P.n_steps)], axis=1)
    assert not lesson03.check_seq2seq_targets(off_by_one)
    assert not lesson03.check_seq2seq_targets(right[:, :, :5])  # wrong shape


def test_drift_mse(P):
    X_valid, Y_valid = data.load("vector", profile=P)[2:4]
    change = X_valid[:, -1, :1] - X_valid[:, -2, :1]
    drift = X_valid[:, -1, :1] + np.arange(1, P.ahead + 1) * change
    right = baselines.mse(Y_valid, drift)
    assert lesson03.check_drift_mse(right)
    assert right > baselines.mse(Y_valid, baselines.naive_forecast(X_valid, P.ahead))
    naive = baselines.mse(Y_valid, baselines.naive_forecast(X_valid, P.ahead))
    assert not lesson03.check_drift_mse(naive)
    assert not lesson03.check_drift_mse("a lot")


def test_param_count(P):
    model = keras.Sequential([
        keras.Input(shape=(P.n_steps, 1)),
        keras.layers.SimpleRNN(32, return_sequences=True),
        keras.layers.SimpleRNN(32, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(P.ahead)),
    ])
    assert lesson03.check_param_count(model.count_params())
    assert not lesson03.check_param_count(model.count_params() - P.ahead)  # biases forgotten


def test_chained_rounds(P):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(P.n_steps, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(P.ahead)])
    series = data.generate_time_series(P.n_eval, P.n_steps + 5 * P.ahead, seed=P.seed_for(1))
    X_long, Y_long = series[:, :P.n_steps], series[:, P.n_steps:, 0]
    chained = baselines.chain_forecasts(
        lambda X: keras.ops.convert_to_numpy(model(X)), X_long, 5 * P.ahead)
    rounds = np.mean(np.square(Y_long - chained), axis=0).reshape(-1, P.ahead).mean(axis=1)
    assert lesson03.check_chained_rounds(rounds, model)
    assert not lesson03.check_chained_rounds(rounds[::-1] * 1.5, model)
    assert not lesson03.check_chained_rounds(rounds[:4], model)  # four rounds, not five

"""The check_... functions of notebooks 01 and 02: a right answer passes, a wrong one not."""

import keras
import numpy as np
import pytest

from helpers import data, models, training
from helpers.exercises import lesson01, lesson02
from helpers.profile import get_profile


@pytest.fixture(autouse=True, params=["42", "7"])
def _quick(request, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    monkeypatch.setenv("COURSE_SEED", request.param)


def _valid():
    s = data.load("one_step", profile=get_profile())
    return s


def test_check_best_k():
    s = _valid()
    X, y = s.X_valid[..., 0].astype("float64"), s.y_valid[:, 0]
    mses = {k: np.mean((np.mean(X[:, -k:], axis=1) - y) ** 2) for k in range(1, 51)}
    best = min(mses, key=mses.get)
    assert lesson01.check_best_k(best) is True
    assert lesson01.check_best_k(best + 1) is False
    assert lesson01.check_best_k("one") is False


@pytest.mark.parametrize("n_last", [10, 50])
def test_check_lstsq_mse(n_last):
    s = _valid()
    # the normal equations, solved directly (lesson01 uses lstsq)
    A = np.c_[s.X_train[:, -n_last:, 0], np.ones(len(s.X_train))].astype("float64")
    w = np.linalg.solve(A.T @ A, A.T @ s.y_train[:, 0])
    Av = np.c_[s.X_valid[:, -n_last:, 0], np.ones(len(s.X_valid))]
    mse = float(np.mean((Av @ w - s.y_valid[:, 0]) ** 2))
    assert lesson01.check_lstsq_mse(mse, n_last=n_last) is True
    assert lesson01.check_lstsq_mse(1.2 * mse, n_last=n_last) is False
    naive = float(np.mean((s.X_valid[:, -1, 0] - s.y_valid[:, 0]) ** 2))
    assert lesson01.check_lstsq_mse(naive, n_last=n_last) is False


def test_lstsq_rejects_bad_n_last():
    with pytest.raises(ValueError, match="n_last must be an int from 1 to 50"):
        lesson01.lstsq_mse(0)
    with pytest.raises(TypeError, match="n_last must be an int"):
        lesson01.lstsq_mse(2.5)


def test_check_y_last():
    P = get_profile()
    training.set_seed(P.seed)  # as notebook 02 builds its layer
    layer = keras.layers.SimpleRNN(5, return_sequences=True)
    X_batch = data.generate_time_series(4, P.n_steps, seed=P.seed)
    layer(X_batch)
    W_x, W_y, b = layer.get_weights()
    y = np.zeros(5)
    for t in range(P.n_steps):  # equation 15-1, one instance
        y = np.tanh(W_x.T @ X_batch[0, t] + W_y.T @ y + b)
    assert lesson02.check_y_last(y) is True
    assert lesson02.check_y_last(np.tanh(W_x.T @ X_batch[0, -1] + b)) is False  # no memory
    assert lesson02.check_y_last(y[:4]) is False


def test_check_frames_with_gradient():
    assert lesson02.check_frames_with_gradient([1, 2, 3]) is True
    assert lesson02.check_frames_with_gradient((3, 2, 1)) is True
    assert lesson02.check_frames_with_gradient([0, 1, 2, 3]) is False
    assert lesson02.check_frames_with_gradient([3]) is False
    assert lesson02.check_frames_with_gradient([]) is False


def test_check_multiply_adds():
    model = models.rnn_stack(20, 3)
    n_steps = get_profile().n_steps
    counted = 0  # from the built model's weight shapes
    for layer in model.layers:
        if isinstance(layer, keras.layers.SimpleRNN):
            counted += n_steps * (np.size(layer.cell.kernel) + np.size(layer.cell.recurrent_kernel))
        elif isinstance(layer, keras.layers.Dense):
            counted += np.size(layer.kernel)
    assert lesson02.check_multiply_adds(counted) is True
    assert lesson02.check_multiply_adds(model.count_params()) is False
    assert lesson02.check_multiply_adds(counted - 20) is False


def test_check_seasonal_naive_mse():
    months = np.arange(120)
    rng = np.random.default_rng(get_profile().seed)  # as notebook 02, section 8
    monthly = 0.05 * months + np.sin(2 * np.pi * months / 12) \
        + 0.1 * rng.standard_normal(120)
    forecast = np.concatenate([monthly[84:96], monthly[84:96]])
    mse = float(np.mean((monthly[96:] - forecast) ** 2))
    assert lesson02.check_seasonal_naive_mse(mse) is True
    assert lesson02.check_seasonal_naive_mse(np.mean((monthly[96:] - monthly[95]) ** 2)) \
        is False

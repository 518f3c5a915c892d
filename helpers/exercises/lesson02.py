"""Checks for the exercises of notebook 02 (recurrent neurons, simple and deep RNNs).

Each check rebuilds the answer the way the notebook builds its data and models, with
the active profile and seed (``$COURSE_PROFILE``, ``$COURSE_SEED``); none trains.
"""

import keras
import numpy as np

from helpers import convs, data, models, training
from helpers.exercises import verdict
from helpers.profile import get_profile


def check_y_last(y) -> bool:
    """Exercise 1: y_(t) of the notebook's 5-neuron SimpleRNN for instance 0 of
    ``X_batch`` at the last step (a vector of 5 values), from equation 15-1.

    The layer is rebuilt as the notebook builds it (same seed, same data), which reseeds
    the random generators as ``training.set_seed`` does.
    """
    P = get_profile()
    training.set_seed(P.seed)
    layer = keras.layers.SimpleRNN(5, return_sequences=True)
    X_batch = data.generate_time_series(4, P.n_steps, seed=P.seed)
    expected = np.asarray(layer(X_batch))[0, -1]
    return verdict(y, expected, name="y at the last step, instance 0", rtol=1e-4,
                   atol=1e-5, hint=(
                       "loop over t: y = tanh(W_x.T @ x_t + W_y.T @ y + b), starting from "
                       "y = zeros(5), with x_t = X_batch[0, t]"))


def check_frames_with_gradient(frames) -> bool:
    """Exercise 3: the frames (0 to 5) whose copy of W_y gets a nonzero gradient when
    the cost reads only the output at step 3 of the 6-step unrolled layer."""
    # Frame t's copy acts on y_(t-1): it reaches y_(3) only if t <= 3, and frame 0's
    # copy multiplies y_(-1) = 0.
    given = np.sort(np.asarray(frames, dtype="float64").ravel())
    return verdict(given, np.arange(1, 4), name="frames with gradient", rtol=0, hint=(
        "which copies can change y_(3)? And what does frame 0's copy multiply?"))


def check_multiply_adds(n) -> bool:
    """Exercise 4: multiply-adds of one forecast by ``models.rnn_stack(20, 3)`` on the
    notebook's 50-step inputs."""
    expected = convs.forward_cost(models.rnn_stack(20, 3), get_profile().n_steps)
    return verdict(n, expected.multiply_adds,
                   name="multiply-adds of rnn_stack(20, 3)", rtol=0, hint=(
                       "per step, a layer with n_in inputs and 20 units does n_in*20 + "
                       "20*20; the first layer has n_in = 1, the others 20; all run "
                       "every step; the Dense head runs once"))


def check_seasonal_naive_mse(mse) -> bool:
    """Exercise 5: 24-month MSE of the seasonal naive forecast (repeat the last known
    12 months twice) on notebook 02's monthly series (section 8: trend + season of 12 +
    noise, 120 months)."""
    months, rng = np.arange(120), np.random.default_rng(get_profile().seed)
    monthly = 0.05 * months + np.sin(2 * np.pi * months / 12) + 0.1 * rng.standard_normal(120)
    known, future = monthly[:96], monthly[96:]
    forecast = np.tile(known[-12:], 2)
    return verdict(mse, np.mean((future - forecast) ** 2), name="seasonal naive MSE",
                   rtol=0.01, hint="forecast = np.tile(known[-period:], 2)")

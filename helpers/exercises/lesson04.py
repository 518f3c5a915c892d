"""Checks for notebook 04's exercises (unstable gradients)."""

import keras
import numpy as np

from helpers import checks, data, gradients, training
from helpers.exercises import verdict
from helpers.profile import PROFILE


def check_effective_gain(gain, *, activation: str = "tanh", scale: float = 1.5) -> bool:
    """Exercise 1: the effective gain of ``rnn_with_scale(activation, scale)`` on X_long.

    Compared with the rate at which TensorFlow's gradient actually changes per step over
    the notebook's 200-step batch (within 15 %, as the notebook's own table allows).
    """
    checks.choice("activation", activation, ("tanh", "relu"))
    n_long = 4 * PROFILE.n_steps
    series = data.generate_time_series(64, n_long + 1, seed=PROFILE.seed)
    training.set_seed(PROFILE.seed)
    model = keras.Sequential([
        keras.Input(shape=(None, 1)),
        keras.layers.SimpleRNN(20, activation=activation,
                               recurrent_initializer=keras.initializers.Orthogonal(gain=scale)),
        keras.layers.Dense(1)])
    norm = gradients.input_gradient_norms(model, series[:, :n_long], series[:, n_long])
    per_step = float(np.exp(np.log(norm[0] / norm[-1]) / (n_long - 1)))
    return verdict(gain, per_step, name="effective gain", rtol=0.15,
                   hint="sigma_max(W_y) times the root mean square of the slopes phi'(z)")


def check_ln_cell_params(n, *, units: int = 32, n_inputs: int = 3) -> bool:
    """Exercise 2: parameters of ``LNSimpleRNNCell(units)`` on ``n_inputs`` features."""
    expected = n_inputs * units + units * units + units + 2 * units
    return verdict(n, expected, name="LN cell parameters", rtol=0,
                   hint="W_x, W_y, b, and LayerNormalization's scale and offset")

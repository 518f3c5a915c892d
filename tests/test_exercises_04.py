"""Notebook 04's exercise checks: the right answer passes, a wrong one fails (quick profile)."""

import keras
import numpy as np
import pytest

from helpers import data, training
from helpers.exercises import lesson04, verdict
from helpers.profile import get_profile


def _slopes_rms(activation, scale, P):
    """The effective gain computed independently of the check: slopes from Keras' states."""
    n_long = 4 * P.n_steps
    X = data.generate_time_series(64, n_long + 1, seed=P.seed)[:, :n_long]
    training.set_seed(P.seed)
    layer = keras.layers.SimpleRNN(20, activation=activation, return_sequences=True,
                                   recurrent_initializer=keras.initializers.Orthogonal(gain=scale))
    states = keras.ops.convert_to_numpy(layer(X)).astype("float64")
    slopes = 1 - states[:, 1:] ** 2 if activation == "tanh" else (states[:, 1:] > 0) * 1.0
    return scale * np.sqrt(np.mean(slopes ** 2))


def test_effective_gain():
    P = get_profile()
    gain = _slopes_rms("tanh", 1.5, P)
    assert lesson04.check_effective_gain(gain)
    assert not lesson04.check_effective_gain(1.5)  # the bound's rate, not the typical one
    assert not lesson04.check_effective_gain(0.8)


def test_effective_gain_rejects_bad_activation():
    with pytest.raises(ValueError, match="activation"):
        lesson04.check_effective_gain(1.0, activation="sigmoid")


def test_ln_cell_params():
    assert lesson04.check_ln_cell_params(1216)
    assert not lesson04.check_ln_cell_params(1152)  # without LayerNormalization's 64
    assert lesson04.check_ln_cell_params(20 * 1 + 400 + 20 + 40, units=20, n_inputs=1)


def test_verdict_rejects_bad_arguments():
    with pytest.raises(TypeError, match="name"):
        verdict(1, 1, name="")
    with pytest.raises(ValueError, match="rtol"):
        verdict(1, 1, name="x", rtol=-1)
    assert not verdict("abc", 1, name="x")
    assert not verdict([1, 2], [1, 2, 3], name="x")

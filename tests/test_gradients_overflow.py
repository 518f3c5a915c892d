"""Exploding gradients are measured in float64, and an overflow reads as divergence (inf)."""

import keras
import numpy as np
import pytest

from helpers import data, gradients, training


def _relu_rnn(scale, seed=7, units=20):
    training.set_seed(seed)
    return keras.Sequential([
        keras.Input((None, 1)),
        keras.layers.SimpleRNN(units, activation="relu",
                               recurrent_initializer=keras.initializers.Orthogonal(gain=scale)),
        keras.layers.Dense(1)])


def _batch(n_steps, seed=7):
    series = data.generate_time_series(64, n_steps + 1, seed=seed)
    return series[:, :n_steps], series[:, n_steps]


def test_exploding_gradient_that_overflows_float32_is_finite_in_float64():
    X, y = _batch(200)
    model = _relu_rnn(2.0)
    in_float32 = gradients.input_gradient_norms(model, X, y, dtype="float32")
    in_float64 = gradients.input_gradient_norms(model, X, y)
    assert not np.isnan(in_float32).any() and np.isinf(in_float32).any()  # overflowed
    assert np.all(np.isfinite(in_float64))
    assert in_float64[0] / in_float64[-1] > 1e30  # the explosion, measured
    assert model.weights[0].dtype == "float32"  # the model itself is untouched


def test_overflow_even_in_float64_is_reported_as_inf_never_nan():
    X, y = _batch(400)
    norms = gradients.input_gradient_norms(_relu_rnn(3.0), X, y)
    assert not np.isnan(norms).any() and np.isinf(norms[0])


def test_in_float64_keeps_the_weights_and_the_predictions():
    X, _ = _batch(30)
    model = _relu_rnn(1.0)
    copy = gradients.in_float64(model)
    assert all(w.dtype == "float64" for w in copy.weights)
    assert all(np.array_equal(a.astype(np.float64), b)
               for a, b in zip(model.get_weights(), copy.get_weights()))
    np.testing.assert_allclose(copy(X.astype(np.float64)).numpy(), model(X).numpy(),
                               rtol=1e-4, atol=1e-5)
    assert gradients.in_float64(copy) is copy
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        gradients.in_float64("rnn")
    with pytest.raises(ValueError, match="dtype must be"):
        gradients.input_gradient_norms(model, X, X[:, -1], dtype="float16")


def test_norms_do_not_overflow_when_squaring_and_mark_non_finite_values():
    assert gradients.global_norm([np.array([3e200]), np.array([4e200])]) == \
        pytest.approx(5e200)
    assert gradients.global_norm([np.array([1.0, np.nan])]) == np.inf
    assert gradients.global_norm([np.zeros(3)]) == 0.0

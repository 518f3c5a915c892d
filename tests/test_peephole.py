"""The peephole LSTM cell that notebook 05 teaches (in helpers.taught, from its cell)."""

import keras
import numpy as np
import pytest

from helpers import data, training
from helpers.taught import PeepholeLSTMCell

UNITS = 6


@pytest.fixture
def X():
    return data.generate_time_series(4, 15, seed=0)


def test_shapes_state_and_weights(X):
    training.set_seed(0)
    cell = PeepholeLSTMCell(UNITS)
    assert cell.state_size == [UNITS, UNITS]
    layer = keras.layers.RNN(cell, return_sequences=True, return_state=True)
    outputs, h, c = (keras.ops.convert_to_numpy(a) for a in layer(X))
    assert outputs.shape == (4, 15, UNITS)
    assert h.shape == c.shape == (4, UNITS)
    np.testing.assert_allclose(outputs[:, -1], h)  # the output is the short-term state
    assert not np.allclose(h, c)  # the long-term state is a separate state
    shapes = {w.name: tuple(w.shape) for w in cell.weights}
    assert shapes == {"kernel": (1, 4 * UNITS), "recurrent_kernel": (UNITS, 4 * UNITS),
                      "bias": (4 * UNITS,), "peephole_i": (UNITS,), "peephole_f": (UNITS,),
                      "peephole_o": (UNITS,)}
    bias = cell.bias.numpy().reshape(4, UNITS)
    np.testing.assert_array_equal(bias, [[0] * UNITS, [1] * UNITS, [0] * UNITS, [0] * UNITS])


def test_zero_peepholes_reproduce_a_plain_lstm_cell(X):
    training.set_seed(1)
    plain = keras.layers.RNN(keras.layers.LSTMCell(UNITS), return_sequences=True)
    expected = keras.ops.convert_to_numpy(plain(X))
    kernel, recurrent_kernel, bias = plain.get_weights()
    bias = bias + np.random.default_rng(0).normal(0, 0.5, bias.shape).astype("float32")
    plain.set_weights([kernel, recurrent_kernel, bias])
    expected = keras.ops.convert_to_numpy(plain(X))
    peephole = keras.layers.RNN(PeepholeLSTMCell(UNITS), return_sequences=True)
    peephole.build(X.shape)
    zeros = [np.zeros(UNITS, "float32")] * 3
    peephole.set_weights([kernel, recurrent_kernel, bias] + zeros)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(peephole(X)), expected, atol=1e-6)
    # and each peephole, once nonzero, changes the outputs
    for j in range(3):
        peeks = list(zeros)
        peeks[j] = np.full(UNITS, 2.0, "float32")
        peephole.set_weights([kernel, recurrent_kernel, bias] + peeks)
        assert np.abs(keras.ops.convert_to_numpy(peephole(X)) - expected).max() > 1e-3


def test_peepholes_match_the_equations(X):
    """One step computed by hand: c(t-1) into the i and f gates, c(t) into the o gate."""
    training.set_seed(2)
    cell = PeepholeLSTMCell(UNITS)
    cell.build((None, 1))
    rng = np.random.default_rng(1)
    weights = [rng.normal(0, 0.5, w.shape).astype("float32") for w in cell.get_weights()]
    cell.set_weights(weights)
    kernel, recurrent_kernel, bias, p_i, p_f, p_o = weights
    x = X[:, 0]
    h_prev = rng.normal(0, 0.5, (4, UNITS)).astype("float32")
    c_prev = rng.normal(0, 0.5, (4, UNITS)).astype("float32")
    h, (h_state, c) = cell(x, [h_prev, c_prev])
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z_i, z_f, z_g, z_o = np.split(x @ kernel + h_prev @ recurrent_kernel + bias, 4, axis=1)
    c_expected = sigmoid(z_f + p_f * c_prev) * c_prev + sigmoid(z_i + p_i * c_prev) * np.tanh(z_g)
    h_expected = sigmoid(z_o + p_o * c_expected) * np.tanh(c_expected)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(c), c_expected, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(h), h_expected, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(h_state), h_expected, atol=1e-5)


def test_config_and_keras_file_round_trip(X, tmp_path):
    cell = PeepholeLSTMCell(UNITS, name="peek")
    config = cell.get_config()
    assert config["units"] == UNITS and config["name"] == "peek"
    assert PeepholeLSTMCell.from_config(config).units == UNITS
    assert keras.saving.get_registered_name(PeepholeLSTMCell) == "course>PeepholeLSTMCell"

    training.set_seed(3)
    model = keras.Sequential([
        keras.Input(shape=(None, 1)),
        keras.layers.RNN(PeepholeLSTMCell(UNITS), return_sequences=True),
        keras.layers.Dense(2),
    ])
    layer = model.layers[0]
    rng = np.random.default_rng(2)
    layer.set_weights([rng.normal(0, 0.3, w.shape).astype("float32")
                       for w in layer.get_weights()])
    model.compile(loss="mse", optimizer="adam")
    model.fit(X, np.zeros((4, 15, 2), "float32"), epochs=1, verbose=0)
    expected = model.predict(X, verbose=0)
    path = tmp_path / "peephole.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded.layers[0].cell).__name__ == "PeepholeLSTMCell"
    np.testing.assert_allclose(loaded.predict(X, verbose=0), expected, atol=1e-6)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)

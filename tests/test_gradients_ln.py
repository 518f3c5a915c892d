import keras
import numpy as np
import pytest

from helpers import data, device, gradients, training, widgets
from helpers.taught import LNSimpleRNNCell


def _rnn(scale, activation="tanh"):
    training.set_seed(0)
    return keras.Sequential([
        keras.Input((None, 1)),
        keras.layers.SimpleRNN(8, activation=activation,
                               recurrent_initializer=keras.initializers.Orthogonal(gain=scale)),
        keras.layers.Dense(1)])


def _batch(n_steps=60):
    series = data.generate_time_series(16, n_steps + 1, seed=0)
    return series[:, :n_steps], series[:, n_steps]


def test_input_gradient_norms_shape_and_vanishing_vs_exploding():
    X, y = _batch()
    small = gradients.input_gradient_norms(_rnn(0.5), X, y)
    large = gradients.input_gradient_norms(_rnn(2.5), X, y)
    assert small.shape == (60,) and np.all(small >= 0)
    assert small[0] < 1e-6 * small[-1]
    assert large[0] > 1e3 * large[-1]


def test_input_gradient_norms_rejects_bad_input():
    X, y = _batch()
    with pytest.raises(ValueError, match="X must have 3 dimensions"):
        gradients.input_gradient_norms(_rnn(1.0), X[:, :, 0], y)
    with pytest.raises(ValueError, match="one row per series"):
        gradients.input_gradient_norms(_rnn(1.0), X, y[:3])
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        gradients.input_gradient_norms("rnn", X, y)


def test_parameter_gradients_and_global_norm():
    X, y = _batch()
    model = _rnn(1.0)
    grads = gradients.parameter_gradients(model, X, y)
    assert [g.shape for g in grads] == [tuple(v.shape) for v in model.trainable_variables]
    assert gradients.global_norm(grads) == pytest.approx(
        np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads)))
    assert gradients.global_norm([np.array([3.0]), np.array([4.0])]) == 5.0


def test_gradient_norm_logger_records_each_layer_and_writes_tensorboard(tmp_path):
    splits = data.load("one_step")
    logger = gradients.GradientNormLogger(splits.X_valid[:32], splits.y_valid[:32],
                                          log_dir=tmp_path)
    model = _rnn(1.0)
    training.train(model, splits.X_train[:64], splits.y_train[:64], splits.X_valid[:32],
                   splits.y_valid[:32], name="g", notebook="t", epochs=2, progress=False,
                   record=False, callbacks=[logger])
    assert set(logger.norms) == {layer.name for layer in model.layers}
    assert all(len(v) == 2 and all(x > 0 for x in v) for v in logger.norms.values())
    assert list(tmp_path.glob("events.out.tfevents.*"))


def test_ln_cell_step_shapes_state_and_normalization():
    training.set_seed(0)
    cell = LNSimpleRNNCell(6)
    x = np.ones((3, 2), dtype="float32")
    state = [np.random.default_rng(0).normal(size=(3, 6)).astype("float32")]
    out, new_state = cell(x, state)
    assert out.shape == (3, 6) and len(new_state) == 1
    np.testing.assert_allclose(new_state[0], out)
    assert np.abs(np.asarray(out)).max() <= 1.0  # tanh after normalization
    assert cell.get_initial_state(batch_size=5)[0].shape == (5, 6)
    assert cell.count_params() == (2 * 6 + 6 * 6 + 6) + 2 * 6


def test_ln_cell_trains_saves_and_reloads(tmp_path):
    splits = data.load("sequence")
    training.set_seed(0)
    model = keras.Sequential([keras.Input((None, 1)),
                              keras.layers.RNN(LNSimpleRNNCell(5), return_sequences=True),
                              keras.layers.Dense(10)])
    result = training.train(model, splits.X_train[:64], splits.y_train[:64],
                            splits.X_valid[:32], splits.y_valid[:32], name="ln",
                            notebook="t", epochs=1, progress=False, record=False)
    assert np.isfinite(result.value)
    path = tmp_path / "ln.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    np.testing.assert_array_equal(reloaded.predict(splits.X_valid[:4], verbose=0),
                                  model.predict(splits.X_valid[:4], verbose=0))
    config = reloaded.layers[0].cell.get_config()
    assert config["units"] == 5 and config["activation"] == "tanh"


def test_cudnn_conditions():
    lstm = keras.layers.LSTM(4)
    assert all(device.cudnn_conditions(lstm).values())
    assert not device.cudnn_conditions(keras.layers.LSTM(4, recurrent_dropout=0.1))[
        "recurrent_dropout == 0"]
    assert not device.cudnn_conditions(keras.layers.GRU(4, reset_after=False))[
        "reset_after is True"]
    assert device.cudnn_conditions(keras.layers.SimpleRNN(4)) == {
        "is an LSTM or GRU layer": False}
    with pytest.raises(TypeError, match="layer must be a Keras layer"):
        device.cudnn_conditions("lstm")
    model = keras.Sequential([keras.Input((None, 1)), keras.layers.GRU(3, name="g")])
    assert device.kernel_report(model).startswith("g ") and "cuDNN" in device.kernel_report(model)


def test_checkbox():
    assert widgets.checkbox("clip").value is False
    with pytest.raises(TypeError, match="value must be a bool"):
        widgets.checkbox("clip", 1)

import keras
import numpy as np
import pytest

from helpers import data, notebook_code, training


def test_load_runs_only_the_definition_from_notebook_02():
    recurrent_layer, stacked = notebook_code.load(
        "02_simple_and_deep_rnns", "recurrent_layer", "recurrent_layer_stacked")
    training.set_seed(1)
    layer = keras.layers.SimpleRNN(3, return_sequences=True)
    X = data.generate_time_series(2, 12, seed=1)
    expected = layer(X).numpy()
    W_x, W_y, b = layer.get_weights()
    np.testing.assert_allclose(recurrent_layer(X, W_x, W_y, b), expected, atol=1e-5)
    np.testing.assert_allclose(stacked(X, np.vstack([W_x, W_y]), b), expected, atol=1e-5)


def test_load_reports_unknown_names_and_notebooks():
    with pytest.raises(ValueError, match="defines no top-level function or class"):
        notebook_code.load("02_simple_and_deep_rnns", "no_such_thing")
    with pytest.raises(ValueError, match="notebook must be one of"):
        notebook_code.load("99_nothing", "x")
    with pytest.raises(ValueError, match="at least one"):
        notebook_code.load("02_simple_and_deep_rnns")

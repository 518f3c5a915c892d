"""Notebook 07's WaveNet pieces (in helpers.taught, from its cells)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers import training
from helpers.taught import GatedResidualBlock, full_wavenet, gated_activation, simple_wavenet


def test_gate_is_one_tanh_times_one_sigmoid():
    z = np.random.default_rng(0).normal(0, 2, size=(3, 7, 8)).astype("float32")
    gate = keras.ops.convert_to_numpy(gated_activation(z))
    expected = np.tanh(z[..., :4]) * (1 / (1 + np.exp(-z[..., 4:])))
    np.testing.assert_allclose(gate, expected, atol=1e-6)
    assert gate.shape == (3, 7, 4)
    # squashing twice (a tanh activation in the convolution, then the gate's tanh) differs
    assert not np.allclose(keras.ops.convert_to_numpy(gated_activation(np.tanh(z))), gate,
                           atol=1e-3)


def test_block_shapes_residual_and_causality():
    training.set_seed(0)
    block = GatedResidualBlock(5, dilation_rate=4)
    x = tf.random.normal((2, 30, 5), seed=1)
    residual, skip = block(x)
    assert residual.shape == skip.shape == (2, 30, 5)
    np.testing.assert_allclose(residual.numpy(), x.numpy() + skip.numpy(), atol=1e-6)
    assert {w.name for w in block.weights} >= {"kernel", "bias"}
    assert block.count_params() == (2 * 5 * 10 + 10) + (5 * 5 + 5)
    # output t never depends on inputs after t
    changed = x.numpy().copy()
    changed[:, 20:] += 1.0
    new_residual, _ = block(changed)
    np.testing.assert_allclose(new_residual.numpy()[:, :20], residual.numpy()[:, :20],
                               atol=1e-6)
    assert np.abs(new_residual.numpy()[:, 20:] - residual.numpy()[:, 20:]).max() > 1e-3


@pytest.mark.parametrize("build", [full_wavenet, simple_wavenet])
def test_models_are_causal_regressors_that_save_and_load(build, tmp_path):
    training.set_seed(0)
    model = build(3, rates=(1, 2), filters=6)
    x = np.random.default_rng(2).normal(size=(4, 12, 1)).astype("float32")
    out = model.predict(x, verbose=0)
    assert out.shape == (4, 12, 3)
    assert out.min() < 0  # a linear head: no softmax, no ReLU on the forecast
    assert model.layers[-1].get_config()["activation"] == "linear"
    path = tmp_path / "wavenet.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), out, atol=1e-6)

"""Receptive field and size of dilated causal Conv1D stacks, checked against Keras."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers import convs, diagrams


def test_doubling_rates():
    assert convs.doubling_rates(4) == (1, 2, 4, 8)
    assert convs.doubling_rates(3, repeats=2) == (1, 2, 4, 1, 2, 4)


@pytest.mark.parametrize("kernel_size, rates, field", [
    (2, (1,), 2), (2, (1, 2, 4, 8), 16), (2, convs.doubling_rates(10), 1024),
    (3, (1, 2), 7), (4, (1,), 4), (2, (1, 2, 4, 8) * 2, 31),
])
def test_receptive_field(kernel_size, rates, field):
    assert convs.receptive_field(kernel_size, rates) == field
    last = 40
    steps = convs.input_steps(kernel_size, rates, last)
    assert steps == list(range(max(0, last - field + 1), last + 1))


@pytest.mark.parametrize("kernel_size, rates", [(2, (1, 2, 4)), (3, (1, 3))])
def test_formulas_match_a_keras_stack(kernel_size, rates):
    filters, n_steps = 5, 30
    model = keras.Sequential([keras.Input(shape=(n_steps, 1))] + [
        keras.layers.Conv1D(filters, kernel_size, padding="causal", dilation_rate=d)
        for d in rates])
    assert model.count_params() == convs.stack_params(kernel_size, rates, filters)
    x = tf.constant(np.random.default_rng(0).normal(size=(1, n_steps, 1)), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.reduce_sum(model(x)[:, -1])
    seen = np.flatnonzero(tape.gradient(out, x).numpy()[0, :, 0]).tolist()
    assert seen == convs.input_steps(kernel_size, rates, n_steps - 1)


def test_conv_params():
    assert convs.conv_params(2, 1, 20) == 60
    assert convs.conv_params(1024, 20, 20) == 409_620
    assert convs.stack_params(2, (1, 2, 4, 8), 20) == 60 + 3 * 820


@pytest.mark.parametrize("call, error", [
    (lambda: convs.receptive_field(0, (1,)), ValueError),
    (lambda: convs.receptive_field(2, ()), ValueError),
    (lambda: convs.receptive_field(2, "124"), TypeError),
    (lambda: convs.receptive_field(2, (1, 0)), ValueError),
    (lambda: convs.stack_params(2, (1,), 0), ValueError),
    (lambda: convs.input_steps(2, (1,), -1), ValueError),
    (lambda: convs.doubling_rates(0), ValueError),
])
def test_bad_arguments(call, error):
    with pytest.raises(error):
        call()


def test_dilated_stack_diagram():
    import matplotlib.pyplot as plt

    ax = diagrams.dilated_stack((1, 2, 4), 2)
    assert "sees 8 steps" in ax.get_title()
    plt.close(ax.figure)

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


def _seq2seq(front=(), length=50, cell=keras.layers.GRU):
    return keras.Sequential([keras.Input(shape=(length, 1)), *front,
                             cell(20, return_sequences=True), cell(20, return_sequences=True),
                             keras.layers.TimeDistributed(keras.layers.Dense(10))])


def test_forward_cost_of_a_gru_model():
    # per step: GRU 1 -> 20 (kernel 1x60, recurrent 20x60), GRU 20 -> 20 (20x60, 20x60),
    # Dense 20 -> 10 at every step; 50 steps in each GRU layer, one after the other
    cost = convs.forward_cost(_seq2seq(), 50)
    assert cost == convs.Cost(50 * (60 + 1200) + 50 * (1200 + 1200) + 50 * 200, 50 + 50 + 1)


def test_forward_cost_counts_a_conv_front_and_shorter_sequences():
    front = [keras.layers.Conv1D(20, kernel_size=4, strides=2, padding="valid")]
    cost = convs.forward_cost(_seq2seq(front), 50)  # 24 steps after the convolution
    assert cost == convs.Cost(24 * 4 * 20 + 24 * (20 * 60 + 1200) + 24 * 2400 + 24 * 200,
                              1 + 24 + 24 + 1)
    lstm = convs.forward_cost(_seq2seq(cell=keras.layers.LSTM), 50)
    assert lstm.multiply_adds == 50 * (80 + 1600) + 50 * 3200 + 50 * 200


def test_forward_cost_of_a_causal_stack_does_not_grow_in_depth_with_length():
    stack = keras.Sequential([keras.Input(shape=(None, 1))] + [
        keras.layers.Conv1D(20, 2, padding="causal", dilation_rate=d) for d in (1, 2, 4)]
        + [keras.layers.Conv1D(10, 1)])
    for n in (50, 1000):
        assert convs.forward_cost(stack, n) == convs.Cost(
            n * (2 * 20 + 2 * 2 * 20 * 20 + 20 * 10), 4)


def test_forward_cost_of_flatten_dense_and_last_state():
    linear = keras.Sequential([keras.Input(shape=(50, 1)), keras.layers.Flatten(),
                               keras.layers.Dense(1)])
    assert convs.forward_cost(linear, 50) == convs.Cost(50, 1)
    rnn = keras.Sequential([keras.Input(shape=(50, 1)), keras.layers.SimpleRNN(5),
                            keras.layers.Dense(1)])
    assert convs.forward_cost(rnn, 50) == convs.Cost(50 * (5 + 25) + 5, 51)


def test_forward_cost_rejects_branches_and_bad_lengths():
    inputs = keras.Input(shape=(None, 1))
    a, b = keras.layers.Dense(3)(inputs), keras.layers.Dense(3)(inputs)
    model = keras.Model(inputs, keras.layers.Add()([a, b]))
    with pytest.raises(ValueError, match="chains"):
        convs.forward_cost(model, 10)
    with pytest.raises(ValueError, match="n_steps"):
        convs.forward_cost(_seq2seq(), 0)
    with pytest.raises(ValueError, match="n_steps"):
        convs.forward_cost(_seq2seq(), 10**9)

# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# <!-- nav -->
#
# [← 06 · The GRU cell, a convolutional front end, and how far back cells remember](06_gru_conv1d_and_memory.ipynb) · [index](00_index.ipynb) · [08 · A real series: half-hourly electricity demand →](08_real_series.ipynb)

# %% [markdown]
# # 07 · WaveNet: dilated causal convolutions instead of recurrence
#
# Notebook 06 put a `Conv1D` layer in front of two GRUs and halved the sequence they had
# to run through. WaveNet (van den Oord et al., 2016) goes all the way: no recurrent layer
# at all, only stacked 1D convolutions whose **dilation** doubles from one layer to the
# next. This notebook builds it, counts what it buys on long sequences, and puts it on
# notebook 06's memory task.
#
# **What you will learn**
#
# - what dilated **causal** convolutions are, how far back a stack of them sees (its
#   receptive field) and what it costs in parameters, checked against Keras;
# - the simplified WaveNet of the book and the full one, with gated activation units,
#   residual and skip connections, and a linear output for regression;
# - what a GRU and a WaveNet must compute one step after another on long sequences;
# - how far back a WaveNet remembers on notebook 06's memory task, and where its answer
#   looks compared with the recurrent cells'.

# %% [markdown]
# ## Setup

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import ops

from helpers import convs, data, diagrams, metrics, plots, results, training, widgets
from helpers.datasets import memory

P = helpers.setup()

# %% [markdown]
# The task is notebooks 05 and 06's: 50 steps in, the next 10 values out at every step, judged
# on the last step's forecast.

# %%
X_train, Y_train, X_valid, Y_valid, X_test, Y_test = data.load("sequence")
print("inputs", X_train.shape, " targets", Y_train.shape)

# %% [markdown]
# ## 1. Dilated causal convolutions
#
# A `Conv1D` layer with `padding="causal"` pads its input with zeros **on the left
# only**, so its output at step $t$ is computed from inputs at steps $t$ and before,
# never after, and the output is as long as the input. That is what a forecaster needs:
# trained on full-length targets, each step's output may only use the past.
#
# With a **dilation rate** $d$, the kernel's taps are $d$ steps apart: a kernel of size
# 2 with $d = 4$ reads steps $t - 4$ and $t$. WaveNet stacks such layers with $d = 1, 2,
# 4, 8, \dots$: the first layer combines neighbouring steps, the second pairs of pairs,
# and so on, so each layer doubles how far back the top output sees. Here are the
# connections that feed the last output of a four-layer stack (in color), and the
# input steps they reach, the stack's **receptive field**:

# %%
ax = diagrams.dilated_stack((1, 2, 4, 8), kernel_size=2, n_steps=24)

# %% [markdown]
# Each layer with kernel size $k$ and rate $d$ adds $(k - 1)\,d$ steps to what the top
# sees, so a stack's receptive field is $1 + (k - 1)\sum_i d_i$. With $k = 2$ and rates
# $1, 2, \dots, 2^{n-1}$ that is $2^n$: ten layers see 1,024 steps. A single
# convolution that sees as far needs a kernel of 1,024 taps. The functions of
# `helpers.convs` compute both; we count for 20 filters per layer, first on our
# one-channel input, then between two layers of 20 channels, where the difference
# shows:

# %%
print(f"{'layers':>6} {'receptive field':>16} {'stack params':>13} "
      f"{'one conv, 1 -> 20':>18} {'one conv, 20 -> 20':>19}")
for n_layers in range(1, 11):
    rates = convs.doubling_rates(n_layers)
    field = convs.receptive_field(2, rates)
    print(f"{n_layers:>6} {field:>16,} {convs.stack_params(2, rates, 20):>13,} "
          f"{convs.conv_params(field, 1, 20):>18,} {convs.conv_params(field, 20, 20):>19,}")

# %% tags=["nbval-check-output"]
ten = convs.doubling_rates(10)
stack_20 = convs.stack_params(2, ten, 20, n_inputs=20)
single_20 = convs.conv_params(1024, 20, 20)
print("10 layers, kernel 2: receptive field", convs.receptive_field(2, ten))
print(f"20 -> 20 channels: stack {stack_20:,} parameters, one kernel of 1,024: "
      f"{single_20:,} ({single_20 / stack_20:.0f} times more)")
assert convs.receptive_field(2, ten) == 1024
assert single_20 > 40 * stack_20

# %% [markdown]
# The weights of a convolution (its biases aside) are also the multiply-adds it spends
# per output step, so the stack is about 50 times cheaper to run as well. The formulas are claims about
# Keras layers; we check them on a real ten-layer stack: its parameter count, and the
# input steps its last output depends on, found with a gradient (nonzero exactly where
# an input step matters).

# %%
def causal_stack(rates, filters=20, kernel_size=2, n_inputs=1, padding="causal"):
    """Stacked Conv1D layers with the given dilation rates, on sequences of any length."""
    return keras.Sequential(
        [keras.Input(shape=(None, n_inputs))]
        + [keras.layers.Conv1D(filters, kernel_size, padding=padding, dilation_rate=rate)
           for rate in rates])


def steps_seen(model, n_steps, output_step=-1):
    """Input steps whose change moves the model's output at output_step (by gradient)."""
    probe = tf.random.normal((1, n_steps, model.input_shape[-1]), seed=P.seed)
    with tf.GradientTape() as tape:
        tape.watch(probe)
        out = tf.reduce_sum(model(probe)[:, output_step])
    return np.flatnonzero(np.abs(tape.gradient(out, probe).numpy()[0]).sum(axis=-1))


training.set_seed(P.seed)
stack = causal_stack(ten)
seen = steps_seen(stack, 1500)

# %% tags=["nbval-check-output"]
print("Keras parameters:", f"{stack.count_params():,}",
      " formula:", f"{convs.stack_params(2, ten, 20):,}")
print(f"the last output (step 1499) depends on steps {seen.min()} to {seen.max()}: "
      f"{len(seen)} steps, all of them:", np.array_equal(seen, np.arange(476, 1500)))
assert np.array_equal(seen, np.arange(476, 1500))
assert stack.count_params() == convs.stack_params(2, ten, 20)
assert len(seen) == 1024

# %% [markdown]
# ### Causal padding never looks ahead
#
# The same gradient test, run for every output step of a short sequence, shows what
# causal padding promises: output $t$ depends on inputs $0..t$ and on nothing later.
# With `padding="same"`, Keras pads on both sides, and the outputs read the future:

# %%
def peeks_ahead(model, n_steps=40):
    """For each output step t, whether any input after t changes it."""
    return np.array([steps_seen(model, n_steps, t).max() > t for t in range(n_steps)])


training.set_seed(P.seed)
causal = causal_stack((1, 2, 4, 8))
training.set_seed(P.seed)
same = causal_stack((1, 2, 4, 8), padding="same")

# %% tags=["nbval-check-output"]
print("causal: outputs that depend on a later input:", peeks_ahead(causal).sum(), "of 40")
print("same:   outputs that depend on a later input:", peeks_ahead(same).sum(), "of 40")
assert not peeks_ahead(causal).any()

# %% [markdown]
# A model with `padding="same"` would score beautifully in training, using the very
# values it is asked to forecast, and fail the moment it is used for real.
#
# ## 2. The simplified WaveNet
#
# The book's model: two runs of four layers with rates 1, 2, 4, 8 (a receptive field of
# 31 steps), 20 filters each with ReLU, and a `Conv1D(10, kernel_size=1)` on top, which
# is a `Dense(10)` applied at every step. The input shape is `[None, 1]`: a
# convolutional model runs on sequences of any length. It is trained on full-length
# targets, like notebook 06's models, with the same recipe (Adam, learning rate 0.01,
# the book's 20 epochs, 6 in the quick profile).

# %% tags=["taught"]
def simple_wavenet(n_outputs, rates=(1, 2, 4, 8) * 2, filters=20, n_inputs=1):
    """The book's simplified WaveNet: causal ReLU convolutions, then Conv1D(n_outputs, 1)."""
    model = keras.Sequential([keras.Input(shape=(None, n_inputs))])
    for rate in rates:
        model.add(keras.layers.Conv1D(filters, kernel_size=2, padding="causal",
                                      activation="relu", dilation_rate=rate))
    model.add(keras.layers.Conv1D(n_outputs, kernel_size=1))
    return model


# %%
def train_forecaster(model, name, label):
    """Notebooks 05 and 06's recipe, recorded under this notebook."""
    return training.train(model, X_train, Y_train, X_valid, Y_valid, name=name,
                          notebook="07", label=label, learning_rate=0.01,
                          epochs=P.heavy_epochs, metrics=[metrics.last_time_step_mse],
                          monitor="val_last_time_step_mse")


training.set_seed(P.seed)
wavenet_model = simple_wavenet(P.ahead)
print("receptive field:", convs.receptive_field(2, (1, 2, 4, 8) * 2), "steps; parameters:",
      wavenet_model.count_params())
wavenet = train_forecaster(wavenet_model, "wavenet", "Simplified WaveNet (rates 1-8 x 2)")
wavenet

# %%
gru_mse, conv_gru_mse = results.value("gru"), results.value("conv1d_gru")  # notebook 06
print(f"last-step MSE: WaveNet {wavenet.value:.4f}, GRU {gru_mse:.4f}, "
      f"Conv1D + GRU {conv_gru_mse:.4f}")
assert wavenet.value < 1.5 * results.value("seq2seq_10")  # on par with notebook 03's RNN
if P.name == "full":
    assert wavenet.value <= 0.0085
    assert wavenet.value > max(gru_mse, conv_gru_mse)  # behind the gated RNNs

# %% [markdown]
# The simplified WaveNet has no recurrent layer at all, and it forecasts in the same
# range as notebook 03's `SimpleRNN` sequence-to-sequence model (asserted: less than 1.5
# times its error) while seeing only the last 31 steps. It is not in the range of
# notebook 06's gated recurrent models: the cell above prints their last-step MSE, lower
# than the WaveNet's (asserted in the full profile).
#
# ## 3. The full WaveNet
#
# The paper's network adds three things to the plain stack.
#
# - **Gated activation units.** Each dilated convolution produces $2f$ channels instead
#   of $f$; one half goes through tanh, the other through the logistic function, and
#   their product is the layer's output:
#   $\mathbf{z} = \tanh(\mathbf{W}_{f} * \mathbf{x}) \otimes
#   \sigma(\mathbf{W}_{g} * \mathbf{x})$. The sigmoid half is a gate, like the gates of
#   an LSTM or a GRU, deciding how much of the tanh half passes. Each half is squashed
#   **once**, from the convolution's linear output: a convolution that already applies
#   tanh (`activation="tanh"`) followed by another tanh in the gate squashes twice, a
#   mistake easy to make and hard to notice, since the network still trains.
# - **Residual connections.** A $1 \times 1$ convolution maps $\mathbf{z}$ back to $f$
#   channels and the block adds its input to it, so each block learns a correction to
#   what it received, and gradients reach the lower blocks through the additions.
# - **Skip connections.** Every block also sends its $1 \times 1$ output straight to the
#   top, where they are summed and go through two more $1 \times 1$ layers.
#
# One block, with its two outputs (the paper's figure 4):

# %%
diagrams.wavenet_block();

# %% [markdown]
# WaveNet generated audio, one of 256 amplitude levels per step, so its last layer was a
# softmax. We forecast real numbers: our last layer is **linear**, as a regression
# needs. A softmax here would force the 10 outputs to be positive and sum to 1.

# %% tags=["taught"]
def gated_activation(z):
    """WaveNet's gate: tanh of the first half of the channels times sigmoid of the second."""
    filter_half, gate_half = ops.split(z, 2, axis=-1)
    return ops.tanh(filter_half) * ops.sigmoid(gate_half)


@keras.saving.register_keras_serializable(package="course")
class GatedResidualBlock(keras.layers.Layer):
    """Dilated causal conv (2f channels), gated activation, 1x1 conv: residual and skip."""

    def __init__(self, filters, dilation_rate, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.dilation_rate = filters, dilation_rate
        self.dilated = keras.layers.Conv1D(2 * filters, kernel_size=2, padding="causal",
                                           dilation_rate=dilation_rate)
        self.mix = keras.layers.Conv1D(filters, kernel_size=1)

    def build(self, input_shape):
        self.dilated.build(input_shape)
        self.mix.build((*input_shape[:-1], self.filters))

    def call(self, inputs):
        skip = self.mix(gated_activation(self.dilated(inputs)))
        return inputs + skip, skip

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "dilation_rate": self.dilation_rate}


def full_wavenet(n_outputs, rates=(1, 2, 4, 8) * 2, filters=20, n_inputs=1):
    """WaveNet for regression: gated residual blocks, summed skips, a linear head."""
    inputs = keras.Input(shape=(None, n_inputs))
    z = keras.layers.Conv1D(filters, kernel_size=2, padding="causal")(inputs)
    skips = []
    for rate in rates:
        z, skip = GatedResidualBlock(filters, rate)(z)
        skips.append(skip)
    z = keras.layers.Activation("relu")(keras.layers.Add()(skips))
    z = keras.layers.Conv1D(filters, kernel_size=1, activation="relu")(z)
    outputs = keras.layers.Conv1D(n_outputs, kernel_size=1)(z)  # linear: a regression
    return keras.Model(inputs, outputs)


# %% [markdown]
# Before training, the gate and the block checked: the gate against its formula in
# NumPy, the block's causality with the gradient test of section 1, and its residual
# output against its input plus its skip output.

# %%
z = np.random.default_rng(P.seed).normal(size=(2, 5, 6)).astype("float32")
gate_numpy = np.tanh(z[..., :3]) / (1 + np.exp(-z[..., 3:]))
training.set_seed(P.seed)
block = GatedResidualBlock(4, dilation_rate=2)
block_in = tf.random.normal((1, 30, 4), seed=P.seed)
residual, skip = block(block_in)
block_input = keras.Input(shape=(None, 4))
probe_model = keras.Model(block_input, block(block_input)[0])  # the block's residual output

# %% tags=["nbval-check-output"]
print("gate = tanh(first half) * sigmoid(second half):",
      np.allclose(ops.convert_to_numpy(gated_activation(z)), gate_numpy, atol=1e-6))
print("block output = input + skip:", np.allclose(ops.convert_to_numpy(residual),
                                                  block_in.numpy() + skip.numpy()))
print("block outputs that read a later input:", peeks_ahead(probe_model).sum(), "of 40")
assert np.allclose(ops.convert_to_numpy(gated_activation(z)), gate_numpy, atol=1e-6)
assert not peeks_ahead(probe_model).any()

# %%
training.set_seed(P.seed)
full_wavenet_model = full_wavenet(P.ahead)
print("parameters:", f"{full_wavenet_model.count_params():,}")
full = train_forecaster(full_wavenet_model, "full_wavenet",
                        "Full WaveNet (gated, residual + skip, rates 1-8 x 2)")
full

# %%
ax = plots.plot_learning_curves(wavenet.history, label="simplified WaveNet",
                                metric="last_time_step_mse", color=plots.PALETTE[0])
plots.plot_learning_curves(full.history, label="full WaveNet", ax=ax,
                           metric="last_time_step_mse", color=plots.PALETTE[1])
ax.axhline(gru_mse, color=plots.FLOOR_COLOR, ls=":", label="GRU (notebook 06)")
ax.set(ylabel="last-step MSE", yscale="log",
       title="validation (solid) and training (dashed) last-step MSE")
ax.legend(ncols=2);

# %%
print(f"last-step MSE: simplified {wavenet.value:.4f} ({wavenet.params:,} parameters, "
      f"{wavenet.seconds:.0f} s), full {full.value:.4f} ({full.params:,} parameters, "
      f"{full.seconds:.0f} s); GRU (notebook 06) {gru_mse:.4f}")
assert full.value < wavenet.value  # the gates, residuals and skips pay off
ahead = np.less(full.history["val_last_time_step_mse"],
                wavenet.history["val_last_time_step_mse"])
print(f"the full WaveNet's validation error is lower after {ahead.sum()} of "
      f"{ahead.size} epochs")
if P.name == "full":  # six quick epochs are too few to say
    assert ahead.mean() > 0.5  # ahead for most of the training, not only at the end

# %% [markdown]
# With the same dilation rates, the full WaveNet ends with a lower error than the
# simplified one, for about three times the parameters. In the full profile the
# learning curves show that this is not only the luck of the last epoch: the full model
# is ahead for most of the training (asserted; the cell above counts the epochs). It
# still trails notebook 06's GRU (printed above), by a gap that depends on the seed
# (`results/SEEDS.md`). Over the last epochs its validation error stops falling while
# its training error goes on down: it starts to overfit.
#
# ## 4. Long sequences: where convolutions pay off
#
# A recurrent layer must run its steps one after the other: step $t$ needs the state of
# step $t - 1$. A convolutional layer computes all steps at once, as one large matrix
# product. We compare a GRU model like notebook 06's with the simplified WaveNet on
# series of 50, 250 and 1,000 steps (in the quick profile, 50 and 250), generated at the
# same pace as our usual series (`time_step=1/59`, so longer series simply go on), each
# with its 10-value targets at every step. Each model gets the **same number of
# training steps** at every length, and we record what does not depend on the machine
# (`convs.forward_cost`: multiply-adds per series, and operations that must run one
# after another), the last-step MSE reached, and, for you to compare on your own
# hardware, the time of each training step. XLA is off here: it would compile a new
# program for every length. The GRU model's output layer is written `Dense(10)`, the
# same layer as `TimeDistributed(Dense(10))` (notebook 03), as one operation over all
# steps.

# %%
LENGTHS = (50, 250, 1000) if P.name == "full" else (50, 250)
TRAIN_STEPS = 30 if P.name == "full" else 15  # optimizer steps per model and length


class StepTimes(keras.callbacks.Callback):
    """The duration of every training step (the first also builds the model's graph)."""

    def on_train_begin(self, logs=None):
        self.times = []

    def on_train_batch_begin(self, batch, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.times.append(time.perf_counter() - self.start)


def long_series_data(length, n_series, seed):
    series = data.generate_time_series(n_series, length + P.ahead, seed=seed,
                                       time_step=1 / 59)
    return data.sequence_targets(series, length, P.ahead)


def gru_model():
    return keras.Sequential([
        keras.Input(shape=(None, 1)),
        keras.layers.GRU(20, return_sequences=True),
        keras.layers.GRU(20, return_sequences=True),
        keras.layers.Dense(P.ahead)])  # the same as TimeDistributed(Dense), but one op


def run_on_length(build, length):
    """Train a fresh model for TRAIN_STEPS steps (batches of 32) on series of `length`."""
    X, Y = long_series_data(length, 32 * TRAIN_STEPS, seed=P.seed_for(10))
    X_va, Y_va = long_series_data(length, 100, seed=P.seed_for(11))
    training.set_seed(P.seed)
    model = build()
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.01))
    timer = StepTimes()
    model.fit(X, Y, epochs=1, batch_size=32, verbose=0, callbacks=[timer])
    forecast = model.predict(X_va, batch_size=50, verbose=0)[:, -1]
    return {"cost": convs.forward_cost(model, length), "steps": len(timer.times),
            "step_s": float(np.median(timer.times[1:])),  # the first builds the graph
            "mse": float(np.mean((forecast - Y_va[:, -1]) ** 2))}


long_runs = {}
for name, build in (("GRU", gru_model), ("WaveNet", lambda: simple_wavenet(P.ahead))):
    for length in LENGTHS:
        with training.quiet_retracing():  # a new shape per length: retracing is expected
            long_runs[name, length] = run = run_on_length(build, length)
        print(f"{name:>8} {length:>5} steps: {run['cost'].multiply_adds:>10,} multiply-adds "
              f"per series, {run['cost'].sequential_ops:>5} one after another | this "
              f"machine: {1000 * run['step_s']:6.1f} ms per training step | last-step MSE "
              f"after {run['steps']} steps {run['mse']:.4f}")

# %%
for name in ("GRU", "WaveNet"):
    path = [long_runs[name, n]["cost"].sequential_ops for n in LENGTHS]
    print(f"{name:>8}: operations one after another {path}; multiply-adds per series "
          f"and step {long_runs[name, LENGTHS[-1]]['cost'].multiply_adds // LENGTHS[-1]:,}")
n_wavenet_layers = len(simple_wavenet(P.ahead).layers)  # 8 convolutions and the head
for n in LENGTHS:  # the GRU's two layers run n steps each, one after the other ...
    assert long_runs["GRU", n]["cost"].sequential_ops >= 2 * n
    # ... the WaveNet's critical path is its 9 layers, whatever the length
    assert long_runs["WaveNet", n]["cost"].sequential_ops == n_wavenet_layers == 9
    assert long_runs["GRU", n]["steps"] == long_runs["WaveNet", n]["steps"] == TRAIN_STEPS

# %%
fig, (ax_time, ax_mse) = plt.subplots(1, 2, figsize=(11, 3.5))
for i, name in enumerate(("GRU", "WaveNet")):
    ax_time.plot(LENGTHS, [1000 * long_runs[name, n]["step_s"] for n in LENGTHS], "o-",
                 color=plots.PALETTE[i], label=name)
    ax_mse.plot(LENGTHS, [long_runs[name, n]["mse"] for n in LENGTHS], "o-",
                color=plots.PALETTE[i], label=name)
ax_time.set(xscale="log", yscale="log", xlabel="sequence length (steps)",
            ylabel="ms per training step", title="one training step, on this machine")
ax_mse.set(xscale="log", ylim=(0, None), xlabel="sequence length (steps)",
           ylabel="last-step MSE", title=f"after {TRAIN_STEPS} training steps")
for ax in (ax_time, ax_mse):
    ax.set_xticks(LENGTHS, [f"{n:,}" for n in LENGTHS])
    ax.minorticks_off()
    ax.legend()
growth = {name: long_runs[name, LENGTHS[-1]]["step_s"] / long_runs[name, LENGTHS[0]]["step_s"]
          for name in ("GRU", "WaveNet")}
print(f"on this machine, time per step at {LENGTHS[-1]:,} steps against {LENGTHS[0]}: "
      + ", ".join(f"{name} x{g:.1f}" for name, g in growth.items()))

# %% [markdown]
# The GRU must run its steps one after another: its two layers make $2n + 1$ operations
# in a row on $n$ steps (101 at 50 steps, 2001 at 1,000). The WaveNet's layers each see
# the whole sequence at once: 9 operations in a row (eight convolutions and the head)
# whatever the length, though more multiply-adds per step (printed above). How that
# turns into time depends on the hardware (on a GPU, cuDNN fuses the GRU's steps, but
# each still waits for the previous one), so the left panel measures it on this machine
# and nothing is asserted about it; the right panel shows the error after the same
# number of training steps. A chain that grows with the length cannot be spread over
# parallel hardware: that is why WaveNet-like models won on audio, thousands of steps a
# second, for training, where every target is known; generating still goes one sample
# at a time, which is why Parallel WaveNet followed.
#
# ## 5. How far back does a WaveNet remember?
#
# Notebook 06 measured how many steps SimpleRNN, LSTM and GRU cells can carry one value
# (`helpers.datasets.memory`). A WaveNet has no state to carry anything in: an output can only
# use inputs inside its receptive field, and nothing outside it. With rates 1 to 128
# (eight blocks, a field of 256 steps, 257 with the input convolution) every lag of the experiment is within reach. We
# use the full WaveNet: its gates can multiply the value by the marker, which keeps the
# marked value and zeroes all others, and the residual additions can then carry that
# one value up (the ReLU stack of the simplified model has no such product: exercise 4
# asks how it fares). Same data, budget and learning rate as the cells got:

# %%
mem = memory.get_settings()
memory_rates = convs.doubling_rates(8)
print("receptive field:", convs.receptive_field(2, memory_rates), " lags:", mem.lags)
wavenet_runs, wavenet_connect = {}, {}
for k in mem.lags:
    training.set_seed(P.seed)
    model = memory.build_model(full_wavenet(20, memory_rates, n_inputs=2))
    wavenet_runs[k] = run = memory.fit_and_score(model, k)
    wavenet_connect[k] = memory.connectivity(model, k)
    print(f"WaveNet  k={k:>3}  recall {run.score:5.2f}  after {run.epochs:>2} epochs")

# %%
memory.save_results({"WaveNet": {
    "scores": {k: run.score for k, run in wavenet_runs.items()},
    "params": model.count_params(), "connectivity": wavenet_connect}})
span_table = memory.load_results()
plots.plot_recall({f"{name} (span {entry['span']})": entry["scores"] for name, entry
                   in span_table["models"].items()}, solved=mem.solved,
                  title="how far back each model remembers (notebooks 06 and 07)");

# %%
spans = {cell: entry["span"] for cell, entry in span_table["models"].items()}
recall_50 = {cell: entry["scores"][50] for cell, entry in span_table["models"].items()}
print("spans:", spans, " recall at lag 50:", {c: round(r, 2) for c, r in recall_50.items()})
# it reaches further (in the quick profile's six epochs the simple cell sometimes
# recalls part of the value at lag 50, so there only the order is asserted)
assert recall_50["WaveNet"] > recall_50["SimpleRNN"] + (0.5 if P.name == "full" else 0)

# %% [markdown]
# The WaveNet recalls the value at lag 50 better than the simple cell (in the full
# profile, a recall higher by 0.5 or more, asserted), but
# where its span stops compared with the LSTM's and the GRU's is printed, not promised,
# although every lag tried is inside its 256-step receptive field. Reach is not what
# limits it; training is: to recall a value far back, the network must find, among 256
# positions, the one the marker points to, and a gradient step gives it little hint
# where to look until it has started to get it right. A recurrent cell learns one local
# rule instead (keep the value once the marker is seen), which works for every lag at
# once.
#
# Where does each trained model look? Notebook 06's heat map of the gradient of the
# answer with respect to every value read, now with the WaveNet's row (pick the lag):

# %%
def show_connectivity(k):
    plots.plot_connectivity({name: entry["connectivity"][k] for name, entry
                             in span_table["models"].items()}, k)
    plt.show()


show_connectivity(50)
recall_wavenet = {k: run.score for k, run in wavenet_runs.items()}
for k, profile in wavenet_connect.items():  # where it recalls, it reads the marked value
    if recall_wavenet[k] >= mem.solved:
        assert int(np.nanargmax(profile)) == k, (k, int(np.nanargmax(profile)))

# %% tags=["nbval-ignore-output"]
widgets.interactive_view(show_connectivity, {
    "k": widgets.dropdown("lag k", mem.lags, value=50)})

# %% [markdown]
# A convolution's gradient is nonzero only inside its receptive field, and nothing in
# it favours recent steps: where the WaveNet has learned the task, the heat sits on the
# marked value (asserted for every lag it recalls).

# %% [markdown]
# ## 6. Try it: design a dilated stack
#
# Choose the kernel size, the number of layers and how many times the run of doubling
# rates repeats; the figure shows what the last output sees, and the line below it the
# receptive field and the parameter count for 20 filters.

# %%
def show_stack(kernel_size, n_layers, repeats):
    rates = convs.doubling_rates(n_layers, repeats=repeats)
    diagrams.dilated_stack(rates, kernel_size)
    plt.show()
    field = convs.receptive_field(kernel_size, rates)
    print(f"rates {rates}\nreceptive field {field:,} steps; "
          f"{convs.stack_params(kernel_size, rates, 20):,} parameters with 20 filters "
          f"(one convolution as wide: {convs.conv_params(field, 20, 20):,} between 20 "
          f"channels)")


# %% tags=["nbval-ignore-output"]
widgets.interactive_view(show_stack, {
    "kernel_size": widgets.int_slider("kernel size", 2, 4, 2),
    "n_layers": widgets.int_slider("layers", 1, 6, 4),
    "repeats": widgets.int_slider("repeats", 1, 3, 1),
})

# %% [markdown]
# ## Summary
#
# - A causal convolution only reads the past; dilations that double from layer to
#   layer make the receptive field grow exponentially with depth ($2^n$ steps for $n$
#   layers of kernel 2) while the parameters grow linearly: ten layers see 1,024 steps
#   with about 50 times fewer parameters than one convolution as wide. We checked both
#   formulas, and causality, on Keras layers.
# - The simplified WaveNet is in the same range as notebook 03's `SimpleRNN`
#   sequence-to-sequence model, behind notebook 06's gated recurrent models; the full
#   WaveNet, with gated activation units (one tanh times one sigmoid), residual and
#   skip connections and a linear head, ends ahead of the simplified one.
# - A recurrent layer runs its steps one after another: our two GRU layers make
#   $2n + 1$ operations in a row on $n$ steps, the WaveNet 9 whatever the length; how
#   that shows in training time depends on the hardware (the notebook measures it).
# - On the memory task a WaveNet can reach every lag, but learning to find the marked
#   value is what limits it; where it recalls, its answer depends most on that value.
# - Notebook 10 puts every model of the chapter on one leaderboard, against the noise
#   floor and an oracle.
#
# ## Exercises
#
# 1. Compute the receptive field of the book's simplified WaveNet if every layer used a
#    kernel of 3: `check_receptive_field(n, kernel_size=3)`.
#    <details><summary>Solution</summary>
#
#    Each layer of kernel $k$ and rate $d$ adds $(k - 1)\,d$ steps:
#    $1 + 2 \times (1 + 2 + 4 + 8) \times 2 = 61$; `convs.receptive_field(3, (1, 2, 4, 8) * 2)`
#    agrees.
#    </details>
# 2. Train the simplified WaveNet with rates (1, 2, 4, 8, 16, 32): a receptive field
#    longer than the input. Does the last-step MSE change? Why (or why not)?
#    <details><summary>Solution</summary>
#
#    `train_forecaster(simple_wavenet(P.ahead, rates=(1, 2, 4, 8, 16, 32)), "wn_wide",
#    "wide")` (it records; pass a new name). The last step now sees all 50 inputs, but
#    the early steps' forecasts see zero padding, and the sines' recent past already
#    says most of the future: expect a change within the seed-to-seed spread.
#    </details>
# 3. Replace the `gated_activation` of `GatedResidualBlock` with a plain ReLU on `f`
#    channels (and no gate). Keep everything else and compare the last-step MSE.
#    <details><summary>Solution</summary>
#
#    Make the dilated convolution output `filters` channels and apply `ops.relu`. The
#    residual and skip paths are unchanged. Compare over a few seeds before concluding:
#    one run cannot separate models this close.
#    </details>
# 4. Run the memory experiment with the simplified WaveNet,
#    `memory.build_model(simple_wavenet(20, memory_rates, n_inputs=2))`. Which lags does
#    it recall? What does the gate give the full WaveNet on this task?
#    <details><summary>Solution</summary>
#
#    Replace `full_wavenet(...)` in section 5's loop. A ReLU stack has no product of two
#    signals, so it cannot simply multiply the value by the marker: it has to build the
#    selection out of sums and thresholds, which is harder to learn; the gate does it in
#    one multiplication.
#    </details>

# %%
from helpers.exercises.lesson07 import check_receptive_field

# %% [markdown]
# <!-- nav -->
#
# [← 06 · The GRU cell, a convolutional front end, and how far back cells remember](06_gru_conv1d_and_memory.ipynb) · [index](00_index.ipynb) · [08 · A real series: half-hourly electricity demand →](08_real_series.ipynb)

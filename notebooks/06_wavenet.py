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
# [← 05 · Short-term memory: LSTM and GRU cells, and 1D convolutions](05_lstm_gru_conv1d.ipynb) · [index](00_index.ipynb) · [07 · A real series: half-hourly electricity demand →](07_real_series.ipynb)

# %% [markdown]
# # 06 · WaveNet, the chapter's leaderboard, and how close to the limit we can get
#
# Notebook 05 put a `Conv1D` layer in front of two GRUs and halved the sequence they had
# to run through. WaveNet (van den Oord et al., 2016) goes all the way: no recurrent layer
# at all, only stacked 1D convolutions whose **dilation** doubles from one layer to the
# next. This notebook builds it, measures what it buys on long sequences, and then steps
# back: every model of the chapter on one leaderboard, next to the best forecast that is
# possible at all.
#
# **What you will learn**
#
# - what dilated **causal** convolutions are, how far back a stack of them sees (its
#   receptive field) and what it costs in parameters, checked against Keras;
# - the simplified WaveNet of the book and the full one, with gated activation units,
#   residual and skip connections, and a linear output for regression;
# - how the training time of a GRU and of a WaveNet grows with the sequence length, and
#   how far back a WaveNet remembers on notebook 05's memory task;
# - where the chapter's models stand against two hard limits, the noise floor and an
#   oracle that knows the formula behind the series;
# - how close to that limit a model gets when data is unlimited, and why data and
#   optimisation matter as much as the architecture.

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

from helpers import (convs, data, diagrams, memory, metrics, oracle, plots, results,
                     training, widgets)

P = helpers.setup()

# %% [markdown]
# The task is notebook 05's: 50 steps in, the next 10 values out at every step, judged
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
# The parameters of a convolution are also the multiply-adds it spends per output step,
# so the stack is about 50 times cheaper to run as well. The formulas are claims about
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
# targets, like notebook 05's models, with the same recipe (Adam, learning rate 0.01,
# the book's 20 epochs, 6 in the quick profile).

# %%
def simple_wavenet(n_outputs, rates=(1, 2, 4, 8) * 2, filters=20, n_inputs=1):
    """The book's simplified WaveNet: causal ReLU convolutions, then Conv1D(n_outputs, 1)."""
    model = keras.Sequential([keras.Input(shape=(None, n_inputs))])
    for rate in rates:
        model.add(keras.layers.Conv1D(filters, kernel_size=2, padding="causal",
                                      activation="relu", dilation_rate=rate))
    model.add(keras.layers.Conv1D(n_outputs, kernel_size=1))
    return model


def train_forecaster(model, name, label):
    """Notebook 05's recipe, recorded under this notebook."""
    return training.train(model, X_train, Y_train, X_valid, Y_valid, name=name,
                          notebook="06", label=label, learning_rate=0.01,
                          epochs=P.heavy_epochs, metrics=[metrics.last_time_step_mse],
                          monitor="val_last_time_step_mse")


training.set_seed(P.seed)
wavenet_model = simple_wavenet(P.ahead)
print("receptive field:", convs.receptive_field(2, (1, 2, 4, 8) * 2), "steps; parameters:",
      wavenet_model.count_params())
wavenet = train_forecaster(wavenet_model, "wavenet", "Simplified WaveNet (rates 1-8 x 2)")
wavenet

# %%
gru_mse, conv_gru_mse = results.value("gru"), results.value("conv1d_gru")  # notebook 05
print(f"last-step MSE: WaveNet {wavenet.value:.4f}, GRU {gru_mse:.4f}, "
      f"Conv1D + GRU {conv_gru_mse:.4f}")
assert wavenet.value < 1.5 * results.value("seq2seq_10")  # on par with notebook 03's RNN
if P.name == "full":
    assert wavenet.value <= 0.0085

# %% [markdown]
# The simplified WaveNet has no recurrent layer at all, and it forecasts as well as
# notebook 03's `SimpleRNN` sequence-to-sequence model (0.0058 against 0.0060 in the
# full profile; the reference runs with the book's exact settings gave it 0.0074 to
# 0.0076) while seeing only the last 31 steps. Notebook 05's gated recurrent models
# remain about twice as accurate (GRU 0.0031, LSTM 0.0024). (The readings in this
# notebook quote the full profile; the quick profile's short runs print other numbers.)
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
# WaveNet generated audio, one of 256 amplitude levels per step, so its last layer was a
# softmax. We forecast real numbers: our last layer is **linear**, as a regression
# needs. A softmax here would force the 10 outputs to be positive and sum to 1.

# %%
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
ax.axhline(gru_mse, color=plots.FLOOR_COLOR, ls=":", label="GRU (notebook 05)")
ax.set(ylabel="last-step MSE", yscale="log",
       title="validation (solid) and training (dashed) last-step MSE")
ax.legend(ncols=2);

# %%
print(f"last-step MSE: simplified {wavenet.value:.4f} ({wavenet.params:,} parameters, "
      f"{wavenet.seconds:.0f} s), full {full.value:.4f} ({full.params:,} parameters, "
      f"{full.seconds:.0f} s)")
assert full.value < wavenet.value  # the gates, residuals and skips pay off
ahead = np.less(full.history["val_last_time_step_mse"],
                wavenet.history["val_last_time_step_mse"])
print(f"the full WaveNet's validation error is lower after {ahead.sum()} of "
      f"{ahead.size} epochs")
assert ahead.mean() > 0.5  # ahead for most of the training, not only at the end
if P.name == "full":
    assert ahead.all()  # the prose below: ahead after every epoch

# %% [markdown]
# With the same dilation rates, the full WaveNet cuts the simplified one's error by
# about a sixth (0.0049 against 0.0058 in the full profile), for about three times the
# parameters and a little over twice the training time (113 s against 52 s). The
# learning curves show that this is not the luck of the last epoch: the full model is
# ahead after every epoch (20 of 20). It
# lands between notebook 03's `SimpleRNN` model and notebook 05's gated recurrent
# models; on these short series, with this budget, the LSTM stays the best.
#
# ## 4. Long sequences: where convolutions pay off
#
# A recurrent layer must run its steps one after the other; a convolutional layer
# computes all steps at once, as one large matrix product. Both do work proportional to
# the sequence length, but the recurrent layer pays a fixed cost per step, and on long
# sequences that cost dominates. We measure it on series of 50, 250 and 1,000 steps (in
# the quick profile, 50 and 250), generated at the same pace as our usual series
# (`time_step=1/59`, so longer series simply go on), each with its 10-value targets at
# every step.
#
# For each length, a GRU model like notebook 05's and the simplified WaveNet each get
# the **same training time**, and we record the time one training step takes, the time
# of the first step (which also builds TensorFlow's graph of the model), and the
# last-step MSE reached. XLA is off here: it would compile a new program for every
# length. The GRU model's output layer is written `Dense(10)`, which notebook 03 showed
# is the same layer as `TimeDistributed(Dense(10))`. This matters here: when the number
# of steps is known, `TimeDistributed` adds one small matrix product per step to the
# graph. An earlier version of this notebook used it: on 1,000-step series the GRU's
# training step took 1.7 s instead of the 0.8 s below, and its first step 63 s instead
# of 9 s, a cost of the wrapper, not of recurrence. We stop at 1,000 steps: at 5,000, one
# GRU training step took about 14 s in a trial run, more than the whole budget.

# %%
LENGTHS = (50, 250, 1000) if P.name == "full" else (50, 250)
BUDGET = 10 if P.name == "full" else 2  # seconds of training per model and length


class TimeBudget(keras.callbacks.Callback):
    """Stop training `seconds` after the first step (which also builds the model's graph),
    but not before `min_steps` steps; keep the duration of every step after the first."""

    def __init__(self, seconds, min_steps=3):
        super().__init__()
        self.seconds, self.min_steps, self.step_times = seconds, min_steps, []

    def on_train_batch_begin(self, batch, logs=None):
        self.step_start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        if not hasattr(self, "start"):
            self.start, self.first_step = now, now - self.step_start  # clock starts now
            return
        self.step_times.append(now - self.step_start)
        if now - self.start > self.seconds and len(self.step_times) >= self.min_steps:
            self.model.stop_training = True


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
    """Train a fresh model for BUDGET seconds on series of `length` steps."""
    n_series = min(P.n_train, max(256, 500_000 // length))
    X, Y = long_series_data(length, n_series, seed=P.seed)
    X_va, Y_va = long_series_data(length, 100, seed=P.seed + 1)
    training.set_seed(P.seed)
    model = build()
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.01))
    budget = TimeBudget(BUDGET)
    model.fit(X, Y, epochs=1000, batch_size=32, verbose=0, callbacks=[budget])
    forecast = model.predict(X_va, batch_size=50, verbose=0)[:, -1]
    return {"step_s": float(np.median(budget.step_times)), "steps": len(budget.step_times),
            "first_s": budget.first_step,
            "mse": float(np.mean((forecast - Y_va[:, -1]) ** 2))}


long_runs = {}
for name, build in (("GRU", gru_model), ("WaveNet", lambda: simple_wavenet(P.ahead))):
    for length in LENGTHS:
        with training.quiet_retracing():  # a new shape per length: retracing is expected
            long_runs[name, length] = run = run_on_length(build, length)
        print(f"{name:>8} {length:>5} steps: first step {run['first_s']:5.1f} s, then "
              f"{1000 * run['step_s']:6.1f} ms per step, {run['steps']:>4} steps in about "
              f"{BUDGET} s, last-step MSE {run['mse']:.4f}")

# %%
fig, (ax_time, ax_mse) = plt.subplots(1, 2, figsize=(11, 3.5))
for i, name in enumerate(("GRU", "WaveNet")):
    epoch_s = [long_runs[name, n]["step_s"] * P.n_train / 32 for n in LENGTHS]
    ax_time.plot(LENGTHS, epoch_s, "o-", color=plots.PALETTE[i], label=name)
    ax_mse.plot(LENGTHS, [long_runs[name, n]["mse"] for n in LENGTHS], "o-",
                color=plots.PALETTE[i], label=name)
ax_time.set(xscale="log", yscale="log", xlabel="sequence length (steps)",
            ylabel=f"seconds per epoch ({P.n_train:,} series)",
            title="time per epoch, from the time per step")
ax_mse.set(xscale="log", yscale="log", xlabel="sequence length (steps)",
           ylabel="last-step MSE", title=f"after {BUDGET} s of training")
for ax in (ax_time, ax_mse):
    ax.set_xticks(LENGTHS, [f"{n:,}" for n in LENGTHS])
    ax.minorticks_off()
    ax.legend()

# %%
growth = {name: long_runs[name, LENGTHS[-1]]["step_s"] / long_runs[name, LENGTHS[0]]["step_s"]
          for name in ("GRU", "WaveNet")}
print(f"time per step, {LENGTHS[-1]:,} steps against {LENGTHS[0]}: "
      + ", ".join(f"{name} x{g:.0f}" for name, g in growth.items()))
# from 50 to 1,000 steps the WaveNet's time grows far slower (x6-x7 against x15-x24 in
# runs here, beside another notebook or not); from 50 to 250 (quick) the gap is narrower
assert growth["WaveNet"] < growth["GRU"] / (1.5 if P.name == "full" else 1)
longest = LENGTHS[-1]
assert long_runs["WaveNet", longest]["step_s"] < long_runs["GRU", longest]["step_s"] / 3
# in the same time the WaveNet makes more training steps, at every length
assert all(long_runs["WaveNet", n]["steps"] > long_runs["GRU", n]["steps"] for n in LENGTHS)
if P.name == "full":  # and on the longest series its error is much lower (by how much
    # depends on how many steps fit in 10 s: 3.4 to 4 times alone here, less when busy)
    assert long_runs["WaveNet", longest]["mse"] < long_runs["GRU", longest]["mse"] / 2

# %% [markdown]
# In the full profile, going from 50 to 1,000 steps multiplied the GRU's time per
# training step by about 19 (43 ms to 802 ms) and the WaveNet's by about 6 (11 to 62
# ms): a WaveNet step at 50 steps is partly fixed overhead, and its convolutions then
# process the extra steps in parallel, while each GRU step is a small matrix product
# that must wait for the previous one. Building the graph (the first step) took both
# models between 3 and 9 s at every length. With the same 10 seconds, the WaveNet made
# 145 training steps on the 1,000-step series where the GRU made 13, and its error there
# is almost four times lower (0.0144 against 0.0536). Ten seconds is a short budget: in
# this run, even on the 50-step series the GRU, with 219 steps to the WaveNet's 657, was
# still behind (0.0270 against 0.0146; how many steps fit in 10 s depends on the machine,
# so that order can change), while
# after 20 full epochs it is well ahead (notebook 05: 0.0031 against section 2's 0.0058).
# The longer the series, the more the cost per step decides. This is the practical
# reason WaveNet-like models won on audio, where one second of sound is 16,000 steps.
#
# ### How far back does a WaveNet remember?
#
# Notebook 05 measured how many steps SimpleRNN, LSTM and GRU cells can carry one value
# (`helpers.memory`). A WaveNet has no state to carry anything in: an output can only
# use inputs inside its receptive field, and nothing outside it. With rates 1 to 128
# (eight blocks, a field of 256 steps) every lag of the experiment is within reach. We
# use the full WaveNet: its gates can multiply the value by the marker, which keeps the
# marked value and zeroes all others, and the residual additions can then carry that
# one value up (the ReLU stack of the simplified model has no such product: exercise 4
# asks how it fares). Same data, budget and learning rate as the cells got:

# %%
mem = memory.get_settings()
memory_rates = convs.doubling_rates(8)
print("receptive field:", convs.receptive_field(2, memory_rates), " lags:", mem.lags)
wavenet_runs = {}
for k in mem.lags:
    training.set_seed(P.seed)
    model = memory.build_model(full_wavenet(20, memory_rates, n_inputs=2))
    wavenet_runs[k] = run = memory.fit_and_score(model, k)
    print(f"WaveNet  k={k:>3}  recall {run.score:5.2f}  after {run.epochs:>2} epochs  "
          f"({run.seconds:.0f} s)")

# %%
memory.save_results({"WaveNet": {
    "scores": {k: run.score for k, run in wavenet_runs.items()},
    "seconds": sum(run.seconds for run in wavenet_runs.values()),
    "params": model.count_params()}})
span_table = memory.load_results()
fig, ax = plt.subplots(figsize=(7, 3.5))
for i, (cell, entry) in enumerate(span_table["models"].items()):
    ax.plot(mem.lags, [entry["scores"][k] for k in mem.lags], "o-", color=plots.PALETTE[i],
            label=f"{cell} (span {entry['span']})")
ax.axhline(mem.solved, color=plots.FLOOR_COLOR, ls="--", lw=1, label="recalled")
ax.set_xscale("log")
ax.minorticks_off()
ax.set_xticks(mem.lags, [str(k) for k in mem.lags])
ax.set(xlabel="lag $k$", ylabel="recall (share of variance)", ylim=(-0.15, 1.05),
       title="how far back each model remembers (notebooks 05 and 06)")
ax.legend(loc="lower left");

# %%
spans = {cell: entry["span"] for cell, entry in span_table["models"].items()}
print("spans:", spans)
assert spans["WaveNet"] > spans["SimpleRNN"]  # it reaches further than the simple cell

# %% [markdown]
# In the full profile the WaveNet recalls a value 100 steps back (five times the simple
# cell's span) but not 200, where LSTM and GRU cells succeed, although every lag tried
# is inside its 256-step receptive field. Reach is not the limit here; training is: to recall a value
# 200 steps back, the network must find, among 256 positions, the one the marker points
# to, and a gradient step gives it little hint where to look until it has started to
# get it right. A recurrent cell learns one local rule instead (keep the value once the
# marker is seen), which works for every lag at once.
#
# ## 5. The chapter's leaderboard
#
# Every model of notebooks 01 to 06 was scored on the same validation series (the same
# seed and split) and recorded in `results/`. Three tasks, three metrics, so three
# panels: the one-step forecast (MSE), the 10-step forecast scored over all 10 values,
# and the 10-step forecast scored on its last value only. Two lines bound every panel
# from below:
#
# - the **noise floor**: the series carry uniform noise of width 0.1, whose variance is
#   $0.1^2 / 12 \approx 0.00083$; no forecast can predict it;
# - the **oracle**: the generating formula itself (two sines with unknown frequencies
#   and offsets, `helpers.oracle`), fitted to each series' 50 values by least squares and
#   extended. A model that learned the formula perfectly could do no better.

# %%
one_step = data.load("one_step")
n_oracle = 300 if P.name == "full" else 100
start = time.perf_counter()
oracle_1 = oracle.forecast(one_step.X_valid[:n_oracle], 1)[:, 0]
oracle_10 = oracle.forecast(X_valid[:n_oracle], P.ahead)
oracle_seconds = time.perf_counter() - start
limits = {  # the oracle's validation MSE on each task of the leaderboard
    "one_step": float(np.mean((oracle_1 - one_step.y_valid[:n_oracle, 0]) ** 2)),
    "ten_all": float(np.mean((oracle_10 - Y_valid[:n_oracle, -1]) ** 2)),
    "ten_last": float(np.mean((oracle_10[:, -1] - Y_valid[:n_oracle, -1, -1]) ** 2)),
}
floor = 0.1 ** 2 / 12
results.save_limits(limits, floor=floor, n_series=n_oracle, seconds=oracle_seconds)
print(f"noise floor {floor:.5f}; oracle on {n_oracle} validation series "
      f"({oracle_seconds:.0f} s):")
for task, value in limits.items():
    print(f"  {results.TASKS[task]:<40} {value:.5f}")
assert all(floor < value < 2 * floor for value in limits.values())

# %% [markdown]
# The leaderboard, read from `results/` (the models of section 6 are left out here; they
# join the table at the end). Bars are our validation MSE on a log scale, diamonds the
# book's figure where it gives one:

# %%
board = {task: [row for row in rows if not row["name"].startswith("fresh_")]
         for task, rows in results.leaderboard(P.name).items()}  # section 6's come later
fig = plots.plot_leaderboard(board, floor=floor, limits=limits)
print(results.leaderboard_text(board))

# %% [markdown]
# What the chapter's models leave on the table:
#
# - on the one-step task, the best models (the deep RNNs, 0.0026 and 0.0030 in the full
#   profile) are about three times the oracle's error (0.00095); the linear model, with
#   51 parameters, is not far behind them;
# - on the 10-step task's last value, the LSTM is about twice the oracle's error
#   (0.0024 against 0.0011), the other gated models and the full WaveNet between two and
#   a half and four and a half times, the `SimpleRNN` sequence-to-sequence model and the simplified
#   WaveNet between five and six times;
# - no model gets near the noise floor, and neither does the oracle: fitting four
#   numbers to 50 noisy values leaves a small error in the fit, which grows as the
#   fitted curve is extended 10 steps.
#
# ## 6. Going further: how close to the limit?
#
# The chapter's models all saw the same 7,000 training series, 20 times each. But our
# series come from a generator: data is free. What can a model reach, on 2 CPU cores,
# if it never sees the same series twice?
#
# The recipe, the same for every model below:
#
# - **fresh data**: new series in chunks of 100,000, each chunk used for one epoch and
#   thrown away; half the series are drawn at the one-step task's pace (51 values over
#   [0, 1]) and half at the 10-step task's (60 values over [0, 1]), so that **one** model
#   serves both tasks: its first output is the one-step forecast, its last the 10th
#   step;
# - batches of 256, Adam with a learning rate of 0.01 decayed to zero along a cosine,
#   and XLA in the full profile.
#
# The first model is the plainest there is: a dense network on the 50 values, three
# hidden layers of 256 GELU units, which knows nothing about time or order. It sees
# 4 million series (40 chunks; in the quick profile, 40,000), about a minute and a half
# of training here.

# %%
FURTHER = {"full": {"dense": 4_000_000, "cnn": 1_000_000, "chunk": 100_000},
           "quick": {"dense": 40_000, "cnn": 40_000, "chunk": 20_000}}[P.name]


def fresh_series(n, seed):
    """n new series, 50 inputs and the 10 next values; half at each task's pace."""
    halves = [data.generate_time_series(n // 2, 60, seed=seed, time_step=1 / 50),
              data.generate_time_series(n - n // 2, 60, seed=seed + 1, time_step=1 / 59)]
    series = np.concatenate(halves)
    return series[:, :50], series[:, 50:, 0]


def score_both(model):
    """Validation MSE of the first output on the one-step task, of the last on the 10th step."""
    first = ops.convert_to_numpy(model(one_step.X_valid))[:, 0]
    last = ops.convert_to_numpy(model(X_valid))[:, -1]
    return (float(np.mean((first - one_step.y_valid[:, 0]) ** 2)),
            float(np.mean((last - Y_valid[:, -1, -1]) ** 2)))


def train_streaming(model, next_chunk, n_chunks, name, learning_rate, batch_size=256):
    """Fit one epoch on each of n_chunks chunks of data, with a cosine-decayed rate.

    Returns the learning curve, rows of (series seen, one-step MSE, 10th-step MSE), and
    the training seconds (without data generation and evaluation)."""
    n_per_chunk = len(next_chunk(0)[0])
    schedule = keras.optimizers.schedules.CosineDecay(
        learning_rate, decay_steps=n_chunks * -(-n_per_chunk // batch_size))
    training.compile_model(model, optimizer=keras.optimizers.Adam(learning_rate=schedule))
    curve, seconds = [], 0.0
    for chunk in range(n_chunks):
        X, Y = next_chunk(chunk)
        start = time.perf_counter()
        model.fit(X, Y, batch_size=batch_size, epochs=1, verbose=0)
        seconds += time.perf_counter() - start
        curve.append(((chunk + 1) * n_per_chunk, *score_both(model)))
        if (chunk + 1) % max(1, n_chunks // 5) == 0 or chunk + 1 == n_chunks:
            print(f"{name}: {curve[-1][0]:>9,} series, {seconds:4.0f} s of training, "
                  f"one-step {curve[-1][1]:.5f}, 10th step {curve[-1][2]:.5f}")
    return np.array(curve), seconds


def train_on_fresh_data(model, name, label, n_series, learning_rate):
    """Train on n_series new series, each seen once, and record both tasks' scores."""
    n_chunks = n_series // FURTHER["chunk"]
    curve, seconds = train_streaming(
        model, lambda chunk: fresh_series(FURTHER["chunk"], seed=1000 + 2 * chunk),
        n_chunks, name, learning_rate)
    one, ten = curve[-1, 1:]
    for suffix, value, metric, task in ((1, one, "val_mse", "one step"),
                                        (10, ten, "val_last_time_step_mse", "10 steps")):
        results.record(f"{name}_{suffix}", value=float(value), params=model.count_params(),
                       seconds=seconds, notebook="06", metric=metric, epochs=1,
                       label=f"{label}, fresh data ({task})")
    return {"curve": curve, "seconds": seconds, "one_step": one, "ten_last": ten}


def dense_net(units=256, layers=3):
    """A plain MLP on the 50 values: no notion of time or order at all."""
    return keras.Sequential(
        [keras.Input(shape=(50, 1)), keras.layers.Flatten()]
        + [keras.layers.Dense(units, activation="gelu") for _ in range(layers)]
        + [keras.layers.Dense(P.ahead)])


training.set_seed(P.seed)
dense_fresh = train_on_fresh_data(dense_net(), "fresh_dense", "Dense 3 x 256 (GELU)",
                                  FURTHER["dense"], learning_rate=0.01)

# %% [markdown]
# The chapter is about sequence models, so the same recipe for one: three strided
# convolutions of 64 filters (kernel 4, stride 2, 50 steps down to 4), then a dense
# layer of 256. In trial runs for this notebook it beat a WaveNet stack that reads out
# its last step, and a Conv1D + GRU model, in the same training time: on a CPU, the
# strided convolutions do the least work per series. It sees 1 million series, about
# a minute and a half of training here.

# %%
def strided_cnn(filters=64):
    """Three strided convolutions (50 -> 24 -> 11 -> 4 steps), then a dense head."""
    return keras.Sequential(
        [keras.Input(shape=(50, 1))]
        + [keras.layers.Conv1D(filters, kernel_size=4, strides=2, activation="gelu")
           for _ in range(3)]
        + [keras.layers.Flatten(), keras.layers.Dense(256, activation="gelu"),
           keras.layers.Dense(P.ahead)])


training.set_seed(P.seed)
cnn_fresh = train_on_fresh_data(strided_cnn(), "fresh_cnn", "Strided CNN 3 x 64 (GELU)",
                                FURTHER["cnn"], learning_rate=0.01)

# %% [markdown]
# Is it the data, the training recipe or the model? The same dense network, with the
# same recipe (batches of 256, a cosine-decayed rate), but on a fixed set of 7,000
# series (in the quick profile, 2,100), the chapter's amount of data, seen over and over
# for 100 epochs (20 in quick):

# %%
fixed_X, fixed_Y = fresh_series(P.n_train, seed=999)
fixed_epochs = 100 if P.name == "full" else 20
training.set_seed(P.seed)
fixed_curve, fixed_seconds = train_streaming(
    dense_net(), lambda chunk: (fixed_X, fixed_Y), fixed_epochs, "dense, fixed data",
    learning_rate=0.01)

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharex=True)
for j, (ax, task) in enumerate(zip(axes, ("one step ahead", "10th step ahead"))):
    for (label, curve), colour in zip(
            (("dense, fresh data", dense_fresh["curve"]), ("CNN, fresh data",
             cnn_fresh["curve"]), (f"dense, the same {P.n_train:,} series",
                                   fixed_curve)), plots.PALETTE):
        ax.plot(curve[:, 0], curve[:, j + 1], "-", color=colour, label=label)
    ax.axhline(floor, color=plots.FLOOR_COLOR, ls="--", lw=1, label="noise floor")
    limit = limits["one_step" if j == 0 else "ten_last"]
    ax.axhline(limit, color=plots.TARGET_COLOR, ls=":", lw=1.5, label="oracle")
    best = min(row["value"] for row in board["one_step" if j == 0 else "ten_last"])
    ax.axhline(best, color=plots.PALETTE[4], ls="-.", lw=1, label="best chapter model")
    ax.set(xscale="log", yscale="log", xlabel="training series presented",
           ylabel="validation MSE", title=task)
axes[0].legend(fontsize=8);

# %%
print(f"{'':>28} {'one step':>9} {'10th step':>9} {'seconds':>8}")
for label, run in (("dense, fresh data", dense_fresh), ("CNN, fresh data", cnn_fresh)):
    print(f"{label:>28} {run['one_step']:9.5f} {run['ten_last']:9.5f} {run['seconds']:8.0f}")
print(f"{'dense, fixed data':>28} {fixed_curve[-1, 1]:9.5f} {fixed_curve[-1, 2]:9.5f} "
      f"{fixed_seconds:8.0f}")
print(f"{'oracle':>28} {limits['one_step']:9.5f} {limits['ten_last']:9.5f}")
chapter_best = {task: min(row["value"] for row in board[task])
                for task in ("one_step", "ten_last")}
if P.name == "full":
    for run in (dense_fresh, cnn_fresh):  # both better than every chapter model
        assert run["one_step"] < chapter_best["one_step"] / 1.5
        assert run["ten_last"] < chapter_best["ten_last"]
    # the recipe alone, on the chapter's 7,000 series, already beats the chapter's models
    assert fixed_curve[-1, 1] < chapter_best["one_step"]
    assert fixed_curve[-1, 2] < chapter_best["ten_last"]
    # and fresh data takes the same network further
    assert dense_fresh["one_step"] < fixed_curve[-1, 1]
    assert dense_fresh["ten_last"] < fixed_curve[-1, 2] / 1.2
else:  # quick runs are short: only check that more fresh data helped
    assert dense_fresh["curve"][-1, 2] < dense_fresh["curve"][0, 2]

# %% [markdown]
# In the full profile, fed 4 million fresh series (89 s of training), the dense
# network reached 0.00105 on the one-step task and 0.00127 on the 10th step: within 10 %
# of the oracle (0.00095 and 0.00114), and less than half the error of the chapter's
# best models (0.0026 and 0.0024). The CNN reached 0.00147 and 0.00232 on 1 million
# series (83 s). The dense network on the chapter's 7,000 series ended at 0.00134 and
# 0.00201 after 100 epochs (29 s).
#
# Two lessons, and neither is about architecture:
#
# - **The recipe.** On the chapter's 7,000 series, the dense network trained with large
#   batches, a decaying learning rate and many epochs already beats every model of the
#   chapter, on both tasks. The chapter's models were trained with a constant rate for
#   20 epochs; their scores say as much about that recipe as about recurrence.
# - **The data.** Fed fresh series instead, the same network keeps improving long after
#   the fixed-data run has stalled, and ends close to the oracle. The learning curves
#   make the point: with fixed data, more passes give less and less; with fresh data,
#   every chunk still helps. The small CNN follows the same kind of curve, behind the
#   dense network and at about four times its cost per series on a CPU.
#
# Real data is never free, which is why data augmentation, pre-training on related data
# and a good training recipe are usually worth more effort than a new architecture.
#
# The leaderboard again, the one-step and last-step panels, now with this section's
# models:

# %%
final_board = results.leaderboard(P.name)
fig = plots.plot_leaderboard(
    {task: final_board[task] for task in ("one_step", "ten_last")}, floor=floor,
    limits=limits)

# %% [markdown]
# ## 7. Try it: design a dilated stack
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
# - The simplified WaveNet is in the same league as notebook 05's gated recurrent
#   models; the full WaveNet, with gated activation units (one tanh times one sigmoid),
#   residual and skip connections and a linear head, does better.
# - A recurrent layer's training time grows in proportion to the sequence length, a
#   convolutional stack's far more slowly: on long sequences, that decides.
# - Every chapter model stays well above the oracle (the generating formula fitted to
#   each series), which is itself above the noise floor.
# - With unlimited fresh data and a decayed learning rate, a dense network and a small
#   CNN get close to the oracle: data and optimisation mattered more than the
#   architecture.
#
# ## Exercises
#
# 1. Compute the receptive field of the book's simplified WaveNet if every layer used a
#    kernel of 3. Check your answer with `convs.receptive_field` and with `steps_seen`.
# 2. Train the simplified WaveNet with rates (1, 2, 4, 8, 16, 32): a receptive field
#    longer than the input. Does the last-step MSE change? Why (or why not)?
# 3. Replace the `gated_activation` of `GatedResidualBlock` with a plain ReLU on `f`
#    channels (and no gate). Keep everything else and compare the last-step MSE.
# 4. Run the memory experiment with the simplified WaveNet,
#    `memory.build_model(simple_wavenet(20, memory_rates, n_inputs=2))`. Which lags does
#    it recall? What does the gate give the full WaveNet on this task?
# 5. Train the dense network of section 6 on fresh data at the 10-step pace only
#    (`time_step=1/59` for every series). What happens to its one-step score, and why?
#    (Hint: compare the frequencies per step that each pace produces.)
# 6. Going further: reach a one-step MSE of 0.00105 and a 10th-step MSE of 0.0013 in
#    a minute and a half of training on this machine, with any model. Then beat the
#    strided CNN with a sequence model of your own in the same time (0.0015 and 0.0023).

# %% [markdown]
# <!-- nav -->
#
# [← 05 · Short-term memory: LSTM and GRU cells, and 1D convolutions](05_lstm_gru_conv1d.ipynb) · [index](00_index.ipynb) · [07 · A real series: half-hourly electricity demand →](07_real_series.ipynb)

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
# [← 02 · Recurrent neurons and layers: simple and deep RNNs](02_simple_and_deep_rnns.ipynb) · [index](00_index.ipynb) · [04 · Long sequences, part 1: unstable gradients →](04_unstable_gradients.ipynb)

# %% [markdown]
# # 03 · Forecasting several steps ahead
#
# Notebook 02 built recurrent networks that forecast the *next* value of a series. Here we
# ask for the next **ten** values, and compare three recurrent approaches with two
# baselines on the same data.
#
# **What you will learn**
#
# - the naive forecast for ten steps, and a bug in the book's figure for it;
# - *iterative* forecasting: a one-step model fed its own predictions, errors piling up;
# - *sequence-to-vector* models that output ten values at the last time step, and
#   *sequence-to-sequence* models that output ten values at *every* time step;
# - why `TimeDistributed(Dense(n))`, a `Dense(n)` on 3D inputs and `Conv1D(n, kernel_size=1)`
#   are the same layer, and why training on overlapping inputs and targets is not cheating;
# - chaining forecasts into a long sequence, and error bars with MC Dropout.
#
# Reference figures come from chapter 15 of A. Géron, *Hands-On Machine Learning with
# Scikit-Learn, Keras and TensorFlow* (2nd ed.).
#
# ## Setup
#
# `helpers.setup()` reports the run profile, which sets the data sizes and epochs.

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs

import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from helpers import baselines, data, diagrams, metrics, plots, results, training, widgets

P = helpers.setup()

# %% [markdown]
# ## 1. Ten values instead of one
#
# The series are the chapter's usual sum of two sine waves plus noise, now generated with
# `n_steps + ahead` = 60 values: the first 50 are the inputs, the last 10 the targets.
# `data.load("vector")` does it, with the same train / validation / test split as before.

# %% tags=["nbval-check-output"]
X_train, Y_train, X_valid, Y_valid, X_test, Y_test = data.load("vector")
print("one input:", X_train.shape[1:], " one target:", Y_train.shape[1:])
assert X_train.shape[1:] == (P.n_steps, 1) and Y_train.shape[1:] == (P.ahead,)

# %%
fig, axes = plots.plot_series_grid(X_valid, Y_valid, n=3,
                                   titles=[f"validation series {i}" for i in range(3)])

# %% [markdown]
# Every model below is judged by the **MSE over all ten future values** of the validation
# series. Two helpers keep the cells short: `predict` returns a model's forecasts as a
# NumPy array (calling the model directly, which is quicker than `model.predict` for a
# few calls), and `mse_per_step` the MSE at each horizon step, over all series.

# %%
def predict(model, X):
    """A Keras model's outputs for the inputs X, as a NumPy array."""
    return keras.ops.convert_to_numpy(model(X))


def mse_per_step(Y_true, Y_pred):
    """MSE at each of the horizon's steps, averaged over the series: shape [ahead]."""
    return np.mean(np.square(Y_true - Y_pred), axis=0)


ORDER = ["naive", "iterative", "linear", "seq2vec", "seq2seq"]  # in the order we meet them
forecasts = {}  # validation forecasts [n_valid, ahead] of every approach, for the end
measured = {}  # validation MSE of every approach, for the summary
print("two series whose errors are (1, 2, 0) and (1, 0, 0): per-step MSE",
      mse_per_step(np.zeros((2, 3)), np.array([[1.0, 2.0, 0.0], [1.0, 0.0, 0.0]])))

# %% [markdown]
# ## 2. The naive forecast, ten times over, and a bug in the book
#
# The naive forecast repeats the last known value ten times. It is cheap, and it gets
# worse the further ahead we look: the series keeps moving while the forecast stays put.
#
# The book reports **0.223** for this baseline. Its code, however, repeated the *last
# target* (the true value ten steps ahead, which the forecaster cannot know) instead of
# the last *input*. Computing both shows where 0.223 came from:

# %%
start = time.perf_counter()
forecasts["naive"] = baselines.naive_forecast(X_valid, ahead=P.ahead)
naive_seconds = time.perf_counter() - start
measured["naive"] = baselines.mse(Y_valid, forecasts["naive"])
buggy = np.repeat(Y_valid[:, -1:], P.ahead, axis=1)  # the book's "forecast": Y_valid[:, -1:]
buggy_mse = baselines.mse(Y_valid, buggy)
print(f"book's code (repeats the last target): {buggy_mse:.4f}   <- wrong, peeks at the future")
print(f"naive forecast (repeats the last input): {measured['naive']:.4f}   <- right")
assert 0.18 < buggy_mse < measured["naive"]  # the bug flatters the baseline
assert 0.22 < measured["naive"] < 0.30, measured["naive"]  # the correct figure: about 0.26
results.record("naive_10", value=measured["naive"], params=0, seconds=naive_seconds,
               notebook="03", label="Naive, 10 steps (last value repeated)");

# %% [markdown]
# The right figure is about **0.26**. The buggy "forecast" is exact at step 10 and errs
# most at step 1; the honest one is close at step 1 and drifts further at every step:

# %%
naive_steps = mse_per_step(Y_valid, forecasts["naive"])
steps = np.arange(1, P.ahead + 1)
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(steps, naive_steps, "o-", color=plots.color("naive"), label="naive (last input)")
ax.plot(steps, mse_per_step(Y_valid, buggy), "s--", color=plots.FLOOR_COLOR,
        label="book's code (last target)")
ax.set(xlabel="steps ahead", ylabel="validation MSE", xticks=steps,
       title="naive forecast: error at each horizon step")
ax.legend();

# %% [markdown]
# ## 3. Iterative forecasting: one step at a time
#
# A first idea reuses a model that forecasts one step: give it the 50 inputs, append its
# forecast to the window, drop the oldest value, forecast again, ten times. Each forecast
# becomes an *input* to the next one, so every error is carried forward. The one-step
# model is notebook 02's deep RNN with a dense output (two `SimpleRNN(20)` and a
# `Dense(1)`), trained on this notebook's series with the first target value as target.

# %%
training.set_seed(P.seed)
one_step_model = keras.Sequential([
    keras.Input(shape=(P.n_steps, 1)),
    keras.layers.SimpleRNN(20, return_sequences=True),
    keras.layers.SimpleRNN(20),
    keras.layers.Dense(1),
], name="one_step_rnn")
one_step = training.train(one_step_model, X_train, Y_train[:, :1], X_valid, Y_valid[:, :1],
                          name="one_step_rnn", notebook="03", record=False)
one_step

# %% [markdown]
# `baselines.chain_forecasts(predict, X, total)` does the feeding back: it calls `predict`
# on windows of 50 values, appends what comes out (one value here, ten later), slides the
# window and repeats until it has `total` values. On one validation series:

# %%
start = time.perf_counter()
forecasts["iterative"] = baselines.chain_forecasts(lambda X: predict(one_step_model, X),
                                                   X_valid, P.ahead)
iterative_seconds = one_step.seconds + time.perf_counter() - start
print("one series' 10 forecasts:", np.round(forecasts["iterative"][0], 2))
ax = plots.plot_series(X_valid[0], Y_valid[0], {"iterative": forecasts["iterative"][0]},
                       title="one-step RNN fed its own forecasts");

# %% [markdown]
# Close at first, then drifting. Over all validation series (section 7 plots the error
# at every step):

# %%
iterative_steps = mse_per_step(Y_valid, forecasts["iterative"])
measured["iterative"] = baselines.mse(Y_valid, forecasts["iterative"])
growth = iterative_steps[-1] / iterative_steps[0]
print(f"iterative: MSE at step 1 {iterative_steps[0]:.4f} (its one-step validation MSE: "
      f"{one_step.value:.4f}), at step {P.ahead} {iterative_steps[-1]:.4f} ({growth:.0f}x); "
      f"over all 10 steps {measured['iterative']:.4f}")
assert growth > 5  # the error grows steadily with the horizon
assert np.all(iterative_steps < naive_steps)  # still better than naive at every step
if P.name == "full":
    assert measured["iterative"] <= 0.029  # the book: about 0.029
results.record("iterative_10", value=measured["iterative"], params=one_step.params,
               seconds=iterative_seconds, notebook="03",
               label="Iterative one-step RNN, 10 steps");

# %% [markdown]
# Step 1 is the task the model was trained for; ten steps later the error is many times
# larger, because each step starts from the previous step's slightly wrong value, and the
# model was only ever trained on true inputs, never on its own mistakes.
#
# ## 4. A linear model that outputs ten values
#
# Instead of one output fed back ten times, a model can output all ten values at once,
# trained on `Y_train` (`[batch, 10]`). The simplest is notebook 01's linear model with
# ten output units: `Flatten` then `Dense(10)`, 50 × 10 + 10 = 510 parameters.

# %%
training.set_seed(P.seed)
linear_model = keras.Sequential([
    keras.Input(shape=(P.n_steps, 1)),
    keras.layers.Flatten(),
    keras.layers.Dense(P.ahead),
], name="linear_10")
linear = training.train(linear_model, X_train, Y_train, X_valid, Y_valid, name="linear_10",
                        notebook="03", label="Linear, 10 outputs (Flatten + Dense(10))")
forecasts["linear"] = predict(linear_model, X_valid)
measured["linear"] = linear.value
linear

# %% [markdown]
# ## 5. Sequence-to-vector: an RNN with ten outputs
#
# Same idea with notebook 02's deep RNN: keep the two recurrent layers, and give the
# output layer ten units. The second recurrent layer returns only its last output, so the
# network reads the whole sequence and then emits one vector of ten values: a
# *sequence-to-vector* model.

# %%
training.set_seed(P.seed)
seq2vec_model = keras.Sequential([
    keras.Input(shape=(P.n_steps, 1)),
    keras.layers.SimpleRNN(20, return_sequences=True),
    keras.layers.SimpleRNN(20),
    keras.layers.Dense(P.ahead),
], name="seq2vec_10")
seq2vec = training.train(seq2vec_model, X_train, Y_train, X_valid, Y_valid,
                         name="seq2vec_10", notebook="03",
                         label="Seq-to-vector RNN, Dense(10) output")
forecasts["seq2vec"] = predict(seq2vec_model, X_valid)
measured["seq2vec"] = seq2vec.value
seq2vec

# %% tags=["nbval-check-output"]
print("parameters: linear", linear_model.count_params(), " seq2vec",
      seq2vec_model.count_params(), " seq2vec output:", seq2vec_model.output_shape[1:])

# %% [markdown]
# ## 6. Sequence-to-sequence: ten values at every time step
#
# The seq-to-vector model learns from one error signal per series: the forecast made
# after the last input. We can get 50 of them. Let the second recurrent layer return its
# output at **every** time step, and at each step $t$ ask for the ten values that follow
# it (the book's figure 15-8, first four steps). The target becomes a sequence too:

# %%
diagrams.seq_to_seq_targets(n_steps=4, ahead=P.ahead);

# %% [markdown]
# $$Y[b, t, i] = x_b(t + 1 + i), \qquad t = 0 \dots 49, \quad i = 0 \dots 9.$$
#
# `data.load("sequence")` builds these targets from the same series as above; the last
# time step's target is exactly the ten-value target of the previous sections.

# %% tags=["nbval-check-output"]
_, Y_train_seq, _, Y_valid_seq, _, _ = data.load("sequence")
print("one target sequence:", Y_train_seq.shape[1:])
print("last step's targets equal the 10-value targets:",
      np.array_equal(Y_train_seq[:, -1], Y_train))

# %% [markdown]
# ### One dense layer at every time step
#
# The output layer must map each step's 20 recurrent outputs to 10 values, with the
# *same* weights at every step. Keras offers three ways of writing it, one layer in three
# disguises:
#
# - `TimeDistributed(Dense(10))` applies the dense layer to each time step's 20 values
#   and stacks the results back into `[batch, steps, 10]`: the same as reshaping to
#   `[batch × steps, 20]`, applying the layer to every row and reshaping back;
# - `Dense(10)` on a 3D input multiplies along the last axis only, which is the same thing;
# - `Conv1D(10, kernel_size=1)` slides a one-step-wide filter along time: at each step it
#   computes the same weighted sums, with a kernel of shape `[1, 20, 10]`.
#
# We give the three layers the same weights and compare their outputs:

# %% tags=["nbval-check-output"]
Z = np.random.default_rng(P.seed_for(2)).normal(size=(2, P.n_steps, 20)).astype("float32")
dense = keras.layers.Dense(P.ahead)
per_step = keras.layers.TimeDistributed(keras.layers.Dense(P.ahead))
conv = keras.layers.Conv1D(P.ahead, kernel_size=1)
for layer in (dense, per_step, conv):
    layer(Z)  # builds the layer's weights
kernel, bias = dense.get_weights()
per_step.set_weights([kernel, bias])
conv.set_weights([kernel[np.newaxis], bias])  # [20, 10] -> [1, 20, 10]
outputs = [keras.ops.convert_to_numpy(layer(Z)) for layer in (dense, per_step, conv)]
print("Dense kernel:", kernel.shape, "  Conv1D kernel:", conv.get_weights()[0].shape)
print("output shapes:", [out.shape for out in outputs])
gap = max(np.abs(out - outputs[0]).max() for out in outputs[1:])
print("max abs difference < 1e-6:", bool(gap < 1e-6))
assert gap < 1e-6

# %% [markdown]
# We use `TimeDistributed(Dense(10))`, the book's choice, which says what it does.
# `Conv1D` returns in notebook 05.
#
# ### The model
#
# During training the loss is the MSE over **all** outputs, 50 steps × 10 values; the
# book found a larger learning rate (0.01) works well here. We *judge* the model, though,
# only on its forecast at the last time step, the same forecast the other models make, with
# `metrics.last_time_step_mse`.

# %%
training.set_seed(P.seed)
seq2seq_model = keras.Sequential([
    keras.Input(shape=(P.n_steps, 1)),
    keras.layers.SimpleRNN(20, return_sequences=True),
    keras.layers.SimpleRNN(20, return_sequences=True),
    keras.layers.TimeDistributed(keras.layers.Dense(P.ahead)),
], name="seq2seq_10")
seq2seq = training.train(seq2seq_model, X_train, Y_train_seq, X_valid, Y_valid_seq,
                         name="seq2seq_10", notebook="03", learning_rate=0.01,
                         metrics=[metrics.last_time_step_mse],
                         monitor="val_last_time_step_mse",
                         label="Seq-to-seq RNN, TimeDistributed(Dense(10))")
forecasts["seq2seq"] = predict(seq2seq_model, X_valid)[:, -1]
measured["seq2seq"] = seq2seq.value
seq2seq

# %% tags=["nbval-check-output"]
print("parameters:", seq2seq_model.count_params(), " output of one series:",
      seq2seq_model.output_shape[1:])

# %%
ax = plots.plot_learning_curves(seq2seq.history, label="loss (all 50 × 10 outputs):")
plots.plot_learning_curves(seq2seq.history, label="metric (last step):", ax=ax,
                           metric="last_time_step_mse", color=plots.PALETTE[1])
ax.set(ylabel="MSE", title="seq2seq: trained on every step, judged on the last")
ax.legend(fontsize=8)
assert seq2seq.history["val_loss"][-1] > seq2seq.value  # early steps forecast worse

# %% [markdown]
# The loss over all outputs stays above the last-step metric: forecasts made early in the
# sequence have seen few inputs, and they are worse. They are also what helps: 50 error
# signals per series instead of one, reaching the early time steps directly instead of
# through 50 steps of backpropagation.
#
# ### Overlapping inputs and targets is not cheating
#
# The target at step 10 contains $x(11)$, which is also the input at step 11. Can the
# model copy it? No: a recurrent layer is **causal**. Its output at step $t$ is computed
# from the inputs at steps $0 \dots t$ only, before it reads step $t + 1$. We can check it:
# change every input after step 29 and compare the outputs.

# %% tags=["nbval-check-output"]
t_cut = 30  # inputs from step 30 on are replaced by random values
changed = X_valid[:1].copy()
rng = np.random.default_rng(P.seed_for(3))
changed[:, t_cut:] = rng.uniform(-1, 1, size=changed[:, t_cut:].shape)
out = predict(seq2seq_model, np.concatenate([X_valid[:1], changed]))
unchanged = bool(np.allclose(out[0, :t_cut], out[1, :t_cut], atol=1e-6))
moved = bool(np.abs(out[0, t_cut:] - out[1, t_cut:]).min() > 0)
print(f"outputs at steps 0..{t_cut - 1} unchanged:", unchanged)
print(f"outputs at steps {t_cut}..{P.n_steps - 1} changed:", moved)
assert unchanged and moved  # the past decides the output at t; the future does not

# %% [markdown]
# ## 7. Which approach wins?
#
# Four forecasters of the same ten values, next to the naive baseline, horizon step by
# horizon step and over all ten steps:

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
for name in ORDER:
    ax.plot(steps, mse_per_step(Y_valid, forecasts[name]), "o-", color=plots.color(name),
            label=name)
ax.set(xlabel="steps ahead", ylabel="validation MSE (log scale)", yscale="log",
       xticks=steps, title="error at each horizon step")
ax.legend(ncols=3)
plt.show()
for name in ORDER:
    print(f"{name:>9}: {measured[name]:.4f}")
print(f"seq2seq / seq2vec: {measured['seq2seq'] / measured['seq2vec']:.2f}")
assert all(measured[name] < measured["naive"] / 5 for name in ORDER[1:])  # every model
assert measured["seq2vec"] < measured["linear"]  # a recurrent model beats a linear one
if P.name == "full":  # the quick profile's fewer epochs leave these open
    assert measured["seq2vec"] < 0.75 * measured["linear"]
    assert measured["seq2seq"] < 0.85 * measured["seq2vec"]  # book: about 25 % better
    assert max(measured["seq2vec"], measured["seq2seq"]) < measured["iterative"]  # direct wins
    assert measured["linear"] <= 0.022  # book: 0.0188
    assert measured["seq2vec"] <= 0.012  # book: 0.008
    assert measured["seq2seq"] <= 0.009  # book: 0.006

# %% [markdown]
# In the full profile (the quick one trains too little to tell), the seq-to-vector RNN
# leaves the linear model far behind, and the seq-to-seq RNN, which learns from every
# time step, is better again (the book's ratio: 0.006 / 0.008 = 0.75).
# Both recurrent models trained for the whole horizon beat the iterative one, which only
# ever learned one step ahead. The iterative RNN and the linear model, though, are a
# **tie**: which one comes out ahead changes with the seed (`results/SEEDS.md`), so we
# rank neither, where the book puts the iterative model last.
#
# ## 8. Chaining forecasts into a long sequence
#
# A ten-step model can be fed back too: forecast 10, append them, forecast the next 10.
# `baselines.chain_forecasts` does it with the seq-to-seq model's last-step output, for
# 50 values in five rounds, on 100-value series from the same generator. One catch: the
# generator spreads any number of steps over the same time span ($0 \le t \le 1$), so
# these series move 60 / 100 = 0.6 times as fast per step as the training series: waves
# the model has never seen, so even its first round will be worse than on validation.

# %%
long_ahead = 5 * P.ahead
long_series = data.generate_time_series(P.n_eval, P.n_steps + long_ahead, seed=P.seed_for(1))
X_long, Y_long = long_series[:, :P.n_steps], long_series[:, P.n_steps:, 0]
chained = baselines.chain_forecasts(lambda X: predict(seq2seq_model, X)[:, -1], X_long,
                                   long_ahead)
print("inputs", X_long.shape, " chained forecast", chained.shape)

fig, axes = plt.subplots(1, 2, figsize=(12, 3.4), sharey=True)
for ax, i in zip(axes, (0, 1)):
    plots.plot_series(X_long[i], Y_long[i], {"seq2seq": chained[i]}, ax=ax, legend=(i == 0),
                      title=f"series {i}: 5 rounds of 10 forecasts")
    for k in range(1, 5):
        ax.axvline(P.n_steps + k * P.ahead - 0.5, color=plots.FLOOR_COLOR, lw=0.6, ls=":")
fig.tight_layout()

# %%
chained_steps = mse_per_step(Y_long, chained)
naive_long = mse_per_step(Y_long, baselines.naive_forecast(X_long, ahead=long_ahead))
rounds = chained_steps.reshape(-1, P.ahead).mean(axis=1)
naive_rounds = naive_long.reshape(-1, P.ahead).mean(axis=1)
print("MSE of each round of 10, chained:", np.round(rounds, 3))
print("                           naive:", np.round(naive_rounds, 3))
assert np.all(rounds[1:] > rounds[0])  # later rounds inherit the first round's errors
assert np.all(rounds[:2] < naive_rounds[:2])  # the first 20 values beat the naive forecast
assert rounds[0] > 2 * measured["seq2seq"]  # slower series than in training: worse at once
assert rounds[-1] > 0.8 * naive_rounds[-1]  # by the fifth round, about as bad as naive

# %% [markdown]
# The first round is already several times worse than the validation error: a network
# only knows the kind of series it was trained on. Each later round starts from forecasts
# rather than data, so it is worse still, as the iterative model's later steps were. By
# the last rounds the chained forecast is no better than repeating the last value: the
# waves keep their shape, but their phase drifts. Chaining is fine for a few rounds only.
#
# ## 9. Error bars with MC Dropout
#
# **Dropout** (the book's chapter 11) regularizes: at each training step, each input of a
# layer is zeroed at random with probability `rate`, so the network cannot rely on any
# single unit. It acts only in training; at inference Keras switches it off. A recurrent
# layer takes two rates: `dropout` for the inputs $\mathbf{x}_{(t)}$ it reads at each
# step, `recurrent_dropout` for the hidden state $\mathbf{h}_{(t-1)}$ it passes from one
# step to the next (on a GPU, `recurrent_dropout` costs the fast cuDNN kernel: notebook
# 05).
#
# **Monte Carlo (MC) Dropout** uses dropout for something else: keep it **on** at
# prediction time (`model(X, training=True)`) and predict the same series many times.
# Each prediction comes from a different random sub-network; their mean is the forecast,
# and their spread (standard deviation) an error bar: where the sub-networks disagree,
# the model is unsure. Rather than call the model 100 times, `mc_dropout_predict` below
# stacks 100 copies of each series in one batch: every copy draws its own dropout masks.
#
# We add `recurrent_dropout=0.05` to both layers of section 6's seq-to-seq model
# (exercise 5 tries other rates), with a `Dense(10)` output (the same layer as
# `TimeDistributed(Dense(10))`, as checked in section 6).

# %%
training.set_seed(P.seed)
mc_model = keras.Sequential([
    keras.Input(shape=(P.n_steps, 1)),
    keras.layers.SimpleRNN(20, return_sequences=True, recurrent_dropout=0.05),
    keras.layers.SimpleRNN(20, return_sequences=True, recurrent_dropout=0.05),
    keras.layers.Dense(P.ahead),
], name="mc_dropout_10")
mc = training.train(mc_model, X_train, Y_train_seq, X_valid, Y_valid_seq,
                    name="mc_dropout_10", notebook="03", learning_rate=0.01,
                    metrics=[metrics.last_time_step_mse], monitor="val_last_time_step_mse",
                    record=False)
mc

# %%
def mc_dropout_predict(model, X, n_samples=100):
    """n_samples last-step forecasts per series, dropout active: [batch, n_samples, ahead]."""
    copies = np.repeat(X, n_samples, axis=0)  # series 0 n_samples times, then series 1 ...
    Y = keras.ops.convert_to_numpy(model(copies, training=True))[:, -1]  # last step
    return Y.reshape(len(X), n_samples, -1)


X_mc, Y_mc = X_valid[:P.n_eval], Y_valid[:P.n_eval]
samples = mc_dropout_predict(mc_model, X_mc)
mc_mean, mc_std = samples.mean(axis=1), samples.std(axis=1)
print("samples", samples.shape, " mean", mc_mean.shape, " std", mc_std.shape)

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.3), sharey=True)
for ax, i in zip(axes, range(3)):
    plots.plot_forecast_band(X_mc[i], Y_mc[i], mean=mc_mean[i], std=mc_std[i], ax=ax,
                             label="MC Dropout mean", color=plots.color("seq2seq"),
                             title=f"validation series {i}")
    ax.set_xlim(P.n_steps - 20, P.n_steps + P.ahead)
fig.tight_layout()

# %%
# Averaged over the series: the band's width and the actual error at each horizon step
mc_error = np.sqrt(mse_per_step(Y_mc, mc_mean))
spread = mc_std.mean(axis=0)
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(steps, spread, "o-", color=plots.color("seq2seq"),
        label="MC Dropout std (mean over series)")
ax.plot(steps, mc_error, "s--", color=plots.INPUT_COLOR, label="RMSE of the MC mean")
ax.set(xlabel="steps ahead", ylabel="spread / error", xticks=steps,
       title="the band widens with the horizon")
ax.legend()
plt.show()
deterministic = baselines.mse(Y_mc, predict(mc_model, X_mc)[:, -1])
mc_mse = baselines.mse(Y_mc, mc_mean)
print(f"std at step 1: {spread[0]:.4f}   at step {P.ahead}: {spread[-1]:.4f}")
print(f"MSE of the MC mean {mc_mse:.4f}, of one prediction with dropout off "
      f"{deterministic:.4f}; seq2seq without dropout: {measured['seq2seq']:.4f}")
assert spread[-1] > spread[0]  # the further ahead, the less sure the model is
assert np.corrcoef(spread, mc_error)[0, 1] > 0  # and its spread follows its error
assert mc_mse < 1.05 * deterministic  # averaging the samples costs nothing
if P.name == "full":
    assert mc_mse > measured["seq2seq"]  # dropout costs these small layers accuracy

# %% [markdown]
# The band is narrow for the next few steps and widens further out, in step with the
# model's actual error. Averaging the 100 samples is at least as good as one prediction
# with dropout off, but dropout has a price here: these small layers forecast worse with
# it than section 6's model without it (the MSEs printed above). And the spread measures
# only the model's own uncertainty, not the noise in the data: read it as a relative
# error bar, and compare its width with the actual error in the plot above.
#
# ## 10. Try it
#
# Pick a validation series and a horizon: every approach's forecast up to that step
# (left), and its MSE *at that step* over all validation series (right, log scale).

# %%
def show_forecasts(horizon, series_index):
    fig, (ax_series, ax_mse) = plt.subplots(1, 2, figsize=(12, 3.6),
                                            gridspec_kw={"width_ratios": [2, 1]})
    plots.plot_series(X_valid[series_index], Y_valid[series_index, :horizon],
                      {name: forecasts[name][series_index, :horizon] for name in ORDER},
                      ax=ax_series, title=f"validation series {series_index}")
    ax_series.set_xlim(P.n_steps - 20, P.n_steps + P.ahead)
    at_step = {name: mse_per_step(Y_valid, forecasts[name])[horizon - 1] for name in ORDER}
    plots.plot_mse_bars(at_step, ax=ax_mse, log_scale=True)
    ax_mse.get_legend().remove()
    ax_mse.set_title(f"MSE at step {horizon}, all validation series")
    fig.tight_layout()
    plt.show()


show_forecasts(P.ahead, 0)

# %% tags=["nbval-ignore-output"]
widgets.interactive_view(show_forecasts, {
    "horizon": widgets.int_slider("horizon", 1, P.ahead, P.ahead),
    "series_index": widgets.int_slider("series", 0, len(X_valid) - 1, 0),
})

# %% [markdown]
# ## Summary
#
# This run's validation MSE over the ten forecast steps, next to the book's (for the
# naive forecast, the corrected figure; the book printed 0.223):

# %%
book = {name: results.BOOK[f"{name}_10"].value for name in ORDER}
for name in ORDER:
    print(f"{name:>9}: ours {measured[name]:.4f}   book {book[name]:.4f}")
ax = plots.plot_mse_bars({name: measured[name] for name in ORDER}, reference=book,
                         floor=baselines.noise_floor(0.1), log_scale=True)
ax.set_title("10-step validation MSE: ours vs the book (log scale)");

# %% [markdown]
# - The honest naive forecast scores about 0.26; the book's 0.223 used the last target.
# - A one-step model fed its own forecasts works, but its errors accumulate step by step.
# - A recurrent model that outputs all ten values beats a linear one, and forecasting at
#   every time step (seq-to-seq) helps again; both beat the iterative model, which ties
#   with the linear one.
# - `TimeDistributed(Dense(n))`, `Dense(n)` on sequences and `Conv1D(n, kernel_size=1)`
#   are one layer; a recurrent layer is causal, so overlapping targets leak nothing.
# - Chained forecasts compound their errors: by 50 steps the naive forecast is as good.
# - MC Dropout (dropout on at inference, many predictions averaged) gives error bars that
#   widen with the horizon.
#
# ## Exercises
#
# Where an answer is a number or an array, a `check_...` function grades it on this
# notebook's data (same profile and seed); calls are shown commented out below.

# %%
from helpers.exercises.lesson03 import (check_chained_rounds, check_drift_mse,
                                        check_param_count, check_seq2seq_targets)

# check_seq2seq_targets(my_Y_valid_seq)           # exercise 1: array [n_valid, 50, 10]
# check_drift_mse(0.123)                          # exercise 2: one number
# check_param_count(1234)                         # exercise 3: a whole number
# check_chained_rounds(my_rounds, seq2vec_model)  # exercise 4: five numbers, your model

# %% [markdown]
# 1. Build the validation seq-to-seq targets yourself from `X_valid` and `Y_valid`.
#    <details><summary>Solution</summary>
#
#    Join inputs and targets into 60-value series, and take the ten values after each $t$:
#    `series = np.concatenate([X_valid[:, :, 0], Y_valid], axis=1)`, then
#    `np.lib.stride_tricks.sliding_window_view(series[:, 1:], 10, axis=1)[:, :50]`.
#    </details>
# 2. Another cheap baseline extrapolates the last change: $\hat x(49 + i) = x(49) +
#    i\,(x(49) - x(48))$. What is its validation MSE over $i = 1 \dots 10$? Is it better
#    than the naive forecast?
#    <details><summary>Solution</summary>
#
#    `baselines.mse(Y_valid, X_valid[:, -1, :1] + steps * (X_valid[:, -1, :1] -
#    X_valid[:, -2, :1]))`. Far worse than naive: the waves turn within ten steps while
#    the line keeps going, and the noise in the last change is multiplied by $i$.
#    </details>
# 3. How many parameters has `SimpleRNN(32, return_sequences=True)` →
#    `SimpleRNN(32, return_sequences=True)` → `TimeDistributed(Dense(10))`? Count by hand.
#    <details><summary>Solution</summary>
#
#    A `SimpleRNN` with $u$ units and $d$ inputs per step has $u(d + u + 1)$ parameters:
#    $32 \times 34 = 1088$, then $32 \times 65 = 2080$; the dense layer, shared by every
#    step, $32 \times 10 + 10 = 330$. In all 3498, as `count_params()` says.
#    </details>
# 4. Chain the seq-to-vector model over section 8's 50 steps instead of the seq-to-seq
#    one. What is the MSE of each round of ten? Does it degrade the same way?
#    <details><summary>Solution</summary>
#
#    `baselines.chain_forecasts(lambda X: predict(seq2vec_model, X), X_long, 50)`, then
#    `mse_per_step(Y_long, ...)` reshaped to `(5, 10)` and averaged over its last axis.
#    The same two causes apply as in section 8 (slower series than in training, rounds
#    built on forecasts), so the error grows from round to round.
#    </details>
# 5. Retrain the MC Dropout model with `recurrent_dropout` of 0.02, 0.1 and 0.2. How do
#    the MSE of the MC mean and the band's width change?
#    <details><summary>Solution</summary>
#
#    Make the rate a variable in section 9 and rerun it. A higher rate drops more of the
#    state, so the sub-networks differ more and the band widens; compare `spread` with
#    `mc_error` (calibration) and `mc_mse` with section 6's model (the cost).
#    </details>
#
# Next: **04 · Unstable gradients**.

# %% [markdown]
# <!-- nav -->
#
# [← 02 · Recurrent neurons and layers: simple and deep RNNs](02_simple_and_deep_rnns.ipynb) · [index](00_index.ipynb) · [04 · Long sequences, part 1: unstable gradients →](04_unstable_gradients.ipynb)

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
# [← 01 · Time series: the data and the baselines](01_baselines.ipynb) · [index](00_index.ipynb) · [03 · Forecasting several steps ahead →](03_multistep_forecasting.ipynb)

# %% [markdown]
# # 02 · Recurrent neurons and layers: simple and deep RNNs
#
# Notebook 01 gave us data and two baselines: the naive forecast (validation MSE about
# 0.020) and a linear model (about 0.004). Now we build recurrent networks, first by hand
# in NumPy to see exactly what a recurrent layer computes, then in Keras to forecast.
#
# **What you will learn**
#
# - what a recurrent neuron and a layer of them compute, unrolled through time, with the
#   layer's equations executed in NumPy and checked against Keras' `SimpleRNN`;
# - memory cells, the four ways to wire inputs and outputs, backpropagation through time
#   (a gradient computed both ways), and deep RNNs;
# - how a one-neuron RNN, a deep RNN and a deep RNN with a `Dense` head compare with the
#   baselines (measured), and the `return_sequences` mistake everyone makes once;
# - what trend and seasonality are, and how differencing removes them.

# %% [markdown]
# ## Setup

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from helpers import (baselines, convs, data, diagrams, models, plots, results, training,
                     widgets)

P = helpers.setup()

# %% [markdown]
# ## 1. A recurrent neuron, unrolled through time
#
# A neuron in a feed-forward network maps its inputs to an output. A **recurrent** neuron
# also receives its own output from the previous time step: at step $t$ it gets the input
# $x_{(t)}$ *and* $y_{(t-1)}$, and produces $y_{(t)}$. At the first step there is no
# previous output, so $y_{(-1)} = 0$.
#
# Drawing the same neuron once per time step, left to right, is called **unrolling the
# network through time**. Each copy (a *frame*) is the same neuron with the same weights,
# at a different time step.

# %%
fig, (ax_rolled, ax_unrolled) = plt.subplots(
    1, 2, figsize=(11, 3), gridspec_kw={"width_ratios": [1.2, 4]})
diagrams.recurrent_neuron(ax_rolled)
ax_rolled.set_title("a recurrent neuron", fontsize=10)
diagrams.unrolled(ax_unrolled, 4, title="the same neuron, unrolled through time");

# %% [markdown]
# ## 2. A layer of recurrent neurons, executed
#
# Put `n_neurons` recurrent neurons side by side and every one of them receives the whole
# input vector $\mathbf{x}_{(t)}$ and the whole previous output vector
# $\mathbf{y}_{(t-1)}$ of the layer; the layer outputs one value per neuron, the vector
# $\mathbf{y}_{(t)}$ (here 5 neurons and 3 inputs):

# %%
fig, axes = diagrams.layer_of_neurons(n_neurons=5, n_steps=3, n_inputs=3)

# %% [markdown]
# The layer has two weight matrices, $\mathbf{W}_x$
# (`n_inputs × n_neurons`) for the inputs and $\mathbf{W}_y$ (`n_neurons × n_neurons`) for
# the previous outputs, and a bias vector $\mathbf{b}$. For one instance (equation 15-1 in
# the book):
#
# $$\mathbf{y}_{(t)} = \phi\left(\mathbf{W}_x^\top \mathbf{x}_{(t)} + \mathbf{W}_y^\top
#   \mathbf{y}_{(t-1)} + \mathbf{b}\right)$$
#
# and for a mini-batch of $m$ instances, with one instance per row (equation 15-2):
#
# $$\mathbf{Y}_{(t)} = \phi\left(\mathbf{X}_{(t)} \mathbf{W}_x + \mathbf{Y}_{(t-1)}
#   \mathbf{W}_y + \mathbf{b}\right) = \phi\left([\mathbf{X}_{(t)}\ \ \mathbf{Y}_{(t-1)}]\,
#   \mathbf{W} + \mathbf{b}\right), \qquad
#   \mathbf{W} = \begin{bmatrix}\mathbf{W}_x \\ \mathbf{W}_y\end{bmatrix}$$
#
# where $\mathbf{X}_{(t)}$ is `m × n_inputs`, $\mathbf{Y}_{(t)}$ is `m × n_neurons`, and
# $\phi$ is the activation, usually tanh. Here are both forms in NumPy:

# %%
def recurrent_layer(X, W_x, W_y, b, activation=np.tanh):
    """Equation 15-2, two-matrix form: X is [batch, steps, inputs]; returns every Y(t)."""
    Y_t = np.zeros((X.shape[0], W_y.shape[0]), dtype=X.dtype)  # Y(-1) = 0
    outputs = []
    for t in range(X.shape[1]):
        Y_t = activation(X[:, t] @ W_x + Y_t @ W_y + b)
        outputs.append(Y_t)
    return np.stack(outputs, axis=1)


def recurrent_layer_stacked(X, W, b, activation=np.tanh):
    """Equation 15-2, stacked form: one product of [X(t) Y(t-1)] with W = [W_x; W_y]."""
    Y_t = np.zeros((X.shape[0], W.shape[1]), dtype=X.dtype)
    outputs = []
    for t in range(X.shape[1]):
        Y_t = activation(np.concatenate([X[:, t], Y_t], axis=1) @ W + b)
        outputs.append(Y_t)
    return np.stack(outputs, axis=1)


# %% [markdown]
# Keras' `SimpleRNN` is exactly such a layer. We create one with 5 neurons, run it on a
# mini-batch of 4 of the chapter's series (50 steps each) and take its weights: `kernel`
# is $\mathbf{W}_x$, `recurrent_kernel` is $\mathbf{W}_y$.

# %%
training.set_seed(P.seed)
rnn_layer = keras.layers.SimpleRNN(5, return_sequences=True)
X_batch = data.generate_time_series(4, P.n_steps, seed=P.seed)
Y_keras = rnn_layer(X_batch).numpy()
W_x, W_y, b = rnn_layer.get_weights()
W = np.vstack([W_x, W_y])

# %% tags=["nbval-check-output"]
print("X:", X_batch.shape, " W_x:", W_x.shape, " W_y:", W_y.shape, " b:", b.shape,
      " W:", W.shape, " Y:", Y_keras.shape)
Y_two = recurrent_layer(X_batch, W_x, W_y, b)
Y_stacked = recurrent_layer_stacked(X_batch, W, b)
for name, Y_numpy in (("two-matrix form", Y_two), ("stacked form", Y_stacked)):
    gap = np.abs(Y_numpy - Y_keras).max()
    print(f"{name:>16} equals Keras' SimpleRNN to 1e-5: {gap < 1e-5}")
    assert gap < 1e-5

# %% [markdown]
# Both forms give what Keras gives. Because $\mathbf{Y}_{(t)}$ is computed from
# $\mathbf{Y}_{(t-1)}$, which was computed from $\mathbf{Y}_{(t-2)}$, and so on,
# $\mathbf{Y}_{(t)}$ depends on **every input since $t = 0$**, and on none after $t$.
# The gradient of one output with respect to every input step shows both halves of that
# sentence:

# %%
x = tf.constant(X_batch[:1])
t_out = 20
with tf.GradientTape() as tape:
    tape.watch(x)
    y_t = tf.reduce_sum(rnn_layer(x)[:, t_out])
influence = np.abs(tape.gradient(y_t, x).numpy()[0, :, 0])

fig, ax = plt.subplots(figsize=(8, 3))
steps = np.arange(P.n_steps)
ax.semilogy(steps[influence > 0], influence[influence > 0], "o-", ms=3)
ax.axvline(t_out, color=plots.FLOOR_COLOR, ls=":")
ax.set(xlabel="input time step $s$",
       ylabel=r"$|\partial y_{(20)} / \partial x_{(s)}|$",
       title=f"how much each input moves the output at t = {t_out}");

# %% tags=["nbval-check-output"]
print(f"y({t_out}) depends on every input up to step {t_out}:",
      bool(np.all(influence[: t_out + 1] > 0)))
print(f"y({t_out}) depends on no input after step {t_out}:",
      bool(np.all(influence[t_out + 1:] == 0)))

# %% [markdown]
# Every input up to step 20 moves $y_{(20)}$; how strongly is a matter of the weights
# (this layer is untrained). Over long sequences that influence tends to explode or
# vanish (notebook 04); notebook 05 measures how far back a trained cell remembers.
#
# ## 3. Memory cells
#
# So a recurrent layer has a form of memory. Any part of a network that keeps state
# across time steps is a **memory cell** (or cell). The state, called $\mathbf{h}$ for
# *hidden*, is passed to the next step; the output $\mathbf{y}$ goes up, and the two need
# not be the same:

# %%
fig, axes = diagrams.memory_cell(3)

# %% [markdown]
# In general $\mathbf{h}_{(t)} = f(\mathbf{h}_{(t-1)}, \mathbf{x}_{(t)})$, and
# $\mathbf{y}_{(t)}$ is a function of them too. In the simple cell above the output *is*
# the state; in the LSTM cell of notebook 05 they differ. The book puts the reach of a
# simple cell at short patterns, about 10 steps long.
#
# ## 4. Input and output sequences
#
# A recurrent network can read and write sequences in four ways:
#
# - **sequence to sequence**: forecast the series shifted ahead (notebook 03);
# - **sequence to vector**: keep only the last output: the sentiment of a review, or the
#   next value of a series (this notebook);
# - **vector to sequence**: one input, at the first step or every step; an output
#   sequence, such as an image's caption;
# - **encoder-decoder**: a sequence-to-vector *encoder*, then a vector-to-sequence
#   *decoder*, as in translation: the end of a sentence can change the meaning of its
#   start, so reading all of it first beats translating word by word.

# %%
fig, axes = diagrams.sequence_shapes()

# %% [markdown]
# ## 5. Training: backpropagation through time
#
# **Backpropagation through time** (BPTT) is ordinary backpropagation through the
# unrolled network. The forward pass runs through it; a cost reads some of the outputs (a
# sequence-to-vector model ignores all but the last); the cost's gradients flow back
# through the outputs it used, and from there through every earlier time step.

# %%
fig, ax = diagrams.bptt()

# %% [markdown]
# Every frame uses **the same** $\mathbf{W}_y$, so its gradient is the **sum** of the
# gradients that one copy per frame would get. We check it with `GradientTape`: unroll the
# layer by hand with one copy of $\mathbf{W}_y$ per step, let the cost read only the last
# three outputs, and compare the copies' summed gradients with Keras' gradient.

# %%
X_short = X_batch[:, :6]  # 6 time steps keep the printout short
with tf.GradientTape() as tape:
    cost = tf.reduce_mean(tf.square(rnn_layer(X_short)[:, -3:]))
grad_keras = tape.gradient(cost, rnn_layer.cell.recurrent_kernel).numpy()

copies = [tf.Variable(W_y) for _ in range(X_short.shape[1])]
with tf.GradientTape() as tape:
    y_t = tf.zeros((len(X_short), W_y.shape[0]))
    outputs = []
    for t, W_y_copy in enumerate(copies):
        y_t = tf.tanh(X_short[:, t] @ W_x + y_t @ W_y_copy + b)
        outputs.append(y_t)
    cost_unrolled = tf.reduce_mean(tf.square(tf.stack(outputs[-3:], axis=1)))
grads_per_step = [g.numpy() for g in tape.gradient(cost_unrolled, copies)]

# %% tags=["nbval-check-output"]
print("norm of each frame's gradient:",
      np.round([np.linalg.norm(g) for g in grads_per_step], 4))
print("sum over frames equals Keras' gradient:",
      np.allclose(np.sum(grads_per_step, axis=0), grad_keras, atol=1e-6))
print("first frame's gradient is zero (it multiplies y(-1) = 0):",
      bool(np.all(grads_per_step[0] == 0)))

# %% [markdown]
# The first three outputs are ignored by the cost, yet frames 1 and 2 still get gradient:
# it reaches them backwards through time, from the outputs that were used. Frame 0 gets
# none, because its copy of $\mathbf{W}_y$ multiplies $\mathbf{y}_{(-1)} = \mathbf{0}$.
#
# ## 6. Forecasting with the simplest RNN
#
# Back to forecasting. We reuse notebook 01's data: 50 steps of a series in, the next
# value out.

# %%
X_train, y_train, X_valid, y_valid, X_test, y_test = data.load("one_step")
naive_mse = baselines.mse(y_valid, baselines.naive_forecast(X_valid))
linear_mse = results.value("linear")  # trained and recorded by notebook 01
print(f"baselines to beat: naive {naive_mse:.4f}, linear {linear_mse:.4f}")

# %% [markdown]
# The simplest RNN is one layer with one neuron. No `Flatten` is needed: a recurrent
# layer accepts sequences of any length, so the input shape can even be `(None, 1)`. By
# default a Keras recurrent layer returns only its **last** output, which is the forecast
# we want. With tanh activation its output lies in $[-1, 1]$; our series fit in that range.

# %%
training.set_seed(P.seed)
simple_rnn = keras.Sequential([
    keras.Input(shape=(None, 1)),
    keras.layers.SimpleRNN(1),
], name="simple_rnn")

# %% tags=["nbval-check-output"]
print("SimpleRNN(1) parameters:", simple_rnn.count_params(),
      "(1 input weight + 1 recurrent weight + 1 bias)")
print("linear model parameters: 51 (50 weights + 1 bias)")

# %% [markdown]
# Three parameters against 51. We train it with Adam at a learning rate of 0.005, as the
# book's accompanying notebook does for this model (Keras' default is 0.001).

# %%
simple = training.train(simple_rnn, X_train, y_train, X_valid, y_valid, name="simple_rnn",
                        notebook="02", learning_rate=0.005, label="SimpleRNN(1)")
simple

# %%
print(f"naive {naive_mse:.4f}   SimpleRNN(1) {simple.value:.4f}   linear {linear_mse:.4f}")
assert simple.value < naive_mse  # it beats the naive forecast ...
if P.name == "full":
    assert simple.value > linear_mse  # ... but not the linear model
    assert simple.value <= 0.016  # the book reports about 0.014

# %% [markdown]
# It beats the naive forecast, but not the linear model. That is not surprising: its whole
# memory is a single number, and with one input weight, one recurrent weight and a bias
# there is not much it can learn about two sine waves.
#
# ## 7. Deep RNNs
#
# Stacking recurrent layers gives a **deep RNN**: the first layer reads the series, and
# each layer above reads the output sequence of the layer below it.

# %%
fig, axes = diagrams.deep_rnn(n_layers=3, n_steps=3)

# %% [markdown]
# So every recurrent layer except the last must return its whole output sequence
# (`return_sequences=True`): the next recurrent layer needs one input vector per time
# step. Here is what happens when we forget it:

# %%
try:
    keras.Sequential([
        keras.Input(shape=(None, 1)),
        keras.layers.SimpleRNN(20, name="first_rnn"),  # forgot return_sequences=True
        keras.layers.SimpleRNN(20, name="second_rnn"),
    ])
except ValueError as error:
    message = str(error)

# %% tags=["nbval-check-output"]
print(message)

# %% [markdown]
# Read it as: *the second layer expected a 3D input `[batch, steps, features]` but got the
# 2D `[batch, 20]`*, which is the first layer's last output only. The book's deep RNN,
# written correctly, has two layers of 20 neurons that return sequences and a final
# one-neuron layer that does not:

# %%
training.set_seed(P.seed)
deep_rnn = keras.Sequential([
    keras.Input(shape=(None, 1)),
    keras.layers.SimpleRNN(20, return_sequences=True),
    keras.layers.SimpleRNN(20, return_sequences=True),
    keras.layers.SimpleRNN(1),
], name="deep_rnn")
deep = training.train(deep_rnn, X_train, y_train, X_valid, y_valid, name="deep_rnn",
                      notebook="02", label="Deep RNN (SimpleRNN 20-20-1)")
deep

# %%
print(f"SimpleRNN(1) {simple.value:.4f}   deep RNN {deep.value:.4f}   "
      f"linear {linear_mse:.4f}")
assert deep.value < simple.value  # depth helps ...
if P.name == "full":
    assert deep.value < simple.value / 2  # ... a lot
    assert deep.value < 1.5 * linear_mse  # and brings the RNN into the linear model's range
    assert deep.value <= 0.005  # the book reports about 0.003

# %% [markdown]
# Depth helps a lot: the deep RNN's error is a fraction of the single neuron's. Against
# the linear model it is close, and which of the two is ahead changes with the seed
# (`results/SEEDS.md` lists both at four seeds): treat it as a tie. The book has the deep
# RNN just ahead (about 0.003 against 0.004).
#
# ### A better output layer
#
# That model's last layer is a one-neuron recurrent layer, an odd choice: its state is
# one number, so it carries almost nothing from step to step; its tanh keeps every
# forecast within $[-1, 1]$; and its activation cannot change without changing how its
# state evolves. With a `Dense(1)` head instead, the second recurrent layer returns only
# its last output and a dense layer maps those 20 numbers to the forecast, with any
# activation we like (none here).

# %%
training.set_seed(P.seed)
deep_dense_rnn = keras.Sequential([
    keras.Input(shape=(None, 1)),
    keras.layers.SimpleRNN(20, return_sequences=True),
    keras.layers.SimpleRNN(20),
    keras.layers.Dense(1),
], name="deep_rnn_dense")
deep_dense = training.train(deep_dense_rnn, X_train, y_train, X_valid, y_valid,
                            name="deep_rnn_dense", notebook="02",
                            label="Deep RNN + Dense head (20-20, Dense 1)")
deep_dense

# %%
ax = plots.plot_learning_curves(deep.history, label="RNN head", color=plots.color("deep_rnn"))
plots.plot_learning_curves(deep_dense.history, label="Dense head", ax=ax,
                           color=plots.color("deep_rnn_dense"))
ax.axhline(linear_mse, color=plots.color("linear"), ls=":", label="linear (notebook 01)")
ax.set_title("two deep RNNs: validation (solid) and training (dashed) MSE")
ax.legend(ncols=2);

# %%
def first_epoch_at_or_below(history, level):
    """First epoch (1-based) whose validation loss is <= level, or None."""
    return next((epoch for epoch, loss in enumerate(history["val_loss"], start=1)
                 if loss <= level), None)


level = deep.value  # where the RNN-head model ended
reach_rnn_head = first_epoch_at_or_below(deep.history, level)
reach_dense_head = first_epoch_at_or_below(deep_dense.history, level)
print(f"validation MSE {level:.4f} reached at epoch {reach_rnn_head} with the RNN head, "
      f"at epoch {reach_dense_head} with the Dense head")
if P.name == "full":  # the quick profile's few epochs are too few to rank the two heads
    assert reach_dense_head is not None and reach_dense_head < reach_rnn_head
    assert deep_dense.value < 0.9 * linear_mse  # ahead of the linear model at every seed
    assert deep_dense.value <= 0.0035  # the book: about the same as the RNN head

# %% [markdown]
# In the full profile the Dense-head model reaches the RNN-head model's final validation
# MSE in fewer epochs (printed above) and is the first model of the course that beats the
# linear one at each of the course's seeds (asserted). What does the head change in the
# work of one forecast? Count multiply-adds: a `SimpleRNN` layer does
# `n_inputs × units + units × units` of them at each of the 50 steps, a `Dense` layer
# `n_inputs × units` once. `helpers.models.rnn_stack`, which the widget and later
# notebooks use, must build the same models.

# %% tags=["nbval-check-output"]
def multiply_adds(model):
    """Multiply-adds of one forecast on P.n_steps steps (`helpers.convs.forward_cost`)."""
    return convs.forward_cost(model, P.n_steps).multiply_adds


for head, model in (("rnn", deep_rnn), ("dense", deep_dense_rnn)):
    built = models.rnn_stack(20, 2, head=head)
    same = (built.count_params(), multiply_adds(built)) == \
        (model.count_params(), multiply_adds(model))
    print(f"{head:>5} head: {model.count_params():,} parameters, {multiply_adds(model):,} "
          f"multiply-adds per forecast; rnn_stack(20, 2, head={head!r}) the same: {same}")
saved = multiply_adds(deep_rnn) - multiply_adds(deep_dense_rnn)
print(f"the Dense head saves {saved:,} multiply-adds ({saved / multiply_adds(deep_rnn):.1%})")
# the RNN head's 50 steps of 20 + 1 against the Dense head's single product of 20
assert saved == P.n_steps * (20 * 1 + 1 * 1) - 20 * 1

# %% [markdown]
# The head is a small part of the work either way: the two 20-unit recurrent layers do
# nearly all of it, so the Dense head's gain is in epochs, not in work per epoch. From now
# on our recurrent forecasters end with a dense layer.

# %%
fig, axes = plots.plot_series_grid(X_valid, y_valid, {
    "simple_rnn": simple_rnn.predict(X_valid[:3], verbose=0),
    "deep_rnn_dense": deep_dense_rnn.predict(X_valid[:3], verbose=0),
}, n=3)

# %% [markdown]
# ## 8. Trend and seasonality
#
# Our series are stationary: their statistics do not drift. Many real series have a
# **trend** (users grow 10% a month) or **seasonality** (sunscreen sells in summer).
# Models such as weighted moving averages or ARIMA need both removed first: forecast the
# *differences*, then add trend and season back. A lag-$p$ difference,
# $d_{(t)} = x_{(t)} - x_{(t-p)}$, removes a season of period $p$ and turns a linear trend
# into a constant. RNNs usually learn trend and seasonality directly, but removing them
# can still help.
#
# Here is a small monthly series with both, 96 months known and 24 to forecast:

# %%
period, n_known, n_future = 12, 96, 24
months = np.arange(n_known + n_future)
rng = np.random.default_rng(P.seed)
monthly = 0.05 * months + np.sin(2 * np.pi * months / period) \
    + 0.1 * rng.standard_normal(len(months))
known, future = monthly[:n_known], monthly[n_known:]

diffs = known[period:] - known[:-period]  # lag-12 difference: season gone, trend -> constant
d_forecast = diffs.mean()  # forecast the (flat) differences by their mean


def undifference(history, diffs, period):
    """Add the season back, one step after the other: x(t) = x(t - period) + d(t)."""
    values = list(history)
    for d in diffs:
        values.append(values[-period] + d)
    return np.array(values[len(history):])


seasonal_forecast = undifference(known, np.full(n_future, d_forecast), period)
naive_monthly = np.full(n_future, known[-1])

# %%
fig, (ax_raw, ax_diff) = plt.subplots(1, 2, figsize=(12, 3.2))
ax_raw.plot(months[:n_known], known, ".-", color=plots.INPUT_COLOR, lw=1, ms=3,
            label="known")
ax_raw.plot(months[n_known:], future, "*", color=plots.TARGET_COLOR, label="true future")
ax_raw.plot(months[n_known:], naive_monthly, "-", color=plots.color("naive"), label="naive")
ax_raw.plot(months[n_known:], seasonal_forecast, "-", color=plots.PALETTE[0],
            label="differenced, then added back")
ax_raw.set(title="trend + seasonality", xlabel="month")
ax_raw.legend(loc="upper left")
ax_diff.plot(months[period:n_known], diffs, ".-", color=plots.INPUT_COLOR, lw=1, ms=3)
ax_diff.axhline(d_forecast, color=plots.PALETTE[0], ls="--", label="mean: the forecast")
ax_diff.set(title=f"lag-{period} differences: flat, no season", xlabel="month")
ax_diff.legend();

# %%
mse_naive_monthly = baselines.mse(future, naive_monthly)
mse_seasonal = baselines.mse(future, seasonal_forecast)
print(f"24-month forecast MSE: naive {mse_naive_monthly:.3f}, "
      f"differenced {mse_seasonal:.3f}")
assert mse_seasonal < mse_naive_monthly / 5
# undifference against the closed form: future month k is the same month of the last
# known season plus (k // period + 1) differences
k = np.arange(n_future)
closed_form = known[n_known - period + k % period] + (k // period + 1) * d_forecast
assert np.allclose(seasonal_forecast, closed_form)

# %% [markdown]
# ## 9. Try it: train your own RNN
#
# Choose the number of units per layer, the number of recurrent layers, their activation
# and the epochs, then press **Train**. The model ends with a `Dense(1)` head and trains
# on a subset of the training set so you do not wait long. Try `relu`: notebook 04
# explains what you see.

# %%
def train_and_show(units, depth, activation, epochs, callbacks=()):
    """Build rnn_stack(units, depth, activation), train it briefly, plot what it learned."""
    training.set_seed(P.seed)
    model = models.rnn_stack(units, depth, activation=activation)
    n = P.widget_train
    result = training.train(model, X_train[:n], y_train[:n], X_valid, y_valid,
                            name="widget", notebook="02", epochs=epochs, record=False,
                            progress=False, callbacks=callbacks)
    fig, (ax_curve, ax_series) = plt.subplots(1, 2, figsize=(11, 3.4))
    plots.plot_learning_curves(result.history, label=f"{depth}x{units} {activation}",
                               ax=ax_curve)
    ax_curve.axhline(linear_mse, color=plots.color("linear"), ls=":", label="linear")
    ax_curve.legend()
    plots.plot_series(X_valid[0], y_valid[0],
                      {"your RNN": model.predict(X_valid[:1], verbose=0)[0]}, ax=ax_series,
                      title=f"validation MSE {result.value:.4f}")
    return result


# %% tags=["nbval-ignore-output"]
widgets.train_view(train_and_show, {
    "units": widgets.int_slider("units", 1, 64, 20),
    "depth": widgets.int_slider("layers", 1, 4, 2),
    "activation": widgets.dropdown("activation", models.ACTIVATIONS[:2]),
    "epochs": widgets.int_slider("epochs", 1, 10, P.widget_epochs),
})

# %% [markdown]
# ## Summary
#
# This run's validation MSEs next to the book's (their spread: `results/SEEDS.md`).

# %%
measured = {"naive": naive_mse, "linear": linear_mse, "simple_rnn": simple.value,
            "deep_rnn": deep.value, "deep_rnn_dense": deep_dense.value}
for name, value in measured.items():
    print(f"{name:>15}: ours {value:.4f}   book {results.BOOK[name].value:.3f}")
ax = plots.plot_mse_bars(measured, reference={k: results.BOOK[k].value for k in measured},
                         floor=baselines.noise_floor(0.1), log_scale=True)
ax.set_title("validation MSE: ours vs the book (log scale)");

# %% [markdown]
# - A recurrent layer computes $\phi(\mathbf{X}_{(t)}\mathbf{W}_x + \mathbf{Y}_{(t-1)}
#   \mathbf{W}_y + \mathbf{b})$ step after step (our NumPy version matches `SimpleRNN`);
#   each output depends on all earlier inputs and no later ones.
# - BPTT is backpropagation through the unrolled network; the shared weights' gradient is
#   the sum of the per-step gradients (checked).
# - One recurrent neuron beats the naive forecast but not the linear model; a deep RNN
#   ties with the linear model; with a `Dense` head it gets there in fewer epochs, for
#   about the same multiply-adds, and beats the linear model at each of the course's seeds.
# - Forgetting `return_sequences=True` between recurrent layers fails at build time.
#
# ## Exercises
#
# The `check_...` functions imported below grade numbers and arrays. Try first.
#
# 1. Implement equation 15-1 for a *single* instance (vectors, not matrices) and compute
#    $\mathbf{y}_{(t)}$ of instance 0 of `X_batch` at the last step (`check_y_last(y)`).
# <details><summary>Solution</summary>
#
# ```python
# y = np.zeros(5)  # y(-1) = 0
# for t in range(X_batch.shape[1]):
#     y = np.tanh(W_x.T @ X_batch[0, t] + W_y.T @ y + b)
# ```
#
# $\mathbf{W}_x^\top \mathbf{x}_{(t)}$ is one row of $\mathbf{X}_{(t)}\mathbf{W}_x$;
# `y` equals `Y_keras[0, -1]`.
# </details>
#
# 2. Replace `np.tanh` by a ReLU (`lambda z: np.maximum(z, 0)`) in `recurrent_layer` and
#    run it on `X_batch * 5` with `W_y * 3`. What happens to the outputs over time?
# <details><summary>Solution</summary>
#
# Print `np.abs(Y).max(axis=(0, 2))`: tanh keeps every output in $[-1, 1]$; ReLU bounds
# nothing, and depending on the weights (try a few seeds) its outputs grow (notebook 04).
# </details>
#
# 3. In the BPTT check, let the cost read only the output at step 3
#    (`tf.reduce_mean(tf.square(outputs[3]))`). Which frames get a nonzero gradient?
#    (`check_frames_with_gradient([...])`)
# <details><summary>Solution</summary>
#
# Frames 1, 2 and 3: frames 4 and 5 come after $\mathbf{y}_{(3)}$; frame 0's copy
# multiplies $\mathbf{y}_{(-1)} = \mathbf{0}$.
# </details>
#
# 4. How many multiply-adds does one forecast of `models.rnn_stack(20, 3)` (three
#    recurrent layers) take (`check_multiply_adds(n)`)? Train it: is deeper better here?
# <details><summary>Solution</summary>
#
# `multiply_adds(models.rnn_stack(20, 3))`: the third layer adds $50 \times (20 \times
# 20 + 20 \times 20)$, about two thirds more. Compare its validation MSE with
# `deep_dense.value`: a gain counts only if it exceeds the spread between seeds.
# </details>
#
#
# 5. The *seasonal naive* forecast repeats the last known season (here the last 12 known
#    months, twice). What is its 24-month MSE (`check_seasonal_naive_mse`), and why is it
#    worse than the differenced forecast?
# <details><summary>Solution</summary>
#
# `baselines.mse(future, np.tile(known[-period:], 2))`. It keeps the season but drops the
# trend: about $0.05 \times 12 = 0.6$ too low in the first year, $1.2$ in the second. The
# differenced forecast adds the mean lag-12 difference, which is that trend.
# </details>

# %%
from helpers.exercises.lesson02 import (check_frames_with_gradient, check_multiply_adds,
                                        check_seasonal_naive_mse, check_y_last)

# check_y_last(y); check_frames_with_gradient([...])
# check_multiply_adds(n); check_seasonal_naive_mse(mse)

# %% [markdown]
# Next: **03 · Forecasting several steps ahead**.

# %% [markdown]
# <!-- nav -->
#
# [← 01 · Time series: the data and the baselines](01_baselines.ipynb) · [index](00_index.ipynb) · [03 · Forecasting several steps ahead →](03_multistep_forecasting.ipynb)

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
# [← 04 · Long sequences, part 1: unstable gradients](04_unstable_gradients.ipynb) · [index](00_index.ipynb) · [06 · The GRU cell, a convolutional front end, and how far back cells remember →](06_gru_conv1d_and_memory.ipynb)

# %% [markdown]
# # 05 · The LSTM cell: a long-term state and the gates that edit it
#
# Notebook 03 forecast 10 steps ahead with a sequence-to-sequence `SimpleRNN`, and
# notebook 04 kept the gradients of long unrolled networks in check. One problem is left:
# a simple recurrent cell rewrites its whole state at every step, so what it read a few
# dozen steps ago is gone. This notebook replaces it with a cell that decides what to
# keep; notebook 06 continues with its leaner cousin, the GRU.
#
# **What you will learn**
#
# - what an LSTM cell computes (equation 15-3, executed in NumPy on a trained layer's
#   weights and checked against Keras), and the two ways Keras runs it (`LSTM` and
#   `RNN(LSTMCell)`) with what each means on a GPU;
# - why its forget gate starts with a bias of 1, measured on untrained layers;
# - what the gates of a trained cell do on one of our series;
# - how to write a cell Keras does not have, a **peephole** LSTM, check it and train it.

# %% [markdown]
# ## Setup

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import ops

from helpers import data, device, diagrams, metrics, plots, results, training, widgets

P = helpers.setup()

# %% [markdown]
# We keep notebook 03's task: 50 steps in, and at every step the next 10 values out
# (targets of shape `[batch, 50, 10]`), trained on the MSE over all outputs and judged on
# the last step's forecast only. The model to beat is notebook 03's two-layer
# `SimpleRNN` sequence-to-sequence model; we read its score from `results/` instead of
# training it again.

# %%
X_train, Y_train, X_valid, Y_valid, X_test, Y_test = data.load("sequence")
seq2seq_mse = results.value("seq2seq_10")  # trained and recorded by notebook 03
print("inputs", X_train.shape[1:], " targets", Y_train.shape[1:],
      f" SimpleRNN seq-to-seq to beat: {seq2seq_mse:.4f} (last-step MSE)")


# %% [markdown]
# Every model here is trained the same way as that one: Adam with a learning rate of
# 0.01, the book's 20 epochs (6 in the quick profile), and the last-step MSE as the
# figure we record. Only the
# layers change, so the comparisons are about the cells. (The book trains its gated
# models with Adam's default rate, 0.001; exercise 2 shows what that changes.)

# %%
def train_seq2seq(model, name, label, X_tr=X_train, Y_tr=Y_train, X_va=X_valid,
                  Y_va=Y_valid):
    """Train a sequence-to-sequence forecaster like notebook 03's and record it."""
    return training.train(model, X_tr, Y_tr, X_va, Y_va, name=name, notebook="05",
                          label=label, learning_rate=0.01, epochs=P.heavy_epochs,
                          metrics=[metrics.last_time_step_mse],
                          monitor="val_last_time_step_mse")


# %% [markdown]
# ## 1. The LSTM cell
#
# The **long short-term memory** cell (Hochreiter and Schmidhuber, 1997, later improved
# by Graves, Sak, Zaremba and others) keeps two state vectors: $\mathbf{h}_{(t)}$, the
# short-term state, which is also its output, and $\mathbf{c}_{(t)}$, the **long-term
# state**. The long-term state runs through the cell with only two light touches per
# step: an element-wise multiplication that erases some of it and an addition that
# writes something new. Three **gates**, each a small dense layer with a logistic
# (sigmoid) output between 0 and 1, decide how much:
#
# - the **forget gate** $\mathbf{f}_{(t)}$ chooses what part of $\mathbf{c}_{(t-1)}$ to
#   keep;
# - the **input gate** $\mathbf{i}_{(t)}$ chooses what part of the candidate
#   $\mathbf{g}_{(t)}$ (a tanh layer: the cell's "what I just read") to add;
# - the **output gate** $\mathbf{o}_{(t)}$ chooses what part of $\tanh(\mathbf{c}_{(t)})$
#   to show as $\mathbf{h}_{(t)}$.
#
# All four layers read the same two things, the input $\mathbf{x}_{(t)}$ and the previous
# short-term state $\mathbf{h}_{(t-1)}$ (the book's figure 15-9):

# %%
diagrams.lstm_cell();

# %% [markdown]
# This is equation 15-3 of the book:
#
# $$\begin{aligned}
# \mathbf{i}_{(t)} &= \sigma\left(\mathbf{W}_{xi}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{hi}^\top \mathbf{h}_{(t-1)} + \mathbf{b}_i\right) \\
# \mathbf{f}_{(t)} &= \sigma\left(\mathbf{W}_{xf}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{hf}^\top \mathbf{h}_{(t-1)} + \mathbf{b}_f\right) \\
# \mathbf{o}_{(t)} &= \sigma\left(\mathbf{W}_{xo}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{ho}^\top \mathbf{h}_{(t-1)} + \mathbf{b}_o\right) \\
# \mathbf{g}_{(t)} &= \tanh\left(\mathbf{W}_{xg}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{hg}^\top \mathbf{h}_{(t-1)} + \mathbf{b}_g\right) \\
# \mathbf{c}_{(t)} &= \mathbf{f}_{(t)} \otimes \mathbf{c}_{(t-1)} +
#   \mathbf{i}_{(t)} \otimes \mathbf{g}_{(t)} \\
# \mathbf{y}_{(t)} &= \mathbf{h}_{(t)} = \mathbf{o}_{(t)} \otimes
#   \tanh\left(\mathbf{c}_{(t)}\right)
# \end{aligned}$$
#
# where $\otimes$ is the element-wise product. A forget gate near 1 and an input gate
# near 0 leave $\mathbf{c}$ untouched, step after step: that is how an LSTM holds on to
# something for a long time, and why the gradient flowing back along $\mathbf{c}$ is
# multiplied by the forget gates only, not by a weight matrix and a squashing derivative
# at every step.
#
# ### As a layer, or as a cell inside `RNN`
#
# Keras offers the cell two ways. `keras.layers.LSTM(20)` is a whole layer; the book's
# model stacks two of them and a `TimeDistributed(Dense(10))` head on top: notebook 03's
# model with `SimpleRNN` swapped for `LSTM`. Every model of this notebook has that shape,
# so one function builds them all; only the recurrent layer changes.

# %%
def seq2seq_model(recurrent_layer, name, front=()):
    """Notebook 03's forecaster: `front` layers, two recurrent layers of 20 units made by
    `recurrent_layer(units, return_sequences=True)`, and a Dense(10) at every step."""
    return keras.Sequential([
        keras.Input(shape=(P.n_steps, 1)),
        *front,
        recurrent_layer(20, return_sequences=True),
        recurrent_layer(20, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(P.ahead)),
    ], name=name)


training.set_seed(P.seed)
lstm_model = seq2seq_model(keras.layers.LSTM, "lstm")
lstm_model.summary()

# %% [markdown]
# The other way is the generic `keras.layers.RNN` layer, which runs *any* cell through
# time, here `keras.layers.LSTMCell(20)`. Given the same weights, the two compute the same
# thing:

# %%
def lstm_cells(units, **kwargs):
    """An RNN layer running an LSTMCell: the generic way to build an LSTM layer."""
    return keras.layers.RNN(keras.layers.LSTMCell(units), **kwargs)


training.set_seed(P.seed)
lstm_cell_model = seq2seq_model(lstm_cells, "lstm_cells")
lstm_cell_model.set_weights(lstm_model.get_weights())

# %% tags=["nbval-check-output"]
same = np.allclose(ops.convert_to_numpy(lstm_model(X_valid[:64])),
                   ops.convert_to_numpy(lstm_cell_model(X_valid[:64])), atol=1e-6)
print("parameters:", lstm_model.count_params(), "and", lstm_cell_model.count_params())
print("LSTM layers and RNN(LSTMCell) layers give the same outputs:", same)
print("weights of one LSTM layer:",
      [tuple(w.shape) for w in lstm_model.layers[0].get_weights()])

# %%
print("on a GPU, each recurrent layer would run:")
print(device.kernel_report(lstm_model))
print(device.kernel_report(lstm_cell_model))

# %% [markdown]
# So why two ways? `LSTM` knows which cell it runs, so on a GPU it can hand the whole
# sequence to NVIDIA's fused cuDNN kernel (one call for the whole sequence instead of
# several small operations per step), provided the layer keeps the cuDNN-compatible
# settings (tanh activation, sigmoid gates, no recurrent dropout, `unroll=False`,
# `use_bias=True`). `RNN(cell)` runs the cell one step at a time in a loop, whatever
# the cell is: it is the tool for cells Keras does not provide, like the
# peephole cell of section 2. On a CPU both run the same loop (which the course compiles
# with XLA in the full profile).
#
# The weights above are the four layers of equation 15-3 side by side: `kernel` is
# $[\mathbf{W}_{xi}\ \mathbf{W}_{xf}\ \mathbf{W}_{xg}\ \mathbf{W}_{xo}]$
# (`1 × 80`), `recurrent_kernel` the same for $\mathbf{h}_{(t-1)}$ (`20 × 80`), and `bias`
# the four bias vectors. Keras' order is **i, f, g, o** (it calls $\mathbf{g}$ "c").
#
# We train the `LSTM` version:

# %%
lstm = train_seq2seq(lstm_model, "lstm", "LSTM x2 seq-to-seq, TimeDistributed(Dense(10))")
lstm

# %%
print(f"last-step MSE: SimpleRNN seq-to-seq {seq2seq_mse:.4f}, LSTM {lstm.value:.4f}")
simple_layer = keras.layers.SimpleRNN(20)
simple_layer.build((None, None, 1))
print(f"weights of the first recurrent layer: SimpleRNN {simple_layer.count_params()}, "
      f"LSTM {lstm_model.layers[0].count_params():,}")
assert lstm.value < seq2seq_mse  # the LSTM beats the SimpleRNN model of notebook 03
if P.name == "full":
    assert lstm.value <= 0.0045


# %% [markdown]
# With the same layer sizes, head, learning rate and epochs, swapping `SimpleRNN` for
# `LSTM` lowers the last-step error (the cell above prints both), at the price of more
# parameters: each LSTM unit has four dense layers where a simple unit has one, so each
# recurrent layer has four times the weights (the `Dense(10)` head stays the same).


# %% [markdown]
# ### Equation 15-3, executed
#
# Here is equation 15-3 in NumPy, one step after the other, for a mini-batch (one
# instance per row, so $\mathbf{X}_{(t)}\mathbf{W}$ instead of $\mathbf{W}^\top
# \mathbf{x}_{(t)}$). It also returns the gates, which we look at next.

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_layer(X, kernel, recurrent_kernel, bias):
    """Equation 15-3 over a batch X [batch, steps, inputs], with Keras' weight layout.

    Returns the outputs h [batch, steps, units] and a dict of the gates i, f, g, o and
    the long-term state c, each [batch, steps, units].
    """
    n_units = recurrent_kernel.shape[0]
    h = np.zeros((len(X), n_units), dtype=X.dtype)  # h(-1) = 0
    c = np.zeros_like(h)  # c(-1) = 0
    steps = {name: [] for name in ("h", "i", "f", "g", "o", "c")}
    for t in range(X.shape[1]):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        z_i, z_f, z_g, z_o = np.split(z, 4, axis=1)  # Keras' order: i, f, g, o
        i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_g), sigmoid(z_o)
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, value in zip(("h", "i", "f", "g", "o", "c"), (h, i, f, g, o, c)):
            steps[name].append(value)
    states = {name: np.stack(values, axis=1) for name, values in steps.items()}
    return states.pop("h"), states


# %% [markdown]
# We run it with the **trained** first layer's weights on a few validation series, and
# compare with what that Keras layer outputs:

# %%
first_lstm = lstm_model.layers[0]
X_few = X_valid[:8]
H_keras = ops.convert_to_numpy(first_lstm(X_few))
H_numpy, gates = lstm_layer(X_few, *first_lstm.get_weights())

# %% tags=["nbval-check-output"]
print("outputs:", H_numpy.shape, " gates:", {name: g.shape for name, g in gates.items()})
gap = np.abs(H_numpy - H_keras).max()
print("NumPy equation 15-3 equals the trained Keras LSTM layer to 1e-5:", gap < 1e-5)
assert gap < 1e-5

# %% [markdown]
# ### Why the forget gate starts at 1
#
# Keras initialises $\mathbf{b}_f$ to ones (`unit_forget_bias=True`, the default) and the
# other biases to zeros. With a zero bias, an untrained forget gate sits near
# $\sigma(0) = 0.5$: the cell halves its long-term state every step. With a bias of 1 it
# sits near $\sigma(1) \approx 0.73$.

# %%
def fresh_lstm_layer(unit_forget_bias):
    training.set_seed(P.seed)
    layer = keras.layers.LSTM(20, unit_forget_bias=unit_forget_bias)
    layer.build((None, None, 1))
    return layer


# %% tags=["nbval-check-output"]
for unit_forget_bias in (True, False):
    bias = fresh_lstm_layer(unit_forget_bias).get_weights()[2].reshape(4, 20)
    print(f"unit_forget_bias={unit_forget_bias!s:5}  "
          + "  ".join(f"b_{name}: {bias[j, :3]}..." for j, name in enumerate("ifgo")))

# %% [markdown]
# How much of $\mathbf{c}_{(0)}$ is still in $\mathbf{c}_{(20)}$? Along the long-term
# state, $\mathbf{c}_{(0)}$ is multiplied by $\mathbf{f}_{(1)} \otimes \mathbf{f}_{(2)}
# \otimes \dots \otimes \mathbf{f}_{(20)}$, and the gradient that flows back from step 20
# to step 0 along $\mathbf{c}$ is multiplied by the same product. We measure it on
# untrained layers, over 500 validation series:

# %%
survival = {}
for unit_forget_bias in (True, False):
    _, fresh_gates = lstm_layer(X_valid[:500], *fresh_lstm_layer(unit_forget_bias)
                                .get_weights())
    survival[unit_forget_bias] = fresh_gates["f"][:, 1:21].prod(axis=1).mean()
    print(f"unit_forget_bias={unit_forget_bias!s:5}  mean forget gate "
          f"{fresh_gates['f'].mean():.2f}  share of c(0) left after 20 steps "
          f"{survival[unit_forget_bias]:.1e}")
print(f"the bias of 1 keeps {survival[True] / survival[False]:,.0f} times more")
assert survival[True] > 300 * survival[False]

# %% [markdown]
# Both figures are small, and they should be: an untrained cell has no reason to keep
# anything. But with a zero bias, the long-term state and its gradient shrink by about a
# million over 20 steps, so training starts with essentially no signal linking an input
# to an error 20 steps later, and a gate that should learn to stay open gets almost no
# gradient telling it so. A bias of 1 gives that signal about two thousand times more
# room from the first epoch. (Jozefowicz et al., 2015, found that this one change closes
# most of the gap between the LSTM and the GRU on their tasks.)
#
# ### What the trained cell does
#
# `lstm_layer` returned the gates and the long-term state of the trained first layer for
# every step. Here they are for one validation series, one row per unit:

# %%
def plot_gates(series_index):
    """The input series, then f, i, o (0 to 1) and c of the trained first LSTM layer."""
    _, one = lstm_layer(X_valid[series_index:series_index + 1], *first_lstm.get_weights())
    fig, grid = plt.subplots(5, 2, figsize=(10, 9), sharex="col",
                             gridspec_kw={"height_ratios": [1, 1.3, 1.3, 1.3, 1.3],
                                          "width_ratios": [60, 1]})
    axes, colorbar_axes = grid[:, 0], grid[:, 1]
    colorbar_axes[0].axis("off")
    axes[0].plot(X_valid[series_index, :, 0], ".-", color=plots.INPUT_COLOR, lw=1, ms=3)
    axes[0].set(ylabel="$x(t)$", xlim=(-0.5, P.n_steps - 0.5),
                title=f"validation series {series_index}: the first LSTM layer's 20 units")
    c_max = np.abs(one["c"]).max()
    rows = [("f", "forget gate $f$", "viridis", 0, 1),
            ("i", "input gate $i$", "viridis", 0, 1),
            ("o", "output gate $o$", "viridis", 0, 1),
            ("c", "long-term state $c$", "RdBu_r", -c_max, c_max)]
    for ax, colorbar_ax, (name, label, cmap, low, high) in zip(axes[1:], colorbar_axes[1:],
                                                               rows):
        image = ax.imshow(one[name][0].T, aspect="auto", cmap=cmap, vmin=low, vmax=high,
                          interpolation="nearest")
        ax.set(ylabel="unit", title=label)
        ax.grid(False)
        fig.colorbar(image, cax=colorbar_ax)
    axes[-1].set_xlabel("time step $t$")
    fig.tight_layout()
    return fig, axes


fig, axes = plot_gates(0)

# %% [markdown]
# And a few numbers over 500 validation series:

# %%
_, valid_gates = lstm_layer(X_valid[:500], *first_lstm.get_weights())
# the share of c a unit keeps per step, on average (geometric mean of its forget gate)
unit_forget = np.exp(np.log(valid_gates["f"]).mean(axis=(0, 1)))
half_life = np.log(0.5) / np.log(unit_forget)  # steps until half of c is left
print("forget gate per unit:", np.round(np.sort(unit_forget)[::-1], 2))
print(f"half-life of c: median {np.median(half_life):.1f} steps, "
      f"longest {half_life.max():.1f} steps")
swing = {gate: valid_gates[gate].std(axis=1).mean() for gate in "fio"}  # moves in time
print("typical movement over time of a gate (std): "
      + ", ".join(f"{name} {swing[gate]:.2f}" for gate, name in
                  zip("fio", ("forget", "input", "output"))))
if P.name == "full":
    assert half_life.max() < 15  # a short memory: nothing is kept for long

# %% [markdown]
# What the first layer learned (the cell above prints this run's figures):
#
# - **A short memory.** Each forget gate keeps a fairly fixed share of the long-term
#   state per step, and in the full profile no unit keeps half of $\mathbf{c}$ for 15
#   steps (asserted above; the longest half-life is printed). The slower of a series' two waves has a period of
#   $2\pi / (10 f + 10)$ time units, with $f$ uniform in $[0, 1)$; our series are 60
#   values (50 inputs and 10 targets) spread over one time unit, 59 steps per unit, so
#   that wave repeats every 18.5 to 37 steps, and the last few steps say most of what
#   the forecast needs; nothing pushes this layer to remember further back (notebook
#   06 gives the cells a task that does).
# - **Gates that move little.** The standard deviations (printed) say how much each
#   gate moves over a series: a little, far less than their range from 0 to 1. Each
#   unit mostly settles on how much it keeps, writes and shows, and the wave nudges
#   those shares up and down (the figure shows the stripes of each unit over time).
#
# ## 2. Peephole connections
#
# In the LSTM above, the gates see $\mathbf{x}_{(t)}$ and $\mathbf{h}_{(t-1)}$, but not
# the long-term state they are gating. Gers and Schmidhuber (2000) let them **peek** at
# it: $\mathbf{c}_{(t-1)}$ feeds the forget and input gates, and the fresh
# $\mathbf{c}_{(t)}$ feeds the output gate. Each peephole is *diagonal*: unit $j$'s gate
# sees only unit $j$'s state, through one weight $p_j$, so a layer of 20 units gains
# 3 × 20 weights (dashed in the figure):

# %%
diagrams.peephole_lstm_cell();

# %% [markdown]
# In equations:
#
# $$\begin{aligned}
# \mathbf{i}_{(t)} &= \sigma\left(\mathbf{W}_{xi}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{hi}^\top \mathbf{h}_{(t-1)} + \mathbf{p}_i \otimes \mathbf{c}_{(t-1)}
#   + \mathbf{b}_i\right) \\
# \mathbf{f}_{(t)} &= \sigma\left(\mathbf{W}_{xf}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{hf}^\top \mathbf{h}_{(t-1)} + \mathbf{p}_f \otimes \mathbf{c}_{(t-1)}
#   + \mathbf{b}_f\right) \\
# \mathbf{o}_{(t)} &= \sigma\left(\mathbf{W}_{xo}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{ho}^\top \mathbf{h}_{(t-1)} + \mathbf{p}_o \otimes \mathbf{c}_{(t)}
#   + \mathbf{b}_o\right)
# \end{aligned}$$
#
# with $\mathbf{g}$, $\mathbf{c}$ and $\mathbf{h}$ as before. TensorFlow 2 had a
# `PeepholeLSTMCell` in `tf.keras.experimental`; Keras 3 has none, so we write one.
#
# ### A custom cell
#
# A cell for `keras.layers.RNN` is a layer with three things: a `state_size` (here two
# states, $\mathbf{h}$ and $\mathbf{c}$, of `units` each, in the same order as Keras'
# `LSTMCell`), a `build` that creates the weights once the input size is known, and a
# `call(inputs, states)` that computes one step and returns the output and the new
# states. `get_config` and the registration decorator let a model that uses it be saved
# to a `.keras` file and loaded back. We keep Keras' weight layout (gate order i, f, g,
# o; forget bias of 1) and add the three peephole vectors, initialised to zero: before
# training the cell *is* a plain LSTM cell.

# %% tags=["taught"]
@keras.saving.register_keras_serializable(package="course")
class PeepholeLSTMCell(keras.layers.Layer):
    """An LSTM cell whose gates also read the long-term state (diagonal peepholes)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]  # [h, c], like keras.layers.LSTMCell
        self.output_size = units

    def build(self, input_shape):
        n_inputs, n = input_shape[-1], self.units
        self.kernel = self.add_weight(shape=(n_inputs, 4 * n), name="kernel",
                                      initializer="glorot_uniform")
        self.recurrent_kernel = self.add_weight(shape=(n, 4 * n), name="recurrent_kernel",
                                                initializer="orthogonal")
        forget_bias_one = np.concatenate([np.zeros(n), np.ones(n), np.zeros(2 * n)])
        self.bias = self.add_weight(shape=(4 * n,), name="bias",
                                    initializer=keras.initializers.Constant(forget_bias_one))
        self.peephole_i = self.add_weight(shape=(n,), name="peephole_i", initializer="zeros")
        self.peephole_f = self.add_weight(shape=(n,), name="peephole_f", initializer="zeros")
        self.peephole_o = self.add_weight(shape=(n,), name="peephole_o", initializer="zeros")

    def call(self, inputs, states):
        h_prev, c_prev = states
        z = (ops.matmul(inputs, self.kernel) + ops.matmul(h_prev, self.recurrent_kernel)
             + self.bias)
        z_i, z_f, z_g, z_o = ops.split(z, 4, axis=-1)
        i = ops.sigmoid(z_i + self.peephole_i * c_prev)
        f = ops.sigmoid(z_f + self.peephole_f * c_prev)
        c = f * c_prev + i * ops.tanh(z_g)
        o = ops.sigmoid(z_o + self.peephole_o * c)  # the output gate sees the new c
        h = o * ops.tanh(c)
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


# %% [markdown]
# Before training it, three checks: its weights, that with zero peepholes it computes
# exactly what `LSTMCell` computes with the same weights, and that nonzero peepholes
# change the result.

# %%
training.set_seed(P.seed)
peephole_layer = keras.layers.RNN(PeepholeLSTMCell(20), return_sequences=True)
plain_layer = keras.layers.RNN(keras.layers.LSTMCell(20), return_sequences=True)
H_peep = ops.convert_to_numpy(peephole_layer(X_few))
plain_layer.build((None, None, 1))
plain_layer.set_weights(peephole_layer.get_weights()[:3])  # kernel, recurrent, bias
H_plain = ops.convert_to_numpy(plain_layer(X_few))
rng = np.random.default_rng(P.seed)
peephole_layer.set_weights(peephole_layer.get_weights()[:3]
                           + [rng.normal(0, 0.5, 20).astype("float32") for _ in range(3)])
H_peeking = ops.convert_to_numpy(peephole_layer(X_few))

# %% tags=["nbval-check-output"]
print("peephole cell weights:",
      {w.name: tuple(w.shape) for w in peephole_layer.cell.weights})
print("with zero peepholes it equals LSTMCell:", np.abs(H_peep - H_plain).max() < 1e-6)
print("nonzero peepholes change the outputs:", np.abs(H_peeking - H_plain).max() > 1e-3)

# %% [markdown]
# Now the same two-layer model as before, with peephole cells, trained the same way:

# %%
def peephole_lstm(units, **kwargs):
    """An RNN layer running our PeepholeLSTMCell."""
    return keras.layers.RNN(PeepholeLSTMCell(units), **kwargs)


training.set_seed(P.seed)
peephole_model = seq2seq_model(peephole_lstm, "peephole_lstm")
peephole = train_seq2seq(peephole_model, "peephole_lstm",
                         "Peephole LSTM x2 seq-to-seq (custom cell)")
peephole

# %%
ax = plots.plot_learning_curves(lstm.history, label="LSTM", metric="last_time_step_mse",
                                color=plots.PALETTE[0])
plots.plot_learning_curves(peephole.history, label="peephole LSTM", ax=ax,
                           metric="last_time_step_mse", color=plots.PALETTE[1])
ax.axhline(seq2seq_mse, color=plots.color("simple_rnn"), ls=":",
           label="SimpleRNN seq-to-seq (notebook 03)")
ax.set(title="last-step MSE: validation (solid), training (dashed)", ylabel="last-step MSE")
ax.legend(ncols=2);

# %%
print(f"last-step MSE: LSTM {lstm.value:.4f}, peephole LSTM {peephole.value:.4f} "
      f"({peephole.value / lstm.value - 1:+.0%})")
peep_weights = np.concatenate([w.numpy().ravel() for layer in peephole_model.layers[:2]
                               for w in (layer.cell.peephole_i, layer.cell.peephole_f,
                                         layer.cell.peephole_o)])
print(f"trained peephole weights: mean |p| {np.abs(peep_weights).mean():.2f}, "
      f"max |p| {np.abs(peep_weights).max():.2f}")
assert np.abs(peep_weights).max() > 0.05  # training did use the peepholes

# %% [markdown]
# Training did move the peephole weights away from zero, so the gates use what they
# see. It did not clearly buy a better forecast: the two models end close, in one order
# or the other depending on the seed (`results/SEEDS.md` lists both over several seeds).
# Our series are 50 steps of two sine waves, where knowing the exact size of
# $\mathbf{c}$ adds little to what $\mathbf{h}_{(t-1)}$ already tells the gates; peepholes
# were designed for tasks that need precise timing, such as counting steps between
# spikes. Note also the cost: `RNN` runs our cell as a generic loop, so on a GPU it gets
# none of the fused cuDNN kernel that the built-in `LSTM` layer would use.

# %% [markdown]
# ## 3. Try it: the gates on any series
#
# No training here: pick a validation series and see the trained LSTM's gates and
# long-term state on it.

# %%
def show_gates(series_index):
    plot_gates(series_index)
    plt.show()


# %% tags=["nbval-ignore-output"]
widgets.interactive_view(show_gates, {
    "series_index": widgets.int_slider("validation series", 0, 99, 0),
})

# %% [markdown]
# ## Summary
#
# Last-step validation MSE of this notebook's forecasters, this run, against notebook
# 03's `SimpleRNN` model (all with Adam at a learning rate of 0.01); `results/SEEDS.md`
# gives the mean and spread of the same figures over several seeds.

# %%
measured = {"seq2seq_10": seq2seq_mse, "lstm": lstm.value, "peephole_lstm": peephole.value}
for name, value in measured.items():
    print(f"{name:>14}: last-step MSE {value:.4f}")
print(f"parameters: LSTM {lstm.params:,}, peephole LSTM {peephole.params:,}")
assert max(lstm.value, peephole.value) < seq2seq_mse  # both beat the SimpleRNN model

# %% [markdown]
# - An LSTM cell keeps a long-term state $\mathbf{c}$ that its forget and input gates
#   edit with one multiplication and one addition per step; our NumPy version of
#   equation 15-3 reproduces a trained Keras `LSTM` layer to 1e-5.
# - Its forget bias of 1 lets far more of the state, and of its gradient, through 20
#   untrained steps than a bias of 0 (the ratio is printed in section 1).
# - `LSTM` layers can use cuDNN on a GPU; `RNN(cell)` runs any cell, including ones we
#   write: our peephole cell has `build`, `call`, `get_config` and a registered name,
#   and reduces to `LSTMCell` when its peepholes are zero.
# - Trained the same way, the LSTM and the peephole LSTM both beat the `SimpleRNN`
#   model; between the two, the order changes with the seed: a tie.
#
# ## Exercises
#
# 1. How many parameters has `keras.layers.LSTM(32)` on inputs of 3 features? And a
#    `keras.layers.RNN(PeepholeLSTMCell(32))` on the same inputs? Work them out, then
#    check: `check_lstm_params(n)` and `check_peephole_params(n)`.
#    <details><summary>Solution</summary>
#
#    Four dense layers, each with $3 \times 32$ input weights, $32 \times 32$ recurrent
#    weights and 32 biases: $4 \times (96 + 1024 + 32) = 4608$. The peephole cell adds
#    three vectors of 32: 4704. Keras agrees:
#    `l = keras.layers.LSTM(32); l.build((None, None, 3)); l.count_params()`.
#    </details>
# 2. Train `lstm_model`'s architecture again with the book's recipe, Adam's default
#    learning rate (`learning_rate=0.001`), and compare with the summary.
#    <details><summary>Solution</summary>
#
#    `training.train(seq2seq_model(keras.layers.LSTM, "lstm_slow"), X_train, Y_train,
#    X_valid, Y_valid, name="lstm_slow", notebook="05", learning_rate=0.001,
#    epochs=P.heavy_epochs, metrics=[metrics.last_time_step_mse],
#    monitor="val_last_time_step_mse", record=False)`. In 20 epochs the smaller steps usually leave the LSTM short of the
#    rate-0.01 model: a comparison of cells is always a comparison under one recipe.
#    </details>
# 3. How much of $\mathbf{c}_{(0)}$ is left after **40** steps in an untrained layer,
#    with and without the forget bias of 1? Give the ratio (bias 1 over bias 0) to
#    `check_forget_bias_ratio(ratio, steps=40)`.
#    <details><summary>Solution</summary>
#
#    ```python
#    share = {}
#    for bias in (True, False):
#        _, g = lstm_layer(X_valid[:500], *fresh_lstm_layer(bias).get_weights())
#        share[bias] = g["f"][:, 1:41].prod(axis=1).mean()
#    check_forget_bias_ratio(share[True] / share[False], steps=40)
#    ```
#    The ratio grows roughly geometrically with the number of steps: each step multiplies
#    it by about the ratio of the two typical forget gates.
#    </details>
# 4. Change `PeepholeLSTMCell` so that only the forget gate has a peephole. Does the
#    zero-peephole check still hold? Train it: does the forecast change?
#    <details><summary>Solution</summary>
#
#    Drop `peephole_i` and `peephole_o` from `build` and their terms from `call`. With
#    `peephole_f` at zero the cell is still exactly an `LSTMCell`, so the check holds.
#    Trained, it lands among the LSTM variants, within their seed-to-seed spread.
#    </details>
#
# Next: **06 · The GRU cell, a convolutional front end, and how far back cells remember**.

# %%
from helpers.exercises.lesson05 import (check_forget_bias_ratio, check_lstm_params,
                                        check_peephole_params)

# %% [markdown]
# <!-- nav -->
#
# [← 04 · Long sequences, part 1: unstable gradients](04_unstable_gradients.ipynb) · [index](00_index.ipynb) · [06 · The GRU cell, a convolutional front end, and how far back cells remember →](06_gru_conv1d_and_memory.ipynb)

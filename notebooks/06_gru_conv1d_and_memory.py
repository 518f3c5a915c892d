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
# [← 05 · The LSTM cell: a long-term state and the gates that edit it](05_lstm.ipynb) · [index](00_index.ipynb) · [07 · WaveNet: dilated causal convolutions instead of recurrence →](07_wavenet.ipynb)

# %% [markdown]
# # 06 · The GRU cell, a convolutional front end, and how far back cells remember
#
# Notebook 05 built the LSTM cell and showed how its gates edit a long-term state. This
# notebook takes three steps from there: a leaner gated cell, the GRU; a `Conv1D` layer
# that shortens the sequence the recurrent layers must run through; and a task that
# measures how many steps back a cell can actually carry a value, with a picture of
# where each trained cell looks.
#
# **What you will learn**
#
# - what a GRU cell computes (equation 15-4, executed in NumPy and checked against
#   Keras), and what Keras' default `reset_after=True` changes;
# - how a strided `Conv1D` front end shortens the sequences, how to crop the targets to
#   match, and what it saves, counted in operations rather than timed;
# - how many steps back SimpleRNN, LSTM and GRU cells remember on a task built for it,
#   and, from the gradient of the answer with respect to every input, which past steps
#   each trained cell actually uses.

# %% [markdown]
# ## Setup

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs
from dataclasses import replace

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import ops

from helpers import convs, data, diagrams, metrics, plots, results, training, widgets
from helpers.datasets import memory

P = helpers.setup()

# %% [markdown]
# The task is notebook 05's: 50 steps in, the next 10 values out at every step, trained
# on the MSE over all outputs and judged on the last step's forecast. Notebooks 03 and 05
# recorded the models to compare with in `results/`:

# %%
X_train, Y_train, X_valid, Y_valid, X_test, Y_test = data.load("sequence")
X_few = X_valid[:8]
seq2seq_mse = results.value("seq2seq_10")  # notebook 03's SimpleRNN seq-to-seq
lstm_mse, peephole_mse = results.value("lstm"), results.value("peephole_lstm")  # 05
print(f"last-step MSE to compare with: SimpleRNN seq-to-seq {seq2seq_mse:.4f}, "
      f"LSTM {lstm_mse:.4f}, peephole LSTM {peephole_mse:.4f}")


# %% [markdown]
# Every model is trained with notebook 05's recipe (Adam at 0.01, the book's 20 epochs,
# 6 in the quick profile) and has its shape: two recurrent layers of 20 units, then a
# `Dense(10)` at every step.

# %%
def seq2seq_model(recurrent_layer, name, front=()):
    """`front` layers, two recurrent layers of 20 units, and a Dense(10) at every step."""
    return keras.Sequential([
        keras.Input(shape=(P.n_steps, 1)), *front,
        recurrent_layer(20, return_sequences=True),
        recurrent_layer(20, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(P.ahead))], name=name)


def train_seq2seq(model, name, label, Y_tr=Y_train, Y_va=Y_valid):
    """Train with notebook 05's recipe and record the last-step MSE under `name`."""
    return training.train(model, X_train, Y_tr, X_valid, Y_va, name=name, notebook="06",
                          label=label, learning_rate=0.01, epochs=P.heavy_epochs,
                          metrics=[metrics.last_time_step_mse],
                          monitor="val_last_time_step_mse")


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %% [markdown]
# ## 1. The GRU cell
#
# The **gated recurrent unit** (Cho et al., 2014) is a leaner LSTM. It has a single state
# vector $\mathbf{h}_{(t)}$, which is also its output, and two gates:
#
# - one **update gate** $\mathbf{z}_{(t)}$ plays both the forget and the input gate:
#   what it keeps of the old state, $\mathbf{z}$, and what it writes of the new
#   candidate, $1 - \mathbf{z}$, always add up to one;
# - a **reset gate** $\mathbf{r}_{(t)}$ chooses how much of the previous state the
#   candidate layer $\mathbf{g}_{(t)}$ gets to see.
#
# There is no output gate: the whole state is output at every step (the book's figure
# 15-10):

# %%
diagrams.gru_cell();

# %% [markdown]
# Equation 15-4:
#
# $$\begin{aligned}
# \mathbf{z}_{(t)} &= \sigma\left(\mathbf{W}_{xz}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{hz}^\top \mathbf{h}_{(t-1)} + \mathbf{b}_z\right) \\
# \mathbf{r}_{(t)} &= \sigma\left(\mathbf{W}_{xr}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{hr}^\top \mathbf{h}_{(t-1)} + \mathbf{b}_r\right) \\
# \mathbf{g}_{(t)} &= \tanh\left(\mathbf{W}_{xg}^\top \mathbf{x}_{(t)} +
#   \mathbf{W}_{hg}^\top \left(\mathbf{r}_{(t)} \otimes \mathbf{h}_{(t-1)}\right) +
#   \mathbf{b}_g\right) \\
# \mathbf{h}_{(t)} &= \mathbf{z}_{(t)} \otimes \mathbf{h}_{(t-1)} +
#   \left(1 - \mathbf{z}_{(t)}\right) \otimes \mathbf{g}_{(t)}
# \end{aligned}$$
#
# ### Equation 15-4, executed
#
# Keras stores the GRU's weights like the LSTM's, three layers side by side in the
# order **z, r, g**. Equation 15-4 is what Keras computes with `reset_after=False`:

# %%
def gru_layer(X, kernel, recurrent_kernel, bias, reset_after=False):
    """Equation 15-4 over a batch X [batch, steps, inputs], with Keras' weight layout.

    With reset_after=True, bias holds two rows (input and recurrent biases) and the
    reset gate multiplies the recurrent product h(t-1) W_hg instead of h(t-1).
    """
    W_z, W_r, W_g = np.split(kernel, 3, axis=1)
    U_z, U_r, U_g = np.split(recurrent_kernel, 3, axis=1)
    if reset_after:
        input_bias, recurrent_bias = bias
    else:
        input_bias, recurrent_bias = bias, np.zeros_like(bias)
    b_z, b_r, b_g = np.split(input_bias, 3)
    rb_z, rb_r, rb_g = np.split(recurrent_bias, 3)
    h = np.zeros((len(X), recurrent_kernel.shape[0]), dtype=X.dtype)  # h(-1) = 0
    outputs = []
    for t in range(X.shape[1]):
        x = X[:, t]
        z = sigmoid(x @ W_z + h @ U_z + b_z + rb_z)
        r = sigmoid(x @ W_r + h @ U_r + b_r + rb_r)
        if reset_after:
            g = np.tanh(x @ W_g + b_g + r * (h @ U_g + rb_g))
        else:
            g = np.tanh(x @ W_g + (r * h) @ U_g + b_g)
        h = z * h + (1 - z) * g
        outputs.append(h)
    return np.stack(outputs, axis=1)


# %% [markdown]
# An untrained Keras GRU has zero biases, which would leave the bias terms untested, so
# we give its weights random values first:

# %%
def randomised_gru(reset_after):
    training.set_seed(P.seed)
    layer = keras.layers.GRU(20, return_sequences=True, reset_after=reset_after)
    layer.build((None, None, 1))
    rng = np.random.default_rng(P.seed)
    layer.set_weights([rng.normal(0, 0.5, w.shape).astype("float32")
                       for w in layer.get_weights()])
    return layer


gru_before = randomised_gru(reset_after=False)
H_gru_keras = ops.convert_to_numpy(gru_before(X_few))
H_gru_numpy = gru_layer(X_few, *gru_before.get_weights())

# %% tags=["nbval-check-output"]
print("weights:", [tuple(w.shape) for w in gru_before.get_weights()],
      " parameters:", gru_before.count_params())
gap = np.abs(H_gru_numpy - H_gru_keras).max()
print("NumPy equation 15-4 equals Keras' GRU(reset_after=False) to 1e-5:", gap < 1e-5)
assert gap < 1e-5

# %% [markdown]
# ### What `reset_after=True` changes
#
# Keras' default is `reset_after=True`, the variant cuDNN implements. Two things change
# in the candidate layer:
#
# $$\mathbf{g}_{(t)} = \tanh\left(\mathbf{W}_{xg}^\top \mathbf{x}_{(t)} + \mathbf{b}_{xg}
#   + \mathbf{r}_{(t)} \otimes \left(\mathbf{W}_{hg}^\top \mathbf{h}_{(t-1)} +
#   \mathbf{b}_{hg}\right)\right)$$
#
# 1. the reset gate multiplies the recurrent **product** $\mathbf{W}_{hg}^\top
#    \mathbf{h}_{(t-1)}$ rather than $\mathbf{h}_{(t-1)}$ itself. Then
#    $\mathbf{h}_{(t-1)}$ can go through all three recurrent matrices in *one* matrix
#    product, before $\mathbf{r}_{(t)}$ is known, which is what makes the fused GPU
#    kernel possible;
# 2. there are **two** bias vectors, one added to the input products and one to the
#    recurrent products, so the recurrent bias of $\mathbf{g}$ can be gated by
#    $\mathbf{r}$ too. The `bias` weight becomes `2 × 60`: 60 more parameters per layer.
#
# With the same kernels and the recurrent bias set to zero, the two variants differ only
# by *where* $\mathbf{r}$ is applied, which is enough to change the outputs:

# %%
gru_after = randomised_gru(reset_after=True)
kernel, recurrent_kernel, bias = gru_before.get_weights()
gru_after.set_weights([kernel, recurrent_kernel, np.stack([bias, np.zeros_like(bias)])])
H_after_keras = ops.convert_to_numpy(gru_after(X_few))
H_after_numpy = gru_layer(X_few, *gru_after.get_weights(), reset_after=True)

# %% tags=["nbval-check-output"]
print("reset_after=True weights:", [tuple(w.shape) for w in gru_after.get_weights()],
      " parameters:", gru_after.count_params())
print("NumPy reset_after=True equals Keras' default GRU to 1e-5:",
      np.abs(H_after_numpy - H_after_keras).max() < 1e-5)
print("same weights, the two variants' outputs differ by more than 0.01:",
      np.abs(H_after_keras - H_gru_keras).max() > 0.01)

# %% [markdown]
# The two are different functions, not one rewritten: weights trained with one variant
# cannot be loaded into the other. Neither is known to be better in general; the
# default is the variant cuDNN's fused kernel implements (Keras' documentation calls it
# "cuDNN compatible"). We train the default, in the same model as the LSTM:

# %%
training.set_seed(P.seed)
gru_model = seq2seq_model(keras.layers.GRU, "gru")
gru = train_seq2seq(gru_model, "gru", "GRU x2 seq-to-seq, TimeDistributed(Dense(10))")
gru

# %%
print(f"last-step MSE: SimpleRNN seq-to-seq {seq2seq_mse:.4f}, LSTM {lstm_mse:.4f}, "
      f"GRU {gru.value:.4f}")
print(f"parameters: GRU {gru.params:,}, LSTM (notebook 05) "
      f"{seq2seq_model(keras.layers.LSTM, 'lstm').count_params():,}")
assert gru.value < seq2seq_mse  # the GRU beats the SimpleRNN model too
if P.name == "full":
    assert gru.value <= 0.006

# %% [markdown]
# ### Gated cells are roughly alike
#
# Greff et al. (2015) compared eight LSTM variants on three tasks (speech, handwriting
# and music) and found none clearly better than the standard cell. How far apart did
# our three gated models land?

# %%
gated = {"LSTM": lstm_mse, "peephole LSTM": peephole_mse, "GRU": gru.value}
spread = max(gated.values()) / min(gated.values())
print("  ".join(f"{name} {value:.4f}" for name, value in gated.items()),
      f"  worst / best = {spread:.2f}")
assert max(gated.values()) < seq2seq_mse  # every one of them beats the SimpleRNN

# %% [markdown]
# One run with one seed cannot rank them. `results/SEEDS.md` (written by `make seeds`,
# which runs every notebook at several values of `COURSE_SEED`) gives each model's mean
# and spread: the LSTM and the peephole LSTM swap places with the seed, and the GRU
# trails the LSTM at each seed, by less than the spread of either: the three land close
# together, in no firm order. At every seed each beats the `SimpleRNN` model (asserted
# above). The GRU has a fifth fewer parameters: three dense layers per unit, not four.

# %% [markdown]
# ## 2. A `Conv1D` front end
#
# A 1D convolutional layer slides a few kernels along the time axis; each kernel
# produces one 1D feature map, a new sequence. With `padding="valid"` (no padding) and
# a kernel of 4 steps, output $k$ combines 4 consecutive input steps; with `strides=2`
# it moves 2 steps between outputs. So
# `Conv1D(20, kernel_size=4, strides=2, padding="valid")` turns our 50 input steps into
# $\lfloor (50 - 4) / 2 \rfloor + 1 = 24$ steps of 20 features each, and output $k$ sees
# input steps $2k$ to $2k + 3$.
#
# Put in front of recurrent layers, it hands them sequences half as long: fewer steps
# to run one after another and fewer to remember across, with short patterns already
# detected. The recurrent layers then output 24 steps, so the targets must be cropped to
# match: output $k$ may only be asked for the future of the last step it saw, step
# $2k + 3$. Those targets are `Y[:, 3::2]`: steps 3, 5, ..., 49.

# %%
diagrams.conv1d_front_end(P.n_steps, kernel_size=4, strides=2);

# %% [markdown]
# The picture is a claim about the layer; we check it. The gradient of output $k$ with
# respect to the inputs is nonzero exactly on the steps it reads:

# %%
conv = keras.layers.Conv1D(20, kernel_size=4, strides=2, padding="valid")
n_out = conv.compute_output_shape((None, P.n_steps, 1))[1]
probe = tf.constant(X_valid[:1])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(probe)
    conv_out = conv(probe)
    per_output = [tf.reduce_sum(conv_out[:, k]) for k in range(n_out)]
seen = [np.flatnonzero(tape.gradient(out, probe).numpy()[0, :, 0]) for out in per_output]
del tape
Y_train_conv, Y_valid_conv = Y_train[:, 3::2], Y_valid[:, 3::2]

# %% tags=["nbval-check-output"]
print("Conv1D output:", n_out, "steps;  cropped targets:", Y_valid_conv.shape[1], "steps")
print("output k reads input steps 2k .. 2k+3, for every k:",
      all(list(s) == list(range(2 * k, 2 * k + 4)) for k, s in enumerate(seen)))
print("the target of output k is Y[:, 2k+3], for every k:",
      all(np.array_equal(Y_valid_conv[:, k], Y_valid[:, 2 * k + 3]) for k in range(n_out)))
print("the last output's target is the last step's forecast, Y[:, -1]:",
      np.array_equal(Y_valid_conv[:, -1], Y_valid[:, -1]))

# %% [markdown]
# The last check matters: the last-step MSE of this model is measured on the very same
# forecast (the 10 values after step 49) as all the other models'. The model, from the
# book, with two GRU layers after the convolution:

# %%
training.set_seed(P.seed)
conv_gru_model = seq2seq_model(
    keras.layers.GRU, "conv1d_gru",
    front=[keras.layers.Conv1D(20, kernel_size=4, strides=2, padding="valid")])
conv_gru_model.summary()
conv_gru = train_seq2seq(conv_gru_model, "conv1d_gru",
                         "Conv1D + GRU x2 seq-to-seq (targets Y[:, 3::2])",
                         Y_tr=Y_train_conv, Y_va=Y_valid_conv)
conv_gru

# %%
recurrent_so_far = {"SimpleRNN seq-to-seq (03)": seq2seq_mse, "LSTM (05)": lstm_mse,
                    "peephole LSTM (05)": peephole_mse, "GRU": gru.value}
best = min(recurrent_so_far, key=recurrent_so_far.get)
print(f"Conv1D + GRU {conv_gru.value:.4f}   GRU {gru.value:.4f} "
      f"(ratio {conv_gru.value / gru.value:.2f})   "
      f"best of the others: {best} {recurrent_so_far[best]:.4f}")
assert conv_gru.value < seq2seq_mse  # it beats the SimpleRNN model, like the gated cells
assert conv_gru.value < 1.5 * gru.value  # and lands in the GRU model's range
if P.name == "full":
    assert conv_gru.value <= 0.005


# %% [markdown]
# Is it cheaper? Each GRU layer runs its steps one after another (step $t$ needs the
# state of step $t - 1$): 24 behind the convolution instead of 50. `convs.forward_cost`
# counts, per series and whatever the machine, the multiply-adds and the operations
# that must wait for one another (one per layer, or one per step in a recurrent layer):

# %%
costs = {name: convs.forward_cost(model, P.n_steps)
         for name, model in (("GRU", gru_model), ("Conv1D + GRU", conv_gru_model))}
for name, cost in costs.items():
    print(f"{name:>13}: {cost.multiply_adds:>7,} multiply-adds per series, "
          f"{cost.sequential_ops:>3} operations one after another")
assert costs["Conv1D + GRU"].sequential_ops < 0.6 * costs["GRU"].sequential_ops
assert costs["Conv1D + GRU"].multiply_adds < 0.67 * costs["GRU"].multiply_adds

# %% [markdown]
# Behind the convolution the two GRU layers run 24 steps instead of 50, which halves the
# operations that must wait for one another. The multiply-adds per series fall less
# (from 193,000 to 121,920): the first GRU layer now reads 20 features per step instead
# of 1, and the convolution adds its own. How much time that
# saves depends on the machine (on a GPU, cuDNN fuses the GRU's steps and changes every
# ratio), so the notebook counts instead of timing. The model's forecast lands among
# the gated models', and like theirs its rank changes with the seed
# (`results/SEEDS.md`). The book found this model the best so far, with a different
# recipe (Adam's default rate, 0.001, for the gated models); rankings this close depend
# on such settings and on the seed, while the lower cost per series does not.

# %%
fig, axes = plots.plot_series_grid(X_valid, Y_valid[:, -1], {
    name: ops.convert_to_numpy(model(X_valid[:3]))[:, -1]
    for name, model in (("GRU", gru_model), ("Conv1D + GRU", conv_gru_model))}, n=3)

# %% [markdown]
# ## 3. How far back can a cell remember?
#
# The chapter's rule of thumb: a simple recurrent cell learns patterns of about 10
# steps, LSTM and GRU cells patterns roughly ten times longer. Our forecasting task cannot test that: 50
# steps of two sine waves hold little that is far back and not repeated nearby. So we
# build a task where the *only* way to score is to remember (`helpers.datasets.memory`, which
# notebook 07 reuses):
#
# - every step brings two numbers: a **value**, uniform in $[-1, 1]$, and a **marker**,
#   which is 1 at a single step $p$ among the first 5 and 0 elsewhere;
# - from step $p$ on, the target at every step is the marked value $x_{(p)}$ (0 before);
# - a sequence of $k + 5$ steps therefore asks, at step $p + k$, for a value seen $k$
#   steps earlier, with $k$ fresh random values read since, all to be ignored.
#
# Recall at lag $k$ is scored by the share of the value's variance that the forecasts
# at step $p + k$ explain, $1 - \mathrm{MSE} / \mathrm{Var}(x)$: 1 is perfect, 0 is what
# always answering 0 gets. Three sequences of the task with $k = 20$:

# %%
example = memory.recall_task(3, 20, seed=P.seed)
fig, axes = plt.subplots(1, 3, figsize=(12, 2.8), sharey=True)
for i, ax in enumerate(axes):
    steps = np.arange(example.X.shape[1])
    ax.plot(steps, example.X[i, :, 0], ".", color=plots.INPUT_COLOR, ms=4, label="values")
    ax.axvline(example.marker[i], color=plots.PALETTE[1], lw=1, label="marker")
    ax.step(steps, example.Y[i, :, 0], where="post", color=plots.TARGET_COLOR, lw=2,
            label="target")
    ax.set(xlabel="time step", title=f"marker at step {example.marker[i]}")
fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", ncols=3,
           bbox_to_anchor=(0.5, 1.1));

# %% tags=["nbval-check-output"]
print("X:", example.X.shape, " Y:", example.Y.shape, " (k = 20, plus 5 lead steps)")
print("perfect recall scores", memory.recall_score(example, example.Y, 20),
      "; answering 0 scores about 0:",
      abs(memory.recall_score(memory.recall_task(5000, 20, seed=P.seed),
                              np.zeros((5000, 25, 1)), 20)) < 0.03)

# %% [markdown]
# For each cell and each lag $k$ we train a fresh one-layer model (20 units, then
# `Dense(1)` at every step) on sequences of $k + 5$ steps, with the same data, learning
# rate (0.01), batch size and epoch budget for every cell; training stops early once
# validation recall reaches 0.9, which is also the score we call "recalled". A cell's
# **span** is the longest lag it recalls, every shorter lag included.

# %%
mem = memory.get_settings()
print(mem)

# %%
span_runs, span_params, connect = {}, {}, {}
for cell in memory.CELLS:
    span_runs[cell], connect[cell] = {}, {}
    for k in mem.lags:
        training.set_seed(P.seed)
        model = memory.build_model(cell, mem.units)
        span_runs[cell][k] = run = memory.fit_and_score(model, k)
        connect[cell][k] = memory.connectivity(model, k)  # used in section 4
        print(f"{cell:>9}  k={k:>3}  recall {run.score:5.2f}  after {run.epochs:>2} epochs")
    span_params[cell] = model.count_params()

# %%
span_table = {cell: {"scores": {k: run.score for k, run in by_lag.items()},
                     "params": span_params[cell], "connectivity": connect[cell]}
              for cell, by_lag in span_runs.items()}
spans = {cell: memory.span(entry["scores"], mem.solved) for cell, entry in span_table.items()}
print(f"{'lag k':>10} " + " ".join(f"{k:>6}" for k in mem.lags) + "    span")
for cell, entry in span_table.items():
    print(f"{cell:>10} " + " ".join(f"{entry['scores'][k]:6.2f}" for k in mem.lags)
          + f"    {spans[cell]:>4}")
print("saved to", memory.save_results(span_table).relative_to(results.WORK_DIR))

# %%
plots.plot_recall({f"{cell} (span {spans[cell]})": entry["scores"]
                   for cell, entry in span_table.items()}, solved=mem.solved);

# %%
recall = {cell: entry["scores"] for cell, entry in span_table.items()}
longest = max(mem.lags)
print("spans:", spans, f" recall at lag 50 and {longest}:",
      {cell: (round(r[50], 2), round(r[longest], 2)) for cell, r in recall.items()})
assert spans["SimpleRNN"] < longest  # the simple cell stops somewhere in the range
# at the longest lag the better gated cell recalls more (in full, by far) ...
gap = max(recall[c][longest] for c in ("LSTM", "GRU")) - recall["SimpleRNN"][longest]
assert gap > (0.5 if P.name == "full" else 0)
if P.name == "full":  # ... and at lag 50 both do (six quick epochs are not always enough)
    for cell in ("LSTM", "GRU"):
        assert recall[cell][50] > recall["SimpleRNN"][50] + 0.5

# %% [markdown]
# The simple cell has no gate: the same weights mix every new value into its state, so
# what it stores is blurred by each value that follows, and within this budget it stops
# short of the longest lag (asserted). There the better gated cell recalls more (in the
# full profile by 0.5 or more, asserted), and in full both do at lag 50, where the
# simple cell is near 0; the quick profile's six epochs only show the order.
# Which of the two reaches further, and a span itself, changes with the seed: a span
# drops a whole lag when one score lands just under 0.9, so compare the curves, not only
# the spans. An LSTM can hold a number by keeping its forget gate near 1 and its input
# gate near 0 after the marker (a GRU, its update gate near 1); once training has found
# that, an extra step costs nothing. Our range stops at 200 steps: a longer span would
# not show. Two caveats keep this honest. A span measured this way depends on the training
# budget: every cell got the same data, learning rate and epochs, and a different recipe
# moves the numbers (exercise 3). And this is the gentlest long-range task there is, one
# number to hold, with a marker saying which: as the book warns, LSTM and GRU cells
# still struggle to learn patterns of 100 steps or more in real data. Notebook 07 adds
# WaveNet to this plot, a model with no recurrence at all.
#
# ## 4. Where does a trained cell look?
#
# A recall score says *whether* a model remembered, not *what* it used. The gradient
# does: for a trained model, the derivative of its answer at step $p + k$ with respect
# to the value read $j$ steps earlier says how much a small change of that value would
# move the answer. A model that has learned the task depends on the marked value,
# $j = k$ steps back, far more than on any other value; a model that has not depends
# mostly on the last few values, whatever they are. `memory.connectivity` computes the mean absolute
# gradient for every $j$ over 256 fresh sequences; each row of the heat map below is one
# cell, scaled by its largest entry, on a log scale (the idea of Madsen's "Visualizing
# memorization in RNNs", distill.pub, 2019).

# %%
def show_connectivity(k):
    plots.plot_connectivity({cell: connect[cell][k] for cell in memory.CELLS}, k)
    plt.show()


show_connectivity(50)

# %% [markdown]
# One number per model and lag: the share of the answer's gradient on the marked value
# (1 if the answer depended on it alone). The rest is spread thin over the other $k + 4$
# values, so a share of a half means one value weighs as much as all the others.

# %%
marked_share = {(cell, k): connect[cell][k][k] / np.nansum(connect[cell][k])
                for cell in memory.CELLS for k in mem.lags}
print(f"{'lag k':>10} " + " ".join(f"{k:>6}" for k in mem.lags))
for cell in memory.CELLS:
    print(f"{cell:>10} " + " ".join(f"{marked_share[cell, k]:6.2f}" for k in mem.lags))
for cell, k in marked_share:
    looks_at = int(np.nanargmax(connect[cell][k]))  # steps back of the largest gradient
    if recall[cell][k] >= mem.solved:  # a model that recalls depends most on the value
        assert looks_at == k, (cell, k, looks_at)

# %% [markdown]
# Wherever a model recalled the value (a recall of at least 0.9), the largest gradient
# is at the marked value, $k$ steps back (asserted for every such model); compare the
# rows of a cell that failed at a lag: its gradient piles up on the last few steps and
# fades further back, the vanishing gradient of notebook 04 seen from the answer's side.
# Pick any lag of the experiment:

# %% tags=["nbval-ignore-output"]
widgets.interactive_view(show_connectivity, {
    "k": widgets.dropdown("lag k", mem.lags, value=50)})

# %% [markdown]
# ## 5. Try it: train a cell on the memory task
#
# Pick a cell, its number of units, the lag $k$ and a number of epochs, and press
# **Train**. The left plot shows recall after each epoch, the right one a validation
# sequence: does the model hold the marked value until the end?

# %%
def train_memory(cell, units, k, epochs, callbacks=()):
    """Train one cell on the recall task at lag k; plot its recall and one sequence."""
    settings = replace(mem, n_train=P.widget_train, epochs=epochs)
    training.set_seed(P.seed)
    model = memory.build_model(cell, units)
    run = memory.fit_and_score(model, k, settings=settings, stop_when_solved=False,
                               callbacks=callbacks)
    shown = memory.recall_task(1, k, seed=P.seed_for(7))
    fig, (ax_score, ax_seq) = plt.subplots(1, 2, figsize=(11, 3.2))
    ax_score.plot(np.arange(1, run.epochs + 1), run.scores, "o-")
    ax_score.axhline(mem.solved, color=plots.FLOOR_COLOR, ls="--", lw=1)
    ax_score.set(xlabel="epoch", ylabel="recall at lag k", ylim=(-0.2, 1.05),
                 title=f"{cell}, {units} units, k = {k}: recall {run.score:.2f}")
    steps = np.arange(shown.X.shape[1])
    ax_seq.plot(steps, shown.X[0, :, 0], ".", color=plots.INPUT_COLOR, ms=3, label="values")
    ax_seq.plot(steps, shown.Y[0, :, 0], "-", color=plots.TARGET_COLOR, lw=2, label="target")
    ax_seq.plot(steps, ops.convert_to_numpy(model(shown.X))[0, :, 0], "-",
                color=plots.PALETTE[1], label="model")
    ax_seq.set(xlabel="time step", title="one validation sequence")
    ax_seq.legend(loc="lower right", ncols=3)
    return run


# %% tags=["nbval-ignore-output"]
widgets.train_view(train_memory, {
    "cell": widgets.dropdown("cell", memory.CELLS, value="LSTM"),
    "units": widgets.int_slider("units", 4, 64, 20),
    "k": widgets.int_slider("lag k", 5, 200, 20, step=5),
    "epochs": widgets.int_slider("epochs", 1, 10, P.widget_epochs),
})

# %% [markdown]
# ## Summary
#
# Last-step validation MSE of the 10-step forecasters trained with the same recipe,
# this run (notebooks 03 and 05's read from `results/`); `results/SEEDS.md` gives the
# mean and spread of each over several seeds.

# %%
measured = {"SimpleRNN (03)": seq2seq_mse, "LSTM (05)": lstm_mse,
            "peephole (05)": peephole_mse, "GRU": gru.value, "Conv1D+GRU": conv_gru.value}
ax = plots.plot_mse_bars(measured)
ax.get_legend().remove()
ax.tick_params(axis="x", labelrotation=20)
ax.set(ylabel="validation last-step MSE", title="10-step forecasts, last-step MSE");

# %% [markdown]
# - A GRU merges the forget and input gates into one update gate and has no output
#   gate; equation 15-4 is Keras' `reset_after=False`, and the default
#   `reset_after=True` applies the reset gate after the recurrent product and adds a
#   second bias. Our NumPy versions of both match Keras to 1e-5.
# - Trained the same way, the GRU beats the `SimpleRNN` model and lands close to the
#   LSTM and the peephole LSTM, within their seed-to-seed spread.
# - A strided `Conv1D` in front of the GRUs makes them run 24 steps instead of 50: it
#   halves the operations that must wait for one another and cuts the multiply-adds per
#   series by more than a third (both counted, not timed), for a forecast in the same
#   range; its targets are cropped to `Y[:, 3::2]`.
# - On a task that only memory can solve, LSTM and GRU cells carry a value further back
#   than a simple cell, and the gradient of the answer shows it: wherever a model
#   recalls, its answer depends most on the marked value.
#
# ## Exercises
#
# 1. How many parameters has `keras.layers.GRU(32)` on inputs of 3 features, with the
#    default `reset_after=True`? And with `reset_after=False`? Check with
#    `check_gru_params(n, reset_after=...)`.
#    <details><summary>Solution</summary>
#
#    Three dense layers, each with $3 \times 32 + 32 \times 32$ weights: 3,360. With
#    `reset_after=False` one bias of 32 per layer (3,456); with `reset_after=True` two
#    (3,552).
#    </details>
# 2. With `Conv1D(20, kernel_size=4, strides=3, padding="valid")` in front, how many
#    steps do the GRU layers run on our 50-step inputs, and which slice of `Y` are the
#    targets? `check_conv_steps(n, kernel_size=4, strides=3)`.
#    <details><summary>Solution</summary>
#
#    $\lfloor (50 - 4) / 3 \rfloor + 1 = 16$ steps. Output $k$ reads steps $3k$ to
#    $3k + 3$, so its target is `Y[:, 3::3]` (16 entries), and the last output reads
#    steps 45 to 48: step 49 is never read, so its "last step" forecast is not the other
#    models' and their last-step MSEs cannot be compared.
#    </details>
# 3. Run the memory experiment for SimpleRNN and LSTM with
#    `replace(mem, learning_rate=0.003)`. How do the recall curves move?
#    <details><summary>Solution</summary>
#
#    Pass `settings=replace(mem, learning_rate=0.003)` to `memory.fit_and_score` in the
#    loop of section 3. The curves shift (usually the gated cells recall a little less
#    within the same epoch budget): a span is a property of a cell *and* of a training
#    recipe, never of the cell alone.
#    </details>
# 4. (Book exercise 7) Why put 1D convolutional layers in an RNN? Answer from what you
#    measured in section 2.
#    <details><summary>Solution</summary>
#
#    A strided convolution detects short local patterns and shortens the sequence, so
#    the recurrent layers have fewer steps to run one after another and to remember
#    across (here 24 instead of 50, counted above); the price is cropping the targets.
#    </details>
#
# Next: **07 · WaveNet**.

# %%
from helpers.exercises.lesson06 import check_conv_steps, check_gru_params

# %% [markdown]
# <!-- nav -->
#
# [← 05 · The LSTM cell: a long-term state and the gates that edit it](05_lstm.ipynb) · [index](00_index.ipynb) · [07 · WaveNet: dilated causal convolutions instead of recurrence →](07_wavenet.ipynb)

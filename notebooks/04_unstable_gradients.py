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
# [← 03 · Forecasting several steps ahead](03_multistep_forecasting.ipynb) · [index](00_index.ipynb) · [05 · Short-term memory: LSTM and GRU cells, and 1D convolutions →](05_lstm_gru_conv1d.ipynb)

# %% [markdown]
# # 04 · Long sequences, part 1: unstable gradients
#
# To train an RNN on long sequences we must run it over many time steps, and its unrolled
# version becomes a very deep network. Deep networks can suffer from **unstable
# gradients**: they shrink or grow exponentially as they flow back, and training stalls or
# blows up. Notebooks 01-03 trained on 50 steps and got away with it. This notebook first
# makes the problem **visible and measured**, then tries each remedy on notebook 03's
# seq-to-seq task.
#
# **What you will learn**
#
# - how to measure the gradient that reaches each time step, and how the recurrent
#   weights' scale and the activation decide whether it vanishes or explodes;
# - why ReLU is risky in RNNs and tanh is the default;
# - the remedies, trained and compared: a smaller learning rate, gradient clipping (and
#   the difference between `clipnorm`, `clipvalue` and `global_clipnorm`), Batch
#   Normalization between layers, and **Layer Normalization** inside a custom cell that
#   saves and reloads as a `.keras` file;
# - what `dropout` and `recurrent_dropout` drop, and which layers keep the fast cuDNN
#   kernel on a GPU;
# - how to monitor gradient norms during training, in the notebook and in TensorBoard.

# %% [markdown]
# ## Setup

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs

import shutil

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import ops

from helpers import data, device, gradients, metrics, plots, results, training, widgets

P = helpers.setup()

# %% [markdown]
# ## 1. Watching gradients flow back in time
#
# Take a `SimpleRNN` layer with a `Dense(1)` head, a batch of series four times longer
# than usual (200 steps), and the loss of its one-step forecast. For every time step $t$
# we measure the norm of $\partial L / \partial \mathbf{x}_{(t)}$: how strongly the
# error still reaches the input at step $t$. That signal went back through every step
# after $t$, multiplied each time by the recurrent weights and by the activation's slope.
#
# We vary two things: the activation (tanh or ReLU) and the **scale** of the recurrent
# weight matrix $\mathbf{W}_y$ (an orthogonal matrix times a gain, so the gain is exactly
# how much $\mathbf{W}_y$ stretches a vector). An exploding gradient soon passes float32's
# largest value (about $3.4 \times 10^{38}$), so `input_gradient_norms` runs a float64 copy
# of the model (`gradients.in_float64`, same weights); should even float64 overflow, the
# norm reads `inf` and we report a divergence, never a meaningless NaN.

# %%
n_long = 4 * P.n_steps
long_series = data.generate_time_series(64, n_long + 1, seed=P.seed)
X_long, y_long = long_series[:, :n_long], long_series[:, n_long]


def rnn_with_scale(activation, scale, return_sequences=False, identity=False):
    """A SimpleRNN(20) whose recurrent weights are an orthogonal matrix (or the identity)
    times `scale`."""
    training.set_seed(P.seed)
    init = keras.initializers.Identity if identity else keras.initializers.Orthogonal
    recurrent = keras.layers.SimpleRNN(
        20, activation=activation, return_sequences=return_sequences,
        recurrent_initializer=init(gain=scale))
    head = [] if return_sequences else [keras.layers.Dense(1)]
    return keras.Sequential([keras.Input(shape=(None, 1)), recurrent, *head])


scales = (0.8, 1.2, 2.0)
norms = {(activation, scale): gradients.input_gradient_norms(
             rnn_with_scale(activation, scale), X_long, y_long)
         for activation in ("tanh", "relu") for scale in scales}

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 3.5), sharey=True)
for ax, activation in zip(axes, ("tanh", "relu")):
    for i, scale in enumerate(scales):
        norm = norms[(activation, scale)]
        shown = np.isfinite(norm) & (norm > 0)
        ax.semilogy(np.arange(n_long)[shown], norm[shown], color=plots.PALETTE[i],
                    label=f"recurrent scale {scale}")
    ax.set(title=f"{activation}: gradient reaching each input step",
           xlabel="time step $t$ (the loss is at the last step)")
    ax.legend()
axes[0].set_ylabel(r"$\| \partial L / \partial x_{(t)} \|$");

# %%
def back_to_front(norm):
    """How much larger the gradient is at the first step than at the last (inf: overflow)."""
    return norm[0] / norm[-1] if np.all(np.isfinite(norm[[0, -1]])) else np.inf


def describe(ratio):
    return f"{ratio:.3g}" if np.isfinite(ratio) else "inf: overflowed even float64, diverged"


for key, norm in norms.items():
    print(f"{key[0]:>4}, scale {key[1]}: gradient at t=0 / at t={n_long - 1}: "
          f"{describe(back_to_front(norm))}")
for activation in ("tanh", "relu"):
    assert back_to_front(norms[(activation, 0.8)]) < 1e-6  # vanishes
    assert back_to_front(norms[(activation, 2.0)]) > 1e6  # explodes

# %% [markdown]
# Both activations behave alike here: with a recurrent scale below 1 the gradient
# **vanishes** (at 0.8 it is more than a million times smaller 200 steps back), and well
# above 1 it **explodes**. Early steps then get either no learning signal at all or a
# huge, erratic one. Careful initialisation keeps the scale near 1 at the start (Keras
# uses an orthogonal recurrent initializer), but training moves the weights.
#
# ### Why ReLU is risky in an RNN
#
# The two activations differ in the *forward* pass. The same $\mathbf{W}_y$ is applied at
# every step, so if it stretches the state, a ReLU layer stretches it again and again:
# nothing bounds its outputs (in float32 they can overflow, so we run the float64 copy
# again). tanh squashes everything back into $[-1, 1]$. The plainest stretch is
# $\mathbf{W}_y = 2\mathbf{I}$, which doubles every unit's state at each step. (With a
# random orthogonal matrix times 2, as above, whether ReLU's outputs blow up depends on
# the draw: ReLU zeroes the negative part of each stretched state.)

# %%
outputs = {activation: np.abs(gradients.in_float64(
               rnn_with_scale(activation, 2.0, return_sequences=True, identity=True))(
               X_long.astype("float64")).numpy()).max(axis=(0, 2))
           for activation in ("tanh", "relu")}
fig, ax = plt.subplots(figsize=(8, 3.2))
for activation, values in outputs.items():
    shown = np.isfinite(values)
    ax.semilogy(np.arange(n_long)[shown], values[shown], label=activation)
ax.set(xlabel="time step $t$", ylabel=r"largest $|y_{(t)}|$ in the batch",
       title="outputs of a SimpleRNN(20) with recurrent weights 2I")
ax.legend();

# %%
print(f"relu: largest output at t=10 {outputs['relu'][10]:.3g}, at t=150 "
      f"{outputs['relu'][150]:.3g}")
print(f"tanh: largest output over all {n_long} steps {outputs['tanh'].max():.3f}")
assert outputs["relu"][150] > 1e6 * outputs["relu"][10]  # grows by orders of magnitude

# %% [markdown]
# That is why recurrent layers default to tanh. ReLU RNNs can work (with an identity
# recurrent initialization and a small learning rate), but they are fragile.
#
# ## 2. The remedies, trained and compared
#
# We now train notebook 03's seq-to-seq task (50 steps in; at every step, the next 10
# values out; judged on the last step) with each remedy. The reference is notebook 03's
# plain model: two `SimpleRNN(20)` layers (tanh) and a `TimeDistributed(Dense(10))`
# head, Adam with learning rate 0.01. Each run takes the book's 20 epochs (3 in the quick
# profile, where the tests only check that the code runs and the curves stay finite).

# %%
X_train, Y_train, X_valid, Y_valid, X_test, Y_test = data.load("sequence")
plain_mse = results.value("seq2seq_10")  # trained and recorded by notebook 03
print(f"plain tanh seq-to-seq (notebook 03), last-step validation MSE: {plain_mse:.4f}")


def seq2seq(layer=None, between=None):
    """Two recurrent layers of 20 units (+ an optional layer between) and a Dense(10) head."""
    layer = layer or (lambda: keras.layers.SimpleRNN(20, return_sequences=True))
    middle = [between()] if between else []
    training.set_seed(P.seed)
    return keras.Sequential([
        keras.Input(shape=(None, 1)), layer(), *middle, layer(), *middle,
        keras.layers.TimeDistributed(keras.layers.Dense(10))])


def fit_seq2seq(model, name, label, learning_rate=0.01, **kwargs):
    return training.train(model, X_train, Y_train, X_valid, Y_valid, name=name,
                          notebook="04", label=label, learning_rate=learning_rate,
                          epochs=P.remedy_epochs, metrics=[metrics.last_time_step_mse],
                          monitor="val_last_time_step_mse", **kwargs)


# %% [markdown]
# ### 2.1 ReLU, and a smaller learning rate
#
# First the risky version: the same model with ReLU layers and the same learning rate.
# While it trains, a `GradientNormLogger` callback (from `helpers.gradients`) measures
# each layer's gradient norm on a fixed batch after every epoch, and also writes it to a
# TensorBoard log folder (`logs/`, which git ignores).

# %%
def relu_layer():
    return keras.layers.SimpleRNN(20, activation="relu", return_sequences=True)


log_dir = results.WORK_DIR / "logs" / "04_relu_seq2seq"
shutil.rmtree(log_dir, ignore_errors=True)  # start with a clean log folder
grad_logger = gradients.GradientNormLogger(X_valid[:256], Y_valid[:256], log_dir=log_dir)
relu = fit_seq2seq(seq2seq(relu_layer), "seq2seq_relu", "Seq2seq, ReLU (lr 0.01)",
                   callbacks=[grad_logger])

# %%
relu_small_lr = fit_seq2seq(seq2seq(relu_layer), "seq2seq_relu_lr001",
                            "Seq2seq, ReLU, smaller lr (0.001)", learning_rate=0.001)

# %% [markdown]
# ### 2.2 Gradient clipping
#
# Clipping caps the gradients before the optimizer uses them. Keras optimizers offer
# three ways, and they are not equivalent. On one batch's gradients of the ReLU model:
#
# - `clipvalue=v` clips every component to $[-v, v]$: cheap, but it changes the
#   gradient's direction;
# - `clipnorm=n` rescales each weight tensor separately so its norm is at most $n$;
# - `global_clipnorm=n` rescales all tensors by one common factor so their joint norm is
#   at most $n$: the direction is kept exactly.
#
# To see exactly what Keras does, we let a plain SGD optimizer (learning rate 1, starting
# from zero weights) apply the gradients: the weights it produces are minus the clipped
# gradients.

# %%
def clipped(grads, **clipping):
    """The gradients after a Keras optimizer with `clipping` has clipped them."""
    variables = [keras.Variable(np.zeros_like(g)) for g in grads]
    keras.optimizers.SGD(learning_rate=1.0, **clipping).apply(grads, variables)
    return [-v.numpy() for v in variables]


def cosine(a, b):
    a, b = np.concatenate([g.ravel() for g in a]), np.concatenate([g.ravel() for g in b])
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


raw = gradients.parameter_gradients(seq2seq(relu_layer), X_valid[:256], Y_valid[:256])
variants = {"no clipping": raw, "clipvalue=0.01": clipped(raw, clipvalue=0.01),
            "clipnorm=0.1": clipped(raw, clipnorm=0.1),
            "global_clipnorm=0.1": clipped(raw, global_clipnorm=0.1)}
for name, grads in variants.items():
    print(f"{name:>20}: global norm {gradients.global_norm(grads):.4f}, "
          f"direction vs unclipped (cosine) {cosine(grads, raw):.4f}")

# %%
assert gradients.global_norm(variants["global_clipnorm=0.1"]) <= 0.1 + 1e-6
assert abs(cosine(variants["global_clipnorm=0.1"], raw) - 1) < 1e-5  # same direction
assert cosine(variants["clipvalue=0.01"], raw) < 0.999  # direction changed
assert all(np.linalg.norm(g) <= 0.1 + 1e-6 for g in variants["clipnorm=0.1"])

# %% [markdown]
# Now the ReLU model at learning rate 0.01 again, with `global_clipnorm=1.0`:

# %%
relu_clipped = fit_seq2seq(
    seq2seq(relu_layer), "seq2seq_relu_clip", "Seq2seq, ReLU, global_clipnorm=1",
    optimizer=keras.optimizers.Adam(learning_rate=0.01, global_clipnorm=1.0))

# %% [markdown]
# ### 2.3 Batch Normalization between layers
#
# Batch Normalization (BN) does not fit *inside* a recurrent layer: the same BN layer would
# be applied at every time step with the same scale and offset, although the statistics
# of the hidden state differ from step to step, and batch statistics are unreliable for
# small batches of long sequences. It *can* go between recurrent layers (normalizing the
# inputs of the next layer); Laurent et al. (2015) found it helps only a little there.

# %%
bn = fit_seq2seq(seq2seq(between=keras.layers.BatchNormalization),
                 "seq2seq_bn", "Seq2seq + BatchNorm between layers")

# %% [markdown]
# ### 2.4 Layer Normalization inside the cell
#
# Layer Normalization (LN, Ba et al. 2016) normalizes across the *features* of each
# instance at each time step, not across the batch. It needs no batch statistics, so it
# behaves the same in training and inference and can sit inside the recurrence: right
# after the linear combination of input and previous state, before the activation. Like
# BN it learns a scale and an offset per feature.
#
# Keras has no such cell, so we write one. A cell is a layer that processes **one** time
# step: `call(inputs, states)` returns the output and the new states. Ours wraps a
# `SimpleRNNCell` with no activation (it computes $\mathbf{x}_{(t)}\mathbf{W}_x +
# \mathbf{h}_{(t-1)}\mathbf{W}_y + \mathbf{b}$), normalizes that, and applies the
# activation. `keras.layers.RNN` runs a cell over the sequence.

# %%
@keras.saving.register_keras_serializable(package="course")
class LNSimpleRNNCell(keras.layers.Layer):
    """A simple recurrent cell with Layer Normalization before its activation."""

    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units  # one state vector of `units` values ...
        self.output_size = units  # ... which is also the output
        self.activation = keras.activations.get(activation)
        self.linear = keras.layers.SimpleRNNCell(units, activation=None)
        self.layer_norm = keras.layers.LayerNormalization()

    def build(self, input_shape):
        self.linear.build(input_shape)
        self.layer_norm.build((None, self.units))

    def call(self, inputs, states, training=False):
        z, _ = self.linear(inputs, states, training=training)
        outputs = self.activation(self.layer_norm(z))
        return outputs, [outputs]  # output, new state

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": keras.activations.serialize(self.activation)}


# %% [markdown]
# What it does on one step, and that the normalization really happens: before the
# activation, each instance's 20 values have mean 0 and standard deviation 1 (the learned
# scale and offset start at 1 and 0). We feed it step 10 of four series and a random
# previous state.

# %% tags=["nbval-check-output"]
training.set_seed(P.seed)
cell = LNSimpleRNNCell(20)
x_t = ops.convert_to_tensor(X_valid[:4, 10])  # one time step of 4 series
state = [ops.convert_to_tensor(
    np.random.default_rng(P.seed).uniform(-1, 1, (4, 20)).astype("float32"))]
y_t, new_state = cell(x_t, state)
z = cell.layer_norm(cell.linear(x_t, state)[0]).numpy()
print("input", tuple(x_t.shape), "-> output", tuple(y_t.shape),
      "and state", tuple(new_state[0].shape))
print("normalized pre-activations: mean ~ 0:", bool(np.allclose(z.mean(axis=1), 0, atol=1e-5)),
      " std ~ 1:", bool(np.allclose(z.std(axis=1), 1, atol=1e-2)))
print("parameters:", cell.count_params(), "(SimpleRNNCell 440 + LayerNormalization 40)")

# %%
ln_model = seq2seq(lambda: keras.layers.RNN(LNSimpleRNNCell(20), return_sequences=True))
ln = fit_seq2seq(ln_model, "seq2seq_ln", "Seq2seq, LayerNorm cells")

# %% [markdown]
# A model with a custom cell must also save and reload. The `register_keras_serializable`
# decorator and `get_config` make that work: the reloaded model predicts exactly the same.

# %% tags=["nbval-check-output"]
path = results.RESULTS_DIR / "cache" / "04_ln_seq2seq.keras"
path.parent.mkdir(parents=True, exist_ok=True)
ln_model.save(path)
reloaded = keras.models.load_model(path)
same = np.array_equal(reloaded.predict(X_valid[:8], verbose=0),
                      ln_model.predict(X_valid[:8], verbose=0))
print("reloaded from .keras, identical predictions:", same)

# %% [markdown]
# ### 2.5 All remedies side by side

# %%
runs = {"ReLU, lr 0.01": relu, "ReLU, lr 0.001": relu_small_lr,
        "ReLU, lr 0.01, clipped": relu_clipped, "tanh + BatchNorm": bn,
        "tanh, LayerNorm cell": ln}
fig, ax = plt.subplots(figsize=(9, 3.8))
for i, (label, run) in enumerate(runs.items()):
    curve = np.array(run.history["val_last_time_step_mse"])
    ax.semilogy(np.arange(1, len(curve) + 1), curve, color=plots.PALETTE[i], label=label)
ax.axhline(plain_mse, color=plots.INPUT_COLOR, ls="--", label="plain tanh (notebook 03)")
ax.set(xlabel="epoch", ylabel="validation MSE, last step",
       title="the same seq-to-seq task, five ways")
ax.legend(ncols=2);


# %%
def roughness(run):
    """How often the validation curve went up from one epoch to the next."""
    curve = np.array(run.history["val_last_time_step_mse"])
    return int(np.sum(np.diff(curve) > 0))


print(f"{'run':>24}  final MSE  epochs that got worse  seconds")
for label, run in runs.items():
    print(f"{label:>24}  {run.value:9.4f}  {roughness(run):>21}  {run.seconds:7.1f}")
print(f"{'plain tanh (notebook 03)':>24}  {plain_mse:9.4f}")

# %% [markdown]
# What the measurements say (full profile; the quick profile's three epochs show little).
# Batch Normalization between the layers does not help: it *hurts*, badly. Its training
# error is as low as the others', but its validation error is several times higher,
# because in inference it normalizes with running averages gathered over all time steps
# and batches, which do not match the statistics each step saw in training. The LayerNorm
# cells need no batch statistics: they end far below BN, in the plain model's range (on
# 50-step series the plain model had no instability to cure). The order of the three ReLU
# runs changes with the seed (results/SEEDS.md): on a 50-step task ReLU's instability is
# mild, so we draw no ranking from them; read their curves' shapes instead. Section 1
# showed where ReLU does blow up: over long sequences.

# %%
assert all(np.isfinite(run.value) for run in runs.values())  # no run diverged
if P.name == "full":
    # Batch Normalization between layers hurts here: fine in training, off in inference.
    assert bn.value > 2 * plain_mse and bn.history["last_time_step_mse"][-1] < bn.value / 3
    # Normalizing inside the cell works: far below BN, within twice the plain model.
    assert ln.value < bn.value / 3 and ln.value < 2 * plain_mse

# %% [markdown]
# ## 3. Monitoring gradients during training
#
# The `GradientNormLogger` we attached to the ReLU run recorded each layer's gradient norm
# after every epoch. Spikes in such a plot are the first sign of exploding gradients
# (and the moment to lower the learning rate or clip).

# %%
fig, ax = plt.subplots(figsize=(8, 3.2))
for i, (layer_name, values) in enumerate(grad_logger.norms.items()):
    ax.semilogy(np.arange(1, len(values) + 1), values, "o-", ms=3, color=plots.PALETTE[i],
                label=layer_name)
ax.set(xlabel="epoch", ylabel="gradient norm (fixed batch)",
       title="per-layer gradient norms while training the ReLU model")
ax.legend();

# %% [markdown]
# The same values went to TensorBoard's log folder. To browse them (and anything else
# logged with `keras.callbacks.TensorBoard`), run `tensorboard --logdir logs` in a
# terminal from the repository's root and open the address it prints; this notebook does
# not need it running.

# %%
event_files = sorted(log_dir.glob("events.out.tfevents.*"))
print(f"{len(event_files)} TensorBoard event file(s) in "
      f"{log_dir.relative_to(results.WORK_DIR)}")
assert event_files and all(len(values) == P.remedy_epochs
                           for values in grad_logger.norms.values())

# %% [markdown]
# ## 4. Dropout in recurrent layers
#
# Every Keras recurrent layer (and cell) takes two dropout rates:
#
# - `dropout` drops components of the **inputs** $\mathbf{x}_{(t)}$ it receives at each
#   step;
# - `recurrent_dropout` drops components of the **hidden state** $\mathbf{h}_{(t-1)}$ fed
#   back from the previous step (the same mask at every step, as Gal and Ghahramani
#   recommend).
#
# Both only act during training: in inference the layer is deterministic.

# %%
training.set_seed(P.seed)
dropout_layer = keras.layers.SimpleRNN(20, dropout=0.2, recurrent_dropout=0.2)
x = X_valid[:4]
train_a, train_b = dropout_layer(x, training=True), dropout_layer(x, training=True)
infer_a, infer_b = dropout_layer(x), dropout_layer(x)

# %% tags=["nbval-check-output"]
print("two training-mode calls differ:", not np.allclose(train_a, train_b))
print("two inference calls are identical:", bool(np.array_equal(infer_a, infer_b)))

# %% [markdown]
# One practical consequence on a GPU: `LSTM` and `GRU` layers run NVIDIA's fast cuDNN
# kernel only under a few conditions, and `recurrent_dropout > 0` breaks one of them, so
# the layer falls back to the generic (much slower) loop. `helpers.device.kernel_report`
# checks the conditions for each recurrent layer of a model:

# %% tags=["nbval-check-output"]
training.set_seed(P.seed)
examples = keras.Sequential([
    keras.Input(shape=(None, 1)),
    keras.layers.LSTM(20, return_sequences=True, name="lstm"),
    keras.layers.LSTM(20, dropout=0.2, return_sequences=True, name="lstm_dropout"),
    keras.layers.LSTM(20, recurrent_dropout=0.2, return_sequences=True,
                      name="lstm_recurrent_dropout"),
    keras.layers.GRU(20, reset_after=False, return_sequences=True, name="gru_reset_before"),
    keras.layers.SimpleRNN(20, return_sequences=True, name="simple_rnn"),
    keras.layers.RNN(LNSimpleRNNCell(20), name="ln_cell"),
])
print(device.kernel_report(examples))

# %% [markdown]
# Input `dropout` keeps cuDNN; `recurrent_dropout` loses it. `SimpleRNN` and any
# `RNN(cell)`, including our LN cell, never have it.
#
# ## 5. Try it
#
# Pick the activation, the recurrent weights' scale and the sequence length: the left plot
# shows the gradient reaching each input step of a fresh, untrained `SimpleRNN(20)`; the
# right one shows the size of its parameter gradient on the same batch, before and after
# `global_clipnorm=1` when clipping is on.

# %%
def show_gradient_flow(activation, scale, n_steps, clipping):
    series = data.generate_time_series(64, n_steps + 1, seed=P.seed)
    X, y = series[:, :n_steps], series[:, n_steps]
    model = rnn_with_scale(activation, scale)
    norm = gradients.input_gradient_norms(model, X, y)
    raw = gradients.parameter_gradients(model, X, y)
    after = clipped(raw, global_clipnorm=1.0) if clipping else raw
    fig, (ax_flow, ax_clip) = plt.subplots(1, 2, figsize=(11, 3.3),
                                           gridspec_kw={"width_ratios": [3, 1]})
    shown = np.isfinite(norm) & (norm > 0)
    ax_flow.semilogy(np.arange(n_steps)[shown], norm[shown])
    ax_flow.set(xlabel="time step $t$", ylabel=r"$\|\partial L/\partial x_{(t)}\|$",
                title=f"{activation}, scale {scale}: first/last = "
                      f"{describe(back_to_front(norm))}")
    values = [gradients.global_norm(raw), gradients.global_norm(after)]
    ax_clip.bar(["before", "after"], values, color=[plots.PALETTE[1], plots.PALETTE[0]])
    ax_clip.set(yscale="log", title="parameter gradient norm")
    plt.show()


# %% tags=["nbval-ignore-output"]
widgets.interactive_view(show_gradient_flow, {
    "activation": widgets.dropdown("activation", ["tanh", "relu"]),
    "scale": widgets.float_slider("recurrent scale", 0.5, 2.5, 1.0, 0.1),
    "n_steps": widgets.int_slider("steps", 20, 400, n_long, 20),
    "clipping": widgets.checkbox("clip (global_clipnorm=1)"),
})

# %% [markdown]
# ## Summary
#
# Last-step validation MSE on the seq-to-seq task (the cell below plots this run's):
#
# | model | in the full profile |
# |---|---|
# | plain tanh (notebook 03) | the reference |
# | ReLU: lr 0.01, lr 0.001, lr 0.01 with global_clipnorm=1 | their order changes with the seed |
# | tanh + BatchNorm between layers | training fine, inference far off |
# | tanh, LayerNorm cells | far below BN, in the plain model's range |

# %%
measured = {"plain": plain_mse, "relu": relu.value, "relu\nlr 0.001": relu_small_lr.value,
            "relu\nclipped": relu_clipped.value, "BN": bn.value, "LN cell": ln.value}
ax = plots.plot_mse_bars(measured, log_scale=True)
ax.set_title("seq-to-seq, last-step validation MSE");

# %% [markdown]
# - Gradients through time shrink or grow geometrically with the recurrent weights' scale:
#   we measured a factor beyond $10^6$ over 200 steps either way.
# - With ReLU the *outputs* explode too; tanh keeps them in $[-1, 1]$.
# - Remedies: keep tanh, lower the learning rate, clip the gradients (`global_clipnorm`
#   keeps their direction), normalize. BN between layers hurt here; LN inside the cell
#   works, and the custom cell saves and reloads.
# - `recurrent_dropout` regularizes the state but costs the cuDNN kernel on a GPU.
#
# ## Exercises
#
# 1. Give the LN cell to the ReLU model (`LNSimpleRNNCell(20, activation="relu")`). Does
#    normalization alone tame ReLU?
# 2. Repeat the gradient-flow measurement for a trained model (notebook 03's seq-to-seq)
#    on 200-step series. Where does it sit between vanishing and exploding?
# 3. Try `clipvalue` instead of `global_clipnorm` on the ReLU model. How do the curves
#    compare, and why might the changed direction matter?
# 4. Add `recurrent_dropout=0.1` to the plain seq-to-seq model. What happens to the
#    training and validation curves, and to the time per epoch?
# 5. Write a `GRU`-like cell with LayerNormalization on each gate's pre-activation. Which
#    of Keras' conditions for cuDNN can it never meet?
#
# Next: **05 · LSTM, GRU and 1D convolutions**.

# %% [markdown]
# <!-- nav -->
#
# [← 03 · Forecasting several steps ahead](03_multistep_forecasting.ipynb) · [index](00_index.ipynb) · [05 · Short-term memory: LSTM and GRU cells, and 1D convolutions →](05_lstm_gru_conv1d.ipynb)

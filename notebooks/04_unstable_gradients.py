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
# [← 03 · Forecasting several steps ahead](03_multistep_forecasting.ipynb) · [index](00_index.ipynb) · [05 · The LSTM cell: a long-term state and the gates that edit it →](05_lstm.ipynb)

# %% [markdown]
# # 04 · Long sequences, part 1: unstable gradients
#
# To train an RNN on long sequences we run it over many time steps, and its unrolled
# version becomes a very deep network, with **unstable gradients**: they shrink or grow
# exponentially as they flow back, and training stalls or blows up. This notebook
# measures that, derives where it comes from, and tries the chapter's remedies on a plain
# recurrent network that fails to train because of it.
#
# **What you will learn**
#
# - how to measure the gradient that reaches each time step, and why it behaves like a
#   product of one Jacobian per step (derived, run in NumPy, checked against Keras);
# - why ReLU is risky in RNNs and tanh is the default;
# - the remedies, tried on a ReLU network that fails on 200-step series: a smaller
#   learning rate, gradient clipping (`clipnorm`, `clipvalue`, `global_clipnorm`), a
#   saturating activation, a good initialization, and **Layer Normalization** in a
#   custom cell that saves and reloads as a `.keras` file;
# - what goes wrong with Batch Normalization between recurrent layers, and the fix;
# - how to monitor gradient norms during training.

# %% [markdown]
# ## Setup

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs

import shutil

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import ops

from helpers import data, gradients, metrics, plots, results, training, widgets

P = helpers.setup()

# %% [markdown]
# ## 1. Watching gradients flow back in time
#
# Take a `SimpleRNN(20)` with a `Dense(1)` head, 200-step series, and the loss of its
# one-step forecast. For every step $t$ we measure $\|\partial L / \partial
# \mathbf{x}_{(t)}\|$, how strongly the error still reaches the input at step $t$, for
# both activations and several **scales** of the recurrent weights $\mathbf{W}_y$ (an
# orthogonal matrix times a gain). `input_gradient_norms` runs a float64 copy of the model
# (float32 overflows past $3.4 \times 10^{38}$); if even that overflows, the norm is `inf`.

# %%
n_long = 4 * P.n_steps
long_series = data.generate_time_series(64, n_long + 1, seed=P.seed)
X_long, y_long = long_series[:, :n_long], long_series[:, n_long]


def rnn_with_scale(activation, scale, return_sequences=False, identity=False):
    """SimpleRNN(20), recurrent weights = an orthogonal matrix (or I) times `scale`."""
    training.set_seed(P.seed)
    init = keras.initializers.Identity if identity else keras.initializers.Orthogonal
    recurrent = keras.layers.SimpleRNN(
        20, activation=activation, return_sequences=return_sequences,
        recurrent_initializer=init(gain=scale))
    head = [] if return_sequences else [keras.layers.Dense(1)]
    return keras.Sequential([keras.Input(shape=(None, 1)), recurrent, *head])


def back_to_front(norm):
    """How much larger the gradient is at the first step than at the last (inf: overflow)."""
    return norm[0] / norm[-1] if np.all(np.isfinite(norm[[0, -1]])) else np.inf


def describe(ratio):
    return f"{ratio:.3g}" if np.isfinite(ratio) else "inf: overflowed even float64, diverged"


scales = (0.8, 1.2, 2.0)
models = {(activation, scale): rnn_with_scale(activation, scale)
          for activation in ("tanh", "relu") for scale in scales}
norms = {key: gradients.input_gradient_norms(model, X_long, y_long)
         for key, model in models.items()}
for (activation, scale), norm in norms.items():
    print(f"{activation:>4}, scale {scale}: gradient at t=0 / at t={n_long - 1}: "
          f"{describe(back_to_front(norm))}")
for activation in ("tanh", "relu"):
    assert back_to_front(norms[(activation, 0.8)]) < 1e-6  # vanishes
    assert back_to_front(norms[(activation, 2.0)]) > 1e6  # explodes

# %% [markdown]
# At scale 0.8 the gradient **vanishes** for both activations, at scale 2 it **explodes**.
# At 1.2, near the edge, tanh keeps it roughly level, while where ReLU's goes depends on
# the draw of the weights. The next section explains these numbers.
#
# ## 2. Why: a product of Jacobians
#
# One step computes $\mathbf{z}_{(t)} = \mathbf{W}_x^\top\mathbf{x}_{(t)} +
# \mathbf{W}_y^\top\mathbf{y}_{(t-1)} + \mathbf{b}$ and outputs $\mathbf{y}_{(t)} =
# \phi(\mathbf{z}_{(t)})$. By the chain rule a change of the previous output moves the
# new one by the **Jacobian** $\partial \mathbf{y}_{(t)} / \partial \mathbf{y}_{(t-1)} =
# \operatorname{diag}(\phi'(\mathbf{z}_{(t)}))\,\mathbf{W}_y^\top$, and the error at the
# last step $T$ reaches step $t$ through one such Jacobian per step in between (row
# vectors, as in Keras):
#
# $$\frac{\partial L}{\partial \mathbf{x}_{(t)}} = \frac{\partial L}{\partial
#   \mathbf{y}_{(T)}}\,\Big[\prod_{s=T}^{t+1} \operatorname{diag}\big(\phi'(\mathbf{z}_{(s)})
#   \big)\mathbf{W}_y^\top\Big]\operatorname{diag}\big(\phi'(\mathbf{z}_{(t)})\big)
#   \mathbf{W}_x^\top .$$
#
# Both activations have slopes $\phi' \le 1$, so each factor stretches a vector by at most
# $\sigma_{\max}(\mathbf{W}_y)$, its largest singular value (here: the scale). Hence a
# **bound**, $\|\partial L/\partial \mathbf{x}_{(t)}\| \le \|\partial L/\partial
# \mathbf{y}_{(T)}\|\,\sigma_{\max}(\mathbf{W}_x)\,\sigma_{\max}(\mathbf{W}_y)^{T-t}$:
# below 1 it *forces* the gradient to vanish, above 1 it only *allows* an explosion. The
# slopes shrink the gradient's components, so each step typically multiplies its norm by
# the **effective gain** $\sigma_{\max}(\mathbf{W}_y) \times \operatorname{rms}(\phi')$.
# The formula in NumPy, checked against TensorFlow's gradients (on 50 steps: over 200 the
# tanh network at scale 2 is chaotic, and rounding differences grow until they part ways):

# %%
def bptt(model, X, y):
    """dL/dx(t) of a SimpleRNN + Dense(1) model by the chain rule (float64), the slopes
    phi'(z(t)) of every step, and ||dL/dy(T)||."""
    rnn, head = model.layers
    W_x, W_y, b = (w.astype("float64") for w in rnn.get_weights())
    w_out, b_out = (w.astype("float64") for w in head.get_weights())
    relu = rnn.activation.__name__ == "relu"
    X = X.astype("float64")
    y_t, slopes = np.zeros((len(X), len(b))), []
    for t in range(X.shape[1]):  # forward, keeping each step's slopes
        z = X[:, t] @ W_x + y_t @ W_y + b
        y_t = np.maximum(z, 0) if relu else np.tanh(z)
        slopes.append((z > 0) * 1.0 if relu else 1 - y_t**2)
    error = y_t @ w_out + b_out - y
    grad_y = 2 * error / error.size @ w_out.T  # dL/dy(T) of the mean squared error
    grad_x, grad_last = np.zeros_like(X), np.linalg.norm(grad_y)
    for t in reversed(range(X.shape[1])):  # backward: one Jacobian per step
        grad_z = grad_y * slopes[t]  # times diag(phi'(z(t)))
        grad_x[:, t] = grad_z @ W_x.T
        grad_y = grad_z @ W_y.T  # on to y(t-1)
    return grad_x, np.array(slopes), grad_last


X_short = X_long[:, -P.n_steps:]
for key, model in models.items():
    ours = np.sqrt(np.sum(bptt(model, X_short, y_long)[0] ** 2, axis=(0, 2)))
    keras_norms = gradients.input_gradient_norms(model, X_short, y_long)
    assert np.allclose(ours, keras_norms, rtol=1e-6), key
print("NumPy's chain rule matches TensorFlow's gradients for all six networks")

# %% [markdown]
# Back to 200 steps: the measured gradient (solid), the bound (dashed) and the effective
# gain's prediction from the last step back (dotted), for each network.

# %%
steps, gain_table = np.arange(n_long), {}
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True)
for ax, activation in zip(axes, ("tanh", "relu")):
    for i, scale in enumerate(scales):
        model, measured = models[(activation, scale)], norms[(activation, scale)]
        _, slopes, grad_last = bptt(model, X_long, y_long)
        W_x, W_y, _ = model.layers[0].get_weights()
        bound = (grad_last * np.linalg.norm(W_x, 2)
                 * np.linalg.norm(W_y, 2) ** (n_long - 1 - steps))
        gain = np.linalg.norm(W_y, 2) * np.sqrt(np.mean(slopes[1:] ** 2))
        gain_table[(activation, scale)] = (gain, back_to_front(measured) ** (1 / (n_long - 1)),
                                           bool(np.all(measured <= bound)))
        ax.semilogy(steps, measured, color=plots.PALETTE[i], label=f"scale {scale}")
        ax.semilogy(steps, bound, color=plots.PALETTE[i], ls="--", lw=1)
        ax.semilogy(steps, measured[-1] * gain ** (n_long - 1 - steps),
                    color=plots.PALETTE[i], ls=":")
    ax.set(title=f"{activation}: measured, bound (dashed), effective gain (dotted)",
           xlabel="time step $t$ (the loss is at the last step)")
    ax.legend(fontsize=8)
every = np.concatenate(list(norms.values()))
axes[0].set(ylim=(every.min() / 1e3, every.max() * 1e3),
            ylabel=r"$\| \partial L / \partial x_{(t)} \|$")
plt.show()
print("activation  scale  effective gain  measured per step  under the bound")
for (activation, scale), (gain, per_step, under) in gain_table.items():
    print(f"{activation:>10}  {scale:5}  {gain:14.3f}  {per_step:17.3f}  {under}")
    assert under  # the bound holds at every step
    if activation == "tanh":  # the effective gain predicts tanh's rate closely
        assert abs(per_step / gain - 1) < 0.1

# %% [markdown]
# The bound is close only where the slopes stay near 1 (tanh at 0.8, whose state stays
# small). **tanh at 1.2** stays level because its state settles where tanh is partly
# saturated: the rms slope falls to about $1/1.2$. For **ReLU** the gain is a rougher
# guide: about half its units are off at each step, so the rms slope is about
# $\sqrt{1/2} \approx 0.7$ ($1.2 \times 0.7 < 1$, $2 \times 0.7 > 1$); but which units
# are on changes slowly, and while one group stays on, the gradient follows
# $\mathbf{W}_y$ restricted to it, which can stretch more; near scale 1 that decides.
#
# ### Why ReLU is risky in an RNN
#
# In the *forward* pass too: if $\mathbf{W}_y$ stretches the state, a ReLU layer stretches
# it again at every step and nothing bounds its outputs, while tanh squashes them into
# $[-1, 1]$. Hence tanh as the default; ReLU RNNs can work, but are fragile.

# %% [markdown]
# ## 3. A plain RNN that fails
#
# The task: notebook 02's one-step forecast on 200-step series at notebook 02's pace
# (`time_step=1/50`). A run **learns** if it ends below the naive forecast's validation
# MSE, and **fails** if it ends above it or diverges (NaN loss). The model: two ReLU
# `SimpleRNN(20)` layers and a `Dense(1)` head, Adam at learning rate 0.01, recurrent
# weights started at the **identity** (the IRNN recipe, Le et al., 2015). Each
# first-layer unit then adds up its inputs over 200 steps, and the second layer adds up
# those sums: the untrained forecasts are wildly off, and so are the gradients.

# %%
n_fit, n_check = (2_000, 1_000) if P.name == "full" else (500, 300)
long_epochs = P.remedy_epochs // 2
fail_series = data.generate_time_series(n_fit + n_check, n_long + 1, seed=P.seed,
                                        time_step=1 / P.n_steps)
X_fit, y_fit = fail_series[:n_fit, :n_long], fail_series[:n_fit, n_long]
X_check, y_check = fail_series[n_fit:, :n_long], fail_series[n_fit:, n_long]
naive_long = float(np.mean((X_check[:, -1] - y_check) ** 2))
print(f"{n_fit:,} training and {n_check:,} validation series of {n_long} steps; "
      f"naive forecast's validation MSE {naive_long:.4f}")


def long_model(activation="relu", init="identity", cell=None):
    """Two recurrent layers of 20 units (SimpleRNN, or RNN(cell())) and a Dense(1) head."""
    training.set_seed(P.seed)

    def recurrent(return_sequences):
        if cell is not None:
            return keras.layers.RNN(cell(), return_sequences=return_sequences)
        return keras.layers.SimpleRNN(20, activation=activation, recurrent_initializer=init,
                                      return_sequences=return_sequences)

    return keras.Sequential([keras.Input(shape=(None, 1)), recurrent(True),
                             recurrent(False), keras.layers.Dense(1)])


def fit_long(model, name, learning_rate=0.01, **kwargs):
    """Train on the 200-step series (not recorded: the leaderboard's tasks are 50 steps)."""
    return training.train(model, X_fit, y_fit, X_check, y_check, name=name, notebook="04",
                          learning_rate=learning_rate, epochs=long_epochs, record=False,
                          **kwargs)


def outcome(run):
    """'diverged (NaN)', 'fails' (worse than the naive forecast) or 'learns'."""
    if not np.isfinite(run.value):
        return "diverged (NaN)"
    return "fails" if run.value > naive_long else "learns"


plain_model = long_model()
untrained = float(np.mean((plain_model.predict(X_check, verbose=0) - y_check) ** 2))
print(f"plain ReLU network before training: validation MSE {untrained:.3g}")
assert untrained > 100 * naive_long  # the accumulating states put it far off
plain = fit_long(plain_model, "long_relu_identity")
print(f"plain ReLU network: validation MSE {plain.value:.4g} -> {outcome(plain)}")
if P.name == "full":
    assert outcome(plain) != "learns"  # diverges, or ends worse than the naive forecast

# %% [markdown]
# ## 4. The remedies, one at a time
#
# Each remedy from the chapter changes one thing of the plain network, on the same data,
# seed and number of epochs.
#
# ### 4.1 Smaller steps, bounded states, a good start
#
# A smaller learning rate (0.001); tanh, which bounds every state in $[-1, 1]$; Keras'
# default orthogonal recurrent initializer, whose gain is 1 and which mixes the units. A
# `GradientNormLogger` (`helpers.gradients`) records two runs' per-layer gradient norms
# on a fixed batch after every epoch, also for TensorBoard.

# %%
log_dir = results.WORK_DIR / "logs" / "04_gradient_norms"
shutil.rmtree(log_dir, ignore_errors=True)  # start with a clean log folder
loggers = {name: gradients.GradientNormLogger(X_check[:256], y_check[:256],
                                              log_dir=log_dir / name)
           for name in ("lr_0.001", "orthogonal")}
small_lr = fit_long(long_model(), "long_relu_lr0001", learning_rate=0.001,
                    callbacks=[loggers["lr_0.001"]])
tanh_run = fit_long(long_model(activation="tanh"), "long_tanh_identity")
orthogonal = fit_long(long_model(init="orthogonal"), "long_relu_orthogonal",
                      callbacks=[loggers["orthogonal"]])

# %% [markdown]
# The failing run's gradients are orders of magnitude larger than those of the run that
# learns, at every epoch: such a plot is where exploding gradients show first. `tensorboard
# --logdir logs`, run from the repository's root, browses the same values.

# %%
fig, ax = plt.subplots(figsize=(8, 3.2))
for i, (run_name, logger) in enumerate(loggers.items()):
    for ls, (layer_name, values) in zip(("-", "--", ":"), logger.norms.items()):
        ax.semilogy(np.arange(1, len(values) + 1), values, ls, marker="o", ms=3,
                    color=plots.PALETTE[i], label=f"{run_name}: {layer_name}")
ax.set(xlabel="epoch", ylabel="gradient norm (fixed batch)",
       title="per-layer gradient norms: a failing run and one that learns")
ax.legend(fontsize=7, ncols=2)
plt.show()
event_files = sorted(log_dir.glob("*/events.out.tfevents.*"))
print(f"{len(event_files)} TensorBoard event files in {log_dir.relative_to(results.WORK_DIR)}")
assert len(event_files) == 2 and all(len(values) == long_epochs for logger in loggers.values()
                                     for values in logger.norms.values())

# %% [markdown]
# ### 4.2 Gradient clipping
#
# Clipping caps the gradients before the optimizer uses them, in one of three ways:
# `clipvalue=v` clips every component to $[-v, v]$ (cheap, but it turns the gradient);
# `clipnorm=n` rescales each weight tensor so its norm is at most $n$; `global_clipnorm=n`
# rescales all tensors by one factor so their joint norm is at most $n$, keeping the
# direction. To see what Keras does, a plain SGD optimizer (learning rate 1, from zero
# weights) applies the plain network's gradients on one batch: it produces minus the
# clipped gradients.

# %%
def clipped(grads, **clipping):
    """The gradients after a Keras optimizer with `clipping` has clipped them."""
    variables = [keras.Variable(np.zeros_like(g)) for g in grads]
    keras.optimizers.SGD(learning_rate=1.0, **clipping).apply(grads, variables)
    return [-v.numpy() for v in variables]


def cosine(a, b):
    a, b = np.concatenate([g.ravel() for g in a]), np.concatenate([g.ravel() for g in b])
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


raw = gradients.parameter_gradients(long_model(), X_check[:256], y_check[:256])
variants = {"no clipping": raw, "clipvalue=0.01": clipped(raw, clipvalue=0.01),
            "clipnorm=0.1": clipped(raw, clipnorm=0.1),
            "global_clipnorm=0.1": clipped(raw, global_clipnorm=0.1)}
for name, grads in variants.items():
    print(f"{name:>20}: global norm {gradients.global_norm(grads):10.4g}, "
          f"direction vs unclipped (cosine) {cosine(grads, raw):.4f}")
assert gradients.global_norm(variants["global_clipnorm=0.1"]) <= 0.1 + 1e-6
assert abs(cosine(variants["global_clipnorm=0.1"], raw) - 1) < 1e-5  # same direction
assert cosine(variants["clipvalue=0.01"], raw) < 0.999  # direction changed
assert all(np.linalg.norm(g) <= 0.1 + 1e-6 for g in variants["clipnorm=0.1"])

# %% [markdown]
# Now the plain network with `global_clipnorm=1`. Adam already divides each step by a
# running estimate of the gradient's size, so its first steps are about one learning rate
# long whatever the gradient; clipping keeps one huge gradient from inflating that
# estimate (which would freeze learning for a long while). But it bounds the *updates*,
# not the forward pass: if a state overflows first, the loss and every gradient are NaN,
# and a clipped NaN is still NaN.

# %%
clipped_run = fit_long(long_model(), "long_relu_clip",
                       optimizer=keras.optimizers.Adam(learning_rate=0.01, global_clipnorm=1.0))
print(f"with clipping: validation MSE {clipped_run.value:.4g} -> {outcome(clipped_run)}")

# %% [markdown]
# ### 4.3 Layer Normalization inside the cell
#
# Batch Normalization does not fit *inside* a recurrent layer: one set of running
# statistics would serve steps whose statistics differ. Layer Normalization (LN, Ba et
# al. 2016) normalizes across each instance's *features* at each step, needs no batch
# statistics, and fits between the linear combination and the activation. Keras has no
# such cell, so we write one: a cell processes **one** step, `call(inputs, states)`
# returning the output and the new states. Ours wraps a `SimpleRNNCell` with no
# activation ($\mathbf{x}_{(t)}\mathbf{W}_x + \mathbf{h}_{(t-1)}\mathbf{W}_y +
# \mathbf{b}$), normalizes that and applies the activation; `keras.layers.RNN` runs it.

# %% tags=["taught"]
@keras.saving.register_keras_serializable(package="course")
class LNSimpleRNNCell(keras.layers.Layer):
    """A simple recurrent cell with Layer Normalization before its activation."""

    def __init__(self, units, activation="tanh", recurrent_initializer="orthogonal",
                 **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units  # one state vector of `units` values ...
        self.output_size = units  # ... which is also the output
        self.activation = keras.activations.get(activation)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.linear = keras.layers.SimpleRNNCell(
            units, activation=None, recurrent_initializer=self.recurrent_initializer)
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
                "activation": keras.activations.serialize(self.activation),
                "recurrent_initializer":
                    keras.initializers.serialize(self.recurrent_initializer)}


# %% [markdown]
# One step of it, on step 10 of four series and a random previous state: before the
# activation, each instance's 20 values have mean 0 and standard deviation 1.

# %% tags=["nbval-check-output"]
training.set_seed(P.seed)
cell = LNSimpleRNNCell(20)
state = [np.random.default_rng(P.seed).uniform(-1, 1, (4, 20)).astype("float32")]
y_t, new_state = cell(X_check[:4, 10], state)
z = cell.layer_norm(cell.linear(X_check[:4, 10], state)[0]).numpy()
print("output", tuple(y_t.shape), "state", tuple(new_state[0].shape), "| mean ~ 0:",
      bool(np.allclose(z.mean(axis=1), 0, atol=1e-5)), " std ~ 1:",
      bool(np.allclose(z.std(axis=1), 1, atol=1e-2)))
print("parameters:", cell.count_params(), "(SimpleRNNCell 440 + LayerNormalization 40)")

# %% [markdown]
# The plain network again, ReLU and identity start included, with LN cells:

# %%
ln_model = long_model(cell=lambda: LNSimpleRNNCell(20, activation="relu",
                                                   recurrent_initializer="identity"))
ln = fit_long(ln_model, "long_relu_ln")

# %% [markdown]
# A model with a custom cell must also save and reload. The `register_keras_serializable`
# decorator and `get_config` make that work: the reloaded model predicts exactly the same.

# %% tags=["nbval-check-output"]
path = results.RESULTS_DIR / "cache" / "04_ln_cells.keras"
path.parent.mkdir(parents=True, exist_ok=True)
ln_model.save(path)
reloaded = keras.models.load_model(path)
same = np.array_equal(reloaded.predict(X_check[:8], verbose=0),
                      ln_model.predict(X_check[:8], verbose=0))
print("reloaded from .keras, identical predictions:", same)

# %% [markdown]
# ### 4.4 All remedies side by side

# %%
runs = {"plain: ReLU, identity, lr 0.01": plain, "smaller learning rate (0.001)": small_lr,
        "global_clipnorm=1": clipped_run, "tanh": tanh_run, "orthogonal init": orthogonal,
        "LayerNorm cells": ln}
fig, ax = plt.subplots(figsize=(9, 3.8))
for i, (label, run) in enumerate(runs.items()):
    curve = np.array(run.history["val_loss"])
    epochs = np.arange(1, len(curve) + 1)
    ax.semilogy(epochs[np.isfinite(curve)], curve[np.isfinite(curve)], "o-", ms=3,
                color=plots.PALETTE[i], label=label)
ax.axhline(naive_long, color=plots.INPUT_COLOR, ls="--", label="naive forecast")
ax.set(xlabel="epoch", ylabel="validation MSE",
       title="200-step series: the plain ReLU network and one change at a time")
ax.legend(ncols=3, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2));

# %%
print(f"{'run':>31}  validation MSE  outcome")
for label, run in runs.items():
    print(f"{label:>31}  {run.value:14.4g}  {outcome(run)}")
print(f"{'naive forecast':>31}  {naive_long:14.4g}")
if P.name == "full":
    assert outcome(small_lr) != "learns"  # a smaller step does not undo a bad start
    for run in (tanh_run, orthogonal, ln):  # bounded states, or a good start, learn
        assert outcome(run) == "learns", run

# %% [markdown]
# Runs or epochs missing from the plot went NaN. A smaller learning rate does **not**
# cure the plain network: the explosion is there from the start, and smaller steps only
# make the way out longer. Clipping acts on the updates, so it saves the network only if
# the forward pass does not overflow first (its line above says which happened). What
# keeps the *states* in check works: tanh bounds them, the orthogonal start keeps the
# gain at 1 without making each unit an accumulator, and the LN cell rescales each
# step's pre-activations, so the states cannot snowball.
#
# ## 5. Batch Normalization between layers, and its stale statistics
#
# Batch Normalization (BN) can go *between* recurrent layers, normalizing the next
# layer's inputs. On a `[batch, time, features]` input Keras' `BatchNormalization`
# normalizes each feature with its mean and variance over the batch **and** the time
# steps; in inference it uses running averages of them instead (momentum 0.99: roughly
# the last hundred batches). We add BN after each layer of notebook 03's seq-to-seq model
# (two `SimpleRNN(20)`, tanh, the next 10 values at every step, judged on the last step)
# and train it for the book's 20 epochs (3 in the quick profile).

# %%
X_train, Y_train, X_valid, Y_valid, _, _ = data.load("sequence")
plain_mse = results.value("seq2seq_10")  # trained and recorded by notebook 03
training.set_seed(P.seed)
bn_model = keras.Sequential([
    keras.Input(shape=(None, 1)),
    keras.layers.SimpleRNN(20, return_sequences=True), keras.layers.BatchNormalization(),
    keras.layers.SimpleRNN(20, return_sequences=True), keras.layers.BatchNormalization(),
    keras.layers.TimeDistributed(keras.layers.Dense(10))])
bn = training.train(bn_model, X_train, Y_train, X_valid, Y_valid, name="seq2seq_bn",
                    notebook="04", label="Seq2seq + BatchNorm between layers",
                    learning_rate=0.01, epochs=P.remedy_epochs,
                    metrics=[metrics.last_time_step_mse], monitor="val_last_time_step_mse")

# %% [markdown]
# BN lets the layer below change the scale of its outputs freely (the next layer sees
# them normalized anyway), and at learning rate 0.01 that scale can drift faster than a
# running average over a hundred batches follows. We compute each BN layer's actual input
# statistics over the training set with the final weights, compare them with the running
# averages, and put them in their place (layer by layer: the second layer's inputs depend
# on the first one's statistics).

# %%
def last_step_mse(model):
    return float(np.mean((model.predict(X_valid, verbose=0)[:, -1] - Y_valid[:, -1]) ** 2))


def inputs_of(model, layer, X):
    """What `layer` of `model` receives for inputs X, in inference mode."""
    for before in model.layers[:model.layers.index(layer)]:
        X = before(X, training=False)
    return ops.convert_to_numpy(X).reshape(-1, X.shape[-1])  # all batches and steps


mse_running = last_step_mse(bn_model)
bn_layers = [layer for layer in bn_model.layers
             if isinstance(layer, keras.layers.BatchNormalization)]
fig, ax = plt.subplots(figsize=(9, 3.2))
for i, layer in enumerate(bn_layers):
    seen = inputs_of(bn_model, layer, X_train)
    actual, running = seen.var(axis=0), layer.moving_variance.numpy()
    ax.plot(np.arange(len(actual)) + 0.2 * i, running / actual, "o", ms=5,
            color=plots.PALETTE[i], label=layer.name)
    shift = np.abs(layer.moving_mean.numpy() - seen.mean(axis=0)) / np.sqrt(actual)
    print(f"{layer.name}: running / actual variance {np.min(running / actual):.3g} to "
          f"{np.max(running / actual):.3g}; running mean off by up to {shift.max():.3g} "
          f"standard deviations")
    layer.moving_mean.assign(seen.mean(axis=0))
    layer.moving_variance.assign(actual)
ax.axhline(1, color=plots.INPUT_COLOR, ls="--", label="running = actual")
ax.set(xlabel="feature", ylabel="running / actual variance",
       title="BN layers' running variance against their inputs' actual variance")
ax.legend(fontsize=8)
plt.show()
mse_refreshed = last_step_mse(bn_model)
print(f"validation MSE, last step, with the running averages: {mse_running:.4f}")
print(f"                 with the statistics re-estimated:   {mse_refreshed:.4f}")
print(f"plain tanh seq-to-seq without BN (notebook 03):      {plain_mse:.4f}")
assert abs(mse_running - bn.value) < 1e-3 * bn.value  # the same model Keras scored
assert mse_refreshed < 1.02 * mse_running  # re-estimating does not hurt

# %% [markdown]
# Ratios away from 1, and means that moved, are stale averages; how stale, and what
# re-estimating gains, changes with the seed. Re-estimating after training is the general
# fix for a BN model that does worse in inference than its training loss promised. BN
# between layers is still no remedy for unstable gradients: it does not touch the
# recurrence, where they arise (Laurent et al., 2015, found it helps little).
#
# ## 6. Try it
#
# Pick the activation, the recurrent scale and the length: the gradient reaching each
# input step of a fresh `SimpleRNN(20)`, with section 2's bound and effective gain.

# %%
def show_gradient_flow(activation, scale, n_steps):
    series = data.generate_time_series(64, n_steps + 1, seed=P.seed)
    X, y = series[:, :n_steps], series[:, n_steps]
    model = rnn_with_scale(activation, scale)
    norm = gradients.input_gradient_norms(model, X, y)
    _, slopes, _ = bptt(model, X, y)
    gain = scale * np.sqrt(np.mean(slopes[1:] ** 2))
    t = np.arange(n_steps)
    fig, ax = plt.subplots(figsize=(9, 3.3))
    ax.semilogy(t[np.isfinite(norm)], norm[np.isfinite(norm)], label="measured")
    ax.semilogy(t, norm[-1] * gain ** (n_steps - 1 - t), ":", label=f"gain {gain:.3f}")
    ax.semilogy(t, norm[-1] * scale ** (n_steps - 1 - t), "--", lw=1,
                label=f"bound's rate {scale}")
    ax.set(xlabel="time step $t$", ylabel=r"$\|\partial L/\partial x_{(t)}\|$",
           ylim=(norm[np.isfinite(norm)].min() / 1e3, norm[np.isfinite(norm)].max() * 1e3),
           title=f"{activation}, scale {scale}: first/last = {describe(back_to_front(norm))}")
    ax.legend()
    plt.show()


# %% tags=["nbval-ignore-output"]
widgets.interactive_view(show_gradient_flow, {
    "activation": widgets.dropdown("activation", ["tanh", "relu"]),
    "scale": widgets.float_slider("recurrent scale", 0.5, 2.5, 1.0, 0.1),
    "n_steps": widgets.int_slider("steps", 20, 400, n_long, 20),
})

# %% [markdown]
# ## Summary
#
# - The gradient reaching step $t$ is a product of one Jacobian per step: $\sigma_{\max}(
#   \mathbf{W}_y)$ bounds it, the effective gain $\sigma_{\max} \times
#   \operatorname{rms}(\phi')$ predicts it (closely for tanh, roughly for ReLU). With
#   ReLU the *states* can explode too; tanh keeps them in $[-1, 1]$.
# - A ReLU network started at the identity failed on 200-step series; tanh, an orthogonal
#   start and LayerNorm cells cured it, a smaller learning rate did not, and clipping
#   bounds the updates but cannot save a run whose states overflow first.
#   `global_clipnorm` keeps the gradient's direction; `clipvalue` does not.
# - BN's running averages can go stale; re-estimating them after training repairs that.
#
# ## Exercises
#
# The `check_...` functions imported here grade numeric answers.

# %%
from helpers.exercises.lesson04 import check_effective_gain, check_ln_cell_params

# %% [markdown]
# 1. Use `bptt` to compute the effective gain of `rnn_with_scale("tanh", 1.5)` on
#    `X_long`; `check_effective_gain(gain)` compares it with the rate TensorFlow's
#    gradients actually change at.
#    <details><summary>Solution</summary>
#
#    ```python
#    model = rnn_with_scale("tanh", 1.5)
#    _, slopes, _ = bptt(model, X_long, y_long)
#    check_effective_gain(1.5 * np.sqrt(np.mean(slopes[1:] ** 2)))
#    ```
#    The state saturates more than at 1.2, so the rms slope falls further, but not all
#    the way to $1/1.5$: the gain lands a little above 1 and the gradient grows slowly.
#    </details>
# 2. Parameters of `LNSimpleRNNCell(32)` on 3 input features? `check_ln_cell_params(n)`.
#    <details><summary>Solution</summary>
#
#    $\mathbf{W}_x$ $3 \times 32$, $\mathbf{W}_y$ $32 \times 32$, $\mathbf{b}$ 32, LN's
#    scale and offset $2 \times 32$: 1216 (`c.build((None, 3)); c.count_params()`).
#    </details>
#
# Next: **05 · LSTM, GRU and 1D convolutions**.

# %% [markdown]
# <!-- nav -->
#
# [← 03 · Forecasting several steps ahead](03_multistep_forecasting.ipynb) · [index](00_index.ipynb) · [05 · The LSTM cell: a long-term state and the gates that edit it →](05_lstm.ipynb)

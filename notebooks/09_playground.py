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
# [← 08 · The chapter's exercises, answered and run](08_exercises.ipynb) · [index](00_index.ipynb)

# %% [markdown]
# # 09 · The playground
#
# Notebooks 01 to 08 each built and measured a few models. Here you choose, and the
# playground measures:
#
# - a **task**: the next value of a synthetic series (notebooks 01-02), its next 10
#   values (03), notebook 05's memory task (recall a value seen 20 steps earlier), or the
#   real electricity demand of notebook 07, a day ahead;
# - an **architecture**: linear, SimpleRNN, deep RNN, layer-normalized RNN (notebook
#   04's custom cell), LSTM, peephole LSTM (notebook 05's custom cell), GRU, Conv1D + GRU,
#   WaveNet and full WaveNet (notebook 06);
# - its **size** (units and layers; for WaveNets, filters and runs of dilation rates),
#   the **learning rate**, the **epochs**, **dropout** after each recurrent layer, and
#   gradient **clipping** (notebook 04).
#
# Press **Train** and the learning curve grows epoch by epoch; when training ends, the
# model's forecast of a validation example appears and the run joins the
# **leaderboard**, next to the task's trivial baseline and, where the book trained the
# same model on the same task, the book's figure.
#
# **What you will learn**: to run your own experiments on everything the course has
# built, and to read a learning curve and a leaderboard to decide what to try next.
#
# Training is kept short so that a click answers in seconds: a thousand series, at most
# ten epochs, and a run stops after a minute whatever the settings. The scores are
# therefore worse than the notebooks' (which train for 20 epochs on 7,000 series):
# compare runs with each other. `make app` serves this notebook as a web page (Voila),
# without the code.

# %% [markdown]
# ## Setup
#
# As in every notebook, `helpers` comes first, and `helpers.setup()` seeds, styles and
# reports what we run on. `helpers.playground` holds the playground's logic, as plain
# functions tested in `tests/test_playground.py`, and its wiring to the course's widget
# builders. The playground compiles its models without XLA: a run of a few epochs would
# spend more time compiling than XLA saves.

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs

from helpers import convs, playground

P = helpers.setup()
S = playground.get_settings()
print(f"playground: {S.n_train:,} training and {S.n_valid:,} validation series, "
      f"at most {S.max_epochs} epochs or {S.max_seconds:.0f} s a run")

# %% [markdown]
# ## What a click does
#
# The Train button calls `playground.run_training` with the controls' values. Here it is
# without the widget: the linear model and a GRU on the 1-step task, with the playground's
# default epochs. Each run is scored with its task's metric (validation MSE here) and
# put on the leaderboard that the app below starts with.

# %%
one_step = playground.load_task("1-step", S)
demo = [playground.run_training(one_step, arch, S.epochs, settings=S)
        for arch in ("linear", "gru")]
costs = {run.arch: convs.forward_cost(playground.build_model(run.arch, settings=S),
                                       one_step.X_valid.shape[1]) for run in demo}
for run in demo:
    print(f"{playground.arch_label(run.arch):>6}: val MSE {run.score:.4f}, "
          f"{run.params:,} parameters, {costs[run.arch].multiply_adds:,} multiply-adds "
          f"per forecast ({costs[run.arch].sequential_ops} one after another), "
          f"{run.seconds:.1f} s on this machine")
print(f" naive: val MSE {one_step.baseline:.4f}")

# %% [markdown]
# After the same few epochs the GRU is well ahead of the linear model: it learns faster
# per epoch, though each forecast costs it far more work, most of it in steps that must
# run one after another (how much more time that takes depends on the machine: the
# seconds above are this one's). In the full profile the GRU already beats the naive
# forecast (the last value); the linear model, which needs more epochs than these, lands
# near it, ahead or behind depending on the seed. The quick profile's single epoch on
# 300 series is not enough for either, so only the first claim is checked there.

# %%
linear_run, gru_run = demo
assert gru_run.score < linear_run.score  # more accurate after the same epochs ...
assert gru_run.params > 10 * linear_run.params  # ... with far more parameters
assert costs["gru"].multiply_adds > 10 * costs["linear"].multiply_adds  # and work
assert costs["gru"].sequential_ops > costs["linear"].sequential_ops
if P.name == "full":
    assert gru_run.score < one_step.baseline

# %% [markdown]
# ## Train and compare

# %% tags=["nbval-ignore-output"]
app = playground.Playground(S)
for run in demo:
    app.add(run)
app.view

# %% [markdown]
# ## Things to try
#
# 1. Train the linear model for one epoch, then for the most epochs the slider allows.
#    How much do the extra epochs buy? Then the SimpleRNN: with a single recurrent
#    neuron, how far is it from the linear model, and from the book's figure?
# 2. On the 10-step task, compare the deep RNN (the book's sequence-to-vector model,
#    0.008 in the book) with the linear model (0.0188).
# 3. The memory task: a SimpleRNN-based deep RNN against an LSTM and a GRU of the same
#    size. Which recalls the value 20 steps later (a recall near 1)? And the WaveNet, whose
#    receptive field (two runs of rates 1-8: 31 steps) covers the lag?
# 4. Push the learning rate to 0.1 with the deep RNN, with and without clipping.
# 5. The real series: does any network beat the seasonal naive forecast (last week's
#    values) within the playground's budget? Notebook 07 trains longer and tells why the
#    answer is not obvious.
#
# ## Summary
#
# - Every architecture of the course runs on every task here, through one function
#   (`playground.run_training`) that the Train button calls.
# - A run is bounded (epochs and seconds), so the leaderboard compares short trainings:
#   it shows which models learn fast, not which are best after long training.
# - The leaderboard puts each score next to a trivial baseline; a model that does not
#   beat it has not learned the task yet.

# %% [markdown]
# <!-- nav -->
#
# [← 08 · The chapter's exercises, answered and run](08_exercises.ipynb) · [index](00_index.ipynb)

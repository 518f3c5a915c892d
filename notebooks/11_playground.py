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
# [← 10 · Going further: the chapter's models against the limits](10_going_further.ipynb) · [index](00_index.ipynb)

# %% [markdown]
# # 11 · The playground
#
# Notebooks 01 to 08 each built and measured a few models. Here you choose, and the
# playground measures:
#
# - a **task**: the next value of a synthetic series (notebooks 01-02), its next 10
#   values (03), notebook 06's memory task (recall a value seen a chosen number of
#   steps earlier, the **memory lag**), or the real electricity demand of notebook 08, a
#   day ahead;
# - an **architecture**: linear, SimpleRNN, deep RNN, layer-normalized RNN (notebook
#   04's custom cell), LSTM, peephole LSTM (notebook 05's custom cell), GRU, Conv1D + GRU
#   (notebook 06), WaveNet and full WaveNet (notebook 07);
# - its **size** (units and layers; for WaveNets, filters and runs of dilation rates),
#   the **learning rate**, the **epochs**, **dropout** after each recurrent layer, and
#   gradient **clipping** (notebook 04).
#
# Press **Train** and the learning curve grows epoch by epoch; when training ends, the
# model's forecast of a validation example appears and the run joins the
# **leaderboard**, next to the task's trivial baseline and, where the book trained the
# same model on the same task, the book's figure. Under the leaderboard, the learning
# curves of the runs you pick are **overlaid**, one colour per run. And a **preset**
# sets every control to one run of a notebook's key experiment, so that you can replay
# it, and its comparison, in two clicks.
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
# forecast (the last value); the cell above prints where the linear model, which needs
# more epochs than these, has got to. The quick profile's single epoch on 300 series is
# not enough for either, so only the first claim is checked there.

# %%
linear_run, gru_run = demo
assert gru_run.score < linear_run.score  # more accurate after the same epochs ...
assert gru_run.params > 10 * linear_run.params  # ... with far more parameters
assert costs["gru"].multiply_adds > 10 * costs["linear"].multiply_adds  # and work
assert costs["gru"].sequential_ops > costs["linear"].sequential_ops
if P.name == "full":
    assert gru_run.score < one_step.baseline

# %% [markdown]
# ## Learning curves, overlaid
#
# After every epoch a run also scores the validation set with its task's metric
# (validation MSE, recall, or MAE in MW), and keeps that curve: the leaderboard shows
# where each run ended, the overlay how it got there. Two runs that end level may not
# be level at all: one still falling steeply may have more to give with more epochs.
# Each curve ends at the run's leaderboard score, which the cell below checks on the two
# runs above.

# %%
for run in demo:
    curve = run.history["val_score"]
    print(f"{playground.arch_label(run.arch):>6}: " +
          "  ".join(f"{value:.4f}" for value in curve) + f"  (leaderboard: {run.score:.4f})")
    assert len(curve) == run.epochs
    assert abs(curve[-1] - run.score) <= 1e-5 * abs(run.score) + 1e-9

# %% [markdown]
# ## Presets: each notebook's key experiment
#
# A preset sets the task, the memory lag, the model and the sliders to one run of a
# notebook's key experiment, within the playground's small budget; its description
# names the notebook it comes from. Presets come in comparisons: the SimpleRNN, LSTM and
# GRU on the memory task at lag 50 (notebook 06), for instance, or two WaveNets on that
# same task (notebook 07): two runs of dilation rates 1, 2, 4, 8 against four. The cell
# below prints how far back each one sees, and checks that only the deeper one reaches
# a value 50 steps back. Pick a preset and press **Train**, or press **Train the
# comparison** to train each model of its comparison in turn and overlay their curves.
# The table under the app lists them all, with what each changes from the playground's
# defaults.

# %%
reach_presets = [p for p in playground.PRESETS.values()
                 if p.arch == "wavenet" and p.task == "memory"]
reach = {p.layers: convs.receptive_field(2, (1, 2, 4, 8) * p.layers) for p in reach_presets}
print("WaveNet receptive field:", ", ".join(f"{runs} runs of rates 1-8: {steps} steps"
                                            for runs, steps in reach.items()))
lag = reach_presets[0].lag  # the value lag steps back, and the answer's step: lag + 1
assert sorted(reach) == [2, 4] and reach[2] < lag + 1 <= reach[4]

# %% [markdown]
# ## Train and compare

# %% tags=["nbval-ignore-output"]
app = playground.Playground(S)
for run in demo:
    app.add(run)
app.view

# %% [markdown]
# The presets, by notebook and comparison:

# %%
playground.preset_table()

# %% [markdown]
# ## Things to try
#
# 1. Train the linear model for one epoch, then for the most epochs the slider allows.
#    How much do the extra epochs buy? Then the preset *02 · one step ahead: SimpleRNN (one neuron)*:
#    with a single recurrent neuron, how far is it from the linear model, and from the
#    book's figure? Overlay the two curves.
# 2. The comparison *03 · ten steps at once*: the deep RNN (the book's
#    sequence-to-vector model) against the linear model. Compare with the book's figures
#    in the leaderboard.
# 3. The comparison *06 · memory task, lag 50*: which cells recall a value 50 steps
#    later (a recall near 1)? Move the memory lag down to 10 and train the SimpleRNN
#    again. Then *07 · WaveNet on the memory task*: what does its receptive field
#    decide?
# 4. The comparison *04 · learning rate 0.1*: the deep RNN with large steps, with
#    clipping, and with layer normalization. Which curve is the steadiest?
# 5. The real series (*08 · the real series, next day*): does any network beat the
#    seasonal naive forecast (last week's values) within the playground's budget?
#    Notebook 08 trains longer and tells why the answer is not obvious.
#
# ## Summary
#
# - Every architecture of the course runs on every task here, through one function
#   (`playground.run_training`) that the Train button calls.
# - A run is bounded (epochs and seconds), so the leaderboard compares short trainings:
#   it shows which models learn fast, not which are best after long training.
# - The leaderboard puts each score next to a trivial baseline; a model that does not
#   beat it has not learned the task yet.
# - The overlay shows how each run got to its score; the presets replay each
#   notebook's key experiment, a comparison at a time.

# %% [markdown]
# <!-- nav -->
#
# [← 10 · Going further: the chapter's models against the limits](10_going_further.ipynb) · [index](00_index.ipynb)

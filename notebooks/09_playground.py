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
# # 09 · The playground
#
# Notebooks 01 to 08 each built and measured a few models. Here you pick a **task** and an
# **architecture**, press **Train**, and watch the learning curve grow epoch by epoch; the
# forecast of a validation series appears when training ends, and each run adds a row to
# the **leaderboard** below, next to the book's figure where the book gives one.
#
# Training is kept short so that a click answers in seconds: a few hundred to a thousand
# series and at most ten epochs, so the scores are higher (worse) than the notebooks'.
# Compare runs with each other, not with the earlier notebooks.
#
# `make app` serves this notebook as a web page (Voila), without the code.

# %% [markdown]
# ## Setup
#
# As in every notebook, `helpers` comes first, and `helpers.setup()` seeds, styles and
# reports what we run on. `helpers.playground` holds the playground's logic (tested in
# `tests/test_playground.py`) and its wiring to the course's widget builders.

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs

from helpers import playground

P = helpers.setup()
S = playground.get_settings()
print(f"playground: {S.n_train:,} training and {S.n_valid:,} validation series, "
      f"at most {S.max_epochs} epochs a run")

# %% [markdown]
# ## Train and compare

# %% tags=["nbval-ignore-output"]
app = playground.Playground(S)
app.view

# %% [markdown]
# ## Things to try
#
# 1. Train the linear model for one epoch, then for the most epochs the slider allows. How
#    much do the extra epochs buy?
# 2. Train the SimpleRNN. With a single recurrent neuron, how far is it from the linear
#    model, and from the book's figure?
# 3. The deep RNN has about 1,300 parameters. Does it beat the linear model within the
#    playground's epochs? What does its learning curve say about training longer?

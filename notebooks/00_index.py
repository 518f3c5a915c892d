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
# # Sequences with RNNs and CNNs: the notebooks
#
# Interactive notebooks on processing sequences with recurrent and convolutional networks in TensorFlow/Keras 3, following chapter 15 of Géron's *Hands-On Machine Learning* (2nd edition).
#
# | notebook | what you will learn |
# |---|---|
# | [01 · Time series: the data and the baselines](01_baselines.ipynb) | what a time series is, the chapter's synthetic data as 3D arrays, and the two baselines every model must beat (naive and linear) |
# | [02 · Recurrent neurons and layers: simple and deep RNNs](02_simple_and_deep_rnns.ipynb) | recurrent neurons and layers, executed by hand and checked against Keras; SimpleRNN and deep RNNs |
# | [03 · Forecasting several steps ahead](03_multistep_forecasting.ipynb) | forecasting 10 steps: iterating, sequence-to-vector, sequence-to-sequence, and error bars with MC Dropout |
# | [04 · Long sequences, part 1: unstable gradients](04_unstable_gradients.ipynb) | why gradients vanish or explode (the Jacobian product), a ReLU network that fails and the remedies that cure it |
# | [05 · Short-term memory: LSTM and GRU cells, and 1D convolutions](05_lstm_gru_conv1d.ipynb) | LSTM and GRU cells executed from their equations, a peephole cell, a Conv1D front end, and how far back each cell remembers |
# | [06 · WaveNet, the chapter's leaderboard, and how close to the limit we can get](06_wavenet.ipynb) | dilated causal convolutions, the simplified and the full WaveNet, and the chapter's leaderboard against the noise floor |
# | [07 · A real series: half-hourly electricity demand](07_real_series.ipynb) | a real series (electricity demand): seasonal baselines, SARIMA and the course's networks, in MW |
# | [08 · The chapter's exercises, answered and run](08_exercises.ipynb) | the chapter's exercises answered with runnable checks, QuickDraw sketches and Bach chorales included |
# | [09 · The playground](09_playground.ipynb) | every task and architecture behind sliders and a Train button, with a leaderboard; also a web app (make app) |
#
# ## The learning path
#
# Take the notebooks in order: each builds on the ones before it.
#
# - **01-03, forecasting with RNNs**: the data and what to beat, then recurrent layers,
#   then forecasting several steps ahead.
# - **04-06, long sequences**: why gradients vanish or explode and what to do about it,
#   then cells with a longer memory (LSTM, GRU), then convolutions (WaveNet) and the
#   chapter's leaderboard.
# - **07-08, beyond the synthetic series**: a real series, and the chapter's exercises.
# - **09, the playground**: your own experiments on all of the above.
#
# Each notebook starts with what you will learn and ends with a summary and exercises;
# every claim in it is measured by a cell, and every equation is executed and checked
# against Keras. Set `COURSE_PROFILE=quick` before starting JupyterLab for a fast pass
# with smaller data and fewer epochs (the default, `full`, is the book's sizes).

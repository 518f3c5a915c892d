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
# | [05 · The LSTM cell: a long-term state and the gates that edit it](05_lstm.ipynb) | the LSTM cell executed from its equation and checked against Keras, the forget bias, the gates of a trained cell, and a custom peephole cell |
# | [06 · The GRU cell, a convolutional front end, and how far back cells remember](06_gru_conv1d_and_memory.ipynb) | the GRU cell executed from its equation, a strided Conv1D front end with cropped targets, and how far back SimpleRNN, LSTM and GRU cells remember |
# | [07 · WaveNet: dilated causal convolutions instead of recurrence](07_wavenet.ipynb) | dilated causal convolutions, the simplified and the full WaveNet, long sequences, and what a WaveNet remembers |
# | [08 · A real series: half-hourly electricity demand](08_real_series.ipynb) | a real series (electricity demand): seasonal baselines, SARIMA, the course's networks and calendar inputs, in MW |
# | [09 · The chapter's exercises, answered and run](09_exercises.ipynb) | the chapter's exercises answered with runnable checks, QuickDraw sketches and Bach chorales included |
# | [10 · Going further: the chapter's models against the limits](10_going_further.ipynb) | the chapter's leaderboard against the noise floor and an oracle, and what fresh data and a training recipe add |
# | [11 · The playground](11_playground.ipynb) | every task and architecture behind sliders and a Train button, a leaderboard with overlaid learning curves, presets that replay each notebook's key experiment; also a web app (make app) |
#
# ## The learning path
#
# Take the notebooks in order: each builds on the ones before it.
#
# - **01-03, forecasting with RNNs**: the data and what to beat, then recurrent layers,
#   then forecasting several steps ahead.
# - **04-07, long sequences**: why gradients vanish or explode and what to do about it,
#   then cells with a longer memory (LSTM, GRU), then convolutional front ends and how far
#   back each cell remembers, then WaveNet.
# - **08-09, beyond the synthetic series**: a real series, and the chapter's exercises.
# - **10, going further**: the chapter's leaderboard against the limits, and what fresh
#   data and a training recipe add.
# - **11, the playground**: your own experiments on all of the above.
#
# Each notebook starts with what you will learn and ends with a summary and exercises;
# every claim in it is measured by a cell, and every equation is executed and checked
# against Keras. Set `COURSE_PROFILE=quick` before starting JupyterLab for a fast pass
# with smaller data and fewer epochs (the default, `full`, is the book's sizes).

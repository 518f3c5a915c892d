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
# [← 08 · A real series: half-hourly electricity demand](08_real_series.ipynb) · [index](00_index.ipynb) · [10 · Going further: the chapter's models against the limits →](10_going_further.ipynb)

# %% [markdown]
# # 09 · The chapter's exercises, answered and run
#
# The chapter's ten exercises: eight questions, answered with code wherever the answer
# makes a claim code can show, and two projects trained on data available offline. You
# will learn the shapes RNN layers take and return; how to read a sequence data set
# stored as TFRecord files (QuickDraw's format) with padding and masking, and what the
# order of a sketch's points is worth; how to train a next-note model on Bach's
# chorales, sample from it with a temperature, and listen to the result.
#
# ## Setup

# %%
import helpers  # first: it keeps TensorFlow's start-up lines out of the outputs

import tempfile
import time
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from IPython.display import Audio

from helpers import diagrams, results, training, widgets
from helpers.datasets import chorales, realdata, sketches

P = helpers.setup()

# %% [markdown]
# ## Exercise 1 · Applications of each kind of RNN
#
# *Name a few applications of a sequence-to-sequence RNN, a sequence-to-vector RNN and a
# vector-to-sequence RNN.*
#
# | kind | reads | writes | examples |
# |---|---|---|---|
# | sequence to sequence | a sequence | a sequence, step by step | forecasting at every step (notebook 03), speech recognition frame by frame, part-of-speech tagging, music continuation (exercise 10) |
# | sequence to vector | a sequence | one vector | classifying a sketch (exercise 9) or a video (exercise 8), sentiment of a review, a whole day forecast in one shot (notebook 08) |
# | vector to sequence | one vector | a sequence | image captioning, generating a melody from a style vector |
#
# An **encoder-decoder** (sequence to vector, then vector to sequence) handles outputs
# that do not align with the input step by step: translation, summarisation.
#
# ## Exercises 2 and 3 · The dimensions of an RNN layer, and `return_sequences=True`
#
# *How many dimensions must the inputs of an RNN layer have? What does each represent,
# and what about its outputs?* Three: `[batch size, time steps, features per step]`. The
# outputs have three, `[batch size, time steps, units]`, with `return_sequences=True`;
# otherwise two, `[batch size, units]`, the last step's output. A `None` time dimension
# means any length.
#
# *In a deep sequence-to-sequence RNN, which layers need `return_sequences=True`? And in
# a sequence-to-vector one?* Sequence to sequence: **all** recurrent layers. Sequence to
# vector: all **but the last**: a layer that returns only its last step cannot feed
# another recurrent layer, which expects three dimensions.

# %% tags=["nbval-check-output"]
x = np.zeros((32, 50, 3), dtype="float32")  # 32 sequences, 50 steps, 3 features a step
print("input", x.shape, "-> SimpleRNN(20)", tuple(keras.layers.SimpleRNN(20)(x).shape),
      "or, returning sequences,",
      tuple(keras.layers.SimpleRNN(20, return_sequences=True)(x).shape))
print("Input(shape=(None, 3)):", keras.Input(shape=(None, 3)).shape)


def stack(*flags):
    """The output shape of a deep RNN whose layers return sequences as ``flags`` say."""
    return keras.Sequential([keras.Input(shape=(50, 1))] + [
        keras.layers.SimpleRNN(20, return_sequences=flag) for flag in flags]).output_shape


print("seq-to-seq (True, True, True):  ", stack(True, True, True))
print("seq-to-vec (True, True, False): ", stack(True, True, False))
try:
    stack(True, False, False)
except ValueError as error:
    assert "expected ndim=3, found ndim=2" in str(error)
    print("(True, False, False) fails:      the second layer gets 2-D input, expects 3-D")
else:
    raise AssertionError("a 2-D input to a recurrent layer should have failed")

# %% [markdown]
# ## Exercise 4 · Forecasting the next 7 days of a daily series
#
# *You have a daily univariate series and want to forecast the next seven days. Which
# architecture?*
#
# **Sequence to vector**: recurrent (or 1D convolutional) layers read the last weeks and
# a `Dense(7)` layer writes all seven days at once, with no compounding errors (better
# still, train it to forecast 7 days at every step, as notebook 03's seq-to-seq); compare
# it with the same weekday last week (notebook 08). On a made-up series (a weekly cycle,
# a trend, noise), each window is centred on its own mean: the trend leaves training's
# range.

# %%
rng = np.random.default_rng(P.seed)
days = np.arange(3 * 365)
daily = (10 + days / 100 + 2 * np.sin(2 * np.pi * days / 7) + np.cos(4 * np.pi * days / 7)
         + rng.normal(scale=0.5, size=len(days)))
n_days, week, valid_start = 28, 7, 2 * 365


def centred(dataset):
    """Subtract each input window's mean from it and from its targets."""
    return dataset.map(lambda x, y: (x - tf.reduce_mean(x, axis=1)[:, None],
                                     y - tf.reduce_mean(x, axis=1)))


train_days = centred(realdata.windows(daily, n_days, week, start=n_days, end=valid_start,
                                      batch_size=32, shuffle=True, seed=P.seed))
valid_days = centred(realdata.windows(daily, n_days, week, start=valid_start,
                                      end=len(days), batch_size=256))
training.set_seed(P.seed)
forecaster = keras.Sequential([keras.Input(shape=(n_days, 1)),
                               keras.layers.GRU(32, return_sequences=True),
                               keras.layers.GRU(32), keras.layers.Dense(week)])
training.compile_model(forecaster, learning_rate=0.01)
forecaster.fit(train_days, validation_data=valid_days, epochs=P.epochs, shuffle=False,
               verbose=0)
at = realdata.origins(valid_start, len(days), week)
truth = realdata.targets(daily, at, week)
levels = daily[at[:, None] - n_days + np.arange(n_days)].mean(axis=1, keepdims=True)
mae_gru = realdata.mae_by_horizon(truth, forecaster.predict(valid_days, verbose=0) + levels)
mae_seasonal = realdata.mae_by_horizon(truth, daily[at[:, None] + np.arange(week) - week])
print("MAE by day ahead, GRU:            ", mae_gru.round(2))
print("MAE by day ahead, last week's day:", mae_seasonal.round(2))
assert mae_gru.mean() < mae_seasonal.mean()

# %% [markdown]
# The GRU beats last week's value: it averages the noise out of several weeks.
#
# ## Exercise 5 · What makes RNNs hard to train, and the remedies
#
# *What are the main difficulties when training RNNs, and how can you handle them?*
#
# - **Unstable gradients** (notebook 04): backpropagation through time multiplies one
#   Jacobian per step, so gradients explode or vanish. Remedies: tanh, not ReLU; a
#   smaller learning rate; clipping; layer normalisation *inside* the cell; dropout.
#   Batch normalisation cannot go inside a cell (one set of statistics for every step);
#   between layers, in notebook 04, it forecast worse than without, partly from stale
#   statistics, and stayed behind even with them refreshed.
# - **A short memory** (notebook 06): a SimpleRNN mixes every new value into its whole
#   state. On notebook 06's memory task it stopped short of the longest lag, which the
#   LSTM and the GRU recalled (that notebook prints the recall at each lag).
#   Remedies: LSTM or GRU cells; strided 1D convolutions; WaveNet (notebook 07).
# - **Slow training**, step after step: cuDNN-compatible LSTM/GRU settings on a GPU,
#   XLA on a CPU, convolutions where they suffice.
#
# ## Exercise 6 · The LSTM cell
#
# *Can you sketch the LSTM cell's architecture?*
#
# Two states go from step to step, the long-term $\mathbf c$ and the short-term (and
# output) $\mathbf h$; four fully connected layers read $\mathbf x_t$ and $\mathbf
# h_{t-1}$ (the book's figure 15-9, below). The forget gate $\mathbf f_t$ (sigmoid)
# decides what to erase from $\mathbf c$, the input gate $\mathbf i_t$ how much of the
# candidate $\mathbf g_t$ (tanh) to add, the output gate $\mathbf o_t$ what part of
# $\tanh(\mathbf c_t)$ to output (notebook 05 runs these equations against Keras).

# %%
diagrams.lstm_cell();

# %% [markdown]
# Keras stacks the four layers in one kernel, in the order i, f, g (called "c"), o:

# %% tags=["nbval-check-output"]
cell = keras.layers.LSTMCell(5)
lstm = keras.layers.RNN(cell)
lstm(np.zeros((1, 4, 3), dtype="float32"))
for weight in cell.weights:
    print(f"{weight.name:<18} {tuple(weight.shape)}   (= 4 gates x 5 units)")

# %% [markdown]
# ## Exercise 7 · Why 1D convolutions in an RNN?
#
# *Why would you want to use 1D convolutional layers in an RNN?*
#
# A recurrent layer is sequential (step $t$ waits for step $t-1$), slow on long
# sequences, and forgetful. A 1D convolution processes all steps in parallel and detects
# local patterns; with a stride it **shortens** the sequence, so the recurrent layers
# after it run, and remember over, fewer steps. In notebook 06 a strided `Conv1D` leaves
# two GRU layers 24 steps to run instead of 50, for a forecast in the GRU model's range;
# notebook 07's WaveNet drops the recurrence altogether. The shapes:

# %% tags=["nbval-check-output"]
sequence = np.zeros((1, 1000, 1), dtype="float32")
strided = keras.layers.Conv1D(16, kernel_size=4, strides=2)(sequence)
print("input", sequence.shape, "-> Conv1D(kernel 4, stride 2) ->", tuple(strided.shape))

# %% [markdown]
# ## Exercise 8 · Classifying videos
#
# *Which architecture could you use to classify videos?*
#
# A CNN wrapped in `TimeDistributed` turns each frame into a vector (the same weights
# for every frame), a recurrent layer or a 1D convolution reads the vectors over time,
# and a softmax classifies the clip. Sample a few frames a second of a long video; audio
# can go through a second branch. For clips of 16 frames of 64 x 64 RGB:

# %% tags=["nbval-check-output"]
clips = keras.Input(shape=(16, 64, 64, 3))
frames = keras.layers.TimeDistributed(keras.Sequential([
    keras.layers.Conv2D(16, 3, activation="relu"), keras.layers.MaxPooling2D(2),
    keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.GlobalAveragePooling2D()]))
features = frames(clips)
probs = keras.layers.Dense(10, activation="softmax")(keras.layers.GRU(32)(features))
video_classifier = keras.Model(clips, probs)
print("clips", clips.shape, "-> per-frame features", features.shape, "-> classes", probs.shape)
print(f"{video_classifier.count_params():,} parameters")

# %% [markdown]
# ## Exercise 9 · Classifying sketches stored as QuickDraw TFRecords
#
# *Train a classifier on the SketchRNN data set*: Google's *Quick, Draw!* doodles of 345
# kinds of objects, recorded as the pen's path, of which TensorFlow's RNN tutorial ships
# about 1 GB as TFRecord files. Offline, `helpers.datasets.sketches` draws stand-ins of ten shapes
# **in exactly the tutorial's file format**, so all the code after the writing step
# runs on the real files. Some shapes look alike (circle, hexagon and the other closed
# shapes; zigzag and wave), and every sketch is deformed: a random shear,
# stretch and rotation, a wobbly, shaky hand, unevenly spaced points, sometimes a gap,
# an unfinished end or a stray mark. Each is an array `[n_points, 3]` (*stroke-3*): a
# row per pen move `(dx, dy, pen_lifted)`, `pen_lifted` 1 on a stroke's last point,
# the drawing scaled to $[0, 1]$ on both axes as in the real files.

# %%
SK = sketches.get_settings()  # sizes and epochs of this exercise for the active profile
train_inks, train_labels, class_names = sketches.make_sketches(SK.n_train, seed=P.seed_for(1))
valid_inks, valid_labels, _ = sketches.make_sketches(SK.n_valid, seed=P.seed_for(2))
test_inks, test_labels, _ = sketches.make_sketches(SK.n_test, seed=P.seed_for(3))
n_points = [len(ink) for ink in train_inks]
print(f"{len(train_inks):,} / {len(valid_inks):,} / {len(test_inks):,} sketches of "
      f"{len(class_names)} classes: {', '.join(class_names)}")
print(f"{min(n_points)} to {max(n_points)} points per sketch; the first moves of a "
      f"{class_names[train_labels[0]]}:")
print(train_inks[0][:3])
fig, axes = sketches.plot_sketches(train_inks, train_labels, class_names, n=18)

# %% [markdown]
# ### Writing and reading TFRecord files
#
# A TFRecord file is a sequence of serialized `tf.train.Example` records; each sketch
# holds `"ink"` (the flattened array), `"shape"` (`[n_points, 3]`) and `"class_index"`:

# %%
data_dir = Path(tempfile.mkdtemp(prefix="sketches_"))
train_file = sketches.write_tfrecord(data_dir / "training.tfrecord", train_inks, train_labels)
valid_file = sketches.write_tfrecord(data_dir / "valid.tfrecord", valid_inks, valid_labels)
test_file = sketches.write_tfrecord(data_dir / "eval.tfrecord", test_inks, test_labels)
print(", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB"
                for p in (train_file, valid_file, test_file)))

# %% [markdown]
# The ink's length varies, so it is read as a `VarLenFeature` (`sketches.feature_spec`).
# `sketches.dataset` reads the files, shuffles, batches and parses **a whole batch in
# one call** of `tf.io.parse_example`: the ink is padded with zeros to `[batch,
# max_len, 3]` (one time length), the lengths come from `"shape"`. A
# batch holds exactly what we wrote, then zeros:

# %%
read = dict(batch_size=SK.batch_size, max_len=sketches.MAX_POINTS)
train_set = sketches.dataset(train_file, shuffle_buffer=SK.n_train, seed=P.seed,
                             n_records=SK.n_train, **read)
valid_set = sketches.dataset(valid_file, n_records=SK.n_valid, **read)
test_set = sketches.dataset(test_file, n_records=SK.n_test, **read)
(inks, lengths), labels = next(iter(valid_set))
for ink, row, length in zip(valid_inks, inks.numpy(), lengths.numpy()):
    assert length == len(ink) and np.array_equal(row[:length], ink)
    assert not row[length:].any()
print(f"a batch: inks {inks.shape} {inks.dtype.name}, lengths {lengths.shape} "
      f"{lengths.dtype.name}, labels {labels.shape} {labels.dtype.name}: read back exactly")

# %% [markdown]
# ### A convolutional and recurrent classifier
#
# Two `Conv1D` layers (with `BatchNormalization` and ReLU) turn the moves into stroke
# features, the second with `strides=2` to halve the steps; two `LSTM` layers read them,
# the last one's final state feeds a softmax. `sketches.MaskPadding` attaches a mask
# built from the lengths: `BatchNormalization` leaves padded steps out of its
# statistics, the `LSTM`s skip them. Keras' `Conv1D` drops a mask;
# `sketches.MaskedConv1D` passes it on (subsampled by the stride), padded outputs zero.

# %%
def sketch_classifier(n_classes, max_len, filters=(32, 64), units=64):
    """Conv1D + BatchNorm blocks, then two LSTMs, then softmax; padding masked throughout."""
    ink = keras.Input(shape=(max_len, 3), name="ink")
    length = keras.Input(shape=(), dtype="int32", name="length")
    x = sketches.MaskPadding()([ink, length])
    for n_filters, strides in zip(filters, (1, 2)):
        x = sketches.MaskedConv1D(n_filters, kernel_size=5, strides=strides,
                                  padding="same", use_bias=False)(x)
        x = keras.layers.BatchNormalization(momentum=0.9)(x)  # settles in a few dozen steps
        x = keras.layers.Activation("relu")(x)
    x = keras.layers.LSTM(units, return_sequences=True)(x)
    x = keras.layers.LSTM(units)(x)  # its state at each sketch's last real point
    outputs = keras.layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model([ink, length], outputs, name="sketch_classifier")


def fit_sketches(model):
    """Train on the sketch files; return the test accuracy and the training time."""
    training.compile_model(model, learning_rate=SK.learning_rate,
                           loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(train_set, validation_data=valid_set, epochs=SK.epochs, shuffle=False,
              verbose=0, callbacks=[training.EpochProgress(SK.epochs, label=model.name)])
    seconds = time.perf_counter() - start
    return model.evaluate(test_set, verbose=0)[1], seconds


training.set_seed(P.seed)
sketch_model = sketch_classifier(len(class_names), sketches.MAX_POINTS)
print(f"{sketch_model.count_params():,} parameters")
accuracy, fit_seconds = fit_sketches(sketch_model)  # the sets yield ((inks, lengths), labels)

# %% [markdown]
# ### Does the order of the points matter?
#
# A baseline that ignores it, `sketches.bag_of_points`: `sketches.PenPositions` adds to
# each move the pen's position after it, the same `Dense` layers read each point on its
# own, and a masked average over the points feeds the softmax. It sees where the ink is
# and which way each move went, not which point came after which. It gets about as many
# weights as the classifier, the same data and the same training.

# %%
training.set_seed(P.seed)
bag_model = sketches.bag_of_points(len(class_names), sketches.MAX_POINTS)
bag_accuracy, _ = fit_sketches(bag_model)
chance = 1 / len(class_names)
print(f"test accuracy: Conv1D + LSTM {accuracy:.3f} ({sketch_model.count_params():,} "
      f"parameters), bag of points {bag_accuracy:.3f} ({bag_model.count_params():,}), "
      f"chance {chance:.3f}")
results.record("sketch_classifier", value=float(accuracy), metric="test_accuracy",
               params=sketch_model.count_params(), seconds=fit_seconds, notebook="09",
               epochs=SK.epochs, label="Sketch classifier: Conv1D + LSTM (synthetic sketches)",
               extra={"baseline": float(bag_accuracy), "baseline_name": "bag of points"})
assert 0.8 < bag_model.count_params() / sketch_model.count_params() < 1.25
assert SK.min_accuracy <= accuracy < 0.97  # well above chance, and still makes mistakes
assert accuracy > bag_accuracy + (0.15 if P.name == "full" else 0.08)

# %% [markdown]
# The model that reads the points in order is far ahead (asserted), though both still
# improved at the last epoch, so part of the lead may be speed of learning. Which shapes
# does it confuse? (Predictions follow `test_labels`' order; each row sums to 1.)

# %%
predicted = sketch_model.predict(test_set, verbose=0).argmax(axis=1)
assert abs(np.mean(predicted == test_labels) - accuracy) < 1e-3  # same order
ax = sketches.plot_confusion(test_labels, predicted, class_names)

# %% [markdown]
# The errors gather in two families: closed shapes that differ by their corners (circle,
# hexagon, square, triangle), lines that differ by how they turn (zigzag, wave):

# %%
family = dict(circle=0, hexagon=0, square=0, triangle=0, zigzag=1, wave=1)
families = np.array([family.get(name, -1 - i) for i, name in enumerate(class_names)])
wrong = np.flatnonzero(predicted != test_labels)
within = np.mean(families[test_labels[wrong]] == families[predicted[wrong]])
print(f"{len(wrong)} of {len(test_labels)} test sketches misclassified, "
      f"{within:.0%} of them within a family")
assert within > (0.5 if P.name == "full" else 0.4)
fig, axes = sketches.plot_sketches([test_inks[i] for i in wrong[:12]], test_labels[wrong],
                                   class_names, n=12, predictions=predicted[wrong])

# %% [markdown]
# ### On the real data
#
# The tutorial's archive (`quickdraw_tutorial_dataset_v1.tar.gz` on
# `download.tensorflow.org/data/`) holds `training.tfrecord-0000?-of-00010` (3,450,000
# sketches, 10,000 per class), the same for `eval` (345,000), and the 345 class names in
# `training.tfrecord.classes`. `sketches.dataset` reads them unchanged (pass the list of
# shards and `n_records`); put `Dense(345)` on top (chance: 0.3 %). What would change:
#
# - **Harder classes**: ours differ in form, many of the 345 mostly in meaning (a cup
#   and a mug, a lion and a tiger): expect far more errors, and list the worst pairs.
# - **Noisier drawings**: players drew against the clock and as they liked (extra
#   strokes, details in any order, unfinished drawings), far more varied than ours.
# - **Longer sequences**: pick `max_len` from a histogram of the lengths.
# - **Much more data**: 345 times our full profile's 10,000 sketches per epoch, enough
#   for a larger model (more filters and units, a `Bidirectional` LSTM) on a GPU.

# %% [markdown]
# ## Exercise 10 · Bach chorales, one time step at a time
#
# Bach's four-part chorales, one row of four notes (soprano, alto, tenor, bass) per time
# step, 0 for silence: train a model to predict the next row from the ones before, then
# let it write music from its own predictions. The scores ship with `music21`, and
# `chorales.score_to_notes` reads the note each part sounds at every **eighth note**, as
# a MIDI number (60 is middle C) or 0: a quarter note fills two steps, a tied note its
# steps, a chord gives its top note, grace notes are skipped. (The book's data set uses
# sixteenths; the chorales move in quarters and eighths, so eighths keep nearly every
# note, as printed below.) Riemenschneider's first chorale, BWV 269:

# %% tags=["nbval-check-output"]
score = chorales.parse("bwv269")
notes = chorales.score_to_notes(score)
n_notes, n_lost = chorales.grid_losses(score)
print(f"bwv269: {notes.shape[0]} steps x {notes.shape[1]} voices; {n_lost} of its "
      f"{n_notes} notes fall between two steps; steps 0-5:")
for row in notes[:6]:
    print("  ".join(f"{v} {chorales.note_name(m):>3} ({m})" for v, m in zip("SATB", row)))

# %% [markdown]
# ### The corpus, cached, split by chorale, transposed
#
# `chorales.load` converts the four-part chorales once (a dozen in the quick profile),
# caches them outside the repository (`~/.cache/rnn-course/` or `$COURSE_CACHE`) and
# splits them by chorale: the test chorales are music the model never heard a bar of.
# A `chorales.NoteMap` numbers the notes the chorales use from 1 (0 stays silence), one
# softmax class each. Bach wrote in a dozen keys, too few examples of each, so we also
# train on every chorale transposed by up to three semitones. Training windows are
# `CH.window` steps long, every `CH.stride` steps; the targets are shifted by one step.

# %%
CH = chorales.get_settings()  # sizes and epochs of this exercise for the active profile
data = chorales.load(CH)
lengths = [len(c) for c in data.train + data.valid + data.test]
print(f"{len(lengths)} chorales: {len(data.train)} train, {len(data.valid)} valid, "
      f"{len(data.test)} test; {min(lengths)} to {max(lengths)} steps; "
      f"{data.n_dropped / data.n_notes:.1%} of the notes fell between two steps")
k = CH.transpositions
shifted = [chorales.transpose(c, s) for c in data.train for s in range(-k, k + 1)]
note_map = chorales.NoteMap.fit(shifted + data.valid + data.test)
train, valid, test = ([note_map.encode(c) for c in cs]
                      for cs in (shifted, data.valid, data.test))
X_train, Y_train = chorales.windows(train, CH.window, CH.stride)
X_valid, Y_valid = chorales.windows(valid, CH.window, CH.stride)
print(f"notes {chorales.note_name(note_map.low)} to {chorales.note_name(note_map.high)}: "
      f"{note_map.n_tokens} tokens with silence;", "X_train", X_train.shape, "X_valid",
      X_valid.shape)
assert (Y_train[:, :-1] == X_train[:, 1:]).all()
assert (note_map.decode(note_map.encode(data.test[0])) == data.test[0]).all()

# %% [markdown]
# ### The model
#
# Each note becomes a learned vector (`Embedding`), the four of a step side by side;
# causal convolutions with dilation rates 1, 2, 4, 8 (notebook 07) read the last 16
# steps, an LSTM carries what it needs from further back, and a `Dense` layer scores
# the notes, one softmax per voice. A shortcut table (an `Embedding` of size
# `n_tokens`, zero at first) takes each voice's current note straight to the scores of
# its next: a voice mostly holds its note, and the network can spend its capacity on
# when the music moves. The loss is the sparse cross-entropy over steps and voices; no
# XLA (`jit_compile=False`), whose compilation would not pay off in so short a run.

# %%
layers = keras.layers


def chorale_model(n_tokens, embed_dim=8, filters=64, rates=(1, 2, 4, 8), units=128):
    """Notes [batch, steps, 4] -> next-step probabilities [batch, steps, 4, n_tokens]."""
    notes = keras.Input(shape=(None, 4), dtype="int32")
    x = layers.Embedding(n_tokens, embed_dim)(notes)       # [batch, steps, 4, embed_dim]
    x = layers.Reshape((-1, 4 * embed_dim))(x)              # the four voices side by side
    for rate in rates:
        x = layers.Conv1D(filters, kernel_size=2, padding="causal", dilation_rate=rate,
                          activation="relu")(x)
    x = layers.LSTM(units, return_sequences=True)(x)
    scores = layers.Reshape((-1, 4, n_tokens))(layers.Dense(4 * n_tokens)(x))
    table = layers.Embedding(n_tokens, n_tokens, embeddings_initializer="zeros")(notes)
    return keras.Model(notes, layers.Softmax()(layers.Add()([scores, table])))


training.set_seed(P.seed)
model = chorale_model(note_map.n_tokens)
print(f"{model.count_params():,} parameters")
training.compile_model(model, learning_rate=CH.learning_rate,
                       loss="sparse_categorical_crossentropy",
                       metrics=["sparse_categorical_accuracy"], jit_compile=False)
start = time.perf_counter()
history = model.fit(X_train, Y_train, validation_data=(X_valid, Y_valid),
                    epochs=CH.epochs, batch_size=CH.batch_size, verbose=0,
                    callbacks=[training.EpochProgress(CH.epochs, label="chorales")])
seconds = time.perf_counter() - start

# %% [markdown]
# ### Next-step accuracy on the test chorales
#
# The model reads each whole test chorale (padded at the end, which no earlier output of
# a causal model sees). The baseline repeats the previous step, right whenever a voice
# holds its note; we also count the hits on the notes that *change*, where it scores 0.

# %%
notes_test, mask = chorales.pad(test)
inputs, targets, counted = notes_test[:, :-1], notes_test[:, 1:], mask[:, 1:]
predicted = model.predict(inputs, verbose=0).argmax(axis=-1)
moves = counted[..., np.newaxis] & (targets != inputs)
acc = chorales.masked_accuracy(predicted, targets, counted)
repeat = chorales.masked_accuracy(inputs, targets, counted)
acc_moves = chorales.masked_accuracy(predicted, targets, moves)
print(f"next-step accuracy on {len(test)} test chorales: model {acc:.3f}, "
      f"repeat the previous step {repeat:.3f}")
print(f"on the {moves.mean() / counted.mean():.0%} of notes that change: "
      f"model {acc_moves:.3f}, repeat 0")
results.record("chorale_model", value=acc, metric="test_accuracy",
               params=model.count_params(), seconds=seconds, notebook="09",
               epochs=CH.epochs,
               label="Chorale next-step model: embedding + dilated Conv1D + LSTM",
               extra={"baseline": repeat, "baseline_name": "repeat the previous step",
                      "accuracy_on_changes": acc_moves})
assert acc > repeat - 0.05          # never much worse than holding every note
if P.name == "full":                # with the whole corpus, clearly better
    assert acc > repeat + 0.05 and acc_moves > 0.2

# %% [markdown]
# In the full profile the model beats repeating by over five points and gets over a
# fifth of the changing notes (asserted): far from 100 %, as it should be, since Bach had
# several good continuations and chose one (quick: it only has to stay near repeating).
#
# ### Writing music, one step at a time
#
# From a real chorale's opening we draw the next step from the model's four softmaxes,
# append it, and repeat. `chorales.sample` draws with a **temperature** T: probabilities
# raised to the power 1/T and renormalised, so T < 1 favours the likeliest notes, T > 1
# flattens the choice, T = 0 takes the likeliest. `chorales.generate` runs that loop in
# a buffer of the song's final length, padded with silence: the model is causal, so
# step t reads only the steps before it, and Keras traces a single shape.

# %%
opening, real = test[0][:8 * CH.steps_per_quarter], data.test[0]  # eight quarter notes


def continue_opening(temperature, seed):
    """Opening + the model's notes (MIDI); the new part's change rate and in-key share."""
    song = note_map.decode(chorales.generate(model, opening, CH.n_generate, temperature, seed))
    new = song[len(opening):]
    return song, chorales.change_rate(new), chorales.in_scale(new, real)


song, _, _ = continue_opening(0.8, P.seed)
chorales.plot_piano_roll(song, start=len(opening),
                         title=f"{data.names['test'][0]}'s first {len(opening)} steps, "
                               f"then the model's {CH.n_generate} (T = 0.8)")
rate = 8000  # and how it sounds, through a tiny synthesiser
Audio(chorales.synthesize(song[:len(opening) + 24], tempo=120, sample_rate=rate),
      rate=rate)

# %% [markdown]
# ### The temperature
#
# At T = 0 the likeliest step is usually to hold every note, so the music moves less than
# Bach's; higher temperatures move more. We measure how often a voice changes note
# (`chorales.change_rate`) and the share of new notes in the opening's scale.

# %%
real_rate = np.average([chorales.change_rate(c) for c in data.test],
                       weights=[len(c) - 1 for c in data.test])  # per note, as one set
rates, in_key = {}, {}
print(f"real test chorales: {real_rate:.0%} of the notes change at each step")
for temperature in (0, 0.5, 1.0, 1.5):
    _, rates[temperature], in_key[temperature] = continue_opening(temperature, P.seed)
    print(f"T = {temperature:<3}: {rates[temperature]:4.0%} change, "
          f"{in_key[temperature]:4.0%} of the notes in the scale")
assert rates[0] < real_rate and rates[0] < rates[1.5]
if P.name == "full":  # the trained model: more movement than Bach, a little off key
    assert rates[1.5] > real_rate and in_key[1.5] < in_key[0]

# %% [markdown]
# ### Try it: move the **temperature** and the **seed** of the random choices

# %%
def show_sample(temperature, seed):
    """Continue the opening at one temperature; piano roll with both measures."""
    song, changed, share = continue_opening(temperature, seed)
    chorales.plot_piano_roll(song, start=len(opening),
                             title=f"T = {temperature:.1f}, seed {seed}: {changed:.0%} of "
                                   f"the notes change (Bach {real_rate:.0%}), {share:.0%} "
                                   f"in the scale")
    plt.show()


# %% tags=["nbval-ignore-output"]
widgets.interactive_view(show_sample, {
    "temperature": widgets.float_slider("temperature", 0.0, 2.0, 1.0, 0.1),
    "seed": widgets.int_slider("seed", 0, 9, P.seed % 10),
})

# %% [markdown]
# ## Summary
#
# | exercise | what ran here (accuracies of 9 and 10 in `results/RESULTS.md`) |
# |---|---|
# | 2-8 | layer shapes; a GRU forecasting 7 days beats last week's values; the LSTM's gates in one kernel; a strided `Conv1D`; a video classifier |
# | 9 | QuickDraw's TFRecord format written, parsed, padded and masked; a Conv1D + LSTM classifier far ahead of a bag of points of its size, its errors within look-alike shapes |
# | 10 | Bach chorales from music21; a next-step model against "repeat the last step"; chorales sampled with a temperature |
#
# ## Going further (the `check_...` functions grade numeric answers)

# %%
from helpers.exercises.lesson09 import check_half_sketch_accuracy, check_uniform_change_rate

# %% [markdown]
# 1. Exercise 9: wrap the first LSTM in `Bidirectional`. Does it help on sketches,
#    where the whole drawing is known before classifying?
#    <details><summary>Solution</summary>
#
#    Use `keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True))`
#    in `sketch_classifier` (it passes the mask on), then `fit_sketches`. The sketch is
#    complete, so reading it backwards is allowed. Compare at a few `COURSE_SEED`s: a
#    gain smaller than the spread between seeds is a tie.
#    </details>
# 2. Exercise 9: keep only the first half of each test sketch's points. What accuracy
#    is left? `check_half_sketch_accuracy(acc, sketch_model, test_inks, test_labels)`.
#    <details><summary>Solution</summary>
#
#    The mask does the cutting: halve the lengths, and `MaskPadding` hides the rest.
#    ```python
#    half = test_set.map(lambda x, y: ((x[0], x[1] // 2), y))
#    acc = sketch_model.evaluate(half, verbose=0)[1]
#    check_half_sketch_accuracy(acc, sketch_model, test_inks, test_labels)
#    ```
#    Compare with the whole sketches and with chance; `plot_confusion` on the half
#    sketches' predictions shows which shapes lose most.
#    </details>
# 3. Exercise 10: as the temperature grows, the share of notes that change tends to a
#    limit. Which, for this `note_map`? `check_uniform_change_rate(rate,
#    note_map.n_tokens)`.
#    <details><summary>Solution</summary>
#
#    At a very high temperature every token is equally likely, whatever the model says:
#    a voice draws its previous note again with probability $1 / n_{\text{tokens}}$, so
#    the rate tends to $1 - 1 / n_{\text{tokens}}$. Try `chorales.generate` at T = 1000.
#    </details>

# %% [markdown]
# <!-- nav -->
#
# [← 08 · A real series: half-hourly electricity demand](08_real_series.ipynb) · [index](00_index.ipynb) · [10 · Going further: the chapter's models against the limits →](10_going_further.ipynb)

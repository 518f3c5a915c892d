"""Synthetic sketches in QuickDraw's format, its TFRecord files, and the code that reads them.

Exercise 9 of notebook 09 classifies drawings of Google's *Quick, Draw!* data set, which
TensorFlow's RNN tutorial ships as TFRecord files (``training.tfrecord-00000-of-00010``
...). The course runs offline, so this module draws look-alike sketches and writes them
in the very same layout; the reading code (:func:`parse_batch`, :func:`dataset`) does
not know the difference and reads the real files unchanged.

**Stroke-3 format.** A sketch is a float32 array ``[n_points, 3]``: each row is a pen
move ``(dx, dy, pen_lifted)``, where ``pen_lifted`` is 1 on the last point of a stroke
(the pen leaves the paper after it) and 0 elsewhere. As in the real files, the absolute
coordinates are first scaled to ``[0, 1]`` on each axis separately, then turned into
differences between consecutive points; the first point is dropped, so a cumulative sum
of ``(dx, dy)`` gives the drawing relative to where the pen first touched the paper.

**TFRecord layout.** One ``tf.train.Example`` per sketch with three features:
``"ink"`` (float list: the flattened ``[n_points, 3]`` array), ``"shape"`` (int64 list
``[n_points, 3]``) and ``"class_index"`` (int64 list ``[label]``).

**The synthetic sketches** (:func:`make_sketches`) are ten shapes, some in confusable
pairs (:data:`CLASS_NAMES`), each drawn with a random number of unevenly spaced points,
a random affine deformation, a wobbly and shaky hand, and sometimes a gap, an unfinished
ending or a stray mark: hard enough that a classifier makes mistakes and model choices
show.

**Padding.** Batches are zero-padded; :class:`MaskPadding` turns the lengths into a Keras
mask and :class:`MaskedConv1D` carries it through convolutions, so ``BatchNormalization``
and ``LSTM`` layers ignore the padding. :class:`PenPositions` adds the pen's position to
each move, for :func:`bag_of_points`, a baseline blind to the order of the points.
:func:`plot_sketches` and :func:`plot_confusion` draw sketches and results. The
exercise's data sizes and epochs depend on the run profile (:data:`SETTINGS`).
"""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from helpers import checks
from helpers.profile import Settings, for_profile

# The shapes make_sketches draws; a sketch's label indexes this tuple. Some come in
# confusable pairs: a circle and a hexagon differ only by corners, a zigzag and a wave by
# sharp against round turns, a spiral and loops by where the curls go.
CLASS_NAMES: tuple[str, ...] = ("circle", "hexagon", "square", "triangle", "star",
                                "zigzag", "wave", "spiral", "loops", "arrow")
MAX_POINTS = 72  # no synthetic sketch has more points (see dataset's max_len)
GAP_RATE = 0.25  # sketches with a gap: a run of points dropped, the stroke cut in two
TRUNCATE_RATE = 0.2  # sketches left unfinished: only their first 55-90 % of points kept
STRAY_RATE = 0.15  # sketches with a stray mark: a short extra stroke on the canvas

# Points per shape (before deformation and the dropped first point): [low, high).
_POINT_RANGE = {"circle": (14, 44), "hexagon": (10, 40), "square": (10, 36),
                "triangle": (8, 32), "star": (12, 48), "zigzag": (10, 44),
                "wave": (14, 52), "spiral": (28, 64), "loops": (28, 64), "arrow": (10, 32)}


@dataclass(frozen=True)
class SketchSettings(Settings):
    """Data sizes and training budget of the sketch classifier for one run profile.

    ``min_accuracy`` is the test accuracy the notebook asserts (chance is one over the
    number of classes).
    """

    n_train: int
    n_valid: int
    n_test: int
    epochs: int
    batch_size: int = 64
    learning_rate: float = 3e-3
    min_accuracy: float = 0.7

    def __post_init__(self) -> None:
        super().__post_init__()
        checks.number("learning_rate", self.learning_rate, above=0)
        checks.number("min_accuracy", self.min_accuracy, above=0, high=1)


SETTINGS: dict[str, SketchSettings] = {
    "full": SketchSettings(n_train=10_000, n_valid=2_000, n_test=3_000, epochs=8),
    # Quick: 200 sketches per class and four epochs: far above chance (1/10), far from
    # done, in a few seconds of training.
    "quick": SketchSettings(n_train=2_000, n_valid=400, n_test=800, epochs=4, min_accuracy=0.4),
}


def get_settings(profile: str | None = None) -> SketchSettings:
    """The exercise's settings for run profile ``profile`` (default: the active one)."""
    return for_profile(SETTINGS, profile)


# --------------------------------------------------------------------------- drawing

def _unit(angles) -> np.ndarray:
    """Points ``[k, 2]`` on the unit circle at ``angles`` (radians)."""
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _polygon(n_corners: int, jitter_deg: float, rng: np.random.Generator) -> np.ndarray:
    """A closed polygon with ``n_corners`` slightly irregular corners, [n + 1, 2]."""
    corners = _unit(np.deg2rad(360 * np.arange(n_corners) / n_corners
                               + rng.normal(0, jitter_deg, n_corners)))
    corners *= rng.uniform(0.85, 1.15, (n_corners, 1))
    corners = np.roll(corners, rng.integers(n_corners), axis=0)  # any corner first
    return np.vstack([corners, corners[:1]])


def _outline(name: str, rng: np.random.Generator) -> list[np.ndarray]:
    """The strokes of one shape about the unit square: a list of paths ``[k, 2]``.

    Curves come as dense paths; polygons as their corners (see :func:`_resample`).
    """
    if name == "circle":  # hands rarely close a circle exactly
        start = rng.uniform(0, 2 * np.pi)
        return [_unit(start + np.linspace(0, 2 * np.pi * rng.uniform(0.85, 1.25), 60))]
    if name in ("hexagon", "triangle"):
        return [_polygon(*{"hexagon": (6, 6), "triangle": (3, 8)}[name], rng)]
    if name == "square":
        return [_polygon(4, 5, rng) @ np.array([[1, 1], [-1, 1]]) / np.sqrt(2)]
    if name == "star":
        return [_unit(np.deg2rad(90 + 144 * np.arange(6) + rng.normal(0, 5, 6)))]
    if name == "zigzag":
        teeth = int(rng.integers(3, 8))
        x = np.linspace(-1, 1, teeth + 1) + rng.normal(0, 0.04, teeth + 1)
        y = np.where(np.arange(teeth + 1) % 2 == 0, -0.5, 0.5) * rng.uniform(0.3, 1.2)
        return [np.stack([x, y], axis=1)]
    if name == "wave":
        t, periods = np.linspace(0, 1, 80), rng.uniform(1.5, 3.5)
        y = 0.5 * rng.uniform(0.3, 1.2) * np.sin(2 * np.pi * periods * t + rng.uniform(0, 6.3))
        return [np.stack([2 * t - 1, y], axis=1)]
    if name == "spiral":
        theta = np.linspace(0, 2 * np.pi * rng.uniform(1.3, 3.0), 120)
        radius = (0.08 + theta) / (0.08 + theta[-1])
        return [radius[:, None] * _unit(theta + rng.uniform(0, 2 * np.pi))]
    if name == "loops":  # a curly line, like a row of e's
        theta = np.linspace(0, 2 * np.pi * rng.uniform(2.5, 5.5), 120)
        width = rng.uniform(0.25, 0.6)
        x = np.linspace(-1, 1, len(theta)) - width * np.sin(theta)
        return [np.stack([x, width * np.cos(theta)], axis=1)]
    head, spread = rng.uniform(0.25, 0.6), rng.uniform(0.2, 0.5)  # an arrow: shaft, head
    return [np.array([[-1, 0], [1, 0]], dtype=float),
            np.array([[1 - head, spread], [1, 0], [1 - head, -spread]])]


def _resample(path: np.ndarray, n_points: int, rng: np.random.Generator,
              keep_corners: bool) -> np.ndarray:
    """``n_points`` points spread along ``path`` by arc length, unevenly.

    With ``keep_corners``, every vertex of ``path`` is among them (as in the real data,
    whose strokes were simplified to their corners plus a few points in between).
    """
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    n_free = n_points - len(path) + 2 if keep_corners else n_points  # ends shared
    spacing = rng.uniform(0.4, 1.6, max(n_free, 2) - 1)  # the pen speeds up, slows down
    where = np.concatenate([[0.0], np.cumsum(spacing)]) / spacing.sum() * arc[-1]
    if keep_corners:
        where = np.sort(np.concatenate([arc, where[1:-1]]))
    return np.stack([np.interp(where, arc, coordinate) for coordinate in path.T], axis=1)


def to_stroke3(strokes: Sequence[np.ndarray]) -> np.ndarray:
    """Absolute strokes (arrays ``[k, 2]`` of x, y) -> one stroke-3 sketch ``[n - 1, 3]``.

    The same preprocessing as the real data set's files: each axis scaled to ``[0, 1]``,
    differences of consecutive points, the first point dropped.
    """
    ink = np.vstack([np.hstack([s, np.arange(len(s))[:, None] == len(s) - 1]) for s in strokes])
    lower, upper = ink[:, :2].min(axis=0), ink[:, :2].max(axis=0)
    ink[:, :2] = (ink[:, :2] - lower) / np.where(upper - lower > 0, upper - lower, 1.0)
    ink[1:, :2] = np.diff(ink[:, :2], axis=0)
    return ink[1:].astype(np.float32)


def _deform(points: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random affine map (shear, stretch, rotation, mirror), then a wobbly, shaky hand."""
    shear = np.array([[1, rng.uniform(-0.35, 0.35)], [0, 1]])
    stretch = np.diag(rng.uniform(0.6, 1.4, 2))
    angle = rng.uniform(0, 2 * np.pi)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    mirror = np.diag([rng.choice([-1.0, 1.0]), 1.0])  # drawn the other way round
    points = points @ (rotation @ stretch @ shear @ mirror).T
    # wobble: a slow random drift along the path (a smoothed random walk)
    drift = np.cumsum(rng.normal(0, 1, (len(points) + 8, 2)), axis=0)
    drift = np.stack([np.convolve(d, np.ones(8) / 8, "valid")[:len(points)] for d in drift.T],
                     axis=1)
    drift -= drift.mean(axis=0)
    points = points + rng.uniform(0.0, 0.05) * drift
    return points + rng.normal(0, rng.uniform(0.005, 0.05), points.shape)  # a shaky hand


def draw(name: str, rng: np.random.Generator) -> np.ndarray:
    """One random sketch of shape ``name`` in stroke-3 format (see the module docstring).

    The outline is traced with a random number of unevenly spaced points, then deformed:
    a random shear, stretch, rotation and mirror image, a slow wobble and point noise.
    Some sketches lose a run of points (a gap: the pen is lifted, :data:`GAP_RATE`), are
    left unfinished (:data:`TRUNCATE_RATE`) or get a stray mark (:data:`STRAY_RATE`).
    """
    low, high = _POINT_RANGE[checks.choice("name", name, CLASS_NAMES)]
    outline = _outline(name, rng)
    lengths = np.array([np.linalg.norm(np.diff(s, axis=0), axis=1).sum() for s in outline])
    n_total = int(rng.integers(low, high))
    counts = np.maximum(np.round(n_total * lengths / lengths.sum()).astype(int), 3)
    keep_corners = name not in ("circle", "wave", "spiral", "loops")
    strokes = [_resample(s, int(c), rng, keep_corners) for s, c in zip(outline, counts)]
    sizes = np.cumsum([len(s) for s in strokes])[:-1]
    points = _deform(np.vstack(strokes), rng)
    strokes = np.split(points, sizes)
    if rng.random() < TRUNCATE_RATE:  # unfinished: the later points are missing
        keep = max(int(rng.uniform(0.55, 0.9) * len(points)), 3)
        strokes = np.split(points[:keep], [s for s in sizes if s < keep])
    if rng.random() < GAP_RATE:  # a run of points dropped from the longest stroke
        i = int(np.argmax([len(s) for s in strokes]))
        stroke = strokes[i]
        if len(stroke) >= 8:
            width = max(int(rng.uniform(0.1, 0.25) * len(stroke)), 1)
            cut = int(rng.integers(2, len(stroke) - width - 1))
            strokes[i:i + 1] = [stroke[:cut], stroke[cut + width:]]
    if rng.random() < STRAY_RATE:  # a stray mark somewhere on the drawing
        at = rng.uniform(points.min(axis=0), points.max(axis=0))
        strokes.append(at + np.cumsum(rng.normal(0, 0.15, (int(rng.integers(2, 5)), 2)), axis=0))
    return to_stroke3([s for s in strokes if len(s)])


def make_sketches(n: int, *, seed: int, classes: Sequence[str] | None = None
                  ) -> tuple[list[np.ndarray], np.ndarray, tuple[str, ...]]:
    """``n`` random sketches, their labels and the class names.

    Returns ``(sketches, labels, class_names)``: a list of float32 arrays
    ``[n_points, 3]`` (stroke-3, lengths vary), int64 labels indexing ``class_names``
    (every class drawn about equally often), and ``class_names`` (by default
    :data:`CLASS_NAMES`; ``classes`` picks a subset, in that order). The same ``seed``
    gives the same sketches.
    """
    n = checks.integer("n", n, low=0)
    rng = np.random.default_rng(checks.integer("seed", seed, low=0))
    if isinstance(classes, str) or not isinstance(classes, Sequence | None):
        raise TypeError(f"classes must be a sequence of class names, got {classes!r}")
    class_names = CLASS_NAMES if classes is None else tuple(classes)
    for name in class_names:
        checks.choice("classes", name, CLASS_NAMES)
    if not class_names or len(set(class_names)) != len(class_names):
        raise ValueError(f"classes must name at least one class, none twice: {class_names}")
    labels = np.resize(np.arange(len(class_names), dtype=np.int64), n)
    rng.shuffle(labels)
    return [draw(class_names[label], rng) for label in labels], labels, class_names


def as_sketches(sketches, labels) -> tuple[list[np.ndarray], np.ndarray]:
    """Checked ``(sketches, labels)``: float32 arrays ``[n_points >= 1, 3]``, int64 labels."""
    checks.instance("sketches", sketches, Sequence, "a list of arrays")  # not one array
    arrays = [checks.array(f"sketches[{i}]", s, ndim=2).astype(np.float32)
              for i, s in enumerate(sketches)]
    bad = next((i for i, s in enumerate(arrays) if s.shape[1] != 3 or not len(s)), None)
    if bad is not None:
        raise ValueError(f"sketches[{bad}] must have shape [n >= 1, 3], got {arrays[bad].shape}")
    labels = checks.array("labels", labels, ndim=1)
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must hold ints, got dtype {labels.dtype}")
    if len(labels) != len(arrays) or (labels.size and labels.min() < 0):
        raise ValueError(f"labels must be >= 0, one per sketch (the same length): got "
                         f"{len(labels)} labels for {len(arrays)} sketches")
    return arrays, labels.astype(np.int64)


# --------------------------------------------------------------------------- TFRecords

def write_tfrecord(path: str | os.PathLike, sketches: Sequence[np.ndarray], labels) -> Path:
    """Write ``sketches`` and ``labels`` to one TFRecord file in QuickDraw's layout.

    Each record is a ``tf.train.Example`` with ``"ink"`` (the flattened sketch),
    ``"shape"`` (``[n_points, 3]``) and ``"class_index"`` (``[label]``). Returns the path.
    """
    checks.instance("path", path, str | os.PathLike, "a str or a path")
    arrays, labels = as_sketches(sketches, labels)
    with tf.io.TFRecordWriter(str(path)) as writer:
        for sketch, label in zip(arrays, labels):
            feature = {"ink": tf.train.Feature(float_list=tf.train.FloatList(value=sketch.ravel())),
                       "shape": _int64s(sketch.shape), "class_index": _int64s([int(label)])}
            writer.write(tf.train.Example(features=tf.train.Features(feature=feature))
                         .SerializeToString())
    return Path(path)


def _int64s(values) -> tf.train.Feature:
    return tf.train.Feature(int64_list=tf.train.Int64List(value=values))


def feature_spec() -> dict:
    """How :func:`parse_batch` reads a record: the ink has a different length in each."""
    return {"ink": tf.io.VarLenFeature(tf.float32),
            "shape": tf.io.FixedLenFeature([2], tf.int64),
            "class_index": tf.io.FixedLenFeature([1], tf.int64)}


def parse_batch(serialized, max_len: int | None = None):
    """Parse a batch of serialized records into ``((inks, lengths), labels)``.

    ``inks`` is float32 ``[batch, steps, 3]``, zero-padded after each sketch's last
    point; ``steps`` is the longest sketch of the batch, or exactly ``max_len`` if given
    (longer sketches are then cut to their first ``max_len`` points). ``lengths``
    (int32 ``[batch]``) is each sketch's number of points (after the cut), ``labels``
    the int64 class indices ``[batch]``. A fixed ``max_len`` gives every batch the same
    shape, so a compiled (XLA) model is compiled once, not once per length.
    """
    examples = tf.io.parse_example(serialized, feature_spec())
    lengths = tf.cast(examples["shape"][:, 0], tf.int32)
    points = tf.RaggedTensor.from_row_lengths(tf.reshape(examples["ink"].values, [-1, 3]),
                                              lengths)  # [batch, (n_points), 3]
    if max_len is None:
        return (points.to_tensor(), lengths), examples["class_index"][:, 0]
    inks = points.to_tensor(shape=[None, max_len, 3])  # cut, then zero-padded
    return (inks, tf.minimum(lengths, max_len)), examples["class_index"][:, 0]


def dataset(paths: str | os.PathLike | Sequence[str | os.PathLike], *, batch_size: int,
            shuffle_buffer: int | None = None, seed: int | None = None,
            max_len: int | None = None, n_records: int | None = None):
    """A ``tf.data`` pipeline of ``((inks, lengths), labels)`` batches from TFRecord files.

    ``paths`` is one file or several (the real data set comes in ten shards per split);
    records are shuffled within a buffer of ``shuffle_buffer`` (none if ``None``; with a
    ``seed``, the same order every run), batched, parsed together by :func:`parse_batch`
    (one call per batch, not per record) and prefetched. ``max_len`` is passed on to
    :func:`parse_batch`. ``n_records``, the number of records in all the files, tells
    Keras how many batches an epoch has (a TFRecord file does not say; without it, Keras
    finds out at the end of the first epoch and warns that the data ran out); a wrong
    count raises an error when the data is read.
    """
    files = [os.fspath(p) for p in ([paths] if isinstance(paths, str | os.PathLike) else paths)]
    missing = [file for file in files if "://" not in file and not os.path.exists(file)]
    if not files or missing:  # gs:// and the like: TensorFlow checks
        raise ValueError(f"paths must name one file or more, got {files} (no such file: {missing})")
    batch_size = checks.integer("batch_size", batch_size)
    for name, value in (("shuffle_buffer", shuffle_buffer), ("max_len", max_len),
                        ("n_records", n_records), ("seed", seed)):
        if value is not None:
            checks.integer(name, value, low=0 if name == "seed" else 1)
    data = tf.data.TFRecordDataset(files)
    if n_records is not None:
        data = data.apply(tf.data.experimental.assert_cardinality(n_records))
    if shuffle_buffer:
        data = data.shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size).map(lambda records: parse_batch(records, max_len),
                                      num_parallel_calls=tf.data.AUTOTUNE)
    return data.prefetch(tf.data.AUTOTUNE)


def length_mask(inks, lengths):
    """Boolean ``[batch, steps]``: True on each sketch's points, False on its padding.

    ``inks`` is the padded batch ``[batch, steps, ...]`` (only its shape is used),
    ``lengths`` the number of points of each sketch. Works on symbolic Keras tensors of
    unknown length too.
    """
    steps = keras.ops.cumsum(keras.ops.ones_like(inks[..., 0], dtype="int32"), axis=1) - 1
    return keras.ops.less(steps, keras.ops.expand_dims(keras.ops.cast(lengths, "int32"), 1))


@keras.saving.register_keras_serializable(package="course")
class MaskPadding(keras.layers.Layer):
    """``[inks, lengths]`` -> ``inks`` with the padding zeroed and a mask attached.

    The mask (True on each sketch's points) then travels with the tensor, as after a
    ``Masking`` layer: ``BatchNormalization`` leaves padded steps out of its statistics,
    ``LSTM`` and ``GRU`` skip them and return their state at each sketch's last point.
    Keras' ``Conv1D`` would drop the mask; use :class:`MaskedConv1D` in between.
    """

    def call(self, inputs):
        return keras.ops.where(length_mask(*inputs)[..., None], inputs[0], 0.0)

    def compute_mask(self, inputs, mask=None):  # Keras then knows the layer supports masks
        return length_mask(*inputs)


@keras.saving.register_keras_serializable(package="course")
class MaskedConv1D(keras.layers.Conv1D):
    """A ``Conv1D`` that keeps its input's padding mask: zeros on padded steps, mask passed on.

    With ``padding="same"``, output step ``j`` is centred on input step ``j * strides``,
    so it belongs to the sketch when that input step does: the mask is subsampled by
    ``strides``. Padded outputs are set to 0, so the next layer sees the same zeros a
    shorter batch would have (padding is then invisible to the valid steps, for an even
    padded length when ``strides`` is 2).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        checks.choice("padding", self.padding, ("same",))

    def call(self, inputs, mask=None):
        outputs = super().call(inputs)
        if mask is None:
            return outputs
        return keras.ops.where(self.compute_mask(inputs, mask)[..., None], outputs, 0.0)

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else mask[:, ::self.strides[0]]


@keras.saving.register_keras_serializable(package="course")
class PenPositions(keras.layers.Layer):
    """Each move ``(dx, dy, pen_lifted)``, then the pen's position after it: 3 -> 5 features.

    The position ``(x, y)`` is the running sum of the moves ``(dx, dy)``, relative to the
    pen's first point. A model that looks at each step on its own (a "bag of points")
    then sees the drawing's points, not only its moves. A padding mask passes through.
    """

    def call(self, inks):
        return keras.ops.concatenate([inks, keras.ops.cumsum(inks[..., :2], axis=1)], axis=-1)

    def compute_mask(self, inputs, mask=None):
        return mask


def bag_of_points(n_classes: int, max_len: int, units: int = 192) -> keras.Model:
    """A classifier blind to the order of the points: ``[inks, lengths]`` -> probabilities.

    Each step goes through :class:`MaskPadding` and :class:`PenPositions` (the move and
    where it left the pen), then through the same two ``Dense(units)`` ReLU layers; a
    masked average over the real points, one more ``Dense(units)`` and a softmax over
    ``n_classes`` follow. Permuting a sketch's points (moves and positions together)
    leaves its output unchanged.
    """
    n_classes = checks.integer("n_classes", n_classes)
    max_len = checks.integer("max_len", max_len)
    units = checks.integer("units", units)
    ink = keras.Input(shape=(max_len, 3), name="ink")
    length = keras.Input(shape=(), dtype="int32", name="length")
    x = PenPositions()(MaskPadding()([ink, length]))
    for _ in range(2):
        x = keras.layers.Dense(units, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling1D()(x)  # over the real points only (the mask)
    x = keras.layers.Dense(units, activation="relu")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model([ink, length], outputs, name="bag_of_points")


# --------------------------------------------------------------------------- figures

def strokes_of(sketch, length: int | None = None) -> list[np.ndarray]:
    """The strokes of a stroke-3 ``sketch`` as absolute ``[k, 2]`` arrays (a cumsum).

    The pen's first position, dropped by the format, is put back at (0, 0); ``length``
    keeps only the first points (the rest of a padded row is padding).
    """
    sketch = np.asarray(sketch, dtype=np.float64)
    if sketch.ndim != 2 or sketch.shape[1] != 3:
        raise ValueError(f"sketch must have shape [n_points, 3], got {sketch.shape}")
    sketch = sketch[:length]
    points = np.vstack([[0.0, 0.0], np.cumsum(sketch[:, :2], axis=0)])
    ends = np.flatnonzero(sketch[:, 2] > 0.5) + 2  # in points, just after each stroke
    return [stroke for stroke in np.split(points, ends) if len(stroke)]


def plot_sketches(sketches, labels, class_names: Sequence[str], n: int = 12, *,
                  lengths=None, predictions=None, ncols: int = 6):
    """Draw the first ``n`` sketches, one stroke per colour, titled with their class.

    ``sketches`` is a list of stroke-3 arrays or a padded batch ``[batch, steps, 3]``
    with its ``lengths``. With ``predictions`` (class indices), titles read
    ``true -> predicted``. The y axis points down, as on the screen the sketches were
    drawn on. Returns ``(fig, axes)``.
    """
    import matplotlib.pyplot as plt

    from helpers.plots import INPUT_COLOR, PALETTE

    n = checks.integer("n", n, 1, len(sketches))
    for name, values in (("labels", labels), ("lengths", lengths),
                         ("predictions", predictions)):
        if values is not None and len(values) < n:
            raise ValueError(f"{name} must have at least n={n} entries, got {len(values)}")
    ncols = min(checks.integer("ncols", ncols), n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.6 * ncols, 1.75 * nrows),
                             squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for i, ax in enumerate(axes.flat[:n]):
        length = None if lengths is None else int(lengths[i])
        for k, stroke in enumerate(strokes_of(sketches[i], length)):
            ax.plot(stroke[:, 0], stroke[:, 1], "-", lw=1.5, color=PALETTE[k % len(PALETTE)])
        ax.set_aspect("equal", adjustable="datalim")
        ax.invert_yaxis()
        label = int(labels[i])
        predicted = label if predictions is None else int(predictions[i])
        title = class_names[label] + ("" if predictions is None
                                      else f" → {class_names[predicted]}")
        ax.set_title(title, fontsize=9, color=INPUT_COLOR if predicted == label else PALETTE[1])
    fig.tight_layout()
    return fig, axes


def plot_confusion(y_true, y_pred, class_names: Sequence[str], *, ax=None):
    """The confusion matrix as a heat map of row fractions (each true class sums to 1).

    Rows are the true classes, columns the predicted ones; empty cells stay blank.
    """
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    y_true, y_pred = checks.array("y_true", y_true, ndim=1), checks.array("y_pred", y_pred, ndim=1)
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if len(values) != len(y_true) or values.size and (
                values.min() < 0 or values.max() >= len(class_names)):
            raise ValueError(f"y_true and y_pred must have the same length and hold class "
                             f"indices in [0, {len(class_names)}); {name} does not")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4))
    shown = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=range(len(class_names)), display_labels=class_names,
        normalize="true", ax=ax, cmap="Blues", colorbar=False, values_format=".2f",
        xticks_rotation=45, im_kw=dict(vmin=0, vmax=1), text_kw=dict(fontsize=8))
    for text, fraction in zip(shown.text_.flat, shown.confusion_matrix.flat):
        text.set_visible(fraction > 0)
    plt.setp(ax.get_xticklabels(), ha="right")
    ax.grid(False)
    ax.set(xlabel="predicted class", ylabel="true class")
    return ax

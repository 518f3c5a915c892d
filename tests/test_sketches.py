import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from helpers import sketches  # noqa: E402


def test_make_sketches_shapes_dtypes_pen_flags_and_classes():
    inks, labels, names = sketches.make_sketches(120, seed=0)
    assert names == sketches.CLASS_NAMES
    assert len(inks) == len(labels) == 120
    assert labels.dtype == np.int64
    # every class drawn equally often
    assert np.array_equal(np.bincount(labels), np.full(len(names), 120 // len(names)))
    for ink in inks:
        assert ink.dtype == np.float32 and ink.ndim == 2 and ink.shape[1] == 3
        assert 2 <= len(ink) <= sketches.MAX_POINTS
        assert set(np.unique(ink[:, 2])) <= {0.0, 1.0}
        assert ink[-1, 2] == 1  # the last point ends the last stroke
        assert 1 <= ink[:, 2].sum() <= 2  # one or two strokes
        # each axis of the absolute drawing spans [0, 1] (up to the dropped first point)
        points = np.vstack([[0, 0], np.cumsum(ink[:, :2], axis=0)])
        span = points.max(axis=0) - points.min(axis=0)
        assert np.allclose(span, 1, atol=1e-5)
    strokes = np.array([ink[:, 2].sum() for ink in inks])
    assert 0.1 < np.mean(strokes == 2) < 0.5


def test_make_sketches_is_deterministic_by_seed_and_subsets_classes():
    a, la, _ = sketches.make_sketches(30, seed=7)
    b, lb, _ = sketches.make_sketches(30, seed=7)
    c, lc, _ = sketches.make_sketches(30, seed=8)
    assert np.array_equal(la, lb)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not all(len(x) == len(y) and np.array_equal(x, y) for x, y in zip(a, c))
    inks, labels, names = sketches.make_sketches(10, seed=1, classes=["star", "circle"])
    assert names == ("star", "circle") and set(labels) == {0, 1}
    assert sketches.make_sketches(0, seed=1)[0] == []


def test_to_stroke3_and_strokes_of_invert_each_other():
    first = np.array([[0, 0], [2, 0], [2, 4]], dtype=float)
    second = np.array([[1, 1], [0, 4]], dtype=float)
    ink = sketches.to_stroke3([first, second])
    assert ink.shape == (4, 3)
    assert np.array_equal(ink[:, 2], [0, 1, 0, 1])
    strokes = sketches.strokes_of(ink)
    assert [len(s) for s in strokes] == [3, 2]
    # scaled to [0, 1] on each axis: x / 2, y / 4
    assert np.allclose(strokes[0], [[0, 0], [1, 0], [1, 1]])
    assert np.allclose(strokes[1], [[0.5, 0.25], [0, 1]])


def test_tfrecord_round_trip(tmp_path):
    inks, labels, _ = sketches.make_sketches(10, seed=3)
    path = sketches.write_tfrecord(tmp_path / "train.tfrecord", inks, labels)
    batches = list(sketches.dataset(path, batch_size=4))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    seen = 0
    for (batch_inks, lengths), batch_labels in batches:
        assert batch_inks.dtype == tf.float32 and lengths.dtype == tf.int32
        assert batch_labels.dtype == tf.int64
        n = len(batch_labels)
        expected = [len(ink) for ink in inks[seen:seen + n]]
        assert batch_inks.shape == (n, max(expected), 3)  # padded to the batch's longest
        assert lengths.numpy().tolist() == expected
        assert np.array_equal(batch_labels.numpy(), labels[seen:seen + n])
        for row, ink in zip(batch_inks.numpy(), inks[seen:seen + n]):
            assert np.array_equal(row[:len(ink)], ink)
            assert not row[len(ink):].any()  # zero padding
        seen += n
    assert seen == 10


def test_records_have_the_quickdraw_layout(tmp_path):
    inks, labels, _ = sketches.make_sketches(2, seed=4)
    path = sketches.write_tfrecord(tmp_path / "x.tfrecord", inks, labels)
    record = next(iter(tf.data.TFRecordDataset(str(path)))).numpy()
    example = tf.train.Example.FromString(record)
    feature = example.features.feature
    assert sorted(feature) == ["class_index", "ink", "shape"]
    assert list(feature["shape"].int64_list.value) == [len(inks[0]), 3]
    assert list(feature["class_index"].int64_list.value) == [labels[0]]
    assert np.array_equal(np.array(feature["ink"].float_list.value, np.float32),
                          inks[0].ravel())


def test_parse_batch_pads_cuts_and_several_files(tmp_path):
    short = np.array([[0.1, 0.2, 0], [0.3, 0.4, 1]], np.float32)
    long = np.tile(np.array([[0.5, -0.5, 0]], np.float32), (5, 1))
    long[-1, 2] = 1
    path_a = sketches.write_tfrecord(tmp_path / "a", [short], [2])
    path_b = sketches.write_tfrecord(tmp_path / "b", [long], [5])
    records = tf.stack([next(iter(tf.data.TFRecordDataset(str(p)))) for p in (path_a, path_b)])
    (inks, lengths), labels = sketches.parse_batch(records)
    assert inks.shape == (2, 5, 3) and lengths.numpy().tolist() == [2, 5]
    assert labels.numpy().tolist() == [2, 5]
    assert np.array_equal(inks[0, :2], short) and not inks[0, 2:].numpy().any()
    (inks, lengths), _ = sketches.parse_batch(records, max_len=4)
    assert inks.shape == (2, 4, 3) and lengths.numpy().tolist() == [2, 4]
    assert np.array_equal(inks[1], long[:4])
    # a pipeline over both files, with a fixed length, shuffling and a known size
    data = sketches.dataset([path_a, path_b], batch_size=2, max_len=8, shuffle_buffer=2,
                            seed=0, n_records=2)
    assert data.cardinality().numpy() == 1
    (inks, lengths), labels = next(iter(data))
    assert inks.shape == (2, 8, 3) and sorted(labels.numpy().tolist()) == [2, 5]


def test_masked_layers_make_padding_invisible():
    inks, labels, _ = sketches.make_sketches(4, seed=5)
    lengths = np.array([len(ink) for ink in inks], np.int32)

    def padded(steps):
        batch = np.zeros((4, steps, 3), np.float32)
        for i, ink in enumerate(inks):
            batch[i, :len(ink)] = ink
        return batch

    keras.utils.set_random_seed(0)
    ink_in = keras.Input(shape=(None, 3))
    length_in = keras.Input(shape=(), dtype="int32")
    x = sketches.MaskPadding()([ink_in, length_in])
    x = sketches.MaskedConv1D(8, 5, strides=2, padding="same")(x)
    x = keras.layers.LSTM(4)(x)
    model = keras.Model([ink_in, length_in], x)
    a = model([padded(72), lengths]).numpy()
    b = model([padded(96), lengths]).numpy()
    assert np.allclose(a, b, atol=1e-5)
    conv = sketches.MaskedConv1D(3, 3, strides=2, padding="same")
    batch = np.ones((4, 10, 2), np.float32)
    mask = sketches.length_mask(batch, np.array([10, 3, 4, 0]))
    assert mask.numpy().sum(axis=1).tolist() == [10, 3, 4, 0]
    out = conv(batch, mask=mask)
    assert np.array_equal(conv.compute_mask(None, mask).numpy().sum(axis=1), [5, 2, 2, 0])
    assert not out.numpy()[1, 2:].any()
    with pytest.raises(ValueError, match="padding"):
        sketches.MaskedConv1D(3, 3, padding="valid")


def test_confusion_matrix_and_plots():
    counts = sketches.confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], 3)
    assert counts.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    inks, labels, names = sketches.make_sketches(8, seed=2)
    fig, axes = sketches.plot_sketches(inks, labels, names, n=8, ncols=4)
    assert axes.shape == (2, 4) and axes[0, 0].get_title() == names[labels[0]]
    plt.close(fig)
    fig, axes = sketches.plot_sketches(inks, labels, names, n=3, predictions=labels[::-1])
    assert "→" in axes[0, 0].get_title()
    plt.close(fig)
    ax = sketches.plot_confusion(labels, labels, names)
    plt.close(ax.figure)


def test_settings_per_profile():
    quick, full = sketches.get_settings("quick"), sketches.get_settings("full")
    assert quick.n_train < full.n_train and quick.epochs <= full.epochs
    assert full.min_accuracy >= 0.9
    with pytest.raises(ValueError, match="profile"):
        sketches.get_settings("huge")
    with pytest.raises(ValueError, match="min_accuracy"):
        sketches.SketchSettings(n_train=1, n_valid=1, n_test=1, epochs=1, min_accuracy=0)


@pytest.mark.parametrize("call, error, match", [
    (lambda: sketches.make_sketches(-1, seed=0), ValueError, "n must be"),
    (lambda: sketches.make_sketches(2.5, seed=0), TypeError, "n must be"),
    (lambda: sketches.make_sketches(3, seed=-2), ValueError, "seed"),
    (lambda: sketches.make_sketches(3, seed=0, classes=["hexagon"]), ValueError, "classes"),
    (lambda: sketches.make_sketches(3, seed=0, classes="star"), TypeError, "classes"),
    (lambda: sketches.make_sketches(3, seed=0, classes=["star", "star"]), ValueError,
     "classes"),
    (lambda: sketches.draw("hexagon", np.random.default_rng(0)), ValueError, "name"),
    (lambda: sketches.to_stroke3([np.zeros((3, 3))]), ValueError, r"strokes\[0\]"),
    (lambda: sketches.strokes_of(np.zeros((4, 2))), ValueError, "sketch"),
    (lambda: sketches.confusion_matrix([0, 3], [0, 1], 3), ValueError, "y_true"),
    (lambda: sketches.confusion_matrix([0], [0, 1], 3), ValueError, "same length"),
])
def test_errors_name_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_write_and_read_errors(tmp_path):
    inks, labels, names = sketches.make_sketches(3, seed=0)
    with pytest.raises(ValueError, match="same length"):
        sketches.write_tfrecord(tmp_path / "x", inks, labels[:2])
    with pytest.raises(ValueError, match=r"sketches\[1\]"):
        sketches.write_tfrecord(tmp_path / "x", [inks[0], inks[1][:, :2], inks[2]], labels)
    with pytest.raises(TypeError, match="sketches"):
        sketches.write_tfrecord(tmp_path / "x", np.zeros((3, 4, 3)), labels)
    with pytest.raises(TypeError, match="labels"):
        sketches.write_tfrecord(tmp_path / "x", inks, labels.astype(float))
    with pytest.raises(ValueError, match="labels"):
        sketches.write_tfrecord(tmp_path / "x", inks, -labels - 1)
    with pytest.raises(TypeError, match="path"):
        sketches.write_tfrecord(3, inks, labels)
    path = sketches.write_tfrecord(tmp_path / "x", inks, labels)
    with pytest.raises(ValueError, match="no such file"):
        sketches.dataset(tmp_path / "missing", batch_size=2)
    with pytest.raises(ValueError, match="paths"):
        sketches.dataset([], batch_size=2)
    with pytest.raises(ValueError, match="batch_size"):
        sketches.dataset(path, batch_size=0)
    with pytest.raises(ValueError, match="shuffle_buffer"):
        sketches.dataset(path, batch_size=2, shuffle_buffer=-1)
    with pytest.raises(TypeError, match="max_len"):
        sketches.dataset(path, batch_size=2, max_len=2.0)
    with pytest.raises(ValueError, match="n must be an int in"):
        sketches.plot_sketches(inks, labels, names, n=4)
    with pytest.raises(ValueError, match="lengths"):
        sketches.plot_sketches(inks, labels, names, n=3, lengths=[1])

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from helpers.datasets import sketches  # noqa: E402


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
        assert 1 <= ink[:, 2].sum() <= 5  # a stroke or a few (gaps, arrows, stray marks)
        # each axis of the absolute drawing spans [0, 1] (up to the dropped first point)
        points = np.vstack([[0, 0], np.cumsum(ink[:, :2], axis=0)])
        span = points.max(axis=0) - points.min(axis=0)
        assert np.allclose(span, 1, atol=1e-5)
    strokes = np.array([ink[:, 2].sum() for ink in inks])
    assert 0.2 < np.mean(strokes >= 2) < 0.7
    # lengths vary widely, within and across classes
    lengths = np.array([len(ink) for ink in inks])
    assert lengths.min() < 15 and lengths.max() > 45


def test_sketches_are_deformed_and_some_are_partial(monkeypatch):
    # two squares never come out the same (random shear, stretch, rotation, noise)
    a = sketches.draw("square", np.random.default_rng(5))
    b = sketches.draw("square", np.random.default_rng(6))
    assert len(a) != len(b) or not np.allclose(a, b)
    # the arrow is drawn in two strokes
    inks, labels, _ = sketches.make_sketches(100, seed=11, classes=["arrow"])
    assert np.mean([ink[:, 2].sum() >= 2 for ink in inks]) > 0.7

    def circle(truncate=0.0, gap=0.0, stray=0.0):
        monkeypatch.setattr(sketches, "TRUNCATE_RATE", truncate)
        monkeypatch.setattr(sketches, "GAP_RATE", gap)
        monkeypatch.setattr(sketches, "STRAY_RATE", stray)
        return sketches.draw("circle", np.random.default_rng(3))

    whole = circle()
    assert whole[:, 2].sum() == 1  # one stroke
    unfinished = circle(truncate=1.0)  # the same circle, its end missing
    assert 0.4 * len(whole) < len(unfinished) < 0.95 * len(whole)
    gap = circle(gap=1.0)  # a run of points dropped: two strokes
    assert gap[:, 2].sum() == 2 and len(gap) < len(whole)
    stray = circle(stray=1.0)  # a short extra stroke
    assert stray[:, 2].sum() == 2 and 2 <= len(stray) - len(whole) <= 4


def test_pen_positions_and_bag_of_points():
    inks, _, _ = sketches.make_sketches(2, seed=9)
    out = sketches.PenPositions()(inks[0][None]).numpy()
    assert out.shape == (1, len(inks[0]), 5)
    assert np.allclose(out[0, :, :3], inks[0])
    assert np.allclose(out[0, :, 3:], np.cumsum(inks[0][:, :2], axis=0), atol=1e-5)
    model = sketches.bag_of_points(4, 80, units=16)
    assert model.output_shape == (None, 4)
    # whatever follows the padding is masked out
    n = len(inks[1])
    batch = np.zeros((2, 80, 3), np.float32)
    batch[:, :n] = inks[1]
    batch[1, n:] = 7.0
    probs = model([batch, np.array([n, n], np.int32)]).numpy()
    assert np.allclose(probs[0], probs[1], atol=1e-6)
    # after PenPositions, the order of the points does not matter
    after = model.layers[[type(layer) for layer in model.layers].index(
        sketches.PenPositions) + 1:]
    points = sketches.PenPositions()(batch[:1]).numpy()
    shuffled = points[:, np.random.default_rng(0).permutation(80)]

    def rest(x):
        for layer in after:
            x = layer(x)
        return keras.ops.convert_to_numpy(x)

    assert np.allclose(rest(points), rest(shuffled), atol=1e-6)
    with pytest.raises(ValueError, match="units"):
        sketches.bag_of_points(3, 10, units=0)


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


def test_confusion_plot_and_sketch_plots():
    ax = sketches.plot_confusion([0, 1, 1, 2], [0, 1, 2, 2], ["a", "b", "c"])
    shown = [[t.get_text() if t.get_visible() else "" for t in row]
             for row in np.reshape(ax.texts, (3, 3))]  # row fractions, empty cells blank
    assert shown == [["1.00", "", ""], ["", "0.50", "0.50"], ["", "", "1.00"]]
    plt.close(ax.figure)
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
    assert quick.min_accuracy <= full.min_accuracy < 0.9  # hard data: errors remain
    with pytest.raises(ValueError, match="profile"):
        sketches.get_settings("huge")
    with pytest.raises(ValueError, match="min_accuracy"):
        sketches.SketchSettings(n_train=1, n_valid=1, n_test=1, epochs=1, min_accuracy=0)


@pytest.mark.parametrize("call, error, match", [
    (lambda: sketches.make_sketches(-1, seed=0), ValueError, "n must be"),
    (lambda: sketches.make_sketches(2.5, seed=0), TypeError, "n must be"),
    (lambda: sketches.make_sketches(3, seed=-2), ValueError, "seed"),
    (lambda: sketches.make_sketches(3, seed=0, classes=["octagon"]), ValueError, "classes"),
    (lambda: sketches.make_sketches(3, seed=0, classes="star"), TypeError, "classes"),
    (lambda: sketches.make_sketches(3, seed=0, classes=["star", "star"]), ValueError,
     "classes"),
    (lambda: sketches.draw("octagon", np.random.default_rng(0)), ValueError, "name"),
    (lambda: sketches.strokes_of(np.zeros((4, 2))), ValueError, "sketch"),
    (lambda: sketches.plot_confusion([0, 3], [0, 1], "abc"), ValueError, "y_true"),
    (lambda: sketches.plot_confusion([0], [0, 1], "abc"), ValueError, "same length"),
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
    with pytest.raises(ValueError, match="n must be an int from 1 to 3"):
        sketches.plot_sketches(inks, labels, names, n=4)
    with pytest.raises(ValueError, match="lengths"):
        sketches.plot_sketches(inks, labels, names, n=3, lengths=[1])

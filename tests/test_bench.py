"""tools.bench: the book's models, both ways of training them, and the table."""

import numpy as np
import pytest

from helpers import data, training
from helpers.profile import PROFILES
from tools import bench


def test_every_book_model_builds_with_the_right_output():
    shapes = {"one_step": (1,), "vector": (10,), "sequence": (50, 10), "conv": (24, 10)}
    for name, build in bench.BUILDERS.items():
        model = build()
        out = model(np.zeros((2, 50, 1), dtype="float32"))
        assert tuple(out.shape[1:]) == shapes[bench._kind(name)], name
    assert len(bench.BUILDERS) == 11


def test_conv_targets_line_up_with_the_strided_outputs():
    tiny = PROFILES["quick"].__class__("tiny", n_series=40, n_train=20, n_valid=10, epochs=1)
    seq = data.load("sequence", profile=tiny)
    conv = bench._data("conv", tiny)
    assert np.array_equal(conv.y_train, seq.y_train[:, 3::2])


def test_both_ways_train_and_the_table_compares_them():
    tiny = PROFILES["quick"].__class__("tiny", n_series=200, n_train=128, n_valid=64, epochs=1)
    splits = bench._data("one_step", tiny)
    timings = [bench.train_one("linear", way, splits, epochs=1, seed=42)
               for way in ("plain", "course")]
    assert all(t.seconds > 0 and t.val_mse > 0 for t in timings)
    text = bench.table(timings)
    assert "| linear |" in text and "**all 1**" in text
    ok, line = bench.verdict([bench.Timing("linear", "plain", 10.0, 0.010),
                              bench.Timing("linear", "course", 3.0, 0.0104)])
    assert ok and "0.30" in line
    ok, line = bench.verdict([bench.Timing("linear", "plain", 10.0, 0.010),
                              bench.Timing("linear", "course", 3.0, 0.011)])
    assert not ok and "linear" in line.split("worse:")[1]
    with pytest.raises(ValueError, match="way must be"):
        bench.train_one("linear", "fast", splits, epochs=1, seed=42)
    with pytest.raises(ValueError, match="name must be one of"):
        bench.train_one("transformer", "plain", splits, epochs=1, seed=42)


def test_fit_options_score_validation_in_large_batches():
    assert training.fit_options(2_000) == {"validation_batch_size": 2_000}
    assert training.fit_options(10_000)["validation_batch_size"] == training.VALIDATION_BATCH
    with pytest.raises(ValueError, match="n_valid"):
        training.fit_options(0)

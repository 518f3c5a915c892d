import numpy as np
import pytest

from helpers import data
from helpers.profile import get_profile


def test_generator_shape_dtype_and_range():
    series = data.generate_time_series(8, 51, seed=0)
    assert series.shape == (8, 51, 1)
    assert series.dtype == np.float32
    # 0.5 + 0.2 + 0.05 bounds the absolute value of every point
    assert np.abs(series).max() <= 0.75 + 1e-6


def test_generator_is_deterministic_per_seed():
    a = data.generate_time_series(16, 30, seed=7)
    b = data.generate_time_series(16, 30, seed=7)
    c = data.generate_time_series(16, 30, seed=8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_noise_only_rescales_the_same_draws():
    clean = data.generate_time_series(4, 20, seed=3, noise=0.0)
    noisy = data.generate_time_series(4, 20, seed=3, noise=0.2)
    residual = noisy - clean
    assert np.abs(residual).max() <= 0.1 + 1e-6
    assert np.abs(residual).max() > 0.05


def test_noise_variance_matches_formula():
    clean = data.generate_time_series(2000, 50, seed=1, noise=0.0)
    noisy = data.generate_time_series(2000, 50, seed=1, noise=0.1)
    assert np.var(noisy - clean) == pytest.approx(0.1**2 / 12, rel=0.02)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(batch_size=0, n_steps=5), ValueError, "batch_size must be a positive int"),
        (dict(batch_size=-3, n_steps=5), ValueError, "batch_size"),
        (dict(batch_size=2, n_steps=0), ValueError, "n_steps must be a positive int"),
        (dict(batch_size=2.5, n_steps=5), TypeError, "batch_size must be an int"),
        (dict(batch_size=True, n_steps=5), TypeError, "batch_size must be an int"),
        (dict(batch_size=2, n_steps=5, noise=-0.1), ValueError, "noise must be"),
        (dict(batch_size=2, n_steps=5, noise="0.1"), TypeError, "noise must be a number"),
        (dict(batch_size=2, n_steps=5, seed=-1), ValueError, "seed must be an int >= 0"),
        (dict(batch_size=2, n_steps=5, time_step=0), ValueError, "time_step must be"),
        (dict(batch_size=2, n_steps=5, time_step="1"), TypeError, "time_step must be a"),
    ],
)
def test_generator_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.generate_time_series(**kwargs)


def test_time_step_keeps_the_pace_of_the_books_series():
    book = data.generate_time_series(20, 60, seed=5)
    paced = data.generate_time_series(20, 60, seed=5, time_step=1 / 59)
    np.testing.assert_allclose(paced, book, atol=1e-6)  # the same grid: [0, 1] in 60 steps
    longer = data.generate_time_series(20, 500, seed=5, time_step=1 / 59, noise=0)
    clean = data.generate_time_series(20, 60, seed=5, noise=0)
    np.testing.assert_allclose(longer[:, :60], clean, atol=1e-6)  # continues the series
    stretched = data.generate_time_series(20, 500, seed=5, noise=0)  # default: [0, 1]
    assert np.abs(np.diff(stretched, axis=1)).mean() < np.abs(np.diff(longer, axis=1)).mean() / 5


def test_split_sizes_and_order():
    array = np.arange(10)
    train, valid, test = data.split(array, 7, 2)
    assert train.tolist() == list(range(7))
    assert valid.tolist() == [7, 8]
    assert test.tolist() == [9]


@pytest.mark.parametrize(
    "n_train, n_valid, error, match",
    [
        (0, 2, ValueError, "n_train must be a positive int"),
        (7, 3, ValueError, "test set is not empty"),
        (8, 5, ValueError, "must be smaller than the number of rows"),
        (7.0, 2, TypeError, "n_train must be an int"),
    ],
)
def test_split_rejects_bad_sizes(n_train, n_valid, error, match):
    with pytest.raises(error, match=match):
        data.split(np.arange(10), n_train, n_valid)


def test_split_rejects_non_arrays():
    with pytest.raises(TypeError, match="array must be a NumPy array"):
        data.split(list(range(10)), 7, 2)


def test_one_step_targets():
    series = data.generate_time_series(5, 51, seed=0)
    X, y = data.one_step(series, 50)
    assert X.shape == (5, 50, 1) and y.shape == (5, 1)
    np.testing.assert_array_equal(y[:, 0], series[:, 50, 0])


def test_vector_targets():
    series = data.generate_time_series(5, 60, seed=0)
    X, Y = data.vector_targets(series, 50, 10)
    assert X.shape == (5, 50, 1) and Y.shape == (5, 10)
    np.testing.assert_array_equal(Y, series[:, 50:60, 0])


def test_sequence_targets_match_definition():
    series = data.generate_time_series(3, 60, seed=0)
    X, Y = data.sequence_targets(series, 50, 10)
    assert Y.shape == (3, 50, 10) and Y.dtype == np.float32
    assert Y.flags["C_CONTIGUOUS"]
    for t in (0, 17, 49):
        for i in (0, 4, 9):
            assert Y[1, t, i] == series[1, t + 1 + i, 0]
    # The last step's target is the seq-to-vector target.
    _, Y_vec = data.vector_targets(series, 50, 10)
    np.testing.assert_array_equal(Y[:, -1], Y_vec)


@pytest.mark.parametrize("fn", [data.vector_targets, data.sequence_targets])
def test_horizon_longer_than_series_is_rejected(fn):
    series = data.generate_time_series(2, 55, seed=0)
    with pytest.raises(ValueError, match="series has 55 time steps"):
        fn(series, 50, 10)


def test_one_step_needs_one_more_step():
    series = data.generate_time_series(2, 50, seed=0)
    with pytest.raises(ValueError, match="needs at least 51"):
        data.one_step(series, 50)


@pytest.mark.parametrize("bad", [np.zeros((4, 50)), np.zeros((4, 50, 2)), np.zeros(5)])
def test_targets_reject_wrong_rank(bad):
    with pytest.raises(ValueError, match=r"shape \[batch, time steps, 1\]"):
        data.one_step(bad, 3)


def test_targets_reject_non_arrays():
    with pytest.raises(TypeError, match="series must be a NumPy array"):
        data.one_step([[[0.0]] * 5], 3)


def test_targets_reject_bad_ahead():
    series = data.generate_time_series(2, 60, seed=0)
    with pytest.raises(ValueError, match="ahead must be a positive int"):
        data.sequence_targets(series, 50, 0)


@pytest.mark.parametrize("kind, y_shape", [
    ("one_step", (1,)), ("vector", (10,)), ("sequence", (50, 10)),
])
def test_load_uses_profile_sizes(kind, y_shape):
    profile = get_profile("quick")
    splits = data.load(kind, profile=profile)
    assert splits.X_train.shape == (profile.n_train, 50, 1)
    assert splits.X_valid.shape == (profile.n_valid, 50, 1)
    assert splits.X_test.shape == (profile.n_test, 50, 1)
    assert splits.y_train.shape == (profile.n_train, *y_shape)
    assert splits.y_test.shape == (profile.n_test, *y_shape)


def test_full_profile_is_the_books_split():
    full = get_profile("full")
    assert (full.n_train, full.n_valid, full.n_test) == (7000, 2000, 1000)
    assert (full.n_steps, full.ahead, full.epochs) == (50, 10, 20)


def test_load_is_deterministic_and_rejects_bad_kind():
    a = data.load("one_step", profile=get_profile("quick"))
    b = data.load("one_step", profile=get_profile("quick"))
    np.testing.assert_array_equal(a.X_valid, b.X_valid)
    with pytest.raises(ValueError, match="kind must be one of"):
        data.load("two_step")
    with pytest.raises(TypeError, match="profile must be a helpers.profile.Profile"):
        data.load("one_step", profile="quick")

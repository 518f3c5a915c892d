import numpy as np
import pytest

from helpers import baselines, data
from helpers.profile import PROFILE, get_profile


def test_naive_forecast_repeats_last_value():
    X = data.generate_time_series(4, 50, seed=0)
    np.testing.assert_array_equal(baselines.naive_forecast(X), X[:, -1])
    Y = baselines.naive_forecast(X, ahead=10)
    assert Y.shape == (4, 10)
    np.testing.assert_array_equal(Y[:, 7], X[:, -1, 0])


def test_naive_forecast_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\[batch, time steps, features\]"):
        baselines.naive_forecast(np.zeros((3, 4)))
    with pytest.raises(TypeError, match="X must be a NumPy array"):
        baselines.naive_forecast([[1.0]])
    with pytest.raises(ValueError, match="ahead must be a positive int"):
        baselines.naive_forecast(np.zeros((3, 4, 1)), ahead=0)


def test_mse_and_shape_check():
    assert baselines.mse(np.array([1.0, 2.0]), np.array([1.0, 4.0])) == 2.0
    with pytest.raises(ValueError, match="same shape"):
        baselines.mse(np.zeros((3, 1)), np.zeros(3))


def test_noise_floor():
    assert baselines.noise_floor(0.1) == pytest.approx(0.1**2 / 12)
    assert baselines.noise_floor(0) == 0
    with pytest.raises(ValueError, match="noise must be"):
        baselines.noise_floor(-1)
    with pytest.raises(TypeError, match="noise must be a number"):
        baselines.noise_floor(None)


def test_compare_on_fresh_series_with_a_perfect_and_a_naive_model():
    truth = {}

    def oracle(X):  # cheats: looks up the answer generated with the same seed
        series = data.generate_time_series(len(X), 51, seed=5, noise=0.1)
        truth["y"] = series[:, 50]
        return truth["y"]

    result = baselines.compare_on_fresh_series(
        {"oracle": oracle, "zero": lambda X: np.zeros((len(X), 1))},
        noise=0.1, series_index=3, n_series=50, seed=5)
    assert set(result.mse) == {"naive", "oracle", "zero"}
    assert result.mse["oracle"] == 0.0
    assert result.forecasts["oracle"] == pytest.approx(result.y)
    assert result.forecasts["naive"] == pytest.approx(result.x[-1])
    assert result.x.shape == (50,)
    assert result.floor == pytest.approx(0.1**2 / 12)
    assert 0 < result.mse["naive"] < result.mse["zero"]


def test_compare_keeps_series_when_noise_changes():
    a = baselines.compare_on_fresh_series({}, noise=0.0, n_series=20)
    b = baselines.compare_on_fresh_series({}, noise=0.3, n_series=20)
    assert np.abs(a.x - b.x).max() <= 0.15 + 1e-6
    assert b.mse["naive"] > a.mse["naive"]


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(models=[]), TypeError, "models must be a mapping"),
    (dict(models={"m": 3}), TypeError, r"models\['m'\] must be callable"),
    (dict(models={}, series_index=20, n_series=20), ValueError,
     "series_index must be an int from 0 to 19"),
    (dict(models={}, series_index=1.0), TypeError, "series_index must be an int"),
    (dict(models={}, noise=-1), ValueError, "noise must be"),
    (dict(models={"m": lambda X: np.zeros(3)}, n_series=5), ValueError,
     r"models\['m'\] returned shape"),
])
def test_compare_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        baselines.compare_on_fresh_series(**kwargs)


def test_compare_default_seed_derives_from_the_run_seed(monkeypatch):
    assert get_profile(seed=42).seed_for(baselines.SEED_OFFSET) == 2024  # as before
    default = baselines.compare_on_fresh_series({}, n_series=20)
    explicit = baselines.compare_on_fresh_series(
        {}, n_series=20, seed=PROFILE.seed_for(baselines.SEED_OFFSET))
    np.testing.assert_array_equal(default.x, explicit.x)
    monkeypatch.setattr(baselines, "PROFILE", get_profile(seed=7))
    other = baselines.compare_on_fresh_series({}, n_series=20)
    np.testing.assert_array_equal(
        other.x, baselines.compare_on_fresh_series({}, n_series=20, seed=7 + 1982).x)
    assert not np.array_equal(other.x, default.x)

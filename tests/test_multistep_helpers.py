"""Helpers added for notebook 03 (multi-step forecasting)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import baselines, data, plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _ramp(batch=3, steps=20):
    """Straight lines with different slopes: a 'last slope' model forecasts them exactly."""
    t = np.arange(steps, dtype=np.float32)
    slopes = np.arange(1, batch + 1, dtype=np.float32)[:, None]
    return (slopes * t)[..., None]


def _slope_model(k):
    """Forecast k values by extending each window's last slope."""
    def predict(X):
        slope = X[:, -1, 0] - X[:, -2, 0]
        return X[:, -1, :] + slope[:, None] * np.arange(1, k + 1, dtype=np.float32)
    return predict


@pytest.mark.parametrize("k", [1, 3, 10])
def test_chain_forecasts_extends_a_ramp_exactly(k):
    series = _ramp(steps=40)
    X, future = series[:, :20], series[:, 20:, 0]
    forecast = baselines.chain_forecasts(_slope_model(k), X, 20)
    assert forecast.shape == (3, 20)
    np.testing.assert_allclose(forecast, future, rtol=1e-6)


def test_chain_forecasts_feeds_forecasts_back_in_fixed_windows():
    X = data.generate_time_series(2, 50, seed=0)
    seen = []

    def spy(window):
        seen.append(window.copy())
        return np.full((len(window), 4), len(seen), dtype=np.float32)

    forecast = baselines.chain_forecasts(spy, X, 10)
    assert [w.shape for w in seen] == [(2, 50, 1)] * 3  # 4 + 4 + 2 (cut) values
    np.testing.assert_array_equal(forecast[0], [1, 1, 1, 1, 2, 2, 2, 2, 3, 3])
    np.testing.assert_array_equal(seen[1][:, -4:, 0], 1)  # round 1's forecasts went in
    np.testing.assert_array_equal(seen[1][:, :-4], X[:, 4:])  # oldest values dropped
    np.testing.assert_array_equal(X, data.generate_time_series(2, 50, seed=0))  # X intact


def test_chain_forecasts_accepts_keras_like_outputs_and_the_naive_forecast():
    X = data.generate_time_series(4, 30, seed=1)
    naive = baselines.chain_forecasts(lambda w: baselines.naive_forecast(w, ahead=1), X, 7)
    np.testing.assert_array_equal(naive, baselines.naive_forecast(X, ahead=7))
    three_d = baselines.chain_forecasts(lambda w: w[:, -2:, :], X, 5)  # [batch, 2, 1]
    assert three_d.shape == (4, 5)


def test_chain_forecasts_rejects_bad_arguments():
    X = np.zeros((2, 10, 1), dtype=np.float32)
    with pytest.raises(TypeError, match="predict must be callable"):
        baselines.chain_forecasts(None, X, 3)
    with pytest.raises(TypeError, match="X must be a NumPy array"):
        baselines.chain_forecasts(_slope_model(1), X.tolist(), 3)
    with pytest.raises(ValueError, match=r"X must have shape \[batch, time steps, 1\]"):
        baselines.chain_forecasts(_slope_model(1), np.zeros((2, 10)), 3)
    with pytest.raises(ValueError, match="total must be a positive int"):
        baselines.chain_forecasts(_slope_model(1), X, 0)
    with pytest.raises(TypeError, match="total must be an int"):
        baselines.chain_forecasts(_slope_model(1), X, 2.5)
    with pytest.raises(ValueError, match="predict must return forecasts"):
        baselines.chain_forecasts(lambda w: np.zeros((3, 1)), X, 3)
    with pytest.raises(ValueError, match="predict must return forecasts"):
        baselines.chain_forecasts(lambda w: np.zeros((2, 0)), X, 3)


def test_plot_forecast_band_draws_mean_and_band():
    plots.set_style()
    series = data.generate_time_series(1, 60, seed=0)[0, :, 0]
    mean, std = series[50:], np.linspace(0.01, 0.1, 10)
    ax = plots.plot_forecast_band(series[:50], series[50:], mean=mean, std=std,
                                  label="MC Dropout", title="band")
    labels = [line.get_label() for line in ax.get_lines()]
    labels = [label for label in labels if not label.startswith("_")]  # skip unnamed lines
    assert labels == ["inputs", "true future", "MC Dropout"]
    (band,) = ax.collections
    assert band.get_label() == "MC Dropout ± 2 std"
    vertices = band.get_paths()[0].vertices
    assert vertices[:, 1].max() == pytest.approx((mean + 2 * std).max())
    assert vertices[:, 1].min() == pytest.approx((mean - 2 * std).min())
    assert ax.get_title() == "band"


def test_plot_forecast_band_rejects_bad_arguments():
    x = np.zeros(50)
    with pytest.raises(ValueError, match="mean and std must have the same length"):
        plots.plot_forecast_band(x, mean=np.zeros(10), std=np.zeros(9))
    with pytest.raises(ValueError, match="std must hold finite values >= 0"):
        plots.plot_forecast_band(x, mean=np.zeros(3), std=np.array([0.1, -0.1, 0.1]))
    with pytest.raises(ValueError, match="n_std must be a finite number > 0"):
        plots.plot_forecast_band(x, mean=np.zeros(3), std=np.zeros(3), n_std=0)
    with pytest.raises(ValueError, match="mean must be one series"):
        plots.plot_forecast_band(x, mean=np.zeros((2, 3)), std=np.zeros(3))

"""The oracle recovers the generating family and forecasts near the noise floor."""

import numpy as np
import pytest

from helpers import data, oracle


def test_fit_recovers_noiseless_parameters():
    series = data.generate_time_series(6, 60, seed=3, noise=0)
    params = oracle.fit(series[:, :50], 1 / 59)
    np.testing.assert_allclose(oracle.family(params, np.arange(60) / 59), series[..., 0],
                               atol=1e-4)
    np.testing.assert_allclose(oracle.forecast(series[:, :50], 10), series[:, 50:, 0],
                               atol=1e-4)


def test_forecast_is_near_the_noise_floor():
    series = data.generate_time_series(40, 60, seed=4)
    forecast = oracle.forecast(series[:, :50], 10)
    assert forecast.shape == (40, 10) and forecast.dtype == np.float32
    mse = np.mean((forecast[:, -1] - series[:, -1, 0]) ** 2)
    assert mse < 0.0025  # noise floor 0.00083; 40 series leave room for sampling error


@pytest.mark.parametrize("call, error", [
    (lambda: oracle.forecast(np.zeros((2, 3)), 1), ValueError),
    (lambda: oracle.forecast(np.zeros((2, 10)), 0), ValueError),
    (lambda: oracle.fit(np.zeros((2, 10)), 0), ValueError),
    (lambda: oracle.fit(np.zeros((2, 10)), "x"), TypeError),
    (lambda: oracle.family(np.zeros((2, 3)), np.arange(3)), ValueError),
])
def test_bad_arguments(call, error):
    with pytest.raises(error):
        call()

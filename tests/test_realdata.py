"""helpers.datasets.realdata: the real series of notebook 08, its windows and its forecasters."""

import numpy as np
import pandas as pd
import pytest

from helpers import training
from helpers.datasets import realdata
from helpers.datasets.realdata import DAY, WEEK
from helpers.profile import get_profile


@pytest.fixture(scope="module")
def demand():
    return realdata.prepare()


def test_load_demand_is_the_taylor_series():
    series = realdata.load_demand()
    assert len(series) == 12 * WEEK == 4032
    assert series.index[0] == pd.Timestamp("2000-06-05 00:00")
    assert series.index[0].day_name() == "Monday"
    assert series.index[-1] == pd.Timestamp("2000-08-27 23:30")
    assert 15_000 < series.min() < series.max() < 40_000


def test_split_points_by_weeks():
    assert realdata.split_points(4032) == (2688, 3360)
    assert realdata.split_points(3 * WEEK, (1, 1, 1)) == (WEEK, 2 * WEEK)
    with pytest.raises(ValueError, match="weeks"):
        realdata.split_points(4000)
    with pytest.raises(ValueError, match="weeks"):
        realdata.split_points(4032, (6, 6))


def test_seasonal_difference():
    y = np.arange(10.0) ** 2
    d = realdata.seasonal_difference(y, 3)
    assert np.isnan(d[:3]).all()
    assert np.allclose(d[3:], y[3:] - y[:-3])
    with pytest.raises(ValueError, match="period"):
        realdata.seasonal_difference(y, 10)
    with pytest.raises(TypeError, match="period"):
        realdata.seasonal_difference(y, 2.5)
    with pytest.raises(ValueError, match="y must have 1 dimensions"):
        realdata.seasonal_difference(np.ones((3, 3)), 1)


def test_scaler_uses_training_values_only(demand):
    train = demand.d[WEEK:demand.train_end]
    assert np.isclose(demand.scaler.mean, train.mean())
    assert np.isclose(demand.scaler.std, train.std())
    assert not np.isclose(demand.scaler.mean, np.nanmean(demand.d))
    values = np.array([1.0, 2.0, 3.0])
    assert np.allclose(demand.scaler.inverse(demand.scaler.transform(values)), values)
    with pytest.raises(ValueError, match="constant"):
        realdata.Scaler([2.0, 2.0])


def test_windows_match_direct_indexing():
    values = np.arange(100, dtype="float32")
    ds = realdata.windows(values, 5, 3, start=20, end=40, batch_size=100)
    X, Y = next(iter(ds))
    at = realdata.origins(20, 40, 3)
    assert X.shape == (len(at), 5, 1) and Y.shape == (len(at), 3)
    assert np.array_equal(X[:, :, 0], values[at[:, None] - 5 + np.arange(5)])
    assert np.array_equal(Y, values[at[:, None] + np.arange(3)])
    X2, _ = next(iter(realdata.windows(values, 5, 3, start=20, end=40, batch_size=100,
                                       stride=4)))
    assert np.array_equal(X2[:, -1, 0], values[at[::4] - 1])


def test_windows_errors():
    values = np.arange(50.0)
    with pytest.raises(ValueError, match="start >= n_steps"):
        realdata.windows(values, 10, 2, start=5, end=30)
    with pytest.raises(ValueError, match="shorter than horizon"):
        realdata.windows(values, 5, 10, start=10, end=15)
    values[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        realdata.windows(values, 5, 2, start=5, end=30)


def test_baselines_on_a_made_up_series():
    period = 4
    y = np.array([10, 20, 30, 40, 11, 21, 31, 41, 12, 22, 32, 42], dtype=float)
    at = np.array([9])
    f = realdata.baseline_forecasts(y, at, 2, period)
    assert np.allclose(f["naive"], [[12, 12]])
    assert np.allclose(f["seasonal naive"], [[21, 31]])
    # the last change is y[8] - y[4] = 1
    assert np.allclose(f["seasonal naive + last change"], [[22, 32]])


def test_undifference_checks_horizon_and_origins():
    y = np.arange(20.0)
    with pytest.raises(ValueError, match="horizon"):
        realdata.undifference(y, np.array([10]), np.zeros((1, 5)), period=5)
    with pytest.raises(ValueError, match="origins"):
        realdata.undifference(y, np.array([3]), np.zeros((1, 2)), period=5)
    with pytest.raises(ValueError, match="d_forecast"):
        realdata.undifference(y, np.array([10, 11]), np.zeros((1, 2)), period=5)


def test_ar_forecasts_iterate_the_recursion():
    d = np.array([np.nan, 1.0, 2.0, 4.0])
    f = realdata.ar_forecasts(d, np.array([4]), 3, const=0.5, coefs=[0.5, 0.25])
    first = 0.5 + 0.5 * 4 + 0.25 * 2
    second = 0.5 + 0.5 * first + 0.25 * 4
    third = 0.5 + 0.5 * second + 0.25 * first
    assert np.allclose(f, [[first, second, third]])
    with pytest.raises(ValueError, match="known values"):
        realdata.ar_forecasts(d, np.array([2]), 1, const=0.0, coefs=[1.0, 1.0])
    with pytest.raises(ValueError, match="coefs"):
        realdata.ar_forecasts(d, np.array([4]), 1, const=0.0, coefs=[])


def test_ar_forecasts_match_statsmodels(demand):
    ar = realdata.fit_ar(demand, 3)
    ours = realdata.ar_forecasts(demand.d, np.array([demand.train_end]), 10,
                                 ar.params[0], ar.params[1:])[0]
    assert np.allclose(ours, ar.forecast(10), atol=1e-8)


def test_mae_by_horizon():
    truth = np.zeros((2, 3))
    pred = np.array([[1.0, -2.0, 0.0], [3.0, 0.0, 1.0]])
    assert np.allclose(realdata.mae_by_horizon(truth, pred), [2.0, 1.0, 0.5])
    with pytest.raises(ValueError, match="shape"):
        realdata.mae_by_horizon(truth, pred[:, :2])


@pytest.mark.parametrize("kind", realdata.MODELS)
def test_build_model_shapes(kind):
    model = realdata.build_model(kind, 24, 6)
    assert model.output_shape == (None, 6)
    assert model(np.zeros((2, 24, 1), "float32")).shape == (2, 6)


def test_build_model_errors():
    with pytest.raises(ValueError, match="kind"):
        realdata.build_model("transformer", 24, 6)
    with pytest.raises(TypeError, match="n_steps"):
        realdata.build_model("linear", 24.0, 6)


def test_forecast_test_baselines_and_sarima(demand):
    at, f = realdata.forecast_test("seasonal naive", demand, n_steps=48, horizon=DAY,
                                   epochs=1)
    assert len(at) == 625 and f.shape == (625, DAY)
    truth = realdata.targets(demand.y, at, DAY)
    snaive = realdata.mae_by_horizon(truth, f).mean()
    _, f_ar = realdata.forecast_test("SARIMA", demand, n_steps=4, horizon=DAY, epochs=1)
    assert realdata.mae_by_horizon(truth, f_ar).mean() < snaive
    with pytest.raises(ValueError, match="kind"):
        realdata.forecast_test("prophet", demand, n_steps=4, horizon=4, epochs=1)
    with pytest.raises(ValueError, match="horizon"):
        realdata.forecast_test("naive", demand, n_steps=4, horizon=DAY + 1, epochs=1)


def test_forecast_test_trains_a_network(demand):
    at, f = realdata.forecast_test("linear", demand, n_steps=24, horizon=4, epochs=1)
    assert f.shape == (len(at), 4) and np.isfinite(f).all()
    # a forecast in MW, near the series' level
    assert 15_000 < np.median(f) < 40_000


def test_fit_forecaster_seed_defaults_to_the_run_seed(demand, monkeypatch):
    seeds = []

    class Seeded(Exception):
        pass

    def set_seed(seed):  # stands in for training.set_seed: record the seed, stop there
        seeds.append(seed)
        raise Seeded

    monkeypatch.setattr(training, "set_seed", set_seed)
    monkeypatch.setattr(realdata, "PROFILE", get_profile("quick", seed=7))
    for seed in (None, 3):
        with pytest.raises(Seeded):
            realdata.fit_forecaster("linear", demand, n_steps=24, horizon=8, epochs=1,
                                    seed=seed)
    assert seeds == [7, 3]
    with pytest.raises(ValueError, match="seed must be an int >= 0"):
        realdata.fit_forecaster("linear", demand, n_steps=24, horizon=8, epochs=1, seed=-1)


def test_calendar_features_are_points_on_two_circles(demand):
    cal = realdata.calendar_features(demand.times)
    assert list(cal.columns) == list(realdata.CALENDAR) and len(cal) == len(demand.y)
    assert cal.index.equals(demand.times)
    values = cal.to_numpy()
    assert np.allclose(values[:, 0] ** 2 + values[:, 1] ** 2, 1)
    assert np.allclose(values[:, 2] ** 2 + values[:, 3] ** 2, 1)
    assert np.allclose(values[0], [0, 1, 0, 1])  # Monday 00:00: both phases zero
    thursday_noon = 3 * DAY + DAY // 2
    assert np.allclose(values[thursday_noon], [0, -1, 0, -1])  # half a day, half a week
    # continuity: every step (midnight and Sunday -> Monday included) moves as far
    steps = np.diff(values, axis=0)
    assert np.allclose(np.hypot(steps[:, 0], steps[:, 1]), 2 * np.sin(np.pi / DAY))
    assert np.allclose(np.hypot(steps[:, 2], steps[:, 3]), 2 * np.sin(np.pi / WEEK))
    # weekly periodic, so the week-over-week change is zero
    assert np.allclose(values[WEEK:], values[:-WEEK])
    # sine and cosine together tell the 48 half-hours apart; the sine alone does not
    assert len(np.unique(values[:DAY, :2].round(9), axis=0)) == DAY
    assert len(np.unique(values[:DAY, 0].round(9))) < DAY


def test_calendar_features_errors():
    with pytest.raises(TypeError, match="times"):
        realdata.calendar_features(np.arange(10))
    with pytest.raises(ValueError, match="times"):
        realdata.calendar_features(pd.DatetimeIndex([]))


def test_windows_with_covariates_align_inputs_and_leave_targets():
    values = np.arange(100, dtype="float32")
    covariates = np.stack([1000 + values, -values], axis=1)
    at = realdata.origins(20, 40, 3)
    X, Y = next(iter(realdata.windows(values, 5, 3, start=20, end=40, batch_size=100,
                                      covariates=covariates)))
    assert X.shape == (len(at), 5, 3) and Y.shape == (len(at), 3)
    steps = at[:, None] - 5 + np.arange(5)
    assert np.array_equal(X[:, :, 0], values[steps])
    assert np.array_equal(X[:, :, 1:], covariates[steps])  # same steps as the values
    assert np.array_equal(Y, values[at[:, None] + np.arange(3)])  # no covariate in targets
    with pytest.raises(ValueError, match="covariates must have shape"):
        realdata.windows(values, 5, 3, start=20, end=40, covariates=covariates[:50])
    covariates[18, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        realdata.windows(values, 5, 3, start=20, end=40, covariates=covariates)
    with pytest.raises(ValueError, match="values must have 1 dimensions"):
        realdata.windows(covariates, 5, 3, start=20, end=40)


def test_build_model_channels():
    plain = realdata.build_model("conv_gru", 24, 6)
    wide = realdata.build_model("conv_gru", 24, 6, channels=5)
    assert wide(np.zeros((2, 24, 5), "float32")).shape == (2, 6)
    assert wide.count_params() - plain.count_params() == 4 * 4 * 32  # kernel 4, 32 filters
    gru = realdata.build_model("gru", 24, 6, channels=5).count_params()
    assert gru - realdata.build_model("gru", 24, 6).count_params() == 3 * 4 * 32
    with pytest.raises(TypeError, match="channels"):
        realdata.build_model("gru", 24, 6, channels=1.5)


def test_fit_forecaster_with_calendar(demand):
    cal = realdata.calendar_features(demand.times)
    fit = realdata.fit_forecaster("linear", demand, n_steps=24, horizon=4, epochs=1,
                                  covariates=cal)
    assert fit.model.input_shape == (None, 24, 5)
    assert fit.forecast.shape == (len(fit.at), 4) and np.isfinite(fit.forecast).all()
    with pytest.raises(ValueError, match="covariates must have shape"):
        realdata.fit_forecaster("linear", demand, n_steps=24, horizon=4, epochs=1,
                                covariates=cal.iloc[:100])
    with pytest.raises(TypeError, match="covariates"):
        realdata.fit_forecaster("linear", demand, n_steps=24, horizon=4, epochs=1,
                                covariates=np.full((len(demand.y), 1), "x"))
    at, f = realdata.forecast_test("linear", demand, n_steps=24, horizon=4, epochs=1,
                                   calendar=True)
    assert f.shape == (len(at), 4) and np.isfinite(f).all()
    with pytest.raises(TypeError, match="calendar"):
        realdata.forecast_test("naive", demand, n_steps=24, horizon=4, epochs=1,
                               calendar="yes")

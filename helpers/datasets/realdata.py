"""A real series for notebook 08: half-hourly electricity demand, and what forecasts it.

The data is the ``taylor`` series that pmdarima ships (nothing is downloaded): the
electricity demand of England and Wales, in megawatts, every half hour from Monday
5 June to Sunday 27 August 2000, 4,032 values (12 weeks). J. W. Taylor used it to
introduce double seasonal exponential smoothing (J. Oper. Res. Soc. 54, 2003).

Conventions used throughout (and by notebook 08):

- ``y`` is the series in MW; an **origin** ``t`` is the index of the first value to
  forecast, so a forecaster may read ``y[:t]`` and predicts ``y[t:t + horizon]``.
- ``d`` is the week-over-week change ``d[t] = y[t] - y[t - WEEK]`` (NaN for the first
  week). Forecasting ``d`` and adding back last week's value is how every model here
  forecasts ``y``: :func:`undifference`.
- covariates, such as :func:`calendar_features`, are extra input channels with one row
  per value of ``y``, given to the networks raw (neither differenced nor standardised).
"""

import time
from dataclasses import dataclass
from functools import partial

import keras
import numpy as np
import pandas as pd

from helpers import checks, models, training
from helpers.profile import PROFILE, for_profile
from helpers.profile import Settings as ProfileSettings

DAY = 48  # half-hours in a day
WEEK = 7 * DAY  # half-hours in a week: the series' longest season (336)
START = "2000-06-05 00:00"  # time stamp of the first value (a Monday, 00:00)
SPLIT_WEEKS = (8, 2, 2)  # weeks of training, validation and test data, in time order


@dataclass(frozen=True)
class Settings(ProfileSettings):
    """What notebook 08 trains, per run profile."""

    n_steps: int = 96  # input window: two days of week-over-week changes
    horizon: int = DAY  # forecast the next day, 48 half-hours, in one shot
    max_epochs: int = 60  # early stopping on the validation loss usually ends sooner
    patience: int = 8
    batch_size: int = 32
    learning_rate: float = 1e-3
    widget_epochs: int = 10
    stride: int = 1  # take every stride-th training window (quick runs train on fewer)


SETTINGS = {
    "full": Settings(),
    "quick": Settings(max_epochs=2, patience=2, widget_epochs=1, stride=4),
}


def get_settings(profile: str | None = None) -> Settings:
    """The :class:`Settings` of ``profile`` (default: the active profile)."""
    return for_profile(SETTINGS, profile)


def _origins(at, low: int, high: int, why: str) -> np.ndarray:
    """``at`` as a 1-D int array of origins from ``low`` to ``high``, else an error.

    Origins index the series; one below 0 would silently read its *end* (NumPy's
    negative indices), so the range is checked, with ``why`` it is what it is.
    """
    at = np.asarray(at)
    if at.ndim != 1 or (at.size and not np.issubdtype(at.dtype, np.integer)):
        raise ValueError(f"at must be a 1-D array of int origins, got {at.dtype} {at.shape}")
    if at.size and (at.min() < low or at.max() > high):
        raise ValueError(f"at must hold origins from {low} to {high} ({why}), got values "
                         f"from {at.min()} to {at.max()}")
    return at.astype(int)


def load_demand() -> pd.Series:
    """The 4,032 half-hourly demands (MW) as a pandas Series with a time index."""
    from pmdarima.datasets import load_taylor

    values = np.asarray(load_taylor(as_series=False), dtype="float64")
    index = pd.date_range(START, periods=len(values), freq="30min", name="time")
    return pd.Series(values, index=index, name="demand_mw")


def split_points(n: int, weeks: tuple[int, int, int] = SPLIT_WEEKS) -> tuple[int, int]:
    """Indices ``(train_end, valid_end)`` of a time-ordered split of ``n`` values by weeks."""
    if len(weeks) != 3 or sum(checks.integer("weeks", w) for w in weeks) * WEEK != n:
        raise ValueError(f"weeks must be three positive ints covering n={n} values "
                         f"({WEEK} a week), got {weeks!r}")
    return weeks[0] * WEEK, (weeks[0] + weeks[1]) * WEEK


def seasonal_difference(y, period: int = WEEK) -> np.ndarray:
    """``d[t] = y[t] - y[t - period]``, NaN where ``t < period``."""
    y = checks.array("y", y, ndim=1, finite=False).astype("float64")
    period = checks.integer("period", period, high=len(y) - 1)
    return np.r_[np.full(period, np.nan), y[period:] - y[:-period]]


def origins(start: int, end: int, horizon: int) -> np.ndarray:
    """Every origin whose ``horizon`` forecast values lie in ``[start, end)``."""
    start, end = checks.integer("start", start, 0), checks.integer("end", end)
    if end - start < checks.integer("horizon", horizon):
        raise ValueError(f"[start, end) = [{start}, {end}) is shorter than horizon {horizon}")
    return np.arange(start, end - horizon + 1)


def targets(y, at: np.ndarray, horizon: int) -> np.ndarray:
    """``y[t:t + horizon]`` for each origin ``t`` in ``at``: shape ``(len(at), horizon)``."""
    y = checks.array("y", y, ndim=1, finite=False).astype("float64")
    horizon = checks.integer("horizon", horizon)
    at = _origins(at, 0, len(y) - horizon,
                  f"origins must leave {horizon} values inside the series of {len(y)}")
    return y[at[:, None] + np.arange(horizon)]


def undifference(y, at: np.ndarray, d_forecast, period: int = WEEK) -> np.ndarray:
    """Forecasts of ``y`` from forecasts of its week-over-week change.

    ``y[t + h] = y[t + h - period] + d[t + h]``; the first term is known at origin ``t``
    as long as ``h < period``.
    """
    y = checks.array("y", y, ndim=1, finite=False).astype("float64")
    period = checks.integer("period", period)
    at = _origins(at, period, len(y), f"origins must be >= period ({period}), whose "
                  f"values before them are known")
    d_forecast = np.asarray(d_forecast, dtype="float64")
    if d_forecast.ndim != 2 or len(d_forecast) != len(at):
        raise ValueError(f"d_forecast must have shape (len(at), horizon), got {d_forecast.shape}")
    if d_forecast.shape[1] >= period:
        raise ValueError(f"horizon ({d_forecast.shape[1]}) must be shorter than period ({period})")
    return y[at[:, None] + np.arange(d_forecast.shape[1]) - period] + d_forecast


def baseline_forecasts(y, at: np.ndarray, horizon: int, period: int = WEEK) -> dict:
    """Three forecasts that need no training, each of shape ``(len(at), horizon)``.

    - ``naive``: the last value, repeated;
    - ``seasonal naive``: the value one ``period`` earlier;
    - ``seasonal naive + last change``: that, shifted by the latest week-over-week change
      (the forecast of ``d`` is its last value).
    """
    y = checks.array("y", y, ndim=1, finite=False).astype("float64")
    period, horizon = checks.integer("period", period), checks.integer("horizon", horizon)
    at = _origins(at, period, len(y), f"the seasonal forecasts read the value one period "
                  f"({period}) before each origin")
    change = np.repeat(seasonal_difference(y, period)[at - 1][:, None], horizon, axis=1)
    return {
        "naive": np.repeat(y[at - 1][:, None], horizon, axis=1),
        "seasonal naive": undifference(y, at, np.zeros((len(at), horizon)), period),
        "seasonal naive + last change": undifference(y, at, change, period),
    }


def ar_forecasts(d, at: np.ndarray, horizon: int, const: float, coefs) -> np.ndarray:
    """Forecasts of ``d[t:t + horizon]`` by an AR(p) model, from every origin at once.

    ``d[t] = const + coefs[0] * d[t - 1] + ... + coefs[p - 1] * d[t - p]``, iterated:
    each forecast becomes the input of the next one. Shape ``(len(at), horizon)``.
    """
    d = checks.array("d", d, ndim=1, finite=False).astype("float64")
    coefs = checks.array("coefs", coefs, ndim=1).astype("float64")
    const, p = checks.array("const", const), checks.integer("the number of coefs", len(coefs))
    at = _origins(at, p, len(d), f"an AR({p}) model reads the {p} values of d before each origin")
    lagged = d[at[:, None] - 1 - np.arange(p)]  # column i holds d[t - 1 - i]
    if np.isnan(lagged).any():
        raise ValueError(f"origins need {p} known values of d before them")
    out = np.empty((len(at), checks.integer("horizon", horizon)))
    for h in range(horizon):
        out[:, h] = const + lagged @ coefs
        lagged = np.concatenate([out[:, h:h + 1], lagged[:, :-1]], axis=1)
    return out


def mae_by_horizon(Y_true, Y_pred) -> np.ndarray:
    """Mean absolute error at each step ahead: shape ``(horizon,)``."""
    Y_true, Y_pred = np.asarray(Y_true), np.asarray(Y_pred)
    if Y_true.shape != Y_pred.shape or Y_true.ndim != 2:
        raise ValueError(f"Y_true and Y_pred must be 2-D of one shape, got {Y_true.shape}, "
                         f"{Y_pred.shape}")
    return np.abs(Y_true - Y_pred).mean(axis=0)


class Scaler:
    """Standardise with a mean and standard deviation fitted on training values only."""

    def __init__(self, values) -> None:
        values = checks.array("values", values, ndim=1, finite=False).astype("float64")
        values = checks.array("values", values[~np.isnan(values)])  # NaN: d's first week
        self.mean, self.std = float(values.mean()), float(values.std())
        if not self.std > 0:
            raise ValueError("values must not be constant")

    def transform(self, values):
        return (np.asarray(values, dtype="float64") - self.mean) / self.std

    def inverse(self, values):
        return np.asarray(values, dtype="float64") * self.std + self.mean

    def __repr__(self) -> str:
        return f"Scaler(mean={self.mean:.1f}, std={self.std:.1f})"


CALENDAR = ("day sin", "day cos", "week sin", "week cos")  # calendar_features' columns


def calendar_features(times) -> pd.DataFrame:
    """Time of day and day of week as sine/cosine pairs: one row per time stamp.

    The day's phase is the time since midnight over 24 hours, the week's the time since
    Monday 00:00 over 7 days; each phase ``f`` becomes ``(sin 2 pi f, cos 2 pi f)``, a
    point on a circle, so 23:30 lies next to 00:00 and Sunday night next to Monday
    morning. Columns :data:`CALENDAR`, values in [-1, 1]. They depend on the time stamps
    only, so they are known for any future time.
    """
    checks.instance("times", times, pd.DatetimeIndex, "a pandas DatetimeIndex")
    if len(times) == 0:
        raise ValueError("times must not be empty")
    seconds = (times.hour * 3600 + times.minute * 60 + times.second).to_numpy("float64")
    day = 2 * np.pi * seconds / 86400
    week = 2 * np.pi * (times.day_of_week.to_numpy("float64") + seconds / 86400) / 7
    columns = (np.sin(day), np.cos(day), np.sin(week), np.cos(week))
    return pd.DataFrame(dict(zip(CALENDAR, columns)), index=times)


def windows(values, n_steps: int, horizon: int, *, start: int, end: int,
            batch_size: int = 32, shuffle: bool = False, seed: int | None = None,
            stride: int = 1, covariates=None):
    """A ``tf.data`` set of (input window, next ``horizon`` values) pairs.

    Targets start at every origin of ``origins(start, end, horizon)``, in that order
    unless ``shuffle``; each input is the ``n_steps`` values before its origin (they may
    reach back before ``start``); with ``stride`` only every ``stride``-th origin.
    Inputs have shape ``(n_steps, 1)``; with ``covariates`` (an array of shape
    ``(len(values), k)``, row ``t`` belonging to ``values[t]``) they have ``1 + k``
    channels: the value and the covariates of the same step. Targets hold values only.
    Built with :func:`keras.utils.timeseries_dataset_from_array` on windows of
    ``n_steps + horizon``.
    """
    values = checks.array("values", values, ndim=1, finite=False).astype("float32")
    columns = values[:, None]
    if covariates is not None:
        covariates = checks.array("covariates", covariates, finite=False).astype("float32")
        if covariates.ndim != 2 or len(covariates) != len(values):
            raise ValueError(f"covariates must have shape (len(values), k), got {covariates.shape}")
        columns = np.concatenate([columns, covariates], axis=1)
    n_steps = checks.integer("n_steps", n_steps)
    origins(start, end, horizon)  # checks the range
    if start < n_steps or end > len(values):
        raise ValueError(f"need start >= n_steps ({n_steps}), end <= {len(values)}: {start}, {end}")
    segment = columns[start - n_steps:end]
    if not np.isfinite(segment).all():
        raise ValueError("values or covariates hold NaN or inf in the windows (start too early?)")
    dataset = keras.utils.timeseries_dataset_from_array(
        segment, None, sequence_length=n_steps + horizon, batch_size=batch_size,
        shuffle=shuffle, seed=seed, sequence_stride=checks.integer("stride", stride))
    return dataset.map(lambda w: (w[:, :n_steps], w[:, n_steps:, 0]))


MODELS = ("linear", "deep_rnn", "lstm", "gru", "conv_gru", "wavenet")
LABELS = dict(zip(MODELS, ("Linear (Flatten + Dense)", "Deep RNN (SimpleRNN 32-32)",
                           "LSTM 32-32", "GRU 32-32", "Conv1D (stride 2) + GRU 32-32",
                           "WaveNet (ReLU, rates 1-64)")))


def build_model(kind: str, n_steps: int, horizon: int, *, units: int = 32,
                channels: int = 1) -> keras.Model:
    """One of :data:`MODELS` from :mod:`helpers.models`, reading ``n_steps``, writing ``horizon``.

    Each ends in ``Dense(horizon)``: a sequence-to-vector forecaster of the whole next
    stretch (notebook 03's direct approach); two recurrent layers of ``units``. The
    WaveNet has 16 filters and rates doubling until they cover the window. ``channels``:
    inputs per step (1 + the number of covariates).
    """
    kind = checks.choice("kind", kind, MODELS)
    n_steps = checks.integer("n_steps", n_steps, 4 if kind == "conv_gru" else 1)  # kernel 4
    shape = models.Shape(n_steps, checks.integer("channels", channels),
                         checks.integer("horizon", horizon), False)
    if kind == "wavenet":
        rates = tuple(2 ** i for i in range((n_steps - 1).bit_length()))
        return models.build_model(kind, shape, units=16, rates=rates, head="dense", name=kind)
    return models.build_model(kind, shape, units=units, layers=2, name=kind)


@dataclass(frozen=True)
class Demand:
    """The series, its week-over-week change, the split and the scaler, ready to model."""

    y: np.ndarray
    times: pd.DatetimeIndex
    d: np.ndarray
    scaler: Scaler  # fitted on the training part of d only
    train_end: int
    valid_end: int

    @property
    def z(self) -> np.ndarray:
        """``d`` standardised by :attr:`scaler` (what the networks read and predict)."""
        return self.scaler.transform(self.d)

    def test_origins(self, horizon: int) -> np.ndarray:
        return origins(self.valid_end, len(self.y), horizon)


def prepare(series: pd.Series | None = None) -> Demand:
    """Split :func:`load_demand` (or ``series``) by time and fit the scaler on training data."""
    series = load_demand() if series is None else series
    checks.instance("series", series, pd.Series, "a pandas Series")
    y = series.to_numpy(dtype="float64")
    d, (train_end, valid_end) = seasonal_difference(y), split_points(len(y))
    return Demand(y, series.index, d, Scaler(d[WEEK:train_end]), train_end, valid_end)


@dataclass
class Fit:
    """What :func:`fit_forecaster` returns."""

    model: keras.Model
    history: dict
    seconds: float
    at: np.ndarray  # test origins
    forecast: np.ndarray  # forecasts of y (MW) from each test origin: (len(at), horizon)


def fit_forecaster(kind: str, demand: Demand, *, n_steps: int, horizon: int, epochs: int,
                   patience: int | None = None, batch_size: int = 32,
                   learning_rate: float = 1e-3, stride: int = 1, callbacks=(),
                   seed: int | None = None, covariates=None) -> Fit:
    """Train :func:`build_model` ``(kind)`` on the week-over-week changes; forecast the test weeks.

    Training windows have their targets in the training weeks, validation windows in
    the validation weeks. With ``patience``, training stops once the validation loss has
    not improved for that many epochs and the best weights are restored. ``seed`` (default:
    the run's seed, :attr:`helpers.profile.Profile.seed`) sets the initial weights and the
    shuffling. ``covariates`` (shape ``(len(demand.y), k)``, e.g. :func:`calendar_features`)
    become ``k`` extra input channels, as they are: neither differenced nor standardised.
    """
    checks.instance("demand", demand, Demand, "a Demand (from prepare())")
    epochs = checks.integer("epochs", epochs)
    seed = PROFILE.seed if seed is None else checks.integer("seed", seed, 0)
    cut = partial(windows, demand.z, n_steps, horizon, covariates=covariates)
    train = cut(start=WEEK + n_steps, end=demand.train_end, batch_size=batch_size,
                shuffle=True, seed=seed, stride=stride)
    valid = cut(start=demand.train_end, end=demand.valid_end, batch_size=256)
    at = demand.test_origins(horizon)
    test = cut(start=demand.valid_end, end=len(demand.y), batch_size=256)

    training.set_seed(seed)
    model = build_model(kind, n_steps, horizon, channels=train.element_spec[0].shape[-1])
    training.compile_model(model, learning_rate=learning_rate)
    callbacks = list(callbacks)
    if patience is not None:
        callbacks.append(keras.callbacks.EarlyStopping(
            patience=checks.integer("patience", patience), restore_best_weights=True))
    start = time.perf_counter()
    history = model.fit(train, validation_data=valid, epochs=epochs, shuffle=False,
                        callbacks=callbacks, verbose=0)
    seconds = time.perf_counter() - start
    d_hat = demand.scaler.inverse(model.predict(test, verbose=0))
    return Fit(model, history.history, seconds, at, undifference(demand.y, at, d_hat))


def fit_ar(demand: Demand, lags: int):
    """statsmodels' ``AutoReg`` with a constant, fitted to the training weeks of ``d``.

    An AR(p) model of the week-over-week change is a seasonal ARIMA
    (p, 0, 0)(0, 1, 0) with a weekly season. Returns the fitted results object; its
    ``params`` are ``[const, coef_1, ..., coef_p]``.
    """
    from statsmodels.tsa.ar_model import AutoReg

    checks.instance("demand", demand, Demand, "a Demand (from prepare())")
    lags = checks.integer("lags", lags)
    return AutoReg(demand.d[WEEK:demand.train_end], lags=lags, trend="c").fit()


BASELINES = ("naive", "seasonal naive", "seasonal naive + last change")
FORECASTERS = BASELINES + ("SARIMA",) + MODELS  # all forecast_test runs


def forecast_test(kind: str, demand: Demand, *, n_steps: int, horizon: int, epochs: int,
                  callbacks=(), calendar: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Test origins and forecasts (MW) of any of :data:`FORECASTERS` (the widget's logic).

    ``n_steps`` is the window a network reads, and the AR order of ``"SARIMA"``; the
    baselines ignore it and ``epochs``. Networks train without early stopping, and with
    ``calendar`` read :func:`calendar_features` too (the others ignore it).
    """
    checks.choice("kind", kind, FORECASTERS)
    checks.instance("calendar", calendar, bool, "a bool")
    horizon = checks.integer("horizon", horizon, high=DAY)  # at most one day
    at = demand.test_origins(horizon)
    if kind in BASELINES:
        return at, baseline_forecasts(demand.y, at, horizon)[kind]
    if kind == "SARIMA":
        params = fit_ar(demand, n_steps).params
        d_hat = ar_forecasts(demand.d, at, horizon, params[0], params[1:])
        return at, undifference(demand.y, at, d_hat)
    fit = fit_forecaster(kind, demand, n_steps=n_steps, horizon=horizon, epochs=epochs,
                         stride=get_settings().stride, callbacks=callbacks,
                         covariates=calendar_features(demand.times) if calendar else None)
    return fit.at, fit.forecast

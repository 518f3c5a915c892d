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

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import keras
import numpy as np
import pandas as pd

from helpers.data import _finite_array
from helpers.profile import PROFILE

DAY = 48
"""Half-hours in a day."""
WEEK = 7 * DAY
"""Half-hours in a week: the series' longest season (336)."""
START = "2000-06-05 00:00"
"""Time stamp of the first value (a Monday, 00:00)."""
SPLIT_WEEKS = (8, 2, 2)
"""Weeks of training, validation and test data, in time order."""


@dataclass(frozen=True)
class Settings:
    """What notebook 08 trains, per run profile."""

    n_steps: int = 96
    """Input window: two days of week-over-week changes."""
    horizon: int = DAY
    """Forecast the next day, 48 half-hours, in one shot."""
    max_epochs: int = 60
    """Upper bound; early stopping on the validation loss usually ends sooner."""
    patience: int = 8
    batch_size: int = 32
    learning_rate: float = 1e-3
    widget_epochs: int = 10
    stride: int = 1
    """Take every ``stride``-th training window (quick runs train on fewer)."""


SETTINGS = {
    "full": Settings(),
    "quick": Settings(max_epochs=2, patience=2, widget_epochs=1, stride=4),
}


def get_settings(profile: str | None = None) -> Settings:
    """The :class:`Settings` of ``profile`` (default: the active profile)."""
    name = profile or PROFILE.name
    if name not in SETTINGS:
        raise ValueError(f"profile must be one of {sorted(SETTINGS)}, got {name!r}")
    return SETTINGS[name]


def _int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _series(name: str, values) -> np.ndarray:
    array = np.asarray(values, dtype="float64")
    if array.ndim != 1 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D series, got shape {array.shape}")
    return array


def _origins(at, low: int, high: int, why: str) -> np.ndarray:
    """``at`` as a 1-D int array of origins from ``low`` to ``high``, else an error.

    Origins index the series; one below 0 would silently read its *end* (NumPy's
    negative indices), so the range is checked, with ``why`` it is what it is.
    """
    at = np.asarray(at)
    if at.ndim != 1 or (at.size and not np.issubdtype(at.dtype, np.integer)):
        raise ValueError(f"at must be a 1-D array of int origins, got shape {at.shape} "
                         f"and dtype {at.dtype}")
    at = at.astype(int)
    if at.size and (at.min() < low or at.max() > high):
        raise ValueError(f"at must hold origins from {low} to {high} ({why}), got values "
                         f"from {at.min()} to {at.max()}")
    return at


def load_demand() -> pd.Series:
    """The 4,032 half-hourly demands (MW) as a pandas Series with a time index."""
    from pmdarima.datasets import load_taylor

    values = np.asarray(load_taylor(as_series=False), dtype="float64")
    index = pd.date_range(START, periods=len(values), freq="30min", name="time")
    return pd.Series(values, index=index, name="demand_mw")


def split_points(n: int, weeks: tuple[int, int, int] = SPLIT_WEEKS) -> tuple[int, int]:
    """Indices ``(train_end, valid_end)`` of a time-ordered split of ``n`` values by weeks."""
    n = _int("n", n)
    if len(weeks) != 3 or any(_int("weeks", w) <= 0 for w in weeks):
        raise ValueError(f"weeks must be three positive ints, got {weeks!r}")
    if sum(weeks) * WEEK != n:
        raise ValueError(f"weeks {weeks} cover {sum(weeks) * WEEK} values, not n={n}")
    return weeks[0] * WEEK, (weeks[0] + weeks[1]) * WEEK


def seasonal_difference(y, period: int = WEEK) -> np.ndarray:
    """``d[t] = y[t] - y[t - period]``, NaN where ``t < period``."""
    y = _series("y", y)
    period = _int("period", period)
    if period >= len(y):
        raise ValueError(f"period ({period}) must be shorter than the series ({len(y)})")
    d = np.full_like(y, np.nan)
    d[period:] = y[period:] - y[:-period]
    return d


def origins(start: int, end: int, horizon: int) -> np.ndarray:
    """Every origin whose ``horizon`` forecast values lie in ``[start, end)``."""
    start, end, horizon = _int("start", start, 0), _int("end", end), _int("horizon", horizon)
    if end - start < horizon:
        raise ValueError(f"[start, end) = [{start}, {end}) is shorter than horizon {horizon}")
    return np.arange(start, end - horizon + 1)


def targets(y, at: np.ndarray, horizon: int) -> np.ndarray:
    """``y[t:t + horizon]`` for each origin ``t`` in ``at``: shape ``(len(at), horizon)``."""
    y = _series("y", y)
    horizon = _int("horizon", horizon)
    at = _origins(at, 0, len(y) - horizon,
                  f"origins must leave {horizon} values inside the series of {len(y)}")
    return y[at[:, None] + np.arange(horizon)]


def undifference(y, at: np.ndarray, d_forecast, period: int = WEEK) -> np.ndarray:
    """Forecasts of ``y`` from forecasts of its week-over-week change.

    ``y[t + h] = y[t + h - period] + d[t + h]``; the first term is known at origin ``t``
    as long as ``h < period``.
    """
    y = _series("y", y)
    period = _int("period", period)
    at = _origins(at, period, len(y), f"origins must be >= period ({period}), whose "
                  f"values before them are known")
    d_forecast = np.asarray(d_forecast, dtype="float64")
    if d_forecast.ndim != 2 or len(d_forecast) != len(at):
        raise ValueError(f"d_forecast must have shape (len(at), horizon) = ({len(at)}, h), "
                         f"got {d_forecast.shape}")
    horizon = d_forecast.shape[1]
    if horizon >= period:
        raise ValueError(f"horizon ({horizon}) must be shorter than period ({period})")
    return y[at[:, None] + np.arange(horizon) - period] + d_forecast


def baseline_forecasts(y, at: np.ndarray, horizon: int, period: int = WEEK) -> dict:
    """Three forecasts that need no training, each of shape ``(len(at), horizon)``.

    - ``naive``: the last value, repeated;
    - ``seasonal naive``: the value one ``period`` earlier;
    - ``seasonal naive + last change``: that, shifted by the latest week-over-week change
      (the forecast of ``d`` is its last value).
    """
    y = _series("y", y)
    period = _int("period", period)
    at = _origins(at, period, len(y), f"the seasonal forecasts read the value one period "
                  f"({period}) before each origin")
    horizon = _int("horizon", horizon)
    last = np.repeat(y[at - 1][:, None], horizon, axis=1)
    zero = np.zeros((len(at), horizon))
    d = seasonal_difference(y, period)
    change = np.repeat(d[at - 1][:, None], horizon, axis=1)
    return {
        "naive": last,
        "seasonal naive": undifference(y, at, zero, period),
        "seasonal naive + last change": undifference(y, at, change, period),
    }


def ar_forecasts(d, at: np.ndarray, horizon: int, const: float, coefs) -> np.ndarray:
    """Forecasts of ``d[t:t + horizon]`` by an AR(p) model, from every origin at once.

    ``d[t] = const + coefs[0] * d[t - 1] + ... + coefs[p - 1] * d[t - p]``, iterated:
    each forecast becomes the input of the next one. Shape ``(len(at), horizon)``.
    """
    d = _series("d", d)
    coefs = np.asarray(coefs, dtype="float64")
    if coefs.ndim != 1 or len(coefs) == 0:
        raise ValueError(f"coefs must be a non-empty 1-D array, got shape {coefs.shape}")
    _finite_array("coefs", coefs)
    _finite_array("const", const)
    p = len(coefs)
    at = _origins(at, p, len(d), f"an AR({p}) model reads the {p} values of d before "
                  f"each origin")
    lagged = d[at[:, None] - 1 - np.arange(p)]  # column i holds d[t - 1 - i]
    if np.isnan(lagged).any():
        raise ValueError(f"origins need {p} known values of d before them")
    out = np.empty((len(at), _int("horizon", horizon)))
    for h in range(horizon):
        out[:, h] = const + lagged @ coefs
        lagged = np.concatenate([out[:, h:h + 1], lagged[:, :-1]], axis=1)
    return out


def mae_by_horizon(Y_true, Y_pred) -> np.ndarray:
    """Mean absolute error at each step ahead: shape ``(horizon,)``."""
    Y_true, Y_pred = np.asarray(Y_true), np.asarray(Y_pred)
    if Y_true.shape != Y_pred.shape or Y_true.ndim != 2:
        raise ValueError(f"Y_true and Y_pred must be 2-D arrays of one shape, got "
                         f"{Y_true.shape} and {Y_pred.shape}")
    return np.abs(Y_true - Y_pred).mean(axis=0)


class Scaler:
    """Standardise with a mean and standard deviation fitted on training values only."""

    def __init__(self, values) -> None:
        values = _series("values", values)
        values = values[~np.isnan(values)]  # d's first week
        if np.isinf(values).any():
            raise ValueError("values must be finite numbers (NaN ones are left out), got "
                             "an infinity")
        self.mean = float(values.mean())
        self.std = float(values.std())
        if not self.std > 0:
            raise ValueError("values must not be constant")

    def transform(self, values):
        return (np.asarray(values, dtype="float64") - self.mean) / self.std

    def inverse(self, values):
        return np.asarray(values, dtype="float64") * self.std + self.mean

    def __repr__(self) -> str:
        return f"Scaler(mean={self.mean:.1f}, std={self.std:.1f})"


CALENDAR = ("day sin", "day cos", "week sin", "week cos")
"""The columns of :func:`calendar_features`."""


def calendar_features(times) -> pd.DataFrame:
    """Time of day and day of week as sine/cosine pairs: one row per time stamp.

    The day's phase is the time since midnight over 24 hours, the week's the time since
    Monday 00:00 over 7 days; each phase ``f`` becomes ``(sin 2 pi f, cos 2 pi f)``, a
    point on a circle, so 23:30 lies next to 00:00 and Sunday night next to Monday
    morning. Columns :data:`CALENDAR`, values in [-1, 1]. They depend on the time stamps
    only, so they are known for any future time.
    """
    if not isinstance(times, pd.DatetimeIndex):
        raise TypeError(f"times must be a pandas DatetimeIndex, got {type(times).__name__}")
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
    values = np.asarray(values, dtype="float32")
    if values.ndim != 1:
        raise ValueError(f"values must be a 1-D series, got shape {values.shape}")
    columns = values[:, None]
    if covariates is not None:
        covariates = np.asarray(covariates, dtype="float32")
        if covariates.ndim != 2 or len(covariates) != len(values):
            raise ValueError(f"covariates must have shape (len(values), k) = "
                             f"({len(values)}, k), got {covariates.shape}")
        columns = np.concatenate([columns, covariates], axis=1)
    n_steps, horizon = _int("n_steps", n_steps), _int("horizon", horizon)
    origins(start, end, horizon)  # checks the range
    if start < n_steps or end > len(values):
        raise ValueError(f"need start >= n_steps ({n_steps}) and end <= {len(values)}, got "
                         f"start={start}, end={end}")
    segment = columns[start - n_steps:end]
    if np.isnan(segment).any():
        raise ValueError("values or covariates contain NaN inside the windows (start too "
                         "early?)")
    dataset = keras.utils.timeseries_dataset_from_array(
        segment, None, sequence_length=n_steps + horizon, batch_size=batch_size,
        shuffle=shuffle, seed=seed, sequence_stride=_int("stride", stride))
    return dataset.map(lambda w: (w[:, :n_steps], w[:, n_steps:, 0]))


MODELS = ("linear", "deep_rnn", "lstm", "gru", "conv_gru", "wavenet")
LABELS = {
    "linear": "Linear (Flatten + Dense)",
    "deep_rnn": "Deep RNN (SimpleRNN 32-32)",
    "lstm": "LSTM 32-32",
    "gru": "GRU 32-32",
    "conv_gru": "Conv1D (stride 2) + GRU 32-32",
    "wavenet": "WaveNet (ReLU, rates 1-64)",
}


def build_model(kind: str, n_steps: int, horizon: int, *, units: int = 32,
                channels: int = 1) -> keras.Model:
    """One of the course's architectures, reading ``n_steps`` values, writing ``horizon``.

    Each ends in ``Dense(horizon)``: a sequence-to-vector forecaster of the whole next
    stretch (notebook 03's direct approach). ``channels``: inputs per step (1 + the
    number of covariates).
    """
    if kind not in MODELS:
        raise ValueError(f"kind must be one of {MODELS}, got {kind!r}")
    n_steps, horizon, units = _int("n_steps", n_steps), _int("horizon", horizon), \
        _int("units", units)
    layers = keras.layers
    inputs = keras.Input(shape=(n_steps, _int("channels", channels)))
    if kind == "linear":
        x = layers.Flatten()(inputs)
    elif kind == "deep_rnn":
        x = layers.SimpleRNN(units, return_sequences=True)(inputs)
        x = layers.SimpleRNN(units)(x)
    elif kind in ("lstm", "gru"):
        recurrent = layers.LSTM if kind == "lstm" else layers.GRU
        x = recurrent(units, return_sequences=True)(inputs)
        x = recurrent(units)(x)
    elif kind == "conv_gru":
        if n_steps < 4:
            raise ValueError(f"conv_gru needs n_steps >= 4, got {n_steps}")
        x = layers.Conv1D(units, kernel_size=4, strides=2, activation="relu")(inputs)
        x = layers.GRU(units, return_sequences=True)(x)
        x = layers.GRU(units)(x)
    else:  # wavenet: doubling dilations until the receptive field covers the window
        x = inputs
        rate = 1
        while rate < n_steps:
            x = layers.Conv1D(16, kernel_size=2, padding="causal", dilation_rate=rate,
                              activation="relu")(x)
            rate *= 2
        x = x[:, -1]
    outputs = layers.Dense(horizon)(x)
    return keras.Model(inputs, outputs, name=kind)


@dataclass(frozen=True)
class Demand:
    """The series, its week-over-week change, the split and the scaler, ready to model."""

    y: np.ndarray
    times: pd.DatetimeIndex
    d: np.ndarray
    scaler: Scaler
    """Fitted on the training part of ``d`` only."""
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
    if not isinstance(series, pd.Series):
        raise TypeError(f"series must be a pandas Series, got {type(series).__name__}")
    y = series.to_numpy(dtype="float64")
    train_end, valid_end = split_points(len(y))
    d = seasonal_difference(y)
    return Demand(y=y, times=series.index, d=d, scaler=Scaler(d[WEEK:train_end]),
                  train_end=train_end, valid_end=valid_end)


@dataclass
class Fit:
    """What :func:`fit_forecaster` returns."""

    model: keras.Model
    history: dict
    seconds: float
    at: np.ndarray
    """Test origins."""
    forecast: np.ndarray
    """Forecasts of ``y`` (MW) from each test origin: shape ``(len(at), horizon)``."""


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
    import time

    from helpers import training

    if not isinstance(demand, Demand):
        raise TypeError(f"demand must be a Demand (from prepare()), got {type(demand).__name__}")
    epochs = _int("epochs", epochs)
    seed = PROFILE.seed if seed is None else _int("seed", seed, 0)
    if n_steps + WEEK > demand.train_end - horizon:
        raise ValueError(f"n_steps={n_steps} leaves no training window")
    if covariates is not None:
        covariates = _finite_array("covariates", covariates).astype("float64")
        if covariates.ndim != 2 or len(covariates) != len(demand.y):
            raise ValueError(f"covariates must have shape (len(demand.y), k) = "
                             f"({len(demand.y)}, k), got {covariates.shape}")
    z, extra = demand.z, 0 if covariates is None else covariates.shape[1]
    train = windows(z, n_steps, horizon, start=WEEK + n_steps, end=demand.train_end,
                    batch_size=batch_size, shuffle=True, seed=seed, stride=stride,
                    covariates=covariates)
    valid = windows(z, n_steps, horizon, start=demand.train_end, end=demand.valid_end,
                    batch_size=256, covariates=covariates)
    at = demand.test_origins(horizon)
    test = windows(z, n_steps, horizon, start=demand.valid_end, end=len(z), batch_size=256,
                   covariates=covariates)

    training.set_seed(seed)
    model = build_model(kind, n_steps, horizon, channels=1 + extra)
    training.compile_model(model, learning_rate=learning_rate)
    callbacks = list(callbacks)
    if patience is not None:
        callbacks.append(keras.callbacks.EarlyStopping(
            patience=_int("patience", patience), restore_best_weights=True))
    start = time.perf_counter()
    history = model.fit(train, validation_data=valid, epochs=epochs, shuffle=False,
                        callbacks=callbacks, verbose=0)
    seconds = time.perf_counter() - start
    d_hat = demand.scaler.inverse(model.predict(test, verbose=0))
    return Fit(model=model, history=history.history, seconds=seconds, at=at,
               forecast=undifference(demand.y, at, d_hat))


def fit_ar(demand: Demand, lags: int):
    """statsmodels' ``AutoReg`` with a constant, fitted to the training weeks of ``d``.

    An AR(p) model of the week-over-week change is a seasonal ARIMA
    (p, 0, 0)(0, 1, 0) with a weekly season. Returns the fitted results object; its
    ``params`` are ``[const, coef_1, ..., coef_p]``.
    """
    from statsmodels.tsa.ar_model import AutoReg

    if not isinstance(demand, Demand):
        raise TypeError(f"demand must be a Demand (from prepare()), got {type(demand).__name__}")
    lags = _int("lags", lags)
    return AutoReg(demand.d[WEEK:demand.train_end], lags=lags, trend="c").fit()


BASELINES = ("naive", "seasonal naive", "seasonal naive + last change")
FORECASTERS = BASELINES + ("SARIMA",) + MODELS
"""Everything :func:`forecast_test` can run: baselines, the AR model, the networks."""


def forecast_test(kind: str, demand: Demand, *, n_steps: int, horizon: int, epochs: int,
                  callbacks=(), calendar: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Test origins and forecasts (MW) of any of :data:`FORECASTERS` (the widget's logic).

    ``n_steps`` is the window a network reads, and the AR order of ``"SARIMA"``; the
    baselines ignore it and ``epochs``. Networks train without early stopping, and with
    ``calendar`` read :func:`calendar_features` too (the others ignore it).
    """
    if kind not in FORECASTERS:
        raise ValueError(f"kind must be one of {FORECASTERS}, got {kind!r}")
    if not isinstance(calendar, bool):
        raise TypeError(f"calendar must be a bool, got {type(calendar).__name__}")
    horizon = _int("horizon", horizon)
    if horizon > DAY:
        raise ValueError(f"horizon must be <= {DAY} (one day), got {horizon}")
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

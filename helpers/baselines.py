"""Baselines every model must beat, and the floor no model can beat.

- :func:`naive_forecast`: predict that the series stays at its last value.
- :func:`noise_floor`: the variance of the generator's uniform noise, ``noise**2 / 12``;
  even a model that knew the two sine waves exactly could not get a lower MSE.
- :func:`compare_on_fresh_series`: the logic behind notebook 01's widget (fresh series at
  a chosen noise level, every model's forecast and MSE), kept here so tests can call it.
- :func:`chain_forecasts`: feed a model's forecasts back to it to forecast further ahead
  (notebook 03's iterative and chained forecasts).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from helpers import checks
from helpers.data import generate_time_series, one_step
from helpers.profile import PROFILE

Forecaster = Callable[[np.ndarray], np.ndarray]

SEED_OFFSET = 1982  # offset of compare_on_fresh_series' default seed from the run's seed


def naive_forecast(X: np.ndarray, ahead: int = 1) -> np.ndarray:
    """Repeat each series' last input value ``ahead`` times: shape ``[batch, ahead]``."""
    if checks.instance("X", X, np.ndarray, "a NumPy array").ndim != 3:
        raise ValueError(f"X must have shape [batch, time steps, features], got {X.shape}")
    return np.repeat(X[:, -1, :1], checks.integer("ahead", ahead), axis=1)


def mse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean squared error of two arrays of the same shape, as a Python float."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {y_true.shape} "
                         f"and {y_pred.shape}")
    return float(np.mean(np.square(y_true.astype(np.float64) - y_pred)))


def noise_floor(noise: float = 0.1) -> float:
    """Variance of the uniform noise ``noise * (U(0,1) - 0.5)``: ``noise**2 / 12``."""
    return checks.number("noise", noise, 0) ** 2 / 12


@dataclass
class Comparison:
    """What :func:`compare_on_fresh_series` measured, ready to plot: the displayed series'
    inputs ``x`` (shape ``[n_steps]``) and true next value ``y``, each model's forecast of
    that value, each model's MSE over all the fresh series, and the noise floor."""

    x: np.ndarray
    y: float
    forecasts: dict[str, float] = field(default_factory=dict)
    mse: dict[str, float] = field(default_factory=dict)
    floor: float = 0.0


def compare_on_fresh_series(models: Mapping[str, Forecaster], *, noise: float = 0.1,
                            series_index: int = 0, n_series: int = 500, n_steps: int = 50,
                            seed: int | None = None) -> Comparison:
    """Forecast fresh series at a given noise level with the naive forecast and ``models``.

    ``models`` maps a name to a function from inputs ``[batch, n_steps, 1]`` to forecasts
    ``[batch, 1]`` (for a Keras model: ``lambda X: model.predict(X, verbose=0)``). The
    series are the same for every noise level (same seed): only the noise is rescaled.
    Returns the ``series_index``-th series with every forecast, and each model's MSE over
    the ``n_series`` series. ``seed`` defaults to ``PROFILE.seed_for(SEED_OFFSET)``
    (2024 with the default run seed, 42), so the series change with ``$COURSE_SEED``.
    """
    for name, fn in checks.instance("models", models, Mapping, "a mapping of name -> "
                                    "forecast function").items():
        checks.instance(f"models[{name!r}]", fn, Callable, "callable")
    n_series = checks.integer("n_series", n_series)
    series_index = checks.integer("series_index", series_index, 0, n_series - 1)
    seed = PROFILE.seed_for(SEED_OFFSET) if seed is None else seed
    X, y = one_step(generate_time_series(n_series, n_steps + 1, seed=seed, noise=noise), n_steps)
    result = Comparison(x=X[series_index, :, 0], y=float(y[series_index, 0]),
                        floor=noise_floor(noise))
    for name, fn in {"naive": naive_forecast, **models}.items():
        y_pred = np.asarray(fn(X), dtype=np.float32)
        if y_pred.size != y.size:
            raise ValueError(f"models[{name!r}] returned shape {y_pred.shape} for inputs of "
                             f"shape {X.shape}; expected one forecast per series {y.shape}")
        y_pred = y_pred.reshape(y.shape)
        result.forecasts[name] = float(y_pred[series_index, 0])
        result.mse[name] = mse(y, y_pred)
    return result


def chain_forecasts(predict: Forecaster, X: np.ndarray, total: int) -> np.ndarray:
    """Forecast ``total`` values by feeding a model's forecasts back to it as inputs.

    ``predict`` maps input windows ``[batch, n_steps, 1]`` to forecasts of the next ``k``
    values, ``[batch, k]`` (``k = 1`` for a one-step model, ``k = 10`` for a 10-step one;
    for a Keras model: ``lambda X: model.predict(X, verbose=0)``). Each round appends the
    ``k`` forecasts to the window and drops its ``k`` oldest values, so the model always
    sees ``n_steps`` values, as in training. Rounds repeat until ``total`` values exist;
    the last round's extra values are cut. Returns ``[batch, total]``.
    """
    checks.instance("predict", predict, Callable, "callable")
    if checks.instance("X", X, np.ndarray, "a NumPy array").ndim != 3 or X.shape[-1] != 1:
        raise ValueError(f"X must have shape [batch, time steps, 1], got {X.shape}")
    if X.shape[1] == 0:  # window[:, -0:] would keep the whole, growing window
        raise ValueError(f"X must have at least one time step, got shape {X.shape}")
    total = checks.integer("total", total)
    n_batch, n_steps = X.shape[:2]
    window, chunks = X.astype(np.float32, copy=True), []
    while sum(chunk.shape[1] for chunk in chunks) < total:
        forecast = np.asarray(predict(window), dtype=np.float32)
        if forecast.ndim == 3 and forecast.shape[-1] == 1:
            forecast = forecast[..., 0]
        if forecast.ndim != 2 or forecast.shape[0] != n_batch or forecast.shape[1] < 1:
            raise ValueError(f"predict must return forecasts of shape [batch, k] = "
                             f"[{n_batch}, k] with k >= 1, got shape {forecast.shape}")
        chunks.append(forecast)
        window = np.concatenate([window, forecast[..., np.newaxis]], axis=1)[:, -n_steps:]
    return np.concatenate(chunks, axis=1)[:, :total]

"""The oracle: forecasts from the generating family itself, fitted to each series.

Every series of :func:`helpers.data.generate_time_series` is

    0.5 sin((t - o1) w1) + 0.2 sin((t - o2) w2) + noise,

with ``w1`` in [10, 20], ``w2`` in [20, 40] and offsets ``o1``, ``o2`` in [0, 1]. A model
that knew this formula could fit the four unknowns to the 50 observed values by least
squares and extend the fitted curve into the future. Its error is an achievable one,
not a limit: the fit inherits the noise of the 50 values, and a forecaster that also
used how the generator draws the frequencies and offsets could do better. The limit is
the noise floor (the noise's variance, ``noise**2 / 12``); the best possible error lies
between the two.

:func:`fit` finds the four unknowns of each series in two stages: a grid over the two
frequencies, where the rest of the problem is linear (each sine is a sum of a sine and a
cosine with free weights), then SciPy's nonlinear least squares from the best few grid
points. :func:`forecast` extends the fitted curves.
"""

import numpy as np

from helpers import checks

AMPLITUDES = (0.5, 0.2)
W1_RANGE = (10.0, 20.0)
W2_RANGE = (20.0, 40.0)


def family(params: np.ndarray, time: np.ndarray) -> np.ndarray:
    """The noiseless series for ``params`` ``[batch, 4]`` = (w1, o1, w2, o2) at ``time``."""
    params = np.asarray(params, dtype=np.float64)
    if params.ndim != 2 or params.shape[1] != 4:
        raise ValueError(f"params must have shape [batch, 4], got {params.shape}")
    w1, o1, w2, o2 = (params[:, j:j + 1] for j in range(4))
    time = np.asarray(time, dtype=np.float64)[np.newaxis]
    return (AMPLITUDES[0] * np.sin((time - o1) * w1)
            + AMPLITUDES[1] * np.sin((time - o2) * w2))


def _grid_starts(x: np.ndarray, time: np.ndarray, n_starts: int, grid: int) -> np.ndarray:
    """Best ``n_starts`` (w1, o1, w2, o2) per series from a frequency grid: [batch, n, 4]."""
    w1s = np.linspace(*W1_RANGE, grid)
    w2s = np.linspace(*W2_RANGE, 2 * grid - 1)
    W1, W2 = (a.ravel() for a in np.meshgrid(w1s, w2s, indexing="ij"))
    t = time[np.newaxis, :]
    basis = np.stack([np.sin(W1[:, None] * t), np.cos(W1[:, None] * t),
                      np.sin(W2[:, None] * t), np.cos(W2[:, None] * t)], axis=-1)
    Q, R = np.linalg.qr(basis)  # [pairs, steps, 4], [pairs, 4, 4]
    projected = np.einsum("pti,bt->pbi", Q, x)  # [pairs, batch, 4]
    explained = (projected ** 2).sum(axis=-1)  # larger = smaller residual
    best = np.argsort(-explained, axis=0)[:n_starts]  # [n, batch]
    starts = np.empty((x.shape[0], n_starts, 4))
    for n in range(n_starts):
        pair = best[n]
        coef = np.linalg.solve(R[pair], projected[pair, np.arange(x.shape[0])][..., None])
        a1, b1, a2, b2 = coef[..., 0].T
        # a sin(wt) + b cos(wt) = A sin(wt - wo) with wo = atan2(-b, a)
        starts[:, n] = np.stack([W1[pair], np.arctan2(-b1, a1) / W1[pair],
                                 W2[pair], np.arctan2(-b2, a2) / W2[pair]], axis=1)
    return starts


def fit(X, time_step: float, *, n_starts: int = 3, grid: int = 21) -> np.ndarray:
    """Least-squares (w1, o1, w2, o2) of each series of ``X`` ``[batch, steps(, 1)]``.

    ``time_step`` is the time between two steps (``1 / 59`` for the book's 60-step
    series). Each fit starts from the ``n_starts`` best points of a ``grid`` x
    ``2 grid - 1`` frequency grid and keeps the lowest residual.
    """
    from scipy.optimize import least_squares

    x = _series(X)
    time = np.arange(x.shape[1]) * checks.number("time_step", time_step, above=0)
    starts = _grid_starts(x, time, checks.integer("n_starts", n_starts),
                          checks.integer("grid", grid))
    lower = [W1_RANGE[0], -np.inf, W2_RANGE[0], -np.inf]
    upper = [W1_RANGE[1], np.inf, W2_RANGE[1], np.inf]
    params = np.empty((len(x), 4))
    for i, series in enumerate(x):
        best_cost = np.inf
        for start in starts[i]:
            start = np.clip(start, np.add(lower, 1e-9), np.subtract(upper, 1e-9))
            result = least_squares(
                lambda p, target=series: family(p[np.newaxis], time)[0] - target, start,
                bounds=(lower, upper), method="trf")
            if result.cost < best_cost:
                best_cost, params[i] = result.cost, result.x
    return params


def forecast(X, ahead: int, *, time_step: float | None = None, **fit_kwargs) -> np.ndarray:
    """Forecast the ``ahead`` values after each series of ``X``: ``[batch, ahead]``.

    ``time_step`` defaults to the book's convention, where the series *with* its
    ``ahead`` future values spans [0, 1]: ``1 / (steps + ahead - 1)``.
    """
    x = _series(X)
    ahead, n_steps = checks.integer("ahead", ahead), x.shape[1]
    time_step = 1 / (n_steps + ahead - 1) if time_step is None else time_step
    future = np.arange(n_steps, n_steps + ahead) * checks.number("time_step", time_step,
                                                                 above=0)
    return family(fit(x, time_step, **fit_kwargs), future).astype(np.float32)


def _series(X) -> np.ndarray:
    x = np.asarray(X, dtype=np.float64)
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 2 or x.shape[1] < 5:
        raise ValueError(f"X must have shape [batch, steps] or [batch, steps, 1] with at "
                         f"least 5 steps, got {np.shape(X)}")
    return x


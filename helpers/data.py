"""The chapter's synthetic time series, its train/valid/test split, and its targets.

Every series is the sum of two sine waves with random frequencies and phases plus
uniform noise (SYLLABUS section 5)::

    0.5 sin((t - o1)(10 f1 + 10)) + 0.2 sin((t - o2)(20 f2 + 20)) + noise (U(0,1) - 0.5)

with ``t`` in ``linspace(0, 1, n_steps)``, ``f1, f2, o1, o2 ~ U(0, 1)`` per series and
``noise = 0.1`` in the book. Arrays follow Keras' recurrent-layer convention
``[batch, time steps, features]``, in float32.

Three kinds of target are used in the course:

========== ========================= ======================================
kind        target shape              meaning
========== ========================= ======================================
one_step    ``[batch, 1]``            the value right after the input window
vector      ``[batch, ahead]``        the next ``ahead`` values (seq-to-vector)
sequence    ``[batch, n_steps, ahead]`` at *every* input step t, the ``ahead``
                                      values after t (seq-to-seq)
========== ========================= ======================================
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Literal, NamedTuple

import numpy as np

from helpers.profile import PROFILE, Profile

TargetKind = Literal["one_step", "vector", "sequence"]
TARGET_KINDS: tuple[str, ...] = ("one_step", "vector", "sequence")


def _positive_int(name: str, value: object, *, at_most: int | None = None) -> int:
    """``value`` as an int >= 1 (and <= ``at_most`` when given), else an error naming it."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r})")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    if at_most is not None and value > at_most:
        raise ValueError(f"{name} must be at most {at_most:,}, got {value:,}")
    return int(value)


def _non_negative_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r})")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return int(value)


def _finite_array(name: str, array: object) -> np.ndarray:
    """``array`` as a NumPy array of numbers, none of them NaN or infinite.

    A NaN or an infinity in a model's inputs or targets spreads to every weight in one
    training step, and to every loss after it: better to say where it is at once.
    """
    array = np.asarray(array)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    bad = ~np.isfinite(array)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must hold finite numbers, but {int(bad.sum()):,} of its "
                         f"{array.size:,} values are NaN or infinite (the first, "
                         f"{name}[{', '.join(map(str, where))}], is {array[where]})")
    return array


def _series_array(name: str, series: object) -> np.ndarray:
    if not isinstance(series, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array, got {type(series).__name__}")
    if series.ndim != 3 or series.shape[-1] != 1:
        raise ValueError(
            f"{name} must have shape [batch, time steps, 1] (rank 3, one feature), "
            f"got shape {series.shape}"
        )
    return series


def generate_time_series(
    batch_size: int,
    n_steps: int,
    *,
    seed: int | None = None,
    noise: float = 0.1,
    time_step: float | None = None,
) -> np.ndarray:
    """Generate ``batch_size`` series of ``n_steps`` values, shape ``[batch, n_steps, 1]``.

    ``seed`` makes the result reproducible (same seed, identical array); ``noise`` is the
    width of the uniform noise (0.1 in the book; its variance is ``noise**2 / 12``).

    As in the book, each series spans the time interval [0, 1] whatever its length, so a
    longer series is sampled more finely. ``time_step`` instead fixes the time between
    two steps (the series spans ``[0, (n_steps - 1) * time_step]``): with
    ``time_step=1 / 59``, a series of any length moves at the pace of the book's 60-step
    series (50 inputs and 10 targets), and its first 60 values are drawn from the same
    distribution as those.
    """
    batch_size = _positive_int("batch_size", batch_size)
    n_steps = _positive_int("n_steps", n_steps)
    if seed is not None:
        _non_negative_int("seed", seed)
    if isinstance(noise, bool) or not isinstance(noise, Real):
        raise TypeError(f"noise must be a number, got {type(noise).__name__} ({noise!r})")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")

    if time_step is not None:
        if isinstance(time_step, bool) or not isinstance(time_step, Real):
            raise TypeError(f"time_step must be a number or None, got "
                            f"{type(time_step).__name__} ({time_step!r})")
        if not np.isfinite(time_step) or time_step <= 0:
            raise ValueError(f"time_step must be a finite number > 0, got {time_step}")

    rng = np.random.default_rng(seed)
    freq1, freq2, offsets1, offsets2 = rng.random((4, batch_size, 1))
    if time_step is None:
        time = np.linspace(0, 1, n_steps)
    else:
        time = np.arange(n_steps) * time_step
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += noise * (rng.random((batch_size, n_steps)) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


def split(
    array: np.ndarray, n_train: int, n_valid: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split along the first axis: the first ``n_train`` rows, the next ``n_valid``, the rest."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"array must be a NumPy array, got {type(array).__name__}")
    n_train = _positive_int("n_train", n_train)
    n_valid = _positive_int("n_valid", n_valid)
    if n_train + n_valid >= len(array):
        raise ValueError(
            f"n_train + n_valid ({n_train} + {n_valid}) must be smaller than the number "
            f"of rows ({len(array)}) so that the test set is not empty"
        )
    return array[:n_train], array[n_train : n_train + n_valid], array[n_train + n_valid :]


def _check_lengths(series: np.ndarray, n_steps: int, needed: int, what: str) -> None:
    if series.shape[1] < needed:
        raise ValueError(
            f"series has {series.shape[1]} time steps, but n_steps={n_steps} {what} "
            f"needs at least {needed}"
        )


def one_step(series: np.ndarray, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``series[:, :n_steps]`` and the next value as target, shape ``[batch, 1]``."""
    series = _series_array("series", series)
    n_steps = _positive_int("n_steps", n_steps)
    _check_lengths(series, n_steps, n_steps + 1, "plus a one-step target")
    return series[:, :n_steps], series[:, n_steps]


def vector_targets(
    series: np.ndarray, n_steps: int, ahead: int
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``series[:, :n_steps]`` and the next ``ahead`` values, shape ``[batch, ahead]``."""
    series = _series_array("series", series)
    n_steps = _positive_int("n_steps", n_steps)
    ahead = _positive_int("ahead", ahead)
    _check_lengths(series, n_steps, n_steps + ahead, f"plus a horizon of ahead={ahead}")
    return series[:, :n_steps], series[:, n_steps : n_steps + ahead, 0]


def sequence_targets(
    series: np.ndarray, n_steps: int, ahead: int
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``series[:, :n_steps]`` and, for every input step, the next ``ahead`` values.

    ``Y[b, t, i] == series[b, t + 1 + i, 0]``: shape ``[batch, n_steps, ahead]``. The last
    time step's target, ``Y[:, -1]``, is the same as :func:`vector_targets`' target.
    """
    series = _series_array("series", series)
    n_steps = _positive_int("n_steps", n_steps)
    ahead = _positive_int("ahead", ahead)
    _check_lengths(series, n_steps, n_steps + ahead, f"plus a horizon of ahead={ahead}")
    windows = np.lib.stride_tricks.sliding_window_view(series[:, 1:, 0], ahead, axis=1)
    return series[:, :n_steps], np.ascontiguousarray(windows[:, :n_steps])


class Splits(NamedTuple):
    """Inputs and targets of the three sets (unpacks in this order)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def load(
    kind: TargetKind = "one_step",
    *,
    profile: Profile | None = None,
    seed: int | None = None,
    noise: float = 0.1,
) -> Splits:
    """Generate the course data set of one target ``kind`` and split it.

    Sizes come from ``profile`` (default: the active :data:`~helpers.profile.PROFILE`):
    ``n_series`` series of ``n_steps`` inputs (plus 1 or ``ahead`` target steps), split
    ``n_train`` / ``n_valid`` / rest. The same ``seed`` gives the same arrays.
    """
    if kind not in TARGET_KINDS:
        raise ValueError(f"kind must be one of {TARGET_KINDS}, got {kind!r}")
    profile = PROFILE if profile is None else profile
    if not isinstance(profile, Profile):
        raise TypeError(f"profile must be a helpers.profile.Profile, got {type(profile).__name__}")
    seed = profile.seed if seed is None else seed
    n_steps, ahead = profile.n_steps, profile.ahead
    extra = 1 if kind == "one_step" else ahead
    series = generate_time_series(profile.n_series, n_steps + extra, seed=seed, noise=noise)
    if kind == "one_step":
        X, y = one_step(series, n_steps)
    elif kind == "vector":
        X, y = vector_targets(series, n_steps, ahead)
    else:
        X, y = sequence_targets(series, n_steps, ahead)
    X_train, X_valid, X_test = split(X, profile.n_train, profile.n_valid)
    y_train, y_valid, y_test = split(y, profile.n_train, profile.n_valid)
    return Splits(X_train, y_train, X_valid, y_valid, X_test, y_test)

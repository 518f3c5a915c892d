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

from collections import namedtuple

import numpy as np

from helpers import checks
from helpers.profile import PROFILE, Profile

TARGET_KINDS = ("one_step", "vector", "sequence")


def generate_time_series(batch_size: int, n_steps: int, *, seed: int | None = None,
                         noise: float = 0.1, time_step: float | None = None) -> np.ndarray:
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
    batch_size = checks.integer("batch_size", batch_size)
    n_steps = checks.integer("n_steps", n_steps)
    if seed is not None:
        checks.integer("seed", seed, 0)
    checks.number("noise", noise, 0)
    if time_step is not None:
        checks.number("time_step", time_step, above=0)
    rng = np.random.default_rng(seed)
    freq1, freq2, offsets1, offsets2 = rng.random((4, batch_size, 1))
    time = np.linspace(0, 1, n_steps) if time_step is None else np.arange(n_steps) * time_step
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += noise * (rng.random((batch_size, n_steps)) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


def split(array: np.ndarray, n_train: int, n_valid: int
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split along the first axis: the first ``n_train`` rows, the next ``n_valid``, the rest."""
    checks.instance("array", array, np.ndarray, "a NumPy array")
    n_train = checks.integer("n_train", n_train)
    n_valid = checks.integer("n_valid", n_valid)
    if n_train + n_valid >= len(array):
        raise ValueError(f"n_train + n_valid ({n_train} + {n_valid}) must be smaller than the "
                         f"number of rows ({len(array)}) so that the test set is not empty")
    return array[:n_train], array[n_train : n_train + n_valid], array[n_train + n_valid :]


def _windows(series: np.ndarray, n_steps: int, ahead: int) -> tuple[int, int]:
    """The checked ``n_steps`` and ``ahead`` of a series that must hold both."""
    checks.instance("series", series, np.ndarray, "a NumPy array")
    if series.ndim != 3 or series.shape[-1] != 1:
        raise ValueError(f"series must have shape [batch, time steps, 1] (rank 3, one "
                         f"feature), got shape {series.shape}")
    n_steps, ahead = checks.integer("n_steps", n_steps), checks.integer("ahead", ahead)
    if series.shape[1] < n_steps + ahead:
        raise ValueError(f"series has {series.shape[1]} time steps, but n_steps={n_steps} "
                         f"plus ahead={ahead} needs at least {n_steps + ahead}")
    return n_steps, ahead


def one_step(series: np.ndarray, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``series[:, :n_steps]`` and the next value as target, shape ``[batch, 1]``."""
    n_steps, _ = _windows(series, n_steps, 1)
    return series[:, :n_steps], series[:, n_steps]


def vector_targets(series: np.ndarray, n_steps: int, ahead: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``series[:, :n_steps]`` and the next ``ahead`` values, shape ``[batch, ahead]``."""
    n_steps, ahead = _windows(series, n_steps, ahead)
    return series[:, :n_steps], series[:, n_steps : n_steps + ahead, 0]


def sequence_targets(series: np.ndarray, n_steps: int, ahead: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``series[:, :n_steps]`` and, for every input step, the next ``ahead`` values.

    ``Y[b, t, i] == series[b, t + 1 + i, 0]``: shape ``[batch, n_steps, ahead]``. The last
    time step's target, ``Y[:, -1]``, is the same as :func:`vector_targets`' target.
    """
    n_steps, ahead = _windows(series, n_steps, ahead)
    windows = np.lib.stride_tricks.sliding_window_view(series[:, 1:, 0], ahead, axis=1)
    return series[:, :n_steps], np.ascontiguousarray(windows[:, :n_steps])


# Inputs and targets of the three sets (unpacks in this order).
Splits = namedtuple("Splits", "X_train y_train X_valid y_valid X_test y_test")


def load(kind: str = "one_step", *, profile: Profile | None = None, seed: int | None = None,
         noise: float = 0.1) -> Splits:
    """Generate the course data set of one target ``kind`` (one of :data:`TARGET_KINDS`)
    and split it.

    Sizes come from ``profile`` (default: the active :data:`~helpers.profile.PROFILE`):
    ``n_series`` series of ``n_steps`` inputs (plus 1 or ``ahead`` target steps), split
    ``n_train`` / ``n_valid`` / rest. The same ``seed`` gives the same arrays.
    """
    checks.choice("kind", kind, TARGET_KINDS)
    profile = checks.instance("profile", PROFILE if profile is None else profile, Profile,
                              "a helpers.profile.Profile")
    n_steps, ahead = profile.n_steps, profile.ahead
    series = generate_time_series(profile.n_series, n_steps + (1 if kind == "one_step" else ahead),
                                  seed=profile.seed if seed is None else seed, noise=noise)
    X, y = (one_step(series, n_steps) if kind == "one_step" else
            (vector_targets if kind == "vector" else sequence_targets)(series, n_steps, ahead))
    sizes = profile.n_train, profile.n_valid
    return Splits(*(a for pair in zip(split(X, *sizes), split(y, *sizes)) for a in pair))

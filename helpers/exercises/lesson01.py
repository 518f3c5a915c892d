"""Checks for the exercises of notebook 01 (the data and the baselines).

Each check rebuilds the answer from the notebook's own data: ``data.load("one_step")``
with the active profile and seed (``$COURSE_PROFILE``, ``$COURSE_SEED``).
"""

from __future__ import annotations

import numpy as np

from helpers import data
from helpers.exercises import verdict
from helpers.profile import get_profile

__all__ = ["check_best_k", "check_lstsq_mse"]


def _splits():
    return data.load("one_step", profile=get_profile())


def mean_of_last_k_mse(X, y, k: int) -> float:
    """Validation MSE of the forecast 'mean of the last ``k`` inputs'."""
    return float(np.mean((X[:, -k:, 0].astype("float64").mean(axis=1) - y[:, 0]) ** 2))


def check_best_k(k) -> bool:
    """Exercise 1: the ``k`` whose 'mean of the last k inputs' forecast has the lowest
    validation MSE (``k`` from 1 to ``n_steps``)."""
    s = _splits()
    mses = [mean_of_last_k_mse(s.X_valid, s.y_valid, j) for j in range(1, s.X_valid.shape[1] + 1)]
    best = int(np.argmin(mses)) + 1
    return verdict(k, best, name="best k", rtol=0, hint=(
        "compute the validation MSE for every k from 1 to 50 and take the smallest; "
        "plot the MSE against k to see the trend"))


def lstsq_mse(n_last: int) -> float:
    """Validation MSE of the least-squares linear model on the last ``n_last`` inputs."""
    s = _splits()
    n_steps = s.X_train.shape[1]
    if isinstance(n_last, bool) or not isinstance(n_last, (int, np.integer)):
        raise TypeError(f"n_last must be an int, got {type(n_last).__name__}")
    if not 1 <= n_last <= n_steps:
        raise ValueError(f"n_last must be from 1 to {n_steps}, got {n_last}")

    def design(X):  # the last n_last inputs and a column of ones for the bias
        return np.c_[X[:, -n_last:, 0], np.ones(len(X))].astype("float64")

    weights, *_ = np.linalg.lstsq(design(s.X_train), s.y_train[:, 0].astype("float64"),
                                  rcond=None)
    return float(np.mean((design(s.X_valid) @ weights - s.y_valid[:, 0]) ** 2))


def check_lstsq_mse(mse, n_last: int = 50) -> bool:
    """Exercise 3: validation MSE of the linear model fitted by least squares on the
    training set's last ``n_last`` input steps (plus a bias)."""
    return verdict(mse, lstsq_mse(n_last), name=f"least-squares MSE, last {n_last} steps",
                   rtol=0.02, hint=(
                       "build A = [X_train[:, -n_last:, 0], ones], solve "
                       "np.linalg.lstsq(A, y_train[:, 0]), then compute the MSE of the "
                       "same product on the validation set"))

"""Checks for the exercises of notebook 01 (the data and the baselines).

Each check rebuilds the answer from the notebook's own data: ``data.load("one_step")``
with the active profile and seed (``$COURSE_PROFILE``, ``$COURSE_SEED``).
"""

import numpy as np

from helpers import checks, data
from helpers.exercises import verdict
from helpers.profile import get_profile


def _splits():
    return data.load("one_step", profile=get_profile())


def check_best_k(k) -> bool:
    """Exercise 1: the ``k`` whose 'mean of the last k inputs' forecast has the lowest
    validation MSE (``k`` from 1 to ``n_steps``)."""
    X, y = _splits()[2:4]  # the validation set
    mses = [np.mean((X[:, -j:, 0].astype("float64").mean(axis=1) - y[:, 0]) ** 2)
            for j in range(1, X.shape[1] + 1)]
    return verdict(k, int(np.argmin(mses)) + 1, name="best k", rtol=0, hint=(
        "compute the validation MSE for every k from 1 to 50 and take the smallest; "
        "plot the MSE against k to see the trend"))


def lstsq_mse(n_last: int) -> float:
    """Validation MSE of the least-squares linear model on the last ``n_last`` inputs."""
    s = _splits()
    n_last = checks.integer("n_last", n_last, 1, s.X_train.shape[1])

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

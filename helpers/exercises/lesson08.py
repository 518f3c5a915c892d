"""Checks for notebook 08's exercises (a real series: electricity demand).

Each ``check_...`` function recomputes the right answer from the series the notebook
uses (:func:`helpers.datasets.realdata.prepare` and the profile's
:func:`helpers.datasets.realdata.get_settings`)
and prints a verdict (:func:`helpers.exercises.verdict`); it returns ``True`` or ``False``.
None of them trains a network: their answers do not depend on the seed.
"""

from functools import lru_cache

from helpers import checks
from helpers.datasets import realdata
from helpers.datasets.realdata import CALENDAR, DAY, MODELS, WEEK
from helpers.exercises import verdict

__all__ = ["check_calendar_weights", "check_aic_order", "check_ar_mae"]


@lru_cache(maxsize=1)
def _demand() -> realdata.Demand:
    return realdata.prepare()


def check_calendar_weights(n, *, kind: str = "conv_gru") -> bool:
    """Exercise 1: the weights the calendar's channels add to network ``kind``."""
    checks.choice("kind", kind, MODELS)
    S = realdata.get_settings()

    def count(channels: int) -> int:
        return realdata.build_model(kind, S.n_steps, S.horizon,
                                    channels=channels).count_params()

    expected = count(1 + len(CALENDAR)) - count(1)
    return verdict(n, expected, name=f"weights the calendar adds to {kind}", rtol=0,
                   hint="only the first layer reads the inputs: each weight it has per "
                        "input channel now exists for 4 more channels.")


def check_aic_order(p, *, maxlag: int = 2 * DAY) -> bool:
    """Exercise 2: the AR order AIC picks when it may search up to ``maxlag`` lags."""
    from statsmodels.tsa.ar_model import ar_select_order

    maxlag = checks.integer("maxlag", maxlag)
    demand = _demand()
    order = ar_select_order(demand.d[WEEK:demand.train_end], maxlag=maxlag, ic="aic",
                            trend="c")
    return verdict(p, max(order.ar_lags), name=f"AIC's order (up to {maxlag})", rtol=0,
                   hint="ar_select_order(..., maxlag=maxlag, ic='aic', trend='c') on the "
                        "training weeks of d; the order is max(order.ar_lags).")


def check_ar_mae(mae, *, lags: int) -> bool:
    """Exercise 2: the next-day test MAE (MW) of the AR(``lags``) model of the change."""
    lags = checks.integer("lags", lags)
    demand = _demand()
    horizon = realdata.get_settings().horizon
    at = demand.test_origins(horizon)
    params = realdata.fit_ar(demand, lags).params
    d_hat = realdata.ar_forecasts(demand.d, at, horizon, params[0], params[1:])
    forecast = realdata.undifference(demand.y, at, d_hat)
    expected = realdata.mae_by_horizon(realdata.targets(demand.y, at, horizon), forecast)
    return verdict(mae, expected.mean(), name=f"AR({lags}) next-day MAE", rtol=0.01,
                   hint="fit_ar(demand, lags), ar_forecasts from every test origin, "
                        "undifference, then mae_by_horizon(...).mean().")

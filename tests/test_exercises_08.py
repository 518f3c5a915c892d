"""Notebook 08's exercise checks: the right answer passes, a wrong one fails (quick profile)."""

import numpy as np
import pytest

from helpers.datasets import realdata
from helpers.datasets.realdata import DAY
from helpers.exercises import lesson08


def test_calendar_weights():
    S = realdata.get_settings()
    assert lesson08.check_calendar_weights(4 * 4 * 32)  # Conv1D: kernel 4, 32 filters
    assert lesson08.check_calendar_weights(3 * 4 * 32, kind="gru")  # three gates
    assert lesson08.check_calendar_weights(4 * S.n_steps * S.horizon, kind="linear")
    assert not lesson08.check_calendar_weights(4 * 32)  # forgot the kernel's width
    assert not lesson08.check_calendar_weights(4 * 32, kind="gru")  # forgot the gates
    assert not lesson08.check_calendar_weights("many")
    with pytest.raises(ValueError, match="kind"):
        lesson08.check_calendar_weights(1, kind="transformer")


def test_aic_order():
    assert lesson08.check_aic_order(48, maxlag=DAY)  # the notebook's search
    assert lesson08.check_aic_order(50)  # AIC's optimum lies just past the notebook's range
    assert not lesson08.check_aic_order(2 * DAY)  # the top of the wider range: not picked
    with pytest.raises(TypeError, match="maxlag"):
        lesson08.check_aic_order(48, maxlag=96.0)


def test_ar_mae():
    demand = realdata.prepare()
    horizon = realdata.get_settings().horizon
    at = demand.test_origins(horizon)
    truth = realdata.targets(demand.y, at, horizon)
    params = realdata.fit_ar(demand, 50).params
    d_hat = realdata.ar_forecasts(demand.d, at, horizon, params[0], params[1:])
    mae = realdata.mae_by_horizon(truth, realdata.undifference(demand.y, at, d_hat)).mean()
    assert lesson08.check_ar_mae(mae, lags=50)
    assert not lesson08.check_ar_mae(mae, lags=48)  # another order, another error
    snaive = realdata.baseline_forecasts(demand.y, at, horizon)["seasonal naive"]
    assert not lesson08.check_ar_mae(realdata.mae_by_horizon(truth, snaive).mean(), lags=50)
    assert not lesson08.check_ar_mae(np.nan, lags=50)
    with pytest.raises(ValueError, match="lags"):
        lesson08.check_ar_mae(300.0, lags=0)

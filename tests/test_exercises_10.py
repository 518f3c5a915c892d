"""Notebook 10's exercise check: the right answer passes, a wrong one fails."""

import pytest

from helpers.exercises import lesson10


def test_noise_floor():
    assert lesson10.check_noise_floor(0.04 / 12)
    assert lesson10.check_noise_floor(0.01 / 12, width=0.1)
    assert not lesson10.check_noise_floor(0.01)  # width squared, not divided by 12
    assert not lesson10.check_noise_floor(0.02 / 12)  # twice the 0.1 floor, not four times
    with pytest.raises(ValueError, match="width"):
        lesson10.check_noise_floor(0.1, width=0)

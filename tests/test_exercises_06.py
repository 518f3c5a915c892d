"""Notebook 06's exercise checks: the right answer passes, a wrong one fails."""

import pytest

from helpers.exercises import lesson06


def test_gru_params():
    assert lesson06.check_gru_params(3552)
    assert lesson06.check_gru_params(3456, reset_after=False)
    assert not lesson06.check_gru_params(3456)  # one bias per layer is the other variant
    assert not lesson06.check_gru_params(4608)  # an LSTM's count
    with pytest.raises(TypeError, match="reset_after"):
        lesson06.check_gru_params(1, reset_after="yes")


def test_conv_steps():
    assert lesson06.check_conv_steps(16)
    assert lesson06.check_conv_steps(24, strides=2)
    assert not lesson06.check_conv_steps(17)
    with pytest.raises(ValueError, match="strides"):
        lesson06.check_conv_steps(1, strides=0)

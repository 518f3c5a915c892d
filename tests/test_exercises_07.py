"""Notebook 07's exercise check: the right answer passes, a wrong one fails."""

from helpers.exercises import lesson07


def test_receptive_field():
    assert lesson07.check_receptive_field(61)
    assert lesson07.check_receptive_field(31, kernel_size=2)
    assert not lesson07.check_receptive_field(60)  # the step itself forgotten
    assert not lesson07.check_receptive_field(46)  # (kernel - 1) left out

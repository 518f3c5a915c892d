"""Checks for notebook 07's exercises (WaveNet)."""

from helpers import convs
from helpers.exercises import verdict


def check_receptive_field(n, *, kernel_size: int = 3, rates=(1, 2, 4, 8) * 2) -> bool:
    """Exercise 1: the receptive field of a stack of causal convolutions."""
    return verdict(n, convs.receptive_field(kernel_size, tuple(rates)),
                   name="receptive field", rtol=0,
                   hint="each layer adds (kernel_size - 1) * dilation_rate steps to one")

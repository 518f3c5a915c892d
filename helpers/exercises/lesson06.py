"""Checks for notebook 06's exercises (the GRU cell and the Conv1D front end)."""

from __future__ import annotations

import keras

from helpers.exercises import verdict
from helpers.profile import PROFILE

__all__ = ["check_conv_steps", "check_gru_params"]


def check_gru_params(n, *, reset_after: bool = True, units: int = 32,
                     n_inputs: int = 3) -> bool:
    """Exercise 1: the parameters of ``keras.layers.GRU(units, reset_after=...)``."""
    if not isinstance(reset_after, bool):
        raise TypeError(f"reset_after must be a bool, got {type(reset_after).__name__}")
    layer = keras.layers.GRU(units, reset_after=reset_after)
    layer.build((None, None, n_inputs))
    return verdict(n, layer.count_params(), name=f"GRU parameters (reset_after="
                   f"{reset_after})", rtol=0, hint="three dense layers; count the biases")


def check_conv_steps(n, *, kernel_size: int = 4, strides: int = 3) -> bool:
    """Exercise 2: the steps a 'valid' ``Conv1D`` outputs on the notebook's inputs."""
    for name, value in (("kernel_size", kernel_size), ("strides", strides)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    conv = keras.layers.Conv1D(1, kernel_size=kernel_size, strides=strides, padding="valid")
    steps = conv.compute_output_shape((None, PROFILE.n_steps, 1))[1]
    return verdict(n, steps, name="Conv1D output steps", rtol=0,
                   hint="(steps - kernel_size) // strides + 1")

"""Checks for notebook 06's exercises (the GRU cell and the Conv1D front end)."""

import keras

from helpers import checks
from helpers.exercises import verdict
from helpers.profile import PROFILE


def check_gru_params(n, *, reset_after: bool = True, units: int = 32,
                     n_inputs: int = 3) -> bool:
    """Exercise 1: the parameters of ``keras.layers.GRU(units, reset_after=...)``."""
    checks.instance("reset_after", reset_after, bool, "a bool")
    layer = keras.layers.GRU(units, reset_after=reset_after)
    layer.build((None, None, n_inputs))
    return verdict(n, layer.count_params(), name=f"GRU parameters (reset_after="
                   f"{reset_after})", rtol=0, hint="three dense layers; count the biases")


def check_conv_steps(n, *, kernel_size: int = 4, strides: int = 3) -> bool:
    """Exercise 2: the steps a 'valid' ``Conv1D`` outputs on the notebook's inputs."""
    conv = keras.layers.Conv1D(1, kernel_size=checks.integer("kernel_size", kernel_size),
                               strides=checks.integer("strides", strides), padding="valid")
    steps = conv.compute_output_shape((None, PROFILE.n_steps, 1))[1]
    return verdict(n, steps, name="Conv1D output steps", rtol=0,
                   hint="(steps - kernel_size) // strides + 1")

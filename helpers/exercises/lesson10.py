"""Checks for notebook 10's exercises (the chapter's models against the limits)."""

from helpers import checks
from helpers.exercises import verdict


def check_noise_floor(variance, *, width: float = 0.2) -> bool:
    """Exercise 2: the variance of uniform noise of total ``width`` (the MSE floor)."""
    checks.number("width", width, above=0)
    return verdict(variance, width ** 2 / 12, name="noise floor", rtol=0.01,
                   hint="the variance of a uniform variable on an interval of width w")

"""Checks for the notebooks' exercises: ``check_...`` functions that grade a reader's answer.

Each lesson has a module here (``helpers.exercises.lesson01`` ...) whose ``check_...``
functions compute the right answer from the same data the notebook uses and compare it
with the reader's. They print a verdict rather than raise, so a wrong answer does not
stop the notebook, and return ``True``/``False`` so the tests can call them.
"""

import numpy as np

from helpers import checks


def verdict(answer, expected, *, name: str, rtol: float = 0.05, atol: float = 0.0,
            hint: str = "") -> bool:
    """Print whether ``answer`` matches ``expected`` (numbers or arrays) and return it.

    ``rtol``/``atol``: how close counts as right (as in ``numpy.isclose``), wide enough
    for a reader's own training run where the answer comes from one. ``hint`` is shown
    when the answer is wrong.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string, got {name!r}")
    checks.number("rtol", rtol, 0)
    checks.number("atol", atol, 0)
    try:
        given = np.asarray(answer, dtype="float64")
    except (TypeError, ValueError):
        print(f"{name}: expected a number or an array of numbers, got {answer!r}")
        return False
    wanted = np.asarray(expected, dtype="float64")
    if given.shape != wanted.shape:
        print(f"{name}: expected shape {wanted.shape}, got {given.shape}")
        return False
    right = bool(np.all(np.isclose(given, wanted, rtol=rtol, atol=atol)))
    shown = np.array2string(given, precision=4) if given.ndim else f"{float(given):.4g}"
    print(f"{name}: right." if right else f"{name}: not yet ({shown})." +
          (f" Hint: {hint}" if hint else ""))
    return right

"""Argument checks for the public functions of :mod:`helpers`, with one convention.

A wrong *type* raises ``TypeError`` and a wrong *value* raises ``ValueError``; both name
the argument. Each check returns the value in its plain Python (or NumPy) form, so a
function starts with lines such as ``units = checks.integer("units", units)``. Only
public entry points check their arguments; private functions trust their callers.
"""

from __future__ import annotations

from collections.abc import Collection
from numbers import Integral, Real

import numpy as np


def _type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {expected}, got {type(value).__name__} ({value!r})")


def integer(name: str, value: object, low: int | None = 1, high: int | None = None) -> int:
    """``value`` as an int in ``[low, high]`` (either bound None: open). Booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise _type_error(name, "an int", value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_range(low, high)}, got {value}")
    return int(value)


def number(name: str, value: object, low: float | None = None, high: float | None = None,
           *, above: float | None = None, below: float | None = None) -> float:
    """``value`` as a finite float with ``low <= value <= high`` and ``above < value < below``
    (bounds left None are not checked)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise _type_error(name, "a number", value)
    value = float(value)
    if not np.isfinite(value) or (low is not None and value < low) or (
            high is not None and value > high) or (above is not None and value <= above) or (
            below is not None and value >= below):
        bounds = [f">= {low}" if low is not None else "", f"> {above}" if above is not None
                  else "", f"<= {high}" if high is not None else "",
                  f"< {below}" if below is not None else ""]
        wanted = " and ".join(b for b in bounds if b) or "finite"
        raise ValueError(f"{name} must be a finite number {wanted}, got {value}")
    return value


def choice(name: str, value: object, options: Collection):
    """``value`` if it is one of ``options``, else a ``ValueError`` listing them."""
    try:
        if value in options:
            return value
    except TypeError:  # unhashable value
        pass
    raise ValueError(f"{name} must be one of {list(options)}, got {value!r}")


def array(name: str, value: object, *, ndim: int | Collection[int] | None = None,
          finite: bool = True) -> np.ndarray:
    """``value`` as a NumPy array of numbers (of ``ndim`` dimensions when given), none of
    them NaN or infinite unless ``finite=False``."""
    result = np.asarray(value)
    if not (np.issubdtype(result.dtype, np.number) or result.dtype == np.bool_):
        raise TypeError(f"{name} must hold numbers, got dtype {result.dtype}")
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if dims is not None and result.ndim not in dims:
        raise ValueError(f"{name} must have {' or '.join(map(str, dims))} dimensions, "
                         f"got shape {result.shape}")
    if finite and result.dtype != np.bool_:
        bad = ~np.isfinite(result)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(f"{name} must hold finite numbers, but {int(bad.sum()):,} of "
                             f"its values are NaN or infinite (first at index {where})")
    return result


def _range(low: int | None, high: int | None) -> str:
    if high is None:
        return {1: "a positive int", 0: "an int >= 0"}.get(low, f"an int >= {low}")
    if low is None:
        return f"an int <= {high:,}"
    return f"an int from {low:,} to {high:,}"

"""Argument checks for the public functions of :mod:`helpers`, with one convention.

A wrong *type* raises ``TypeError`` and a wrong *value* raises ``ValueError``; both name
the argument. Each check returns the value in its plain Python (or NumPy) form, so a
function starts with lines such as ``units = checks.integer("units", units)``. Only
public entry points check their arguments; private functions trust their callers.
"""

import operator
from collections.abc import Collection
from numbers import Integral, Real

import numpy as np

_ORDER = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def _type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {expected}, got {type(value).__name__} ({value!r})")


def instance(name: str, value, types, expected: str):
    """``value`` if it is an instance of ``types`` (``expected`` names them: "a NumPy
    array"), else a ``TypeError``."""
    if not isinstance(value, types):
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")
    return value


def integer(name: str, value: object, low: int | None = 1, high: int | None = None) -> int:
    """``value`` as an int in ``[low, high]`` (either bound None: open). Booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise _type_error(name, "an int", value)
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            wanted = "a positive int" if low == 1 else f"an int >= {low}"
        elif low is None:
            wanted = f"an int <= {high:,}"
        else:
            wanted = f"an int from {low:,} to {high:,}"
        raise ValueError(f"{name} must be {wanted}, got {value}")
    return int(value)


def number(name: str, value: object, low: float | None = None, high: float | None = None,
           *, above: float | None = None, below: float | None = None) -> float:
    """``value`` as a finite float with ``low <= value <= high`` and ``above < value < below``
    (bounds left None are not checked)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise _type_error(name, "a number", value)
    value = float(value)
    bounds = {op: b for op, b in zip(_ORDER, (low, above, high, below)) if b is not None}
    if not np.isfinite(value) or not all(_ORDER[op](value, b) for op, b in bounds.items()):
        wanted = "".join(f" and {op} {b}" for op, b in bounds.items()).removeprefix(" and")
        raise ValueError(f"{name} must be a finite number{wanted}, got {value}")
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
            raise ValueError(f"{name} must hold finite numbers, but {int(bad.sum()):,} of its "
                             f"{result.size:,} values are NaN or infinite (the first, "
                             f"{name}[{', '.join(map(str, where))}], is {result[where]})")
    return result

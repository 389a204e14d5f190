"""Numerical derivatives, the referee for every hand-written gradient.

Lesson 01 checks its first hand-derived gradient with central differences;
lesson 05 studies why they work and how accurate they are.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._validate import finite_array, positive_float


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f`` at ``x``.

    Each entry is (f(x + h·e_i) − f(x − h·e_i)) / 2h. ``x`` may have any shape and
    is left exactly as it was found (it is nudged in place, then restored), so
    ``f`` may ignore its argument and read ``x`` itself (``lambda _: net.loss(...)``
    with ``x`` one of ``net.params``). That is why ``x`` must be a float array:
    an integer array cannot hold ``x + h``, and a list would be nudged in a copy.
    A float32 array is nudged in float32, whose rounding (about 1e-7 relative)
    limits the agreement with an exact gradient to about 1e-3; use float64
    (numpy's default) for checks.

    >>> numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one array, got {type(f).__name__}")
    h = positive_float(h, "h")
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        got = f"an array of dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a float array (it is nudged in place), got {got}; "
                        f"make it one with np.array(..., dtype=float)")
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    if np.any(np.abs((x + h) - x - h) > 0.01 * h) or np.any(np.abs(x - (x - h) - h) > 0.01 * h):
        raise ValueError(f"h = {h:g} is too small for x, whose entries reach {np.max(np.abs(x)):.3g}: in {x.dtype} "
                         f"x + h is more than 1% away from a step of h; use a larger h")
    grad = np.zeros(x.shape, dtype=float)
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            x[index] = original + h
            f_plus = _single_number(f(x))
            x[index] = original - h
            f_minus = _single_number(f(x))
        finally:  # even when f fails, x (often a network's own weights) must not stay nudged
            x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def _single_number(value: Any) -> float:
    if np.ndim(value) != 0:
        raise TypeError(f"f must return a single number (a loss), got an array of shape {np.shape(value)}")
    return float(value)


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max(|a|, |b|) over all entries; 0 when both are all zeros.

    A value near 1e-7 or below means two gradients agree; near 1e-2 means a bug.
    Compare one parameter array at a time: on arrays concatenated together, a
    small array that is entirely wrong hides behind a large one that is right.

    >>> round(relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.002])), 6)
    0.000999
    """
    a = finite_array(a, "a")
    b = finite_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if scale == 0:
        return 0.0
    return float(np.max(np.abs(a / scale - b / scale)))  # scaled first: a − b could overflow

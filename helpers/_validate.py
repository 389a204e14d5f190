"""Argument checks shared by every module, so that bad input always gets the
same kind of message: which argument, what was expected, what arrived."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np


def positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int, or raise if it is not a whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def random_seed(value: Any, name: str = "seed") -> int:
    """Return ``value`` as an int, or raise if it cannot seed ``np.random.default_rng`` (a whole number >= 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be an integer of at least 0, got {value}")
    return int(value)


def number(value: Any, name: str, *, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number within the bounds.

    ``low`` and ``high`` are included unless ``low_open``/``high_open`` says otherwise.

    >>> number(0.5, "p", low=0, high=1, high_open=True)
    0.5
    >>> number(1.0, "p", low=0, high=1, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: p must be a finite number at least 0 and less than 1, got 1.0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    try:
        x = float(value)
    except OverflowError:  # a whole number beyond the range of floats
        x = math.inf
    too_low = low is not None and (x <= low if low_open else x < low)
    too_high = high is not None and (x >= high if high_open else x > high)
    if not math.isfinite(x) or too_low or too_high:
        bounds = []
        if low is not None:
            bounds.append(f"greater than {low:g}" if low_open else f"at least {low:g}")
        if high is not None:
            bounds.append(f"less than {high:g}" if high_open else f"at most {high:g}")
        within = (" " + " and ".join(bounds)) if bounds else ""
        raise ValueError(f"{name} must be a finite number{within}, got {value}")
    return x


def positive_float(value: Any, name: str) -> float:
    """A finite number > 0 (a learning rate, a step size): :func:`number` with ``low=0`` open."""
    return number(value, name, low=0, low_open=True)


def finite_float(value: Any, name: str) -> float:
    """Any finite number (a threshold, a loss): :func:`number` without bounds."""
    return number(value, name)


def fraction(value: Any, name: str) -> float:
    """A number in [0, 1), for decay factors such as momentum or Adam's betas: 1 would never forget."""
    return number(value, name, low=0, high=1, high_open=True)


def finite_array(value: Any, name: str, *, ndim: int | None = None,
                 shape: tuple[int | None, ...] | None = None, nonempty: bool = False) -> np.ndarray:
    """Return ``value`` as a float array after checking it is numeric and finite.

    ``shape`` may contain ``None`` for a dimension of any length; ``nonempty``
    refuses an array without any entry (a maximum or a mean of nothing).
    """
    try:
        array = np.asarray(value)
        if value is None or array.dtype.kind not in "biufO":  # text ("0.1") and complex numbers are not numbers
            raise TypeError
        array = np.asarray(array, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__} {value!r:.60}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if shape is not None:
        expected = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
        if array.ndim != len(shape) or any(
            want is not None and got != want for got, want in zip(array.shape, shape)
        ):
            raise ValueError(f"{name} must have shape {expected}, got {array.shape}")
    if nonempty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def class_indices(labels: Any, num_classes: int, name: str) -> np.ndarray:
    """Return ``labels`` as a 1-D int array of class indices in ``0..num_classes - 1``, or raise."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class indices, got shape {labels.shape}")
    if labels.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of class indices (whole numbers), got dtype {labels.dtype}")
    if labels.size and labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or not np.all(labels == np.round(labels)):
            raise ValueError(f"{name} must hold whole class indices, got {labels[:5]}...")
        labels = labels.astype(int)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"{name} must be class indices in 0..{num_classes - 1}, "
                         f"got values from {labels.min()} to {labels.max()}")
    return labels.astype(int, copy=False)


def probability_rows(labels: Any, n: int, k: int, name: str = "labels") -> np.ndarray:
    """Return ``labels`` as an ``(n, k)`` float array whose rows are probability distributions, or raise.

    Each entry must be at least 0 and each row must sum to 1 (within 1e-6): one-hot
    rows, or soft targets. Multi-hot rows are not distributions, and the softmax
    gradient p − y is only the gradient of the cross-entropy when they are.
    """
    rows = finite_array(labels, name, shape=(n, k))
    if np.any(rows < 0):
        raise ValueError(f"{name} rows must be probabilities (at least 0), got a smallest entry of {rows.min()}")
    sums = rows.sum(axis=1)
    if np.any(np.abs(sums - 1) > 1e-6):
        worst = sums[np.argmax(np.abs(sums - 1))]
        raise ValueError(f"{name} rows must each sum to 1 (one-hot or probability rows), got a row summing to "
                         f"{worst:.6g}; for class indices pass a 1-D array instead")
    return rows

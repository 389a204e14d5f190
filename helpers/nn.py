"""Building blocks of neural networks: activations, softmax and losses.

Each function here is first written out by hand in a lesson; this module is
the tidy version later lessons call.
"""

from __future__ import annotations

import numpy as np

from ._validate import finite_array


def mean_squared_error(predictions: np.ndarray, targets: np.ndarray) -> float:
    """Mean of the squared differences, the loss of lesson 01.

    >>> mean_squared_error(np.array([85.0, 96.0]), np.array([84.0, 98.0]))
    2.5
    """
    predictions = finite_array(predictions, "predictions")
    targets = finite_array(targets, "targets")
    if predictions.shape != targets.shape:
        raise ValueError(
            f"predictions and targets must have the same shape, got {predictions.shape} and {targets.shape}"
        )
    return float(np.mean((predictions - targets) ** 2))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^-z), without overflow for large |z| (lesson 02).

    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    z = np.asarray(z, dtype=float)
    # e^-|z| never overflows; choose the algebraically equal form for each sign.
    small = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z)(1 − σ(z)); never more than 0.25 (lesson 02).

    >>> float(sigmoid_derivative(0.0))
    0.25
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent (lesson 04)."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """1 − tanh²(z); 1 at z = 0 (lesson 04).

    >>> float(tanh_derivative(0.0))
    1.0
    """
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z) (lesson 04).

    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    return np.maximum(0.0, np.asarray(z, dtype=float))


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 where z > 0, else 0 (the value at exactly 0 is taken as 0) (lesson 04)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


def logsumexp(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(Σ e^z) along ``axis``, computed without overflow (lesson 03).

    Subtracting the maximum first keeps every exponent at most 0.

    >>> round(float(logsumexp(np.array([1000.0, 1001.0, 1002.0]))), 4)
    1002.4076
    """
    z = finite_array(z, "z")
    top = np.max(z, axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(z - top), axis=axis))


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """e^z / Σ e^z along ``axis``: positive numbers that sum to 1 (lessons 01 and 03).

    Stable for large inputs, because softmax(z) = softmax(z − max z).

    >>> softmax(np.array([1000.0, 1001.0, 1002.0])).round(4)
    array([0.09  , 0.2447, 0.6652])
    """
    z = finite_array(z, "z")
    shifted = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


def one_hot(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Class indices ``(n,)`` to rows of zeros with a single 1, shape ``(n, num_classes)`` (lesson 03).

    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    labels = _class_indices(labels, num_classes, "labels")
    encoded = np.zeros((labels.size, num_classes))
    encoded[np.arange(labels.size), labels] = 1.0
    return encoded


def _class_indices(labels: np.ndarray, num_classes: int, name: str) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class indices, got shape {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if not np.all(np.isfinite(labels)) or not np.all(labels == np.round(labels)):
            raise ValueError(f"{name} must hold whole class indices, got {labels[:5]}...")
        labels = labels.astype(int)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"{name} must be class indices in 0..{num_classes - 1}, "
                         f"got values from {labels.min()} to {labels.max()}")
    return labels.astype(int, copy=False)


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Mean cross-entropy of softmax(logits) against ``labels`` (lesson 03).

    ``logits`` has shape ``(n, k)``; ``labels`` are class indices ``(n,)`` or
    one-hot (or any probability) rows ``(n, k)``. Computed from the logits with
    log-sum-exp, so it never overflows; the value equals PyTorch's
    ``F.cross_entropy`` with mean reduction.

    >>> round(cross_entropy(np.array([[1000.0, 1001.0, 1002.0]]), np.array([2])), 4)
    0.4076
    """
    logits = finite_array(logits, "logits", ndim=2)
    n, k = logits.shape
    log_probs = logits - logsumexp(logits, axis=1)[:, None]
    labels = np.asarray(labels)
    if labels.ndim == 2:
        targets = finite_array(labels, "labels", shape=(n, k))
        return float(-np.sum(targets * log_probs) / n)
    labels = _class_indices(labels, k, "labels")
    if labels.size != n:
        raise ValueError(f"labels has {labels.size} entries but logits has {n} rows")
    return float(-np.mean(log_probs[np.arange(n), labels]))


def binary_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Mean binary cross-entropy of sigmoid(logits) against labels in [0, 1] (lesson 02).

    For one student, −[y ln σ(z) + (1 − y) ln(1 − σ(z))] simplifies to
    ln(1 + e^z) − y·z, and ``np.logaddexp(0, z)`` computes ln(1 + e^z) without
    overflow, so the value is finite for logits of ±1000. It equals PyTorch's
    ``F.binary_cross_entropy_with_logits`` with mean reduction.

    >>> round(binary_cross_entropy(np.array([0.0, 1000.0, -1000.0]), np.array([1.0, 1.0, 0.0])), 4)
    0.231
    """
    logits = finite_array(logits, "logits", ndim=1)
    labels = finite_array(labels, "labels", shape=logits.shape)
    if np.any((labels < 0) | (labels > 1)):
        raise ValueError(f"labels must be between 0 and 1 (1 = yes, 0 = no), "
                         f"got values from {labels.min()} to {labels.max()}")
    return float(np.mean(np.logaddexp(0.0, logits) - labels * logits))

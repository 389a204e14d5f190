"""Building blocks of neural networks: activations, softmax, losses and the MLP.

Each function here is first written out by hand in a lesson; this module is
the tidy version later lessons call.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._validate import (class_indices, finite_array, fraction, positive_float, positive_int, probability_rows,
                        random_seed)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^-z), without overflow for large |z| (lesson 02).

    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    z = finite_array(z, "z")
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
    return np.tanh(finite_array(z, "z"))


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """1 − tanh²(z); 1 at z = 0 (lesson 04).

    >>> float(tanh_derivative(0.0))
    1.0
    """
    return 1.0 - np.tanh(finite_array(z, "z")) ** 2


def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z) (lesson 04).

    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    return np.maximum(0.0, finite_array(z, "z"))


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 where z > 0, else 0 (the value at exactly 0 is taken as 0) (lesson 04)."""
    return (finite_array(z, "z") > 0).astype(float)


def logsumexp(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(Σ e^z) along ``axis``, computed without overflow (lesson 03).

    Subtracting the maximum first keeps every exponent at most 0.

    >>> round(float(logsumexp(np.array([1000.0, 1001.0, 1002.0]))), 4)
    1002.4076
    """
    z = finite_array(z, "z", nonempty=True)
    top = np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore"):  # z − max z below −1.8e308 is −inf, and e^−inf = 0 is right
        shifted = z - top
    return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(shifted), axis=axis))


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """e^z / Σ e^z along ``axis``: positive numbers that sum to 1 (lessons 01 and 03).

    Stable for large inputs, because softmax(z) = softmax(z − max z).

    >>> softmax(np.array([1000.0, 1001.0, 1002.0])).round(4)
    array([0.09  , 0.2447, 0.6652])
    """
    z = finite_array(z, "z", nonempty=True)
    with np.errstate(over="ignore"):  # z − max z below −1.8e308 is −inf, and e^−inf = 0 is right
        shifted = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


def one_hot(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Class indices ``(n,)`` to rows of zeros with a single 1, shape ``(n, num_classes)`` (lesson 03).

    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    num_classes = positive_int(num_classes, "num_classes")
    labels = class_indices(labels, num_classes, "labels")
    encoded = np.zeros((labels.size, num_classes))
    encoded[np.arange(labels.size), labels] = 1.0
    return encoded


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Mean cross-entropy of softmax(logits) against ``labels`` (lesson 03).

    ``logits`` has shape ``(n, k)``; ``labels`` are class indices ``(n,)`` or
    one-hot (or any probability) rows ``(n, k)``: entries at least 0, each row
    summing to 1 (multi-hot rows raise). Computed from the logits with
    log-sum-exp, so it never overflows; the value equals PyTorch's
    ``F.cross_entropy`` with mean reduction.

    >>> round(cross_entropy(np.array([[1000.0, 1001.0, 1002.0]]), np.array([2])), 4)
    0.4076
    """
    logits = finite_array(logits, "logits", ndim=2, nonempty=True)
    n, k = logits.shape
    log_probs = logits - logsumexp(logits, axis=1)[:, None]
    labels = np.asarray(labels)
    if labels.ndim == 2:
        targets = probability_rows(labels, n, k)
        return float(-np.sum(targets * log_probs) / n)
    labels = class_indices(labels, k, "labels")
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
    logits = finite_array(logits, "logits", ndim=1, nonempty=True)
    labels = finite_array(labels, "labels", shape=logits.shape)
    if np.any((labels < 0) | (labels > 1)):
        raise ValueError(f"labels must be between 0 and 1 (1 = yes, 0 = no), "
                         f"got values from {labels.min()} to {labels.max()}")
    return float(np.mean(np.logaddexp(0.0, logits) - labels * logits))


def _identity(z: np.ndarray) -> np.ndarray:
    return np.asarray(z, dtype=float)


def _identity_derivative(z: np.ndarray) -> np.ndarray:
    return np.ones(np.shape(z))


ACTIVATIONS = {
    "relu": (relu, relu_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "identity": (_identity, _identity_derivative),
}
"""The activations an :class:`MLP` can use, each with its derivative (lesson 04).
``"identity"`` keeps the network linear, which lesson 04 shows is no better than one layer."""

_INIT_GAINS = {"he": 2.0, "xavier": 1.0, "zero": 0.0}
"""Named initialisations: weights drawn with standard deviation √(gain / fan_in)."""

LOSSES = ("cross_entropy", "mse")
"""What :class:`MLP` can be trained on: softmax cross-entropy (classes) or mean squared error (numbers, lesson 09)."""


class MLP:
    """A multi-layer perceptron (多层感知机), trained by backpropagation (lesson 04).

    ``sizes`` lists the layer widths from input to output: ``[3, 8, 2]`` takes
    three scores, has one hidden layer of 8 units and gives 2 class logits.
    Each hidden layer computes ``activation(a @ W + b)``; the last layer is
    affine only. ``loss`` is one of :data:`LOSSES`: ``"cross_entropy"`` (the
    default, a classifier) applies softmax and cross-entropy to the outputs;
    ``"mse"`` (lesson 09, a regression network) compares the outputs themselves
    with target numbers by the mean squared error.

    ``activation`` is one of :data:`ACTIVATIONS`. ``init`` sets the starting
    weights: ``"he"`` (std √(2/fan_in), made for ReLU), ``"xavier"`` (std
    √(1/fan_in), for sigmoid and tanh), ``"zero"`` (all weights 0, lesson 04
    shows why not) or a positive number used as the std of every layer. Biases
    start at 0. ``params`` holds ``W1, b1, W2, b2, …`` with ``W`` of shape
    ``(fan_in, fan_out)``; optimizers change these arrays in place.

    ``dropout`` (lesson 08) is the fraction of hidden units dropped while
    training: each call of :meth:`gradient` multiplies every hidden layer's
    activations by a fresh mask from :func:`dropout_mask`, drawn from a generator
    seeded with ``seed`` (so a training run is reproducible), and backpropagates
    through the same mask. It keeps the masks in ``masks``. :meth:`forward` and
    :meth:`loss` evaluate: nothing is dropped, unless ``masks`` are passed, which
    gives the training loss that :meth:`gradient` differentiates. The starting
    weights do not depend on ``dropout``.

    >>> net = MLP([3, 4, 2], seed=0)
    >>> {key: value.shape for key, value in net.params.items()}
    {'W1': (3, 4), 'b1': (4,), 'W2': (4, 2), 'b2': (2,)}
    >>> x, labels = np.ones((5, 3)), np.array([0, 1, 1, 0, 1])
    >>> net.forward(x).shape
    (5, 2)
    >>> list(net.gradient(x, labels)) == list(net.params)
    True
    >>> round(MLP([3, 4, 2], init="zero").loss(x, labels), 4)  # equal logits: the loss is ln 2
    0.6931
    >>> regression = MLP([1, 3, 1], loss="mse", init="zero")  # outputs 0 before training
    >>> regression.loss(np.ones((2, 1)), np.array([1.0, 3.0]))  # ((0 - 1)² + (0 - 3)²) / 2
    5.0
    >>> net = MLP([3, 4, 2], dropout=0.5, seed=0)
    >>> grads = net.gradient(x, labels)  # training: half the hidden units dropped
    >>> [mask.shape for mask in net.masks], sorted(set(net.masks[0].ravel().tolist()))
    ([(5, 4)], [0.0, 2.0])
    """

    def __init__(self, sizes: Sequence[int], activation: str = "relu", init: str | float = "he",
                 seed: int = 0, dropout: float = 0.0, loss: str = "cross_entropy"):
        self.sizes = _layer_sizes(sizes)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {list(LOSSES)}, got {loss!r}")
        self.activation = activation
        self.loss_name = loss
        rng = np.random.default_rng(random_seed(seed))
        self.params: dict[str, np.ndarray] = {}
        for layer, (fan_in, fan_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            self.params[f"W{layer}"] = rng.normal(0.0, _initial_std(init, fan_in), size=(fan_in, fan_out))
            self.params[f"b{layer}"] = np.zeros(fan_out)
        self.dropout = fraction(dropout, "dropout")
        self._rng = rng  # after the weights, so they are the same with or without dropout
        self.masks: list[np.ndarray] = []

    def __repr__(self) -> str:
        dropout = f", dropout={self.dropout}" if self.dropout else ""
        loss = f", loss={self.loss_name!r}" if self.loss_name != "cross_entropy" else ""
        return f"MLP(sizes={self.sizes}, activation={self.activation!r}{dropout}{loss})"

    def forward(self, x: np.ndarray, masks: Sequence[np.ndarray] | None = None) -> np.ndarray:
        """The logits, shape ``(n, sizes[-1])``, for inputs ``x`` of shape ``(n, sizes[0])``.

        ``masks`` (one per hidden layer) multiply the hidden activations; without
        them nothing is dropped, which is how a trained network is evaluated.
        """
        return self._forward(x, masks)[0]

    def loss(self, x: np.ndarray, labels: np.ndarray, masks: Sequence[np.ndarray] | None = None) -> float:
        """The mean loss of the outputs against ``labels``.

        Cross-entropy: ``labels`` are class indices or one-hot rows. Mean squared
        error: ``labels`` are the target numbers, shape ``(n, sizes[-1])``, or
        ``(n,)`` with one output; the mean is over every output of every row.
        """
        outputs = self.forward(x, masks)
        if self.loss_name == "mse":
            return float(np.mean((outputs - _regression_targets(labels, *outputs.shape)) ** 2))
        return cross_entropy(outputs, labels)

    def gradient(self, x: np.ndarray, labels: np.ndarray,
                 masks: Sequence[np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """The gradient of :meth:`loss` for every parameter, by backpropagation (lesson 04).

        Softmax and cross-entropy together have the simple derivative (p − y) / n
        with respect to the logits (label rows must be probability distributions,
        else p − y is not the gradient of the loss); the mean squared error has
        2 (ŷ − y) / (n · k) for k outputs. Each layer then passes its share back
        with the chain rule. The result has the same keys and shapes as ``params``.

        With ``dropout`` this is a training step's gradient: fresh masks are drawn
        (unless ``masks`` are given), kept in ``self.masks``, and the gradient is
        that of ``loss(x, labels, masks=self.masks)``; a dropped unit passes no
        gradient back, a kept one passes it scaled by 1 / (1 − dropout).
        """
        if masks is None and self.dropout:
            n = np.shape(x)[0] if np.ndim(x) == 2 else 0
            masks = [dropout_mask((n, width), self.dropout, self._rng) for width in self.sizes[1:-1]]
        logits, inputs, pre_activations = self._forward(x, masks)
        self.masks = list(masks) if masks is not None else []
        n, k = logits.shape
        if self.loss_name == "mse":
            delta = 2 * (logits - _regression_targets(labels, n, k)) / (n * k)
        else:
            delta = softmax(logits)  # a fresh array: turned into (p − y) / n in place
            delta -= _targets(labels, n, k)
            delta /= n
        _, derivative = ACTIVATIONS[self.activation]
        grads = {}
        for layer in range(len(self.sizes) - 1, 0, -1):
            grads[f"W{layer}"] = inputs[layer - 1].T @ delta
            grads[f"b{layer}"] = delta.sum(axis=0)
            if layer > 1:
                delta = delta @ self.params[f"W{layer}"].T
                if masks is not None:
                    delta *= masks[layer - 2]  # the same mask as on the way forward
                delta *= derivative(pre_activations[layer - 2])
        return {key: grads[key] for key in self.params}

    def _forward(self, x: np.ndarray, masks: Sequence[np.ndarray] | None = None
                 ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """Logits, plus what backpropagation needs: each layer's input and each hidden pre-activation."""
        x = finite_array(x, "x", ndim=2)
        if x.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have sizes[0] = {self.sizes[0]} columns, got shape {x.shape}")
        if masks is not None:
            _check_masks(masks, [(x.shape[0], width) for width in self.sizes[1:-1]])
        function, _ = ACTIVATIONS[self.activation]
        last = len(self.sizes) - 1
        inputs, pre_activations = [], []
        a = x
        for layer in range(1, last + 1):
            inputs.append(a)
            z = a @ self.params[f"W{layer}"] + self.params[f"b{layer}"]
            if layer < last:
                pre_activations.append(z)
                a = function(z)
                if masks is not None:
                    a = a * masks[layer - 1]
        return z, inputs, pre_activations


def dropout_mask(shape: tuple[int, ...], rate: float, rng: np.random.Generator) -> np.ndarray:
    """A dropout (随机失活) mask with inverted scaling (lesson 08).

    Each entry is 0 with probability ``rate`` (a dropped unit) and 1 / (1 − rate)
    otherwise, so activations multiplied by the mask keep their expected value:
    (1 − rate) · 1 / (1 − rate) = 1. At evaluation time nothing is dropped and
    nothing needs rescaling.

    >>> mask = dropout_mask((2, 4), 0.5, np.random.default_rng(0))
    >>> sorted(set(mask.ravel().tolist()))
    [0.0, 2.0]
    """
    rate = fraction(rate, "rate")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}")
    return (rng.random(shape) >= rate) / (1.0 - rate)


def _check_masks(masks: Sequence[np.ndarray], shapes: list[tuple[int, int]]) -> None:
    if len(masks) != len(shapes):
        raise ValueError(f"masks must hold one array per hidden layer ({len(shapes)}), got {len(masks)}")
    for i, (mask, shape) in enumerate(zip(masks, shapes)):
        if np.shape(mask) != shape:
            raise ValueError(f"masks[{i}] must have shape {shape}, got {np.shape(mask)}")


def _layer_sizes(sizes: Sequence[int]) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths such as [3, 8, 2], got {sizes!r}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {list(sizes)}")
    return [positive_int(width, f"sizes[{i}]") for i, width in enumerate(sizes)]


def _initial_std(init: str | float, fan_in: int) -> float:
    """The std of a layer's starting weights: √(gain / fan_in) for a named init, else ``init`` itself."""
    if isinstance(init, str):
        if init not in _INIT_GAINS:
            raise ValueError(f"init must be one of {sorted(_INIT_GAINS)} or a positive number, got {init!r}")
        return float(np.sqrt(_INIT_GAINS[init] / fan_in))
    return positive_float(init, "init")


def _targets(labels: np.ndarray, n: int, k: int) -> np.ndarray:
    """Labels as one-hot rows ``(n, k)``, from class indices or from rows given as they are."""
    labels = np.asarray(labels)
    if labels.ndim == 2:
        return probability_rows(labels, n, k)
    if labels.size != n:
        raise ValueError(f"labels has {labels.size} entries but x has {n} rows")
    return one_hot(labels, k)


def _regression_targets(labels: np.ndarray, n: int, k: int) -> np.ndarray:
    """Target numbers as an ``(n, k)`` array; a column of ``n`` numbers may come as shape ``(n,)``."""
    if k == 1 and np.ndim(labels) == 1:
        return finite_array(labels, "labels", shape=(n,))[:, None]
    return finite_array(labels, "labels", shape=(n, k))

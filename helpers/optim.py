"""Optimizers: rules that turn a gradient into a step.

Lesson 01 writes plain gradient descent as a loop; lesson 07 compares it with
its faster relatives. Every optimizer here has ``update(params, grads)``, which
changes the arrays in the ``params`` dict in place, as PyTorch's optimizers do.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from ._validate import finite_array, positive_float, positive_int


class Diverged(ArithmeticError):
    """Raised when the parameters blow up: the learning rate is too large.

    ``path`` holds the points visited before the blow-up, so a figure can still
    show how the descent ran away; ``step`` is the step at which it was noticed.
    """

    def __init__(self, message: str, path: np.ndarray, step: int):
        super().__init__(message)
        self.path = path
        self.step = step


def _check_params_and_grads(params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
    if set(params) != set(grads):
        raise ValueError(f"params and grads must have the same keys, got {sorted(params)} and {sorted(grads)}")
    for key in params:
        if np.shape(params[key]) != np.shape(grads[key]):
            raise ValueError(
                f"grads[{key!r}] has shape {np.shape(grads[key])} but params[{key!r}] has shape {np.shape(params[key])}"
            )


class SGD:
    """Plain (stochastic) gradient descent: p ← p − lr · g (lesson 01).

    >>> params = {"w": np.array([1.0, 2.0])}
    >>> SGD(lr=0.1).update(params, {"w": np.array([10.0, -10.0])})
    >>> params["w"]
    array([0., 3.])
    """

    def __init__(self, lr: float):
        self.lr = positive_float(lr, "lr")

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        _check_params_and_grads(params, grads)
        for key in params:
            params[key] -= self.lr * grads[key]


def optimizer_path(optimizer, grad_fn: Callable[[np.ndarray], np.ndarray],
                   start: np.ndarray, steps: int, *, max_norm: float = 1e6) -> np.ndarray:
    """Run ``optimizer`` for ``steps`` steps from ``start``; return every point visited.

    ``grad_fn`` maps a point (shape ``(2,)`` or any 1-D shape) to its gradient.
    The result has shape ``(steps + 1, len(start))``; row 0 is ``start``.
    Raises :class:`Diverged` (with the path so far) as soon as a point is not
    finite or its norm exceeds ``max_norm``, instead of returning inf or NaN.

    >>> optimizer_path(SGD(lr=0.25), lambda p: 2 * p, np.array([4.0, -2.0]), steps=2)
    array([[ 4. , -2. ],
           [ 2. , -1. ],
           [ 1. , -0.5]])
    """
    if not hasattr(optimizer, "update"):
        raise TypeError(f"optimizer must have an update(params, grads) method, got {type(optimizer).__name__}")
    steps = positive_int(steps, "steps")
    point = finite_array(start, "start", ndim=1).copy()
    params = {"point": point}
    path = np.empty((steps + 1, point.size))
    path[0] = point
    for step in range(1, steps + 1):
        optimizer.update(params, {"point": np.asarray(grad_fn(params["point"]), dtype=float)})
        current = params["point"]
        if not np.all(np.isfinite(current)) or np.linalg.norm(current) > max_norm:
            raise Diverged(
                f"diverged at step {step}: the learning rate is too large for this loss; try a smaller one",
                path[:step].copy(), step,
            )
        path[step] = current
    return path

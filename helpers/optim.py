"""Optimizers: rules that turn a gradient into a step.

Lesson 01 writes plain gradient descent as a loop; lesson 07 compares it with
its faster relatives. Every optimizer here has ``update(params, grads)``, which
changes the arrays in the ``params`` dict in place, as PyTorch's optimizers do.

Every optimizer also takes ``weight_decay`` (lesson 08), 0 by default: wd·p is
added to each gradient before the optimizer sees it, exactly as ``torch.optim``
defines it, which is the gradient of an L2 penalty (wd / 2)·‖p‖² in the loss.
:class:`AdamW` decays the weights directly instead.
"""

from __future__ import annotations

import numbers
from typing import Callable, Mapping

import numpy as np

from ._validate import finite_array, finite_float, fraction, number, positive_float, positive_int


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
        if not isinstance(params[key], np.ndarray) or params[key].dtype.kind != "f":
            raise TypeError(f"params[{key!r}] must be a float array (it is changed in place), "
                            f"got {type(params[key]).__name__}; make it one with np.array(..., dtype=float)")
        if np.shape(params[key]) != np.shape(grads[key]):
            raise ValueError(
                f"grads[{key!r}] has shape {np.shape(grads[key])} but params[{key!r}] has shape {np.shape(params[key])}"
            )
        if not np.all(np.isfinite(grads[key])):
            raise ValueError(f"grads[{key!r}] contains NaN or infinite values: the loss overflowed; "
                             f"try a smaller learning rate")


def _decayed(grad: np.ndarray, param: np.ndarray, weight_decay: float) -> np.ndarray:
    """The gradient with an L2 penalty added, g + wd·p, as ``torch.optim`` defines ``weight_decay`` (lesson 08).

    The penalty (wd / 2)·‖p‖² in the loss has gradient wd·p. With ``weight_decay`` 0
    the gradient comes back untouched, so every step is the same as without it.
    """
    return grad + weight_decay * param if weight_decay else grad


class SGD:
    """Plain (stochastic) gradient descent: p ← p − lr · g (lesson 01).

    ``weight_decay`` wd adds wd·p to the gradient first, an L2 penalty (lesson 08),
    as PyTorch's ``SGD(lr, weight_decay=wd)``.

    >>> params = {"w": np.array([1.0, 2.0])}
    >>> SGD(lr=0.1).update(params, {"w": np.array([10.0, -10.0])})
    >>> params["w"]
    array([0., 3.])
    """

    def __init__(self, lr: float, weight_decay: float = 0.0):
        self.lr = positive_float(lr, "lr")
        self.weight_decay = number(weight_decay, "weight_decay", low=0)

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        _check_params_and_grads(params, grads)
        for key in params:
            params[key] -= self.lr * _decayed(grads[key], params[key], self.weight_decay)


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


def _running(store: dict[str, np.ndarray], key: str, param: np.ndarray) -> np.ndarray:
    """The running quantity an optimizer keeps for ``key``, zeros on the first step."""
    if key not in store:
        store[key] = np.zeros(np.shape(param))
    elif store[key].shape != np.shape(param):
        raise ValueError(f"params[{key!r}] has shape {np.shape(param)} but had shape {store[key].shape} "
                         f"at the previous update; use a new optimizer for a new model")
    return store[key]


class Momentum:
    """Gradient descent with momentum (lesson 07): v ← μ·v + g, then p ← p − lr·v.

    The velocity ``v`` (kept per key of ``params`` in ``self.velocity``) adds up
    past gradients, so steps grow along a direction the gradients agree on and
    cancel along one where they keep flipping sign. This is PyTorch's
    ``SGD(lr, momentum=μ)``. *Deep Learning from Scratch* writes v ← μ·v − lr·g,
    then p ← p + v: with a fixed learning rate both visit the same points (the
    book's v is −lr times this one), but under a learning-rate schedule
    PyTorch's form rescales the whole velocity at once, the book's only the new
    gradients.

    ``nesterov=True`` is Nesterov momentum as PyTorch's
    ``SGD(lr, momentum=μ, nesterov=True)`` computes it: the velocity is updated
    the same way, but the step is lr·(g + μ·v), a look-ahead at the next
    velocity (with ``momentum=0`` both forms are plain SGD; PyTorch refuses
    that combination, this class allows it so a slider can reach 0).

    >>> params = {"w": np.array([1.0])}
    >>> optimizer = Momentum(lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     optimizer.update(params, {"w": np.array([1.0])})
    >>> params["w"]  # steps of 0.1·1 and 0.1·(0.9·1 + 1)
    array([0.71])
    >>> params, nesterov = {"w": np.array([1.0])}, Momentum(lr=0.1, momentum=0.9, nesterov=True)
    >>> nesterov.update(params, {"w": np.array([1.0])})
    >>> params["w"]  # v = 1, step 0.1·(1 + 0.9·1)
    array([0.81])
    """

    def __init__(self, lr: float, momentum: float = 0.9, weight_decay: float = 0.0, nesterov: bool = False):
        self.lr = positive_float(lr, "lr")
        self.momentum = fraction(momentum, "momentum")
        self.weight_decay = number(weight_decay, "weight_decay", low=0)
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(f"nesterov must be True or False, got {type(nesterov).__name__} {nesterov!r}")
        self.nesterov = bool(nesterov)
        self.velocity: dict[str, np.ndarray] = {}

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        _check_params_and_grads(params, grads)
        for key in params:
            velocity = _running(self.velocity, key, params[key])
            grad = _decayed(grads[key], params[key], self.weight_decay)
            velocity *= self.momentum
            velocity += grad
            params[key] -= self.lr * (grad + self.momentum * velocity if self.nesterov else velocity)


class AdaGrad:
    """Per-parameter step sizes that shrink with every gradient seen (lesson 07).

    h ← h + g², then p ← p − lr·g / (√h + eps), with h kept per key of ``params``
    in ``self.squares`` (the running sum of squared gradients). A parameter with large gradients
    gets small steps; but h only grows, so every step size keeps shrinking and a
    long run slows to a crawl. Same rule as PyTorch's ``Adagrad`` (eps 1e-10 as
    there); *Deep Learning from Scratch* adds eps = 1e-7 at the same place.

    >>> params = {"w": np.array([1.0, 1.0])}
    >>> AdaGrad(lr=0.1).update(params, {"w": np.array([100.0, 0.01])})
    >>> params["w"]  # the first step is lr in every coordinate, whatever the gradient's size
    array([0.9, 0.9])
    """

    def __init__(self, lr: float, eps: float = 1e-10, weight_decay: float = 0.0):
        self.lr = positive_float(lr, "lr")
        self.eps = positive_float(eps, "eps")
        self.weight_decay = number(weight_decay, "weight_decay", low=0)
        self.squares: dict[str, np.ndarray] = {}

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        _check_params_and_grads(params, grads)
        for key in params:
            grad = _decayed(grads[key], params[key], self.weight_decay)
            squares = _running(self.squares, key, params[key])
            squares += grad ** 2
            params[key] -= self.lr * grad / (np.sqrt(squares) + self.eps)


class RMSProp:
    """AdaGrad that forgets: a moving average of squared gradients (lesson 07).

    h ← ρ·h + (1 − ρ)·g², then p ← p − lr·g / (√h + eps), with ρ = ``decay`` and
    h kept per key of ``params`` in ``self.squares``.
    Old gradients fade, so step sizes stop shrinking once the gradients settle.
    Same rule as PyTorch's ``RMSprop`` (which calls ρ ``alpha``; eps 1e-8 as
    there); *Deep Learning from Scratch* calls ρ ``decay_rate`` and uses eps = 1e-7.

    >>> params = {"w": np.array([1.0])}
    >>> RMSProp(lr=0.01, decay=0.99).update(params, {"w": np.array([3.0])})
    >>> params["w"]  # h = 0.01·g², so the first step is lr / √0.01 = 10·lr
    array([0.9])
    """

    def __init__(self, lr: float, decay: float = 0.99, eps: float = 1e-8, weight_decay: float = 0.0):
        self.lr = positive_float(lr, "lr")
        self.decay = fraction(decay, "decay")
        self.eps = positive_float(eps, "eps")
        self.weight_decay = number(weight_decay, "weight_decay", low=0)
        self.squares: dict[str, np.ndarray] = {}

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        _check_params_and_grads(params, grads)
        for key in params:
            grad = _decayed(grads[key], params[key], self.weight_decay)
            squares = _running(self.squares, key, params[key])
            squares *= self.decay
            squares += (1 - self.decay) * grad ** 2
            params[key] -= self.lr * grad / (np.sqrt(squares) + self.eps)


class Adam:
    """Momentum and RMSProp together, with bias correction (lesson 07).

    m ← β1·m + (1 − β1)·g and v ← β2·v + (1 − β2)·g² are moving averages that
    start at zero, so early on they are too small; dividing by (1 − β^t) at
    step t corrects that: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t), then
    p ← p − lr·m̂ / (√v̂ + eps). Per key of ``params``, m is kept in ``self.means``,
    v in ``self.squares`` and t in ``self.steps``. This is PyTorch's ``Adam`` (eps 1e-8 as there).
    *Deep Learning from Scratch* folds both corrections into the learning rate,
    lr_t = lr·√(1 − β2^t) / (1 − β1^t), and adds eps = 1e-7 to √v instead of √v̂:
    the same steps up to where eps sits.

    >>> params = {"w": np.array([1.0, 1.0])}
    >>> Adam(lr=0.1).update(params, {"w": np.array([100.0, -0.5])})
    >>> params["w"]  # thanks to the correction the first step is lr, whatever the gradient's size
    array([0.9, 1.1])
    """

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 0.0):
        self.lr = positive_float(lr, "lr")
        self.beta1 = fraction(beta1, "beta1")
        self.beta2 = fraction(beta2, "beta2")
        self.eps = positive_float(eps, "eps")
        self.weight_decay = number(weight_decay, "weight_decay", low=0)
        self.means: dict[str, np.ndarray] = {}
        self.squares: dict[str, np.ndarray] = {}
        self.steps: dict[str, int] = {}

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        _check_params_and_grads(params, grads)
        for key in params:
            self._step(params, key, _decayed(grads[key], params[key], self.weight_decay))

    def _step(self, params: dict[str, np.ndarray], key: str, grad: np.ndarray) -> None:
        """One Adam step of ``params[key]`` along ``grad``, moving its averages on."""
        mean = _running(self.means, key, params[key])
        squares = _running(self.squares, key, params[key])
        self.steps[key] = step = self.steps.get(key, 0) + 1
        mean *= self.beta1
        mean += (1 - self.beta1) * grad
        squares *= self.beta2
        squares += (1 - self.beta2) * grad ** 2
        mean_hat = mean / (1 - self.beta1 ** step)
        squares_hat = squares / (1 - self.beta2 ** step)
        params[key] -= self.lr * mean_hat / (np.sqrt(squares_hat) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay (lesson 08), PyTorch's ``AdamW``.

    Adam's ``weight_decay`` adds wd·p to the gradient, so the penalty is then divided
    by √v̂ like the rest of the gradient: weights with large gradients are hardly
    decayed at all. AdamW instead shrinks every weight directly, p ← p − lr·wd·p,
    and then takes the Adam step on the plain gradient. The default wd is 0.01, as
    in PyTorch.

    >>> params = {"w": np.array([1.0, -2.0])}
    >>> AdamW(lr=0.1, weight_decay=0.5).update(params, {"w": np.array([3.0, 3.0])})
    >>> params["w"]  # shrunk by lr·wd = 5 %, then Adam's first step of lr
    array([ 0.85, -2.    ])
    """

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 0.01):
        super().__init__(lr, beta1, beta2, eps, weight_decay)

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        _check_params_and_grads(params, grads)
        for key in params:
            params[key] *= 1 - self.lr * self.weight_decay
            self._step(params, key, grads[key])


class EarlyStopping:
    """Stop training when the validation loss stops improving; keep the best parameters (lesson 08).

    Call :meth:`step` after every epoch with the validation loss and the current
    ``params``. It remembers the lowest loss seen, a copy of the parameters that
    gave it and the epoch (counted from 1), and returns ``True`` once ``patience``
    epochs in a row have not beaten that loss. :meth:`restore` then copies the
    best parameters back into the model's arrays, in place.

    >>> stopper = EarlyStopping(patience=2)
    >>> params = {"w": np.array([0.0])}
    >>> for loss in [1.0, 0.5, 0.7, 0.6, 0.4]:
    ...     params["w"] += 1
    ...     if stopper.step(loss, params):
    ...         break
    >>> stopper.best_epoch, stopper.best_loss, stopper.epoch
    (2, 0.5, 4)
    >>> stopper.restore(params)
    >>> params["w"]
    array([2.])
    """

    def __init__(self, patience: int):
        self.patience = positive_int(patience, "patience")
        self.best_loss = np.inf
        self.best_params: dict[str, np.ndarray] = {}
        self.best_epoch = 0
        self.epoch = 0

    def step(self, loss: float, params: Mapping[str, np.ndarray]) -> bool:
        """Record this epoch's validation ``loss``; ``True`` means stop now."""
        if isinstance(loss, numbers.Real) and not isinstance(loss, bool) and not np.isfinite(loss):
            raise ValueError(f"loss is {loss}: training diverged; try a smaller learning rate")
        loss = finite_float(loss, "loss")
        self.epoch += 1
        if loss < self.best_loss:
            self.best_loss, self.best_epoch = loss, self.epoch
            self.best_params = {key: np.array(value, copy=True) for key, value in params.items()}
        return self.epoch - self.best_epoch >= self.patience

    def restore(self, params: dict[str, np.ndarray]) -> None:
        """Copy the best parameters seen back into the arrays of ``params``."""
        if not self.best_params:
            raise ValueError("no parameters to restore yet: call step(loss, params) at least once")
        if set(params) != set(self.best_params):
            raise ValueError(f"params must have the keys {sorted(self.best_params)} seen by step(), got {sorted(params)}")
        for key, value in self.best_params.items():
            params[key][...] = value

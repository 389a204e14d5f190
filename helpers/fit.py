"""Fitting the parameters of y = a·cos(b·x) + c·exp(d·x) with custom layers (lesson 09).

Lesson 09 builds a cos layer and an exp layer with hand-written backward
passes, shows how much the result depends on where training starts, and then
trains many starts side by side, pooling them every few steps. This module is
the tidy version of that lesson's code.

Every layer works on K parameter sets at once: a parameter is an array of
shape ``(K,)`` (or a single number), the input ``x`` has shape ``(n,)``, and
the output has shape ``(K, n)``, one row per parameter set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import finite_array, number, positive_float, positive_int, random_seed
from .optim import Adam

PARAMETER_NAMES = ("a", "b", "c", "d")


class CosLayer:
    """out = a·cos(b·x), with its backward pass written by hand (lesson 09).

    ``backward(upstream)`` takes ∂L/∂out and returns ∂L/∂x; it stores
    ∂L/∂a = Σ upstream·cos(bx) and ∂L/∂b = Σ upstream·(−a·x·sin(bx)) in ``grads``
    (sums over the points, one value per parameter set).

    >>> layer = CosLayer(a=2.0, b=0.0)
    >>> layer.forward(np.array([0.0, 1.0])).round(3)
    array([2., 2.])
    """

    def __init__(self, a: float | np.ndarray, b: float | np.ndarray):
        self.params = {"a": np.array(a, dtype=float), "b": np.array(b, dtype=float)}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray) -> np.ndarray:
        a, b = self.params["a"][..., None], self.params["b"][..., None]
        self.x, self.bx = x, b * x
        self.cos_bx = np.cos(self.bx)
        return a * self.cos_bx

    def backward(self, upstream: np.ndarray) -> np.ndarray:
        a, b = self.params["a"][..., None], self.params["b"][..., None]
        sin = np.sin(self.bx)
        self.grads = {"a": np.sum(upstream * self.cos_bx, axis=-1),
                      "b": np.sum(upstream * (-a * self.x * sin), axis=-1)}
        return upstream * (-a * b * sin)


class ExpLayer:
    """out = c·exp(d·x), with its backward pass written by hand (lesson 09).

    ∂out/∂c = exp(dx), ∂out/∂d = c·x·exp(dx), ∂out/∂x = c·d·exp(dx).

    >>> ExpLayer(c=0.5, d=1.0).forward(np.array([0.0])).round(3)
    array([0.5])
    """

    def __init__(self, c: float | np.ndarray, d: float | np.ndarray):
        self.params = {"c": np.array(c, dtype=float), "d": np.array(d, dtype=float)}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray) -> np.ndarray:
        c, d = self.params["c"][..., None], self.params["d"][..., None]
        self.x, self.e = x, np.exp(d * x)
        return c * self.e

    def backward(self, upstream: np.ndarray) -> np.ndarray:
        c, d = self.params["c"][..., None], self.params["d"][..., None]
        self.grads = {"c": np.sum(upstream * self.e, axis=-1),
                      "d": np.sum(upstream * c * self.x * self.e, axis=-1)}
        return upstream * c * d * self.e


class CosExpModel:
    """y = a·cos(b·x) + c·exp(d·x): a cos layer and an exp layer side by side, outputs added.

    ``theta`` has shape ``(K, 4)``, columns a, b, c, d. ``loss_and_gradient(x, y)``
    returns the mean squared error of each parameter set, shape ``(K,)``, and its
    gradient, shape ``(K, 4)``.

    >>> model = CosExpModel(np.array([[2.0, 5.0, 0.5, 0.7]]))
    >>> x = np.linspace(0, 3, 5)
    >>> loss, grad = model.loss_and_gradient(x, 2 * np.cos(5 * x) + 0.5 * np.exp(0.7 * x))
    >>> float(loss[0]), bool(np.all(grad == 0))
    (0.0, True)
    """

    def __init__(self, theta: np.ndarray) -> None:
        theta = np.asarray(theta, dtype=float)
        self.cos = CosLayer(theta[:, 0], theta[:, 1])
        self.exp = ExpLayer(theta[:, 2], theta[:, 3])

    @property
    def theta(self) -> np.ndarray:
        return np.column_stack([self.cos.params["a"], self.cos.params["b"],
                                self.exp.params["c"], self.exp.params["d"]])

    def set_theta(self, theta: np.ndarray) -> None:
        slots: list[tuple[int, CosLayer | ExpLayer, str]] = [(0, self.cos, "a"), (1, self.cos, "b"),
                                                              (2, self.exp, "c"), (3, self.exp, "d")]
        for column, layer, key in slots:
            layer.params[key][:] = theta[:, column]

    def forward(self, x: np.ndarray) -> np.ndarray:
        return self.cos.forward(x) + self.exp.forward(x)

    def loss_and_gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        residual = self.forward(x) - y
        upstream = 2 * residual / x.size          # ∂(mean squared error)/∂out
        self.cos.backward(upstream)               # both layers see the same upstream: the outputs are added
        self.exp.backward(upstream)
        grads = {**self.cos.grads, **self.exp.grads}
        return np.mean(residual ** 2, axis=-1), np.column_stack([grads[key] for key in PARAMETER_NAMES])


def aggregate(theta: np.ndarray, losses: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax(−loss / T)-weighted mean of the parameter sets, ignoring any non-finite one (lesson 09).

    >>> aggregate(np.array([[1.0, 0, 0, 0], [3.0, 0, 0, 0], [9.0, 0, 0, 0]]), np.array([1.0, 1.0, np.nan]), 0.1)
    array([2., 0., 0., 0.])
    """
    temperature = positive_float(temperature, "temperature")
    finite = np.isfinite(losses) & np.all(np.isfinite(theta), axis=-1)
    if not finite.any():
        raise FloatingPointError("every start diverged: nothing left to aggregate (try a smaller learning rate)")
    shifted = losses[finite] - losses[finite].min()   # the softmax is unchanged by a shift; exp cannot overflow
    weights = np.exp(-shifted / temperature)
    return weights @ theta[finite] / weights.sum()


@dataclass
class FitResult:
    """What :func:`fit_cos_exp` found.

    ``params`` is (a, b, c, d) of the best start, with b ≥ 0 (cos is even, so b and
    −b fit equally well); ``loss`` its mean squared error. ``history`` has shape
    ``(steps + 1, K)``: every start's loss before each step and after the last,
    NaN while a start is dropped. ``aggregated_at`` lists the steps after which the
    starts were pooled; ``notes`` says which starts diverged and were dropped.
    """

    params: tuple[float, float, float, float]
    loss: float
    history: np.ndarray
    starts: np.ndarray
    aggregated_at: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def random_starts(x: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` starting points (K, 4): a = c = 1, b uniform up to 4 periods on the interval, d uniform.

    b is drawn from (0, 8π/W) and d from (−6/W, 6/W), where W is the width of the
    interval, so that the starts cover the same shapes whatever the units of x.
    """
    count = positive_int(count, "count")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}")
    width = float(np.ptp(finite_array(x, "x", nonempty=True)))
    if width == 0:
        raise ValueError("x must not be a single repeated value: the points must span an interval")
    b = rng.uniform(0.0, 8 * np.pi / width, count)
    d = rng.uniform(-6 / width, 6 / width, count)
    return np.column_stack([np.ones(count), b, np.ones(count), d])


def fit_cos_exp(x: np.ndarray, y: np.ndarray, *, starts: int | np.ndarray = 32, period: int | None = 100,
                temperature: float = 0.1, steps: int = 400, spread: float = 0.1, lr: float = 0.05,
                seed: int = 0) -> FitResult:
    """Fit y ≈ a·cos(b·x) + c·exp(d·x) from many starts trained side by side (lesson 09).

    ``starts`` is a number K of random starts (see :func:`random_starts`) or an
    array ``(K, 4)`` of starting (a, b, c, d). All K are trained together with
    Adam. Every ``period`` steps they are pooled: the softmax(−loss/temperature)
    weighted mean of the parameter sets is computed and copied back to every
    start, the first exactly and the others multiplied by 1 + ``spread``·N(0, 1)
    per parameter, and Adam starts afresh. ``period=None`` trains the K starts
    independently (plain restarts). A start whose loss becomes NaN or infinite is
    dropped (left out of every aggregate, recorded in ``notes``) until the next
    pooling gives it new values. Deterministic for a given ``seed``.

    >>> x = np.linspace(0, 3, 61)
    >>> fit = fit_cos_exp(x, 1.5 * np.cos(4 * x) + 0.8 * np.exp(0.5 * x), seed=0)
    >>> [round(p, 2) for p in fit.params]
    [1.5, 4.0, 0.8, 0.5]
    """
    x = finite_array(x, "x", ndim=1)
    y = finite_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    if x.size < 4:
        raise ValueError(f"x must hold at least 4 points to fit 4 parameters, got {x.size}")
    if np.ptp(x) == 0:
        raise ValueError("x must not be a single repeated value: the points must span an interval")
    steps = positive_int(steps, "steps")
    if period is not None:
        period = positive_int(period, "period")
    temperature = positive_float(temperature, "temperature")
    spread = number(spread, "spread", low=0)
    lr = positive_float(lr, "lr")
    rng = np.random.default_rng(random_seed(seed))
    if isinstance(starts, (int, np.integer)) and not isinstance(starts, bool):
        theta = random_starts(x, positive_int(starts, "starts"), rng)
    elif isinstance(starts, bool) or np.ndim(starts) == 0:
        raise TypeError(f"starts must be a whole number K or an array of shape (K, 4), got {starts!r}")
    else:
        theta = finite_array(starts, "starts", shape=(None, 4)).copy()
        if len(theta) < 1:
            raise ValueError("starts must hold at least 1 start, got an empty array")
    first = theta.copy()
    model = CosExpModel(theta)
    optimizer = Adam(lr)
    history = np.full((steps + 1, len(theta)), np.nan)
    aggregated_at: list[int] = []
    notes: list[str] = []
    alive = np.ones(len(theta), dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps + 1):
            loss, grad = model.loss_and_gradient(x, y)
            diverged = alive & ~(np.isfinite(loss) & np.all(np.isfinite(grad), axis=1))
            for k in np.flatnonzero(diverged):
                notes.append(f"start {k} diverged at step {step} (loss {loss[k]}) and was dropped")
            alive &= ~diverged
            if not alive.any():
                raise FloatingPointError(f"every start diverged by step {step}: try a smaller lr or other starts")
            history[step, alive] = loss[alive]
            if step == steps:
                break
            grad[~alive] = 0.0                  # a dropped start stays where it is ...
            params = {"theta": model.theta}
            optimizer.update(params, {"theta": grad})
            model.set_theta(params["theta"])
            if period is not None and (step + 1) % period == 0 and step + 1 < steps:
                current, _ = model.loss_and_gradient(x, y)
                current[~alive] = np.nan        # ... and is left out of the aggregate
                pooled = aggregate(model.theta, current, temperature)
                noise = 1 + spread * rng.normal(size=theta.shape)
                noise[0] = 1.0
                model.set_theta(pooled * noise)
                alive[:] = True
                optimizer = Adam(lr)
                aggregated_at.append(step + 1)
    final = history[-1]
    best = int(np.nanargmin(final))
    a, b, c, d = (float(v) for v in model.theta[best])
    return FitResult(params=(a, abs(b), c, d), loss=float(final[best]), history=history, starts=first,
                     aggregated_at=aggregated_at, notes=notes)

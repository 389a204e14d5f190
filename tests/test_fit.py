"""helpers.fit: the cos and exp layers, pooling and fit_cos_exp (lesson 09).

The layers' backward passes are compared with central differences (helpers.grad),
the pooled mean with a softmax written out by hand, and fit_cos_exp with the
parameters that generated its data: targets other than the lesson's own.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.fit import (
    CosExpModel,
    CosLayer,
    ExpLayer,
    aggregate,
    fit_cos_exp,
    random_starts,
)
from helpers.grad import numerical_gradient, relative_error

X = np.linspace(0, 3, 81)


def curve(theta, x=X):
    a, b, c, d = theta
    return a * np.cos(b * x) + c * np.exp(d * x)


def noisy(theta, noise=0.05, seed=1):
    return curve(theta) + noise * np.random.default_rng(seed).normal(size=X.size)


def recovered(params, truth, rtol=0.05, atol=0.03):
    return np.all(np.abs(np.array(params) - np.array(truth)) <= rtol * np.abs(truth) + atol)


# --- layers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("layer_class, names", [(CosLayer, ("a", "b")), (ExpLayer, ("c", "d"))])
@given(p=st.floats(-2, 2), q=st.floats(-1.5, 1.5), seed=st.integers(0, 1000))
@settings(max_examples=25, deadline=None)
def test_layer_backward_matches_central_differences(layer_class, names, p, q, seed):
    rng = np.random.default_rng(seed)
    x, upstream = rng.uniform(-2, 2, 6), rng.normal(size=6)

    def made_up_loss(first, second, inputs):  # dL/d(out) = upstream exactly
        return float(np.sum(upstream * layer_class(first, second).forward(inputs)))

    layer = layer_class(p, q)
    layer.forward(x)
    dx = layer.backward(upstream)
    by_nudging = numerical_gradient(lambda v: made_up_loss(v[0], v[1], x), np.array([p, q]), h=1e-5)
    dx_by_nudging = numerical_gradient(lambda v: made_up_loss(p, q, v), x.copy(), h=1e-5)
    scale = 1 + np.max(np.abs(by_nudging))
    assert np.allclose([layer.grads[names[0]], layer.grads[names[1]]], by_nudging, atol=1e-6 * scale)
    assert np.allclose(dx, dx_by_nudging, atol=1e-6 * (1 + np.max(np.abs(dx_by_nudging))))


def test_layers_work_on_many_parameter_sets_at_once():
    a, b = np.array([1.0, 2.0, -0.5]), np.array([0.5, 3.0, 1.0])
    out = CosLayer(a, b).forward(X)
    assert out.shape == (3, X.size)
    for k in range(3):  # each row is the single-set layer
        assert np.allclose(out[k], CosLayer(a[k], b[k]).forward(X))
    assert np.allclose(ExpLayer(np.array([1.0, 2.0]), np.array([0.0, 1.0])).forward(X),
                       [np.ones(X.size), 2 * np.exp(X)])


def test_model_gradient_matches_central_differences():
    y = noisy([2.0, 5.0, 0.5, 0.7])
    theta = np.array([[1.0, 4.0, 1.0, 0.2], [2.5, 1.0, -0.3, 1.1], [0.5, 6.5, 2.0, -0.8]])
    loss, grad = CosExpModel(theta).loss_and_gradient(X, y)
    for k in range(len(theta)):
        expected = numerical_gradient(lambda p: float(CosExpModel(p[None]).loss_and_gradient(X, y)[0][0]),
                                      theta[k].copy())
        assert relative_error(grad[k], expected) < 1e-7
        assert np.isclose(loss[k], np.mean((curve(theta[k]) - y) ** 2))


def test_model_loss_is_zero_at_the_generating_parameters():
    truth = np.array([[1.5, 4.0, 0.8, 0.5]])
    loss, grad = CosExpModel(truth).loss_and_gradient(X, curve(truth[0]))
    assert loss[0] == 0 and np.all(grad == 0)


# --- pooling --------------------------------------------------------------------------------------

def test_aggregate_is_the_softmax_weighted_mean():
    theta = np.array([[1.0, 2.0, 3.0, 4.0], [3.0, 2.0, 1.0, 0.0], [0.0, 0.0, 0.0, 8.0]])
    losses = np.array([0.1, 0.3, 0.2])
    weights = np.exp(-losses / 0.5) / np.exp(-losses / 0.5).sum()
    assert np.allclose(aggregate(theta, losses, 0.5), weights @ theta)


def test_aggregate_ignores_non_finite_starts_and_large_losses():
    theta = np.array([[1.0, 0, 0, 0], [3.0, 0, 0, 0], [np.nan, 0, 0, 0], [5.0, 0, 0, 0]])
    losses = np.array([1000.0, 1000.0, np.nan, np.inf])  # exp(-1000 / 0.01) underflows without a shift
    assert np.allclose(aggregate(theta, losses, 0.01), [2.0, 0, 0, 0])
    with pytest.raises(FloatingPointError, match="every start diverged"):
        aggregate(theta, np.full(4, np.nan), 0.1)


# --- fit_cos_exp ----------------------------------------------------------------------------------

TARGETS = [
    (1.0, 3.0, 1.5, 0.4),     # gentle oscillation, growth
    (3.0, 6.0, 0.5, 0.9),     # large amplitude, fast oscillation, strong growth
    (0.8, 4.0, 2.0, -0.5),    # decay instead of growth
    (1.5, 7.0, 1.0, 0.3),     # the fastest oscillation of the range
    (2.5, 2.5, -1.0, 0.6),    # a negative exponential part
    (0.6, 5.5, 1.2, -0.9),    # small amplitude, fast decay
]


@pytest.mark.parametrize("truth", TARGETS)
def test_fit_recovers_targets_other_than_the_lessons(truth):
    fit = fit_cos_exp(X, noisy(truth), seed=0)
    assert recovered(fit.params, truth), (fit.params, truth)
    assert fit.loss < 2 * 0.05 ** 2          # at the noise floor (noise std 0.05)
    assert all(isinstance(p, float) for p in fit.params)


def test_fit_recovers_on_another_interval_and_reports_b_positive():
    x = np.linspace(-1, 1, 61)
    truth = (1.2, 9.0, 0.7, 1.5)
    y = truth[0] * np.cos(truth[1] * x) + truth[2] * np.exp(truth[3] * x)
    fit = fit_cos_exp(x, y, seed=0)
    assert fit.params[1] > 0 and recovered(fit.params, truth, atol=0.01)


def test_fit_is_deterministic_per_seed_and_depends_on_it():
    y = noisy((2.0, 5.0, 0.5, 0.7), noise=0.1)
    first, again = fit_cos_exp(X, y, seed=3, steps=100), fit_cos_exp(X, y, seed=3, steps=100)
    assert first.params == again.params and np.array_equal(first.history, again.history, equal_nan=True)
    assert not np.array_equal(first.starts, fit_cos_exp(X, y, seed=4, steps=100).starts)


def test_history_has_a_row_per_step_and_a_column_per_start():
    y = noisy((2.0, 5.0, 0.5, 0.7))
    fit = fit_cos_exp(X, y, starts=5, period=20, steps=70, seed=0)
    assert fit.history.shape == (71, 5)
    assert fit.aggregated_at == [20, 40, 60]
    assert np.isclose(fit.history[-1].min(), fit.loss)
    assert np.allclose(fit.history[0], np.mean((curve(fit.starts.T[:, :, None]) - y) ** 2, axis=1))


def test_independent_restarts_do_not_pool():
    fit = fit_cos_exp(X, noisy((2.0, 5.0, 0.5, 0.7)), starts=4, period=None, steps=50)
    assert fit.aggregated_at == []


def test_a_diverging_start_is_dropped_with_a_note_not_nan():
    starts = np.array([[1.0, 4.0, 1.0, 0.0], [1.0, 2.0, 1.0, 400.0], [1.0, 6.0, 1.0, 0.5]])  # exp(1200) = inf
    fit = fit_cos_exp(X, noisy((2.0, 5.0, 0.5, 0.7)), starts=starts, period=50, steps=200)
    assert any("start 1 diverged" in note for note in fit.notes)
    assert np.all(np.isfinite(fit.params)) and np.isfinite(fit.loss)
    assert np.isnan(fit.history[0, 1]) and np.isfinite(fit.history[-1]).all()  # pooling gave it new values
    assert recovered(fit.params, (2.0, 5.0, 0.5, 0.7), atol=0.05)


def test_every_start_diverging_is_an_error():
    with pytest.raises(FloatingPointError, match="every start diverged"):
        fit_cos_exp(X, noisy((2.0, 5.0, 0.5, 0.7)), starts=np.array([[1.0, 1.0, 1.0, 500.0]]), steps=10)


def test_random_starts_cover_the_interval_in_its_own_units():
    starts = random_starts(np.linspace(0, 6, 10), 1000, np.random.default_rng(0))
    assert starts.shape == (1000, 4) and np.all(starts[:, [0, 2]] == 1)
    assert 0 <= starts[:, 1].min() and starts[:, 1].max() <= 8 * np.pi / 6
    assert -1 <= starts[:, 3].min() and starts[:, 3].max() <= 1


@pytest.mark.parametrize("kwargs, error, words", [
    ({"starts": 0}, ValueError, "starts must be at least 1"),
    ({"starts": 2.5}, TypeError, "starts"),
    ({"starts": np.ones((3, 3))}, ValueError, "starts must have shape"),
    ({"starts": np.array([[1.0, np.nan, 1.0, 0.0]])}, ValueError, "starts contains NaN"),
    ({"period": 0}, ValueError, "period must be at least 1"),
    ({"period": 1.5}, TypeError, "period"),
    ({"steps": 0}, ValueError, "steps must be at least 1"),
    ({"temperature": 0.0}, ValueError, "temperature"),
    ({"temperature": -1.0}, ValueError, "temperature"),
    ({"lr": -0.1}, ValueError, "lr"),
    ({"seed": 1.5}, TypeError, "seed"),
])
def test_bad_settings_name_the_argument(kwargs, error, words):
    with pytest.raises(error, match=words):
        fit_cos_exp(X, curve((1, 2, 1, 0)), **kwargs)


@pytest.mark.parametrize("x, y, words", [
    (X, curve((1, 2, 1, 0))[:-1], "x and y must have the same shape"),
    (X.reshape(9, 9), curve((1, 2, 1, 0)).reshape(9, 9), "x must have 1 dimension"),
    (np.where(X == X[3], np.nan, X), curve((1, 2, 1, 0)), "x contains NaN"),
    (X, np.where(X == X[3], np.inf, curve((1, 2, 1, 0))), "y contains NaN or infinite"),
    (X[:3], curve((1, 2, 1, 0))[:3], "at least 4 points"),
    (np.ones(10), np.ones(10), "single repeated value"),
])
def test_bad_data_name_the_argument(x, y, words):
    with pytest.raises(ValueError, match=words):
        fit_cos_exp(x, y)

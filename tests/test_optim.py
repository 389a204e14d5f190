"""helpers.optim's Momentum, AdaGrad, RMSProp and Adam (lesson 07), and plots.optimizer_paths.

The references here are written from the published update equations in their
"sum over the gradient history" form (e.g. Adam's m_t = (1 − β1) Σ β1^(t−i) g_i),
not from the recursions the helpers use, so a slip in a recursion (no bias
correction, momentum applied to the old velocity, AdaGrad without accumulation)
shows up as a different trajectory. Closed forms check the rest.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.optim import SGD, AdaGrad, Adam, Momentum, RMSProp, optimizer_path
from helpers.plots import optimizer_paths

START = np.array([-7.0, 2.0])


def bowl(point):
    """f(x, y) = x²/20 + y², the lesson's demo surface (Deep Learning from Scratch, ch. 6)."""
    return point[0] ** 2 / 20 + point[1] ** 2


def bowl_gradient(point):
    return np.array([point[0] / 10, 2 * point[1]])


def reference_path(rule, grad_fn, start, steps):
    """Points visited when each step is ``rule(gradients so far, t)``, from the history of gradients."""
    points, history = [np.array(start, dtype=float)], []
    for t in range(1, steps + 1):
        history.append(grad_fn(points[-1]))
        points.append(points[-1] - rule(np.array(history), t))
    return np.array(points)


def weighted_sum(history, decay):
    """Σ_i decay^(t−i) · history[i−1] for i = 1..t: the unrolled form of a decaying running sum."""
    t = len(history)
    weights = decay ** np.arange(t - 1, -1, -1)
    return np.tensordot(weights, history, axes=1)


def momentum_rule(lr, mu):
    # PyTorch SGD(momentum=mu): b_t = Σ mu^(t−i) g_i, step lr · b_t
    return lambda history, t: lr * weighted_sum(history, mu)


def nesterov_rule(lr, mu):
    # PyTorch SGD(momentum=mu, nesterov=True): b_t = Σ mu^(t−i) g_i, step lr · (g_t + mu · b_t)
    return lambda history, t: lr * (history[-1] + mu * weighted_sum(history, mu))


def adagrad_rule(lr, eps=1e-10):
    return lambda history, t: lr * history[-1] / (np.sqrt(np.sum(history ** 2, axis=0)) + eps)


def rmsprop_rule(lr, rho, eps=1e-8):
    return lambda history, t: lr * history[-1] / (np.sqrt((1 - rho) * weighted_sum(history ** 2, rho)) + eps)


def adam_rule(lr, beta1, beta2, eps=1e-8):
    # Kingma & Ba, Algorithm 1, with the moments unrolled
    def rule(history, t):
        m_hat = (1 - beta1) * weighted_sum(history, beta1) / (1 - beta1 ** t)
        v_hat = (1 - beta2) * weighted_sum(history ** 2, beta2) / (1 - beta2 ** t)
        return lr * m_hat / (np.sqrt(v_hat) + eps)
    return rule


CASES = {
    "Momentum": (lambda: Momentum(0.1, momentum=0.9), momentum_rule(0.1, 0.9)),
    "Momentum, beta 0.5": (lambda: Momentum(0.05, momentum=0.5), momentum_rule(0.05, 0.5)),
    "Nesterov": (lambda: Momentum(0.1, momentum=0.9, nesterov=True), nesterov_rule(0.1, 0.9)),
    "Nesterov, beta 0.4": (lambda: Momentum(0.3, momentum=0.4, nesterov=True), nesterov_rule(0.3, 0.4)),
    "AdaGrad": (lambda: AdaGrad(1.5), adagrad_rule(1.5)),
    "RMSProp": (lambda: RMSProp(0.1), rmsprop_rule(0.1, 0.99)),
    "RMSProp, decay 0.9": (lambda: RMSProp(0.05, decay=0.9), rmsprop_rule(0.05, 0.9)),
    "Adam": (lambda: Adam(0.3), adam_rule(0.3, 0.9, 0.999)),
    "Adam, betas 0.5 and 0.9": (lambda: Adam(0.2, beta1=0.5, beta2=0.9), adam_rule(0.2, 0.5, 0.9)),
}


@pytest.mark.parametrize("name", CASES)
def test_trajectory_on_the_bowl_matches_the_published_equations(name):
    make, rule = CASES[name]
    path = optimizer_path(make(), bowl_gradient, START, steps=30)
    expected = reference_path(rule, bowl_gradient, START, 30)
    np.testing.assert_allclose(path, expected, rtol=1e-9, atol=1e-12)


def test_the_reference_tells_adam_from_adam_without_bias_correction():
    # Guards the test above: on this surface, forgetting the correction changes the path a lot.
    def uncorrected(history, t):
        m = 0.1 * weighted_sum(history, 0.9)
        v = 0.001 * weighted_sum(history ** 2, 0.999)
        return 0.3 * m / (np.sqrt(v) + 1e-8)
    path = optimizer_path(Adam(0.3), bowl_gradient, START, steps=30)
    assert np.max(np.abs(path - reference_path(uncorrected, bowl_gradient, START, 30))) > 0.5


def test_trajectories_on_a_rotated_quadratic_match_too():
    # A valley that is not aligned with the axes couples the coordinates.
    hessian = np.array([[3.0, 1.2], [1.2, 1.0]])
    gradient = lambda p: hessian @ p
    start = np.array([1.5, -2.0])
    for make, rule in CASES.values():
        np.testing.assert_allclose(optimizer_path(make(), gradient, start, 25),
                                   reference_path(rule, gradient, start, 25), rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(lr=st.floats(0.01, 0.99), x0=st.floats(-10, 10), y0=st.floats(-5, 5), steps=st.integers(1, 40))
def test_sgd_on_the_bowl_follows_the_closed_form(lr, x0, y0, steps):
    # Each coordinate of a diagonal quadratic shrinks by (1 − lr · curvature) per step.
    path = optimizer_path(SGD(lr), bowl_gradient, np.array([x0, y0]), steps)
    k = np.arange(steps + 1)[:, None]
    expected = (1 - lr * np.array([0.1, 2.0])) ** k * np.array([x0, y0])
    np.testing.assert_allclose(path, expected, rtol=1e-9, atol=1e-12)


def run_on_a_constant_gradient(optimizer, gradient, steps):
    params = {"w": np.zeros_like(gradient)}
    points = [params["w"].copy()]
    for _ in range(steps):
        optimizer.update(params, {"w": gradient.copy()})
        points.append(params["w"].copy())
    return np.array(points)


nonzero_gradients = st.lists(st.floats(1e-2, 1e3).flatmap(lambda m: st.sampled_from([m, -m])), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(g=nonzero_gradients, lr=st.floats(1e-3, 1.0), mu=st.floats(0.0, 0.99), steps=st.integers(1, 30))
def test_momentum_on_a_steady_slope(g, lr, mu, steps):
    # After k steps the velocity is g · (1 − μ^k)/(1 − μ); the position is minus lr times their sum.
    g = np.array(g)
    points = run_on_a_constant_gradient(Momentum(lr, momentum=mu), g, steps)
    k = np.arange(steps + 1)
    travelled = np.array([sum((1 - mu ** j) / (1 - mu) for j in range(1, n + 1)) for n in k])
    np.testing.assert_allclose(points, -lr * travelled[:, None] * g, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(g=nonzero_gradients, lr=st.floats(1e-3, 1.0), steps=st.integers(1, 60))
def test_adagrad_on_a_steady_slope_slows_like_one_over_root_t(g, lr, steps):
    g = np.array(g)
    points = run_on_a_constant_gradient(AdaGrad(lr), g, steps)
    travelled = np.cumsum([0.0] + [1 / math.sqrt(t) for t in range(1, steps + 1)])
    np.testing.assert_allclose(points, -lr * travelled[:, None] * np.sign(g), rtol=1e-7, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(g=nonzero_gradients, lr=st.floats(1e-3, 1.0), rho=st.floats(0.0, 0.999), steps=st.integers(1, 60))
def test_rmsprop_on_a_steady_slope(g, lr, rho, steps):
    # h_t = (1 − ρ^t) g², so step t is lr / √(1 − ρ^t) in the direction of −sign(g).
    g = np.array(g)
    points = run_on_a_constant_gradient(RMSProp(lr, decay=rho), g, steps)
    travelled = np.cumsum([0.0] + [1 / math.sqrt(1 - rho ** t) for t in range(1, steps + 1)])
    # eps = 1e-8 against √h ≥ 3e-4 here: a relative effect below 1e-4
    np.testing.assert_allclose(points, -lr * travelled[:, None] * np.sign(g), rtol=1e-4, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(g=nonzero_gradients, lr=st.floats(1e-3, 1.0), beta1=st.floats(0.0, 0.99), beta2=st.floats(0.0, 0.9999),
       steps=st.integers(1, 60))
def test_adam_with_bias_correction_steps_exactly_lr_on_a_steady_slope(g, lr, beta1, beta2, steps):
    # With a constant gradient, m̂ = g and v̂ = g² at every step, so every step is lr · sign(g).
    # Without the correction the first step would be lr (1 − β1)/√(1 − β2) instead.
    g = np.array(g)
    points = run_on_a_constant_gradient(Adam(lr, beta1=beta1, beta2=beta2), g, steps)
    expected = -lr * np.arange(steps + 1)[:, None] * np.sign(g)
    np.testing.assert_allclose(points, expected, rtol=1e-5, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(1e-3, 1e4), which=st.sampled_from(["AdaGrad", "RMSProp", "Adam"]))
def test_adaptive_optimizers_ignore_the_scale_of_the_gradient(scale, which):
    make = {"AdaGrad": lambda: AdaGrad(0.5), "RMSProp": lambda: RMSProp(0.05), "Adam": lambda: Adam(0.3)}[which]
    plain = optimizer_path(make(), bowl_gradient, START, 20)
    scaled = optimizer_path(make(), lambda p: scale * bowl_gradient(p), START, 20)
    np.testing.assert_allclose(scaled, plain, rtol=1e-4, atol=1e-6)


def test_demo_settings_all_end_nearer_the_minimum_than_the_start():
    demo = {"SGD": SGD(0.95), "Momentum": Momentum(0.1, momentum=0.9), "AdaGrad": AdaGrad(1.5), "Adam": Adam(0.3)}
    for name, optimizer in demo.items():
        path = optimizer_path(optimizer, bowl_gradient, START, steps=30)
        assert path.shape == (31, 2)
        assert np.linalg.norm(path[-1]) < np.linalg.norm(START), name
        assert bowl(path[-1]) < bowl(START) / 10, name


def test_sgd_demo_ends_where_the_closed_form_says():
    path = optimizer_path(SGD(0.95), bowl_gradient, START, steps=30)
    np.testing.assert_allclose(path[-1], [-7 * 0.905 ** 30, 2 * (-0.9) ** 30], rtol=1e-12)


def test_first_steps_by_hand():
    # Hand calculation with gradient (10, −0.5) at w = (1, 1):
    grads = {"w": np.array([10.0, -0.5])}
    cases = {
        # AdaGrad: h = g², step lr · g/|g|
        "AdaGrad": (AdaGrad(0.1), [0.9, 1.1]),
        # RMSProp: h = 0.01 g², step lr · g / (0.1 |g|) = 10 lr · sign(g)
        "RMSProp": (RMSProp(0.01), [0.9, 1.1]),
        # Adam: m̂ = g, v̂ = g², step lr · sign(g)
        "Adam": (Adam(0.1), [0.9, 1.1]),
        # Momentum: v = g, step lr · g
        "Momentum": (Momentum(0.1), [0.0, 1.05]),
        # Nesterov: v = g, step lr · (g + 0.9 v) = 0.19 g
        "Nesterov": (Momentum(0.1, nesterov=True), [-0.9, 1.095]),
    }
    for name, (optimizer, expected) in cases.items():
        params = {"w": np.array([1.0, 1.0])}
        optimizer.update(params, grads)
        np.testing.assert_allclose(params["w"], expected, rtol=1e-6, err_msg=name)


def test_nesterov_adds_the_weight_decay_before_the_look_ahead_as_pytorch_does():
    # Hand calculation: w = 1, g = 1, wd = 0.5, so d = 1.5, v = 1.5, step 0.1 · (1.5 + 0.9 · 1.5) = 0.285;
    # then g = 1 again, d = 1 + 0.5 · 0.715 = 1.3575, v = 0.9 · 1.5 + 1.3575 = 2.7075,
    # step 0.1 · (1.3575 + 0.9 · 2.7075) = 0.379425.
    params, optimizer = {"w": np.array([1.0])}, Momentum(0.1, momentum=0.9, weight_decay=0.5, nesterov=True)
    optimizer.update(params, {"w": np.array([1.0])})
    np.testing.assert_allclose(params["w"], [0.715], rtol=1e-12)
    optimizer.update(params, {"w": np.array([1.0])})
    np.testing.assert_allclose(params["w"], [0.715 - 0.379425], rtol=1e-12)


@pytest.mark.parametrize("make", [lambda: Momentum(0.1), lambda: AdaGrad(0.1), lambda: RMSProp(0.1), lambda: Adam(0.1)],
                         ids=["Momentum", "AdaGrad", "RMSProp", "Adam"])
def test_update_changes_the_arrays_in_place_and_keeps_state_per_key(make):
    a, b = np.array([1.0, -2.0]), np.array([[0.5], [3.0]])
    together, alone_a, alone_b = make(), make(), make()
    params = {"a": a, "b": b}
    pa, pb = {"a": a.copy()}, {"b": b.copy()}
    for step in range(5):
        ga, gb = np.array([0.3, -1.0]) * (step + 1), np.array([[2.0], [-0.1]]) / (step + 1)
        together.update(params, {"a": ga, "b": gb})
        alone_a.update(pa, {"a": ga})
        alone_b.update(pb, {"b": gb})
    assert params["a"] is a and params["b"] is b  # the caller's own arrays were changed
    np.testing.assert_allclose(a, pa["a"], rtol=1e-12)
    np.testing.assert_allclose(b, pb["b"], rtol=1e-12)
    assert not np.allclose(a, [1.0, -2.0])


@pytest.mark.parametrize("make, argument", [
    (lambda: Momentum(0.0), "lr"), (lambda: AdaGrad(-0.1), "lr"), (lambda: RMSProp(float("nan")), "lr"),
    (lambda: Adam(float("inf")), "lr"),
    (lambda: Momentum(0.1, momentum=1.0), "momentum"), (lambda: Momentum(0.1, momentum=-0.1), "momentum"),
    (lambda: RMSProp(0.1, decay=1.0), "decay"), (lambda: RMSProp(0.1, decay=1.5), "decay"),
    (lambda: Adam(0.1, beta1=1.0), "beta1"), (lambda: Adam(0.1, beta1=-0.5), "beta1"),
    (lambda: Adam(0.1, beta2=1.0), "beta2"), (lambda: Adam(0.1, beta2=float("nan")), "beta2"),
    (lambda: AdaGrad(0.1, eps=0.0), "eps"), (lambda: Adam(0.1, eps=-1e-8), "eps"),
])
def test_bad_settings_raise_value_error_naming_the_argument(make, argument):
    with pytest.raises(ValueError, match=rf"^{argument} must"):
        make()


@pytest.mark.parametrize("make, argument", [
    (lambda: Adam("0.1"), "lr"), (lambda: Momentum(0.1, momentum=None), "momentum"),
    (lambda: RMSProp(0.1, decay=True), "decay"), (lambda: Adam(0.1, beta2="0.999"), "beta2"),
])
def test_settings_of_the_wrong_type_raise_type_error_naming_the_argument(make, argument):
    with pytest.raises(TypeError, match=rf"^{argument} must be a number"):
        make()


@pytest.mark.parametrize("kind", [Momentum, AdaGrad, RMSProp, Adam])
def test_params_and_grads_must_match(kind):
    optimizer = kind(0.1)
    with pytest.raises(ValueError, match="same keys"):
        optimizer.update({"w": np.zeros(2)}, {"v": np.zeros(2)})
    with pytest.raises(ValueError, match=r"grads\['w'\] has shape \(3,\) but params\['w'\] has shape \(2,\)"):
        optimizer.update({"w": np.zeros(2)}, {"w": np.zeros(3)})
    optimizer.update({"w": np.zeros(2)}, {"w": np.ones(2)})
    with pytest.raises(ValueError, match=r"params\['w'\] has shape \(3,\) but had shape \(2,\)"):
        optimizer.update({"w": np.zeros(3)}, {"w": np.ones(3)})


def test_optimizer_paths_draws_every_path_from_the_start():
    paths = {name: optimizer_path(make(), bowl_gradient, START, 10)
             for name, make in [("SGD", lambda: SGD(0.95)), ("Adam", lambda: Adam(0.3))]}
    fig, ax = plt.subplots()
    returned = optimizer_paths(lambda x, y: x ** 2 / 20 + y ** 2, paths, (-10, 10), (-5, 5), minimum=(0, 0), ax=ax)
    assert returned is ax
    for line, (name, path) in zip(ax.lines, paths.items()):
        assert line.get_label() == name
        np.testing.assert_array_equal(np.column_stack(line.get_data()), path)
    start_marker = ax.lines[-1]
    assert start_marker.get_label() == "start"
    np.testing.assert_array_equal(np.ravel(start_marker.get_data()), START)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Adam", "minimum", "start"]
    assert ax.get_xlim() == (-10, 10) and ax.get_ylim() == (-5, 5)
    plt.close(fig)


def test_optimizer_paths_needs_at_least_one_path():
    with pytest.raises(ValueError, match="paths must map"):
        optimizer_paths(lambda x, y: x ** 2 + y ** 2, {}, (-1, 1), (-1, 1))
    with pytest.raises(ValueError, match=r"paths\['bad'\] must have shape"):
        optimizer_paths(lambda x, y: x ** 2 + y ** 2, {"bad": np.zeros((3, 3))}, (-1, 1), (-1, 1))
    plt.close("all")

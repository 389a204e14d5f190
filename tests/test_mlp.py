"""helpers.nn.MLP (lesson 04): forward pass by hand, backpropagation against central
differences, the claims lesson 04 makes, bad input, and the lesson's exercise checks."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from helpers.grad import numerical_gradient, relative_error
from helpers.nn import MLP


def tiny_network():
    """A 2-2-2 ReLU network with round weights, small enough to compute by hand."""
    net = MLP([2, 2, 2])
    net.params["W1"][:] = [[1.0, -1.0], [2.0, 0.5]]
    net.params["b1"][:] = [0.0, 1.0]
    net.params["W2"][:] = [[1.0, 0.0], [-1.0, 2.0]]
    net.params["b2"][:] = [0.5, -0.5]
    return net


def test_forward_pass_by_hand():
    # x = (1, 2): z1 = (1·1 + 2·2 + 0, 1·(−1) + 2·0.5 + 1) = (5, 1), both positive so ReLU keeps them;
    # z2 = (5·1 + 1·(−1) + 0.5, 5·0 + 1·2 − 0.5) = (4.5, 1.5)
    net = tiny_network()
    np.testing.assert_allclose(net.forward(np.array([[1.0, 2.0]])), [[4.5, 1.5]])
    # a negative pre-activation is cut to 0: x = (−1, 0) gives z1 = (−1, 2), a1 = (0, 2), z2 = (−1.5, 3.5)
    np.testing.assert_allclose(net.forward(np.array([[-1.0, 0.0]])), [[-1.5, 3.5]])


def test_loss_and_output_gradient_by_hand():
    net = tiny_network()
    x = np.array([[1.0, 2.0]])
    # logits (4.5, 1.5), class 0: −ln(e^4.5 / (e^4.5 + e^1.5)) = ln(1 + e^−3)
    assert net.loss(x, np.array([0])) == pytest.approx(math.log(1 + math.exp(-3)))
    # dL/dlogits = p − y = (−q, q) with q = e^−3 / (1 + e^−3); dW2 = a1ᵀ (p − y) with a1 = (5, 1)
    q = math.exp(-3) / (1 + math.exp(-3))
    grads = net.gradient(x, np.array([0]))
    np.testing.assert_allclose(grads["W2"], [[-5 * q, 5 * q], [-q, q]])
    np.testing.assert_allclose(grads["b2"], [-q, q])
    # back through W2: dL/da1 = (−q·1 + q·0, −q·(−1) + q·2) = (−q, 3q); ReLU passes both (z1 > 0)
    np.testing.assert_allclose(grads["b1"], [-q, 3 * q])
    np.testing.assert_allclose(grads["W1"], [[-q, 3 * q], [-2 * q, 6 * q]])


def plain_pre_activations(net, x):
    """Hidden pre-activations computed here from the params, independently of MLP._forward."""
    activation = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
                  "tanh": np.tanh, "identity": lambda z: z}[net.activation]
    zs, a = [], x
    for layer in range(1, len(net.sizes) - 1):
        zs.append(a @ net.params[f"W{layer}"] + net.params[f"b{layer}"])
        a = activation(zs[-1])
    return zs


@st.composite
def networks_and_batches(draw):
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    sizes[-1] = max(sizes[-1], 2)  # at least two classes
    activation = draw(st.sampled_from(["relu", "sigmoid", "tanh", "identity"]))
    init = draw(st.sampled_from(["he", "xavier", 0.5]))
    net = MLP(sizes, activation=activation, init=init, seed=draw(st.integers(0, 2**32 - 1)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 6))
    for key in net.params:  # nonzero biases too, so their gradients are tested with some weight on them
        if key.startswith("b"):
            net.params[key][:] = rng.normal(0, 0.5, net.params[key].shape)
    x = rng.normal(0, 1, (n, sizes[0]))
    labels = rng.integers(0, sizes[-1], n)
    return net, x, labels, draw(st.booleans())


@settings(max_examples=150, deadline=None)
@given(networks_and_batches())
def test_backprop_matches_central_differences(case):
    net, x, labels, as_one_hot = case
    if as_one_hot:
        labels = np.eye(net.sizes[-1])[labels]
    # Central differences are exact only where the loss is smooth: keep ReLU's kinks out of reach.
    if net.activation == "relu":
        assume(all(np.min(np.abs(z)) > 1e-3 for z in plain_pre_activations(net, x)))
    grads = net.gradient(x, labels)
    assert list(grads) == list(net.params)
    for key, param in net.params.items():
        numeric = numerical_gradient(lambda _: net.loss(x, labels), param, h=1e-5)
        assert relative_error(grads[key], numeric) < 1e-6 or np.max(np.abs(grads[key] - numeric)) < 1e-10, key


def test_mean_squared_error_loss_and_gradient_by_hand():
    net = tiny_network()
    net.loss_name = "mse"  # the same weights as a regression network
    x = np.array([[1.0, 2.0]])
    # outputs (4.5, 1.5) against targets (4, 2): errors (0.5, −0.5), loss (0.25 + 0.25) / 2 = 0.25
    target = np.array([[4.0, 2.0]])
    assert net.loss(x, target) == pytest.approx(0.25)
    # dL/doutputs = 2 · error / (n · k) = (0.5, −0.5); dW2 = a1ᵀ · that with a1 = (5, 1)
    grads = net.gradient(x, target)
    np.testing.assert_allclose(grads["b2"], [0.5, -0.5])
    np.testing.assert_allclose(grads["W2"], [[2.5, -2.5], [0.5, -0.5]])
    # back through W2: dL/da1 = (0.5·1 − 0.5·0, 0.5·(−1) − 0.5·2) = (0.5, −1.5)
    np.testing.assert_allclose(grads["b1"], [0.5, -1.5])


@settings(max_examples=60, deadline=None)
@given(networks_and_batches())
def test_mean_squared_error_backprop_matches_central_differences(case):
    net, x, _, _ = case  # a regression net: the class labels and the one-hot flag are not used
    net.loss_name = "mse"
    if net.activation == "relu":
        assume(all(np.min(np.abs(z)) > 1e-3 for z in plain_pre_activations(net, x)))
    targets = np.random.default_rng(x.size).normal(0, 1, (x.shape[0], net.sizes[-1]))
    grads = net.gradient(x, targets)
    for key, param in net.params.items():
        numeric = numerical_gradient(lambda _: net.loss(x, targets), param, h=1e-5)
        assert relative_error(grads[key], numeric) < 1e-6 or np.max(np.abs(grads[key] - numeric)) < 1e-10, key


def test_one_output_regression_takes_a_vector_of_targets():
    net = MLP([2, 3, 1], activation="tanh", loss="mse", seed=4)
    x, y = np.array([[0.5, -1.0], [2.0, 0.1], [-0.3, 0.7]]), np.array([1.0, -2.0, 0.5])
    assert net.loss(x, y) == pytest.approx(np.mean((net.forward(x)[:, 0] - y) ** 2))
    for key, value in net.gradient(x, y).items():
        np.testing.assert_array_equal(value, net.gradient(x, y[:, None])[key])


def test_zero_init_keeps_hidden_units_identical_and_random_init_does_not():
    rng = np.random.default_rng(3)
    x = rng.normal(0, 1, (40, 3))
    labels = (x[:, 0] * x[:, 1] > 0).astype(int)
    trained = {}
    for init in ("zero", "xavier"):
        net = MLP([3, 5, 2], activation="sigmoid", init=init, seed=1)
        for _ in range(200):
            for key, grad in net.gradient(x, labels).items():
                net.params[key] -= 1.0 * grad
        trained[init] = net.params
    W1, W2 = trained["zero"]["W1"], trained["zero"]["W2"]
    assert np.max(np.abs(W1)) > 1e-2, "zero-init weights must have moved, or the claim is vacuous"
    # every hidden unit: the same incoming column, the same bias, the same outgoing row (up to rounding,
    # which a symmetric but unstable start can amplify over thousands of steps; 200 are far too few)
    np.testing.assert_allclose(W1, np.repeat(W1[:, :1], 5, axis=1), rtol=0, atol=1e-10)
    np.testing.assert_allclose(trained["zero"]["b1"], np.full(5, trained["zero"]["b1"][0]), rtol=0, atol=1e-10)
    np.testing.assert_allclose(W2, np.repeat(W2[:1], 5, axis=0), rtol=0, atol=1e-10)
    W1_random = trained["xavier"]["W1"]
    assert np.min(np.ptp(W1_random, axis=1)) > 1e-2, "random init: hidden units differ"


def test_linear_layers_collapse_to_one_matrix():
    net = MLP([4, 6, 5, 3], activation="identity", seed=2)
    for key in ("b1", "b2", "b3"):
        net.params[key][:] = np.random.default_rng(len(key)).normal(size=net.params[key].shape)
    W1, b1, W2, b2, W3, b3 = net.params.values()
    # ((x W1 + b1) W2 + b2) W3 + b3 = x (W1 W2 W3) + (b1 W2 W3 + b2 W3 + b3)
    W = W1 @ W2 @ W3
    b = b1 @ W2 @ W3 + b2 @ W3 + b3
    x = np.random.default_rng(7).normal(size=(10, 4))
    np.testing.assert_allclose(net.forward(x), x @ W + b, rtol=1e-12, atol=1e-12)
    # and the loss, hence training, sees exactly the linear model with these W and b
    labels = np.arange(10) % 3
    single = MLP([4, 3], activation="identity")
    single.params["W1"][:], single.params["b1"][:] = W, b
    assert net.loss(x, labels) == pytest.approx(single.loss(x, labels), rel=1e-12)


def test_initialisations_have_the_promised_scale():
    fan_in, fan_out = 400, 300
    for init, std in [("he", math.sqrt(2 / fan_in)), ("xavier", math.sqrt(1 / fan_in)), (0.01, 0.01)]:
        W = MLP([fan_in, fan_out], init=init).params["W1"]
        assert W.std() == pytest.approx(std, rel=0.02), init
        assert abs(W.mean()) < 0.05 * std
    zero = MLP([3, 4, 2], init="zero").params
    assert all(np.all(p == 0) for p in zero.values())
    assert not np.array_equal(MLP([3, 4, 2], seed=0).params["W1"], MLP([3, 4, 2], seed=1).params["W1"])
    np.testing.assert_array_equal(MLP([3, 4, 2], seed=5).params["W1"], MLP([3, 4, 2], seed=5).params["W1"])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="sizes must list at least"):
        MLP([3])
    with pytest.raises(ValueError, match=r"sizes\[1\] must be at least 1"):
        MLP([3, 0, 2])
    with pytest.raises(ValueError, match=r"sizes\[2\] must be at least 1"):
        MLP([3, 4, -2])
    with pytest.raises(TypeError, match="sizes must be a list"):
        MLP(3)
    with pytest.raises(ValueError, match="activation must be one of"):
        MLP([3, 2], activation="swish")
    with pytest.raises(ValueError, match="init must be one of"):
        MLP([3, 2], init="kaiming")
    with pytest.raises(ValueError, match="init must be a finite number greater than 0"):
        MLP([3, 2], init=-0.1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        MLP([3, 2], seed=1.5)
    net = MLP([3, 4, 2])
    with pytest.raises(ValueError, match=r"x must have sizes\[0\] = 3 columns, got shape \(5, 4\)"):
        net.forward(np.zeros((5, 4)))
    with pytest.raises(ValueError, match="x must have 2 dimension"):
        net.loss(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match="x contains NaN"):
        net.gradient(np.array([[0.0, np.nan, 1.0]]), np.array([0]))
    with pytest.raises(ValueError, match="labels has 3 entries but x has 2 rows"):
        net.gradient(np.zeros((2, 3)), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="labels must be class indices in 0..1"):
        net.gradient(np.zeros((2, 3)), np.array([0, 2]))
    with pytest.raises(ValueError, match=r"labels must have shape \(2, 2\)"):
        net.gradient(np.zeros((2, 3)), np.zeros((2, 3)))

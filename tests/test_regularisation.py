"""Regularisation helpers of lesson 08: weight decay in every optimizer, AdamW, dropout in the MLP,
mini-batches and early stopping.

The weight-decay references are the first steps worked out by hand from the update rules
``torch.optim`` documents (the gradient becomes g + wd·p before anything else; AdamW shrinks
p by lr·wd first, then takes a plain Adam step). torch is not needed to run them. Dropout is
checked against its definition (zeros with probability ``rate``, 1 / (1 − rate) otherwise),
statistically for the expectation, and its backward pass by central differences with the
masks held fixed.
"""

import math

import numpy as np
import pytest

from helpers.data import minibatches
from helpers.grad import numerical_gradient, relative_error
from helpers.nn import MLP, dropout_mask
from helpers.optim import SGD, AdaGrad, Adam, AdamW, EarlyStopping, Momentum, RMSProp

# One parameter vector and a constant gradient, chosen so that weight decay flips the sign of
# the second coordinate's gradient: g + wd·p = (0.5 + 0.1, 0.1 − 0.2) = (0.6, −0.1). Adaptive
# optimizers take sign-sized first steps, so without the decay their first step would differ.
P0, G, WD = np.array([1.0, -2.0]), np.array([0.5, 0.1]), 0.1


def two_steps(optimizer):
    params = {"w": P0.copy()}
    points = []
    for _ in range(2):
        optimizer.update(params, {"w": G.copy()})
        points.append(params["w"].copy())
    return points


def decayed(p):
    return G + WD * p


def test_sgd_weight_decay_by_hand():
    first, second = two_steps(SGD(0.1, weight_decay=WD))
    np.testing.assert_allclose(first, [1 - 0.1 * 0.6, -2 + 0.1 * 0.1], rtol=1e-12)
    np.testing.assert_allclose(second, first - 0.1 * decayed(first), rtol=1e-12)


def test_momentum_weight_decay_by_hand():
    # torch SGD(momentum=0.9, weight_decay=wd): d = g + wd·p; b = 0.9·b + d; p -= lr·b
    first, second = two_steps(Momentum(0.1, momentum=0.9, weight_decay=WD))
    np.testing.assert_allclose(first, [0.94, -1.99], rtol=1e-12)
    velocity = 0.9 * np.array([0.6, -0.1]) + np.array([0.5 + 0.094, 0.1 - 0.199])
    np.testing.assert_allclose(velocity, [1.134, -0.189], rtol=1e-12)
    np.testing.assert_allclose(second, [0.94 - 0.1134, -1.99 + 0.0189], rtol=1e-12)


def test_adagrad_weight_decay_by_hand():
    # d = g + wd·p; h += d²; p -= lr·d / (√h + eps): the first step is lr in the direction of d
    first, second = two_steps(AdaGrad(0.1, weight_decay=WD))
    np.testing.assert_allclose(first, [0.9, -1.9], rtol=1e-9)
    d2 = np.array([0.5 + 0.1 * 0.9, 0.1 - 0.1 * 1.9])
    h = np.array([0.6 ** 2 + d2[0] ** 2, 0.1 ** 2 + d2[1] ** 2])
    np.testing.assert_allclose(second, [0.9 - 0.1 * d2[0] / math.sqrt(h[0]), -1.9 - 0.1 * d2[1] / math.sqrt(h[1])],
                               rtol=1e-9)


def test_rmsprop_weight_decay_by_hand():
    # d = g + wd·p; h = 0.99·h + 0.01·d²; p -= lr·d / (√h + eps)
    first, second = two_steps(RMSProp(0.01, decay=0.99, weight_decay=WD))
    np.testing.assert_allclose(first, [0.9, -1.9], rtol=1e-7)
    d1, d2 = np.array([0.6, -0.1]), decayed(np.array([0.9, -1.9]))
    h = 0.99 * 0.01 * d1 ** 2 + 0.01 * d2 ** 2
    np.testing.assert_allclose(second, first - 0.01 * d2 / np.sqrt(h), rtol=1e-7)


def test_adam_weight_decay_by_hand():
    # torch Adam(weight_decay=wd) adds wd·p to the gradient, then the usual Adam step
    first, second = two_steps(Adam(0.1, weight_decay=WD))
    np.testing.assert_allclose(first, [0.9, -1.9], rtol=1e-7)
    d1, d2 = np.array([0.6, -0.1]), decayed(np.array([0.9, -1.9]))
    m_hat = (0.9 * 0.1 * d1 + 0.1 * d2) / (1 - 0.9 ** 2)
    v_hat = (0.999 * 0.001 * d1 ** 2 + 0.001 * d2 ** 2) / (1 - 0.999 ** 2)
    np.testing.assert_allclose(second, first - 0.1 * m_hat / np.sqrt(v_hat), rtol=1e-7)


def test_adamw_decays_the_weights_directly_by_hand():
    # p ← p·(1 − lr·wd), then Adam on the plain gradient; with a constant gradient every Adam
    # step is exactly lr·sign(g) (m̂ = g, v̂ = g²), so the points follow in closed form.
    first, second = two_steps(AdamW(0.1, weight_decay=WD))
    np.testing.assert_allclose(first, [0.99 - 0.1, -1.98 - 0.1], rtol=1e-7)
    np.testing.assert_allclose(second, [0.89 * 0.99 - 0.1, -2.08 * 0.99 - 0.1], rtol=1e-7)


def test_adamw_is_not_adam_with_weight_decay_but_equal_without_it():
    assert not np.allclose(two_steps(AdamW(0.1, weight_decay=WD))[1], two_steps(Adam(0.1, weight_decay=WD))[1])
    np.testing.assert_allclose(two_steps(AdamW(0.1, weight_decay=0.0))[1], two_steps(Adam(0.1))[1], rtol=1e-15)
    assert AdamW(0.1).weight_decay == 0.01  # torch's default


@pytest.mark.parametrize("kind", [SGD, Momentum, AdaGrad, RMSProp, Adam])
def test_zero_weight_decay_changes_nothing_and_a_positive_one_does(kind):
    plain, zero, decaying = two_steps(kind(0.1)), two_steps(kind(0.1, weight_decay=0.0)), two_steps(kind(0.1, weight_decay=WD))
    np.testing.assert_array_equal(plain[1], zero[1])
    assert not np.allclose(plain[1], decaying[1])


@pytest.mark.parametrize("kind", [SGD, Momentum, AdaGrad, RMSProp, Adam, AdamW])
def test_bad_weight_decay_is_named(kind):
    with pytest.raises(ValueError, match="^weight_decay must be a finite number at least 0"):
        kind(0.1, weight_decay=-0.1)
    with pytest.raises(ValueError, match="^weight_decay must be a finite number"):
        kind(0.1, weight_decay=float("nan"))
    with pytest.raises(TypeError, match="^weight_decay must be a number"):
        kind(0.1, weight_decay="0.1")


def test_weight_decay_alone_shrinks_every_weight_geometrically():
    # With a zero loss gradient, SGD with weight decay multiplies p by (1 − lr·wd) each step.
    params = {"w": P0.copy()}
    optimizer = SGD(0.5, weight_decay=0.2)
    for _ in range(10):
        optimizer.update(params, {"w": np.zeros(2)})
    np.testing.assert_allclose(params["w"], P0 * 0.9 ** 10, rtol=1e-12)


# Dropout ----------------------------------------------------------------------------------


def test_dropout_mask_has_two_values_and_keeps_the_expectation():
    rate = 0.3
    mask = dropout_mask((1000, 1000), rate, np.random.default_rng(0))
    assert set(np.unique(mask)) == {0.0, 1 / (1 - rate)}
    # 10⁶ entries: the dropped fraction and the mean are within a few standard errors
    # (√(0.3·0.7/10⁶) ≈ 0.0005 and √(0.3/0.7/10⁶) ≈ 0.0007) of 0.3 and 1.
    assert abs(np.mean(mask == 0) - rate) < 0.003
    assert abs(mask.mean() - 1) < 0.004
    assert np.all(dropout_mask((3, 4), 0.0, np.random.default_rng(0)) == 1)


def test_dropout_mask_checks_its_arguments():
    with pytest.raises(ValueError, match="^rate must be"):
        dropout_mask((2, 2), 1.0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="^rng must be a numpy Generator"):
        dropout_mask((2, 2), 0.5, 0)


def small_problem(seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(6, 4)), rng.integers(0, 3, 6)


def test_dropout_does_not_change_the_starting_weights_or_evaluation():
    x, labels = small_problem()
    plain, dropping = MLP([4, 7, 5, 3], seed=3), MLP([4, 7, 5, 3], seed=3, dropout=0.5)
    for key in plain.params:
        np.testing.assert_array_equal(plain.params[key], dropping.params[key])
    np.testing.assert_array_equal(plain.forward(x), dropping.forward(x))
    dropping.gradient(x, labels)  # a training step draws masks ...
    np.testing.assert_array_equal(plain.forward(x), dropping.forward(x))  # ... evaluation still drops nothing
    assert plain.loss(x, labels) == dropping.loss(x, labels)


def test_training_masks_drop_hidden_units_and_are_reproducible():
    x, labels = small_problem()
    first, second, other = (MLP([4, 7, 5, 3], seed=s, dropout=0.5) for s in (3, 3, 4))
    for _ in range(3):
        grads_first, grads_second = first.gradient(x, labels), second.gradient(x, labels)
        other.gradient(x, labels)
        for key in grads_first:
            np.testing.assert_array_equal(grads_first[key], grads_second[key])
    assert [m.shape for m in first.masks] == [(6, 7), (6, 5)]
    assert all(set(np.unique(m)) <= {0.0, 2.0} for m in first.masks)
    assert not all(np.array_equal(a, b) for a, b in zip(first.masks, other.masks))


def test_the_training_loss_is_unbiased_in_the_hidden_activations():
    # With one hidden layer the logits are linear in the masked activations, so their average
    # over many masks must approach the evaluation logits (a statistical check, fixed seed).
    x, _ = small_problem()
    net = MLP([4, 50, 3], seed=0)
    rng = np.random.default_rng(5)
    draws = 4000
    mean_logits = sum(net.forward(x, [dropout_mask((6, 50), 0.4, rng)]) for _ in range(draws)) / draws
    spread = np.abs(net.forward(x)).max()
    assert np.max(np.abs(mean_logits - net.forward(x))) < 0.05 * spread
    # a mask without the 1 / (1 − rate) scaling would be biased by a factor 0.6
    assert np.max(np.abs(0.6 * net.forward(x) - net.forward(x))) > 0.2 * spread


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_dropout_backward_matches_central_differences_with_the_masks_fixed(activation):
    x, labels = small_problem()
    net = MLP([4, 7, 5, 3], activation=activation, seed=2, dropout=0.4)
    # Non-zero biases: a row whose inputs are all dropped would otherwise sit exactly on ReLU's kink.
    for key, rng in zip(("b1", "b2", "b3"), np.random.default_rng(7).spawn(3)):
        net.params[key][:] = rng.uniform(0.1, 0.5, net.params[key].shape)
    grads = net.gradient(x, labels)
    masks = net.masks
    assert any(np.any(m == 0) for m in masks)
    for key, param in net.params.items():
        numeric = numerical_gradient(lambda _: net.loss(x, labels, masks=masks), param, h=1e-5)
        assert relative_error(grads[key], numeric) < 1e-6, key
    # and the gradient with the masks passed in is the same one
    again = net.gradient(x, labels, masks=masks)
    for key in grads:
        np.testing.assert_array_equal(grads[key], again[key])


def test_a_dropped_unit_passes_no_gradient_back():
    x, labels = small_problem()
    net = MLP([4, 7, 3], activation="tanh", seed=2, dropout=0.5)
    mask = np.full((6, 7), 2.0)
    mask[:, 3] = 0.0  # unit 3 dropped for every example
    grads = net.gradient(x, labels, masks=[mask])
    assert np.all(grads["W1"][:, 3] == 0) and grads["b1"][3] == 0 and np.all(grads["W2"][3] == 0)
    assert np.all(grads["W1"][:, [0, 1, 2, 4, 5, 6]] != 0)


def test_dropout_arguments_are_checked():
    with pytest.raises(ValueError, match="^dropout must be a finite number at least 0 and less than 1"):
        MLP([4, 5, 3], dropout=1.0)
    with pytest.raises(TypeError, match="^dropout must be a number"):
        MLP([4, 5, 3], dropout="0.5")
    x, labels = small_problem()
    net = MLP([4, 5, 3], dropout=0.5)
    with pytest.raises(ValueError, match="one array per hidden layer"):
        net.loss(x, labels, masks=[])
    with pytest.raises(ValueError, match=r"masks\[0\] must have shape \(6, 5\)"):
        net.gradient(x, labels, masks=[np.ones((5, 6))])


# Mini-batches -----------------------------------------------------------------------------


@pytest.mark.parametrize("n, batch_size", [(10, 3), (12, 4), (7, 7), (5, 20), (1, 1)])
def test_minibatches_cover_every_index_once(n, batch_size):
    batches = list(minibatches(n, batch_size, seed=0))
    assert len(batches) == math.ceil(n / batch_size)
    assert [len(b) for b in batches[:-1]] == [batch_size] * (len(batches) - 1)
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))


def test_minibatches_are_deterministic_per_seed_and_shuffled():
    def order(seed):
        return np.concatenate(list(minibatches(50, 8, seed=seed)))
    np.testing.assert_array_equal(order(3), order(3))
    assert not np.array_equal(order(3), order(4))
    assert not np.array_equal(order(3), np.arange(50))


def test_a_generator_gives_a_new_reproducible_order_every_epoch():
    def epochs(seed):
        rng = np.random.default_rng(seed)
        return [np.concatenate(list(minibatches(20, 6, seed=rng))) for _ in range(3)]
    first, again = epochs(0), epochs(0)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])
    assert all(sorted(epoch.tolist()) == list(range(20)) for epoch in first)


def test_minibatches_of_arrays_keep_rows_together():
    x, y = np.arange(20.0).reshape(10, 2), np.arange(10) * 10
    batches = list(minibatches((x, y), 4, seed=1))
    indices = list(minibatches(10, 4, seed=1))
    for (batch_x, batch_y), index in zip(batches, indices):
        np.testing.assert_array_equal(batch_x, x[index])
        np.testing.assert_array_equal(batch_y, y[index])
    for batch, index in zip(minibatches(x, 4, seed=1), indices):
        np.testing.assert_array_equal(batch, x[index])


def test_minibatches_check_their_arguments():
    with pytest.raises(ValueError, match="^batch_size must be at least 1"):
        minibatches(10, 0)
    with pytest.raises(ValueError, match=r"data\[1\] has shape \(3,\)"):
        minibatches((np.zeros(4), np.zeros(3)), 2)
    with pytest.raises(TypeError, match="^data must be"):
        minibatches("ten", 2)
    with pytest.raises(TypeError, match="^seed must be"):
        minibatches(10, 2, seed=0.5)


# Early stopping ---------------------------------------------------------------------------

# A made-up validation curve: falls to its lowest at epoch 4, then rises (overfitting), with a
# tie at epoch 6 that must not count as an improvement and a late dip after the stop.
CURVE = [1.0, 0.8, 0.6, 0.55, 0.57, 0.55, 0.62, 0.50]


def run_with_early_stopping(patience):
    stopper = EarlyStopping(patience)
    params = {"w": np.zeros(2)}
    for _epoch, loss in enumerate(CURVE, start=1):
        params["w"] += 1  # the parameters after this epoch are (epoch, epoch)
        if stopper.step(loss, params):
            break
    return stopper, params


def test_early_stopping_stops_after_patience_epochs_without_improvement():
    stopper, params = run_with_early_stopping(3)
    assert (stopper.best_epoch, stopper.best_loss, stopper.epoch) == (4, 0.55, 7)
    np.testing.assert_array_equal(params["w"], [7, 7])
    array = params["w"]
    stopper.restore(params)
    assert params["w"] is array  # restored in place, into the model's own array
    np.testing.assert_array_equal(params["w"], [4, 4])


def test_a_patient_stopper_sees_the_late_dip_and_the_best_copy_is_independent():
    stopper, params = run_with_early_stopping(10)
    assert (stopper.best_epoch, stopper.epoch) == (8, 8)
    params["w"] += 100  # changing the model afterwards does not change the stored best
    np.testing.assert_array_equal(stopper.best_params["w"], [8, 8])
    assert run_with_early_stopping(1)[0].epoch == 5


def test_early_stopping_checks_its_arguments():
    with pytest.raises(ValueError, match="^patience must be at least 1"):
        EarlyStopping(0)
    stopper = EarlyStopping(2)
    with pytest.raises(ValueError, match="no parameters to restore"):
        stopper.restore({"w": np.zeros(2)})
    with pytest.raises(ValueError, match="^loss is nan: training diverged; try a smaller learning rate"):
        stopper.step(float("nan"), {"w": np.zeros(2)})
    with pytest.raises(TypeError, match="^loss must be a number"):
        stopper.step("0.5", {"w": np.zeros(2)})
    stopper.step(0.5, {"w": np.zeros(2)})
    with pytest.raises(ValueError, match=r"params must have the keys \['w'\]"):
        stopper.restore({"v": np.zeros(2)})

"""Plain gradient descent (lesson 01): closed-form trajectories and divergence."""

import numpy as np
import pytest

from helpers.data import three_good_students
from helpers.optim import SGD, Diverged, optimizer_path


def test_sgd_on_a_quadratic_follows_the_closed_form():
    # f(p) = a/2 * p^2 per coordinate; each step multiplies p by (1 - lr * a)
    a = np.array([1.0, 10.0])
    lr, steps = 0.05, 25
    path = optimizer_path(SGD(lr), lambda p: a * p, np.array([3.0, -2.0]), steps)
    expected = np.array([3.0, -2.0]) * (1 - lr * a) ** np.arange(steps + 1)[:, None]
    np.testing.assert_allclose(path, expected)


def test_descent_recovers_the_school_weights_and_matches_least_squares():
    scores, totals = three_good_students(200, seed=0)
    x = (scores - 80) / 10
    y = (totals - 80) / 10
    path = optimizer_path(SGD(0.3), lambda w: 2 / len(x) * x.T @ (x @ w - y), np.zeros(3), 200)
    np.testing.assert_allclose(path[-1], np.linalg.lstsq(x, y, rcond=None)[0], atol=1e-8)
    np.testing.assert_allclose(path[-1], [0.6, 0.3, 0.1], atol=1e-8)


def test_divergence_threshold_is_two_over_the_largest_curvature():
    curvature = 4.0  # f(p) = 2 p^2, gradient 4 p: limit 2 / 4 = 0.5
    optimizer_path(SGD(0.49), lambda p: curvature * p, np.array([1.0]), 500)
    with pytest.raises(Diverged, match="learning rate is too large") as caught:
        optimizer_path(SGD(0.6), lambda p: curvature * p, np.array([1.0]), 500)
    # |1 - 0.6 * 4| = 1.4 per step: the norm passes 1e6 after ceil(log(1e6) / log(1.4)) = 42 steps
    assert caught.value.step == 42
    assert caught.value.path.shape == (42, 1) and np.all(np.isfinite(caught.value.path))


def test_update_changes_arrays_in_place():
    w = np.array([1.0, 1.0])
    params = {"w": w}
    SGD(0.5).update(params, {"w": np.array([2.0, -2.0])})
    assert params["w"] is w
    np.testing.assert_array_equal(w, [0.0, 2.0])


@pytest.mark.parametrize("lr, error", [(0, ValueError), (-0.1, ValueError), (np.nan, ValueError), ("1", TypeError)])
def test_sgd_rejects_bad_learning_rates(lr, error):
    with pytest.raises(error, match="lr"):
        SGD(lr)


def test_update_rejects_mismatched_params_and_grads():
    with pytest.raises(ValueError, match="same keys"):
        SGD(0.1).update({"w": np.zeros(2)}, {"v": np.zeros(2)})
    with pytest.raises(ValueError, match="shape"):
        SGD(0.1).update({"w": np.zeros(2)}, {"w": np.zeros(3)})


def test_optimizer_path_errors():
    with pytest.raises(TypeError, match="optimizer"):
        optimizer_path(object(), lambda p: p, np.zeros(2), 3)
    with pytest.raises(ValueError, match="steps"):
        optimizer_path(SGD(0.1), lambda p: p, np.zeros(2), 0)
    with pytest.raises(ValueError, match="start"):
        optimizer_path(SGD(0.1), lambda p: p, np.array([np.nan, 0.0]), 3)

"""helpers.grad as lesson 05 relies on it, and the order-of-magnitude check of its first exercise."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from helpers import check
from helpers.grad import numerical_gradient, relative_error


@settings(max_examples=60, deadline=None)
@given(arrays(float, array_shapes(min_dims=0, max_dims=3, max_side=4), elements=st.floats(-3, 3)))
def test_numerical_gradient_of_any_shape_matches_the_closed_form_and_leaves_x_alone(x):
    weights = np.arange(x.size, dtype=float).reshape(x.shape) / 4 - 1
    before = x.copy()
    # f(x) = sum(w x^3) + sum(sin x) has gradient 3 w x^2 + cos x
    grad = numerical_gradient(lambda v: float(np.sum(weights * v ** 3) + np.sum(np.sin(v))), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 3 * weights * before ** 2 + np.cos(before), atol=1e-6)
    np.testing.assert_array_equal(x, before)


def test_central_difference_error_shrinks_like_h_squared():
    # f = e^x at 0: the error of the central difference is about h^2 / 6
    for h in (1e-1, 1e-2):
        error = numerical_gradient(lambda v: float(np.exp(v[0])), np.array([0.0]), h=h)[0] - 1.0
        assert error == pytest.approx(h ** 2 / 6, rel=0.01)


def test_x_is_restored_even_when_f_fails():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def failing(v):
        calls.append(v.copy())
        if len(calls) == 4:
            raise RuntimeError("the loss crashed")
        return float(v.sum())

    with pytest.raises(RuntimeError, match="crashed"):
        numerical_gradient(failing, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(calls[3], [1.0, 2.0 - 1e-4, 3.0])  # it failed while x[1] was nudged


@pytest.mark.parametrize("x", [np.array([1, 2]), [1.0, -1.0], np.array([True, False])])
def test_arrays_that_cannot_be_nudged_in_place_are_refused(x):
    # f reads w, not its argument, as the lessons' lambda _: net.loss(...) does: an integer
    # array (which cannot hold w + h) or a list (nudged in a copy) would give all zeros
    w = x

    with pytest.raises(TypeError, match=r"^x must be a float array.*dtype=float"):
        numerical_gradient(lambda _: float(np.sum(np.asarray(w, dtype=float) ** 2)), w)


@pytest.mark.parametrize("h, error", [(0.0, ValueError), (-1e-4, ValueError), (math.nan, ValueError),
                                      (math.inf, ValueError), ("1e-4", TypeError)])
def test_bad_steps_are_rejected_by_name(h, error):
    with pytest.raises(error, match="h must be"):
        numerical_gradient(np.sum, np.ones(2), h=h)


@pytest.mark.parametrize("bad", [np.array([0.0, np.nan]), np.array([[np.inf]]), np.array([1.0, -np.inf])])
def test_non_finite_x_is_rejected(bad):
    with pytest.raises(ValueError, match="x contains NaN or infinite values"):
        numerical_gradient(np.sum, bad)


def test_f_must_return_a_single_number():
    with pytest.raises(TypeError, match=r"f must return a single number \(a loss\), got an array of shape \(2,\)"):
        numerical_gradient(lambda v: v * 2, np.ones(2))


@given(arrays(float, 5, elements=st.floats(-10, 10)), arrays(float, 5, elements=st.floats(-10, 10)))
def test_relative_error_is_symmetric_and_between_zero_and_two(a, b):
    assert relative_error(a, b) == relative_error(b, a)
    assert 0.0 <= relative_error(a, b) <= 2.0  # |a - b| <= |a| + |b| <= 2 max(|a|, |b|)


def test_relative_error_separates_a_right_gradient_from_a_slip():
    exact = np.array([0.5, -2.0, 1.0])
    assert relative_error(exact, exact * (1 + 1e-9)) == pytest.approx(1e-9)
    assert relative_error(exact, exact + [0.0, 0.0, 0.04]) == pytest.approx(0.04 / 2.0)


# --- check.order_of_magnitude ---------------------------------------------------------------------

@pytest.mark.parametrize("answer", [3.2e-3, 1.2e-3, 9e-3, np.float32(4.9e-3), np.array([5e-3])])
def test_order_of_magnitude_accepts_within_half_a_decade(answer):
    assert check.order_of_magnitude(answer, 3.2e-3)


@pytest.mark.parametrize("answer, phrase", [
    (3.5e-4, "about 9 times too small"),
    (5e-2, "about 16 times too large"),
    (Ellipsis, "not filled in"),
    (None, "not filled in"),
    ("0.003", "single number"),
    (-3.2e-3, "positive number"),
    (0.0, "positive number"),
    (math.nan, "positive number"),
])
def test_order_of_magnitude_rejects_with_a_reason(answer, phrase):
    verdict = check.order_of_magnitude(answer, 3.2e-3)
    assert not verdict and phrase in verdict.message


def test_order_of_magnitude_tolerance_and_misuse():
    assert check.order_of_magnitude(30.0, 1.0, decades=1.5)
    assert not check.order_of_magnitude(30.0, 1.0, decades=1.0)
    with pytest.raises(ValueError, match="expected must be a finite number greater than 0"):
        check.order_of_magnitude(1.0, -1.0)
    with pytest.raises(ValueError, match="decades"):
        check.order_of_magnitude(1.0, 1.0, decades=0)

"""helpers.nn basics and helpers.grad, against hand calculations and closed forms."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from helpers.grad import numerical_gradient, relative_error
from helpers.nn import (cross_entropy, logsumexp, one_hot, relu, relu_derivative, sigmoid,
                        sigmoid_derivative, softmax, tanh_derivative)


def test_sigmoid_matches_formula_and_saturates_without_warnings():
    z = np.array([-3.0, -0.5, 0.0, 2.0])
    np.testing.assert_allclose(sigmoid(z), [1 / (1 + math.exp(-v)) for v in z])
    assert sigmoid(np.array([-1000.0]))[0] == 0.0 and sigmoid(np.array([1000.0]))[0] == 1.0


def test_activation_derivatives_match_finite_differences():
    z = np.array([-2.0, -0.3, 0.4, 1.7])
    h = 1e-6
    for f, df in [(sigmoid, sigmoid_derivative), (np.tanh, tanh_derivative), (relu, relu_derivative)]:
        np.testing.assert_allclose(df(z), (f(z + h) - f(z - h)) / (2 * h), rtol=1e-6, atol=1e-9)
    assert sigmoid_derivative(np.linspace(-10, 10, 1001)).max() <= 0.25


def test_logsumexp_and_softmax_of_large_inputs():
    z = np.array([1000.0, 1001.0, 1002.0])
    # log(e^1000 (1 + e + e^2)) = 1000 + log(1 + e + e^2)
    assert logsumexp(z) == pytest.approx(1000 + math.log(1 + math.e + math.e ** 2))
    np.testing.assert_allclose(softmax(z), np.array([1, math.e, math.e ** 2]) / (1 + math.e + math.e ** 2))


@given(arrays(float, (4, 3), elements=st.floats(-50, 50)), st.floats(-100, 100))
def test_softmax_rows_sum_to_one_and_ignore_shifts(z, shift):
    p = softmax(z, axis=1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(softmax(z + shift, axis=1), p, atol=1e-12)


def test_softmax_rejects_nan():
    with pytest.raises(ValueError, match="z contains NaN"):
        softmax(np.array([1.0, np.nan]))


def test_cross_entropy_by_hand_for_indices_and_one_hot():
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    labels = np.array([0, 2])
    # -log(e^2 / (e^2 + e + 1)) and -log(1/3), averaged
    expected = (-(2 - math.log(math.e ** 2 + math.e + 1)) + math.log(3)) / 2
    assert cross_entropy(logits, labels) == pytest.approx(expected)
    assert cross_entropy(logits, one_hot(labels, 3)) == pytest.approx(expected)


def test_cross_entropy_errors():
    with pytest.raises(ValueError, match="labels must be class indices in 0..2"):
        cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="labels has 3 entries"):
        cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="logits contains NaN"):
        cross_entropy(np.array([[np.nan, 0.0]]), np.array([0]))


def test_numerical_gradient_closed_form_any_shape_and_leaves_x_alone():
    a = np.arange(6.0).reshape(2, 3)
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    before = x.copy()
    # f(x) = sum(a * x^3) has gradient 3 a x^2
    grad = numerical_gradient(lambda v: float(np.sum(a * v ** 3)), x)
    np.testing.assert_allclose(grad, 3 * a * before ** 2, atol=1e-7)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_errors():
    with pytest.raises(ValueError, match="h must be"):
        numerical_gradient(np.sum, np.ones(2), h=0.0)
    with pytest.raises(ValueError, match="x contains NaN"):
        numerical_gradient(np.sum, np.array([1.0, np.inf]))
    with pytest.raises(TypeError, match="f must be"):
        numerical_gradient(3, np.ones(2))


def test_relative_error_definition():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    # max |a-b| = 0.5, max(|a|, |b|) = 4
    assert relative_error(np.array([1.0, 4.0]), np.array([1.5, 4.0])) == pytest.approx(0.125)
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.ones(2), np.ones(3))

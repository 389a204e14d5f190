"""Fuzzing the numeric helpers: random shapes, huge and tiny values, NaN and inf.

Each function must either raise a clear error (TypeError or ValueError whose
message starts with the argument's name) or return a finite, correct result,
and never warn: numpy's overflow and invalid-value warnings are errors here, so
a silent inf or NaN on the way fails the test too.
"""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from helpers import check
from helpers.data import is_three_good, three_class_labels
from helpers.grad import numerical_gradient, relative_error
from helpers.nn import (MLP, binary_cross_entropy, cross_entropy, logsumexp, relu, relu_derivative, sigmoid,
                        sigmoid_derivative, softmax, tanh, tanh_derivative)
from helpers.optim import SGD, AdaGrad, Adam, Momentum, RMSProp

FUZZ = settings(max_examples=80, deadline=None)

# every float64, NaN and ±inf included, and subnormals
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True, width=64)
# finite values whose sums and differences of a few cannot overflow (|x| up to 1e300): for losses,
# whose true value is then itself a representable number
BIG_FLOAT = st.one_of(st.floats(-1e300, 1e300), st.sampled_from([math.nan, math.inf, -math.inf, 5e-324]))
SHAPES = array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5)


def outcome(call, *names):
    """Run ``call`` with numpy warnings as errors: its result, or None after a clear error naming one of ``names``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            try:
                return call()
            except (TypeError, ValueError) as error:
                assert any(re.match(rf"{name}(?!\w)", str(error)) for name in names), (
                    f"unclear error (should start with one of {names}): {error!r}")
                return None


def finite(value):
    assert np.all(np.isfinite(value)), f"not finite: {value}"
    return np.asarray(value, dtype=float)


@FUZZ
@given(arrays(float, SHAPES, elements=ANY_FLOAT))
def test_activations(z):
    for function, low, high in [(sigmoid, 0, 1), (sigmoid_derivative, 0, 0.25), (tanh, -1, 1),
                                (tanh_derivative, 0, 1), (relu, 0, np.inf), (relu_derivative, 0, 1)]:
        result = outcome(lambda: function(z), "z")
        if result is None:
            assert not np.all(np.isfinite(z)), f"{function.__name__} refused finite input"
            continue
        result = finite(result)
        assert result.shape == z.shape and np.all((low <= result) & (result <= high))
    if np.all(np.isfinite(z)):
        # the closed forms, where they can be evaluated without overflow
        moderate = np.abs(z) < 700
        np.testing.assert_allclose(sigmoid(z)[moderate], 1 / (1 + np.exp(-z[moderate])), rtol=1e-12, atol=1e-300)
        assert np.all(sigmoid(z)[z >= 700] == 1.0) and np.all(sigmoid(z)[z <= -700] < 1e-300)
        np.testing.assert_array_equal(relu(z), np.where(z > 0, z, 0.0))


@FUZZ
@given(arrays(float, SHAPES, elements=ANY_FLOAT))
@example(np.array([1.7e308, -1.7e308]))  # a shift by the maximum that overflows
@example(np.array([[1.79e308, 1.79e308]]))
def test_logsumexp_and_softmax(z):
    lse = outcome(lambda: logsumexp(z), "z")
    probabilities = outcome(lambda: softmax(z), "z")
    if not np.all(np.isfinite(z)) or z.size == 0:
        assert lse is None and probabilities is None
        return
    lse, probabilities = finite(lse), finite(probabilities)
    top, n = z.max(axis=-1), z.shape[-1]
    # max z <= log(sum e^z) <= max z + log n, in floating point up to one rounding
    assert np.all(lse >= top) and np.all(lse - top <= math.log(n) + 1e-12 * np.abs(top) + 1e-12)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    moderate = np.all(np.abs(z) < 700, axis=-1)
    if moderate.any():
        exps = np.exp(z[moderate])
        np.testing.assert_allclose(lse[moderate], np.log(exps.sum(axis=-1)), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(probabilities[moderate], exps / exps.sum(axis=-1, keepdims=True),
                                   rtol=1e-9, atol=1e-300)


@st.composite
def logits_and_labels(draw, as_rows=False):
    n, k = draw(st.integers(0, 5)), draw(st.integers(1, 4))
    logits = draw(arrays(float, (n, k), elements=BIG_FLOAT))
    labels = draw(arrays(int, (n,), elements=st.integers(-1, k)))
    if as_rows:
        weights = draw(arrays(float, (n, k), elements=st.floats(0, 1)))
        sums = weights.sum(axis=1, keepdims=True)
        labels = np.where(sums > 0, weights / np.where(sums > 0, sums, 1), 1.0 / k) if draw(st.booleans()) \
            else weights  # mostly not distributions: must be refused
    return logits, labels


@FUZZ
@given(st.booleans().flatmap(lambda rows: logits_and_labels(as_rows=rows)))
def test_cross_entropy(case):
    logits, labels = case
    loss = outcome(lambda: cross_entropy(logits, labels), "logits", "labels")
    if loss is None:
        return
    loss = finite(loss)
    assert np.all(np.isfinite(logits)) and logits.size > 0 and loss >= 0
    targets = labels if labels.ndim == 2 else np.eye(logits.shape[1])[labels]
    assert np.all(targets >= 0) and np.allclose(targets.sum(axis=1), 1.0)
    if np.all(np.abs(logits) < 700):
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        assert loss == pytest.approx(-np.sum(targets * log_probs) / len(logits), rel=1e-9, abs=1e-12)


@FUZZ
@given(st.integers(0, 6).flatmap(lambda n: st.tuples(arrays(float, (n,), elements=BIG_FLOAT),
                                                     arrays(float, (n,), elements=st.floats(-0.5, 1.5)))))
def test_binary_cross_entropy(case):
    logits, labels = case
    loss = outcome(lambda: binary_cross_entropy(logits, labels), "logits", "labels")
    if loss is None:
        return
    loss = finite(loss)
    assert np.all((labels >= 0) & (labels <= 1)) and logits.size > 0 and loss >= -1e-12
    if np.all(np.abs(logits) < 30):
        p = 1 / (1 + np.exp(-logits))
        reference = -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))
        assert loss == pytest.approx(reference, rel=1e-9, abs=1e-12)


@FUZZ
@given(array_shapes(min_dims=1, max_dims=2, max_side=4).flatmap(
    lambda shape: st.tuples(arrays(float, shape, elements=ANY_FLOAT), arrays(float, shape, elements=ANY_FLOAT))))
@example((np.array([1e308]), np.array([-1e308])))  # a − b overflows
def test_relative_error(case):
    a, b = case
    error = outcome(lambda: relative_error(a, b), "a", "b")
    if error is None:
        assert not (np.all(np.isfinite(a)) and np.all(np.isfinite(b)))
        return
    assert 0 <= finite(error) <= 2
    scale = max(np.abs(a).max(), np.abs(b).max())
    if 1e-300 < scale < 1e300:
        assert error == pytest.approx(np.max(np.abs(a - b)) / scale, rel=1e-9, abs=1e-15)


@FUZZ
@given(arrays(float, array_shapes(min_dims=0, max_dims=2, max_side=3),
              elements=st.one_of(st.floats(-1e6, 1e6), ANY_FLOAT)))
def test_numerical_gradient(x):
    before = x.copy()
    gradient = outcome(lambda: numerical_gradient(lambda v: float(np.sum(np.sin(v))), x), "x", "h")
    np.testing.assert_array_equal(x, before)  # restored, whatever happened
    if gradient is None:
        return
    assert np.all(np.isfinite(x))
    # within the 1% the step is allowed to be off h when rounded to x's precision
    np.testing.assert_allclose(finite(gradient), np.cos(x), atol=0.011 + 1e-6)


@FUZZ
@given(st.sampled_from([SGD, Momentum, AdaGrad, RMSProp, Adam]),
       arrays(float, (3,), elements=st.one_of(st.floats(-1e100, 1e100), st.sampled_from([math.nan, math.inf]))))
def test_optimizer_updates(kind, gradient):
    optimizer, params = kind(0.1), {"w": np.ones(3)}  # a fresh optimizer per example: no state carried over
    updated = outcome(lambda: optimizer.update(params, {"w": gradient}) or True, "grads", "params")
    if not np.all(np.isfinite(gradient)):
        assert updated is None, "a NaN or infinite gradient was applied"
        np.testing.assert_array_equal(params["w"], np.ones(3))  # refused before any change
        return
    assert updated
    finite(params["w"])


@FUZZ
@given(st.sampled_from(["relu", "sigmoid", "tanh", "identity"]),
       arrays(float, (4, 3), elements=st.one_of(st.floats(-1e100, 1e100), st.sampled_from([math.nan, 1e-320]))),
       arrays(int, (4,), elements=st.integers(0, 1)))
def test_mlp_loss_and_gradient(activation, x, labels):
    net = MLP([3, 5, 2], activation=activation, seed=0)
    loss = outcome(lambda: net.loss(x, labels), "x")
    grads = outcome(lambda: net.gradient(x, labels), "x")
    if loss is None or grads is None:
        assert loss is None and grads is None and np.isnan(x).any()
        return
    assert finite(loss) >= 0
    for value in grads.values():
        finite(value)


@FUZZ
@given(arrays(float, st.tuples(st.integers(0, 4), st.just(3)), elements=ANY_FLOAT), ANY_FLOAT)
@example(np.full((1, 3), 1.7e308), 0.0)  # the average of two scores overflows if summed first
def test_school_rules(scores, threshold):
    three_good = outcome(lambda: is_three_good(scores, threshold), "scores", "threshold")
    classes = outcome(lambda: three_class_labels(scores, threshold=threshold), "scores", "threshold")
    if three_good is None:
        assert classes is None
        return
    assert three_good.shape == (len(scores),) and set(np.unique(classes)) <= {0, 1, 2}
    np.testing.assert_array_equal(classes == 0, three_good)


@FUZZ
@given(st.one_of(ANY_FLOAT, st.none(), st.just(...)), st.floats(allow_nan=False, allow_infinity=False))
@example(1e-300, 1e300)  # a ratio that underflows to 0
@example(1e308, 1e-300)  # one that overflows
@example(-1.7e308, 1.7e308)
def test_checks_never_raise_on_any_answer(answer, expected):
    verdict = outcome(lambda: check.close_to(answer, expected), "expected")
    assert verdict is not None and isinstance(verdict.passed, bool)
    if expected > 0:
        verdict = outcome(lambda: check.order_of_magnitude(answer, expected), "expected")
        assert verdict is not None and isinstance(verdict.passed, bool)

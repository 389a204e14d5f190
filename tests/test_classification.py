"""Classification helpers of lessons 02 and 03: label rules, sigmoid, softmax, the two
cross-entropies and the decision-boundary plot.

References are hand calculations, PyTorch's documented formulas written out directly
with plain exponentials (PyTorch itself is not installed), and finite differences.
"""

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle

from helpers.data import (CLASS_NAMES, ORDINARY, THREE_GOOD,
                          TWO_EXCELLENT, is_three_good, three_class_labels,
                          three_good_students)
from helpers.grad import numerical_gradient
from helpers.nn import binary_cross_entropy, cross_entropy, one_hot, sigmoid, softmax
from helpers.plots import CLASS_COLORS, CLASS_MARKERS, decision_boundary


def torch_cross_entropy(logits, labels):
    """PyTorch's documented F.cross_entropy (mean reduction), written out naively.

    Class indices: mean of -x[i, y_i] + log(sum_j exp(x[i, j])).
    Probability targets: mean of -sum_c y[i, c] * log(exp(x[i, c]) / sum_j exp(x[i, j])).
    Only safe for moderate logits, which is all it is used for.
    """
    logits = np.asarray(logits, dtype=float)
    log_norm = np.log(np.exp(logits).sum(axis=1))
    labels = np.asarray(labels)
    if labels.ndim == 1:
        return float(np.mean(-logits[np.arange(len(labels)), labels] + log_norm))
    return float(np.mean(-np.sum(labels * (logits - log_norm[:, None]), axis=1)))


def torch_bce_with_logits(logits, labels):
    """F.binary_cross_entropy_with_logits, from its definition with log sigma and log(1 - sigma)."""
    p = 1 / (1 + np.exp(-np.asarray(logits, dtype=float)))
    return float(np.mean(-(labels * np.log(p) + (1 - labels) * np.log(1 - p))))


# ---------------------------------------------------------------- label rules


def test_is_three_good_by_hand():
    scores = np.array([[90.0, 80.0, 70.0],    # 54 + 24 + 7 = 85: exactly on the threshold
                       [90.0, 80.0, 69.0],    # 84.9
                       [98.0, 95.0, 87.0],    # 96
                       [60.0, 100.0, 100.0]]) # 36 + 30 + 10 = 76
    np.testing.assert_array_equal(is_three_good(scores), [True, False, True, False])
    np.testing.assert_array_equal(is_three_good(scores, threshold=95), [False, False, True, False])
    # moral alone, threshold 90
    np.testing.assert_array_equal(is_three_good(scores, threshold=90, weights=(1, 0, 0)),
                                  [True, True, True, False])


def test_three_class_labels_by_hand():
    scores = np.array([[98.0, 95.0, 87.0],   # total 96: three good, although academic/sports average 91
                       [70.0, 90.0, 70.0],   # total 70, academic/sports average exactly 80: two excellent
                       [70.0, 90.0, 69.0],   # average 79.5: ordinary
                       [88.0, 62.0, 99.0],   # 52.8 + 18.6 + 9.9 = 81.3, average 80.5: two excellent
                       [60.0, 60.0, 60.0]])
    expected = [THREE_GOOD, TWO_EXCELLENT, ORDINARY, TWO_EXCELLENT, ORDINARY]
    np.testing.assert_array_equal(three_class_labels(scores), expected)
    assert CLASS_NAMES[TWO_EXCELLENT] == "two excellent"
    # a stricter two-excellent rule moves the boundary case
    assert three_class_labels(scores[1:2], two_excellent_threshold=81)[0] == ORDINARY


def test_default_thresholds_give_balanced_classes_but_95_does_not():
    scores, totals = three_good_students(40_000, seed=11)
    at_95 = is_three_good(scores, threshold=95).mean()
    at_85 = is_three_good(scores).mean()
    assert 0.01 < at_95 < 0.03        # the book's threshold: about 2 % positives
    assert 0.25 < at_85 < 0.33        # the course's: about 29 %
    shares = np.bincount(three_class_labels(scores), minlength=3) / len(scores)
    assert shares.min() >= 0.15


@pytest.mark.parametrize("call, error, match", [
    (lambda: is_three_good(np.zeros((2, 2))), ValueError, r"scores must have shape \(any, 3\)"),
    (lambda: is_three_good(np.array([[90.0, np.nan, 70.0]])), ValueError, "scores contains NaN"),
    (lambda: is_three_good(np.ones((1, 3)), threshold="85"), TypeError, "threshold must be a number"),
    (lambda: is_three_good(np.ones((1, 3)), threshold=np.inf), ValueError, "threshold must be a finite"),
    (lambda: is_three_good(np.ones((1, 3)), weights=(0.5, 0.5)), ValueError, "weights must have shape"),
    (lambda: three_class_labels(np.ones(3)), ValueError, "scores must have shape"),
    (lambda: three_class_labels(np.ones((1, 3)), two_excellent_threshold=None), TypeError,
     "two_excellent_threshold must be a number"),
])
def test_label_rules_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------- cross-entropy


def test_cross_entropy_known_values():
    # log-sum-exp of (1, 2, 3) is 3 + log(1 + e^-1 + e^-2); minus the true logit 1
    assert cross_entropy(np.array([[1.0, 2.0, 3.0]]), np.array([0])) == pytest.approx(2.40760596, abs=1e-8)
    assert cross_entropy(np.zeros((4, 3)), np.array([0, 1, 2, 0])) == pytest.approx(math.log(3))
    # a quarter of the probability on each of two classes, half on the third: -log(1/4) and -log(1/2)
    logits = np.log(np.array([[0.25, 0.25, 0.5], [0.25, 0.25, 0.5]]))
    assert cross_entropy(logits, np.array([0, 2])) == pytest.approx((math.log(4) + math.log(2)) / 2)


@given(arrays(float, (5, 4), elements=st.floats(-20, 20)), st.lists(st.integers(0, 3), min_size=5, max_size=5))
def test_cross_entropy_equals_torch_formula_for_indices_and_one_hot(logits, labels):
    labels = np.array(labels)
    expected = torch_cross_entropy(logits, labels)
    assert cross_entropy(logits, labels) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert cross_entropy(logits, one_hot(labels, 4)) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(arrays(float, (3, 3), elements=st.floats(-20, 20)), arrays(float, (3, 3), elements=st.floats(0.01, 1)))
def test_cross_entropy_equals_torch_formula_for_probability_targets(logits, weights):
    targets = weights / weights.sum(axis=1, keepdims=True)
    assert cross_entropy(logits, targets) == pytest.approx(torch_cross_entropy(logits, targets), rel=1e-9)


@given(arrays(float, (4, 3), elements=st.floats(-1000, 1000)), st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_cross_entropy_is_never_negative(logits, labels):
    assert cross_entropy(logits, np.array(labels)) >= 0.0


def test_cross_entropy_is_stable_at_plus_minus_1000_without_warnings():
    logits = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # right with full confidence costs 0; wrong by a logit gap of 2000 costs 2000
        assert cross_entropy(logits, np.array([0, 0])) == pytest.approx(1000.0)
        assert cross_entropy(logits, one_hot(np.array([0, 1]), 2)) == 0.0
        assert cross_entropy(np.array([[1000.0, 1001.0, 1002.0]]), np.array([2])) == pytest.approx(
            math.log(1 + math.exp(-1) + math.exp(-2)))
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
        assert binary_cross_entropy(np.array([1000.0, -1000.0]), np.array([0.0, 0.0])) == pytest.approx(500.0)


def test_cross_entropy_gradient_is_p_minus_y_over_n():
    rng = np.random.default_rng(3)
    logits = rng.normal(0, 2, size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)  # naive softmax: moderate logits
    numerical = numerical_gradient(lambda z: cross_entropy(z, labels), logits)
    np.testing.assert_allclose(numerical, (p - np.eye(3)[labels]) / 4, atol=1e-8)


@pytest.mark.parametrize("logits, labels, error, match", [
    (np.zeros((2, 3)), np.array([0, 3]), ValueError, r"labels must be class indices in 0\.\.2"),
    (np.zeros((2, 3)), np.array([-1, 0]), ValueError, r"labels must be class indices in 0\.\.2"),
    (np.zeros((2, 3)), np.array([0.5, 1.0]), ValueError, "labels must hold whole class indices"),
    (np.zeros((2, 3)), np.array([0, 1, 2]), ValueError, "labels has 3 entries but logits has 2 rows"),
    (np.zeros((2, 3)), np.zeros((2, 2)), ValueError, r"labels must have shape \(2, 3\)"),
    (np.zeros((2, 3)), np.zeros((2, 3, 1)), ValueError, "labels must be a 1-D array"),
    (np.zeros(3), np.array([0]), ValueError, "logits must have 2 dimension"),
    (np.array([[0.0, np.nan]]), np.array([0]), ValueError, "logits contains NaN"),
])
def test_cross_entropy_rejects_bad_input_naming_the_argument(logits, labels, error, match):
    with pytest.raises(error, match=match):
        cross_entropy(logits, labels)


# ---------------------------------------------------------------- softmax and sigmoid


@given(arrays(float, (3, 4), elements=st.floats(-1000, 1000)), st.floats(-1000, 1000))
def test_softmax_sums_to_one_and_ignores_shifts_even_for_huge_logits(z, shift):
    p = softmax(z, axis=0)
    np.testing.assert_allclose(p.sum(axis=0), 1.0)
    assert np.all(p >= 0)
    np.testing.assert_allclose(softmax(z + shift, axis=0), p, atol=1e-12)


@given(st.floats(-500, 500), st.floats(-500, 500))
def test_softmax_of_two_classes_is_sigmoid_of_the_difference(a, b):
    assert softmax(np.array([a, b]))[0] == pytest.approx(float(sigmoid(a - b)), abs=1e-12)


def test_sigmoid_known_values():
    # sigma(ln 3) = 1 / (1 + 1/3) = 3/4
    assert float(sigmoid(math.log(3))) == pytest.approx(0.75)
    assert float(sigmoid(-math.log(3))) == pytest.approx(0.25)


# ---------------------------------------------------------------- binary cross-entropy


def test_binary_cross_entropy_known_values():
    assert binary_cross_entropy(np.array([0.0]), np.array([1.0])) == pytest.approx(math.log(2))
    # sigma(ln 3) = 3/4: -log(3/4) when right, -log(1/4) when wrong
    z = np.array([math.log(3), math.log(3)])
    assert binary_cross_entropy(z, np.array([1.0, 0.0])) == pytest.approx((math.log(4 / 3) + math.log(4)) / 2)
    assert binary_cross_entropy(np.array([1000.0, -1000.0]), np.array([1.0, 0.0])) == 0.0


# |z| <= 15 keeps the naive reference accurate: log(1 - sigma(z)) loses digits beyond that.
@given(arrays(float, 6, elements=st.floats(-15, 15)), arrays(float, 6, elements=st.floats(0, 1)))
def test_binary_cross_entropy_matches_its_definition_and_two_class_cross_entropy(z, y):
    assert binary_cross_entropy(z, y) == pytest.approx(torch_bce_with_logits(z, y), rel=1e-7, abs=1e-9)
    # one logit z is the two logits (0, z): class 1 is "yes"
    two_class = cross_entropy(np.column_stack([np.zeros_like(z), z]), np.column_stack([1 - y, y]))
    assert binary_cross_entropy(z, y) == pytest.approx(two_class, rel=1e-9, abs=1e-12)
    assert binary_cross_entropy(z, y) >= 0.0


@pytest.mark.parametrize("logits, labels, error, match", [
    (np.zeros(2), np.array([0.0, 2.0]), ValueError, "labels must be between 0 and 1"),
    (np.zeros(2), np.array([0.0, -1.0]), ValueError, "labels must be between 0 and 1"),
    (np.zeros(2), np.zeros(3), ValueError, r"labels must have shape \(2\)"),
    (np.zeros((2, 1)), np.zeros(2), ValueError, "logits must have 1 dimension"),
    (np.array([np.nan, 0.0]), np.zeros(2), ValueError, "logits contains NaN"),
    (np.zeros(2), np.array([np.nan, 0.0]), ValueError, "labels contains NaN"),
])
def test_binary_cross_entropy_rejects_bad_input(logits, labels, error, match):
    with pytest.raises(error, match=match):
        binary_cross_entropy(logits, labels)


# ---------------------------------------------------------------- decision_boundary


def right_of(x0):
    return lambda p: (p[:, 0] > x0).astype(int)


def test_decision_boundary_two_classes_draws_regions_boundary_points_and_names():
    points = np.array([[0.1, 0.5], [0.2, 0.9], [0.8, 0.1]])
    ax = decision_boundary(right_of(0.3), (0, 1), (0, 2), points=points, labels=np.array([0, 0, 1]),
                           class_names=("left", "right"), axis_labels=("moral", "academic"), title="t")
    filled, boundary, *scatters = ax.collections
    assert len(scatters) == 2                                    # one scatter per class present
    np.testing.assert_array_equal(scatters[0].get_offsets(), points[:2])
    np.testing.assert_allclose(scatters[1].get_facecolors()[0], to_rgba(CLASS_COLORS[1]))
    np.testing.assert_allclose(filled.levels, [-0.5, 0.5, 1.5])  # one band per class
    # the boundary is the vertical line x = 0.3, to within one grid step (1/399)
    segments = np.concatenate(boundary.allsegs[0])
    np.testing.assert_allclose(segments[:, 0], 0.3, atol=1 / 399)
    assert segments[:, 1].min() == pytest.approx(0) and segments[:, 1].max() == pytest.approx(2)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("moral", "academic", "t")
    assert ax.get_xlim() == (0, 1) and ax.get_ylim() == (0, 2)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["left", "right"]


def test_decision_boundary_three_classes_on_a_given_axes_with_own_colours():
    def three_bands(p):
        return np.digitize(p[:, 1], [1 / 3, 2 / 3])  # 0 below 1/3, 1 in the middle, 2 above

    _, ax_given = plt.subplots()
    colours = ("#000000", "#00ff00", "#0000ff")
    ax = decision_boundary(three_bands, (0, 1), (0, 1), colors=colours, resolution=61, ax=ax_given)
    assert ax is ax_given
    filled, boundary = ax.collections                            # no points: regions and lines only
    np.testing.assert_allclose(filled.levels, [-0.5, 0.5, 1.5, 2.5])
    np.testing.assert_allclose(filled.get_facecolors()[:, :3], [to_rgba(c)[:3] for c in colours])
    for level, height in zip(boundary.allsegs, (1 / 3, 2 / 3)):
        np.testing.assert_allclose(np.concatenate(level)[:, 1], height, atol=1 / 60)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]


def test_decision_boundary_accepts_yes_no_answers():
    # a yes/no rule (booleans) is a two-class rule: False is class 0, True class 1
    ax = decision_boundary(lambda p: p[:, 0] > 0.3, (0, 1), (0, 1), points=np.array([[0.5, 0.5]]),
                           labels=np.array([True]))
    np.testing.assert_allclose(np.concatenate(ax.collections[1].allsegs[0])[:, 0], 0.3, atol=1 / 399)
    np.testing.assert_allclose(ax.collections[2].get_facecolors()[0], to_rgba(CLASS_COLORS[1]))


def test_decision_boundary_tells_classes_apart_by_marker_too():
    # each class's dots have that class's marker shape (not only its colour), and so has its legend entry
    points = np.array([[0.1, 0.5], [0.8, 0.1]])
    ax = decision_boundary(right_of(0.3), (0, 1), (0, 1), points=points, labels=np.array([0, 1]),
                           markers=("D", "v"), resolution=21)
    for dots, marker in zip(ax.collections[2:], ("D", "v")):
        style = MarkerStyle(marker)
        expected = style.get_path().transformed(style.get_transform()).vertices
        np.testing.assert_allclose(dots.get_paths()[0].vertices, expected)
    legend_markers = [line.get_marker() for line in ax.get_legend().findobj(Line2D) if line.get_marker() != "None"]
    assert legend_markers == ["D", "v"]
    ax_default = decision_boundary(right_of(0.3), (0, 1), (0, 1), points=points, labels=np.array([0, 1]),
                                   resolution=21)
    style = MarkerStyle(CLASS_MARKERS[1])
    np.testing.assert_allclose(ax_default.collections[3].get_paths()[0].vertices,
                               style.get_path().transformed(style.get_transform()).vertices)
    plt.close("all")


def test_decision_boundary_with_one_class_draws_no_boundary():
    ax = decision_boundary(lambda p: np.zeros(len(p), dtype=int), (0, 1), (0, 1), class_names=("all", "none"))
    assert len(ax.collections) == 1


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(predict_fn=lambda p: np.zeros(3, dtype=int)), ValueError, "predict_fn must return one class index"),
    (dict(predict_fn=lambda p: np.full(len(p), 0.5)), ValueError, "predict_fn's output must hold whole"),
    (dict(class_names=("a", "b"), predict_fn=lambda p: np.full(len(p), 2)), ValueError,
     r"predict_fn's output must be class indices in 0\.\.1"),
    (dict(points=np.zeros((2, 2))), ValueError, "points and labels must be given together"),
    (dict(points=np.zeros((2, 2)), labels=np.array([0, 1, 1])), ValueError, "labels has 3 entries"),
    (dict(points=np.zeros((2, 3)), labels=np.array([0, 1])), ValueError, r"points must have shape \(any, 2\)"),
    (dict(class_names=("a", "b", "c"), colors=("red", "blue")), ValueError, "colors must have a colour"),
    (dict(class_names=("a", "b", "c"), markers=("o", "s")), ValueError, "markers must have a marker"),
    (dict(x_range=(0, 1, 2)), ValueError, r"x_range must have shape \(2\)"),
    (dict(resolution=0), ValueError, "resolution must be at least 1"),
])
def test_decision_boundary_rejects_bad_input(kwargs, error, match):
    arguments = dict(predict_fn=right_of(0.5), x_range=(0, 1), y_range=(0, 1)) | kwargs
    with pytest.raises(error, match=match):
        decision_boundary(arguments.pop("predict_fn"), arguments.pop("x_range"), arguments.pop("y_range"),
                          **arguments)

"""Helpers added for lessons 00-03, checked against hand calculations."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.data import (ORDINARY, THREE_GOOD, TWO_EXCELLENT, strict_three_class_labels,
                          three_class_labels)
from helpers.plots import MISTAKE_MARKER, decision_boundary


def test_strict_rule_by_hand():
    scores = np.array([
        [90.0, 80.0, 70.0],   # total 0.6*90 + 0.3*80 + 0.1*70 = 85: three good
        [60.0, 95.0, 65.0],   # total 71; academic 95 but sports 65: ordinary (school's rule: average 80, two excellent)
        [60.0, 65.0, 95.0],   # the mirror image: ordinary
        [60.0, 80.0, 80.0],   # the midpoint of the two above: both at least 80, two excellent
        [60.0, 79.9, 100.0],  # academic just below 80: ordinary
    ])
    assert strict_three_class_labels(scores).tolist() == [THREE_GOOD, ORDINARY, ORDINARY, TWO_EXCELLENT, ORDINARY]
    assert three_class_labels(scores).tolist() == [THREE_GOOD, TWO_EXCELLENT, TWO_EXCELLENT, TWO_EXCELLENT,
                                                   TWO_EXCELLENT]


def test_strict_rule_is_stricter_only_for_two_excellent():
    rng = np.random.default_rng(0)
    scores = rng.uniform(60, 100, size=(2000, 3))
    strict, school = strict_three_class_labels(scores), three_class_labels(scores)
    assert np.array_equal(strict == THREE_GOOD, school == THREE_GOOD)
    # Both at least 80 implies an average of at least 80, so strict two excellent is a subset.
    assert np.all(school[strict == TWO_EXCELLENT] == TWO_EXCELLENT)
    assert np.sum(strict == TWO_EXCELLENT) < np.sum(school == TWO_EXCELLENT)


def test_strict_rule_checks_its_input():
    with pytest.raises(ValueError, match="scores"):
        strict_three_class_labels(np.zeros((3, 2)))


def test_decision_boundary_marks_exactly_the_mistakes():
    points = np.array([[0.2, 0.8], [0.9, 0.1], [0.3, 0.1]])
    labels = np.array([0, 1, 0])
    mistakes = np.array([False, False, True])
    ax = decision_boundary(lambda p: (p[:, 0] > p[:, 1]).astype(int), (0, 1), (0, 1),
                           points=points, labels=labels, mistakes=mistakes)
    crosses = [c for c in ax.collections if c.get_offsets().shape == (1, 2)
               and np.allclose(c.get_offsets(), [[0.3, 0.1]])]
    assert len(crosses) == 1  # the cross over the one mistake (the class-0 dots are one collection of two)
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "mistake (1)"
    assert ax.get_legend().legend_handles[-1].get_marker() == MISTAKE_MARKER
    plt.close(ax.figure)


@pytest.mark.parametrize("mistakes", [np.array([1, 0, 0]), np.array([True, False])])
def test_decision_boundary_rejects_bad_mistakes(mistakes):
    with pytest.raises(ValueError, match="mistakes"):
        decision_boundary(lambda p: np.zeros(len(p), dtype=int), (0, 1), (0, 1),
                          points=np.zeros((3, 2)), labels=np.zeros(3, dtype=int), mistakes=mistakes)
    plt.close("all")


@pytest.mark.parametrize("r", [0.0, 0.3, 0.6, 0.9])
def test_correlated_students_have_the_stated_correlation(r):
    from helpers.data import correlated_students
    scores, totals = correlated_students(200_000, correlation=r, seed=5)
    assert np.all((scores >= 60) & (scores <= 100))
    # Correlation of academic with sports equals r; moral stays uncorrelated with both (standard error ~0.002).
    c = np.corrcoef(scores.T)
    assert c[1, 2] == pytest.approx(r, abs=0.01)
    assert abs(c[0, 1]) < 0.01 and abs(c[0, 2]) < 0.01
    assert np.allclose(totals, 0.6 * scores[:, 0] + 0.3 * scores[:, 1] + 0.1 * scores[:, 2])


def test_correlated_students_omitted_variable_by_hand():
    # sports = a*academic + (1-a)*u with u independent, mean 80: the best fit of the total from
    # (moral, academic, 1) is moral 0.6, academic 0.3 + 0.1 a, bias 0.1 (1 - a) 80 (in a large school).
    from helpers.data import correlated_students
    scores, totals = correlated_students(200_000, correlation=0.6, seed=6)
    a = 0.6 / (0.6 + 0.8)
    w, *_ = np.linalg.lstsq(np.column_stack([scores[:, :2], np.ones(len(scores))]), totals, rcond=None)
    assert w == pytest.approx([0.6, 0.3 + 0.1 * a, 0.1 * (1 - a) * 80], abs=0.003, rel=0.01)


@pytest.mark.parametrize("bad", [-0.1, 1.0, float("nan")])
def test_correlated_students_rejects_bad_correlation(bad):
    from helpers.data import correlated_students
    with pytest.raises(ValueError, match="correlation"):
        correlated_students(5, correlation=bad)

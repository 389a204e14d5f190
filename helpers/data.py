"""The students of the story and their scores.

Lesson 01 introduces the school's rule: a student's total is a weighted sum of
three subject scores, moral (德), academic (智) and sports (体), with weights
0.6, 0.3 and 0.1. The weights are the unknowns the whole course keeps finding.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._validate import finite_array, finite_float, positive_int

SUBJECTS = ("moral", "academic", "sports")
"""Column order of every score array in the course."""

SCHOOL_WEIGHTS = (0.6, 0.3, 0.1)
"""The weights the school uses (and keeps secret) in lesson 01."""

WORKED_EXAMPLES = (((90.0, 80.0, 70.0), 85.0), ((98.0, 95.0, 87.0), 96.0))
"""The two students whose scores and totals the school published (lesson 01)."""

LOWEST_SCORE, HIGHEST_SCORE = 60.0, 100.0


def three_good_students(n: int, *, seed: int = 0,
                        weights: Sequence[float] = SCHOOL_WEIGHTS) -> tuple[np.ndarray, np.ndarray]:
    """Generate ``n`` students: scores uniform on [60, 100] and their weighted totals.

    Introduced in lesson 01. Returns ``(scores, totals)`` with ``scores`` of shape
    ``(n, 3)`` (columns as in :data:`SUBJECTS`) and ``totals = scores @ weights``.
    The same ``seed`` always gives the same students.

    >>> scores, totals = three_good_students(4, seed=1)
    >>> scores.shape, totals.shape
    ((4, 3), (4,))
    >>> bool(np.allclose(totals, 0.6 * scores[:, 0] + 0.3 * scores[:, 1] + 0.1 * scores[:, 2]))
    True
    """
    n = positive_int(n, "n")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__} {seed!r}")
    weights = finite_array(weights, "weights", shape=(3,))
    rng = np.random.default_rng(seed)
    scores = rng.uniform(LOWEST_SCORE, HIGHEST_SCORE, size=(n, 3))
    return scores, scores @ weights


def train_test_split(*arrays: np.ndarray, test_fraction: float = 0.25,
                     seed: int = 0) -> list[np.ndarray]:
    """Shuffle the rows of ``arrays`` together and split them into train and test parts.

    Returns ``[a_train, a_test, b_train, b_test, ...]``. At least one row goes to
    each part. Introduced in lesson 02, where a held-out set first matters.

    >>> x_train, x_test = train_test_split(np.arange(8), test_fraction=0.25)
    >>> len(x_train), len(x_test), sorted(np.concatenate([x_train, x_test]).tolist()) == list(range(8))
    (6, 2, True)
    """
    if not arrays:
        raise TypeError("train_test_split needs at least one array")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction}")
    arrays = [np.asarray(a) for a in arrays]
    n = len(arrays[0])
    for i, a in enumerate(arrays):
        if len(a) != n:
            raise ValueError(f"array {i} has {len(a)} rows but array 0 has {n}; all must have the same number")
    if n < 2:
        raise ValueError(f"need at least 2 rows to split, got {n}")
    n_test = min(max(1, round(n * test_fraction)), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return [part for a in arrays for part in (a[train], a[test])]


THREE_GOOD_THRESHOLD = 85.0
"""Weighted total at or above which the course names a student three good (lessons 02 and 03).

The source book uses 95, but on scores uniform on 60-100 that names under 2 % of
the students: a model that always answers "no" would be 98 % accurate and
learn nothing. At 85 (exactly the total of the first published student,
(90, 80, 70)) about 29 % are named: still a minority, but plenty to learn from.
"""

TWO_EXCELLENT_THRESHOLD = 80.0
"""Average of the academic and sports scores at or above which a student who is
not three good is named two excellent (lesson 03)."""

THREE_GOOD, TWO_EXCELLENT, ORDINARY = 0, 1, 2
"""Class indices of lesson 03, in the order of :data:`CLASS_NAMES`."""

CLASS_NAMES = ("three good", "two excellent", "ordinary")
"""English names of the three classes of lesson 03 (used in plot labels)."""

CLASS_NAMES_ZH = ("三好", "双优", "普通")
"""Chinese names of the three classes of lesson 03, in the same order."""


def is_three_good(scores: np.ndarray, threshold: float = THREE_GOOD_THRESHOLD,
                  weights: Sequence[float] = SCHOOL_WEIGHTS) -> np.ndarray:
    """The school's yes/no rule: is the weighted total at least ``threshold``? (lesson 02)

    ``scores`` has shape ``(n, 3)``; returns ``n`` booleans. The learner never
    sees the totals, only these answers.

    >>> is_three_good(np.array([[90.0, 80.0, 70.0], [98.0, 95.0, 87.0], [70.0, 90.0, 100.0]]))
    array([ True,  True, False])
    >>> is_three_good(np.array([[90.0, 80.0, 70.0], [98.0, 95.0, 87.0]]), threshold=95)
    array([False,  True])
    """
    scores = finite_array(scores, "scores", shape=(None, 3))
    threshold = finite_float(threshold, "threshold")
    weights = finite_array(weights, "weights", shape=(3,))
    return scores @ weights >= threshold


def three_class_labels(scores: np.ndarray, *, threshold: float = THREE_GOOD_THRESHOLD,
                       two_excellent_threshold: float = TWO_EXCELLENT_THRESHOLD,
                       weights: Sequence[float] = SCHOOL_WEIGHTS) -> np.ndarray:
    """The school's three honours as class indices (lesson 03).

    A student is :data:`THREE_GOOD` (0) when :func:`is_three_good` says so;
    otherwise :data:`TWO_EXCELLENT` (1) when the average of the academic and
    sports scores is at least ``two_excellent_threshold``; otherwise
    :data:`ORDINARY` (2). With the defaults, students from
    :func:`three_good_students` fall about 29 % / 30 % / 41 % into the three classes.

    >>> three_class_labels(np.array([[90.0, 80.0, 70.0], [70.0, 90.0, 75.0],
    ...                              [70.0, 70.0, 95.0], [70.0, 75.0, 80.0]]))
    array([0, 1, 1, 2])
    """
    scores = finite_array(scores, "scores", shape=(None, 3))
    three_good = is_three_good(scores, threshold, weights)
    two_excellent_threshold = finite_float(two_excellent_threshold, "two_excellent_threshold")
    academic_and_sports = scores[:, 1:].mean(axis=1)
    return np.where(three_good, THREE_GOOD,
                    np.where(academic_and_sports >= two_excellent_threshold, TWO_EXCELLENT, ORDINARY))


# --- Students whose scores correlate (lesson 01, a model that cannot see everything) ----------


def correlated_students(n: int, *, correlation: float = 0.6, seed: int = 0,
                        weights: Sequence[float] = SCHOOL_WEIGHTS) -> tuple[np.ndarray, np.ndarray]:
    """Students whose sports score goes with their academic score, as real pupils' do (lesson 01).

    Moral and academic scores are uniform on [60, 100] as in
    :func:`three_good_students`; the sports score is ``a * academic + (1 - a) * u``
    with ``u`` another independent uniform score and ``a = r / (r + sqrt(1 - r**2))``
    for ``r = correlation``, so it stays within [60, 100] and its correlation with
    the academic score is ``r`` (in a large school). Returns ``(scores, totals)``
    with ``totals = scores @ weights``.

    >>> scores, totals = correlated_students(3, seed=1)
    >>> scores.shape, bool(np.all((scores >= 60) & (scores <= 100)))
    ((3, 3), True)
    """
    n = positive_int(n, "n")
    correlation = finite_float(correlation, "correlation")
    if not 0 <= correlation < 1:
        raise ValueError(f"correlation must be at least 0 and below 1, got {correlation}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__} {seed!r}")
    weights = finite_array(weights, "weights", shape=(3,))
    mix = correlation / (correlation + np.sqrt(1 - correlation**2))
    uniform = np.random.default_rng(seed).uniform(LOWEST_SCORE, HIGHEST_SCORE, size=(n, 4))
    scores = np.column_stack([uniform[:, 0], uniform[:, 1], mix * uniform[:, 1] + (1 - mix) * uniform[:, 3]])
    return scores, scores @ weights

# --- Rules built to show what a single layer cannot do (lesson 03) -----------------------------


def strict_three_class_labels(scores: np.ndarray, *, threshold: float = THREE_GOOD_THRESHOLD,
                              two_excellent_threshold: float = TWO_EXCELLENT_THRESHOLD,
                              weights: Sequence[float] = SCHOOL_WEIGHTS) -> np.ndarray:
    """A stricter second honour whose ordinary class is not convex (lesson 03).

    Like :func:`three_class_labels`, except that a student who is not three good
    is two excellent only when the academic **and** the sports score are each at
    least ``two_excellent_threshold``. The ordinary students then fill an
    L-shaped region: two of them, (60, 95, 65) and (60, 65, 95), have the two
    excellent student (60, 80, 80) exactly halfway between them, which no model
    whose class regions are convex (a one-layer softmax) can get right.

    >>> strict_three_class_labels(np.array([[90.0, 80.0, 70.0], [60.0, 95.0, 65.0],
    ...                                     [60.0, 65.0, 95.0], [60.0, 80.0, 80.0]]))
    array([0, 2, 2, 1])
    """
    scores = finite_array(scores, "scores", shape=(None, 3))
    three_good = is_three_good(scores, threshold, weights)
    two_excellent_threshold = finite_float(two_excellent_threshold, "two_excellent_threshold")
    both_excellent = np.all(scores[:, 1:] >= two_excellent_threshold, axis=1)
    return np.where(three_good, THREE_GOOD, np.where(both_excellent, TWO_EXCELLENT, ORDINARY))

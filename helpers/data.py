"""The students of the story and their scores.

Lesson 01 introduces the school's rule: a student's total is a weighted sum of
three subject scores, moral (德), academic (智) and sports (体), with weights
0.6, 0.3 and 0.1. The weights are the unknowns the whole course keeps finding.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._validate import finite_array, number, positive_int, random_seed

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
    weights = finite_array(weights, "weights", shape=(3,))
    rng = np.random.default_rng(random_seed(seed))
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
    test_fraction = number(test_fraction, "test_fraction", low=0, high=1, low_open=True, high_open=True)
    seed = random_seed(seed)
    arrays = [np.asarray(a) for a in arrays]
    for i, a in enumerate(arrays):
        if a.ndim == 0:
            raise ValueError(f"arrays[{i}] must have rows to split (at least 1 dimension), got the single value {a!r}")
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
    threshold = number(threshold, "threshold")
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
    two_excellent_threshold = number(two_excellent_threshold, "two_excellent_threshold")
    academic_and_sports = scores[:, 1] / 2 + scores[:, 2] / 2  # halves first: the sum could overflow
    return np.where(three_good, THREE_GOOD,
                    np.where(academic_and_sports >= two_excellent_threshold, TWO_EXCELLENT, ORDINARY))

"""The students of the story and their scores.

Lesson 01 introduces the school's rule: a student's total is a weighted sum of
three subject scores, moral (德), academic (智) and sports (体), with weights
0.6, 0.3 and 0.1. The weights are the unknowns the whole course keeps finding.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._validate import finite_array, positive_int

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

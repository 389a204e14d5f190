"""The students of the story and their scores.

Lesson 01 introduces the school's rule: a student's total is a weighted sum of
three subject scores, moral (德), academic (智) and sports (体), with weights
0.6, 0.3 and 0.1. The weights are the unknowns the whole course keeps finding.
Lessons 08 and 10 leave the story for real data: the 8x8 handwritten digits
shipped in ``data_files/`` (:func:`load_digits`, :func:`stratified_split`).
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import Path
from typing import Iterator, Sequence

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
    correlation = number(correlation, "correlation", low=0, high=1, high_open=True)
    seed = random_seed(seed)
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
    two_excellent_threshold = number(two_excellent_threshold, "two_excellent_threshold")
    both_excellent = np.all(scores[:, 1:] >= two_excellent_threshold, axis=1)
    return np.where(three_good, THREE_GOOD, np.where(both_excellent, TWO_EXCELLENT, ORDINARY))


# ---------------------------------------------------------------------------
# Real data: the 8x8 handwritten digits (lessons 08 and 10)
# ---------------------------------------------------------------------------

DIGITS_FILE = Path(__file__).resolve().parent / "data_files" / "digits.npz"
"""Where the course's copy of the digits lives (written by ``tools/extract_digits.py``)."""

DIGITS_SHA256 = "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"
"""SHA-256 of the stored pixel bytes followed by the label bytes (see :func:`digits_checksum`)."""

DIGITS_CLASS_COUNTS = (178, 182, 177, 183, 181, 182, 181, 179, 174, 180)
"""How many images of each digit 0-9 the set holds (1,797 in all)."""

_RESTORE = ("restore it with `git checkout -- helpers/data_files/digits.npz` in the course "
            "repository, or reinstall the course with `pip install -r requirements.txt`; "
            "a maintainer can rebuild it with `python -m tools.extract_digits` (needs scikit-learn)")


def digits_checksum(images: np.ndarray, labels: np.ndarray) -> str:
    """SHA-256 (hex) of ``images`` then ``labels`` as contiguous bytes, as stored (uint8).

    It checks the data, not the zip container, so it does not change when the file is
    re-compressed.

    >>> digits_checksum(np.zeros((1, 64), np.uint8), np.zeros(1, np.uint8)) == hashlib.sha256(bytes(65)).hexdigest()
    True
    """
    for array, name in ((images, "images"), (labels, "labels")):
        if not isinstance(array, np.ndarray) or array.dtype != np.uint8:
            raise TypeError(f"{name} must be a uint8 array, as stored, got {getattr(array, 'dtype', type(array).__name__)}")
    return hashlib.sha256(np.ascontiguousarray(images).tobytes()
                          + np.ascontiguousarray(labels).tobytes()).hexdigest()


def load_digits(path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits as ``(images, labels)`` (lessons 08 and 10).

    ``images`` has shape ``(1797, 64)``: each row is an 8x8 picture read row by row,
    floats in [0, 1] (the stored pixel counts 0-16 divided by 16; ``images[i].reshape(8, 8)``
    draws it). ``labels`` has shape ``(1797,)``: the digit 0-9 each image shows, as ints.
    The data are the UCI "Optical Recognition of Handwritten Digits" set (test part, as
    scikit-learn ships it; CC BY 4.0), stored in the package and read with
    ``allow_pickle=False``; shapes, dtypes and a SHA-256 checksum are checked, so a
    missing or damaged file is reported instead of silently giving wrong data.
    ``path`` reads another copy of the file (the default is :data:`DIGITS_FILE`).

    >>> images, labels = load_digits()
    >>> images.shape, labels.shape, float(images.min()), float(images.max())
    ((1797, 64), (1797,), 0.0, 1.0)
    >>> np.bincount(labels).tolist()
    [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    """
    path = DIGITS_FILE if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"the digits data file {path} is missing; {_RESTORE}")
    try:
        with np.load(path, allow_pickle=False) as stored:
            if sorted(stored.files) != ["images", "labels"]:
                raise ValueError(f"it holds {sorted(stored.files)} instead of ['images', 'labels']")
            images, labels = stored["images"], stored["labels"]
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise ValueError(f"the digits data file {path} is corrupted ({error}); {_RESTORE}") from None
    n = sum(DIGITS_CLASS_COUNTS)
    if images.shape != (n, 64) or labels.shape != (n,) or images.dtype != np.uint8 or labels.dtype != np.uint8:
        raise ValueError(f"the digits data file {path} is corrupted (images {images.dtype} {images.shape}, "
                         f"labels {labels.dtype} {labels.shape}; expected uint8 ({n}, 64) and uint8 ({n},)); "
                         f"{_RESTORE}")
    if digits_checksum(images, labels) != DIGITS_SHA256:
        raise ValueError(f"the digits data file {path} is corrupted (its SHA-256 checksum does not match); "
                         f"{_RESTORE}")
    return images / 16.0, labels.astype(np.int64)


def stratified_split(labels: np.ndarray, *, validation: float = 0.2, test: float = 0.2,
                     seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded, stratified split into train / validation / test row indices (lessons 08 and 10).

    Every class is shuffled on its own and cut in the same proportions (its
    count times ``validation`` and ``test``, rounded), so each part keeps the
    class balance of the whole. Returns three index arrays ``(train, val, test)``,
    each in shuffled order, together holding every row once: use them as
    ``images[train]``, ``labels[train]``. The same ``seed`` gives the same split.
    ``validation=0`` gives an empty validation part.

    >>> train, val, test = stratified_split(np.repeat([0, 1], [10, 30]), validation=0.2, test=0.3)
    >>> len(train), len(val), len(test)
    (20, 8, 12)
    >>> np.bincount(np.repeat([0, 1], [10, 30])[test]).tolist()
    [3, 9]
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D array of integer class indices, got {labels.dtype} {labels.shape}")
    validation = number(validation, "validation", low=0, high=1, high_open=True)
    test = number(test, "test", low=0, high=1, high_open=True)
    if validation + test >= 1:
        raise ValueError(f"validation + test must be less than 1 to leave training data, got {validation + test}")
    rng = np.random.default_rng(random_seed(seed))
    parts: tuple[list, list, list] = ([], [], [])
    for cls in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == cls))
        n_test, n_val = round(len(rows) * test), round(len(rows) * validation)
        parts[2].append(rows[:n_test])
        parts[1].append(rows[n_test:n_test + n_val])
        parts[0].append(rows[n_test + n_val:])
    train, val, test_rows = (rng.permutation(np.concatenate(p)) for p in parts)
    return train, val, test_rows


# Mini-batches (lesson 08) ---------------------------------------------------------------


def minibatches(data: int | np.ndarray | Sequence[np.ndarray], batch_size: int, *,
                seed: int | np.random.Generator = 0) -> Iterator:
    """One epoch of shuffled mini-batches (小批量), introduced in lesson 08.

    ``data`` is either a number of examples ``n``, and each batch is an array of
    row indices, or an array (or a list or tuple of arrays with the same number of
    rows), and each batch holds the same rows of every array. Every row appears in
    exactly one batch; the last batch is smaller when ``batch_size`` does not
    divide ``n``. An integer ``seed`` gives the same order every time; pass one
    ``np.random.default_rng(seed)``, made before the epoch loop, to get a new
    (still reproducible) order every epoch.

    >>> [batch.tolist() for batch in minibatches(5, 2, seed=0)]
    [[2, 4], [3, 0], [1]]
    >>> x, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> [batch_y.tolist() for batch_x, batch_y in minibatches((x, y), 2, seed=0)]
    [[2, 4], [3, 0], [1]]
    """
    batch_size = positive_int(batch_size, "batch_size")
    if isinstance(data, (int, np.integer)) and not isinstance(data, bool):
        n, arrays = positive_int(int(data), "data"), None
    elif isinstance(data, (list, tuple)):
        arrays = [np.asarray(a) for a in data]
        if not arrays:
            raise ValueError("data must hold at least one array")
        n = len(arrays[0])
        for i, a in enumerate(arrays):
            if a.ndim == 0 or len(a) != n:
                raise ValueError(f"data[{i}] has shape {a.shape} but data[0] has {n} rows; all must have the same number")
    elif isinstance(data, np.ndarray) and data.ndim >= 1:
        n, arrays = len(data), data
    else:
        raise TypeError(f"data must be a number of examples, an array or a list of arrays, got {type(data).__name__}")
    if isinstance(seed, np.random.Generator):
        rng = seed
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        rng = np.random.default_rng(seed)
    else:
        raise TypeError(f"seed must be an integer or a numpy Generator, got {type(seed).__name__} {seed!r}")
    order = rng.permutation(n)  # drawn now, so the batches do not depend on when iteration starts
    batches = (order[first:first + batch_size] for first in range(0, n, batch_size))
    if arrays is None:
        return batches
    if isinstance(arrays, np.ndarray):
        return (arrays[batch] for batch in batches)
    return (tuple(a[batch] for a in arrays) for batch in batches)

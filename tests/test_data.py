import numpy as np
import pytest

from helpers.data import SCHOOL_WEIGHTS, WORKED_EXAMPLES, three_good_students, train_test_split


def test_worked_examples_follow_the_school_rule_by_hand():
    # 0.6*90 + 0.3*80 + 0.1*70 = 54 + 24 + 7 = 85; 0.6*98 + 0.3*95 + 0.1*87 = 58.8 + 28.5 + 8.7 = 96
    assert [np.dot(scores, SCHOOL_WEIGHTS) for scores, _ in WORKED_EXAMPLES] == pytest.approx([85.0, 96.0])
    assert [total for _, total in WORKED_EXAMPLES] == pytest.approx([54 + 24 + 7, 58.8 + 28.5 + 8.7])


def test_two_examples_and_sum_to_one_give_unique_weights():
    a = np.array([s for s, _ in WORKED_EXAMPLES] + [(1.0, 1.0, 1.0)])
    b = np.array([t for _, t in WORKED_EXAMPLES] + [1.0])
    assert np.linalg.matrix_rank(a) == 3
    np.testing.assert_allclose(np.linalg.solve(a, b), [0.6, 0.3, 0.1], atol=1e-12)


def test_generator_shapes_range_and_totals():
    scores, totals = three_good_students(500, seed=3)
    assert scores.shape == (500, 3) and totals.shape == (500,)
    assert scores.min() >= 60 and scores.max() <= 100
    # every row by hand, not through the same matrix product
    for row, total in zip(scores[:20], totals[:20]):
        assert total == pytest.approx(0.6 * row[0] + 0.3 * row[1] + 0.1 * row[2])
    # uniform on [60, 100]: mean 80, std 40/sqrt(12) = 11.55
    assert abs(scores.mean() - 80) < 1.5
    assert abs(scores.std() - 40 / np.sqrt(12)) < 1.0


def test_generator_is_deterministic_and_seed_matters():
    a, _ = three_good_students(5, seed=7)
    b, _ = three_good_students(5, seed=7)
    c, _ = three_good_students(5, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_generator_custom_weights():
    scores, totals = three_good_students(10, weights=(1, 0, 0))
    np.testing.assert_array_equal(totals, scores[:, 0])


@pytest.mark.parametrize("n, error", [(-1, ValueError), (0, ValueError), (2.5, TypeError), (True, TypeError)])
def test_generator_rejects_bad_n(n, error):
    with pytest.raises(error, match="n "):
        three_good_students(n)


@pytest.mark.parametrize("weights", [(0.5, 0.5), (0.1, 0.2, 0.3, 0.4), (0.6, np.nan, 0.1)])
def test_generator_rejects_bad_weights(weights):
    with pytest.raises(ValueError, match="weights"):
        three_good_students(5, weights=weights)


def test_generator_rejects_bad_seed():
    with pytest.raises(TypeError, match="seed"):
        three_good_students(5, seed="zero")


def test_split_keeps_rows_together_and_partitions():
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_fraction=0.3, seed=1)
    assert len(x_test) == 3 and len(x_train) == 7
    np.testing.assert_array_equal(x_train[:, 0] // 2, y_train)
    np.testing.assert_array_equal(x_test[:, 0] // 2, y_test)
    assert sorted(np.concatenate([y_train, y_test])) == list(range(10))


def test_split_errors():
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(np.arange(5), test_fraction=1.0)
    with pytest.raises(ValueError, match="same number"):
        train_test_split(np.arange(5), np.arange(4))
    with pytest.raises(ValueError, match="at least 2"):
        train_test_split(np.arange(1))

"""The exercise checks must accept right answers, reject wrong ones with the right hint, and never raise."""

import numpy as np
import pytest

from helpers import check


def test_close_to_accepts_within_tolerance_and_rejects_outside(capsys):
    assert check.close_to(0.6005, 0.6, rtol=1e-3)
    assert not check.close_to(0.61, 0.6, rtol=1e-3)
    assert "too large" in capsys.readouterr().out


@pytest.mark.parametrize("answer, phrase", [
    (Ellipsis, "not filled in"),
    (None, "not filled in"),
    ("0.6", "single number"),
    (np.nan, "blew up"),
    (-0.6, "wrong sign"),
    (6.0, "factor of about 10"),
    (0.006, "factor of about 100"),
])
def test_close_to_hints(answer, phrase):
    verdict = check.close_to(answer, 0.6)
    assert not verdict and phrase in verdict.message


def test_close_to_accepts_numpy_scalars_and_one_element_arrays():
    assert check.close_to(np.float64(85.0), 85)
    assert check.close_to(np.array([85.0]), 85)


def test_close_to_misuse_raises():
    with pytest.raises(TypeError, match="expected"):
        check.close_to(1.0, "one")


def test_array_close_shape_sign_and_values():
    expected = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert check.array_close(expected + 1e-9, expected)
    assert "transposed" in check.array_close(expected.T, expected).message
    assert "wrong sign" in check.array_close(-expected, expected).message
    wrong = expected.copy()
    wrong[0, 0] = 9
    assert "1 of 6 values" in check.array_close(wrong, expected).message
    assert "NaN" in check.array_close(np.full((2, 3), np.nan), expected).message
    assert not check.array_close(["a", "b"], np.zeros(2))


def test_choice_is_case_and_quote_insensitive_and_explains():
    options = {"a": "right because", "b": "wrong because"}
    assert check.choice("A", "a", options)
    verdict = check.choice("b", "a", options)
    assert not verdict and "wrong because" in verdict.message
    assert "not an option" in check.choice("z", "a", options).message
    with pytest.raises(ValueError, match="correct"):
        check.choice("a", "c", options)


def test_function_matches_reports_crashes_and_wrong_values_without_raising():
    reference = lambda x: x ** 2  # noqa: E731
    inputs = [(np.array([1.0, 2.0]),), (np.array([-3.0]),)]
    assert check.function_matches(lambda x: x * x, reference, inputs)
    crashed = check.function_matches(lambda x: 1 / 0, reference, inputs)
    assert not crashed and "ZeroDivisionError" in crashed.message
    wrong = check.function_matches(lambda x: 2 * x, reference, inputs)
    assert not wrong and "instead of" in wrong.message
    assert "shape" in check.function_matches(lambda x: x.sum(), reference, inputs).message
    assert not check.function_matches(Ellipsis, reference, inputs)
    with pytest.raises(ValueError, match="inputs"):
        check.function_matches(reference, reference, [])


def test_verdict_renders_as_text_and_html():
    verdict = check.close_to(1.0, 1.0)
    assert str(verdict).startswith("✓")
    assert "✓" in verdict._repr_html_()
    assert "<script" not in check.choice("<script>", "a", {"a": "x"})._repr_html_()

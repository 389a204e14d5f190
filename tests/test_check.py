"""The exercise checks accept right answers, reject wrong ones with a message that describes the
answer (never a cause borrowed from one lesson), tell an unfilled stub apart, and never raise."""

import numpy as np
import pytest

from helpers import check
from helpers.check import Verdict


def verdict_of(call):
    """Run a check; insist it returned a Verdict (a check whose body is gone returns None)."""
    verdict = call()
    assert isinstance(verdict, Verdict), f"a check must return a Verdict, got {verdict!r}"
    return verdict


def test_close_to_accepts_within_tolerance_and_rejects_outside():
    assert verdict_of(lambda: check.close_to(0.6005, 0.6, rtol=1e-3)).passed
    rejected = verdict_of(lambda: check.close_to(0.61, 0.6, rtol=1e-3))
    assert not rejected.passed and "too large" in rejected.message
    assert "too small" in verdict_of(lambda: check.close_to(0.59, 0.6, rtol=1e-3)).message


@pytest.mark.parametrize("answer, expected, phrase", [
    (Ellipsis, 0.6, "not filled in yet"),
    (None, 0.6, "not filled in yet"),
    ("0.6", 0.6, "single number"),
    (np.zeros(3), 0.6, "shape (3,)"),
    (np.nan, 0.6, "is nan"),
    (-0.6, 0.6, "has the wrong sign."),
    (6.0, 0.6, "about 10 times too large"),
    (0.006, 0.6, "about 100 times too small"),
    (-6.0, 0.6, "about 10 times too large and has the wrong sign"),
    (85.0, 0.85, "looks like a percentage"),
    (80.0, 85.5, "too small"),  # no percentage talk for an expected value above 1
])
def test_close_to_describes_the_answer(answer, expected, phrase):
    verdict = verdict_of(lambda: check.close_to(answer, expected))
    assert not verdict.passed and phrase in verdict.message


def test_built_in_messages_name_no_cause_from_a_particular_lesson():
    # Review, code.md §5 item 5: sigma'(0) with the wrong sign was told it "added the gradient",
    # and a factor of 10 was told to "check the scaling of the scores".
    for call in (lambda: check.close_to(-0.25, 0.25), lambda: check.close_to(2.5, 0.25),
                 lambda: check.array_close(-np.ones(3), np.ones(3))):
        message = verdict_of(call).message
        assert "gradient" not in message and "scores" not in message and "learning rate" not in message


def test_the_lessons_hint_is_added_to_a_wrong_answer_but_not_to_an_unfilled_one():
    hint = "Multiply each score by its weight."
    assert verdict_of(lambda: check.close_to(3.0, 2.0, hint=hint)).message.endswith(hint)
    assert hint not in verdict_of(lambda: check.close_to(..., 2.0, hint=hint)).message


def test_close_to_zero_tolerates_rounding_by_default_and_atol_can_tighten_it():
    assert verdict_of(lambda: check.close_to(1e-17, 0.0)).passed
    assert verdict_of(lambda: check.close_to(-3e-12, 0.0)).passed
    assert not verdict_of(lambda: check.close_to(1e-3, 0.0)).passed
    assert not verdict_of(lambda: check.close_to(1e-17, 0.0, atol=1e-20)).passed


def test_close_to_accepts_numpy_scalars_and_one_element_arrays():
    assert verdict_of(lambda: check.close_to(np.float64(85.0), 85)).passed
    assert verdict_of(lambda: check.close_to(np.array([85.0]), 85)).passed


def test_close_to_misuse_raises():
    with pytest.raises(TypeError, match="expected"):
        check.close_to(1.0, "one")


def test_array_close_shape_sign_factor_and_values():
    expected = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert verdict_of(lambda: check.array_close(expected + 1e-9, expected)).passed
    assert "transposed" in verdict_of(lambda: check.array_close(expected.T, expected)).message
    assert "shape (3,)" in verdict_of(lambda: check.array_close(np.ones(3), expected)).message
    assert "wrong sign" in verdict_of(lambda: check.array_close(-expected, expected)).message
    assert "about 100 times too small" in verdict_of(lambda: check.array_close(expected / 100, expected)).message
    wrong = expected.copy()
    wrong[0, 0] = 9
    assert "1 of 6 values" in verdict_of(lambda: check.array_close(wrong, expected)).message
    assert "NaN" in verdict_of(lambda: check.array_close(np.full((2, 3), np.nan), expected)).message
    assert "array of numbers" in verdict_of(lambda: check.array_close(["a", "b"], np.zeros(2))).message
    assert "not filled in yet" in verdict_of(lambda: check.array_close(..., np.zeros(2))).message


def test_choice_is_case_and_quote_insensitive_and_explains():
    options = {"a": "right because", "b": "wrong because"}
    assert verdict_of(lambda: check.choice("A", "a", options)).passed
    assert verdict_of(lambda: check.choice("'a'", "a", options)).passed
    verdict = verdict_of(lambda: check.choice("b", "a", options))
    assert not verdict.passed and "wrong because" in verdict.message
    assert "not an option" in verdict_of(lambda: check.choice("z", "a", options)).message
    assert "not filled in yet" in verdict_of(lambda: check.choice(..., "a", options)).message
    with pytest.raises(ValueError, match="correct"):
        check.choice("a", "c", options)


def square(x):
    return x ** 2


INPUTS = [(np.array([1.0, 2.0]),), (np.array([-3.0]),)]


def test_function_matches_accepts_an_equal_function_and_rejects_wrong_ones_without_raising():
    assert verdict_of(lambda: check.function_matches(lambda x: x * x, square, INPUTS)).passed
    crashed = verdict_of(lambda: check.function_matches(lambda x: 1 / 0, square, INPUTS))
    assert not crashed.passed and "ZeroDivisionError" in crashed.message
    wrong = verdict_of(lambda: check.function_matches(lambda x: 2 * x, square, INPUTS))
    assert not wrong.passed and "instead of" in wrong.message
    assert "shape" in verdict_of(lambda: check.function_matches(lambda x: x.sum(), square, INPUTS)).message
    assert "not numbers" in verdict_of(lambda: check.function_matches(lambda x: "four", square, INPUTS)).message
    with pytest.raises(ValueError, match="inputs"):
        check.function_matches(square, square, [])


def test_function_matches_says_a_stub_is_not_filled_in():
    def stub(x):
        ...  # your code here

    def half_done(x):
        return x ** 2 + ...

    for learner in (stub, half_done, Ellipsis, None):
        verdict = verdict_of(lambda: check.function_matches(learner, square, INPUTS))
        assert not verdict.passed and "not filled in yet" in verdict.message


def test_function_matches_rejects_a_function_that_changes_its_input_and_protects_the_lessons_arrays():
    def softmax_in_place(z):
        z -= z.max()
        return np.exp(z) / np.exp(z).sum()

    lesson_array = np.array([1.0, 2.0, 3.0])
    reference_calls = []

    def reference(z):
        reference_calls.append(z)
        z = z - z.max()
        return np.exp(z) / np.exp(z).sum()

    verdict = verdict_of(lambda: check.function_matches(softmax_in_place, reference, [(lesson_array,)]))
    assert not verdict.passed and "changed its argument 1 in place" in verdict.message
    assert lesson_array.tolist() == [1.0, 2.0, 3.0]
    assert reference_calls[0] is not lesson_array  # the reference gets a copy too


def test_function_matches_compares_containers_argument_by_argument():
    def adds_a_key(params):
        params["extra"] = 1.0
        return 0.0

    verdict = verdict_of(lambda: check.function_matches(adds_a_key, lambda params: 0.0, [({"w": np.ones(2)},)]))
    assert not verdict.passed and "in place" in verdict.message
    untouched = verdict_of(lambda: check.function_matches(lambda params, xs: 0.0, lambda params, xs: 0.0,
                                                          [({"w": np.full(2, np.nan)}, [1, 2])]))
    assert untouched.passed


def test_order_of_magnitude():
    assert verdict_of(lambda: check.order_of_magnitude(4e-3, 3e-3)).passed
    assert "10 times too large" in verdict_of(lambda: check.order_of_magnitude(3e-2, 3e-3)).message
    assert "positive" in verdict_of(lambda: check.order_of_magnitude(-1.0, 3e-3)).message
    assert "not filled in yet" in verdict_of(lambda: check.order_of_magnitude(None, 3e-3)).message
    with pytest.raises(ValueError, match="expected"):
        check.order_of_magnitude(1.0, 0.0)


def test_verdict_is_one_line_of_plain_text_and_safe_html(capsys):
    verdict = check.choice("b", "a", {"a": "x", "b": "two\nlines <b>"})
    assert str(verdict) == '✗ "b" is not it. two lines <b>'
    assert capsys.readouterr().out.strip() == str(verdict)  # outside IPython the check prints its text
    assert str(check.close_to(1.0, 1.0)).startswith("✓ ")
    assert "<b>" not in check.choice("<b>", "a", {"a": "x"})._repr_html_()

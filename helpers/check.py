"""Checks behind the "Try it" exercises.

A check shows ✓ and a short confirmation, or ✗ and a hint pointing at the
likely mistake. A wrong answer never raises: a learner's ``None``, NaN, wrong
shape or crashing function is a ✗ with an explanation. Misusing a check itself
(an expected value that is not a number, say) raises, because that is a bug in
the lesson, not in the learner's answer.

Each check displays its verdict at once and returns it; a verdict is truthy
when the answer passed, which is how the tests use them.
"""

from __future__ import annotations

import html
import numbers
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import numpy as np


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: whether it passed and what to tell the learner."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"{'✓' if self.passed else '✗'} {self.message}"

    def _repr_html_(self) -> str:
        color, background = ("#1a7f37", "#e6f4ea") if self.passed else ("#b42318", "#fdecea")
        mark = "✓" if self.passed else "✗"
        return (f'<div style="border-left: 4px solid {color}; background: {background}; '
                f'padding: 4px 10px; margin: 2px 0;"><b style="color: {color}">{mark}</b> '
                f"{html.escape(self.message)}</div>")

    def _ipython_display_(self) -> None:
        # Already shown when the check ran; as the last line of a cell it must not appear twice.
        pass


def _show(verdict: Verdict) -> Verdict:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python without IPython installed
        print(verdict)
        return verdict
    if get_ipython() is None:
        print(verdict)
    else:
        display({"text/plain": str(verdict), "text/html": verdict._repr_html_()}, raw=True)
    return verdict


def _require_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"{name} must be a finite number (this is a bug in the lesson), got {value!r}")
    return float(value)


def _as_number(answer: Any) -> float | None:
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        return None
    return float(answer)


def close_to(answer: Any, expected: float, *, name: str = "your answer",
             rtol: float = 1e-2, atol: float = 0.0, hint: str | None = None) -> Verdict:
    """Check that a number is within ``rtol`` (relative) or ``atol`` of ``expected``.

    ``hint`` is added to the generic advice when the answer is wrong.

    >>> bool(close_to(0.6004, 0.6, name="w1", rtol=1e-3))
    ✓ w1 = 0.6004 is right.
    True
    >>> bool(close_to(-0.6, 0.6, name="w1"))
    ✗ w1 = -0.6 has the wrong sign: did you add the gradient instead of subtracting it?
    False
    """
    expected = _require_number(expected, "expected")
    value = _as_number(answer)
    extra = f" {hint}" if hint else ""
    if (missing := _not_a_number(answer, value, name, extra)) is not None:
        return missing
    if not np.isfinite(value):
        return _show(Verdict(False, f"{name} is {value}: the computation blew up; a smaller learning rate "
                                    f"or a missing division may be the cause.{extra}"))
    if abs(value - expected) <= max(atol, rtol * abs(expected)):
        return _show(Verdict(True, f"{name} = {value:.4g} is right."))
    if expected != 0 and abs(value + expected) <= max(atol, rtol * abs(expected)):
        return _show(Verdict(False, f"{name} = {value:.4g} has the wrong sign: did you add the gradient "
                                    f"instead of subtracting it?{extra}"))
    direction = "too large" if value > expected else "too small"
    ratio = value / expected if expected != 0 else np.inf
    for factor in (10, 100, 1000):
        if np.isclose(abs(ratio), factor, rtol=0.05) or np.isclose(abs(ratio), 1 / factor, rtol=0.05):
            return _show(Verdict(False, f"{name} = {value:.4g} is off by a factor of about {factor}: "
                                        f"check the scaling of the scores.{extra}"))
    return _show(Verdict(False, f"{name} = {value:.4g} is {direction}.{extra}"))


def array_close(answer: Any, expected: Any, *, name: str = "your array",
                rtol: float = 1e-2, atol: float = 1e-8, hint: str | None = None) -> Verdict:
    """Check an array's shape, then its values, with a hint for the usual slips.

    >>> bool(array_close(np.array([0.6, 0.3, 0.1]), np.array([0.6, 0.3, 0.1]), name="weights"))
    ✓ weights has the right shape (3,) and values.
    True
    >>> bool(array_close(np.ones((3, 2)), np.ones((2, 3)), name="W"))
    ✗ W has shape (3, 2) but should be (2, 3): it looks transposed.
    False
    """
    try:
        expected = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"expected must be an array of numbers (this is a bug in the lesson), got {expected!r}") from None
    extra = f" {hint}" if hint else ""
    if answer is None or answer is Ellipsis:
        return _show(Verdict(False, f"{name} is not filled in yet: replace the ... with your answer.{extra}"))
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return _show(Verdict(False, f"{name} should be an array of numbers, got {type(answer).__name__}.{extra}"))
    if value.shape != expected.shape:
        looks_transposed = value.ndim == 2 and value.shape == expected.shape[::-1]
        reason = ": it looks transposed" if looks_transposed else ""
        return _show(Verdict(False, f"{name} has shape {value.shape} but should be {expected.shape}{reason}.{extra}"))
    if not np.all(np.isfinite(value)):
        return _show(Verdict(False, f"{name} contains NaN or inf: something blew up on the way.{extra}"))
    if np.allclose(value, expected, rtol=rtol, atol=atol):
        return _show(Verdict(True, f"{name} has the right shape {value.shape} and values."))
    if np.any(expected != 0) and np.allclose(value, -expected, rtol=rtol, atol=atol):
        return _show(Verdict(False, f"{name} has the right shape and size but the wrong sign: did you add "
                                    f"the gradient instead of subtracting it?{extra}"))
    wrong = int(np.sum(~np.isclose(value, expected, rtol=rtol, atol=atol)))
    return _show(Verdict(False, f"{name} has the right shape {value.shape}, but {wrong} of {value.size} "
                                f"values are off.{extra}"))


def choice(answer: Any, correct: str, options: Mapping[str, str]) -> Verdict:
    """Check a multiple-choice answer; ``options`` maps each option to its explanation.

    The explanation of the chosen option is shown either way, so a wrong pick
    says why it is wrong.

    >>> opts = {"a": "Yes: it halves each step.", "b": "No: that is a different method."}
    >>> bool(choice("b", "a", opts))
    ✗ "b" is not it. No: that is a different method.
    False
    """
    if correct not in options:
        raise ValueError(f"correct must be one of the options {sorted(options)}, got {correct!r}")
    if answer is None or answer is Ellipsis:
        return _show(Verdict(False, f"no answer yet: set it to one of {', '.join(map(repr, options))}."))
    key = str(answer).strip().strip("'\"").lower()
    matches = {k.lower(): k for k in options}
    if key not in matches:
        return _show(Verdict(False, f"{answer!r} is not an option: choose one of {', '.join(map(repr, options))}."))
    chosen = matches[key]
    if chosen == correct:
        return _show(Verdict(True, f'"{chosen}" is right. {options[chosen]}'))
    return _show(Verdict(False, f'"{chosen}" is not it. {options[chosen]}'))


def function_matches(function: Any, reference: Callable[..., Any], inputs: Iterable[tuple],
                     *, name: str = "your function", rtol: float = 1e-6, atol: float = 1e-9,
                     hint: str | None = None) -> Verdict:
    """Call ``function`` and ``reference`` on each tuple of ``inputs``; compare the results.

    The learner sees the first input where they differ (or the error raised).

    >>> bool(function_matches(lambda x: 2 * x, lambda x: x + x, [(1.0,), (np.arange(3.0),)], name="double"))
    ✓ double agrees with the reference on all 2 test inputs.
    True
    """
    if not callable(reference):
        raise TypeError(f"reference must be a function (this is a bug in the lesson), got {reference!r}")
    cases = [tuple(case) for case in inputs]
    if not cases:
        raise ValueError("inputs must contain at least one tuple of arguments")
    extra = f" {hint}" if hint else ""
    if not callable(function):
        return _show(Verdict(False, f"{name} should be a function, got {type(function).__name__}.{extra}"))
    for args in cases:
        wanted = np.asarray(reference(*args), dtype=float)
        try:
            got = function(*args)
        except Exception as error:  # the learner's code: report, never raise
            return _show(Verdict(False, f"{name} raised {type(error).__name__}: {error} "
                                        f"(for input {_short(args)}).{extra}"))
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return _show(Verdict(False, f"{name} returned {type(got).__name__}, not numbers "
                                        f"(for input {_short(args)}).{extra}"))
        if got.shape != wanted.shape:
            return _show(Verdict(False, f"{name} returned shape {got.shape} instead of {wanted.shape} "
                                        f"for input {_short(args)}.{extra}"))
        if not np.allclose(got, wanted, rtol=rtol, atol=atol, equal_nan=False):
            return _show(Verdict(False, f"{name} gives {_short((got,))} instead of {_short((wanted,))} "
                                        f"for input {_short(args)}.{extra}"))
    return _show(Verdict(True, f"{name} agrees with the reference on all {len(cases)} test inputs."))


def _short(values: tuple) -> str:
    with np.printoptions(precision=4, threshold=6, edgeitems=2):
        return ", ".join(np.array2string(np.asarray(v)) if isinstance(v, np.ndarray) else repr(v) for v in values)


def order_of_magnitude(answer: Any, expected: float, *, name: str = "your answer",
                       decades: float = 0.5, hint: str | None = None) -> Verdict:
    """Check that a positive number is within ``decades`` powers of ten of ``expected``.

    For quantities only known roughly, such as the best step size of a finite
    difference (lesson 05) or a learning rate: a prediction of 5e-3 is right when
    the measurement says 3e-3, and 5e-4 is not.

    >>> bool(order_of_magnitude(4.9e-3, 3.2e-3, name="h"))
    ✓ h = 0.0049 has the right order of magnitude (measured: 0.0032).
    True
    >>> bool(order_of_magnitude(3.5e-4, 3.2e-3, name="h"))
    ✗ h = 0.00035 is about 9 times too small.
    False
    """
    expected = _require_number(expected, "expected")
    if expected <= 0:
        raise ValueError(f"expected must be greater than 0 (this is a bug in the lesson), got {expected}")
    if isinstance(decades, bool) or not isinstance(decades, numbers.Real) or not 0 < decades < np.inf:
        raise ValueError(f"decades must be a positive number, got {decades!r}")
    value = _as_number(answer)
    extra = f" {hint}" if hint else ""
    if (missing := _not_a_number(answer, value, name, extra)) is not None:
        return missing
    if not np.isfinite(value) or value <= 0:
        return _show(Verdict(False, f"{name} is {value:.4g}, but it should be a positive number.{extra}"))
    ratio = value / expected
    if abs(np.log10(ratio)) <= decades:
        return _show(Verdict(True, f"{name} = {value:.2g} has the right order of magnitude "
                                   f"(measured: {expected:.2g})."))
    factor, direction = (ratio, "large") if ratio > 1 else (1 / ratio, "small")
    return _show(Verdict(False, f"{name} = {value:.2g} is about {factor:.0f} times too {direction}.{extra}"))


def _not_a_number(answer: Any, value: float | None, name: str, extra: str) -> Verdict | None:
    """The ✗ for an answer still left as ``...`` or that is not one number; None for a number."""
    if answer is None or answer is Ellipsis:
        return _show(Verdict(False, f"{name} is not filled in yet: replace the ... with your answer.{extra}"))
    if value is None:
        return _show(Verdict(False, f"{name} should be a single number, got {type(answer).__name__}.{extra}"))
    return None

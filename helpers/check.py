"""Checks behind the "Try it" exercises.

A check shows ✓ and a short confirmation, or ✗ and what is wrong with the
answer. A wrong answer never raises: a learner's ``...``, ``None``, NaN, wrong
shape or crashing function is a ✗ with an explanation. Misusing a check itself
(an expected value that is not a number, say) raises, because that is a bug in
the lesson, not in the learner's answer.

The built-in messages describe the answer only (not filled in yet, wrong sign,
off by a factor of about 10, a percentage where a fraction is expected, wrong
shape); a likely *cause* belongs to the lesson, which passes it as ``hint=``.

Each check displays its verdict at once and returns it; a verdict is truthy
when the answer passed, which is how the tests use them. The verdict reads the
same as plain text ("✓ …" or "✗ …" on one line) in a terminal, in nbval and in
an exported notebook, and as a coloured box in JupyterLab.
"""

from __future__ import annotations

import copy
import html
import numbers
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from ._validate import number


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: whether it passed and what to tell the learner."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"{'✓' if self.passed else '✗'} {' '.join(self.message.split())}"

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


NOT_FILLED = "is not filled in yet: replace the ... with your answer, then run this cell again."


def _as_number(answer: Any) -> float | None:
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        return None
    return float(answer)


def _unfilled(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


def _with_hint(message: str, hint: str | None) -> str:
    return f"{message} {hint}" if hint else message


def _ratio_description(ratio: float) -> str | None:
    """'about 10 times too large' and the like for a ratio near a power of ten (or minus one)."""
    if not np.isfinite(ratio) or ratio == 0:
        return None
    size = abs(ratio)
    for factor in (10, 100, 1000):
        if np.isclose(size, factor, rtol=0.05):
            return f"about {factor} times too large"
        if np.isclose(size, 1 / factor, rtol=0.05):
            return f"about {factor} times too small"
    return None


def close_to(answer: Any, expected: float, *, name: str = "your answer",
             rtol: float = 1e-2, atol: float | None = None, hint: str | None = None) -> Verdict:
    """Check that a number is within ``rtol`` (relative) or ``atol`` of ``expected``.

    ``atol`` defaults to 0, or to 1e-9 when ``expected`` is 0 (a computed zero is
    rarely exactly zero). ``hint`` is added to the message when the answer is wrong.

    >>> bool(close_to(0.6004, 0.6, name="w1", rtol=1e-3))
    ✓ w1 = 0.6004 is right.
    True
    >>> bool(close_to(-0.6, 0.6, name="w1"))
    ✗ w1 = -0.6 has the wrong sign.
    False
    >>> bool(close_to(85.0, 0.85, name="the accuracy"))
    ✗ the accuracy = 85 looks like a percentage: give it as a fraction between 0 and 1 (85 % is 0.85).
    False
    >>> bool(close_to(1e-17, 0.0, name="the gradient"))
    ✓ the gradient = 1e-17 is right.
    True
    """
    expected = number(expected, "expected")
    rtol = number(rtol, "rtol", low=0)
    atol = None if atol is None else number(atol, "atol", low=0)
    tolerance = max(1e-9 if expected == 0 and atol is None else (atol or 0.0), rtol * abs(expected))
    value = _as_number(answer)
    if (missing := _not_a_number(answer, value, name, hint)) is not None:
        return missing
    assert value is not None
    if not np.isfinite(value):
        return _show(Verdict(False, _with_hint(f"{name} is {value}: the computation overflowed or divided "
                                               f"by zero somewhere.", hint)))
    if abs(value - expected) <= tolerance:
        return _show(Verdict(True, f"{name} = {value:.4g} is right."))
    if expected != 0 and abs(value + expected) <= tolerance:
        return _show(Verdict(False, _with_hint(f"{name} = {value:.4g} has the wrong sign.", hint)))
    if 0 < abs(expected) <= 1 and abs(value / 100 - expected) <= max(tolerance / 100, 0.005 * abs(expected)):
        return _show(Verdict(False, _with_hint(
            f"{name} = {value:.4g} looks like a percentage: give it as a fraction between 0 and 1 "
            f"({value:.4g} % is {value / 100:.4g}).", hint)))
    if expected != 0 and (described := _ratio_description(value / expected)) is not None:
        sign = " and has the wrong sign" if value * expected < 0 else ""
        return _show(Verdict(False, _with_hint(f"{name} = {value:.4g} is {described}{sign}.", hint)))
    direction = "too large" if value > expected else "too small"
    return _show(Verdict(False, _with_hint(f"{name} = {value:.4g} is {direction}.", hint)))


def array_close(answer: Any, expected: Any, *, name: str = "your array",
                rtol: float = 1e-2, atol: float = 1e-8, hint: str | None = None) -> Verdict:
    """Check an array's shape, then its values, and say how a wrong one is off.

    >>> bool(array_close(np.array([0.6, 0.3, 0.1]), np.array([0.6, 0.3, 0.1]), name="weights"))
    ✓ weights has the right shape (3,) and values.
    True
    >>> bool(array_close(np.ones((3, 2)), np.ones((2, 3)), name="W"))
    ✗ W has shape (3, 2) but should be (2, 3): it looks transposed.
    False
    >>> bool(array_close(np.array([6.0, 3.0, 1.0]), np.array([0.6, 0.3, 0.1]), name="weights"))
    ✗ weights has the right shape (3,), but every value is about 10 times too large.
    False
    """
    try:
        expected = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"expected must be an array of numbers (this is a bug in the lesson), got {expected!r}") from None
    if _unfilled(answer):
        return _show(Verdict(False, f"{name} {NOT_FILLED}"))
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return _show(Verdict(False, _with_hint(f"{name} should be an array of numbers, got "
                                               f"{type(answer).__name__}.", hint)))
    if value.shape != expected.shape:
        looks_transposed = value.ndim == 2 and value.shape == expected.shape[::-1]
        reason = ": it looks transposed" if looks_transposed else ""
        return _show(Verdict(False, _with_hint(f"{name} has shape {value.shape} but should be "
                                               f"{expected.shape}{reason}.", hint)))
    if not np.all(np.isfinite(value)):
        return _show(Verdict(False, _with_hint(f"{name} contains NaN or inf: the computation overflowed "
                                               f"or divided by zero somewhere.", hint)))
    if np.allclose(value, expected, rtol=rtol, atol=atol):
        return _show(Verdict(True, f"{name} has the right shape {value.shape} and values."))
    if np.any(expected != 0) and np.allclose(value, -expected, rtol=rtol, atol=atol):
        return _show(Verdict(False, _with_hint(f"{name} has the right shape {value.shape}, but every value "
                                               f"has the wrong sign.", hint)))
    nonzero = expected != 0
    if nonzero.any() and np.allclose(value[~nonzero], 0, atol=atol):
        ratios = value[nonzero] / expected[nonzero]
        if np.allclose(ratios, ratios.flat[0], rtol=0.01) and (described := _ratio_description(ratios.flat[0])):
            return _show(Verdict(False, _with_hint(f"{name} has the right shape {value.shape}, but every "
                                                   f"value is {described}.", hint)))
    wrong = int(np.sum(~np.isclose(value, expected, rtol=rtol, atol=atol)))
    return _show(Verdict(False, _with_hint(f"{name} has the right shape {value.shape}, but {wrong} of "
                                           f"{value.size} values are off.", hint)))


def choice(answer: Any, correct: str, options: Mapping[str, str]) -> Verdict:
    """Check a multiple-choice answer; ``options`` maps each option to its explanation.

    The explanation of the chosen option is shown either way, so a wrong pick
    says why it is wrong.

    >>> opts = {"a": "Yes: it halves each step.", "b": "No: that is a different method."}
    >>> bool(choice("b", "a", opts))
    ✗ "b" is not it. No: that is a different method.
    False
    >>> bool(choice(..., "a", opts))
    ✗ your answer is not filled in yet: replace the ... with one of 'a', 'b', then run this cell again.
    False
    """
    if correct not in options:
        raise ValueError(f"correct must be one of the options {sorted(options)}, got {correct!r}")
    listed = ", ".join(map(repr, options))
    if _unfilled(answer):
        return _show(Verdict(False, f"your answer is not filled in yet: replace the ... with one of {listed}, "
                                    f"then run this cell again."))
    key = str(answer).strip().strip("'\"").lower()
    matches = {k.lower(): k for k in options}
    if key not in matches:
        return _show(Verdict(False, f"{answer!r} is not an option: choose one of {listed}."))
    chosen = matches[key]
    if chosen == correct:
        return _show(Verdict(True, f'"{chosen}" is right. {options[chosen]}'))
    return _show(Verdict(False, f'"{chosen}" is not it. {options[chosen]}'))


def function_matches(function: Any, reference: Callable[..., Any], inputs: Iterable[tuple],
                     *, name: str = "your function", rtol: float = 1e-6, atol: float = 1e-9,
                     hint: str | None = None) -> Verdict:
    """Call ``function`` and ``reference`` on each tuple of ``inputs``; compare the results.

    Each function gets its own deep copy of every input, so neither can change
    the lesson's arrays, and a learner's function that changes its input in place
    gets a ✗ saying so. A function that returns ``None`` (a body still ``...``) is
    "not filled in yet". The learner sees the first input where the two differ.

    >>> bool(function_matches(lambda x: 2 * x, lambda x: x + x, [(1.0,), (np.arange(3.0),)], name="double"))
    ✓ double agrees with the reference on all 2 test inputs.
    True
    >>> def softmax_in_place(z):
    ...     z -= z.max()
    ...     return np.exp(z) / np.exp(z).sum()
    >>> bool(function_matches(softmax_in_place, lambda z: np.exp(z) / np.exp(z).sum(), [(np.arange(3.0),)],
    ...                       name="softmax"))
    ✗ softmax changed its argument 1 in place (for input [0. 1. 2.]): compute into a new array and leave the arguments as they were.
    False
    """
    if not callable(reference):
        raise TypeError(f"reference must be a function (this is a bug in the lesson), got {reference!r}")
    cases = [tuple(case) for case in inputs]
    if not cases:
        raise ValueError("inputs must contain at least one tuple of arguments")
    if _unfilled(function):
        return _show(Verdict(False, f"{name} {NOT_FILLED}"))
    if not callable(function):
        return _show(Verdict(False, _with_hint(f"{name} should be a function, got {type(function).__name__}.", hint)))
    for args in cases:
        wanted = reference(*copy.deepcopy(args))
        wanted_array = np.asarray(wanted, dtype=float)
        given = copy.deepcopy(args)
        try:
            got = function(*given)
        except Exception as error:  # the learner's code: report, never raise
            if "ellipsis" in str(error):  # a ... still in the learner's code took part in a computation
                return _show(Verdict(False, f"{name} still computes with a ..., so it is not filled in yet: "
                                            f"replace every ... with your code, then run this cell again."))
            return _show(Verdict(False, _with_hint(f"{name} raised {type(error).__name__}: {error} "
                                                   f"(for input {_short(args)}).", hint)))
        if got is None and wanted is not None:
            return _show(Verdict(False, f"{name} returned None, so it is not filled in yet: replace the ... "
                                        f"with your code, make it return its result, then run this cell again."))
        changed = [i for i, (before, after) in enumerate(zip(args, given), start=1) if not _same(before, after)]
        if changed:
            return _show(Verdict(False, _with_hint(
                f"{name} changed its argument {', '.join(map(str, changed))} in place (for input {_short(args)}): "
                f"compute into a new array and leave the arguments as they were.", hint)))
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return _show(Verdict(False, _with_hint(f"{name} returned {type(got).__name__}, not numbers "
                                                   f"(for input {_short(args)}).", hint)))
        if got.shape != wanted_array.shape:
            return _show(Verdict(False, _with_hint(f"{name} returned shape {got.shape} instead of "
                                                   f"{wanted_array.shape} for input {_short(args)}.", hint)))
        if not np.allclose(got, wanted_array, rtol=rtol, atol=atol, equal_nan=False):
            return _show(Verdict(False, _with_hint(f"{name} gives {_short((got,))} instead of "
                                                   f"{_short((wanted_array,))} for input {_short(args)}.", hint)))
    return _show(Verdict(True, f"{name} agrees with the reference on all {len(cases)} test inputs."))


def _same(before: Any, after: Any) -> bool:
    """Whether an argument is unchanged by a call: equal arrays (NaN equal to NaN), equal containers."""
    if isinstance(before, np.ndarray) or isinstance(after, np.ndarray):
        a, b = np.asarray(before), np.asarray(after)
        return a.shape == b.shape and a.dtype == b.dtype and bool(
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() == after.keys() and all(_same(before[k], after[k]) for k in before)
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)):
        return len(before) == len(after) and all(_same(a, b) for a, b in zip(before, after))
    try:
        return bool(before == after)
    except Exception:  # objects without a usable ==: trust them
        return True


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
    expected = number(expected, "expected", low=0, low_open=True)
    decades = number(decades, "decades", low=0, low_open=True)
    value = _as_number(answer)
    if (missing := _not_a_number(answer, value, name, hint)) is not None:
        return missing
    assert value is not None
    if not np.isfinite(value) or value <= 0:
        return _show(Verdict(False, _with_hint(f"{name} is {value:.4g}, but it should be a positive number.", hint)))
    decades_off = float(np.log10(value) - np.log10(expected))  # in logs: value / expected may overflow
    if abs(decades_off) <= decades:
        return _show(Verdict(True, f"{name} = {value:.2g} has the right order of magnitude "
                                   f"(measured: {expected:.2g})."))
    direction = "large" if decades_off > 0 else "small"
    times = f"about {10 ** abs(decades_off):.0f}" if abs(decades_off) < 6 else "more than a million"
    return _show(Verdict(False, _with_hint(f"{name} = {value:.2g} is {times} times too {direction}.", hint)))


def _not_a_number(answer: Any, value: float | None, name: str, hint: str | None) -> Verdict | None:
    """The ✗ for an answer still left as ``...`` or that is not one number; None for a number."""
    if _unfilled(answer):
        return _show(Verdict(False, f"{name} {NOT_FILLED}"))
    if value is None:
        shape = f" of shape {np.shape(answer)}" if isinstance(answer, np.ndarray) else ""
        return _show(Verdict(False, _with_hint(f"{name} should be a single number, got "
                                               f"{type(answer).__name__}{shape}.", hint)))
    return None

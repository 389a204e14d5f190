"""Helpers for *Neural networks from three good students* (三好学生).

Each module holds code that a lesson first builds in front of the learner and
later lessons reuse:

- :mod:`helpers.data`     the generated students and their scores (lesson 01)
- :mod:`helpers.nn`       activations, softmax and losses (lessons 01-04)
- :mod:`helpers.grad`     numerical gradients for checking (lessons 01, 05)
- :mod:`helpers.optim`    gradient descent and its relatives (lessons 01, 07)
- :mod:`helpers.plots`    the course's look and its recurring figures
- :mod:`helpers.widgets`  sliders wired to figures
- :mod:`helpers.check`    the checks behind every "Try it" exercise

Modules are imported on first use, so ``import helpers`` is quick and does not
load matplotlib until a plot is drawn.
"""

from importlib import import_module
from types import ModuleType

__version__ = "0.1.0"

_MODULES = ("data", "nn", "grad", "optim", "plots", "widgets", "check", "settings", "environment", "course")


def __getattr__(name: str) -> ModuleType:
    if name in _MODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(_MODULES)

"""Runs inside a lesson's kernel, after the lesson has run: peak memory and widget response.

``notebook_runs.py`` loads this file in the kernel and calls :func:`measure` on
the kernel's user namespace, so what is timed is exactly what a learner's
kernel does when a slider moves: the lesson's update function, the rendering
of the figure as a PNG, and the display message sent to the browser. Only the
standard library is imported at load time, so loading the probe adds nothing to the
memory it reports.
"""

from __future__ import annotations

import math
import resource
import sys
import time
from typing import Any, Iterable, Mapping, Sequence

MAX_CONTAINER_DEPTH = 1
"""Figures are looked for by name and one level into lists, tuples and dicts."""


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far, in MB (ru_maxrss is in KiB on Linux)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib * (1 if sys.platform != "darwin" else 1 / 1024) / 1024


def ping_pong(levels: Sequence[Any], moves: int, current: Any = None) -> list[Any]:
    """``moves`` values walking up ``levels`` and back down, again and again.

    Each value differs from the one before it, and the first differs from
    ``current``, so every value is a real change that makes the widget redraw.

    >>> ping_pong([0, 1, 2], 6)
    [0, 1, 2, 1, 0, 1]
    >>> ping_pong([0, 1, 2], 3, current=0)
    [1, 2, 1]
    """
    if len(levels) < 2:
        raise ValueError(f"need at least two levels to move between, got {list(levels)}")
    cycle = list(levels) + list(levels[-2:0:-1])
    start = 1 if levels[0] == current else 0
    return [cycle[(start + i) % len(cycle)] for i in range(moves)]


def levels_of(control: Any, count: int) -> list[Any] | None:
    """Up to ``count`` evenly spread values a learner can give ``control``; None if unsupported.

    Sliders step from min to max (log sliders evenly in the exponent, integer
    sliders in whole numbers), selections cycle through their options and
    check boxes flip.
    """
    value = control.value
    if isinstance(value, bool):
        return [False, True]
    options = getattr(control, "_options_values", None)  # ipywidgets' resolved option values
    if options is not None:
        return list(options)
    if not (hasattr(control, "min") and hasattr(control, "max")) or not isinstance(value, (int, float)):
        return None
    low, high = control.min, control.max
    if hasattr(control, "base"):  # FloatLogSlider: min and max are exponents
        return [control.base ** (low + (high - low) * i / (count - 1)) for i in range(count)]
    if isinstance(value, int):
        step = max(1, math.ceil((high - low) / (count - 1)))
        return list(range(low, high + 1, step))
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def find_figures(namespace: Mapping[str, Any], kind: type) -> dict[str, Any]:
    """Every object of type ``kind`` in ``namespace``, by the name a learner would use for it."""
    found: dict[int, tuple[str, Any]] = {}

    def visit(name: str, obj: Any, depth: int) -> None:
        if isinstance(obj, kind):
            found.setdefault(id(obj), (name, obj))
        elif depth < MAX_CONTAINER_DEPTH and isinstance(obj, (list, tuple, dict)):
            items = obj.items() if isinstance(obj, dict) else enumerate(obj)
            for key, item in items:
                visit(f"{name}[{key!r}]", item, depth + 1)

    for name, obj in namespace.items():
        if not name.startswith("_") and name not in ("In", "Out"):
            visit(name, obj, 0)
    return dict(found.values())


def png_ms(panel: Any) -> float:
    """Milliseconds to render one frame of ``panel`` as a PNG, exactly as a slider move does."""
    start = time.perf_counter()
    panel.render()
    return (time.perf_counter() - start) * 1000


def time_moves(panel: Any, name: str, values: Iterable[Any]) -> tuple[list[float], list[float], int]:
    """For each move of control ``name``: its milliseconds, then those of rendering the new state alone;
    and how many moves did not redraw.

    The rendering is timed right after each move, so that both numbers of a
    pair see the same load from whatever else the machine is doing.
    """
    totals, renders, failed = [], [], 0
    for value in values:
        before = panel.redraws
        start = time.perf_counter()
        panel.set(**{name: value})
        totals.append((time.perf_counter() - start) * 1000)
        renders.append(png_ms(panel))
        failed += panel.redraws != before + 1
    return totals, renders, failed


def probe_figure(panel: Any, moves: int) -> dict:
    """Move every control of one figure across its range; ``moves`` moves in all, at least."""
    per_control = math.ceil(moves / len(panel.controls))
    timings, renders, failed, skipped = [], [], 0, []
    for name, control in panel.controls.items():
        levels = levels_of(control, per_control)
        if levels is None or len(levels) < 2:
            skipped.append(f"{name} ({type(control).__name__})")
            continue
        control_timings, control_renders, control_failed = time_moves(
            panel, name, ping_pong(levels, per_control, control.value))
        timings += control_timings
        renders += control_renders
        failed += control_failed
    return {"controls": list(panel.controls), "timings_ms": timings, "render_ms": renders,
            "failed_moves": failed, "skipped_controls": skipped}


def measure(namespace: Mapping[str, Any], moves: int = 50) -> dict:
    """Peak memory after the lesson ran, then the response of every interactive figure in it."""
    result: dict = {"peak_rss_mb": peak_rss_mb(), "figures": {}}
    widgets_module = sys.modules.get("helpers.widgets")
    if widgets_module is None:  # the lesson never built an interactive figure
        return result
    pyplot = sys.modules["matplotlib.pyplot"]
    open_figures = len(pyplot.get_fignums())
    for name, panel in find_figures(namespace, widgets_module.InteractiveFigure).items():
        result["figures"][name] = probe_figure(panel, moves)
    # A slider move must redraw the same figure, never open a new one.
    result["new_figures"] = len(pyplot.get_fignums()) - open_figures
    result["peak_rss_after_moves_mb"] = peak_rss_mb()
    return result

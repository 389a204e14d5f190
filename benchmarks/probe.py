"""Runs inside a lesson's kernel after run-all: peak memory, and every interactive figure's slider response.

run.py loads this file into the kernel and prints ``measure(get_ipython().user_ns)`` as JSON, so a timed move
is what a learner's kernel does: the lesson's update function, the PNG rendering, the display message. Only
the standard library is imported, so loading this file adds nothing to the memory it reports.
"""

from __future__ import annotations

import gc
import math
import resource
import sys
import time


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux gives ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ping_pong(levels: list, moves: int, current=None) -> list:
    """``moves`` values walking up ``levels`` and back down; each differs from the one before (and the first
    from ``current``), so every move is a real change that redraws."""
    if len(levels) < 2:
        raise ValueError(f"need at least two levels to move between, got {list(levels)}")
    cycle = list(levels) + list(levels[-2:0:-1])
    start = 1 if levels[0] == current else 0
    return [cycle[(start + i) % len(cycle)] for i in range(moves)]


def levels_of(control, count: int) -> list | None:
    """Up to ``count`` evenly spread values a learner can give ``control`` (None if it cannot be walked): sliders
    from min to max (log sliders evenly in the exponent, integer ones in whole numbers), each option, both ticks."""
    value = control.value
    if isinstance(value, bool):
        return [False, True]
    if getattr(control, "_options_values", None) is not None:  # a selection: ipywidgets' resolved option values
        return list(control._options_values)
    if not (hasattr(control, "min") and hasattr(control, "max")) or not isinstance(value, (int, float)):
        return None
    low, high = control.min, control.max
    if hasattr(control, "base"):  # FloatLogSlider: min and max are exponents
        return [control.base ** (low + (high - low) * i / (count - 1)) for i in range(count)]
    if isinstance(value, int):
        return list(range(low, high + 1, max(1, math.ceil((high - low) / (count - 1)))))
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def named(namespace: dict, panels: list) -> dict:
    """``panels`` by the variable a learner would use, in the namespace's order; then any panel no variable
    holds (kept alive by its sliders) as 'unnamed figure N'."""
    left = {id(panel): panel for panel in panels}
    found = {name: left.pop(id(obj)) for name, obj in namespace.items() if not name.startswith("_") and id(obj) in left}
    return {**found, **{f"unnamed figure {n}": panel for n, panel in enumerate(left.values(), start=1)}}


def walk(panel, moves: int) -> dict:
    """Move each control of ``panel`` across its range, ``moves`` moves in all at least; time each move,
    then the PNG rendering of the new state alone (right after, so both see the same machine load)."""
    per_control = math.ceil(moves / len(panel.controls))
    result = {"controls": list(panel.controls), "move_ms": [], "png_ms": [], "failed_moves": 0, "not_moved": []}
    for name, control in panel.controls.items():
        levels = levels_of(control, per_control)
        if levels is None or len(levels) < 2:
            result["not_moved"].append(f"{name} ({type(control).__name__})")
            continue
        for value in ping_pong(levels, per_control, control.value):
            before, start = panel.redraws, time.perf_counter()
            panel.set(**{name: value})
            result["move_ms"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            panel.render()
            result["png_ms"].append((time.perf_counter() - start) * 1000)
            result["failed_moves"] += panel.redraws != before + 1 or panel.notice() != ""  # no frame, or "diverged"
    return result


def measure(namespace: dict, moves: int = 50) -> dict:
    """Peak memory after run-all, then every InteractiveFigure alive in the kernel walked, then memory again."""
    result = {"peak_rss_mb": peak_rss_mb(), "figures": {}}
    widgets = sys.modules.get("helpers.widgets")
    if widgets is None:  # the lesson never imported the widgets, so it built no interactive figure
        return result
    panels = [obj for obj in gc.get_objects() if isinstance(obj, widgets.InteractiveFigure)]
    for name, panel in named(namespace, panels).items():
        result["figures"][name] = walk(panel, moves)
    result["peak_rss_after_moves_mb"] = peak_rss_mb()
    return result

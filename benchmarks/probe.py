"""Runs inside a lesson's kernel after the lesson ran: peak memory and the response of every interactive figure.

run.py loads this file into the kernel and prints ``measure(get_ipython().user_ns)`` as JSON, so what is
timed is what a learner's kernel does when a slider moves: the lesson's update function, the PNG
rendering and the display message. Only the standard library is imported, so loading this file adds
nothing to the memory it reports.
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
    """Up to ``count`` evenly spread values a learner can give ``control``; None for a control we cannot walk.

    Sliders go from min to max (log sliders evenly in the exponent, integer sliders in whole numbers),
    selections take each option, check boxes flip.
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
        return list(range(low, high + 1, max(1, math.ceil((high - low) / (count - 1)))))
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def named(namespace: dict, panels: list) -> dict:
    """``panels`` by the name a learner would use (a variable, or one item of a list or dict), in the
    namespace's order; a panel no name reaches is called 'unnamed figure N'."""
    names: dict[int, str] = {}
    for name, obj in namespace.items():
        if name.startswith("_") or name in ("In", "Out"):
            continue
        items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, (list, tuple)) else ()
        for label, item in [(name, obj), *((f"{name}[{key!r}]", item) for key, item in items)]:
            names.setdefault(id(item), label)
    order = {key: position for position, key in enumerate(names)}
    ranked = sorted(panels, key=lambda panel: order.get(id(panel), len(order)))
    unnamed = iter(range(1, len(panels) + 1))
    return {names[id(panel)] if id(panel) in names else f"unnamed figure {next(unnamed)}": panel for panel in ranked}


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
            result["failed_moves"] += panel.redraws != before + 1
    return result


def measure(namespace: dict, moves: int = 50) -> dict:
    """Peak memory after run-all, then every InteractiveFigure alive in the kernel walked, then memory again."""
    result = {"peak_rss_mb": peak_rss_mb(), "figures": {}, "new_figures": 0}
    widgets = sys.modules.get("helpers.widgets")
    if widgets is None:  # the lesson never imported the widgets, so it built no interactive figure
        return result
    pyplot = sys.modules["matplotlib.pyplot"]
    open_before = len(pyplot.get_fignums())
    panels = [obj for obj in gc.get_objects() if isinstance(obj, widgets.InteractiveFigure)]
    for name, panel in named(namespace, panels).items():
        result["figures"][name] = walk(panel, moves)
    result["new_figures"] = len(pyplot.get_fignums()) - open_before  # a move must redraw, never open a figure
    result["peak_rss_after_moves_mb"] = peak_rss_mb()
    return result

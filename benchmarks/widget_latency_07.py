"""Kernel-side slider latency of lesson 07 (optimizers): python benchmarks/widget_latency_07.py

Runs notebooks/07_optimizers.ipynb in a fresh kernel (as nbval does), then, in
that same kernel, moves every control of every interactive figure with
``InteractiveFigure.set(...)``, exactly as a learner's slider move arrives, and
times each move from the value change to the end of the redraw: the lesson's
update function, the PNG the inline backend renders, and the display message.
Browser rendering is not included. Prints p50/p95 per figure and per control,
as wall-clock time (what a learner waits) and as the kernel's CPU time (the
same work without the waiting for a core that other processes on a busy
machine cause).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

LESSON = Path(__file__).resolve().parent.parent / "notebooks" / "07_optimizers.ipynb"
TARGET_MS = 100

# Runs in the lesson's kernel. Each control walks up and down its range, so
# every move is a real change of value that makes the figure redraw.
PROBE = r"""
import json as _json, time as _time
from helpers.widgets import InteractiveFigure as _InteractiveFigure

def _levels(control, count=10):
    options = getattr(control, "options", None)
    if options:
        return list(options)
    low, high = control.min, control.max
    if hasattr(control, "base"):  # a log slider: min and max are exponents
        return [control.base ** (low + (high - low) * i / (count - 1)) for i in range(count)]
    return [low + (high - low) * i / (count - 1) for i in range(count)]

def _walk(levels, moves):
    cycle = levels + levels[-2:0:-1]
    return [cycle[(i + 1) % len(cycle)] for i in range(moves)]

_timings = {}
for _name, _panel in list(globals().items()):
    if not isinstance(_panel, _InteractiveFigure) or _name.startswith("_"):
        continue
    _moves = -(-MOVES_PER_FIGURE // len(_panel.controls))  # shared out, rounding up
    for _control_name, _control in _panel.controls.items():
        _start_value, _times = _control.value, []
        for _value in _walk(_levels(_control), _moves):
            _wall, _cpu = _time.perf_counter(), _time.process_time()
            _panel.set(**{_control_name: _value})
            _times.append(((_time.perf_counter() - _wall) * 1000, (_time.process_time() - _cpu) * 1000))
        assert not _panel.messages.outputs, f"{_name}.{_control_name} raised an error"
        _panel.set(**{_control_name: _start_value})
        _timings[f"{_name}.{_control_name}"] = _times
print("TIMINGS" + _json.dumps(_timings))
"""


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between the sorted values."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def measure(moves_per_figure: int) -> tuple[dict[str, list[list[float]]], float]:
    notebook = nbformat.read(LESSON, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE.replace("MOVES_PER_FIGURE", str(moves_per_figure))))
    os.environ.setdefault("THREE_GOOD_STUDENTS_SETTINGS", str(Path(tempfile.mkdtemp()) / "settings.json"))
    started = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(LESSON.parent)}}).execute()
    elapsed = time.perf_counter() - started
    for output in notebook.cells[-1].outputs:
        if output.get("name") == "stdout" and "TIMINGS" in output["text"]:
            return json.loads(output["text"].split("TIMINGS", 1)[1]), elapsed
    raise RuntimeError(f"the probe printed no timings: {notebook.cells[-1].outputs}")


def row(label: str, times: list[list[float]]) -> str:
    wall, cpu = [t[0] for t in times], [t[1] for t in times]
    return (f"{label:34}{len(times):>6}{percentile(wall, 50):>9.1f}{percentile(wall, 95):>9.1f}"
            f"{percentile(cpu, 50):>9.1f}{percentile(cpu, 95):>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60,
                        help="slider moves per figure, shared out among its controls (default 60)")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    timings, elapsed = measure(args.moves)
    by_figure: dict[str, list[list[float]]] = {}
    for key, times in timings.items():
        by_figure.setdefault(key.split(".")[0], []).extend(times)

    print(f"lesson 07 slider latency, kernel side (set() until the redraw is sent), {os.cpu_count()} CPUs, "
          f"load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after; run + probe {elapsed:.1f} s")
    print(f"{'':34}{'':>6}{'wall-clock ms':>18}{'kernel CPU ms':>18}")
    print(f"{'figure / control':34}{'moves':>6}{'p50':>9}{'p95':>9}{'p50':>9}{'p95':>9}")
    for figure, times in by_figure.items():
        verdict = "ok" if percentile([t[0] for t in times], 95) < TARGET_MS else f"p95 over {TARGET_MS} ms"
        print(row(figure, times) + f"   {verdict}")
        for key, control_times in timings.items():
            if key.startswith(figure + "."):
                print(row("  " + key.split(".", 1)[1], control_times))


if __name__ == "__main__":
    main()

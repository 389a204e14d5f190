"""Kernel-side slider latency of lesson 06's two widgets (issue 11).

Runs notebooks/06_training_is_hard.ipynb in a fresh kernel, as a learner would, then moves
each widget's controls from code with ``InteractiveFigure.set`` and times every move: from
the value change to the figure re-rendered and sent to the front end (``handle.update``).
Each move changes one control to a new value, like a learner clicking or dragging.

    python benchmarks/widget_latency_06.py [--moves 60]

Prints p50 / p95 / max per widget and per control, as wall-clock time (what a learner waits)
and as the kernel's CPU time (the same work without the waits for a core that other
processes cause on a busy machine). Target: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "06_training_is_hard.ipynb"

# Runs inside the kernel after the lesson: the widgets and their controls exist there.
TIMING_CELL = """
import json as _json, time as _time
import numpy as _np

def _moves(panel, count, seed):
    rng = _np.random.default_rng(seed)
    moves = []
    current = panel.values()
    for _ in range(count):
        name = list(panel.controls)[rng.integers(len(panel.controls))]
        control = panel.controls[name]
        if hasattr(control, "options"):
            choices = [option for option in control.options if option != current[name]]
        else:
            choices = [v for v in range(control.min, control.max + 1) if v != current[name]]
        value = choices[rng.integers(len(choices))]
        current = {**current, name: value}
        moves.append({name: value})
    return moves

def _timed_moves(panel, count, seed):
    times = []
    for move in _moves(panel, count, seed):
        before = panel.redraws
        wall, cpu = _time.perf_counter(), _time.process_time()
        panel.set(**move)
        times.append([next(iter(move)), _time.perf_counter() - wall, _time.process_time() - cpu])
        assert panel.redraws == before + 1, ("the widget did not redraw", move, panel.messages.outputs)
    return times

print(_json.dumps({"gradient_explorer": _timed_moves(gradient_explorer, MOVES, 0),
                   "histogram_explorer": _timed_moves(histogram_explorer, MOVES, 1)}))
"""


def measure(moves: int) -> dict[str, list[list]]:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(TIMING_CELL.replace("MOVES", str(moves))))
    with tempfile.TemporaryDirectory() as settings_dir:
        # A lecturer's own lecture-mode choice must not change the figures being timed.
        os.environ["THREE_GOOD_STUDENTS_SETTINGS"] = os.path.join(settings_dir, "settings.json")
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    output = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.get("name") == "stdout")
    return json.loads(output)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=60, help="moves per widget (at least 50)")
    args = parser.parse_args()
    if args.moves < 50:
        parser.error("--moves must be at least 50 for a meaningful p95")
    load_before = os.getloadavg()[0]
    results = measure(args.moves)
    print(f"Lesson 06 widgets, kernel-side redraw per move ({platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after)\n")
    print("| widget | control | moves | wall p50 (ms) | wall p95 (ms) | wall max (ms) | CPU p50 (ms) "
          "| CPU p95 (ms) | wall p95 < 100 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, moves in results.items():
        rows = {"all": moves} | {control: [m for m in moves if m[0] == control] for control in dict.fromkeys(m[0] for m in moves)}
        for control, chosen in rows.items():
            wall = [1000 * m[1] for m in chosen]
            cpu = [1000 * m[2] for m in chosen]
            p95 = percentile(wall, 95)
            print(f"| {name} | {control} | {len(wall)} | {percentile(wall, 50):.0f} | {p95:.0f} | {max(wall):.0f} "
                  f"| {percentile(cpu, 50):.0f} | {percentile(cpu, 95):.0f} | {'yes' if p95 < 100 else 'NO'} |")


if __name__ == "__main__":
    main()

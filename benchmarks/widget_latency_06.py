"""Kernel-side slider latency of lesson 06's two widgets (issue 11).

    python benchmarks/widget_latency_06.py [--moves 60]

Runs notebooks/06_training_is_hard.ipynb in a fresh kernel, as nbval does, then moves each
widget's controls from code with ``InteractiveFigure.set(...)`` and times every move from the
value change to the figure re-rendered as PNG and sent to the front end. Each move changes
one control to a new value, like a learner clicking or dragging.

Times are wall-clock (what a learner waits) and the kernel's CPU time (the same work without
the waits for a core that other processes cause on a busy machine). The lesson is run twice:
with numpy's BLAS free to use its threads, and limited to one thread, because on a small
shared machine BLAS threads waiting for a busy core can cost more than the arithmetic.
Target: p95 < 100 ms.
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
TARGET_MS = 100
WIDGETS = ("gradient_explorer", "histogram_explorer")
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

# Runs inside the kernel after the lesson: the widgets and their controls exist there.
PROBE = """
import json as _json, time as _time
import numpy as _np

def _moves(panel, count, seed):
    rng = _np.random.default_rng(seed)
    current, moves = panel.values(), []
    for _ in range(count):
        name = list(panel.controls)[rng.integers(len(panel.controls))]
        control = panel.controls[name]
        if hasattr(control, "options"):
            choices = [option for option in control.options if option != current[name]]
        else:
            choices = [value for value in range(control.min, control.max + 1) if value != current[name]]
        current = {**current, name: choices[rng.integers(len(choices))]}
        moves.append({name: current[name]})
    return moves

def _timed_moves(panel, count, seed):
    rows = []
    for move in _moves(panel, count, seed):
        before = panel.redraws
        wall, cpu = _time.perf_counter(), _time.process_time()
        panel.set(**move)
        rows.append([next(iter(move)), _time.perf_counter() - wall, _time.process_time() - cpu])
        assert panel.redraws == before + 1, ("the widget did not redraw", move, panel.messages.outputs)
    return rows

print(_json.dumps({name: _timed_moves(globals()[name], MOVES, seed) for seed, name in enumerate(WIDGETS)}))
"""


def measure(moves: int, single_thread_blas: bool) -> dict[str, list[list]]:
    """For each widget, one row per move: the control moved, wall time and CPU time (s)."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    probe = PROBE.replace("MOVES", str(moves)).replace("WIDGETS", repr(WIDGETS))
    notebook.cells.append(nbformat.v4.new_code_cell(probe))
    saved = {name: os.environ.get(name) for name in (*BLAS_THREAD_VARIABLES, "THREE_GOOD_STUDENTS_SETTINGS")}
    with tempfile.TemporaryDirectory() as settings_dir:
        # A lecturer's own lecture-mode choice must not change the figures being timed.
        os.environ["THREE_GOOD_STUDENTS_SETTINGS"] = os.path.join(settings_dir, "settings.json")
        for name in BLAS_THREAD_VARIABLES:  # the kernel inherits this environment
            if single_thread_blas:
                os.environ[name] = "1"
            else:
                os.environ.pop(name, None)
        try:
            NotebookClient(notebook, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    output = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.get("name") == "stdout")
    return json.loads(output)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def table(results: dict[str, list[list]]) -> list[str]:
    lines = [f"| widget | control | moves | wall p50 | wall p95 | wall max | CPU p50 | CPU p95 | wall p95 < {TARGET_MS} ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, moves in results.items():
        controls = dict.fromkeys(move[0] for move in moves)
        groups = {"all": moves} | {control: [m for m in moves if m[0] == control] for control in controls}
        for control, chosen in groups.items():
            wall, cpu = ([1000 * m[i] for m in chosen] for i in (1, 2))
            p95 = percentile(wall, 95)
            lines.append(f"| {name} | {control} | {len(chosen)} | {percentile(wall, 50):.0f} | {p95:.0f} "
                         f"| {max(wall):.0f} | {percentile(cpu, 50):.0f} | {percentile(cpu, 95):.0f} "
                         f"| {'yes' if p95 < TARGET_MS else 'NO'} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=60, help="moves per widget (at least 50)")
    args = parser.parse_args()
    if args.moves < 50:
        parser.error("--moves must be at least 50 for a meaningful p95")
    print(f"Lesson 06 widgets, kernel-side time per slider move in ms ({platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()})")
    for single in (False, True):
        load_before = os.getloadavg()[0]
        results = measure(args.moves, single_thread_blas=single)
        print(f"\nBLAS threads: {'1' if single else 'default'}; load average {load_before:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after\n")
        print("\n".join(table(results)))


if __name__ == "__main__":
    main()

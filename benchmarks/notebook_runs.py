"""Run every lesson in a fresh kernel as nbval does, then probe that kernel.

nbval (``python -m pytest``) starts one kernel per notebook with the notebook's
folder as working directory and executes the cells one by one; this does the
same with nbclient, timing each cell. In the same kernel it then runs
``kernel_probe.py`` for the peak memory and the widget response times.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

PROBE = Path(__file__).resolve().parent / "kernel_probe.py"
CELL_TIMEOUT_S = 60  # the same limit as nbval's --nbval-cell-timeout in pyproject.toml
PROBE_TIMEOUT_S = 300  # all the slider moves of a lesson run in one cell


@dataclass
class NotebookRun:
    """What one lesson's fresh kernel measured."""

    name: str
    kernel_start_s: float = 0.0
    run_all_s: float = 0.0
    cell_seconds: list[float] = field(default_factory=list)
    cell_sources: list[str] = field(default_factory=list)
    error: str | None = None
    probe_error: str | None = None
    probe: dict = field(default_factory=dict)

    def slowest_cell(self) -> str:
        """The slowest code cell, as 'cell N (x.x s): first line'."""
        if not self.cell_seconds:
            return ""
        index = max(range(len(self.cell_seconds)), key=self.cell_seconds.__getitem__)
        first_line = next((line for line in self.cell_sources[index].splitlines()
                           if line.strip() and not line.startswith("#")), "")
        return f"code cell {index + 1} ({self.cell_seconds[index]:.1f} s): `{first_line.strip()[:50]}`"


def lesson_paths(notebooks: Path) -> list[Path]:
    """Every lesson, in course order: the notebooks named NN_*.ipynb."""
    return sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))


def probe_source(moves: int) -> str:
    """A code cell that loads the probe under a private name and prints its findings as JSON."""
    return (
        "import importlib.util as _bench_util, json as _bench_json\n"
        f"_bench_spec = _bench_util.spec_from_file_location('_bench_probe', {str(PROBE)!r})\n"
        "_bench_probe = _bench_util.module_from_spec(_bench_spec)\n"
        "_bench_spec.loader.exec_module(_bench_probe)\n"
        f"print(_bench_json.dumps(_bench_probe.measure(get_ipython().user_ns, moves={moves})))\n"
    )


def summary(error: Exception) -> str:
    """One line about a failed cell: a time-out says so first, an exception last."""
    lines = str(error).strip().splitlines()
    return (lines[0] if isinstance(error, CellTimeoutError) else lines[-1])[:200]


def stdout_of(cell) -> str:
    return "".join(output.get("text", "") for output in cell.outputs
                   if output.output_type == "stream" and output.name == "stdout")


def run_notebook(path: Path, moves: int) -> NotebookRun:
    """Execute ``path`` top to bottom in a new kernel, then probe that kernel."""
    notebook = nbformat.read(path, as_version=4)
    run = NotebookRun(path.name)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    # stderr to /dev/null as nbval does: kernel warnings are not part of the timing
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        run.kernel_start_s = time.perf_counter() - started
        try:
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                cell_start = time.perf_counter()
                client.execute_cell(cell, index)
                run.cell_seconds.append(time.perf_counter() - cell_start)
                run.cell_sources.append(cell.source)
        except (CellExecutionError, CellTimeoutError) as error:
            run.error = summary(error)
            return run
        finally:
            run.run_all_s = sum(run.cell_seconds)
        probe = nbformat.v4.new_code_cell(probe_source(moves))
        notebook.cells.append(probe)
        client.timeout = PROBE_TIMEOUT_S
        try:
            client.execute_cell(probe, len(notebook.cells) - 1)
        except (CellExecutionError, CellTimeoutError) as error:
            run.probe_error = summary(error)
            return run
        run.probe = json.loads(stdout_of(probe).strip().splitlines()[-1])
    return run


def run_all(notebooks: Path, moves: int, log=print) -> list[NotebookRun]:
    """Every lesson, one after the other (never in parallel: they would slow each other down)."""
    runs = []
    for path in lesson_paths(notebooks):
        run = run_notebook(path, moves)
        figures = len(run.probe.get("figures", {}))
        log(f"  {run.name}: {run.run_all_s:.1f} s, {figures} interactive figure(s)"
            + (f", ERROR {run.error}" if run.error else "")
            + (f", widget probe failed: {run.probe_error}" if run.probe_error else ""))
        runs.append(run)
    return runs

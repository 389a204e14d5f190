"""Turn the measurements into the Markdown tables of benchmarks/README.md.

Everything here is plain data in, text out, so it can be tested without
running a benchmark.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

# The targets of issue 9: what a learner should never notice.
LESSON_S = 20
COURSE_S = 120
WIDGET_P95_MS = 100
MLP_RATIO = 1.5
IMPORT_S = 0.5
RSS_MB = 500
BROWSER_MS = 250

START, END = "<!-- results:start -->", "<!-- results:end -->"
NOT_MEASURED = "not measured in this run"


@dataclass
class Target:
    """One row of the targets table. ``met`` is None when nothing was measured."""

    what: str
    goal: str
    measured: str
    met: bool | None
    reason: str = ""

    def cells(self) -> list[str]:
        status = {True: "✓", False: "✗ missed", None: "–"}[self.met]
        missed = f"{self.measured}: {self.reason}" if self.met is False else ""
        return [self.what, self.goal, self.measured, status, missed]


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table; a ``|`` inside a cell is escaped so it cannot split the cell.

    >>> print(markdown_table(["a", "b"], [[1, "x|y"]]))
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def percentiles_ms(timings: Sequence[float]) -> tuple[float, float]:
    """p50 and p95 of a list of timings (linear interpolation between samples, numpy's default)."""
    p50, p95 = np.percentile(timings, [50, 95])
    return float(p50), float(p95)


def replace_results(readme: str, results: str) -> str:
    """``readme`` with the text between the results markers replaced (markers added at the end if absent)."""
    block = f"{START}\n{results.strip()}\n{END}"
    if START in readme and END in readme:
        return re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, readme, flags=re.DOTALL)
    return readme.rstrip() + "\n\n" + block + "\n"


# ----- the browser test's file -------------------------------------------------------------

def notebook_name(key: str) -> str:
    name = Path(str(key)).name
    return name if name.endswith(".ipynb") else name + ".ipynb"


def latencies(value: Any) -> list[float]:
    """Every latency in ``value``: a number, a list of them, or a dict with a median or *_ms/latency fields."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, list):
        return [sample for item in value for sample in latencies(item)]
    if isinstance(value, dict):
        for key in ("median_ms", "median"):
            if isinstance(value.get(key), (int, float)):
                return [float(value[key])]
        named = [item for key, item in value.items() if "latenc" in key or key.endswith("_ms")]
        nested = [item for item in value.values() if isinstance(item, (dict, list))]
        return latencies(named or nested)
    return []


def browser_medians(data: Any) -> dict[str, float]:
    """Median browser slider-to-figure latency per notebook, from test-artifacts/browser/latency.json.

    Accepts ``{notebook: ms | [ms, ...] | {"median_ms": ms} | {...: [ms, ...]}}``,
    the same under a ``"notebooks"`` key, or a list of records with a
    ``"notebook"`` field.

    >>> browser_medians({"notebooks": {"01_linear_weights.ipynb": [100, 140, 120]}})
    {'01_linear_weights.ipynb': 120.0}
    >>> browser_medians([{"notebook": "notebooks/02_x.ipynb", "latency_ms": 90}])
    {'02_x.ipynb': 90.0}
    """
    if isinstance(data, dict) and isinstance(data.get("notebooks"), (dict, list)):
        data = data["notebooks"]
    pairs = data.items() if isinstance(data, dict) else ((record.get("notebook"), record) for record in data)
    samples: dict[str, list[float]] = {}
    for key, value in pairs:
        if key:
            samples.setdefault(notebook_name(key), []).extend(latencies(value))
    return {name: statistics.median(values) for name, values in samples.items() if values}


# ----- the targets table -------------------------------------------------------------------

def lesson_targets(runs) -> list[Target]:
    rows = []
    for run in runs:
        if run.error:
            rows.append(Target(f"run-all {run.name}", f"< {LESSON_S} s", "error", False, run.error))
        else:
            rows.append(Target(f"run-all {run.name}", f"< {LESSON_S} s", f"{run.run_all_s:.1f} s",
                               run.run_all_s < LESSON_S, f"slowest {run.slowest_cell()}"))
    total = sum(run.run_all_s for run in runs)
    failed = [run.name for run in runs if run.error]
    slowest = sorted(runs, key=lambda run: run.run_all_s, reverse=True)[:3]
    reason = (f"{', '.join(failed)} stopped with an error, so the total counts only the cells that ran"
              if failed else "slowest lessons: " + ", ".join(f"{run.name} {run.run_all_s:.1f} s" for run in slowest))
    rows.append(Target(f"run-all, whole course ({len(runs)} lessons)", f"< {COURSE_S // 60} min", f"{total:.1f} s",
                       total < COURSE_S and not failed, reason))
    return rows


def move_split(figure: dict) -> tuple[float, float]:
    """Median milliseconds of rendering the PNG alone, and of the rest of a move (update function, sending)."""
    rest = [total - render for total, render in zip(figure["timings_ms"], figure["render_ms"])]
    return statistics.median(figure["render_ms"]), statistics.median(rest)


def widget_reason(figure: dict) -> str:
    render, rest = move_split(figure)
    parts = [f"rendering the figure as a PNG alone takes {render:.0f} ms (median); the lesson's update "
             f"function and sending the image take the rest of a move, {rest:.0f} ms"]
    if figure["failed_moves"]:
        parts.append(f"{figure['failed_moves']} moves did not redraw (an error in the update function?)")
    return "; ".join(parts)


def widget_targets(runs) -> list[Target]:
    rows = []
    for run in runs:
        for name, figure in run.probe.get("figures", {}).items():
            what = f"widget p95, {run.name} `{name}`"
            if not figure["timings_ms"]:
                rows.append(Target(what, f"< {WIDGET_P95_MS} ms", "no control could be moved", None))
                continue
            p95 = percentiles_ms(figure["timings_ms"])[1]
            rows.append(Target(what, f"< {WIDGET_P95_MS} ms", f"{p95:.0f} ms",
                               p95 < WIDGET_P95_MS and not figure["failed_moves"], widget_reason(figure)))
        if run.probe_error:
            rows.append(Target(f"widget p95, {run.name}", f"< {WIDGET_P95_MS} ms", "probe failed", False,
                               run.probe_error))
        if run.probe.get("new_figures"):
            rows.append(Target(f"no new figure per move, {run.name}", "0", str(run.probe["new_figures"]), False,
                               "an update function creates figures instead of updating artists"))
    return rows


def profile_text(profile: Sequence[tuple[str, float]]) -> str:
    return ", ".join(f"{function} {share:.0%}" for function, share in profile)


def mlp_targets(mlp: dict) -> list[Target]:
    goal = f"≤ {MLP_RATIO}"
    if "error" in mlp:
        return [Target("numpy MLP vs PyTorch", goal, "error", False, mlp["error"])]
    if "torch" not in mlp:
        return [Target(f"numpy MLP vs PyTorch, {mlp['blas_threads']} thread(s)", goal, "skipped: PyTorch not installed "
                       "(optional: `pip install torch==2.13.0`)", None)]
    rows = []
    for name, result in mlp["optimizers"].items():
        rows.append(Target(f"numpy MLP time per step / PyTorch's, {name}, {mlp['blas_threads']} thread(s)", goal,
                           f"{result['ratio']:.2f}", result["ratio"] <= MLP_RATIO,
                           "numpy's own time by function (cProfile): " + profile_text(result["numpy_profile"])))
    return rows


def import_targets(imports: dict) -> list[Target]:
    seconds, heaviest = imports["modules"]["helpers"]
    reason = f"it imports {heaviest[0]} ({heaviest[1]:.2f} s)" if heaviest else ""
    return [Target("`import helpers`", f"< {IMPORT_S} s", f"{seconds * 1000:.1f} ms", seconds < IMPORT_S, reason)]


def memory_targets(runs) -> list[Target]:
    measured = [run for run in runs if "peak_rss_mb" in run.probe]
    if not measured:
        return [Target("peak RSS of the heaviest lesson's kernel", f"< {RSS_MB} MB", NOT_MEASURED, None)]
    heaviest = max(measured, key=lambda run: run.probe["peak_rss_mb"])
    peak = heaviest.probe["peak_rss_mb"]
    return [Target(f"peak RSS of the heaviest lesson's kernel ({heaviest.name})", f"< {RSS_MB} MB",
                   f"{peak:.0f} MB", peak < RSS_MB, f"{heaviest.name} after run-all")]


def browser_reason(run) -> str:
    """How much of a browser latency the kernel accounts for, from the same lesson's kernel-side timings."""
    p50s = [percentiles_ms(figure["timings_ms"])[0] for figure in run.probe.get("figures", {}).values()
            if figure["timings_ms"]] if run else []
    if not p50s:
        return "no kernel-side timing of this lesson to compare with"
    return (f"the kernel's share is about {max(p50s):.0f} ms (its slowest figure's p50); the rest is messaging "
            f"and the browser decoding and painting the PNG")


def browser_targets(browser: dict[str, float] | None, runs) -> list[Target]:
    if not browser:
        return [Target("browser slider-to-figure median", f"< {BROWSER_MS} ms", NOT_MEASURED, None)]
    by_name = {run.name: run for run in runs}
    return [Target(f"browser slider-to-figure median, {name}", f"< {BROWSER_MS} ms", f"{ms:.0f} ms",
                   ms < BROWSER_MS, browser_reason(by_name.get(name)))
            for name, ms in sorted(browser.items())]


def targets_table(results: dict) -> str:
    """Every target with what was measured; a missed one says by how much and why."""
    runs = results["notebooks"]
    targets = (lesson_targets(runs) + widget_targets(runs) + [row for mlp in results["mlp"] for row in mlp_targets(mlp)]
               + import_targets(results["imports"]) + memory_targets(runs) + browser_targets(results["browser"], runs))
    return markdown_table(["what", "target", "measured", "met", "missed: measured value and reason"],
                          [target.cells() for target in targets])


# ----- the detail tables -------------------------------------------------------------------

def notebook_table(runs, browser: dict[str, float] | None) -> str:
    rows = []
    for run in runs:
        probe = run.probe
        rss = f"{probe['peak_rss_mb']:.0f} / {probe['peak_rss_after_moves_mb']:.0f}" \
            if "peak_rss_after_moves_mb" in probe else (f"{probe['peak_rss_mb']:.0f}" if probe else "–")
        latency = f"{browser[run.name]:.0f}" if browser and run.name in browser else "–"
        rows.append([run.name, f"{run.kernel_start_s:.1f}", f"{run.run_all_s:.1f}" + (" (error)" if run.error else ""),
                     run.slowest_cell(), rss, len(probe.get("figures", {})), latency])
    return markdown_table(["lesson", "kernel start s", "run-all s", "slowest cell",
                           "peak RSS MB (after run-all / after widget moves)", "interactive figures",
                           "browser median ms"], rows)


def widget_table(runs) -> str:
    rows = []
    for run in runs:
        for name, figure in run.probe.get("figures", {}).items():
            timings = figure["timings_ms"]
            measured = ["–"] * 5
            if timings:
                measured = [f"{value:.0f}" for value in (*percentiles_ms(timings), max(timings), *move_split(figure))]
            rows.append([run.name, f"`{name}`", ", ".join(figure["controls"]), len(timings), *measured,
                         figure["failed_moves"], ", ".join(figure["skipped_controls"]) or "–"])
    if not rows:
        return "No lesson has an interactive figure yet."
    return markdown_table(["lesson", "figure", "controls", "moves", "p50 ms", "p95 ms", "max ms",
                           "PNG rendering alone, median ms", "rest of a move (update, sending), median ms",
                           "moves without redraw", "controls not moved"], rows)


def mlp_rows(mlp: dict) -> list[list]:
    rows = []
    for name, result in mlp["optimizers"].items():
        torch_rate = f"{result['torch_steps_per_s']:.0f}" if "torch_steps_per_s" in result else "–"
        ratio = f"{result['ratio']:.2f}" if "ratio" in result else "–"
        check = f"{result['largest_difference']:.1e}" if "largest_difference" in result else "–"
        rows.append([name, mlp["blas_threads"], f"{mlp['load_at_start']:.1f}", f"{result['numpy_steps_per_s']:.0f}",
                     torch_rate, ratio, result["repeats"], result["steps"], check,
                     profile_text(result["numpy_profile"])])
    return rows


def mlp_section(runs: list[dict]) -> str:
    """One table for every thread setting the MLP benchmark ran with."""
    failures = [f"The MLP benchmark failed: {mlp['error']}" for mlp in runs if "error" in mlp]
    measured = [mlp for mlp in runs if "error" not in mlp]
    if not measured:
        return "\n\n".join(failures)
    first = measured[0]
    table = markdown_table(["optimizer", "threads", "load average", "numpy steps/s", "PyTorch steps/s",
                            "ratio (numpy time / PyTorch time)", "repeats", "steps per repeat",
                            "max weight difference after 5 identical steps", "numpy's own time by function"],
                           [row for mlp in measured for row in mlp_rows(mlp)])
    torch = first.get("torch", "not installed: install the optional `pip install torch==2.13.0` for this comparison")
    return "\n\n".join(failures + [
        f"Network {'-'.join(map(str, first['sizes']))}, ReLU, batch {first['batch']}, float64 on both sides. "
        f"numpy's BLAS: {first['blas']}; PyTorch {torch.split(',')[0]} is set to the same number of threads. "
        f"{first['environment_note']} First with OpenBLAS's default threads (one per core, what a learner gets), "
        f"then with one thread: with two BLAS threads on a busy 2-core machine both sides slow down many times "
        f"over (the threads wait for each other), so the absolute rates vary with the load average shown; the "
        f"ratio, from paired runs, varies much less.", table])


def import_table(imports: dict) -> str:
    rows = [[f"`{module}`", f"{seconds * 1000:.1f}", f"{heaviest[0]} ({heaviest[1] * 1000:.0f} ms)" if heaviest else "–"]
            for module, (seconds, heaviest) in imports["modules"].items()]
    return (f"Median of {imports['repeats']} fresh interpreters for `helpers`, {imports['sub_repeats']} for each "
            f"submodule; timed inside the interpreter, so Python's own start-up is not counted.\n\n"
            + markdown_table(["module", "import ms", "heaviest dependency it imports"], rows))


def install_text(install: dict | None) -> str:
    if install is None:
        return f"Install size: {NOT_MEASURED} (`--skip-install`)."
    built = f"built in {install['install_seconds']:.0f} s" if install["install_seconds"] else "reused from an earlier run"
    largest = ", ".join(f"{name} {mb:.0f} MB" for name, mb in install["largest"])
    return (f"Install size: a fresh virtual environment with `pip install -r requirements.txt` "
            f"({install['venv']}, {built}) takes **{install['size_mb']:.0f} MB**; largest packages: {largest}.")


def results_markdown(results: dict) -> str:
    """The whole results section of the README."""
    machine = "\n".join(f"- {key}: {value}" for key, value in results["machine"].items())
    return f"""## Results

Run on {results['machine']['date']} by `python benchmarks/run.py`, which took {results['duration_s'] / 60:.1f} min.
The machine is shared with other work, so timings can be inflated; the load average is listed below.

{machine}
- load average at the end (1 min): {results['load_at_end']:.2f}

### Targets

{targets_table(results)}

### Lessons (fresh kernel each, as nbval runs them)

{notebook_table(results['notebooks'], results['browser'])}

Browser latencies: {results['browser_note']}

### Widget response, kernel side

Each figure's controls were moved across their range from code with `InteractiveFigure.set`, exactly
as a slider move arrives from the browser; a move is timed from the value change to the end of the
redraw (update function, PNG rendering, display message sent). After each move the figure is rendered
to a PNG once more on its own, which splits the move into rendering and the rest.

{widget_table(results['notebooks'])}

### The from-scratch MLP against PyTorch

{mlp_section(results['mlp'])}

### Imports and install size

{import_table(results['imports'])}

{install_text(results['install'])}
"""

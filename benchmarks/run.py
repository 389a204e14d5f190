"""Measure what a learner feels against the course's targets, and rewrite benchmarks/results.md.

    python benchmarks/run.py                  # everything (about 10 minutes on a loaded 2-core machine)
    python benchmarks/run.py --skip-install   # no install sizes: no venv built, nothing downloaded
    python benchmarks/run.py --note "what else the machine was doing"

What is measured and the targets: benchmarks/README.md. Lessons and their figures are found at run time.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BROWSER = ROOT / "test-artifacts" / "browser" / "latency.json"
LESSON_S, COURSE_S, IMPORT_S, RSS_MB, WIDGET_P95_MS, BROWSER_MS, MLP_RATIO = 20, 120, 0.5, 500, 100, 100, 1.5
TEST_ONLY = ("hypothesis", "playwright")  # only in requirements-test.txt (pytest comes with nbval)
PROBE_CELL = """import importlib.util as _u, json as _j
_s = _u.spec_from_file_location("_bench_probe", {path!r}); _p = _u.module_from_spec(_s); _s.loader.exec_module(_p)
print(_j.dumps(_p.measure(get_ipython().user_ns, moves={moves})))"""
TIMER = """import json, time
seconds = []
for statement in {statements!r}:
    start = time.perf_counter(); exec(statement, {{}}); seconds.append(time.perf_counter() - start)
print(json.dumps(seconds))"""


def run_lesson(path: Path, moves: int) -> dict:
    """Run ``path`` cell by cell in a new kernel as nbval does (cwd notebooks/, stderr dropped), timing each
    code cell; then probe that kernel (benchmarks/probe.py)."""
    notebook = nbformat.read(path, as_version=4)
    run = {"name": path.name, "cells": [], "error": None, "probe_error": None, "probe": {}}
    client = NotebookClient(notebook, timeout=60, kernel_name="python3",  # nbval's cell timeout (pyproject.toml)
                            resources={"metadata": {"path": str(path.parent)}})
    stage = "error"
    with client.setup_kernel(stderr=subprocess.DEVNULL):  # kernel start-up is not counted, as in nbval's timings
        try:
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    start = time.perf_counter()
                    client.execute_cell(cell, index)
                    run["cells"].append((time.perf_counter() - start, cell.source.strip().split("\n")[0][:50]))
            stage, client.timeout = "probe_error", 600
            probe = nbformat.v4.new_code_cell(PROBE_CELL.format(path=str(HERE / "probe.py"), moves=moves))
            notebook.cells.append(probe)
            client.execute_cell(probe, len(notebook.cells) - 1)
            printed = "".join(out.get("text", "") for out in probe.outputs if out.get("name") == "stdout")
            run["probe"] = json.loads(printed.strip().splitlines()[-1])
        except (CellExecutionError, CellTimeoutError) as error:
            lines = str(error).strip().splitlines() or ["?"]
            run[stage] = (lines[0] if isinstance(error, CellTimeoutError) else lines[-1])[:200]
    run["run_all_s"] = sum(seconds for seconds, _ in run["cells"])
    return run


def setup_imports(source: str) -> list[str]:
    """The import statements of a cell, one line each (IPython's % and ! lines left out)."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    return [ast.unparse(node) for node in ast.parse(code).body if isinstance(node, (ast.Import, ast.ImportFrom))]


def import_seconds(statements: list[str], repeats: int = 3) -> list[float]:
    """Seconds of each statement, run in order in a fresh interpreter from notebooks/; median of ``repeats``."""
    runs = [json.loads(subprocess.run([sys.executable, "-c", TIMER.format(statements=statements)], check=True,
                                      cwd=ROOT / "notebooks", capture_output=True, text=True).stdout)
            for _ in range(repeats)]
    return [statistics.median(column) for column in zip(*runs)]


def tree_mb(path: Path) -> float:
    """Bytes of the files under ``path`` (links not followed), in MB of 10^6 bytes."""
    return sum(os.lstat(os.path.join(folder, name)).st_size
               for folder, _, names in os.walk(path) for name in names) / 1e6


def install_size(requirements: str, venv: Path) -> dict:
    """``pip install -r requirements`` in a venv under /tmp, rebuilt only when a requirement file changed."""
    files = ("requirements.txt", "requirements-test.txt", "pyproject.toml")
    digest = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in files)).hexdigest()
    stamp = venv / ".requirements-sha256"
    built = not (stamp.exists() and stamp.read_text() == digest)
    if built:
        print(f"building {venv} with pip install -r {requirements} ...", flush=True)
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", requirements],
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            return {"error": (done.stderr.strip().splitlines() or ["pip failed"])[-1][:200]}
        stamp.write_text(digest)
    site = next((venv / "lib").glob("python*/site-packages"))
    packages = sorted(((entry.name, tree_mb(entry)) for entry in site.iterdir() if entry.is_dir()
                       and not entry.name.endswith((".dist-info", "__pycache__"))), key=lambda package: -package[1])
    return {"venv": str(venv), "size_mb": tree_mb(venv), "built": built, "largest": packages[:4],
            "test_only": [name for name in TEST_ONLY if name in dict(packages)]}


def browser_medians(path: Path = BROWSER) -> dict[str, float]:
    """Median per lesson from the file tests/browser_support.py writes: {"notebooks": {name: {"median_ms": ms}}}."""
    notebooks = json.loads(path.read_text(encoding="utf-8"))["notebooks"] if path.exists() else {}
    return {Path(name).stem + ".ipynb": entry["median_ms"] for name, entry in notebooks.items() if "median_ms" in entry}


def table(header: list[str], rows: list[list]) -> str:
    """A Markdown table; a ``|`` inside a cell is escaped so it cannot split the cell."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows])


def target(what: str, goal: str, measured: str, met: bool | None, why: str = "") -> list[str]:
    """One row of the targets table; the why is kept only for a missed target or one not measured."""
    return [what, goal, measured, {True: "✓ met", False: "✗ missed", None: "– not measured"}[met],
            "" if met else why]


def spread(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 (interpolating linearly between samples, as numpy.percentile does) and max."""
    return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[18], max(values)


def slowest_cell(run: dict) -> str:
    if not run["cells"]:
        return "–"
    index, (seconds, first) = max(enumerate(run["cells"]), key=lambda item: item[1][0])
    return f"code cell {index + 1} ({seconds:.1f} s): `{first}`"


def lesson_targets(runs: list[dict], imports: dict, browser: dict) -> list[list[str]]:
    rows = []
    for run in runs:
        name, probe = run["name"], run["probe"]
        measured = f"{run['run_all_s']:.1f} s" + (" (error)" if run["error"] else f", slowest {slowest_cell(run)}")
        rows.append(target(f"run-all {name}", f"< {LESSON_S} s", measured,
                           not run["error"] and run["run_all_s"] < LESSON_S, run["error"] or "see its slowest cell"))
        statements, seconds = imports[name]
        if statements:
            heaviest = max(range(len(seconds)), key=seconds.__getitem__)
            rows.append(target(f"set-up cell imports {name}", f"< {IMPORT_S} s", f"{sum(seconds):.2f} s",
                               sum(seconds) < IMPORT_S, f"`{statements[heaviest]}` takes {seconds[heaviest]:.2f} s"))
        rss = max(probe.get("peak_rss_mb", 0), probe.get("peak_rss_after_moves_mb", 0))
        rows.append(target(f"peak RSS {name}", f"< {RSS_MB} MB", f"{rss:.0f} MB" if rss else "not measured",
                           rss < RSS_MB if rss else None, run["error"] or run["probe_error"] or ""))
        for figure, walked in probe.get("figures", {}).items():
            what = f"widget p95 {name} `{figure}`"
            if not walked["move_ms"]:
                rows.append(target(what, f"< {WIDGET_P95_MS} ms", "no control could be moved", None))
                continue
            rest = statistics.median(m - p for m, p in zip(walked["move_ms"], walked["png_ms"]))
            why = f"PNG rendering alone {statistics.median(walked['png_ms']):.0f} ms (median), the rest {rest:.0f} ms"
            why += f"; {walked['failed_moves']} moves did not redraw" if walked["failed_moves"] else ""
            p95 = spread(walked["move_ms"])[1]
            rows.append(target(what, f"< {WIDGET_P95_MS} ms", f"{p95:.0f} ms",
                               p95 < WIDGET_P95_MS and not walked["failed_moves"], why))
        if run["probe_error"]:
            rows.append(target(f"widget p95 {name}", f"< {WIDGET_P95_MS} ms", "probe failed", False,
                               run["probe_error"]))
        if name in browser:  # the kernel's share is in the widget rows; the rest is messaging and painting
            rows.append(target(f"browser median {name}", f"< {BROWSER_MS} ms", f"{browser[name]:.0f} ms",
                               browser[name] < BROWSER_MS, "see the kernel-side rows of this lesson"))
    total, failed = sum(run["run_all_s"] for run in runs), [run["name"] for run in runs if run["error"]]
    slowest = sorted(runs, key=lambda run: -run["run_all_s"])[:3]
    rows.append(target(f"run-all, whole course ({len(runs)} lessons)", f"< {COURSE_S // 60} min", f"{total:.1f} s",
                       total < COURSE_S and not failed, f"{', '.join(failed)} stopped with an error" if failed else
                       "slowest: " + ", ".join(f"{run['name']} {run['run_all_s']:.1f} s" for run in slowest)))
    if not browser:
        rows.append(target("browser median, every lesson", f"< {BROWSER_MS} ms", "not measured", None,
                           f"{BROWSER.relative_to(ROOT)} absent: `python -m pytest tests/test_browser.py` writes it"))
    return rows


def mlp_targets(mlp: dict) -> list[list[str]]:
    if "optimizers" not in mlp:
        return [target("numpy MLP time per step / PyTorch's", f"≤ {MLP_RATIO}", "skipped" if "skipped" in mlp
                       else "error", None if "skipped" in mlp else False, mlp.get("skipped") or mlp.get("error"))]
    rows = []
    for name, r in mlp["optimizers"].items():
        agree = f"weights differ by {r['largest_difference']:.1e} after {r['check_steps']} identical steps"
        rows.append(target(f"numpy MLP {mlp['network']} time per step / PyTorch's, {name}", f"≤ {MLP_RATIO}", (
            f"{r['ratio']:.2f} (numpy {r['numpy_steps_per_s']:.0f}, PyTorch {r['torch_steps_per_s']:.0f} steps/s; "
            f"{agree})" if "ratio" in r else "not reported"), r["ratio"] <= MLP_RATIO if "ratio" in r else False,
            f"the two networks take different steps: {agree} (allowed {r['tolerance']:.0e})"))
    return rows


def install_targets(installs: dict) -> list[list[str]]:
    rows = [] if installs else [target("install sizes", "reported", "not measured", None, "`--skip-install`")]
    rows += [target(f"{kind} install size", "reported", "error" if "error" in got else (
        f"{got['size_mb']:.0f} MB (largest: " + ", ".join(f"{n} {mb:.0f} MB" for n, mb in got["largest"])
        + f"; {got['venv']} {'built now' if got['built'] else 'reused'})"), None if "error" in got else True,
        got.get("error", "")) for kind, got in installs.items()]
    if (found := installs.get("learner", {}).get("test_only")) is not None:
        rows.append(target("learner install holds no test-only tool", "none of " + ", ".join(TEST_ONLY),
                           ", ".join(found) or "none", not found, "requirements.txt pulls them in"))
    return rows


def results_markdown(results: dict) -> str:
    runs, mlp = results["runs"], results["mlp"]
    widget_rows = [[run["name"], f"`{name}`", ", ".join(w["controls"]), len(w["move_ms"]),
                    *(f"{v:.0f}" for v in (spread(w["move_ms"]) if w["move_ms"] else ["–"] * 3)),
                    f"{statistics.median(w['png_ms']):.0f}" if w["png_ms"] else "–", w["failed_moves"],
                    ", ".join(w["not_moved"]) or "–"]
                   for run in runs for name, w in run["probe"].get("figures", {}).items()]
    mlp_note = "" if "optimizers" not in mlp else (f" numpy MLP rows: ReLU, batch {mlp['batch']}, float64, PyTorch "
                                                    f"{mlp['torch']}, {mlp['threads']} BLAS thread(s) each side.")
    machine = results["machine"]
    return f"""# Benchmark results

Written by `python benchmarks/run.py` on {machine['date']}; a run rewrites this whole file, so do not edit it.
What is measured and why: [README.md](README.md).

{machine['text']} The run took {results['minutes']:.1f} min; the 1-minute load average was {machine['load_start']:.1f}
at the start and {results['load_end']:.1f} at the end. **The machine is shared**: other work running at the same time
inflates every timing here.{(' ' + results['note']) if results['note'] else ''}{mlp_note}

## Targets

{table(["what", "target", "measured", "status", "why (missed or not measured)"], results['targets'])}

Run-all: a fresh kernel per lesson, as nbval runs them. Set-up cell imports: the import lines of the lesson's first
code cell, each timed in order in a fresh interpreter (median of 3). Peak RSS: the lesson's kernel after run-all and
the widget moves. Browser medians: {results['browser_note']}

## Widget response, kernel side

{table(["lesson", "figure", "controls", "moves", "p50 ms", "p95 ms", "max ms", "PNG rendering alone, median ms",
        "moves without redraw", "controls not moved"], widget_rows) if widget_rows else "No interactive figure found."}
"""


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.machine())
    found = {dist.metadata["Name"].lower(): dist.version for dist in metadata.distributions()}
    versions = ", ".join(f"{name} {found.get(name, 'not installed')}"
                         for name in ("numpy", "matplotlib", "ipywidgets", "torch"))
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_start": os.getloadavg()[0],
            "text": f"Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
                    f"Python {platform.python_version()}, {versions}."}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=50, help="slider moves per interactive figure (default 50)")
    parser.add_argument("--skip-install", action="store_true", help="do not build the venvs for the install sizes")
    parser.add_argument("--note", default="", help="a sentence added to the results, e.g. what else was running")
    options = parser.parse_args()
    started, results = time.perf_counter(), {"machine": machine(), "note": options.note, "runs": [], "imports": {}}
    # Lessons may save lecture-mode settings: keep them away from the user's own file, as the tests do.
    os.environ["THREE_GOOD_STUDENTS_SETTINGS"] = str(Path(tempfile.mkdtemp(prefix="tgs-bench-")) / "settings.json")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        results["runs"].append(run := run_lesson(path, options.moves))
        setup = next((cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"), "")
        statements = setup_imports(setup)
        results["imports"][path.name] = (statements, import_seconds(statements) if statements else [])
        print(f"{path.name}: run-all {run['run_all_s']:.1f} s, {len(run['probe'].get('figures', {}))} figure(s)"
              + "".join(f", {key} {run[key]}" for key in ("error", "probe_error") if run[key]), flush=True)
    print("numpy MLP against PyTorch, one BLAS thread each ...", flush=True)
    done = subprocess.run([sys.executable, str(HERE / "mlp_torch.py")], capture_output=True, text=True,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    results["mlp"] = json.loads(done.stdout) if done.returncode == 0 else {
        "error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:200]}
    results["installs"] = {} if options.skip_install else {
        kind: install_size(requirements, Path(tempfile.gettempdir()) / f"three-good-students-bench-{kind}")
        for kind, requirements in (("learner", "requirements.txt"), ("test", "requirements-test.txt"))}
    results["browser"] = browser_medians()
    results["browser_note"] = f"`{BROWSER.relative_to(ROOT)}`, " + (time.strftime("written by the browser test on "
        "%Y-%m-%d %H:%M UTC.", time.gmtime(BROWSER.stat().st_mtime)) if BROWSER.exists() else "absent.")
    results["targets"] = (lesson_targets(results["runs"], results["imports"], results["browser"])
                          + mlp_targets(results["mlp"]) + install_targets(results["installs"]))
    results["minutes"], results["load_end"] = (time.perf_counter() - started) / 60, os.getloadavg()[0]
    (HERE / "results.md").write_text(results_markdown(results), encoding="utf-8")
    missed = [row[0] for row in results["targets"] if row[3] == "✗ missed"]
    print(f"Written to benchmarks/results.md; missed: {', '.join(missed) or 'none'}.")


if __name__ == "__main__":
    main()

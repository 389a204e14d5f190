"""Run every benchmark of the course and rewrite the results in benchmarks/README.md.

    python benchmarks/run.py                  # everything, under 10 minutes on 2 cores
    python benchmarks/run.py --fresh-venv     # rebuild the install-size venv even if up to date
    python benchmarks/run.py --skip-install   # leave out the install size (no venv, no network)

What is measured and why is in benchmarks/README.md. Every lesson found in
notebooks/ is measured, so new lessons are covered without changing this file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine
import notebook_runs
import report
import startup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = HERE / "README.md"
BROWSER_LATENCY = ROOT / "test-artifacts" / "browser" / "latency.json"
# Set on this workplace's machines for old OpenBLAS builds; they slow a current numpy down.
WORKAROUNDS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def log(message: str) -> None:
    print(message, flush=True)


def mlp_benchmark(threads: int | None = None) -> dict:
    """mlp_speed.py in its own process, with OpenBLAS free to pick its kernel for this CPU, as on a learner's machine.

    ``threads`` limits numpy's BLAS (and so PyTorch, which is given the same
    count); None leaves OpenBLAS its default of one thread per core.
    """
    removed = [name for name in WORKAROUNDS if name in os.environ]
    env = {name: value for name, value in os.environ.items() if name not in removed}
    if threads:
        env["OPENBLAS_NUM_THREADS"] = str(threads)
    done = subprocess.run([sys.executable, str(HERE / "mlp_speed.py")], env=env, capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    result = json.loads(done.stdout)
    result["environment_note"] = (f"{' and '.join(removed)} (set on this machine as a workaround for old OpenBLAS "
                                  f"builds) were removed for this benchmark's process only." if removed else "")
    return result


def browser_latency() -> tuple[dict[str, float] | None, str]:
    """The browser test's medians per lesson, and a sentence saying where they came from."""
    if not BROWSER_LATENCY.exists():
        return None, f"{report.NOT_MEASURED} ({BROWSER_LATENCY.relative_to(ROOT)} does not exist; the browser test writes it)."
    modified = time.strftime("%Y-%m-%d %H:%M", time.gmtime(BROWSER_LATENCY.stat().st_mtime))
    try:
        medians = report.browser_medians(json.loads(BROWSER_LATENCY.read_text(encoding="utf-8")))
    except (ValueError, AttributeError, TypeError) as error:
        return None, f"{report.NOT_MEASURED}: {BROWSER_LATENCY.relative_to(ROOT)} could not be read ({error})."
    if not medians:
        return None, f"{report.NOT_MEASURED}: {BROWSER_LATENCY.relative_to(ROOT)} ({modified} UTC) holds no latencies."
    return medians, f"read from {BROWSER_LATENCY.relative_to(ROOT)} (written by the browser test, {modified} UTC)."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=50, help="slider moves per interactive figure (default 50)")
    parser.add_argument("--fresh-venv", action="store_true", help="rebuild the venv used for the install size")
    parser.add_argument("--skip-install", action="store_true", help="do not measure the install size")
    options = parser.parse_args()

    started = time.perf_counter()
    # Lessons may save lecture-mode settings: keep them away from the user's own file, as the tests do.
    os.environ["THREE_GOOD_STUDENTS_SETTINGS"] = str(Path(tempfile.mkdtemp(prefix="tgs-bench-")) / "settings.json")
    results = {"machine": machine.describe()}
    log("Lessons, one fresh kernel each:")
    results["notebooks"] = notebook_runs.run_all(ROOT / "notebooks", options.moves, log)
    log("MLP: numpy against PyTorch, with BLAS's default threads, then with one thread ...")
    # One thread too: these matrices are small, and on a busy machine two BLAS threads wait for each other.
    results["mlp"] = [mlp_benchmark(), mlp_benchmark(threads=1)]
    log("Import times ...")
    results["imports"] = startup.import_times()
    log("Install size ...")
    results["install"] = None if options.skip_install else startup.install_size(ROOT, options.fresh_venv, log)
    results["browser"], results["browser_note"] = browser_latency()
    results["load_at_end"] = os.getloadavg()[0]
    results["duration_s"] = time.perf_counter() - started

    README.write_text(report.replace_results(README.read_text(encoding="utf-8"), report.results_markdown(results)),
                      encoding="utf-8")
    log("\n" + report.targets_table(results))
    log(f"\nTables written to {README.relative_to(ROOT)} ({results['duration_s'] / 60:.1f} min).")


if __name__ == "__main__":
    main()

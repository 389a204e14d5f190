"""How big a class one machine holds: N students starting at once on the hub of
classroom/jupyterhub_config.py, measured. Results: benchmarks/classroom.md.

    sudo python benchmarks/classroom.py 5 10 20          # one class of each size, in turn
    sudo python benchmarks/classroom.py 20 --default-timeouts   # JupyterHub's own 30 s / 60 s

For each class size N, a fresh hub, N new system users and the course's git remote
(tests/classroom_support.py, the machinery of tests/test_classroom.py) are set up; then:

1. every student logs in;
2. all N follow the nbgitpuller link at the same moment (threads released together). Measured
   per student: the hub's own spawn time (from its log, "took N seconds to start": what
   Spawner.http_timeout and start_timeout bound), the time from the click to the git-pull page
   (server running), and to the course being cloned;
3. all N run a lesson's student copy to the end in a kernel at once (default the lesson whose
   kernel is heaviest in benchmarks/README.md's table, 01), timed;
4. memory per student: every process running as that student (their single-user server and
   the kernel that ran the lesson), as PSS (shared pages split between the processes sharing
   them: what adding a student costs) and RSS (counting shared pages fully); plus the hub and
   its proxy.

Needs root, git, configurable-http-proxy and the class environment (classroom/install.sh).
The machine may be shared: its load average at the start and end is recorded with each row.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import psutil  # noqa: E402  (after the sys.path line above)
from classroom_support import Classroom, Student, memory_of, missing_prerequisites, run_notebook  # noqa: E402

RESULTS_JSON = HERE / "classroom_results.json"
RESULTS_MD = HERE / "classroom.md"
DEFAULT_LESSON = "student/01_linear_weights.ipynb"


def log(message: str) -> None:
    print(message, flush=True)


def hub_spawn_times(classroom: Classroom) -> dict[str, float]:
    times = {}
    for match in re.finditer(r"User (\S+) took ([\d.]+) seconds to start", classroom.hub_log.read_text(errors="replace")):
        times[match.group(1)] = float(match.group(2))
    return times


def one_class(size: int, lesson: str, default_timeouts: bool) -> dict:
    load_start = os.getloadavg()
    timeouts = {"http_timeout": 30, "start_timeout": 60} if default_timeouts else {"http_timeout": 600,
                                                                                   "start_timeout": 600}
    classroom = Classroom(size, **timeouts)
    try:
        students = [Student(classroom, name, timeout=600) for name in classroom.names]
        for student in students:
            student.log_in()
        gate = threading.Barrier(size)
        link = classroom.link()

        def start(student):
            gate.wait()
            clicked = time.monotonic()
            try:
                ready = student.open_link(link)
            except Exception as error:  # noqa: BLE001 (a failed start is a result here)
                return {"name": student.name, "error": f"{type(error).__name__}: {str(error)[:200]}"}
            return {"name": student.name, "page_s": ready, "pulled_s": time.monotonic() - clicked}

        with ThreadPoolExecutor(size) as pool:
            starts = list(pool.map(start, students))
        spawned = hub_spawn_times(classroom)
        ok = [s for s in starts if "error" not in s]
        failed = [s for s in starts if "error" in s]
        log(f"  {size} students: {len(ok)} started, {len(failed)} failed")

        def work(student):
            notebook = student.read_notebook(lesson)
            kernel = student.start_kernel(lesson)
            began = time.monotonic()
            try:
                problems = run_notebook(kernel, notebook)
            finally:
                kernel.close()
            return {"run_s": time.monotonic() - began, "problems": problems}

        running = [s for s in students if s.name in {r["name"] for r in ok}]
        with ThreadPoolExecutor(max(1, len(running))) as pool:
            runs = list(pool.map(work, running))
        memory = [memory_of(classroom, s.name) for s in running]
        hub = psutil.Process(classroom.hub.pid)  # the hub, its proxy and the idle culler: not the students' servers
        hub_mb = sum(p.memory_full_info().pss for p in [hub] + hub.children()
                     if p.uids().real == hub.uids().real) / 2**20
        result = {
            "students": size, "default_timeouts": default_timeouts, "lesson": lesson,
            "started": len(ok), "failed": len(failed), "errors": [f["error"] for f in failed][:3],
            "spawn_s": sorted(spawned.get(s["name"], float("nan")) for s in ok),
            "page_s": sorted(s["page_s"] for s in ok), "pulled_s": sorted(s["pulled_s"] for s in ok),
            "run_s": sorted(r["run_s"] for r in runs), "run_problems": sum(len(r["problems"]) for r in runs),
            "pss_mb": [m["pss_mb"] for m in memory], "rss_mb": [m["rss_mb"] for m in memory],
            "hub_and_proxy_pss_mb": hub_mb,
            "load_start": load_start, "load_end": os.getloadavg(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        }
        return result
    finally:
        classroom.close()


def median(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def worst(values):
    values = [v for v in values if v == v]
    return max(values) if values else float("nan")


def write_table(results: dict) -> None:
    rows = sorted(results.values(), key=lambda r: (r["default_timeouts"], r["students"]))
    machine = (f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GB RAM, "
               f"{platform.system()} {platform.release()}, Python {platform.python_version()}")
    lines = [
        "# A class on one machine: measured",
        "",
        "Written by `python benchmarks/classroom.py` (what it does: its docstring). Each row is one class",
        "of N students starting at the same moment on the hub of `classroom/jupyterhub_config.py`, each",
        "student a system user with their own server, then running a lesson's student copy to the end.",
        "",
        f"Machine: {machine}. It was shared with other work while these ran: the load average (1 min) at the",
        "start and end of each run is in the last column; on an idle machine the times are shorter.",
        "",
        "| students | timeouts (http / start) | started | hub spawn time, median / worst | spawns over 30 s "
        "| click to course cloned, "
        "median / worst | lesson run-all, median / worst | memory per student, PSS median / worst (RSS median) "
        "| total memory (students + hub) | date, load |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        timeouts = "30 s / 60 s (JupyterHub's defaults)" if r["default_timeouts"] else "600 s / 600 s"
        total = sum(r["pss_mb"]) + r["hub_and_proxy_pss_mb"]
        started = f"{r['started']} of {r['students']}" + (f" ({r['failed']} failed)" if r["failed"] else "")
        lines.append(
            f"| {r['students']} | {timeouts} | {started} | {median(r['spawn_s']):.1f} s / {worst(r['spawn_s']):.1f} s "
            f"| {sum(1 for t in r['spawn_s'] if t > 30)} "
            f"| {median(r['pulled_s']):.1f} s / {worst(r['pulled_s']):.1f} s "
            f"| {median(r['run_s']):.1f} s / {worst(r['run_s']):.1f} s "
            f"| {median(r['pss_mb']):.0f} MB / {worst(r['pss_mb']):.0f} MB ({median(r['rss_mb']):.0f} MB) "
            f"| {total / 1024:.2f} GB | {r['date']}, {r['load_start'][0]:.1f} → {r['load_end'][0]:.1f} |")
    lessons = sorted({r["lesson"] for r in rows})
    lines += [
        "",
        f"Lesson run by every student: {', '.join(f'`{lesson}`' for lesson in lessons)}. Errors in the lesson runs: "
        f"{sum(r['run_problems'] for r in rows)}.",
        "",
        "- **hub spawn time**: from the hub's log (`took N seconds to start`), the span that",
        "  `Spawner.http_timeout` bounds: a start that takes longer fails with a timeout for that student.",
        "  **Spawns over 30 s** would have failed with JupyterHub's default `http_timeout` of 30 s.",
        "- **click to course cloned**: from following the nbgitpuller link to the end of the clone (what a",
        "  student waits for before the lesson opens).",
        "- **memory**: all processes running as the student (their JupyterLab server and the kernel that ran",
        "  the lesson). PSS splits shared pages (the Python interpreter, numpy, matplotlib) between the",
        "  processes sharing them, so it is what one more student costs; RSS counts them in full, so it is",
        "  what one student's server uses when alone (the figure to give a per-student memory limit).",
        "- **total**: PSS of every student plus the hub and its proxy.",
        "",
    ]
    for r in rows:
        if r["errors"]:
            lines.append(f"- {r['students']} students with {'default' if r['default_timeouts'] else 'long'} "
                         f"timeouts, first failures: " + "; ".join(f"`{e}`" for e in r["errors"]))
    RESULTS_MD.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[5, 10, 20])
    parser.add_argument("--lesson", default=DEFAULT_LESSON)
    parser.add_argument("--default-timeouts", action="store_true",
                        help="JupyterHub's default http_timeout 30 s and start_timeout 60 s instead of 600 s")
    args = parser.parse_args(argv)
    missing = missing_prerequisites()
    if missing:
        print("cannot run: " + "; ".join(missing), file=sys.stderr)
        return 1
    results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    for size in args.sizes:
        log(f"class of {size} (load average {os.getloadavg()[0]:.1f})")
        result = one_class(size, args.lesson, args.default_timeouts)
        results[f"{size}{'-default' if args.default_timeouts else ''}"] = result
        RESULTS_JSON.write_text(json.dumps(results, indent=1) + "\n")
        write_table(results)
        log(f"  spawn median {median(result['spawn_s']):.1f} s, worst {worst(result['spawn_s']):.1f} s; "
            f"PSS per student {median(result['pss_mb']):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

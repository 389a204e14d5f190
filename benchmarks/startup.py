"""What a learner waits for before the first cell runs: import times and the install size.

Each import is timed in a fresh interpreter (a module is imported only once per
process), from inside that interpreter so that Python's own start-up is not
counted. The install size comes from a new virtual environment built from
requirements.txt, kept between runs while requirements.txt and pyproject.toml
are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import pkgutil
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

VENV = Path("/tmp/three-good-students-bench-venv")
STAMP = ".requirements-sha256"

TIMED_IMPORT = "import time; start = time.perf_counter(); import {module}; print(time.perf_counter() - start)"


def import_seconds(module: str, repeats: int) -> float:
    """Median seconds to import ``module`` in a fresh interpreter."""
    code = TIMED_IMPORT.format(module=module)
    return statistics.median(
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _ in range(repeats)
    )


IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \|\s*(\S+)$", re.MULTILINE)


def heaviest_import(importtime_log: str, skip: set[str], skip_prefix: str) -> tuple[str, float] | None:
    """The import that took longest, from ``python -X importtime`` output, in seconds.

    Modules in ``skip`` (those Python loads at start-up) and those starting with
    ``skip_prefix`` (the package being measured) are left out, so the answer
    names the dependency that costs the most. A module's cumulative time
    includes what it imports, so this is the outermost heavy import.

    >>> log = ("import time: self [us] | cumulative | imported package\\n"
    ...        "import time:      1500 |      20000 | site\\n"
    ...        "import time:      2000 |     300000 |   matplotlib.pyplot\\n"
    ...        "import time:       500 |     310000 | helpers.plots\\n")
    >>> heaviest_import(log, skip={"site"}, skip_prefix="helpers")
    ('matplotlib.pyplot', 0.3)
    """
    best = None
    for cumulative, name in IMPORT_LINE.findall(importtime_log):
        if name not in skip and not name.startswith(skip_prefix) and (best is None or int(cumulative) > best[1]):
            best = (name, int(cumulative))
    return None if best is None else (best[0], best[1] / 1e6)


def importtime_log(code: str) -> str:
    return subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                          check=True, capture_output=True, text=True).stderr


def startup_modules() -> set[str]:
    """The modules Python imports before running any code."""
    return {name for _, name in IMPORT_LINE.findall(importtime_log("pass"))}


def submodules(package: str) -> list[str]:
    """The public submodules of ``package``, found on disk so new ones are measured too."""
    path = Path(__import__(package).__file__).parent
    return [f"{package}.{info.name}" for info in pkgutil.iter_modules([str(path)]) if not info.name.startswith("_")]


def import_times(package: str = "helpers", repeats: int = 7, sub_repeats: int = 3) -> dict:
    """``import package`` and each of its submodules: median seconds and the heaviest dependency."""
    at_startup = startup_modules()
    rows = {}
    for module in [package, *submodules(package)]:
        seconds = import_seconds(module, repeats if module == package else sub_repeats)
        rows[module] = (seconds, heaviest_import(importtime_log(f"import {module}"), at_startup, package))
    return {"repeats": repeats, "sub_repeats": sub_repeats, "modules": rows}


def requirements_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", "pyproject.toml"):
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def build_venv(root: Path, fresh: bool, log=print) -> float | None:
    """Make the benchmark venv unless an up-to-date one exists; the install's seconds if built now."""
    wanted = requirements_hash(root)
    stamp = VENV / STAMP
    if not fresh and stamp.exists() and stamp.read_text() == wanted:
        log(f"  reusing {VENV} (requirements unchanged; --fresh-venv rebuilds it)")
        return None
    shutil.rmtree(VENV, ignore_errors=True)
    log(f"  building {VENV} from requirements.txt ...")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    # requirements.txt holds "-e .", which pip resolves against the working directory
    install = subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet",
                              "--disable-pip-version-check", "-r", "requirements.txt"],
                             cwd=root, capture_output=True, text=True)
    if install.returncode:
        raise RuntimeError(f"pip install -r requirements.txt failed in {VENV}:\n{install.stderr[-2000:]}")
    seconds = time.perf_counter() - start
    stamp.write_text(wanted)
    return seconds


def tree_mb(path: Path) -> float:
    """Total size of the files under ``path`` in MB (10^6 bytes), symbolic links not followed."""
    total = 0
    for folder, _, files in os.walk(path):
        total += sum(os.lstat(os.path.join(folder, name)).st_size for name in files)
    return total / 1e6


def largest_packages(site_packages: Path, top: int = 4) -> list[tuple[str, float]]:
    sizes = [(entry.name, tree_mb(entry)) for entry in site_packages.iterdir()
             if entry.is_dir() and not entry.name.endswith((".dist-info", "__pycache__"))]
    return sorted(sizes, key=lambda item: item[1], reverse=True)[:top]


def install_size(root: Path, fresh: bool, log=print) -> dict:
    install_seconds = build_venv(root, fresh, log)
    site_packages = next((VENV / "lib").glob("python*/site-packages"))
    return {"venv": str(VENV), "size_mb": tree_mb(VENV), "install_seconds": install_seconds,
            "largest": largest_packages(site_packages)}

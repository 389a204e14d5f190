"""The machine a benchmark ran on, so that numbers from different runs can be compared."""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

PACKAGES = ("numpy", "matplotlib", "ipywidgets", "ipykernel", "torch")
BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def blas() -> str:
    """numpy's BLAS: what threadpoolctl sees at run time if installed, else numpy's build configuration."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{config['name']} {config.get('version', '')} (numpy build configuration; threadpoolctl not installed)"
    pools = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    return "; ".join(f"{pool['internal_api']} {pool['version']}, {pool['num_threads']} threads, "
                     f"kernel {pool.get('architecture')}" for pool in pools)


def versions() -> dict[str, str]:
    found = {"Python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def describe() -> dict[str, str]:
    """Everything worth knowing about this machine for reading the results."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    settings = [f"{name}={os.environ[name]}" for name in BLAS_VARIABLES if name in os.environ]
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu_model(),
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} usable)",
        "RAM": f"{ram_gb():.1f} GB",
        "system": f"{platform.system()} {platform.release()}",
        **versions(),
        "BLAS": blas(),
        "BLAS settings in the environment": ", ".join(settings) or "none",
        "load average at start (1 min)": f"{load:.2f}",
    }

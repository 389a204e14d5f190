"""What tests/test_browser.py needs besides the test itself (its page scripts are in
tests/browser_scripts.py).

- :class:`JupyterLab`: a private JupyterLab server (127.0.0.1, free port, random token,
  no news or update checks) serving a temporary copy of the working tree, stopped by its
  process id even when a test fails.
- Whether the browser test can run here, and Chromium's command line.
- :data:`LATENCIES`: slider-to-figure times per notebook, printed by tests/conftest.py
  at the end of the run and written to test-artifacts/browser/latency.json.

Playwright is imported only by the test, so this module imports without it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ARTIFACTS = REPO / "test-artifacts" / "browser"
LATENCY_TARGET_MS = 250.0

# Headless Chromium in a container: no sandbox (often run as root), no GPU, and nothing
# that phones home, because CI machines may have no network besides the package mirrors.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # /dev/shm is 64 MB in Docker; Chromium crashes on big pages
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# JupyterLab's user settings for the test server: no news or update toasts (they would
# fetch from the internet and can cover the notebook in screenshots).
LAB_SETTINGS_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}

# Working-tree entries not copied for the server: version control, caches, build output.
_NOT_COPIED = shutil.ignore_patterns(".git", ".venv", ".venv-binder", "venv", "test-artifacts", "__pycache__", ".pytest_cache",
                                     ".hypothesis", ".benchmarks", "*.egg-info", "build", "node_modules",
                                     ".ipynb_checkpoints")

LATENCIES: dict[str, list[float]] = {}
"""Notebook stem -> milliseconds from key press to redrawn figure, one entry per slider move."""

PHASE_SECONDS: dict[str, dict[str, float]] = {}
"""Notebook stem -> wall-clock seconds of each phase of its test (open, run all, sliders...)."""


def chromium_executable() -> str | None:
    """The system Chromium (Debian's package ``chromium``), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_browser_reason() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if chromium_executable() is None:
        return "Chromium is not installed (Debian/Ubuntu: apt-get install chromium)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class JupyterLab:
    """A JupyterLab server of the installed environment, private to one test session.

    ``workdir`` receives everything the server writes: a copy of the working tree
    (notebooks are opened there, so Run All and autosave never touch the committed
    ones), Jupyter's config/data/runtime folders, lab settings and workspaces, the
    lecture-mode settings file and the server log.
    """

    def __init__(self, workdir: Path, log_path: Path):
        self.workdir = workdir
        self.log_path = log_path
        self.root = workdir / "course"
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> None:
        shutil.copytree(REPO, self.root, ignore=_NOT_COPIED)
        app_settings = self.workdir / "lab-app-settings"
        app_settings.mkdir()
        (app_settings / "overrides.json").write_text(json.dumps(LAB_SETTINGS_OVERRIDES), encoding="utf-8")
        env = dict(os.environ,
                   JUPYTER_CONFIG_DIR=str(self.workdir / "jupyter-config"),  # no user server config
                   JUPYTER_DATA_DIR=str(self.workdir / "jupyter-data"),  # no user kernelspecs; no writes to ~
                   JUPYTER_RUNTIME_DIR=str(self.workdir / "jupyter-runtime"),
                   THREE_GOOD_STUDENTS_SETTINGS=str(self.workdir / "three-good-students-settings.json"))
        # A backend chosen for the test process (MPLBACKEND=Agg) would stop kernels from
        # drawing inline figures; ipykernel picks the inline backend when this is unset.
        env.pop("MPLBACKEND", None)
        command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            f"--LabApp.app_settings_dir={app_settings}",
            f"--LabApp.user_settings_dir={self.workdir / 'lab-user-settings'}",
            f"--LabApp.workspaces_dir={self.workdir / 'lab-workspaces'}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # window.jupyterapp gives the test JupyterLab's own commands and notebook model
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # CI containers run as root
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            # In pytest's process group, so a Ctrl-C or a CI timeout that ends the tests
            # ends the server too (answer_yes: no "Shut down this server?" prompt).
            self.process = subprocess.Popen([*command, "--ServerApp.answer_yes=True"], env=env, cwd=self.workdir,
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode} while starting; "
                                   f"log: {self.log_path}\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s; "
                                       f"log: {self.log_path}\n{self.log_tail()}") from None
                time.sleep(0.25)

    def stop(self) -> None:
        """Stop the server by its PID: SIGTERM (it shuts its kernels down), SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(self.base_url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_sessions(self) -> None:
        """Shut down every kernel the notebooks started, so the next one has the CPU."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def latency_summary() -> dict[str, dict]:
    """Median, max and all samples (ms) per notebook tested, for the terminal and latency.json.

    >>> LATENCIES["demo"] = [120.0, 300.0, 180.0]
    >>> latency_summary()["demo"]["median_ms"], latency_summary()["demo"]["max_ms"]
    (180.0, 300.0)
    >>> del LATENCIES["demo"]
    """
    summary = {}
    for name, samples in sorted(LATENCIES.items()):
        summary[name] = {"moves": len(samples), "samples_ms": [round(s, 1) for s in samples]}
        if samples:
            summary[name].update(median_ms=round(statistics.median(samples), 1), max_ms=round(max(samples), 1))
    return summary


def write_latency_json(path: Path, chromium_version: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "what": "time from a key press on a slider handle to the redrawn figure painted, "
                "headless Chromium + JupyterLab, per notebook",
        "unit": "ms",
        "target_ms": LATENCY_TARGET_MS,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "chromium": chromium_version,
        "cpus": os.cpu_count(),
        "notebooks": latency_summary(),
        "phase_seconds": PHASE_SECONDS,
    }
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")

"""What tests/test_browser.py needs besides the test itself.

- :class:`JupyterLab`: a private JupyterLab server (127.0.0.1, free port, random token,
  no news or update checks) serving a temporary copy of the working tree, stopped by its
  process id even when a test fails.
- The JavaScript that inspects a notebook the way a learner would see it: error boxes,
  widget placeholders, sliders and the figures they redraw.
- :data:`LATENCIES`: slider-to-figure times per notebook, printed by tests/conftest.py
  at the end of the run and written to test-artifacts/browser/latency.json.

Playwright is imported only by the test, so this module imports without it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
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
_NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "venv", "test-artifacts", "__pycache__", ".pytest_cache",
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
            # A session of its own, so that stop() can also end kernels the server leaves behind.
            self.process = subprocess.Popen(command, env=env, cwd=self.workdir, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
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
        """Stop the server by its PID; kill its process group if it does not go quietly."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: the server shuts its kernels down and exits
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the server, if still there, and orphaned kernels
        except ProcessLookupError:
            pass
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
    """Median, max and all samples (ms) per notebook, for the terminal and latency.json."""
    return {
        name: {"moves": len(samples), "median_ms": round(statistics.median(samples), 1),
               "max_ms": round(max(samples), 1), "samples_ms": [round(s, 1) for s in samples]}
        for name, samples in sorted(LATENCIES.items()) if samples
    }


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


# --- JavaScript run in the page --------------------------------------------------------

LAB_STARTED = """
async () => {
    if (!window.jupyterapp) return false;
    await window.jupyterapp.restored;
    return true;
}
"""

OPEN_NOTEBOOK = """
(path) => {
    window.__panel = null;
    window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'})
        .then(panel => { window.__panel = panel; });
}
"""

OPENED_NOTEBOOK = "() => window.__panel !== null"

# The kernel is shut down first, so closing asks nothing (a running notebook would).
CLOSE_NOTEBOOK = """
async () => {
    const panel = window.__panel;
    if (!panel) return;
    await panel.sessionContext.shutdown();
    panel.dispose();
    window.__panel = null;
}
"""

KERNEL_READY = """
async () => {
    const panel = window.__panel;
    await panel.context.ready;
    await panel.sessionContext.ready;
    return panel.sessionContext.session.kernel.name;
}
"""

KERNEL_IDLE = """
() => {
    const kernel = window.__panel.sessionContext.session?.kernel;
    return kernel?.status === 'idle';
}
"""

# The same command as Run > Run All Cells; resolves when every cell has replied.
RUN_ALL = "() => window.jupyterapp.commands.execute('notebook:run-all-cells')"

WIDGETS_SETTLED = """
() => !document.querySelector('.jp-NotebookPanel')?.innerText.includes('Loading widget')
"""

# Everything a learner would call broken, cell by cell.
INSPECT = """
() => {
    const panel = window.__panel;
    const placeholders = ['Loading widget', 'Error displaying widget'];
    const problems = [];
    const firstLine = (cell) => cell.model.sharedModel.getSource().split('\\n')[0].slice(0, 60);
    let widgetViews = 0;
    panel.content.widgets.forEach((cell, index) => {
        const where = `cell ${index} (${firstLine(cell)})`;
        if (cell.model.type !== 'code') return;
        if (cell.model.executionCount === null) problems.push(`${where} was not run`);
        const outputs = cell.model.outputs.toJSON();
        const nodes = cell.node.querySelectorAll(
            ':scope .jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output');
        if (nodes.length !== outputs.length)
            problems.push(`${where}: ${outputs.length} outputs in the notebook, ${nodes.length} on the page`);
        outputs.forEach((output, k) => {
            if (output.output_type === 'error')
                problems.push(`${where} raised ${output.ename}: ${output.evalue}`);
            const view = output.data && output.data['application/vnd.jupyter.widget-view+json'];
            if (!view || view.model_id === '' || !nodes[k]) return;
            widgetViews += 1;
            const rendered = nodes[k].querySelector('.jupyter-widgets');
            const text = nodes[k].innerText;
            if (!rendered || rendered.getBoundingClientRect().height === 0
                || placeholders.some(p => text.startsWith(p)))
                problems.push(`${where}: widget view ${k} not rendered: ${JSON.stringify(text.slice(0, 120))}`);
        });
        // Red boxes a learner sees, including those inside widget Output areas
        // (interactive_figure shows a failing callback there).
        cell.node.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach(node => {
            problems.push(`${where} shows stderr: ${JSON.stringify(node.innerText.slice(-300))}`);
        });
        placeholders.forEach(p => {
            if (cell.node.innerText.includes(p)) problems.push(`${where} shows "${p}"`);
        });
    });
    return {problems, widgetViews};
}
"""

# Marks every slider handle with data-browser-test-slider=<n> and describes it.
FIND_SLIDERS = """
() => {
    const panel = window.__panel;
    const sliders = [];
    panel.content.widgets.forEach((cell, index) => {
        cell.node.querySelectorAll('.widget-slider .noUi-handle').forEach(handle => {
            const slider = handle.closest('.widget-slider');
            handle.setAttribute('data-browser-test-slider', sliders.length);
            sliders.push({
                cell: index,
                label: slider.querySelector('.widget-label')?.innerText.trim() || `slider ${sliders.length}`,
                atMax: handle.getAttribute('aria-valuenow') === handle.getAttribute('aria-valuemax'),
            });
        });
    });
    return sliders;
}
"""

# Before a key press on slider n: remember its readout and the images of its cell, and
# time from the keydown to the first frame painted after a changed image has decoded.
ARM_SLIDER_PROBE = """
(n) => {
    const handle = document.querySelector(`[data-browser-test-slider="${n}"]`);
    const slider = handle.closest('.widget-slider');
    const cell = handle.closest('.jp-Cell');
    const area = cell.querySelector('.jp-Cell-outputArea');
    const images = () => [...area.querySelectorAll('img')];
    const before = images().map(img => img.src);
    const probe = {
        readoutBefore: slider.querySelector('.widget-readout')?.innerText.trim(),
        imagesBefore: before.length, imagesInNotebook: document.querySelectorAll('.jp-Notebook img').length,
        pressedAt: null, latency: null,
    };
    handle.addEventListener('keydown', () => { probe.pressedAt = performance.now(); },
                            {capture: true, once: true});
    let seen = false;
    const observer = new MutationObserver(() => {
        if (seen || probe.pressedAt === null) return;
        const changed = images().find((img, k) => img.src !== before[k]);
        if (!changed) return;
        seen = true;
        observer.disconnect();
        changed.decode().catch(() => {}).then(() => requestAnimationFrame(() => {
            probe.latency = performance.now() - probe.pressedAt;
        }));
    });
    observer.observe(area, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    window.__sliderProbe = probe;
}
"""

FIGURE_REDRAWN = "() => window.__sliderProbe.latency !== null"

SLIDER_RESULT = """
(n) => {
    const handle = document.querySelector(`[data-browser-test-slider="${n}"]`);
    const cell = handle.closest('.jp-Cell');
    return Object.assign({}, window.__sliderProbe, {
        readoutAfter: handle.closest('.widget-slider').querySelector('.widget-readout')?.innerText.trim(),
        imagesAfter: cell.querySelectorAll('.jp-Cell-outputArea img').length,
        imagesInNotebookAfter: document.querySelectorAll('.jp-Notebook img').length,
        stderr: [...cell.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
            .map(node => node.innerText.slice(-400)),
    });
}
"""

# How much taller than the viewport the notebook is, so a screenshot can show all of it.
NOTEBOOK_OVERFLOW = """
() => {
    const root = window.__panel.content.node;
    const scroller = [root, ...root.querySelectorAll('*')]
        .find(node => node.scrollHeight > node.clientHeight + 1
              && ['auto', 'scroll'].includes(getComputedStyle(node).overflowY));
    window.__notebookScroller = scroller || null;
    return scroller ? scroller.scrollHeight - scroller.clientHeight : 0;
}
"""

# After the window has grown: back to the first cell, then two frames for layout and paint.
SCROLLED_TO_TOP = """
() => new Promise(done => {
    if (window.__notebookScroller) window.__notebookScroller.scrollTop = 0;
    requestAnimationFrame(() => requestAnimationFrame(done));
})
"""

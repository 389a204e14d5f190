"""Every lesson opened, run and clicked in a real browser: JupyterLab in headless Chromium.

nbval runs the cells in a kernel and never sees the page. A widget stuck on "Loading
widget...", a JavaScript error, or a slider whose figure no longer moves all pass nbval;
they fail here. For each notebook in notebooks/ (new lessons are picked up by themselves)
the test opens it in a private JupyterLab server, runs all cells, checks what is on the
page, then moves every slider one step with the keyboard and checks that its readout and
its figure change, timing the redraw. Screenshots go to test-artifacts/browser/.

Needs Playwright for Python and the system Chromium; skipped without them unless
REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time

import nbformat
import pytest

from browser_support import (ARTIFACTS, CHROMIUM_ARGS, LATENCIES, NOTEBOOKS, PHASE_SECONDS, JupyterLab,
                             chromium_executable, missing_browser_reason, write_latency_json)
import browser_scripts as js

VIEWPORT = {"width": 1280, "height": 1000}
TALLEST_SCREENSHOT = 16_000  # px: an image a viewer still opens; a longer notebook is cut at the bottom
OPEN_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 120_000  # lessons promise < 20 s each; a hung cell must not hang the suite
REDRAW_TIMEOUT_MS = 15_000
MISSING_OUTPUT = re.compile(r": \d+ outputs in the notebook, \d+ on the page$")  # js.INSPECT's wording


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    reason = missing_browser_reason()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but the browser test cannot run: {reason}")
        pytest.skip(f"browser test skipped: {reason}; set REQUIRE_BROWSER=1 to make this a failure")
    # Matplotlib builds its font cache on first use and says so on stderr; build it here,
    # so no kernel prints that into a lesson (a stderr box fails the test).
    import matplotlib.font_manager  # noqa: F401

    server = JupyterLab(tmp_path_factory.mktemp("jupyterlab"), ARTIFACTS / "jupyterlab.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab_tab(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            yield LabTab(browser.new_context(viewport=VIEWPORT), lab)
        finally:
            write_latency_json(ARTIFACTS / "latency.json", browser.version)
            browser.close()


def test_the_checks_can_fail(lab, lab_tab):
    """A notebook made to fail on purpose: the checks must see each fault and nothing else.

    Without this, a change in JupyterLab's or ipywidgets' page structure could make the
    lesson tests pass by finding no sliders or no placeholders at all.
    """
    folder = lab.root / "browser-selftest"
    folder.mkdir()
    nbformat.write(broken_on_purpose(), folder / "broken_on_purpose.ipynb")
    shots = fresh_folder(ARTIFACTS / "selftest")
    with lab_tab.closing_notebook():
        page = lab_tab.open("browser-selftest/broken_on_purpose.ipynb")
        problems = run_all(page)
        assert all(p.startswith(("cell 3", "cell 4")) for p in problems), problems
        assert any("Error displaying widget" in p for p in problems), problems
        assert any(p.startswith("cell 3") and "shows stderr" in p for p in problems), problems
        assert any(p.startswith("cell 4") and "raised ZeroDivisionError" in p for p in problems), problems
        assert any("model not found" in e for e in lab_tab.errors), lab_tab.errors
        problems, latencies = move_every_slider(page, shots)
        # Both figures redraw: the broken one shows its "could not draw" message over the last
        # drawing (helpers.widgets), and its traceback stays under the slider, which is the fault seen.
        assert len(latencies) == 2, latencies
        assert problems and all("'broken'" in p for p in problems), problems
        assert any("the cell shows" in p and "broken on purpose" in p for p in problems), problems
        lab_tab.errors.clear()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_lesson_in_browser(notebook, lab_tab):
    shots = fresh_folder(ARTIFACTS / notebook.stem)
    clock = Stopwatch(PHASE_SECONDS.setdefault(notebook.stem, {}))
    with lab_tab.closing_notebook():
        with clock("open"):
            page = lab_tab.open(f"notebooks/{notebook.name}")
        with clock("run_all"):
            problems = run_all(page)
            if problems and all(MISSING_OUTPUT.search(p) for p in problems):
                # Seen now and then on a busy machine: the kernel sent an output that JupyterLab never drew,
                # in a different cell each time. Run All once more; an output that is really broken stays missing.
                problems = run_all(page)
        with clock("screenshot"):
            screenshot_whole_notebook(page, shots / "after-run-all.png")
        assert not problems + lab_tab.errors, report(notebook, "after Run All", problems + lab_tab.errors)
        with clock("sliders"):
            problems, latencies = move_every_slider(page, shots)
        LATENCIES[notebook.stem] = latencies
        assert not problems + lab_tab.errors, report(notebook, "moving sliders", problems + lab_tab.errors)
    assert not lab_tab.errors, report(notebook, "closing it", lab_tab.errors)


def fresh_folder(path):
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def broken_on_purpose():
    """A working slider, a slider whose callback raises, a view of a widget that does not
    exist, text on stderr, and an exception."""
    cells = [
        "import numpy as np\nimport matplotlib.pyplot as plt\nimport ipywidgets as widgets\n"
        "from IPython.display import display\nfrom helpers.widgets import interactive_figure\n"
        "x = np.linspace(0, 1, 20)",
        "fig, ax = plt.subplots(figsize=(3, 2))\nline, = ax.plot(x, x)\n"
        "def tilt(slope):\n    line.set_ydata(slope * x)\n"
        "panel = interactive_figure(fig, tilt, {'slope': widgets.FloatSlider(1.0, min=0, max=2, description='works')})",
        "fig2, ax2 = plt.subplots(figsize=(3, 2))\nline2, = ax2.plot(x, x)\n"
        "def broken(slope):\n    if slope != 1.0:\n        raise RuntimeError('broken on purpose')\n"
        "panel2 = interactive_figure(fig2, broken, {'slope': widgets.FloatSlider(1.0, min=0, max=2, description='broken')})",
        "display({'application/vnd.jupyter.widget-view+json': {'model_id': '0' * 32, 'version_major': 2, "
        "'version_minor': 0}}, raw=True)\nimport sys\nprint('a warning', file=sys.stderr)",
        "1 / 0",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def report(notebook, when: str, problems: list[str]) -> str:
    return f"{notebook.name}, {when}:\n  " + "\n  ".join(problems)


class LabTab:
    """One JupyterLab tab in which the notebooks are opened one after another, as a learner would.

    JupyterLab starts once rather than once per notebook (seconds each on 2 cores). After a
    failure the tab is thrown away and the next notebook gets a freshly loaded one, so one
    broken lesson cannot spoil the others. ``errors`` holds what the browser reported since
    the current notebook was opened.
    """

    def __init__(self, context, lab: JupyterLab):
        self.context = context
        self.lab = lab
        self.page = None
        self.errors: list[str] = []
        self.tabs_opened = 0

    def open(self, path: str):
        """Open the notebook at ``path`` (relative to the server's root) and wait for its kernel."""
        if self.page is None:
            self.page = self.context.new_page()
            self.errors = watch_console(self.page, self.lab.base_url)
            # A new workspace per tab: nothing an earlier (failed) tab left open is reopened.
            self.tabs_opened += 1
            self.page.goto(f"{self.lab.base_url}/lab/workspaces/browser-test-{self.tabs_opened}"
                           f"?token={self.lab.token}")
            self.page.wait_for_function(js.LAB_LOADED, timeout=OPEN_TIMEOUT_MS)
            self.page.evaluate(js.LAB_RESTORED)
            self.page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # the file browser only takes room
        self.errors.clear()
        self.page.evaluate(js.OPEN_NOTEBOOK, path)
        self.page.wait_for_function(js.OPENED_NOTEBOOK, timeout=OPEN_TIMEOUT_MS)
        assert self.page.evaluate(js.KERNEL_READY), f"{path}: no kernel started"
        self.page.wait_for_function(js.KERNEL_IDLE, timeout=OPEN_TIMEOUT_MS)
        return self.page

    @contextlib.contextmanager
    def closing_notebook(self):
        """Close the notebook and shut its kernel down afterwards; after a failure, close the tab too."""
        try:
            yield
        except BaseException:
            if self.page is not None:
                self.page.close()
                self.page = None
            raise
        finally:
            if self.page is not None:
                self.page.evaluate(js.CLOSE_NOTEBOOK)
            self.lab.shutdown_sessions()


class Stopwatch:
    """``with clock("phase"):`` adds the phase's wall-clock seconds to ``record``."""

    def __init__(self, record: dict[str, float]):
        self.record = record

    @contextlib.contextmanager
    def __call__(self, phase: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.record[phase] = round(time.perf_counter() - start, 2)


def watch_console(page, base_url: str) -> list[str]:
    """Console errors, uncaught exceptions and requests that leave the test server, as they happen."""
    errors: list[str] = []
    external: list[str] = []

    def on_request(route):
        # The test must not depend on the internet (CI has none), so nothing leaves the
        # machine. Only images may be external: the Binder badge in each lesson's first cell.
        request = route.request
        external.append(request.url)
        if request.resource_type != "image":
            errors.append(f"the page needs the internet: {request.resource_type} {request.url}")
        route.abort()

    def on_console(message):
        if message.type != "error":
            return
        # An external image that was not fetched (see on_request): a question of the network, not the lesson.
        if message.text.startswith("Failed to load resource") and message.location.get("url") in external:
            return
        errors.append(f"console.error: {message.text[:500]}")

    page.route(lambda url: not url.startswith(base_url + "/"), on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"[:500]))
    return errors


def run_all(page) -> list[str]:
    """Run > Run All Cells, wait for the kernel and the widgets; what looks broken."""
    page.evaluate(js.RUN_ALL)
    page.wait_for_function(js.RAN_ALL, timeout=RUN_ALL_TIMEOUT_MS, polling=100)
    page.wait_for_function(js.KERNEL_IDLE, timeout=RUN_ALL_TIMEOUT_MS, polling=100)
    wait_quietly(page, js.OUTPUTS_RENDERED, timeout=30_000)  # INSPECT reports outputs still missing
    wait_quietly(page, js.WIDGETS_SETTLED, timeout=20_000)  # INSPECT reports placeholders still shown
    return page.evaluate(js.INSPECT)


def move_every_slider(page, shots) -> tuple[list[str], list[float]]:
    """Press an arrow key on each slider handle; its readout and its cell's figure must change.

    Returns the problems seen and the slider-to-figure latencies (ms) of the moves that redrew.
    """
    problems, latencies = [], []
    for n, slider in enumerate(page.evaluate(js.FIND_SLIDERS)):
        where = f"slider {slider['label']!r} in cell {slider['cell']}"
        handle = page.locator(f'[data-browser-test-slider="{n}"]')
        handle.scroll_into_view_if_needed()
        page.evaluate(js.ARM_SLIDER_PROBE, n)
        handle.press("ArrowLeft" if slider["atMax"] else "ArrowRight")
        wait_quietly(page, js.REDRAWN_OR_FAILED, timeout=REDRAW_TIMEOUT_MS)  # no redraw: reported below
        page.wait_for_function(js.KERNEL_IDLE, timeout=REDRAW_TIMEOUT_MS, polling=50)
        result = page.evaluate(js.SLIDER_RESULT, n)
        output_area = handle.locator("xpath=ancestor::div[contains(@class, 'jp-Cell-outputArea')][1]")
        label = re.sub(r"[^a-z0-9]+", "-", slider["label"].lower()).strip("-")
        output_area.screenshot(path=shots / f"slider-{n:02d}-cell{slider['cell']:02d}-{label}.png")

        if result["latency"] is None:
            problems.append(f"{where}: its figure did not change"
                            + (f"; the cell shows {result['stderr']}" if result["stderr"]
                               else f" within {REDRAW_TIMEOUT_MS / 1000:.0f} s"))
        else:
            latencies.append(result["latency"])
        if result["imagesBefore"] == 0:
            problems.append(f"{where}: no figure in its cell to redraw")
        if result["readoutBefore"] is not None and result["readoutAfter"] == result["readoutBefore"]:
            problems.append(f"{where}: readout stayed at {result['readoutBefore']!r}")
        if (result["imagesAfter"], result["imagesInNotebookAfter"]) != (result["imagesBefore"],
                                                                      result["imagesInNotebook"]):
            problems.append(f"{where}: a move added or removed a figure "
                            f"({result['imagesInNotebook']} -> {result['imagesInNotebookAfter']} in the notebook)")
        if result["stderr"] and result["latency"] is not None:
            problems.append(f"{where}: the cell shows {result['stderr']}")
    return problems, latencies


def wait_quietly(page, condition: str, timeout: float) -> bool:
    """Wait for a JavaScript condition; False instead of an exception when it never holds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(condition, timeout=timeout, polling=100)
        return True
    except PlaywrightTimeout:
        return False


def screenshot_whole_notebook(page, path) -> None:
    """One image of the whole notebook: make the window as tall as the notebook for a moment."""
    overflow = page.evaluate(js.NOTEBOOK_OVERFLOW)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(VIEWPORT["height"] + overflow,
                                                                       TALLEST_SCREENSHOT)})
    try:
        page.evaluate(js.SCROLLED_TO_TOP)
        page.screenshot(path=path)
    finally:
        page.set_viewport_size(VIEWPORT)

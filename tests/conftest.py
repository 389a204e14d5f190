"""Shared by every test module: figures closed after each test, and the browser test's report."""

import matplotlib.pyplot as plt
import pytest
from browser_support import LATENCY_TARGET_MS, latency_summary


@pytest.fixture(autouse=True)
def close_figures():
    """A test that draws leaves no figure open for the next one."""
    yield
    plt.close("all")


def pytest_terminal_summary(terminalreporter):
    """The median slider-to-figure latency per notebook, at the end of every run that measured one."""
    summary = latency_summary()
    if not summary:
        return
    terminalreporter.write_sep("-", "slider-to-figure latency in headless Chromium (key press to new pixels)")
    for name, row in summary.items():
        if not row["moves"]:
            terminalreporter.write_line(f"{name:<34} no sliders")
            continue
        flag = "" if row["median_ms"] <= LATENCY_TARGET_MS else f"  (over the {LATENCY_TARGET_MS:.0f} ms target)"
        terminalreporter.write_line(f"{name:<34} median {row['median_ms']:6.0f} ms   max {row['max_ms']:6.0f} ms"
                                    f"   {row['moves']:2d} slider moves{flag}")
    terminalreporter.write_line("written to test-artifacts/browser/latency.json")

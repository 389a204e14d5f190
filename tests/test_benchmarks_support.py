"""The pure helpers of benchmarks/ (issue 9): how sliders are walked, how results are read and tabled.

benchmarks/ is a folder of scripts, not a package, so its modules are loaded from their files.
Nothing here times anything: benchmarks are measurements, not tests.
"""

import doctest
import importlib.util
import io
import math
import sys
from pathlib import Path

import ipywidgets as widgets
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name):
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


probe, report, startup = load("kernel_probe"), load("report"), load("startup")


@pytest.mark.parametrize("module", [probe, report, startup], ids=lambda m: m.__name__)
def test_doctests_of_the_benchmark_modules(module):
    outcome = doctest.testmod(module)
    assert outcome.attempted > 0 and outcome.failed == 0


def test_ping_pong_walks_up_and_down_and_every_move_changes_the_value():
    assert probe.ping_pong([1, 2, 3, 4], 9) == [1, 2, 3, 4, 3, 2, 1, 2, 3]
    walk = probe.ping_pong(["a", "b"], 5, current="a")
    assert walk == ["b", "a", "b", "a", "b"]
    assert all(before != after for before, after in zip(["a"] + walk, walk))
    with pytest.raises(ValueError, match="two levels"):
        probe.ping_pong([5], 3)


def test_levels_span_each_kind_of_control():
    # integer slider 60..100 with 50 wanted levels: every whole number, 41 of them
    assert probe.levels_of(widgets.IntSlider(value=90, min=60, max=100), 50) == list(range(60, 101))
    # 0..100 with 11 levels: steps of 10
    assert probe.levels_of(widgets.IntSlider(min=0, max=100), 11) == list(range(0, 101, 10))
    # log slider from 1e-5 to 1e-1 in 5 levels: one per decade
    levels = probe.levels_of(widgets.FloatLogSlider(value=1e-3, min=-5, max=-1), 5)
    assert levels == pytest.approx([1e-5, 1e-4, 1e-3, 1e-2, 1e-1])
    assert probe.levels_of(widgets.FloatSlider(min=0.0, max=1.0), 3) == [0.0, 0.5, 1.0]
    assert probe.levels_of(widgets.Dropdown(options=[("relu", 1), ("tanh", 2)]), 50) == [1, 2]
    assert probe.levels_of(widgets.Checkbox(value=True), 50) == [False, True]
    assert probe.levels_of(widgets.Text(), 50) is None


class Figure:
    def savefig(self, buffer, format):
        buffer.write(b"png")


class Panel:
    """Stands in for an InteractiveFigure: counts redraws, failing on negative values like a broken callback."""

    def __init__(self):
        self.redraws, self.figure = 0, Figure()

    def render(self):
        self.figure.savefig(io.BytesIO(), format="png")

    def set(self, **values):
        if min(values.values()) >= 0:
            self.redraws += 1


def test_find_figures_looks_by_name_and_one_level_into_containers():
    a, b, c = Panel(), Panel(), Panel()
    namespace = {"a": a, "same_again": a, "_hidden": Panel(), "Out": {1: Panel()},
                 "panels": [b], "by_name": {"c": c}, "deep": [[Panel()]], "x": 3}
    found = probe.find_figures(namespace, Panel)
    assert found == {"a": a, "panels[0]": b, "by_name['c']": c}


def test_time_moves_pairs_each_move_with_a_rendering_and_counts_moves_that_did_not_redraw():
    totals, renders, failed = probe.time_moves(Panel(), "value", [1, -1, 2, -2, 3])
    assert len(totals) == len(renders) == 5 and failed == 2


def test_percentiles_interpolate_between_samples():
    # 0, 1, ..., 100: the p-th percentile is p itself
    assert report.percentiles_ms(list(range(101))) == (50.0, 95.0)
    # four samples: the median lies halfway between the middle two
    assert report.percentiles_ms([10, 20, 30, 40])[0] == 25.0


def test_results_section_is_replaced_and_the_rest_kept():
    readme = f"# Title\n\nintro\n\n{report.START}\nold table\n{report.END}\n\nfooter\n"
    once = report.replace_results(readme, "new table")
    assert once == f"# Title\n\nintro\n\n{report.START}\nnew table\n{report.END}\n\nfooter\n"
    assert report.replace_results(once, "new table") == once
    appended = report.replace_results("# Title\n", "table")
    assert appended == f"# Title\n\n{report.START}\ntable\n{report.END}\n"


def test_a_missed_target_shows_its_value_and_reason_and_a_met_one_does_not():
    missed = report.Target("run-all 06", "< 20 s", "31.0 s", False, "slowest code cell 4")
    assert missed.cells() == ["run-all 06", "< 20 s", "31.0 s", "✗ missed", "31.0 s: slowest code cell 4"]
    assert report.Target("run-all 01", "< 20 s", "2.0 s", True, "slowest code cell 1").cells()[3:] == ["✓", ""]
    assert report.Target("browser", "< 250 ms", report.NOT_MEASURED, None).cells()[3:] == ["–", ""]


class Run:
    def __init__(self, name, seconds, error=None):
        self.name, self.run_all_s, self.error = name, seconds, error

    def slowest_cell(self):
        return "code cell 2 (9.0 s)"


def test_lesson_targets_flag_slow_lessons_and_the_course_total():
    rows = report.lesson_targets([Run("00_a.ipynb", 5.0), Run("01_b.ipynb", 25.0), Run("02_c.ipynb", 1.0)])
    assert [row.met for row in rows] == [True, False, True, True]
    assert rows[1].reason == "slowest code cell 2 (9.0 s)"
    assert rows[3].measured == "31.0 s" and rows[3].reason.startswith("slowest lessons: 01_b.ipynb 25.0 s")
    assert [row.met for row in report.lesson_targets([Run("00_a.ipynb", 200.0)])] == [False, False]


def test_a_lesson_that_fails_fails_the_course_total_whatever_the_time():
    rows = report.lesson_targets([Run("00_a.ipynb", 5.0), Run("01_b.ipynb", 1.0, "NameError: x")])
    assert (rows[1].met, rows[1].measured, rows[1].reason) == (False, "error", "NameError: x")
    assert rows[2].met is False and rows[2].reason.startswith("01_b.ipynb stopped with an error")


def test_browser_latencies_are_read_from_every_supported_layout():
    # the browser test's own layout (tests/test_browser.py)
    written = {"unit": "ms", "target_ms": 250.0, "notebooks": {
        "00_welcome": {"moves": 3, "median_ms": 141.4, "max_ms": 190.0, "samples_ms": [120.0, 141.4, 190.0]}}}
    assert report.browser_medians(written) == {"00_welcome.ipynb": 141.4}
    assert report.browser_medians({"01_a.ipynb": 120}) == {"01_a.ipynb": 120.0}
    assert report.browser_medians({"01_a": {"median_ms": 80, "moves": 12}}) == {"01_a.ipynb": 80.0}
    per_slider = {"01_a.ipynb": {"learning rate": {"latencies_ms": [100, 300]}, "moves": 2}}
    assert report.browser_medians(per_slider) == {"01_a.ipynb": 200.0}
    records = [{"notebook": "01_a.ipynb", "latency_ms": 90}, {"notebook": "01_a.ipynb", "latency_ms": 110},
               {"notebook": "02_b.ipynb", "latency_ms": 300}]
    assert report.browser_medians(records) == {"01_a.ipynb": 100.0, "02_b.ipynb": 300.0}
    assert report.browser_medians({"01_a.ipynb": {"passed": True}}) == {}


def test_heaviest_import_skips_start_up_modules_and_the_package_itself():
    log = ("import time: self [us] | cumulative | imported package\n"
           "import time:       900 |      40000 | encodings\n"
           "import time:      1000 |     120000 |     numpy\n"
           "import time:      3000 |     350000 |   matplotlib.pyplot\n"
           "import time:       800 |     500000 | helpers.widgets\n")
    assert startup.heaviest_import(log, {"encodings"}, "helpers") == ("matplotlib.pyplot", 0.35)
    assert startup.heaviest_import(log, {"encodings", "numpy", "matplotlib.pyplot"}, "helpers") is None


def test_tree_size_counts_file_bytes(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.bin").write_bytes(b"x" * 250_000)
    (tmp_path / "sub" / "b.bin").write_bytes(b"x" * 750_000)
    assert math.isclose(startup.tree_mb(tmp_path), 1.0)


def test_a_slow_widget_is_explained_by_its_rendering_and_update_shares():
    # per move: totals 100, 120, 200 ms, the PNG alone 60, 70, 80: medians 70, and 50 of (40, 50, 120) for the rest
    figure = {"timings_ms": [100.0, 120.0, 200.0], "render_ms": [60.0, 70.0, 80.0], "failed_moves": 2}
    assert report.move_split(figure) == (70.0, 50.0)
    reason = report.widget_reason(figure)
    assert "PNG alone takes 70 ms (median)" in reason and "the rest of a move, 50 ms" in reason
    assert reason.endswith("2 moves did not redraw (an error in the update function?)")

"""The pure helpers of benchmarks/: how controls are walked, how figures are named, how results are tabled.

benchmarks/ is a folder of scripts, not a package, so its modules are loaded from their files. Nothing here
times anything: benchmarks are measurements, not tests. Expected values are worked out by hand.
"""

import importlib.util
from pathlib import Path

import ipywidgets as widgets
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name):
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


probe, run = load("probe"), load("run")


def test_ping_pong_walks_up_and_down_and_every_move_changes_the_value():
    assert probe.ping_pong([1, 2, 3, 4], 9) == [1, 2, 3, 4, 3, 2, 1, 2, 3]
    walk = probe.ping_pong(["a", "b"], 5, current="a")  # starting at "a", the first move must go elsewhere
    assert walk == ["b", "a", "b", "a", "b"]
    with pytest.raises(ValueError, match="two levels"):
        probe.ping_pong([5], 3)


def test_levels_span_each_kind_of_control():
    # integer slider 60..100 with 50 levels wanted: every whole number, 41 of them
    assert probe.levels_of(widgets.IntSlider(value=90, min=60, max=100), 50) == list(range(60, 101))
    assert probe.levels_of(widgets.IntSlider(min=0, max=100), 11) == list(range(0, 101, 10))  # steps of 10
    # log slider from 1e-5 to 1e-1 in 5 levels: one per decade
    assert probe.levels_of(widgets.FloatLogSlider(value=1e-3, min=-5, max=-1), 5) == pytest.approx(
        [1e-5, 1e-4, 1e-3, 1e-2, 1e-1])
    assert probe.levels_of(widgets.FloatSlider(min=0.0, max=1.0), 3) == [0.0, 0.5, 1.0]
    assert probe.levels_of(widgets.Dropdown(options=[("relu", 1), ("tanh", 2)]), 50) == [1, 2]
    assert probe.levels_of(widgets.Checkbox(value=True), 50) == [False, True]
    assert probe.levels_of(widgets.Text(), 50) is None


class Panel:
    """Stands in for an InteractiveFigure: redraws on a move, except for negative values (a failing callback)."""

    def __init__(self, **controls):
        self.controls, self.redraws, self.renders = controls, 0, 0

    def set(self, **values):
        for name, value in values.items():
            self.controls[name].value = value
            self.redraws += value >= 0

    def render(self):
        self.renders += 1

    def notice(self):
        return ""


def test_walk_moves_every_control_across_its_range_and_counts_moves_without_redraw():
    panel = Panel(a=widgets.IntSlider(value=0, min=-1, max=1), b=widgets.Checkbox(value=False),
                  c=widgets.Text())
    walked = probe.walk(panel, 6)  # 6 moves over 3 controls: 2 each; the text box cannot be walked
    assert walked["controls"] == ["a", "b", "c"] and walked["not_moved"] == ["c (Text)"]
    # a: 2 levels from -1 to 1 are its ends, walked -1 then 1; b starts False, so walks True then False
    assert len(walked["move_ms"]) == len(walked["png_ms"]) == panel.renders == 4
    assert walked["failed_moves"] == 1  # the move to -1
    assert (panel.controls["a"].value, panel.controls["b"].value) == (1, False)


def test_figures_are_named_by_their_variable_and_the_others_numbered():
    a, b, c = Panel(), Panel(), Panel()
    namespace = {"_hidden": c, "second": b, "first": a, "alias": a, "x": 3}
    assert probe.named(namespace, [a, b, c]) == {"second": b, "first": a, "unnamed figure 1": c}


def test_setup_imports_keep_only_the_cells_import_statements():
    cell = ("%matplotlib inline\nimport numpy as np\nfrom helpers.data import (a,\n    b)\n\n"
            "def f():\n    import os\nx = 1\nimport matplotlib.pyplot as plt  # late\n")
    assert run.setup_imports(cell) == ["import numpy as np", "from helpers.data import a, b",
                                       "import matplotlib.pyplot as plt"]
    assert run.setup_imports("print('no imports')") == []


def test_spread_interpolates_between_samples_like_numpy():
    # 0..100: the p-th percentile is p itself; four samples: the median is halfway between the middle two,
    # p95 is at position 0.95 * 3 = 2.85, i.e. 30 + 0.85 * 10
    assert run.spread(list(range(101))) == (50, 95, 100)
    assert run.spread([10, 20, 30, 40]) == pytest.approx((25, 38.5, 40))


def test_table_escapes_pipes_and_target_rows_keep_a_reason_only_when_not_met():
    assert run.table(["a", "b"], [[1, "x|y"]]) == "| a | b |\n|---|---|\n| 1 | x\\|y |"
    assert run.target("t", "< 1 s", "2 s", False, "slow")[3:] == ["✗ missed", "slow"]
    assert run.target("t", "< 1 s", "0.5 s", True, "slow")[3:] == ["✓ met", ""]
    assert run.target("t", "< 1 s", "not measured", None, "absent")[3:] == ["– not measured", "absent"]


def lesson(name, cells, error=None, figures=None):
    return {"name": name, "cells": cells, "run_all_s": sum(s for s, _ in cells), "error": error,
            "probe_error": None, "probe": {"peak_rss_mb": 120.0, "peak_rss_after_moves_mb": 130.0,
                                           "figures": figures or {}}}


def test_lesson_targets_flag_slow_lessons_imports_widgets_and_the_course_total():
    slow_widget = {"controls": ["w"], "move_ms": [50.0] * 19 + [300.0], "png_ms": [40.0] * 20, "failed_moves": 0,
                   "not_moved": []}
    runs = [lesson("00_a.ipynb", [(1.0, "import numpy"), (2.0, "train()")]),
            lesson("01_b.ipynb", [(15.0, "x"), (10.0, "y")], figures={"demo": slow_widget})]
    imports = {"00_a.ipynb": (["import numpy", "import helpers.widgets"], [0.1, 0.6]), "01_b.ipynb": ([], [])}
    rows = {row[0]: row for row in run.lesson_targets(runs, imports, {"01_b.ipynb": 80.0})}
    assert rows["run-all 00_a.ipynb"][2:4] == ["3.0 s, slowest code cell 2 (2.0 s): `train()`", "✓ met"]
    assert rows["run-all 01_b.ipynb"][3] == "✗ missed"  # 25 s
    assert rows["set-up cell imports 00_a.ipynb"][2:] == ["0.70 s", "✗ missed",
                                                          "`import helpers.widgets` takes 0.60 s"]
    assert "set-up cell imports 01_b.ipynb" not in rows
    assert rows["peak RSS 01_b.ipynb"][2:4] == ["130 MB", "✓ met"]
    # 20 moves: p95 lies at position 18.05, between 50 and 300: 50 + 0.05 * 250 = 62.5 -> "62 ms"
    assert rows["widget p95 01_b.ipynb `demo`"][2:4] == ["62 ms", "✓ met"]
    assert rows["browser median 01_b.ipynb"][2:4] == ["80 ms", "✓ met"]
    assert rows["run-all, whole course (2 lessons)"][2:4] == ["28.0 s", "✓ met"]
    failing = run.lesson_targets([lesson("00_a.ipynb", [(1.0, "x")], error="NameError: x")],
                                 {"00_a.ipynb": ([], [])}, {})
    assert [row[3] for row in failing] == ["✗ missed", "✓ met", "✗ missed", "– not measured"]
    assert failing[2][4] == "00_a.ipynb stopped with an error"


def test_a_slow_widget_is_explained_by_its_rendering_and_the_rest():
    figure = {"controls": ["w"], "move_ms": [100.0, 120.0, 200.0], "png_ms": [60.0, 70.0, 80.0],
              "failed_moves": 2, "not_moved": []}
    row = run.lesson_targets([lesson("00_a.ipynb", [(1.0, "x")], figures={"f": figure})],
                             {"00_a.ipynb": ([], [])}, {})[2]
    # p95 of 100, 120, 200: position 1.9, 120 + 0.9 * 80 = 192; the rest per move 40, 50, 120: median 50
    assert row[2:] == ["192 ms", "✗ missed", "PNG rendering alone 70 ms (median), the rest 50 ms; "
                                             "2 moves did not redraw"]


def test_the_mlp_ratio_is_withheld_when_the_networks_take_different_steps():
    agree = {"largest_difference": 1e-16, "check_steps": 10, "tolerance": 1e-9, "ratio": 0.5,
             "numpy_steps_per_s": 400.0, "torch_steps_per_s": 200.0}
    differ = {"largest_difference": 3e-4, "check_steps": 10, "tolerance": 1e-9}
    rows = run.mlp_targets({"network": "4-2", "threads": 1, "optimizers": {"SGD": agree, "Adam": differ}})
    assert rows[0][2:4] == ["0.50 (numpy 400, PyTorch 200 steps/s; weights differ by 1.0e-16 after 10 identical "
                            "steps)", "✓ met"]
    assert rows[1][2:] == ["not reported", "✗ missed", "the two networks take different steps: weights differ "
                           "by 3.0e-04 after 10 identical steps (allowed 1e-09)"]
    assert run.mlp_targets({"skipped": "no torch"}) == [
        ["numpy MLP time per step / PyTorch's", "≤ 1.5", "skipped", "– not measured", "no torch"]]


def test_install_rows_report_sizes_and_flag_test_tools_in_the_learner_install():
    learner = {"venv": "/tmp/l", "size_mb": 395.4, "built": False, "largest": [("numpy", 42.6)],
               "test_only": ["playwright"]}
    rows = run.install_targets({"learner": learner})
    assert rows[0][2] == "395 MB (largest: numpy 43 MB; /tmp/l reused)"
    assert rows[1][2:] == ["playwright", "✗ missed", "requirements.txt pulls them in"]
    assert run.install_targets({})[0][3] == "– not measured"


def test_browser_medians_read_the_browser_tests_file(tmp_path):
    path = tmp_path / "latency.json"
    path.write_text('{"notebooks": {"00_welcome": {"moves": 3, "median_ms": 141.4}, "01_x": {"moves": 0}}}')
    assert run.browser_medians(path) == {"00_welcome.ipynb": 141.4}
    assert run.browser_medians(tmp_path / "absent.json") == {}


def test_tree_size_counts_file_bytes(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.bin").write_bytes(b"x" * 250_000)
    (tmp_path / "sub" / "b.bin").write_bytes(b"x" * 750_000)
    assert run.tree_mb(tmp_path) == pytest.approx(1.0)

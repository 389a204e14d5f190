"""The helpers.plots pieces that lessons 06 and 07 changed: colour bars, optimizer looks, diverged paths."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from helpers.plots import (COLORS, OPTIMIZER_STYLES, activation_histograms, histogram_fractions,  # noqa: E402
                           leaving_point, loss_surface, optimizer_paths,
                           optimizer_style)


def bowl(x, y):
    return x ** 2 / 20 + y ** 2


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- optimizer styles

def test_optimizer_styles_are_distinct_in_colour_and_in_line_or_marker():
    colours = [style["color"] for style in OPTIMIZER_STYLES.values()]
    assert len(set(colours)) == len(colours)
    looks = {(style["linestyle"], style["marker"]) for style in OPTIMIZER_STYLES.values()}
    assert len(looks) == len(OPTIMIZER_STYLES)  # tells them apart in grey scale too


@pytest.mark.parametrize("label, name", [("SGD, lr 0.95", "SGD"), ("Adam (lr 0.3)", "Adam"),
                                          ("Momentum: tuned", "Momentum"), ("RMSProp", "RMSProp")])
def test_optimizer_style_reads_the_name_before_punctuation(label, name):
    assert optimizer_style(label) == OPTIMIZER_STYLES[name]


def test_optimizer_style_gives_a_copy_and_grey_for_unknown_names():
    optimizer_style("SGD")["color"] = "red"
    assert OPTIMIZER_STYLES["SGD"]["color"] == "#000000"
    assert optimizer_style("SGDish")["color"] == "#999999"
    with pytest.raises(TypeError, match="name"):
        optimizer_style(3)


# ---------------------------------------------------------------- loss_surface

def test_loss_surface_styles_optimizer_paths_and_colours_the_others():
    path = np.array([[-7.0, 2.0], [-6.0, -1.0]])
    ax = loss_surface(bowl, (-10, 10), (-5, 5), paths={"Adam, lr 0.3": path, "start (2, 2)": path})
    adam, other = ax.lines
    assert to_hex(adam.get_color()) == OPTIMIZER_STYLES["Adam"]["color"].lower()
    assert adam.get_marker() == OPTIMIZER_STYLES["Adam"]["marker"]
    assert to_hex(other.get_color()) == COLORS[2].lower()  # second path, second colour after the model's


def test_loss_surface_colour_bar_spans_the_loss_on_a_log_scale():
    ax = loss_surface(bowl, (-10, 10), (-5, 5))
    assert len(ax.figure.axes) == 1  # none unless asked
    ax = loss_surface(bowl, (-10, 10), (-5, 5), colorbar=True)
    bar = ax.figure.axes[1]
    assert bar.get_ylabel() == "loss (log scale)"
    low, high = bar.get_ylim()
    assert high == pytest.approx(bowl(10, 5))  # the largest loss on the grid: a corner
    assert bar.get_yscale() == "log"
    with pytest.raises(TypeError, match="colorbar"):
        loss_surface(bowl, (-10, 10), (-5, 5), colorbar="yes")


# ---------------------------------------------------------------- diverged paths

def test_leaving_point_is_where_the_segment_crosses_the_edge():
    # from (1, 0) to (3, 2) the segment crosses x = 2 halfway, at y = 1
    assert leaving_point(np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 2.0]]), (-2, 2), (-2, 2)).tolist() == [2.0, 1.0]
    # through a corner region: the first edge reached counts (y = -2 at a quarter of the way)
    where = leaving_point(np.array([[0.0, 0.0], [1.0, -8.0]]), (-2, 2), (-2, 2))
    np.testing.assert_allclose(where, [0.25, -2.0])
    assert leaving_point(np.array([[0.0, 0.0], [2.0, -2.0]]), (-2, 2), (-2, 2)) is None  # on the edge is inside
    np.testing.assert_allclose(leaving_point(np.array([[5.0, 0.0]]), (-2, 2), (-2, 2)), [2.0, 0.0])


def test_optimizer_paths_marks_a_diverged_run_in_its_colour_and_leaves_others_unmarked():
    diverging = np.array([[-7.0, 2.0], [-6.0, -4.0], [-5.0, 50.0]])
    converging = np.array([[-7.0, 2.0], [-6.0, 1.0], [-5.0, 0.5]])
    ax = optimizer_paths(bowl, {"SGD": diverging, "Adam": converging}, (-10, 10), (-5, 5))
    sgd_cross, adam_cross = ax.lines[2], ax.lines[3]
    # from (-6, -4) to (-5, 50) the path reaches y = 5 after 9/54 of the step
    np.testing.assert_allclose(sgd_cross.get_xydata(), [[-6 + 9 / 54, 5.0]])
    assert to_hex(sgd_cross.get_color()) == OPTIMIZER_STYLES["SGD"]["color"].lower()
    assert len(adam_cross.get_xdata()) == 0
    assert ax.lines[-1].get_label() == "start"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Adam", "start"]


def test_optimizer_paths_keeps_the_crosses_at_len_paths_plus_i_when_a_minimum_is_drawn():
    # lesson 07's widget moves ax.lines[len(paths) + i] as path i's cross: the minimum's star must not take that place
    diverging = np.array([[-7.0, 2.0], [-6.0, -4.0], [-5.0, 50.0]])
    converging = np.array([[-7.0, 2.0], [-6.0, 1.0], [-5.0, 0.5]])
    ax = optimizer_paths(bowl, {"SGD": diverging, "Adam": converging}, (-10, 10), (-5, 5), minimum=(0, 0))
    assert [line.get_label() for line in ax.lines] == ["SGD", "Adam", "_SGD left the plot", "_Adam left the plot",
                                                       "minimum", "start"]
    np.testing.assert_allclose(ax.lines[2].get_xydata(), [[-6 + 9 / 54, 5.0]])
    assert ax.lines[4].get_xydata().tolist() == [[0.0, 0.0]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Adam", "minimum", "start"]


# ---------------------------------------------------------------- histogram_fractions (lesson 06's explorer)

def test_histogram_fractions_counts_by_hand_and_clips_into_the_end_bins():
    heights, edges = histogram_fractions(np.array([-3.0, 0.1, 0.2, 0.6, 0.7, 0.75, 9.0]), (0, 1), bins=4)
    np.testing.assert_array_equal(edges, [0.0, 0.25, 0.5, 0.75, 1.0])
    # -3 joins the first bin, 9 the last; 0.75 is a right-hand edge, so it falls in the last bin
    np.testing.assert_allclose(heights, np.array([3, 0, 2, 2]) / 7)
    assert heights.sum() == pytest.approx(1.0)


def test_histogram_fractions_is_what_activation_histograms_draws():
    values = np.random.default_rng(0).normal(size=500)
    axes = activation_histograms([values], bins=12, value_range=(-2, 2))
    drawn = axes[0].patches[0].get_data()
    heights, edges = histogram_fractions(values, (-2, 2), bins=12)
    np.testing.assert_array_equal(drawn.values, heights)
    np.testing.assert_array_equal(drawn.edges, edges)


@pytest.mark.parametrize("kwargs, match", [({"value_range": (1, 1)}, "value_range"), ({"bins": 0}, "bins"),
                                           ({"values": np.array([np.nan])}, "values")])
def test_histogram_fractions_bad_input_names_the_argument(kwargs, match):
    arguments = {"values": np.zeros(3), "value_range": (0, 1), **kwargs}
    with pytest.raises(ValueError, match=match):
        histogram_fractions(**arguments)

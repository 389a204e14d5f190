"""Lesson 06's figures (gradient norms by layer, activation histograms, 3-D loss surface):
what is drawn, not only that drawing works."""


import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.plots import activation_histograms, gradient_norms_by_layer, loss_surface_3d



# ---------------------------------------------------------------- gradient_norms_by_layer

def test_one_network_is_one_line_over_layers_one_to_n_on_a_log_scale():
    norms = [1e-6, 1e-3, 1.0]
    ax = gradient_norms_by_layer(norms)
    assert len(ax.lines) == 1
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), norms)
    assert ax.get_yscale() == "log"
    assert ax.get_legend() is None  # nothing to name
    assert "layer" in ax.get_xlabel() and "gradient" in ax.get_ylabel()


def test_several_networks_of_different_depths_are_labelled_lines_on_the_given_axes():
    fig, ax = plt.subplots()
    returned = gradient_norms_by_layer([np.ones(4), np.ones(2), [3.0, 2.0, 1.0]], labels=["a", "b", "c"],
                                       ax=ax, title="t")
    assert returned is ax and plt.get_fignums() == [fig.number]
    assert [len(line.get_xdata()) for line in ax.lines] == [4, 2, 3]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["a", "b", "c"]
    assert ax.get_title() == "t"


def test_a_two_dimensional_array_is_one_line_per_row():
    ax = gradient_norms_by_layer(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    assert len(ax.lines) == 3
    np.testing.assert_array_equal(ax.lines[2].get_ydata(), [5.0, 6.0])


@pytest.mark.parametrize("norms, labels, match", [
    ([[1.0, 2.0], [1.0]], ["only one"], "labels"),
    ([1.0, 2.0], "ab", "labels"),
    ([1.0, -2.0], None, r"norms\[0\]"),
    ([[1.0], [np.nan]], None, r"norms\[1\]"),
    ([], None, "at least one"),
    ([[]], None, r"norms\[0\]"),
])
def test_gradient_norms_bad_input_names_the_argument(norms, labels, match):
    with pytest.raises(ValueError, match=match):
        gradient_norms_by_layer(norms, labels=labels)


# ---------------------------------------------------------------- activation_histograms

def test_histogram_heights_are_fractions_counted_by_hand_with_outliers_in_the_end_bins():
    axes = activation_histograms([np.array([0.1, 0.2, 0.9, 5.0]), np.array([-3.0, 0.6, 0.7])],
                                 bins=2, value_range=(0, 1))
    heights = [ax.patches[0].get_data().values for ax in axes]
    np.testing.assert_allclose(heights[0], [2 / 4, 2 / 4])  # 0.1, 0.2 | 0.9 and 5.0 (clipped to 1)
    np.testing.assert_allclose(heights[1], [1 / 3, 2 / 3])  # -3 (clipped to 0) | 0.6, 0.7
    np.testing.assert_allclose(axes[0].patches[0].get_data().edges, [0.0, 0.5, 1.0])


def test_one_axes_per_layer_with_titles_limits_and_a_shared_y_label():
    layers = [np.linspace(-1, 1, 50) * k for k in (1, 2, 3)]
    axes = activation_histograms(layers, bins=10, value_range=(-1, 1))
    assert len(axes) == 3 and len({ax.figure for ax in axes}) == 1
    assert [len(ax.patches) for ax in axes] == [1, 1, 1]
    assert [ax.get_title() for ax in axes] == ["layer 1", "layer 2", "layer 3"]
    assert all(ax.get_xlim() == (-1.0, 1.0) for ax in axes)
    assert axes[0].get_ylabel() == "fraction of values"


def test_histograms_draw_on_given_axes_with_custom_titles_and_default_range():
    fig, given_axes = plt.subplots(1, 2)
    axes = activation_histograms([np.array([2.0, 4.0]), np.array([3.0])], bins=4, titles=["first", "second"],
                                 axes=given_axes)
    assert list(axes) == list(given_axes) and plt.get_fignums() == [fig.number]
    assert [ax.get_title() for ax in axes] == ["first", "second"]
    assert axes[0].get_xlim() == (2.0, 4.0)  # the data's own range
    assert activation_histograms([np.full(3, 7.0)])[0].get_xlim() == (6.5, 7.5)  # constant data: widened


@settings(max_examples=40, deadline=None)
@given(places=st.lists(st.integers(-1, 13), min_size=1, max_size=60), bins=st.integers(1, 12),
       offset=st.floats(0.05, 0.95))
def test_histogram_counts_each_value_in_its_bin_and_sums_to_one(places, bins, offset):
    low, high = -2.0, 3.0
    # Put each value inside a known bin: place -1 is below the range, place >= bins above it.
    places = np.clip(np.array(places), -1, bins)
    values = low + (places + offset) * (high - low) / bins
    axes = activation_histograms([values], bins=bins, value_range=(low, high))
    expected = np.bincount(np.clip(places, 0, bins - 1), minlength=bins) / len(values)
    np.testing.assert_allclose(axes[0].patches[0].get_data().values, expected)
    plt.close("all")


@pytest.mark.parametrize("kwargs, match", [
    (dict(activations=[]), "one array per layer"),
    (dict(activations=np.zeros((2, 3))), "one array per layer"),
    (dict(activations=[np.array([np.nan])]), r"activations\[0\]"),
    (dict(activations=[np.zeros(2)], value_range=(1, 1)), "value_range"),
    (dict(activations=[np.zeros(2)], bins=0), "bins"),
    (dict(activations=[np.zeros(2)], titles=["a", "b"]), "titles"),
])
def test_activation_histograms_bad_input_names_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        activation_histograms(**kwargs)


def test_activation_histograms_needs_one_axes_per_layer():
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="axes"):
        activation_histograms([np.zeros(2)] * 2, axes=axes)


# ---------------------------------------------------------------- loss_surface_3d

def test_loss_surface_3d_draws_one_surface_spanning_the_loss():
    ax = loss_surface_3d(lambda x, y: x ** 2 + y ** 2, (-1, 1), (-2, 2), resolution=21, labels=("a", "b"))
    assert ax.name == "3d" and len(ax.collections) == 1
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()) == ("a", "b", "loss")
    low, high = ax.get_zlim()
    assert low <= 0.0 and high >= 5.0  # x² + y² runs from 0 (the centre) to 1 + 4 (the corners)
    assert ax.get_xlim() == pytest.approx((-1, 1)) and ax.get_ylim() == pytest.approx((-2, 2))


def test_loss_surface_3d_errors():
    _, flat = plt.subplots()
    with pytest.raises(ValueError, match="3-D Axes"):
        loss_surface_3d(lambda x, y: x + y, (-1, 1), (-1, 1), ax=flat)
    with pytest.raises(ValueError, match="loss_fn must return"):
        loss_surface_3d(lambda x, y: 1.0, (-1, 1), (-1, 1))

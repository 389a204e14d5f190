"""The figures, sliders and lecture mode: what they draw and what they remember."""

import json

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import LogNorm

from helpers import settings
from helpers.plots import loss_surface, switch_lecture_mode, training_curves, use_course_style
from helpers.widgets import interactive_figure, log_slider


def test_loss_surface_draws_contours_paths_and_minimum():
    path = np.array([[1.0, 1.0], [0.5, 0.2], [0.0, 0.0]])
    ax = loss_surface(lambda x, y: x ** 2 + 10 * y ** 2, (-2, 2), (-1, 1), paths={"a": path, "b": path / 2},
                      minimum=(0, 0), labels=("first", "second"), title="t")
    lines = [line for line in ax.lines if line.get_label() in ("a", "b")]
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[0].get_xydata(), path)
    assert [line.get_label() for line in ax.lines][-1] == "minimum"
    assert isinstance(ax.collections[0].norm, LogNorm)  # log-spaced levels
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("first", "second", "t")
    assert ax.get_xlim() == (-2.0, 2.0)


def test_loss_surface_errors():
    with pytest.raises(ValueError, match="loss_fn must return"):
        loss_surface(lambda x, y: 1.0, (-1, 1), (-1, 1))
    with pytest.raises(ValueError, match=r"paths\['p'\]"):
        loss_surface(lambda x, y: x ** 2 + y ** 2, (-1, 1), (-1, 1), paths={"p": np.zeros((3, 3))})
    with pytest.raises(ValueError, match="x_range"):
        loss_surface(lambda x, y: x ** 2 + y ** 2, (-1, 0, 1), (-1, 1))


def test_training_curves_draws_one_line_per_curve_on_log_scale():
    ax = training_curves({"a": [4, 2, 1], "b": [3, 3]}, ylabel="MSE")
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [4, 2, 1])
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "MSE"
    with pytest.raises(ValueError, match=r"curves\['c'\]"):
        training_curves({"c": [1.0, np.inf]})


def test_log_slider_range_and_errors():
    slider = log_slider("lr", 1e-3, 1e-6, 1.0)
    assert (slider.min, slider.max, slider.value) == (-6.0, 0.0, 1e-3)
    with pytest.raises(ValueError, match="^value must be .* at most 1, got 10"):
        log_slider("lr", 10.0, 1e-6, 1.0)


def test_interactive_figure_updates_the_same_figure_and_shows_errors(capsys):
    fig, ax = plt.subplots()
    line, = ax.plot([], [])
    calls = []

    def update(slope):
        if slope < 0:
            raise RuntimeError("negative slopes are not allowed")
        calls.append(slope)
        line.set_data([0, 1], [0, slope])

    figures_before = plt.get_fignums()
    panel = interactive_figure(fig, update, {"slope": widgets.FloatSlider(value=1.0, min=-2, max=2)})
    assert calls == [1.0]  # drawn once for the starting value, before any move
    panel.set(slope=2.0)
    assert calls == [1.0, 2.0] and panel.redraws == 1
    np.testing.assert_array_equal(line.get_ydata(), [0, 2.0])
    panel.set(slope=-1.0)  # the error shows in the figure and, being a bug, in the output area
    assert panel.redraws == 2 and "RuntimeError: negative slopes are not allowed" in panel.notice()
    assert "negative slopes" in "".join(o["text"] for o in panel.messages.outputs)
    assert plt.get_fignums() == [n for n in figures_before if n != fig.number]  # no new figures
    with pytest.raises(ValueError, match="no control named"):
        panel.set(intercept=1.0)


def test_interactive_figure_rejects_bad_controls():
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="at least one"):
        interactive_figure(fig, lambda: None, {})
    with pytest.raises(TypeError, match=r"controls\['x'\]"):
        interactive_figure(fig, lambda x: None, {"x": 3})


def test_lecture_mode_is_remembered_in_the_settings_file_and_switching_restyles(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    monkeypatch.setenv(settings.SETTINGS_ENV, str(path))
    assert settings.lecture_mode() is False
    use_course_style()
    base_font = plt.rcParams["font.size"]
    assert settings.lecture_mode(True) is True
    assert json.loads(path.read_text()) == {"lecture_mode": True}
    assert plt.rcParams["font.size"] == base_font  # settings only store the choice
    use_course_style()
    assert plt.rcParams["font.size"] > base_font
    assert plt.rcParams["figure.figsize"] == [6.4, 4.0]  # size unchanged: stored outputs stay the same
    slider = widgets.FloatSlider()
    interactive_figure(plt.figure(), lambda x: None, {"x": slider})
    assert slider.layout.width == "95%"
    assert switch_lecture_mode(False) is False
    assert plt.rcParams["font.size"] == base_font and settings.lecture_mode() is False
    with pytest.raises(TypeError, match="on must be"):
        settings.lecture_mode("yes")


def test_lecture_mode_survives_a_broken_settings_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    monkeypatch.setenv(settings.SETTINGS_ENV, str(path))
    assert settings.lecture_mode() is False


def test_frames_are_rendered_uncropped_at_a_fixed_size():
    import struct

    from helpers.widgets import _Frames

    use_course_style()
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.set_title("a title that a tight crop would keep")
    render = _Frames(fig, ())
    first = render(first=True).data
    ax.set_title("x")  # a tight crop would change the frame size here
    second = render().data
    for png in (first, second):
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (5 * plt.rcParams["savefig.dpi"], 3 * plt.rcParams["savefig.dpi"])


def test_animated_frames_show_the_same_pixels_as_a_full_redraw():
    import io

    from PIL import Image

    from helpers.widgets import _Frames

    def pixels(png):
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))

    def figure():
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.contourf(*np.meshgrid(np.linspace(-1, 1, 30), np.linspace(-1, 1, 30)),
                    np.random.default_rng(0).random((30, 30)))
        line, = ax.plot([0, 0.5], [0, 0.5], "o-", color="red")
        return fig, ax, line

    fig, ax, line = figure()
    render = _Frames(fig, [line, ax.title])
    render(first=True)
    line.set_data([-0.8, 0.3, 0.9], [0.7, -0.2, 0.1])
    ax.set_title("moved")
    blitted = pixels(render().data)

    reference, ref_ax, ref_line = figure()
    ref_line.set_data([-0.8, 0.3, 0.9], [0.7, -0.2, 0.1])
    ref_ax.set_title("moved")
    full = pixels(_Frames(reference, ())().data)
    assert blitted.shape == full.shape
    assert np.mean(np.any(blitted != full, axis=-1)) < 0.001  # the same picture, up to antialiasing


def test_animated_artists_must_belong_to_the_figure():
    from helpers.widgets import _Frames

    fig, _ = plt.subplots()
    _, other = plt.subplots()
    line, = other.plot([0, 1])
    with pytest.raises(ValueError, match="animated"):
        _Frames(fig, [line])


class _FakeHandle:
    """Stands in for IPython's display handle outside a kernel: remembers every frame sent to the browser."""

    def __init__(self):
        self.frames = []

    def update(self, image, **_):
        self.frames.append(image)


def _pixels(image):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(image.data)).convert("RGBA"))


def _displaying(monkeypatch):
    from helpers import widgets as helper_widgets

    handle = _FakeHandle()
    monkeypatch.setattr(helper_widgets, "display", lambda obj, display_id=False: handle if display_id else None)
    return handle


def _line_figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    line, = ax.plot([0, 1], [0, 0])
    ax.set(xlim=(0, 1), ylim=(-4, 4))
    return fig, ax, line


def test_cache_frames_draws_every_choice_ahead_and_shows_the_same_pixels(monkeypatch):
    handle = _displaying(monkeypatch)
    fig, ax, line = _line_figure()
    calls = []

    def update(sign, height):
        calls.append((sign, height))
        line.set_ydata([0, height if sign == "up" else -height])
        ax.set_title(f"{sign} {height}")

    controls = {"sign": widgets.ToggleButtons(options=["up", "down"], value="up"),
                "height": widgets.Dropdown(options=[("one", 1), ("two", 2), ("three", 3)], value=2)}
    panel = interactive_figure(fig, update, controls, animated=[line, ax.title], cache_frames=True)
    assert set(calls) == {(s, h) for s in ("up", "down") for h in (1, 2, 3)}  # all six drawn ahead
    assert sorted(panel.frames) == sorted((s, h) for s in ("up", "down") for h in (1, 2, 3))
    calls.clear()
    for sign, height in [("down", 2), ("down", 3), ("up", 3), ("up", 1)]:
        panel.set(sign=sign, height=height)
    assert calls == [] and panel.redraws == 4  # every move redrew, none had to call update
    shown = handle.frames[-1]
    # the kept frame of (up, 1) is what an uncached figure draws for (up, 1)
    reference_fig, reference_ax, reference_line = _line_figure()
    reference_line.set_ydata([0, 1])
    reference_ax.set_title("up 1")
    reference_fig.tight_layout()
    from helpers.widgets import _Frames

    assert np.mean(np.any(_pixels(shown) != _pixels(_Frames(reference_fig, [])()), axis=-1)) < 0.001


def test_cache_frames_keeps_a_slider_frame_after_its_first_visit(monkeypatch):
    handle = _displaying(monkeypatch)
    fig, _, line = _line_figure()
    calls = []

    def update(height):
        calls.append(height)
        line.set_ydata([0, height])

    panel = interactive_figure(fig, update, {"height": widgets.IntSlider(value=0, min=-3, max=3)}, cache_frames=True)
    assert calls == [0]  # a slider has too many values to draw ahead: only the starting frame
    panel.set(height=3)
    assert calls == [0, 3]
    first_visit = handle.frames[-1]
    panel.set(height=0)
    panel.set(height=3)
    assert calls == [0, 3] and handle.frames[-1] is first_visit  # both shown again from the kept frames
    assert not _pixels(handle.frames[-2]).tolist() == _pixels(first_visit).tolist()  # and they differ


def test_cache_frames_never_keeps_a_failed_move(monkeypatch):
    _displaying(monkeypatch)
    fig, _, line = _line_figure()
    calls = []

    def update(height):
        calls.append(height)
        if height > 1:
            raise RuntimeError("too high")
        line.set_ydata([0, height])

    panel = interactive_figure(fig, update, {"height": widgets.ToggleButtons(options=[1, 2], value=1)},
                               cache_frames=True)
    assert sorted(panel.frames) == [(1,)]
    calls.clear()
    panel.set(height=2)
    assert calls == [2] and "too high" in panel.notice()
    panel.set(height=1)
    assert calls == [2] and panel.notice() == ""  # kept, and the message is gone
    panel.set(height=2)
    assert calls == [2, 2] and "too high" in panel.notice()  # tried again, shown again

"""Sliders wired to a figure, the way every interactive cell in the course works.

The recipe (measured in the design notes): build the figure once; on every
slider move, change the existing lines and texts and redraw the same figure in
place. Creating a new figure per move is about three times slower and leaves
copies behind. Without a live kernel (a static view, or the notebook tests)
the cell still shows the figure drawn for the sliders' starting values.

Each frame is rendered to PNG here, once laid out, rather than by the notebook's
inline backend: the backend crops every frame to its content ("tight" bounding
box), which draws the figure twice and doubles the time a slider move takes.
"""

from __future__ import annotations

import io
import itertools
import math
import traceback
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence, cast

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image as PILImage
from IPython.display import Image, display

from ._validate import number
from .optim import Diverged
from .settings import lecture_mode


def log_slider(description: str, value: float, low: float, high: float, **kwargs) -> widgets.FloatLogSlider:
    """A slider for quantities that span decades, such as learning rates (lesson 01).

    ``low`` and ``high`` are the ends of the range, not their exponents.

    >>> s = log_slider("learning rate", 1e-3, 1e-5, 1e-1)
    >>> s.min, s.max, s.value
    (-5.0, -1.0, 0.001)
    """
    low = number(low, "low", low=0, low_open=True)
    high = number(high, "high", low=low, low_open=True)
    value = number(value, "value", low=low, high=high)
    kwargs.setdefault("readout_format", ".1e")
    return widgets.FloatLogSlider(value=value, base=10, min=math.log10(low), max=math.log10(high),
                                  step=kwargs.pop("step", 0.05), description=description,
                                  style={"description_width": "initial"}, **kwargs)


@dataclass
class InteractiveFigure:
    """What :func:`interactive_figure` built: the figure, its controls and its output area.

    ``set(**values)`` moves controls from code exactly as a learner would, which
    is how tests and benchmarks drive a widget without a browser; ``render()``
    draws one frame exactly as a move does (benchmarks time it alone).
    ``notice()`` is the message the figure shows after a move that could not be
    drawn ("" when the last move drew normally). ``frames`` holds the frames
    kept by ``cache_frames=True``, by the controls' values.
    """

    figure: plt.Figure
    controls: Mapping[str, widgets.ValueWidget]
    messages: widgets.Output
    handle: object = field(repr=False)
    render: Callable[..., Image] = field(repr=False)
    notice_text: Text = field(repr=False)
    redraws: int = 0
    frames: dict = field(default_factory=dict, repr=False)

    def notice(self) -> str:
        return self.notice_text.get_text() if self.notice_text.get_visible() else ""

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values) -> None:
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no control named {sorted(unknown)}; controls are {sorted(self.controls)}")
        for name, value in values.items():
            self.controls[name].value = value


def interactive_figure(figure: plt.Figure, update: Callable[..., None],
                       controls: Mapping[str, widgets.ValueWidget], *,
                       animated: Sequence[Artist] = (), cache_frames: bool = False) -> InteractiveFigure:
    """Show ``figure`` with ``controls`` below it; call ``update(**values)`` on every change.

    Introduced in lesson 01. ``update`` receives the controls' current values as
    keyword arguments and changes the figure's existing artists (``set_data``,
    ``set_text``...). It should not create a new figure. An exception raised in
    ``update`` is shown in the figure as a short message over the last drawing,
    never as a blank plot: a :class:`~helpers.optim.Diverged` says where it
    diverged, and numpy's overflow, division by zero or invalid value during a
    move (made errors here) says the setting blew up. Any other exception also
    leaves its traceback under the sliders, because it is a bug to fix.

    ``animated`` optionally lists every artist ``update`` changes (lines, titles,
    texts). Everything else is then drawn once and reused for each frame, which
    makes a slider move on a figure with an expensive background, such as a
    contour plot, several times faster. Changes to other artists would not show,
    so leave ``animated`` empty when ``update`` rebuilds more than a few artists.

    ``cache_frames=True`` promises that the picture depends on nothing but the
    controls' values (``update`` reads no other state that changes). Each frame
    drawn is then kept, by those values, and a return to them shows it again
    without calling ``update`` or drawing. If every control is a choice among
    options (toggle buttons, a dropdown, a checkbox) and together they make at
    most 64 combinations, all the frames are drawn ahead, while the cell runs,
    so that no move of the learner's has to draw. A move whose ``update``
    failed is never kept.
    """
    if not isinstance(cache_frames, bool):
        raise TypeError(f"cache_frames must be True or False, got {cache_frames!r}")
    if not isinstance(figure, plt.Figure):
        raise TypeError(f"figure must be a matplotlib Figure (plt.subplots() makes one), got {type(figure).__name__}")
    if not callable(update):
        raise TypeError(f"update must be a function of the controls' values, got {type(update).__name__}")
    if not controls:
        raise ValueError("controls must contain at least one widget")
    projecting = lecture_mode()  # read once per figure, not once per control
    for name, control in controls.items():
        if not hasattr(control, "observe") or not hasattr(control, "value"):
            raise TypeError(f"controls[{name!r}] must be an ipywidgets control with a value, "
                            f"got {type(control).__name__}")
        if projecting:
            control.layout.width = "95%"
            control.style.description_width = "initial"
        elif control.layout.width is None:
            control.layout.width = "70%"
    messages = widgets.Output()
    update(**{name: control.value for name, control in controls.items()})
    if figure.get_layout_engine() is None:
        figure.tight_layout()  # lay out once, so every frame has the same size without cropping
    # Closing detaches the figure from pyplot, so the inline backend does not
    # show it a second time at the end of the cell; display() shows it once.
    plt.close(figure)
    notice = figure.text(0.5, 0.5, "", ha="center", va="center", wrap=True, visible=False, zorder=100,
                         color="#b42318", bbox={"boxstyle": "round", "facecolor": "white",
                                                "edgecolor": "#b42318", "alpha": 0.95})
    render = _Frames(figure, [*animated, notice] if animated else ())
    frames: dict = {}
    ahead = _every_choice(controls) if cache_frames else []
    if ahead:
        start = {name: control.value for name, control in controls.items()}
        for values in ahead:
            if values == start:
                continue  # drawn below, as the frame the cell shows
            try:
                with np.errstate(over="raise", divide="raise", invalid="raise"):
                    update(**values)
            except Exception:  # shown when the learner gets there, like any failed move
                continue
            key = _key(values)
            if key is not None:
                frames[key] = render()
        update(**start)
    first = render(first=True)
    start_key = _key({name: control.value for name, control in controls.items()}) if cache_frames else None
    if start_key is not None:
        frames[start_key] = first
    handle = display(first, display_id=True)
    panel = InteractiveFigure(figure, controls, messages, handle, render, notice, frames=frames)

    def redraw(_change=None) -> None:
        # Emptied through the widget's state, like append_stderr below: clear_output()
        # travels as a separate message, can reach the browser after the new traceback
        # and wipe it, so every other failed move would show nothing (seen in Chromium).
        messages.outputs = ()
        key = _key(panel.values()) if cache_frames else None
        kept = frames.get(key) if key is not None else None
        if kept is not None:
            notice.set_visible(False)
        else:
            try:
                with np.errstate(over="raise", divide="raise", invalid="raise"):  # a blow-up is an error
                    update(**panel.values())
            except Exception as error:  # a learner's callback may fail in any way: show it, never hide it
                notice.set_text(_notice(error))
                notice.set_visible(True)
                if not isinstance(error, ArithmeticError):
                    messages.append_stderr(traceback.format_exc(limit=-3))
                key = None  # a failed move is drawn each time, never kept
            else:
                notice.set_visible(False)
        if handle is not None:  # None outside IPython, where there is no display to refresh
            if kept is None:
                kept = render()
                if key is not None:
                    frames[key] = kept
            handle.update(kept)
        panel.redraws += 1

    for control in controls.values():
        control.observe(redraw, names="value")
    display(widgets.VBox([*controls.values(), messages]))
    return panel


def _key(values: Mapping[str, object]) -> tuple | None:
    """The controls' values as a key for the kept frames; None if a value cannot be one (a list, say)."""
    key = tuple(values.values())
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _every_choice(controls: Mapping[str, widgets.ValueWidget], most: int = 64) -> list[dict]:
    """Every combination of the controls' values, if each control is a choice among options and there are at
    most ``most`` combinations; otherwise none (a slider has too many values to draw them all ahead)."""
    choices = []
    for control in controls.values():
        options = getattr(control, "_options_values", None)  # ipywidgets' selections: the options' values
        if options is None and isinstance(control.value, bool):
            options = (False, True)
        if options is None:
            return []
        choices.append(tuple(options))
    if math.prod(len(options) for options in choices) > most:
        return []
    return [dict(zip(controls, values)) for values in itertools.product(*choices)]


def _notice(error: Exception) -> str:
    """The message a figure shows when ``update`` failed for the controls' current values."""
    if isinstance(error, Diverged):
        return str(error)
    if isinstance(error, ArithmeticError):
        return (f"diverged: the numbers blew up ({error});\n"
                f"this setting is too large: try a smaller value")
    return f"could not draw this setting:\n{type(error).__name__}: {error}"


class _Frames:
    """Renders the figure to PNG frames, redrawing only the ``animated`` artists if given."""

    def __init__(self, figure: plt.Figure, animated: Sequence[Artist]):
        self.figure, self.animated, self.background = figure, list(animated), None
        for artist in self.animated:
            if not isinstance(artist, Artist) or artist.figure is not figure:
                raise ValueError(f"animated must hold artists of this figure, got {artist!r}")
        if self.animated and not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)  # attaches a raster canvas whose pixels can be copied

    def __call__(self, first: bool = False) -> Image:
        if not self.animated:
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png")
            return Image(data=buffer.getvalue(), format="png")
        canvas = cast(FigureCanvasAgg, self.figure.canvas)  # attached in __init__ if it was another kind
        if self.background is None:
            for artist in self.animated:
                artist.set_animated(True)  # left out of canvas.draw(), drawn on top per frame
            canvas.draw()
            self.background = canvas.copy_from_bbox(self.figure.bbox)
        canvas.restore_region(self.background)
        for artist in self.animated:
            self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        # The first frame is stored in the notebook: compress it well. Later frames
        # only travel to the browser, where encoding time matters more than size.
        PILImage.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png",
                                                                  compress_level=6 if first else 1)
        return Image(data=buffer.getvalue(), format="png")

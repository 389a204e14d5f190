"""A failing slider callback keeps its traceback on screen, move after move.

The browser test (tests/test_browser.py) found that every second failed move showed
nothing: the output area was cleared by a message that could overtake the new
traceback. interactive_figure now clears it through the widget's state, which this
test can see without a browser.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from helpers.optim import SGD, optimizer_path
from helpers.widgets import interactive_figure, log_slider


def test_each_failed_move_shows_its_own_traceback_and_a_good_move_clears_it():
    fig, ax = plt.subplots()
    line, = ax.plot([0, 1], [0, 1])

    def update(slope):
        if slope < 0:
            raise ValueError(f"slope {slope} is negative")
        line.set_ydata([0, slope])

    panel = interactive_figure(fig, update, {"slope": widgets.FloatSlider(value=1.0, min=-2, max=2)})
    panel.set(slope=-1.0)
    panel.set(slope=-2.0)
    texts = [output["text"] for output in panel.messages.outputs]
    assert len(texts) == 1 and "slope -2.0 is negative" in texts[0] and "-1.0" not in texts[0]
    panel.set(slope=0.5)
    assert panel.messages.outputs == ()
    assert list(line.get_ydata()) == [0, 0.5]


def test_a_setting_that_diverges_says_so_in_the_figure_without_a_traceback():
    """At the ends of its sliders a lesson's figure shows why it cannot draw, never a blank plot."""
    fig, ax = plt.subplots()
    line, = ax.plot([], [])

    def update(lr, scale):
        path = optimizer_path(SGD(lr), lambda p: 2 * p, np.array([1.0, 1.0]), steps=30)  # diverges for lr > 1
        line.set_data(path[:, 0], path[:, 1] * np.exp(scale))  # e^scale overflows for scale > 709

    panel = interactive_figure(fig, update, {"lr": log_slider("lr", 0.1, 1e-3, 10.0),
                                             "scale": widgets.FloatSlider(value=0.0, min=0.0, max=1000.0)})
    drawn = panel.render().data
    panel.set(lr=10.0)
    assert panel.notice().startswith("diverged at step") and "learning rate is too large" in panel.notice()
    assert panel.messages.outputs == () and panel.render().data != drawn  # no traceback; the message is drawn
    panel.set(lr=0.1, scale=1000.0)
    assert panel.notice().startswith("diverged: the numbers blew up (overflow")
    assert panel.messages.outputs == ()
    panel.set(scale=1.0)
    assert panel.notice() == "" and panel.redraws == 4

"""A failing slider callback keeps its traceback on screen, move after move.

The browser test (tests/test_browser.py) found that every second failed move showed
nothing: the output area was cleared by a message that could overtake the new
traceback. interactive_figure now clears it through the widget's state, which this
test can see without a browser.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt

from helpers.widgets import interactive_figure


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

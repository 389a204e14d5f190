"""Lesson 07 (optimizers), run in this process from the committed notebook's own cells.

Every "Try it" check accepts the worked solution and rejects both the student
stub and the plausible wrong answer stored with the solution (metadata
``wrong_answer``); every slider redraws the same figure, changes what it shows,
and reports no error.
"""

import ast
import contextlib
import io
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.widgets import InteractiveFigure

LESSON = Path(__file__).resolve().parent.parent / "notebooks" / "07_optimizers.ipynb"


def verdict_of(check_source: str, namespace: dict):
    """Execute a check cell and return the value of its last line, the check's verdict."""
    *body, last = ast.parse(check_source).body
    assert isinstance(last, ast.Expr), "a check cell ends with the check call"
    exec(compile(ast.Module(body=body, type_ignores=[]), "<check>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<check>", "eval"), namespace)


@pytest.fixture(scope="module")
def lesson():
    """Run the lesson once; keep, for each exercise, the verdicts for its three answers."""
    cells = [c for c in json.loads(LESSON.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    namespace, verdicts = {}, []
    with contextlib.redirect_stdout(io.StringIO()):
        for cell, following in zip(cells, cells[1:] + [None]):
            source = "".join(cell["source"])
            if "solution" in cell["metadata"].get("tags", []):
                answers = {"solution": source, "stub": cell["metadata"]["student_stub"],
                           "wrong": cell["metadata"]["wrong_answer"]}
                check_source = "".join(following["source"])
                results = {}
                for kind, answer in answers.items():
                    trial = dict(namespace)  # each answer starts from the lesson's state before the exercise
                    exec(answer, trial)
                    results[kind] = bool(verdict_of(check_source, trial))
                verdicts.append(results)
            exec(compile(source, LESSON.name, "exec"), namespace)
    yield namespace, verdicts
    plt.close("all")


def test_lesson_has_at_least_three_exercises(lesson):
    _, verdicts = lesson
    assert len(verdicts) >= 3


def test_every_check_accepts_the_solution_and_rejects_the_stub_and_the_wrong_answer(lesson):
    _, verdicts = lesson
    for number, results in enumerate(verdicts, start=1):
        assert results == {"solution": True, "stub": False, "wrong": False}, f"Try it {number}"


def test_sgd_limit_exercise_agrees_with_a_descent_that_diverges(lesson):
    namespace, _ = lesson
    optimizer_path, SGD, grad_f, start = (namespace[k] for k in ("optimizer_path", "SGD", "grad_f", "start"))
    # Just below the limit 2 / 2 = 1 the descent still converges; just above, it grows.
    below = optimizer_path(SGD(0.99), grad_f, start, 200)[-1]
    above = optimizer_path(SGD(1.01), grad_f, start, 200)[-1]
    assert np.linalg.norm(below) < np.linalg.norm(start) < np.linalg.norm(above)


def artist_state(figure):
    """What a learner sees change: every line's data and every text on the figure."""
    state = []
    for ax in figure.axes:
        state += [np.asarray(line.get_xydata()).tobytes() for line in ax.lines]
        state += [text.get_text() for text in ax.texts + [ax.title] + list(ax.get_legend().get_texts())]
    return state


def test_every_slider_redraws_the_same_figure_and_changes_it(lesson):
    namespace, _ = lesson
    panels = {name: value for name, value in namespace.items() if isinstance(value, InteractiveFigure)}
    assert set(panels) == {"paths_demo", "batch_demo"}
    for panel_name, panel in panels.items():
        figures = plt.get_fignums()
        for control_name, control in panel.controls.items():
            options = getattr(control, "options", None)
            new_value = options[0] if options else control.min
            before, redraws = artist_state(panel.figure), panel.redraws
            panel.set(**{control_name: new_value})
            assert panel.redraws == redraws + 1, f"{panel_name}.{control_name} did not redraw"
            assert not panel.messages.outputs, f"{panel_name}.{control_name} raised an error"
            assert artist_state(panel.figure) != before, f"{panel_name}.{control_name} changed nothing"
        assert plt.get_fignums() == figures, "a slider move must not create a figure"


def test_a_diverging_learning_rate_is_reported_not_drawn_as_garbage(lesson):
    namespace, _ = lesson
    panel = namespace["paths_demo"]
    panel.set(lr_sgd=3.0)
    sgd_label = panel.figure.axes[0].get_legend().get_texts()[0].get_text()
    assert "diverged at step" in sgd_label
    assert np.all(np.isfinite(panel.figure.axes[0].lines[0].get_xydata()))

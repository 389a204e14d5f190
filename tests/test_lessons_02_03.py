"""Lessons 02 and 03, run in this process: every exercise check accepts the committed solution
and rejects the student stub and the plausible wrong answer stored with the solution, and every
slider redraws its figure in place without errors.

The notebook's own cells are executed (not copies of them), so a check edited in the notebook
is what gets tested.
"""

import ast
import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from helpers.widgets import InteractiveFigure

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

LESSONS = ["02_sigmoid_pass_fail.ipynb", "03_softmax_three_classes.ipynb"]


@dataclass
class Exercise:
    before: dict  # the notebook's variables just before the solution cell ran
    solution: str
    stub: str
    wrong: str  # a plausible mistake, from the solution cell's metadata
    check: str


@dataclass
class Lesson:
    namespace: dict
    exercises: list


def run_check(check_source: str, namespace: dict):
    """Run a check cell in ``namespace`` and return the value of its last expression (the verdict)."""
    tree = ast.parse(check_source)
    *body, last = tree.body
    assert isinstance(last, ast.Expr), "a check cell must end with the check call"
    exec(compile(ast.Module(body=body, type_ignores=[]), "<check>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<check>", "eval"), namespace)


def run_lesson(name: str) -> Lesson:
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    namespace: dict = {}
    exercises = []
    solution = None
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            tags = cell["metadata"].get("tags", [])
            if "solution" in tags:
                solution = (dict(namespace), source, cell["metadata"]["student_stub"],
                            cell["metadata"]["wrong_answer"])
            if "check" in tags:
                exercises.append(Exercise(*solution, source))
            exec(compile(source, name, "exec"), namespace)
    return Lesson(namespace, exercises)


@pytest.fixture(scope="module", params=LESSONS)
def lesson(request):
    yield request.param, run_lesson(request.param)
    plt.close("all")


def test_every_check_accepts_the_solution_and_rejects_the_stub_and_a_wrong_answer(lesson):
    name, ran = lesson
    assert len(ran.exercises) >= 3
    for number, exercise in enumerate(ran.exercises, start=1):
        with contextlib.redirect_stdout(io.StringIO()):
            verdicts = {}
            for kind, source in [("solution", exercise.solution), ("stub", exercise.stub), ("wrong", exercise.wrong)]:
                namespace = dict(exercise.before)
                exec(source, namespace)
                verdicts[kind] = bool(run_check(exercise.check, namespace))
        assert verdicts == {"solution": True, "stub": False, "wrong": False}, f"{name}, Try it {number}"


def test_sliders_redraw_the_same_figure_without_errors(lesson):
    name, ran = lesson
    panels = [value for value in ran.namespace.values() if isinstance(value, InteractiveFigure)]
    assert panels, f"{name} should have at least one interactive figure"
    for panel in panels:
        figures_before = plt.get_fignums()
        for control_name, control in panel.controls.items():
            options = getattr(control, "options", None)
            new_value = options[-1] if options else control.max
            redraws = panel.redraws
            panel.set(**{control_name: new_value})
            assert panel.redraws == redraws + 1, f"{control_name} did not redraw"
            assert not panel.messages.outputs, f"moving {control_name} raised an error in {name}"
        assert plt.get_fignums() == figures_before, "a slider move must not create a figure"

"""Lesson 04's "Try it" checks accept the worked solution and reject the stub and a plausible
wrong answer. The code is taken from the notebook itself, so the test follows the lesson."""

import ast
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

LESSON = Path(__file__).resolve().parent.parent / "notebooks" / "04_mlp_backprop.ipynb"
CELLS = json.loads(LESSON.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def code_cell(containing):
    matches = [c for c in CELLS if c["cell_type"] == "code" and containing in source(c)]
    assert len(matches) == 1, f"expected one code cell containing {containing!r}, found {len(matches)}"
    return source(matches[0])


def run(code, namespace):
    """Execute a cell's code; return the value of its last line if that is an expression, as Jupyter shows it."""
    *body, last = ast.parse(code).body
    exec(compile(ast.Module(body, type_ignores=[]), "<cell>", "exec"), namespace)
    if isinstance(last, ast.Expr):
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    exec(compile(ast.Module([last], type_ignores=[]), "<cell>", "exec"), namespace)
    return None


def exercises():
    """(solution, stub, wrong answer, check) sources of each exercise, in order."""
    found = []
    for index, cell in enumerate(CELLS):
        if "solution" in cell["metadata"].get("tags", []):
            meta = cell["metadata"]
            found.append((source(cell), meta["student_stub"], meta["wrong_answer"], source(CELLS[index + 1])))
    return found


def verdicts(context, exercise):
    """The check's verdict after the solution, after the stub and after the wrong answer."""
    results = []
    for answer_code in exercise[:3]:
        namespace = dict(context)
        run(answer_code, namespace)
        results.append(bool(run(exercise[3], namespace)))
    plt.close("all")
    return results


@pytest.fixture(scope="module")
def setup():
    namespace = {}
    run(code_cell("use_course_style()"), namespace)
    return namespace


def test_the_lesson_has_four_exercises():
    assert len(exercises()) == 4


def test_collapsed_bias(setup):
    context = dict(setup)
    run(code_cell("def named_this_year"), context)
    run(code_cell("W_single, b_single = np.eye(3)"), context)
    assert verdicts(context, exercises()[0]) == [True, False, False]


def test_sigmoid_backward(setup):
    context = dict(setup)
    run(code_cell("activations = {"), context)
    assert verdicts(context, exercises()[1]) == [True, False, False]


def test_zero_start_prediction(setup):
    assert verdicts(dict(setup), exercises()[2]) == [True, False, False]


def test_choose_a_width(setup):
    context = dict(setup)
    fitting = code_cell("def fit_curve")
    run(fitting[:fitting.index("DEPTHS = ")], context)  # the data and fit_curve, without the full grid
    run("WIDTHS = (1, 2, 3, 4, 5, 6, 8, 16)\nfits = {(1, w): fit_curve([w]) for w in WIDTHS}", context)
    assert f"WIDTHS = {context['WIDTHS']}" in fitting, "the lesson's widths changed: update this test"
    assert verdicts(context, exercises()[3]) == [True, False, False]

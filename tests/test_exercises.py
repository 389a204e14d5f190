"""Every exercise of every lesson, and every slider of every interactive figure, tested alike.

For each exercise the stub, the stored wrong answer and the solution are each run on their own
from the lesson's exact state before the exercise (tests/exercises.py explains how):

- the stub           → ✗ saying it is not filled in yet;
- the wrong answer   → ✗;
- the solution       → ✓;

and none of them may crash its own cell or the check. Exercises are found by their cell tags,
so a new exercise is tested the moment it is added.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exercises import VARIANTS, exercises
from lessons import LESSONS, ROOT, load, source

HARNESS = Path(__file__).resolve().parent / "exercises.py"


def cells_of(path: Path) -> list[dict]:
    return load(path)["cells"]


@functools.cache
def report(path: Path) -> dict:
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"exercises-{os.getpid()}-{path.stem}.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, str(HARNESS), str(path), str(out)], capture_output=True, text=True,
                         timeout=600, env=env)
    assert run.returncode == 0, f"the harness failed on {path.name}:\n{run.stderr[-3000:]}"
    try:
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink()


EXERCISES = [(path, number) for path in LESSONS for number in range(len(exercises(cells_of(path))))]
INTERACTIVE = [path for path in LESSONS
               if any("interactive_figure(" in source(cell) for cell in cells_of(path) if cell["cell_type"] == "code")]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_complete_exercises(path):
    found = exercises(cells_of(path))
    assert len(found) >= (1 if path.name.startswith("00") else 3), f"{path.name} has {len(found)} exercises"
    for exercise in found:
        assert exercise["stub"] and "..." in exercise["stub"], f"cell {exercise['cell']}: stub without ..."
        assert exercise["wrong"], f"cell {exercise['cell']}: no wrong_answer stored"
        assert exercise["wrong"].strip() != exercise["solution"].strip(), f"cell {exercise['cell']}"
        assert exercise["check"], f"cell {exercise['cell']}: the solution is not followed by a check cell"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_under_the_harness_without_errors(path):
    assert report(path)["cell_errors"] == []


@pytest.mark.parametrize("path, number", EXERCISES, ids=lambda value: value.stem if isinstance(value, Path) else
                         f"try-it-{value + 1}")
def test_stub_says_not_filled_in_wrong_answer_fails_solution_passes(path, number):
    tried = report(path)["exercises"][number]
    for variant in VARIANTS:
        outcome = tried[variant]
        assert "error" not in outcome, outcome
        assert outcome["answer_error"] is None, f"{variant}: its own cell raised {outcome['answer_error']}"
        assert outcome["check_error"] is None, f"{variant}: the check cell raised {outcome['check_error']}"
        assert outcome["verdicts"], f"{variant}: the check cell showed no verdict"
    stub, wrong, solution = (tried[variant]["verdicts"] for variant in VARIANTS)
    assert all(not v["passed"] and "not filled in yet" in v["message"] for v in stub), stub
    assert any(not v["passed"] for v in wrong), f"the stored wrong answer passes its check: {wrong}"
    assert all(v["passed"] for v in solution), solution


@pytest.mark.parametrize("path", INTERACTIVE, ids=lambda p: p.stem)
def test_every_control_at_its_ends_and_middle_redraws_a_new_image_without_errors(path):
    moves = report(path)["moves"]
    assert moves, "the lesson builds an interactive figure, but no control was moved"
    problems = [move for move in moves
                if not (move["redrew"] and move["image_changed"]) or move["errors"] or move["extra_figures"]]
    assert not problems, json.dumps(problems, indent=1)

"""One harness for every "Try it" exercise and every interactive figure of every lesson.

A lesson is executed once, cell by cell, in an IPython shell inside a child process of its
own (so nothing of it leaks into pytest). At each exercise the process forks three times:
each fork holds the lesson's exact state just before the exercise (a real copy of the
process, not a shallow copy of a namespace that later cells would mutate) and runs one
answer — the student stub, the stored wrong answer or the solution — followed by the check
cell. The checks' verdicts are collected by wrapping ``helpers.check._show``. The parent
then goes on with the solution, as the committed lesson does.

After the last cell, every figure built with ``helpers.widgets.interactive_figure`` has each
of its controls moved to its low end, a middle value and its high end, and the harness
records whether each move redrew the figure, changed its image, printed an error or left an
extra figure open.

Run as ``python tests/exercises.py NOTEBOOK OUT.json``; tests/test_exercises.py does that.
Needs ``os.fork`` (Linux and macOS), as CI has.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

from lessons import load, source, tags

VARIANTS = ("stub", "wrong", "solution")


def exercises(cells: list[dict]) -> list[dict]:
    """The exercises of a notebook, in order: solution, stub, wrong answer and check sources.

    An exercise is a cell tagged ``solution`` followed at once by a cell tagged ``check``.
    """
    found = []
    for index, cell in enumerate(cells):
        if "solution" not in tags(cell):
            continue
        following = cells[index + 1] if index + 1 < len(cells) else {}
        metadata = cell["metadata"]
        found.append({
            "cell": index,
            "solution": source(cell),
            "stub": metadata.get("student_stub"),
            "wrong": metadata.get("wrong_answer"),
            "check": source(following) if "check" in tags(following) else None,
        })
    return found


def _run_cell(shell, code: str) -> str | None:
    """Run one cell as Jupyter would; return the error it raised, or None."""
    result = shell.run_cell(code, store_history=False, silent=False)
    error = result.error_before_exec or result.error_in_exec
    return None if error is None else f"{type(error).__name__}: {error}"


def _in_fork(job) -> dict:
    """Run ``job()`` in a forked copy of this process and return the dict it produced."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a copy of the lesson's state at this moment
        os.close(read_end)
        try:
            payload = json.dumps(job())
        except BaseException as error:  # noqa: BLE001 - whatever happens, the parent must hear of it
            payload = json.dumps({"error": f"harness: {type(error).__name__}: {error}"})
        with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(text) if text else {"error": "harness: the forked run died without a report"}


def _control_values(control) -> list:
    """Low end, a middle value and high end of a control, as a learner can set them."""
    import ipywidgets as widgets

    if isinstance(control, widgets.FloatLogSlider):
        exponents = [control.min, (control.min + control.max) / 2, control.max]
        return [control.base ** e for e in exponents]
    if hasattr(control, "options") and control.options:
        options = control.options
        values = list(options.values()) if isinstance(options, dict) else [
            option[1] if isinstance(option, tuple) else option for option in options]
        return [values[0], values[len(values) // 2], values[-1]]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [not control.value, control.value]
    if hasattr(control, "min") and hasattr(control, "max"):
        middle = (control.min + control.max) / 2
        if isinstance(control.value, int):
            middle = int(round(middle))
        return [control.min, middle, control.max]
    raise TypeError(f"the harness does not know how to move a {type(control).__name__}")


def _move_every_control(panels: list, plt) -> list[dict]:
    moves = []
    for number, panel in enumerate(panels):
        frames: list[bytes] = []
        panel.handle.update = lambda image, **_: frames.append(image.data)
        for name, control in panel.controls.items():
            start = control.value
            targets = [v for v in _control_values(control) if v != control.value] + [start]
            for target in targets:
                figures_before = len(plt.get_fignums())
                redraws, frames_before = panel.redraws, len(frames)
                previous = frames[-1] if frames else None
                control.value = target
                outputs = [dict(o) for o in panel.messages.outputs]
                new_frame = frames[-1] if len(frames) > frames_before else None
                moves.append({
                    "figure": number, "control": name, "value": repr(target),
                    "redrew": panel.redraws == redraws + 1 and new_frame is not None,
                    "image_changed": new_frame is not None and new_frame != previous,
                    "errors": [o.get("text", "") for o in outputs],
                    "extra_figures": len(plt.get_fignums()) - figures_before,
                    "notice": panel.notice(),  # the message drawn in the figure when the move could not be drawn
                })
    return moves


def run_notebook(path: Path) -> dict:
    """Execute a notebook as described in the module docstring; return what was seen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell

    import helpers.check
    import helpers.widgets

    cells = load(path)["cells"]
    os.chdir(path.parent)
    shell = InteractiveShell.instance()
    verdicts: list[dict] = []
    show = helpers.check._show

    def recording_show(verdict):
        verdicts.append({"passed": verdict.passed, "message": verdict.message})
        return show(verdict)

    helpers.check._show = recording_show
    panels: list = []
    build = helpers.widgets.interactive_figure

    def recording_build(*args, **kwargs):
        panel = build(*args, **kwargs)
        panels.append(panel)
        return panel

    helpers.widgets.interactive_figure = recording_build

    def try_answer(answer: str, check: str) -> dict:
        verdicts.clear()
        answer_error = _run_cell(shell, answer) if answer is not None else "no such answer stored"
        check_error = _run_cell(shell, check) if check is not None else "no check cell"
        plt.close("all")
        return {"answer_error": answer_error, "check_error": check_error, "verdicts": list(verdicts)}

    report: dict = {"cell_errors": [], "exercises": [], "moves": []}
    found = {exercise["cell"]: exercise for exercise in exercises(cells)}
    with contextlib.redirect_stdout(io.StringIO()):
        for index, cell in enumerate(cells):
            if cell["cell_type"] != "code" or "check" in tags(cell):
                continue  # a check cell runs after its solution, below
            if index in found:
                exercise = found[index]
                tried = {variant: _in_fork(lambda v=variant: try_answer(exercise[v], exercise["check"]))
                         for variant in VARIANTS}
                report["exercises"].append({"cell": index, **tried})
                code = exercise["solution"] + "\n" + (exercise["check"] or "")
            else:
                code = source(cell)
            if (error := _run_cell(shell, code)) is not None:
                report["cell_errors"].append({"cell": index, "error": error})
        report["moves"] = _move_every_control(panels, plt)
    return report


if __name__ == "__main__":
    notebook, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from network_guard import block_network  # offline, as every test run of a lesson

    block_network()
    out.write_text(json.dumps(run_notebook(notebook), indent=1), encoding="utf-8")

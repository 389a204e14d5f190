"""Every lesson notebook follows the course conventions (CONTRIBUTING.md).

nbval (run by the same `python -m pytest`) re-executes each notebook and compares its
outputs; these tests check what nbval cannot: the committed file's hygiene and structure.
"""

import json
import re

import pytest

from helpers.course import lessons
from lessons import LESSONS, NOTEBOOKS, load, source, tags

PATHS = LESSONS
BINDER = "https://mybinder.org/v2/gh/three-good-students/course/HEAD?urlpath=lab/tree/notebooks/"


def test_the_course_has_its_first_lessons():
    assert {p.name[:2] for p in PATHS} >= {"00", "01"}


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_committed_executed_in_order_without_errors(path):
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code" and source(c).strip()]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), \
        "run the notebook top to bottom in a fresh kernel before committing"
    for cell in code:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"error output in cell: {source(cell)[:80]}"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), \
                f"warning or error text in cell: {source(cell)[:80]}\n{''.join(output['text'])[:300]}"
    assert path.stat().st_size < 2_000_000, "notebook over 2 MB: fewer or smaller figures"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_first_cell_introduces_the_lesson(path):
    first = load(path)["cells"][0]
    text = source(first)
    assert first["cell_type"] == "markdown"
    assert re.match(rf"# {path.name[:2]} · \S", text), "first line: '# NN · Title'"
    assert f"({BINDER}{path.name})" in text, "Binder badge opening this notebook"
    for field in ("**Promise:**", "**You will learn**", "**Before this:**", "**Time:** about"):
        assert field in text, f"first cell lacks {field}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_last_cell_summarises_and_links_onwards(path):
    last = source(load(path)["cells"][-1])
    assert "## Summary" in last
    later = [p for p in PATHS if p.name > path.name]
    if later:
        assert f"]({later[0].name})" in last, f"the last cell should link to the next lesson, {later[0].name}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_local_links_point_to_existing_files(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", source(cell)):
            if not re.match(r"[a-z]+:", target):
                assert (path.parent / target).exists(), f"broken link {target} in {path.name}"


@pytest.mark.parametrize("path", [p for p in PATHS if p.name >= "01"], ids=lambda p: p.name)
def test_exercises_have_folded_solutions_stubs_and_checks(path):
    cells = load(path)["cells"]
    exercises = 0
    for index, cell in enumerate(cells):
        if "solution" not in tags(cell):
            continue
        exercises += 1
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, "solutions are folded"
        assert cell["metadata"].get("student_stub", "").strip(), "solution without a student_stub"
        assert "..." in cell["metadata"]["student_stub"]
        following = cells[index + 1]
        assert "check" in tags(following) and "check." in source(following), "each solution is followed by its check"
        assert "✓" in json.dumps(following["outputs"], ensure_ascii=False), "the committed solution passes its check"
    assert exercises >= 3, f"{path.name} has {exercises} exercises; every lesson from 01 on needs at least 3"


def test_lesson_table_lists_every_notebook():
    assert [lesson.file for lesson in lessons(NOTEBOOKS)] == [p.name for p in PATHS]

"""The course as a whole: slides, navigation, README table, glossary, teacher guide, links."""

import copy
import json
import re
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest

from lessons import LESSONS as PATHS
from lessons import NOTEBOOKS, ROOT, load
from tools import course

FIX = "run `python -m tools.course` and commit the result"


def cell(kind, text, tags=()):
    return {"cell_type": kind, "source": text, "metadata": {"tags": list(tags)}}


def test_slide_rule_on_a_hand_made_lesson():
    cells = [cell("markdown", "# 01 · Title"), cell("code", "import numpy"), cell("markdown", "## 1. Idea"),
             cell("markdown", "More words."), cell("code", "plot()"), cell("markdown", "After the figure."),
             cell("markdown", "### Try it 1: go"), cell("code", "answer = 1", ["solution"]),
             cell("code", "check.close_to(answer, 1)", ["check"])]
    notebook = {"cells": cells}
    course.add_slide_metadata(notebook)
    assert [c["metadata"]["slideshow"]["slide_type"] for c in cells] == [
        "slide", "skip", "slide", "-", "-", "subslide", "subslide", "skip", "skip"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_every_cell_has_its_slide_metadata(path):
    notebook = load(path)
    expected = json.loads(json.dumps(notebook))
    course.add_slide_metadata(expected)
    assert [c["metadata"].get("slideshow") for c in notebook["cells"]] == \
        [c["metadata"]["slideshow"] for c in expected["cells"]], FIX


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_every_section_heading_opens_its_own_cell(path):
    # Only a cell's first line can open a slide: a "## " heading further down would start a section that the
    # slideshow shows as the tail of the previous one.
    buried = [(index, line) for index, cell in enumerate(load(path)["cells"]) if cell["cell_type"] == "markdown"
              for line in "".join(cell["source"]).splitlines()[1:] if line.startswith("## ")]
    assert not buried, f"split these cells so the heading comes first (cell index, heading): {buried}"


@pytest.mark.parametrize("index", range(len(PATHS)), ids=[p.name for p in PATHS])
def test_every_lesson_ends_with_navigation(index):
    last = "".join(load(PATHS[index])["cells"][-1]["source"])
    line = course.navigation_line(course.lessons(NOTEBOOKS), index)
    assert last.endswith(line), FIX
    if index > 0:
        assert f"]({PATHS[index - 1].name})" in line
    if index + 1 < len(PATHS):
        assert f"]({PATHS[index + 1].name}) →" in line


def test_readme_lesson_table_matches_the_notebooks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert course.updated_readme(readme, course.readme_table(NOTEBOOKS)) == readme, FIX
    for path in PATHS:
        assert f"(notebooks/{path.name})" in readme


def test_every_solution_and_check_cell_is_skipped_in_slides():
    for path in PATHS:
        for index, cell in enumerate(load(path)["cells"]):
            if {"solution", "check"} & set(cell["metadata"].get("tags", [])):
                assert cell["metadata"].get("slideshow", {}).get("slide_type") == "skip", \
                    f"{path.name} cell {index} would be on a slide. {FIX}"


def slides_html(notebook: dict) -> str:
    from nbconvert import SlidesExporter

    html, _ = SlidesExporter().from_notebook_node(nbformat.reads(json.dumps(notebook), as_version=4))
    return html


def with_markers(notebook: dict) -> tuple[dict, list[str]]:
    """The notebook with a unique comment added to every solution and check cell, and those comments."""
    notebook = copy.deepcopy(notebook)
    markers = []
    for index, cell in enumerate(notebook["cells"]):
        if {"solution", "check"} & set(cell["metadata"].get("tags", [])):
            markers.append(f"slidemarker{index}x")
            cell["source"] = f"# {markers[-1]}\n" + "".join(cell["source"])
    return notebook, markers


def test_slides_export_leaves_out_every_solution_and_check_and_the_test_can_tell():
    lesson = load(NOTEBOOKS / "01_linear_weights.ipynb")
    marked, markers = with_markers(lesson)
    html = slides_html(marked)
    assert "Three good students: linear weights" in html
    assert markers and not [m for m in markers if m in html]
    # The same export with one solution put back on a slide must show it, or the test above proves nothing.
    first = next(c for c in marked["cells"] if "solution" in c["metadata"].get("tags", []))
    first["metadata"]["slideshow"] = {"slide_type": "-"}
    assert markers[0] in slides_html(marked)


def glossary():
    table = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \| (\d\d) \|$", table, re.MULTILINE)
    return {english.lower(): (chinese, lesson) for english, chinese, lesson in rows}


def test_glossary_is_large_enough_and_unique():
    terms = glossary()
    assert len(terms) >= 60
    assert "gradient descent" in terms and terms["gradient descent"][0] == "梯度下降"


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_bold_terms_with_chinese_are_in_the_glossary(path):
    terms = glossary()
    for c in load(path)["cells"]:
        if c["cell_type"] != "markdown":
            continue
        for english, inside in re.findall(r"\*\*([^*()]+?) \(([^)]+)\)\*\*", "".join(c["source"])):
            chinese = [part.strip() for part in inside.split(",") if CJK.search(part)]
            if not chinese:
                continue
            key = english.strip().lower()
            key = key if key in terms else key.rstrip("s")
            assert key in terms, f"{english!r} ({chinese[0]}) is missing from docs/glossary.md"
            assert terms[key][0] == chinese[0], f"{english!r}: lesson says {chinese[0]}, glossary {terms[key][0]}"


def test_teacher_guide_covers_every_lesson():
    guide = (ROOT / "docs" / "teacher_guide.md").read_text(encoding="utf-8")
    for lesson in course.lessons(NOTEBOOKS):
        assert re.search(rf"^## {lesson.number} · ", guide, re.MULTILINE), f"no teacher notes for lesson {lesson.number}"


def markdown_files():
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: p.name)
def test_links_in_documents_resolve(path):
    text = re.sub(r"```.*?```|`[^`]*`", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)  # code is not a link
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith("https://mybinder.org/v2/gh/"):
            query = parse_qs(urlparse(target).query)
            notebook = query["urlpath"][0].removeprefix("lab/tree/")
            assert (ROOT / notebook).exists(), f"Binder link to a missing file: {target}"
        elif not re.match(r"[a-z]+:", target) and not target.startswith("#"):
            assert (path.parent / target.split("#")[0]).exists(), f"broken link {target} in {path.name}"

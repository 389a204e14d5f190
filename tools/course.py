"""Keep the lessons in step: slide metadata, the navigation line, the README table, student copies.

A maintainer command, run from a checkout of the course (it edits the files of the checkout)::

    python -m tools.course

It applies the rules below to every lesson, so a new lesson gets its slide layout, its
navigation line and its README row by running one command, then regenerates student/
(see tools/student.py). Tests fail while any of these is stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat

from helpers.course import Lesson, lessons
from tools import student

ROOT = Path(__file__).resolve().parent.parent
NAVIGATION_MARK = "<!-- navigation: written by python -m tools.course -->"
_ANY_NAVIGATION_MARK = re.compile(r"<!-- navigation: written by [^>]*-->")
README_START, README_END = "<!-- lessons:start -->", "<!-- lessons:end -->"


def slide_type(cell: dict, previous: dict | None, first_code: bool) -> str:
    """The slideshow role of a cell, for RISE or ``jupyter nbconvert --to slides``.

    Sections (``##``) open a slide, exercises and sub-sections (``###``) a sub-slide,
    and prose after a figure a new sub-slide so nothing runs off the screen. The set-up
    cell, the worked solutions and the checks are skipped: in a lecture, the class does
    the exercises.
    """
    text = "".join(cell["source"]).lstrip()
    tags = cell.get("metadata", {}).get("tags", [])
    if cell["cell_type"] == "code":  # a comment line "# ..." is not a heading
        return "skip" if first_code or "solution" in tags or "check" in tags else "-"
    if previous is None or text.startswith("## ") or text.startswith("# "):
        return "slide"
    if text.startswith("### "):
        return "subslide"
    return "subslide" if previous["cell_type"] == "code" else "-"


def add_slide_metadata(notebook: dict) -> None:
    """Give every cell of ``notebook`` its slideshow metadata (see :func:`slide_type`)."""
    previous, seen_code = None, False
    for cell in notebook["cells"]:
        first_code = cell["cell_type"] == "code" and not seen_code
        seen_code = seen_code or cell["cell_type"] == "code"
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": slide_type(cell, previous, first_code)}
        previous = cell


def navigation_line(all_lessons: list[Lesson], index: int) -> str:
    """The line that ends every lesson: previous lesson, the lesson table, next lesson."""
    parts = []
    if index > 0:
        before = all_lessons[index - 1]
        parts.append(f"← [{before.number} · {before.title}]({before.file})")
    parts.append("[all lessons](../README.md#lessons)")
    if index + 1 < len(all_lessons):
        after = all_lessons[index + 1]
        parts.append(f"[{after.number} · {after.title}]({after.file}) →")
    return f"{NAVIGATION_MARK}\n---\n" + " · ".join(parts)


def add_navigation(notebook: dict, line: str) -> None:
    """Replace (or add) the navigation line at the end of the notebook's last cell."""
    last = notebook["cells"][-1]
    if last["cell_type"] != "markdown":
        raise ValueError("the last cell of a lesson must be a markdown summary")
    text = _ANY_NAVIGATION_MARK.split("".join(last["source"]))[0].rstrip()
    last["source"] = f"{text}\n\n{line}"


def readme_table(folder: str | Path) -> str:
    """The README's lesson table: number, linked title, promise, time."""
    rows = ["| # | lesson | what you will do | time |", "|---|---|---|---|"]
    for lesson in lessons(folder):
        first = "".join(json.loads((Path(folder) / lesson.file).read_text(encoding="utf-8"))["cells"][0]["source"])
        promise = re.search(r"\*\*Promise:\*\*\s*(.+?)(?:\n\n|$)", first, re.DOTALL)
        text = " ".join(promise.group(1).split()) if promise else ""
        minutes = f"{lesson.minutes} min" if lesson.minutes else ""
        rows.append(f"| {lesson.number} | [{lesson.title}](notebooks/{lesson.file}) | {text} | {minutes} |")
    return "\n".join(rows)


def updated_readme(readme: str, table: str) -> str:
    """``readme`` with the text between the lesson-table markers replaced by ``table``."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md must contain the markers {README_START} and {README_END}")
    return readme[:start + len(README_START)] + "\n" + table + "\n" + readme[end:]


def sync(root: str | Path) -> list[str]:
    """Apply slides, navigation and the README table to the course in ``root``; return what changed."""
    root = Path(root)
    folder = root / "notebooks"
    all_lessons = lessons(folder)
    changed = []
    for index, lesson in enumerate(all_lessons):
        path = folder / lesson.file
        notebook = nbformat.read(path, as_version=4)
        before = nbformat.writes(notebook)
        add_slide_metadata(notebook)
        add_navigation(notebook, navigation_line(all_lessons, index))
        if nbformat.writes(notebook) != before:
            nbformat.write(notebook, path)
            changed.append(str(path.relative_to(root)))
    readme_path = root / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    new_readme = updated_readme(readme, readme_table(folder))
    if new_readme != readme:
        readme_path.write_text(new_readme, encoding="utf-8")
        changed.append("README.md")
    return changed


if __name__ == "__main__":
    print("updated:", ", ".join(sync(ROOT)) or "nothing")
    sys.exit(student.main([]))

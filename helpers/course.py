"""The list of lessons, read from the notebooks' own first cells.

Lesson 00 shows it as a table of contents; keeping the titles and time
estimates in the notebooks alone means the table can never go stale.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_TITLE = re.compile(r"^#\s+(\d\d)\s+·\s+(.+?)\s*$", re.MULTILINE)
_TIME = re.compile(r"\*\*Time:\*\*\s*about\s+(\d+)\s+minutes")


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course, as its first cell describes it."""

    number: str
    title: str
    file: str
    minutes: int | None


def lessons(folder: str | Path) -> list[Lesson]:
    """Every ``NN_name.ipynb`` in ``folder`` whose first cell starts with ``# NN · Title``, in order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder must be a directory holding the lesson notebooks, got {str(folder)!r}")
    found = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        first = "".join(cells[0]["source"]) if cells else ""
        title = _TITLE.search(first)
        if title is None:
            continue
        time = _TIME.search(first)
        found.append(Lesson(title.group(1), title.group(2), path.name, int(time.group(1)) if time else None))
    return found


def lesson_table(folder: str | Path) -> str:
    """A Markdown table of the lessons in ``folder``, with links, for a notebook or the README."""
    rows = ["| # | lesson | time |", "|---|---|---|"]
    for lesson in lessons(folder):
        minutes = f"{lesson.minutes} min" if lesson.minutes else ""
        rows.append(f"| {lesson.number} | [{lesson.title}]({lesson.file}) | {minutes} |")
    return "\n".join(rows)

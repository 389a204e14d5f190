"""The environment check of lesson 00: is everything the course needs installed?"""

from __future__ import annotations

import html
import platform
from dataclasses import dataclass
from importlib import metadata

from packaging.version import Version

REQUIREMENTS = {
    "numpy": "1.24",
    "matplotlib": "3.7",
    "ipywidgets": "8.0",
    "ipykernel": "6.0",
    "jupyterlab": "4.0",
}
"""Minimum versions, the same lower bounds as requirements.txt."""

MINIMUM_PYTHON = "3.10"


@dataclass(frozen=True)
class Requirement:
    """One row of the environment table."""

    name: str
    needed: str
    found: str | None

    @property
    def ok(self) -> bool:
        return self.found is not None and Version(self.found) >= Version(self.needed)


def environment_report() -> list[Requirement]:
    """Python and each package the course needs, with the version found (``None`` if missing).

    >>> rows = environment_report()
    >>> rows[0].name, rows[0].ok
    ('Python', True)
    """
    rows = [Requirement("Python", MINIMUM_PYTHON, platform.python_version())]
    for package, needed in REQUIREMENTS.items():
        try:
            found = metadata.version(package)
        except metadata.PackageNotFoundError:
            found = None
        rows.append(Requirement(package, needed, found))
    return rows


class EnvironmentTable:
    """Displays the report as a ✓/✗ table in a notebook, and as text elsewhere."""

    def __init__(self, rows: list[Requirement]):
        self.rows = rows

    def __repr__(self) -> str:
        lines = [f"{'':2}{'package':<12}{'needed':>10}{'found':>12}"]
        for row in self.rows:
            mark = "✓" if row.ok else "✗"
            lines.append(f"{mark:2}{row.name:<12}{'>= ' + row.needed:>10}{row.found or 'missing':>12}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><td>{'✓' if r.ok else '✗'}</td><td>{html.escape(r.name)}</td>"
            f"<td>&ge; {html.escape(r.needed)}</td><td>{html.escape(r.found or 'missing')}</td></tr>"
            for r in self.rows
        )
        return ("<table><thead><tr><th></th><th>package</th><th>needed</th><th>found</th></tr></thead>"
                f"<tbody>{cells}</tbody></table>")


def check_environment() -> EnvironmentTable:
    """The table lesson 00 shows: one row per requirement, ✓ when the version is new enough."""
    return EnvironmentTable(environment_report())

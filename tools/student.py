"""Student versions of the lessons: every worked solution replaced by a stub.

The lesson notebooks are the single source of truth: each "Try it" exercise has
a solution cell (tagged ``solution``, its stub in the metadata key
``student_stub``) followed by a check cell. This command writes a copy of every
lesson into ``student/`` with the solutions replaced by their stubs and all
outputs cleared, ready to hand out. A maintainer command, run from a checkout of the course::

    python -m tools.student            # (re)generate student/
    python -m tools.student --force    # also overwrite copies someone edited

It never destroys a learner's work: it remembers a fingerprint of every file it
wrote (``student/.generated.json``) and refuses to overwrite a file that has
changed since, or that it did not write, unless told ``--force``.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "notebooks"
STUDENT = ROOT / "student"
MANIFEST = ".generated.json"

_NOTE = ("> **Student version.** The worked solutions are removed: replace each `...` with your answer and run the "
         "check cell after it. The full lesson, with solutions, is in the `notebooks/` folder.")


def student_version(lesson: dict) -> dict:
    """The student copy of one lesson notebook (as a JSON dict): stubs, no outputs."""
    notebook = copy.deepcopy(lesson)
    for cell in notebook["cells"]:
        metadata = cell.get("metadata", {})
        if "solution" in metadata.get("tags", []):
            stub = metadata.get("student_stub")
            if not stub:
                raise ValueError(f"a solution cell has no student_stub in its metadata: {''.join(cell['source'])[:60]!r}")
            cell["source"] = stub
            metadata["tags"] = ["exercise" if tag == "solution" else tag for tag in metadata["tags"]]
            for key in ("jupyter", "student_stub", "wrong_answer"):
                metadata.pop(key, None)
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    first = notebook["cells"][0]
    first["source"] = "".join(first["source"]).replace("lab/tree/notebooks/", "lab/tree/student/")
    notebook["cells"].insert(1, {"cell_type": "markdown", "id": "student-version-note", "metadata": {},
                                 "source": _NOTE})
    return notebook


def render(notebook: dict) -> str:
    """Serialise a notebook exactly as JupyterLab saves it (through nbformat).

    A learner's save then changes only the cells they changed, so that a teacher's
    later fix to another cell still merges in (nbgitpuller, docs/classroom.md).
    """
    return nbformat.writes(nbformat.from_dict(notebook)) + "\n"


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expected_files(lessons: Path | None = None) -> dict[str, str]:
    """File name → content of every student file the lessons produce now."""
    files = {}
    for path in sorted((lessons or LESSONS).glob("[0-9][0-9]_*.ipynb")):
        lesson = json.loads(path.read_text(encoding="utf-8"))
        files[path.name] = render(student_version(lesson))
    return files


def generate(lessons: Path | None = None, out: Path | None = None, force: bool = False) -> list[str]:
    """Write the student versions into ``out``; return the names of the files written.

    Raises :class:`FileExistsError` naming the files that would be overwritten
    although they differ from what this command last wrote (a learner's edits),
    unless ``force`` is true. Nothing is written in that case.
    """
    out = out or STUDENT
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    files = expected_files(lessons)
    edited = [name for name in files
              if (out / name).exists() and _fingerprint((out / name).read_text(encoding="utf-8")) != manifest.get(name)]
    if edited and not force:
        raise FileExistsError(
            "these student files were changed after they were generated, so they may hold someone's work: "
            + ", ".join(edited) + ". Move them somewhere safe, or run `python -m tools.student --force` "
            "to overwrite them.")
    written = []
    for name, text in files.items():
        if not (out / name).exists() or (out / name).read_text(encoding="utf-8") != text:
            (out / name).write_text(text, encoding="utf-8")
            written.append(name)
        manifest[name] = _fingerprint(text)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.student", description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="overwrite student files even if they were edited")
    args = parser.parse_args(argv)
    try:
        written = generate(force=args.force)
    except FileExistsError as error:
        print(f"Nothing written: {error}", file=sys.stderr)
        return 1
    print(f"{len(written)} student notebook(s) written to {STUDENT.relative_to(ROOT)}/" +
          (": " + ", ".join(written) if written else " (all were up to date)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Student versions: generated from the lessons, never drifting, never overwriting work,
and an untouched copy runs to the end with every check saying "not filled in yet"."""

import json

import nbformat
import pytest
from nbclient import NotebookClient

from lessons import load
from tools import student

LESSONS = sorted(student.LESSONS.glob("[0-9][0-9]_*.ipynb"))


def test_committed_student_versions_are_exactly_what_the_generator_makes():
    expected = student.expected_files()
    committed = {p.name: p.read_text(encoding="utf-8") for p in student.STUDENT.glob("*.ipynb")}
    assert sorted(committed) == sorted(expected), "run `python -m tools.student` and commit student/"
    for name, text in expected.items():
        assert committed[name] == text, f"student/{name} is stale: run `python -m tools.student`"


def test_student_version_replaces_solutions_by_stubs_and_clears_outputs():
    lesson = load(student.LESSONS / "01_linear_weights.ipynb")
    copy_ = student.student_version(lesson)
    solutions = [c for c in lesson["cells"] if "solution" in c["metadata"].get("tags", [])]
    exercises = [c for c in copy_["cells"] if "exercise" in c["metadata"].get("tags", [])]
    assert [c["source"] for c in exercises] == [c["metadata"]["student_stub"] for c in solutions]
    assert all("jupyter" not in c["metadata"] for c in exercises)  # not folded: it is the learner's cell
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in copy_["cells"] if c["cell_type"] == "code")
    assert "Student version" in copy_["cells"][1]["source"]
    assert "lab/tree/student/01_linear_weights.ipynb" in copy_["cells"][0]["source"]
    assert "solution" in lesson["cells"][[i for i, c in enumerate(lesson["cells"]) if c in solutions][0]]["metadata"]["tags"]


def make_lessons(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    source = student.LESSONS / "01_linear_weights.ipynb"
    (lessons / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return lessons


def test_generator_never_overwrites_edited_work_unless_forced(tmp_path):
    lessons, out = make_lessons(tmp_path), tmp_path / "student"
    assert student.generate(lessons, out) == ["01_linear_weights.ipynb"]
    assert student.generate(lessons, out) == []  # up to date: nothing rewritten
    target = out / "01_linear_weights.ipynb"
    learner_work = target.read_text(encoding="utf-8").replace("answer = ...", "answer = 90", 1)
    target.write_text(learner_work, encoding="utf-8")
    with pytest.raises(FileExistsError, match="--force"):
        student.generate(lessons, out)
    assert target.read_text(encoding="utf-8") == learner_work
    assert student.generate(lessons, out, force=True) == ["01_linear_weights.ipynb"]
    assert target.read_text(encoding="utf-8") != learner_work


def test_generator_refuses_a_file_it_did_not_write(tmp_path):
    lessons, out = make_lessons(tmp_path), tmp_path / "student"
    out.mkdir()
    (out / "01_linear_weights.ipynb").write_text("my own notes", encoding="utf-8")
    with pytest.raises(FileExistsError, match="01_linear_weights"):
        student.generate(lessons, out)
    assert (out / "01_linear_weights.ipynb").read_text(encoding="utf-8") == "my own notes"


def test_command_line_reports_refusal(tmp_path, monkeypatch, capsys):
    lessons, out = make_lessons(tmp_path), tmp_path / "student"
    monkeypatch.setattr(student, "LESSONS", lessons)
    monkeypatch.setattr(student, "STUDENT", out)
    monkeypatch.setattr(student, "ROOT", tmp_path)
    assert student.main([]) == 0
    (out / "01_linear_weights.ipynb").write_text("edited", encoding="utf-8")
    assert student.main([]) == 1
    assert "Nothing written" in capsys.readouterr().err


def run(notebook_dict, folder):
    notebook = nbformat.reads(json.dumps(notebook_dict), as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return notebook


@pytest.mark.parametrize("path", sorted(student.STUDENT.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_untouched_student_copy_runs_and_every_check_says_not_filled_in(path):
    """What a learner sees on opening a student copy and running it all before writing anything."""
    notebook = run(load(path), path.parent)  # raises, naming the cell, if any cell fails
    checks = [cell for cell in notebook.cells if "check" in cell.metadata.get("tags", [])]
    assert checks, "a student copy without exercises"
    for cell in checks:
        texts = [output.get("text", "") + output.get("data", {}).get("text/plain", "") for output in cell.outputs]
        assert texts and all(text.startswith("✗") and "not filled in yet" in text for text in texts), texts

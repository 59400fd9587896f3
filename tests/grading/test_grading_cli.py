"""The instructor's commands that need no nbgrader run: collect, build, lint, errors."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from grading_batch import NOT_JSON, REPO, WORKING_FOLDERS

from course_tools.grading import pipeline
from course_tools.grading.cli import main


@pytest.fixture
def course_copy(tmp_path):
    root = tmp_path / "autograded"
    shutil.copytree(REPO / "autograded", root, ignore=shutil.ignore_patterns(*WORKING_FOLDERS))
    return pipeline.Course(root)


def _notebook(text="x = 1"):
    return nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(text)]))


def test_collect_accepts_both_layouts_and_reports_the_rest(course_copy, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    (inbox / "ada").mkdir(parents=True)
    (inbox / "ada" / "00_warm_up.ipynb").write_text(_notebook(), encoding="utf-8")
    (inbox / "bob" / "00_warm_up").mkdir(parents=True)
    (inbox / "bob" / "00_warm_up" / "00_warm_up.ipynb").write_text(_notebook(), encoding="utf-8")
    (inbox / "cy").mkdir()
    (inbox / "cy" / "00_warm_up.ipynb").write_text(NOT_JSON, encoding="utf-8")
    (inbox / "dee").mkdir()
    (inbox / "dee" / "notes.txt").write_text("no notebook", encoding="utf-8")
    (inbox / "eve").mkdir()
    (inbox / "eve" / "00_warm_up.ipynb").write_text('{"not": "a notebook"}', encoding="utf-8")

    status = main(["--root", str(course_copy.root), "collect", "00_warm_up", str(inbox)])
    out = capsys.readouterr().out
    assert status == 1, "a malformed submission needs the instructor's attention"
    assert course_copy.students("00_warm_up") == ["ada", "bob"]
    assert "MALFORMED cy: 00_warm_up.ipynb is not valid notebook JSON (" in out
    assert "MALFORMED eve: 00_warm_up.ipynb is JSON, but not a Jupyter notebook" in out
    assert "nothing from dee" in out
    kept = course_copy.folder("malformed", "cy", "00_warm_up") / "00_warm_up.ipynb"
    assert kept.read_text(encoding="utf-8") == NOT_JSON

    status = main(["--root", str(course_copy.root), "collect", "00_warm_up", str(inbox)])
    assert "(replaced an earlier copy)" in capsys.readouterr().out


def test_read_notebook_gives_plain_reasons(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="not a text file"):
        pipeline.read_notebook(path)
    path.write_text(_notebook(), encoding="utf-8")
    assert pipeline.read_notebook(path).cells[0].source == "x = 1"


def test_build_check_and_lint_on_the_warm_up(capsys):
    assert main(["build", "--check", str(REPO / "autograded" / "authoring" / "00_warm_up.py")]) == 0
    assert main(["lint", "00_warm_up"]) == 0
    out = capsys.readouterr().out
    assert "up to date" in out and "00_warm_up.ipynb: ok" in out


def test_errors_are_one_clear_line(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "lint"]) == 1
    assert "is not a course folder: it has no nbgrader_config.py" in capsys.readouterr().err
    assert main(["collect", "99_missing", str(tmp_path)]) == 1
    assert "No assignment '99_missing'" in capsys.readouterr().err
    assert main(["new-assignment", "Bad Name"]) == 1
    assert "two digits" in capsys.readouterr().err


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("release", "collect", "autograde", "feedback", "grades", "build", "lint", "new-assignment"):
        assert command in out

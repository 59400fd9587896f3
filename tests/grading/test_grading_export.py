"""The per-question export (``export-questions``) from a small SQLite gradebook built by hand.

Two assignments, three learners: one fully graded (with a late penalty), one whose hand-graded
answer still waits, one who submitted only the second assignment, and a fourth who never
submitted anything. Names and an LMS id come from the gradebook's student table.
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from grading_batch import REPO, WORKING_FOLDERS

from course_tools.grading import pipeline
from course_tools.grading.cli import main
from course_tools.grading.export import canvas_table, question_grades


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("HSML_GRADEBOOK_URL", raising=False)  # the SQLite gradebook beside the config
        root = tmp_path_factory.mktemp("export") / "autograded"
        shutil.copytree(REPO / "autograded", root, ignore=shutil.ignore_patterns(*WORKING_FOLDERS))
        course = pipeline.Course(root)
        course.config()  # read while the variable is unset
    pipeline._ask_alembic_in_process()  # no `alembic` subprocess when the gradebook is created
    with course.gradebook() as gb, pipeline._quiet_nbgrader():
        gb.add_assignment("hw1")
        gb.add_notebook("hw1", "hw1")
        for name, points in (("q2-tests", 2), ("q1-tests", 1)):  # added out of notebook order
            gb.add_grade_cell(name, "hw1", "hw1", max_score=points, cell_type="code")
        gb.add_grade_cell("q3-essay", "hw1", "hw1", max_score=3, cell_type="markdown")
        gb.add_solution_cell("q3-essay", "hw1", "hw1")
        gb.add_assignment("hw2")
        gb.add_notebook("hw2", "hw2")
        gb.add_grade_cell("p1-tests", "hw2", "hw2", max_score=4, cell_type="code")
        gb.add_student("ada", first_name="Ada", last_name="Lovelace", lms_user_id="1001")
        gb.add_student("bob")
        gb.add_student("cy")
        gb.add_student("dee")
        for student, assignment, scores in (
            ("ada", "hw1", {"q1-tests": 1, "q2-tests": 2, "q3-essay": ("manual", 2.5)}),
            ("ada", "hw2", {"p1-tests": 3}),
            ("bob", "hw1", {"q1-tests": 0, "q2-tests": 1, "q3-essay": ("pending", None)}),
            ("bob", "hw2", {"p1-tests": 4}),
            ("cy", "hw2", {"p1-tests": 0.5}),
        ):
            submission = gb.add_submission(assignment, student)
            for name, score in scores.items():
                grade = gb.find_grade(name, assignment, assignment, student)
                if isinstance(score, tuple):
                    grade.manual_score = score[1]
                    grade.needs_manual_grade = score[0] == "pending"
                else:
                    grade.auto_score = score
                    grade.needs_manual_grade = False
            if (student, assignment) == ("ada", "hw2"):
                submission.notebooks[0].late_submission_penalty = 1.0
        gb.db.commit()
    return course


def _table(text):
    return list(csv.reader(io.StringIO(text)))


def test_one_row_per_learner_one_column_per_question_plus_totals(course, capsys, monkeypatch):
    monkeypatch.delenv("HSML_GRADEBOOK_URL", raising=False)
    status = main(["--root", str(course.root), "export-questions", "--section", "Cohort A"])
    out = capsys.readouterr().out
    assert status == 0, out
    header, points, *rows = _table((course.root / "grades_by_question.csv").read_text(encoding="utf-8"))
    assert header == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "hw1: q1-tests",
        "hw1: q2-tests",
        "hw1: q3-essay",
        "hw1: total",
        "hw2: p1-tests",
        "hw2: total",
        "Total",
    ]
    assert points == ["Points Possible", "", "", "", "", "1", "2", "3", "6", "4", "4", "10"]
    assert rows == [
        # graded everywhere; hw2 late by one point
        ["Lovelace, Ada", "1001", "", "ada", "Cohort A", "1", "2", "2.5", "5.5", "3", "2", "7.5"],
        # the essay waits for its manual grade: no hw1 total, no Total
        ["bob", "", "", "bob", "Cohort A", "0", "1", "", "", "4", "4", ""],
        # submitted hw2 only: hw1 blank, counted 0 in Total
        ["cy", "", "", "cy", "Cohort A", "", "", "", "", "0.5", "0.5", "0.5"],
        ["dee", "", "", "dee", "Cohort A", "", "", "", "", "", "", "0"],
    ]
    assert "bob: waits for a manual grade in hw1 (totals left blank)" in out
    assert "cy: nothing graded in hw1" in out


def test_question_order_follows_the_source_notebook_when_there_is_one(course):
    with course.gradebook() as gb:
        grades = question_grades(gb, {"hw1": ["q2-tests", "q3-essay", "q1-tests"]})
    assert [q.grade_id for q in grades.questions] == ["q2-tests", "q3-essay", "q1-tests", "p1-tests"]


@pytest.mark.parametrize(
    "only, columns",
    [
        ("questions", ["hw1: q1-tests", "hw1: q2-tests", "hw1: q3-essay", "hw2: p1-tests"]),
        ("totals", ["hw1: total", "hw2: total", "Total"]),
    ],
)
def test_only_questions_or_only_totals_so_canvas_does_not_count_twice(course, only, columns):
    with course.gradebook() as gb:
        header, rows = canvas_table(question_grades(gb), only=only, points_row=False)
    assert header[5:] == columns
    assert rows[0][0] == "Lovelace, Ada"


def test_bad_choice_is_refused(course):
    with course.gradebook() as gb:
        grades = question_grades(gb)
    with pytest.raises(ValueError, match="only must be 'all', 'questions' or 'totals'"):
        canvas_table(grades, only="everything")


def test_an_empty_gradebook_gives_the_header_only(tmp_path, monkeypatch):
    monkeypatch.delenv("HSML_GRADEBOOK_URL", raising=False)
    root = tmp_path / "autograded"
    shutil.copytree(REPO / "autograded", root, ignore=shutil.ignore_patterns(*WORKING_FOLDERS))
    pipeline._ask_alembic_in_process()
    assert main(["--root", str(root), "export-questions", "--no-points-row"]) == 0
    assert _table((root / "grades_by_question.csv").read_text(encoding="utf-8")) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Total"]
    ]

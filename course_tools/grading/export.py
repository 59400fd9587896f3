"""Per-question grades from the gradebook, as a CSV an LMS gradebook imports (Canvas's layout).

nbgrader's own export (``grades``) has one row per student and assignment. Instructors asked
for one row per learner with a column per question (nbgrader issues #938, #1007, #799) in a
file their LMS imports (#530, #797). :func:`question_grades` reads every graded cell of every
assignment from the gradebook (SQLite or PostgreSQL, whatever the course's config names), and
:func:`canvas_table` lays it out as Canvas's gradebook export does:

``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per question
(``<assignment>: <grade id>``, a test cell or a cell graded by hand), one ``<assignment>: total``
per assignment and ``Total``; the second row, ``Points Possible``, gives each column's maximum.

- A question is blank when it has no grade yet: the learner submitted nothing that was graded,
  or the answer waits for the instructor's manual grade. A blank never means zero.
- An assignment's total is the sum of its questions minus nbgrader's late penalty, and blank
  while any of its questions is blank for a learner who submitted it (a partial total sent to an
  LMS would be a wrong grade); an assignment not submitted counts 0 in ``Total``, as in nbgrader.
- ``Student`` is "Last, First" when the gradebook has names (``nbgrader db student import``),
  ``ID`` the LMS user id it holds, ``SIS Login ID`` the student id (the hub user name).

Import into Canvas either the question columns or the totals, not both, or Canvas counts the
points twice (``--only questions`` / ``--only totals``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Question",
    "QuestionGrades",
    "question_grades",
    "canvas_table",
    "write_canvas_csv",
    "export_questions",
    "CANVAS_COLUMNS",
]

#: The identity columns of a Canvas gradebook CSV, in order.
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "Points Possible"
TOTAL = "Total"


@dataclass(frozen=True)
class Question:
    """One graded cell of an assignment: a test cell or an answer graded by hand."""

    assignment: str
    notebook: str
    grade_id: str
    max_score: float

    @property
    def column(self) -> str:
        return f"{self.assignment}: {self.grade_id}"


@dataclass
class QuestionGrades:
    """Every learner's grade on every question, as read from a gradebook.

    Attributes
    ----------
    assignments : list of str
        In the gradebook's order (by due date, then name).
    questions : list of Question
        Per assignment, in notebook order when known (else by name).
    students : dict of str -> dict
        Student id -> ``first_name``, ``last_name``, ``email``, ``lms_user_id`` (or None).
    scores : dict of (str, str, str, str) -> float or None
        (student, assignment, notebook, grade id) -> score; None while it waits for a manual grade.
    penalties : dict of (str, str) -> float
        (student, assignment) -> late penalty of a graded submission.
    """

    assignments: list[str]
    questions: list[Question]
    students: dict[str, dict]
    scores: dict[tuple[str, str, str, str], float | None] = field(default_factory=dict)
    penalties: dict[tuple[str, str], float] = field(default_factory=dict)

    def submitted(self, student: str, assignment: str) -> bool:
        return (student, assignment) in self.penalties

    def score(self, student: str, question: Question) -> float | None:
        """The learner's score on ``question``: None when not graded (yet)."""
        return self.scores.get((student, question.assignment, question.notebook, question.grade_id))

    def assignment_total(self, student: str, assignment: str) -> float | None:
        """Sum of the questions minus the late penalty; None if not submitted or not fully graded."""
        if not self.submitted(student, assignment):
            return None
        values = [self.score(student, q) for q in self.questions if q.assignment == assignment]
        if any(v is None for v in values):
            return None
        return max(0.0, sum(values) - self.penalties[(student, assignment)])

    def pending(self, student: str) -> list[str]:
        """Assignments this learner submitted whose grading is not finished (a manual grade waits)."""
        return [a for a in self.assignments if self.submitted(student, a) and self.assignment_total(student, a) is None]


def question_grades(gradebook, order: dict[str, list[str]] | None = None) -> QuestionGrades:
    """Read every learner's grade on every graded cell of every assignment.

    Parameters
    ----------
    gradebook : nbgrader.api.Gradebook
        An open gradebook (SQLite or a database server).
    order : dict of str -> list of str, optional
        Assignment -> grade ids in notebook order (the gradebook does not keep cell order);
        ids not listed come after, by name.

    Returns
    -------
    QuestionGrades

    Examples
    --------
    >>> from nbgrader.api import Gradebook
    >>> from course_tools.grading.export import question_grades
    >>> with Gradebook("sqlite:////tmp/course/gradebook.db") as gb:  # doctest: +SKIP
    ...     gb.add_assignment("hw1")
    ...     gb.add_notebook("hw1", "hw1")
    ...     gb.add_grade_cell("q1-tests", "hw1", "hw1", max_score=2, cell_type="code")
    ...     gb.add_student("ada")
    ...     _ = gb.add_submission("hw1", "ada")
    ...     gb.find_grade("q1-tests", "hw1", "hw1", "ada").auto_score = 1.5
    ...     gb.db.commit()
    ...     grades = question_grades(gb)
    >>> [q.column for q in grades.questions], grades.assignment_total("ada", "hw1")  # doctest: +SKIP
    (['hw1: q1-tests'], 1.5)
    """
    order = order or {}
    assignments = [a.name for a in gradebook.assignments]
    questions = []
    for assignment in gradebook.assignments:
        cells = [
            Question(assignment.name, notebook.name, cell.name, float(cell.max_score))
            for notebook in sorted(assignment.notebooks, key=lambda n: n.name)
            for cell in list(notebook.grade_cells) + list(notebook.task_cells)
        ]
        rank = {grade_id: i for i, grade_id in enumerate(order.get(assignment.name, []))}
        questions += sorted(cells, key=lambda q: (q.notebook, rank.get(q.grade_id, len(rank)), q.grade_id))
    students = {
        s.id: {"first_name": s.first_name, "last_name": s.last_name, "email": s.email, "lms_user_id": s.lms_user_id}
        for s in gradebook.students
    }
    grades = QuestionGrades(assignments, questions, students)
    for assignment in gradebook.assignments:
        for submission in assignment.submissions:
            student = submission.student.id
            grades.penalties[(student, assignment.name)] = float(submission.late_submission_penalty or 0.0)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    pending = grade.needs_manual_grade and grade.manual_score is None
                    grades.scores[(student, assignment.name, notebook.name, grade.name)] = (
                        None if pending else float(grade.score)
                    )
    return grades


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _student_name(student_id: str, info: dict) -> str:
    first, last = (info.get("first_name") or "").strip(), (info.get("last_name") or "").strip()
    if first and last:
        return f"{last}, {first}"
    return last or first or student_id


def canvas_table(
    grades: QuestionGrades, *, section: str = "", only: str = "all", points_row: bool = True
) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the Canvas CSV (see the module doc).

    Parameters
    ----------
    grades : QuestionGrades
    section : str, default=""
        Written in every row's ``Section`` (Canvas ignores it on import; it helps people).
    only : {"all", "questions", "totals"}, default="all"
        Question columns, assignment totals and ``Total``, or one of the two kinds.
    points_row : bool, default=True
        Start with Canvas's ``Points Possible`` row (each column's maximum).

    Returns
    -------
    (list of str, list of list of str)
        Header and rows, one row per learner sorted by student id.

    Examples
    --------
    >>> from course_tools.grading.export import Question, QuestionGrades, canvas_table
    >>> q1, q2 = Question("hw1", "hw1", "q1-tests", 2.0), Question("hw1", "hw1", "q2-essay", 3.0)
    >>> grades = QuestionGrades(["hw1"], [q1, q2], {"ada": {"first_name": "Ada", "last_name": "Lovelace"}, "bob": {}},
    ...                         scores={("ada", "hw1", "hw1", "q1-tests"): 2.0, ("ada", "hw1", "hw1", "q2-essay"): None},
    ...                         penalties={("ada", "hw1"): 0.0})
    >>> header, rows = canvas_table(grades)
    >>> header[5:]
    ['hw1: q1-tests', 'hw1: q2-essay', 'hw1: total', 'Total']
    >>> rows[0][5:], rows[1], rows[2]  # the essay waits for a manual grade: no total yet
    (['2', '3', '5', '5'], ['Lovelace, Ada', '', '', 'ada', '', '2', '', '', ''], ['bob', '', '', 'bob', '', '', '', '', '0'])
    """
    if only not in ("all", "questions", "totals"):
        raise ValueError(f"only must be 'all', 'questions' or 'totals', got {only!r}")
    columns: list[tuple[str, float, object]] = []  # (header, max, how to compute for a student)
    for assignment in grades.assignments:
        mine = [q for q in grades.questions if q.assignment == assignment]
        if only in ("all", "questions"):
            columns += [(q.column, q.max_score, q) for q in mine]
        if only in ("all", "totals"):
            columns.append((f"{assignment}: total", sum(q.max_score for q in mine), assignment))
    if only in ("all", "totals"):
        columns.append((TOTAL, sum(q.max_score for q in grades.questions), TOTAL))

    def value(student: str, what) -> float | None:
        if isinstance(what, Question):
            return grades.score(student, what)
        if what == TOTAL:
            if grades.pending(student):
                return None
            return sum(grades.assignment_total(student, a) or 0.0 for a in grades.assignments)
        return grades.assignment_total(student, what)

    header = CANVAS_COLUMNS + [name for name, _, _ in columns]
    rows = []
    if points_row:
        rows.append([POINTS_POSSIBLE, "", "", "", ""] + [_number(maximum) for _, maximum, _ in columns])
    for student in sorted(grades.students):
        info = grades.students[student]
        identity = [_student_name(student, info), info.get("lms_user_id") or "", "", student, section]
        rows.append(identity + [_number(value(student, what)) for _, _, what in columns])
    return header, rows


def write_canvas_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """Write ``header`` and ``rows`` as a UTF-8 CSV (what Canvas's importer reads).

    Parameters
    ----------
    path : pathlib.Path
    header : list of str
    rows : list of list of str

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from course_tools.grading.export import write_canvas_csv
    >>> path = write_canvas_csv(Path(tempfile.mkdtemp()) / "g.csv", ["Student", "hw1: q1"], [["Lovelace, Ada", "2"]])
    >>> print(path.read_text(), end="")
    Student,hw1: q1
    "Lovelace, Ada",2
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _cell_order(course, assignment: str) -> list[str]:
    import nbformat

    from course_tools.grading.cells import grade_id

    ids = []
    folder = course.folder("source", assignment=assignment)
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") or meta.get("task"):
                ids.append(grade_id(cell))
    return ids


def export_questions(course, to: Path | None = None, *, section: str = "", only: str = "all", points_row: bool = True):
    """Write the per-question CSV of every learner from the course's gradebook.

    Parameters
    ----------
    course : course_tools.grading.pipeline.Course
        Its ``nbgrader_config.py`` names the gradebook (``HSML_GRADEBOOK_URL`` on a hub).
    to : pathlib.Path, optional
        The CSV to write; by default ``grades_by_question.csv`` in the course folder.
    section, only, points_row
        As in :func:`canvas_table`.

    Returns
    -------
    (pathlib.Path, list of str, list of list of str, QuestionGrades)
        The file, its header and rows, and the grades they come from.

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course
    >>> from course_tools.grading.export import export_questions
    >>> path, header, rows, grades = export_questions(Course())  # needs a gradebook  # doctest: +SKIP
    >>> header[:6]  # doctest: +SKIP
    ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', '00_warm_up: 00-base-rate-tests']
    """
    to = Path(to) if to else course.root / "grades_by_question.csv"
    with course.gradebook() as gb:
        names = [a.name for a in gb.assignments]
        grades = question_grades(gb, {name: _cell_order(course, name) for name in names})
    header, rows = canvas_table(grades, section=section, only=only, points_row=points_row)
    return write_canvas_csv(to, header, rows), header, rows, grades

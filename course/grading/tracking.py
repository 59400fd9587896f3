"""The learner's progress: checked questions and quiz answers, kept in a small JSON file.

``check("question-id")`` records each check of the learner's own answer (passed or failed;
an unanswered stub or an undefined name is not an attempt) and a named
:class:`~course.widgets.Quiz` each checked answer. :func:`progress` shows the table.

The file lives in the learner's Jupyter data directory
(``jupyter_core.paths.jupyter_data_dir()/high-stakes-ml/progress.json``, which follows
``JUPYTER_DATA_DIR``), never in the repository; ``HSML_PROGRESS_FILE`` names another file.
Writes are atomic (a temporary file, then a rename). A file that cannot be read is reported,
kept aside as ``progress.json.corrupt`` and replaced; a file that cannot be written is
reported: neither ever stops a check. While nbgrader grades a notebook
(``NBGRADER_EXECUTION`` is set) nothing is read or written: progress never reaches a grade.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "PROGRESS_FILE_ENV",
    "ExerciseProgress",
    "QuizProgress",
    "ProgressReport",
    "being_graded",
    "progress_path",
    "using_progress_file",
    "read_progress",
    "record_check",
    "record_quiz",
    "attempted",
    "progress",
]

PROGRESS_FILE_ENV = "HSML_PROGRESS_FILE"
GRADING_ENV = "NBGRADER_EXECUTION"
FORMAT_VERSION = 1
STATUSES = ("passed", "attempted", "not started")
# (progress file, question id) this kernel saw attempted, in case the file cannot be written.
_ATTEMPTED_HERE: set[tuple[str, str]] = set()


def being_graded() -> bool:
    """True while nbgrader runs the notebook (autograde, validate): nothing is recorded then.

    Returns
    -------
    bool

    Examples
    --------
    >>> from course.grading.tracking import being_graded
    >>> being_graded()
    False
    """
    return bool(os.environ.get(GRADING_ENV))


def progress_path() -> Path:
    """The learner's progress file.

    ``$HSML_PROGRESS_FILE`` if set, else ``high-stakes-ml/progress.json`` in the Jupyter data
    directory (``jupyter_core.paths.jupyter_data_dir()``: ``~/.local/share/jupyter`` on
    Linux, or ``$JUPYTER_DATA_DIR``).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from course.grading.tracking import progress_path
    >>> progress_path().name
    'progress.json'
    """
    override = os.environ.get(PROGRESS_FILE_ENV)
    if override:
        return Path(override).expanduser()
    from jupyter_core.paths import jupyter_data_dir  # light: only platformdirs comes with it

    return Path(jupyter_data_dir()) / "high-stakes-ml" / "progress.json"


@contextmanager
def using_progress_file(path):
    """Record progress in ``path`` inside the ``with`` block (for examples and tests).

    Sets ``HSML_PROGRESS_FILE`` for the block and restores it afterwards.

    Parameters
    ----------
    path : str or pathlib.Path

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from course.grading.tracking import progress_path, using_progress_file
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "progress.json"
    >>> with using_progress_file(path):
    ...     progress_path() == path
    True
    >>> progress_path() == path
    False
    """
    saved = os.environ.get(PROGRESS_FILE_ENV)
    os.environ[PROGRESS_FILE_ENV] = str(path)
    try:
        yield Path(path)
    finally:
        if saved is None:
            os.environ.pop(PROGRESS_FILE_ENV, None)
        else:
            os.environ[PROGRESS_FILE_ENV] = saved


def _empty() -> dict:
    return {"version": FORMAT_VERSION, "questions": {}, "quizzes": {}}


def _problem(data) -> str | None:
    """Why ``data`` (parsed JSON) is not a progress record, or None."""
    if not isinstance(data, dict):
        return f"it holds a {type(data).__name__}, not a JSON object"
    if data.get("version") != FORMAT_VERSION:
        return f"unknown format version {data.get('version')!r}"
    if not isinstance(data.get("questions"), dict) or not isinstance(data.get("quizzes"), dict):
        return "its 'questions' or 'quizzes' entry is missing or not an object"
    if not all(isinstance(r, dict) for r in data["questions"].values()):
        return "a question's record is not an object"
    if not all(isinstance(r, dict) and isinstance(r.get("answers", {}), dict) for r in data["quizzes"].values()):
        return "a quiz's record is not an object"
    return None


def read_progress(path: Path | None = None) -> tuple[dict, str | None]:
    """The recorded progress, and what was wrong with the file (None when all is well).

    A missing file is an empty record. A file that is not a progress record (truncated,
    edited by hand, another format) gives an empty record and the reason; nothing is
    changed on disk until the next write replaces it.

    Parameters
    ----------
    path : pathlib.Path, optional
        By default :func:`progress_path`.

    Returns
    -------
    (dict, str or None)
        ``{"version": 1, "questions": {id: record}, "quizzes": {name: record}}`` and the problem.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from course.grading.tracking import read_progress
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "progress.json"
    >>> read_progress(path)
    ({'version': 1, 'questions': {}, 'quizzes': {}}, None)
    >>> _ = path.write_text("{not json")
    >>> read_progress(path)[1]
    'it is not valid JSON (Expecting property name enclosed in double quotes, line 1)'
    """
    path = Path(path) if path is not None else progress_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _empty(), None
    except (OSError, UnicodeDecodeError) as exc:
        return _empty(), f"it cannot be read ({type(exc).__name__}: {exc})"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _empty(), f"it is not valid JSON ({exc.msg}, line {exc.lineno})"
    problem = _problem(data)
    return (_empty(), problem) if problem else (data, None)


def _say(message: str) -> None:
    print(f"(progress) {message}", file=sys.stderr)


def _write_atomically(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1, sort_keys=True)
            stream.write("\n")
        os.replace(temporary, path)  # atomic: a reader sees the old file or the new one, never half
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _update(change, path: Path | None) -> None:
    """Read, apply ``change(data)``, write atomically; report trouble, never raise."""
    if being_graded():
        return
    try:
        path = Path(path) if path is not None else progress_path()
        data, problem = read_progress(path)
        if problem:
            kept = path.with_name(path.name + ".corrupt")
            try:
                os.replace(path, kept)
                where = f"kept as {kept}"
            except OSError:
                where = "not kept"
            _say(f"{path} was not a progress file ({problem}): started a new one; the old one is {where}.")
        change(data)
        _write_atomically(path, data)
    except Exception as exc:  # a progress file must never break a check or a quiz
        _say(f"could not save your progress ({type(exc).__name__}: {exc}); your answers are not affected.")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record_check(question_id: str, outcome: str, *, path: Path | None = None) -> None:
    """Record one check of the learner's own answer: ``outcome`` is ``"passed"`` or ``"failed"``.

    Nothing is written while nbgrader grades the notebook; trouble with the file is reported
    on stderr, never raised.

    Parameters
    ----------
    question_id : str
    outcome : {"passed", "failed"}
    path : pathlib.Path, optional
        By default :func:`progress_path`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from course.grading.tracking import read_progress, record_check
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "progress.json"
    >>> record_check("00-base-rate", "failed", path=path)
    >>> record_check("00-base-rate", "passed", path=path)
    >>> record = read_progress(path)[0]["questions"]["00-base-rate"]
    >>> record["last"], record["checks"], record["failed"]
    ('passed', 2, 1)
    """
    if outcome not in ("passed", "failed"):
        raise ValueError(f"outcome must be 'passed' or 'failed', got {outcome!r}.")
    if being_graded():
        return
    path = Path(path) if path is not None else progress_path()
    _ATTEMPTED_HERE.add((str(path), question_id))

    def change(data):
        record = data["questions"].setdefault(question_id, {"checks": 0, "failed": 0})
        record["checks"] = int(record.get("checks", 0)) + 1
        record["failed"] = int(record.get("failed", 0)) + (outcome == "failed")
        record["last"] = outcome
        record["last_checked"] = _now()
        if outcome == "passed":
            record.setdefault("first_passed", record["last_checked"])

    _update(change, path)


def record_quiz(name: str, index: int, n_questions: int, correct: bool, *, path: Path | None = None) -> None:
    """Record one checked answer to question ``index`` of the quiz ``name``.

    Parameters
    ----------
    name : str
        The quiz's name, e.g. ``"01_class_imbalance"`` (its module).
    index : int
        The question's position in the quiz, from 0.
    n_questions : int
        How many questions the quiz has.
    correct : bool
    path : pathlib.Path, optional
        By default :func:`progress_path`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from course.grading.tracking import read_progress, record_quiz
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "progress.json"
    >>> record_quiz("01_class_imbalance", 0, 3, False, path=path)
    >>> record_quiz("01_class_imbalance", 0, 3, True, path=path)
    >>> read_progress(path)[0]["quizzes"]["01_class_imbalance"]["answers"]["0"]
    {'answers': 2, 'correct': True}
    """
    if being_graded():
        return

    def change(data):
        quiz = data["quizzes"].setdefault(str(name), {"answers": {}})
        quiz["n_questions"] = int(n_questions)
        quiz["last_answered"] = _now()
        answer = quiz["answers"].setdefault(str(int(index)), {"answers": 0})
        answer["answers"] = int(answer.get("answers", 0)) + 1
        answer["correct"] = bool(correct)

    _update(change, path)


def attempted(question_id: str, *, path: Path | None = None) -> bool:
    """True once a check of the learner's own answer to ``question_id`` ran (passed or failed).

    Read from the progress file, or from this kernel's checks when the file cannot be
    written.

    Parameters
    ----------
    question_id : str
    path : pathlib.Path, optional
        By default :func:`progress_path`.

    Returns
    -------
    bool

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from course.grading.tracking import attempted, record_check
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "progress.json"
    >>> attempted("00-fraud-loss", path=path)
    False
    >>> record_check("00-fraud-loss", "failed", path=path)
    >>> attempted("00-fraud-loss", path=path)
    True
    """
    path = Path(path) if path is not None else progress_path()
    if (str(path), question_id) in _ATTEMPTED_HERE:
        return True
    data, _ = read_progress(path)
    record = data["questions"].get(question_id)
    return bool(record) and int(record.get("checks", 0)) > 0


def _status(record) -> str:
    if not record or int(record.get("checks", 0)) == 0:
        return "not started"
    return "passed" if record.get("last") == "passed" else "attempted"


@dataclass(frozen=True)
class ExerciseProgress:
    """Where the learner stands in one exercise.

    Attributes
    ----------
    name : str
        The exercise, e.g. ``"01_class_imbalance"`` (``exercises/01_class_imbalance.ipynb``).
    statuses : dict of str -> str
        Question id -> ``"passed"`` (its last check passed), ``"attempted"`` (checked, not
        passing now) or ``"not started"``, in the order the exercise asks them.

    Examples
    --------
    >>> from course.grading.tracking import ExerciseProgress
    >>> row = ExerciseProgress("00_warm_up", {"00-base-rate": "passed", "00-fraud-loss": "not started"})
    >>> row.count("passed"), row.count("not started")
    (1, 1)
    """

    name: str
    statuses: dict

    def count(self, status: str) -> int:
        return sum(value == status for value in self.statuses.values())


@dataclass(frozen=True)
class QuizProgress:
    """The learner's answers to one quiz.

    Attributes
    ----------
    name : str
        The quiz's name (its module, e.g. ``"01_class_imbalance"``).
    right : int
        Questions whose last checked answer was right.
    answered : int
        Questions answered at least once.
    n_questions : int

    Examples
    --------
    >>> from course.grading.tracking import QuizProgress
    >>> str(QuizProgress("01_class_imbalance", right=2, answered=3, n_questions=4))
    '2 of 4 right (3 answered)'
    """

    name: str
    right: int
    answered: int
    n_questions: int

    def __str__(self):
        return f"{self.right} of {self.n_questions} right ({self.answered} answered)"


@dataclass(frozen=True)
class ProgressReport:
    """The table :func:`progress` shows: text with ``print``/``str``, HTML in Jupyter.

    Attributes
    ----------
    exercises : list of ExerciseProgress
        Every exercise of the course, in order.
    quizzes : dict of str -> QuizProgress
        Every quiz answered so far, by name.
    path : pathlib.Path
        The progress file.
    problem : str or None
        What was wrong with the file, if anything (it is then read as empty).
    graded : bool
        True while nbgrader grades the notebook (nothing is read then).

    Examples
    --------
    >>> from pathlib import Path
    >>> from course.grading.tracking import ExerciseProgress, ProgressReport
    >>> report = ProgressReport([ExerciseProgress("00_warm_up", {"00-base-rate": "passed"})], {}, Path("p.json"))
    >>> report.next_question
    """

    exercises: list
    quizzes: dict
    path: Path
    problem: str | None = None
    graded: bool = False

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """One row per topic: name, passed, attempted, not started, quiz."""
        exercises = {row.name: row for row in self.exercises}
        rows = []
        for name in sorted(set(exercises) | set(self.quizzes)):
            row, quiz = exercises.get(name), self.quizzes.get(name)
            cells = (
                (
                    f"{row.count('passed')} of {len(row.statuses)}",
                    str(row.count("attempted")),
                    str(row.count("not started")),
                )
                if row
                else ("-", "-", "-")
            )
            rows.append((name, *cells, str(quiz) if quiz else "-"))
        return rows

    @property
    def next_question(self) -> tuple[str, str] | None:
        """(exercise, question id) to work on next: the first question attempted but not passing;
        else the first not started in an exercise already begun; else the first not started.
        None when every question passes."""
        for row in self.exercises:
            for question_id, status in row.statuses.items():
                if status == "attempted":
                    return row.name, question_id
        begun = [row for row in self.exercises if row.count("not started") < len(row.statuses)]
        for row in begun + self.exercises:
            for question_id, status in row.statuses.items():
                if status == "not started":
                    return row.name, question_id
        return None

    def _summary(self) -> str:
        statuses = [s for row in self.exercises for s in row.statuses.values()]
        right = sum(q.right for q in self.quizzes.values())
        total = sum(q.n_questions for q in self.quizzes.values())
        quiz = f"; quizzes: {right} of {total} answers right" if self.quizzes else "; no quiz answered yet"
        return (
            f"{statuses.count('passed')} of {len(statuses)} exercise questions passed, "
            f"{statuses.count('attempted')} attempted{quiz}."
        )

    def _notes(self) -> list[str]:
        notes = []
        if self.graded:
            notes.append("This notebook is being graded: progress is neither read nor recorded.")
        if self.problem:
            notes.append(f"The progress file could not be used ({self.problem}): the next check starts a new one.")
        statuses = [s for row in self.exercises for s in row.statuses.values()]
        if not self.graded and not self.quizzes and all(s == "not started" for s in statuses):
            notes.append(
                "Nothing recorded yet: every check(...) of your own answers and every quiz answer will show here."
            )
        nxt = self.next_question
        if nxt:
            notes.append(f'Next: exercises/{nxt[0]}.ipynb, question {nxt[1]} (check("{nxt[1]}")).')
        elif self.exercises:
            notes.append("Every exercise question passes its visible checks.")
        if self.path.exists():
            notes.append(f"Saved in {self.path} (delete it to start over).")
        else:
            notes.append(f"Will be saved in {self.path}.")
        return notes

    def __str__(self):
        header = ("topic", "passed", "attempted", "not started", "quiz")
        table = [header, *self.rows()]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        lines = [f"Your progress: {self._summary()}", ""]
        for row in table:
            cells = [cell.ljust(w) if i in (0, 4) else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))]
            lines.append("  ".join(cells).rstrip())
        return "\n".join([*lines, "", *self._notes()]).rstrip()

    def __repr__(self):
        return str(self)

    @staticmethod
    def _linked(note: str) -> str:
        """The exercise named in a note as a link (relative: modules/ and exercises/ are siblings)."""
        return re.sub(r"exercises/(\w+)\.ipynb", r'<a href="../exercises/\1.ipynb">exercises/\1.ipynb</a>', note)

    def _repr_html_(self):
        head = "".join(f"<th>{h}</th>" for h in ("topic", "passed", "attempted", "not started", "quiz"))
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in self.rows()
        )
        notes = "".join(f"<div>{self._linked(html.escape(note))}</div>" for note in self._notes())
        return (
            f'<div class="hsml-progress"><b>Your progress</b>: {html.escape(self._summary())}'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{notes}</div>"
        )


def progress(*, path: Path | None = None) -> ProgressReport:
    """Your progress through the course: each exercise's questions (passed, attempted, not
    started) and your quiz results. Show it as the last line of a cell: ``progress()``.

    A question counts as passed when its last check passed, attempted when you checked an
    answer of your own that does not pass (yet). Quizzes count once you answer them.

    Parameters
    ----------
    path : pathlib.Path, optional
        The progress file; by default :func:`progress_path`.

    Returns
    -------
    ProgressReport
        Shown as a table (HTML in Jupyter, text with ``print``).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from course import progress
    >>> from course.grading.tracking import record_check, record_quiz
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "progress.json"
    >>> record_check("00-base-rate", "passed", path=path)
    >>> record_check("00-fraud-loss", "failed", path=path)
    >>> record_quiz("01_class_imbalance", 0, 3, True, path=path)
    >>> print(progress(path=path))  # doctest: +ELLIPSIS
    Your progress: 1 of ... exercise questions passed, 1 attempted; quizzes: 1 of 3 answers right.
    <BLANKLINE>
    topic                    passed  attempted  not started  quiz
    00_warm_up               1 of 4          1            2  -
    01_class_imbalance       0 of 4          0            4  1 of 3 right (1 answered)
    ...
    Next: exercises/00_warm_up.ipynb, question 00-fraud-loss (check("00-fraud-loss")).
    Saved in ... (delete it to start over).
    """
    from course.grading.checks import exercise_question_ids

    path = Path(path) if path is not None else progress_path()
    graded = being_graded()
    data, problem = (_empty(), None) if graded else read_progress(path)
    exercises = [
        ExerciseProgress(name, {qid: _status(data["questions"].get(qid)) for qid in ids})
        for name, ids in exercise_question_ids().items()
    ]
    quizzes = {}
    for name, record in sorted(data["quizzes"].items()):
        answers = [a for a in record.get("answers", {}).values() if isinstance(a, dict)]
        quizzes[name] = QuizProgress(
            name,
            right=sum(bool(a.get("correct")) for a in answers),
            answered=len(answers),
            n_questions=int(record.get("n_questions", len(answers))),
        )
    return ProgressReport(exercises, quizzes, path, problem, graded)

"""The grading batch: ONE real nbgrader run per assignment, read by every pipeline test.

The ``batch`` fixture (``conftest.py``) calls :func:`build_batch` once per assignment.

For each assignment of ``autograded/source/``, :func:`build_batch` copies ``autograded/``
to a temporary folder, releases the assignment, builds a batch of submissions from the
released notebook, then collects, autogrades, writes feedback and exports grades once:

- ``solution``: every answer cell holds the solution, then calls ``hint``, ``solution`` and
  ``progress`` for its question (a learner who asked for help);  expected: full auto marks
- ``stub``: the released notebook, untouched;                   expected: zero
- ``wrong-1`` (in ``ATTACK_ASSIGNMENT`` only): the first common wrong answer of every answer
  cell (``WRONG_ANSWERS`` of ``tests/grading/answers/<assignment>.py``); expected: zero, and
  what an attack that tries to forge a grade must end with
- ``tampered``: first question unanswered with its test cell replaced by ``assert True``,
  second question unanswered with its test cell deleted;      expected: both score zero, nothing waits for a human
- ``endless-loop``: ``while True: pass`` in the last question; expected: timeout, zero there, full elsewhere
  (in ``LOOP_ASSIGNMENT`` only: the timeout is the pipeline's, the same for every assignment,
  and each endless loop costs a timeout and a kernel restart)
- ``not-json``: not a notebook (through collect);               expected: reported, kept, not graded
- ``not-json-direct``: the same, dropped straight into ``submitted/``; expected: reported, the rest graded

The answer corpora (every wrong and right answer of ``tests/grading/answers/<assignment>.py``)
are graded by the assignment's own tests in one kernel (``corpus.py``), not as one nbgrader
submission each: ``batch.corpus``.

While the batch is graded, the learner's progress file (``HSML_PROGRESS_FILE``) says that
every question passed: the untouched stub must still score zero, and the file must be
left unchanged (nothing is recorded while nbgrader grades).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import shutil
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
from attacks import ATTACK_ASSIGNMENT, MARKER, attack_submissions
from corpus import CorpusRun, grade_corpora

from course_tools.grading import pipeline
from course_tools.grading.cells import (
    QuestionCells,
    cell_role,
    checked_question_ids,
    grade_id,
    questions,
    without_delimiters,
)

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "autograded" / "source"
ANSWERS_DIR = Path(__file__).parent / "answers"
ASSIGNMENTS = (
    sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))) if SOURCE.is_dir() else []
)
# Seconds per learner cell while testing: room for the slowest answer on a loaded 2-core
# machine, short enough that the endless-loop submission costs little.
TIMEOUT = float(os.environ.get("HSML_GRADING_TIMEOUT", "5"))
NOT_JSON = '{"cells": [{"cell_type": "code", "source": "x = 1"'  # a notebook cut short
WORKING_FOLDERS = (
    "release",
    "submitted",
    "autograded",
    "feedback",
    "malformed",
    "gradebook.db",
    "grades.csv",
    ".nbgrader.log",
    "logs",
    "flags.json",
    ".exchange",
    "__pycache__",
)
# Batches of different assignments are independent (each has its own course copy and
# gradebook): built in the background from the start of the run (conftest.py), this many at a time.
WORKERS = int(os.environ.get("HSML_GRADING_WORKERS", "1"))
LOOP_ASSIGNMENT = "00_warm_up"
TIMINGS: list[str] = []  # one line per batch, printed at the end of the run


def _answers_module(assignment: str):
    path = ANSWERS_DIR / f"{assignment}.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"answers_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_wrong_answers(assignment: str) -> dict | None:
    """``WRONG_ANSWERS`` of ``tests/grading/answers/<assignment>.py``, or None if there is no file."""
    module = _answers_module(assignment)
    return None if module is None else module.WRONG_ANSWERS


def load_right_answers(assignment: str) -> dict | None:
    """``RIGHT_ANSWERS`` of ``tests/grading/answers/<assignment>.py``, or None if it has none."""
    module = _answers_module(assignment)
    return None if module is None else getattr(module, "RIGHT_ANSWERS", None)


def fill(notebooks: dict, replace: dict[str, str], delete: set[str] = frozenset()) -> dict:
    """Copies of ``notebooks`` with the cells of ``replace`` rewritten and those of ``delete`` removed."""
    out = {}
    for name, nb in notebooks.items():
        nb = copy.deepcopy(nb)
        nb.cells = [cell for cell in nb.cells if grade_id(cell) not in delete]
        for cell in nb.cells:
            if grade_id(cell) in replace:
                cell.source = replace[grade_id(cell)]
        out[name] = nb
    return out


@dataclass
class Batch:
    assignment: str
    course: pipeline.Course
    source: dict  # notebook name -> source notebook (solutions, hidden tests)
    released: dict
    groups: list[QuestionCells]  # auto-graded questions, in order
    wrong_answers: dict | None
    right_answers: dict | None = None
    corpus: CorpusRun = field(default_factory=CorpusRun)  # every corpus answer, graded in one kernel
    tampered: dict[str, str] = field(default_factory=dict)  # test grade_id -> "assert True" / "deleted"
    loop_group: QuestionCells | None = None
    tampered_student: str = "tampered"
    loop_student: str | None = "endless-loop"
    reports: dict = field(default_factory=dict)
    grades: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    attacks: set[str] = field(default_factory=set)  # students of attacks.py (one assignment only)
    source_before: dict = field(default_factory=dict)  # file -> bytes of source/<assignment>/ before grading
    source_after: dict = field(default_factory=dict)
    leftover: list[str] = field(default_factory=list)  # processes of attacks alive after autograde
    progress_before: str = ""  # the learner's progress file before and after grading
    progress_after: str | None = None

    def autograded(self, student: str) -> dict:
        folder = self.course.folder("autograded", student, self.assignment)
        with warnings.catch_warnings():  # nbgrader puts a deleted test cell back without a cell id
            warnings.filterwarnings("ignore", message="Cell is missing an id field")
            return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}

    def group_score(self, student: str, group: QuestionCells) -> float:
        return sum(self.grades[student][gid].score for gid in group.test_ids)

    def auto_max(self) -> float:
        return sum(group.points for group in self.groups)

    def zeroed(self, student: str) -> list[QuestionCells]:
        """The questions a tampered / looping submission must score zero on."""
        groups = []
        if student == self.tampered_student:
            groups += [g for g in self.groups if set(g.test_ids) & set(self.tampered)]
        if student == self.loop_student:
            groups.append(self.loop_group)
        return groups


def _groups(source: dict) -> list[QuestionCells]:
    return [g for nb in source.values() for g in questions(nb) if not g.manual and g.test_ids]


def _asking_for_help(source: dict, solution: dict[str, str]) -> dict[str, str]:
    """The solution of each code answer cell, followed by ``hint``/``solution``/``progress`` calls
    for its question: self-paced help left in a submitted notebook must not change its grade."""
    asked = dict(solution)
    for nb in source.values():
        cells = {grade_id(cell): cell for cell in nb.cells if grade_id(cell)}
        for group in questions(nb):
            ids = [qid for test_id in group.test_ids for qid in checked_question_ids(cells[test_id].source)]
            for answer_id in group.answer_ids if ids else ():
                if cells[answer_id].cell_type == "code":
                    asked[answer_id] = (
                        f"{solution[answer_id]}\n\nfrom course import hint, progress, solution\n\n"
                        f'hint("{ids[0]}")\nsolution("{ids[0]}")\nprogress()'
                    )
    return asked


def _all_passed_progress(source: dict) -> str:
    """A progress file that says every question of ``source`` passed."""
    ids = [qid for nb in source.values() for cell in nb.cells for qid in checked_question_ids(cell.source)]
    record = {"checks": 1, "failed": 0, "last": "passed", "last_checked": "2026-01-01T00:00:00+00:00"}
    return json.dumps({"version": 1, "questions": dict.fromkeys(ids, record), "quizzes": {}}, indent=1)


def _write(folder: Path, notebooks: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / f"{name}.ipynb")


def build_batch(assignment: str, root: Path) -> Batch:
    timings = {}
    shutil.copytree(REPO / "autograded", root, ignore=shutil.ignore_patterns(*WORKING_FOLDERS))
    course = pipeline.Course(root)
    start = time.perf_counter()
    import nbgrader.apps  # noqa: F401  (slow import, once per session: timed apart)

    timings["import nbgrader"] = time.perf_counter() - start
    start = time.perf_counter()
    release_report = pipeline.release(course, assignment)
    timings["release"] = time.perf_counter() - start

    names = course.notebook_names(assignment)
    source = {n: nbformat.read(course.source(assignment) / f"{n}.ipynb", as_version=4) for n in names}
    released = {n: nbformat.read(release_report.folder / f"{n}.ipynb", as_version=4) for n in names}
    solution = {
        grade_id(c): without_delimiters(c.source)
        for nb in source.values()
        for c in nb.cells
        if cell_role(c) in ("answer", "manual")
    }
    groups = _groups(source)
    wrong_answers = load_wrong_answers(assignment)
    batch = Batch(assignment, course, source, released, groups, wrong_answers, timings=timings)
    batch.right_answers = load_right_answers(assignment)

    students = {"solution": fill(released, _asking_for_help(source, solution)), "stub": released}
    if assignment == ATTACK_ASSIGNMENT:
        wrong_1 = {answer_id: next(iter(cases.values())) for answer_id, cases in (wrong_answers or {}).items() if cases}
        students["wrong-1"] = fill(released, {**solution, **wrong_1})
        attacks = attack_submissions(root, assignment, released, solution, wrong_1, fill)
        batch.attacks = set(attacks)
        students.update(attacks)
    if groups:
        edited, removed = groups[0], groups[1] if len(groups) > 1 else groups[0]
        batch.tampered = {edited.test_ids[0]: "assert True", removed.test_ids[-1]: "deleted"}
        unanswered = set(edited.answer_ids) | set(removed.answer_ids)
        kept = {gid: code for gid, code in solution.items() if gid not in unanswered}
        kept[edited.test_ids[0]] = "assert True"
        if assignment == LOOP_ASSIGNMENT:
            batch.loop_group = groups[-1]
            loop = {groups[-1].answer_ids[0]: "while True:\n    pass"}
            students["endless-loop"] = fill(released, {**solution, **loop})
        else:
            batch.loop_student = None
        students["tampered"] = fill(released, kept, delete={removed.test_ids[-1]})

    inbox = root.parent / f"inbox-{assignment}"
    for student, notebooks in students.items():
        # both layouts a learner may hand in: <student>/<notebook>.ipynb and <student>/<assignment>/...
        _write(inbox / student / assignment if student == "stub" else inbox / student, notebooks)
    (inbox / "not-json").mkdir(parents=True)
    (inbox / "not-json" / f"{names[0]}.ipynb").write_text(NOT_JSON, encoding="utf-8")

    batch.reports["collect"] = pipeline.collect(course, assignment, inbox)
    direct = course.folder("submitted", "not-json-direct", assignment)
    direct.mkdir(parents=True)
    (direct / f"{names[0]}.ipynb").write_text(NOT_JSON, encoding="utf-8")
    batch.source_before = _files(course.folder("source", assignment=assignment))
    progress_file = root.parent / f"progress-{assignment}.json"  # inherited by the grading kernels
    batch.progress_before = _all_passed_progress(source)
    progress_file.write_text(batch.progress_before, encoding="utf-8")
    saved_progress_env = os.environ.get("HSML_PROGRESS_FILE")
    os.environ["HSML_PROGRESS_FILE"] = str(progress_file)
    start = time.perf_counter()
    try:
        batch.reports["autograde"] = pipeline.autograde(course, assignment, timeout=TIMEOUT)
    finally:
        if saved_progress_env is None:
            os.environ.pop("HSML_PROGRESS_FILE", None)
        else:
            os.environ["HSML_PROGRESS_FILE"] = saved_progress_env
    timings["autograde"] = time.perf_counter() - start
    batch.leftover = _end_attack_processes()
    batch.source_after = _files(course.folder("source", assignment=assignment))
    batch.progress_after = progress_file.read_text(encoding="utf-8") if progress_file.exists() else None
    start = time.perf_counter()
    batch.reports["feedback"] = pipeline.feedback(course, assignment)
    timings["feedback"] = time.perf_counter() - start
    batch.reports["grades"] = pipeline.export_grades(course)
    batch.grades = pipeline.cell_grades(course, assignment)

    start = time.perf_counter()
    corpora = {"wrong": wrong_answers, "right": batch.right_answers}
    for name in names:
        run = grade_corpora(
            course.source(assignment) / f"{name}.ipynb", groups, corpora, root.parent / f"corpus-progress-{name}.json"
        )
        batch.corpus.source_failure = batch.corpus.source_failure or run.source_failure
        batch.corpus.answers += run.answers
    timings["corpus"] = time.perf_counter() - start
    return batch


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _end_attack_processes() -> list[str]:
    """Kill every process an attack started that is still alive; their command lines."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if MARKER in (process.info["cmdline"] or []):
            found.append(" ".join(process.info["cmdline"])[:200])
            try:
                process.kill()
            except psutil.Error:
                pass
    return found


def timed_build(assignment: str, root: Path) -> Batch:
    """:func:`build_batch` with its total time and a one-line summary in ``timings``."""
    start = time.perf_counter()
    batch = build_batch(assignment, root)
    total = time.perf_counter() - start
    per_student = {r.student: r.seconds for r in batch.reports["autograde"].results if r.graded}
    t = batch.timings
    t["summary"] = (
        f"{assignment}: batch {total:.1f} s = import nbgrader {t['import nbgrader']:.1f} + release {t['release']:.1f} "
        f"+ autograde {t['autograde']:.1f} ({len(per_student)} graded; solution {per_student.get('solution', 0):.1f} s, "
        f"endless loop {per_student.get(batch.loop_student, 0):.1f} s at timeout {TIMEOUT:g} s) + feedback {t['feedback']:.1f}"
        f" + corpus {t['corpus']:.1f} ({len(batch.corpus.answers)} answers in one kernel)"
    )
    return batch

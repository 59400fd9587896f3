"""The answer corpora of an assignment, graded by its own tests in ONE kernel.

``tests/grading/answers/<assignment>.py`` holds, for every answer cell, common WRONG answers
(each must lose its question's points) and alternative RIGHT answers (each must earn them).
Grading each one as a separate submission through nbgrader costs a kernel start, the
imports and the whole notebook every time (about 5 s, 53 submissions over eight
assignments). Here the **source** notebook (solutions, visible and hidden tests) runs once,
cell by cell, in one kernel: a broken solution or test is reported at its cell. Then, for
each corpus answer, in that same kernel:

1. run the answer in place of the solution of its cell;
2. run the question's test cells as nbgrader would grade them (visible ``check`` and hidden
   tests; a test cell earns its points when it raises nothing);
3. run the solution of the cell again; after the last answer of a cell, its test cells once
   more: they must pass, or an answer left the kernel in a state that would bias the next
   ones (reported as such, for every answer of that cell).

The other questions keep their solutions: a corpus answer is judged on its own question.
The real nbgrader pipeline (``grading_batch.py``) still grades the solution, the untouched
stub, a tampered submission, an endless loop and the attacks; it is the same test code, run
by nbgrader's autograde in the hardened grading kernel.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from course_tools.grading.cells import QuestionCells, grade_id

CELL_TIMEOUT = 120  # seconds: a slow answer on a loaded 2-core machine, never an endless one here


@dataclass
class GradedAnswer:
    """One corpus answer, graded by its question's tests."""

    answer_id: str
    label: str  # why it is wrong, or which right answer it is
    kind: str  # "wrong" or "right"
    question: QuestionCells
    score: float = 0.0
    errors: dict = field(default_factory=dict)  # test grade_id -> exception name (absent: passed)
    answer_error: str | None = None  # the answer cell itself raised
    restored: bool = True  # the solution passed its tests again after the answers of its cell

    @property
    def caught_by_visible_check(self) -> bool:
        return "CheckFailed" in self.errors.values()


@dataclass
class CorpusRun:
    """What :func:`grade_corpora` found: the source run and every corpus answer's grade."""

    source_failure: str | None = None  # the first source cell that failed, and how
    answers: list[GradedAnswer] = field(default_factory=list)
    seconds: float = 0.0


def _points(cell) -> float:
    return float(cell.get("metadata", {}).get("nbgrader", {}).get("points", 0) or 0)


def _run(client, cell, index):
    """Run ``cell``; the name of the exception it raised, or None."""
    try:
        client.execute_cell(cell, index)
    except CellTimeoutError:
        return "Timeout"
    except CellExecutionError as error:
        return error.ename
    return None


def _grade_cell_answers(client, cells, question, answer_id, answers, kind):
    """Grade each of ``answers`` (``{label: code}``) in place of ``answer_id``'s solution, in turn."""
    index, solution_cell = cells[answer_id]
    graded_here = []
    for label, code in answers.items():
        graded = GradedAnswer(answer_id, label, kind, question)
        graded.answer_error = _run(client, nbformat.v4.new_code_cell(code), index)
        for test_id in question.test_ids:
            test_index, test_cell = cells[test_id]
            error = _run(client, test_cell, test_index)
            if error is None:
                graded.score += _points(test_cell)
            else:
                graded.errors[test_id] = error
        _run(client, solution_cell, index)
        graded_here.append(graded)
    # once per cell, not per answer: the solution must pass again after all of them
    restored = all(_run(client, cells[t][1], cells[t][0]) is None for t in question.test_ids)
    for graded in graded_here:
        graded.restored = restored
    return graded_here


def grade_corpora(
    notebook_path: Path, groups: list[QuestionCells], corpora: dict[str, dict], progress_file: Path
) -> CorpusRun:
    """Run the source notebook, then grade every corpus answer of its questions.

    Parameters
    ----------
    notebook_path : pathlib.Path
        The assignment's source notebook (run in its own folder, as nbgrader does).
    groups : list of QuestionCells
        The auto-graded questions.
    corpora : dict
        ``{"wrong": WRONG_ANSWERS, "right": RIGHT_ANSWERS}``, each ``{answer grade_id: {label: code}}``.
    progress_file : pathlib.Path
        Where ``check`` records progress meanwhile (a scratch file, never the user's).

    Returns
    -------
    CorpusRun
    """
    start = time.perf_counter()
    run = CorpusRun()
    nb = nbformat.read(notebook_path, as_version=4)
    cells = {grade_id(cell): (index, cell) for index, cell in enumerate(nb.cells) if grade_id(cell)}
    question_of = {answer_id: group for group in groups for answer_id in group.answer_ids}
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(notebook_path.parent)}}
    )
    saved_env = os.environ.get("HSML_PROGRESS_FILE")
    os.environ["HSML_PROGRESS_FILE"] = str(progress_file)
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError) as error:
                    first_line = (cell.source.splitlines() or [""])[0]
                    run.source_failure = (
                        f"{notebook_path.name}, cell {index + 1} ({grade_id(cell) or 'no grade id'}: {first_line!r}) "
                        f"fails on the solution: {str(error).strip()[-1500:]}"
                    )
                    return run
            for kind, corpus in corpora.items():
                for answer_id, answers in (corpus or {}).items():
                    if answer_id in cells and answer_id in question_of:  # else test_grading_authoring names it
                        run.answers += _grade_cell_answers(
                            client, cells, question_of[answer_id], answer_id, answers, kind
                        )
    finally:
        if saved_env is None:
            os.environ.pop("HSML_PROGRESS_FILE", None)
        else:
            os.environ["HSML_PROGRESS_FILE"] = saved_env
        run.seconds = time.perf_counter() - start
    return run

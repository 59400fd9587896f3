"""Read an nbgrader notebook: cell roles, questions, solution and hidden-test text.

Shared by the authoring helpers, the feedback scrubber, the instructor commands and
the pipeline tests, so that every one of them reads a notebook the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "BEGIN_SOLUTION", "END_SOLUTION", "BEGIN_HIDDEN", "END_HIDDEN",
    "QuestionCells", "cell_role", "grade_id", "points", "questions", "region_lines",
    "without_delimiters", "secret_lines", "checked_question_ids",
]

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_CHECK_CALL = re.compile(r"""^\s*check\(\s*["']([A-Za-z0-9_-]+)["']""", re.MULTILINE)
# Lines shorter than this ("else:", ")") say nothing about a solution or a hidden test.
MIN_SECRET_LENGTH = 8


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def cell_role(cell) -> str:
    """One of ``answer`` (code to write), ``tests`` (auto-graded), ``manual`` (answer graded
    by hand), ``readonly`` (locked), ``task`` or ``plain`` (no nbgrader role)."""
    meta = _meta(cell)
    if meta.get("task"):
        return "task"
    if meta.get("solution") and meta.get("grade"):
        return "manual"
    if meta.get("solution"):
        return "answer"
    if meta.get("grade"):
        return "tests" if cell.get("cell_type") == "code" else "manual"
    if meta.get("locked"):
        return "readonly"
    return "plain"


def grade_id(cell) -> str | None:
    return _meta(cell).get("grade_id")


def points(cell) -> float:
    return float(_meta(cell).get("points", 0) or 0)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


@dataclass
class QuestionCells:
    """One question of a notebook: its answer cell(s) and the test cells that follow."""

    answer_ids: list[str] = field(default_factory=list)
    test_ids: list[str] = field(default_factory=list)
    points: float = 0.0
    manual: bool = False

    @property
    def name(self) -> str:
        return (self.answer_ids or self.test_ids or ["?"])[0]


def questions(nb) -> list[QuestionCells]:
    """Group the graded cells of ``nb`` into questions, in notebook order.

    A question is a run of answer cells followed by the test cells after them, up to the
    next answer cell. A markdown answer graded by hand is a question on its own
    (``manual=True``); its points are counted apart from the auto-graded ones.
    """
    groups: list[QuestionCells] = []
    current: QuestionCells | None = None
    for cell in nb["cells"]:
        role = cell_role(cell)
        if role == "manual":
            groups.append(QuestionCells([grade_id(cell)], [], points(cell), manual=True))
            current = None
        elif role == "answer":
            if current is None or current.test_ids:
                current = QuestionCells()
                groups.append(current)
            current.answer_ids.append(grade_id(cell))
        elif role == "tests":
            if current is None:  # tests with no answer cell before them
                current = QuestionCells()
                groups.append(current)
            current.test_ids.append(grade_id(cell))
            current.points += points(cell)
    return groups


def region_lines(source: str, begin: str, end: str) -> list[str]:
    """The lines strictly between ``begin`` and ``end`` delimiter lines."""
    lines, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def without_delimiters(source: str) -> str:
    """The solution as a learner would write it: the source minus the solution delimiters
    and minus any hidden-test region."""
    kept, hidden = [], False
    for line in source.splitlines():
        if BEGIN_HIDDEN in line:
            hidden = True
        elif END_HIDDEN in line:
            hidden = False
        elif not hidden and BEGIN_SOLUTION not in line and END_SOLUTION not in line:
            kept.append(line)
    return "\n".join(kept)


def _split_regions(source: str) -> tuple[list[str], list[str], list[str]]:
    """(solution lines, hidden-test lines, other lines) of a cell's source, delimiters dropped."""
    solution, hidden, other, region = [], [], [], None
    for line in source.splitlines():
        if BEGIN_SOLUTION in line or BEGIN_HIDDEN in line:
            region = solution if BEGIN_SOLUTION in line else hidden
        elif END_SOLUTION in line or END_HIDDEN in line:
            region = None
        else:
            (region if region is not None else other).append(line)
    return solution, hidden, other


def secret_lines(nb, *, solutions: bool = True, hidden: bool = True) -> set[str]:
    """Stripped lines of solutions and/or hidden tests that appear nowhere else in ``nb``.

    Neither may reach a learner through the released notebook; hidden tests may not reach
    them through feedback either (their own answers, of course, do). Whole-cell markdown
    answers graded by hand count as solutions. A line quoted elsewhere (a question that
    shows the ``with ...:`` line to write, say) is public, not secret.
    """
    secret, public = set(), []
    for cell in nb["cells"]:
        source = _source(cell)
        solution, tests, other = _split_regions(source)
        if cell_role(cell) == "manual" and BEGIN_SOLUTION not in source:
            solution, other = other, []
        secret.update(line.strip() for line in (solution if solutions else []) + (tests if hidden else []))
        public += other
    public_text = "\n".join(public)
    return {line for line in secret if len(line) >= MIN_SECRET_LENGTH and line not in public_text}


def checked_question_ids(source: str) -> list[str]:
    """Question ids of the ``check("...")`` calls that start lines of ``source``."""
    return _CHECK_CALL.findall(source)

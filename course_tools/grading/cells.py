"""Read an nbgrader notebook: cell roles, questions, solution and hidden-test text.

Shared by the authoring helpers, the feedback scrubber, the instructor commands and
the pipeline tests, so that every one of them reads a notebook the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "BEGIN_SOLUTION",
    "END_SOLUTION",
    "BEGIN_HIDDEN",
    "END_HIDDEN",
    "QuestionCells",
    "cell_role",
    "grade_id",
    "points",
    "questions",
    "region_lines",
    "without_delimiters",
    "secret_lines",
    "checked_question_ids",
]

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_CHECK_CALL = re.compile(r"""^\s*check\(\s*["']([A-Za-z0-9_-]+)["']""", re.MULTILINE)
# Lines shorter than this ("else:", ")") say nothing about a solution or a hidden test.
MIN_SECRET_LENGTH = 8


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def cell_role(cell) -> str:
    """The nbgrader role of a cell, read from its ``metadata.nbgrader`` flags.

    Parameters
    ----------
    cell : dict
        A notebook cell (an ``nbformat`` node or a plain dict).

    Returns
    -------
    str
        One of ``answer`` (code to write), ``tests`` (auto-graded), ``manual`` (answer
        graded by hand), ``readonly`` (locked), ``task`` or ``plain`` (no nbgrader role).

    Examples
    --------
    >>> from course_tools.grading.cells import cell_role
    >>> cell_role({"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "locked": True}}})
    'tests'
    >>> cell_role({"cell_type": "markdown", "metadata": {}})
    'plain'
    """
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
    """The nbgrader ``grade_id`` of a cell.

    Parameters
    ----------
    cell : dict
        A notebook cell.

    Returns
    -------
    str or None
        ``None`` for a cell without nbgrader metadata.

    Examples
    --------
    >>> from course_tools.grading.cells import grade_id
    >>> grade_id({"metadata": {"nbgrader": {"grade_id": "00-base-rate-tests"}}})
    '00-base-rate-tests'
    >>> grade_id({"metadata": {}}) is None
    True
    """
    return _meta(cell).get("grade_id")


def points(cell) -> float:
    """The nbgrader points of a cell (0.0 when it has none).

    Parameters
    ----------
    cell : dict
        A notebook cell.

    Returns
    -------
    float

    Examples
    --------
    >>> from course_tools.grading.cells import points
    >>> points({"metadata": {"nbgrader": {"grade": True, "points": 2}}}), points({"metadata": {}})
    (2.0, 0.0)
    """
    return float(_meta(cell).get("points", 0) or 0)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


@dataclass
class QuestionCells:
    """One question of a notebook: its answer cell(s) and the test cells that follow.

    Made by :func:`questions`.

    Attributes
    ----------
    answer_ids : list of str
        ``grade_id`` of the answer cells, in notebook order.
    test_ids : list of str
        ``grade_id`` of the test cells that grade them.
    points : float
        Sum of the test cells' points (or the points of a manual answer).
    manual : bool
        True for a markdown answer graded by hand.
    name : str
        The first answer id (else the first test id): how reports name the question.

    Examples
    --------
    >>> from course_tools.grading.cells import QuestionCells
    >>> q = QuestionCells(["00-x-answer"], ["00-x-tests"], points=1.0)
    >>> q.name, q.manual
    ('00-x-answer', False)
    """

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

    Parameters
    ----------
    nb : dict
        A notebook (``nbformat`` node or the parsed JSON), with a ``cells`` list.

    Returns
    -------
    list of QuestionCells

    Examples
    --------
    >>> from course_tools.grading.authoring import build_notebook
    >>> from course_tools.grading.cells import questions
    >>> nb = build_notebook(
    ...     "# %% answer id=q1-answer\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION\\n"
    ...     "# %% tests id=q1-tests points=2\\nassert x == 1\\n"
    ...     "# %% manual id=q2-explain points=1\\n# Because.\\n"
    ... )
    >>> [(q.name, q.test_ids, q.points, q.manual) for q in questions(nb)]
    [('q1-answer', ['q1-tests'], 2.0, False), ('q2-explain', [], 1.0, True)]
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
    """The lines strictly between ``begin`` and ``end`` delimiter lines.

    Parameters
    ----------
    source : str
        A cell's source.
    begin, end : str
        The delimiters, e.g. :data:`BEGIN_HIDDEN` and :data:`END_HIDDEN`.

    Returns
    -------
    list of str
        The lines of every such region, in order, delimiters left out.

    Examples
    --------
    >>> from course_tools.grading.cells import BEGIN_HIDDEN, END_HIDDEN, region_lines
    >>> source = 'check("q1")\\n### BEGIN HIDDEN TESTS\\nassert x == 1\\n### END HIDDEN TESTS'
    >>> region_lines(source, BEGIN_HIDDEN, END_HIDDEN)
    ['assert x == 1']
    """
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
    and minus any hidden-test region.

    Parameters
    ----------
    source : str
        A cell's source.

    Returns
    -------
    str

    Examples
    --------
    >>> from course_tools.grading.cells import without_delimiters
    >>> print(without_delimiters("### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION\\nprint(x)"))
    x = 1
    print(x)
    """
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

    Parameters
    ----------
    nb : dict
        A source notebook (with solutions and hidden tests).
    solutions : bool, default=True
        Include the lines of solutions.
    hidden : bool, default=True
        Include the lines of hidden tests.

    Returns
    -------
    set of str
        Stripped lines of at least ``MIN_SECRET_LENGTH`` (8) characters.

    Examples
    --------
    >>> from course_tools.grading.authoring import build_notebook
    >>> from course_tools.grading.cells import secret_lines
    >>> nb = build_notebook(
    ...     "# %% answer id=q1-answer\\n### BEGIN SOLUTION\\nrate = 0.02\\n### END SOLUTION\\n"
    ...     "# %% tests id=q1-tests points=1\\n### BEGIN HIDDEN TESTS\\nassert rate < 0.1\\n### END HIDDEN TESTS\\n"
    ... )
    >>> sorted(secret_lines(nb)), sorted(secret_lines(nb, solutions=False))
    (['assert rate < 0.1', 'rate = 0.02'], ['assert rate < 0.1'])
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
    """Question ids of the ``check("...")`` calls that start lines of ``source``.

    Parameters
    ----------
    source : str
        A test cell's source.

    Returns
    -------
    list of str
        In order of appearance.

    Examples
    --------
    >>> from course_tools.grading.cells import checked_question_ids
    >>> checked_question_ids('check("00-base-rate")\\nx = 1  # check("not-this")\\ncheck("00-fraud-loss")')
    ['00-base-rate', '00-fraud-loss']
    """
    return _CHECK_CALL.findall(source)

"""``solution("question-id")``: the worked solution, after a real attempt.

The solution is read from the assignment's nbgrader source notebook
(``autograded/source/NN_name/NN_name.ipynb``, found by
:func:`course._locations.assignment_sources_dir`): the answer cells of the question, without
nbgrader's solution delimiters. Hidden tests are never shown. Where the sources are not
present (an installed package, a cohort's learner environment), it says that the instructor
has them. It shows nothing while nbgrader grades a notebook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["solution", "solution_source"]

_CHECK_CALL = re.compile(r"""^\s*check\(\s*["']([A-Za-z0-9_-]+)["']""", re.MULTILINE)
_DELIMITERS = ("### BEGIN SOLUTION", "### END SOLUTION")
_HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def _role(cell) -> str:
    meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
    if meta.get("solution") and (meta.get("grade") or cell.get("cell_type") != "code"):
        return "manual"
    if meta.get("solution"):
        return "answer"
    if meta.get("grade"):
        return "tests"
    return "other"


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _as_written(source: str) -> str:
    kept, hidden = [], False
    for line in source.splitlines():
        if _HIDDEN[0] in line:
            hidden = True
        elif _HIDDEN[1] in line:
            hidden = False
        elif not hidden and not any(d in line for d in _DELIMITERS):
            kept.append(line)
    return "\n".join(kept).strip("\n")


def _answers_by_question(nb: dict) -> dict[str, list[str]]:
    """Question id -> the sources of the answer cells its test cell grades (notebook order)."""
    found, answers, tested = {}, [], False
    for cell in nb.get("cells", []):
        role = _role(cell)
        if role == "answer":
            if tested:  # a new question starts
                answers, tested = [], False
            answers.append(_as_written(_text(cell)))
        elif role == "tests":
            tested = True
            for question_id in _CHECK_CALL.findall(_text(cell)):
                found.setdefault(question_id, list(answers))
        elif role == "manual":
            answers, tested = [], False
    return found


def solution_source(question_id: str, exercise: str, sources: Path | None) -> tuple[str | None, Path | None]:
    """The worked solution of ``question_id`` from the source notebook(s) of ``exercise``.

    Parameters
    ----------
    question_id : str
    exercise : str
        The assignment, e.g. ``"00_warm_up"`` (folder ``sources/00_warm_up/``).
    sources : pathlib.Path or None
        The folder of the assignments' sources (None: there is none).

    Returns
    -------
    (str or None, pathlib.Path or None)
        The solution's code and the notebook it comes from; ``(None, None)`` when not found.

    Examples
    --------
    >>> from course._locations import assignment_sources_dir
    >>> from course.grading.solutions import solution_source
    >>> code, notebook = solution_source("00-base-rate", "00_warm_up", assignment_sources_dir())
    >>> code.splitlines()[-1]  # the answer cell's last line (the solution itself is not repeated here)
    'base_rate'
    >>> notebook.name
    '00_warm_up.ipynb'
    """
    if sources is None or not exercise:
        return None, None
    for path in sorted((Path(sources) / exercise).glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        answers = _answers_by_question(nb).get(question_id)
        if answers:
            return "\n\n".join(a for a in answers if a), path
    return None, None


def _shown(path: Path) -> str:
    from course._locations import REPOSITORY

    try:
        return str(path.resolve().relative_to(REPOSITORY))
    except ValueError:
        return str(path)


def solution(question_id: str) -> None:
    """Print the worked solution of a question, once you have tried it yourself.

    Shown after at least one check of an answer of your own (passed or failed; a check of
    the untouched stub does not count), recorded in your progress file. Where the
    assignment's source notebook is not available, it says that your instructor has it.
    While nbgrader grades a notebook it prints a short note and nothing else.

    Parameters
    ----------
    question_id : str
        The id used in ``check(...)``, e.g. ``"00-base-rate"``.

    Raises
    ------
    UnknownQuestion
        A ``ValueError`` listing the question ids of that exercise.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from course import check, solution
    >>> from course.grading.tracking import using_progress_file
    >>> with using_progress_file(pathlib.Path(tempfile.mkdtemp()) / "progress.json"):  # a new learner
    ...     solution("00-base-rate")
    ...     try:
    ...         check("00-base-rate", {"base_rate": 50})  # an answer of their own, wrong
    ...     except AssertionError:
    ...         pass
    ...     solution("00-base-rate")  # doctest: +ELLIPSIS
    The worked solution of 00-base-rate comes after you have tried: ...
    Worked solution of 00-base-rate (The fraud base rate), from autograded/source/00_warm_up/00_warm_up.ipynb:
    ...
    Compare it with yours: ...
    """
    from course._locations import assignment_sources_dir
    from course.grading import checks, tracking

    if tracking.being_graded():
        print(f'(solution("{question_id}") shows nothing while the notebook is being graded.)')
        return
    question = checks.get_question(question_id)
    if not tracking.attempted(question_id):
        print(
            f"The worked solution of {question_id} comes after you have tried: write your answer, run its cell, "
            f'then run check("{question_id}"). Once a check of your own answer has run (passed or not), '
            f'solution("{question_id}") shows it. Stuck before that? hint("{question_id}") gives a hint, '
            "one level deeper at each call."
        )
        return
    code, notebook = solution_source(question_id, question.exercise, assignment_sources_dir())
    if code is None:
        print(
            f"The worked solution of {question_id} ({question.title}) is not in this environment: "
            "your instructor has it (the assignment's source notebook stays with them). "
            f'hint("{question_id}") still gives hints.'
        )
        return
    body = "\n".join(f"    {line}" if line else "" for line in code.splitlines())
    print(
        f"Worked solution of {question_id} ({question.title}), from {_shown(notebook)}:\n\n{body}\n\n"
        "Compare it with yours: where do they differ, and would yours give the same result on other data?"
    )

"""``hint("question-id")``: hints one level deeper at each call.

A visible test gives ``hint=`` a string or a list of strings, each deeper than the one
before (see :meth:`course.grading.Question.test`). ``hint`` shows, for the visible tests
that failed at the learner's last ``check`` of the question (or for all of them before a
check), one more level at each call, with the levels already seen above it: re-running
the cell keeps the whole ladder in view.
"""

from __future__ import annotations

__all__ = ["hint"]

# (question id, test position) -> number of levels shown so far, in this kernel
_SHOWN: dict[tuple[str, int], int] = {}


def hint(question_id: str) -> None:
    """Print a hint for a question, one level deeper at each call.

    The hints are those of the visible checks your last ``check(question_id)`` failed (all
    the question's checks if you have not checked an answer yet). Each call adds the next
    level (counted in this kernel: a restart starts again at the first); at the deepest
    level it says so, and points to ``solution(question_id)``.
    While nbgrader grades a notebook, it prints a short note and nothing else.

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
    >>> from course import hint
    >>> hint("00-base-rate")  # doctest: +ELLIPSIS
    Hint for 00-base-rate (The fraud base rate), level 1:
      - ...
        1. ...
    ...
    """
    from course.grading import checks, tracking

    if tracking.being_graded():
        print(f'(hint("{question_id}") shows nothing while the notebook is being graded.)')
        return
    question = checks.get_question(question_id)
    verdict = checks.last_verdict(question_id)
    with_hints = [i for i, test in enumerate(question.tests) if test.hints]
    if not with_hints:
        print(
            f'{question_id} ({question.title}) has no hints: read what check("{question_id}") says it expected '
            "and what it found."
        )
        return
    focus = [i for i in (verdict.failing if verdict and verdict.outcome == "failed" else ()) if i in with_hints]
    about = "for the checks your last answer failed" if focus else None
    focus = focus or with_hints
    for i in focus:
        _SHOWN[(question_id, i)] = min(_SHOWN.get((question_id, i), 0) + 1, len(question.tests[i].hints))
    level = max(_SHOWN[(question_id, i)] for i in focus)
    lines = [f"Hint for {question_id} ({question.title}), level {level}" + (f" ({about})" if about else "") + ":"]
    for i in focus:
        test = question.tests[i]
        lines.append(f"  - {test.description}")
        lines += [f"    {n}. {text}" for n, text in enumerate(test.hints[: _SHOWN[(question_id, i)]], start=1)]
    deepest = all(_SHOWN[(question_id, i)] >= len(question.tests[i].hints) for i in focus)
    if not deepest:
        lines.append(f'Run hint("{question_id}") again for a deeper hint.')
    elif tracking.attempted(question_id):
        lines.append(f'That is the deepest hint. solution("{question_id}") shows a worked solution.')
    else:
        lines.append(
            f'That is the deepest hint. Once you have checked an answer of your own, solution("{question_id}") '
            "shows a worked solution."
        )
    print("\n".join(lines))

"""Instant self-checks: ``check("question-id")`` runs a question's visible tests.

The visible tests of every graded question live here, in the course package, one file
per assignment under ``course/grading/questions/``. The nbgrader test cell of a question
starts with ``check("question-id")``, so the tests that nbgrader grades and the learner's
instant check are the same code. Hidden tests stay in the instructor's source notebook.

Every check of the learner's own answer is recorded in their progress file
(:mod:`course.grading.tracking`), except while nbgrader grades the notebook; ``hint`` and
``solution`` (:mod:`course.grading.hints`, :mod:`course.grading.solutions`) read what
the last check found.
"""

from __future__ import annotations

import difflib
import inspect
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "CheckFailed",
    "UnknownQuestion",
    "Question",
    "Verdict",
    "check",
    "get_question",
    "question_ids",
    "exercise_of",
    "exercise_question_ids",
]

_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
_REGISTRY: dict[str, Question] = {}
_RED, _GREEN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


class CheckFailed(AssertionError):
    """A visible check failed. The message says which test, what was expected and a hint.

    It is an ``AssertionError``, so nbgrader counts the test cell as failed. In Jupyter
    it shows its message alone, without a traceback of the course's internals.
    """

    def _render_traceback_(self):
        # IPython calls this instead of printing a traceback: the message is the story.
        return [f"{_RED}{line}{_RESET}" if line.startswith("✗") else line for line in str(self).splitlines()]


class UnknownQuestion(ValueError):
    """``check`` was given an id no question has; the message lists the known ids."""

    def _render_traceback_(self):
        return [f"{_RED}UnknownQuestion{_RESET}: {self}"]


@dataclass(frozen=True)
class VisibleTest:
    """One visible test: a function whose parameters name the learner's objects.

    ``hints`` holds its hints, each one deeper than the one before (``hint("id")`` shows
    one more level at each call); the failure message of ``check`` shows the first.
    """

    function: Callable
    description: str
    hints: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def hint(self) -> str | None:
        """The first (shallowest) hint, or None."""
        return self.hints[0] if self.hints else None


def _hint_levels(hint) -> tuple[str, ...]:
    """``hint=`` of a visible test as a tuple of levels; a clear error for anything else."""
    if hint is None:
        return ()
    levels = [hint] if isinstance(hint, str) else hint
    if not isinstance(levels, (list, tuple)) or not levels:
        raise TypeError(f"hint must be a string or a non-empty list of strings, got {hint!r}.")
    for level in levels:
        if not isinstance(level, str) or not level.strip():
            raise TypeError(f"every hint level must be a non-empty string, got {level!r} in {hint!r}.")
    return tuple(level.strip() for level in levels)


#: What a check found: ``passed``; ``failed`` (the learner's own answer did not pass: a real
#: attempt); ``missing`` (a name is not defined yet) or ``unanswered`` (the stub still raises
#: ``NotImplementedError``): neither of the last two is an attempt.
OUTCOMES = ("passed", "failed", "missing", "unanswered")


@dataclass(frozen=True)
class Verdict:
    """The outcome of running a question's visible tests on the learner's work.

    Attributes
    ----------
    question_id : str
    outcome : str
        One of ``"passed"``, ``"failed"`` (a real attempt that did not pass), ``"missing"``
        (a name is not defined yet) or ``"unanswered"`` (the stub still raises).
    message : str
        What the learner reads: the success line, or what failed and a hint.
    failing : tuple of int
        Positions (in ``Question.tests``) of the visible tests that failed.

    Examples
    --------
    >>> from course.grading import Question
    >>> q = Question("demo-triple", "Triple a number", register=False)
    >>> @q.test(hint=["Multiply.", "Multiply by 3."])
    ... def triples_two(triple):
    ...     "triple(2) is 6"
    ...     assert triple(2) == 6, f"triple(2) should be 6, got {triple(2)!r}"
    >>> verdict = q.evaluate({"triple": lambda x: x + 3})
    >>> verdict.outcome, verdict.failing, verdict.attempted
    ('failed', (0,), True)
    """

    question_id: str
    outcome: str
    message: str
    failing: tuple[int, ...] = ()

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    @property
    def attempted(self) -> bool:
        """True when the learner's own answer was checked (passed or failed)."""
        return self.outcome in ("passed", "failed")


class Question:
    """A graded question and its visible tests, registered under a unique id.

    Parameters
    ----------
    question_id : str
        Unique across the course, letters, digits, ``-`` and ``_`` only (it doubles as an
        nbgrader ``grade_id`` stem). By convention it starts with the assignment number,
        e.g. ``"00-base-rate"``.
    title : str
        A few words shown to the learner with every verdict.
    register : bool, default=True
        Add the question to the course registry so that ``check(question_id)`` finds it.
        ``False`` makes a free-standing question (for a quick try or a test).

    Examples
    --------
    >>> from course.grading import Question
    >>> q = Question("demo-double", "Double a number", register=False)
    >>> @q.test(hint="Multiply by 2.")
    ... def doubles_three(double):
    ...     "double(3) is 6"
    ...     assert double(3) == 6, f"double(3) should be 6, got {double(3)!r}"
    >>> q.run({"double": lambda x: 2 * x})
    '✓ demo-double (Double a number): the 1 visible check passed.'
    """

    def __init__(self, question_id: str, title: str, *, register: bool = True):
        if not isinstance(question_id, str) or not _ID_PATTERN.match(question_id):
            raise ValueError(
                f"question_id must be letters, digits, '-' or '_' (an nbgrader grade_id stem), got {question_id!r}."
            )
        origin = _caller_module()
        if register and question_id in _REGISTRY and _REGISTRY[question_id]._origin != origin:
            raise ValueError(
                f"Question id {question_id!r} is already registered by {_REGISTRY[question_id]._origin}: "
                "question ids must be unique across the course."
            )
        self.question_id = question_id
        self.title = title
        self.tests: list[VisibleTest] = []
        self._origin = origin
        if register:  # re-importing the same module replaces its questions
            _REGISTRY[question_id] = self

    def __repr__(self):
        return f"Question({self.question_id!r}, {self.title!r}, tests={len(self.tests)})"

    def test(self, function: Callable | None = None, *, hint: str | list[str] | None = None):
        """Register a visible test (use as a decorator, with or without ``hint=``).

        The test's parameters are looked up by name in the learner's namespace. Its
        docstring's first line (or its name) tells the learner what is being checked;
        its ``assert`` message says what was expected and what was found. ``hint`` is a
        string, or a list of strings each deeper than the one before: the failure message
        shows the first, ``hint("question-id")`` one more level at each call.
        """
        levels = _hint_levels(hint)

        def register(func):
            names = tuple(inspect.signature(func).parameters)
            doc = (inspect.getdoc(func) or "").strip()
            description = doc.splitlines()[0] if doc else func.__name__.replace("_", " ")
            self.tests.append(VisibleTest(func, description, levels, names))
            return func

        return register(function) if function is not None else register

    @property
    def exercise(self) -> str | None:
        """The exercise (assignment) that asks this question, e.g. ``"00_warm_up"``; None if none."""
        return exercise_of(self)

    def evaluate(self, namespace: dict) -> Verdict:
        """Run the visible tests against ``namespace``; the :class:`Verdict` (never raises for
        the learner's mistakes: a failure is a verdict).

        Parameters
        ----------
        namespace : dict
            Where the learner's objects are (a notebook's globals).

        Returns
        -------
        Verdict
        """
        if not self.tests:
            raise RuntimeError(f"Question {self.question_id!r} has no visible tests yet.")
        header = f"{self.question_id} ({self.title})"
        needed = list(dict.fromkeys(name for test in self.tests for name in test.names))
        missing = [name for name in needed if name not in namespace]
        if missing:
            listed = ", ".join(f"`{name}`" for name in missing)
            verb = "is" if len(missing) == 1 else "are"
            return Verdict(
                self.question_id,
                "missing",
                f"✗ {header}: {listed} {verb} not defined yet.\n"
                f"  Write your answer in the cell above (it should define {listed}), run that cell, "
                "then run this check again.",
            )
        failures = []
        for index, test in enumerate(self.tests):
            problem = _run_one(test, namespace)
            if problem is not None:
                failures.append((index, test, problem))
        total = len(self.tests)
        failing = tuple(index for index, _, _ in failures)
        if failures and all(problem == _NOT_IMPLEMENTED for _, _, problem in failures):
            return Verdict(
                self.question_id,
                "unanswered",
                f"✗ {header}: not answered yet.\n  {_NOT_IMPLEMENTED} Then run your answer cell and this check again.",
                failing,
            )
        if failures:
            lines = [f"✗ {header}: {len(failures)} of {total} visible check{'s' if total > 1 else ''} failed.", ""]
            for _, test, problem in failures:
                lines.append(f"  ✗ {test.description}")
                lines.extend(f"    {line}" for line in problem.splitlines())
                if test.hint:
                    lines.append(f"    Hint: {test.hint}")
            lines += [
                "",
                "Fix your answer, run its cell again, then run this check again.",
                f'Stuck? hint("{self.question_id}") gives a deeper hint at each call; '
                f'solution("{self.question_id}") shows a worked solution now that you have tried.',
            ]
            return Verdict(self.question_id, "failed", "\n".join(lines), failing)
        if total == 1:
            return Verdict(self.question_id, "passed", f"✓ {header}: the 1 visible check passed.")
        return Verdict(self.question_id, "passed", f"✓ {header}: all {total} visible checks passed.")

    def run(self, namespace: dict) -> str:
        """Run the visible tests against ``namespace``; return the success message.

        Raises
        ------
        CheckFailed
            If a name is missing or a test fails; the message explains what to fix.
        """
        verdict = self.evaluate(namespace)
        if not verdict.passed:
            raise CheckFailed(verdict.message)
        return verdict.message


_NOT_IMPLEMENTED = "Your code still raises NotImplementedError: replace `raise NotImplementedError()` with your answer."


def _run_one(test: VisibleTest, namespace: dict) -> str | None:
    """Run one test; return None on success, else what went wrong in plain words."""
    try:
        test.function(*(namespace[name] for name in test.names))
    except AssertionError as exc:
        return str(exc) or "The check's condition was false."
    except NotImplementedError:
        return _NOT_IMPLEMENTED
    except Exception as exc:  # the learner's code raised: say what, not where in our code
        return f"Running your code raised {type(exc).__name__}: {exc}"
    return None


def _caller_module() -> str:
    """The module that created the Question (frame 2 up: Question.__init__ -> caller)."""
    frame = sys._getframe(2)
    return frame.f_globals.get("__name__", "?")


_QUESTIONS_PACKAGE = "course.grading.questions."


def exercise_of(question: Question) -> str | None:
    """The exercise (assignment) whose question module registered ``question``.

    Parameters
    ----------
    question : Question

    Returns
    -------
    str or None
        The module's name, e.g. ``"00_warm_up"``; None for a question made elsewhere.

    Examples
    --------
    >>> from course.grading.checks import exercise_of, get_question
    >>> exercise_of(get_question("00-base-rate"))
    '00_warm_up'
    """
    origin = question._origin
    return origin[len(_QUESTIONS_PACKAGE) :] if origin.startswith(_QUESTIONS_PACKAGE) else None


def exercise_question_ids() -> dict[str, list[str]]:
    """Every exercise of the course and its question ids, in the order the exercise asks them.

    Imports every question module first.

    Returns
    -------
    dict of str -> list of str
        Sorted by exercise name.

    Examples
    --------
    >>> from course.grading.checks import exercise_question_ids
    >>> exercise_question_ids()["00_warm_up"]
    ['00-base-rate', '00-fraud-loss', '00-share-above', '00-rate-by-day']
    """
    from course.grading import questions

    questions.load_all()
    found: dict[str, list[str]] = {}
    for question_id, question in _REGISTRY.items():
        exercise = exercise_of(question)
        if exercise is not None:
            found.setdefault(exercise, []).append(question_id)
    return dict(sorted(found.items()))


def question_ids() -> list[str]:
    """Every registered question id of the course, sorted.

    Imports every question module first (:func:`course.grading.questions.load_all`).

    Returns
    -------
    list of str

    Examples
    --------
    >>> from course.grading.checks import question_ids
    >>> question_ids()[:4]
    ['00-base-rate', '00-fraud-loss', '00-rate-by-day', '00-share-above']
    """
    from course.grading import questions

    questions.load_all()
    return sorted(_REGISTRY)


def get_question(question_id: str) -> Question:
    """Return the registered :class:`Question`; a clear ``ValueError`` for an unknown id.

    Parameters
    ----------
    question_id : str
        E.g. ``"00-base-rate"``. The question modules of its assignment are imported first.

    Returns
    -------
    Question

    Raises
    ------
    UnknownQuestion
        A ``ValueError``: no question has this id (the message suggests a close one).

    Examples
    --------
    >>> from course.grading.checks import get_question
    >>> get_question("00-base-rate")
    Question('00-base-rate', 'The fraud base rate', tests=2)
    >>> get_question("00-base-rat")
    Traceback (most recent call last):
    ...
    course.grading.checks.UnknownQuestion: Unknown question id '00-base-rat'. Did you mean '00-base-rate'? ...
    """
    from course.grading import questions

    if not isinstance(question_id, str):
        raise UnknownQuestion(f"question_id must be a string such as '00-base-rate', got {question_id!r}.")
    if question_id not in _REGISTRY:  # the question's own assignment first: a notebook imports little
        questions.load_for(question_id)
    if question_id not in _REGISTRY:
        questions.load_all()
    try:
        return _REGISTRY[question_id]
    except KeyError:
        raise UnknownQuestion(_unknown_id_message(question_id)) from None


def _unknown_id_message(question_id: str) -> str:
    """Says the id is unknown, suggests the closest, and lists the ids of its exercise (or all)."""
    known = sorted(_REGISTRY)
    close = difflib.get_close_matches(str(question_id), known, n=1)
    suggestion = f" Did you mean {close[0]!r}?" if close else ""
    by_exercise = exercise_question_ids()
    prefix = question_id.split("-", 1)[0] + "_"
    same = {name: ids for name, ids in by_exercise.items() if name.startswith(prefix)}
    if same:
        listing = " ".join(f"The questions of exercise {name}: {', '.join(ids)}." for name, ids in same.items())
    else:
        others = sorted(set(known) - {i for ids in by_exercise.values() for i in ids})
        groups = [f"{name}: {', '.join(ids)}" for name, ids in by_exercise.items()]
        groups += [f"elsewhere: {', '.join(others)}"] if others else []
        listing = f"Known question ids, by exercise: {'; '.join(groups) or 'none'}."
    return f"Unknown question id {question_id!r}.{suggestion} {listing}"


def check(question_id: str, namespace: dict | None = None) -> None:
    """Run the visible tests of a question on your work and print a verdict.

    Parameters
    ----------
    question_id : str
        The id printed in the question, e.g. ``"00-base-rate"``.
    namespace : dict, optional
        Where to find your objects. By default, the globals of the caller: in a
        notebook, the variables and functions you defined.

    Raises
    ------
    CheckFailed
        An ``AssertionError`` whose message says which visible test failed, what was
        expected, and a hint. Hidden tests may check more when your work is graded.
    UnknownQuestion
        A ``ValueError``: ``question_id`` is unknown (the message lists the known ids).

    Examples
    --------
    >>> from course import check
    >>> base_rate = 0.02
    >>> check("00-base-rate", {"base_rate": base_rate})
    ✓ 00-base-rate (The fraud base rate): all 2 visible checks passed.
    """
    question = get_question(question_id)
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    verdict = question.evaluate(namespace)
    _remember(verdict)
    if not verdict.passed:
        raise CheckFailed(verdict.message)
    print(verdict.message)


#: What the checks of this kernel found, by question id: the last Verdict (``hint`` reads it).
_LAST_VERDICTS: dict[str, Verdict] = {}


def last_verdict(question_id: str) -> Verdict | None:
    """The verdict of the last ``check(question_id)`` in this kernel (None before any)."""
    return _LAST_VERDICTS.get(question_id)


def _remember(verdict: Verdict) -> None:
    """Keep the verdict for ``hint``/``solution`` and record an attempt in the progress file.

    Recording never stops a check: a file that cannot be written is reported and skipped,
    and nothing is written while nbgrader grades the notebook.
    """
    _LAST_VERDICTS[verdict.question_id] = verdict
    if verdict.attempted:
        from course.grading import tracking

        tracking.record_check(verdict.question_id, verdict.outcome)

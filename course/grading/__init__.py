"""The learner's side of graded exercises: instant self-checks and the visible tests.

- :func:`check` runs the visible tests of a question on the learner's work
  (``from course import check``; ``check("00-base-rate")``).
- :func:`hint` gives hints one level deeper at each call; :func:`solution` shows the worked
  solution after a real attempt; :func:`progress` the table of questions passed, attempted
  and not started, and quiz results (``from course import check, hint, solution, progress``).
- :class:`Question` registers a question and its visible tests; one module per
  assignment lives in ``course/grading/questions/``.
- :class:`~course.grading.expect.Expect`: the comparison helpers of hidden tests, created
  in an assignment's locked setup cell before any learner code runs.

The instructor's nbgrader pipeline is ``course_tools.grading``. Authoring rules:
``docs/AUTHORING.md``.
"""

from course.grading.checks import CheckFailed, Question, UnknownQuestion, check, get_question, question_ids
from course.grading.hints import hint
from course.grading.solutions import solution
from course.grading.tracking import progress

__all__ = [
    "CheckFailed",
    "Question",
    "UnknownQuestion",
    "check",
    "get_question",
    "question_ids",
    "hint",
    "solution",
    "progress",
]

"""Graded exercises: instant self-checks for learners, the nbgrader pipeline for instructors.

- :func:`check` runs the visible tests of a question on the learner's work
  (``from course import check``; ``check("00-base-rate")``).
- :class:`Question` registers a question and its visible tests; one module per
  assignment lives in ``course/grading/questions/``.
- ``python -m course.grading --help`` (or ``hsml-grade``): the instructor's commands
  (release, collect, autograde, feedback, grades) and the authoring helpers.

Authoring rules: ``docs/AUTHORING.md``. Running a cohort: ``docs/INSTRUCTORS.md``.
"""

from course.grading.checks import CheckFailed, Question, UnknownQuestion, check, get_question, question_ids

__all__ = ["CheckFailed", "Question", "UnknownQuestion", "check", "get_question", "question_ids"]

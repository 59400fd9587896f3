"""The instructor's side of grading: nbgrader release, collect, autograde, feedback, grades.

``python -m course_tools.grading --help`` (or ``hsml-grade``) lists the commands; the
authoring builder and linter (``build``, ``lint``, ``new-assignment``) live here too. The
learner's side (``check``, the visible questions, the hidden tests' comparison helpers) is
``course.grading``. Rules: ``docs/AUTHORING.md``; running a cohort: ``docs/INSTRUCTORS.md``.
"""

"""The course's own tooling: for instructors and maintainers, never imported by a notebook.

- ``course_tools.grading``: the nbgrader pipeline (release, collect, autograde, feedback,
  grades), the assignment builder and linter (``python -m course_tools.grading --help``).
- ``course_tools.notebooks``: the stored form of notebooks (normalize, check).
- ``course_tools.lab``: starts JupyterLab on the course (``make lab``).

The learner's package is ``course``; it imports nothing from here.
"""

from pathlib import Path

# The one place the tooling finds the repository it works on.
REPO_ROOT = Path(__file__).resolve().parent.parent

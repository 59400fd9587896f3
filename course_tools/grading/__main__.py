"""``python -m course_tools.grading ...``: the same commands as ``hsml-grade``."""

from course_tools.grading.cli import main

raise SystemExit(main())

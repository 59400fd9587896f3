"""``python -m course.grading ...``: the same commands as ``hsml-grade``."""

from course.grading.cli import main

raise SystemExit(main())

"""The visible tests of every assignment, one module per assignment.

``course/grading/questions/<assignment>.py`` (e.g. ``00_warm_up.py``) creates one
:class:`course.grading.Question` per graded question. :func:`load_all` imports every
module here, so ``check("question-id")`` finds any question of the course.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["load_all", "assignment_modules"]


def assignment_modules() -> list[str]:
    """Names of the question modules (one per assignment), sorted."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def load_all() -> None:
    """Import every question module (cached by Python after the first call)."""
    for name in assignment_modules():
        importlib.import_module(f"{__name__}.{name}")

"""The visible tests of every assignment, one module per assignment.

``course/grading/questions/<assignment>.py`` (e.g. ``00_warm_up.py``) creates one
:class:`course.grading.Question` per graded question, with ids that start with the
assignment's number (``"00-base-rate"``). ``check("00-base-rate")`` imports the modules of
assignment ``00_*`` only (:func:`load_for`); :func:`load_all` imports every module.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["load_all", "load_for", "assignment_modules"]


def assignment_modules() -> list[str]:
    """Names of the question modules (one per assignment), sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from course.grading.questions import assignment_modules
    >>> assignment_modules()[:4]
    ['00_warm_up', '01_class_imbalance', '02_pr_auc_vs_roc_auc', '03_thresholds_and_costs']
    """
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def load_all() -> None:
    """Import every question module (cached by Python after the first call).

    Examples
    --------
    >>> import sys
    >>> from course.grading.questions import load_all
    >>> load_all()
    >>> "course.grading.questions.03_thresholds_and_costs" in sys.modules
    True
    """
    for name in assignment_modules():
        importlib.import_module(f"{__name__}.{name}")


def load_for(question_id: str) -> None:
    """Import the modules of the assignment whose number starts ``question_id`` ("00-x": ``00_*``).

    Parameters
    ----------
    question_id : str
        A question id such as ``"00-base-rate"``; an id of no assignment imports nothing.

    Examples
    --------
    >>> import sys
    >>> from course.grading.questions import load_for
    >>> load_for("00-base-rate")
    >>> "course.grading.questions.00_warm_up" in sys.modules
    True
    """
    prefix = str(question_id).split("-", 1)[0] + "_"
    for name in assignment_modules():
        if name.startswith(prefix):
            importlib.import_module(f"{__name__}.{name}")

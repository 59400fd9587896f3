"""Where the course looks outside its own package: the one place that knows the repository.

A learner's kernel imports ``course`` either from a checkout of the repository (``make lab``:
an editable install) or from an installed package without the repository (a cohort's
learner environment). Two things may live beside the package in a checkout: the shipped
dataset (``datasets/``, see :func:`course.data.datasets_dir`) and the assignments' source
notebooks with their worked solutions (``autograded/source/``, see
:func:`assignment_sources_dir`). Each can be pointed elsewhere with an environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["REPOSITORY", "ASSIGNMENT_SOURCES_ENV", "assignment_sources_dir"]

#: The folder that holds the ``course`` package: the repository, in a checkout.
REPOSITORY = Path(__file__).resolve().parents[1]
#: Names the folder of the assignments' source notebooks (``<folder>/NN_name/NN_name.ipynb``).
ASSIGNMENT_SOURCES_ENV = "HSML_ASSIGNMENT_SOURCES"


def assignment_sources_dir():
    """The folder of the assignments' nbgrader source notebooks, or None where there is none.

    In order: the folder named by the environment variable ``HSML_ASSIGNMENT_SOURCES``; the
    repository's ``autograded/source/`` when the course runs from a checkout; otherwise
    None (an installed package: the sources, with their solutions, stay with the instructor).

    Returns
    -------
    pathlib.Path or None

    Examples
    --------
    >>> from course._locations import assignment_sources_dir
    >>> sorted(p.name for p in assignment_sources_dir().iterdir())[:2]
    ['00_warm_up', '01_class_imbalance']
    """
    override = os.environ.get(ASSIGNMENT_SOURCES_ENV)
    if override:
        return Path(override).expanduser()
    candidate = REPOSITORY / "autograded" / "source"
    return candidate if candidate.is_dir() else None

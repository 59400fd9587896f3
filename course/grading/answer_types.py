"""Small predicates that visible tests use to say what kind of answer a learner gave.

One home for them: every ``course/grading/questions/<assignment>.py`` imports these
instead of keeping its own copy.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["is_number", "is_share", "describe_value"]


def is_number(value) -> bool:
    """True for one real number (a Python or numpy int or float), False for a bool or anything else.

    Parameters
    ----------
    value : object
        The learner's answer.

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> from course.grading.answer_types import is_number
    >>> is_number(0.25), is_number(np.float64(3)), is_number(True), is_number([0.25])
    (True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def is_share(value) -> bool:
    """True for one number between 0 and 1 (a rate, a precision, a share of frauds).

    Parameters
    ----------
    value : object
        The learner's answer.

    Returns
    -------
    bool

    Examples
    --------
    >>> from course.grading.answer_types import is_share
    >>> is_share(0.3), is_share(30), is_share("0.3")
    (True, False, False)
    """
    return is_number(value) and 0 <= value <= 1


def describe_value(value) -> str:
    """How a failure message names an answer: the number itself, or the type of anything else.

    Parameters
    ----------
    value : object
        The learner's answer.

    Returns
    -------
    str

    Examples
    --------
    >>> from course.grading.answer_types import describe_value
    >>> describe_value(0.5), describe_value([0.5]), describe_value(None)
    ('0.5', 'a list', 'a NoneType')
    """
    return f"a {type(value).__name__}" if not is_number(value) else repr(value)

"""Comparison helpers for hidden tests, captured before any learner code runs.

An assignment's locked setup cell creates ``_expect = Expect()``; its hidden tests then
compare the learner's answers with expected values fixed when the assignment was written:

>>> _expect = Expect()
>>> _expect.close(0.1 + 0.2, 0.3, atol=1e-12, what="the fraud rate")
>>> _expect.close(0.31, 0.3, atol=1e-3, what="the fraud rate")
Traceback (most recent call last):
...
AssertionError: the fraud rate: expected 0.3 (+- 0.001), got 0.31.

The functions an :class:`Expect` uses (``math.isclose``, ``numpy.asarray``, ``isinstance``,
...) are looked up once, when it is created, and kept in closures: code that the learner
runs later and that patches ``builtins``, ``numpy`` or ``math`` does not change a verdict.
An :class:`Expect` is a tuple of those four closures: its helpers cannot be replaced on the
instance (``_expect.close = ...`` and ``object.__setattr__`` both raise). Rebinding the
name ``_expect`` itself is undone by the grading kernel's guard before every test cell
(``course_tools/grading/kernel.py``), and flagged in the grading report.
"""

from __future__ import annotations

import builtins
import math
import numbers
from operator import itemgetter

import numpy as np

__all__ = ["Expect"]


def _capture():
    """The references a verdict needs, taken now (before any learner code runs)."""
    return {
        "isclose": math.isclose,
        "isfinite": math.isfinite,
        "isinstance": builtins.isinstance,
        "bool_": builtins.bool,
        "float_": builtins.float,
        "len": builtins.len,
        "repr": builtins.repr,
        "abs": builtins.abs,
        "asarray": np.asarray,
        "array_equal": np.array_equal,
        "np_abs": np.abs,
        "np_isfinite": np.isfinite,
        "np_max": np.max,
        "Real": numbers.Real,
        "Integral": numbers.Integral,
        "ndarray": np.ndarray,
        "AssertionError": builtins.AssertionError,
    }


class Expect(tuple):
    """Verdicts of hidden tests: each method returns None or raises ``AssertionError``.

    Parameters
    ----------
    None

    Examples
    --------
    >>> _expect = Expect()
    >>> _expect.equal(3, 3, what="alerts on day 2")
    >>> _expect.true(2 > 1, what="more alerts than frauds")
    >>> _expect.array_close([0.5, 0.25], [0.5, 0.25], atol=1e-9, what="daily rates")
    >>> _expect.close = lambda *a, **k: None
    Traceback (most recent call last):
    ...
    AttributeError: property 'close' of 'Expect' object has no setter
    """

    __slots__ = ()

    close = property(itemgetter(0), doc="Fail unless a value is a finite number within ``atol + rtol*|expected|``.")
    equal = property(itemgetter(1), doc="Fail unless ``value == expected`` (numbers compare by value).")
    true = property(itemgetter(2), doc="Fail unless a condition is exactly ``True`` (or numpy's True).")
    array_close = property(itemgetter(3), doc="Fail unless each entry is within ``atol`` of the expected one.")

    def __new__(cls):
        ref = _capture()

        def fail(message):
            raise ref["AssertionError"](message)

        def as_number(value, what):
            isinstance = ref["isinstance"]
            if isinstance(value, ref["ndarray"]) and value.shape == ():
                value = value.item()
            if isinstance(value, ref["bool_"]) or not isinstance(value, ref["Real"]):
                fail(f"{what}: expected a number, got {ref['repr'](value)[:80]}.")
            value = ref["float_"](value)
            if not ref["isfinite"](value):
                fail(f"{what}: expected a finite number, got {value}.")
            return value

        def close(value, expected, *, atol, rtol=0.0, what="the answer"):
            """Fail unless ``value`` is a finite number within ``atol + rtol*|expected|``."""
            number = as_number(value, what)
            if not ref["isclose"](number, expected, rel_tol=rtol, abs_tol=atol):
                tolerance = f"+- {atol:g}" if not rtol else f"+- {atol:g} + {rtol:g} x |expected|"
                fail(f"{what}: expected {expected:g} ({tolerance}), got {number:g}.")

        def equal(value, expected, *, what="the answer"):
            """Fail unless ``value == expected`` (numbers of any numeric type compare by value)."""
            isinstance = ref["isinstance"]
            if isinstance(value, ref["ndarray"]) and value.shape == ():
                value = value.item()
            if isinstance(expected, ref["Integral"]) and not isinstance(expected, ref["bool_"]):
                number = as_number(value, what)
                if number != expected:
                    fail(f"{what}: expected {expected}, got {ref['repr'](value)[:80]}.")
                return
            same = value == expected
            if isinstance(same, ref["ndarray"]) or not isinstance(same, ref["bool_"]) or not same:
                fail(f"{what}: expected {ref['repr'](expected)[:80]}, got {ref['repr'](value)[:80]}.")

        def true(condition, *, what="the check"):
            """Fail unless ``condition`` is exactly ``True`` (or numpy's True)."""
            if not (condition is True or (ref["isinstance"](condition, np.bool_) and condition.item() is True)):
                fail(f"{what}: not satisfied.")

        def array_close(values, expected, *, atol, what="the answer"):
            """Fail unless ``values`` has the expected length and each entry is within ``atol``."""
            try:
                array = ref["asarray"](values, dtype=float)
            except (TypeError, ValueError):
                fail(f"{what}: expected {ref['len'](expected)} numbers, got {ref['repr'](values)[:80]}.")
            wanted = ref["asarray"](expected, dtype=float)
            if array.shape != wanted.shape:
                fail(f"{what}: expected shape {wanted.shape}, got {array.shape}.")
            if not ref["np_isfinite"](array).all():
                fail(f"{what}: holds NaN or infinite values.")
            gap = ref["np_max"](ref["np_abs"](array - wanted)) if array.size else 0.0
            if not gap <= atol:
                fail(f"{what}: differs from the expected values by up to {gap:g} (tolerance {atol:g}).")

        return tuple.__new__(cls, (close, equal, true, array_close))

    def __repr__(self):
        return "Expect()"

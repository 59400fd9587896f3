"""Day-level (block) bootstrap: uncertainty of a statistic when the frauds of one day are correlated.

TEMPORARY stand-in on branch m05 with the API of COMMON.md (issue 13, teaching truth), so
module 05 can be written before main's ``course.metrics.day_bootstrap`` lands. When main has
it, this file is deleted in favour of main's (merge: take main's version).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course._validation import check_rng

__all__ = ["BootstrapResult", "day_bootstrap"]


@dataclass(frozen=True)
class BootstrapResult:
    """A statistic and its day-level bootstrap interval.

    Attributes
    ----------
    estimate, low, high, standard_error : float or numpy.ndarray
        The statistic on the data, the interval's bounds, the bootstrap standard error.
    confidence_level : float

    Examples
    --------
    >>> from course.metrics.bootstrap import BootstrapResult
    >>> str(BootstrapResult(0.653, 0.612, 0.69, 0.02, 0.95))
    '0.653 (95% CI 0.612 to 0.690)'
    """

    estimate: object
    low: object
    high: object
    standard_error: object
    confidence_level: float = 0.95

    def __str__(self):
        return f"{self.estimate:.3f} ({self.confidence_level:.0%} CI {self.low:.3f} to {self.high:.3f})"


def day_bootstrap(statistic, *arrays, days, n_resamples=200, confidence_level=0.95, seed=0):
    """Percentile bootstrap that resamples whole days with replacement.

    Parameters
    ----------
    statistic : callable
        ``statistic(*arrays_subset)`` returns a float or a 1-D array.
    *arrays : array-like of shape (n,)
    days : array-like of shape (n,)
        The day of each row; whole days are drawn.
    n_resamples : int, default=200
    confidence_level : float, default=0.95
    seed : int or numpy.random.Generator, default=0

    Returns
    -------
    BootstrapResult

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics.bootstrap import day_bootstrap
    >>> values, days = np.arange(10.0), np.repeat(np.arange(5), 2)
    >>> result = day_bootstrap(np.mean, values, days=days, n_resamples=50)
    >>> float(result.estimate), bool(result.low <= 4.5 <= result.high)
    (4.5, True)
    """
    rng = check_rng(seed)
    arrays = [np.asarray(a) for a in arrays]
    days = np.asarray(days)
    unique, inverse = np.unique(days, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(inverse, minlength=unique.size))]
    day_rows = [order[bounds[d]:bounds[d + 1]] for d in range(unique.size)]
    estimate = np.asarray(statistic(*arrays), dtype=float)
    draws = []
    for _ in range(n_resamples):
        picked = rng.integers(0, unique.size, unique.size)
        rows = np.concatenate([day_rows[d] for d in picked])
        draws.append(np.asarray(statistic(*(a[rows] for a in arrays)), dtype=float))
    draws = np.asarray(draws)
    alpha = (1 - confidence_level) / 2
    low, high = np.nanquantile(draws, [alpha, 1 - alpha], axis=0)
    se = np.nanstd(draws, axis=0, ddof=1)
    if estimate.ndim == 0:
        return BootstrapResult(float(estimate), float(low), float(high), float(se), confidence_level)
    return BootstrapResult(estimate, low, high, se, confidence_level)

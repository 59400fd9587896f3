"""Model-free drift monitors: population stability index, weekly KS, alert control chart.

These numbers need no label: they compare what the model sees now (the payments of a
week, their scores, the alerts of a day) with a **reference** (the data the model was
fitted to). Module 07 measures when they raise an alarm and what they miss.

Population stability index (PSI), the binning rule used everywhere in the course:

- the bins are the **reference's deciles**: interior edges ``np.quantile(reference,
  [0.1, 0.2, ..., 0.9])`` (numpy's default, linear interpolation), duplicates dropped
  (a feature with many equal values has fewer bins), and the two outer bins open
  (``-inf`` and ``+inf``), so every current value falls in a bin. A value equal to an
  edge goes to the bin above it (bins are ``[edge_k, edge_k+1)``);
- ``r_i`` and ``c_i`` are the shares of the reference and of the current sample in bin
  ``i``; a share below ``floor`` (0.0001) is raised to it, so that an **empty bin** gives
  a finite term instead of ``ln(0)``;
- ``PSI = sum_i (c_i - r_i) * ln(c_i / r_i)`` (0 when nothing moved; symmetric in the two
  samples). Rules of thumb from credit scoring: below 0.1 "no significant change", 0.1 to
  0.25 "moderate", above 0.25 "significant". Module 07 tests them against the money.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

from course._validation import check_same_length, check_scalar, check_scores

__all__ = [
    "PSI_FLOOR",
    "population_stability_index",
    "psi_by_period",
    "ks_by_period",
    "ControlLimits",
    "control_limits",
    "AlarmTiming",
    "first_alarm",
]

#: Smallest share a bin may have in the PSI (an empty bin counts as this share).
PSI_FLOOR = 1e-4


def _check_n_bins(n_bins):
    return check_scalar(n_bins, "n_bins", int, min_val=2)


def _check_floor(floor):
    return check_scalar(floor, "floor", float, min_val=0.0, max_val=1.0, include_boundaries="neither")


def _reference_bin_edges(reference, n_bins):
    """Interior PSI bin edges: the distinct ``1/n_bins ... (n_bins-1)/n_bins`` quantiles of ``reference``."""
    return np.unique(np.quantile(reference, np.arange(1, n_bins) / n_bins))


def _shares(bins, n_bins_total):
    return np.bincount(bins, minlength=n_bins_total) / bins.size


def population_stability_index(reference, current, *, n_bins=10, floor=PSI_FLOOR):
    """Population stability index of ``current`` against ``reference``, on the reference's deciles.

    ``PSI = sum_i (c_i - r_i) * ln(c_i / r_i)`` over the reference's quantile bins (see the
    module docstring for the rule), where ``r_i``, ``c_i`` are the shares of each sample in
    bin ``i``, each raised to at least ``floor`` (an empty bin counts as ``floor``, not 0,
    so the index stays finite). Equal quantiles are merged, so a feature with few distinct
    values gets fewer bins, and one that is 0 for more than 90% of the payments gets a
    single bin for all its zeros: a change among its rare non-zero values can then go
    unseen. See the module docstring for the rules of thumb.

    Parameters
    ----------
    reference : array-like of shape (n,)
        What the model was fitted to (finite numbers); it sets the bins.
    current : array-like of shape (m,)
        What it sees now, e.g. one week of the same feature or of the scores.
    n_bins : int, default=10
        Quantile bins of the reference (10: deciles), at least 2.
    floor : float, default=0.0001
        Smallest share of a bin in either sample, strictly between 0 and 1.

    Returns
    -------
    psi : float
        0 when the shares are equal; larger the more the distribution moved.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import population_stability_index
    >>> reference = np.arange(100.0)                # deciles at 9.9, 19.8, ...
    >>> round(population_stability_index(reference, reference), 6)
    0.0
    >>> shifted = np.arange(50.0, 150.0)            # 60% of it in the reference's top decile
    >>> round(population_stability_index(reference, shifted), 3)
    4.346
    """
    reference = check_scores(reference, name="reference")
    current = check_scores(current, name="current")
    floor = _check_floor(floor)
    edges = _reference_bin_edges(reference, _check_n_bins(n_bins))
    n_total = edges.size + 1
    ref_share = np.maximum(_shares(np.searchsorted(edges, reference, side="right"), n_total), floor)
    cur_share = np.maximum(_shares(np.searchsorted(edges, current, side="right"), n_total), floor)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


def _check_periods(values, periods, name):
    periods = np.asarray(periods)
    if periods.ndim != 1:
        raise ValueError(f"periods must be one-dimensional (one period per value), got shape {periods.shape}.")
    check_same_length(**{name: values, "periods": periods})
    if periods.dtype.kind == "f" and np.isnan(periods).any():
        raise ValueError("periods contains NaN: every value needs a period (e.g. its week).")
    return periods


def psi_by_period(reference, values, *, periods, n_bins=10, floor=PSI_FLOOR):
    """PSI of each period's values against one reference (bins fixed by the reference).

    Parameters
    ----------
    reference : array-like of shape (n,)
        The reference sample; its deciles are the bins of every period.
    values : array-like of shape (m,)
        The monitored values of all periods.
    periods : array-like of shape (m,)
        The period of each value (e.g. its week number).
    n_bins : int, default=10
    floor : float, default=0.0001
        See :func:`population_stability_index`.

    Returns
    -------
    pandas.Series
        The PSI of each period, indexed by the sorted distinct periods, named ``"psi"``.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import psi_by_period
    >>> reference = np.arange(100.0)
    >>> values = np.r_[np.arange(100.0), np.arange(50.0, 150.0)]
    >>> psi_by_period(reference, values, periods=np.repeat([7, 8], 100)).round(3).tolist()
    [0.0, 4.346]
    """
    reference = check_scores(reference, name="reference")
    values = check_scores(values, name="values")
    periods = _check_periods(values, periods, "values")
    floor = _check_floor(floor)
    edges = _reference_bin_edges(reference, _check_n_bins(n_bins))
    n_total = edges.size + 1
    ref_share = np.maximum(_shares(np.searchsorted(edges, reference, side="right"), n_total), floor)
    labels, period_index = np.unique(periods, return_inverse=True)
    bins = np.searchsorted(edges, values, side="right")
    counts = np.bincount(period_index * n_total + bins, minlength=labels.size * n_total).reshape(labels.size, n_total)
    cur_share = np.maximum(counts / counts.sum(axis=1, keepdims=True), floor)
    psi = np.sum((cur_share - ref_share) * np.log(cur_share / ref_share), axis=1)
    return pd.Series(psi, index=pd.Index(labels, name="period"), name="psi")


def ks_by_period(reference, values, *, periods, method="auto"):
    """Two-sample Kolmogorov-Smirnov test of each period's values against the reference.

    A thin loop over :func:`scipy.stats.ks_2samp` (two-sided). With thousands of payments
    a period the p-value flags differences too small to matter: read the statistic (the
    largest gap between the two empirical CDFs) too.

    Parameters
    ----------
    reference : array-like of shape (n,)
    values : array-like of shape (m,)
    periods : array-like of shape (m,)
        The period of each value.
    method : {"auto", "exact", "asymp"}, default="auto"
        How ``ks_2samp`` computes the p-value: ``"auto"`` is exact when both samples have at
        most 10,000 values (slow for thousands), ``"asymp"`` uses the asymptotic
        distribution (fast, accurate for samples of thousands).

    Returns
    -------
    pandas.DataFrame
        Indexed by the sorted distinct periods, columns ``statistic`` and ``pvalue``.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import ks_by_period
    >>> reference = np.arange(100.0)
    >>> values = np.r_[np.arange(100.0), np.arange(50.0, 150.0)]
    >>> ks_by_period(reference, values, periods=np.repeat([7, 8], 100))["statistic"].tolist()
    [0.0, 0.5]
    """
    reference = check_scores(reference, name="reference")
    values = check_scores(values, name="values")
    periods = _check_periods(values, periods, "values")
    if method not in ("auto", "exact", "asymp"):
        raise ValueError(f'method must be "auto", "exact" or "asymp", got {method!r}.')
    labels, period_index = np.unique(periods, return_inverse=True)
    order = np.argsort(period_index, kind="stable")
    bounds = np.searchsorted(period_index[order], np.arange(labels.size + 1))
    rows = []
    for k in range(labels.size):
        result = ks_2samp(reference, values[order[bounds[k] : bounds[k + 1]]], method=method)
        rows.append((float(result.statistic), float(result.pvalue)))
    return pd.DataFrame(rows, index=pd.Index(labels, name="period"), columns=["statistic", "pvalue"])


@dataclass(frozen=True)
class ControlLimits:
    """Shewhart control limits of a daily count: ``center +/- n_sigma * sigma``.

    Made by :func:`control_limits`.

    Attributes
    ----------
    center : float
        Mean daily count over the reference days.
    sigma : float
        Sample standard deviation (``ddof=1``) of the reference days' counts.
    lower, upper : float
        ``max(0, center - n_sigma * sigma)`` and ``center + n_sigma * sigma``.

    Examples
    --------
    >>> from course.metrics import control_limits
    >>> limits = control_limits([10, 12, 8, 10, 10])
    >>> limits.center, round(limits.upper, 2)
    (10.0, 14.24)
    >>> limits.outside([9, 15, 3]).tolist()
    [False, True, True]
    """

    center: float
    sigma: float
    lower: float
    upper: float

    def outside(self, counts):
        """True for each count strictly above ``upper`` or strictly below ``lower``.

        Parameters
        ----------
        counts : array-like of shape (n,)
            Daily counts (e.g. alerts per day).

        Returns
        -------
        ndarray of bool
        """
        counts = check_scores(counts, name="counts")
        return (counts > self.upper) | (counts < self.lower)


def control_limits(reference_counts, *, n_sigma=3.0):
    """Control limits of a daily count (e.g. alerts per day) from reference days.

    A day whose count leaves ``[lower, upper]`` is out of control: an alarm. The limits
    treat the reference days as independent draws of one stable process; a trend or a
    weekly pattern in the reference widens them.

    Parameters
    ----------
    reference_counts : array-like of shape (n_days,)
        One count per reference day, at least 2 days.
    n_sigma : float, default=3.0
        Width of the band in standard deviations (3: about 3 false alarms in 1,000 days
        for a stable, roughly normal count).

    Returns
    -------
    ControlLimits

    Examples
    --------
    >>> from course.metrics import control_limits
    >>> control_limits([4, 6, 5, 5], n_sigma=2.0)
    ControlLimits(center=5.0, sigma=0.816496580927726, lower=3.367006838144548, upper=6.6329931618554525)
    """
    counts = check_scores(reference_counts, name="reference_counts")
    if counts.size < 2:
        raise ValueError(f"reference_counts needs at least 2 days to estimate a spread, got {counts.size}.")
    n_sigma = check_scalar(n_sigma, "n_sigma", float, min_val=0.0, include_boundaries="neither")
    center, sigma = float(counts.mean()), float(counts.std(ddof=1))
    return ControlLimits(
        center=center, sigma=sigma, lower=max(0.0, center - n_sigma * sigma), upper=center + n_sigma * sigma
    )


@dataclass(frozen=True)
class AlarmTiming:
    """When a monitor first fired after a drift began, and how often it fired before.

    Made by :func:`first_alarm`.

    Attributes
    ----------
    first_alarm_day : int or None
        The check day of the first alarm on or after the start day (None: never fired).
    detection_delay_days : float
        ``first_alarm_day + 1 - start_day``: days from the drift's start (the beginning
        of ``start_day``) to the alarm (the end of the last day the check used). NaN when
        it never fired.
    false_alarms : int
        Alarms at checks whose data ended before ``start_day`` (no drift yet).
    checks_before_start : int
        Number of such checks (the denominator of a false-alarm rate).

    Examples
    --------
    >>> from course.metrics import first_alarm
    >>> first_alarm([False, True, False, True], check_days=[55, 62, 69, 76], start_day=63)
    AlarmTiming(first_alarm_day=76, detection_delay_days=14.0, false_alarms=1, checks_before_start=2)
    """

    first_alarm_day: int | None
    detection_delay_days: float
    false_alarms: int
    checks_before_start: int


def first_alarm(alarms, *, check_days, start_day):
    """The first alarm on or after a drift's start, its delay in days, and earlier false alarms.

    A check (a weekly PSI, a daily control chart) uses data up to the end of its
    ``check_day``: a weekly check of days 63-69 has ``check_day=69``. Its alarm is raised
    at the end of that day, so the **detection delay** counts the days from the beginning
    of ``start_day`` to the end of ``check_day``: ``check_day + 1 - start_day`` (a daily
    check that fires on the drift's first day has a delay of 1 day).

    Parameters
    ----------
    alarms : array-like of bool, shape (n_checks,)
        Whether each check raised an alarm.
    check_days : array-like of int, shape (n_checks,)
        The last day of data each check used, increasing.
    start_day : int
        The drift's first day.

    Returns
    -------
    AlarmTiming

    Examples
    --------
    >>> from course.metrics import first_alarm
    >>> first_alarm([False, False, True], check_days=[62, 69, 76], start_day=63).detection_delay_days
    14.0
    """
    alarms = np.asarray(alarms)
    if alarms.ndim != 1 or alarms.dtype.kind not in "bi" or not np.isin(alarms, [0, 1]).all():
        raise ValueError("alarms must be a one-dimensional array of booleans (True = the monitor fired).")
    check_days = np.asarray(check_days)
    if check_days.ndim != 1 or check_days.dtype.kind not in "iu":
        raise ValueError(f"check_days must be a one-dimensional array of whole days, got dtype {check_days.dtype}.")
    check_same_length(alarms=alarms, check_days=check_days)
    if check_days.size > 1 and (np.diff(check_days) <= 0).any():
        raise ValueError("check_days must be strictly increasing (one check per period, in time order).")
    start_day = check_scalar(start_day, "start_day", int)
    alarms = alarms.astype(bool)
    before = check_days < start_day
    fired = np.flatnonzero(alarms & ~before)
    first = int(check_days[fired[0]]) if fired.size else None
    delay = float(first + 1 - start_day) if first is not None else math.nan
    return AlarmTiming(
        first_alarm_day=first,
        detection_delay_days=delay,
        false_alarms=int((alarms & before).sum()),
        checks_before_start=int(before.sum()),
    )

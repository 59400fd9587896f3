"""Uncertainty of a metric: a bootstrap that resamples whole days.

Frauds of one day are not independent (a compromised terminal or a leaked card produces
several in a row), so resampling single transactions understates the spread. The
:func:`day_bootstrap` resamples **days** with replacement (a block bootstrap with one block
per day) and recomputes the statistic on the rows of the drawn days. It is drawn once per
:class:`DayBootstrap` as a matrix of day weights (how often each day is drawn in each
resample), so that several metrics, and the difference of two models, are evaluated on
the same draws. Ranking metrics (average precision, ROC-AUC) count, once, for each fraud
and each day, the payments of that day scored at or above it; every draw is then a few
matrix products of those counts with the day weights; the partial ROC-AUC sorts once and
accumulates the day weights over the top of the ranking. All exact (ties as in
scikit-learn) and orders of magnitude faster than recomputing them on resampled rows (which
is what a generic statistic does, and what :func:`scipy.stats.bootstrap` would do).

To compare two models or two rules, bootstrap their **difference** on the same drawn days:
the interval of the difference is what says whether the gap is inside the noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course._validation import check_binary_labels, check_rng, check_same_length, check_scalar, check_scores

__all__ = ["BootstrapResult", "DayBootstrap", "day_bootstrap"]


@dataclass(frozen=True)
class BootstrapResult:
    """A statistic with its day-level bootstrap interval.

    Attributes
    ----------
    estimate : float or numpy.ndarray
        The statistic on all the rows.
    low, high : float or numpy.ndarray
        The percentile interval at ``confidence_level``.
    standard_error : float or numpy.ndarray
        Standard deviation of the bootstrap distribution.
    confidence_level : float
    n_resamples : int
    n_days : int
        Number of days (blocks) resampled.

    Examples
    --------
    >>> r = BootstrapResult(0.5, 0.4, 0.6, 0.05, 0.95, 200, 30)
    >>> str(r)
    '0.5 (95% CI 0.4 to 0.6)'
    >>> r.contains(0.0)
    False
    """

    estimate: float | np.ndarray
    low: float | np.ndarray
    high: float | np.ndarray
    standard_error: float | np.ndarray
    confidence_level: float
    n_resamples: int
    n_days: int

    def contains(self, value):
        """Whether ``value`` lies inside the interval (for a difference: is 0 inside the noise?).

        Parameters
        ----------
        value : float

        Returns
        -------
        bool or numpy.ndarray of bool

        Examples
        --------
        >>> BootstrapResult(0.02, -0.01, 0.05, 0.015, 0.95, 200, 30).contains(0.0)
        True
        """
        inside = (np.asarray(self.low) <= value) & (value <= np.asarray(self.high))
        return bool(inside) if inside.ndim == 0 else inside

    def format(self, spec=".3g"):
        """The estimate and its interval as text, e.g. ``'0.653 (95% CI 0.612 to 0.690)'``.

        Parameters
        ----------
        spec : str, default=".3g"
            A format specification applied to the three numbers (scalar results only).

        Returns
        -------
        str

        Examples
        --------
        >>> BootstrapResult(0.6531, 0.6123, 0.6901, 0.02, 0.95, 200, 30).format(".3f")
        '0.653 (95% CI 0.612 to 0.690)'
        """
        if np.ndim(self.estimate) != 0:
            raise ValueError("format() is for a scalar statistic; index the arrays for several numbers.")
        level = f"{100 * self.confidence_level:g}%"
        return f"{self.estimate:{spec}} ({level} CI {self.low:{spec}} to {self.high:{spec}})"

    def __str__(self):
        return self.format()


def _percentile_result(estimate, draws, confidence_level, n_days):
    draws = np.asarray(draws, dtype=float)
    alpha = (1 - confidence_level) / 2
    low, high = np.quantile(draws, [alpha, 1 - alpha], axis=0)
    scalar = np.ndim(estimate) == 0

    def out(value):
        return float(value) if scalar else np.asarray(value, dtype=float)

    return BootstrapResult(
        estimate=out(estimate),
        low=out(low),
        high=out(high),
        standard_error=out(draws.std(axis=0, ddof=1)),
        confidence_level=confidence_level,
        n_resamples=len(draws),
        n_days=n_days,
    )


def _check_days(days):
    days = np.asarray(days)
    if days.ndim != 1:
        raise ValueError(f"days must be one-dimensional (one day per transaction), got shape {days.shape}.")
    if days.size == 0:
        raise ValueError("days is empty: at least one transaction is needed.")
    if days.dtype.kind == "f" and np.isnan(days).any():
        raise ValueError("days contains NaN: every transaction needs the day it belongs to.")
    return days


class DayBootstrap:
    """Resampled days, drawn once, shared by every metric evaluated on them.

    Parameters
    ----------
    days : array-like
        The day of each transaction (any sortable label: int, date).
    n_resamples : int, default=200
        Number of draws. 200 places the ends of a 95% interval to within about a tenth of
        a standard error; a widget can use fewer, a report more.
    confidence_level : float, default=0.95
    seed : int or numpy.random.Generator, default=0

    Attributes
    ----------
    day_index : numpy.ndarray
        Position of each transaction's day among the distinct days.
    counts : numpy.ndarray of shape (n_resamples, n_days)
        How many times each day is drawn in each resample (each row sums to ``n_days``).

    Notes
    -----
    Days are treated as exchangeable blocks: the bootstrap keeps the dependence between
    the transactions of one day (a compromised terminal, a leaked card) and ignores slow
    trends within the period. With a few weeks of days the interval is itself rough.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> days = np.repeat(np.arange(30), 200)
    >>> y = (rng.random(6000) < 0.05).astype(int)
    >>> score_a = y + rng.normal(0, 0.8, 6000)
    >>> score_b = y + rng.normal(0, 1.2, 6000)
    >>> boot = DayBootstrap(days, seed=1)
    >>> ap = boot.average_precision(y, score_a)
    >>> bool(ap.low < ap.estimate < ap.high)
    True
    >>> gap = boot.average_precision_difference(y, score_a, score_b)
    >>> gap.contains(0.0)
    False
    """

    def __init__(self, days, *, n_resamples=200, confidence_level=0.95, seed=0):
        days = _check_days(days)
        self.n_resamples = check_scalar(n_resamples, "n_resamples", int, min_val=2)
        self.confidence_level = check_scalar(
            confidence_level, "confidence_level", float, min_val=0.0, max_val=1.0, include_boundaries="neither"
        )
        rng = check_rng(seed)
        self.days, self.day_index = np.unique(days, return_inverse=True)
        self.n_days = len(self.days)
        if self.n_days < 2:
            raise ValueError(f"days holds a single day ({self.days[0]!r}): resampling days needs at least two.")
        drawn = rng.integers(0, self.n_days, size=(self.n_resamples, self.n_days))
        self.counts = np.stack([np.bincount(row, minlength=self.n_days) for row in drawn]).astype(np.float64)

    def _check_rows(self, **arrays):
        check_same_length(days=self.day_index, **arrays)

    def rows(self, resample):
        """Row positions of one resample (a drawn day's rows appear once per draw).

        Parameters
        ----------
        resample : int

        Returns
        -------
        numpy.ndarray of int

        Examples
        --------
        >>> boot = DayBootstrap([0, 0, 1], n_resamples=2, seed=0)
        >>> sorted(boot.rows(0).tolist()) in ([0, 0, 1, 1], [0, 1, 2], [2, 2], [0, 1, 0, 1])
        True
        """
        weights = self.counts[resample][self.day_index].astype(int)
        return np.repeat(np.arange(len(self.day_index)), weights)

    def statistic(self, statistic, *arrays):
        """Any statistic of the rows, recomputed on every resample (general, slower).

        Parameters
        ----------
        statistic : callable
            ``statistic(*arrays_subset)`` returns a float or a 1-D array.
        *arrays : array-like
            One value per transaction each.

        Returns
        -------
        BootstrapResult

        Examples
        --------
        >>> import numpy as np
        >>> boot = DayBootstrap(np.repeat(np.arange(10), 5), seed=0)
        >>> r = boot.statistic(np.mean, np.arange(50.0))
        >>> r.estimate
        24.5
        """
        if not callable(statistic):
            raise TypeError(f"statistic must be a function of the arrays, got {type(statistic).__name__}.")
        if not arrays:
            raise ValueError("a statistic needs at least one array to resample (labels, scores, ...).")
        arrays = [np.asarray(a) for a in arrays]
        self._check_rows(**{f"array {i}": a for i, a in enumerate(arrays)})
        estimate = np.asarray(statistic(*arrays), dtype=float)
        draws = []
        for r in range(self.n_resamples):
            rows = self.rows(r)
            draws.append(np.asarray(statistic(*(a[rows] for a in arrays)), dtype=float))
        return _percentile_result(estimate, draws, self.confidence_level, self.n_days)

    def column_sums(self, values, *, mean=False):
        """Sums (or means) over the rows of each column of ``values``, with their intervals (fast).

        A sum over transactions is the sum over days of the day totals, so each resample is
        the drawn days' counts times the day totals: the same numbers as
        :meth:`statistic` with ``np.sum`` (or ``np.mean``) on each column, without rebuilding
        the rows of every resample. Costs and savings are sums; a Brier score is a mean.

        Parameters
        ----------
        values : array-like of shape (n,) or (n, m)
            One row per transaction; each column is summed on its own.
        mean : bool, default=False
            The mean over the drawn rows instead of the sum.

        Returns
        -------
        BootstrapResult
            Arrays of shape ``(m,)`` (``(1,)`` for a 1-D ``values``).

        Examples
        --------
        >>> import numpy as np
        >>> boot = DayBootstrap(np.repeat(np.arange(10), 5), seed=0)
        >>> fast = boot.column_sums(np.arange(50.0))
        >>> slow = boot.statistic(np.sum, np.arange(50.0))
        >>> float(fast.estimate[0]), bool(np.isclose(fast.low[0], slow.low))
        (1225.0, True)
        """
        values = np.asarray(values, dtype=np.float64)
        if values.ndim not in (1, 2):
            raise ValueError(f"values must be 1-D or 2-D (rows, columns), got shape {values.shape}.")
        self._check_rows(values=values)
        if not np.all(np.isfinite(values)):
            raise ValueError("values holds NaN or infinite entries: a sum over transactions needs finite numbers.")
        values = values.reshape(len(self.day_index), -1)
        per_day = np.zeros((self.n_days, values.shape[1]))
        np.add.at(per_day, self.day_index, values)
        estimate, draws = per_day.sum(axis=0), self.counts @ per_day
        if mean:
            rows_per_day = np.bincount(self.day_index, minlength=self.n_days).astype(np.float64)
            estimate, draws = estimate / rows_per_day.sum(), draws / (self.counts @ rows_per_day)[:, None]
        return _percentile_result(estimate, draws, self.confidence_level, self.n_days)

    def _ranking_draws(self, y_true, y_score, kind):
        """The metric on the data (weights 1) and on every resample, from per-day counts.

        For each fraud and each day: how many frauds and genuine payments of that day are
        scored at or above it (and strictly above, for ties). A resample weights the days,
        so each count a metric needs is a matrix product with the day weights: no sort and
        no pass over the rows per resample. Exact (ties as in scikit-learn).
        """
        y_true = check_binary_labels(y_true)
        y_score = check_scores(y_score)
        self._check_rows(y_true=y_true, y_score=y_score)
        fraud = y_true == 1
        fraud_scores, fraud_day = y_score[fraud], self.day_index[fraud]
        order = np.argsort(y_score, kind="stable")
        order = order[np.argsort(self.day_index[order], kind="stable")]  # by day, then score (faster than lexsort)
        bounds = np.searchsorted(self.day_index[order], np.arange(self.n_days + 1))
        per_day = []  # (sorted genuine scores, sorted fraud scores) of each day
        for day in range(self.n_days):
            rows = order[bounds[day] : bounds[day + 1]]
            per_day.append((y_score[rows][~fraud[rows]], y_score[rows][fraud[rows]]))
        genuine_per_day = np.array([len(g) for g, _ in per_day], dtype=np.float64)
        frauds_per_day = np.array([len(f) for _, f in per_day], dtype=np.float64)

        weights = np.vstack([np.ones(self.n_days), self.counts])  # row 0: the data as observed
        positives, negatives = weights @ frauds_per_day, weights @ genuine_per_day
        if (positives == 0).any() or (kind == "roc_auc" and (negatives == 0).any()):
            raise ValueError("a resample holds no fraud (or no genuine): too few days or frauds for a day bootstrap.")
        total = np.zeros(len(weights))
        for start in range(0, fraud_scores.size, 2048):  # chunks bound the memory to 2048 x n_days counts
            scores = fraud_scores[start : start + 2048]
            at_or_above = np.empty((scores.size, self.n_days))  # genuine payments of each day
            above = np.empty_like(at_or_above)
            frauds_at_or_above = np.empty_like(at_or_above)
            for day, (genuine, frauds) in enumerate(per_day):
                at_or_above[:, day] = len(genuine) - np.searchsorted(genuine, scores, side="left")
                above[:, day] = len(genuine) - np.searchsorted(genuine, scores, side="right")
                frauds_at_or_above[:, day] = len(frauds) - np.searchsorted(frauds, scores, side="left")
            drawn = weights[:, fraud_day[start : start + 2048]]  # how often each fraud's day is drawn
            if kind == "average_precision":
                true_alerts = weights @ frauds_at_or_above.T
                alerts = true_alerts + weights @ at_or_above.T
                precision = np.divide(true_alerts, alerts, out=np.zeros_like(alerts), where=alerts > 0)
                total += (drawn * precision).sum(axis=1)
            else:  # genuine payments ranked below each fraud, ties counted one half
                below = genuine_per_day - at_or_above + 0.5 * (at_or_above - above)
                total += (drawn * (weights @ below.T)).sum(axis=1)
        values = total / positives if kind == "average_precision" else total / (positives * negatives)
        return values[0], values[1:]

    def _partial_roc_auc_draws(self, y_true, y_score, max_fpr):
        """McClish-standardized ROC-AUC up to ``max_fpr`` on the data and on every draw.

        Only the top of the ranking matters: the scores are sorted once, and the weighted
        counts of each draw are accumulated over a prefix long enough to pass ``max_fpr``
        in every draw (the whole data if needed). The area is scikit-learn's: trapezoids
        between the ROC points of distinct scores, the last one cut at ``max_fpr`` by
        linear interpolation, then rescaled so that 0.5 = no skill and 1 = perfect.
        """
        y_true = check_binary_labels(y_true)
        y_score = check_scores(y_score)
        self._check_rows(y_true=y_true, y_score=y_score)
        max_fpr = check_scalar(max_fpr, "max_fpr", float, min_val=0.0, max_val=1.0, include_boundaries="right")
        order = np.argsort(-y_score, kind="stable")
        fraud = y_true[order].astype(np.float64)
        day = self.day_index[order]
        group_end = np.r_[np.flatnonzero(np.diff(y_score[order])), order.size - 1]
        weights = np.vstack([np.ones(self.n_days), self.counts])
        positives = weights @ np.bincount(day, weights=fraud, minlength=self.n_days)
        negatives = weights @ np.bincount(day, weights=1.0 - fraud, minlength=self.n_days)
        if (positives == 0).any() or (negatives == 0).any():
            raise ValueError("a resample holds no fraud (or no genuine): too few days or frauds for a day bootstrap.")
        genuines_seen = np.cumsum(1.0 - fraud)
        length = order.size
        if max_fpr < 1.0:  # a prefix with several times the genuines max_fpr needs, ended at a group end
            needed = 4 * max_fpr * genuines_seen[-1] + 200
            cut = int(np.searchsorted(genuines_seen[group_end], needed))
            length = order.size if cut >= group_end.size else int(group_end[cut]) + 1
        ends = group_end[group_end < length]
        w = weights[:, day[:length]]
        fpr = np.cumsum(w * (1.0 - fraud[:length]), axis=1)[:, ends] / negatives[:, None]
        if max_fpr < 1.0 and length < order.size and (fpr[:, -1] <= max_fpr).any():
            return self._partial_roc_auc_draws_full(y_true, y_score, max_fpr)  # a draw needs more rows
        tpr = np.cumsum(w * fraud[:length], axis=1)[:, ends] / positives[:, None]
        zeros = np.zeros((len(weights), 1))
        fpr, tpr = np.hstack([zeros, fpr]), np.hstack([zeros, tpr])
        segment = np.diff(fpr, axis=1) * (tpr[:, 1:] + tpr[:, :-1]) / 2
        area_to = np.hstack([zeros, np.cumsum(segment, axis=1)])
        rows = np.arange(len(weights))
        stop = np.minimum((fpr <= max_fpr).sum(axis=1), fpr.shape[1] - 1)  # first point past max_fpr
        x0, x1 = fpr[rows, stop - 1], fpr[rows, stop]
        y0, y1 = tpr[rows, stop - 1], tpr[rows, stop]
        span = np.where(x1 > x0, x1 - x0, 1.0)
        y_cut = np.where(x1 > x0, y0 + (max_fpr - x0) * (y1 - y0) / span, y1)
        area = area_to[rows, stop - 1] + np.clip(max_fpr - x0, 0.0, None) * (y0 + y_cut) / 2
        min_area, max_area = max_fpr**2 / 2, max_fpr
        values = 0.5 * (1 + (area - min_area) / (max_area - min_area))
        return values[0], values[1:]

    def _partial_roc_auc_draws_full(self, y_true, y_score, max_fpr):
        from sklearn.metrics import roc_auc_score

        estimate = roc_auc_score(y_true, y_score, max_fpr=max_fpr)
        draws = [
            roc_auc_score(y_true, y_score, max_fpr=max_fpr, sample_weight=self.counts[r][self.day_index])
            for r in range(self.n_resamples)
        ]
        return estimate, np.asarray(draws)

    def partial_roc_auc(self, y_true, y_score, *, max_fpr):
        """Partial ROC-AUC up to ``max_fpr``, McClish-standardized (as scikit-learn), with its interval.

        Parameters
        ----------
        y_true : array-like of 0/1
        y_score : array-like
        max_fpr : float
            Upper false-positive rate, in (0, 1].

        Returns
        -------
        BootstrapResult

        Examples
        --------
        >>> from sklearn.metrics import roc_auc_score
        >>> boot = DayBootstrap([0, 0, 0, 1, 1, 1], n_resamples=3, seed=0)
        >>> y, s = [1, 0, 0, 1, 0, 0], [0.9, 0.8, 0.1, 0.3, 0.4, 0.2]
        >>> result = boot.partial_roc_auc(y, s, max_fpr=0.5)
        >>> bool(abs(result.estimate - roc_auc_score(y, s, max_fpr=0.5)) < 1e-12)
        True
        """
        estimate, draws = self._partial_roc_auc_draws(y_true, y_score, max_fpr)
        return _percentile_result(estimate, draws, self.confidence_level, self.n_days)

    def partial_roc_auc_difference(self, y_true, score_a, score_b, *, max_fpr):
        """Partial ROC-AUC of ``score_a`` minus that of ``score_b``, on the same drawn days.

        Parameters
        ----------
        y_true : array-like of 0/1
        score_a, score_b : array-like
        max_fpr : float
            Upper false-positive rate, in (0, 1].

        Returns
        -------
        BootstrapResult

        Examples
        --------
        >>> boot = DayBootstrap([0, 0, 1, 1], n_resamples=3, seed=0)
        >>> boot.partial_roc_auc_difference([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2], [0.9, 0.1, 0.8, 0.2], max_fpr=0.5).estimate
        0.0
        """
        a_estimate, a_draws = self._partial_roc_auc_draws(y_true, score_a, max_fpr)
        b_estimate, b_draws = self._partial_roc_auc_draws(y_true, score_b, max_fpr)
        return _percentile_result(a_estimate - b_estimate, a_draws - b_draws, self.confidence_level, self.n_days)

    def average_precision(self, y_true, y_score):
        """Average precision (scikit-learn's definition, ties included) with its interval.

        Parameters
        ----------
        y_true : array-like of 0/1
        y_score : array-like

        Returns
        -------
        BootstrapResult

        Examples
        --------
        >>> boot = DayBootstrap([0, 0, 1, 1], n_resamples=3, seed=0)
        >>> boot.average_precision([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2]).estimate
        1.0
        """
        estimate, draws = self._ranking_draws(y_true, y_score, "average_precision")
        return _percentile_result(estimate, draws, self.confidence_level, self.n_days)

    def roc_auc(self, y_true, y_score):
        """ROC-AUC (ties count one half, as in scikit-learn) with its interval.

        Parameters
        ----------
        y_true : array-like of 0/1
        y_score : array-like

        Returns
        -------
        BootstrapResult

        Examples
        --------
        >>> boot = DayBootstrap([0, 0, 1, 1], n_resamples=3, seed=0)
        >>> boot.roc_auc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2]).estimate
        1.0
        """
        estimate, draws = self._ranking_draws(y_true, y_score, "roc_auc")
        return _percentile_result(estimate, draws, self.confidence_level, self.n_days)

    def average_precision_difference(self, y_true, score_a, score_b):
        """AP of ``score_a`` minus AP of ``score_b``, on the same drawn days.

        Parameters
        ----------
        y_true : array-like of 0/1
        score_a, score_b : array-like

        Returns
        -------
        BootstrapResult
            ``contains(0.0)`` is True when the gap is inside the noise.

        Examples
        --------
        >>> boot = DayBootstrap([0, 0, 1, 1], n_resamples=3, seed=0)
        >>> boot.average_precision_difference([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2], [0.9, 0.1, 0.8, 0.2]).estimate
        0.0
        """
        a_estimate, a_draws = self._ranking_draws(y_true, score_a, "average_precision")
        b_estimate, b_draws = self._ranking_draws(y_true, score_b, "average_precision")
        return _percentile_result(a_estimate - b_estimate, a_draws - b_draws, self.confidence_level, self.n_days)

    def roc_auc_difference(self, y_true, score_a, score_b):
        """ROC-AUC of ``score_a`` minus that of ``score_b``, on the same drawn days.

        Parameters
        ----------
        y_true : array-like of 0/1
        score_a, score_b : array-like

        Returns
        -------
        BootstrapResult

        Examples
        --------
        >>> boot = DayBootstrap([0, 0, 1, 1], n_resamples=3, seed=0)
        >>> boot.roc_auc_difference([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2], [0.9, 0.1, 0.8, 0.2]).estimate
        0.0
        """
        a_estimate, a_draws = self._ranking_draws(y_true, score_a, "roc_auc")
        b_estimate, b_draws = self._ranking_draws(y_true, score_b, "roc_auc")
        return _percentile_result(a_estimate - b_estimate, a_draws - b_draws, self.confidence_level, self.n_days)


def day_bootstrap(statistic, *arrays, days, n_resamples=200, confidence_level=0.95, seed=0):
    """Estimate any statistic and its interval by resampling whole days with replacement.

    A shortcut for ``DayBootstrap(days, ...).statistic(statistic, *arrays)``. For average
    precision and ROC-AUC use :class:`DayBootstrap`'s methods: exact and much faster.

    Parameters
    ----------
    statistic : callable
        ``statistic(*arrays_subset)`` returns a float, or a 1-D array for several numbers at
        once (e.g. the metric of two models and their difference, on the same draws).
    *arrays : array-like
        One value per transaction each (labels, scores, amounts, ...), all of one length.
    days : array-like
        The day of each transaction: the block that is resampled.
    n_resamples : int, default=200
    confidence_level : float, default=0.95
    seed : int or numpy.random.Generator, default=0

    Returns
    -------
    BootstrapResult
        Percentile interval.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> days = np.repeat(np.arange(30), 100)
    >>> y = rng.random(3000) < 0.1
    >>> r = day_bootstrap(np.mean, y, days=days, seed=1)
    >>> round(r.estimate, 3), bool(r.low < r.estimate < r.high)
    (0.106, True)
    """
    boot = DayBootstrap(days, n_resamples=n_resamples, confidence_level=confidence_level, seed=seed)
    return boot.statistic(statistic, *arrays)

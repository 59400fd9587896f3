"""Validation against launch: ranking metrics with day-level intervals, and their gap (optimism).

A leak shows as **optimism**: the score a protocol reports in validation minus the score the
model it produced gets on the weeks after launch. Both numbers are noisy (a few hundred
frauds, correlated within a day), so each comes with a day-level bootstrap interval: whole
days are resampled with replacement (a block bootstrap), the two windows independently
(they are different days), with :func:`scipy.stats.bootstrap`.

Average precision and ROC-AUC are computed exactly for any resample without sorting again:
per day and per fraud, the counts of frauds and genuine payments scored at or above it are
computed once; a resample is a weight per day, and both metrics are then a few matrix
products. The numbers equal scikit-learn's ``average_precision_score`` and
``roc_auc_score`` on the resampled rows (ties included), at a small fraction of the cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import bootstrap

from course._validation import check_binary_labels, check_rng, check_same_length, check_scores
from course.metrics._bootstrap_stopgap import BootstrapResult

__all__ = ["RANKING_METRICS", "Optimism", "ranking_intervals", "ranking_difference", "optimism"]

#: The ranking metrics reported with day-level intervals, in this order.
RANKING_METRICS = ("average_precision", "roc_auc")


class _DayCounts:
    """Counts per (fraud, day) from which AP and ROC-AUC follow for any weight per day."""

    def __init__(self, y_true, y_score, days, *, name=""):
        y = check_binary_labels(y_true, name=f"y_true{name}")
        scores = check_scores(y_score, name=f"y_score{name}")
        days = np.asarray(days)
        if days.ndim != 1:
            raise ValueError(f"days{name} must be one-dimensional (one day per transaction), got shape {days.shape}.")
        check_same_length(**{f"y_true{name}": y, f"y_score{name}": scores, f"days{name}": days})
        if days.dtype.kind == "f" and np.isnan(days).any():
            raise ValueError(f"days{name} contains NaN: every transaction needs its day.")
        self.day_values, codes = np.unique(days, return_inverse=True)
        n_days = self.day_values.size
        if n_days < 2:
            raise ValueError(
                f"days{name} holds a single day: a day-level bootstrap needs at least 2 days to resample."
            )
        fraud = y == 1
        self.fraud_scores = scores[fraud]
        self.fraud_day = codes[fraud]
        shape = (self.fraud_scores.size, n_days)
        self.frauds_at_or_above = np.zeros(shape)
        genuine_at_or_above = np.zeros(shape)
        genuine_above = np.zeros(shape)
        self.genuine_per_day = np.zeros(n_days)
        order = np.lexsort((scores, codes))  # by day, then score
        bounds = np.searchsorted(codes[order], np.arange(n_days + 1))
        for day in range(n_days):
            rows = order[bounds[day] : bounds[day + 1]]
            genuine = scores[rows][~fraud[rows]]  # sorted
            frauds = scores[rows][fraud[rows]]
            self.genuine_per_day[day] = genuine.size
            genuine_at_or_above[:, day] = genuine.size - np.searchsorted(genuine, self.fraud_scores, side="left")
            genuine_above[:, day] = genuine.size - np.searchsorted(genuine, self.fraud_scores, side="right")
            self.frauds_at_or_above[:, day] = frauds.size - np.searchsorted(frauds, self.fraud_scores, side="left")
        self.genuine_at_or_above = genuine_at_or_above
        # genuine payments ranked below a fraud, ties counted half (the Mann-Whitney form of ROC-AUC)
        self.genuine_below = self.genuine_per_day[None, :] - genuine_at_or_above
        self.genuine_below += 0.5 * (genuine_at_or_above - genuine_above)

    @property
    def n_days(self):
        return self.day_values.size

    def metrics(self, weights):
        """(average_precision, roc_auc), each of shape (n_weightings,), for weights (n_weightings, n_days)."""
        weights = np.atleast_2d(np.asarray(weights, dtype=np.float64))
        fraud_weight = weights[:, self.fraud_day]  # how often each fraud's day was drawn
        frauds = fraud_weight.sum(axis=1)
        genuines = weights @ self.genuine_per_day
        true_alerts = weights @ self.frauds_at_or_above.T
        alerts = true_alerts + weights @ self.genuine_at_or_above.T
        precision = np.divide(true_alerts, alerts, out=np.zeros_like(alerts), where=alerts > 0)
        below = weights @ self.genuine_below.T
        with np.errstate(invalid="ignore", divide="ignore"):
            average_precision = (fraud_weight * precision).sum(axis=1) / frauds
            roc_auc = (fraud_weight * below).sum(axis=1) / (frauds * genuines)
        average_precision[frauds == 0] = np.nan
        roc_auc[(frauds == 0) | (genuines == 0)] = np.nan
        return average_precision, roc_auc

    def weights_of(self, resampled_days):
        """Weights per day (n_resamples, n_days) from resampled day positions (n_resamples, n_days)."""
        resampled_days = np.atleast_2d(resampled_days).astype(np.intp)
        rows = np.repeat(np.arange(resampled_days.shape[0]), resampled_days.shape[1])
        weights = np.zeros((resampled_days.shape[0], self.n_days))
        np.add.at(weights, (rows, resampled_days.ravel()), 1.0)
        return weights


def _check_settings(n_resamples, confidence_level):
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 10:
        raise ValueError(f"n_resamples must be a whole number >= 10, got {n_resamples!r}.")
    if isinstance(confidence_level, bool) or not isinstance(confidence_level, (float, int)) or not (
        0 < confidence_level < 1
    ):
        raise ValueError(f"confidence_level must be a number strictly between 0 and 1, got {confidence_level!r}.")


def _bootstrap(statistic, samples, n_resamples, confidence_level, seed):
    """Percentile intervals and standard errors of a vectorized multi-output statistic of day positions."""
    result = bootstrap(
        samples, statistic, n_resamples=n_resamples, confidence_level=confidence_level, method="percentile",
        vectorized=True, paired=False, random_state=check_rng(seed),
    )
    distribution = np.atleast_2d(result.bootstrap_distribution)
    tail = (1 - confidence_level) / 2
    low, high = np.nanquantile(distribution, [tail, 1 - tail], axis=-1)
    return low, high, np.nanstd(distribution, axis=-1, ddof=1)


def _results(estimates, low, high, standard_error, confidence_level):
    return [
        BootstrapResult(float(e), float(lo), float(hi), float(se), confidence_level)
        for e, lo, hi, se in zip(estimates, low, high, standard_error)
    ]


def ranking_intervals(y_true, y_score, *, days, n_resamples=200, confidence_level=0.95, seed=0):
    """Average precision and ROC-AUC, each with a day-level bootstrap interval.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Labels, 1 = fraud; both classes present.
    y_score : array-like of shape (n,)
        Scores, higher = more suspicious.
    days : array-like of shape (n,)
        The day of each transaction (any sortable values); at least 2 distinct days.
    n_resamples : int, default=200
        Bootstrap resamples of the days.
    confidence_level : float, default=0.95
    seed : int or numpy.random.Generator, default=0

    Returns
    -------
    dict
        ``{"average_precision": BootstrapResult, "roc_auc": BootstrapResult}``; each
        ``estimate`` equals scikit-learn's metric on all the rows.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import ranking_intervals
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(3_000) < 0.05).astype(int)
    >>> scores = rng.random(3_000) + 0.5 * y
    >>> result = ranking_intervals(y, scores, days=np.repeat(np.arange(30), 100))
    >>> result["roc_auc"].low < result["roc_auc"].estimate < result["roc_auc"].high
    True
    """
    _check_settings(n_resamples, confidence_level)
    counts = _DayCounts(y_true, y_score, days)
    estimates = np.concatenate(counts.metrics(np.ones(counts.n_days)))

    def statistic(resampled, axis=-1):
        return np.stack(counts.metrics(counts.weights_of(resampled)))

    low, high, se = _bootstrap(statistic, (np.arange(counts.n_days),), n_resamples, confidence_level, seed)
    return dict(zip(RANKING_METRICS, _results(estimates, low, high, se, confidence_level)))


def ranking_difference(y_true, score_a, score_b, *, days, n_resamples=200, confidence_level=0.95, seed=0):
    """Average precision and ROC-AUC of ``score_a`` minus those of ``score_b``, on the same resampled days.

    The comparison of two models on the same transactions: each resample draws days once and
    scores both models on them, so the interval is that of the difference (paired).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Labels, 1 = fraud.
    score_a, score_b : array-like of shape (n,)
        The two models' scores of the same transactions.
    days : array-like of shape (n,)
        The day of each transaction.
    n_resamples : int, default=200
    confidence_level : float, default=0.95
    seed : int or numpy.random.Generator, default=0

    Returns
    -------
    dict
        ``{"average_precision": BootstrapResult, "roc_auc": BootstrapResult}`` of a - b. The
        difference is inside the noise when the interval contains 0.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import ranking_difference
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(3_000) < 0.05).astype(int)
    >>> good, worse = rng.random(3_000) + y, rng.random(3_000) + 0.3 * y
    >>> gap = ranking_difference(y, good, worse, days=np.repeat(np.arange(30), 100))
    >>> gap["roc_auc"].low > 0
    True
    """
    _check_settings(n_resamples, confidence_level)
    a = _DayCounts(y_true, score_a, days, name=" (score_a)")
    b = _DayCounts(y_true, score_b, days, name=" (score_b)")
    ones = np.ones(a.n_days)
    estimates = np.concatenate(a.metrics(ones)) - np.concatenate(b.metrics(ones))

    def statistic(resampled, axis=-1):
        weights = a.weights_of(resampled)
        return np.stack(a.metrics(weights)) - np.stack(b.metrics(weights))

    low, high, se = _bootstrap(statistic, (np.arange(a.n_days),), n_resamples, confidence_level, seed)
    return dict(zip(RANKING_METRICS, _results(estimates, low, high, se, confidence_level)))


@dataclass(frozen=True)
class Optimism:
    """One metric in validation, at launch, and their difference (validation - launch).

    Attributes
    ----------
    metric : str
        ``"average_precision"`` or ``"roc_auc"``.
    validation, launch, optimism : BootstrapResult
        Each with its day-level interval; ``optimism`` is inside the noise when its interval
        contains 0.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import optimism
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2_000) < 0.05).astype(int)
    >>> days = np.repeat(np.arange(20), 100)
    >>> gap = optimism(y, rng.random(2_000) + y, y, rng.random(2_000) + y, days_val=days, days_launch=days)
    >>> gap["roc_auc"].inside_noise
    True
    """

    metric: str
    validation: BootstrapResult
    launch: BootstrapResult
    optimism: BootstrapResult

    @property
    def inside_noise(self):
        """True when the optimism's interval contains 0."""
        return self.optimism.low <= 0 <= self.optimism.high

    def __str__(self):
        return f"{self.metric}: validation {self.validation}, launch {self.launch}, optimism {self.optimism}"


def optimism(y_val, score_val, y_launch, score_launch, *, days_val, days_launch, n_resamples=200,
             confidence_level=0.95, seed=0):
    """Validation score, launch score and their gap, with day-level intervals.

    The validation and launch windows are different days: each resample draws the validation
    days and the launch days independently (a stratified block bootstrap, with
    :func:`scipy.stats.bootstrap`), and the optimism's interval is that of the difference.

    Parameters
    ----------
    y_val, score_val : array-like of shape (n_val,)
        Labels and scores of the validation rows (as the protocol reports them).
    y_launch, score_launch : array-like of shape (n_launch,)
        Labels and scores of the launch window (scored with what is known at scoring time).
    days_val, days_launch : array-like
        The day of each row of either window; at least 2 days in each.
    n_resamples : int, default=200
    confidence_level : float, default=0.95
    seed : int or numpy.random.Generator, default=0

    Returns
    -------
    dict
        ``{"average_precision": Optimism, "roc_auc": Optimism}``.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import optimism
    >>> rng = np.random.default_rng(1)
    >>> y = (rng.random(4_000) < 0.05).astype(int)
    >>> days = np.repeat(np.arange(40), 100)
    >>> leaky = optimism(y, rng.random(4_000) + 3 * y, y, rng.random(4_000) + 0.5 * y,
    ...                  days_val=days, days_launch=days)
    >>> leaky["average_precision"].optimism.low > 0
    True
    """
    _check_settings(n_resamples, confidence_level)
    val = _DayCounts(y_val, score_val, days_val, name="_val")
    launch = _DayCounts(y_launch, score_launch, days_launch, name="_launch")
    estimates = np.concatenate([val.metrics(np.ones(val.n_days)), launch.metrics(np.ones(launch.n_days))])[:, 0]
    estimates = np.concatenate([estimates, estimates[:2] - estimates[2:]])

    def statistic(val_days, launch_days, axis=-1):
        inside = np.stack(val.metrics(val.weights_of(val_days)))
        after = np.stack(launch.metrics(launch.weights_of(launch_days)))
        return np.concatenate([inside, after, inside - after])

    samples = (np.arange(val.n_days), np.arange(launch.n_days))
    low, high, se = _bootstrap(statistic, samples, n_resamples, confidence_level, seed)
    results = _results(estimates, low, high, se, confidence_level)
    return {
        metric: Optimism(metric, results[k], results[2 + k], results[4 + k])
        for k, metric in enumerate(RANKING_METRICS)
    }

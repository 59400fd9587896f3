"""Are the probabilities right? Model-free calibration numbers: reliability bins, ECE, forecasts.

A model is **calibrated** when, among the transactions it gives a fraud probability of
about p, a share p are frauds. Ranking metrics (ROC-AUC, average precision) cannot see it:
they only use the order of the scores. Everything here takes labels and probabilities,
never a model.

Binning rule (``strategy``), the same as :func:`sklearn.calibration.calibration_curve`:

- ``"uniform"``: ``n_bins`` bins of equal width on [0, 1]. With fraud probabilities far
  below 0.1, nearly every transaction falls into the first bin.
- ``"quantile"``: bin edges at the quantiles of ``y_prob``, so that the bins hold about the
  same number of transactions (tied scores stay together, so some bins can be empty).

A probability on an inner edge goes to the lower bin (``numpy.searchsorted(edges[1:-1], p)``,
as scikit-learn does); empty bins are left out.

- :func:`reliability_table`: one row per bin, with a binomial interval on its fraud rate.
- :func:`expected_calibration_error`: the bin-weighted mean gap between predicted and
  observed fraud rates.
- :func:`ece_noise_floor`: the ECE a perfectly calibrated model would show on the same
  transactions (labels drawn from the probabilities themselves).
- :func:`calibration_report`: Brier score, log loss, ECE and the mean probability at once.
- :func:`fraud_forecast`: the number of frauds the probabilities predict, with an interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import brier_score_loss, log_loss

from course._validation import check_binary_labels, check_rng, check_same_length, check_scalar, check_scores

__all__ = [
    "BINNING_STRATEGIES",
    "INTERVAL_METHODS",
    "check_probabilities",
    "reliability_table",
    "expected_calibration_error",
    "ece_noise_floor",
    "calibration_report",
    "fraud_forecast",
]

#: The binning rules of :func:`reliability_table` and :func:`expected_calibration_error`.
BINNING_STRATEGIES = ("uniform", "quantile")

#: Binomial intervals of a bin's fraud rate: Wilson score, or Clopper-Pearson ("exact").
INTERVAL_METHODS = ("wilson", "exact")

_ROUNDING = 1e-12  # probabilities this far outside [0, 1] are rounding errors, clipped back


def check_probabilities(y_prob, *, name="y_prob"):
    """Return ``y_prob`` as a 1-D float64 array of probabilities in [0, 1].

    Parameters
    ----------
    y_prob : array-like of shape (n,)
    name : str, default="y_prob"
        The argument's name, used in the messages.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        Not one-dimensional, empty, NaN or infinite values, or values outside [0, 1]
        (a ``decision_function`` score, not a probability). Values within 1e-12 of [0, 1]
        (rounding in a formula such as the prior correction) are clipped to it.

    Examples
    --------
    >>> from course.metrics.calibration import check_probabilities
    >>> check_probabilities([0.0, 0.25, 1.0])
    array([0.  , 0.25, 1.  ])
    >>> check_probabilities([0.5, 1.5])
    Traceback (most recent call last):
    ...
    ValueError: y_prob must hold probabilities between 0 and 1, got values from 0.5 to 1.5: pass predict_proba(X)[:, 1], not a score from decision_function.
    """
    values = check_scores(y_prob, name=name)
    if values.min() < 0 or values.max() > 1:
        if values.min() >= -_ROUNDING and values.max() <= 1 + _ROUNDING:  # float rounding of a formula
            return np.clip(values, 0.0, 1.0)
        raise ValueError(
            f"{name} must hold probabilities between 0 and 1, got values from {values.min():g} to "
            f"{values.max():g}: pass predict_proba(X)[:, 1], not a score from decision_function."
        )
    return values


def _check_labels_and_probabilities(y_true, y_prob):
    labels = check_binary_labels(y_true, require_both=False)
    probabilities = check_probabilities(y_prob)
    check_same_length(y_true=labels, y_prob=probabilities)
    return labels, probabilities


def _check_binning(n_bins, strategy):
    n_bins = check_scalar(n_bins, "n_bins", int, min_val=1)
    if strategy not in BINNING_STRATEGIES:
        raise ValueError(f"strategy must be one of {BINNING_STRATEGIES}, got {strategy!r}.")
    return n_bins


def _bin_edges(y_prob, n_bins, strategy):
    if strategy == "quantile":
        return np.percentile(y_prob, np.linspace(0, 100, n_bins + 1))
    return np.linspace(0.0, 1.0, n_bins + 1)


class _SortedProbabilities:
    """Probabilities sorted once, with cumulative sums: the bins of any rule in O(n_bins log n).

    A bin's transactions, frauds and summed probabilities are differences of cumulative sums
    at the bin's ends in the sorted order. A probability on an inner edge goes to the lower
    bin, as ``numpy.searchsorted(edges[1:-1], p)`` (scikit-learn's ``calibration_curve``) puts it.
    """

    def __init__(self, y_true, y_prob):
        order = np.argsort(y_prob, kind="stable")
        self.p = y_prob[order]
        self.cum_frauds = np.concatenate(([0.0], np.cumsum(y_true[order], dtype=np.float64)))
        self.cum_p = np.concatenate(([0.0], np.cumsum(self.p)))

    def sums(self, n_bins, strategy):
        """Edges, then transactions, frauds and summed probabilities of every bin (empty ones too)."""
        edges = _bin_edges(self.p, n_bins, strategy)
        ends = np.concatenate(([0], np.searchsorted(self.p, edges[1:-1], side="right"), [self.p.size]))
        return edges, np.diff(ends), np.diff(self.cum_frauds[ends]), np.diff(self.cum_p[ends])


def _bin_sums(y_true, y_prob, n_bins, strategy):
    """Edges, then transactions, frauds and summed probabilities of every bin (empty ones too)."""
    return _SortedProbabilities(y_true, y_prob).sums(n_bins, strategy)


def _table_from_sums(edges, counts, frauds, predicted, total, confidence_level, interval):
    filled = np.flatnonzero(counts)
    n, k = counts[filled], frauds[filled]
    low, high = _binomial_interval(k, n, confidence_level, interval)
    mean_predicted, fraud_rate = predicted[filled] / n, k / n
    return pd.DataFrame(
        {
            "low_edge": edges[filled],
            "high_edge": edges[filled + 1],
            "transactions": n.astype(np.int64),
            "frauds": np.rint(k).astype(np.int64),
            "mean_predicted": mean_predicted,
            "fraud_rate": fraud_rate,
            "rate_low": low,
            "rate_high": high,
            "gap": mean_predicted - fraud_rate,
            "weight": n / total,
            "inside": (low <= mean_predicted) & (mean_predicted <= high),
        },
        index=pd.Index(filled, name="bin"),
    )


def _binomial_interval(frauds, transactions, confidence_level, method):
    """Vectorized two-sided interval of k successes in n trials (as scipy.stats.binomtest)."""
    k = np.asarray(frauds, dtype=float)
    n = np.asarray(transactions, dtype=float)
    alpha = 1.0 - confidence_level
    if method == "exact":  # Clopper-Pearson
        with np.errstate(invalid="ignore", divide="ignore"):
            low = np.where(k > 0, stats.beta.ppf(alpha / 2, k, n - k + 1), 0.0)
            high = np.where(k < n, stats.beta.ppf(1 - alpha / 2, k + 1, n - k), 1.0)
        return low, high
    z = stats.norm.ppf(1 - alpha / 2)
    center = (k + z**2 / 2) / (n + z**2)
    half = z / (n + z**2) * np.sqrt(k * (n - k) / n + z**2 / 4)
    # exact ends where rounding could leave them a hair off: 0 frauds -> low 0, all frauds -> high 1
    low = np.where(k == 0, 0.0, np.clip(center - half, 0.0, k / n))
    high = np.where(k == n, 1.0, np.clip(center + half, k / n, 1.0))
    return low, high


def reliability_table(y_true, y_prob, *, n_bins=10, strategy="uniform", confidence_level=0.95, interval="wilson"):
    """One row per bin of predicted probability: predicted against observed fraud rate.

    The data of a reliability diagram (scikit-learn's ``CalibrationDisplay`` draws the same
    two columns): the mean probability of each bin against its observed fraud rate, with a
    binomial interval on that rate. At a base rate of a fraction of a percent, most bins
    hold a handful of frauds, and the interval says how little a single bin can tell.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_prob : array-like of shape (n,)
        Predicted fraud probabilities, in [0, 1].
    n_bins : int, default=10
        Number of bins (empty bins are left out of the table).
    strategy : {"uniform", "quantile"}, default="uniform"
        The binning rule (see the module's docstring).
    confidence_level : float, default=0.95
        Of the interval on each bin's fraud rate.
    interval : {"wilson", "exact"}, default="wilson"
        Wilson score interval, or Clopper-Pearson ("exact", never too narrow but wider);
        the same numbers as ``scipy.stats.binomtest(frauds, transactions).proportion_ci``.

    Returns
    -------
    pandas.DataFrame
        Index ``bin`` (0 = lowest probabilities); columns ``low_edge``, ``high_edge``,
        ``transactions``, ``frauds``, ``mean_predicted``, ``fraud_rate``, ``rate_low``,
        ``rate_high`` (the interval), ``gap`` (``mean_predicted - fraud_rate``: positive
        when the model over-predicts), ``weight`` (share of all transactions) and
        ``inside`` (the mean prediction lies within the interval).

    Examples
    --------
    >>> from course.metrics import reliability_table
    >>> table = reliability_table([0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.6, 0.7, 0.9], n_bins=2)
    >>> table[["transactions", "frauds", "mean_predicted", "fraud_rate"]].round(3)
         transactions  frauds  mean_predicted  fraud_rate
    bin
    0               3       1           0.200       0.333
    1               3       2           0.733       0.667
    """
    labels, probabilities = _check_labels_and_probabilities(y_true, y_prob)
    n_bins = _check_binning(n_bins, strategy)
    confidence_level = check_scalar(
        confidence_level, "confidence_level", float, min_val=0.0, max_val=1.0, include_boundaries="neither"
    )
    if interval not in INTERVAL_METHODS:
        raise ValueError(f"interval must be one of {INTERVAL_METHODS}, got {interval!r}.")
    edges, counts, frauds, predicted = _bin_sums(labels, probabilities, n_bins, strategy)
    return _table_from_sums(edges, counts, frauds, predicted, probabilities.size, confidence_level, interval)


def expected_calibration_error(y_true, y_prob, *, n_bins=10, strategy="uniform"):
    """Expected calibration error: the bin-weighted mean of |predicted - observed fraud rate|.

    ``ECE = sum over bins of (transactions in bin / all transactions) * |mean probability -
    fraud rate|``, on the fraud probability itself (the binary form of Naeini et al., 2015;
    Guo et al., 2017 bin the confidence of the predicted class instead, which for rare fraud
    would mostly measure the genuine side).

    Read it with three cautions: it depends on the binning rule (``strategy``, ``n_bins``);
    it is dominated by the crowded low-probability bins, where the money is not; and it is
    above 0 even for a perfectly calibrated model, by noise (see :func:`ece_noise_floor`).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_prob : array-like of shape (n,)
        Predicted fraud probabilities, in [0, 1].
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="uniform"
        The binning rule (see the module's docstring).

    Returns
    -------
    float
        In the units of a probability (0.001 = 0.1 percentage point).

    Examples
    --------
    >>> from course.metrics import expected_calibration_error
    >>> # bin 0: mean 0.2, rate 1/3; bin 1: mean 0.733, rate 2/3 -> (0.133 + 0.067) / 2
    >>> round(expected_calibration_error([0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.6, 0.7, 0.9], n_bins=2), 4)
    0.1
    """
    labels, probabilities = _check_labels_and_probabilities(y_true, y_prob)
    n_bins = _check_binning(n_bins, strategy)
    _, _, frauds, predicted = _bin_sums(labels, probabilities, n_bins, strategy)
    # sum_b (n_b / N) |predicted_b / n_b - frauds_b / n_b| = sum_b |predicted_b - frauds_b| / N
    return float(np.abs(predicted - frauds).sum() / probabilities.size)


def ece_noise_floor(y_prob, *, n_bins=10, strategy="uniform", n_resamples=200, seed=0):
    """ECEs a perfectly calibrated model would show on these transactions: the noise floor.

    Draws every label from its own probability (a fraud with probability p), so that the
    probabilities are calibrated by construction, and measures the ECE of each draw
    ("consistency resampling", Bröcker and Smith, 2007). With a few hundred frauds the ECE of
    a calibrated model is far from 0: an observed ECE inside this distribution is inside the
    noise.

    Parameters
    ----------
    y_prob : array-like of shape (n,)
        Predicted fraud probabilities, in [0, 1].
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="uniform"
    n_resamples : int, default=200
        Number of label draws.
    seed : int or numpy.random.Generator, default=0

    Returns
    -------
    numpy.ndarray of shape (n_resamples,)
        One ECE per draw (read e.g. its median and its 95th percentile).

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import ece_noise_floor
    >>> p = np.full(1_000, 0.01)              # 10 frauds expected
    >>> draws = ece_noise_floor(p, n_resamples=500, seed=0)
    >>> bool(draws.mean() > 0.002)            # far from 0, although p is calibrated
    True
    """
    probabilities = check_probabilities(y_prob)
    n_bins = _check_binning(n_bins, strategy)
    n_resamples = check_scalar(n_resamples, "n_resamples", int, min_val=1)
    rng = check_rng(seed)
    edges = _bin_edges(probabilities, n_bins, strategy)
    ids = np.searchsorted(edges[1:-1], probabilities)
    predicted = np.bincount(ids, weights=probabilities, minlength=n_bins)
    draws = np.empty(n_resamples)
    chunk = max(1, 2_000_000 // probabilities.size)
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        labels = rng.random((size, probabilities.size)) < probabilities
        # frauds per bin of each draw: one bincount over (draw, bin) pairs
        flat = (np.arange(size)[:, None] * n_bins + ids[None, :])[labels]
        frauds = np.bincount(flat, minlength=size * n_bins).reshape(size, n_bins)
        draws[start : start + size] = np.abs(predicted - frauds).sum(axis=1) / probabilities.size
    return draws


def calibration_report(y_true, y_prob, *, n_bins=10, strategy="uniform"):
    """Brier score, log loss, ECE, and the predicted against the observed fraud rate.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_prob : array-like of shape (n,)
        Predicted fraud probabilities, in [0, 1].
    n_bins : int, default=10
        For the ECE.
    strategy : {"uniform", "quantile"}, default="uniform"
        For the ECE.

    Returns
    -------
    dict
        ``fraud_rate`` (observed), ``mean_predicted`` (the fraud rate the probabilities
        predict), ``brier`` (:func:`sklearn.metrics.brier_score_loss`: mean squared error of
        the probabilities, lower is better), ``log_loss`` (:func:`sklearn.metrics.log_loss`,
        which clips probabilities away from 0 and 1: a fraud given probability 0 costs about
        36) and ``ece`` (:func:`expected_calibration_error`).

    Examples
    --------
    >>> from course.metrics import calibration_report
    >>> report = calibration_report([0, 0, 0, 1], [0.1, 0.1, 0.2, 0.6], n_bins=2)
    >>> report["mean_predicted"], report["fraud_rate"], round(report["brier"], 4)
    (0.25, 0.25, 0.055)
    """
    labels, probabilities = _check_labels_and_probabilities(y_true, y_prob)
    return {
        "fraud_rate": float(labels.mean()),
        "mean_predicted": float(probabilities.mean()),
        "brier": float(brier_score_loss(labels, probabilities, pos_label=1)),
        "log_loss": float(log_loss(labels, probabilities, labels=[0, 1])),
        "ece": expected_calibration_error(labels, probabilities, n_bins=n_bins, strategy=strategy),
    }


def fraud_forecast(y_prob, *, confidence_level=0.95):
    """How many frauds the probabilities predict, with an interval: their sum and its spread.

    If the probabilities are calibrated and the transactions independent, the number of
    frauds is a sum of Bernoulli draws (a Poisson-binomial count): its expectation is
    ``sum(p)`` and its variance ``sum(p (1 - p))``. The interval uses the normal
    approximation, fair once a dozen frauds or more are expected. Frauds of one day are not
    independent (a compromised terminal, a leaked card), so real counts spread wider than
    this interval: it is the spread of a calibrated model's forecast at best.

    Parameters
    ----------
    y_prob : array-like of shape (n,)
        Fraud probabilities of the transactions to forecast (e.g. one day's).
    confidence_level : float, default=0.95

    Returns
    -------
    dict
        ``expected``, ``standard_deviation``, ``low`` and ``high`` (at least 0).

    Examples
    --------
    >>> from course.metrics import fraud_forecast
    >>> forecast = fraud_forecast([0.5] * 100)
    >>> forecast["expected"], forecast["standard_deviation"], round(forecast["low"], 1)
    (50.0, 5.0, 40.2)
    """
    probabilities = check_probabilities(y_prob)
    confidence_level = check_scalar(
        confidence_level, "confidence_level", float, min_val=0.0, max_val=1.0, include_boundaries="neither"
    )
    expected = float(probabilities.sum())
    spread = float(np.sqrt((probabilities * (1 - probabilities)).sum()))
    z = float(stats.norm.ppf(0.5 + confidence_level / 2))
    return {
        "expected": expected,
        "standard_deviation": spread,
        "low": max(0.0, expected - z * spread),
        "high": expected + z * spread,
    }

"""Reading areas under curves when fraud is rare (module 02).

- :func:`pairwise_roc_auc`: ROC-AUC as what it means, the share of (fraud, genuine) pairs
  in which the fraud has the higher score, counted directly (all pairs or a random sample).
- :func:`trapezoid_pr_auc`: the area under the precision-recall curve by straight lines
  between its points, shown only to compare with average precision: linear interpolation
  in precision-recall space is optimistic (a constant score gets about 0.5).
- :func:`expected_random_average_precision`: the average precision of random scores, which
  is *above* the prevalence when frauds are few (a constant score gets the prevalence exactly).
- :func:`prevalence_weights`: sample weights that move the base rate while keeping every
  fraud, to show what a rarer (or commoner) fraud does to a metric, with no sampling noise.
- :func:`daily_precision_at_k`: transaction-level precision@k per day, averaged over days,
  the twin of :func:`course.metrics.card_precision_at_k`.
- :func:`compare_rankings`: the metrics of several models side by side, one row per model.

Tie rule of the @k metrics: as in :mod:`course.metrics.ranking`, transactions (or cards)
tied at the k-th score share the places left in proportion (the expected value of a random
tie break), so the result does not depend on the row order.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from scipy.special import digamma
from sklearn.metrics import auc, precision_recall_curve

from course._validation import check_binary_labels, check_rng, check_same_length, check_scalar, check_scores

__all__ = ["pairwise_roc_auc", "trapezoid_pr_auc", "prevalence_weights", "expected_random_average_precision"]

# Comparisons made at once when counting every pair (bounds the memory to a few MB).
_PAIRS_PER_CHUNK = 2_000_000
#: The most pairs ``pairwise_roc_auc`` draws: a standard error below 5e-05 already.
MAX_PAIRS = 100_000_000


def _labels_and_scores(y_true, y_score):
    labels = check_binary_labels(y_true)
    scores = check_scores(y_score)
    check_same_length(y_true=labels, y_score=scores)
    return labels, scores


def _wins(fraud_scores, genuine_scores):
    """Pairs won by the fraud, ties counting half: (fraud > genuine) + 0.5 (fraud == genuine)."""
    return float(np.sum(fraud_scores > genuine_scores) + 0.5 * np.sum(fraud_scores == genuine_scores))


def pairwise_roc_auc(y_true, y_score, *, n_pairs=None, seed=None):
    """Share of (fraud, genuine) pairs in which the fraud has the higher score.

    This is what ROC-AUC *means*: the chance that a random fraud outranks a random genuine
    transaction, a tie counting one half. Counted directly, by comparing scores, so that it
    checks :func:`sklearn.metrics.roc_auc_score` rather than repeating its formula.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine; both classes must be present.
    y_score : array-like of shape (n,)
        Scores, higher = more suspicious.
    n_pairs : int, default=None
        ``None`` compares every fraud with every genuine transaction (exact; equal to
        ``roc_auc_score`` up to rounding). An int draws that many (fraud, genuine) pairs
        at random, with replacement: an estimate whose standard error is about
        ``sqrt(auc * (1 - auc) / n_pairs)``. At most ``MAX_PAIRS`` (10**8).
    seed : int or numpy.random.Generator, default=None
        Required with ``n_pairs``: fixes the pairs drawn.

    Returns
    -------
    float

    Examples
    --------
    >>> from course.metrics import pairwise_roc_auc
    >>> y = [0, 0, 1, 1]
    >>> score = [0.1, 0.4, 0.35, 0.8]   # 3 of the 4 pairs put the fraud on top
    >>> pairwise_roc_auc(y, score)
    0.75
    >>> pairwise_roc_auc([0, 1], [0.5, 0.5])  # a tie counts one half
    0.5
    >>> round(pairwise_roc_auc(y, score, n_pairs=10_000, seed=0), 2)
    0.75
    """
    labels, scores = _labels_and_scores(y_true, y_score)
    frauds, genuines = scores[labels == 1], scores[labels == 0]
    if n_pairs is None:
        if seed is not None:
            raise ValueError("seed is only used with n_pairs (counting every pair draws nothing).")
        rows = max(1, _PAIRS_PER_CHUNK // genuines.size)
        won = sum(_wins(frauds[i : i + rows, None], genuines[None, :]) for i in range(0, frauds.size, rows))
        return won / (frauds.size * genuines.size)
    if not isinstance(n_pairs, (bool, np.bool_)) and isinstance(n_pairs, Integral) and n_pairs > MAX_PAIRS:
        raise ValueError(
            f"n_pairs={n_pairs:,} is more than {MAX_PAIRS:,} pairs: the estimate's standard error is already "
            f"below {0.5 / MAX_PAIRS**0.5:.0e} there, and more pairs only cost time. Use n_pairs=None for the "
            f"exact value (every one of the {frauds.size * genuines.size:,} pairs) or fewer pairs."
        )
    n_pairs = check_scalar(n_pairs, "n_pairs", int, min_val=1)
    if seed is None:
        raise ValueError("n_pairs draws pairs at random: pass a seed (e.g. seed=0) so the result is reproducible.")
    rng = check_rng(seed)
    won = 0.0
    for start in range(0, n_pairs, _PAIRS_PER_CHUNK):  # memory stays bounded, whatever n_pairs
        size = min(_PAIRS_PER_CHUNK, n_pairs - start)
        won += _wins(frauds[rng.integers(frauds.size, size=size)], genuines[rng.integers(genuines.size, size=size)])
    return won / n_pairs


def trapezoid_pr_auc(y_true, y_score):
    """Area under the precision-recall curve with straight lines between its points.

    For comparison only: **use average precision** (:func:`sklearn.metrics.average_precision_score`).
    Between two thresholds, precision does not move along a straight line: the transactions
    in between add frauds and genuines in proportion, so where precision falls (the usual
    case) it follows a curve below the chord; and scikit-learn's curve starts at (recall 0,
    precision 1), a convention. The trapezoid then credits precision no threshold delivers. The gap is small when almost every score
    is distinct and large for coarse scores (risk bands, rules): a constant score gets
    ``(1 + prevalence) / 2`` instead of the prevalence.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine; both classes must be present.
    y_score : array-like of shape (n,)
        Scores, higher = more suspicious.

    Returns
    -------
    float

    Examples
    --------
    >>> from course.metrics import trapezoid_pr_auc
    >>> y = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]          # prevalence 0.1
    >>> trapezoid_pr_auc(y, [0.5] * 10)              # a constant score: no skill at all
    0.55
    >>> from sklearn.metrics import average_precision_score
    >>> float(average_precision_score(y, [0.5] * 10))  # average precision = prevalence
    0.1
    """
    labels, scores = _labels_and_scores(y_true, y_score)
    precision, recall, _ = precision_recall_curve(labels, scores)
    return float(auc(recall, precision))


def prevalence_weights(y_true, prevalence):
    """Sample weights that set the fraud prevalence, keeping every transaction and every fraud.

    Each fraud weighs 1; each genuine transaction weighs ``w`` so that the weighted share
    of frauds equals ``prevalence``: as if the bank saw ``w`` times as many genuine
    payments, with the same frauds. Passed as ``sample_weight`` to scikit-learn's metrics,
    they show what the base rate alone does to a metric, with no sampling noise: rates
    within a class (recall, false-positive rate, hence ROC-AUC) do not move; precision and
    average precision do. (:class:`course.metrics.PrevalenceSampler`
    draws real subsamples instead.)

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine; both classes must be present.
    prevalence : float
        The target share of frauds, strictly between 0 and 1.

    Returns
    -------
    numpy.ndarray of float64, shape (n,)

    Examples
    --------
    >>> from sklearn.metrics import average_precision_score, roc_auc_score
    >>> from course.metrics import prevalence_weights
    >>> y, score = [1, 0, 0, 1, 0], [0.9, 0.8, 0.3, 0.4, 0.1]
    >>> weights = prevalence_weights(y, 0.1)      # 2 frauds, 3 genuines weighing 6 each
    >>> weights.round(6).tolist()
    [1.0, 6.0, 6.0, 1.0, 6.0]
    >>> round(roc_auc_score(y, score), 6), round(roc_auc_score(y, score, sample_weight=weights), 6)
    (0.833333, 0.833333)
    >>> round(average_precision_score(y, [0.5] * 5, sample_weight=weights), 6)  # no skill = prevalence
    0.1
    """
    labels = check_binary_labels(y_true)
    p = check_scalar(prevalence, "prevalence", float, min_val=0, max_val=1, include_boundaries="neither")
    n_frauds = int(labels.sum())
    genuine_weight = n_frauds * (1.0 - p) / (p * (labels.size - n_frauds))
    return np.where(labels == 1, 1.0, genuine_weight)


def expected_random_average_precision(n_frauds, n_transactions):
    """Expected average precision of random scores: the no-skill level of a *ranking*.

    Two models with no skill do not score the same average precision (AP):

    - a **constant** score (every transaction tied) gets exactly the prevalence
      ``n_frauds / n_transactions``: with all ties in one group, precision is the
      prevalence at the only threshold;
    - **random** scores (a random order, no ties) get more on average: AP averages
      precisions, ratios such as ``1 / rank`` for the first fraud, and a lucky early fraud
      raises the ratio more than an unlucky late one lowers it. The exact expectation over every order of ``n`` transactions holding ``P``
      frauds is::

        E[AP] = (H_n + (P - 1) / (n - 1) * (n - H_n)) / n,   H_n = 1 + 1/2 + ... + 1/n,

      about ``(P - 1 + ln n + 0.58) / n``: above the prevalence ``P / n`` by about
      ``(ln n - 0.42) / P`` of it. The excess fades as frauds grow (with hundreds of
      frauds it is a few percent), and matters for a small sample or a rare slice.

    Parameters
    ----------
    n_frauds : int
        Frauds among the transactions (>= 1).
    n_transactions : int
        All transactions, frauds included (>= ``n_frauds``).

    Returns
    -------
    float

    Examples
    --------
    >>> from course.metrics import expected_random_average_precision
    >>> round(expected_random_average_precision(2, 4), 4)     # labels [1, 0, 1, 0]: not 0.5
    0.6806
    >>> round(expected_random_average_precision(5, 2_000), 5)  # prevalence 0.0025
    0.00608
    >>> round(expected_random_average_precision(500, 400_000) / (500 / 400_000), 3)  # many frauds: near 1
    1.025
    """
    n_frauds = check_scalar(n_frauds, "n_frauds", int, min_val=1)
    n_transactions = check_scalar(n_transactions, "n_transactions", int, min_val=1)
    if n_frauds > n_transactions:
        raise ValueError(f"n_frauds ({n_frauds}) cannot exceed n_transactions ({n_transactions}).")
    if n_frauds == n_transactions:
        return 1.0
    harmonic = float(digamma(n_transactions + 1) + np.euler_gamma)  # H_n, exact to rounding
    n = n_transactions
    return (harmonic + (n_frauds - 1) / (n - 1) * (n - harmonic)) / n

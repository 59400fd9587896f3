"""Alert-budget metrics: how good are the k most suspicious transactions (or cards)?

A review team reads a fixed number of alerts a day, so what matters is the top of the
ranking. **Tie rule** (deterministic, order-free): when several transactions share the
k-th highest score, the places left in the top k are shared among them in proportion,
so each tied transaction counts ``(k - n_above) / n_tied``. The result is the expected
value of breaking the ties at random, and does not depend on the row order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course._validation import check_binary_labels, check_same_length, check_scalar, check_scores

__all__ = ["precision_at_k", "recall_at_k", "card_precision_at_k", "daily_precision_at_k"]


def _check_k(k, n, what="transactions"):
    k = check_scalar(k, "k", int, min_val=1)
    if k > n:
        raise ValueError(f"k={k} is larger than the number of {what} ({n}): there are not k to review.")
    return int(k)


def _frauds_in_top_k(y_true, y_score, k):
    """Expected number of frauds among the k highest scores, ties shared in proportion."""
    kth = np.partition(y_score, y_score.size - k)[y_score.size - k]  # k-th highest score
    above = y_score > kth
    tied = y_score == kth
    n_above = int(above.sum())
    n_tied = int(tied.sum())
    frauds_tied = int(y_true[tied].sum())
    return int(y_true[above].sum()) + (k - n_above) * frauds_tied / n_tied


def _check_inputs(y_true, y_score, require_fraud):
    labels = check_binary_labels(y_true, require_both=False)
    scores = check_scores(y_score)
    check_same_length(y_true=labels, y_score=scores)
    if require_fraud and not labels.any():
        raise ValueError("y_true holds no fraud: recall is undefined.")
    return labels, scores


def precision_at_k(y_true, y_score, k):
    """Share of frauds among the k highest-scored transactions.

    Ties at the k-th score are shared in proportion (see the module docstring), so the
    result may be a fraction of a fraud over k. ``k`` larger than the number of
    transactions is an error.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_score : array-like of shape (n,)
        Scores, higher = more suspicious.
    k : int
        Number of alerts reviewed, 1 <= k <= n.

    Returns
    -------
    float

    Examples
    --------
    >>> from course.metrics import precision_at_k
    >>> precision_at_k([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], k=2)
    0.5
    >>> precision_at_k([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], k=2)  # 1 place for 2 tied
    0.75
    """
    labels, scores = _check_inputs(y_true, y_score, require_fraud=False)
    k = _check_k(k, labels.size)
    return _frauds_in_top_k(labels, scores, k) / k


def recall_at_k(y_true, y_score, k):
    """Share of all frauds found among the k highest-scored transactions (ties as in precision_at_k).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_score : array-like of shape (n,)
        Scores, higher = more suspicious.
    k : int
        Number of alerts reviewed, 1 <= k <= n.

    Returns
    -------
    float

    Examples
    --------
    >>> from course.metrics import recall_at_k
    >>> recall_at_k([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], k=2)
    0.5
    """
    labels, scores = _check_inputs(y_true, y_score, require_fraud=True)
    k = _check_k(k, labels.size)
    return _frauds_in_top_k(labels, scores, k) / int(labels.sum())


def _check_ids(values, name):
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"{name} is empty: at least one transaction is needed.")
    if pd.isna(array).any():
        raise ValueError(f"{name} has missing values: every transaction needs one.")
    return array


def card_precision_at_k(y_true, y_score, *, card_ids, days, k):
    """Daily card precision@k, averaged over days: what a team reviewing k cards a day finds.

    For each day: the transactions are grouped by card (card score = its highest score,
    card label = fraud if any of its transactions that day is a fraud); the k cards with
    the highest scores are reviewed; the day's precision is the number of fraud cards
    among them divided by k. The result is the mean over the days present in ``days``.

    Ties at the k-th card score are shared in proportion (see the module docstring). A day
    with k cards or fewer reviews them all and still divides by k (the unused review
    capacity counts as finding nothing).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_score : array-like of shape (n,)
        Scores, higher = more suspicious.
    card_ids : array-like of shape (n,)
        Card (customer) of each transaction.
    days : array-like of shape (n,)
        Day of each transaction: e.g. ``df["timestamp"].dt.normalize()`` or day numbers.
    k : int
        Cards reviewed per day (>= 1).

    Returns
    -------
    float

    Examples
    --------
    >>> from course.metrics import card_precision_at_k
    >>> cards = ["a", "a", "b", "c", "a", "b"]
    >>> days = [1, 1, 1, 1, 2, 2]
    >>> y = [0, 1, 0, 0, 0, 0]
    >>> score = [0.9, 0.2, 0.5, 0.1, 0.3, 0.4]
    >>> card_precision_at_k(y, score, card_ids=cards, days=days, k=1)  # day 1: card a (fraud); day 2: b
    0.5
    """
    labels, scores = _check_inputs(y_true, y_score, require_fraud=False)
    cards = _check_ids(card_ids, "card_ids")
    day_values = _check_ids(days, "days")
    check_same_length(card_ids=cards, days=day_values, y_true=labels, y_score=scores)
    k = check_scalar(k, "k", int, min_val=1)

    frame = pd.DataFrame({"day": day_values, "card": cards, "fraud": labels, "score": scores})
    per_card = frame.groupby(["day", "card"], sort=False, observed=True).agg(
        fraud=("fraud", "max"), score=("score", "max")
    )
    per_card = per_card.reset_index().sort_values(["day", "score"], ascending=[True, False], kind="stable")
    by_day = per_card.groupby("day", sort=False)
    # the k-th highest card score of each day (NaN on days with fewer than k cards)
    rank = by_day.cumcount()
    kth = per_card.loc[rank == k - 1].set_index("day")["score"]
    per_card["kth"] = per_card["day"].map(kth)
    few_cards = per_card["kth"].isna()  # days with < k cards: every card is reviewed
    above = few_cards | (per_card["score"] > per_card["kth"])
    tied = ~few_cards & (per_card["score"] == per_card["kth"])
    per_card["n_above"] = above.astype(np.int64)
    per_card["n_tied"] = tied.astype(np.int64)
    per_card["fraud_above"] = per_card["fraud"] * above
    per_card["fraud_tied"] = per_card["fraud"] * tied
    totals = per_card.groupby("day", sort=False)[["n_above", "n_tied", "fraud_above", "fraud_tied"]].sum()
    share_of_tied = np.where(totals["n_tied"] > 0, (k - totals["n_above"]) / np.maximum(totals["n_tied"], 1), 0.0)
    frauds_found = totals["fraud_above"] + share_of_tied * totals["fraud_tied"]
    return float(np.mean(frauds_found / k))


def daily_precision_at_k(y_true, y_score, *, days, k):
    """Transaction-level precision@k per day, averaged over days: a team reviewing k alerts a day.

    For each day, the k highest-scored transactions of that day are reviewed; the day's
    precision is the number of frauds among them divided by k. Ties at the k-th score are
    shared in proportion (module docstring). A day with k transactions or fewer reviews
    them all and still divides by k, as :func:`course.metrics.card_precision_at_k` does.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_score : array-like of shape (n,)
        Scores, higher = more suspicious.
    days : array-like of shape (n,)
        Day of each transaction (day numbers or dates).
    k : int
        Alerts reviewed per day (>= 1).

    Returns
    -------
    float

    Examples
    --------
    >>> from course.metrics import daily_precision_at_k
    >>> days = [1, 1, 1, 2, 2, 2]
    >>> y = [1, 1, 0, 0, 1, 0]
    >>> score = [0.9, 0.8, 0.1, 0.7, 0.6, 0.2]
    >>> daily_precision_at_k(y, score, days=days, k=2)   # day 1: 2/2, day 2: 1/2
    0.75
    """
    labels = check_binary_labels(y_true, require_both=False)
    # every transaction is its own "card": card precision@k is then transaction precision@k
    return card_precision_at_k(labels, y_score, card_ids=np.arange(labels.size), days=days, k=k)

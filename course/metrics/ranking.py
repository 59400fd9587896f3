"""Alert-budget metrics: how good are the k most suspicious transactions (or cards)?

A review team reads a fixed number of alerts a day, so what matters is the top of the
ranking. **Tie rule** (deterministic, order-free): when several transactions share the
k-th highest score, the places left in the top k are shared among them in proportion,
so each tied transaction counts ``(k - n_above) / n_tied``. The result is the expected
value of breaking the ties at random, and does not depend on the row order.

Names, one per meaning:

- **precision@k** (:func:`precision_at_k`): the k highest scores of *one* ranking, e.g. of a
  whole test period;
- **daily precision@k** (:func:`daily_precision_at_k`): k alerts a day, the day's
  precision averaged over the days;
- **card precision@k** (:func:`card_precision_at_k`, daily by definition): k *cards* a day,
  cards detected on earlier days left out (the Fraud Detection Handbook's definition).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course._validation import check_binary_labels, check_same_length, check_scalar, check_scores

__all__ = [
    "precision_at_k",
    "recall_at_k",
    "card_precision_at_k",
    "card_precision_at_k_by_day",
    "daily_precision_at_k",
]


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


def _check_flag(remove_detected_cards):
    if not isinstance(remove_detected_cards, (bool, np.bool_)):
        raise TypeError(f"remove_detected_cards must be True or False, got {remove_detected_cards!r}.")


def _card_day_table(labels, scores, cards, day_values):
    """One row per (day, card): the card's highest score and whether it had a fraud that day.

    Sorted by day, then by decreasing score; ``card`` is an integer code of the card id.
    """
    card_codes = pd.factorize(cards)[0]
    frame = pd.DataFrame({"day": day_values, "card": card_codes, "fraud": labels, "score": scores})
    per_card = frame.groupby(["day", "card"], sort=False, observed=True).agg(
        fraud=("fraud", "max"), score=("score", "max")
    )
    per_card = per_card.reset_index().sort_values(["day", "score"], ascending=[True, False], kind="stable")
    return per_card.reset_index(drop=True), int(card_codes.max()) + 1


def _review_one_day(fraud, score, k):
    """Expected frauds among the k highest of one day's cards (sorted by decreasing score).

    Returns ``(frauds_found, surely_reviewed)``: the expected count with ties at the k-th
    score shared in proportion, and a mask of the cards reviewed under every tie break.
    """
    if fraud.size <= k:  # every card is reviewed
        return float(fraud.sum()), np.ones(fraud.size, dtype=bool)
    kth = score[k - 1]
    above = score > kth
    tied = score == kth
    n_above, n_tied = int(above.sum()), int(tied.sum())
    found = float(fraud[above].sum()) + (k - n_above) * float(fraud[tied].sum()) / n_tied
    surely = above | tied if n_above + n_tied <= k else above
    return found, surely


def card_precision_at_k_by_day(y_true, y_score, *, card_ids, days, k, remove_detected_cards=True):
    """What a team reviewing the k most suspicious cards a day finds, day by day.

    For each day, in date order: the transactions are grouped by card (card score = its
    highest score that day, card label = fraud if any of its transactions that day is a
    fraud); with ``remove_detected_cards=True`` (the default, the Fraud Detection
    Handbook's convention), the cards **detected on an earlier day** are left out first: a
    card detected is one that was among that day's k reviewed cards and fraudulent that
    day; it is blocked, so its later transactions are not new finds. The k cards with the
    highest scores are then reviewed.

    Ties at the k-th card score are shared in proportion (see the module docstring). A
    fraud card tied at the k-th score is reviewed only on some tie breaks: it counts its
    share that day and is **not** removed from later days (only cards reviewed under every
    tie break are). A day with k cards or fewer reviews them all and still divides by k
    (the unused review capacity counts as finding nothing).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_score : array-like of shape (n,)
        Scores, higher = more suspicious.
    card_ids : array-like of shape (n,)
        Card (customer) of each transaction.
    days : array-like of shape (n,)
        Day of each transaction (day numbers or dates); days are taken in sorted order.
    k : int
        Cards reviewed per day (>= 1).
    remove_detected_cards : bool, default=True
        Leave out the cards detected on earlier days (the Handbook's card precision@k).
        ``False`` ranks every card every day: a compromised card active for two weeks then
        counts as a new find every day it is flagged.

    Returns
    -------
    pandas.DataFrame
        One row per day (index ``day``), columns ``cards`` (cards ranked that day, after
        the removal), ``fraud_cards`` (of which fraudulent), ``frauds_found`` (expected
        fraud cards among the k reviewed), ``card_precision`` (``frauds_found / k``),
        ``best_possible`` (``min(fraud_cards, k) / k``: the precision of a perfect ranking,
        the ceiling) and ``card_recall`` (``frauds_found / fraud_cards``, NaN on a day
        without fraud card).

    Examples
    --------
    >>> from course.metrics import card_precision_at_k_by_day
    >>> cards = ["a", "b", "a", "b", "c"]
    >>> days = [1, 1, 2, 2, 2]
    >>> y = [1, 0, 1, 0, 1]
    >>> score = [0.9, 0.1, 0.8, 0.2, 0.5]
    >>> table = card_precision_at_k_by_day(y, score, card_ids=cards, days=days, k=1)
    >>> table[["cards", "fraud_cards", "card_precision", "best_possible"]]  # day 2: card a already blocked
         cards  fraud_cards  card_precision  best_possible
    day
    1        2            1             1.0            1.0
    2        2            1             1.0            1.0
    >>> card_precision_at_k_by_day(y, score, card_ids=cards, days=days, k=1,
    ...                            remove_detected_cards=False)["fraud_cards"].tolist()
    [1, 2]
    """
    labels, scores = _check_inputs(y_true, y_score, require_fraud=False)
    cards = _check_ids(card_ids, "card_ids")
    day_values = _check_ids(days, "days")
    check_same_length(card_ids=cards, days=day_values, y_true=labels, y_score=scores)
    k = check_scalar(k, "k", int, min_val=1)
    _check_flag(remove_detected_cards)

    per_card, n_cards = _card_day_table(labels, scores, cards, day_values)
    day_column = per_card["day"].to_numpy()
    card = per_card["card"].to_numpy()
    fraud = per_card["fraud"].to_numpy(dtype=np.float64)
    score = per_card["score"].to_numpy()
    day_labels, starts = np.unique(day_column, return_index=True)  # rows are sorted by day
    ends = np.r_[starts[1:], day_column.size]
    detected = np.zeros(n_cards, dtype=bool)
    rows = []
    for start, end in zip(starts, ends):
        keep = slice(start, end)
        day_card, day_fraud, day_score = card[keep], fraud[keep], score[keep]
        if remove_detected_cards:
            fresh = ~detected[day_card]
            day_card, day_fraud, day_score = day_card[fresh], day_fraud[fresh], day_score[fresh]
        found, surely = _review_one_day(day_fraud, day_score, k) if day_card.size else (0.0, day_card.astype(bool))
        if remove_detected_cards:
            detected[day_card[surely & (day_fraud == 1)]] = True
        n_fraud = int(day_fraud.sum())
        rows.append(
            {
                "cards": int(day_card.size),
                "fraud_cards": n_fraud,
                "frauds_found": found,
                "card_precision": found / k,
                "best_possible": min(n_fraud, k) / k,
                "card_recall": found / n_fraud if n_fraud else np.nan,
            }
        )
    table = pd.DataFrame(rows, index=pd.Index(day_labels, name="day"))
    return table


def card_precision_at_k(y_true, y_score, *, card_ids, days, k, remove_detected_cards=True):
    """Daily card precision@k, averaged over days: what a team reviewing k cards a day finds.

    The Fraud Detection Handbook's card precision top-k. For each day, in date order: the
    transactions are grouped by card (card score = its highest score, card label = fraud if
    any of its transactions that day is a fraud); the cards **detected on an earlier day**
    (reviewed and fraudulent) are left out, because a detected card is blocked; the k cards
    with the highest scores are reviewed; the day's precision is the number of fraud cards
    among them divided by k. The result is the mean over the days present in ``days``.
    :func:`card_precision_at_k_by_day` gives the daily numbers, with the ceiling
    ``min(fraud cards, k) / k`` that no ranking can beat.

    Ties at the k-th card score are shared in proportion (see the module docstring); a
    fraud card tied at the k-th score counts its share and is not removed from later days.
    A day with k cards or fewer reviews them all and still divides by k (the unused review
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
    remove_detected_cards : bool, default=True
        Leave out the cards detected on earlier days (the Handbook's convention). ``False``
        ranks every card every day, so a compromised card active for two weeks counts as a
        new find every day it is flagged, which flatters a model.

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
    >>> cards, days, y = ["a", "a"], [1, 2], [1, 1]          # one leaked card, flagged two days running
    >>> card_precision_at_k(y, [0.9, 0.9], card_ids=cards, days=days, k=1)  # found once
    0.5
    >>> card_precision_at_k(y, [0.9, 0.9], card_ids=cards, days=days, k=1, remove_detected_cards=False)
    1.0
    """
    _check_flag(remove_detected_cards)
    if not remove_detected_cards:
        return _card_precision_without_removal(y_true, y_score, card_ids=card_ids, days=days, k=k)
    table = card_precision_at_k_by_day(y_true, y_score, card_ids=card_ids, days=days, k=k)
    return float(table["card_precision"].mean())


def _card_precision_without_removal(y_true, y_score, *, card_ids, days, k):
    """Every card ranked every day (vectorized over days): the mean daily card precision@k."""
    labels, scores = _check_inputs(y_true, y_score, require_fraud=False)
    cards = _check_ids(card_ids, "card_ids")
    day_values = _check_ids(days, "days")
    check_same_length(card_ids=cards, days=day_values, y_true=labels, y_score=scores)
    k = check_scalar(k, "k", int, min_val=1)
    per_card, _ = _card_day_table(labels, scores, cards, day_values)
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
    # every transaction is its own "card" (seen on one day only, so nothing to remove):
    # card precision@k is then transaction precision@k
    return card_precision_at_k(
        labels, y_score, card_ids=np.arange(labels.size), days=days, k=k, remove_detected_cards=False
    )

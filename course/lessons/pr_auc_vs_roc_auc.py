"""Module 02, PR-AUC vs ROC-AUC and alert budgets: the comparisons the notebook teaches.

- :func:`compare_rankings`: every ranking metric of several models side by side.
- :func:`ranking_gaps`: the difference of each metric between two models, with a day-level
  bootstrap interval (is the gap inside the noise?).
- :func:`prevalence_grid`, :func:`base_rate_numbers`: the same frauds at other base rates
  (what :class:`course.widgets.BaseRateExplorer` shows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from course._validation import check_binary_labels, check_same_length, check_scalar, check_scores
from course.metrics import (
    DayBootstrap,
    card_precision_at_k,
    card_precision_at_k_by_day,
    daily_precision_at_k,
    expected_random_average_precision,
)

__all__ = ["compare_rankings", "ranking_gaps", "prevalence_grid", "base_rate_numbers"]


def compare_rankings(y_true, scores, *, days, card_ids, k, max_fpr=0.01):
    """The ranking metrics of several models on the same transactions, one row per model.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine; both classes must be present.
    scores : dict of str -> array-like of shape (n,)
        Each model's scores, by name.
    days, card_ids : array-like of shape (n,)
        Day and card of each transaction (for the daily @k metrics).
    k : int
        Alerts (transactions or cards) reviewed per day.
    max_fpr : float, default=0.01
        Upper false-positive rate of the partial ROC-AUC (``roc_auc_score(max_fpr=...)``,
        standardized by McClish's correction: the raw area up to ``max_fpr`` is rescaled so
        that 0.5 = no skill and 1 = perfect, as the full ROC-AUC).

    Returns
    -------
    pandas.DataFrame
        Index: the model names. Columns: ``roc_auc``, ``partial_roc_auc``,
        ``average_precision``, ``daily_precision_at_k`` (k transactions a day, averaged over
        days) and ``card_precision_at_k`` (k cards a day, cards detected on earlier days left
        out: :func:`course.metrics.card_precision_at_k`).

    Examples
    --------
    >>> from course.lessons.pr_auc_vs_roc_auc import compare_rankings
    >>> y = [1, 0, 0, 1, 0, 0]
    >>> table = compare_rankings(y, {"a": [0.9, 0.1, 0.2, 0.8, 0.3, 0.4], "b": [0.1, 0.9, 0.2, 0.8, 0.3, 0.4]},
    ...                          days=[1, 1, 1, 2, 2, 2], card_ids=[7, 8, 9, 7, 8, 9], k=1, max_fpr=0.5)
    >>> table[["roc_auc", "average_precision", "daily_precision_at_k"]].round(3)
       roc_auc  average_precision  daily_precision_at_k
    a    1.000              1.000                   1.0
    b    0.375              0.417                   0.5
    """
    labels = check_binary_labels(y_true)
    if not isinstance(scores, dict) or not scores:
        raise ValueError("scores must be a non-empty dict of model name -> scores.")
    max_fpr = check_scalar(max_fpr, "max_fpr", float, min_val=0, max_val=1, include_boundaries="right")
    rows = {}
    for name, y_score in scores.items():
        model_scores = check_scores(y_score, name=f"scores[{name!r}]")
        check_same_length(y_true=labels, **{f"scores[{name!r}]": model_scores})
        rows[name] = {
            "roc_auc": roc_auc_score(labels, model_scores),
            "partial_roc_auc": roc_auc_score(labels, model_scores, max_fpr=max_fpr),
            "average_precision": average_precision_score(labels, model_scores),
            "daily_precision_at_k": daily_precision_at_k(labels, model_scores, days=days, k=k),
            "card_precision_at_k": card_precision_at_k(labels, model_scores, card_ids=card_ids, days=days, k=k),
        }
    return pd.DataFrame.from_dict(rows, orient="index").astype(np.float64)


def ranking_gaps(y_true, scores, *, days, card_ids, k, max_fpr=0.01, n_resamples=200, seed=0):
    """Each ranking metric of two models, their difference and its day-level bootstrap interval.

    Whole days are resampled with replacement (:class:`course.metrics.DayBootstrap`), the
    same draws for both models, and the interval is that of the **difference**: when it
    contains 0 the gap is inside the noise. ROC-AUC and average precision are exact on every
    draw, and so is the partial ROC-AUC; the daily @k metrics resample the days' own values
    (card precision@k removes the cards detected on earlier days in the real order of the
    days, then its daily values are resampled).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    scores : dict of str -> array-like of shape (n,)
        Exactly two models, by name: the difference is first minus second.
    days, card_ids : array-like of shape (n,)
        Day and card of each transaction.
    k : int
        Alerts (transactions or cards) reviewed per day.
    max_fpr : float, default=0.01
        Of the partial ROC-AUC (McClish-standardized).
    n_resamples : int, default=200
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        One row per metric (``roc_auc``, ``partial_roc_auc``, ``average_precision``,
        ``daily_precision_at_k``, ``card_precision_at_k``); columns: the two models' values,
        ``difference``, ``low``, ``high`` (95% interval of the difference) and
        ``inside_noise`` (the interval contains 0).

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.pr_auc_vs_roc_auc import ranking_gaps
    >>> rng = np.random.default_rng(0)
    >>> days = np.repeat(np.arange(20), 300)
    >>> y = (rng.random(6_000) < 0.03).astype(int)
    >>> cards = rng.integers(0, 500, 6_000)
    >>> good, weak = y + rng.normal(0, 0.5, 6_000), y + rng.normal(0, 2.0, 6_000)
    >>> gaps = ranking_gaps(y, {"good": good, "weak": weak}, days=days, card_ids=cards, k=5, n_resamples=50)
    >>> bool(gaps.loc["average_precision", "inside_noise"]), bool(gaps.loc["roc_auc", "difference"] > 0)
    (False, True)
    """
    labels = check_binary_labels(y_true)
    if not isinstance(scores, dict) or len(scores) != 2:
        raise ValueError("scores must be a dict of exactly two models: name -> scores.")
    (name_a, score_a), (name_b, score_b) = (
        (name, check_scores(values, name=f"scores[{name!r}]")) for name, values in scores.items()
    )
    check_same_length(y_true=labels, **{f"scores[{name_a!r}]": score_a, f"scores[{name_b!r}]": score_b})
    days = np.asarray(days)
    boot = DayBootstrap(days, n_resamples=n_resamples, seed=seed)
    results = {
        "roc_auc": boot.roc_auc_difference(labels, score_a, score_b),
        "average_precision": boot.average_precision_difference(labels, score_a, score_b),
    }
    results["partial_roc_auc"] = boot.partial_roc_auc_difference(labels, score_a, score_b, max_fpr=max_fpr)
    one_card_each = np.arange(labels.size)
    for metric, cards, remove in (
        ("daily_precision_at_k", one_card_each, False),
        ("card_precision_at_k", card_ids, True),
    ):
        by_day = [
            card_precision_at_k_by_day(labels, s, card_ids=cards, days=days, k=k, remove_detected_cards=remove)
            for s in (score_a, score_b)
        ]
        gap = (by_day[0]["card_precision"] - by_day[1]["card_precision"]).to_numpy()
        results[metric] = DayBootstrap(by_day[0].index.to_numpy(), n_resamples=n_resamples, seed=seed).statistic(
            np.mean, gap
        )
    values = compare_rankings(labels, scores, days=days, card_ids=card_ids, k=k, max_fpr=max_fpr).T
    table = values.loc[
        ["roc_auc", "partial_roc_auc", "average_precision", "daily_precision_at_k", "card_precision_at_k"]
    ]
    table = table.copy()
    table["difference"] = [results[m].estimate for m in table.index]
    table["low"] = [results[m].low for m in table.index]
    table["high"] = [results[m].high for m in table.index]
    table["inside_noise"] = [bool(results[m].contains(0.0)) for m in table.index]
    table.index.name = "metric"
    return table


def prevalence_grid(n_frauds, n_genuines, *, points=21, min_frauds=20, high=0.5):
    """Log-spaced prevalences for the slider, from low to ``high``, natural prevalence included.

    The lowest keeps at least ``min_frauds`` frauds (fewer would make the curves noise),
    and never exceeds the natural prevalence.

    Parameters
    ----------
    n_frauds, n_genuines : int
        Class sizes of the data the sampler draws from.
    points : int, default=21
        Number of log-spaced prevalences (the natural prevalence is added to them).
    min_frauds : int, default=20
        Fewest frauds in a sample at the lowest prevalence.
    high : float, default=0.5
        The highest prevalence.

    Returns
    -------
    numpy.ndarray
        Increasing prevalences.

    Examples
    --------
    >>> from course.lessons.pr_auc_vs_roc_auc import prevalence_grid
    >>> grid = prevalence_grid(1_000, 99_000, points=4)  # natural prevalence: 1%
    >>> [round(float(p), 4) for p in grid]
    [0.0002, 0.0027, 0.01, 0.037, 0.5]
    """
    natural_prevalence = n_frauds / (n_frauds + n_genuines)
    floor = min(natural_prevalence, min_frauds / (min_frauds + n_genuines))
    top = max(high, natural_prevalence)
    grid = np.geomspace(floor, top, points)
    return np.unique(np.append(grid, natural_prevalence))


def base_rate_numbers(sweep, sampler, prevalence, *, max_points=2000):
    """What the explorer shows at one prevalence (pure function).

    Returns ``(numbers, curves)``: ``numbers`` has prevalence (realized), target_prevalence,
    natural_prevalence, frauds, genuines, roc_auc, average_precision, and two levels of
    no skill: constant_score_average_precision (the AP of a constant score: exactly the
    realized prevalence) and random_scores_average_precision (the *expected* AP of random
    scores, :func:`course.metrics.expected_random_average_precision`: above the prevalence
    when the sample holds few frauds, e.g. about 1.5 times it with 20 frauds among 67,000
    payments, and close to it with hundreds); ``curves`` has ``fpr``, ``tpr``,
    ``precision``, ``recall`` (at most ``max_points``).

    Parameters
    ----------
    sweep : course.metrics.ThresholdSweep
        Scores and labels at the natural prevalence.
    sampler : course.metrics.PrevalenceSampler
        Resamples the same rows to another prevalence.
    prevalence : float
        The target prevalence.
    max_points : int, default=2000
        Most points of each curve.

    Returns
    -------
    (dict, dict)

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import PrevalenceSampler, ThresholdSweep
    >>> from course.metrics import PrevalenceSampler
    >>> from course.lessons.pr_auc_vs_roc_auc import base_rate_numbers
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(4_000) < 0.2).astype(int)
    >>> score = rng.normal(size=4_000) + 1.5 * y
    >>> sweep, sampler = ThresholdSweep(y, score), PrevalenceSampler(y, seed=0)
    >>> rare, _ = base_rate_numbers(sweep, sampler, 0.01)
    >>> common, _ = base_rate_numbers(sweep, sampler, 0.2)
    >>> round(rare["roc_auc"], 2), round(common["roc_auc"], 2)  # barely moves
    (0.86, 0.84)
    >>> round(rare["average_precision"], 2), round(common["average_precision"], 2)  # falls
    (0.25, 0.63)
    >>> rare["frauds"], round(rare["constant_score_average_precision"], 4), round(rare["random_scores_average_precision"], 4)
    (32, 0.01, 0.0124)
    """
    frauds, genuines = sampler.counts(prevalence)
    if (frauds, genuines) == (sampler.n_frauds, sampler.n_genuines):
        sub = sweep
    else:
        sub = sweep.subset(sampler.mask(prevalence))
    fpr, tpr, _ = sub.roc_curve(max_points=max_points)
    precision, recall, _ = sub.precision_recall_curve(max_points=max_points)
    numbers = {
        "prevalence": sub.prevalence,
        "target_prevalence": float(prevalence),
        "natural_prevalence": sampler.natural_prevalence,
        "frauds": sub.n_positives,
        "genuines": sub.n_negatives,
        "roc_auc": sub.roc_auc(),
        "average_precision": sub.average_precision(),
        "constant_score_average_precision": sub.prevalence,
        "random_scores_average_precision": expected_random_average_precision(sub.n_positives, len(sub)),
    }
    return numbers, {"fpr": fpr, "tpr": tpr, "precision": precision, "recall": recall}

"""Module 02's comparisons: every ranking metric of several models side by side."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from course.lessons.pr_auc_vs_roc_auc import compare_rankings, ranking_gaps
from course.metrics import card_precision_at_k, daily_precision_at_k


@pytest.fixture
def tied_scores():
    rng = np.random.default_rng(3)
    y = (rng.random(3_000) < 0.05).astype(int)
    score = np.round(rng.normal(size=3_000) + 1.2 * y, 1)  # rounding makes many ties
    return y, score


def test_compare_rankings_gathers_each_metric(tied_scores):
    y, score = tied_scores
    rng = np.random.default_rng(5)
    days = rng.integers(0, 5, y.size)
    cards = rng.integers(0, 300, y.size)
    noisy = score + rng.normal(size=y.size)
    table = compare_rankings(y, {"sharp": score, "noisy": noisy}, days=days, card_ids=cards, k=10, max_fpr=0.05)
    assert list(table.index) == ["sharp", "noisy"]
    assert list(table.columns) == [
        "roc_auc",
        "partial_roc_auc",
        "average_precision",
        "daily_precision_at_k",
        "card_precision_at_k",
    ]
    row = table.loc["noisy"]
    assert row["roc_auc"] == pytest.approx(roc_auc_score(y, noisy))
    assert row["partial_roc_auc"] == pytest.approx(roc_auc_score(y, noisy, max_fpr=0.05))
    assert row["average_precision"] == pytest.approx(average_precision_score(y, noisy))
    assert row["daily_precision_at_k"] == pytest.approx(daily_precision_at_k(y, noisy, days=days, k=10))
    assert row["card_precision_at_k"] == pytest.approx(card_precision_at_k(y, noisy, card_ids=cards, days=days, k=10))
    assert (table.loc["sharp"] > table.loc["noisy"]).all()


def test_compare_rankings_input_checks():
    y, days, cards = [0, 1, 0, 1], [1, 1, 2, 2], [1, 2, 1, 2]
    with pytest.raises(ValueError, match="non-empty dict"):
        compare_rankings(y, {}, days=days, card_ids=cards, k=1)
    with pytest.raises(ValueError, match="max_fpr"):
        compare_rankings(y, {"m": [0.1, 0.2, 0.3, 0.4]}, days=days, card_ids=cards, k=1, max_fpr=0)
    with pytest.raises(ValueError, match=r"scores\['short'\] has 3"):
        compare_rankings(y, {"short": [0.1, 0.2, 0.3]}, days=days, card_ids=cards, k=1)


def test_ranking_gaps_give_each_difference_with_its_interval(tied_scores):
    y, score = tied_scores
    rng = np.random.default_rng(6)
    days = rng.integers(0, 15, y.size)
    cards = rng.integers(0, 300, y.size)
    noisy = score + rng.normal(size=y.size)
    gaps = ranking_gaps(y, {"sharp": score, "noisy": noisy}, days=days, card_ids=cards, k=5, n_resamples=60)
    values = compare_rankings(y, {"sharp": score, "noisy": noisy}, days=days, card_ids=cards, k=5).T
    assert list(gaps.index) == [
        "roc_auc",
        "partial_roc_auc",
        "average_precision",
        "daily_precision_at_k",
        "card_precision_at_k",
    ]
    for metric in gaps.index:
        assert gaps.loc[metric, "difference"] == pytest.approx(
            values.loc[metric, "sharp"] - values.loc[metric, "noisy"]
        )
        assert gaps.loc[metric, "low"] <= gaps.loc[metric, "high"]
        assert gaps.loc[metric, "inside_noise"] == bool(gaps.loc[metric, "low"] <= 0 <= gaps.loc[metric, "high"])
    assert not gaps.loc["average_precision", "inside_noise"]  # a clearly better model
    same = ranking_gaps(y, {"a": score, "b": score.copy()}, days=days, card_ids=cards, k=5, n_resamples=20)
    assert (same["difference"] == 0).all() and same["inside_noise"].all()
    with pytest.raises(ValueError, match="exactly two"):
        ranking_gaps(y, {"a": score}, days=days, card_ids=cards, k=5)

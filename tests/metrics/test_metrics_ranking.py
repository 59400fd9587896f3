"""precision@k, recall@k (tie rule) and daily card precision@k on hand-made examples."""

import itertools

import numpy as np
import pytest

from course.metrics import card_precision_at_k, card_precision_at_k_by_day, precision_at_k, recall_at_k


def test_precision_and_recall_at_k_without_ties():
    y = [1, 0, 1, 0, 1]
    score = [0.9, 0.8, 0.7, 0.2, 0.1]
    assert precision_at_k(y, score, 1) == 1.0
    assert precision_at_k(y, score, 3) == pytest.approx(2 / 3)
    assert recall_at_k(y, score, 3) == pytest.approx(2 / 3)
    assert recall_at_k(y, score, 5) == 1.0


def test_ties_at_the_kth_score_are_shared_in_proportion():
    # top-2 of scores 0.9 | 0.5 0.5 0.5: one sure place, one place for three tied (one fraud)
    y = [0, 1, 0, 0, 1]
    score = [0.9, 0.5, 0.5, 0.5, 0.1]
    assert precision_at_k(y, score, 2) == pytest.approx((0 + 1 * 1 / 3) / 2)
    assert recall_at_k(y, score, 2) == pytest.approx((1 / 3) / 2)
    # the rule equals the mean over every way of breaking the ties
    order_free = []
    for perm in itertools.permutations([1, 2, 3]):
        ranking = [0, *perm, 4]
        order_free.append(np.mean([y[i] for i in ranking[:2]]))
    assert precision_at_k(y, score, 2) == pytest.approx(np.mean(order_free))


def test_tie_rule_does_not_depend_on_row_order():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    score = np.round(rng.random(200), 1)
    order = rng.permutation(200)
    for k in (1, 7, 50, 200):
        assert precision_at_k(y, score, k) == pytest.approx(precision_at_k(y[order], score[order], k))


def test_k_is_checked():
    with pytest.raises(ValueError, match="larger than the number of transactions"):
        precision_at_k([0, 1], [0.1, 0.2], 3)
    for bad in (0, -1, 1.5, True):
        with pytest.raises((TypeError, ValueError), match="k"):
            precision_at_k([0, 1], [0.1, 0.2], bad)
    with pytest.raises(ValueError, match="no fraud"):
        recall_at_k([0, 0], [0.1, 0.2], 1)
    assert precision_at_k([0, 0], [0.1, 0.2], 1) == 0.0  # one class is fine for precision


def test_card_precision_at_k_on_a_hand_made_example():
    # day 1: card a max 0.9 (fraud: its 0.2 transaction), b 0.5 (genuine), c 0.1 (fraud)
    # day 2: card a 0.3 (genuine), b 0.8 (fraud), d 0.8 (genuine): b and d tie
    cards = ["a", "a", "b", "c", "a", "b", "d"]
    days = [1, 1, 1, 1, 2, 2, 2]
    y = [0, 1, 0, 1, 0, 1, 0]
    score = [0.9, 0.2, 0.5, 0.1, 0.3, 0.8, 0.8]
    # k=1: day 1 -> a (fraud) = 1; day 2 -> one place for b, d tied, one fraud = 0.5
    assert card_precision_at_k(y, score, card_ids=cards, days=days, k=1) == pytest.approx((1 + 0.5) / 2)
    # k=2: day 1 -> a, b = 1/2; day 2 -> b, d = 1/2
    assert card_precision_at_k(y, score, card_ids=cards, days=days, k=2) == pytest.approx(0.5)
    # k=4: more places than cards -> all cards reviewed, divided by k
    assert card_precision_at_k(y, score, card_ids=cards, days=days, k=4) == pytest.approx((2 / 4 + 1 / 4) / 2)


def test_card_precision_at_k_accepts_timestamps_as_days_and_checks_inputs():
    days = np.array(["2024-01-01", "2024-01-01", "2024-01-02"], dtype="datetime64[D]")
    assert card_precision_at_k([1, 0, 0], [0.9, 0.1, 0.5], card_ids=[1, 2, 1], days=days, k=1) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="one value per transaction"):
        card_precision_at_k([1, 0, 0], [0.9, 0.1, 0.5], card_ids=[1, 2], days=[1, 1, 1], k=1)
    with pytest.raises(ValueError, match="missing"):
        card_precision_at_k([1, 0, 0], [0.9, 0.1, 0.5], card_ids=[1, None, 1], days=[1, 1, 1], k=1)
    with pytest.raises(ValueError, match="NaN"):
        card_precision_at_k([1, 0, 0], [0.9, np.nan, 0.5], card_ids=[1, 2, 1], days=[1, 1, 1], k=1)
    with pytest.raises(ValueError, match="k == 0, must be >= 1"):
        card_precision_at_k([1, 0, 0], [0.9, 0.1, 0.5], card_ids=[1, 2, 1], days=[1, 1, 1], k=0)


def _handbook_card_precision(y, score, cards, days, k):
    """The Fraud Detection Handbook's rule, written the slow way: day by day, cards found earlier removed."""
    import pandas as pd

    frame = pd.DataFrame({"y": y, "score": score, "card": cards, "day": days})
    detected, daily = set(), []
    for _, day in frame.groupby("day", sort=True):
        day = day[~day["card"].isin(detected)]
        per_card = day.groupby("card").agg(y=("y", "max"), score=("score", "max"))
        top = per_card.sort_values("score", ascending=False).head(k)
        found = set(top.index[top["y"] == 1])
        daily.append(len(found) / k)
        detected |= found
    return float(np.mean(daily))


def test_card_precision_at_k_removes_cards_detected_on_earlier_days():
    # a leaked card "a" is flagged on three days running; card "b" commits one fraud on day 3
    cards = ["a", "c", "a", "c", "a", "b"]
    days = [1, 1, 2, 2, 3, 3]
    y = [1, 0, 1, 0, 1, 1]
    score = [0.9, 0.1, 0.9, 0.2, 0.9, 0.3]
    # default (the Handbook's): a found on day 1, then blocked; day 2 only c (genuine); day 3 b
    assert card_precision_at_k(y, score, card_ids=cards, days=days, k=1) == pytest.approx((1 + 0 + 1) / 3)
    # without removal a counts as a new find every day
    assert card_precision_at_k(y, score, card_ids=cards, days=days, k=1, remove_detected_cards=False) == 1.0
    table = card_precision_at_k_by_day(y, score, card_ids=cards, days=days, k=1)
    assert table["cards"].tolist() == [2, 1, 1]
    assert table["fraud_cards"].tolist() == [1, 0, 1]
    assert table["best_possible"].tolist() == [1.0, 0.0, 1.0]
    assert table["card_recall"].tolist()[0] == 1.0 and np.isnan(table["card_recall"].tolist()[1])


def test_only_cards_found_fraudulent_are_removed():
    # day 1: card a is reviewed but genuine that day: it stays; card b is fraudulent but not reviewed
    cards = ["a", "b", "a", "b"]
    days = [1, 1, 2, 2]
    y = [0, 1, 1, 1]
    score = [0.9, 0.5, 0.9, 0.5]
    table = card_precision_at_k_by_day(y, score, card_ids=cards, days=days, k=1)
    assert table["card_precision"].tolist() == [0.0, 1.0]
    assert table["cards"].tolist() == [2, 2]


def test_removal_equals_the_handbook_rule_on_random_data_without_ties():
    rng = np.random.default_rng(5)
    n = 3_000
    days = rng.integers(0, 20, n)
    cards = rng.integers(0, 150, n)
    leaked = rng.random(150) < 0.1
    y = (leaked[cards] & (rng.random(n) < 0.5)).astype(int)
    score = rng.random(n) + 0.8 * y
    for k in (1, 5, 12):
        ours = card_precision_at_k(y, score, card_ids=cards, days=days, k=k)
        assert ours == pytest.approx(_handbook_card_precision(y, score, cards, days, k))
        kept = card_precision_at_k(y, score, card_ids=cards, days=days, k=k, remove_detected_cards=False)
        assert kept >= ours  # removing found cards can only lower what is found later


def test_removal_with_ties_counts_shares_and_removes_only_surely_reviewed_cards():
    # day 1: cards a and b tie for the one place, both fraudulent: 1 fraud found, neither surely reviewed
    cards = ["a", "b", "a", "b"]
    days = [1, 1, 2, 2]
    y = [1, 1, 1, 0]
    score = [0.5, 0.5, 0.9, 0.1]
    table = card_precision_at_k_by_day(y, score, card_ids=cards, days=days, k=1)
    assert table["card_precision"].tolist() == [1.0, 1.0]
    assert table["cards"].tolist() == [2, 2]  # a was not surely reviewed on day 1: still ranked on day 2
    # the result does not depend on the row order
    order = [3, 1, 2, 0]
    shuffled = card_precision_at_k(
        np.array(y)[order], np.array(score)[order], card_ids=np.array(cards)[order], days=np.array(days)[order], k=1
    )
    assert shuffled == card_precision_at_k(y, score, card_ids=cards, days=days, k=1)


def test_remove_detected_cards_must_be_a_bool():
    with pytest.raises(TypeError, match="True or False"):
        card_precision_at_k([1, 0], [0.9, 0.1], card_ids=[1, 2], days=[1, 1], k=1, remove_detected_cards="yes")

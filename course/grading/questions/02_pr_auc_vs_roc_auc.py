"""Visible tests of assignment 02_pr_auc_vs_roc_auc (autograded/source/02_pr_auc_vs_roc_auc/02_pr_auc_vs_roc_auc.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made examples one can work
out by hand (the tie rule, a card counted once, a blocked card); the hidden tests in the source
notebook check the exact values, fixed when the assignment was written, k out of range, the
card's score and label, and the model to ship. Each hint is a list: every level goes deeper.
"""

from __future__ import annotations

import math

import numpy as np

from course.grading import Question
from course.grading.answer_types import describe_value, is_number, is_share

# --- 02-precision-at-k --------------------------------------------------------------------
precision_question = Question("02-precision-at-k", "The fraud money in the top k, with a tie rule")
# frauds of 100 (score 0.9) and 40 (0.3); genuine payments of 50 (0.8) and 70 (0.1)
_Y, _SCORES, _AMOUNTS = np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.3, 0.1]), np.array([100.0, 50.0, 40.0, 70.0])


def _money(function, y, scores, amounts, k):
    return function(np.array(y), np.array(scores, dtype=float), np.array(amounts, dtype=float), k)


@precision_question.test(
    hint=[
        "Return one number: the euros of the frauds among the k reviews.",
        "Only frauds count: a genuine payment in the top k adds no fraud money, whatever its amount.",
    ]
)
def money_is_one_number(fraud_amount_in_top_k):
    """fraud_amount_in_top_k(y_true, scores, amounts, k) returns one number of euros, at least 0"""
    result = _money(fraud_amount_in_top_k, _Y, _SCORES, _AMOUNTS, 2)
    assert is_number(result) and result >= 0, f"expected a number of euros (0 or more), got {describe_value(result)}."


@precision_question.test(
    hint=[
        "Sort by score, highest first, and add up the amounts of the frauds among the k first transactions.",
        "A fraud outside the top k is not found: stop at the k-th score.",
    ]
)
def money_without_ties(fraud_amount_in_top_k):
    """scores 0.9 (fraud of 100), 0.8, 0.3 (fraud of 40), 0.1: the top 2 find 100, the top 3 find 140"""
    two = _money(fraud_amount_in_top_k, _Y, _SCORES, _AMOUNTS, 2)
    three = _money(fraud_amount_in_top_k, _Y, _SCORES, _AMOUNTS, 3)
    assert is_number(two) and is_number(three) and math.isclose(two, 100) and math.isclose(three, 140), (
        f"the top 2 hold the fraud of 100 (expected 100) and the top 3 also the fraud of 40 (expected 140), "
        f"got {two!r} and {three!r}."
    )


@precision_question.test(
    hint=[
        "Count the transactions strictly above the k-th score (n_above) and those equal to it (n_tied): each "
        "tied one counts (k - n_above) / n_tied of a review, and so does its amount, whatever its row.",
        "Money found = frauds' amounts strictly above the k-th score + (k - n_above) / n_tied x frauds' amounts "
        "at the k-th score. Sorting and taking the first k rows breaks ties by row order.",
        "Also raise a ValueError for k < 1 or k larger than the number of transactions, and work by position "
        "(np.asarray(...)) so that pandas Series with any index give the same answer.",
    ]
)
def ties_are_shared_in_proportion(fraud_amount_in_top_k):
    """0.9 (genuine) | 0.5 0.5 0.5 (a fraud of 90 among the three tied), k=2: one place for three, 90 / 3"""
    result = _money(fraud_amount_in_top_k, [0, 0, 0, 1, 1], [0.9, 0.5, 0.5, 0.5, 0.1], [10, 20, 30, 90, 30], 2)
    assert is_number(result) and math.isclose(result, 30), (
        f"one place is left for three tied transactions, one of them a fraud of 90: it counts 1/3 of a review, "
        f"so expected 90 / 3 = 30; got {result!r}. The row order must not matter."
    )


# --- 02-card-precision --------------------------------------------------------------------
card_question = Question("02-card-precision", "Card precision@k for one day, without the blocked cards")


def _cards(function, cards, y, scores, k, blocked=()):
    return function(np.array(cards), np.array(y), np.array(scores, dtype=float), k, blocked)


@card_question.test(hint="Return one number: the fraud cards among the k reviewed cards, divided by k.")
def card_precision_is_a_share(card_precision_one_day):
    """card_precision_one_day(cards, y_true, scores, k, blocked) returns a number between 0 and 1"""
    result = _cards(card_precision_one_day, ["a", "b", "c"], [1, 0, 0], [0.9, 0.5, 0.1], 1, [])
    assert is_share(result), f"expected a number between 0 and 1, got {describe_value(result)}."


@card_question.test(hint="With one transaction per card, a card is its transaction: the answer is precision@k.")
def one_transaction_per_card(card_precision_one_day):
    """four cards of one payment each, frauds scored 0.9 and 0.1: card precision@2 is 1/2"""
    result = _cards(card_precision_one_day, ["a", "b", "c", "d"], [1, 0, 0, 1], [0.9, 0.8, 0.2, 0.1], 2, [])
    assert is_number(result) and math.isclose(result, 0.5), (
        f"the two highest cards are a (fraud) and b (genuine): expected 0.5, got {result!r}."
    )


@card_question.test(
    hint=[
        "Group by card first (df.groupby(...).agg(...)), then rank the cards, not the payments.",
        "A card's score is the max of its scores; its label is the max of its labels (any fraud makes it a "
        "fraud case), not the label of its highest-scored payment.",
        "Ties between cards follow the rule of question 1: metrics.precision_at_k on the per-card table applies it.",
    ]
)
def a_card_counts_once(card_precision_one_day):
    """card a has two frauds (0.9, 0.8), b is genuine (0.7), c a fraud (0.6): card precision@2 is 1/2"""
    result = _cards(card_precision_one_day, ["a", "a", "b", "c"], [1, 1, 0, 1], [0.9, 0.8, 0.7, 0.6], 2, [])
    assert is_number(result) and math.isclose(result, 0.5), (
        f"the two highest cards are a (fraud) and b (genuine), so expected 0.5, got {result!r}. Card a's two "
        "payments are one review: counting them twice is counting transactions, not cards."
    )


@card_question.test(
    hint=[
        "Leave out the payments of the blocked cards before ranking: the next cards move up into the top k.",
        "Filter first (e.g. ~cards.isin(blocked)), then group and rank: dropping the blocked cards from the "
        "top k after ranking reviews fewer than k cards.",
    ]
)
def blocked_cards_are_not_reviewed(card_precision_one_day):
    """card a (fraud, 0.9) is blocked: the top card is then b (genuine, 0.8), so card precision@1 is 0"""
    result = _cards(card_precision_one_day, ["a", "b", "c"], [1, 0, 1], [0.9, 0.8, 0.7], 1, ["a"])
    assert is_number(result) and math.isclose(result, 0.0, abs_tol=1e-12), (
        f"card a is blocked since an earlier day, so the team reviews b (genuine): expected 0, got {result!r}."
    )


# --- 02-no-skill-ap -----------------------------------------------------------------------
no_skill_question = Question("02-no-skill-ap", "The average precision of a constant score")


@no_skill_question.test(hint="An average precision is a share between 0 and 1, not a percentage or a count.")
def no_skill_is_a_share(no_skill_average_precision):
    """no_skill_average_precision(y_true) returns a number between 0 and 1"""
    result = no_skill_average_precision(np.array([1, 0, 0, 0]))
    assert is_share(result), f"expected a number between 0 and 1, got {describe_value(result)}."


@no_skill_question.test(
    hint=[
        "A constant score ties every transaction: a threshold flags all of them or none. What is the precision "
        "when all of them are flagged?",
        "Average precision sums precision x (gain in recall) over the thresholds; with one threshold the recall "
        "goes from 0 to 1 at once. 0.5 is ROC-AUC's no-skill level, not average precision's.",
        "The expected AP of random scores is another number (above the prevalence when frauds are few): "
        "the question is the constant score.",
    ]
)
def no_skill_on_balanced_labels(no_skill_average_precision):
    """on labels [1, 0, 1, 0] (half frauds), a constant score's average precision is 0.5"""
    result = no_skill_average_precision(np.array([1, 0, 1, 0]))
    assert is_number(result) and math.isclose(result, 0.5), f"expected 0.5 on half frauds, got {result!r}."


# --- 02-average-precision -----------------------------------------------------------------
ap_question = Question("02-average-precision", "Average precision of each model")


@ap_question.test(
    hint=[
        "sklearn.metrics.average_precision_score(y_true, scores) gives one number per model.",
        "Not auc(recall, precision) (the trapezoid), not ROC-AUC: average precision is the step sum of "
        "precision x gain in recall. Keep the frauds as the positive class (pos_label=1).",
    ]
)
def average_precisions_are_shares(average_precision_a, average_precision_b):
    """average_precision_a and average_precision_b are numbers between 0 and 1"""
    for name, value in (("average_precision_a", average_precision_a), ("average_precision_b", average_precision_b)):
        assert is_share(value), f"{name} should be a number between 0 and 1, got {describe_value(value)}."


@ap_question.test(hint="A model with skill beats the no-skill level, which is the share of frauds in df.")
def both_models_beat_no_skill(average_precision_a, average_precision_b, df):
    """both average precisions are above the no-skill level (the prevalence)"""
    prevalence = float(df["is_fraud"].mean())
    for name, value in (("average_precision_a", average_precision_a), ("average_precision_b", average_precision_b)):
        assert is_number(value) and value > prevalence, (
            f"{name} should be above the prevalence {prevalence:.4f}, got {value!r}."
        )


# --- 02-ship ------------------------------------------------------------------------------
ship_question = Question("02-ship", "Which model to ship under the alert budget")


@ship_question.test(
    hint=[
        "metrics.card_precision_at_k(y, scores, card_ids=df['customer_id'], days=df['day'], k=BUDGET) "
        "gives one number.",
        "Cards, not transactions (not daily_precision_at_k); BUDGET cards every day (days=df['day']), "
        "not BUDGET over the four weeks; cards found fraudulent on earlier days left out (the default).",
    ]
)
def card_precisions_are_shares(card_precision_a, card_precision_b):
    """card_precision_a and card_precision_b are numbers between 0 and 1"""
    for name, value in (("card_precision_a", card_precision_a), ("card_precision_b", card_precision_b)):
        assert is_share(value), f"{name} should be a number between 0 and 1, got {describe_value(value)}."


@ship_question.test(hint="ship is the text 'A' or 'B'.")
def ship_names_a_model(ship):
    """ship is "A" or "B" """
    assert ship in ("A", "B"), f"ship should be 'A' or 'B', got {ship!r}."


@ship_question.test(
    hint="The team lives at its budget: ship the model that puts more fraud cards in front of the analysts, "
    "whatever its ROC-AUC."
)
def ship_follows_the_budget(card_precision_a, card_precision_b, ship):
    """ship is the model with the higher card precision at the budget"""
    if not (is_number(card_precision_a) and is_number(card_precision_b)):
        raise AssertionError("card_precision_a and card_precision_b should be numbers first.")
    best = "A" if card_precision_a > card_precision_b else "B"
    assert ship == best, (
        f"card precision@budget is {card_precision_a:.3f} for A and {card_precision_b:.3f} for B, "
        f"so ship should be {best!r}, got {ship!r}."
    )

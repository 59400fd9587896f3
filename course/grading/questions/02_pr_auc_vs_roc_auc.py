"""Visible tests of assignment 02_pr_auc_vs_roc_auc (autograded/source/02_pr_auc_vs_roc_auc/02_pr_auc_vs_roc_auc.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made examples one can work
out by hand (the tie rule, a card counted once); the hidden tests in the source notebook check
the exact values, k out of range, the card's score and label, and the model to ship.
"""

from __future__ import annotations

import math

import numpy as np

from course.grading import Question
from course.grading.answer_types import describe_value, is_number, is_share

# --- 02-precision-at-k --------------------------------------------------------------------
precision_question = Question("02-precision-at-k", "Precision@k with a tie rule")
_Y, _SCORES = np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.3, 0.1])


@precision_question.test(hint="Return one number: the frauds found among the k reviews, divided by k.")
def precision_is_a_share(precision_at_k):
    """precision_at_k(y_true, scores, k) returns a number between 0 and 1"""
    result = precision_at_k(_Y.copy(), _SCORES.copy(), 2)
    assert is_share(result), f"expected a number between 0 and 1, got {describe_value(result)}."


@precision_question.test(hint="Sort by score, highest first, and look at the k first transactions.")
def precision_without_ties(precision_at_k):
    """scores 0.9 (fraud), 0.8, 0.3 (fraud), 0.1: precision@2 is 1/2 and precision@3 is 2/3"""
    two, three = precision_at_k(_Y.copy(), _SCORES.copy(), 2), precision_at_k(_Y.copy(), _SCORES.copy(), 3)
    assert is_number(two) and is_number(three) and math.isclose(two, 0.5) and math.isclose(three, 2 / 3), (
        f"the top 2 hold 1 fraud (expected 0.5) and the top 3 hold 2 (expected 0.667), got {two!r} and {three!r}."
    )


@precision_question.test(
    hint="Count the transactions strictly above the k-th score (n_above) and those equal to it (n_tied): "
    "each tied one counts (k - n_above) / n_tied of a review, whatever its row."
)
def ties_are_shared_in_proportion(precision_at_k):
    """scores 0.9 | 0.5 0.5 0.5 (one fraud among the three tied), k=2: one place for three, (0 + 1/3) / 2"""
    y, scores = np.array([0, 1, 0, 0, 1]), np.array([0.9, 0.5, 0.5, 0.5, 0.1])
    result = precision_at_k(y.copy(), scores.copy(), 2)
    assert is_number(result) and math.isclose(result, 1 / 6), (
        f"one place is left for three tied transactions, one of them a fraud: it counts 1/3 of a fraud, "
        f"so precision@2 = (0 + 1/3) / 2 = 0.1667; got {result!r}. The row order must not matter."
    )


# --- 02-card-precision --------------------------------------------------------------------
card_question = Question("02-card-precision", "Card precision@k for one day")


@card_question.test(hint="Return one number: the fraud cards among the k reviewed cards, divided by k.")
def card_precision_is_a_share(card_precision_one_day):
    """card_precision_one_day(cards, y_true, scores, k) returns a number between 0 and 1"""
    result = card_precision_one_day(np.array(["a", "b", "c"]), np.array([1, 0, 0]), np.array([0.9, 0.5, 0.1]), 1)
    assert is_share(result), f"expected a number between 0 and 1, got {describe_value(result)}."


@card_question.test(hint="With one transaction per card, a card is its transaction: the answer is precision@k.")
def one_transaction_per_card(card_precision_one_day):
    """four cards of one payment each, frauds scored 0.9 and 0.1: card precision@2 is 1/2"""
    result = card_precision_one_day(
        np.array(["a", "b", "c", "d"]), np.array([1, 0, 0, 1]), np.array([0.9, 0.8, 0.2, 0.1]), 2
    )
    assert is_number(result) and math.isclose(result, 0.5), (
        f"the two highest cards are a (fraud) and b (genuine): expected 0.5, got {result!r}."
    )


@card_question.test(hint="Group by card first (df.groupby(...).agg(...)), then rank the cards, not the payments.")
def a_card_counts_once(card_precision_one_day):
    """card a has two frauds (0.9, 0.8), b is genuine (0.7), c a fraud (0.6): card precision@2 is 1/2"""
    result = card_precision_one_day(
        np.array(["a", "a", "b", "c"]), np.array([1, 1, 0, 1]), np.array([0.9, 0.8, 0.7, 0.6]), 2
    )
    assert is_number(result) and math.isclose(result, 0.5), (
        f"the two highest cards are a (fraud) and b (genuine), so expected 0.5, got {result!r}. Card a's two "
        "payments are one review: counting them twice is counting transactions, not cards."
    )


# --- 02-no-skill-ap -----------------------------------------------------------------------
no_skill_question = Question("02-no-skill-ap", "The no-skill average precision")


@no_skill_question.test(hint="An average precision is a share between 0 and 1, not a percentage or a count.")
def no_skill_is_a_share(no_skill_average_precision):
    """no_skill_average_precision(y_true) returns a number between 0 and 1"""
    result = no_skill_average_precision(np.array([1, 0, 0, 0]))
    assert is_share(result), f"expected a number between 0 and 1, got {describe_value(result)}."


@no_skill_question.test(
    hint="A model with no skill ranks frauds and genuine payments alike: what is its precision at any threshold?"
)
def no_skill_on_balanced_labels(no_skill_average_precision):
    """on labels [1, 0, 1, 0] (half frauds), the no-skill average precision is 0.5"""
    result = no_skill_average_precision(np.array([1, 0, 1, 0]))
    assert is_number(result) and math.isclose(result, 0.5), f"expected 0.5 on half frauds, got {result!r}."


# --- 02-average-precision -----------------------------------------------------------------
ap_question = Question("02-average-precision", "Average precision of each model")


@ap_question.test(hint="sklearn.metrics.average_precision_score(y_true, scores) gives one number per model.")
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
    hint="metrics.card_precision_at_k(y, scores, card_ids=df['customer_id'], days=df['day'], k=BUDGET) gives one number."
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

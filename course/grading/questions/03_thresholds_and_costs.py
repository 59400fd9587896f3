"""Visible tests of assignment 03_thresholds_and_costs (autograded/source/03_thresholds_and_costs/03_thresholds_and_costs.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made examples whose costs
one can work out by hand (review 3, friction 5, claim 10); the hidden tests in the source
notebook check the exact values, fixed when the assignment was written, ties at a threshold,
the busiest day and a scorer that reads its metadata. Each hint is a list: every level goes deeper.
"""

from __future__ import annotations

import math

import numpy as np

from course.grading import Question
from course.grading.answer_types import describe_value, is_number

REVIEW, FRICTION, CLAIM = 3.0, 5.0, 10.0


def _arrays(*values):
    return [np.array(v, dtype=float) if isinstance(v[0], float) else np.array(v) for v in values]


# --- 03-cost ------------------------------------------------------------------------------
cost_question = Question("03-cost", "Expected cost of a set of decisions")


@cost_question.test(hint="Add up four terms: reviews, friction of false alarms, amounts and claims of missed frauds.")
def cost_is_one_number(expected_cost):
    """expected_cost(...) returns one number"""
    y, pred, amounts = _arrays([1, 0, 1], [1, 0, 0], [70.0, 10.0, 40.0])
    result = expected_cost(y, pred, amounts, REVIEW, FRICTION, CLAIM)
    assert is_number(result), f"expected one number (euros), got {describe_value(result)}."


@cost_question.test(
    hint=[
        "A missed fraud costs its amount and its claim: with no alert, no review and no friction are paid.",
        "The claim cost is per missed fraud (a count), the refund is the amount of each missed fraud.",
    ]
)
def flagging_nothing_costs_the_frauds_and_their_claims(expected_cost):
    """flagging nothing costs the frauds' amounts and a claim each: 70 + 40 + 2 x 10 = 130"""
    y, pred, amounts = _arrays([1, 0, 1], [0, 0, 0], [70.0, 10.0, 40.0])
    result = expected_cost(y, pred, amounts, REVIEW, FRICTION, CLAIM)
    assert is_number(result) and math.isclose(result, 130.0), (
        f"no alert on frauds of 70 and 40 euros: expected 70 + 40 + 2 claims of 10 = 130, got {result!r}."
    )


@cost_question.test(
    hint=[
        "A false alarm pays the review of the alert and the customer's friction.",
        "Every alert is reviewed, a caught fraud too (review, but no friction and no claim): count the reviews "
        "on all alerts, the friction on false alarms only, the claims on missed frauds only.",
    ]
)
def a_false_alarm_costs_review_and_friction(expected_cost):
    """one false alarm (3 + 5) and one missed fraud of 50 (50 + 10) cost 68"""
    y, pred, amounts = _arrays([0, 0, 1], [1, 0, 0], [10.0, 20.0, 50.0])
    result = expected_cost(y, pred, amounts, REVIEW, FRICTION, CLAIM)
    assert is_number(result) and math.isclose(result, 68.0), (
        f"one genuine payment flagged (review 3 + friction 5) and a fraud of 50 missed (50 + claim 10): "
        f"expected 68, got {result!r}."
    )


# --- 03-savings ---------------------------------------------------------------------------
savings_question = Question("03-savings", "Savings against flagging nothing")


@savings_question.test(hint="Savings = cost of flagging nothing - cost of your decisions: one number.")
def savings_is_one_number(savings):
    """savings(...) returns one number"""
    y, pred, amounts = _arrays([1, 0], [1, 0], [100.0, 20.0])
    result = savings(y, pred, amounts, REVIEW, FRICTION, CLAIM)
    assert is_number(result), f"expected one number (euros), got {describe_value(result)}."


@savings_question.test(
    hint=[
        "Flagging nothing is the reference: compared with itself it saves nothing.",
        "Use the same cost terms on both sides: the reference pays every fraud's amount and claim too.",
    ]
)
def flagging_nothing_saves_nothing(savings):
    """flagging nothing saves 0"""
    y, pred, amounts = _arrays([1, 0, 1], [0, 0, 0], [70.0, 10.0, 40.0])
    result = savings(y, pred, amounts, REVIEW, FRICTION, CLAIM)
    assert is_number(result) and math.isclose(result, 0.0, abs_tol=1e-9), (
        f"with no alert the cost is the cost of flagging nothing: expected savings of 0, got {result!r}."
    )


@savings_question.test(
    hint=[
        "Catching a fraud saves its amount and its claim, and costs one review: savings are positive.",
        "A false alarm costs a review and friction: both count in the cost of the decisions.",
    ]
)
def catching_a_fraud_saves_its_amount_and_claim_minus_a_review(savings):
    """catching a lone fraud of 100 saves 100 + 10 - 3 = 107"""
    y, pred, amounts = _arrays([1, 0], [1, 0], [100.0, 20.0])
    result = savings(y, pred, amounts, REVIEW, FRICTION, CLAIM)
    assert is_number(result) and math.isclose(result, 107.0), (
        f"flagging nothing loses the fraud of 100 and its claim of 10; catching it costs a review of 3: "
        f"expected 107, got {result!r}."
    )


# --- 03-capacity --------------------------------------------------------------------------
capacity_question = Question("03-capacity", "Least-cost threshold within the daily capacity")
# day 0: frauds of 200 (score 0.9) and 80 (0.45), a genuine payment (0.6); day 1: three genuine
# payments (0.3, 0.2, 0.1), all of 10 euros. Costs with review 3, friction 5 and claim 10:
# t=0.25 -> 22 (3 alerts on day 0), t=0.4 -> 14 (3 on day 0), t=0.5 -> 101 (2), t=0.7 -> 93 (1).
_Y = np.array([1, 0, 1, 0, 0, 0])
_SCORES = np.array([0.9, 0.6, 0.45, 0.3, 0.2, 0.1])
_AMOUNTS = np.array([200.0, 10.0, 80.0, 10.0, 10.0, 10.0])
_DAYS = np.array([0, 0, 0, 1, 1, 1])
_THRESHOLDS = [0.25, 0.4, 0.5, 0.7]


def _best(function, capacity):
    return function(
        _Y.copy(), _SCORES.copy(), _AMOUNTS.copy(), _DAYS.copy(), list(_THRESHOLDS), capacity, REVIEW, FRICTION, CLAIM
    )


@capacity_question.test(
    hint="Return one of the candidate thresholds (or np.inf when none fits), not a cost or an index."
)
def returns_a_candidate_threshold(best_threshold_within_capacity):
    """the result is one of the candidate thresholds"""
    result = _best(best_threshold_within_capacity, 100)
    assert is_number(result) and (result in _THRESHOLDS or result == math.inf), (
        f"expected one of {_THRESHOLDS} (or np.inf), got {result!r}."
    )


@capacity_question.test(
    hint=[
        "Compute the cost of every candidate (reviews, friction, missed amounts and their claims) and keep the least.",
        "Flag score >= threshold: a payment scored exactly at the threshold is flagged.",
        "Among equal least costs, return the highest threshold (same money, fewer alerts).",
    ]
)
def without_a_binding_capacity_it_is_the_least_cost_threshold(best_threshold_within_capacity):
    """with room for every alert, threshold 0.4 is the cheapest (cost 14)"""
    result = _best(best_threshold_within_capacity, 100)
    assert result == 0.4, f"costs are 22 at 0.25, 14 at 0.4, 101 at 0.5 and 93 at 0.7: expected 0.4, got {result!r}."


@capacity_question.test(
    hint=[
        "Drop the thresholds that send more than capacity_per_day alerts on any single day, then take the "
        "cheapest left.",
        "Count the alerts of each day (e.g. pd.Series(flagged).groupby(days).sum()) and compare the largest "
        "with the capacity: an average over the days hides the busiest one.",
    ]
)
def the_busiest_day_must_fit(best_threshold_within_capacity):
    """at 2 alerts a day, 0.25 and 0.4 fit on average but send 3 alerts on day 0: 0.7 (cost 93) wins"""
    result = _best(best_threshold_within_capacity, 2)
    assert result == 0.7, (
        f"0.25 and 0.4 send 3 alerts on day 0, more than 2; of 0.5 (cost 101) and 0.7 (cost 93), expected 0.7, "
        f"got {result!r}."
    )


@capacity_question.test(hint="When no candidate fits, the only decision left is to flag nothing: return np.inf.")
def when_nothing_fits_flag_nothing(best_threshold_within_capacity):
    """with half an alert a day, no candidate fits: np.inf"""
    result = _best(best_threshold_within_capacity, 0.5)
    assert result == math.inf, f"every candidate sends at least 1 alert on day 0: expected np.inf, got {result!r}."


# --- 03-tuned -----------------------------------------------------------------------------
tuned_question = Question("03-tuned", "TunedThresholdClassifierCV with a scorer in money")


@tuned_question.test(hint="business_savings takes the amounts as a keyword argument named amount.")
def business_savings_of_flagging_nothing_is_zero(business_savings):
    """business_savings(y_true, y_pred, amount=...) of flagging nothing is 0"""
    y, pred, amounts = _arrays([1, 0, 1], [0, 0, 0], [70.0, 10.0, 40.0])
    result = business_savings(y, pred, amount=amounts)
    assert is_number(result) and math.isclose(result, 0.0, abs_tol=1e-9), (
        f"with no alert nothing is saved: expected 0, got {result!r}."
    )


@tuned_question.test(
    hint=[
        "Use REVIEW_COST, FRICTION_COST and CLAIM_COST: a false alarm costs a review and friction, a caught "
        "fraud saves its amount and its claim.",
        "The course's make_savings_scorer knows no claim cost: write business_savings yourself.",
    ]
)
def business_savings_in_money(business_savings):
    """a lone false alarm saves -8; catching a lone fraud of 100 saves 100 + 10 - 3 = 107"""
    y, pred, amounts = _arrays([0, 1], [1, 0], [20.0, 100.0])
    result = business_savings(y, pred, amount=amounts)
    assert is_number(result) and math.isclose(result, -8.0), (
        f"one false alarm costs a review (3) and friction (5) and misses nothing new: expected -8, got {result!r}."
    )
    y, pred, amounts = _arrays([1, 0], [1, 0], [100.0, 20.0])
    result = business_savings(y, pred, amount=amounts)
    assert is_number(result) and math.isclose(result, 107.0), (
        f"catching a fraud of 100 saves its amount and claim (110) for a review (3): expected 107, got {result!r}."
    )


@tuned_question.test(
    hint=[
        'TunedThresholdClassifierCV(model, scoring=scorer, thresholds=candidate_thresholds, cv="prefit", '
        "refit=False), then .fit(X_val, y_val, amount=amount_val).",
        "Inside sklearn.config_context(enable_metadata_routing=True): build the scorer with "
        "make_scorer(business_savings).set_score_request(amount=True), then fit with amount=amount_val.",
        "A default argument amount=amount_val, or make_scorer(..., amount=amount_val), scores the rows in "
        "amount_val's order whatever rows the scorer is given: let the amounts travel as metadata instead.",
    ]
)
def tuned_is_a_fitted_prefit_search(tuned, candidate_thresholds):
    """tuned is a fitted TunedThresholdClassifierCV over candidate_thresholds with cv="prefit\""""
    from sklearn.model_selection import TunedThresholdClassifierCV

    assert isinstance(tuned, TunedThresholdClassifierCV), (
        f"tuned should be a TunedThresholdClassifierCV, got {type(tuned).__name__}."
    )
    assert hasattr(tuned, "best_threshold_"), (
        "tuned is not fitted yet: call tuned.fit(X_val, y_val, amount=amount_val)."
    )
    assert isinstance(tuned.cv, str) and tuned.cv == "prefit", (
        f'use cv="prefit" (the model is trained), got {tuned.cv!r}.'
    )
    assert np.array_equal(np.asarray(tuned.thresholds), np.asarray(candidate_thresholds)), (
        "search the given candidate_thresholds: thresholds=candidate_thresholds."
    )


@tuned_question.test(hint="The default scoring (balanced accuracy) knows nothing of money: pass scoring=your scorer.")
def tuned_scores_in_money(tuned):
    """tuned uses your business scorer, not a built-in metric"""
    scoring = getattr(tuned, "scoring", None)
    assert scoring is not None and not isinstance(scoring, str), (
        f"scoring should be the scorer built with make_scorer(business_savings), got {scoring!r}."
    )

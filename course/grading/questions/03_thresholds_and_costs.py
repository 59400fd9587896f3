"""Visible tests of assignment 03_thresholds_and_costs (autograded/source/03_thresholds_and_costs/03_thresholds_and_costs.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made examples whose costs
one can work out by hand (review 3, friction 5); the hidden tests in the source notebook
check the exact values, ties at a threshold and capacity per day.
"""

from __future__ import annotations

import math

import numpy as np

from course.grading import Question
from course.grading.answer_types import describe_value, is_number

REVIEW, FRICTION = 3.0, 5.0


def _arrays(*values):
    return [np.array(v, dtype=float) if isinstance(v[0], float) else np.array(v) for v in values]


# --- 03-cost ------------------------------------------------------------------------------
cost_question = Question("03-cost", "Expected cost of a set of decisions")


@cost_question.test(hint="Add up three terms: reviews, friction of false alarms, amounts of missed frauds.")
def cost_is_one_number(expected_cost):
    """expected_cost(...) returns one number"""
    y, pred, amounts = _arrays([1, 0, 1], [1, 0, 0], [70.0, 10.0, 40.0])
    result = expected_cost(y, pred, amounts, REVIEW, FRICTION)
    assert is_number(result), f"expected one number (euros), got {describe_value(result)}."


@cost_question.test(hint="A missed fraud costs its amount: with no alert, no review and no friction are paid.")
def flagging_nothing_costs_the_fraud_amounts(expected_cost):
    """flagging nothing costs the amounts of the frauds: 70 + 40 = 110"""
    y, pred, amounts = _arrays([1, 0, 1], [0, 0, 0], [70.0, 10.0, 40.0])
    result = expected_cost(y, pred, amounts, REVIEW, FRICTION)
    assert is_number(result) and math.isclose(result, 110.0), (
        f"no alert on frauds of 70 and 40 euros: expected a cost of 110, got {result!r}."
    )


@cost_question.test(hint="A false alarm pays the review of the alert and the customer's friction.")
def a_false_alarm_costs_review_and_friction(expected_cost):
    """one false alarm (3 + 5) and one missed fraud of 50 cost 58"""
    y, pred, amounts = _arrays([0, 0, 1], [1, 0, 0], [10.0, 20.0, 50.0])
    result = expected_cost(y, pred, amounts, REVIEW, FRICTION)
    assert is_number(result) and math.isclose(result, 58.0), (
        f"one genuine payment flagged (review 3 + friction 5) and a fraud of 50 missed: expected 58, got {result!r}."
    )


# --- 03-savings ---------------------------------------------------------------------------
savings_question = Question("03-savings", "Savings against flagging nothing")


@savings_question.test(hint="Savings = cost of flagging nothing - cost of your decisions: one number.")
def savings_is_one_number(savings):
    """savings(...) returns one number"""
    y, pred, amounts = _arrays([1, 0], [1, 0], [100.0, 20.0])
    result = savings(y, pred, amounts, REVIEW, FRICTION)
    assert is_number(result), f"expected one number (euros), got {describe_value(result)}."


@savings_question.test(hint="Flagging nothing is the reference: compared with itself it saves nothing.")
def flagging_nothing_saves_nothing(savings):
    """flagging nothing saves 0"""
    y, pred, amounts = _arrays([1, 0, 1], [0, 0, 0], [70.0, 10.0, 40.0])
    result = savings(y, pred, amounts, REVIEW, FRICTION)
    assert is_number(result) and math.isclose(result, 0.0, abs_tol=1e-9), (
        f"with no alert the cost is the cost of flagging nothing: expected savings of 0, got {result!r}."
    )


@savings_question.test(hint="Catching a fraud saves its amount and costs one review: savings are positive.")
def catching_a_fraud_saves_its_amount_minus_a_review(savings):
    """catching a lone fraud of 100 saves 100 - 3 = 97"""
    y, pred, amounts = _arrays([1, 0], [1, 0], [100.0, 20.0])
    result = savings(y, pred, amounts, REVIEW, FRICTION)
    assert is_number(result) and math.isclose(result, 97.0), (
        f"flagging nothing loses the fraud of 100; catching it costs a review of 3: expected 97, got {result!r}."
    )


# --- 03-capacity --------------------------------------------------------------------------
capacity_question = Question("03-capacity", "Least-cost threshold within the capacity")
# frauds of 200 (score 0.9) and 80 (0.45); four genuine payments. Costs with review 3 and
# friction 5: t=0.25 -> 22, t=0.4 -> 14, t=0.5 -> 91, t=0.7 -> 83.
_Y = np.array([1, 1, 0, 0, 0, 0])
_SCORES = np.array([0.9, 0.45, 0.6, 0.3, 0.2, 0.1])
_AMOUNTS = np.array([200.0, 80.0, 10.0, 10.0, 10.0, 10.0])
_THRESHOLDS = [0.25, 0.4, 0.5, 0.7]


def _best(function, n_days, capacity):
    return function(_Y.copy(), _SCORES.copy(), _AMOUNTS.copy(), list(_THRESHOLDS), n_days, capacity, REVIEW, FRICTION)


@capacity_question.test(
    hint="Return one of the candidate thresholds (or np.inf when none fits), not a cost or an index."
)
def returns_a_candidate_threshold(best_threshold_within_capacity):
    """the result is one of the candidate thresholds"""
    result = _best(best_threshold_within_capacity, 1, 100.0)
    assert is_number(result) and (result in _THRESHOLDS or result == math.inf), (
        f"expected one of {_THRESHOLDS} (or np.inf), got {result!r}."
    )


@capacity_question.test(
    hint="Compute the cost of every candidate (reviews, friction, missed amounts) and keep the least."
)
def without_a_binding_capacity_it_is_the_least_cost_threshold(best_threshold_within_capacity):
    """with room for every alert, threshold 0.4 is the cheapest (cost 14)"""
    result = _best(best_threshold_within_capacity, 1, 100.0)
    assert result == 0.4, f"costs are 22 at 0.25, 14 at 0.4, 91 at 0.5 and 83 at 0.7: expected 0.4, got {result!r}."


@capacity_question.test(
    hint="Drop the thresholds whose alerts per day exceed the capacity, then take the cheapest left."
)
def a_binding_capacity_moves_the_threshold_up(best_threshold_within_capacity):
    """with 2 alerts a day over 1 day, only 0.5 and 0.7 fit, and 0.7 is cheaper"""
    result = _best(best_threshold_within_capacity, 1, 2.0)
    assert result == 0.7, (
        f"0.25 and 0.4 give 4 and 3 alerts, more than 2; of 0.5 (cost 91) and 0.7 (cost 83), expected 0.7, got {result!r}."
    )


@capacity_question.test(hint="When no candidate fits, the only decision left is to flag nothing: return np.inf.")
def when_nothing_fits_flag_nothing(best_threshold_within_capacity):
    """with half an alert a day over 1 day, no candidate fits: np.inf"""
    result = _best(best_threshold_within_capacity, 1, 0.5)
    assert result == math.inf, f"every candidate gives at least 1 alert in 1 day: expected np.inf, got {result!r}."


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


@tuned_question.test(hint="Use REVIEW_COST and FRICTION_COST: a false alarm costs both.")
def business_savings_of_a_false_alarm(business_savings):
    """a lone false alarm (fraud of 100 missed) saves -8"""
    y, pred, amounts = _arrays([0, 1], [1, 0], [20.0, 100.0])
    result = business_savings(y, pred, amount=amounts)
    assert is_number(result) and math.isclose(result, -8.0), (
        f"one false alarm costs a review (3) and friction (5) and misses nothing new: expected -8, got {result!r}."
    )


@tuned_question.test(
    hint='TunedThresholdClassifierCV(model, scoring=scorer, thresholds=candidate_thresholds, cv="prefit", refit=False), then .fit(X_val, y_val, amount=amount_val).'
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

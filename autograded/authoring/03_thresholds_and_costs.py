# Readable source of autograded/source/03_thresholds_and_costs/03_thresholds_and_costs.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/03_thresholds_and_costs.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/03_thresholds_and_costs.py.

# %% [markdown]
# # Thresholds, costs and investigation capacity
#
# A fraud model has scored three weeks of card payments. Your job is to turn those scores
# into decisions, in money: what a set of alerts costs, what it saves against flagging
# nothing, which threshold is cheapest within what the review team can handle, and how to
# let scikit-learn's `TunedThresholdClassifierCV` find the threshold with a scorer that uses
# each transaction's amount. Module 03 (`modules/03_thresholds_and_costs.ipynb`) covers all
# of it.
#
# The costs, as in the course (`course.metrics.CostModel`):
#
# - every **alert** is reviewed by an analyst and costs `REVIEW_COST`, whether it turns out to
#   be a fraud or not;
# - a **false alarm** (a genuine payment flagged) also costs `FRICTION_COST` (a blocked card,
#   an annoyed customer);
# - a **caught fraud** is stopped: it costs only its review;
# - a **missed fraud** costs its **amount**.
#
# A payment is flagged when `score >= threshold`. Answer in the cells marked
# `# YOUR CODE HERE` (replace `raise NotImplementedError()`), then run the check cell under
# each answer: `check("question-id")` tells you at once whether your answer passes the
# visible tests. When your work is graded, hidden tests check more. Each question is graded
# on its own: write each function without calling your answers to other questions.

# %% readonly id=03-setup
import numpy as np
import sklearn
from sklearn.metrics import make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

from course import check
from course.data import simulate_transactions
from course.models import fit_holdout

REVIEW_COST = 3.0  # euros per alert reviewed
FRICTION_COST = 5.0  # extra euros per false alarm
CAPACITY_PER_DAY = 3.0  # alerts the team can review per day

# A small bank, the same for everyone: a model trained on 30 days, then 21 days scored.
holdout = fit_holdout(
    simulate_transactions(500, 1000, 60, seed=3), kind="logreg", train_days=30, gap_days=7, test_days=21
)
model = holdout.model  # fitted: model.predict_proba(X_val)[:, 1] == score_val
X_val, y_val = holdout.X_test, holdout.y_test
score_val, amount_val = holdout.scores, holdout.test["amount"].to_numpy()
N_DAYS = holdout.test["day"].nunique()
candidate_thresholds = np.round(np.linspace(0.01, 0.99, 99), 2)
print(
    f"{len(y_val):,} payments over {N_DAYS} days, {int(y_val.sum())} frauds worth EUR "
    f"{amount_val[y_val == 1].sum():,.0f}."
)

# %% [markdown]
# ## Question 1: the expected cost of a set of decisions (2 points)
#
# Write `expected_cost(y_true, y_pred, amounts, review_cost, friction_cost)`: the total cost,
# in euros, of the decisions `y_pred` (1 = alert, 0 = let through) on payments whose labels are
# `y_true` (1 = fraud) and whose amounts are `amounts`. Inputs are NumPy arrays of the same
# length. Return one number.


# %% answer id=03-cost-answer
def expected_cost(y_true, y_pred, amounts, review_cost, friction_cost):
    ### BEGIN SOLUTION
    y_true, y_pred, amounts = np.asarray(y_true), np.asarray(y_pred), np.asarray(amounts, dtype=float)
    alerts = int((y_pred == 1).sum())
    false_alarms = int(((y_pred == 1) & (y_true == 0)).sum())
    missed = float(amounts[(y_pred == 0) & (y_true == 1)].sum())
    return review_cost * alerts + friction_cost * false_alarms + missed
    ### END SOLUTION


expected_cost(y_val, (score_val >= 0.5).astype(int), amount_val, REVIEW_COST, FRICTION_COST)

# %% tests id=03-cost-tests points=2
check("03-cost")
### BEGIN HIDDEN TESTS
from course.metrics import CostModel as _CostModel
from course.metrics import ThresholdSweep as _Sweep

_model = _CostModel(review_cost=REVIEW_COST, friction_cost=FRICTION_COST)
# a caught fraud still pays its review: 2 alerts (1 fraud, 1 genuine) -> 2 * 3 + 5, plus the missed 40
assert (
    abs(expected_cost(np.array([1, 0, 1, 0]), np.array([1, 1, 0, 0]), np.array([70.0, 10, 40, 5]), 3.0, 5.0) - 51.0)
    < 1e-9
)
_expected = _Sweep(y_val, score_val, amounts=amount_val).at(0.2, cost_model=_model).expected_cost
assert (
    abs(expected_cost(y_val, (score_val >= 0.2).astype(int), amount_val, REVIEW_COST, FRICTION_COST) - _expected) < 1e-6
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: savings against flagging nothing (1 point)
#
# Flagging nothing is the reference: no review, no friction, every fraud lost. Write
# `savings(y_true, y_pred, amounts, review_cost, friction_cost)`: the cost of flagging
# nothing minus the expected cost of the decisions `y_pred` (positive when the alerts pay
# for themselves). Compute both costs inside this function.


# %% answer id=03-savings-answer
def savings(y_true, y_pred, amounts, review_cost, friction_cost):
    ### BEGIN SOLUTION
    y_true, y_pred, amounts = np.asarray(y_true), np.asarray(y_pred), np.asarray(amounts, dtype=float)
    flag_nothing = float(amounts[y_true == 1].sum())
    alerts = int((y_pred == 1).sum())
    false_alarms = int(((y_pred == 1) & (y_true == 0)).sum())
    missed = float(amounts[(y_pred == 0) & (y_true == 1)].sum())
    return flag_nothing - (review_cost * alerts + friction_cost * false_alarms + missed)
    ### END SOLUTION


savings(y_val, (score_val >= 0.5).astype(int), amount_val, REVIEW_COST, FRICTION_COST)

# %% tests id=03-savings-tests points=1
check("03-savings")
### BEGIN HIDDEN TESTS
from course.metrics import CostModel as _CostModel
from course.metrics import ThresholdSweep as _Sweep

# one fraud of 70 caught, one false alarm, one fraud of 40 missed: 110 - (2 * 3 + 5 + 40) = 59
assert abs(savings(np.array([1, 0, 1, 0]), np.array([1, 1, 0, 0]), np.array([70.0, 10, 40, 5]), 3.0, 5.0) - 59.0) < 1e-9
_model = _CostModel(review_cost=REVIEW_COST, friction_cost=FRICTION_COST)
_expected = _Sweep(y_val, score_val, amounts=amount_val).at(0.1, cost_model=_model).savings
assert abs(savings(y_val, (score_val >= 0.1).astype(int), amount_val, REVIEW_COST, FRICTION_COST) - _expected) < 1e-6
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: the least-cost threshold within the team's capacity (3 points)
#
# The team reviews at most `capacity_per_day` alerts per day; over a period of `n_days` days,
# a threshold fits when its alerts **per day** (alerts / `n_days`) are at most
# `capacity_per_day`.
#
# Write `best_threshold_within_capacity(y_true, scores, amounts, thresholds, n_days,
# capacity_per_day, review_cost, friction_cost)`: among the candidate `thresholds` that fit,
# the one of least expected cost (flag `scores >= threshold`). When several fit with the same
# least cost, return the highest of them (the same money with fewer alerts); when none fits,
# return `np.inf` (flag nothing).


# %% answer id=03-capacity-answer
def best_threshold_within_capacity(
    y_true, scores, amounts, thresholds, n_days, capacity_per_day, review_cost, friction_cost
):
    ### BEGIN SOLUTION
    y_true, scores, amounts = np.asarray(y_true), np.asarray(scores), np.asarray(amounts, dtype=float)
    best, best_cost = np.inf, np.inf
    for threshold in np.sort(np.asarray(thresholds, dtype=float)):
        flagged = scores >= threshold
        alerts = int(flagged.sum())
        if alerts / n_days > capacity_per_day:
            continue
        false_alarms = int((flagged & (y_true == 0)).sum())
        missed = float(amounts[~flagged & (y_true == 1)].sum())
        cost = review_cost * alerts + friction_cost * false_alarms + missed
        if cost <= best_cost:  # ascending thresholds: "<=" keeps the highest of equal costs
            best, best_cost = float(threshold), cost
    return best
    ### END SOLUTION


chosen_threshold = best_threshold_within_capacity(
    y_val, score_val, amount_val, candidate_thresholds, N_DAYS, CAPACITY_PER_DAY, REVIEW_COST, FRICTION_COST
)
print(
    f"Least-cost threshold within {CAPACITY_PER_DAY:g} alerts per day: {chosen_threshold}, "
    f"{(score_val >= chosen_threshold).sum() / N_DAYS:.2f} alerts per day."
)

# %% tests id=03-capacity-tests points=3
check("03-capacity")
### BEGIN HIDDEN TESTS
import pandas as _pd

from course.metrics import CostModel as _CostModel
from course.metrics import ThresholdSweep as _Sweep

# ties: two payments scored exactly 0.5 are flagged at threshold 0.5 (">="), which then costs
# 2 * 3 + 5 = 11 and is cheaper than 0.6 (the fraud of 100 missed) or 0.2 (two more false alarms)
_y, _s = np.array([1, 0, 0, 0]), np.array([0.5, 0.5, 0.3, 0.2])
assert best_threshold_within_capacity(_y, _s, np.array([100.0, 5, 5, 5]), [0.2, 0.5, 0.6], 1, 10, 3.0, 5.0) == 0.5
# equal costs: 0.5 and 0.6 flag the same payment, so return the higher one (same money, same alerts)
assert (
    best_threshold_within_capacity(
        np.array([1, 0]), np.array([0.9, 0.1]), np.array([100.0, 5]), [0.5, 0.6], 1, 10, 3.0, 5.0
    )
    == 0.6
)
# a caught fraud pays its review: flagging a fraud of 2 costs 3, missing it costs 2
assert (
    best_threshold_within_capacity(
        np.array([1, 0]), np.array([0.8, 0.1]), np.array([2.0, 5]), [0.5, 0.9], 1, 10, 3.0, 5.0
    )
    == 0.9
)
# capacity is per DAY: 7 days at 1 alert per day allow 7 alerts in the period
_rng = np.random.default_rng(0)
_y = (_rng.random(400) < 0.1).astype(int)
_s = np.round(np.clip(0.5 * _rng.random(400) + 0.5 * _y * _rng.random(400), 0, 1), 3)
_a = _rng.gamma(2.0, 50.0, 400)
_days = _pd.Timestamp("2024-01-01") + _pd.to_timedelta(np.repeat(np.arange(7), 58)[:400], unit="D")
_grid = np.round(np.linspace(0.05, 0.95, 91), 2)
for _capacity in (1.0, 4.0):
    _sweep = _Sweep(_y, _s, amounts=_a, timestamps=_days)
    _model = _CostModel(review_cost=3.0, friction_cost=5.0, capacity_per_day=_capacity)
    _costs = _sweep.at(_grid, cost_model=_model, zero_division=0.0)
    _fit = _costs[_costs["within_capacity"]]
    _best = _fit.loc[_fit["expected_cost"] <= _fit["expected_cost"].min() + 1e-9, "threshold"].max()
    assert best_threshold_within_capacity(_y, _s, _a, _grid, 7, _capacity, 3.0, 5.0) == _best
# the assignment's data, against the course's exact search restricted to the candidates
_model = _CostModel(review_cost=REVIEW_COST, friction_cost=FRICTION_COST, capacity_per_day=CAPACITY_PER_DAY)
_costs = _Sweep(y_val, score_val, amounts=amount_val, timestamps=holdout.test["timestamp"]).at(
    candidate_thresholds, cost_model=_model, zero_division=0.0
)
_fit = _costs[_costs["within_capacity"]]
_best = _fit.loc[_fit["expected_cost"] <= _fit["expected_cost"].min() + 1e-6, "threshold"].max()
assert (
    best_threshold_within_capacity(
        y_val, score_val, amount_val, candidate_thresholds, N_DAYS, CAPACITY_PER_DAY, REVIEW_COST, FRICTION_COST
    )
    == _best
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: let scikit-learn tune the threshold, in money (3 points)
#
# `TunedThresholdClassifierCV` tries thresholds and keeps the one with the best score. Give
# it the bank's score:
#
# 1. Write `business_savings(y_true, y_pred, amount)`: the savings (question 2) with
#    `REVIEW_COST` and `FRICTION_COST`, where `amount` holds each transaction's amount.
# 2. Build a scorer with `make_scorer(business_savings)` and ask for the amounts with
#    `.set_score_request(amount=True)`: they are not model inputs, they travel as metadata.
# 3. Store in `tuned` a `TunedThresholdClassifierCV` of the already-fitted `model` with that
#    scorer, `thresholds=candidate_thresholds`, `cv="prefit"` and `refit=False`, fitted on
#    `X_val, y_val` with `amount=amount_val`.
#
# Metadata routing must be on while you build the scorer and fit: do both inside a
# `sklearn.config_context(enable_metadata_routing=True)` block.


# %% answer id=03-tuned-answer
### BEGIN SOLUTION
def business_savings(y_true, y_pred, amount):
    y_true, y_pred, amount = np.asarray(y_true), np.asarray(y_pred), np.asarray(amount, dtype=float)
    alerts = int((y_pred == 1).sum())
    false_alarms = int(((y_pred == 1) & (y_true == 0)).sum())
    missed = float(amount[(y_pred == 0) & (y_true == 1)].sum())
    flag_nothing = float(amount[y_true == 1].sum())
    return flag_nothing - (REVIEW_COST * alerts + FRICTION_COST * false_alarms + missed)


with sklearn.config_context(enable_metadata_routing=True):
    scorer = make_scorer(business_savings).set_score_request(amount=True)
    tuned = TunedThresholdClassifierCV(model, scoring=scorer, thresholds=candidate_thresholds, cv="prefit", refit=False)
    tuned.fit(X_val, y_val, amount=amount_val)
### END SOLUTION
print(f"Tuned threshold: {tuned.best_threshold_:.2f}, savings EUR {tuned.best_score_:,.0f}")

# %% tests id=03-tuned-tests points=3
check("03-tuned")
### BEGIN HIDDEN TESTS
from course.metrics import CostModel as _CostModel
from course.metrics import ThresholdSweep as _Sweep

# a caught fraud pays its review: 110 - (2 * 3 + 5 + 40) = 59
assert (
    abs(business_savings(np.array([1, 0, 1, 0]), np.array([1, 1, 0, 0]), amount=np.array([70.0, 10, 40, 5])) - 59.0)
    < 1e-9
)
_model = _CostModel(review_cost=REVIEW_COST, friction_cost=FRICTION_COST)
_curve = _Sweep(y_val, score_val, amounts=amount_val).at(candidate_thresholds, cost_model=_model, zero_division=0.0)
_mine = (
    _Sweep(y_val, score_val, amounts=amount_val)
    .at(float(tuned.best_threshold_), cost_model=_model, zero_division=0.0)
    .savings
)
assert _mine >= _curve["savings"].max() - 1e-6
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: explain your threshold to the fraud-operations lead (2 points, graded by hand)
#
# The head of fraud operations asks: "Why this threshold, and not one that catches more
# fraud?" In three or four sentences, explain your `chosen_threshold` (question 3): what it
# costs and saves, how many alerts a day it sends the team, what it lets through, and what
# you will watch after launch. Use the numbers your cells printed.

# %% manual id=03-explain-threshold points=2
# The threshold is the cheapest one the team can actually work: it sends at most
# `CAPACITY_PER_DAY` alerts a day, and among the thresholds that fit it has the least expected
# cost (reviews, friction on false alarms, and the amounts of the frauds it misses). A lower
# threshold would catch more fraud on paper, but it would send more alerts than the analysts can
# review, and each extra alert also costs a review and often a genuine customer's friction; the
# least-cost threshold without the limit (and the money it would add) is the case for more
# analysts. It still lets through the frauds scored below it, mostly small amounts. After launch
# I would watch alerts per day (at once), the precision of the reviewed alerts (within days), and
# the fraud rate and savings when chargebacks arrive, and re-tune when the fraud rate moves.

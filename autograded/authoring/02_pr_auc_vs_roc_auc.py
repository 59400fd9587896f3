# Readable source of autograded/source/02_pr_auc_vs_roc_auc/02_pr_auc_vs_roc_auc.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/02_pr_auc_vs_roc_auc.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/02_pr_auc_vs_roc_auc.py.

# %% [markdown]
# # PR-AUC vs ROC-AUC, and the alert budget
#
# Four weeks of card payments at a small bank, scored by two fraud models. The fraud team
# reviews a fixed number of cards a day, `BUDGET`. A vendor says its model, A, is the better
# one: its ROC-AUC is higher. Your job: measure what the team would actually find with each
# model, and decide which one to ship. Module 02 (`modules/02_pr_auc_vs_roc_auc.ipynb`)
# covers all of it.
#
# The columns of `df`: the `day` of the payment, the card (`customer_id`), the `amount`,
# `is_fraud` (1 = fraud) and the two models' scores, `score_a` and `score_b` (higher = more
# suspicious). Answer in the cells marked `# YOUR CODE HERE` (replace
# `raise NotImplementedError()`), then run the check cell under each answer:
# `check("question-id")` tells you at once whether your answer passes the visible tests.
# When your work is graded, hidden tests check more. Each question is graded on its own:
# do not call your answer to one question from another.

# %% readonly id=02-setup
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from course import check, metrics
from course.data import simulate_transactions

BUDGET = 3  # cards the fraud team reviews per day

# Four weeks of a small bank (after the simulator's four-week warm-up), the same for everyone.
df = simulate_transactions(500, 1000, 56, seed=11)
df = df.loc[df["day"] >= 28, ["day", "customer_id", "amount", "is_fraud"]].reset_index(drop=True)
y = df["is_fraud"].to_numpy()

# The two models' scores, made here so that everyone has the same ones. Model A: a vendor's
# probability, rounded to 3 decimals. Model B: the bank's rule points, a whole number from 0 to 20.
_rng = np.random.default_rng(2)
df["score_a"] = np.round(1 / (1 + np.exp(4 - _rng.normal(size=len(df)) - 2.3 * y)), 3)
_sure = (y == 1) & (_rng.random(len(df)) < 0.5)
df["score_b"] = np.where(
    _sure, _rng.integers(12, 21, len(df)), np.clip(np.round(_rng.gamma(2.0, 1.5, len(df))), 0, 12)
).astype(int)
print(
    f"{len(df):,} payments over {df['day'].nunique()} days, {int(y.sum())} frauds "
    f"(prevalence {y.mean():.3%}), {df['customer_id'].nunique()} cards."
)
df.head()

# %% [markdown]
# ## Question 1: precision@k with a tie rule (2 points)
#
# Write `precision_at_k(y_true, scores, k)`: the share of frauds among the `k` transactions
# with the highest scores. `y_true` and `scores` are arrays of the same length.
#
# **Tie rule.** Scores are often tied (model B gives whole points). When several transactions
# share the k-th highest score, taking "the first ones" would depend on the order of the rows.
# Instead, the places left in the top k are shared among the tied transactions in proportion:
# with `n_above` transactions strictly above the k-th score and `n_tied` at it, each tied
# transaction counts `(k - n_above) / n_tied` of a review (the expected value of a random
# tie break).
#
# **k out of range.** Raise a `ValueError` when `k` is below 1 or larger than the number of
# transactions: there are not k transactions to review.


# %% answer id=02-precision-at-k-answer
def precision_at_k(y_true, scores, k):
    ### BEGIN SOLUTION
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    if not 1 <= k <= len(scores):
        raise ValueError(f"k must be between 1 and {len(scores)}, got {k}.")
    kth = np.sort(scores)[::-1][k - 1]
    above, tied = scores > kth, scores == kth
    frauds = y_true[above].sum() + (k - above.sum()) * y_true[tied].sum() / tied.sum()
    return float(frauds / k)
    ### END SOLUTION


precision_at_k(y, df["score_b"], 20)

# %% tests id=02-precision-at-k-tests points=2
check("02-precision-at-k")
### BEGIN HIDDEN TESTS
_rows = np.array([1, 0, 0, 0, 1]), np.array([0.5, 0.9, 0.5, 0.5, 0.1])
assert abs(precision_at_k(*_rows, 2) - (1 / 3) / 2) < 1e-12  # the tied fraud comes first here
assert abs(precision_at_k(*_rows, 5) - 0.4) < 1e-12
for _k in (6, 0):
    try:
        precision_at_k(*_rows, _k)
    except ValueError:
        pass
    else:
        raise AssertionError(f"k={_k} should raise a ValueError")
for _k in (1, 7, 20, 150):
    assert abs(precision_at_k(y, df["score_b"].to_numpy(), _k) - metrics.precision_at_k(y, df["score_b"], _k)) < 1e-9
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: card precision@k for one day (2 points)
#
# An analyst reviews a **card**, not a payment: one call to the cardholder covers all the card's
# payments of the day. Write `card_precision_one_day(cards, y_true, scores, k)` for the
# transactions of **one day**:
#
# - group the transactions by card: a card's score is the **highest** score of its
#   transactions, and a card is a fraud case if **any** of its transactions is a fraud;
# - return the share of fraud cards among the `k` cards with the highest scores, ties shared
#   in proportion as in question 1.
#
# You may assume that `k` is at most the number of cards. The course's
# `metrics.precision_at_k(y_true, scores, k)` (imported in the setup) follows the rule of
# question 1: you may use it on the cards.


# %% answer id=02-card-precision-answer
def card_precision_one_day(cards, y_true, scores, k):
    ### BEGIN SOLUTION
    day = pd.DataFrame({"card": np.asarray(cards), "fraud": np.asarray(y_true), "score": np.asarray(scores)})
    per_card = day.groupby("card").agg(fraud=("fraud", "max"), score=("score", "max"))
    return metrics.precision_at_k(per_card["fraud"], per_card["score"], k)
    ### END SOLUTION


_day = df[df["day"] == 40]
card_precision_one_day(_day["customer_id"], _day["is_fraud"], _day["score_b"], BUDGET)

# %% tests id=02-card-precision-tests points=2
check("02-card-precision")
### BEGIN HIDDEN TESTS
_cards = np.array(["a", "a", "b"])
assert abs(card_precision_one_day(_cards, np.array([1, 0, 0]), np.array([0.9, 0.1, 0.6]), 1) - 1.0) < 1e-12
assert abs(card_precision_one_day(_cards, np.array([0, 1, 0]), np.array([0.9, 0.2, 0.5]), 1) - 1.0) < 1e-12
assert (
    abs(card_precision_one_day(np.array(["b", "c", "a"]), np.array([0, 0, 1]), np.array([0.5, 0.5, 0.5]), 1) - 1 / 3)
    < 1e-12
)
for _d in (30, 41, 55):
    _one = df[df["day"] == _d]
    _expected = metrics.card_precision_at_k(
        _one["is_fraud"], _one["score_b"], card_ids=_one["customer_id"], days=_one["day"], k=BUDGET
    )
    assert (
        abs(
            card_precision_one_day(
                _one["customer_id"].to_numpy(), _one["is_fraud"].to_numpy(), _one["score_b"].to_numpy(), BUDGET
            )
            - _expected
        )
        < 1e-9
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: the no-skill average precision (1 point)
#
# A model with no skill at all (a constant score, or random scores) still gets some average
# precision. Write `no_skill_average_precision(y_true)`: the average precision such a model
# gets on the labels `y_true`, as a number between 0 and 1. (For ROC-AUC the answer would be 0.5
# whatever the labels; for average precision it is not.)


# %% answer id=02-no-skill-answer
def no_skill_average_precision(y_true):
    ### BEGIN SOLUTION
    return float(np.mean(y_true))
    ### END SOLUTION


no_skill_average_precision(y)

# %% tests id=02-no-skill-tests points=1
check("02-no-skill-ap")
### BEGIN HIDDEN TESTS
assert abs(no_skill_average_precision(np.array([1, 0, 0, 0, 0])) - 0.2) < 1e-12
assert abs(no_skill_average_precision(y) - average_precision_score(y, np.zeros(len(y)))) < 1e-9
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: average precision of each model (1 point)
#
# Store in `average_precision_a` and `average_precision_b` the average precision of models A
# and B over the four weeks (all of `df`). "PR-AUC" is ambiguous: report average precision,
# not the trapezoid area under the precision-recall curve, whose straight lines credit precision
# no threshold delivers.

# %% answer id=02-average-precision-answer
### BEGIN SOLUTION
average_precision_a = average_precision_score(y, df["score_a"])
average_precision_b = average_precision_score(y, df["score_b"])
### END SOLUTION
average_precision_a, average_precision_b

# %% tests id=02-average-precision-tests points=1
check("02-average-precision")
### BEGIN HIDDEN TESTS
assert abs(average_precision_a - average_precision_score(y, df["score_a"])) < 1e-9
assert abs(average_precision_b - average_precision_score(y, df["score_b"])) < 1e-9
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: which model to ship under the alert budget (2 points)
#
# The vendor's pitch, computed:

# %% readonly id=02-vendor-pitch
print(f"ROC-AUC: model A {roc_auc_score(y, df['score_a']):.3f}, model B {roc_auc_score(y, df['score_b']):.3f}")

# %% [markdown]
# The team reviews `BUDGET` cards a day. Store in `card_precision_a` and `card_precision_b`
# the daily card precision@`BUDGET` of each model, averaged over the days of `df`: use the
# course's `metrics.card_precision_at_k(y_true, scores, card_ids=card_ids, days=days, k=k)`, which applies the
# rules of question 2 to each day and averages. Then set `ship` to `"A"` or `"B"`: the model
# that gives the team more fraud cards among the cards it reviews.

# %% answer id=02-ship-answer
### BEGIN SOLUTION
card_precision_a = metrics.card_precision_at_k(y, df["score_a"], card_ids=df["customer_id"], days=df["day"], k=BUDGET)
card_precision_b = metrics.card_precision_at_k(y, df["score_b"], card_ids=df["customer_id"], days=df["day"], k=BUDGET)
ship = "A" if card_precision_a > card_precision_b else "B"
### END SOLUTION
card_precision_a, card_precision_b, ship

# %% tests id=02-ship-tests points=2
check("02-ship")
### BEGIN HIDDEN TESTS
for _model, _value in (("a", card_precision_a), ("b", card_precision_b)):
    _expected = metrics.card_precision_at_k(
        y, df[f"score_{_model}"], card_ids=df["customer_id"], days=df["day"], k=BUDGET
    )
    assert abs(_value - _expected) < 1e-9
assert ship == "B"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6: explain your choice to the head of fraud operations (2 points, graded by hand)
#
# The vendor insists: "Model A has the higher ROC-AUC, so it is the better model." In two or
# three sentences, tell the head of fraud operations which model you ship and why, using your
# numbers (card precision@`BUDGET`, average precision and its no-skill level).

# %% manual id=02-why-ship points=2
# Ship model B. ROC-AUC averages the ranking over every false-positive rate, most of which the
# team never works at, and with fraud this rare it hides the false alerts in front of each fraud.
# At the team's budget of `BUDGET` cards a day, model B puts more fraud cards in front of the
# analysts (`card_precision_b` against `card_precision_a`), and its average precision
# (`average_precision_b` against `average_precision_a`) is also higher; both are far above the
# no-skill level, the prevalence. Model A is better only at ranking the bulk of payments that no
# one reviews.

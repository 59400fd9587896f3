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
# covers the ideas; questions 1 and 2 ask for variants its functions do not compute, so write
# them from the definitions (NumPy, pandas and scikit-learn are yours to use).
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
from course.grading.expect import Expect

_expect = Expect()  # the hidden tests' comparisons, captured before any learner code runs

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
# ## Question 1: the fraud money in the top k, with a tie rule (2 points)
#
# The team reviews the `k` transactions with the highest scores and stops the frauds among
# them. Write `fraud_amount_in_top_k(y_true, scores, amounts, k)`: the fraud **amount**, in
# euros, that these `k` reviews find. `y_true` (1 = fraud), `scores` and `amounts` have the
# same length; they may be NumPy arrays or pandas Series (with any index).
#
# **Tie rule.** Scores are often tied (model B gives whole points). When several transactions
# share the k-th highest score, taking "the first ones" would depend on the order of the rows.
# Instead, the places left in the top k are shared among the tied transactions in proportion:
# with `n_above` transactions strictly above the k-th score and `n_tied` at it, each tied
# transaction counts `(k - n_above) / n_tied` of a review, and so does its amount (the
# expected value of a random tie break). Module 02's precision@k uses the same rule.
#
# **k out of range.** Raise a `ValueError` when `k` is below 1 or larger than the number of
# transactions: there are not k transactions to review.


# %% answer id=02-precision-at-k-answer
def fraud_amount_in_top_k(y_true, scores, amounts, k):
    ### BEGIN SOLUTION
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    amounts = np.asarray(amounts, dtype=float)
    if not 1 <= k <= len(scores):
        raise ValueError(f"k must be between 1 and {len(scores)}, got {k}.")
    kth = np.sort(scores)[::-1][k - 1]  # np.asarray above: positions, whatever a Series' index
    above, tied = scores > kth, scores == kth
    fraud_money = np.where(y_true == 1, amounts, 0.0)  # a genuine payment finds no fraud money
    # everything above the k-th score is reviewed; the places left are shared among the tied
    return float(fraud_money[above].sum() + (k - above.sum()) * fraud_money[tied].sum() / tied.sum())
    ### END SOLUTION


fraud_amount_in_top_k(y, df["score_b"], df["amount"], 20)

# %% tests id=02-precision-at-k-tests points=2
check("02-precision-at-k")
### BEGIN HIDDEN TESTS
# by hand: a fraud of 90 is tied at 0.5 with two genuine payments, a fraud of 30 comes last;
# k = 2 leaves one place for the three tied: 90 / 3 = 30, whatever the row order
_y, _s, _a = np.array([1, 0, 0, 0, 1]), np.array([0.5, 0.9, 0.5, 0.5, 0.1]), np.array([90.0, 10, 20, 30, 30])
_expect.close(fraud_amount_in_top_k(_y, _s, _a, 2), 30.0, atol=1e-9, what="fraud money in the top 2 (ties)")
_expect.close(fraud_amount_in_top_k(_y, _s, _a, 5), 120.0, atol=1e-9, what="fraud money in the top 5 (all)")
for _k in (6, 0):
    try:
        fraud_amount_in_top_k(_y, _s, _a, _k)
        _raised = False
    except ValueError:
        _raised = True
    _expect.true(_raised, what=f"k={_k} raises a ValueError")
# the four weeks, computed once with the rule above: model B's whole points tie 5 frauds at 20
# (k = 1), 10 frauds at 19 (k = 7) and 99 payments at 12 (k = 150); model A's 3 decimals do not
# tie at k = 20. At k = 7, row order gives 2577.73 and the ties counted in full 3716.00.
for _scores, _k, _expected in (
    ("score_b", 1, 365.85599999999994),
    ("score_b", 7, 2206.624),
    ("score_b", 150, 12527.369999999999),
    ("score_a", 20, 1932.5300000000002),
):
    _expect.close(
        fraud_amount_in_top_k(y.copy(), df[_scores].to_numpy(), df["amount"].to_numpy(), _k),
        _expected,
        atol=1e-6,
        what=f"fraud money in the top {_k} of {_scores}",
    )
# pandas Series with their own index: the last ten days, in reverse row order
_late = df[df["day"] >= 46].iloc[::-1]
_expect.close(
    fraud_amount_in_top_k(_late["is_fraud"], _late["score_b"], _late["amount"], 30),
    5178.562051282051,
    atol=1e-6,
    what="fraud money in the top 30 of the last ten days (pandas Series)",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: card precision@k for one day, without the cards already blocked (2 points)
#
# An analyst reviews a **card**, not a payment: one call to the cardholder covers all the card's
# payments of the day. And a card found fraudulent on an earlier day is blocked already: the
# team does not review it again (the Fraud Detection Handbook's card precision removes these
# cards before ranking a day). Write `card_precision_one_day(cards, y_true, scores, k, blocked)`
# for the transactions of **one day**:
#
# - leave out the payments of the cards in `blocked` (a list or a set of card ids, maybe empty);
# - group the other transactions by card: a card's score is the **highest** score of its
#   transactions, and a card is a fraud case if **any** of its transactions is a fraud;
# - return the share of fraud cards among the `k` cards with the highest scores, ties shared
#   in proportion as in question 1.
#
# You may assume that `k` is at most the number of cards left. You may use the course's
# `metrics.precision_at_k(y_true, scores, k)` (imported in the setup), which follows the tie
# rule of question 1.


# %% answer id=02-card-precision-answer
def card_precision_one_day(cards, y_true, scores, k, blocked):
    ### BEGIN SOLUTION
    day = pd.DataFrame({"card": np.asarray(cards), "fraud": np.asarray(y_true), "score": np.asarray(scores)})
    day = day[~day["card"].isin(list(blocked))]  # blocked cards leave before ranking
    # one row per card: its highest score, and fraud if any of its payments is
    per_card = day.groupby("card").agg(fraud=("fraud", "max"), score=("score", "max"))
    return metrics.precision_at_k(per_card["fraud"], per_card["score"], k)
    ### END SOLUTION


_day = df[df["day"] == 41]
_fraud_cards_before = set(df.loc[(df["day"] < 41) & (df["is_fraud"] == 1), "customer_id"])
card_precision_one_day(_day["customer_id"], _day["is_fraud"], _day["score_b"], BUDGET, _fraud_cards_before)

# %% tests id=02-card-precision-tests points=2
check("02-card-precision")
### BEGIN HIDDEN TESTS
# by hand: card a (blocked, a fraud, 0.9) leaves; c (a fraud in its second payment, max 0.8),
# b (0.7) and d (0.1) remain: the top 2 are c and b, one fraud in two. Dropping a after ranking
# reviews b alone (0 of 2); labelling c by its top payment makes c genuine.
_cards = np.array(["a", "b", "c", "c", "d"])
_args = (_cards, np.array([1, 0, 0, 1, 0]), np.array([0.9, 0.7, 0.8, 0.2, 0.1]))
_expect.close(card_precision_one_day(*_args, 2, ["a"]), 0.5, atol=1e-12, what="top 2 cards once a is blocked")
_expect.close(card_precision_one_day(*_args, 1, {"a"}), 1.0, atol=1e-12, what="top card once a is blocked")
_expect.close(card_precision_one_day(*_args, 3, set()), 2 / 3, atol=1e-12, what="top 3 cards, none blocked")
# three cards tied at 0.5, the fraud card last in the rows: one place, 1/3 of a fraud
_expect.close(
    card_precision_one_day(np.array(["b", "c", "a"]), np.array([0, 0, 1]), np.array([0.5, 0.5, 0.5]), 1, []),
    1 / 3,
    atol=1e-12,
    what="one place for three tied cards",
)
# the four weeks, computed once: days 30, 34 and 51 at BUDGET cards with model B, blocking the
# cards that had a fraud on an earlier day of df, then blocking nothing
for _d, _expected_blocked, _expected_none in (
    (30, 0.3333333333333333, 0.6666666666666666),
    (34, 0.5555555555555555, 0.7777777777777778),
    (51, 0.4666666666666666, 0.4444444444444444),
):
    _one = df[df["day"] == _d]
    _earlier = set(df.loc[(df["day"] < _d) & (df["is_fraud"] == 1), "customer_id"])
    _columns = (_one["customer_id"].to_numpy(), _one["is_fraud"].to_numpy(), _one["score_b"].to_numpy())
    _got = card_precision_one_day(*_columns, BUDGET, _earlier)
    _expect.close(_got, _expected_blocked, atol=1e-9, what=f"day {_d}, earlier fraud cards blocked")
    _got = card_precision_one_day(*_columns, BUDGET, [])
    _expect.close(_got, _expected_none, atol=1e-9, what=f"day {_d}, nothing blocked")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: the average precision of a constant score (1 point)
#
# A model with no skill at all that gives **every** transaction the same score still gets some
# average precision. Write `no_skill_average_precision(y_true)`: the average precision of such a
# constant score on the labels `y_true`, as a number between 0 and 1. (For ROC-AUC the answer
# would be 0.5 whatever the labels; for average precision it is not. Random scores are another
# kind of no skill: when frauds are few, their *expected* average precision lies above the
# constant score's, as module 02 shows. The question here is the constant score.)


# %% answer id=02-no-skill-answer
def no_skill_average_precision(y_true):
    ### BEGIN SOLUTION
    # one threshold flags every transaction at once: precision = the share of frauds, recall 1
    return float(np.mean(y_true))
    ### END SOLUTION


no_skill_average_precision(y)

# %% tests id=02-no-skill-tests points=1
check("02-no-skill-ap")
### BEGIN HIDDEN TESTS
# one threshold takes every transaction: precision = the share of frauds, at recall 1
_expect.close(no_skill_average_precision(np.array([1, 0, 0, 0, 0])), 0.2, atol=1e-12, what="1 fraud in 5")
_expect.close(no_skill_average_precision(np.array([0, 0, 1])), 1 / 3, atol=1e-12, what="1 fraud in 3")
# the four weeks: 82 frauds among 27,037 payments
_expect.close(no_skill_average_precision(y.copy()), 82 / 27037, atol=1e-12, what="constant-score AP of df")
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
# scikit-learn's average_precision_score of each model on the four weeks, computed once; the
# trapezoid areas, ROC-AUC or the AP of the genuine class differ by far more than 1e-9
_expect.close(average_precision_a, 0.24146233821255425, atol=1e-9, what="average_precision_a")
_expect.close(average_precision_b, 0.49780212114532946, atol=1e-9, what="average_precision_b")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: which model to ship under the alert budget (2 points)
#
# The vendor's pitch, computed:

# %% readonly id=02-vendor-pitch
print(f"ROC-AUC: model A {roc_auc_score(y, df['score_a']):.3f}, model B {roc_auc_score(y, df['score_b']):.3f}")

# %% [markdown]
# The team reviews `BUDGET` cards a day. Store in `card_precision_a` and `card_precision_b`
# the daily card precision@`BUDGET` of each model, averaged over the days of `df`, with the
# Fraud Detection Handbook's rule: each day, the cards found fraudulent among the cards
# reviewed on an earlier day are left out before ranking (question 2, day after day). The
# course's `metrics.card_precision_at_k(y_true, scores, card_ids=card_ids, days=days, k=k)`
# computes it (the removal is its default). Then set `ship` to `"A"` or `"B"`: the model that
# gives the team more fraud cards among the cards it reviews.


# %% answer id=02-ship-answer
### BEGIN SOLUTION
def _handbook_card_precision(scores):
    # what metrics.card_precision_at_k computes by default, written out: day by day, the cards
    # found fraudulent among those reviewed on earlier days are left out before ranking
    found, daily = set(), []
    for _, one in df.assign(score=scores).groupby("day"):
        one = one[~one["customer_id"].isin(list(found))]
        per_card = one.groupby("customer_id").agg(fraud=("is_fraud", "max"), score=("score", "max"))
        kth = per_card["score"].nlargest(BUDGET).iloc[-1]
        above, tied = per_card["score"] > kth, per_card["score"] == kth
        share = (BUDGET - above.sum()) / tied.sum()
        daily.append((per_card["fraud"][above].sum() + share * per_card["fraud"][tied].sum()) / BUDGET)
        found |= set(per_card.index[above & (per_card["fraud"] == 1)])
    return float(np.mean(daily))


card_precision_a = _handbook_card_precision(df["score_a"])
card_precision_b = _handbook_card_precision(df["score_b"])
ship = "A" if card_precision_a > card_precision_b else "B"
### END SOLUTION
card_precision_a, card_precision_b, ship

# %% tests id=02-ship-tests points=2
check("02-ship")
### BEGIN HIDDEN TESTS
# the Handbook's card precision@3 of each model on the four weeks, computed once; the same
# whether a fraud card tied at the 3rd place counts as found or not. Without the removal:
# A 0.250, B 0.420; transaction precision@3 per day: A 0.262, B 0.471 (all far outside 1e-9)
_expect.close(card_precision_a, 0.17857142857142855, atol=1e-9, what="card_precision_a")
_expect.close(card_precision_b, 0.2626984126984127, atol=1e-9, what="card_precision_b")
_expect.equal(ship, "B", what="ship")
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

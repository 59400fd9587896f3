# Readable source of autograded/source/07_drift/07_drift.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/07_drift.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/07_drift.py.

# %% [markdown]
# # Drift: monitors without labels, estimates from probabilities, a retraining policy in money
#
# A fraud model has been live for weeks. The fraud reports that would say how it is doing
# arrive late, so the bank watches what it can see at once: how the payments and the scores
# move against the data the model learned from, and what the model's own probabilities say
# about its alerts. When something moves, someone has to decide whether and when to retrain,
# with the labels known at that moment. Module 07 (`modules/07_drift.ipynb`) covers all of it.
#
# Answer in the cells marked `# YOUR CODE HERE` (replace `raise NotImplementedError()`), then
# run the check cell under each answer: `check("question-id")` tells you at once whether your
# answer passes the visible tests, and `hint("question-id")` gives a hint (call it again for a
# deeper one). When your work is graded, hidden tests check more. Each question is graded on
# its own: write each function without calling your answers to other questions. Write the
# monitors yourself with numpy and pandas: the course's own PSI function is what question 1
# asks you to build.

# %% readonly id=07-setup
import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from course import check
from course.data import FEATURE_COLUMNS, Drift, build_features, labels_as_of, simulate_transactions
from course.grading.expect import Expect
from course.models import make_fraud_model

_expect = Expect()  # hidden tests' comparisons, captured before any learner code runs

REVIEW_COST, FRICTION_COST = 3.0, 5.0  # euros per alert reviewed; extra euros per false alarm
PSI_FLOOR = 0.0001  # the smallest share a PSI bin may have
N_BINS = 10  # PSI bins: the reference's deciles

# Questions 1 and 2: from day 42 on, customers spend 40% more.
spend = simulate_transactions(200, 400, 84, seed=21, drift=Drift(42, amount_factor=1.4))
reference_amounts = spend.loc[spend["day"].between(14, 41), "amount"].to_numpy()  # the 4 weeks before
weekly_amounts = {int(w): g["amount"].to_numpy() for w, g in spend[spend["day"] >= 35].groupby(spend["day"] // 7)}

# Question 2: the weekly PSI of another bank's score monitor (week w = days 7w to 7w + 6).
score_psi = pd.Series([0.03, 0.31, 0.29, 0.06, 0.27, 0.33, 0.41], index=pd.RangeIndex(5, 12, name="week"))
SCORE_DRIFT_DAY = 63  # the day that bank's scores started to drift

# Question 3: calibrated fraud probabilities of four weeks of payments, and the alerts raised.
_rng = np.random.default_rng(5)
weeks = np.repeat([20, 21, 22, 23], [1500, 1450, 1530, 1480])
proba = _rng.beta(0.3, 25.0, weeks.size)
amounts = np.round(_rng.gamma(2.0, 40.0, weeks.size), 2)
alerts = proba * (amounts + FRICTION_COST) >= REVIEW_COST + FRICTION_COST

# Question 4: a bank where skimmed terminals (a fraud pattern it never saw) appear on day 63.
START_DATE = pd.Timestamp("2024-01-01")  # day 0
LABEL_DELAY_DAYS = 10  # a payment without a fraud report counts as genuine 10 days later
WINDOW_DAYS = 21  # a model trains on 21 days of payments
EVALUATION_START, N_DAYS = 63, 112  # costs are counted from day 63 to the last day (111)
POLICIES = {"never": [56], "every 3 weeks": [56, 77, 98], "every 2 weeks": [56, 70, 84, 98]}  # retrain days
bank = simulate_transactions(
    200,
    400,
    N_DAYS,
    seed=7,
    drift=Drift(63, new_pattern="compromised_terminal"),
    maturity_days=LABEL_DELAY_DAYS,
    compromised_terminal_rate=0.0006,
    large_amount_rate=0.003,
    leaked_card_rate=0.0006,
    card_testing_rate=0.0006,
    unreported_share=0.0,
    report_delay_median_days=3.0,
)
X = build_features(bank)[FEATURE_COLUMNS].to_numpy()  # one row per payment of `bank`


def fit_model(X_train, y_train):
    """The course's logistic regression, fitted on the given rows and labels."""
    model = make_fraud_model("logreg")
    with threadpool_limits(limits=1):
        return model.fit(X_train, y_train)


def cost_of(model, rows):
    """EUR cost of `model`'s alerts on the payments where `rows` (a boolean mask over `bank`) is True.

    An alert is raised when p * (amount + friction) >= review + friction; every alert costs a
    review, a false alarm adds friction, a missed fraud costs its amount.
    """
    rows = np.asarray(rows, dtype=bool)
    p = model.predict_proba(X[rows])[:, 1]
    amount, fraud = bank["amount"].to_numpy()[rows], bank["is_fraud"].to_numpy()[rows] == 1
    alert = p * (amount + FRICTION_COST) >= REVIEW_COST + FRICTION_COST
    return float(np.where(alert, REVIEW_COST + FRICTION_COST * ~fraud, np.where(fraud, amount, 0.0)).sum())


print(
    f"Reference: {reference_amounts.size:,} payments; weeks {sorted(weekly_amounts)}; "
    f"bank: {len(bank):,} payments over {N_DAYS} days, {int(bank['is_fraud'].sum())} frauds."
)

# %% [markdown]
# ## Question 1: the population stability index, term by term (3 points)
#
# PSI compares the distribution of a number in a **current** sample with a **reference**:
# `PSI = sum over bins of (c - r) * ln(c / r)`, where `r` and `c` are the shares of the
# reference and of the current sample in each bin. The rule of this course:
#
# - the bins come from the **reference**: the interior edges are
#   `np.quantile(reference, [0.1, 0.2, ..., 0.9])` (numpy's default method), with equal
#   edges kept once (`np.unique`); the two outer bins are open, so every value falls in a bin;
# - a value equal to an edge belongs to the bin **above** it (bins are `[edge_k, edge_k+1)`);
# - a share below `PSI_FLOOR` (an empty bin) counts as `PSI_FLOOR`, in either sample.
#
# Write `psi_terms(reference, current)`: a numpy array with the term `(c - r) * ln(c / r)` of
# every bin, from the lowest bin to the highest (one term per bin: 10 for a continuous
# reference, fewer when edges are equal). `psi_terms(...).sum()` is the PSI. Then store in
# `weekly_psi` a pandas Series indexed by week: the PSI of `weekly_amounts[week]` against
# `reference_amounts`, for every week of `weekly_amounts`.


# %% answer id=07-psi-answer
def psi_terms(reference, current):
    ### BEGIN SOLUTION
    reference, current = np.asarray(reference, dtype=float), np.asarray(current, dtype=float)
    # the bins come from the reference only: the same bins for every week compared with it
    edges = np.unique(np.quantile(reference, np.arange(1, N_BINS) / N_BINS))
    n_bins = edges.size + 1
    # side="right": a value equal to an edge goes to the bin above; values beyond the edges fall in the outer bins
    r = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / reference.size
    c = np.bincount(np.searchsorted(edges, current, side="right"), minlength=n_bins) / current.size
    # an empty bin would make ln(c / r) infinite: floor both samples' shares
    r, c = np.maximum(r, PSI_FLOOR), np.maximum(c, PSI_FLOOR)
    return (c - r) * np.log(c / r)
    ### END SOLUTION


### BEGIN SOLUTION
weekly_psi = pd.Series({week: psi_terms(reference_amounts, values).sum() for week, values in weekly_amounts.items()})
### END SOLUTION
weekly_psi.round(3)

# %% tests id=07-psi-tests points=3
check("07-psi")
### BEGIN HIDDEN TESTS
# Expected values computed once with the solution above (numpy 2.4, the course's seeds).
# deciles of 1..10: a value on an edge goes up; a current sample of 1, 1, 10, 10, 10, 11
_expect.array_close(
    psi_terms(np.arange(1.0, 11.0), np.array([1.0, 1.0, 10.0, 10.0, 10.0, 11.0])),
    [
        0.2809269876760517,
        0.6900847523703155,
        0.6900847523703155,
        0.6900847523703155,
        0.6900847523703155,
        0.6900847523703155,
        0.6900847523703155,
        0.6900847523703155,
        0.6900847523703155,
        1.0750346581019994,
    ],
    atol=1e-9,
    what="the terms of 1..10 against 1, 1, 10, 10, 10, 11",
)
# deciles of 1..5 are 1.4, 1.8, ..., 4.6: the value 3 lies on an edge and belongs to the bin above it
_expect.close(
    psi_terms(np.array([1.0, 2, 3, 4, 5]), np.array([3.0, 3.0, 5.0, 5.0])).sum(),
    5.10803564411188,
    atol=1e-9,
    what="PSI with values on the edges",
)
# 0, 0, 0, 1, 1: deciles 0, 0, 0, 0, 0, 0.4, 0.8, 1, 1 -> edges 0, 0.4, 0.8, 1; the bin below 0 is empty in both
_expect.array_close(
    psi_terms(np.array([0.0, 0, 0, 1, 1]), np.array([0.0, 1, 1, 1])),
    [0.0, 0.3064140580738649, 0.0, 0.0, 0.2200130307978309],
    atol=1e-9,
    what="the terms of a 0/1 feature (merged edges, a bin empty in both samples)",
)
# a current week beyond the reference's range: nine empty bins, each floored
_expect.close(
    psi_terms(np.arange(100.0), np.full(20, 1000.0)).sum(),
    8.283089355027482,
    atol=1e-9,
    what="PSI of a week above the reference's range",
)
# the real weeks (reference: days 14-41; amounts x1.4 from day 42)
_expect.array_close(
    psi_terms(reference_amounts, weekly_amounts[7]),
    [
        0.02215462464160502,
        0.006976329856280314,
        0.011191993994062389,
        0.007718563253310937,
        0.006411200242220503,
        0.0013758430847867354,
        0.006214143784649329,
        1.2616842718139196e-05,
        0.0030227450284718714,
        0.1589434235604857,
    ],
    atol=1e-9,
    what="the terms of week 7's amounts",
)
_expect.array_close(
    weekly_psi.sort_index().to_numpy(dtype=float),
    [
        0.002468537759151133,
        0.19633510031452858,
        0.22402148428859095,
        0.22565709986669866,
        0.20265510241815599,
        0.2047564109028015,
        0.21062254171335,
    ],
    atol=1e-9,
    what="weekly_psi",
)
_expect.equal([int(w) for w in weekly_psi.sort_index().index], [5, 6, 7, 8, 9, 10, 11], what="the weeks of weekly_psi")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: when did the monitor fire, and how late? (2 points)
#
# A single week above the threshold is often noise, so the team's score monitor raises an
# alarm only in a week whose PSI **and** the previous week's PSI both reach the threshold
# (`>=`): two weeks in a row. A weekly check uses the data of its whole week (week `w` is
# days `7w` to `7w + 6`), so its alarm comes at the end of the week's last day.
#
# Write `first_alarm(weekly_psi, threshold, start_day)`: the first week, among the weeks that
# end on or after `start_day`, in which the monitor raises an alarm, and the **detection
# delay** in days, counted from the beginning of `start_day` to the end of that week's last
# day. Return the tuple `(week, delay_days)`, or `(None, None)` if the monitor never fires
# from the drift's start on. `weekly_psi` is a Series indexed by consecutive weeks. An alarm
# in a week that ends before `start_day` is a false alarm, not a detection.


# %% answer id=07-alarm-answer
def first_alarm(weekly_psi, threshold, start_day):
    ### BEGIN SOLUTION
    weeks, values = list(weekly_psi.index), list(weekly_psi)
    for k in range(1, len(weeks)):
        week = int(weeks[k])
        fires = values[k] >= threshold and values[k - 1] >= threshold  # this week and the one before
        if fires and 7 * week + 6 >= start_day:  # a week that ends before the start is a false alarm
            # from the beginning of start_day to the end of the week's last day (7 * week + 6)
            return week, 7 * week + 7 - start_day
    return None, None
    ### END SOLUTION


first_alarm(score_psi, 0.25, SCORE_DRIFT_DAY)

# %% tests id=07-alarm-tests points=2
check("07-alarm")
### BEGIN HIDDEN TESTS
# score_psi: weeks 6-7 fire before the start (a false alarm), weeks 9-10 after it: week 10, 77 - 63 = 14 days
_week, _delay = first_alarm(score_psi.copy(), 0.25, SCORE_DRIFT_DAY)
_expect.equal(_week, 10, what="the week of the first alarm on score_psi")
_expect.close(_delay, 14, atol=0, what="the detection delay on score_psi")
# ties: exactly at the threshold counts (>=)
_ties = pd.Series([0.1, 0.25, 0.25, 0.1], index=pd.RangeIndex(3, 7))
_expect.equal(tuple(first_alarm(_ties, 0.25, 21)), (5, 21), what="PSI exactly at the threshold two weeks in a row")
# a week that straddles the start (days 77-83, drift from day 80) is a detection, 4 days after the start
_straddle = pd.Series([0.3, 0.3, 0.3], index=pd.RangeIndex(10, 13))
_expect.equal(tuple(first_alarm(_straddle, 0.25, 80)), (11, 4), what="an alarm in the week that holds the start day")
# never fires after the start
_expect.equal(
    tuple(first_alarm(pd.Series([0.3, 0.3, 0.0, 0.3], index=pd.RangeIndex(1, 5)), 0.25, 21)),
    (None, None),
    what="a monitor that fires only before the start",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: precision of the alerts, before any label (2 points)
#
# The model's probabilities `proba` are calibrated: a payment with probability `p` is a fraud
# with probability `p`. So, the day after, the bank can estimate the **precision of its
# alerts** (the share of the alerts that are fraud) without any label.
#
# Write `estimated_precision(proba, alerts, weeks)`: a pandas Series indexed by every week
# that appears in `weeks` (in increasing order), holding the estimated precision of that
# week's alerts; `NaN` for a week without any alert (nothing to estimate). The inputs are
# numpy arrays of the same length, one value per payment (`alerts` is boolean).


# %% answer id=07-estimate-answer
def estimated_precision(proba, alerts, weeks):
    ### BEGIN SOLUTION
    proba, alerts, weeks = np.asarray(proba, dtype=float), np.asarray(alerts, dtype=bool), np.asarray(weeks)
    # each alert is a fraud with probability p: the expected share of frauds among the alerts is their mean p.
    # NaN for the other payments keeps every week in the groups (a week without alerts averages to NaN)
    return pd.Series(np.where(alerts, proba, np.nan)).groupby(weeks).mean()
    ### END SOLUTION


estimated_precision(proba, alerts, weeks).round(3)

# %% tests id=07-estimate-tests points=2
check("07-estimate")
### BEGIN HIDDEN TESTS
# the four weeks of the setup (solution above, seed 5)
_result = estimated_precision(proba.copy(), alerts.copy(), weeks.copy())
_expect.equal([int(w) for w in _result.index], [20, 21, 22, 23], what="the weeks")
_expect.array_close(
    _result.to_numpy(dtype=float),
    [0.08923687860538705, 0.07239469578771558, 0.0737451698070314, 0.0849681492483177],
    atol=1e-9,
    what="the estimated precision of each week",
)
# a week without alerts is NaN, and it stays in the result, between the others
_gap = estimated_precision(np.array([0.5, 0.2, 0.9, 0.3]), np.array([True, False, False, True]), np.array([1, 2, 2, 3]))
_expect.equal([int(w) for w in _gap.index], [1, 2, 3], what="the weeks, a week without alerts included")
_expect.true(bool(np.isnan(float(_gap.iloc[1]))), what="the precision of a week without alerts is NaN")
_expect.array_close(_gap.to_numpy(dtype=float)[[0, 2]], [0.5, 0.3], atol=1e-12, what="the weeks with alerts")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: choose a retraining policy by its cost, under the label delay (4 points)
#
# In the `bank` of the setup, skimmed terminals appear on day 63. The bank takes a payment
# without a fraud report as genuine `LABEL_DELAY_DAYS` (10) days after it; a fraud is known
# from its report on (`label_available_at`). A model retrained on day `d` may only use the
# labels known on day `d`, so it trains on the `WINDOW_DAYS` (21) days of payments that end
# 10 days before `d`: days `d - 31` to `d - 11`, with their labels **as known on day `d`**
# (`labels_as_of(bank, START_DATE + pd.Timedelta(days=d), maturity_days=LABEL_DELAY_DAYS)`,
# module 05). A model retrained on day `d` scores the payments from day `d` on, until the
# next retrain.
#
# 1. Write `training_set(day)`: the tuple `(rows, labels)`: `rows` a boolean numpy array over
#    the payments of `bank` (True for the payments the retrain may use), `labels` a numpy
#    array of 0/1 ints, the labels of those rows known on `day`, in `bank`'s order.
# 2. Write `policy_cost(retrain_days)`: the total EUR cost, from day `EVALUATION_START` (63) to
#    the last day, of a policy that retrains on each day of `retrain_days` (the first is the
#    model deployed on day 56). Use `fit_model(X[rows], labels)` and `cost_of(model, rows)`.
# 3. Store in `costs` a dict: policy name -> `policy_cost(...)` for every policy of `POLICIES`,
#    and in `best_policy` the name of the cheapest.


# %% answer id=07-policy-answer
### BEGIN SOLUTION
def training_set(day):
    # on `day` the labels are known up to LABEL_DELAY_DAYS before it: the window ends there
    end = day - LABEL_DELAY_DAYS
    rows = ((bank["day"] >= end - WINDOW_DAYS) & (bank["day"] < end)).to_numpy()
    # the labels as known on `day`, not the eventual truth: a fraud reported later counts as genuine
    known = labels_as_of(bank, START_DATE + pd.Timedelta(days=day), maturity_days=LABEL_DELAY_DAYS)
    return rows, known[rows].to_numpy(dtype=int)


def policy_cost(retrain_days):
    day = bank["day"].to_numpy()
    total = 0.0
    # each model scores from its retrain day until the next retrain (the last one until the end)
    for start, end in zip(retrain_days, list(retrain_days[1:]) + [N_DAYS]):
        rows, labels = training_set(start)
        model = fit_model(X[rows], labels)
        total += cost_of(model, (day >= max(start, EVALUATION_START)) & (day < end))
    return total


costs = {name: policy_cost(days) for name, days in POLICIES.items()}
best_policy = min(costs, key=costs.get)
### END SOLUTION
print(costs, best_policy)

# %% tests id=07-policy-tests points=4
check("07-policy")
### BEGIN HIDDEN TESTS
# Expected values computed once with the solution above (seed 7; labels as known on each day).
_rows, _labels = training_set(77)
_expect.equal(int(np.asarray(_rows).sum()), 8075, what="the payments of the day-77 window (days 46 to 66)")
_expect.equal(int(np.asarray(_labels).sum()), 27, what="the frauds known on day 77 in that window")
_rows, _labels = training_set(98)
_expect.equal(int(np.asarray(_labels).sum()), 121, what="the frauds known on day 98 in its window (126 eventually)")
_expect.close(costs["never"], 11078.39, atol=0.05, what="the cost of never retraining")
_expect.close(costs["every 3 weeks"], 7119.68, atol=0.05, what="the cost of retraining every 3 weeks")
_expect.close(costs["every 2 weeks"], 6215.01, atol=0.05, what="the cost of retraining every 2 weeks")
_expect.equal(best_policy, "every 2 weeks", what="best_policy")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: explain it to the head of fraud (2 points, graded by hand)
#
# In question 4's bank, the PSI of the amounts and of the scores stayed below 0.1 every
# week, yet the cost rose. In three or four sentences for the head of fraud: what kind of
# drift this is likely to be, why the label-free monitors did not see it, which retraining
# policy you recommend and why (use the costs your cell printed), and what the label delay
# means for how soon any policy can help.

# %% manual id=07-explain-policy points=2
# This is concept drift: a new fraud pattern (skimmed terminals) whose payments look like
# ordinary ones, so neither the inputs, nor the scores, nor the alert counts move, and every
# label-free monitor stays quiet while the frauds go unflagged. Only the labels reveal it, and
# they arrive late. I recommend retraining every two weeks: it costs the least of the three
# policies (about 6,200 EUR against about 11,100 for never retraining over days 63 to 111),
# because its retrains on days 84 and 98 train on windows that already hold the new pattern.
# The label delay sets the pace: a model retrained on day d learns only from payments up to
# day d - 11 with the labels known on day d, so no retrain can learn the pattern before about
# two weeks after it starts, and the first weeks of losses cannot be avoided by retraining; I
# would also watch the cost and the known fraud rate by terminal as the reports come in.

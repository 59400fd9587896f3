# Readable source of autograded/source/06_calibration/06_calibration.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/06_calibration.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/06_calibration.py.
# Hidden tests compare with literal values computed once with the solutions below (see each comment).

# %% [markdown]
# # Calibration: when a fraud score must be a probability
#
# A bank trained a fraud model on undersampled data: every fraud of its training window and
# a tenth of the genuine payments. It ranks payments well. The risk team now wants to use
# its scores as probabilities: in the expected-loss rule that decides each alert, and in
# the loss forecast. You will measure how far the scores are from probabilities, repair
# them two ways, and price the difference. Module 06 (`modules/06_calibration.ipynb`)
# covers all of it.
#
# Three windows in time, as in the module: the model learnt on the **training window**
# (days 0-34); a calibrator may learn on the **calibration window** (days 35-51); every
# number is judged on the **test window** (days 52-69). The costs are those of the course:
# every alert costs `REVIEW_COST`, a false alarm also `FRICTION_COST`, a missed fraud its
# amount.
#
# Answer in the cells marked `# YOUR CODE HERE` (replace `raise NotImplementedError()`), then
# run the check cell under each answer: `check("question-id")` tells you at once whether your
# answer passes the visible tests, and `hint("question-id")` gives a deeper hint at each call.
# When your work is graded, hidden tests check more. Each question is graded on its own: do
# not call your answer to one question from another.

# %% readonly id=06-setup
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from course import check
from course.data import FEATURE_COLUMNS, build_features, simulate_transactions
from course.grading.expect import Expect

_expect = Expect()
REVIEW_COST = 3.0  # euros per alert reviewed
FRICTION_COST = 5.0  # extra euros per false alarm

# The same ten weeks for everyone: the simulator's only randomness is this seed.
df = simulate_transactions(600, 1200, 70, seed=8)
X = build_features(df)[FEATURE_COLUMNS]  # model inputs known at payment time
y = df["is_fraud"].to_numpy()
day = df["day"].to_numpy()
train, calibration, test = day < 35, (day >= 35) & (day < 52), day >= 52
X_train, y_train = X[train], y[train]
X_cal, y_cal = X[calibration], y[calibration]
X_test, y_test = X[test], y[test]
amounts_test = df.loc[test, "amount"].to_numpy()

# The bank's model: a logistic regression fitted on every fraud of the training window and a
# random 10% of its genuine payments (random undersampling, as in module 01).
_frauds = np.flatnonzero(y_train == 1)
_genuines = np.flatnonzero(y_train == 0)
_kept = np.random.default_rng(0).choice(_genuines, size=round(0.1 * _genuines.size), replace=False)
_sample = np.sort(np.concatenate([_frauds, _kept]))
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train.iloc[_sample], y_train[_sample])
N_FRAUDS_TRAIN, N_GENUINES_TRAIN, N_GENUINES_KEPT = _frauds.size, _genuines.size, _kept.size
p_test = model.predict_proba(X_test)[:, 1]  # the model's scores on the test window
print(f"training window: {N_FRAUDS_TRAIN} frauds, {N_GENUINES_TRAIN:,} genuines of which {N_GENUINES_KEPT:,} kept")
print(
    f"test window: {len(y_test):,} payments, {int(y_test.sum())} frauds ({y_test.mean():.3%}); "
    f"the model's mean score {p_test.mean():.3%}"
)

# %% [markdown]
# ## Question 1: equal-count bins, by score (2 points)
#
# A reliability diagram bins the transactions by predicted probability. At a fraud rate of
# half a percent, equal-width bins put nearly every payment into the first bin, so the risk
# team uses **equal-count bins**, with this rule:
#
# 1. sort the transactions by score, lowest first, with a **stable** sort (equal scores keep
#    their order in the data): `np.argsort(y_prob, kind="stable")`;
# 2. cut the sorted positions into `n_bins` consecutive groups with `np.array_split` (when
#    the transactions do not divide evenly, the first groups hold one more);
# 3. each transaction's bin is the number of its group: 0 for the lowest scores.
#
# Write `equal_count_bins(y_prob, n_bins)`: a NumPy array of integers, the bin of each
# transaction, **in the order of the transactions** of `y_prob`.


# %% answer id=06-bins-answer
def equal_count_bins(y_prob, n_bins):
    ### BEGIN SOLUTION
    order = np.argsort(np.asarray(y_prob), kind="stable")  # positions, lowest score first
    bins = np.empty(order.size, dtype=int)
    for number, positions in enumerate(np.array_split(order, n_bins)):
        bins[positions] = number  # back in the order of the transactions
    return bins
    ### END SOLUTION


equal_count_bins(np.array([0.3, 0.01, 0.2, 0.05]), 2)

# %% tests id=06-bins-tests points=2
check("06-bins")
### BEGIN HIDDEN TESTS
# scores not in order: the bins follow the scores, not the positions
_expect.array_close(
    equal_count_bins(np.array([0.9, 0.1, 0.5, 0.3, 0.7, 0.2]), 3),
    [2, 0, 1, 1, 2, 0],
    atol=0,
    what="bins of six shuffled scores",
)
# ties keep their order in the data (stable sort): 0.1 at 1 and 3, 0.2 at 0, 2 and 5, 0.3 at 4
_expect.array_close(
    equal_count_bins(np.array([0.2, 0.1, 0.2, 0.1, 0.3, 0.2]), 3),
    [1, 0, 1, 0, 2, 2],
    atol=0,
    what="bins of tied scores",
)
# 1,003 vendor scores rounded to 2 decimals (many ties); literals computed once with the solution above
_scores = np.round(np.random.default_rng(6).beta(0.5, 20.0, 1003), 2)
_bins = np.asarray(equal_count_bins(_scores.copy(), 10))
_expect.array_close(
    np.bincount(_bins), [101, 101, 101, 100, 100, 100, 100, 100, 100, 100], atol=0, what="transactions per bin"
)
_expect.equal(int((_bins * np.arange(_bins.size)).sum()), 2437697, what="which transactions are in which bin")
# the model's test scores
_expect.equal(
    int((np.asarray(equal_count_bins(p_test.copy(), 20)) * np.arange(p_test.size)).sum()),
    2118927247,
    what="bins of the test window's scores",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: the expected calibration error (2 points)
#
# Given any binning, the **expected calibration error** is the gap between the predicted and
# the observed fraud rate of each bin, averaged over the bins with each bin weighted by its
# share of the transactions:
#
# $$\text{ECE} = \sum_{b} \frac{n_b}{N} \,\Big|\, \overline{p}_b - \overline{y}_b \,\Big|$$
#
# where $n_b$ is the number of transactions in bin $b$, $N$ the number of all transactions,
# $\overline{p}_b$ their mean predicted probability and $\overline{y}_b$ their fraud rate.
#
# Write `expected_calibration_error(y_true, y_prob, bins)`, where `bins[i]` is the bin number
# of transaction `i` (any integers: equal-count bins, or the risk team's bands). A bin number
# that no transaction has is not a bin.


# %% answer id=06-ece-answer
def expected_calibration_error(y_true, y_prob, bins):
    ### BEGIN SOLUTION
    y_true, y_prob, bins = np.asarray(y_true, dtype=float), np.asarray(y_prob, dtype=float), np.asarray(bins)
    total = 0.0
    for b in np.unique(bins):  # only the bins that hold transactions
        inside = bins == b
        total += inside.mean() * abs(y_prob[inside].mean() - y_true[inside].mean())  # weight x gap
    return float(total)
    ### END SOLUTION


# the test window, in the risk team's bands of probability: 0-0.1%, 0.1-0.3%, ..., 30-100%
risk_bands = np.digitize(p_test, [0.001, 0.003, 0.01, 0.03, 0.1, 0.3])
print(f"ECE of the model's scores on the risk bands: {expected_calibration_error(y_test, p_test, risk_bands):.5f}")

# %% tests id=06-ece-tests points=2
check("06-ece")
### BEGIN HIDDEN TESTS
# unequal bins: bin 0 (4 transactions, gap 0.1) weighs twice bin 1 (2 transactions, gap 0.2): 0.4/6 + 0.4/6
_expect.close(
    expected_calibration_error(
        np.array([0, 0, 0, 0, 1, 0]), np.array([0.1, 0.1, 0.1, 0.1, 0.5, 0.9]), np.array([0, 0, 0, 0, 1, 1])
    ),
    0.8 / 6,
    atol=1e-12,
    what="ECE of a big and a small bin",
)
# bin numbers that are not 0, 1, 2...: 3 (gap 0.2), 7 (gap |0.3 - 1/3|), 12 (gap 0.5): (0.4 + 0.1 + 0.5) / 6
_expect.close(
    expected_calibration_error(
        np.array([0, 0, 1, 0, 0, 0]), np.array([0.2, 0.2, 0.3, 0.3, 0.3, 0.5]), np.array([3, 3, 7, 7, 7, 12])
    ),
    1.0 / 6,
    atol=1e-12,
    what="ECE with bins numbered 3, 7 and 12",
)
# the test window on the risk bands; literal computed once with the solution above
_expect.close(
    expected_calibration_error(y_test, p_test, np.digitize(p_test, [0.001, 0.003, 0.01, 0.03, 0.1, 0.3])),
    0.0098282357,
    atol=1e-9,
    what="ECE of the test window on the risk bands",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: undo the undersampling (2 points)
#
# The model learnt on a sample whose fraud rate was far above the real one: every fraud was
# kept, only a tenth of the genuines. Its scores are probabilities *for that sample*. Bayes'
# rule says how to bring them back: the sample multiplied the **odds** of fraud, p / (1 - p),
# by odds(sample fraud rate) / odds(population fraud rate); the correction divides them by it.
#
# Write `prior_correction(p, sample_fraud_rate, population_fraud_rate)`: the probabilities
# `p` (a NumPy array) of a model fitted on a sample with fraud rate `sample_fraud_rate`,
# corrected to a population whose fraud rate is `population_fraud_rate`. A score of 1 must
# stay 1 and a score of 0 stay 0. Then use it below on the test window.


# %% answer id=06-prior-answer
def prior_correction(p, sample_fraud_rate, population_fraud_rate):
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=float)

    def odds(q):
        return q / (1 - q)

    factor = odds(population_fraud_rate) / odds(sample_fraud_rate)  # below 1: the odds come down
    # p' / (1 - p') = factor * p / (1 - p), solved for p' (written so that p = 1 gives 1, not 1/0)
    return factor * p / (factor * p + 1 - p)
    ### END SOLUTION


sample_rate = N_FRAUDS_TRAIN / (N_FRAUDS_TRAIN + N_GENUINES_KEPT)
population_rate = N_FRAUDS_TRAIN / (N_FRAUDS_TRAIN + N_GENUINES_TRAIN)
p_test_corrected = prior_correction(p_test, sample_rate, population_rate)
print(f"fraud rate of the sample {sample_rate:.3%}, of the training window {population_rate:.3%}")
print(
    f"test window: mean score {p_test.mean():.3%} -> corrected {p_test_corrected.mean():.3%}; "
    f"observed fraud rate {y_test.mean():.3%}"
)

# %% tests id=06-prior-tests points=2
check("06-prior")
### BEGIN HIDDEN TESTS
# odds x (0.01/0.99) / (0.25/0.75) = odds x 0.030303...; p = 0.5 -> 0.0294118, p = 1 stays 1, p = 0 stays 0
_expect.array_close(
    prior_correction(np.array([0.0, 0.05, 0.25, 0.5, 0.9, 1.0]), 0.25, 0.01),
    [0.0, 0.0015923567, 0.01, 0.0294117647, 0.2142857143, 1.0],
    atol=1e-9,
    what="corrected probabilities (sample rate 0.25, population 0.01)",
)
# the assignment's rates: mean corrected probability of the test window, computed once with the solution above
_expect.close(
    float(np.mean(prior_correction(p_test.copy(), 127 / (127 + 4091), 127 / (127 + 40913)))),
    0.0049117337,
    atol=1e-9,
    what="mean corrected probability of the test window",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: calibrate on a later window with scikit-learn (3 points)
#
# The prior correction needs to know exactly how the training data were distorted. A
# calibrator learns the correction from labelled data instead, and that data must come
# **after** the training window and **before** the window you judge on.
#
# 1. Store in `calibrated` a `CalibratedClassifierCV` with `method="sigmoid"` (Platt scaling)
#    around the fitted `model`, wrapped in a `FrozenEstimator` so that it is never refitted,
#    and fit it on the calibration window (`X_cal`, `y_cal`).
# 2. Store in `brier_before` and `brier_after` the Brier score on the test window of the
#    model's probabilities and of the calibrated ones.

# %% answer id=06-calibrate-answer
### BEGIN SOLUTION
# frozen: the model stays as trained; the sigmoid learns on the calibration window only
calibrated = CalibratedClassifierCV(FrozenEstimator(model), method="sigmoid").fit(X_cal, y_cal)
brier_before = brier_score_loss(y_test, model.predict_proba(X_test)[:, 1])
brier_after = brier_score_loss(y_test, calibrated.predict_proba(X_test)[:, 1])
### END SOLUTION
print(f"Brier score on the test window: {brier_before:.5f} before, {brier_after:.5f} after calibration")
print(
    f"mean probability on the test window: {calibrated.predict_proba(X_test)[:, 1].mean():.3%} after calibration, "
    f"observed fraud rate {y_test.mean():.3%}"
)

# %% tests id=06-calibrate-tests points=3
check("06-calibrate")
### BEGIN HIDDEN TESTS
# literals computed once with the solution above; the usual mistakes give: calibrated on the training window
# 0.0022305, isotonic on the test window 0.0016899, isotonic on the calibration window 0.0020652
_expect.close(brier_before, 0.0035575097, atol=1e-9, what="Brier score before calibration")
_expect.close(brier_after, 0.0021468506, atol=2e-6, what="Brier score after calibration on the calibration window")
_expect.close(
    float(calibrated.predict_proba(X_test[:1])[0, 1]),
    0.0007197968,
    atol=1e-7,
    what="calibrated probability of the first test payment",
)
_expect.close(
    float(model.predict_proba(X_test[:1])[0, 1]),
    0.0013655257,
    atol=1e-9,
    what="the model's own score of the first test payment (the model must not be refitted)",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: what calibration is worth, in EUR (3 points)
#
# The expected-loss rule flags a payment when the expected loss of letting it through is at
# least the expected cost of an alert:
#
# $$p \times (\text{amount} + \text{friction}) \;\ge\; \text{review} + \text{friction}.$$
#
# It uses the probability itself, so it is only as good as the probabilities. Write
# `calibration_saving(y_true, p_raw, p_calibrated, amounts, review_cost, friction_cost)`:
# the cost of the rule's decisions with `p_raw`, minus their cost with `p_calibrated`
# (positive when calibration saves money). The cost of decisions: `review_cost` for every
# alert, `friction_cost` more for every alert on a genuine payment, the amount of every fraud
# not flagged.


# %% answer id=06-money-answer
def calibration_saving(y_true, p_raw, p_calibrated, amounts, review_cost, friction_cost):
    ### BEGIN SOLUTION
    y_true, amounts = np.asarray(y_true), np.asarray(amounts, dtype=float)

    def cost(p):
        flagged = np.asarray(p, dtype=float) * (amounts + friction_cost) >= review_cost + friction_cost
        false_alarms = flagged & (y_true == 0)
        missed = ~flagged & (y_true == 1)
        return review_cost * flagged.sum() + friction_cost * false_alarms.sum() + amounts[missed].sum()

    return float(cost(p_raw) - cost(p_calibrated))
    ### END SOLUTION


p_calibrated_test = calibrated.predict_proba(X_test)[:, 1]
print(
    f"saving of the sigmoid calibration on the test window: EUR "
    f"{calibration_saving(y_test, p_test, p_calibrated_test, amounts_test, REVIEW_COST, FRICTION_COST):,.0f}"
)

# %% tests id=06-money-tests points=3
check("06-money")
### BEGIN HIDDEN TESTS
# a payment exactly at the break-even is flagged (>=): 0.0625 x (123 + 5) = 8 = 3 + 5; a fraud of 123
# flagged costs 3 (review), missed costs 123: with p_raw at break-even and p_calibrated below, saving = 3 - 123
_expect.close(
    calibration_saving(np.array([1]), np.array([0.0625]), np.array([0.01]), np.array([123.0]), 3.0, 5.0),
    -120.0,
    atol=1e-9,
    what="a fraud exactly at the break-even",
)
# friction is in the rule: 0.1 x 60 = 6 >= 3 but 0.1 x (60 + 5) = 6.5 < 3 + 5 -> not flagged; a genuine payment
_expect.close(
    calibration_saving(np.array([0]), np.array([0.1]), np.array([0.0]), np.array([60.0]), 3.0, 5.0),
    0.0,
    atol=1e-9,
    what="a genuine payment below the break-even",
)
# the test window, raw scores against the prior correction of question 3 (written out here); literal computed once
_odds = (127 / 40913) / (127 / 4091)  # odds(population rate) / odds(sample rate): 127 frauds, 40,913 or 4,091 genuines
_p = p_test.copy()
_expect.close(
    calibration_saving(y_test, _p, _odds * _p / (_odds * _p + 1 - _p), amounts_test, REVIEW_COST, FRICTION_COST),
    1712.4,
    atol=1e-6,
    what="saving of the prior correction (EUR)",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6: what do you tell the risk team? (2 points, graded by hand)
#
# The model's ROC-AUC on the test window is high. The risk team wants to use its scores as
# probabilities of fraud in next quarter's loss forecast. In three or four sentences, with
# the numbers your cells printed: what did you check, what did you find, and what do you
# tell them (which probabilities to use, and what to watch)?

# %% manual id=06-explain points=2
# ROC-AUC only says that the model ranks well; it says nothing about whether a score of 2%
# means a 2% chance of fraud. I checked calibration on a later window than the one it learnt
# on: its scores average about four times the observed fraud rate (undersampling inflated
# them), the ECE on the risk bands is of the order of the fraud rate itself, and the
# expected-loss rule with them sends too many alerts. The prior correction and the sigmoid
# fitted on the calibration window both bring the mean down, lower the Brier score and save
# money in the rule, but neither lands on the test window's fraud rate: each is calibrated to
# the rate of the window it learnt from (the training window's, the calibration window's),
# and the rate moved. I would give them the calibrated probabilities with that caveat and a
# band on the forecast (frauds come in bursts), compare predicted with observed fraud every
# week once the labels arrive, and refit the calibrator on recent labelled data when they part.

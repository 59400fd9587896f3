# Readable source of autograded/source/01_class_imbalance/01_class_imbalance.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/01_class_imbalance.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/01_class_imbalance.py.

# %% [markdown]
# # Class imbalance: baselines, honest resampling and inflated probabilities
#
# Two months of card payments at a bank, made by the course's simulator (`course.data`):
# frauds are a fraction of a percent of them. You will price the "flag nothing" baseline,
# train an undersampled model without leaking, derive what undersampling does to the
# probabilities, correct them, and advise a risk partner. Module 01
# (`modules/01_class_imbalance.ipynb`) covers all of it.
#
# Answer in the cells marked `# YOUR CODE HERE` (replace `raise NotImplementedError()`), then
# run the check cell under each answer: `check("question-id")` tells you at once whether your
# answer passes the visible tests. When your work is graded, hidden tests check more. Each
# question is graded on its own: do not call your answer to one question from another.

# %% readonly id=01-setup
import numpy as np
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.preprocessing import StandardScaler

from course import check
from course.data import FEATURE_COLUMNS, build_features, simulate_transactions, time_split

# The same two months for everyone: the simulator's only randomness is this seed.
df = simulate_transactions(800, 1600, 60, seed=5)
X = build_features(df)[FEATURE_COLUMNS]  # model inputs known at payment time
y = df["is_fraud"].to_numpy()
amounts = df["amount"].to_numpy()

# The time split of the whole assignment: train on days 0-34, wait 7 days for labels, test on days 42-59.
TRAIN_DAYS, GAP_DAYS, TEST_DAYS = 35, 7, 18
print(f"{len(df):,} payments over {df['day'].nunique()} days, {y.sum()} frauds ({y.mean():.2%}).")

# %% [markdown]
# ## Question 1: the "flag nothing" baseline (2 points)
#
# Write `flag_nothing_report(y_true, amounts)` for the model that predicts "genuine" for
# every transaction. `y_true` (1 = fraud) and `amounts` are NumPy arrays of the same length.
# Return a dict with four entries:
#
# - `"accuracy"`: the share of transactions it labels correctly;
# - `"recall"`: the share of frauds it catches;
# - `"frauds_missed"`: the number of frauds it lets through;
# - `"fraud_amount_missed"`: the total amount of those frauds, the money the bank refunds.


# %% answer id=01-baseline-answer
def flag_nothing_report(y_true, amounts):
    ### BEGIN SOLUTION
    y_true, amounts = np.asarray(y_true), np.asarray(amounts, dtype=float)
    frauds = y_true == 1
    return {
        "accuracy": float(1 - frauds.mean()),
        "recall": 0.0,
        "frauds_missed": int(frauds.sum()),
        "fraud_amount_missed": float(amounts[frauds].sum()),
    }
    ### END SOLUTION


flag_nothing_report(y, amounts)

# %% tests id=01-baseline-tests points=2
check("01-baseline")
### BEGIN HIDDEN TESTS
from course.lessons.class_imbalance import majority_baseline as _majority_baseline

for _truth, _money in ((y, amounts), (np.array([1, 0, 1, 0, 0]), np.array([5.0, 1.0, 95.0, 7.0, 2.0]))):
    _got, _want = flag_nothing_report(_truth.copy(), _money.copy()), _majority_baseline(_truth, _money)
    assert abs(_got["accuracy"] - _want["accuracy"]) < 1e-9
    assert _got["frauds_missed"] == _want["frauds_missed"]
    assert abs(_got["fraud_amount_missed"] - _want["fraud_amount_missed"]) <= 1e-9 * _want["fraud_amount_missed"]
    assert _got["recall"] == 0
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: an undersampled model, evaluated without leaking (3 points)
#
# Write `evaluate_undersampling(df, X, ratio, seed)`:
#
# 1. split by time with `time_split(df, train_days=TRAIN_DAYS, gap_days=GAP_DAYS, test_days=TEST_DAYS)`
#    (it returns two boolean masks: training rows, test rows);
# 2. build an imbalanced-learn `Pipeline` of exactly these three steps (so that the grader can
#    reproduce your numbers): `("scale", StandardScaler())`, then
#    `("undersample", RandomUnderSampler(sampling_strategy=ratio, random_state=seed))`, then
#    `("model", LogisticRegression(max_iter=1000))`;
# 3. fit it on the training rows only (`X[train]`, `df["is_fraud"]` of those rows), and compute the
#    fraud probabilities of the test rows with `predict_proba(...)[:, 1]`.
#
# Return a dict with `"n_test"` (the number of test transactions scored), `"test_fraud_rate"`
# (their fraud rate), `"average_precision"` (scikit-learn's `average_precision_score` of their
# labels and probabilities: the PR-AUC) and `"mean_predicted"` (the mean of the probabilities).
#
# The sampler belongs *inside* the pipeline: the pipeline resamples only the data it is fitted
# on, and the test rows are scored as they are.


# %% answer id=01-undersampling-answer
def evaluate_undersampling(df, X, ratio, seed):
    ### BEGIN SOLUTION
    train, test = time_split(df, train_days=TRAIN_DAYS, gap_days=GAP_DAYS, test_days=TEST_DAYS)
    labels = df["is_fraud"].to_numpy()
    pipeline = Pipeline(
        [
            ("scale", StandardScaler()),
            ("undersample", RandomUnderSampler(sampling_strategy=ratio, random_state=seed)),
            ("model", LogisticRegression(max_iter=1000)),
        ]
    )
    pipeline.fit(X[train], labels[train])
    proba = pipeline.predict_proba(X[test])[:, 1]
    return {
        "n_test": int(test.sum()),
        "test_fraud_rate": float(labels[test].mean()),
        "average_precision": float(average_precision_score(labels[test], proba)),
        "mean_predicted": float(proba.mean()),
    }
    ### END SOLUTION


evaluate_undersampling(df, X, ratio=0.1, seed=0)

# %% tests id=01-undersampling-tests points=3
check("01-undersampling")
### BEGIN HIDDEN TESTS
_train, _test = time_split(df, train_days=TRAIN_DAYS, gap_days=GAP_DAYS, test_days=TEST_DAYS)
_sampler = RandomUnderSampler(sampling_strategy=0.2, random_state=3)
_reference = Pipeline(
    [("scale", StandardScaler()), ("undersample", _sampler), ("model", LogisticRegression(max_iter=1_000))]
)
_proba = _reference.fit(X[_train], y[_train]).predict_proba(X[_test])[:, 1]
_got = evaluate_undersampling(df.copy(), X.copy(), ratio=0.2, seed=3)
assert _got["n_test"] == int(_test.sum())
assert abs(_got["test_fraud_rate"] - y[_test].mean()) < 1e-12
assert abs(_got["average_precision"] - average_precision_score(y[_test], _proba)) < 1e-6
assert abs(_got["mean_predicted"] - _proba.mean()) < 1e-6
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: the fraud rate an undersampled model learns (1 point)
#
# A fraud team's data has a fraud rate `BASE_RATE` (below). To train faster, they keep every
# fraud but only a share `BETA` of the genuine transactions, chosen at random. A model fitted by
# log-loss predicts, on average, the fraud rate of the data it was fitted on. Derive that rate
# and store it in `trained_fraud_rate` (a share between 0 and 1). Work it out per 100
# transactions of the original data first.

# %% readonly id=01-trained-rate-setup
BASE_RATE, BETA = 0.005, 0.04

# %% answer id=01-trained-rate-answer
### BEGIN SOLUTION
trained_fraud_rate = BASE_RATE / (BASE_RATE + BETA * (1 - BASE_RATE))
### END SOLUTION
trained_fraud_rate

# %% tests id=01-trained-rate-tests points=1
check("01-trained-rate")
### BEGIN HIDDEN TESTS
assert abs(trained_fraud_rate - 0.005 / (0.005 + 0.04 * 0.995)) < 5e-4
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: correct the probabilities (2 points)
#
# Undersampling multiplies the odds of fraud the model sees by `1 / beta`. Write
# `correct_probabilities(proba, beta)`: given the probabilities `proba` (a NumPy array) of a
# model trained with a share `beta` of the genuines kept, return the probabilities corrected
# back to the real fraud rate, as a NumPy array of the same length (the prior correction of
# module 01). Check your function on your `trained_fraud_rate`: what should it give?


# %% answer id=01-correction-answer
def correct_probabilities(proba, beta):
    ### BEGIN SOLUTION
    proba = np.asarray(proba, dtype=float)
    return beta * proba / (beta * proba - proba + 1)
    ### END SOLUTION


correct_probabilities(np.array([0.01, 0.1, 0.5, 0.9]), beta=0.04)

# %% tests id=01-correction-tests points=2
check("01-correction")
### BEGIN HIDDEN TESTS
from course.lessons.class_imbalance import correct_undersampled_probabilities as _correct

_p = np.array([0.0, 0.001, 0.05, 0.3, 0.5, 0.77, 0.99, 1.0])
for _beta in (0.04, 0.3, 1.0):
    assert np.allclose(np.asarray(correct_probabilities(_p.copy(), _beta), dtype=float), _correct(_p, _beta))
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: advise a risk partner (2 points, graded by hand)
#
# A vendor proposes a fraud model trained with SMOTE. Their report says: "PR-AUC 0.93 on a
# held-out set; at its default threshold of 0.5 the model flags 4% of transactions." Fraud is
# about 0.5% of your transactions. Your partner in the risk team asks whether to approve it.
# In four to six sentences, advise them: what you suspect, what you would ask the vendor for,
# and what must happen to the threshold and the probabilities before the model can drive
# decisions.

# %% manual id=01-advice points=2
# I would not approve it on this evidence. A PR-AUC of 0.93 at a 0.5% fraud rate is suspicious:
# if SMOTE was applied before the split, the "held-out" set holds synthetic frauds made from
# training frauds, so the score leaks. I would ask for the evaluation redone with resampling
# inside the pipeline (training folds only), on a later period than training (a time split with
# a gap for late chargebacks), and reported as precision and recall at the alert volume our team
# can review, precision@k and expected cost in money, next to the plain model's. Flagging 4% of
# transactions when 0.5% are frauds means most alerts are false alarms: SMOTE inflated the
# probabilities, so 0.5 is not a meaningful threshold. Before it drives decisions, its
# probabilities must be recalibrated on real data (module 06) and the threshold chosen from the
# costs of missed frauds, reviews and customer friction, within capacity (module 03).

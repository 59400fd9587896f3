# Readable source of autograded/source/01_class_imbalance/01_class_imbalance.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/01_class_imbalance.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/01_class_imbalance.py.

# %% [markdown]
# # Class imbalance: baselines, honest resampling and inflated probabilities
#
# Two months of card payments at a bank, made by the course's simulator (`course.data`):
# frauds are a fraction of a percent of them. You will see what accuracy hides, train an
# undersampled model without leaking, derive what undersampling does to the fraud rate a
# model learns, correct probabilities for a change of fraud rate, and advise a risk partner.
# Module 01 (`modules/01_class_imbalance.ipynb`) covers the ideas; the questions go one step
# further than its functions, so write your answers from the definitions (NumPy, pandas and
# scikit-learn are yours to use).
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
from course.grading.expect import Expect

_expect = Expect()  # the hidden tests' comparisons, captured before any learner code runs

# The same two months for everyone: the simulator's only randomness is this seed.
df = simulate_transactions(800, 1600, 60, seed=5)
X = build_features(df)[FEATURE_COLUMNS]  # model inputs known at payment time
y = df["is_fraud"].to_numpy()
amounts = df["amount"].to_numpy()

# The time split of the whole assignment: train on days 0-34, wait 7 days for labels, test on days 42-59.
TRAIN_DAYS, GAP_DAYS, TEST_DAYS = 35, 7, 18
print(f"{len(df):,} payments over {df['day'].nunique()} days, {y.sum()} frauds ({y.mean():.2%}).")

# %% [markdown]
# ## Question 1: what accuracy hides (2 points)
#
# Write `decision_report(y_true, y_pred, amounts)` for any set of decisions: `y_pred` is 1 for
# a payment the bank flags (stops and reviews) and 0 for one it lets through. `y_true`
# (1 = fraud), `y_pred` and `amounts` are NumPy arrays of the same length, with at least one
# fraud. Return a dict with four entries:
#
# - `"accuracy"`: the share of payments whose decision matches their label;
# - `"recall"`: the share of frauds flagged;
# - `"frauds_missed"`: the number of frauds let through;
# - `"fraud_amount_missed"`: the total amount of those frauds, the money the bank refunds.
#
# The cell then compares module 01's baseline, the model that flags nothing, with the rule
# "flag every payment of EUR 200 or more". Which one is more accurate? Which one would the
# bank rather run?


# %% answer id=01-baseline-answer
def decision_report(y_true, y_pred, amounts):
    ### BEGIN SOLUTION
    y_true, y_pred, amounts = np.asarray(y_true), np.asarray(y_pred), np.asarray(amounts, dtype=float)
    frauds, flagged = y_true == 1, y_pred == 1
    return {
        # right when the decision matches the label: flagged frauds and genuine payments let through
        "accuracy": float((frauds == flagged).mean()),
        "recall": float((frauds & flagged).sum() / frauds.sum()),
        "frauds_missed": int((frauds & ~flagged).sum()),
        "fraud_amount_missed": float(amounts[frauds & ~flagged].sum()),
    }
    ### END SOLUTION


flag_nothing = np.zeros(len(y), dtype=int)
flag_from_200_euros = (amounts >= 200).astype(int)
decision_report(y, flag_nothing, amounts), decision_report(y, flag_from_200_euros, amounts)

# %% tests id=01-baseline-tests points=2
check("01-baseline")
### BEGIN HIDDEN TESTS
# by hand: frauds of 5 and 95 euros among 5 payments; the rule flags the fraud of 95 and the
# genuine payment of 1: 3 of 5 decisions right, 1 of 2 frauds caught, the fraud of 5 missed
_report = decision_report(np.array([1, 0, 1, 0, 0]), np.array([0, 1, 1, 0, 0]), np.array([5.0, 1.0, 95.0, 7.0, 2.0]))
_expect.close(_report["accuracy"], 0.6, atol=1e-12, what="accuracy of the 5 payments")
_expect.close(_report["recall"], 0.5, atol=1e-12, what="recall of the 5 payments")
_expect.equal(_report["frauds_missed"], 1, what="frauds missed among the 5 payments")
_expect.close(_report["fraud_amount_missed"], 5.0, atol=1e-9, what="fraud amount missed among the 5 payments")
# the two months, computed once: 499 frauds among 93,848 payments worth EUR 76,468.69; the rule
# "flag from EUR 200" flags 314 payments, 131 of them frauds, and misses 368 frauds (EUR 19,756.66)
for _rule, _flags, _expected in (
    ("flag nothing", np.zeros(len(y), dtype=int), (93349 / 93848, 0.0, 499, 76468.69)),
    ("flag from EUR 200", (amounts >= 200).astype(int), (93297 / 93848, 131 / 499, 368, 19756.66)),
):
    _report = decision_report(y.copy(), _flags, amounts.copy())
    _expect.close(_report["accuracy"], _expected[0], atol=1e-12, what=f"accuracy of {_rule}")
    _expect.close(_report["recall"], _expected[1], atol=1e-12, what=f"recall of {_rule}")
    _expect.equal(_report["frauds_missed"], _expected[2], what=f"frauds missed by {_rule}")
    _expect.close(_report["fraud_amount_missed"], _expected[3], atol=1e-6, what=f"fraud amount missed by {_rule}")
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
# the reference pipeline of the question at ratio 0.2 and seed 3, fitted once when the assignment
# was written: 28,118 test payments (days 42-59), 182 of them frauds. The nearest wrong answers
# are far outside these tolerances: the scaler after the sampler gives AP 0.49862 and a mean
# probability of 0.07195; random_state=0 instead of seed gives AP 0.53778.
_got = evaluate_undersampling(df.copy(), X.copy(), ratio=0.2, seed=3)
_expect.equal(_got["n_test"], 28118, what="n_test")
_expect.close(_got["test_fraud_rate"], 182 / 28118, atol=1e-12, what="test_fraud_rate")
_expect.close(_got["average_precision"], 0.49309408061384025, atol=1e-6, what="average_precision at ratio 0.2, seed 3")
_expect.close(_got["mean_predicted"], 0.06937116787415423, atol=1e-6, what="mean_predicted at ratio 0.2, seed 3")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: what `sampling_strategy` does to the fraud rate (2 points)
#
# In question 2, `RandomUnderSampler(sampling_strategy=ratio)` keeps every fraud and drops
# genuine payments at random until there are `ratio` frauds per genuine payment. Module 01
# writes the prior correction with `beta`, the share of the genuine payments kept, so you need
# to go from one to the other. A team's training data has a fraud rate `BASE_RATE`; they
# undersample it with `sampling_strategy=RATIO` (below).
#
# - Store in `trained_fraud_rate` the fraud rate of the data the model is fitted on (a share
#   between 0 and 1): a model fitted by log-loss predicts that rate on average.
# - Store in `genuine_share_kept` the share `beta` of the genuine payments the sampler keeps.
#
# Work it out per 100 transactions of the original data first. Store exact values, not rounded
# ones: the grader accepts a difference of at most 1e-9.

# %% readonly id=01-trained-rate-setup
BASE_RATE, RATIO = 0.005, 0.1

# %% answer id=01-trained-rate-answer
### BEGIN SOLUTION
# after sampling: RATIO frauds for every genuine payment, so RATIO frauds among 1 + RATIO payments
trained_fraud_rate = RATIO / (1 + RATIO)
# per 100 payments: 100 BASE_RATE frauds, all kept, need 100 BASE_RATE / RATIO genuine ones,
# out of the 100 (1 - BASE_RATE) genuine payments there were
genuine_share_kept = BASE_RATE / ((1 - BASE_RATE) * RATIO)
### END SOLUTION
trained_fraud_rate, genuine_share_kept

# %% tests id=01-trained-rate-tests points=2
check("01-trained-rate")
### BEGIN HIDDEN TESTS
# 1 fraud per 10 genuine payments is 1 fraud in 11: 1/11. Per 100 payments: 0.5 frauds and 99.5
# genuine ones; 0.5 frauds need 5 genuine ones, 5 of 99.5 = 0.0502513 (computed once). The
# nearest wrong answers: RATIO itself (0.1, for either), BASE_RATE / RATIO = 0.05 (forgets that
# the genuine payments are 1 - BASE_RATE of the data: 2.5e-4 away).
_expect.close(trained_fraud_rate, 1 / 11, atol=1e-9, what="trained_fraud_rate")
_expect.close(genuine_share_kept, 0.05025125628140704, atol=1e-9, what="genuine_share_kept")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: probabilities for a new fraud rate (2 points)
#
# A model fitted on data whose fraud rate is `trained_rate` (after any resampling) predicts
# probabilities `proba`. It now scores payments whose fraud rate is `live_rate`, and nothing
# else has changed: frauds and genuine payments look as they did, only their shares moved (a
# "prior shift"). Module 01 undid undersampling, where the live rate is the rate before
# sampling; here the model may also have been trained on a quieter or a busier period, so
# `live_rate` may be lower or higher than `trained_rate`.
#
# Write `correct_probabilities(proba, trained_rate, live_rate)`: the probabilities corrected to
# the live fraud rate, as a NumPy array of the same length as `proba` (a NumPy array). Rates lie
# strictly between 0 and 1. `proba` may hold exactly 0 and 1: a certain case stays certain, so
# 0 must give 0 and 1 must give 1 (not NaN). Check your function on a probability equal to
# `trained_rate`: what should it give?


# %% answer id=01-correction-answer
def correct_probabilities(proba, trained_rate, live_rate):
    ### BEGIN SOLUTION
    proba = np.asarray(proba, dtype=float)
    # Bayes' rule on odds: a prior shift multiplies the odds of fraud by odds(live) / odds(trained)
    factor = (live_rate / (1 - live_rate)) / (trained_rate / (1 - trained_rate))
    # odds o = p / (1 - p) times factor, back to o' / (1 + o'), multiplied through by (1 - p):
    # no division by zero at p = 1 (gives 1) and p = 0 (gives 0)
    return factor * proba / (factor * proba + 1 - proba)
    ### END SOLUTION


correct_probabilities(np.array([0.01, 0.1, 0.5, 0.9]), trained_rate=0.1, live_rate=0.005)

# %% tests id=01-correction-tests points=2
check("01-correction")
### BEGIN HIDDEN TESTS
# odds(p) x odds(live) / odds(trained), back to a probability; computed once with exact fractions.
# Undersampling at 1/11 undone to 0.5%; a quiet month (0.3%) scored in a fraud wave (0.6%);
# an unchanged rate (identity). The nearest wrong answers miss by far more than 1e-9: scaling p
# by live / trained, or the rate ratio in place of the odds ratio (4e-3 at p = 0.5).
_p = np.array([0.0, 0.001, 0.05, 0.3, 0.5, 0.77, 0.99, 1.0])
for _trained, _live, _expected in (
    (
        1 / 11,
        0.005,
        [
            0.0,
            5.029902771979417e-05,
            0.002637826431020839,
            0.02108222066057625,
            0.04784688995215311,
            0.14400598466429773,
            0.832632464255677,
            1.0,
        ],
    ),
    (
        0.003,
        0.006,
        [
            0.0,
            0.0020040201005025126,
            0.09549808429118774,
            0.4622874806800618,
            0.6673360107095047,
            0.8703968253968254,
            0.9949899193548387,
            1.0,
        ],
    ),
    (0.2, 0.2, [0.0, 0.001, 0.05, 0.3, 0.5, 0.77, 0.99, 1.0]),
):
    _expect.array_close(
        correct_probabilities(_p.copy(), _trained, _live),
        _expected,
        atol=1e-9,
        what=f"corrected probabilities from a fraud rate of {_trained:.4g} to {_live:.4g}",
    )
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
# training frauds, so the score leaks; and an average precision only compares at the same fraud
# rate, so a held-out set enriched with frauds flatters it. I would ask for the evaluation redone
# with resampling inside the pipeline (training folds only), on untouched payments of a later
# period than training (a time split with a gap for late chargebacks, at our real fraud rate),
# and reported as precision and recall at the alert volume our team
# can review, precision@k and expected cost in money, next to the plain model's. Flagging 4% of
# transactions when 0.5% are frauds means most alerts are false alarms: SMOTE inflated the
# probabilities, so 0.5 is not a meaningful threshold. Before it drives decisions, its
# probabilities must be recalibrated on real data (module 06) and the threshold chosen from the
# costs of missed frauds, reviews and customer friction, within capacity (module 03).

# Readable source of autograded/source/04_data_leakage/04_data_leakage.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/04_data_leakage.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/04_data_leakage.py.

# %% [markdown]
# # Data leakage: find it, measure it, fix it
#
# A fraud team hands you its extract, its split and its features. Your job is to make sure
# that nothing the model sees in training or validation is something it will not have when
# it scores a real payment. Module 04 (`modules/04_data_leakage.ipynb`) covers all of it:
# the availability audit, splits that respect time and entities, features built from the
# labels known at each payment, and optimism (validation score minus launch score).
#
# Answer in the cells marked `# YOUR CODE HERE` (replace `raise NotImplementedError()`), then
# run the check cell under each answer: `check("question-id")` tells you at once whether
# your answer passes the visible tests, with a hint when it does not. When your work is
# graded, hidden tests check more. Each question is graded on its own: write each function
# without calling your answers to other questions.

# %% readonly id=04-setup
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score
from sklearn.model_selection import train_test_split

from course import check
from course.data import FEATURE_COLUMNS, build_features, simulate_transactions
from course.grading.expect import Expect
from course.models import make_fraud_model

_expect = Expect()  # hidden tests' comparisons, captured before any learner code runs

# A small bank, the same for everyone: 300 cards, 600 terminals, 70 days, a few compromised terminals.
transactions = simulate_transactions(300, 600, 70, seed=11, compromised_terminal_rate=0.0002)
print(
    f"{len(transactions):,} payments over {transactions['day'].nunique()} days, "
    f"{int(transactions['is_fraud'].sum())} frauds."
)

# %% [markdown]
# ## Question 1: the availability audit (2 points)
#
# The team's candidate model columns are each computed from one or more **raw fields** of
# the extract (`FEATURE_SOURCES`). The data owners declared when each raw field becomes known,
# in days relative to the payment (`KNOWN_AFTER_PAYMENT_DAYS`): `0` at the payment, a negative
# number before it (yesterday's batch), a positive number after it.
#
# Write `usable_at_scoring(sources, known_after_days)`: the list of the model columns that
# can be computed when the payment is scored, in the order of `sources`. A column is usable
# only when **every** field it is computed from is known at or before the payment. A field
# missing from `known_after_days` has not been declared: treat it as not known.

# %% readonly id=04-audit-data
KNOWN_AFTER_PAYMENT_DAYS = {
    "amount": 0,
    "timestamp": 0,
    "terminal_id": 0,
    "customer_id": 0,
    "merchant_risk_score": -1,  # recomputed every night: yesterday's value is known
    "card_blocked_after": 1,  # a block after a fraud report, up to 7 days later
    "case_status": 3,  # set when an investigation is opened
    "chargeback_amount": 7,  # filled when the cardholder reports the fraud
    "is_fraud": 30,  # the label, settled weeks later
}
FEATURE_SOURCES = {
    "amount": ["amount"],
    "log_amount": ["amount"],
    "hour_of_day": ["timestamp"],
    "refund_total": ["chargeback_amount"],
    "merchant_risk_yesterday": ["merchant_risk_score"],
    "amount_to_card_mean": ["amount", "customer_id", "timestamp"],
    "blocked_flag": ["card_blocked_after"],
    "device_age_days": ["device_first_seen"],
    "amount_if_disputed": ["amount", "case_status"],
    "terminal_fraud_share": ["terminal_id", "is_fraud"],
    "night_at_terminal": ["timestamp", "terminal_id"],
}


# %% answer id=04-audit-answer
def usable_at_scoring(sources, known_after_days):
    ### BEGIN SOLUTION
    usable = []
    for column, fields in sources.items():  # in the order of sources
        # a column is as late as its latest field; a field nobody declared is not known
        if all(field in known_after_days and known_after_days[field] <= 0 for field in fields):
            usable.append(column)
    return usable
    ### END SOLUTION


usable_at_scoring(FEATURE_SOURCES, KNOWN_AFTER_PAYMENT_DAYS)

# %% tests id=04-audit-tests points=2
check("04-audit")
### BEGIN HIDDEN TESTS
# by hand from the two tables above: every source field known at or before the payment
_expect.equal(
    usable_at_scoring(FEATURE_SOURCES, KNOWN_AFTER_PAYMENT_DAYS),
    ["amount", "log_amount", "hour_of_day", "merchant_risk_yesterday", "amount_to_card_mean", "night_at_terminal"],
    what="the usable columns of the team's table",
)
# a leak under another name, a field known at the payment, an undeclared field, a mixed column
_expect.equal(
    usable_at_scoring(
        {"z": ["b"], "y": ["a"], "x": ["a", "c"], "w": ["d"], "v": ["a", "b"]}, {"a": 0, "b": 2, "c": -3}
    ),
    ["y", "x"],
    what="usable columns of a small table",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: a time split with a gap that keeps each card on one side (3 points)
#
# Write `grouped_time_split(df, validation_cards, *, train_days, gap_days, validation_days)`,
# returning two boolean NumPy arrays `(train, validation)` aligned with the rows of `df`:
#
# - days are counted from the **first day present in `df`** (its `day` column): training is
#   the first `train_days` days, then `gap_days` days are left out while labels arrive, then
#   validation lasts `validation_days` days;
# - a card is on **one side only**: the training rows are the payments of the training days
#   whose card (`customer_id`) is **not** in `validation_cards`; the validation rows are the
#   payments of the validation days whose card **is** in `validation_cards`.

# %% readonly id=04-split-data
VALIDATION_CARDS = np.arange(0, 300, 4)  # every fourth card goes to validation


# %% answer id=04-split-answer
def grouped_time_split(df, validation_cards, *, train_days, gap_days, validation_days):
    ### BEGIN SOLUTION
    day = df["day"].to_numpy()
    first = day.min()  # days count from the data's first day, not from day 0
    start = first + train_days + gap_days  # the gap: labels of the last training days still arriving
    in_validation_cards = np.isin(df["customer_id"].to_numpy(), np.asarray(list(validation_cards)))
    # time decides the period, the card decides the side: no card is seen on both
    train = (day >= first) & (day < first + train_days) & ~in_validation_cards
    validation = (day >= start) & (day < start + validation_days) & in_validation_cards
    return train, validation
    ### END SOLUTION


train_mask, validation_mask = grouped_time_split(
    transactions, VALIDATION_CARDS, train_days=28, gap_days=7, validation_days=14
)
print(f"{int(train_mask.sum()):,} training rows, {int(validation_mask.sum()):,} validation rows.")

# %% tests id=04-split-tests points=3
check("04-split")
### BEGIN HIDDEN TESTS
# expected values computed once with the solution on this data (simulate_transactions(..., seed=11))
_train, _validation = grouped_time_split(
    transactions.copy(), VALIDATION_CARDS, train_days=28, gap_days=7, validation_days=14
)
_expect.equal(int(np.sum(_train)), 12796, what="training rows")
_expect.equal(int(np.sum(_validation)), 1976, what="validation rows")
_expect.equal(int(transactions["day"].to_numpy()[_validation].min()), 35, what="first validation day")
_expect.equal(int(transactions["day"].to_numpy()[_validation].max()), 48, what="last validation day")
# days count from the first day of df, not from day 0
_later = transactions[transactions["day"] >= 5].reset_index(drop=True)
_train, _validation = grouped_time_split(_later, VALIDATION_CARDS, train_days=20, gap_days=10, validation_days=7)
_expect.equal(int(np.sum(_train)), 9129, what="training rows of the payments from day 5")
_expect.equal(int(np.sum(_validation)), 980, what="validation rows of the payments from day 5")
_expect.equal(int(_later["day"].to_numpy()[_validation].min()), 35, what="first validation day from day 5")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: a terminal's known frauds, as of each payment (3 points)
#
# The bank learns that a payment was a fraud only when the cardholder reports it.
# `payments` holds the payments of twenty terminals with, for each fraud, its
# `report_delay_days`: the days between the payment and its report (`NaN` for a genuine
# payment and for a fraud that is never reported).
#
# Write `known_terminal_frauds(payments, window_days)`: for each payment, the number of
# frauds among the **earlier** payments of the **same terminal** in the `window_days` days
# before it (timestamps in `[t - window_days, t)`, where `t` is the payment's timestamp) that
# the bank **already knows** at `t`: reported at or before `t`. Return one whole number per
# payment, in the order of the rows of `payments` (a NumPy array or a pandas Series).

# %% readonly id=04-terminal-risk-data
_terminals = transactions["terminal_id"].between(225, 244)
payments = transactions.loc[_terminals, ["timestamp", "terminal_id", "is_fraud"]].reset_index(drop=True)
_delay = (
    transactions.loc[_terminals, "label_available_at"] - transactions.loc[_terminals, "timestamp"]
).dt.total_seconds()
payments["report_delay_days"] = np.where(payments["is_fraud"].to_numpy() == 1, _delay.to_numpy() / 86400, np.nan)
print(
    f"{len(payments):,} payments on 20 terminals, {int(payments['is_fraud'].sum())} frauds, "
    f"{int(payments['report_delay_days'].notna().sum())} of them reported."
)


# %% answer id=04-terminal-risk-answer
def known_terminal_frauds(payments, window_days):
    ### BEGIN SOLUTION
    times = payments["timestamp"].to_numpy()
    # when the bank learns each fraud; NaT for a genuine payment or a fraud never reported
    reported_at = times + pd.to_timedelta(payments["report_delay_days"], unit="D").to_numpy()
    fraud = payments["is_fraud"].to_numpy() == 1
    window = np.timedelta64(int(round(window_days * 86400)), "s")
    counts = np.zeros(len(payments), dtype=int)
    for rows in payments.groupby("terminal_id").indices.values():  # one terminal at a time
        t = times[rows]
        # row i (a payment) against column j (another payment of the terminal): j in [t_i - window, t_i)
        earlier = (t[None, :] < t[:, None]) & (t[None, :] >= t[:, None] - window)
        # ... and j a fraud the bank already knew at t_i (NaT compares False: never known)
        known = fraud[rows][None, :] & (reported_at[rows][None, :] <= t[:, None])
        counts[rows] = (earlier & known).sum(axis=1)
    return counts
    ### END SOLUTION


known_7d = known_terminal_frauds(payments, 7)
print(f"Payments with at least one known fraud on their terminal in the 7 days before: {int((known_7d > 0).sum())}")

# %% tests id=04-terminal-risk-tests points=3
check("04-terminal-risk")
### BEGIN HIDDEN TESTS
# edge cases, by hand: a report exactly at the payment is known; a fraud exactly window_days earlier
# is in the window; a fraud never reported never counts; another terminal never counts
_edges = pd.DataFrame(
    {
        "timestamp": pd.to_datetime(
            [
                "2024-01-01 00:00",
                "2024-01-03 00:00",
                "2024-01-05 00:00",
                "2024-01-08 00:00",
                "2024-01-08 00:00",
                "2024-01-09 00:00",
            ]
        ),
        "terminal_id": [1, 1, 1, 1, 2, 1],
        "is_fraud": [1, 1, 0, 0, 0, 0],
        "report_delay_days": [4.0, np.nan, np.nan, np.nan, np.nan, np.nan],
    }
)
_expect.array_close(
    np.asarray(known_terminal_frauds(_edges, 7), dtype=float),
    [0, 0, 1, 1, 0, 0],
    atol=0,
    what="known frauds on the hand-made payments (window 7 days)",
)
# the assignment's payments: expected values computed once with the solution
_counts = np.asarray(known_terminal_frauds(payments.copy(), 7), dtype=float)
_expect.equal(int(_counts.sum()), 66, what="the sum of the known frauds over all payments (7 days)")
_expect.equal(int((_counts > 0).sum()), 31, what="payments with a known fraud (7 days)")
_counts = np.asarray(known_terminal_frauds(payments.copy(), 28), dtype=float)
_expect.equal(int(_counts.sum()), 795, what="the sum of the known frauds over all payments (28 days)")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: the optimism of a leaky pipeline on the launch window (2 points)
#
# The team built the pipeline below on the development period (the first 49 days) and
# launched it on day 49. It encodes each terminal by its fraud rate over **all** the
# development rows, then validates on a random quarter of them. It reports
# `TEAM_VALIDATION_AP`.
#
# Write `launch_optimism(model, terminal_rates, fallback_rate, launch_frame, validation_ap)`:
# the team's validation AP minus the average precision of `model` on the payments of
# `launch_frame` (its `is_fraud` column holds their labels), scored as they would have been
# in production. The model's inputs are the `FEATURE_COLUMNS` of `launch_frame` followed by a
# column `terminal_rate`. At launch, the only terminal rates that exist are the ones the team
# computed from the development period: look each payment's terminal up in `terminal_rates`
# (a pandas Series indexed by terminal), and give a terminal that is not in it `fallback_rate`.

# %% readonly id=04-optimism-data
features = build_features(transactions)[FEATURE_COLUMNS]
labels = transactions["is_fraud"].to_numpy()
development = transactions["day"].to_numpy() < 49
launch_frame = features[~development].assign(
    terminal_id=transactions.loc[~development, "terminal_id"], is_fraud=labels[~development]
)

# The team's pipeline, as it was shipped.
team_rates = pd.Series(labels[development]).groupby(transactions.loc[development, "terminal_id"].to_numpy()).mean()
team_fallback = float(labels[development].mean())
team_inputs = features[development].assign(
    terminal_rate=transactions.loc[development, "terminal_id"].map(team_rates).to_numpy()
)
_rows = np.arange(int(development.sum()))
_fit, _check = train_test_split(_rows, test_size=0.25, stratify=labels[development], random_state=0)
team_model = make_fraud_model("logreg").fit(team_inputs.iloc[_fit], labels[development][_fit])
TEAM_VALIDATION_AP = average_precision_score(
    labels[development][_check], team_model.predict_proba(team_inputs.iloc[_check])[:, 1]
)
print(f"The team reports a validation AP of {TEAM_VALIDATION_AP:.3f}.")


# %% answer id=04-optimism-answer
def launch_optimism(model, terminal_rates, fallback_rate, launch_frame, validation_ap):
    ### BEGIN SOLUTION
    # at launch only the development rates exist: never recompute them with launch labels
    rates = launch_frame["terminal_id"].map(terminal_rates).fillna(fallback_rate)
    inputs = launch_frame[FEATURE_COLUMNS].assign(terminal_rate=rates.to_numpy())  # the model's inputs, in order
    scores = model.predict_proba(inputs)[:, 1]
    # optimism: what validation promised minus what launch delivered
    return float(validation_ap - average_precision_score(launch_frame["is_fraud"], scores))
    ### END SOLUTION


optimism = launch_optimism(team_model, team_rates, team_fallback, launch_frame, TEAM_VALIDATION_AP)
print(f"Optimism of the team's protocol: {optimism:.3f}")

# %% tests id=04-optimism-tests points=2
check("04-optimism")
### BEGIN HIDDEN TESTS
# expected value computed once with the solution on this data
_expect.close(
    launch_optimism(team_model, team_rates.copy(), team_fallback, launch_frame.copy(), TEAM_VALIDATION_AP),
    0.2078524140925449,
    atol=1e-6,
    what="the optimism of the team's protocol",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: find the leak (2 points, graded by hand)
#
# A colleague shares this pipeline and a validation ROC-AUC of 0.99:
#
# ```python
# df["card_fraud_rate"] = df.groupby("customer_id")["is_fraud"].transform("mean")
# df["amount_z"] = (df["amount"] - df["amount"].mean()) / df["amount"].std()
# X = df[["amount_z", "card_fraud_rate", "customer_tx_count_1d"]]
# X_train, X_test, y_train, y_test = train_test_split(X, df["is_fraud"], test_size=0.2, random_state=0)
# model = LogisticRegression().fit(X_train, y_train)
# print(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
# ```
#
# In three to five sentences: name every leak you find, say which one inflates the score most
# and why, and say how you would fix the pipeline and measure what the leak cost.

# %% manual id=04-find-the-leak points=2
# The worst leak is `card_fraud_rate`: it is computed from every label of the card, including the
# payment's own label and labels that only arrive weeks later, so the feature carries the answer
# (target leakage through a post-outcome label; a card with one fraud gets a non-zero rate only
# because of that fraud). The random `train_test_split` adds two more: the same card sits on both
# sides (the model recognizes cards, an entity leak), and it ignores time (validation payments
# are mixed with the training weeks, no gap for late labels). Standardizing `amount` on all the rows
# before the split is a preprocessing leak too, but a small one (no label involved). Fix: build the
# card's fraud history from the reports known at each payment (or a TargetEncoder inside a Pipeline),
# scale inside the Pipeline, and validate forward in time with a gap and cards kept on one side; then
# score a later launch window nobody tuned on and report validation minus launch (the optimism) with
# day-level intervals, against the same pipeline without the leaky feature.

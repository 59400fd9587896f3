# Readable source of autograded/source/00_warm_up/00_warm_up.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/00_warm_up.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/00_warm_up.py.

# %% [markdown]
# # Warm-up: counting frauds and the money they cost
#
# Two weeks of card payments at a bank, made by the course's simulator (`course.data`). Each
# row is one transaction: the `day` it happened (0 to 13), its `amount` in euros and whether
# it was a fraud (`is_fraud` is 1 for a fraud, 0 for a genuine payment).
#
# Before any model, the questions a risk team asks first: how rare is fraud, how much money
# does it take, and does it hide in the big payments? Answer in the cells marked
# `# YOUR CODE HERE` (replace `raise NotImplementedError()`), then run the check cell under
# each answer: `check("question-id")` tells you at once whether your answer passes the
# visible tests. When your work is graded, hidden tests check more.

# %% readonly id=00-setup
import numpy as np  # noqa: F401 (for your answers)
import pandas as pd

from course import check
from course.data import simulate_transactions
from course.grading.expect import Expect

_expect = Expect()  # the hidden tests' comparisons, captured before any learner code runs

# The same two weeks for everyone: the simulator's only randomness is this seed.
df = simulate_transactions(1000, 2000, 14, seed=2024)[["day", "amount", "is_fraud"]]
df.head()

# %% [markdown]
# ## Question 1: the base rate (1 point)
#
# What share of the transactions are frauds? Store it in `base_rate`, as a number between 0
# and 1 (0.02 means 2 %). Keep every digit: do not round the number you store (round only
# what you print); the grader accepts a difference of at most 1e-9.

# %% answer id=00-base-rate-answer
### BEGIN SOLUTION
# is_fraud is 1 for a fraud and 0 otherwise: its mean is frauds / transactions (kept unrounded)
base_rate = df["is_fraud"].mean()
### END SOLUTION
base_rate

# %% tests id=00-base-rate-tests points=1
check("00-base-rate")
### BEGIN HIDDEN TESTS
# 109 frauds among 26,768 payments: df["is_fraud"].mean(), computed once when the assignment
# was written. Nearest wrong answers: the mean of the 14 daily rates is 2.0e-6 away,
# frauds / genuines 1.7e-5 and round(base_rate, 4) 2.8e-5, all far outside 1e-9.
_expect.close(base_rate, 0.0040720263000597725, atol=1e-9, what="base_rate")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: the money lost to fraud (1 point)
#
# Every fraud is money the bank refunds to its customer. Store in `fraud_loss` the total
# amount, in euros, of the fraudulent transactions.

# %% answer id=00-fraud-loss-answer
### BEGIN SOLUTION
# the amounts of the fraudulent rows only, added up: what the bank refunds
fraud_loss = df.loc[df["is_fraud"] == 1, "amount"].sum()
### END SOLUTION
fraud_loss

# %% tests id=00-fraud-loss-tests points=1
check("00-fraud-loss")
### BEGIN HIDDEN TESTS
# the 109 frauds' amounts add up to EUR 14,072.05 (computed once; amounts are in cents, so any
# order of summation is within 1e-6 of it)
_expect.close(fraud_loss, 14072.05, atol=1e-6, what="fraud_loss")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: do frauds hide in the big payments? (2 points)
#
# Write `share_of_frauds_above(df, threshold)`: among the frauds of `df`, the share whose
# amount is **strictly** above `threshold`. Assume `df` holds at least one fraud.
#
# Careful: this is P(amount > threshold | fraud), the share of frauds a rule
# "flag every payment above the threshold" would catch. It is not P(fraud | amount > threshold).
# Then look at `share_of_frauds_above(df, 100)`: do the frauds hide in the big payments?


# %% answer id=00-share-above-answer
def share_of_frauds_above(df, threshold):
    ### BEGIN SOLUTION
    fraud_amounts = df.loc[df["is_fraud"] == 1, "amount"]  # condition on fraud first
    return float((fraud_amounts > threshold).mean())  # strictly above; the mean of True/False is a share
    ### END SOLUTION


share_of_frauds_above(df, 100)

# %% tests id=00-share-above-tests points=2
check("00-share-above")
### BEGIN HIDDEN TESTS
# ties: two of the three frauds are exactly at the threshold, so only one is strictly above
_ties = pd.DataFrame({"amount": [100.0, 100.0, 250.0, 80.0, 400.0], "is_fraud": [1, 1, 1, 0, 0]})
_expect.close(share_of_frauds_above(_ties, 100), 1 / 3, atol=1e-12, what="share above 100 with ties at 100")
# on the two weeks (computed once): 32 of the 109 frauds are above EUR 100; EUR 12.13 is the
# median fraud amount, held by one fraud: 54 are strictly above it (55 at or above)
_expect.close(share_of_frauds_above(df.copy(), 100), 32 / 109, atol=1e-12, what="share_of_frauds_above(df, 100)")
_expect.close(share_of_frauds_above(df.copy(), 12.13), 54 / 109, atol=1e-12, what="share_of_frauds_above(df, 12.13)")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: fraud rate per day (2 points)
#
# Write `fraud_rate_by_day(df)`: a pandas Series indexed by day (the day numbers of `df`,
# whatever they are), in day order, whose values are the share of that day's transactions
# that are frauds. A day with transactions but no fraud has a rate of 0.


# %% answer id=00-rate-by-day-answer
def fraud_rate_by_day(df):
    ### BEGIN SOLUTION
    # every transaction grouped by its day (the day numbers stay the index), then the day's share of frauds
    return df.groupby("day")["is_fraud"].mean().sort_index()
    ### END SOLUTION


fraud_rate_by_day(df)

# %% tests id=00-rate-by-day-tests points=2
check("00-rate-by-day")
### BEGIN HIDDEN TESTS
# days 3, 5 and 6 (not 0, 1, 2): the index must hold the days, not positions
_days = pd.DataFrame({"day": [5, 3, 3, 6, 3, 5, 3], "amount": [1.0] * 7, "is_fraud": [1, 1, 0, 0, 0, 0, 1]})
_rates = fraud_rate_by_day(_days)
_expect.equal(list(_rates.index), [3, 5, 6], what="the days of the index")
_expect.array_close(_rates.to_numpy(dtype=float), [0.5, 0.5, 0.0], atol=1e-12, what="rates of days 3, 5 and 6")
# the two weeks: df.groupby("day")["is_fraud"].mean(), computed once
_rates = fraud_rate_by_day(df.copy())
_expect.equal(list(_rates.index), list(range(14)), what="the days of the two weeks")
_expect.array_close(
    _rates.to_numpy(dtype=float),
    [
        0.0037593984962406013,
        0.0015806111696522655,
        0.0015511892450879006,
        0.0010303967027305513,
        0.0107747562852745,
        0.0005282620179609086,
        0.003146303093864709,
        0.004547751389590703,
        0.0015657620041753654,
        0.01108179419525066,
        0.005684754521963824,
        0.006564551422319475,
        0.0026082420448617634,
        0.002612330198537095,
    ],
    atol=1e-12,
    what="daily fraud rates of the two weeks",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: is "98 % accurate" good news? (2 points, graded by hand)
#
# A colleague says: "A model that never flags any transaction is right on almost every
# transaction, so it is almost perfect." In two or three sentences, say what is wrong with
# this, using your `base_rate` and `fraud_loss`.

# %% manual id=00-accuracy-trap points=2
# Accuracy counts transactions, and frauds are only `base_rate` of them: flagging nothing is
# right on a share 1 - `base_rate` of the transactions while catching no fraud at all (its
# recall is 0). The bank would refund every fraud, `fraud_loss` euros in two weeks. What matters
# is the money and the frauds caught, not the share of transactions labelled right.

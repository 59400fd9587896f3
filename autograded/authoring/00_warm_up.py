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
import numpy as np
import pandas as pd

from course import check
from course.data import simulate_transactions

# The same two weeks for everyone: the simulator's only randomness is this seed.
df = simulate_transactions(1000, 2000, 14, seed=2024)[["day", "amount", "is_fraud"]]
df.head()

# %% [markdown]
# ## Question 1: the base rate (1 point)
#
# What share of the transactions are frauds? Store it in `base_rate`, as a number between 0
# and 1 (0.02 means 2 %).

# %% answer id=00-base-rate-answer
### BEGIN SOLUTION
base_rate = df["is_fraud"].mean()
### END SOLUTION
base_rate

# %% tests id=00-base-rate-tests points=1
check("00-base-rate")
### BEGIN HIDDEN TESTS
assert abs(base_rate - df["is_fraud"].mean()) < 1e-12
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: the money lost to fraud (1 point)
#
# Every fraud is money the bank refunds to its customer. Store in `fraud_loss` the total
# amount, in euros, of the fraudulent transactions.

# %% answer id=00-fraud-loss-answer
### BEGIN SOLUTION
fraud_loss = df.loc[df["is_fraud"] == 1, "amount"].sum()
### END SOLUTION
fraud_loss

# %% tests id=00-fraud-loss-tests points=1
check("00-fraud-loss")
### BEGIN HIDDEN TESTS
_expected_loss = df.loc[df["is_fraud"] == 1, "amount"].sum()
assert abs(fraud_loss - _expected_loss) <= 1e-9 * _expected_loss
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
    fraud_amounts = df.loc[df["is_fraud"] == 1, "amount"]
    return float((fraud_amounts > threshold).mean())
    ### END SOLUTION


share_of_frauds_above(df, 100)

# %% tests id=00-share-above-tests points=2
check("00-share-above")
### BEGIN HIDDEN TESTS
_ties = pd.DataFrame({"amount": [100.0, 100.0, 250.0, 80.0, 400.0], "is_fraud": [1, 1, 1, 0, 0]})
assert abs(share_of_frauds_above(_ties, 100) - 1 / 3) < 1e-12
_frauds = df.loc[df["is_fraud"] == 1, "amount"]
assert abs(share_of_frauds_above(df, 100) - (_frauds > 100).mean()) < 1e-12
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: fraud rate per day (2 points)
#
# Write `fraud_rate_by_day(df)`: a pandas Series indexed by day, in day order, whose values
# are the share of that day's transactions that are frauds. A day with transactions but no
# fraud has a rate of 0.


# %% answer id=00-rate-by-day-answer
def fraud_rate_by_day(df):
    ### BEGIN SOLUTION
    return df.groupby("day")["is_fraud"].mean().sort_index()
    ### END SOLUTION


fraud_rate_by_day(df)

# %% tests id=00-rate-by-day-tests points=2
check("00-rate-by-day")
### BEGIN HIDDEN TESTS
_days = pd.DataFrame({"day": [3, 3, 3, 3, 5, 5, 6], "amount": [1.0] * 7, "is_fraud": [1, 1, 0, 0, 1, 0, 0]})
assert np.allclose(fraud_rate_by_day(_days).to_numpy(dtype=float), [0.5, 0.5, 0.0])
_per_day = df.groupby("day")["is_fraud"].mean()
assert np.allclose(fraud_rate_by_day(df).to_numpy(dtype=float), _per_day.to_numpy())
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

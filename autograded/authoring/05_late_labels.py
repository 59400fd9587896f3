# Readable source of autograded/source/05_late_labels/05_late_labels.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/05_late_labels.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/05_late_labels.py.
# Hidden tests compare with literal values computed once from the solution on the setup's data
# (500 customers, 60 days, seed 11): see the comment above each.

# %% [markdown]
# # Late-arriving labels
#
# A bank learns that a payment was a fraud when the cardholder reports it, days or weeks
# later; a payment without report is only taken as genuine once it is old enough. Your job:
# say what the bank knows on a given date, estimate how long reports take from what is known,
# correct the fraud rate of the last days for the reports still to come, measure a model's
# precision as of a date against eventually, and choose a training window whose labels are
# final. Module 05 (`modules/05_late_labels.ipynb`) covers all of it.
#
# Time is counted in **days since day 0**, as floats: `12.375` is day 12 at 09:00, and
# `as_of = 60.0` is the moment day 60 starts (midnight). The table `payments` is an extract
# taken long after, so it already holds reports that come after any date you look at: using
# them as of that date is exactly the mistake to avoid.
#
# - `paid_at`: when the payment was made;
# - `reported_at`: when its fraud report arrived (`NaN`: never reported; a genuine payment
#   has no report);
# - `amount`, and `alert`: whether the bank's model flagged it.
#
# **The bank's labelling rule**, as of a moment `as_of`, with a maturity of `maturity_days`:
#
# - **fraud** (1) when a report has arrived: `reported_at <= as_of`;
# - otherwise **genuine** (0) once mature: `paid_at + maturity_days <= as_of`. A fraud not
#   reported yet is genuine for the bank on that date;
# - otherwise **unknown** (`NaN`): too young to tell, or made after `as_of`.
#
# Answer in the cells marked `# YOUR CODE HERE` (replace `raise NotImplementedError()`), then
# run the check cell under each answer: `check("question-id")` tells you at once whether your
# answer passes the visible tests; when it fails, it says why and gives a hint. When your work
# is graded, hidden tests check more. Each question is graded on its
# own: write each function without calling your answers to other questions.

# %% readonly id=05-setup
import numpy as np
import pandas as pd
from scipy import stats

from course import check
from course.data import build_features, simulate_transactions
from course.grading.expect import Expect
from course.lessons.late_labels import fit_on_window

_expect = Expect()
_ecdf = stats.ecdf  # the hidden tests' reference, taken before any answer runs

TODAY = 60.0  # the start of day 60
MATURITY_DAYS = 30


def report_share(age_days):
    """Share of the reports that arrive within ``age_days`` of the payment (this bank's delay curve)."""
    law = stats.lognorm(s=1.0, scale=7.0)
    return law.cdf(np.minimum(age_days, 120.0)) / law.cdf(120.0)


# A small bank, the same for everyone: 60 days of payments and the alerts of a model trained
# on the first weeks (with the labels known then).
_world = simulate_transactions(500, 1000, 60, seed=11)
_features = build_features(_world)
_model, _, _ = fit_on_window(_world, _features, "2024-01-29", gap_days=7, window_days=21)
_score = _model.predict_proba(_features)[:, 1]
_day0 = pd.Timestamp("2024-01-01")
_reported = _world["label_available_at"].where(_world["is_fraud"] == 1)
payments = pd.DataFrame(
    {
        "paid_at": (_world["timestamp"] - _day0) / pd.Timedelta(days=1),
        "reported_at": (_reported - _day0) / pd.Timedelta(days=1),
        "amount": _world["amount"],
        "alert": _score >= np.quantile(_score, 0.995),
    }
)
print(
    f"{len(payments):,} payments, {int(payments['reported_at'].notna().sum())} eventually reported as fraud, "
    f"{int((payments['reported_at'] <= TODAY).sum())} of them by day {TODAY:g}; {int(payments['alert'].sum())} alerts."
)

# %% [markdown]
# ## Question 1: the labels the bank holds on a date (2 points)
#
# Write `labels_on(payments, as_of, maturity_days)`: one label per payment under the rule
# above, as a pandas Series aligned with `payments.index`, holding `1.0`, `0.0` or `NaN`.


# %% answer id=05-labels-answer
def labels_on(payments, as_of, maturity_days):
    ### BEGIN SOLUTION
    # a report counts only once it has arrived (<=); NaN <= as_of is False: no report, no fraud
    fraud = (payments["reported_at"] <= as_of).to_numpy()
    # without a report, genuine once mature; a fraud reported later is genuine on this date
    mature = (payments["paid_at"] + maturity_days <= as_of).to_numpy()
    values = np.where(fraud, 1.0, np.where(mature, 0.0, np.nan))
    return pd.Series(values, index=payments.index)
    ### END SOLUTION


labels_on(payments, TODAY, MATURITY_DAYS).value_counts(dropna=False)

# %% tests id=05-labels-tests points=2
check("05-labels")
### BEGIN HIDDEN TESTS
_tiny = pd.DataFrame(
    {
        "paid_at": [0.0, 5.0, 20.0, 20.0, 31.0, 40.0, 10.0],
        "reported_at": [np.nan, 30.0, 29.5, np.nan, np.nan, np.nan, 45.0],
    }
)
# as of 30.0, maturity 10: a report exactly at 30.0 is known (<=); 20.0 + 10 <= 30 is mature;
# a payment after as_of is unknown; a fraud reported after as_of is genuine for now
_got = pd.Series(labels_on(_tiny.copy(), 30.0, 10)).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
_expect.array_close(
    np.nan_to_num(_got, nan=-1.0),
    [0.0, 1.0, 1.0, 0.0, -1.0, -1.0, 0.0],
    atol=0,
    what="labels of the hand-made payments as of 30.0 (-1 stands for NaN)",
)
# on the assignment's data (computed once with the solution): counts of 1 / 0 / NaN
for _as_of, _maturity, _counts in (
    (TODAY, MATURITY_DAYS, (95, 28935, 28942)),
    (45.5, 7, (52, 37130, 20790)),
    (TODAY, 0, (95, 57877, 0)),
):
    _got = (
        pd.Series(labels_on(payments.copy(), _as_of, _maturity))
        .astype("Float64")
        .to_numpy(dtype=float, na_value=np.nan)
    )
    _expect.equal(int((_got == 1).sum()), _counts[0], what=f"frauds known as of {_as_of} (maturity {_maturity})")
    _expect.equal(int((_got == 0).sum()), _counts[1], what=f"genuine payments as of {_as_of} (maturity {_maturity})")
    _expect.equal(int(np.isnan(_got).sum()), _counts[2], what=f"unknown labels as of {_as_of} (maturity {_maturity})")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: the report delay, with the censored payments (2 points)
#
# To estimate how long reports take from what is known on `as_of`, follow every payment made
# before `as_of` from its payment: a report that has arrived by `as_of` (`<=`) is an **event**
# at its delay (`reported_at - paid_at`); every other payment made before `as_of` is
# **right-censored** at its age (`as_of - paid_at`): it may still be reported, or be genuine.
#
# Write `delay_observations(payments, as_of)`: a `scipy.stats.CensoredData` holding the
# delays as uncensored values and the ages of the others as right-censored values.
# Kaplan-Meier is then `stats.ecdf(delay_observations(...))` (the cell below prints it).


# %% answer id=05-delays-answer
def delay_observations(payments, as_of):
    ### BEGIN SOLUTION
    before = payments[payments["paid_at"] < as_of]  # a later payment is not followed yet
    reported = (before["reported_at"] <= as_of).to_numpy()  # an event only if it has arrived
    delays = (before["reported_at"] - before["paid_at"]).to_numpy()[reported]
    ages = (as_of - before["paid_at"]).to_numpy()[~reported]  # still followed: censored at their age
    return stats.CensoredData(uncensored=delays, right=ages)
    ### END SOLUTION


_km = stats.ecdf(delay_observations(payments, TODAY)).cdf
print(
    "Share of the reports within 3, 7, 14 days (Kaplan-Meier, within 50 days):",
    np.round(_km.evaluate([3, 7, 14]) / _km.evaluate(50), 3),
)

# %% tests id=05-delays-tests points=2
check("05-delays")
### BEGIN HIDDEN TESTS
_data = delay_observations(payments.copy(), TODAY)
_expect.true(isinstance(_data, stats.CensoredData), what="delay_observations returns a scipy.stats.CensoredData")
# computed once with the solution: payments before day 60, reports by then, and Kaplan-Meier
_expect.equal(len(_data), 57972, what="observations (payments made before as_of)")
_expect.equal(int(_data.num_censored()), 57877, what="right-censored observations")
_expect.array_close(
    _ecdf(_data).cdf.evaluate([3.0, 7.0, 14.0, 28.0]),
    [0.0003734614963465388, 0.0009902266744866717, 0.0014987741646101949, 0.0019074403211196689],
    atol=1e-12,
    what="Kaplan-Meier share of payments reported within 3, 7, 14, 28 days",
)
# a report exactly at as_of is an event; a payment made after as_of is not followed at all
_edge = pd.DataFrame({"paid_at": [1.0, 2.0, 3.0, 12.0], "reported_at": [10.0, np.nan, 11.0, 12.5]})
_data = delay_observations(_edge.copy(), 10.0)
_expect.equal(len(_data), 3, what="observations of the edge case (the payment after as_of is left out)")
_expect.equal(int(_data.num_censored()), 2, what="censored observations of the edge case")
_expect.array_close(
    _ecdf(_data).cdf.evaluate([7.0, 8.0, 9.0]),
    [0.0, 0.0, 1.0],
    atol=1e-12,
    what="Kaplan-Meier of the edge case (censored at 7 and 8, the report at 9)",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: the delay-corrected fraud rate of the last days (2 points)
#
# The last days look safe because their frauds have not been reported yet. A payment of age
# `a` on `as_of` has had time for a share `report_share(a)` of its reports (the function is in
# the setup cell and takes a NumPy array). So the frauds known today for a group of payments
# are expected to be `rate * sum(report_share(a_i))`, and the **delay-corrected rate** is
#
#     frauds reported by as_of / sum over the payments of report_share(as_of - paid_at)
#
# Write `corrected_fraud_rate(payments, as_of, first_day, report_share)` for the payments
# made from `first_day` (a day number, included) up to `as_of` (excluded). Return one number.


# %% answer id=05-corrected-answer
def corrected_fraud_rate(payments, as_of, first_day, report_share):
    ### BEGIN SOLUTION
    recent = payments[(payments["paid_at"] >= first_day) & (payments["paid_at"] < as_of)]
    known = int((recent["reported_at"] <= as_of).sum())  # what the bank knows on the date
    # each payment has had time for report_share(its age) of its reports: add the shares up
    expected_share = report_share((as_of - recent["paid_at"]).to_numpy()).sum()
    return known / expected_share
    ### END SOLUTION


_recent = payments[payments["paid_at"] >= TODAY - 7]
print(
    f"Last 7 days: rate known today {(_recent['reported_at'] <= TODAY).mean():.3%}, delay-corrected "
    f"{corrected_fraud_rate(payments, TODAY, TODAY - 7, report_share):.3%}, eventual "
    f"{_recent['reported_at'].notna().mean():.3%}."
)

# %% tests id=05-corrected-tests points=2
check("05-corrected")
### BEGIN HIDDEN TESTS
# ages 1, 3 and 9 days (shares differ: the expected share is summed per payment, not taken at the mean age);
# the report at exactly as_of counts; the payment of day first_day counts; the one after as_of does not
_edge = pd.DataFrame({"paid_at": [9.0, 7.0, 1.0, 0.5, 10.5], "reported_at": [10.0, np.nan, 50.0, 3.0, 11.0]})
_share = lambda age: np.minimum(np.asarray(age, dtype=float) / 10.0, 1.0) ** 2
_expect.close(
    corrected_fraud_rate(_edge.copy(), 10.0, 1, _share),
    1 / (0.01 + 0.09 + 0.81),
    atol=1e-12,
    what="corrected rate of the hand-made payments",
)
# on the assignment's data (computed once with the solution)
for _first, _value in ((53, 0.00727655854184605), (46, 0.003179637480798092), (30, 0.003096993584296298)):
    _expect.close(
        corrected_fraud_rate(payments.copy(), TODAY, _first, report_share),
        _value,
        atol=1e-9,
        what=f"corrected fraud rate from day {_first}",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4: precision as of a date, and eventually (2 points)
#
# The model's alerts are `payments["alert"]`. Write `precision_as_of(payments, as_of,
# maturity_days)`: the share of frauds among the alerted payments **whose label is known** on
# `as_of` under the bank's rule (write the rule again here: each question is graded on its
# own). Return one number; with `as_of=np.inf` it is the precision once every report is in.


# %% answer id=05-precision-answer
def precision_as_of(payments, as_of, maturity_days):
    ### BEGIN SOLUTION
    alerts = payments[payments["alert"]]
    fraud = alerts["reported_at"] <= as_of
    genuine = ~fraud & (alerts["paid_at"] + maturity_days <= as_of)
    # the alerts too young to be labelled are neither: left out of both counts
    return fraud.sum() / (fraud.sum() + genuine.sum())
    ### END SOLUTION


_april = payments[payments["paid_at"] >= 30]
for _as_of in (TODAY, TODAY + 14, np.inf):
    print(
        f"precision of the alerts of days 30-59 as of {_as_of:g}: "
        f"labels known so far {precision_as_of(_april, _as_of, 0):.3f}, "
        f"with the {MATURITY_DAYS}-day maturity {precision_as_of(_april, _as_of, MATURITY_DAYS):.3f}"
    )

# %% tests id=05-precision-tests points=2
check("05-precision")
### BEGIN HIDDEN TESTS
# as of 30.0 with maturity 10: the report at exactly 30.0 counts, the alert reported later is a false
# alarm for now, the alert of day 25 is unknown (left out), the payment without alert plays no part
_edge = pd.DataFrame(
    {
        "paid_at": [5.0, 10.0, 25.0, 20.0, 1.0],
        "reported_at": [30.0, 40.0, np.nan, np.nan, 2.0],
        "alert": [True, True, True, True, False],
    }
)
_expect.close(precision_as_of(_edge.copy(), 30.0, 10), 1 / 3, atol=1e-12, what="precision of the hand-made alerts")
# on the assignment's data (computed once with the solution)
_late = payments[payments["paid_at"] >= 30]
for _as_of, _maturity, _value in (
    (TODAY, 0, 13 / 29),
    (TODAY + 14, 0, 39 / 58),
    (TODAY + 14, MATURITY_DAYS, 39 / 46),
    (np.inf, 0, 22 / 29),
):
    _expect.close(
        precision_as_of(_late.copy(), _as_of, _maturity),
        _value,
        atol=1e-12,
        what=f"precision as of {_as_of} with maturity {_maturity}",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Question 5: a training window whose labels are final (1 point)
#
# The bank retrains at `today` (the start of day `today`, an integer). Its rule: a payment may
# enter training only when its label is final, that is when it is **mature**
# (`paid_at + maturity_days <= today`): a fraud not reported by then is genuine for good.
#
# Write `training_mask(payments, today, window_days, maturity_days)`: a boolean NumPy array,
# one entry per payment, true for the payments of the `window_days` most recent **whole
# days** (day `d` holds the payments with `d <= paid_at < d + 1`) all of whose payments are
# mature at `today`.


# %% answer id=05-window-answer
def training_mask(payments, today, window_days, maturity_days):
    ### BEGIN SOLUTION
    day = np.floor(payments["paid_at"].to_numpy())
    last = today - maturity_days - 1  # day d is all mature when d + 1 + maturity_days <= today
    return (day > last - window_days) & (day <= last)
    ### END SOLUTION


_mask = training_mask(payments, 60, 21, MATURITY_DAYS)
print(
    f"Training on days {np.floor(payments.loc[_mask, 'paid_at'].min()):g} to "
    f"{np.floor(payments.loc[_mask, 'paid_at'].max()):g}: {_mask.sum():,} payments."
)

# %% tests id=05-window-tests points=1
check("05-window")
### BEGIN HIDDEN TESTS
# day 29's payments are 30 days old only at the end of day 59: with today = 60 and maturity 30,
# the most recent whole mature day is 29 (29 + 1 + 30 <= 60), the window of 21 days is 9..29
_days = pd.DataFrame({"paid_at": [8.9, 9.0, 15.5, 29.99, 30.0, 30.5]})
_expect.array_close(
    np.asarray(training_mask(_days.copy(), 60, 21, 30), dtype=float),
    [0, 1, 1, 1, 0, 0],
    atol=0,
    what="training window of the hand-made payments (today 60, maturity 30, 21 days)",
)
# on the assignment's data (computed once with the solution)
_expect.equal(
    int(np.asarray(training_mask(payments.copy(), 60, 21, MATURITY_DAYS)).sum()),
    20222,
    what="payments in the 21-day window with a 30-day maturity",
)
_expect.equal(
    int(np.asarray(training_mask(payments.copy(), 45, 14, 7)).sum()),
    13556,
    what="payments in the 14-day window with a 7-day maturity",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Question 6: explain it to the head of fraud (2 points, graded by hand)
#
# "Chargebacks arrive 30 to 90 days after the payment. How did last month's model do, and what
# will you retrain on?" Answer in four or five sentences with the numbers your cells printed:
# what you can say today and what must wait, which way today's precision is wrong and why, what
# the fraud rate of the last week really is, and which window you train on.

# %% manual id=05-explain points=2
# Today I can report what needs no label: alerts per day, and the precision of the alerts the
# analysts have already confirmed. Precision measured with the labels known so far is too low
# (the frauds among the alerts that nobody has reported yet count as false alarms), and
# dropping the payments too young to be labelled makes it too high instead; recall, precision
# and the fraud rate become final only once the month is past the maturity window. The fraud
# rate of the last week as known today is far below the truth; corrected by the delay curve
# (known frauds divided by the share of reports expected by now) it is close to the rate of
# the weeks before, with a wide interval. I retrain on the most recent whole days whose labels
# are final under the maturity rule, so that no fraud still to be reported is learnt as
# genuine, and I check the gap in money against a fresher window on past data.

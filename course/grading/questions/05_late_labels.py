"""Visible tests of assignment 05_late_labels (autograded/source/05_late_labels/05_late_labels.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made payments whose labels
one can work out by hand (times in days since day 0); the hidden tests in the source notebook
check ties at the date, payments made after it and the exact values on the assignment's data.
Hints go one level deeper at each call of ``hint("05-...")``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from course.grading import Question
from course.grading.answer_types import describe_value, is_number, is_share


def _payments(paid_at, reported_at, alert=None):
    frame = pd.DataFrame(
        {"paid_at": np.asarray(paid_at, dtype=float), "reported_at": np.asarray(reported_at, dtype=float)}
    )
    if alert is not None:
        frame["alert"] = np.asarray(alert, dtype=bool)
    return frame


def _as_floats(result, length):
    """The learner's labels as floats with NaN (a Series of floats, or nullable integers with <NA>)."""
    assert isinstance(result, pd.Series), f"expected a pandas Series, got {describe_value(result)}."
    assert len(result) == length, f"expected one label per payment ({length}), got {len(result)}."
    try:
        return result.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise AssertionError(f"the labels should be 1.0, 0.0 or NaN, got values {result.tolist()[:8]}.") from None


# --- 05-labels -------------------------------------------------------------------------------
labels_question = Question("05-labels", "The labels the bank holds on a date")
# as of day 30 with a 10-day maturity: reported on day 5 (fraud), reported on day 35 (not yet:
# genuine for the bank, it is 30 days old), no report but only 5 days old (unknown), made after
# the date (unknown).
_LABEL_PAYMENTS = ([0.0, 0.0, 25.0, 40.0], [5.0, 35.0, np.nan, np.nan])


@labels_question.test(
    hint=[
        "Return pd.Series(values, index=payments.index): one label per payment, in the same order.",
        "Build it from two boolean masks: 'a report has arrived' and 'old enough to be mature'.",
        "np.where(fraud, 1.0, np.where(mature, 0.0, np.nan)) turns the two masks into the three labels.",
    ]
)
def labels_are_a_series_aligned_with_the_payments(labels_on):
    """labels_on(payments, as_of, maturity_days) returns one label per payment, indexed like payments"""
    payments = _payments(*_LABEL_PAYMENTS)
    payments.index = [10, 11, 12, 13]
    result = labels_on(payments.copy(), 30.0, 10)
    values = _as_floats(result, 4)
    assert list(result.index) == [10, 11, 12, 13], (
        f"the Series should carry the payments' index [10, 11, 12, 13], got {list(result.index)}."
    )
    bad = [v for v in values if not (np.isnan(v) or v in (0.0, 1.0))]
    assert not bad, f"every label should be 1.0, 0.0 or NaN, got {bad}."


@labels_question.test(
    hint=[
        "On the date, the bank knows only the reports that have arrived by then.",
        "A fraud reported after the date is, on that date, a payment without report: genuine if mature.",
        "A payment without report is genuine only when paid_at + maturity_days <= as_of; before that it is NaN.",
    ]
)
def labels_follow_the_rule_on_hand_made_payments(labels_on):
    """as of day 30, maturity 10: reported on day 5 -> 1; reported on day 35 -> 0; 5 days old -> NaN; later -> NaN"""
    values = _as_floats(labels_on(_payments(*_LABEL_PAYMENTS), 30.0, 10), 4)
    shown = ["NaN" if np.isnan(v) else f"{v:g}" for v in values]
    assert shown == ["1", "0", "NaN", "NaN"], (
        f"expected [1, 0, NaN, NaN]: a report by day 30 is a fraud; the fraud reported on day 35 is not known on "
        f"day 30, and its payment is 30 days old, so it is genuine for now; a 5-day-old payment and one made after "
        f"the date are unknown. Got {shown}."
    )


# --- 05-delays -------------------------------------------------------------------------------
delays_question = Question("05-delays", "The report delay, with the censored payments")
# as of day 6: paid on day 0 and reported on day 3 (event, delay 3); paid on day 1 without report
# (censored at 5); paid on day 2 and reported on day 9 (not yet: censored at 4); paid on day 5
# (censored at 1).
_DELAY_PAYMENTS = ([0.0, 1.0, 2.0, 5.0], [3.0, np.nan, 9.0, np.nan])


@delays_question.test(
    hint=[
        "Return stats.CensoredData(uncensored=..., right=...): the delays go in one, the ages in the other.",
        "A payment is an event only if its report has arrived by as_of; every other payment is still followed.",
        "Leaving out the payments without report keeps only the fast reports: the delay then looks too short.",
    ]
)
def every_payment_made_before_the_date_is_followed(delay_observations):
    """as of day 6: one report (delay 3) and three right-censored payments (ages 5, 4 and 1)"""
    data = delay_observations(_payments(*_DELAY_PAYMENTS), 6.0)
    assert isinstance(data, stats.CensoredData), f"expected a scipy.stats.CensoredData, got {describe_value(data)}."
    assert len(data) == 4, f"the 4 payments made before day 6 should all be observations, got {len(data)}."
    assert data.num_censored() == 3, (
        f"3 payments have no report by day 6 (one is reported later, on day 9): they are right-censored; "
        f"got {data.num_censored()} censored."
    )
    # Kaplan-Meier of the expected observations (event at 3; censored at 1, 4, 5): 3 followed at day 3, one
    # reported, so a third of them reported within 3 days
    expected = [0.0, 0.0, 1 / 3, 1 / 3, 1 / 3]
    got = stats.ecdf(data).cdf.evaluate([0.5, 2.0, 3.0, 4.0, 5.0])
    assert np.allclose(got, expected), (
        f"the observations should be one event at 3 days (reported on day 3, paid on day 0) and payments censored "
        f"at their age on day 6 (6 - paid_at: 5, 4 and 1): Kaplan-Meier then gives {np.round(expected, 3).tolist()} "
        f"at 0.5, 2, 3, 4 and 5 days; yours gives {np.round(got, 3).tolist()}."
    )


# --- 05-corrected ----------------------------------------------------------------------------
corrected_question = Question("05-corrected", "The delay-corrected fraud rate")
# four payments of day 8, two days old on day 10, one fraud reported on day 9; with a curve
# saying that a quarter of the reports arrive per day, each has had time for half its reports.
_CORRECTED_PAYMENTS = ([8.0, 8.0, 8.0, 8.0], [9.0, np.nan, np.nan, np.nan])


def _quarter_a_day(age):
    return np.minimum(np.asarray(age, dtype=float) / 4.0, 1.0)


@corrected_question.test(hint=["Return one number: a rate, not a Series or a count."])
def corrected_rate_is_one_number(corrected_fraud_rate):
    """corrected_fraud_rate(...) returns one number"""
    result = corrected_fraud_rate(_payments(*_CORRECTED_PAYMENTS), 10.0, 0, _quarter_a_day)
    assert is_number(result), f"expected one number, got {describe_value(result)}."


@corrected_question.test(
    hint=[
        "Dividing the frauds known by the number of payments is the rate as known today: the censoring cliff.",
        "Each payment has had time for report_share(as_of - paid_at) of its reports: add these shares up.",
        "Rate = frauds reported by as_of / sum of report_share(as_of - paid_at) over the payments of the period.",
    ]
)
def corrected_rate_divides_by_the_share_reported(corrected_fraud_rate):
    """4 payments, each with half of its reports by now, 1 fraud reported: the corrected rate is 1 / 2 = 0.5"""
    result = corrected_fraud_rate(_payments(*_CORRECTED_PAYMENTS), 10.0, 0, _quarter_a_day)
    assert is_number(result) and math.isclose(result, 0.5), (
        f"1 fraud is known among 4 payments that have each had time for half of their reports (shares adding up "
        f"to 4 x 0.5 = 2): the corrected rate is 1 / 2 = 0.5, not 1 / 4 (the rate as known today); got {result!r}."
    )


# --- 05-precision ----------------------------------------------------------------------------
precision_question = Question("05-precision", "Precision as of a date")
# as of day 30, maturity 10: alerts on a fraud reported on day 5, on a genuine payment of day 0,
# and on a 5-day-old payment (unknown); the payment of day 0 without alert plays no part.
_PRECISION_PAYMENTS = ([0.0, 0.0, 0.0, 25.0], [5.0, np.nan, np.nan, np.nan], [True, True, False, True])


@precision_question.test(hint=["Return one number between 0 and 1: frauds among the alerts whose label is known."])
def precision_is_a_share(precision_as_of):
    """precision_as_of(...) returns one number between 0 and 1"""
    result = precision_as_of(_payments(*_PRECISION_PAYMENTS), 30.0, 10)
    assert is_share(result), f"expected one number between 0 and 1, got {describe_value(result)}."


@precision_question.test(
    hint=[
        "Only the alerted payments count, and among them only those whose label is known on the date.",
        "An alert too young to be labelled is neither a fraud nor a false alarm yet: leave it out.",
        "precision = alerts with a report by as_of / (those + alerts without report that are mature).",
    ]
)
def unknown_alerts_are_left_out(precision_as_of):
    """as of day 30, maturity 10: a reported fraud and a mature genuine alert, the 5-day-old alert left out: 1 / 2"""
    result = precision_as_of(_payments(*_PRECISION_PAYMENTS), 30.0, 10)
    assert is_number(result) and math.isclose(result, 0.5), (
        f"of the 3 alerts, one is a reported fraud, one a mature genuine payment and one too young to be "
        f"labelled: expected 1 / 2 = 0.5 (counting the young alert as genuine gives 1 / 3); got {result!r}."
    )


# --- 05-window -------------------------------------------------------------------------------
window_question = Question("05-window", "A training window whose labels are final")
_WINDOW_PAYMENTS = [6.5, 7.2, 9.9, 10.0]


@window_question.test(hint=["Return a boolean NumPy array with one entry per payment, e.g. (a >= b) & (c < d)."])
def window_is_one_boolean_per_payment(training_mask):
    """training_mask(...) returns one boolean per payment"""
    result = np.asarray(training_mask(pd.DataFrame({"paid_at": _WINDOW_PAYMENTS}), 10, 3, 0))
    assert result.shape == (4,) and result.dtype == bool, (
        f"expected a boolean array of shape (4,), got dtype {result.dtype} and shape {result.shape}."
    )


@window_question.test(
    hint=[
        "Work in whole days: day d holds the payments with d <= paid_at < d + 1.",
        "Day d is complete and mature when its last instant is: d + 1 + maturity_days <= today.",
        "The last usable day is today - maturity_days - 1; the window is the window_days days ending there.",
    ]
)
def window_takes_the_last_complete_mature_days(training_mask):
    """today 10, no maturity, 3 days: days 7, 8 and 9 (day 10 has not happened yet)"""
    result = np.asarray(training_mask(pd.DataFrame({"paid_at": _WINDOW_PAYMENTS}), 10, 3, 0)).tolist()
    assert result == [False, True, True, False], (
        f"with today = 10 and no maturity, the 3 most recent whole days are 7, 8 and 9: payments at 7.2 and 9.9 "
        f"are in, 6.5 (day 6) and 10.0 (day 10, today) are out. Expected [False, True, True, False], got {result}."
    )

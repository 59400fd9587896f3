"""Visible tests of assignment 00_warm_up (autograded/source/00_warm_up/00_warm_up.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made examples;
the hidden tests in the source notebook check the exact values, fixed when the
assignment was written. Each hint is a list: every level goes deeper than the one before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course.grading import Question
from course.grading.answer_types import describe_value, is_number

# --- 00-base-rate -------------------------------------------------------------------------
base_rate_question = Question("00-base-rate", "The fraud base rate")


@base_rate_question.test(
    hint=[
        "A share is one number: the number of frauds divided by the number of transactions.",
        "is_fraud is 1 for a fraud and 0 for a genuine payment, so the mean of that column is the share of frauds.",
        "Divide by every transaction, not by the genuine ones (frauds / genuines is the odds), and do not "
        "average the daily rates (days with more payments must weigh more).",
    ]
)
def base_rate_is_one_number(base_rate):
    """base_rate is a single number"""
    assert is_number(base_rate), f"base_rate should be a single number, got {describe_value(base_rate)}."


@base_rate_question.test(
    hint=[
        "Write the share as a fraction of 1 (0.02), not a percentage (2) or a count.",
        "Keep every digit in base_rate: round only what you print, e.g. print(f'{base_rate:.2%}').",
    ]
)
def base_rate_is_a_share(base_rate):
    """base_rate is a share between 0 and 1"""
    assert is_number(base_rate) and 0 <= base_rate <= 1, f"base_rate should be between 0 and 1, got {base_rate!r}."


# --- 00-fraud-loss ------------------------------------------------------------------------
fraud_loss_question = Question("00-fraud-loss", "The money lost to fraud")


@fraud_loss_question.test(
    hint=[
        "Select the amounts of the fraudulent rows, then add them up.",
        "df.loc[df['is_fraud'] == 1, 'amount'] holds the frauds' amounts: their sum is one number in euros.",
    ]
)
def fraud_loss_is_one_number(fraud_loss):
    """fraud_loss is a single amount in euros"""
    assert is_number(fraud_loss), f"fraud_loss should be a single number (euros), got {describe_value(fraud_loss)}."


@fraud_loss_question.test(
    hint=[
        "Frauds are a part of all transactions: their total lies between 0 and the total of every amount.",
        "The question asks for the total the bank refunds: the sum of the frauds' amounts, not their average, "
        "not their number, and not the genuine payments' amounts.",
    ]
)
def fraud_loss_is_plausible(fraud_loss, df):
    """fraud_loss is positive and at most the total of all amounts"""
    total = float(df["amount"].sum())
    assert is_number(fraud_loss) and 0 < fraud_loss <= total, (
        f"fraud_loss should be above 0 and at most {total:,.2f} (all amounts together), got {fraud_loss!r}."
    )


# --- 00-share-above -----------------------------------------------------------------------
share_above_question = Question("00-share-above", "Share of frauds above an amount")
# frauds of 50, 200 and 1000 euros; genuine payments of 10, 300, 150 and 20 euros. Above 100:
# 2 of the 3 frauds (the answer), 2 of the 4 payments (P(fraud | amount > 100)), 4 of 7 payments.
_TINY = pd.DataFrame({"amount": [10.0, 50.0, 200.0, 300.0, 1000.0, 150.0, 20.0], "is_fraud": [0, 1, 1, 0, 1, 0, 0]})


@share_above_question.test(
    hint=[
        "Return one number, e.g. float(...) of a mean of True/False values.",
        "A share of frauds is a count of frauds divided by the number of frauds: between 0 and 1.",
    ]
)
def share_above_returns_a_share(share_of_frauds_above):
    """share_of_frauds_above(df, threshold) returns a number between 0 and 1"""
    result = share_of_frauds_above(_TINY.copy(), 100)
    assert is_number(result) and 0 <= result <= 1, f"expected a number between 0 and 1, got {result!r}."


@share_above_question.test(
    hint=[
        "Keep the frauds first, then ask which of them are above the threshold. "
        "P(amount > t | fraud) is not P(fraud | amount > t).",
        "The denominator is the number of frauds, not the number of payments above the threshold "
        "and not the number of all payments.",
        "Strictly above: a fraud of exactly the threshold's amount is not above it (> rather than >=).",
    ]
)
def share_above_counts_among_frauds(share_of_frauds_above):
    """on 7 transactions, 2 of the 3 frauds (50, 200, 1000 euros) are above 100 euros"""
    result = share_of_frauds_above(_TINY.copy(), 100)
    assert is_number(result) and np.isclose(result, 2 / 3), (
        f"frauds of 50, 200 and 1000 euros: 2 of 3 are above 100, so expected 0.667, got {result!r}."
    )


@share_above_question.test(hint="Use the df and threshold you are given, not the global ones.")
def share_above_uses_its_arguments(share_of_frauds_above):
    """the result changes with the threshold"""
    low, high = share_of_frauds_above(_TINY.copy(), 0), share_of_frauds_above(_TINY.copy(), 5000)
    assert (low, high) == (1, 0), (
        f"every fraud is above 0 euros (expected 1) and none above 5000 (expected 0), got {low!r} and {high!r}."
    )


# --- 00-rate-by-day -----------------------------------------------------------------------
rate_by_day_question = Question("00-rate-by-day", "Fraud rate per day")
_WEEK = pd.DataFrame({"day": [0, 0, 1, 1, 1, 2], "amount": [5.0] * 6, "is_fraud": [1, 0, 0, 0, 1, 0]})


@rate_by_day_question.test(
    hint=[
        "df.groupby('day')[...] followed by one aggregation gives a Series indexed by day.",
        "Select the one column is_fraud (['is_fraud'], not [['is_fraud']], which keeps a DataFrame).",
    ]
)
def rate_by_day_is_a_series(fraud_rate_by_day):
    """fraud_rate_by_day(df) returns a pandas Series"""
    result = fraud_rate_by_day(_WEEK.copy())
    assert isinstance(result, pd.Series), f"expected a pandas Series indexed by day, got {describe_value(result)}."


@rate_by_day_question.test(
    hint=[
        "A day without fraud still has a rate (0.0): do not filter the frauds before grouping.",
        "Keep the day numbers as the index: reset_index(drop=True) replaces them by positions 0, 1, 2, ..., "
        "which are the days only when the days happen to start at 0.",
        "Sort by day (groupby sorts its keys; sort_index() does too), not by rate.",
    ]
)
def rate_by_day_has_every_day(fraud_rate_by_day):
    """one entry per day, in day order, including a day without fraud"""
    result = fraud_rate_by_day(_WEEK.copy())
    days = list(getattr(result, "index", []))
    assert days == [0, 1, 2], f"days 0, 1 and 2 have transactions, so the index should be [0, 1, 2], got {days}."


@rate_by_day_question.test(
    hint=[
        "A rate is a share of that day's transactions: between 0 and 1.",
        "Divide each day's frauds by that day's transactions (the mean of is_fraud within the day), "
        "not by every transaction of the period.",
    ]
)
def rate_by_day_values_are_the_daily_shares(fraud_rate_by_day):
    """day 0: 1 fraud in 2 payments, day 1: 1 in 3, day 2: none in 1"""
    result = pd.Series(fraud_rate_by_day(_WEEK.copy()), dtype=float)
    values = result.to_numpy()
    assert values.shape == (3,) and np.allclose(values, [1 / 2, 1 / 3, 0.0]), (
        f"expected the rates [0.5, 0.333, 0.0] (a day's frauds over that day's payments), got {result.tolist()}."
    )

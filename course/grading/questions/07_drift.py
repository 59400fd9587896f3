"""Visible tests of assignment 07_drift (autograded/source/07_drift/07_drift.ipynb).

Visible tests check the shape of each answer and teach on small examples one can work out by
hand (a sample against itself, a week beyond the reference's range, a monitor that fires two
weeks in a row); the hidden tests in the source notebook check the exact PSI terms (values on
an edge, merged edges, empty bins), ties at the threshold, false alarms before the drift, weeks
without alerts, and the labels known on each retrain day.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from course.grading import Question
from course.grading.answer_types import describe_value, is_number

# --- 07-psi -------------------------------------------------------------------------------
psi_question = Question("07-psi", "PSI term by term, on the reference's deciles")
_REFERENCE = np.arange(100.0)  # deciles 9.9, 19.8, ..., 89.1: ten bins of ten values


def _terms(psi_terms, reference, current):
    result = psi_terms(np.array(reference, dtype=float), np.array(current, dtype=float))
    array = np.asarray(result, dtype=float) if isinstance(result, (np.ndarray, list, tuple, pd.Series)) else None
    assert array is not None and array.ndim == 1, (
        f"psi_terms should return a 1-D numpy array of terms, one per bin; got {describe_value(result)}."
    )
    return array


@psi_question.test(
    hint=[
        "The bins come from the reference: its deciles, np.quantile(reference, [0.1, ..., 0.9]).",
        "np.searchsorted(edges, values, side='right') gives each value its bin (0 to len(edges)); "
        "np.bincount(..., minlength=len(edges) + 1) counts them.",
    ]
)
def one_term_per_bin(psi_terms):
    """a continuous reference has 10 bins: psi_terms returns 10 finite terms"""
    terms = _terms(psi_terms, _REFERENCE, _REFERENCE + 5)
    assert terms.size == 10, f"the deciles of 0..99 make 10 bins, so 10 terms are expected; got {terms.size}."
    assert np.isfinite(terms).all(), f"every term should be a finite number; got {terms.round(4).tolist()}."


@psi_question.test(hint=["When nothing moved, every share is the same in both samples: what is ln(1)?"])
def a_sample_against_itself_gives_zero(psi_terms):
    """the terms of a sample against itself are all 0"""
    sample = np.random.default_rng(0).gamma(2.0, 30.0, 500)
    terms = _terms(psi_terms, sample, sample)
    assert np.allclose(terms, 0.0, atol=1e-12), f"expected every term to be 0, got {terms.round(6).tolist()}."


@psi_question.test(
    hint=[
        "A share of 0 makes ln(c / r) infinite: floor every share at PSI_FLOOR before the log.",
        "Floor both samples' shares: np.maximum(shares, PSI_FLOOR).",
        "Each term is (c - r) * ln(c / r): the difference of the shares times the log of their ratio.",
    ]
)
def empty_bins_give_finite_terms(psi_terms):
    """a week beyond the reference's range: nine empty bins, every term finite, the PSI large"""
    terms = _terms(psi_terms, _REFERENCE, np.full(20, 1000.0))
    assert np.isfinite(terms).all(), (
        f"nine bins of the current week are empty: with the floor every term stays finite; got {terms.tolist()}."
    )
    assert terms.sum() > 5, (
        f"every value of the week lies above the whole reference: the PSI should be large (> 5), got {terms.sum():.4g}."
    )


@psi_question.test(hint=["One PSI per week: weekly_psi = pd.Series({week: psi_terms(...).sum() for ...})."])
def weekly_psi_has_every_week(weekly_psi, weekly_amounts):
    """weekly_psi is a Series with one finite, non-negative PSI per week of weekly_amounts"""
    assert isinstance(weekly_psi, pd.Series), f"weekly_psi should be a pandas Series, got {describe_value(weekly_psi)}."
    weeks = sorted(int(w) for w in weekly_psi.index)
    assert weeks == sorted(weekly_amounts), f"expected the weeks {sorted(weekly_amounts)}, got {weeks}."
    values = weekly_psi.to_numpy(dtype=float)
    assert np.isfinite(values).all() and (values >= -1e-12).all(), (
        f"a PSI is a finite number >= 0, got {values.round(4).tolist()}."
    )


# --- 07-alarm -----------------------------------------------------------------------------
alarm_question = Question("07-alarm", "The first alarm and its detection delay")
_SIMPLE = pd.Series([0.05, 0.3, 0.4], index=pd.RangeIndex(8, 11, name="week"))


@alarm_question.test(
    hint=[
        "The monitor fires in a week only when that week AND the week before reach the threshold.",
        "Week w ends at the end of day 7w + 6; the drift starts at the beginning of start_day.",
        "Delay = (7w + 6) + 1 - start_day: from the start of start_day to the end of the alarm's week.",
    ]
)
def fires_after_two_weeks_in_a_row(first_alarm):
    """weeks 9 and 10 reach 0.25 and the drift starts on day 63 (week 9): alarm in week 10, 14 days late"""
    result = first_alarm(_SIMPLE.copy(), 0.25, 63)
    assert isinstance(result, tuple) and len(result) == 2, (
        f"expected a tuple (week, delay_days), got {describe_value(result)}."
    )
    week, delay = result
    assert week == 10, (
        f"week 9 is the first above the threshold, week 10 the second in a row: expected 10, got {week!r}."
    )
    assert is_number(delay) and math.isclose(delay, 14), (
        f"the drift starts at the beginning of day 63 and week 10 ends with day 76: expected 14 days, got {delay!r}."
    )


@alarm_question.test(hint=["Return (None, None) when no week after the start fires."])
def never_fires(first_alarm):
    """a monitor that never reaches the threshold returns (None, None)"""
    result = first_alarm(_SIMPLE.copy() * 0, 0.25, 63)
    assert result == (None, None), f"expected (None, None), got {describe_value(result)}."


# --- 07-estimate --------------------------------------------------------------------------
estimate_question = Question("07-estimate", "Estimated precision of the alerts")


@estimate_question.test(
    hint=[
        "A calibrated probability is the chance that this payment is fraud: average it over the alerts only.",
        "Group by week: pd.Series(values).groupby(weeks).mean(), with the values of the alerts.",
    ]
)
def mean_probability_of_each_weeks_alerts(estimated_precision):
    """week 3: one alert at 0.8; week 4: alerts at 0.4 and 0.2: estimates 0.8 and 0.3"""
    result = estimated_precision(
        np.array([0.8, 0.1, 0.4, 0.2]), np.array([True, False, True, True]), np.array([3, 3, 4, 4])
    )
    assert isinstance(result, pd.Series), f"expected a pandas Series indexed by week, got {describe_value(result)}."
    assert [int(w) for w in result.index] == [3, 4], (
        f"expected the weeks [3, 4] as the index, got {list(result.index)}."
    )
    values = result.to_numpy(dtype=float)
    assert np.allclose(values, [0.8, 0.3]), (
        f"week 3's only alert has p = 0.8; week 4's alerts 0.4 and 0.2 (the payment at 0.1 is no alert): "
        f"expected [0.8, 0.3], got {values.round(4).tolist()}."
    )


# --- 07-policy ----------------------------------------------------------------------------
policy_question = Question("07-policy", "A retraining policy chosen by cost, under the label delay")


@policy_question.test(
    hint=[
        "On day d the bank knows labels up to day d - LABEL_DELAY_DAYS: the window is the WINDOW_DAYS days before that.",
        "The window of day d holds days d - 31 to d - 11 (21 days).",
        "Labels: labels_as_of(bank, START_DATE + pd.Timedelta(days=d), maturity_days=LABEL_DELAY_DAYS)[rows].",
    ]
)
def training_set_is_the_window_before_the_delay(training_set, bank):
    """training_set(56) takes the 21 days that end 10 days before day 56 (days 25 to 45), with 0/1 labels"""
    result = training_set(56)
    assert isinstance(result, tuple) and len(result) == 2, (
        f"expected a tuple (rows, labels), got {describe_value(result)}."
    )
    rows, labels = np.asarray(result[0]), np.asarray(result[1])
    assert rows.dtype == bool and rows.shape == (len(bank),), (
        f"rows should be a boolean array with one entry per payment of bank ({len(bank)}), got {describe_value(result[0])}."
    )
    days = sorted(set(bank["day"].to_numpy()[rows].tolist()))
    assert days == list(range(25, 46)), f"expected the days 25 to 45, got days {days[:3]} ... {days[-3:]}."
    assert labels.shape == (int(rows.sum()),) and set(np.unique(labels).tolist()) <= {0, 1}, (
        f"labels should hold one 0/1 label per selected row ({int(rows.sum())}), got {describe_value(result[1])}."
    )


@policy_question.test(hint=["min(costs, key=costs.get) is the name of the cheapest policy."])
def best_policy_is_the_cheapest(costs, best_policy, POLICIES):
    """costs holds a positive EUR cost for every policy, and best_policy names the cheapest"""
    assert isinstance(costs, dict) and set(costs) == set(POLICIES), (
        f"costs should be a dict with the keys {sorted(POLICIES)}, got {describe_value(costs)}."
    )
    assert all(is_number(v) and v > 0 for v in costs.values()), f"every cost should be a positive number, got {costs}."
    assert best_policy == min(costs, key=costs.get), (
        f"the cheapest policy in your costs is {min(costs, key=costs.get)!r}, but best_policy is {best_policy!r}."
    )

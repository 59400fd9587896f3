"""Visible tests of assignment 04_data_leakage (autograded/source/04_data_leakage/04_data_leakage.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made examples whose answer
one can work out by hand; the hidden tests in the source notebook check the exact values on
the assignment's data and the edge cases (undeclared fields, the gap, reports arriving exactly
at a payment, frauds never reported, an encoding refitted with launch labels).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from course.data import FEATURE_COLUMNS
from course.grading import Question
from course.grading.answer_types import describe_value, is_number

# --- 04-audit -----------------------------------------------------------------------------
audit = Question("04-audit", "Columns usable at scoring time")
_KNOWN = {"amount": 0, "chargeback_amount": 7, "risk_score": -1}
_SOURCES = {"amount": ["amount"], "refund_total": ["chargeback_amount"], "risk_yesterday": ["risk_score"]}


@audit.test(
    hint=[
        "Return a list of column names: the keys of `sources` you keep.",
        "Build it with a loop over `sources.items()`, appending the columns you keep.",
    ]
)
def audit_returns_a_list_of_columns(usable_at_scoring):
    """usable_at_scoring(...) returns a list of column names taken from sources"""
    result = usable_at_scoring(dict(_SOURCES), dict(_KNOWN))
    assert isinstance(result, list), f"expected a list of column names, got {describe_value(result)}."
    assert set(result) <= set(_SOURCES), f"every name should be a key of sources, got {result!r}."


@audit.test(
    hint=[
        "A column is as late as its latest field: look up each field it is computed from, not its own name.",
        "Known at the payment (0) or before it (negative) is usable; known after it (positive) is not.",
        "refund_total is computed from chargeback_amount, known 7 days after the payment.",
    ]
)
def a_column_is_usable_when_its_fields_are_known_by_the_payment(usable_at_scoring):
    """amount (known at the payment) and risk_yesterday (the day before) are usable, refund_total is not"""
    result = usable_at_scoring(dict(_SOURCES), dict(_KNOWN))
    assert result == ["amount", "risk_yesterday"], (
        "amount is known at the payment (0) and risk_yesterday's field the day before (-1), while refund_total "
        f"comes from chargeback_amount, known 7 days after: expected ['amount', 'risk_yesterday'], got {result!r}."
    )


@audit.test(hint="Keep the order of `sources`: loop over it, not over `known_after_days`.")
def the_order_of_sources_is_kept(usable_at_scoring):
    """the result follows the order of sources"""
    reordered = {name: _SOURCES[name] for name in ("risk_yesterday", "refund_total", "amount")}
    result = usable_at_scoring(reordered, dict(_KNOWN))
    assert result == ["risk_yesterday", "amount"], f"expected ['risk_yesterday', 'amount'], got {result!r}."


# --- 04-split -----------------------------------------------------------------------------
split = Question("04-split", "A time split with a gap, each card on one side")
# ten days, one payment a day for each of cards 1-4
_DAYS = pd.DataFrame({"day": np.repeat(np.arange(10), 4), "customer_id": np.tile([1, 2, 3, 4], 10)})
_SPLIT = {"train_days": 4, "gap_days": 2, "validation_days": 3}


def _split(function):
    return function(_DAYS.copy(), np.array([2, 4]), **_SPLIT)


@split.test(hint="Return a pair (train, validation) of boolean arrays, one entry per row of df.")
def split_returns_two_boolean_masks(grouped_time_split):
    """grouped_time_split(...) returns two boolean arrays with one entry per row"""
    result = _split(grouped_time_split)
    assert isinstance(result, tuple) and len(result) == 2, f"expected a pair (train, validation), got {result!r}."
    for name, mask in zip(("train", "validation"), result):
        mask = np.asarray(mask)
        assert mask.dtype == bool and mask.shape == (len(_DAYS),), (
            f"{name} should be a boolean array of {len(_DAYS)} entries, got dtype {mask.dtype}, shape {mask.shape}."
        )


@split.test(
    hint=[
        "A card in validation_cards must never appear in training, and validation holds only those cards.",
        "np.isin(df['customer_id'], validation_cards) says which rows belong to a validation card.",
    ]
)
def each_card_is_on_one_side(grouped_time_split):
    """no card is on both sides, and validation holds only the validation cards"""
    train, validation = (np.asarray(mask, dtype=bool) for mask in _split(grouped_time_split))
    train_cards = set(_DAYS["customer_id"][train])
    validation_cards = set(_DAYS["customer_id"][validation])
    assert train_cards and validation_cards, "both sides should hold payments."
    assert not train_cards & validation_cards, f"cards {sorted(train_cards & validation_cards)} are on both sides."
    assert validation_cards <= {2, 4}, f"validation should hold only cards 2 and 4, got {sorted(validation_cards)}."


@split.test(
    hint=[
        "Split by the day column, not by row position or at random.",
        "Training: days first .. first + train_days - 1; validation starts after the gap.",
    ]
)
def validation_comes_after_training(grouped_time_split):
    """every validation day comes after every training day"""
    train, validation = (np.asarray(mask, dtype=bool) for mask in _split(grouped_time_split))
    days = _DAYS["day"].to_numpy()
    assert train.any() and validation.any(), "both sides should hold payments."
    assert days[validation].min() > days[train].max(), (
        f"training ends on day {days[train].max()} but validation starts on day {days[validation].min()}."
    )


# --- 04-terminal-risk ---------------------------------------------------------------------
terminal_risk = Question("04-terminal-risk", "A terminal's known frauds as of each payment")
# terminal 1: a fraud on Jan 1 reported 2 days later; payments on Jan 2, Jan 4 and Jan 12; terminal 2: Jan 4
_PAYMENTS = pd.DataFrame(
    {
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-04", "2024-01-12"]),
        "terminal_id": [1, 1, 1, 2, 1],
        "is_fraud": [1, 0, 0, 0, 0],
        "report_delay_days": [2.0, np.nan, np.nan, np.nan, np.nan],
    }
)


@terminal_risk.test(hint="Return one whole number per payment, in the order of the rows (an array or a Series).")
def one_count_per_payment(known_terminal_frauds):
    """known_terminal_frauds(...) gives one whole number per payment"""
    result = np.asarray(known_terminal_frauds(_PAYMENTS.copy(), 7), dtype=float)
    assert result.shape == (len(_PAYMENTS),), f"expected {len(_PAYMENTS)} counts, got shape {result.shape}."
    assert np.all(result == np.round(result)) and np.all(result >= 0), f"expected counts, got {result.tolist()}."


@terminal_risk.test(
    hint=[
        "A fraud counts only once the bank knows it: reported at or before the payment's time.",
        "The report time is timestamp + report_delay_days; compare it with each later payment's timestamp.",
        "Count per terminal: only earlier payments of the same terminal_id.",
    ]
)
def a_fraud_counts_once_it_is_reported(known_terminal_frauds):
    """the Jan 1 fraud (reported Jan 3) is unknown on Jan 2, known on Jan 4, never at terminal 2"""
    result = np.asarray(known_terminal_frauds(_PAYMENTS.copy(), 7), dtype=float)
    assert result[:4].tolist() == [0, 0, 1, 0], (
        "the fraud of Jan 1 is reported on Jan 3: unknown at the payments of Jan 1 and Jan 2, known on Jan 4 at its "
        f"terminal (1), not at terminal 2: expected [0, 0, 1, 0] for the first four, got {result[:4].tolist()}."
    )


@terminal_risk.test(hint="Only the window_days days before the payment count: [t - window_days, t).")
def old_frauds_fall_out_of_the_window(known_terminal_frauds):
    """on Jan 12 the Jan 1 fraud is 11 days old: outside a 7-day window, inside a 14-day one"""
    short = np.asarray(known_terminal_frauds(_PAYMENTS.copy(), 7), dtype=float)
    long = np.asarray(known_terminal_frauds(_PAYMENTS.copy(), 14), dtype=float)
    assert short[4] == 0 and long[4] == 1, (
        f"expected 0 with a 7-day window and 1 with a 14-day window on Jan 12, got {short[4]:g} and {long[4]:g}."
    )


# --- 04-optimism --------------------------------------------------------------------------
optimism = Question("04-optimism", "Optimism of a leaky pipeline at launch")


class _TerminalRateModel:
    """A stand-in model whose fraud probability is the terminal_rate input."""

    def predict_proba(self, X):
        assert list(X.columns) == [*FEATURE_COLUMNS, "terminal_rate"], (
            "the model's inputs are the FEATURE_COLUMNS of launch_frame followed by terminal_rate, "
            f"got columns {list(X.columns)[-3:]} at the end."
        )
        rate = np.asarray(X["terminal_rate"], dtype=float)
        return np.column_stack([1 - rate, rate])


def _launch_frame():
    frame = pd.DataFrame(0.0, index=range(4), columns=FEATURE_COLUMNS)
    return frame.assign(terminal_id=[1, 2, 3, 1], is_fraud=[1, 0, 0, 0])


@optimism.test(hint="Return one number: the validation AP minus the launch AP.")
def optimism_is_one_number(launch_optimism):
    """launch_optimism(...) returns one number"""
    result = launch_optimism(_TerminalRateModel(), pd.Series({1: 0.5, 2: 0.0}), 0.1, _launch_frame(), 0.9)
    assert is_number(result), f"expected one number, got {describe_value(result)}."


@optimism.test(
    hint=[
        "Score the launch payments with the terminal rates that existed at launch, then compute their average "
        "precision against is_fraud.",
        "launch_frame['terminal_id'].map(terminal_rates).fillna(fallback_rate) gives each payment's rate.",
        "Optimism = validation AP - launch AP (positive when validation promised too much).",
    ]
)
def optimism_on_a_hand_made_launch(launch_optimism):
    """with scores 0.5, 0.0, 0.1, 0.5 and one fraud scored 0.5, the launch AP is 0.5: optimism 0.9 - 0.5"""
    result = launch_optimism(_TerminalRateModel(), pd.Series({1: 0.5, 2: 0.0}), 0.1, _launch_frame(), 0.9)
    assert is_number(result) and math.isclose(result, 0.4, abs_tol=1e-9), (
        "the fraud (terminal 1, rate 0.5) ties with a genuine payment of terminal 1: the launch AP is 0.5, so the "
        f"optimism is 0.9 - 0.5 = 0.4; got {result!r}."
    )

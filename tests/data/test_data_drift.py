"""Drift: each option changes what it says from its start day, and nothing before it."""

import numpy as np
import pandas as pd
import pytest

from course.data import Drift, simulate_transactions

SIZE = (300, 600, 60)
START = 30
# Post-outcome columns look into the future: card_blocked_after of a row depends on reports
# up to 7 days later, so it is compared only up to a week before the start day.
TRUE_AT_THE_TIME = [
    "transaction_id",
    "timestamp",
    "day",
    "customer_id",
    "terminal_id",
    "amount",
    "is_fraud",
    "fraud_scenario",
    "label_available_at",
    "chargeback_amount",
    "case_status",
]


def _assert_same_before_start(base, drifted):
    before_base, before_drifted = base[base["day"] < START], drifted[drifted["day"] < START]
    pd.testing.assert_frame_equal(before_base[TRUE_AT_THE_TIME], before_drifted[TRUE_AT_THE_TIME])
    week = base["day"] < START - 7
    np.testing.assert_array_equal(
        base.loc[week, "card_blocked_after"], drifted.loc[drifted["day"] < START - 7, "card_blocked_after"]
    )


@pytest.fixture(scope="module")
def base():
    return simulate_transactions(*SIZE, seed=3)


def test_amount_factor_shifts_spending_from_the_start_day(base):
    drifted = simulate_transactions(*SIZE, seed=3, drift=Drift(start_day=START, amount_factor=1.5))
    _assert_same_before_start(base, drifted)
    assert len(drifted) == len(base)
    after = (base["day"] >= START) & (base["is_fraud"] == 0)
    np.testing.assert_allclose(drifted.loc[after, "amount"], base.loc[after, "amount"] * 1.5, atol=0.0051)
    assert drifted.loc[after, "amount"].mean() > 1.45 * base.loc[after, "amount"].mean()


def test_fraud_rate_multiplier_changes_fraud_volume_from_the_start_day(base):
    drifted = simulate_transactions(*SIZE, seed=3, drift=Drift(start_day=START, fraud_rate_multiplier=4.0))
    _assert_same_before_start(base, drifted)
    late_base = base.loc[base["day"] >= START + 14, "is_fraud"].mean()
    late_drifted = drifted.loc[drifted["day"] >= START + 14, "is_fraud"].mean()
    assert late_drifted > 2.5 * late_base
    calm = simulate_transactions(*SIZE, seed=3, drift=Drift(start_day=START, fraud_rate_multiplier=0.0))
    _assert_same_before_start(base, calm)
    new_attacks = calm.loc[calm["day"] >= START + 28, "fraud_scenario"].value_counts()
    assert new_attacks[["large_amount", "card_testing", "compromised_terminal"]].sum() == 0


def test_new_pattern_appears_only_from_the_start_day(base):
    drifted = simulate_transactions(*SIZE, seed=3, drift=Drift(start_day=START, new_pattern="card_testing"))
    testing = drifted["fraud_scenario"] == "card_testing"
    assert not testing[drifted["day"] < START].any()
    assert testing[drifted["day"] >= START].sum() > 5
    without = simulate_transactions(*SIZE, seed=3, card_testing_rate=0.0)
    _assert_same_before_start(without, drifted)
    assert (base.loc[base["day"] < START, "fraud_scenario"] == "card_testing").any()


def test_no_drift_is_the_default(base):
    assert base.equals(simulate_transactions(*SIZE, seed=3, drift=None))
    neutral = simulate_transactions(*SIZE, seed=3, drift=Drift(start_day=START))
    assert base.equals(neutral)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"start_day": -1}, "Drift.start_day == -1, must be >= 0"),
        ({"start_day": 1.5}, "Drift.start_day must be an instance of int"),
        ({"start_day": 5, "amount_factor": 0}, "Drift.amount_factor == 0, must be > 0"),
        ({"start_day": 5, "fraud_rate_multiplier": -1.0}, "Drift.fraud_rate_multiplier == -1.0, must be >= 0"),
        ({"start_day": 5, "amount_factor": float("inf")}, "a finite number is needed"),
        ({"start_day": 5, "new_pattern": "phishing"}, "new_pattern must be None or one of"),
    ],
)
def test_bad_drift_raises_clear_errors(kwargs, message):
    with pytest.raises((TypeError, ValueError)) as info:
        Drift(**kwargs)
    assert message in str(info.value)


NEW_TESTING = Drift(start_day=5, new_pattern="card_testing")


def test_new_pattern_needs_a_rate():
    with pytest.raises(ValueError, match="card_testing_rate is 0"):
        simulate_transactions(50, 100, 20, seed=0, preset="handbook", drift=NEW_TESTING)
    df = simulate_transactions(200, 400, 20, seed=0, preset="handbook", card_testing_rate=0.002, drift=NEW_TESTING)
    assert (df.loc[df["day"] >= 5, "fraud_scenario"] == "card_testing").any()


def test_drift_is_frozen():
    with pytest.raises(AttributeError):
        Drift(start_day=3).start_day = 4

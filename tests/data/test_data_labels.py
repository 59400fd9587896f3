"""Late labels: heavy-tailed report delays, unreported frauds, genuine maturity, labels_as_of."""

import numpy as np
import pandas as pd
import pytest

from course.data import labels_as_of, simulate_transactions


def _delay_days(df):
    return (df["label_available_at"] - df["timestamp"]).dt.total_seconds().to_numpy() / 86400


def test_fraud_reports_come_late_with_a_heavy_tail(fraud_rich_df):
    df = fraud_rich_df
    fraud = (df["is_fraud"] == 1).to_numpy()
    assert fraud.sum() > 2000
    delays = _delay_days(df)[fraud]
    reported = ~np.isnan(delays)
    median, p90, p99 = np.quantile(delays[reported], [0.5, 0.9, 0.99])
    assert 5.5 < median < 8.5  # log-normal, median 7 days
    assert p90 > 3 * median and p99 > 6 * median  # heavy right tail (weeks)
    assert delays[reported].min() > 0  # never known at the instant of the fraud
    assert delays[reported].max() <= 120  # the report horizon


def test_some_frauds_are_never_reported(fraud_rich_df):
    fraud = fraud_rich_df[fraud_rich_df["is_fraud"] == 1]
    never = fraud["label_available_at"].isna().mean()
    assert 0.07 < never < 0.14  # 10% unreported plus the tail beyond 120 days
    assert fraud_rich_df.loc[fraud_rich_df["is_fraud"] == 0, "label_available_at"].notna().all()


def test_genuine_transactions_are_confirmed_after_the_maturity_window(fraud_rich_df):
    genuine = fraud_rich_df["is_fraud"] == 0
    np.testing.assert_allclose(_delay_days(fraud_rich_df)[genuine.to_numpy()], 30.0)
    df = simulate_transactions(50, 100, 20, seed=0, maturity_days=45)
    np.testing.assert_allclose(_delay_days(df)[(df["is_fraud"] == 0).to_numpy()], 45.0)


def test_label_settings_are_honoured():
    every = simulate_transactions(
        100, 200, 30, seed=0, leaked_card_rate=0.01, unreported_share=0.0, report_horizon_days=10_000
    )
    assert every.loc[every["is_fraud"] == 1, "label_available_at"].notna().all()
    none = simulate_transactions(100, 200, 30, seed=0, leaked_card_rate=0.01, unreported_share=1.0)
    assert none.loc[none["is_fraud"] == 1, "label_available_at"].isna().all()
    assert (none["case_status"] == "fraud_confirmed").sum() == 0


def test_card_blocked_after_means_a_report_on_the_card_within_7_days(small_df):
    df = small_df
    reports = df[(df["case_status"] == "fraud_confirmed")][["customer_id", "label_available_at"]]
    sample = df.sample(400, random_state=0)
    sample = pd.concat([sample, df[df["card_blocked_after"]].head(100)])
    for row in sample.itertuples():
        times = reports.loc[reports["customer_id"] == row.customer_id, "label_available_at"]
        expected = bool(((times > row.timestamp) & (times <= row.timestamp + pd.Timedelta(days=7))).any())
        assert row.card_blocked_after == expected, row


def test_labels_as_of_is_what_the_bank_knows(fraud_rich_df):
    df = fraud_rich_df.sample(frac=1.0, random_state=0)  # any row order, any index
    as_of = pd.Timestamp("2024-02-20 12:00")
    labels = labels_as_of(df, as_of)
    assert labels.dtype == "Int8" and labels.name == "label_as_of"
    assert labels.index.equals(df.index)
    fraud_known = (df["is_fraud"] == 1) & (df["label_available_at"] <= as_of)
    matured = df["timestamp"] + pd.Timedelta(days=30) <= as_of
    assert (labels[fraud_known] == 1).all()
    assert (labels[~fraud_known & matured] == 0).all()
    assert labels[~fraud_known & ~matured].isna().all()
    assert labels[df["timestamp"] > as_of].isna().all()
    # The bank's view has label noise: old frauds not (yet) reported count as genuine.
    assert ((labels == 0) & (df["is_fraud"] == 1)).sum() > 0
    # Every fraud known at that moment is a true fraud.
    assert (df.loc[(labels == 1).fillna(False), "is_fraud"] == 1).all()


def test_labels_as_of_grows_with_time(small_df):
    early = labels_as_of(small_df, "2024-02-01").notna().sum()
    late = labels_as_of(small_df, "2024-03-15").notna().sum()
    after_all = labels_as_of(small_df, "2025-01-01")
    assert 0 < early < late
    assert after_all.notna().all()
    assert labels_as_of(small_df, "2023-01-01").isna().all()


@pytest.mark.parametrize(
    "as_of, message",
    [
        (None, "as_of must be a date"),
        (5, "as_of must be a date"),
        ("yesterday-ish", "is not a date or time"),
        (pd.NaT, "as_of is NaT"),
        (pd.Timestamp("2024-02-01", tz="UTC"), "has a time zone"),
    ],
)
def test_labels_as_of_rejects_a_bad_as_of(small_df, as_of, message):
    with pytest.raises(ValueError) as info:
        labels_as_of(small_df, as_of)
    assert message in str(info.value)


def test_labels_as_of_needs_its_columns(small_df):
    with pytest.raises(ValueError, match="label_available_at"):
        labels_as_of(small_df.drop(columns="label_available_at"), "2024-02-01")
    with pytest.raises(ValueError, match="maturity_days"):
        labels_as_of(small_df, "2024-02-01", maturity_days=-1)

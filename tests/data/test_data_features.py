"""Features: right values (against a plain pandas reference), leak-free, order-proof; time_split."""

import numpy as np
import pandas as pd
import pytest

from course.data import FEATURE_COLUMNS, build_features, simulate_transactions, time_split


@pytest.fixture(scope="module")
def tiny():
    """A few thousand rows with many frauds, so the known-fraud rates are not all zero."""
    return simulate_transactions(30, 60, 40, seed=1, leaked_card_rate=0.01, compromised_terminal_rate=0.01)


def _reference_row(df, i):
    """Features of row i recomputed naively from the rows at or before it (df sorted by time)."""
    row, prior = df.iloc[i], df.iloc[: i + 1]
    t = row.timestamp
    card = prior[prior.customer_id == row.customer_id]
    terminal = prior[prior.terminal_id == row.terminal_id]
    out = {}
    for name, days in (("1h", 1 / 24), ("1d", 1), ("7d", 7), ("30d", 30)):
        window = card[card.timestamp > t - pd.Timedelta(days=days)]
        out[f"customer_tx_count_{name}"] = len(window)
        if name != "1h":
            out[f"customer_mean_amount_{name}"] = window.amount.mean()
    out["amount_to_customer_mean_30d"] = row.amount / out["customer_mean_amount_30d"]
    previous = (t - card.timestamp.iloc[-2]).total_seconds() if len(card) > 1 else np.inf
    out["customer_seconds_since_prev_tx"] = min(previous, 30 * 86400)
    out["is_new_terminal_for_customer"] = float(not (card.terminal_id.iloc[:-1] == row.terminal_id).any())
    for name, days in (("7d", 7), ("28d", 28)):
        window = terminal[terminal.timestamp > t - pd.Timedelta(days=days)]
        known = ((window.is_fraud == 1) & (window.label_available_at <= t)).sum()
        out[f"terminal_tx_count_{name}"] = len(window)
        out[f"terminal_known_fraud_rate_{name}"] = known / len(window)
    out["hour_of_day"] = t.hour
    out["is_night"] = float(t.hour < 6)
    out["log_amount"] = np.log1p(row.amount)
    return out


def test_features_match_a_plain_reference(tiny):
    features = build_features(tiny)
    rows = np.random.default_rng(0).choice(len(tiny), 60, replace=False)
    rows = np.concatenate([rows, np.flatnonzero(features["terminal_known_fraud_rate_28d"] > 0)[:30]])
    for i in rows:
        expected = _reference_row(tiny, i)
        got = features.iloc[i]
        for name, value in expected.items():
            assert got[name] == pytest.approx(value, rel=1e-9, abs=1e-9), (i, name)


def test_output_shape_and_types(small_df):
    features = build_features(small_df)
    assert list(features.columns) == FEATURE_COLUMNS
    assert features.index.equals(small_df.index)
    assert (features.dtypes == "float64").all()
    assert np.isfinite(features.to_numpy()).all()
    assert features["terminal_known_fraud_rate_28d"].between(0, 1).all()
    assert (features["terminal_known_fraud_rate_28d"] > 0).any()


def test_features_do_not_depend_on_row_order(small_df):
    shuffled = small_df.sample(frac=1.0, random_state=1)
    pd.testing.assert_frame_equal(build_features(shuffled).loc[small_df.index], build_features(small_df))


def test_features_are_leak_free(fraud_rich_df):
    """A feature at time t stays the same when rows after t, and labels not known at t, change."""
    df = fraud_rich_df
    cut = df["timestamp"].iloc[len(df) // 2]
    before = (df["timestamp"] <= cut).to_numpy()
    rng = np.random.default_rng(0)

    future = df.copy()
    later = ~before
    # Rows after t: other amounts, cards, terminals and labels, and a third of them gone.
    future.loc[later, "amount"] = np.round(rng.uniform(0, 2000, later.sum()), 2)
    future.loc[later, "customer_id"] = rng.integers(0, 200, later.sum()).astype(np.int32)
    future.loc[later, "terminal_id"] = rng.integers(0, 400, later.sum()).astype(np.int32)
    # Labels not known at t (even of earlier rows): flip the truth, move the report time.
    unknown = (df["label_available_at"].isna() | (df["label_available_at"] > cut)).to_numpy()
    future.loc[unknown, "is_fraud"] = (1 - df.loc[unknown, "is_fraud"]).astype(np.int8)
    future.loc[unknown, "label_available_at"] = cut + pd.to_timedelta(rng.integers(1, 10**6, unknown.sum()), unit="s")
    future = future.drop(index=df.index[later][::3])

    original = build_features(df)
    changed = build_features(future)
    pd.testing.assert_frame_equal(original[before], changed.loc[df.index[before]])
    # The changes were real: features after t did move, and label-based ones are exercised.
    kept_after = future.index[future["timestamp"] > cut]
    assert not original.loc[kept_after].equals(changed.loc[kept_after])
    assert (original.loc[before, "terminal_known_fraud_rate_7d"] > 0).sum() > 20


def test_leaky_labels_would_be_caught(fraud_rich_df):
    """The leak test has teeth: a feature that used is_fraud regardless of report time would move."""
    df = fraud_rich_df
    cut = df["timestamp"].iloc[len(df) // 2]
    unknown = (df["label_available_at"].isna() | (df["label_available_at"] > cut)).to_numpy()
    future = df.copy()
    future.loc[unknown, "label_available_at"] = df["timestamp"][unknown] + pd.Timedelta(seconds=1)
    before = (df["timestamp"] <= cut).to_numpy()
    moved = (
        build_features(future)[before]["terminal_known_fraud_rate_7d"]
        != build_features(df)[before]["terminal_known_fraud_rate_7d"]
    )
    assert moved.any()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.drop(columns="terminal_id"), "needs the columns ['terminal_id']"),
        (lambda d: d.assign(timestamp=d["timestamp"].where(d.index != 3)), "timestamp has missing values"),
        (lambda d: d.assign(amount=-d["amount"]), "negative"),
        (lambda d: d.assign(amount=d["amount"].where(d.index != 2)), "NaN"),
        (lambda d: d.assign(customer_id=d["customer_id"].astype(float)), "customer_id must hold non-negative integer"),
        (lambda d: d.assign(timestamp=d["timestamp"].astype(str)), "timestamp must be a naive datetime64"),
        (lambda d: d.iloc[:0], "empty"),
    ],
)
def test_bad_input_raises_clear_errors(small_df, change, message):
    with pytest.raises(ValueError) as info:
        build_features(change(small_df.head(50)))
    assert message in str(info.value)


def test_build_features_needs_a_dataframe():
    with pytest.raises(ValueError, match="pandas DataFrame"):
        build_features([1, 2, 3])


def test_time_split_masks(small_df):
    train, test = time_split(small_df, train_days=20, gap_days=7, test_days=10, start_day=5)
    days = small_df["day"]
    assert set(days[train].unique()) == set(range(5, 25))
    assert set(days[test].unique()) == set(range(32, 42))
    assert not (train & test).any()
    train, test = time_split(small_df, train_days=30, gap_days=0, test_days=30)
    assert (train | test).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"train_days": 0, "gap_days": 7, "test_days": 7}, "train_days == 0, must be >= 1"),
        ({"train_days": 7, "gap_days": -1, "test_days": 7}, "gap_days == -1, must be >= 0"),
        ({"train_days": 7, "gap_days": 7, "test_days": 1.5}, "test_days must be an instance of int"),
        ({"train_days": 40, "gap_days": 7, "test_days": 30}, "The data covers days 0..59"),
        ({"train_days": 7, "gap_days": 7, "test_days": 7, "start_day": -3}, "The data covers days 0..59"),
        ({"train_days": 7, "gap_days": 7, "test_days": 7, "start_day": "5"}, "start_day must be an instance of int"),
    ],
)
def test_time_split_rejects_bad_periods(small_df, kwargs, message):
    with pytest.raises((TypeError, ValueError)) as info:
        time_split(small_df, **kwargs)
    assert message in str(info.value)


def test_time_split_says_which_day_is_not_a_day(small_df):
    df = small_df.astype({"day": "float64"})
    df.loc[df.index[3], "day"] = np.nan
    with pytest.raises(ValueError, match=r"'day' column must hold whole day numbers; 1 row\(s\).*position 3: nan\)"):
        time_split(df, train_days=7, gap_days=7, test_days=7)
    whole = small_df.astype({"day": "float64"})  # whole numbers stored as floats are days
    assert [m.sum() for m in time_split(whole, train_days=7, gap_days=7, test_days=7)] == [
        m.sum() for m in time_split(small_df, train_days=7, gap_days=7, test_days=7)
    ]

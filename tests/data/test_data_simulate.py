"""The simulator: determinism, schema, prevalence at several sizes, the handbook preset, bad input."""

import numpy as np
import pandas as pd
import pytest

from course.data import COLUMNS, POST_OUTCOME_COLUMNS, SCENARIOS, Drift, simulate_transactions

# The peer's published figures (shared/reference/fraud-handbook-simulator.md).
PEER_REDUCED = {"size": (1000, 2000, 90), "rows": 170_686, "fraud_rate": 0.0360}


def _column_bytes(df):
    categorical = ("fraud_scenario", "case_status")
    return {name: np.asarray(df[name].cat.codes if name in categorical else df[name]).tobytes() for name in df.columns}


def test_same_seed_gives_identical_bytes(small_df):
    again = simulate_transactions(300, 600, 60, seed=11)
    assert _column_bytes(again) == _column_bytes(small_df)
    pd.testing.assert_frame_equal(again, small_df)


def test_generator_seed_equals_int_seed():
    a = simulate_transactions(50, 100, 10, seed=3)
    b = simulate_transactions(50, 100, 10, seed=np.random.default_rng(3))
    pd.testing.assert_frame_equal(a, b)


def test_different_seed_gives_different_data(small_df):
    other = simulate_transactions(300, 600, 60, seed=12)
    assert len(other) != len(small_df) or not np.array_equal(other["amount"], small_df["amount"])
    assert not np.array_equal(other["amount"].to_numpy()[:1000], small_df["amount"].to_numpy()[:1000])


def test_schema_and_invariants(small_df):
    df = small_df
    assert list(df.columns) == list(COLUMNS)
    assert {name: str(dtype) for name, dtype in df.dtypes.items()} == COLUMNS
    assert set(POST_OUTCOME_COLUMNS) <= set(df.columns)
    np.testing.assert_array_equal(df["transaction_id"], np.arange(len(df)))
    assert df["timestamp"].is_monotonic_increasing
    start = pd.Timestamp("2024-01-01")
    np.testing.assert_array_equal(df["day"], (df["timestamp"] - start).dt.days)
    assert df["day"].min() == 0 and df["day"].max() == 59
    cents = df["amount"].to_numpy() * 100
    np.testing.assert_allclose(cents, np.round(cents), atol=1e-6)
    assert (df["amount"] >= 0).all()
    assert list(df["fraud_scenario"].cat.categories) == list(SCENARIOS)
    np.testing.assert_array_equal(df["is_fraud"] == 1, df["fraud_scenario"] != "genuine")
    known = df["label_available_at"].notna()
    assert (df.loc[known, "label_available_at"] > df.loc[known, "timestamp"]).all()
    confirmed = (df["case_status"] == "fraud_confirmed").to_numpy()
    np.testing.assert_array_equal(confirmed, (df["is_fraud"] == 1) & known)
    np.testing.assert_array_equal(df["chargeback_amount"], np.where(confirmed, df["amount"], 0.0))
    assert ((df["case_status"] == "dispute_rejected") <= (df["is_fraud"] == 0)).all()
    assert df["customer_id"].between(0, 299).all() and df["terminal_id"].between(0, 599).all()


@pytest.mark.parametrize("size", [(300, 600, 90), (1500, 3000, 90)])
def test_default_prevalence_is_realistic_at_every_size(size):
    df = simulate_transactions(*size, seed=1)
    rate = df["is_fraud"].mean()
    assert 0.002 <= rate <= 0.01, f"fraud rate {rate:.4%} at size {size}"
    shares = df.loc[df["is_fraud"] == 1, "fraud_scenario"].value_counts(normalize=True)
    for scenario in SCENARIOS[1:]:
        assert 0.05 <= shares[scenario] <= 0.6, f"{scenario} is {shares[scenario]:.1%} of frauds at size {size}"


def test_default_scenarios_look_like_their_description(fraud_rich_df):
    df = fraud_rich_df
    testing = df[df["fraud_scenario"] == "card_testing"]
    assert testing["amount"].between(0.5, 5.0).all()
    large = df[df["fraud_scenario"] == "large_amount"]
    assert large["amount"].median() > 3 * df.loc[df["is_fraud"] == 0, "amount"].median()
    # A compromised terminal: every transaction on it in the window is fraud, so the
    # terminal-days with a compromised-terminal fraud hold no genuine transaction.
    terminal_day = df["terminal_id"].to_numpy() * 1000 + df["day"].to_numpy()
    hit = np.unique(terminal_day[(df["fraud_scenario"] == "compromised_terminal").to_numpy()])
    genuine = np.unique(terminal_day[(df["is_fraud"] == 0).to_numpy()])
    assert hit.size > 20 and np.intersect1d(hit, genuine).size == 0


def test_handbook_preset_matches_the_peer_at_its_reduced_size():
    df = simulate_transactions(*PEER_REDUCED["size"], seed=0, preset="handbook")
    assert abs(len(df) / PEER_REDUCED["rows"] - 1) <= 0.03, len(df)
    assert abs(df["is_fraud"].mean() / PEER_REDUCED["fraud_rate"] - 1) <= 0.15, df["is_fraud"].mean()
    assert df["timestamp"].min().normalize() == pd.Timestamp("2018-04-01")
    counts = df["fraud_scenario"].value_counts()
    assert counts["card_testing"] == 0
    # The peer's rule 1: a genuine amount above 220 is fraud.
    assert (df.loc[df["amount"] > 220, "is_fraud"] == 1).all()
    assert (df.loc[df["fraud_scenario"] == "large_amount", "amount"] > 220).all()


def test_handbook_rate_scales_with_size_default_does_not():
    small = simulate_transactions(250, 500, 60, seed=2, preset="handbook")["is_fraud"].mean()
    large = simulate_transactions(1000, 2000, 60, seed=2, preset="handbook")["is_fraud"].mean()
    assert small > 2.5 * large  # absolute daily counts: rate ~ 1/size, as in the peer
    small = simulate_transactions(250, 500, 60, seed=2)["is_fraud"].mean()
    large = simulate_transactions(1000, 2000, 60, seed=2)["is_fraud"].mean()
    assert 0.5 < small / large < 2


def test_rate_overrides_change_the_scenario():
    none = simulate_transactions(200, 400, 30, seed=4, leaked_card_rate=0.0)
    many = simulate_transactions(200, 400, 30, seed=4, leaked_card_rate=0.02)
    assert (none["fraud_scenario"] == "leaked_card").sum() == 0
    assert (many["fraud_scenario"] == "leaked_card").sum() > 100


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_customers": 0}, "n_customers == 0, must be >= 1"),
        ({"n_terminals": -5}, "n_terminals == -5, must be >= 1"),
        ({"n_days": 0}, "n_days == 0, must be >= 1"),
        ({"n_days": 2.5}, "n_days must be an instance of int, not float"),
        ({"n_customers": True}, "n_customers must be an int, got the bool True"),
        ({"preset": "peer"}, "Unknown preset 'peer'"),
        ({"leaked_card_rte": 0.1}, "Unknown rate or setting"),
        ({"leaked_card_rate": -0.1}, "must be a probability in [0, 1]"),
        ({"compromised_terminal_rate": 1.5}, "must be a probability in [0, 1]"),
        ({"card_testing_rate": float("nan")}, "must be a finite number"),
        ({"leaked_card_days": 0}, "must be a whole number >= 1"),
        ({"leaked_card_amount_factor": 0}, "must be > 0"),
        ({"card_testing_burst_mean": 1.0}, "card_testing_burst_mean must be >= 2"),
        ({"start_date": "not a date"}, "start_date='not a date' is not a date"),
        ({"seed": -1}, "seed must be a non-negative int"),
        ({"drift": "later"}, "drift must be a course.data.Drift"),
        ({"drift": Drift(start_day=10)}, "not within the 10 simulated days"),
        ({"drift": Drift(start_day=2, fraud_rate_multiplier=5000.0)}, "exceeds 1"),
    ],
)
def test_bad_parameters_raise_clear_errors(kwargs, message):
    arguments = {"n_customers": 20, "n_terminals": 40, "n_days": 10, "seed": 0, **kwargs}
    with pytest.raises((TypeError, ValueError)) as info:
        simulate_transactions(**arguments)
    assert message in str(info.value)


@pytest.mark.parametrize("sizes", [(10**9, 2000, 14), (10**7, 2000, 365), (1000, 10**9, 10)])
def test_sizes_beyond_a_sane_time_are_refused_at_once(sizes):
    with pytest.raises(ValueError, match="more than the 50,000,000 this simulator makes in a few minutes"):
        simulate_transactions(*sizes, seed=0)


def test_sizes_beyond_the_memory_available_are_refused(monkeypatch):
    import course.data.simulate as simulate

    monkeypatch.setattr(simulate, "available_memory_bytes", lambda: 100 * 2**20)  # 100 MiB left
    with pytest.raises(MemoryError, match=r"n_customers=20,000.*needs about 0.2 GiB of memory and only 0.1 GiB"):
        simulate_transactions(20_000, 2_000, 30, seed=0)
    assert len(simulate_transactions(50, 100, 5, seed=0)) > 0  # small worlds still run


def test_the_memory_estimate_is_an_upper_bound_of_what_is_used():
    import tracemalloc

    from course.data.simulate import estimated_peak_bytes

    tracemalloc.start()
    simulate_transactions(2_000, 2_000, 20, seed=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < estimated_peak_bytes(2_000, 2_000, 20) < 3 * peak

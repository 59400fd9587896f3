"""Naive reference implementations, to measure our speed against a peer in the same run.

``naive_simulate`` follows the *design* of the peer handbook simulator, as described in
``shared/reference/fraud-handbook-simulator.md``: a Python loop per customer per day, one
scalar numpy draw per value, rows collected in a list and a pandas DataFrame built at the
end. It is our own straightforward rewrite from that statistical model, NOT the peer's
code (which is GPL-3.0 and was not copied or consulted). Only fraud scenario 1
(amount > 220 is fraud) is implemented: scenarios 2 and 3 (compromised terminals and
leaked cards) would only add work to the naive side.

``naive_features`` computes a few of ``course.data.build_features``'s columns the obvious
pandas way (``groupby(...).rolling("7D", on="timestamp")``), same definitions: windows
(t - W, t], the current transaction included, rows at the same second in the data's order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

AREA_SIZE, RADIUS = 100.0, 5.0
FRAUD_AMOUNT = 220.0


def naive_simulate(n_customers, n_terminals, n_days, seed=0, start_date="2018-04-01"):
    """Transactions of the handbook model, one scalar draw at a time (scenario 1 frauds only)."""
    rng = np.random.default_rng(seed)
    customers = []
    for customer_id in range(n_customers):
        customers.append(
            {
                "customer_id": customer_id,
                "x": rng.uniform(0, AREA_SIZE),
                "y": rng.uniform(0, AREA_SIZE),
                "mean_amount": rng.uniform(5, 100),
                "tx_per_day": rng.uniform(0, 4),
            }
        )
    terminals = np.array([[rng.uniform(0, AREA_SIZE), rng.uniform(0, AREA_SIZE)] for _ in range(n_terminals)])

    for customer in customers:  # the terminals each customer uses
        distance = np.sqrt((terminals[:, 0] - customer["x"]) ** 2 + (terminals[:, 1] - customer["y"]) ** 2)
        nearby = list(np.flatnonzero(distance < RADIUS))
        # As in course.data (the peer would give such a customer no transactions; at the
        # benchmarked sizes that is a few customers in ten thousand).
        customer["terminals"] = nearby or [int(np.argmin(distance))]

    rows = []
    for customer in customers:
        m = customer["mean_amount"]
        for day in range(n_days):
            for _ in range(rng.poisson(customer["tx_per_day"])):
                time_of_day = int(rng.normal(43200, 20000))
                if time_of_day <= 0 or time_of_day >= 86400:
                    continue  # outside the day: dropped
                amount = rng.normal(m, m / 2)
                if amount < 0:
                    amount = rng.uniform(0, 2 * m)
                terminal_id = customer["terminals"][rng.integers(len(customer["terminals"]))]
                seconds = day * 86400 + time_of_day
                rows.append((seconds, day, customer["customer_id"], int(terminal_id), round(amount, 2)))

    df = pd.DataFrame(rows, columns=["seconds", "day", "customer_id", "terminal_id", "amount"])
    df = df.sort_values("seconds", kind="stable").reset_index(drop=True)
    df.insert(0, "transaction_id", np.arange(len(df)))
    df.insert(1, "timestamp", pd.Timestamp(start_date) + pd.to_timedelta(df["seconds"], unit="s"))
    df["is_fraud"] = (df["amount"] > FRAUD_AMOUNT).astype(np.int8)
    return df.drop(columns="seconds")


NAIVE_FEATURE_COLUMNS = [
    *(f"customer_tx_count_{w}" for w in ("1d", "7d", "30d")),
    *(f"customer_mean_amount_{w}" for w in ("1d", "7d", "30d")),
    *(f"terminal_tx_count_{w}" for w in ("7d", "28d")),
]


def naive_features(df):
    """Some of build_features's columns with pandas' time-based rolling windows per group.

    A time window "7D" of ``rolling`` is (t - 7 days, t] and ends at the row itself, so the
    current transaction is counted and rows at the same second are taken in the data's
    order (groups keep the data's order), as in ``build_features``. The data must be sorted
    by time, as ``load_transactions`` and ``simulate_transactions`` return it.
    """
    frame = df[["timestamp", "customer_id", "terminal_id", "amount"]].reset_index(drop=True)
    out = pd.DataFrame(index=frame.index)
    for window in ("1d", "7d", "30d"):
        # (the original row index is the result's second level; the first is the group)
        rolling = frame.groupby("customer_id")[["timestamp", "amount"]].rolling(window.upper(), on="timestamp")
        out[f"customer_tx_count_{window}"] = rolling.count()["amount"].droplevel(0)
        out[f"customer_mean_amount_{window}"] = rolling.mean()["amount"].droplevel(0)
    for window in ("7d", "28d"):
        rolling = frame.groupby("terminal_id")[["timestamp", "amount"]].rolling(window.upper(), on="timestamp")
        out[f"terminal_tx_count_{window}"] = rolling.count()["amount"].droplevel(0)
    out.index = df.index
    return out[NAIVE_FEATURE_COLUMNS]

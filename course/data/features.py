"""Leak-free model inputs: what the bank can compute at the instant a transaction arrives.

Every feature of a transaction at time t uses only that transaction and the earlier ones
(of the same customer or terminal), and fraud labels the bank already holds at t (their
``label_available_at`` is at or before t). Rows at the same second are taken in the data's
order. Windows are "the last W" including the transaction itself: (t - W, t].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course._validation import check_amounts, check_transactions
from course.data._windows import GroupTimeKeys, count_covering

__all__ = ["build_features", "FEATURE_COLUMNS"]

HOUR, DAY = 3600, 86400
CUSTOMER_WINDOWS = {"1h": HOUR, "1d": DAY, "7d": 7 * DAY, "30d": 30 * DAY}
TERMINAL_WINDOWS = {"7d": 7 * DAY, "28d": 28 * DAY}
NIGHT_HOURS = 6  # 00:00 to 05:59
PREVIOUS_TX_CAP = 30 * DAY

FEATURE_COLUMNS = [
    "amount",
    "log_amount",
    "hour_of_day",
    "is_night",
    *(f"customer_tx_count_{w}" for w in CUSTOMER_WINDOWS),
    *(f"customer_mean_amount_{w}" for w in ("1d", "7d", "30d")),
    "amount_to_customer_mean_30d",
    "customer_seconds_since_prev_tx",
    "is_new_terminal_for_customer",
    *(f"terminal_tx_count_{w}" for w in TERMINAL_WINDOWS),
    *(f"terminal_known_fraud_rate_{w}" for w in TERMINAL_WINDOWS),
]

_REQUIRED = ("timestamp", "customer_id", "terminal_id", "amount", "is_fraud", "label_available_at")


def build_features(df):
    """Return the model inputs of each transaction, computed from what is known at its time.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions with the columns ``timestamp``, ``customer_id``, ``terminal_id``,
        ``amount``, ``is_fraud`` and ``label_available_at`` (as made by
        :func:`simulate_transactions` or :func:`load_transactions`), in any order.

    Returns
    -------
    pandas.DataFrame
        Float64 columns ``FEATURE_COLUMNS``, aligned with ``df.index``:

        - ``amount``, ``log_amount`` (``log1p``), ``hour_of_day`` (0-23),
          ``is_night`` (1 from 00:00 to 05:59);
        - ``customer_tx_count_{1h,1d,7d,30d}``: the card's transactions in the last
          hour/day/7/30 days, this one included; ``customer_mean_amount_{1d,7d,30d}``
          their mean amount; ``amount_to_customer_mean_30d`` = amount / that 30-day mean;
        - ``customer_seconds_since_prev_tx``: seconds since the card's previous
          transaction, capped at 30 days (also the value of a card's first transaction);
        - ``is_new_terminal_for_customer``: 1 if the card never used this terminal before;
        - ``terminal_tx_count_{7d,28d}``: the terminal's transactions in the window;
          ``terminal_known_fraud_rate_{7d,28d}``: the share of those that are frauds
          *already reported* at t (``label_available_at <= t``), a lower bound of the
          true rate that rises as reports come in.

        Histories start with the data: in its first 30 days the counts and means see
        less past than later on (a warm-up worth leaving out of training sets).

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
    >>> df = simulate_transactions(100, 200, 20, seed=0)
    >>> X = build_features(df)
    >>> X.columns.tolist() == FEATURE_COLUMNS
    True
    >>> bool((X["customer_tx_count_1d"] >= 1).all())
    True
    """
    seconds, customer, terminal, amount, (known, known_label_seconds) = _check_input(df)
    n = seconds.size
    features = {"amount": amount, "log_amount": np.log1p(amount)}
    hour = (seconds % DAY) // HOUR
    features["hour_of_day"] = hour.astype(np.float64)
    features["is_night"] = (hour < NIGHT_HOURS).astype(np.float64)

    by_customer = GroupTimeKeys(customer, seconds)
    position = np.arange(n)
    amount_sum = np.concatenate([[0.0], np.cumsum(amount[by_customer.order])])
    for name, window in CUSTOMER_WINDOWS.items():
        first = by_customer.window_start(window)
        count = position - first + 1
        features[f"customer_tx_count_{name}"] = by_customer.unsort(count.astype(np.float64))
        if name != "1h":
            mean = (amount_sum[position + 1] - amount_sum[first]) / count
            features[f"customer_mean_amount_{name}"] = by_customer.unsort(np.maximum(mean, 0.0))
    features["amount_to_customer_mean_30d"] = amount / np.maximum(features["customer_mean_amount_30d"], 0.01)

    sorted_seconds, sorted_group = by_customer.seconds, by_customer.group
    since_prev = np.full(n, float(PREVIOUS_TX_CAP))
    same_card = sorted_group[1:] == sorted_group[:-1]
    since_prev[1:][same_card] = np.minimum(np.diff(sorted_seconds)[same_card], PREVIOUS_TX_CAP)
    features["customer_seconds_since_prev_tx"] = by_customer.unsort(since_prev)
    del by_customer, amount_sum, sorted_seconds, sorted_group

    pair = customer * (int(terminal.max()) + 1) + terminal
    by_pair = GroupTimeKeys(pair, seconds)
    new_pair = np.ones(n, dtype=np.float64)
    new_pair[1:][by_pair.group[1:] == by_pair.group[:-1]] = 0.0
    features["is_new_terminal_for_customer"] = by_pair.unsort(new_pair)
    del by_pair, pair

    by_terminal = GroupTimeKeys(terminal, seconds)
    for name, window in TERMINAL_WINDOWS.items():
        count = position - by_terminal.window_start(window) + 1
        # A fraud f counts for rows t of its terminal with label_f <= t < time_f + window.
        starts = np.searchsorted(
            by_terminal.keys, by_terminal.encode(terminal[known], known_label_seconds), side="left"
        )
        ends = np.searchsorted(
            by_terminal.keys, by_terminal.encode(terminal[known], seconds[known] + window), side="left"
        )
        known_frauds = count_covering(n, starts, ends)
        features[f"terminal_tx_count_{name}"] = by_terminal.unsort(count.astype(np.float64))
        features[f"terminal_known_fraud_rate_{name}"] = by_terminal.unsort(known_frauds / count)
    return pd.DataFrame({name: features[name] for name in FEATURE_COLUMNS}, index=df.index)


def _check_input(df):
    check_transactions(df, _REQUIRED, what="build_features")
    seconds = _as_seconds(df["timestamp"], "timestamp")
    ids = {}
    for column in ("customer_id", "terminal_id"):
        values = df[column].to_numpy()
        if values.dtype.kind not in "iu" or (values < 0).any():
            raise ValueError(f"{column} must hold non-negative integer ids, got dtype {values.dtype}.")
        ids[column] = values.astype(np.int64)
    amount = check_amounts(df["amount"], name="amount")
    label_time = df["label_available_at"]
    _as_seconds(label_time.iloc[:0], "label_available_at")  # dtype check
    reported = np.flatnonzero((df["is_fraud"].to_numpy() == 1) & label_time.notna().to_numpy())
    label_seconds = _as_seconds(label_time.iloc[reported], "label_available_at")
    return seconds, ids["customer_id"], ids["terminal_id"], amount, (reported, label_seconds)


def _as_seconds(column, name):
    if not pd.api.types.is_datetime64_dtype(column) or isinstance(column.dtype, pd.DatetimeTZDtype):
        raise ValueError(f"{name} must be a naive datetime64 column, got dtype {column.dtype}.")
    if name == "timestamp" and column.isna().any():
        raise ValueError("timestamp has missing values (NaT): every transaction needs a time.")
    return column.to_numpy().astype("datetime64[s]").astype(np.int64)

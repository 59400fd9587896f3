"""Late labels: when the bank learns each transaction's truth, and what it knows at a date.

In the data the truth (``is_fraud``) is exact, but a bank learns it late:

- a fraud is reported by the cardholder (and charged back) after a log-normal delay,
  median ``report_delay_median_days`` (7), sigma ``report_delay_sigma`` (1.0): half the
  reports within a week, one in ten after about 25 days. A share ``unreported_share``
  (10%) is never reported, nor is a report that would come more than
  ``report_horizon_days`` (120) after the transaction: ``label_available_at`` is NaT;
- a transaction with no report ``maturity_days`` (30) days after it is taken as genuine:
  ``label_available_at`` of a genuine transaction is its timestamp plus 30 days.

:func:`labels_as_of` turns this into the labels a bank holds at a given moment, with
``<NA>`` for those it does not know yet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course._validation import check_scalar
from course.data._windows import GroupTimeKeys
from course.data.scenarios import GENUINE

__all__ = ["labels_as_of", "CASE_STATUSES", "CARD_BLOCK_WINDOW_DAYS", "GENUINE_MATURITY_DAYS"]

CASE_STATUSES = ("no_case", "fraud_confirmed", "dispute_rejected")
NO_CASE, FRAUD_CONFIRMED, DISPUTE_REJECTED = range(3)
CARD_BLOCK_WINDOW_DAYS = 7
GENUINE_MATURITY_DAYS = 30
NEVER = -1  # label-time sentinel in seconds: never known


def attach_labels(streams, seconds, customer, amount, scenario, settings):
    """Label times and post-outcome columns for rows sorted by time.

    Returns ``label_seconds`` (int64, NEVER when never known), ``chargeback_amount``,
    ``case_status`` codes and ``card_blocked_after``. Per-fraud draws are made in time
    order from their own streams, so rows before a drift's start day get the same labels.
    """
    n = seconds.size
    is_fraud = scenario != GENUINE
    fraud_rows = np.flatnonzero(is_fraud)
    delay_days = streams[0].lognormal(
        np.log(settings["report_delay_median_days"]), settings["report_delay_sigma"], fraud_rows.size
    )
    reported = (streams[1].random(fraud_rows.size) >= settings["unreported_share"]) & (
        delay_days <= settings["report_horizon_days"]
    )
    # At least one second: a fraud is never known at the instant it happens.
    delay_seconds = np.maximum(np.round(delay_days * 86400), 1).astype(np.int64)

    label_seconds = seconds + settings["maturity_days"] * 86400
    label_seconds[fraud_rows] = np.where(reported, seconds[fraud_rows] + delay_seconds, NEVER)

    reported_rows = fraud_rows[reported]
    chargeback_amount = np.zeros(n)
    chargeback_amount[reported_rows] = amount[reported_rows]

    case_status = np.full(n, NO_CASE, dtype=np.int8)
    disputed = (streams[2].random(n, dtype=np.float32) < settings["dispute_rate"]) & ~is_fraud
    case_status[disputed] = DISPUTE_REJECTED
    case_status[reported_rows] = FRAUD_CONFIRMED

    card_blocked_after = _blocked_within(
        customer, seconds, customer[reported_rows], label_seconds[reported_rows], CARD_BLOCK_WINDOW_DAYS * 86400
    )
    return label_seconds, chargeback_amount, case_status, card_blocked_after


def _blocked_within(customer, seconds, report_customer, report_seconds, window):
    """True for rows whose card gets a fraud report (a block) in the ``window`` seconds after them."""
    if report_seconds.size == 0:
        return np.zeros(seconds.size, dtype=bool)
    reports = GroupTimeKeys(report_customer, report_seconds)
    # Reports r of the row's card with t < r <= t + window.
    after = np.searchsorted(reports.keys, reports.encode(customer, seconds), side="right")
    within = np.searchsorted(reports.keys, reports.encode(customer, seconds + window), side="right")
    return within > after


def labels_as_of(df, as_of, *, maturity_days=GENUINE_MATURITY_DAYS):
    """Return the labels a bank holds at ``as_of``: 1, 0 or <NA> per transaction.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions from :func:`simulate_transactions` or :func:`load_transactions`
        (columns ``timestamp``, ``is_fraud``, ``label_available_at``).
    as_of : str, datetime or pandas.Timestamp
        The moment the bank looks at its labels (e.g. the day a model is trained).
    maturity_days : int, default=30
        Days without a fraud report after which the bank takes a transaction as genuine.
        Must match the ``maturity_days`` the data was simulated with.

    Returns
    -------
    pandas.Series
        Nullable ``Int8`` named ``"label_as_of"``, aligned with ``df.index``:

        - ``1``: a fraud already reported at ``as_of``;
        - ``0``: no fraud report and at least ``maturity_days`` old at ``as_of``. This is
          the bank's view: a few of these are frauds reported later or never (label noise
          that ``is_fraud``, the simulator's truth, does not have);
        - ``<NA>``: not known yet (too recent), including transactions after ``as_of``.

    Examples
    --------
    >>> from course.data import simulate_transactions, labels_as_of
    >>> df = simulate_transactions(200, 400, 60, seed=0)
    >>> known = labels_as_of(df, "2024-02-15")
    >>> known.dtype
    Int8Dtype()
    >>> bool(known[df.timestamp > "2024-02-15"].isna().all())
    True
    """
    missing = [c for c in ("timestamp", "is_fraud", "label_available_at") if c not in df.columns]
    if missing:
        raise ValueError(f"labels_as_of needs the columns {missing}, missing from df.")
    moment = _check_as_of(as_of)
    maturity_days = check_scalar(maturity_days, "maturity_days", int, min_val=0)
    timestamp = df["timestamp"]
    fraud_known = (df["is_fraud"].to_numpy() == 1) & (df["label_available_at"] <= moment).to_numpy()
    matured = (timestamp + pd.Timedelta(days=int(maturity_days)) <= moment).to_numpy()
    values = np.where(fraud_known, 1, 0).astype(np.int8)
    unknown = ~fraud_known & ~matured
    return pd.Series(pd.arrays.IntegerArray(values, unknown), index=df.index, name="label_as_of")


def _check_as_of(as_of):
    if as_of is None or isinstance(as_of, (bool, int, float, np.integer, np.floating)):
        raise ValueError(f"as_of must be a date or time such as '2024-03-01' or pd.Timestamp(...), got {as_of!r}.")
    try:
        moment = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"as_of={as_of!r} is not a date or time: {exc}") from None
    if pd.isna(moment):
        raise ValueError("as_of is NaT (missing): give the moment the labels are read.")
    if moment.tzinfo is not None:
        raise ValueError(
            f"as_of={as_of!r} has a time zone; the transactions' timestamps are naive local times: "
            "pass a naive date or time."
        )
    return moment

"""The figures of a transactions dataset, as printed by ``python -m course.data describe``.

``datasets/DATASHEET.md`` quotes this output verbatim; a test checks they agree.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course.data.dataset import DATASET_FILENAME, datasets_dir, load_transactions, sha256_of
from course.data.scenarios import SCENARIOS

__all__ = ["describe_transactions", "describe_dataset"]


def describe_transactions(df):
    """Return a plain-text summary of a transactions frame: sizes, prevalence, scenarios, labels.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions with the columns of :func:`course.data.simulate_transactions`.

    Returns
    -------
    str
        One figure per line, as printed by ``python -m course.data describe``.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.data.describe import describe_transactions
    >>> small = simulate_transactions(50, 100, 20, seed=1)
    >>> print("\\n".join(describe_transactions(small).splitlines()[:4]))
    transactions: 1,907
    customers: 49   terminals used: 43
    period: 2024-01-01 to 2024-01-20 (20 days)
    frauds: 5 (0.262% of transactions)
    """
    n = len(df)
    fraud = df["is_fraud"].to_numpy() == 1
    n_fraud = int(fraud.sum())
    first, last = df["timestamp"].min(), df["timestamp"].max()
    n_days = int(df["day"].max()) + 1
    lines = [
        f"transactions: {n:,}",
        f"customers: {df['customer_id'].nunique():,}   terminals used: {df['terminal_id'].nunique():,}",
        f"period: {first:%Y-%m-%d} to {last:%Y-%m-%d} ({n_days} days)",
        f"frauds: {n_fraud:,} ({_pct(n_fraud, n)} of transactions)",
        "fraud scenarios (transactions, share of frauds):",
    ]
    counts = df["fraud_scenario"].value_counts()
    for name in SCENARIOS[1:]:
        lines.append(f"  {name:<22}{int(counts.get(name, 0)):>8,}  {_pct(counts.get(name, 0), n_fraud)}")
    blocks = []
    for start in range(0, n_days, 30):
        in_block = (df["day"] >= start).to_numpy() & (df["day"] < start + 30).to_numpy()
        blocks.append(f"days {start}-{min(start + 29, n_days - 1)}: {_pct(fraud[in_block].sum(), in_block.sum())}")
    lines.append("fraud rate by 30-day block: " + ", ".join(blocks))

    label_time = df["label_available_at"]
    reported = fraud & label_time.notna().to_numpy()
    delay_days = ((label_time - df["timestamp"]).dt.total_seconds().to_numpy() / 86400)[reported]
    genuine_delay = ((label_time - df["timestamp"]).dt.total_seconds().to_numpy() / 86400)[~fraud]
    lines += [
        "labels (when the bank learns the truth):",
        f"  frauds reported: {_pct(reported.sum(), n_fraud)}; never reported (label_available_at NaT): "
        f"{_pct(n_fraud - reported.sum(), n_fraud)}",
        "  report delay in days: " + _quantiles(delay_days),
        f"  genuine confirmed after: {_days_range(genuine_delay)} days",
        f"  labels known at the last transaction: {_pct((label_time <= last).sum(), n)} of transactions",
    ]
    cases = df["case_status"].value_counts()
    lines.append("case_status: " + ", ".join(f"{k} {int(v):,}" for k, v in cases.items()))
    blocked = df["card_blocked_after"].to_numpy()
    lines.append(
        f"card_blocked_after: {_pct(blocked.sum(), n)} of transactions, "
        f"{_pct(blocked[fraud].sum(), n_fraud)} of frauds, {_pct(blocked[~fraud].sum(), n - n_fraud)} of genuine"
    )
    amount = df["amount"].to_numpy()
    lines.append(
        f"amount: median {np.median(amount):.2f}, mean {amount.mean():.2f}, 99th percentile "
        f"{np.quantile(amount, 0.99):.2f}, max {amount.max():.2f}; frauds' median {np.median(amount[fraud]):.2f}"
    )
    return "\n".join(lines)


def describe_dataset(path=None):
    """Return the file's size and SHA-256 followed by :func:`describe_transactions` of its content.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A dataset file; defaults to the canonical ``datasets/transactions.csv.gz``.

    Returns
    -------
    str
        A ``file: ...`` line, then the lines of :func:`describe_transactions`.

    Examples
    --------
    >>> from course.data.describe import describe_dataset
    >>> print(describe_dataset().splitlines()[0])  # loads the full dataset  # doctest: +SKIP
    file: transactions.csv.gz, 4,175,740 bytes, sha256 9b0723ea057bfe5216d7f85aba1b07997bfeff5730959453e014fa140d048683
    """
    path = datasets_dir() / DATASET_FILENAME if path is None else Path(path)
    df = load_transactions(path)
    data = path.read_bytes()
    header = f"file: {path.name}, {len(data):,} bytes, sha256 {sha256_of(data)}"
    return header + "\n" + describe_transactions(df)


def _pct(part, whole):
    return f"{100 * float(part) / float(whole):.3f}%" if whole else "n/a"


def _quantiles(values):
    if values.size == 0:
        return "n/a"
    q = np.quantile(values, [0.5, 0.9, 0.99])
    return f"median {q[0]:.1f}, 90th percentile {q[1]:.1f}, 99th percentile {q[2]:.1f}, max {values.max():.1f}"


def _days_range(values):
    if values.size == 0:
        return "n/a"
    low, high = float(values.min()), float(values.max())
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"

"""Time-ordered train/test splits with a gap for late labels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from course._validation import check_scalar

__all__ = ["time_split"]


def time_split(df, *, train_days, gap_days, test_days, start_day=None):
    """Return boolean masks of a training period, a gap, then a test period, in days.

    ``train = start_day <= day < start_day + train_days``;
    ``test = start_day + train_days + gap_days <= day < ... + test_days``.
    The gap stands for the time the bank waits for labels: a model trained at the end of
    the training period is used on the test period, and the training labels should be
    those known then (see :func:`labels_as_of`), not ``is_fraud``.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions with a ``day`` column (days since the start, integers).
    train_days, test_days : int
        Lengths of the two periods, at least 1 day each.
    gap_days : int
        Days left out between them, 0 or more.
    start_day : int, optional
        First training day; defaults to the first day in ``df``.

    Returns
    -------
    train, test : numpy.ndarray of bool
        Row masks aligned with ``df`` (use ``df[train]`` or ``X[train]``).

    Examples
    --------
    >>> from course.data import simulate_transactions, time_split
    >>> df = simulate_transactions(100, 200, 40, seed=0)
    >>> train, test = time_split(df, train_days=21, gap_days=7, test_days=7)
    >>> int(df.day[train].max()), int(df.day[test].min()), int(df.day[test].max())
    (20, 28, 34)
    """
    if "day" not in getattr(df, "columns", ()):
        raise ValueError("time_split needs a DataFrame with a 'day' column (days since the start).")
    day = df["day"].to_numpy()
    if day.size == 0:
        raise ValueError("time_split got an empty DataFrame.")
    if day.dtype.kind not in "iu":
        numeric = pd.to_numeric(pd.Series(day), errors="coerce").to_numpy(dtype=np.float64)
        bad = ~np.isfinite(numeric) | (numeric != np.round(numeric))
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"The 'day' column must hold whole day numbers; {int(bad.sum())} row(s) hold something else "
                f"(NaN, a fraction or text; first at position {first}: {day[first]}). "
                "Drop or fix those rows before splitting."
            )
        day = numeric.astype(np.int64)
    periods = (("train_days", train_days, 1), ("gap_days", gap_days, 0), ("test_days", test_days, 1))
    for name, value, minimum in periods:
        check_scalar(value, name, int, min_val=minimum)
    first, last = int(day.min()), int(day.max())
    if start_day is None:
        start_day = first
    else:
        start_day = check_scalar(start_day, "start_day", int)
    test_start = start_day + train_days + gap_days
    test_end = test_start + test_days
    if start_day < first or test_end - 1 > last:
        raise ValueError(
            f"The data covers days {first}..{last}, but training from day {start_day} for {train_days} "
            f"days, a gap of {gap_days} and testing for {test_days} days needs days "
            f"{start_day}..{test_end - 1}. Shorten the periods or choose another start_day."
        )
    train = (day >= start_day) & (day < start_day + train_days)
    test = (day >= test_start) & (day < test_end)
    return train, test

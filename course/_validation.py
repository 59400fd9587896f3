"""Input checks shared by every public function: one place, one wording of each error.

Every public function of the course checks its input at the door with these helpers,
so that a learner who passes the wrong thing gets a message that names the problem.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from sklearn.utils import check_scalar as sklearn_check_scalar

__all__ = [
    "check_scalar",
    "check_rng",
    "check_binary_labels",
    "check_scores",
    "check_amounts",
    "check_same_length",
    "check_timestamp_days",
    "check_transactions",
]


_SCALAR_TYPES = {
    int: numbers.Integral,
    float: numbers.Real,
    numbers.Integral: numbers.Integral,
    numbers.Real: numbers.Real,
}


def check_scalar(value, name, target_type, *, min_val=None, max_val=None, include_boundaries="both", finite=False):
    """Return a scalar argument checked for type and range, as a Python ``int`` or ``float``.

    The one check of scalar arguments in the course, in the manner of scikit-learn's
    :func:`sklearn.utils.check_scalar` (which it calls), stricter where a fraud course
    needs it: ``True``/``False`` are not numbers, NaN is refused, and numpy scalars are
    accepted (``np.int64(5)`` is an int).

    Parameters
    ----------
    value : object
    name : str
        The argument's name, used in the message.
    target_type : {int, float}
        ``int`` accepts any integral number; ``float`` any real number (ints included).
    min_val, max_val : float, default=None
        Bounds, or None for none.
    include_boundaries : {"both", "left", "right", "neither"}, default="both"
    finite : bool, default=False
        Refuse ``inf`` and ``-inf`` as well (NaN is always refused).

    Returns
    -------
    int or float

    Raises
    ------
    TypeError
        Wrong type (a bool, a string, a float where an int is needed).
    ValueError
        NaN, or outside the bounds; the message names the argument and the bound.

    Examples
    --------
    >>> check_scalar(5, "k", int, min_val=1)
    5
    >>> check_scalar(0.5, "beta", float, min_val=0, max_val=1, include_boundaries="right")
    0.5
    >>> check_scalar(0, "k", int, min_val=1)
    Traceback (most recent call last):
    ...
    ValueError: k == 0, must be >= 1.
    >>> check_scalar(float("inf"), "review_cost", float, min_val=0, finite=True)
    Traceback (most recent call last):
    ...
    ValueError: review_cost is inf: a finite number is needed.
    """
    if target_type not in _SCALAR_TYPES:
        raise TypeError(f"target_type must be int or float, got {target_type!r}.")
    kind = _SCALAR_TYPES[target_type]
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be {'an int' if kind is numbers.Integral else 'a number'}, got the bool {value!r}."
        )
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and math.isnan(value):
        raise ValueError(f"{name} is NaN: a number is needed.")
    if finite and isinstance(value, numbers.Real) and math.isinf(value):
        raise ValueError(f"{name} is {value}: a finite number is needed.")
    sklearn_check_scalar(value, name, kind, min_val=min_val, max_val=max_val, include_boundaries=include_boundaries)
    return int(value) if kind is numbers.Integral else float(value)


def check_rng(seed, *, name="seed"):
    """Return a ``numpy.random.Generator`` from an int seed or a Generator.

    The course never uses a global random state: randomness is always passed in.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ValueError(
        f"{name} must be a non-negative int or a numpy.random.Generator, got {seed!r}. "
        "Pass e.g. seed=42: the course never relies on a global random seed."
    )


def _as_1d(values, name, dtype=None):
    array = np.asarray(values, dtype=dtype)
    if array.ndim == 2 and 1 in array.shape:
        array = array.ravel()
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per transaction), got shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"{name} is empty: at least one transaction is needed.")
    return array


def check_binary_labels(y_true, *, name="y_true", require_both=True):
    """Return ``y_true`` as a 1-D int8 array of 0/1 labels.

    Raises ``ValueError`` for NaN, values other than 0/1 (or False/True), and, when
    ``require_both`` is true, for labels that hold one class only.
    """
    array = _as_1d(y_true, name)
    if array.dtype.kind == "f" and np.isnan(array).any():
        raise ValueError(f"{name} contains NaN: every transaction needs a known label (0 or 1).")
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold 0/1 labels, got dtype {array.dtype}.")
    values = np.unique(array)
    if not np.isin(values, [0, 1]).all():
        raise ValueError(f"{name} must hold only 0 (genuine) and 1 (fraud), got values {values[:10].tolist()}.")
    if require_both and values.size < 2:
        only = "fraud (1)" if values[0] == 1 else "genuine (0)"
        raise ValueError(
            f"{name} holds one class only ({only}): precision, recall and curves need both "
            "frauds and genuine transactions. Use a longer period or a larger sample."
        )
    return array.astype(np.int8, copy=False)


def check_scores(y_score, *, name="y_score"):
    """Return ``y_score`` as a 1-D float64 array; NaN or infinite scores are an error."""
    try:
        array = _as_1d(y_score, name, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        if "one-dimensional" in str(exc) or "empty" in str(exc):
            raise
        raise ValueError(f"{name} must be numeric scores, one per transaction: {exc}") from None
    bad = ~np.isfinite(array)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} has {int(bad.sum())} NaN or infinite value(s) (first at position {first}): "
            "a model must give every transaction a finite score."
        )
    return array


def check_amounts(amounts, *, name="amounts"):
    """Return ``amounts`` as a 1-D float64 array of finite, non-negative money amounts."""
    array = check_scores(amounts, name=name)
    if (array < 0).any():
        first = int(np.flatnonzero(array < 0)[0])
        raise ValueError(
            f"{name} has {int((array < 0).sum())} negative value(s) (first at position {first}): "
            "a transaction amount cannot be negative."
        )
    return array


def check_same_length(**arrays):
    """Raise ``ValueError`` naming the arrays whose lengths differ."""
    lengths = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"Inputs must have one value per transaction, but {detail}.")


def check_timestamp_days(timestamps):
    """Calendar day number (int64) of each transaction, from datetimes (tz-aware or naive)."""
    if np.ndim(timestamps) != 1:
        raise ValueError(f"timestamps must be one-dimensional, got shape {np.shape(timestamps)}.")
    dtype = getattr(timestamps, "dtype", None)
    if dtype is None:
        dtype = np.asarray(timestamps).dtype
    if dtype.kind in "biuf":
        raise ValueError(
            f"timestamps must be datetimes, got numbers ({dtype}): convert them first, "
            "e.g. pd.to_datetime(seconds, unit='s')."
        )
    try:
        index = pd.DatetimeIndex(timestamps)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"timestamps must be datetimes (e.g. datetime64), one per transaction: {exc}") from None
    if len(index) == 0:
        raise ValueError("timestamps is empty: at least one transaction is needed.")
    if index.hasnans:
        raise ValueError(f"timestamps has {int(index.isna().sum())} missing value(s) (NaT).")
    if index.tz is not None:  # days are the local calendar days of the transactions
        index = index.tz_localize(None)
    return index.values.astype("datetime64[D]").astype(np.int64)


def check_transactions(df, columns, *, what):
    """Return ``df`` checked to be a non-empty DataFrame of transactions with ``columns``.

    Parameters
    ----------
    df : pandas.DataFrame
    columns : iterable of str
        The columns the caller reads.
    what : str
        The caller's name, for the messages.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself.

    Examples
    --------
    >>> import pandas as pd
    >>> from course._validation import check_transactions
    >>> check_transactions(pd.DataFrame({"day": [0]}), ["day"], what="f").shape
    (1, 1)
    >>> check_transactions(pd.DataFrame({"day": [0]}), ["is_fraud"], what="f")
    Traceback (most recent call last):
    ...
    ValueError: f needs the columns ['is_fraud'], missing from df (it has ['day']).
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{what} needs a pandas DataFrame of transactions, got {type(df).__name__}.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} needs the columns {missing}, missing from df (it has {list(df.columns)}).")
    if len(df) == 0:
        raise ValueError(f"{what} got an empty DataFrame: at least one transaction is needed.")
    return df

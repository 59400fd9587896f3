"""The canonical dataset shipped in ``datasets/``: write it byte-for-byte, load it checked.

The file is a gzip-compressed CSV written with ``mtime=0``, so regenerating it with the same
code gives the same bytes (and the same SHA-256) on the same platform.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from course._locations import REPOSITORY
from course.data.labels import CASE_STATUSES
from course.data.scenarios import SCENARIOS
from course.data.simulate import COLUMNS, simulate_transactions

__all__ = [
    "load_transactions",
    "write_dataset",
    "DatasetError",
    "CANONICAL_SEED",
    "DATASET_FILENAME",
    "datasets_dir",
]

CANONICAL_SEED = 7
DATASET_FILENAME = "transactions.csv.gz"
CHECKSUM_FILENAME = "SHA256SUMS"
DATASETS_ENV = "HSML_DATASETS_DIR"
# A repository checkout keeps the shipped file here; an installed package has no such folder.
_REPOSITORY_DATASETS = REPOSITORY / "datasets"
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_CATEGORIES = {"fraud_scenario": list(SCENARIOS), "case_status": list(CASE_STATUSES)}
_CACHE = {}


class DatasetError(ValueError):
    """The dataset file is corrupted, truncated, not the expected one or of the wrong schema."""


def datasets_dir():
    """The folder of the shipped dataset: the one place the course looks outside its package.

    In order: the folder named by the environment variable ``HSML_DATASETS_DIR``; the
    repository's ``datasets/`` when the course runs from a checkout; otherwise (an installed
    package without the repository) ``~/.local/share/high-stakes-ml/datasets`` (or under
    ``$XDG_DATA_HOME``), where :func:`load_transactions` writes the dataset on first use,
    byte for byte the shipped one.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from course.data import datasets_dir
    >>> (datasets_dir() / "transactions.csv.gz").name
    'transactions.csv.gz'
    """
    override = os.environ.get(DATASETS_ENV)
    if override:
        return Path(override).expanduser()
    if (_REPOSITORY_DATASETS / DATASET_FILENAME).is_file():
        return _REPOSITORY_DATASETS
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "high-stakes-ml" / "datasets"


def _regenerate_hint(directory):
    if Path(directory).resolve() == _REPOSITORY_DATASETS:
        return "make data   (or: python -m course.data write datasets/)"
    return f"python -m course.data write {directory}"


def sha256_of(data):
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def canonical_transactions():
    """The canonical dataset as a DataFrame, freshly simulated (default sizes and preset)."""
    return simulate_transactions(seed=CANONICAL_SEED)


def to_csv_gz_bytes(df):
    """Deterministic gzip-compressed CSV bytes of a transactions frame."""
    # Floats are written as their shortest repr (71.77), which reads back to the same double.
    text = df.to_csv(index=False, date_format=_DATE_FORMAT, lineterminator="\n")
    return gzip.compress(text.encode("utf-8"), compresslevel=4, mtime=0)


def write_dataset(directory=None):
    """Simulate the canonical dataset and write it plus its ``SHA256SUMS`` into ``directory``.

    Returns the path of the data file. Running it twice gives identical bytes.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        Created if needed; defaults to :func:`datasets_dir`.

    Returns
    -------
    pathlib.Path
        ``directory / "transactions.csv.gz"``.

    Examples
    --------
    >>> from course.data.dataset import write_dataset
    >>> path = write_dataset("/tmp/hsml-data")  # doctest: +SKIP
    """
    directory = datasets_dir() if directory is None else Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    data = to_csv_gz_bytes(canonical_transactions())
    path = directory / DATASET_FILENAME
    path.write_bytes(data)
    (directory / CHECKSUM_FILENAME).write_text(f"{sha256_of(data)}  {DATASET_FILENAME}\n")
    return path


def load_transactions(path=None, *, verify=True):
    """Load the canonical transactions dataset, checked against its checksum and schema.

    Parameters
    ----------
    path : str or Path, optional
        A ``transactions.csv.gz`` written by ``python -m course.data write DIR``. Defaults
        to the one in :func:`datasets_dir` (the repository's ``datasets/``, whatever the
        current directory); an installed course without the repository writes it there
        on first use.
    verify : bool, default=True
        Check the file's SHA-256 against the ``SHA256SUMS`` file next to it.

    Returns
    -------
    pandas.DataFrame
        The transactions, with the columns and dtypes of :func:`simulate_transactions`
        (see ``datasets/DATASHEET.md``). Each call returns a fresh copy: changing it does not
        change what the next call returns.

    Raises
    ------
    FileNotFoundError
        The file is missing; the message gives the command that regenerates it.
    DatasetError
        The file does not match its checksum (corrupted, truncated, replaced), cannot be
        parsed, or has other columns or dtypes than expected.

    Examples
    --------
    >>> from course.data import load_transactions
    >>> df = load_transactions()
    >>> df.columns[:3].tolist()
    ['transaction_id', 'timestamp', 'day']
    """
    if path is None:
        path = datasets_dir() / DATASET_FILENAME
        if not path.is_file() and not os.environ.get(DATASETS_ENV) and path.parent != _REPOSITORY_DATASETS:
            print(f"First use of an installed course: writing the dataset to {path.parent} (a few seconds)...")
            write_dataset(path.parent)
    path = Path(path)
    hint = _regenerate_hint(path.parent)
    if not path.is_file():
        raise FileNotFoundError(f"The dataset file {path} is missing. Regenerate it with: {hint}")
    data = path.read_bytes()
    digest = sha256_of(data)
    if verify:
        _verify_checksum(path, digest, len(data), hint)
    if digest not in _CACHE:  # same bytes, same frame, wherever the file is
        df = _parse(data, path, hint)
        _CACHE.clear()  # one dataset in memory at a time
        _CACHE[digest] = df
    return _CACHE[digest].copy()


def _verify_checksum(path, digest, size, hint):
    sums = path.parent / CHECKSUM_FILENAME
    if not sums.is_file():
        raise DatasetError(
            f"No {CHECKSUM_FILENAME} next to {path}: its integrity cannot be checked. "
            f"Regenerate both with: {hint}   (or pass verify=False to skip the check)."
        )
    expected = None
    for line in sums.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("*") == path.name:
            expected = parts[0].lower()
    if expected is None:
        raise DatasetError(
            f"{sums} has no checksum for {path.name}. Regenerate both with: {hint}   "
            "(or pass verify=False to skip the check)."
        )
    if digest != expected:
        raise DatasetError(
            f"{path} ({size} bytes) does not match its SHA-256 in {sums}: expected {expected}, "
            f"got {digest}. The file is corrupted, truncated or was changed. Regenerate it with: {hint}"
        )


def _parse(data, path, hint):
    dtypes = {name: dtype for name, dtype in COLUMNS.items() if not dtype.startswith(("datetime", "category"))}
    dtypes.update({name: str for name in _CATEGORIES})
    dates = [name for name, dtype in COLUMNS.items() if dtype.startswith("datetime")]
    try:
        df = pd.read_csv(io.BytesIO(gzip.decompress(data)), dtype=dtypes, keep_default_na=False, na_values=[""])
        for name in dates:
            df[name] = pd.to_datetime(df[name], format=_DATE_FORMAT).astype(COLUMNS[name])
    except (EOFError, OSError, zlib.error, ValueError, KeyError, TypeError, pd.errors.ParserError) as exc:
        raise DatasetError(
            f"{path} cannot be parsed ({type(exc).__name__}: {exc}). Regenerate it with: {hint}"
        ) from None
    for name, categories in _CATEGORIES.items():
        if name in df.columns:
            unknown = sorted(set(df[name].dropna().unique()) - set(categories))
            if unknown:
                raise DatasetError(
                    f"{path}: column {name!r} has unknown value(s) {unknown[:5]} (expected {categories}). "
                    f"Regenerate it with: {hint}"
                )
            df[name] = df[name].astype(pd.CategoricalDtype(categories))
    check_schema(df, path, hint)
    return df


def check_schema(df, path="the data", hint="make data"):
    """Raise ``DatasetError`` unless ``df`` has exactly the expected columns, dtypes and categories,
    and values within their meaning (amounts >= 0, ``is_fraud`` 0 or 1 and agreeing with
    ``fraud_scenario``, time in order, labels known after the transaction...)."""
    if list(df.columns) != list(COLUMNS):
        raise DatasetError(
            f"{path} has the columns {list(df.columns)}, expected {list(COLUMNS)}. Regenerate it with: {hint}"
        )
    for name, dtype in COLUMNS.items():
        column = df[name]
        if str(column.dtype) != dtype:
            raise DatasetError(
                f"{path}: column {name!r} has dtype {column.dtype}, expected {dtype}. Regenerate it with: {hint}"
            )
        allowed_missing = name == "label_available_at"
        if not allowed_missing and column.isna().any():
            raise DatasetError(
                f"{path}: column {name!r} has {int(column.isna().sum())} missing or unknown value(s). "
                f"Regenerate it with: {hint}"
            )
        if name in _CATEGORIES and list(column.cat.categories) != _CATEGORIES[name]:
            raise DatasetError(f"{path}: column {name!r} has unexpected categories. Regenerate it with: {hint}")
    _check_values(df, path, hint)


def _value_problems(df):
    """(what is wrong, how many rows) for every rule of the data's meaning that ``df`` breaks."""
    amount, fraud = df["amount"].to_numpy(), df["is_fraud"].to_numpy()
    stamps, day = df["timestamp"], df["day"].to_numpy()
    labelled = df["label_available_at"].notna().to_numpy()
    calendar_day = stamps.to_numpy().astype("datetime64[D]").astype(np.int64)
    start_dates = np.unique(calendar_day - day).size
    rules = [
        ("amount is negative or not finite", ~np.isfinite(amount) | (amount < 0)),
        ("is_fraud is not 0 or 1", ~np.isin(fraud, (0, 1))),
        ("is_fraud disagrees with fraud_scenario", fraud != (df["fraud_scenario"] != "genuine").to_numpy()),
        ("day is negative", day < 0),
        ("customer_id or terminal_id is negative", (df["customer_id"] < 0).to_numpy() | (df["terminal_id"] < 0)),
        ("transaction_id is not 0, 1, 2... in order", df["transaction_id"].to_numpy() != np.arange(len(df))),
        ("timestamp goes back in time", np.r_[False, np.diff(stamps.to_numpy()) < np.timedelta64(0)]),
        ("label_available_at is before the transaction", labelled & (df["label_available_at"] < stamps).to_numpy()),
        (
            "chargeback_amount is negative or above the amount",
            (df["chargeback_amount"] < 0).to_numpy() | (df["chargeback_amount"].to_numpy() > amount),
        ),
    ]
    found = [(what, int(np.count_nonzero(bad))) for what, bad in rules if np.any(bad)]
    if start_dates > 1:
        found.append(("day does not count days from one start date", start_dates))
    return found


def _check_values(df, path, hint):
    problems = _value_problems(df) if len(df) else []
    if problems:
        listed = "; ".join(f"{what} ({count} row(s))" for what, count in problems)
        raise DatasetError(
            f"{path}: values outside their meaning: {listed}. The file was edited (even if its checksum "
            f"was recomputed): regenerate it with: {hint}"
        )

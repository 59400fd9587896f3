"""The transaction simulator: customers, terminals, a day's spending, frauds and late labels.

The genuine-spending model is the one of the "Fraud Detection Handbook" (described in
``DATASHEET.md``); the code is this project's own and fully vectorized with numpy: a
handful of array operations per step, no Python loop over customers, days or rows.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from course._validation import check_rng, check_scalar
from course.data import scenarios as sc
from course.data._windows import stable_argsort
from course.data.drift import Drift
from course.data.labels import CASE_STATUSES, NEVER, attach_labels

__all__ = ["simulate_transactions", "COLUMNS", "POST_OUTCOME_COLUMNS", "DEFAULT_SIZES"]

# The genuine-spending model (the peer's): a world of 100 x 100, customers use the
# terminals within AREA_RADIUS of home (the nearest one if none is that close).
AREA_SIZE = 100.0
AREA_RADIUS = 5.0
MEAN_AMOUNT_RANGE = (5.0, 100.0)  # a customer's mean amount; sd = mean / 2
TX_PER_DAY_MAX = 4.0  # a customer's mean transactions per day ~ U(0, 4)
TIME_OF_DAY_MEAN, TIME_OF_DAY_SD = 43200.0, 20000.0  # seconds; draws outside the day are dropped

DEFAULT_SIZES = {"n_customers": 1000, "n_terminals": 2000, "n_days": 120}
_START_DATES = {"default": "2024-01-01", "handbook": "2018-04-01"}

COLUMNS = {
    "transaction_id": "int64",
    "timestamp": "datetime64[us]",
    "day": "int32",
    "customer_id": "int32",
    "terminal_id": "int32",
    "amount": "float64",
    "is_fraud": "int8",
    "fraud_scenario": "category",
    "label_available_at": "datetime64[us]",
    "chargeback_amount": "float64",
    "case_status": "category",
    "card_blocked_after": "bool",
}
# Known only after the outcome: never a model input (leakage traps, see DATASHEET.md).
POST_OUTCOME_COLUMNS = ("label_available_at", "chargeback_amount", "case_status", "card_blocked_after")

_STREAMS = (
    "customers",
    "terminals",
    "counts",
    "time",
    "amount",
    "negative_amount",
    "terminal_choice",
    "compromise",
    "leak",
    "leak_rows",
    "large_events",
    "large_time",
    "large_terminal",
    "large_amount",
    "testing_events",
    "testing_size",
    "testing_start",
    "testing_terminal",
    "testing_gap",
    "testing_amount",
    "report_delay",
    "unreported",
    "dispute",
)


def simulate_transactions(
    n_customers=DEFAULT_SIZES["n_customers"],
    n_terminals=DEFAULT_SIZES["n_terminals"],
    n_days=DEFAULT_SIZES["n_days"],
    *,
    seed,
    preset="default",
    start_date=None,
    drift=None,
    **rates,
):
    """Simulate card transactions with frauds, late labels and post-outcome columns.

    Parameters
    ----------
    n_customers, n_terminals, n_days : int, default=1000, 2000, 120
        Sizes of the simulated world; each at least 1.
    seed : int or numpy.random.Generator
        The only source of randomness: the same seed gives byte-identical data.
    preset : {"default", "handbook"}, default="default"
        ``"default"``: four fraud scenarios set as daily rates per terminal or customer,
        so prevalence stays about 0.5% at every size. ``"handbook"``: the peer
        simulator's model (amount > 220 is fraud, 2 terminals and 3 cards compromised a
        day, no card testing) to compare with it on the same work.
    start_date : str or pandas.Timestamp, optional
        Date of day 0. Defaults to 2024-01-01 (2018-04-01 for ``"handbook"``).
    drift : Drift, optional
        A change from a given day (see :class:`Drift`); none by default.
    **rates
        Overrides of the preset's settings, e.g. ``leaked_card_rate=0.001``. The names
        and meanings are in ``course.data.scenarios.SETTINGS``; fraud rates are daily
        probabilities per terminal or customer.

    Returns
    -------
    pandas.DataFrame
        One row per transaction sorted by time, columns (dtypes in ``COLUMNS``):
        ``transaction_id`` (0..n-1 in time order), ``timestamp``, ``day`` (days since
        ``start_date``), ``customer_id``, ``terminal_id``, ``amount`` (2 decimals),
        ``is_fraud`` (0/1, the truth), ``fraud_scenario``, ``label_available_at`` (when
        the bank learns the truth; NaT: never), and the post-outcome columns, known only
        after the fact and never model inputs: ``chargeback_amount``, ``case_status``,
        ``card_blocked_after`` (a fraud on the card is reported within 7 days after).

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> df = simulate_transactions(200, 400, 30, seed=0)
    >>> df.columns[:6].tolist()
    ['transaction_id', 'timestamp', 'day', 'customer_id', 'terminal_id', 'amount']
    >>> bool(df.timestamp.is_monotonic_increasing)
    True
    """
    for name, value in (("n_customers", n_customers), ("n_terminals", n_terminals), ("n_days", n_days)):
        check_scalar(value, name, int, min_val=1)
    n_customers, n_terminals, n_days = int(n_customers), int(n_terminals), int(n_days)
    _check_size(n_customers, n_terminals, n_days)
    settings = sc.resolve_settings(preset, n_customers, n_terminals, rates)
    start = _check_start_date(_START_DATES[preset] if start_date is None else start_date)
    drift = _check_drift(drift, n_days, settings)
    streams = dict(zip(_STREAMS, check_rng(seed).spawn(len(_STREAMS))))

    customer, terminal, seconds, amount = _genuine_transactions(streams, n_customers, n_terminals, n_days)
    day = (seconds // 86400).astype(np.int32)
    if drift is not None and drift.amount_factor != 1.0:
        shifted = day >= drift.start_day
        amount[shifted] = np.round(amount[shifted] * drift.amount_factor, 2)
    sizes = (n_customers, n_terminals, n_days)
    scenario = _relabel_genuine(streams, settings, drift, sizes, customer, terminal, day, amount)

    injected = _injected_frauds(streams, settings, drift, n_customers, n_terminals, n_days)
    if injected:
        customer = np.concatenate([customer, *(rows[0] for _, rows in injected)])
        terminal = np.concatenate([terminal, *(rows[1] for _, rows in injected)])
        seconds = np.concatenate([seconds, *(rows[2] for _, rows in injected)])
        amount = np.concatenate([amount, *(rows[3] for _, rows in injected)])
        scenario = np.concatenate([scenario, *(np.full(rows[0].size, code, np.int8) for code, rows in injected)])

    order, seconds = stable_argsort(seconds)
    customer, terminal, amount, scenario = (a[order] for a in (customer, terminal, amount, scenario))
    del order
    label_streams = (streams["report_delay"], streams["unreported"], streams["dispute"])
    label_seconds, chargeback, case_status, blocked = attach_labels(
        label_streams, seconds, customer, amount, scenario, settings
    )

    origin = np.datetime64(start, "us")
    label_time = origin + label_seconds.astype("timedelta64[s]")
    label_time[label_seconds == NEVER] = np.datetime64("NaT")
    columns = {
        "transaction_id": np.arange(seconds.size, dtype=np.int64),
        "timestamp": origin + seconds.astype("timedelta64[s]"),
        "day": (seconds // 86400).astype(np.int32),
        "customer_id": customer,
        "terminal_id": terminal,
        "amount": amount,
        "is_fraud": (scenario != sc.GENUINE).astype(np.int8),
        "fraud_scenario": pd.Categorical.from_codes(scenario, categories=list(sc.SCENARIOS)),
        "label_available_at": label_time,
        "chargeback_amount": chargeback,
        "case_status": pd.Categorical.from_codes(case_status, categories=list(CASE_STATUSES)),
        "card_blocked_after": blocked,
    }
    return pd.DataFrame(columns, copy=False)


# Measured on a 2-core machine (simulate_transactions under tracemalloc, 2k-20k customers):
# 83-112 bytes at the peak per transaction, about 0.3 million transactions per second.
PEAK_BYTES_PER_TRANSACTION = 160  # with a margin
#: Beyond this many expected transactions the simulation takes minutes: refused.
MAX_TRANSACTIONS = 50_000_000


def expected_transactions(n_customers, n_terminals, n_days):
    """About how many transactions ``simulate_transactions`` makes for these sizes (before frauds).

    Each customer spends on average ``TX_PER_DAY_MAX / 2`` times a day.

    Parameters
    ----------
    n_customers, n_terminals, n_days : int

    Returns
    -------
    float

    Examples
    --------
    >>> from course.data.simulate import expected_transactions
    >>> expected_transactions(1000, 2000, 120)
    240000.0
    """
    return n_customers * n_days * TX_PER_DAY_MAX / 2


def estimated_peak_bytes(n_customers, n_terminals, n_days):
    """An upper estimate of the memory ``simulate_transactions`` needs at its peak, in bytes.

    Transactions (:data:`PEAK_BYTES_PER_TRANSACTION` each), the (customer, day) count
    table, and the pairs of customers and nearby terminals.

    Parameters
    ----------
    n_customers, n_terminals, n_days : int

    Returns
    -------
    float

    Examples
    --------
    >>> from course.data.simulate import estimated_peak_bytes
    >>> round(estimated_peak_bytes(1000, 2000, 120) / 2**20)  # MiB
    40
    """
    near = n_customers * n_terminals * math.pi * AREA_RADIUS**2 / AREA_SIZE**2
    transactions = expected_transactions(n_customers, n_terminals, n_days)
    tables = n_customers * n_days * 16 + (near + n_customers) * 64 + n_terminals * 32
    return transactions * PEAK_BYTES_PER_TRANSACTION + tables


def available_memory_bytes():
    """Memory this process may still use: the machine's available memory, within ``RLIMIT_AS`` if set.

    Returns
    -------
    float
        Bytes; ``inf`` when the platform does not tell.

    Examples
    --------
    >>> from course.data.simulate import available_memory_bytes
    >>> available_memory_bytes() > 0
    True
    """
    available = math.inf
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        if limit != resource.RLIM_INFINITY:
            with open("/proc/self/statm") as statm:
                used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            available = min(available, limit - used)
    except (ImportError, OSError, ValueError):
        pass
    return float(available)


def _check_size(n_customers, n_terminals, n_days):
    sizes = f"n_customers={n_customers:,}, n_terminals={n_terminals:,}, n_days={n_days:,}"
    transactions = expected_transactions(n_customers, n_terminals, n_days)
    near = n_customers * n_terminals * math.pi * AREA_RADIUS**2 / AREA_SIZE**2
    if max(transactions, near, n_terminals) > MAX_TRANSACTIONS:
        raise ValueError(
            f"{sizes} would make about {transactions:,.0f} transactions among {n_terminals:,} terminals "
            f"({near:,.0f} customer-terminal pairs), more than the "
            f"{MAX_TRANSACTIONS:,} this simulator makes in a few minutes (about 0.3 million per second). "
            "Use fewer customers or days: the course's dataset is 1,000 customers x 120 days (~233,000 transactions)."
        )
    needed, available = estimated_peak_bytes(n_customers, n_terminals, n_days), available_memory_bytes()
    if needed > available:
        raise MemoryError(
            f"{sizes} needs about {needed / 2**30:.1f} GiB of memory and only {available / 2**30:.1f} GiB "
            "is available here. Use fewer customers, terminals or days."
        )


def _check_start_date(start_date):
    try:
        start = pd.Timestamp(start_date)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"start_date={start_date!r} is not a date: {exc}") from None
    if pd.isna(start) or start.tzinfo is not None:
        raise ValueError(f"start_date must be a naive date such as '2024-01-01', got {start_date!r}.")
    return start.normalize().to_datetime64()


def _check_drift(drift, n_days, settings):
    if drift is None:
        return None
    if not isinstance(drift, Drift):
        raise ValueError(f"drift must be a course.data.Drift or None, got {type(drift).__name__}.")
    if drift.start_day >= n_days:
        raise ValueError(
            f"Drift.start_day={drift.start_day} is not within the {n_days} simulated days (0..{n_days - 1})."
        )
    if drift.new_pattern is not None:
        rate = settings[f"{drift.new_pattern}_rate"]
        if rate == 0 and not (drift.new_pattern == "large_amount" and settings["large_amount_threshold"]):
            raise ValueError(
                f"Drift.new_pattern={drift.new_pattern!r} but {drift.new_pattern}_rate is 0 in this "
                f"preset: pass {drift.new_pattern}_rate=... as well."
            )
    return drift


def _genuine_transactions(streams, n_customers, n_terminals, n_days):
    """Genuine spending, rows in (customer, day) order: customer, terminal, seconds, amount."""
    rng_c, rng_t = streams["customers"], streams["terminals"]
    home = rng_c.uniform(0, AREA_SIZE, (n_customers, 2))
    mean_amount = rng_c.uniform(*MEAN_AMOUNT_RANGE, n_customers)
    tx_per_day = rng_c.uniform(0, TX_PER_DAY_MAX, n_customers)
    terminal_xy = rng_t.uniform(0, AREA_SIZE, (n_terminals, 2))
    offsets, n_near, near_terminal = _nearby_terminals(home, terminal_xy)

    counts = streams["counts"].poisson(tx_per_day[:, None], (n_customers, n_days))
    cell = np.repeat(np.arange(n_customers * n_days, dtype=np.int32), counts.ravel())
    del counts
    time_of_day = streams["time"].standard_normal(cell.size, dtype=np.float32) * TIME_OF_DAY_SD + TIME_OF_DAY_MEAN
    inside = (time_of_day > 0) & (time_of_day < 86400)
    time_of_day, cell = time_of_day[inside], cell[inside]
    customer = cell // n_days
    seconds = (cell % n_days).astype(np.int64) * 86400 + time_of_day.astype(np.int64)
    del cell, time_of_day, inside

    mean = mean_amount[customer]
    amount = mean + streams["amount"].standard_normal(customer.size, dtype=np.float32) * (mean / 2)
    negative = np.flatnonzero(amount < 0)
    amount[negative] = streams["negative_amount"].uniform(0, 2 * mean[negative])
    amount = np.round(amount, 2)
    del mean

    pick = streams["terminal_choice"].random(customer.size, dtype=np.float32) * n_near[customer]
    pick = np.minimum(pick.astype(np.int32), n_near[customer] - 1)
    terminal = near_terminal[offsets[customer] + pick]
    return customer.astype(np.int32), terminal, seconds, amount


def _nearby_terminals(home, terminal_xy):
    """CSR lists of each customer's terminals: offsets, counts and the terminal ids."""
    pairs = cKDTree(home).sparse_distance_matrix(cKDTree(terminal_xy), AREA_RADIUS, output_type="ndarray")
    customer, terminal = pairs["i"], pairs["j"]
    alone = np.setdiff1d(np.arange(len(home)), customer)
    if alone.size:  # no terminal within the radius: use the nearest one
        customer = np.concatenate([customer, alone])
        terminal = np.concatenate([terminal, cKDTree(terminal_xy).query(home[alone])[1]])
    order = np.lexsort((terminal, customer))
    n_near = np.bincount(customer, minlength=len(home)).astype(np.int32)
    offsets = (np.cumsum(n_near) - n_near).astype(np.int64)
    return offsets, n_near, terminal[order].astype(np.int32)


def _day_rates(settings, drift, scenario, n_days):
    factors = drift.day_factors(n_days, scenario) if drift is not None else [1.0] * n_days
    return sc.daily_rates(settings[f"{scenario}_rate"], factors)


def _relabel_genuine(streams, settings, drift, sizes, customer, terminal, day, amount):
    """Scenario codes of the genuine rows after the relabelling scenarios (later ones win)."""
    n_customers, n_terminals, n_days = sizes
    scenario = np.zeros(customer.size, dtype=np.int8)
    threshold = settings["large_amount_threshold"]
    if threshold is not None:
        rule = amount > threshold
        if drift is not None and drift.new_pattern == "large_amount":
            rule &= day >= drift.start_day
        scenario[rule] = sc.LARGE_AMOUNT

    rates = _day_rates(settings, drift, "compromised_terminal", n_days)
    if rates.any():
        events = sc.start_events(streams["compromise"], rates, n_terminals)
        active = sc.active_windows(events, settings["compromised_terminal_days"])
        scenario[active[day, terminal]] = sc.COMPROMISED_TERMINAL

    rates = _day_rates(settings, drift, "leaked_card", n_days)
    if rates.any():
        events = sc.start_events(streams["leak"], rates, n_customers)
        active = sc.active_windows(events, settings["leaked_card_days"])
        draws = streams["leak_rows"].random(customer.size, dtype=np.float32)
        leaked = np.flatnonzero(active[day, customer] & (draws < settings["leaked_card_share"]))
        scenario[leaked] = sc.LEAKED_CARD
        amount[leaked] = np.round(amount[leaked] * settings["leaked_card_amount_factor"], 2)
    return scenario


def _injected_frauds(streams, settings, drift, n_customers, n_terminals, n_days):
    """New fraudulent rows: [(scenario code, (customer, terminal, seconds, amount)), ...]."""
    injected = []
    rates = _day_rates(settings, drift, "large_amount", n_days)
    if rates.any():
        events = sc.start_events(streams["large_events"], rates, n_customers)
        parts = (streams["large_time"], streams["large_terminal"], streams["large_amount"])
        injected.append((sc.LARGE_AMOUNT, sc.inject_large_amounts(parts, events, n_terminals)))
    rates = _day_rates(settings, drift, "card_testing", n_days)
    if rates.any():
        events = sc.start_events(streams["testing_events"], rates, n_customers)
        parts = tuple(streams[f"testing_{p}"] for p in ("size", "start", "terminal", "gap", "amount"))
        rows = sc.inject_card_testing(parts, events, n_terminals, settings["card_testing_burst_mean"])
        injected.append((sc.CARD_TESTING, rows))
    return injected

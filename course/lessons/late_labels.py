"""Module 05: late-arriving labels. What a bank knows on a date, and what it does about the rest.

A fraud is labelled when the cardholder reports it, days or weeks after the payment; a
payment without report is taken as genuine only once it is ``maturity_days`` old (see
:func:`course.data.labels_as_of`). This module's experiments, each a plain function on the
simulator's transactions (columns ``timestamp``, ``is_fraud``, ``label_available_at``):

- the **report delay** estimated from what is known on a date (:func:`fit_report_delay`,
  Kaplan-Meier with scipy: recent payments are right-censored), against the naive
  estimate from the reports received so far and the simulator's truth
  (:func:`report_delay_table`);
- the **censoring cliff**: the fraud rate by payment day as known on a date, the eventual
  rate, and the delay-corrected estimate (:func:`fraud_rate_by_day`,
  :func:`fraud_rate_by_week`);
- **evaluation as of a date**: precision, recall and average precision with the labels
  known then, against the eventual labels (:func:`evaluation_as_of`), and every position
  of the explorer (:func:`late_label_positions`, :func:`late_label_numbers`);
- **training on immature labels**: the freshest window with the labels known today
  against older windows whose labels have matured, in money
  (:func:`compare_training_windows`).

Time is in days (floats): a payment's **age** on ``as_of`` is ``as_of - timestamp``; a
report's **delay** is ``label_available_at - timestamp``. "Eventual" labels are those the
bank ends up with when every report is in (:func:`eventual_labels`): a fraud that is never
reported stays genuine for the bank forever.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import stats

from course._validation import check_rng, check_same_length, check_scalar, check_scores
from course.data import FEATURE_COLUMNS, labels_as_of
from course.data.labels import _check_as_of
from course.data.scenarios import PRESETS
from course.metrics import CostModel, check_cost_model, day_bootstrap

__all__ = [
    "METRICS",
    "eventual_labels",
    "ReportDelayCurve",
    "fit_report_delay",
    "naive_report_delays",
    "simulated_report_delay",
    "report_delay_table",
    "fraud_rate_by_day",
    "fraud_rate_by_week",
    "ranking_metrics",
    "evaluation_as_of",
    "LateLabelPositions",
    "late_label_positions",
    "late_label_numbers",
    "fit_on_window",
    "compare_training_windows",
    "with_intervals",
]

DAY = pd.Timedelta(days=1)
#: The metrics of an evaluation as of a date: label -> key.
METRICS = {"average precision": "average_precision", "precision": "precision", "recall": "recall"}
_REQUIRED = ("timestamp", "is_fraud", "label_available_at")
_SIMULATOR = PRESETS["default"](1, 1)  # the simulator's default label settings (sizes play no part)


# -- input checks -------------------------------------------------------------------------------


def _check_transactions(df, what, *, extra=()):
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} needs a pandas DataFrame of transactions, got {type(df).__name__}.")
    missing = [c for c in (*_REQUIRED, *extra) if c not in df.columns]
    if missing:
        raise ValueError(f"{what} needs the columns {missing}, missing from the DataFrame.")
    if len(df) == 0:
        raise ValueError(f"{what} got an empty DataFrame: at least one transaction is needed.")
    return df


def _days(delta):
    """Timedeltas (Series or array) as float days."""
    return np.asarray(pd.to_timedelta(delta) / DAY, dtype=np.float64)


def eventual_labels(df):
    """The labels the bank ends up with once every report is in: 1 for a reported fraud, else 0.

    A fraud that is never reported (``label_available_at`` is NaT) stays genuine for the
    bank: the eventual labels are not the simulator's truth ``is_fraud``.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions with ``timestamp``, ``is_fraud`` and ``label_available_at``.

    Returns
    -------
    numpy.ndarray of int8, aligned with ``df``.

    Examples
    --------
    >>> import pandas as pd
    >>> from course.lessons.late_labels import eventual_labels
    >>> df = pd.DataFrame({"timestamp": pd.to_datetime(["2024-01-01"] * 3), "is_fraud": [1, 1, 0],
    ...                    "label_available_at": pd.to_datetime(["2024-01-09", None, "2024-01-31"])})
    >>> eventual_labels(df).tolist()  # the second fraud is never reported
    [1, 0, 0]
    """
    _check_transactions(df, "eventual_labels")
    return ((df["is_fraud"].to_numpy() == 1) & df["label_available_at"].notna().to_numpy()).astype(np.int8)


def _follow_up(df, as_of):
    """Payments made before ``as_of``: time followed (days), whether the report arrived, the rows."""
    before = (df["timestamp"] < as_of).to_numpy()
    if not before.any():
        raise ValueError(f"No payment was made before as_of={as_of}: nothing is known yet.")
    seen = df.loc[before]
    reported = (seen["is_fraud"].to_numpy() == 1) & (seen["label_available_at"] <= as_of).to_numpy()
    delay = _days(seen["label_available_at"] - seen["timestamp"])
    age = _days(as_of - seen["timestamp"])
    return np.where(reported, delay, age), reported, before


# -- the report delay ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDelayCurve:
    """The report-delay curve estimated on a date: the share of reports that come within d days.

    ``curve(d)`` is the Kaplan-Meier estimate of P(reported within d days | reported within
    ``horizon_days``), for the payments followed up to ``as_of``. Beyond the horizon it is 1:
    reports later than the longest follow-up cannot be seen on that date.

    Attributes
    ----------
    as_of : pandas.Timestamp
    horizon_days : float
    n_payments, n_reports : int
        Payments followed and reports received by ``as_of``.
    reported_within_horizon : float
        Kaplan-Meier estimate of the share of *payments* reported as fraud within the horizon.
    ecdf : scipy.stats._survival.ECDFResult
        scipy's estimate of the report time of a payment (``ecdf.cdf.evaluate(d)``).

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import fit_report_delay
    >>> df = simulate_transactions(300, 600, 60, seed=0)
    >>> curve = fit_report_delay(df, "2024-02-29", horizon_days=40)
    >>> float(curve(0)), float(curve(40)), float(curve(100))
    (0.0, 1.0, 1.0)
    """

    as_of: pd.Timestamp
    horizon_days: float
    n_payments: int
    n_reports: int
    reported_within_horizon: float
    ecdf: object = field(repr=False)

    def __call__(self, days):
        """P(reported within ``days`` | reported within the horizon), for days >= 0 (float or array)."""
        values = np.asarray(days, dtype=np.float64)
        if not np.isfinite(values).all() or (values < 0).any():
            raise ValueError(f"days must be finite and >= 0 (ages or delays), got {days!r}.")
        share = self.ecdf.cdf.evaluate(np.minimum(values, self.horizon_days)) / self.reported_within_horizon
        share = np.minimum(share, 1.0)
        return float(share) if share.ndim == 0 else share

    def median_days(self):
        """Delay within which half of the reports (within the horizon) arrive.

        Returns
        -------
        float

        Examples
        --------
        >>> from course.data import simulate_transactions
        >>> from course.lessons.late_labels import fit_report_delay
        >>> curve = fit_report_delay(simulate_transactions(300, 600, 60, seed=0), "2024-02-29", horizon_days=40)
        >>> 2 < curve.median_days() < 20
        True
        """
        times, probabilities = self.ecdf.cdf.quantiles, self.ecdf.cdf.probabilities
        return float(times[np.argmax(probabilities >= 0.5 * self.reported_within_horizon)])


def fit_report_delay(df, as_of, *, horizon_days):
    """Estimate the report-delay curve from what is known on ``as_of`` (Kaplan-Meier).

    Every payment made before ``as_of`` is followed from its payment: a report received by
    ``as_of`` is an event at its delay; a payment without report so far is **right-censored**
    at its age (it may still be reported, or be genuine). scipy's Kaplan-Meier estimator
    (``scipy.stats.ecdf`` on ``scipy.stats.CensoredData``) then gives the share of payments
    reported within d days; divided by its value at ``horizon_days`` it is the delay curve of
    the reports. Only what the bank holds on ``as_of`` is used: timestamps and the reports
    received (``is_fraud`` counts only where ``label_available_at <= as_of``).

    Kaplan-Meier assumes that when a payment was made does not change its chance of being
    reported within d days (independent censoring): leave out periods whose fraud rate is
    known to differ (the simulator's warm-up month).

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions (``timestamp``, ``is_fraud``, ``label_available_at``).
    as_of : str or pandas.Timestamp
        The date the bank looks at its reports.
    horizon_days : float
        The longest delay the curve covers, at most the age of the oldest payment followed.

    Returns
    -------
    ReportDelayCurve

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import fit_report_delay
    >>> df = simulate_transactions(300, 600, 60, seed=0)
    >>> curve = fit_report_delay(df, "2024-02-29", horizon_days=40)
    >>> 0.3 < curve(7) < 0.7  # about half the reports within a week (simulator: median 7 days)
    True
    """
    _check_transactions(df, "fit_report_delay")
    moment = _check_as_of(as_of)
    horizon = check_scalar(horizon_days, "horizon_days", float, min_val=0, include_boundaries="neither")
    durations, reported, _ = _follow_up(df, moment)
    oldest = float(durations[~reported].max()) if (~reported).any() else 0.0
    if horizon > oldest:
        raise ValueError(
            f"horizon_days={horizon:g} is longer than the follow-up: the oldest payment before {moment} is "
            f"{oldest:.1f} days old. Choose horizon_days <= {math.floor(oldest)} or include older payments."
        )
    if not (reported & (durations <= horizon)).any():
        raise ValueError(f"No report received by {moment} within {horizon:g} days: nothing to estimate a delay from.")
    result = stats.ecdf(stats.CensoredData(uncensored=durations[reported], right=durations[~reported]))
    within = float(result.cdf.evaluate(horizon))
    return ReportDelayCurve(moment, horizon, int(durations.size), int(reported.sum()), within, result)


def naive_report_delays(df, as_of):
    """The delays (days) of the reports received by ``as_of``: the naive sample.

    Taken alone they under-represent long delays: a recent fraud appears in this sample
    only if it was reported quickly.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions (``timestamp``, ``is_fraud``, ``label_available_at``).
    as_of : str or pandas.Timestamp

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import naive_report_delays
    >>> delays = naive_report_delays(simulate_transactions(300, 600, 60, seed=0), "2024-02-29")
    >>> bool((delays > 0).all() and (delays <= 59).all())
    True
    """
    _check_transactions(df, "naive_report_delays")
    durations, reported, _ = _follow_up(df, _check_as_of(as_of))
    return durations[reported]


def simulated_report_delay(days, *, horizon_days, median_days=None, sigma=None):
    """The simulator's true delay curve: P(reported within d days | reported within the horizon).

    The simulator draws a fraud's report delay from a log-normal distribution (median
    ``report_delay_median_days``, sigma ``report_delay_sigma``: 7 days and 1.0 by default);
    the frauds never reported play no part in this conditional curve.

    Parameters
    ----------
    days : float or array-like
        Delays, >= 0.
    horizon_days : float
        As in :func:`fit_report_delay`.
    median_days, sigma : float, optional
        The simulator's settings; default to its defaults.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> from course.lessons.late_labels import simulated_report_delay
    >>> round(simulated_report_delay(7, horizon_days=1e9), 3)  # the median
    0.5
    """
    horizon = check_scalar(horizon_days, "horizon_days", float, min_val=0, include_boundaries="neither")
    median = _SIMULATOR["report_delay_median_days"] if median_days is None else median_days
    sigma = _SIMULATOR["report_delay_sigma"] if sigma is None else sigma
    median = check_scalar(median, "median_days", float, min_val=0, include_boundaries="neither")
    sigma = check_scalar(sigma, "sigma", float, min_val=0, include_boundaries="neither")
    values = np.asarray(days, dtype=np.float64)
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError(f"days must be finite and >= 0, got {days!r}.")
    law = stats.lognorm(s=sigma, scale=median)
    share = law.cdf(np.minimum(values, horizon)) / law.cdf(horizon)
    return float(share) if share.ndim == 0 else share


class _ReportCurves:
    """Kaplan-Meier and the naive curve of weighted payments, from one sort (for the day bootstrap).

    The product-limit estimate, as ``scipy.stats.ecdf`` computes it on right-censored data
    (a payment censored at a report's delay is still at risk then), with each payment
    counted ``weight`` times: a day bootstrap resample is a vector of weights, so no
    resample sorts again (scipy's ecdf sorts every call: about 25 ms on 100,000 payments,
    here about 1 ms). Tested equal to ``scipy.stats.ecdf`` on repeated rows.
    """

    def __init__(self, durations, reported, horizon, delays):
        self.order = np.argsort(durations, kind="stable")
        self.durations, self.reported = durations[self.order], reported[self.order]
        self.horizon, self.delays = horizon, delays
        self.event_rows = np.flatnonzero(self.reported)
        self.event_times = np.unique(self.durations[self.event_rows])
        self.event_of_row = np.searchsorted(self.event_times, self.durations[self.event_rows])
        # first sorted row followed at least until each event time (censored ties included)
        self.first_at_risk = np.searchsorted(self.durations, self.event_times, side="left")

    def values(self, weights):
        """``[KM share within each delay, KM median, naive share within each delay, naive median]``."""
        w = np.asarray(weights, dtype=np.float64)[self.order]
        at_risk = np.r_[np.cumsum(w[::-1])[::-1], 0.0][self.first_at_risk]
        events = np.bincount(self.event_of_row, weights=w[self.event_rows], minlength=self.event_times.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            survival = np.cumprod(np.where(at_risk > 0, 1.0 - events / at_risk, 1.0))
        cdf = 1.0 - survival
        last = lambda t: np.searchsorted(self.event_times, t, side="right") - 1
        at = lambda t: np.where(last(t) >= 0, cdf[np.maximum(last(t), 0)], 0.0)
        within = at(self.horizon)
        if within == 0 or events.sum() == 0:
            return np.full(2 * (self.delays.size + 1), np.nan)
        km = at(self.delays) / within
        km_median = self.event_times[np.argmax(cdf >= 0.5 * within)]
        delays, kept = self.durations[self.event_rows], w[self.event_rows]
        share = np.cumsum(kept) / kept.sum()  # the reports' delays are sorted: a weighted ECDF
        naive = np.r_[0.0, share][np.searchsorted(delays, self.delays, side="right")]
        naive_median = delays[np.argmax(share >= 0.5)]
        return np.r_[km, km_median, naive, naive_median]


def report_delay_table(df, as_of, *, horizon_days, days=(3, 7, 14, 28), n_resamples=200, seed=0):
    """The delay curve on ``as_of``: Kaplan-Meier, the naive estimate and the simulator's truth.

    One row per delay d ("share of reports within d days") and a last row, the median delay.
    Intervals are day-level bootstrap intervals (:func:`course.metrics.day_bootstrap`,
    payment days resampled); Kaplan-Meier is computed as ``scipy.stats.ecdf`` does, from one
    sort of the payments with each resample as weights. A median is the shortest delay
    within which half of the reports (within the horizon) arrive.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions (``timestamp``, ``is_fraud``, ``label_available_at``).
    as_of : str or pandas.Timestamp
    horizon_days : float
        See :func:`fit_report_delay`.
    days : sequence of float, default=(3, 7, 14, 28)
        Delays at which the curves are compared, each within the horizon.
    n_resamples : int, default=200
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        Columns ``simulator``, ``kaplan_meier``, ``km_low``, ``km_high``, ``naive``,
        ``naive_low``, ``naive_high``.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import report_delay_table
    >>> df = simulate_transactions(300, 600, 60, seed=0)
    >>> table = report_delay_table(df, "2024-02-29", horizon_days=40, days=(7,), n_resamples=20)
    >>> table.index.tolist()
    ['within 7 days', 'median delay (days)']
    """
    _check_transactions(df, "report_delay_table")
    moment = _check_as_of(as_of)
    horizon = check_scalar(horizon_days, "horizon_days", float, min_val=0, include_boundaries="neither")
    delays = np.asarray(days, dtype=np.float64)
    if delays.ndim != 1 or delays.size == 0 or not ((delays > 0) & (delays <= horizon)).all():
        raise ValueError(f"days must be delays in (0, horizon_days={horizon:g}], got {days!r}.")
    fit_report_delay(df, moment, horizon_days=horizon)  # checks the follow-up once, with a clear error
    durations, reported, before = _follow_up(df, moment)
    payment_day = df.loc[before, "timestamp"].dt.normalize().to_numpy()

    curves = _ReportCurves(durations, reported, horizon, delays)
    # each resample's rows, repeated as drawn, become weights on the payments sorted once
    boot = day_bootstrap(
        lambda rows: curves.values(np.bincount(rows, minlength=durations.size)),
        np.arange(durations.size),
        days=payment_day,
        n_resamples=n_resamples,
        seed=seed,
    )
    k = delays.size + 1
    truth = simulated_report_delay(delays, horizon_days=horizon)
    law = stats.lognorm(s=_SIMULATOR["report_delay_sigma"], scale=_SIMULATOR["report_delay_median_days"])
    true_median = float(law.ppf(0.5 * law.cdf(horizon)))
    index = [f"within {d:g} days" for d in delays] + ["median delay (days)"]
    estimate, low, high = (np.asarray(v, dtype=float) for v in (boot.estimate, boot.low, boot.high))
    return pd.DataFrame(
        {
            "simulator": np.r_[truth, true_median],
            "kaplan_meier": estimate[:k],
            "km_low": low[:k],
            "km_high": high[:k],
            "naive": estimate[k:],
            "naive_low": low[k:],
            "naive_high": high[k:],
        },
        index=index,
    )


# -- the censoring cliff ------------------------------------------------------------------------


def _check_curve(report_curve):
    if not callable(report_curve):
        raise TypeError(
            "report_curve must be callable: days -> share of reports within that many days "
            f"(e.g. a ReportDelayCurve from fit_report_delay), got {type(report_curve).__name__}."
        )
    return report_curve


def fraud_rate_by_day(df, as_of, *, report_curve):
    """The fraud rate of each payment day as known on ``as_of``, eventually, and delay-corrected.

    A payment of age ``a`` days on ``as_of`` has had time for a share ``report_curve(a)`` of
    the reports it will ever get. So the frauds known today for a day are expected to be
    ``rate x sum(report_curve(a_i))`` over its payments, and the **delay-corrected rate** is
    ``known frauds / sum(report_curve(a_i))``. It estimates the rate of frauds reported
    within the curve's horizon (a fraud never reported is invisible to every estimate).

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions (``timestamp``, ``is_fraud``, ``label_available_at``).
    as_of : str or pandas.Timestamp
    report_curve : callable
        Delay (days, array) -> share of the reports within that delay, e.g. a
        :class:`ReportDelayCurve`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``payment_day`` (calendar days before ``as_of``): ``payments``,
        ``known_frauds``, ``eventual_frauds``, ``expected_share_reported`` (mean of
        ``report_curve`` over the day's payments), ``known_rate``, ``corrected_rate``,
        ``eventual_rate``.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import fraud_rate_by_day, simulated_report_delay
    >>> df = simulate_transactions(300, 600, 60, seed=0)
    >>> table = fraud_rate_by_day(df, "2024-02-29", report_curve=lambda d: simulated_report_delay(d, horizon_days=60))
    >>> bool((table["known_frauds"] <= table["eventual_frauds"]).all())
    True
    """
    _check_transactions(df, "fraud_rate_by_day")
    moment = _check_as_of(as_of)
    curve = _check_curve(report_curve)
    _, reported, before = _follow_up(df, moment)
    seen = df.loc[before]
    share = np.asarray(curve(_days(moment - seen["timestamp"])), dtype=np.float64)
    frame = pd.DataFrame(
        {
            "payment_day": seen["timestamp"].dt.normalize().to_numpy(),
            "payments": 1,
            "known_frauds": reported.astype(np.int64),
            "eventual_frauds": eventual_labels(seen).astype(np.int64),
            "expected_share_reported": share,
        }
    )
    table = frame.groupby("payment_day").sum()
    table["expected_share_reported"] /= table["payments"]
    table["known_rate"] = table["known_frauds"] / table["payments"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["corrected_rate"] = table["known_frauds"] / (table["expected_share_reported"] * table["payments"])
    table["eventual_rate"] = table["eventual_frauds"] / table["payments"]
    return table


def fraud_rate_by_week(df, as_of, *, report_curve, weeks=4, n_resamples=200, seed=0):
    """The fraud rate of each of the last weeks before ``as_of``: as known, delay-corrected, eventual.

    Week 1 is the 7 calendar days just before ``as_of``, week 2 the 7 before them, and so on.
    The delay-corrected rate is ``known frauds / sum(report_curve(age))`` over the week's
    payments (see :func:`fraud_rate_by_day`). The ``*_low`` / ``*_high`` columns are day-level
    bootstrap intervals (payment days resampled, the delay curve held fixed) of each difference with the eventual rate.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions (``timestamp``, ``is_fraud``, ``label_available_at``).
    as_of : str or pandas.Timestamp
        A midnight: the weeks end there.
    report_curve : callable
        See :func:`fraud_rate_by_day`.
    weeks : int, default=4
    n_resamples : int, default=200
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        Indexed by ``weeks_before`` (1 = the last 7 days): ``payments``, ``known_frauds``,
        ``eventual_frauds``, ``known_rate``, ``corrected_rate``, ``eventual_rate``, and the
        differences with the eventual rate ``known_rate_diff`` and ``corrected_rate_diff``
        with their ``_low`` and ``_high`` bounds (see :func:`with_intervals`).

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import fraud_rate_by_week, simulated_report_delay
    >>> df = simulate_transactions(300, 600, 60, seed=0)
    >>> table = fraud_rate_by_week(df, "2024-02-29", weeks=2, n_resamples=20,
    ...                            report_curve=lambda d: simulated_report_delay(d, horizon_days=60))
    >>> table.index.tolist()
    [1, 2]
    """
    _check_transactions(df, "fraud_rate_by_week")
    moment = _check_as_of(as_of)
    if moment != moment.normalize():
        raise ValueError(f"as_of must be a midnight (the weeks end there), got {moment}.")
    weeks = check_scalar(weeks, "weeks", int, min_val=1)
    curve = _check_curve(report_curve)
    recent = df[(df["timestamp"] >= moment - 7 * weeks * DAY) & (df["timestamp"] < moment)]
    if recent.empty:
        raise ValueError(f"No payment in the {weeks} weeks before {moment}.")
    _, known, _ = _follow_up(recent, moment)
    age = _days(moment - recent["timestamp"])
    share = np.asarray(curve(age), dtype=np.float64)
    week = (age // 7).astype(np.int64)  # 0 = the last 7 days
    eventual = eventual_labels(recent).astype(np.float64)

    def rates(week, known, share, eventual):
        payments = np.bincount(week, minlength=weeks)
        known_rate = np.bincount(week, weights=known, minlength=weeks) / payments
        with np.errstate(divide="ignore", invalid="ignore"):
            corrected = np.bincount(week, weights=known, minlength=weeks) / np.bincount(
                week, weights=share, minlength=weeks
            )
        eventual_rate = np.bincount(week, weights=eventual, minlength=weeks) / payments
        return np.r_[known_rate, corrected, eventual_rate, known_rate - eventual_rate, corrected - eventual_rate]

    boot = day_bootstrap(
        rates,
        week,
        known.astype(np.float64),
        share,
        eventual,
        days=recent["timestamp"].dt.normalize().to_numpy(),
        n_resamples=n_resamples,
        seed=seed,
    )
    estimate, low, high = (np.asarray(v, dtype=float).reshape(5, weeks) for v in (boot.estimate, boot.low, boot.high))
    table = pd.DataFrame(
        {
            "payments": np.bincount(week, minlength=weeks),
            "known_frauds": np.bincount(week, weights=known, minlength=weeks).astype(np.int64),
            "eventual_frauds": np.bincount(week, weights=eventual, minlength=weeks).astype(np.int64),
            "known_rate": estimate[0],
            "corrected_rate": estimate[1],
            "eventual_rate": estimate[2],
            "known_rate_diff": estimate[3],
            "known_rate_diff_low": low[3],
            "known_rate_diff_high": high[3],
            "corrected_rate_diff": estimate[4],
            "corrected_rate_diff_low": low[4],
            "corrected_rate_diff_high": high[4],
        },
        index=pd.Index(np.arange(1, weeks + 1), name="weeks_before"),
    )
    return table


# -- ranking metrics on the labels known -------------------------------------------------------


def _tie_groups(y_score):
    """Group index of each score, 0 for the highest distinct score; the group scores, descending."""
    negated, group = np.unique(-y_score, return_inverse=True)
    return group.ravel(), -negated


def _metrics_from_groups(group, group_scores, positive, negative, threshold):
    """Precision and recall at ``threshold`` and average precision, from per-row weights.

    ``positive`` / ``negative`` (shape (n,) or (r, n)) weigh each payment as a labelled fraud
    or a labelled genuine (0 = unlabelled). Scikit-learn's definitions: flag score >=
    threshold, tied scores together; AP = sum over distinct scores of (R_k - R_{k-1}) P_k.
    Returns three arrays of shape (r,) (NaN where a class has no labelled payment, or for
    precision when nothing labelled is flagged).
    """
    positive, negative = np.atleast_2d(positive), np.atleast_2d(negative)
    rows, n_groups = positive.shape[0], group_scores.size
    offsets = (np.arange(rows) * n_groups)[:, None]
    flat = (group[None, :] + offsets).ravel()
    tp = np.bincount(flat, weights=positive.ravel(), minlength=rows * n_groups).reshape(rows, n_groups).cumsum(1)
    fp = np.bincount(flat, weights=negative.ravel(), minlength=rows * n_groups).reshape(rows, n_groups).cumsum(1)
    total_pos, total_neg = tp[:, -1], fp[:, -1]
    with np.errstate(divide="ignore", invalid="ignore"):
        precision_k = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        gained = np.diff(tp, axis=1, prepend=0.0)
        ap = (gained * precision_k).sum(axis=1) / total_pos
        flagged = int(np.searchsorted(-group_scores, -threshold, side="right"))  # groups with score >= threshold
        tp_t = tp[:, flagged - 1] if flagged else np.zeros(rows)
        fp_t = fp[:, flagged - 1] if flagged else np.zeros(rows)
        precision = np.where(tp_t + fp_t > 0, tp_t / (tp_t + fp_t), np.nan)
        recall = tp_t / total_pos
    one_class = (total_pos == 0) | (total_neg == 0)
    ap[one_class] = np.nan
    precision[one_class] = np.nan
    recall[total_pos == 0] = np.nan
    return precision, recall, ap


def ranking_metrics(y_known, y_score, *, threshold):
    """Precision and recall at a threshold, and average precision, on the labelled payments only.

    ``y_known`` holds 1, 0 or NaN (not known yet, e.g. from
    :func:`course.data.labels_as_of`); unlabelled payments are left out. Definitions are
    scikit-learn's (``precision_score``, ``recall_score`` of ``score >= threshold``,
    ``average_precision_score``); a metric is NaN when it is undefined: one class only among
    the labelled payments, or (precision) nothing labelled flagged.

    Parameters
    ----------
    y_known : array-like of shape (n,)
        1 (fraud), 0 (genuine) or NaN / <NA> (unknown).
    y_score : array-like of shape (n,)
    threshold : float
        Flag ``score >= threshold``.

    Returns
    -------
    dict
        ``labelled``, ``frauds``, ``precision``, ``recall``, ``average_precision``.

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.late_labels import ranking_metrics
    >>> m = ranking_metrics([1, np.nan, 0, 1, 0], [0.9, 0.8, 0.7, 0.4, 0.1], threshold=0.5)
    >>> m["labelled"], m["precision"], m["recall"], round(m["average_precision"], 4)
    (4, 0.5, 0.5, 0.8333)
    """
    try:
        known = pd.Series(y_known).astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"y_known must hold 1 (fraud), 0 (genuine) or NaN (unknown): {exc}") from None
    scores = check_scores(y_score)
    check_same_length(y_known=known, y_score=scores)
    if not np.isin(known[~np.isnan(known)], [0.0, 1.0]).all():
        raise ValueError("y_known must hold 1 (fraud), 0 (genuine) or NaN (unknown).")
    threshold = check_scalar(threshold, "threshold", float)
    group, group_scores = _tie_groups(scores)
    positive, negative = (known == 1).astype(float), (known == 0).astype(float)
    precision, recall, ap = _metrics_from_groups(group, group_scores, positive, negative, threshold)
    return {
        "labelled": int((~np.isnan(known)).sum()),
        "frauds": int(positive.sum()),
        "precision": float(precision[0]),
        "recall": float(recall[0]),
        "average_precision": float(ap[0]),
    }


@dataclass(frozen=True)
class _LabelDateLayout:
    """What :func:`_metrics_by_label_date` needs beyond the payments, computed once on the full data."""

    as_of: np.ndarray  # (n_a,) days since the origin
    windows: np.ndarray  # (n_m,) maturity days
    points: np.ndarray  # rank groups where counts are read: the eventual frauds' groups and the threshold's
    flagged_groups: int  # groups with score >= threshold
    moments: np.ndarray  # distinct "paid by" cut-offs as_of - maturity
    cutoff: np.ndarray  # (n_m, n_a) index of each pair's cut-off in moments

    @classmethod
    def build(cls, group, group_scores, eventual, as_of_days, maturity_days, threshold):
        as_of = np.asarray(as_of_days, dtype=np.float64)
        windows = np.asarray(maturity_days, dtype=np.float64)
        flagged_groups = int(np.searchsorted(-group_scores, -threshold, side="right"))
        points = np.unique(group[eventual == 1])
        if flagged_groups:
            points = np.union1d(points, [flagged_groups - 1])
        moments = np.unique((as_of[None, :] - windows[:, None]).ravel())
        cutoff = np.searchsorted(moments, as_of[None, :] - windows[:, None])
        return cls(as_of, windows, points, flagged_groups, moments, cutoff)

    def place(self, group, paid):
        """Each payment's segment of the ranking (<= k: at or above point k) and its time bin."""
        return np.searchsorted(self.points, group, side="left"), np.searchsorted(self.moments, paid, side="left")


def _metrics_by_label_date(layout, segment, time_bin, paid, report, eventual):
    """Precision, recall, AP and counts for the labels known at every (maturity, as-of) pair.

    The labels at as-of ``a`` with maturity ``m`` (days since one origin): a fraud is known
    when ``report <= a``; any other payment is a known genuine when ``paid + m <= a``; the
    rest is unlabelled. Only the eventual frauds' labels change with ``a``, so the counts are
    built from them (arrays of shape (maturities, as-of dates, rank points)) plus one 2-D
    cumulative histogram of every payment by rank segment and time bin (``layout.place``):
    O(n) per call, not O(n x positions), so that it fits in a bootstrap. Same definitions as
    :func:`ranking_metrics` (tested against it). Rows may repeat (a bootstrap resample).

    Returns a dict of arrays of shape (len(maturity_days), len(as_of_days)): ``precision``,
    ``recall``, ``average_precision``, ``labelled``, ``known_frauds``.
    """
    as_of, windows, points = layout.as_of, layout.windows, layout.points
    n_m, n_a, n_points = windows.size, as_of.size, points.size
    frauds = np.flatnonzero(eventual == 1)
    width = layout.moments.size + 1
    histogram = np.bincount(segment * width + time_bin, minlength=(n_points + 1) * width).reshape(n_points + 1, width)
    mature_above = histogram.cumsum(axis=0).cumsum(axis=1)  # [k, j]: ranked at or above point k, paid by cut-off j
    mature_total = mature_above[n_points][layout.cutoff]  # (n_m, n_a)
    mature_at_points = mature_above[:n_points][:, layout.cutoff]  # (n_points, n_m, n_a)
    flagged_groups = layout.flagged_groups

    fraud_segment = segment[frauds]
    known = report[frauds][None, :] <= as_of[:, None]  # (n_a, frauds)
    known_mature = known[None, :, :] & (paid[frauds][None, None, :] + windows[:, None, None] <= as_of[None, :, None])

    def cumulative(weights):  # (..., frauds) -> (..., n_points): sum over frauds ranked at or above each point
        lead = weights.shape[:-1]
        flat = weights.reshape(-1, weights.shape[-1])
        rows = np.arange(flat.shape[0])[:, None] * n_points + fraud_segment[None, :]
        sums = np.bincount(rows.ravel(), weights=flat.ravel().astype(np.float64), minlength=flat.shape[0] * n_points)
        return sums.reshape(*lead, n_points).cumsum(axis=-1)

    tp = np.broadcast_to(cumulative(known)[None], (n_m, n_a, n_points))  # (n_m, n_a, points)
    fp = np.moveaxis(mature_at_points, 0, -1) - cumulative(known_mature)
    total_pos = np.broadcast_to(known.sum(axis=1)[None, :], (n_m, n_a)).astype(np.float64)
    total_neg = mature_total - known_mature.sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision_k = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        gained = np.diff(tp, axis=-1, prepend=0.0)
        ap = (gained * precision_k).sum(axis=-1) / total_pos
        if flagged_groups:
            k = int(np.searchsorted(points, flagged_groups - 1))
            tp_t, fp_t = tp[..., k], fp[..., k]
        else:
            tp_t = fp_t = np.zeros((n_m, n_a))
        precision = np.where(tp_t + fp_t > 0, tp_t / (tp_t + fp_t), np.nan)
        recall = tp_t / total_pos
    one_class = (total_pos == 0) | (total_neg == 0)
    ap[one_class] = np.nan
    precision[one_class] = np.nan
    recall[total_pos == 0] = np.nan
    return {
        "precision": precision,
        "recall": recall,
        "average_precision": ap,
        "labelled": (total_pos + total_neg).astype(np.int64),
        "known_frauds": total_pos.astype(np.int64),
    }


def evaluation_as_of(df, y_score, as_of_dates, *, threshold, maturity_days=0, n_resamples=200, seed=0):
    """One model's precision, recall and average precision with the labels known at several dates.

    Labels as of each date are :func:`course.data.labels_as_of` with ``maturity_days``:
    ``maturity_days=0`` takes every payment without report as genuine (the labels "known
    so far"); a longer maturity leaves out the genuine payments too young to be sure of,
    but keeps the frauds already reported. The last row uses the eventual labels. The
    columns ``*_diff_low`` / ``*_diff_high`` are day-level bootstrap intervals of the
    difference ``metric as of the date - metric eventually`` (payment days resampled).

    Parameters
    ----------
    df : pandas.DataFrame
        The scored payments (``timestamp``, ``is_fraud``, ``label_available_at``).
    y_score : array-like of shape (len(df),)
    as_of_dates : sequence of dates
    threshold : float
        Flag ``score >= threshold`` for precision and recall.
    maturity_days : int, default=0
    n_resamples : int, default=200
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        One row per date, then ``eventual``: ``labelled``, ``known_frauds``, and for each
        of ``precision``, ``recall``, ``average_precision``: its value, ``*_diff`` (as of the
        date - eventually) and the bootstrap bounds ``*_diff_low``, ``*_diff_high``.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import evaluation_as_of
    >>> df = simulate_transactions(300, 600, 60, seed=0)
    >>> score = df["amount"].to_numpy()  # a crude score: large amounts first
    >>> table = evaluation_as_of(df, score, ["2024-03-01", "2024-04-01"], threshold=150.0, n_resamples=20)
    >>> table.index.tolist()
    ['2024-03-01', '2024-04-01', 'eventual']
    """
    _check_transactions(df, "evaluation_as_of")
    scores = check_scores(y_score)
    check_same_length(df=df, y_score=scores)
    threshold = check_scalar(threshold, "threshold", float)
    maturity = check_scalar(maturity_days, "maturity_days", int, min_val=0)
    moments = [_check_as_of(d) for d in as_of_dates]
    if not moments:
        raise ValueError("as_of_dates is empty: give at least one date.")
    origin = df["timestamp"].min().normalize()
    paid = _days(df["timestamp"] - origin)
    report = np.nan_to_num(_days(df["label_available_at"] - origin), nan=np.inf)
    eventual = eventual_labels(df)
    as_of_days = np.array([_days(m - origin) for m in moments])
    group, group_scores = _tie_groups(scores)

    # the last as-of, infinitely late, gives the eventual labels (every payment mature, every report in)
    layout = _LabelDateLayout.build(group, group_scores, eventual, np.r_[as_of_days, np.inf], [maturity], threshold)
    segment, time_bin = layout.place(group, paid)

    def metrics(segment, time_bin, paid, report, eventual):
        by_date = _metrics_by_label_date(layout, segment, time_bin, paid, report, eventual)
        values = np.column_stack([by_date[key][0] for key in ("precision", "recall", "average_precision")])
        counts = np.column_stack([by_date["labelled"][0], by_date["known_frauds"][0]])
        return np.r_[(values - values[-1]).ravel(), values.ravel(), counts.ravel()]

    boot = day_bootstrap(
        metrics,
        segment,
        time_bin,
        paid,
        report,
        eventual,
        days=df["timestamp"].dt.normalize().to_numpy(),
        n_resamples=n_resamples,
        seed=seed,
    )
    rows = len(moments) + 1
    estimate, low, high = (np.asarray(v, dtype=float) for v in (boot.estimate, boot.low, boot.high))
    differences_low, differences_high = low[: rows * 3].reshape(rows, 3), high[: rows * 3].reshape(rows, 3)
    values = estimate[rows * 3 : rows * 6].reshape(rows, 3)
    counts = estimate[rows * 6 :].reshape(rows, 2)
    index = [m.strftime("%Y-%m-%d") if m == m.normalize() else str(m) for m in moments] + ["eventual"]
    table = pd.DataFrame({"labelled": counts[:, 0].astype(int), "known_frauds": counts[:, 1].astype(int)}, index=index)
    for j, name in enumerate(("precision", "recall", "average_precision")):
        table[name] = values[:, j]
        table[f"{name}_diff"] = values[:, j] - values[-1, j]
        table[f"{name}_diff_low"] = differences_low[:, j]
        table[f"{name}_diff_high"] = differences_high[:, j]
    return table


# -- the explorer's positions ------------------------------------------------------------------


@dataclass(frozen=True)
class LateLabelPositions:
    """Every position of :class:`course.widgets.LateLabelExplorer`, precomputed.

    Positions are (as-of date, maturity window): as-of dates are midnights ``k`` days after
    the end of the scored period (``days_after`` = k), maturity windows whole days.

    Attributes
    ----------
    period_end : pandas.Timestamp
        Midnight after the last scored payment day.
    days_after : numpy.ndarray of int, shape (n_a,)
    maturity_days : numpy.ndarray of int, shape (n_m,)
    payment_days : pandas.DatetimeIndex, shape (n_d,)
    known_frauds_by_day : numpy.ndarray of int, shape (n_a, n_d)
        Frauds reported by each as-of date, by payment day.
    eventual_frauds_by_day : numpy.ndarray of int, shape (n_d,)
    labelled : numpy.ndarray of int, shape (n_m, n_a)
        Payments with a known label at each position.
    values : dict
        Metric key (``METRICS`` values) -> array (n_m, n_a) of the metric as of each position.
    eventual : dict
        Metric key -> its value with the eventual labels.
    mean_age_days : numpy.ndarray of float, shape (n_a,)
        Mean age of the scored payments at each as-of date.
    expected_share_reported : numpy.ndarray of float or None, shape (n_a,)
        Mean of the delay curve over the scored payments' ages (None without a curve).
    payments, threshold
        Number of scored payments and the alert threshold.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import late_label_positions
    >>> df = simulate_transactions(300, 600, 40, seed=0)
    >>> positions = late_label_positions(df, df["amount"].to_numpy(), threshold=150.0, max_days_after=10)
    >>> positions.values["precision"].shape  # 6 maturity windows x 11 as-of dates
    (6, 11)
    """

    period_end: pd.Timestamp
    days_after: np.ndarray
    maturity_days: np.ndarray
    payment_days: pd.DatetimeIndex
    known_frauds_by_day: np.ndarray
    eventual_frauds_by_day: np.ndarray
    labelled: np.ndarray
    values: dict
    eventual: dict
    mean_age_days: np.ndarray
    expected_share_reported: np.ndarray | None
    payments: int
    threshold: float


def late_label_positions(
    df, y_score, *, threshold, max_days_after=120, maturity_days=(0, 7, 14, 30, 45, 60), report_curve=None
):
    """Precompute every (as-of date, maturity window) position of the late-label explorer.

    For as-of dates from the midnight after the last scored payment day to
    ``max_days_after`` days later, and each maturity window: the labels known
    (:func:`course.data.labels_as_of`), the frauds known by payment day, and precision,
    recall and average precision on the labelled payments (:func:`ranking_metrics`).
    A slider move is then a lookup.

    Parameters
    ----------
    df : pandas.DataFrame
        The scored payments (``timestamp``, ``is_fraud``, ``label_available_at``).
    y_score : array-like of shape (len(df),)
    threshold : float
        Flag ``score >= threshold`` (precision and recall).
    max_days_after : int, default=120
        The last as-of date, in days after the scored period (120: every report the
        simulator will ever make is in for a 30-day period... its horizon is 120 days).
    maturity_days : sequence of int, default=(0, 7, 14, 30, 45, 60)
    report_curve : callable, optional
        Delay curve (see :func:`fraud_rate_by_day`) for ``expected_share_reported``.

    Returns
    -------
    LateLabelPositions

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import late_label_positions
    >>> df = simulate_transactions(300, 600, 40, seed=0)
    >>> positions = late_label_positions(df, df["amount"].to_numpy(), threshold=150.0, max_days_after=30)
    >>> bool((positions.known_frauds_by_day[-1] <= positions.eventual_frauds_by_day).all())
    True
    """
    _check_transactions(df, "late_label_positions")
    scores = check_scores(y_score)
    check_same_length(df=df, y_score=scores)
    threshold = check_scalar(threshold, "threshold", float)
    max_days_after = check_scalar(max_days_after, "max_days_after", int, min_val=0)
    windows = np.asarray(maturity_days)
    if windows.ndim != 1 or windows.size == 0 or windows.dtype.kind not in "iu" or (windows < 0).any():
        raise ValueError(f"maturity_days must be a list of whole days >= 0, got {maturity_days!r}.")
    if np.unique(windows).size != windows.size:
        raise ValueError(f"maturity_days has repeated values: {maturity_days!r}.")
    if report_curve is not None:
        _check_curve(report_curve)

    payment_day = df["timestamp"].dt.normalize()
    origin = payment_day.min()
    period_end = payment_day.max() + DAY
    days_after = np.arange(max_days_after + 1)
    as_of_days = _days(period_end - origin) + days_after
    paid = _days(df["timestamp"] - origin)
    report = np.nan_to_num(_days(df["label_available_at"] - origin), nan=np.inf)
    eventual = eventual_labels(df)
    group, group_scores = _tie_groups(scores)

    layout = _LabelDateLayout.build(group, group_scores, eventual, np.r_[as_of_days, np.inf], windows, threshold)
    grid = _metrics_by_label_date(layout, *layout.place(group, paid), paid, report, eventual)
    values = {key: grid[key][:, :-1] for key in METRICS.values()}
    labelled = grid["labelled"][:, :-1]
    final = {key: float(grid[key][0, -1]) for key in METRICS.values()}  # infinitely late: the eventual labels

    days_index, day_of_payment = np.unique(payment_day.to_numpy(), return_inverse=True)
    frauds = np.flatnonzero(eventual == 1)
    known = report[frauds][None, :] <= as_of_days[:, None]  # (n_a, frauds)
    by_day = np.zeros((days_after.size, days_index.size), dtype=np.int64)
    for j, d in enumerate(day_of_payment.ravel()[frauds]):
        by_day[:, d] += known[:, j]
    ages = as_of_days[:, None] - paid[None, :]
    expected = None
    if report_curve is not None:
        expected = np.array([np.mean(report_curve(row)) for row in ages])
    return LateLabelPositions(
        period_end=period_end,
        days_after=days_after,
        maturity_days=windows.astype(np.int64),
        payment_days=pd.DatetimeIndex(days_index),
        known_frauds_by_day=by_day,
        eventual_frauds_by_day=np.bincount(day_of_payment.ravel()[frauds], minlength=days_index.size),
        labelled=labelled,
        values=values,
        eventual=final,
        mean_age_days=ages.mean(axis=1),
        expected_share_reported=expected,
        payments=int(len(df)),
        threshold=threshold,
    )


def late_label_numbers(positions, days_after, maturity_days, metric):
    """The numbers the late-label explorer shows for one position (a plain dict).

    Parameters
    ----------
    positions : LateLabelPositions
    days_after : int
        The as-of date, in days after the scored period (one of ``positions.days_after``).
    maturity_days : int
        One of ``positions.maturity_days``.
    metric : str
        A key of :data:`METRICS` values: ``"average_precision"``, ``"precision"`` or ``"recall"``.

    Returns
    -------
    dict
        ``days_after``, ``maturity_days``, ``known_frauds``, ``eventual_frauds``,
        ``share_reported`` (known / eventual frauds), ``labelled_payments``, ``payments``,
        ``metric_as_of``, ``metric_eventual``, ``difference`` (as of - eventual; NaN when the
        metric is undefined on that date).

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.late_labels import late_label_positions, late_label_numbers
    >>> df = simulate_transactions(300, 600, 40, seed=0)
    >>> positions = late_label_positions(df, df["amount"].to_numpy(), threshold=150.0, max_days_after=10)
    >>> numbers = late_label_numbers(positions, 10, 0, "recall")
    >>> numbers["known_frauds"] <= numbers["eventual_frauds"]
    True
    """
    if not isinstance(positions, LateLabelPositions):
        raise TypeError(f"positions must be a LateLabelPositions, got {type(positions).__name__}.")
    if metric not in positions.values:
        raise ValueError(f"metric must be one of {sorted(positions.values)}, got {metric!r}.")
    a = _position(positions.days_after, days_after, "days_after")
    m = _position(positions.maturity_days, maturity_days, "maturity_days")
    known, eventual = int(positions.known_frauds_by_day[a].sum()), int(positions.eventual_frauds_by_day.sum())
    as_of_value, final = float(positions.values[metric][m, a]), positions.eventual[metric]
    return {
        "days_after": int(positions.days_after[a]),
        "maturity_days": int(positions.maturity_days[m]),
        "known_frauds": known,
        "eventual_frauds": eventual,
        "share_reported": known / eventual if eventual else math.nan,
        "labelled_payments": int(positions.labelled[m, a]),
        "payments": positions.payments,
        "metric_as_of": as_of_value,
        "metric_eventual": final,
        "difference": as_of_value - final,
    }


def _position(grid, value, name):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    found = np.flatnonzero(grid == value)
    if found.size == 0:
        raise ValueError(f"{name}={value!r} is not a precomputed position: choose one of {grid.tolist()}.")
    return int(found[0])


# -- training on immature labels --------------------------------------------------------------


def fit_on_window(df, features, as_of, *, gap_days, window_days, labels="known", kind="logreg", seed=0):
    """Train the course model on a window of days before ``as_of`` with the labels of that date.

    The window is the ``window_days`` calendar days that end ``gap_days`` before ``as_of``
    (a midnight). ``labels="known"``: the labels the bank holds on ``as_of``
    (:func:`course.data.labels_as_of` with ``maturity_days=0``: a payment without report is
    genuine, so the recent frauds not reported yet enter training as genuine);
    ``labels="eventual"``: the labels once every report is in (an oracle no bank has on
    ``as_of``, to price the label noise alone).

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions (``timestamp``, ``is_fraud``, ``label_available_at``).
    features : pandas.DataFrame
        Model inputs aligned with ``df`` (:func:`course.data.build_features`).
    as_of : str or pandas.Timestamp
        The training date, a midnight.
    gap_days : int
        Days left out just before ``as_of`` (0 = the freshest data).
    window_days : int
    labels : {"known", "eventual"}, default="known"
    kind : {"logreg", "hgb"}, default="logreg"
    seed : int, default=0

    Returns
    -------
    model : fitted scikit-learn classifier
    train : numpy.ndarray of bool
        The training rows of ``df``.
    y_train : numpy.ndarray of int8
        Their labels as used.

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features
    >>> from course.lessons.late_labels import fit_on_window
    >>> df = simulate_transactions(300, 600, 50, seed=0)
    >>> model, train, y = fit_on_window(df, build_features(df), "2024-02-15", gap_days=7, window_days=21)
    >>> str(df.loc[train, "timestamp"].min().date()), str(df.loc[train, "timestamp"].max().date())
    ('2024-01-18', '2024-02-07')
    """
    _check_transactions(df, "fit_on_window")
    if not isinstance(features, pd.DataFrame) or len(features) != len(df):
        raise ValueError("features must be a DataFrame with one row per transaction of df (build_features(df)).")
    moment = _check_as_of(as_of)
    if moment != moment.normalize():
        raise ValueError(f"as_of must be a midnight (a training date), got {moment}.")
    gap, length, labels = _check_window("window", (gap_days, window_days, labels))
    check_rng(seed)
    start, end = moment - (gap + length) * DAY, moment - gap * DAY
    train = ((df["timestamp"] >= start) & (df["timestamp"] < end)).to_numpy()
    if labels == "eventual":
        y = eventual_labels(df)[train]
    else:
        y = labels_as_of(df.loc[train], moment, maturity_days=0).to_numpy(dtype=np.int8)
    if train.sum() == 0 or y.min() == y.max():
        raise ValueError(
            f"The window {start.date()} to {(end - DAY).date()} holds no payment or one class only "
            f"(frauds labelled: {int(y.sum()) if y.size else 0}): widen it or move it."
        )
    from threadpoolctl import threadpool_limits

    from course.models import make_fraud_model  # scikit-learn, imported only when a model is trained

    columns = [c for c in FEATURE_COLUMNS if c in features.columns] or list(features.columns)
    model = make_fraud_model(kind, seed=seed)
    with threadpool_limits(limits=1):  # one thread: the same model bit for bit, and fast on a shared machine
        model.fit(features.loc[train, columns], y)
    return model, train, y


def compare_training_windows(
    df,
    features,
    as_of,
    windows,
    *,
    test_days,
    alerts_per_day,
    reference,
    cost_model=None,
    kind="logreg",
    seed=0,
    n_resamples=200,
):
    """Train one model per window on the labels known at ``as_of``; judge them on eventual labels, in money.

    Each window is ``(gap_days, window_days, labels)``: the model is trained on the
    payments of the ``window_days`` calendar days that end ``gap_days`` before ``as_of``,
    with ``labels="known"`` (what the bank holds on ``as_of``: a payment without report
    is genuine, :func:`course.data.labels_as_of` with ``maturity_days=0``) or
    ``labels="eventual"`` (an oracle no bank has, to price the label noise alone). Every
    model scores the ``test_days`` calendar days from ``as_of`` on, judged with the eventual
    labels. Each model flags its ``alerts_per_day x test_days`` highest scores (the same
    alert budget, no label needed to set it); money is the savings against flagging
    nothing (:class:`course.metrics.CostModel`). The ``*_diff_*`` columns are day-level
    bootstrap intervals of the difference with the ``reference`` window (test days resampled).

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions (``timestamp``, ``amount``, ``is_fraud``, ``label_available_at``).
    features : pandas.DataFrame
        Model inputs aligned with ``df`` (:func:`course.data.build_features`).
    as_of : str or pandas.Timestamp
        The training date (a midnight).
    windows : dict
        Name -> ``(gap_days, window_days, labels)``.
    test_days : int
    alerts_per_day : float
    reference : str
        The window the others are compared with.
    cost_model : CostModel, default=None
        ``None`` means ``CostModel()``.
    kind : {"logreg", "hgb"}, default="logreg"
    seed : int, default=0
        The model's seed and the bootstrap's.
    n_resamples : int, default=200

    Returns
    -------
    pandas.DataFrame
        One row per window: ``train_from``, ``train_to`` (last day), ``payments``,
        ``frauds_labelled``, ``frauds_labelled_genuine`` (reported after ``as_of``),
        ``average_precision``, ``recall``, ``savings``, and the differences with ``reference``
        ``average_precision_diff``, ``savings_diff`` with their bootstrap bounds ``*_low``,
        ``*_high`` (see :func:`with_intervals`).

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features
    >>> from course.lessons.late_labels import compare_training_windows
    >>> df = simulate_transactions(300, 600, 70, seed=0)
    >>> table = compare_training_windows(
    ...     df, build_features(df), "2024-02-15", {"fresh": (0, 14, "known"), "gap": (14, 14, "known")},
    ...     test_days=14, alerts_per_day=5, reference="gap", n_resamples=20)
    >>> bool(table.loc["gap", "savings_diff_low"] == table.loc["gap", "savings_diff_high"] == 0.0)
    True
    """
    _check_transactions(df, "compare_training_windows", extra=("amount",))
    if not isinstance(features, pd.DataFrame) or len(features) != len(df):
        raise ValueError("features must be a DataFrame with one row per transaction of df (build_features(df)).")
    moment = _check_as_of(as_of)
    if moment != moment.normalize():
        raise ValueError(f"as_of must be a midnight (a training date), got {moment}.")
    test_days = check_scalar(test_days, "test_days", int, min_val=1)
    alerts_per_day = check_scalar(alerts_per_day, "alerts_per_day", float, min_val=0, include_boundaries="neither")
    cost_model = check_cost_model(cost_model, default=CostModel())
    if not isinstance(windows, dict) or not windows:
        raise ValueError("windows must be a non-empty dict: name -> (gap_days, window_days, labels).")
    if reference not in windows:
        raise ValueError(f"reference={reference!r} is not one of the windows {list(windows)}.")
    check_rng(seed)
    from threadpoolctl import threadpool_limits

    timestamp = df["timestamp"]
    test = ((timestamp >= moment) & (timestamp < moment + test_days * DAY)).to_numpy()
    if not test.any():
        raise ValueError(f"No payment in the {test_days} test days from {moment}.")
    columns = [c for c in FEATURE_COLUMNS if c in features.columns] or list(features.columns)
    eventual = eventual_labels(df)
    y_test, amounts = eventual[test], df.loc[test, "amount"].to_numpy(dtype=np.float64)
    k = max(1, min(int(round(alerts_per_day * test_days)), int(test.sum())))
    rows, flagged = {}, {}
    for name, spec in windows.items():
        gap, length, labels = _check_window(name, spec)
        model, train, y = fit_on_window(
            df, features, moment, gap_days=gap, window_days=length, labels=labels, kind=kind, seed=seed
        )
        with threadpool_limits(limits=1):
            score = model.predict_proba(features.loc[test, columns])[:, 1]
        threshold = np.sort(score)[-k]
        flagged[name] = score >= threshold
        group, group_scores = _tie_groups(score)
        # the eventual labels are the labels "as of" an infinitely late date: one fast layout per model
        layout = _LabelDateLayout.build(group, group_scores, y_test, [np.inf], [0], threshold)
        segment, _ = layout.place(group, np.zeros(group.size))
        days = df.loc[train, "timestamp"].dt.normalize()
        rows[name] = {
            "train_from": days.min().date(),
            "train_to": days.max().date(),
            "payments": int(train.sum()),
            "frauds_labelled": int(y.sum()),
            "frauds_labelled_genuine": int(((eventual[train] == 1) & (y == 0)).sum()),
            "_layout": layout,
            "_segment": segment,
        }

    names = list(windows)
    zeros = np.zeros(y_test.size)

    def statistic(y_test, amounts, zeros, *columns):
        flags, segments = columns[: len(names)], columns[len(names) :]
        out = []
        for name, flag, segment in zip(names, flags, segments):
            by_date = _metrics_by_label_date(
                rows[name]["_layout"], segment, zeros.astype(np.int64), zeros, zeros, y_test
            )
            out.append([by_date["average_precision"][0, 0], _savings(y_test, flag, amounts, cost_model)])
        out = np.asarray(out)
        reference_row = out[names.index(reference)]
        return np.r_[out.ravel(), (out - reference_row).ravel()]

    boot = day_bootstrap(
        statistic,
        y_test,
        amounts,
        zeros,
        *(flagged[n] for n in names),
        *(rows[n]["_segment"] for n in names),
        days=timestamp[test].dt.normalize().to_numpy(),
        n_resamples=n_resamples,
        seed=seed,
    )
    estimate, low, high = (np.asarray(v, dtype=float) for v in (boot.estimate, boot.low, boot.high))
    half = 2 * len(names)
    values, low, high = estimate[:half].reshape(-1, 2), low[half:].reshape(-1, 2), high[half:].reshape(-1, 2)
    table = pd.DataFrame({n: {k: v for k, v in rows[n].items() if not k.startswith("_")} for n in names}).T
    for i, name in enumerate(names):
        fraud, flag = y_test == 1, flagged[name]
        table.loc[name, "average_precision"] = values[i, 0]
        table.loc[name, "recall"] = float((fraud & flag).sum() / fraud.sum())
        table.loc[name, "savings"] = values[i, 1]
        table.loc[name, "average_precision_diff"] = values[i, 0] - values[names.index(reference), 0]
        table.loc[name, "average_precision_diff_low"] = low[i, 0]
        table.loc[name, "average_precision_diff_high"] = high[i, 0]
        table.loc[name, "savings_diff"] = values[i, 1] - values[names.index(reference), 1]
        table.loc[name, "savings_diff_low"], table.loc[name, "savings_diff_high"] = low[i, 1], high[i, 1]
    numeric = ["payments", "frauds_labelled", "frauds_labelled_genuine"]
    table[numeric] = table[numeric].astype(int)
    floats = [c for c in table.columns if c not in (*numeric, "train_from", "train_to")]
    table[floats] = table[floats].astype(float)
    return table


def _check_window(name, spec):
    try:
        gap, length, labels = spec
    except (TypeError, ValueError):
        raise ValueError(f"window {name!r} must be (gap_days, window_days, labels), got {spec!r}.") from None
    gap = check_scalar(gap, f"gap_days of window {name!r}", int, min_val=0)
    length = check_scalar(length, f"window_days of window {name!r}", int, min_val=1)
    if labels not in ("known", "eventual"):
        raise ValueError(f"labels of window {name!r} must be 'known' or 'eventual', got {labels!r}.")
    return gap, length, labels


def _savings(y_true, flagged, amounts, cost_model):
    """Cost of flagging nothing minus the cost of the alerts ``flagged`` (CostModel conventions)."""
    fraud = y_true == 1
    missed = amounts[fraud & ~flagged].sum()
    cost = cost_model.expected_cost(
        alerts=flagged.sum(),
        false_positives=(flagged & ~fraud).sum(),
        false_negatives=(fraud & ~flagged).sum(),
        missed_fraud_amount=missed,
    )
    nothing = cost_model.expected_cost(
        alerts=0, false_positives=0, false_negatives=fraud.sum(), missed_fraud_amount=amounts[fraud].sum()
    )
    return float(nothing - cost)


def with_intervals(table, columns, *, scale=1.0, spec="{:+.3f}"):
    """A display copy of ``table``: each ``column_diff`` with its interval as one text column.

    For each name ``c`` in ``columns``, the columns ``c_diff``, ``c_diff_low`` and
    ``c_diff_high`` (a difference and its bootstrap bounds) become one column
    ``"c diff (95% CI)"`` reading ``"+0.012 (-0.003 to +0.020)"``; ``c`` itself is kept.

    Parameters
    ----------
    table : pandas.DataFrame
    columns : sequence of str
    scale : float, default=1.0
        Multiplies the three numbers before formatting (100 for percentage points).
    spec : str or dict, default="{:+.3f}"
        Format of the numbers; a dict gives one per column.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> from course.lessons.late_labels import with_intervals
    >>> table = pd.DataFrame({"ap": [0.5], "ap_diff": [0.02], "ap_diff_low": [-0.01], "ap_diff_high": [0.05]})
    >>> with_intervals(table, ["ap"]).columns.tolist()
    ['ap', 'ap diff (95% CI)']
    >>> with_intervals(table, ["ap"]).loc[0, "ap diff (95% CI)"]
    '+0.020 (-0.010 to +0.050)'
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame, got {type(table).__name__}.")
    shown = table.copy()
    for column in columns:
        parts = [f"{column}_diff", f"{column}_diff_low", f"{column}_diff_high"]
        missing = [p for p in parts if p not in table.columns]
        if missing:
            raise ValueError(f"with_intervals: table has no columns {missing}.")
        form = spec.get(column, "{:+.3f}") if isinstance(spec, dict) else spec
        shown[f"{column} diff (95% CI)"] = [
            f"{form.format(scale * d)} ({form.format(scale * lo)} to {form.format(scale * hi)})"
            for d, lo, hi in table[parts].itertuples(index=False)
        ]
        shown = shown.drop(columns=parts)
    return shown

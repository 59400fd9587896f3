"""From a score to a decision: money, review capacity and a changing fraud rate.

Module 03 builds on :mod:`course.metrics` (the threshold engine and the cost model) and
adds what a decision needs beyond one threshold:

- :func:`decision_costs`, :func:`savings_score`, :func:`make_savings_scorer`: the money of
  hard decisions, and a scikit-learn scorer that uses **each transaction's amount**
  (passed as metadata) for ``TunedThresholdClassifierCV``;
- :func:`cost_by_capacity`: the least-cost threshold for several review capacities, and
  what the capacity limit costs;
- :func:`shifted_threshold`, :func:`threshold_by_fraud_rate`: how the best threshold moves
  when the fraud rate changes;
- :func:`operating_points_by_period`: what to monitor after launch, week by week;
- :func:`decision_rule_gaps`: several decision rules on the same payments, their money and
  alerts, and the day-level bootstrap interval of each one's cost difference.

The conventions are those of :class:`course.metrics.CostModel` (a caught fraud is stopped,
a missed one costs its amount) and of scikit-learn (flag ``score >= threshold``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import make_scorer

from course._validation import (
    check_amounts,
    check_binary_labels,
    check_same_length,
    check_scalar,
    check_scores,
    check_timestamp_days,
)
from course.metrics import (
    CostModel,
    DayBootstrap,
    PrevalenceSampler,
    ThresholdSweep,
    check_cost_model,
    least_cost_threshold,
)

__all__ = [
    "decision_costs",
    "savings_score",
    "make_savings_scorer",
    "cost_by_capacity",
    "shifted_threshold",
    "threshold_by_fraud_rate",
    "operating_points_by_period",
    "decision_rule_gaps",
    "threshold_numbers",
]


def _check_rate(value, name):
    return check_scalar(value, name, float, min_val=0, max_val=1, include_boundaries="neither")


def _check_probabilities(values, name):
    """Float or 1-D array of numbers strictly between 0 and 1."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.ndim > 1 or array.size == 0 or not ((array > 0) & (array < 1)).all():
        raise ValueError(f"{name} must be strictly between 0 and 1 (a number or a 1-D array), got {values!r}.")
    return array


def decision_costs(y_true, y_pred, *, amounts=None, cost_model=None):
    """The money of hard decisions: alerts, errors, expected cost and savings.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine (one class only is allowed: e.g. a quiet day).
    y_pred : array-like of shape (n,)
        1 when the transaction is flagged (an alert), else 0.
    amounts : array-like of shape (n,), default=None
        Transaction amounts; needed when ``cost_model.fraud_loss == "amount"``.
    cost_model : CostModel, default=None
        ``None`` means ``CostModel()`` (review 3, friction 5, a missed fraud costs its amount).

    Returns
    -------
    dict
        ``alerts``, ``true_positives``, ``false_positives``, ``false_negatives``,
        ``missed_fraud_amount`` (``None`` without amounts), ``expected_cost``,
        ``cost_flag_nothing`` and ``savings`` (= cost of flagging nothing - expected cost).
        Every alert pays the review cost, frauds included; false alarms add the friction.

    Examples
    --------
    >>> from course.metrics import CostModel
    >>> from course.lessons.thresholds_and_costs import decision_costs
    >>> costs = decision_costs([1, 0, 1, 0], [1, 1, 0, 0], amounts=[200, 30, 50, 10],
    ...                        cost_model=CostModel(review_cost=2.0, friction_cost=5.0))
    >>> costs["expected_cost"], costs["cost_flag_nothing"], costs["savings"]
    (59.0, 250.0, 191.0)
    """
    cost_model = check_cost_model(cost_model, default=CostModel())
    y_true = check_binary_labels(y_true, require_both=False)
    y_pred = check_binary_labels(y_pred, name="y_pred", require_both=False)
    amounts = None if amounts is None else check_amounts(amounts)
    check_same_length(y_true=y_true, y_pred=y_pred, amounts=amounts)
    fraud, flagged = y_true == 1, y_pred == 1
    counts = {
        "alerts": int(flagged.sum()),
        "true_positives": int((fraud & flagged).sum()),
        "false_positives": int((~fraud & flagged).sum()),
        "false_negatives": int((fraud & ~flagged).sum()),
    }
    missed = total = None
    if amounts is not None:
        missed = float(amounts[fraud & ~flagged].sum())
        total = float(amounts[fraud].sum())
    cost = cost_model.expected_cost(
        alerts=counts["alerts"],
        false_positives=counts["false_positives"],
        false_negatives=counts["false_negatives"],
        missed_fraud_amount=missed,
    )
    nothing = cost_model.expected_cost(
        alerts=0,
        false_positives=0,
        false_negatives=int(fraud.sum()),
        missed_fraud_amount=total,
    )
    return {
        **counts,
        "missed_fraud_amount": missed,
        "expected_cost": float(cost),
        "cost_flag_nothing": float(nothing),
        "savings": float(nothing - cost),
    }


def savings_score(y_true, y_pred, *, amount=None, cost_model=None):
    """Money saved by the decisions ``y_pred`` against flagging nothing (higher is better).

    The score function behind :func:`make_savings_scorer`. The amounts are named
    ``amount`` (singular), the name under which scikit-learn routes them as metadata.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_pred : array-like of shape (n,)
        1 when the transaction is flagged, else 0.
    amount : array-like of shape (n,), default=None
        Transaction amounts; needed when ``cost_model.fraud_loss == "amount"``.
    cost_model : CostModel, default=None
        ``None`` means ``CostModel()``.

    Returns
    -------
    float
        Cost of flagging nothing minus the cost of the decisions (see :func:`decision_costs`).

    Examples
    --------
    >>> from course.lessons.thresholds_and_costs import savings_score
    >>> savings_score([1, 0, 1, 0], [1, 1, 0, 0], amount=[200, 30, 50, 10])  # CostModel()
    189.0
    """
    return decision_costs(y_true, y_pred, amounts=amount, cost_model=cost_model)["savings"]


def make_savings_scorer(cost_model=None):
    """A scikit-learn scorer: the savings of a classifier's decisions, in money.

    With ``cost_model.fraud_loss == "amount"`` (the default) the scorer **requests the
    transaction amounts as metadata** under the name ``amount``: enable scikit-learn's
    metadata routing and pass them to ``fit``, e.g. to ``TunedThresholdClassifierCV``, which
    routes each fold's amounts to the scorer::

        with sklearn.config_context(enable_metadata_routing=True):
            tuned = TunedThresholdClassifierCV(model, scoring=make_savings_scorer(), ...)
            tuned.fit(X, y, amount=amounts)

    With a fixed ``fraud_loss`` no metadata is needed.

    Parameters
    ----------
    cost_model : CostModel, default=None
        ``None`` means ``CostModel()``. A ``capacity_per_day`` is ignored here (a scorer
        sees no dates): check the alerts per day of the chosen threshold yourself.

    Returns
    -------
    scorer : callable ``scorer(estimator, X, y, amount=...)``, greater is better.

    Examples
    --------
    >>> import numpy as np, sklearn
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import TunedThresholdClassifierCV
    >>> from course.lessons.thresholds_and_costs import make_savings_scorer
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2_000, 2))
    >>> y = (X[:, 0] + rng.normal(size=2_000) > 2.5).astype(int)
    >>> amount = rng.gamma(2.0, 50.0, 2_000)
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     tuned = TunedThresholdClassifierCV(
    ...         LogisticRegression(), scoring=make_savings_scorer(), cv=3, random_state=0
    ...     ).fit(X, y, amount=amount)
    >>> bool(tuned.best_threshold_ < 0.5)  # a missed fraud costs far more than an alert
    True
    """
    cost_model = check_cost_model(cost_model, default=CostModel())
    scorer = make_scorer(savings_score, response_method="predict", cost_model=cost_model)
    if cost_model.uses_amounts:
        with sklearn.config_context(enable_metadata_routing=True):
            scorer = scorer.set_score_request(amount=True)
    return scorer


def cost_by_capacity(sweep, cost_model, capacities):
    """The least-cost threshold and its money for each review capacity (alerts per day).

    For each capacity, the threshold of least cost among those whose alerts per day fit
    (:func:`course.metrics.least_cost_threshold`). The first row, ``capacity = inf``, has
    no limit. ``extra_cost`` is what the limit costs against no limit: the value of more
    analysts. ``capacity_binds`` is true when the unconstrained least-cost threshold would
    give more alerts per day than the capacity.

    Parameters
    ----------
    sweep : ThresholdSweep
        Built with ``timestamps`` (and ``amounts`` for ``fraud_loss="amount"``).
    cost_model : CostModel
        Its own ``capacity_per_day`` is ignored: ``capacities`` sets it.
    capacities : array-like of float
        Alerts per day (> 0).

    Returns
    -------
    pandas.DataFrame
        Columns ``capacity_per_day``, ``threshold``, ``alerts_per_day``, ``recall``,
        ``precision``, ``expected_cost``, ``savings``, ``extra_cost``, ``capacity_binds``.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import ThresholdSweep, CostModel
    >>> from course.lessons.thresholds_and_costs import cost_by_capacity
    >>> days = np.array(["2024-01-01"] * 3 + ["2024-01-02"] * 3, dtype="datetime64[s]")
    >>> sweep = ThresholdSweep([0, 1, 1, 0, 1, 0], [0.1, 0.8, 0.6, 0.3, 0.9, 0.2],
    ...                        amounts=[10, 100, 80, 20, 120, 5], timestamps=days)
    >>> table = cost_by_capacity(sweep, CostModel(review_cost=1.0, friction_cost=2.0), [1, 1.5])
    >>> table[["capacity_per_day", "threshold", "alerts_per_day", "extra_cost"]]
       capacity_per_day  threshold  alerts_per_day  extra_cost
    0               inf        0.6             1.5         0.0
    1               1.0        0.8             1.0        79.0
    2               1.5        0.6             1.5         0.0
    """
    if not isinstance(sweep, ThresholdSweep):
        raise TypeError(f"sweep must be a course.metrics.ThresholdSweep, got {type(sweep).__name__}.")
    cost_model = check_cost_model(cost_model, default=CostModel())
    sweep._require_days("cost_by_capacity")
    values = np.atleast_1d(np.asarray(capacities, dtype=np.float64))
    if values.ndim != 1 or values.size == 0 or not (np.isfinite(values) & (values > 0)).all():
        raise ValueError(f"capacities must be positive, finite alerts per day, got {capacities!r}.")
    free = CostModel(cost_model.review_cost, cost_model.friction_cost, cost_model.fraud_loss)
    free_threshold = least_cost_threshold(sweep, free)
    free_per_day = sweep.at(free_threshold, zero_division=0.0).alerts_per_day
    rows = []
    for capacity in [math.inf, *values.tolist()]:
        if math.isinf(capacity):
            threshold = free_threshold
        else:
            limited = CostModel(free.review_cost, free.friction_cost, free.fraud_loss, capacity_per_day=capacity)
            threshold = least_cost_threshold(sweep, limited)
        result = sweep.at(threshold, cost_model=free, zero_division=0.0)
        rows.append(
            {
                "capacity_per_day": capacity,
                "threshold": threshold,
                "alerts_per_day": result.alerts_per_day,
                "recall": result.recall,
                "precision": result.precision,
                "expected_cost": result.expected_cost,
                "savings": result.savings,
                "capacity_binds": bool(free_per_day > capacity),
            }
        )
    table = pd.DataFrame(rows)
    table.insert(7, "extra_cost", table["expected_cost"] - table["expected_cost"].iloc[0])
    return table


def shifted_threshold(threshold, *, old_rate, new_rate):
    """The probability threshold that keeps the same decision when the fraud rate changes.

    A model's probabilities are calibrated to the fraud rate of its training data. If the
    rate moves (a fraud wave, a new market) and nothing else changes ("prior shift"), the
    same score now means a different chance of fraud. Bayes' rule says how: the odds of
    fraud are multiplied by ``odds(new_rate) / odds(old_rate)``. The threshold that keeps
    the same minimum chance of fraud for an alert is the one whose odds are divided by that
    factor. More fraud: a lower threshold; less fraud: a higher one.

    Parameters
    ----------
    threshold : float or array-like
        Thresholds on probabilities, strictly between 0 and 1.
    old_rate, new_rate : float or array-like
        Fraud rate the probabilities are calibrated to, and the new one (in (0, 1)).
        Arrays broadcast with ``threshold``: e.g. one threshold, many new rates.

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> from course.lessons.thresholds_and_costs import shifted_threshold
    >>> round(shifted_threshold(0.2, old_rate=0.005, new_rate=0.01), 4)  # fraud doubles
    0.1106
    >>> shifted_threshold(0.2, old_rate=0.01, new_rate=0.01)
    0.2
    """
    t, old_rate, new_rate = (
        _check_probabilities(threshold, "threshold"),
        _check_probabilities(old_rate, "old_rate"),
        _check_probabilities(new_rate, "new_rate"),
    )
    factor = (new_rate / (1 - new_rate)) / (old_rate / (1 - old_rate))
    odds = t / (1 - t) / factor
    shifted = odds / (1 + odds)
    return float(shifted) if shifted.ndim == 0 else shifted


def threshold_by_fraud_rate(y_true, y_score, *, amounts=None, cost_model=None, fraud_rates, seed):
    """The least-cost threshold measured on the same scores at other fraud rates.

    The transactions are subsampled **within each class** (see
    :class:`course.metrics.PrevalenceSampler`: frauds are dropped to lower
    the rate, genuines to raise it), so the model and its score distributions stay the same
    and only the fraud rate changes. Each row gives the least-cost threshold found on that
    sample, and what it does there.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n,)
    amounts : array-like of shape (n,), default=None
        Needed for ``fraud_loss="amount"``.
    cost_model : CostModel, default=None
        ``None`` means ``CostModel()``; a ``capacity_per_day`` is ignored (samples have
        no meaningful daily volume).
    fraud_rates : array-like of float
        Target fraud rates, strictly between 0 and 1.
    seed : int or numpy.random.Generator
        Fixes the subsamples (nested: a lower rate keeps a subset of the frauds).

    Returns
    -------
    pandas.DataFrame
        ``fraud_rate`` (realized), ``frauds``, ``genuines``, ``threshold``, ``recall``,
        ``precision`` and ``alerts_per_10k`` (alerts per 10,000 transactions), one row per
        rate, in the order given.

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.thresholds_and_costs import threshold_by_fraud_rate
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(20_000) < 0.02).astype(int)
    >>> score = 1 / (1 + np.exp(-(rng.normal(size=20_000) + 2.5 * y - 4)))
    >>> table = threshold_by_fraud_rate(y, score, amounts=np.full(20_000, 60.0),
    ...                                 fraud_rates=[0.01, 0.04], seed=0)
    >>> bool(table["threshold"].iloc[0] > table["threshold"].iloc[1])  # more fraud, lower threshold
    True
    """
    cost_model = check_cost_model(cost_model, default=CostModel())
    if cost_model.capacity_per_day is not None:
        cost_model = CostModel(cost_model.review_cost, cost_model.friction_cost, cost_model.fraud_loss)
    sweep = ThresholdSweep(y_true, y_score, amounts=amounts)
    if cost_model.uses_amounts and sweep.total_fraud_amount is None:
        raise ValueError('cost_model uses fraud_loss="amount": pass amounts=....')
    rates = np.atleast_1d(np.asarray(fraud_rates, dtype=np.float64))
    if rates.ndim != 1 or rates.size == 0:
        raise ValueError(f"fraud_rates must be a 1-D list of rates, got {fraud_rates!r}.")
    sampler = PrevalenceSampler(y_true, seed=seed)
    rows = []
    for rate in rates.tolist():
        _check_rate(rate, "each fraud rate")
        frauds, genuines = sampler.counts(rate)
        full = (frauds, genuines) == (sampler.n_frauds, sampler.n_genuines)
        sample = sweep if full else sweep.subset(sampler.mask(rate))
        threshold = least_cost_threshold(sample, cost_model)
        result = sample.at(threshold, zero_division=0.0)
        rows.append(
            {
                "fraud_rate": sample.prevalence,
                "frauds": sample.n_positives,
                "genuines": sample.n_negatives,
                "threshold": threshold,
                "recall": result.recall,
                "precision": result.precision,
                "alerts_per_10k": 1e4 * result.alerts / len(sample),
            }
        )
    return pd.DataFrame(rows)


def operating_points_by_period(y_true, y_score, *, timestamps, threshold, amounts=None, cost_model=None, freq="W-SUN"):
    """What one shipped threshold does, period by period: the numbers to monitor.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n,)
        Labels (as known when you compute this: see module 05) and scores.
    timestamps : array-like of datetimes, shape (n,)
    threshold : float
        The threshold in production (flag ``score >= threshold``).
    amounts : array-like, default=None
        With a ``cost_model``, adds the money columns.
    cost_model : CostModel, default=None
        Adds ``expected_cost`` and ``savings``; with a ``capacity_per_day``, also
        ``within_capacity``.
    freq : str, default="W-SUN"
        A pandas period frequency: ``"W-SUN"`` weeks ending on Sunday, ``"D"`` days...

    Returns
    -------
    pandas.DataFrame, one row per period (index: the periods)
        ``days`` (calendar days from the period's first to its last transaction),
        ``transactions``, ``fraud_rate``, ``alerts``, ``alerts_per_day``, ``share_flagged``
        (known at once, without labels), ``precision`` (NaN without alerts), ``recall``
        (NaN without frauds), and the money columns.

    Examples
    --------
    >>> import pandas as pd
    >>> from course.lessons.thresholds_and_costs import operating_points_by_period
    >>> stamps = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09"])
    >>> table = operating_points_by_period([1, 0, 0, 1], [0.9, 0.7, 0.1, 0.4],
    ...                                    timestamps=stamps, threshold=0.5)
    >>> table[["alerts", "precision", "recall"]].to_numpy().tolist()
    [[2.0, 0.5, 1.0], [0.0, nan, 0.0]]
    """
    labels = check_binary_labels(y_true, require_both=False)
    scores = check_scores(y_score)
    days = check_timestamp_days(timestamps)
    amounts = None if amounts is None else check_amounts(amounts)
    check_same_length(y_true=labels, y_score=scores, timestamps=days, amounts=amounts)
    threshold = check_scalar(threshold, "threshold", float)
    if cost_model is not None:
        cost_model = check_cost_model(cost_model)
        if cost_model.uses_amounts and amounts is None:
            raise ValueError('cost_model uses fraud_loss="amount": pass amounts=....')
    flagged = scores >= threshold
    fraud = labels == 1
    frame = pd.DataFrame(
        {
            "day": days,
            "fraud": fraud,
            "alert": flagged,
            "tp": fraud & flagged,
            "fp": ~fraud & flagged,
            "fn": fraud & ~flagged,
            "missed": np.where(fraud & ~flagged, amounts, 0.0) if amounts is not None else 0.0,
            "fraud_amount": np.where(fraud, amounts, 0.0) if amounts is not None else 0.0,
        }
    )
    period = pd.PeriodIndex(pd.to_datetime(days, unit="D"), freq=freq)
    grouped = frame.groupby(period, sort=True)
    sums = grouped[["fraud", "alert", "tp", "fp", "fn", "missed", "fraud_amount"]].sum()
    table = pd.DataFrame(index=sums.index)
    table["days"] = grouped["day"].max() - grouped["day"].min() + 1
    table["transactions"] = grouped.size()
    table["fraud_rate"] = sums["fraud"] / table["transactions"]
    table["alerts"] = sums["alert"].astype(np.float64)
    table["alerts_per_day"] = table["alerts"] / table["days"]
    table["share_flagged"] = table["alerts"] / table["transactions"]
    table["precision"] = (sums["tp"] / sums["alert"]).where(sums["alert"] > 0)
    table["recall"] = (sums["tp"] / sums["fraud"]).where(sums["fraud"] > 0)
    if cost_model is not None:
        missed = sums["missed"] if cost_model.uses_amounts else None
        total = sums["fraud_amount"] if cost_model.uses_amounts else None
        cost = cost_model.expected_cost(
            alerts=sums["alert"], false_positives=sums["fp"], false_negatives=sums["fn"], missed_fraud_amount=missed
        )
        nothing = cost_model.expected_cost(
            alerts=0, false_positives=0, false_negatives=sums["fraud"], missed_fraud_amount=total
        )
        table["expected_cost"] = cost.astype(np.float64)
        table["savings"] = (nothing - cost).astype(np.float64)
        if cost_model.capacity_per_day is not None:
            table["within_capacity"] = table["alerts_per_day"] <= cost_model.capacity_per_day
    table.index.name = "period"
    return table


def decision_rule_gaps(y_true, decisions, *, amounts, days, cost_model=None, reference=None, n_resamples=200, seed=0):
    """Several decision rules on the same payments: money, alerts, and whether the gaps are real.

    For each rule: its alerts, alerts per day, frauds caught and expected cost over the
    period; then its cost minus the ``reference`` rule's, with a 95% interval from
    resampling whole days (:class:`course.metrics.DayBootstrap`: the same drawn days for every
    rule, each day's cost difference summed over the drawn days). When the interval
    contains 0, the gap is inside the noise. With a few weeks of days the interval is
    itself rough; and a rule tuned on the same days is judged in-sample (compare on later
    days for an honest check).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    decisions : dict of str -> array-like of shape (n,)
        Each rule's flags (1 or True = alert), by name.
    amounts : array-like of shape (n,)
        Transaction amounts (a missed fraud costs its amount under the default cost model).
    days : array-like of shape (n,)
        Day of each transaction.
    cost_model : CostModel, default=None
        ``None`` means ``CostModel()``.
    reference : str, default=None
        The rule the others are compared with; default the first.
    n_resamples : int, default=200
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        One row per rule: ``alerts``, ``alerts_per_day``, ``frauds_caught``,
        ``expected_cost``, ``cost_difference`` (minus the reference), ``low``, ``high`` (its
        interval), ``alerts_difference``, ``alerts_low``, ``alerts_high`` (the same for the
        alerts) and ``inside_noise`` (of the cost difference); NaN / None for the reference
        row.

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.thresholds_and_costs import decision_rule_gaps
    >>> rng = np.random.default_rng(0)
    >>> days = np.repeat(np.arange(20), 100)
    >>> y = (rng.random(2_000) < 0.05).astype(int)
    >>> p = np.clip(0.05 + 0.5 * y + rng.normal(0, 0.1, 2_000), 0, 1)
    >>> amounts = rng.gamma(2.0, 50.0, 2_000)
    >>> table = decision_rule_gaps(y, {"flag nothing": p > 2, "p >= 0.3": p >= 0.3}, amounts=amounts, days=days)
    >>> bool(table.loc["p >= 0.3", "cost_difference"] < 0), bool(table.loc["p >= 0.3", "inside_noise"])
    (True, False)
    """
    cost_model = check_cost_model(cost_model, default=CostModel())
    labels = check_binary_labels(y_true, require_both=False)
    money = check_amounts(amounts)
    day_values = np.asarray(days)
    check_same_length(y_true=labels, amounts=money, days=day_values)
    if not isinstance(decisions, dict) or not decisions:
        raise ValueError("decisions must be a non-empty dict of rule name -> flags.")
    reference = next(iter(decisions)) if reference is None else reference
    if reference not in decisions:
        raise ValueError(f"reference {reference!r} is not one of the rules {list(decisions)}.")
    boot = DayBootstrap(day_values, n_resamples=n_resamples, seed=seed)
    fraud = labels == 1
    daily_cost, daily_alerts = {}, {}
    rows = {}
    for name, flags in decisions.items():
        flagged = check_binary_labels(
            np.asarray(flags).astype(np.int8), name=f"decisions[{name!r}]", require_both=False
        )
        check_same_length(y_true=labels, **{f"decisions[{name!r}]": flagged})
        flagged = flagged == 1
        cost = cost_model.expected_cost(
            alerts=flagged.astype(np.float64),
            false_positives=(flagged & ~fraud).astype(np.float64),
            false_negatives=(fraud & ~flagged).astype(np.float64),
            missed_fraud_amount=np.where(fraud & ~flagged, money, 0.0) if cost_model.uses_amounts else None,
        )
        daily_cost[name] = np.bincount(boot.day_index, weights=cost, minlength=boot.n_days)
        daily_alerts[name] = np.bincount(boot.day_index, weights=flagged.astype(np.float64), minlength=boot.n_days)
        rows[name] = {
            "alerts": int(flagged.sum()),
            "alerts_per_day": flagged.sum() / boot.n_days,
            "frauds_caught": int((flagged & fraud).sum()),
            "expected_cost": float(cost.sum()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    for column in ("cost_difference", "low", "high", "alerts_difference", "alerts_low", "alerts_high"):
        table[column] = np.nan
    table["inside_noise"] = None
    levels = [(1 - boot.confidence_level) / 2, (1 + boot.confidence_level) / 2]
    for name in decisions:
        if name == reference:
            continue
        gap = daily_cost[name] - daily_cost[reference]
        low, high = np.quantile(boot.counts @ gap, levels)  # the period's cost difference on each draw of days
        alerts_gap = daily_alerts[name] - daily_alerts[reference]
        alerts_low, alerts_high = np.quantile(boot.counts @ alerts_gap, levels)
        table.loc[name, ["cost_difference", "low", "high"]] = [gap.sum(), low, high]
        table.loc[name, ["alerts_difference", "alerts_low", "alerts_high"]] = [
            alerts_gap.sum(),
            alerts_low,
            alerts_high,
        ]
        table.loc[name, "inside_noise"] = bool(low <= 0 <= high)
    table.index.name = "rule"
    return table


def threshold_numbers(sweep, threshold, cost_model, cost_curve):
    """The numbers the explorer shows for one threshold (pure function, plain dict).

    Keys: threshold, tp, fp, fn, tn, alerts, precision (NaN when nothing is flagged),
    recall, fpr, f1, alerts_per_day (with timestamps), expected_cost, cost_flag_nothing,
    savings, least_cost_threshold (``inf`` = flag nothing; within the capacity when one
    is set), least_cost, and with a capacity: capacity_threshold and within_capacity. ``cost_curve`` is the output of
    :func:`course.metrics.cost_curve` for this cost model.

    Parameters
    ----------
    sweep : course.metrics.ThresholdSweep
    threshold : float
        Flag ``score >= threshold``.
    cost_model : course.metrics.CostModel
    cost_curve : dict
        :func:`course.metrics.cost_curve` of ``sweep`` and ``cost_model``.

    Returns
    -------
    dict

    Examples
    --------
    >>> from course.metrics import ThresholdSweep, CostModel
    >>> from course.metrics import cost_curve
    >>> from course.lessons.thresholds_and_costs import threshold_numbers
    >>> sweep = ThresholdSweep([0, 1, 1], [0.2, 0.6, 0.9], amounts=[50, 100, 400])
    >>> model = CostModel(review_cost=1.0, friction_cost=2.0)
    >>> numbers = threshold_numbers(sweep, 0.7, model, cost_curve(sweep, model))
    >>> numbers["alerts"], numbers["savings"], numbers["least_cost_threshold"]
    (1, 399.0, 0.6)
    """
    result = sweep.at(threshold, cost_model=cost_model, zero_division=np.nan)
    numbers = {
        "threshold": result.threshold,
        "tp": result.tp,
        "fp": result.fp,
        "fn": result.fn,
        "tn": result.tn,
        "alerts": result.alerts,
        "precision": result.precision,
        "recall": result.recall,
        "fpr": result.fpr,
        "f1": result.f1,
    }
    if result.alerts_per_day is not None:
        numbers["alerts_per_day"] = result.alerts_per_day
    numbers.update(
        expected_cost=result.expected_cost,
        cost_flag_nothing=result.cost_flag_nothing,
        savings=result.savings,
        least_cost_threshold=cost_curve["best_threshold"],
        least_cost=cost_curve["best_cost"],
    )
    if cost_model.capacity_per_day is not None:
        numbers["capacity_threshold"] = cost_curve["capacity_threshold"]
        numbers["within_capacity"] = result.within_capacity
    return numbers

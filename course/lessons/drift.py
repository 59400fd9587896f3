"""Module 07's experiments: three kinds of drift, monitors without labels, estimates, retraining.

One simulated bank, a fraud model deployed on day ``DEPLOY_DAY`` and watched week by
week, and a change in the world from a start day on:

- **covariate** drift: customers spend more (``Drift(amount_factor=...)``);
- **prior** drift: more fraud of the usual kinds (``Drift(fraud_rate_multiplier=...)``);
- **concept** drift: a fraud pattern the model never saw, compromised terminals
  (skimmers), whose payments look like genuine ones (``Drift(new_pattern=...)``). In
  this module's worlds that pattern does not exist before the drift.

Every world uses the same seed, so its days before the start are the same payments in
every kind of drift, and the model trained on them is the same model.

**The model and its labels.** The course's logistic regression
(:func:`course.models.make_fraud_model`) is trained on the 14 days and calibrated
(scikit-learn's ``CalibratedClassifierCV``, sigmoid, on a frozen model) on the 7 days
that end ``LABEL_DELAY_DAYS`` (14) days before the day it is deployed: this bank takes
a payment without a fraud report as genuine after 14 days, so later payments have no
label yet (:func:`course.data.labels_as_of`). A retrain obeys the same rule: it only
uses the labels known on its day.

**The decision.** With calibrated probabilities an alert is raised when its expected
loss exceeds its cost: ``p * (amount + friction) >= review + friction`` (module 03's
rule; review 3, friction 5 EUR). Costs follow :class:`course.metrics.CostModel`: every
alert costs a review, a false alarm adds friction, a missed fraud costs its amount.

**The monitors** compare each week with the model's **reference**, the 21 days it was
trained and calibrated on: PSI and KS of the score and of the amount, and a control
chart of the alerts per day (:mod:`course.metrics.drift`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from threadpoolctl import threadpool_limits

from course.data import FEATURE_COLUMNS, Drift, build_features, labels_as_of, simulate_transactions
from course.metrics import (
    CostModel,
    control_limits,
    day_bootstrap,
    expected_loss_decisions,
    first_alarm,
    ks_by_period,
    population_stability_index,
    psi_by_period,
)
from course.models import make_fraud_model

__all__ = [
    "KINDS",
    "SIZES",
    "POLICIES",
    "START_DAYS",
    "COST_MODEL",
    "MONITORS",
    "drift_settings",
    "World",
    "simulate_world",
    "DeployedModel",
    "fit_deployed_model",
    "ScoredWorld",
    "score_world",
    "ModelWeek",
    "evaluate_week",
    "PolicyRun",
    "monitor_alarms",
    "run_policy",
    "DriftLab",
    "signature_table",
    "weekly_table",
    "feature_psi",
    "monitor_detection",
    "performance_estimates",
    "policy_costs",
    "first_day_triage",
    "calibration_check",
    "EXPLORER_SERIES",
    "DriftExplorerData",
    "drift_explorer_data",
    "drift_explorer_numbers",
]

KINDS = ("covariate", "prior", "concept")
SIZES = ("moderate", "strong")
POLICIES = ("never", "every 4 weeks", "monitor-triggered")

N_CUSTOMERS, N_DAYS = 400, 140  # 2 terminals per customer; 20 weeks: 0..19
WARM_UP_DAYS = 28  # the features' 28- and 30-day windows fill up first
TRAIN_DAYS = 28
LABEL_DELAY_DAYS = 14  # a payment without a fraud report counts as genuine after 14 days
DEPLOY_DAY = WARM_UP_DAYS + TRAIN_DAYS + LABEL_DELAY_DAYS  # 70: the start of week 10
START_DAYS = (84, 98)  # weeks 12 and 14
RETRAIN_EVERY_DAYS = 28
TRIGGER_PSI = 0.25  # the monitor-triggered policy retrains after a week whose score PSI reaches this

#: The module's bank: the default preset without compromised terminals (they are the concept
#: drift), the other fraud rates doubled (about 0.55% of payments are fraud, as in the course's
#: dataset), every fraud reported, after 3 days (median). Labels are late only by the 14 days
#: after which a quiet payment counts as genuine.
WORLD_SETTINGS = {
    "compromised_terminal_rate": 0.0,
    "large_amount_rate": 0.003,
    "leaked_card_rate": 0.0006,
    "card_testing_rate": 0.0006,
    "unreported_share": 0.0,
    "report_delay_median_days": 3.0,
}
COMPROMISED_TERMINAL_RATE = 0.00007  # the default preset's rate, per terminal per day

COST_MODEL = CostModel(review_cost=3.0, friction_cost=5.0, fraud_loss="amount")

# kind -> size -> value: amount factor, fraud-rate multiplier, compromised-terminal rate in
# units of the default preset's
_SIZE_VALUES = {
    "covariate": {"moderate": 1.25, "strong": 1.5},
    "prior": {"moderate": 2.0, "strong": 3.0},
    "concept": {"moderate": 2.0, "strong": 4.0},
}
_START = pd.Timestamp("2024-01-01")


def drift_settings(kind, size, start_day):
    """The simulator's ``Drift`` and settings for one kind and size of drift in the module's bank.

    Parameters
    ----------
    kind : {"covariate", "prior", "concept"} or None
        None: no drift (the calm world).
    size : {"moderate", "strong"}
        Covariate: genuine amounts x1.25 / x1.5; prior: every fraud rate x2 / x3; concept:
        compromised terminals appear, at 2x / 4x the default preset's rate (0.00007 per
        terminal per day).
    start_day : int
        The drift's first day.

    Returns
    -------
    drift : course.data.Drift or None
    settings : dict
        Keyword arguments for :func:`course.data.simulate_transactions` (``WORLD_SETTINGS``
        with the drift's rate).

    Examples
    --------
    >>> from course.lessons.drift import drift_settings
    >>> drift, settings = drift_settings("concept", "strong", 84)
    >>> drift.new_pattern, settings["compromised_terminal_rate"]
    ('compromised_terminal', 0.00028)
    """
    settings = dict(WORLD_SETTINGS)
    if kind is None:
        return None, settings
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} or None, got {kind!r}.")
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, got {size!r}.")
    if (
        isinstance(start_day, bool)
        or not isinstance(start_day, (int, np.integer))
        or not (DEPLOY_DAY <= start_day < N_DAYS)
    ):
        raise ValueError(
            f"start_day must be a day from {DEPLOY_DAY} (the deployment) to {N_DAYS - 1}, got {start_day!r}."
        )
    start_day = int(start_day)
    value = _SIZE_VALUES[kind][size]
    if kind == "covariate":
        return Drift(start_day, amount_factor=value), settings
    if kind == "prior":
        return Drift(start_day, fraud_rate_multiplier=value), settings
    settings["compromised_terminal_rate"] = round(COMPROMISED_TERMINAL_RATE * value, 10)
    return Drift(start_day, new_pattern="compromised_terminal"), settings


@dataclass(frozen=True, eq=False)
class World:
    """One simulated bank: its payments, their model inputs, and the drift it went through.

    Made by :func:`simulate_world`.

    Attributes
    ----------
    kind, size : str or None
        The drift (None: the calm world).
    start_day : int or None
    seed : int
    day, amount, is_fraud : numpy.ndarray
        Per payment, in time order.
    X : numpy.ndarray of shape (n, len(FEATURE_COLUMNS))
        Model inputs (:func:`course.data.build_features`).
    transactions : pandas.DataFrame
        The columns ``timestamp``, ``is_fraud``, ``label_available_at`` (to read the labels
        known on a date).

    Examples
    --------
    >>> from course.lessons.drift import simulate_world
    >>> world = simulate_world("prior", "strong", 84, n_customers=80)
    >>> world.X.shape[0] == world.day.size == len(world.transactions)
    True
    """

    kind: str | None
    size: str | None
    start_day: int | None
    seed: int
    day: np.ndarray
    amount: np.ndarray
    is_fraud: np.ndarray
    X: np.ndarray
    transactions: pd.DataFrame

    @property
    def week(self):
        """Week of each payment (``day // 7``)."""
        return self.day // 7


def simulate_world(kind=None, size=None, start_day=None, *, seed=0, n_customers=N_CUSTOMERS):
    """Simulate the module's bank, 140 days, with one drift or none.

    Parameters
    ----------
    kind : {"covariate", "prior", "concept"} or None, default=None
    size : {"moderate", "strong"}, optional
        Needed with a kind (see :func:`drift_settings`).
    start_day : int, optional
        Needed with a kind: a day from ``DEPLOY_DAY`` (70) on.
    seed : int, default=0
        The same seed gives the same payments before the start day, whatever the drift
        (and the same model inputs, to the rounding of running sums, below 1e-9).
    n_customers : int, default=500
        Terminals are twice as many.

    Returns
    -------
    World

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.drift import simulate_world
    >>> calm = simulate_world(n_customers=80)
    >>> drifted = simulate_world("covariate", "strong", 84, n_customers=80)
    >>> before = calm.day < 84
    >>> bool((calm.amount[before] == drifted.amount[drifted.day < 84]).all())
    True
    >>> bool(np.allclose(calm.X[before], drifted.X[drifted.day < 84], rtol=1e-9))  # running sums: rounding
    True
    """
    drift, settings = drift_settings(kind, size, start_day)
    df = simulate_transactions(
        n_customers, 2 * n_customers, N_DAYS, seed=seed, drift=drift, maturity_days=LABEL_DELAY_DAYS, **settings
    )
    X = build_features(df)[FEATURE_COLUMNS].to_numpy(dtype=np.float64)
    return World(
        kind=kind,
        size=size if kind is not None else None,
        start_day=int(start_day) if kind is not None else None,
        seed=seed,
        day=df["day"].to_numpy(dtype=np.int64),
        amount=df["amount"].to_numpy(dtype=np.float64),
        is_fraud=df["is_fraud"].to_numpy(dtype=np.int8),
        X=X,
        transactions=df[["timestamp", "is_fraud", "label_available_at"]],
    )


def _alerts(probabilities, amounts):
    """Module 03's expected-loss rule with the lesson's cost model (``expected_loss_decisions``)."""
    return expected_loss_decisions(probabilities, amounts=amounts, cost_model=COST_MODEL)


def _costs(alerts, y_true, amounts):
    """Realized cost of each decision: review (+ friction on a false alarm), or a missed fraud's amount."""
    friction, review = COST_MODEL.friction_cost, COST_MODEL.review_cost
    return np.where(alerts, review + friction * (y_true == 0), np.where(y_true == 1, amounts, 0.0))


@dataclass(frozen=True, eq=False)
class DeployedModel:
    """A model built with the labels known on ``retrain_day``, and its reference.

    Made by :func:`fit_deployed_model`.

    Attributes
    ----------
    retrain_day : int
        The day it goes live.
    window : (int, int)
        Its training days ``[first, last + 1)``, 28 days that end ``LABEL_DELAY_DAYS`` (14)
        before ``retrain_day``.
    estimator : sklearn.pipeline.Pipeline
        The fitted logistic regression.
    reference_scores, reference_amounts : numpy.ndarray
        Its probabilities and the amounts over the window: the monitors' reference.
    limits : course.metrics.ControlLimits
        Control limits of its alerts per day over the window.

    Examples
    --------
    >>> from course.lessons.drift import simulate_world, fit_deployed_model
    >>> fit_deployed_model(simulate_world(n_customers=80), 70).retrain_day
    70
    """

    retrain_day: int
    window: tuple
    estimator: object
    reference_scores: np.ndarray
    reference_amounts: np.ndarray
    limits: object

    def predict_proba(self, X):
        """Fraud probability of each row of ``X`` (a 1-D array).

        Parameters
        ----------
        X : numpy.ndarray of shape (n, len(FEATURE_COLUMNS))

        Returns
        -------
        numpy.ndarray of shape (n,)
        """
        return self.estimator.predict_proba(X)[:, 1]


def fit_deployed_model(world, retrain_day):
    """Train the model the bank can build on ``retrain_day``, and its reference.

    Only the labels known that day are used (:func:`course.data.labels_as_of`, 14-day
    maturity), so the 28-day training window ends ``LABEL_DELAY_DAYS`` (14) days before
    ``retrain_day``. The model is the course's logistic regression
    (:func:`course.models.make_fraud_model`), trained on the natural fraud rate: its
    probabilities are close to calibrated (:func:`calibration_check` measures it).

    Parameters
    ----------
    world : World
    retrain_day : int
        From ``DEPLOY_DAY`` (70) to the last day.

    Returns
    -------
    DeployedModel

    Examples
    --------
    >>> from course.lessons.drift import simulate_world, fit_deployed_model
    >>> model = fit_deployed_model(simulate_world(n_customers=80), 70)
    >>> model.window, bool(0 < model.reference_scores.mean() < 0.05)
    ((28, 56), True)
    """
    if (
        isinstance(retrain_day, bool)
        or not isinstance(retrain_day, (int, np.integer))
        or not (DEPLOY_DAY <= retrain_day < N_DAYS)
    ):
        raise ValueError(f"retrain_day must be a day from {DEPLOY_DAY} to {N_DAYS - 1}, got {retrain_day!r}.")
    window_end = int(retrain_day) - LABEL_DELAY_DAYS
    first = window_end - TRAIN_DAYS
    known = labels_as_of(
        world.transactions, _START + pd.Timedelta(days=int(retrain_day)), maturity_days=LABEL_DELAY_DAYS
    )
    window = (world.day >= first) & (world.day < window_end)
    y = known.to_numpy(dtype=np.float64, na_value=np.nan)[window]
    if np.isnan(y).any():  # cannot happen with the 14-day rule: guards a change of the constants
        raise ValueError("the window holds payments whose label is not known on the retrain day.")
    model = make_fraud_model("logreg")
    with threadpool_limits(limits=1):
        model.fit(world.X[window], y.astype(np.int8))
    reference_scores = model.predict_proba(world.X[window])[:, 1]
    reference_amounts = world.amount[window]
    daily = np.bincount(
        world.day[window] - first, weights=_alerts(reference_scores, reference_amounts), minlength=TRAIN_DAYS
    )
    return DeployedModel(
        retrain_day=int(retrain_day),
        window=(first, window_end),
        estimator=model,
        reference_scores=reference_scores,
        reference_amounts=reference_amounts,
        limits=control_limits(daily),
    )


#: Monitors: name -> (granularity, column of the weekly or daily table, alarm rule).
MONITORS = {
    "score PSI >= 0.25": ("week", "psi_score", lambda v: v >= 0.25),
    "score PSI >= 0.1": ("week", "psi_score", lambda v: v >= 0.1),
    "amount PSI >= 0.1": ("week", "psi_amount", lambda v: v >= 0.1),
    "score KS p < 0.01": ("week", "ks_score_pvalue", lambda v: v < 0.01),
    "alerts/day outside 3-sigma limits": ("day", "outside", lambda v: v),
}
TRIGGER = "score PSI >= 0.25"


@dataclass(frozen=True, eq=False)
class ScoredWorld:
    """Every monitored payment of one world scored by one deployed model, and the weekly PSI.

    Made by :func:`score_world`: one prediction and one PSI pass for all the weeks, which
    :func:`evaluate_week` then reads.

    Attributes
    ----------
    rows : numpy.ndarray of int
        Indices of the monitored payments (days 70 on), in time order.
    probabilities, alerts, costs : numpy.ndarray
        Per monitored payment: calibrated probability, alert, realized cost (EUR).
    psi_score, psi_amount : pandas.Series
        PSI of each monitored week against the model's reference.

    Examples
    --------
    >>> from course.lessons.drift import simulate_world, fit_deployed_model, score_world
    >>> world = simulate_world(n_customers=80)
    >>> scored = score_world(world, fit_deployed_model(world, 70))
    >>> scored.psi_score.index.tolist() == list(range(10, 20))
    True
    """

    rows: np.ndarray
    probabilities: np.ndarray
    alerts: np.ndarray
    costs: np.ndarray
    psi_score: pd.Series
    psi_amount: pd.Series


def score_world(world, model):
    """Score the monitored weeks of ``world`` with ``model``: alerts, costs, weekly PSI.

    Parameters
    ----------
    world : World
    model : DeployedModel

    Returns
    -------
    ScoredWorld

    Examples
    --------
    >>> from course.lessons.drift import simulate_world, fit_deployed_model, score_world
    >>> world = simulate_world(n_customers=80)
    >>> scored = score_world(world, fit_deployed_model(world, 70))
    >>> bool(scored.psi_amount.max() < 0.1)
    True
    """
    rows = np.flatnonzero(world.day >= DEPLOY_DAY)
    p = model.predict_proba(world.X[rows])
    amount, y, week = world.amount[rows], world.is_fraud[rows], world.week[rows]
    alerts = _alerts(p, amount)
    return ScoredWorld(
        rows=rows,
        probabilities=p,
        alerts=alerts,
        costs=_costs(alerts, y, amount),
        psi_score=psi_by_period(model.reference_scores, p, periods=week),
        psi_amount=psi_by_period(model.reference_amounts, amount, periods=week),
    )


@dataclass(frozen=True, eq=False)
class ModelWeek:
    """What one deployed model does in one monitored week of one world.

    Made by :func:`evaluate_week`; a policy run strings together the weeks of the models
    it has in use.

    Attributes
    ----------
    rows : numpy.ndarray of int
        Indices of the week's payments (into the world's), in time order.
    probabilities, alerts, costs : numpy.ndarray
        Per payment: calibrated probability, alert, realized cost (EUR).
    record : dict
        The week's numbers (the columns of :func:`run_policy`'s weekly table).
    daily : pandas.DataFrame
        Seven rows, one per day: ``alerts``, ``lower``, ``upper``, ``outside``, ``cost``.

    Examples
    --------
    >>> from course.lessons.drift import simulate_world, fit_deployed_model, evaluate_week
    >>> world = simulate_world(n_customers=80)
    >>> week = evaluate_week(world, fit_deployed_model(world, 70), 10)
    >>> week.record["alerts"] == int(week.alerts.sum()), week.daily.index.tolist()[:2]
    (True, [70, 71])
    """

    rows: np.ndarray
    probabilities: np.ndarray
    alerts: np.ndarray
    costs: np.ndarray
    record: dict
    daily: pd.DataFrame


def evaluate_week(world, model, week, *, scored=None):
    """One week of ``world`` under ``model``: alerts, money, monitors and estimates.

    Parameters
    ----------
    world : World
    model : DeployedModel
    week : int
        A monitored week, 10 to 19 (days ``7 * week`` to ``7 * week + 6``).
    scored : ScoredWorld, optional
        :func:`score_world` of the same world and model (computed when not given).

    Returns
    -------
    ModelWeek

    Examples
    --------
    >>> from course.lessons.drift import simulate_world, fit_deployed_model, evaluate_week
    >>> world = simulate_world(n_customers=80)
    >>> record = evaluate_week(world, fit_deployed_model(world, 70), 12).record
    >>> record["week"], record["model_day"]
    (12, 70)
    """
    if not DEPLOY_DAY // 7 <= week < N_DAYS // 7:
        raise ValueError(f"week must be a monitored week, {DEPLOY_DAY // 7} to {N_DAYS // 7 - 1}, got {week!r}.")
    if scored is None:
        scored = score_world(world, model)
    in_week = slice(*np.searchsorted(world.day[scored.rows], [7 * week, 7 * week + 7]))
    rows, p = scored.rows[in_week], scored.probabilities[in_week]
    alerts, costs = scored.alerts[in_week], scored.costs[in_week]
    amount, y = world.amount[rows], world.is_fraud[rows]
    day_index = world.day[rows] - 7 * week
    daily_alerts = np.bincount(day_index, weights=alerts, minlength=7)
    outside = model.limits.outside(daily_alerts)
    daily = pd.DataFrame(
        {
            "alerts": daily_alerts.astype(np.int64),
            "lower": model.limits.lower,
            "upper": model.limits.upper,
            "outside": outside,
            "cost": np.bincount(day_index, weights=costs, minlength=7),
        },
        index=pd.Index(7 * week + np.arange(7), name="day"),
    )
    one = np.zeros(rows.size, dtype=np.int64)
    ks_score = ks_by_period(model.reference_scores, p, periods=one, method="asymp").iloc[0]
    n_alerts, n_frauds = int(alerts.sum()), int(y.sum())
    estimated_caught, estimated_frauds = float(p[alerts].sum()), float(p.sum())
    caught = int(y[alerts].sum())
    record = {
        "week": int(week),
        "payments": int(rows.size),
        "frauds": n_frauds,
        "alerts": n_alerts,
        "alerts_per_day": n_alerts / 7,
        "mean_amount": float(amount.mean()),
        "psi_score": float(scored.psi_score.loc[week]),
        "psi_amount": float(scored.psi_amount.loc[week]),
        "ks_score": float(ks_score["statistic"]),
        "ks_score_pvalue": float(ks_score["pvalue"]),
        "alarm_days": int(outside.sum()),
        "estimated_frauds": estimated_frauds,
        "estimated_caught": estimated_caught,
        "caught": caught,
        "estimated_precision": estimated_caught / n_alerts if n_alerts else np.nan,
        "precision": caught / n_alerts if n_alerts else np.nan,
        "estimated_recall": estimated_caught / estimated_frauds,
        "recall": caught / n_frauds if n_frauds else np.nan,
        "frauds_missed_amount": float(amount[(y == 1) & ~alerts].sum()),
        "cost": float(costs.sum()),
        "model_day": model.retrain_day,
    }
    return ModelWeek(rows, p, alerts, costs, record, daily)


@dataclass(frozen=True, eq=False)
class PolicyRun:
    """A retraining policy lived through the monitored weeks (10 to 19) of one world.

    Made by :func:`run_policy`.

    Attributes
    ----------
    policy : str
    rows : numpy.ndarray of int
        Indices (into the world's payments) of the monitored payments, in time order.
    probabilities, alerts, costs : numpy.ndarray
        Per monitored payment: the deployed model's calibrated probability, the alert,
        the realized cost in EUR.
    weekly : pandas.DataFrame
        One row per monitored week (see :func:`run_policy`).
    daily : pandas.DataFrame
        One row per monitored day: ``alerts``, ``lower`` and ``upper`` (the deployed
        model's control limits), ``outside``, ``cost``.

    Examples
    --------
    >>> from course.lessons.drift import simulate_world, run_policy
    >>> run = run_policy(simulate_world(n_customers=80), "never")
    >>> int(run.weekly.index[0]), int(run.daily.index[0])
    (10, 70)
    """

    policy: str
    rows: np.ndarray
    probabilities: np.ndarray
    alerts: np.ndarray
    costs: np.ndarray
    weekly: pd.DataFrame
    daily: pd.DataFrame


def monitor_alarms(monitor, weekly, daily):
    """The checks of one monitor and whether each raised an alarm.

    Parameters
    ----------
    monitor : str
        A key of ``MONITORS``.
    weekly, daily : pandas.DataFrame
        The tables of a :class:`PolicyRun`.

    Returns
    -------
    check_days : numpy.ndarray of int
        The last day of data of each check (a week's last day, or the day).
    alarms : numpy.ndarray of bool

    Examples
    --------
    >>> import pandas as pd
    >>> from course.lessons.drift import monitor_alarms
    >>> weekly = pd.DataFrame({"psi_score": [0.02, 0.4]}, index=pd.Index([10, 11], name="week"))
    >>> days, alarms = monitor_alarms("score PSI >= 0.25", weekly, None)
    >>> days.tolist(), alarms.tolist()
    ([76, 83], [False, True])
    """
    if monitor not in MONITORS:
        raise ValueError(f"monitor must be one of {list(MONITORS)}, got {monitor!r}.")
    granularity, column, rule = MONITORS[monitor]
    if granularity == "week":
        return weekly.index.to_numpy() * 7 + 6, np.asarray(rule(weekly[column].to_numpy()), dtype=bool)
    return daily.index.to_numpy(), np.asarray(rule(daily[column].to_numpy()), dtype=bool)


def run_policy(world, policy, *, fit=fit_deployed_model, evaluate=evaluate_week, trigger=TRIGGER):
    """Deploy on ``DEPLOY_DAY`` (70), watch every week, retrain as ``policy`` says.

    Policies: ``"never"``; ``"every 4 weeks"`` (retrain on days 98 and 126);
    ``"monitor-triggered"`` (retrain at the end of every week in which the ``trigger``
    monitor fired, against the deployed model's reference). A retrain on day ``d`` uses only
    the labels known on ``d`` (its window ends on day ``d - 14``), and goes live on ``d``.

    Parameters
    ----------
    world : World
    policy : {"never", "every 4 weeks", "monitor-triggered"}
    fit : callable, default=fit_deployed_model
        ``fit(world, retrain_day) -> DeployedModel`` (a cache can be passed, see :class:`DriftLab`).
    evaluate : callable, default=evaluate_week
        ``evaluate(world, model, week) -> ModelWeek``.
    trigger : str, default="score PSI >= 0.25"
        The monitor of the triggered policy, a key of ``MONITORS``.

    Returns
    -------
    PolicyRun
        ``weekly`` holds, per week: payments, frauds, alerts, alerts_per_day, mean_amount,
        psi_score, psi_amount, ks_score, ks_score_pvalue, ks_amount, ks_amount_pvalue,
        alarm_days (days outside the control limits), estimated_frauds (sum of the
        probabilities), estimated_caught (sum of the alerts' probabilities), caught
        (frauds alerted), frauds_missed_amount, cost (EUR), estimated_precision,
        precision, estimated_recall, recall (NaN without alerts or frauds), model_day
        (the retrain day of the model in use) and retrain (a new model goes live after
        this week).

    Examples
    --------
    >>> from course.lessons.drift import simulate_world, run_policy
    >>> run = run_policy(simulate_world(n_customers=80), "every 4 weeks")
    >>> run.weekly["model_day"].unique().tolist()
    [70, 98, 126]
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}.")
    if trigger not in MONITORS:
        raise ValueError(f"trigger must be one of {list(MONITORS)}, got {trigger!r}.")
    model = fit(world, DEPLOY_DAY)
    weeks = []
    for week in range(DEPLOY_DAY // 7, N_DAYS // 7):
        scored = evaluate(world, model, week)
        weeks.append(scored)
        next_day = 7 * (week + 1)
        if next_day >= N_DAYS:
            retrain = False
        elif policy == "every 4 weeks":
            retrain = (next_day - DEPLOY_DAY) % RETRAIN_EVERY_DAYS == 0
        elif policy == "monitor-triggered":
            record = pd.DataFrame([scored.record]).set_index("week")
            retrain = bool(monitor_alarms(trigger, record, scored.daily)[1].any())
        else:
            retrain = False
        if retrain:
            model = fit(world, next_day)
    weekly = pd.DataFrame([w.record for w in weeks]).set_index("week")
    weekly["retrain"] = weekly["model_day"].shift(-1, fill_value=weekly["model_day"].iloc[-1]) != weekly["model_day"]
    return PolicyRun(
        policy,
        *(np.concatenate([getattr(w, name) for w in weeks]) for name in ("rows", "probabilities", "alerts", "costs")),
        weekly=weekly,
        daily=pd.concat([w.daily for w in weeks]),
    )


class DriftLab:
    """The module's bank for one seed: worlds, models and policy runs, each computed once.

    Worlds of the same seed share their days before the drift, so a model whose window ends
    before the drift's start is fitted once, on the calm world, and reused by every drift.

    Parameters
    ----------
    seed : int, default=0
    n_customers : int, default=500

    Examples
    --------
    >>> from course.lessons.drift import DriftLab
    >>> lab = DriftLab(seed=0, n_customers=80)
    >>> run = lab.run("prior", "strong", 84, "never")
    >>> lab.model(lab.world(), 70) is lab.model(lab.world("prior", "strong", 84), 70)
    True
    """

    def __init__(self, *, seed=0, n_customers=N_CUSTOMERS):
        self.seed = seed
        self.n_customers = n_customers
        self._worlds, self._models, self._scored, self._evaluations, self._runs = {}, {}, {}, {}, {}

    def world(self, kind=None, size=None, start_day=None):
        """The world of one drift (None: the calm world), simulated once.

        Parameters
        ----------
        kind, size, start_day
            See :func:`simulate_world`.

        Returns
        -------
        World
        """
        key = (kind, size, start_day) if kind is not None else (None, None, None)
        if key not in self._worlds:
            self._worlds[key] = simulate_world(*key, seed=self.seed, n_customers=self.n_customers)
        return self._worlds[key]

    def model(self, world, retrain_day):
        """The model deployed on ``retrain_day`` in ``world``, fitted once.

        Parameters
        ----------
        world : World
            One of this lab's worlds.
        retrain_day : int

        Returns
        -------
        DeployedModel
        """
        window_end = retrain_day - LABEL_DELAY_DAYS
        calm = world.kind is None or window_end <= world.start_day
        key = (None, None, None, retrain_day) if calm else (world.kind, world.size, world.start_day, retrain_day)
        if key not in self._models:
            self._models[key] = fit_deployed_model(self.world() if calm else world, retrain_day)
        return self._models[key]

    def evaluate(self, world, model, week):
        """:func:`evaluate_week` of ``model`` in ``world``, computed once.

        Parameters
        ----------
        world : World
        model : DeployedModel
        week : int

        Returns
        -------
        ModelWeek
        """
        calm_model = model.window[1] <= (world.start_day or 0) or world.kind is None
        if calm_model and world.kind is not None and 7 * week + 7 <= world.start_day:
            world = self.world()  # the same payments and the same model: computed once, on the calm world
        key = (id(world), id(model), week)  # both are kept alive by this lab's caches
        if key not in self._evaluations:
            if (id(world), id(model)) not in self._scored:
                self._scored[id(world), id(model)] = score_world(world, model)
            self._evaluations[key] = evaluate_week(world, model, week, scored=self._scored[id(world), id(model)])
        return self._evaluations[key]

    def run(self, kind, size, start_day, policy, *, trigger=TRIGGER):
        """The policy run in one world, computed once.

        Parameters
        ----------
        kind, size, start_day
            The drift (``kind=None``: the calm world).
        policy : str
            One of ``POLICIES``.
        trigger : str, default="score PSI >= 0.25"

        Returns
        -------
        PolicyRun
        """
        world = self.world(kind, size, start_day)
        key = (kind, size, start_day, policy, trigger) if kind is not None else (None, None, None, policy, trigger)
        if key not in self._runs:
            self._runs[key] = run_policy(world, policy, fit=self.model, evaluate=self.evaluate, trigger=trigger)
        return self._runs[key]


# -- the module's tables ----------------------------------------------------------------------

_NO_DRIFT = "no drift"


def _kinds_with_calm(kinds):
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"kinds must be a non-empty tuple of {KINDS}, got {kinds!r}.")
    return (None, *kinds)


def _label(kind):
    return _NO_DRIFT if kind is None else kind


def _run_days(lab, kind, size, start_day, policy):
    """Per monitored day of a run: frauds, alerts, caught, estimated caught, estimated frauds, cost."""
    run = lab.run(kind, size, start_day, policy)
    world = lab.world(kind, size, start_day)
    day = world.day[run.rows] - DEPLOY_DAY
    y = world.is_fraud[run.rows]
    n = N_DAYS - DEPLOY_DAY
    columns = {
        "payments": np.bincount(day, minlength=n),
        "frauds": np.bincount(day, weights=y, minlength=n),
        "alerts": np.bincount(day, weights=run.alerts, minlength=n),
        "caught": np.bincount(day, weights=run.alerts & (y == 1), minlength=n),
        "estimated_caught": np.bincount(day, weights=np.where(run.alerts, run.probabilities, 0.0), minlength=n),
        "estimated_frauds": np.bincount(day, weights=run.probabilities, minlength=n),
        "cost": np.bincount(day, weights=run.costs, minlength=n),
    }
    return pd.DataFrame(columns, index=pd.Index(np.arange(DEPLOY_DAY, N_DAYS), name="day"))


def _bootstrap(statistic, *columns, seed=0):
    """Day bootstrap of a statistic of daily columns (each row is one day)."""
    days = np.arange(len(columns[0]))
    return day_bootstrap(statistic, *(np.asarray(c, dtype=np.float64) for c in columns), days=days, seed=seed)


def signature_table(lab, *, size="strong", start_day=START_DAYS[0], kinds=KINDS):
    """Each kind of drift's signature after its start, against the world without drift.

    The model is never retrained. "Before" is the monitored days before ``start_day``,
    "after" the days from it; the extra cost per day compares the drifted world with the
    world without drift on the same days, with a day-bootstrap interval of the difference.

    Parameters
    ----------
    lab : DriftLab
    size : {"moderate", "strong"}, default="strong"
    start_day : int, default=84

    kinds : tuple of str, default=("covariate", "prior", "concept")
        The kinds of drift to include.

    Returns
    -------
    pandas.DataFrame
        One row per world (``"no drift"``, then each kind): mean_amount, max_psi_score,
        max_psi_amount, alerts_per_day_before / _after, precision_after (share of the
        alerts that are fraud), frauds_per_day_after, cost_per_day_after (EUR),
        extra_cost_per_day, extra_cost_low, extra_cost_high (95% interval).

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, signature_table
    >>> table = signature_table(DriftLab(n_customers=80), kinds=("prior",))
    >>> table.index.tolist()
    ['no drift', 'prior']
    """
    calm = _run_days(lab, None, None, None, "never")
    after = calm.index >= start_day
    rows = {}
    for kind in _kinds_with_calm(kinds):
        days = calm if kind is None else _run_days(lab, kind, size, start_day, "never")
        weekly = lab.run(kind, size, start_day, "never").weekly
        drifted_weeks = weekly.index >= start_day // 7
        extra = _bootstrap(lambda d, c: (d.sum() - c.sum()) / len(d), days["cost"][after], calm["cost"][after])
        rows[_label(kind)] = {
            "mean_amount_after": float(weekly.loc[drifted_weeks, "mean_amount"].mean()),
            "max_psi_score": float(weekly.loc[drifted_weeks, "psi_score"].max()),
            "max_psi_amount": float(weekly.loc[drifted_weeks, "psi_amount"].max()),
            "alerts_per_day_before": float(days["alerts"][~after].mean()),
            "alerts_per_day_after": float(days["alerts"][after].mean()),
            "precision_after": float(days["caught"][after].sum() / days["alerts"][after].sum()),
            "frauds_per_day_after": float(days["frauds"][after].mean()),
            "cost_per_day_after": float(days["cost"][after].mean()),
            "extra_cost_per_day": extra.estimate,
            "extra_cost_low": extra.low,
            "extra_cost_high": extra.high,
        }
    return pd.DataFrame(rows).T


def weekly_table(lab, kind, *, size="strong", start_day=START_DAYS[0], policy="never"):
    """The weekly table of one run (see :func:`run_policy`), for plots and tables.

    Parameters
    ----------
    lab : DriftLab
    kind : {"covariate", "prior", "concept"} or None
    size : {"moderate", "strong"}, default="strong"
    start_day : int, default=84
    policy : str, default="never"

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, weekly_table
    >>> int(weekly_table(DriftLab(n_customers=80), "prior").index[0])
    10
    """
    return lab.run(kind, size, start_day, policy).weekly.copy()


def feature_psi(lab, week, *, size="strong", start_day=START_DAYS[0], kinds=KINDS):
    """PSI of every model input in one week, against the first model's training window.

    Parameters
    ----------
    lab : DriftLab
    week : int
        A monitored week (10 to 19).
    size : {"moderate", "strong"}, default="strong"
    start_day : int, default=84

    kinds : tuple of str, default=("covariate", "prior", "concept")
        The kinds of drift to include.

    Returns
    -------
    pandas.DataFrame
        One row per feature (``FEATURE_COLUMNS``), one column per world.

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, feature_psi
    >>> table = feature_psi(DriftLab(n_customers=80), 12, kinds=("covariate",))
    >>> bool(table.loc["amount", "covariate"] > table.loc["amount", "no drift"])
    True
    """
    first, end = lab.model(lab.world(), DEPLOY_DAY).window
    columns = {}
    for kind in _kinds_with_calm(kinds):
        world = lab.world(kind, size, start_day)
        reference = (world.day >= first) & (world.day < end)
        current = world.week == week
        columns[_label(kind)] = [
            population_stability_index(world.X[reference, j], world.X[current, j]) for j in range(len(FEATURE_COLUMNS))
        ]
    return pd.DataFrame(columns, index=pd.Index(FEATURE_COLUMNS, name="feature"))


def monitor_detection(labs, *, size="strong", start_day=START_DAYS[0], monitors=None, kinds=KINDS):
    """Each monitor's detection delay per kind of drift, and its false alarms, over several worlds.

    Every lab is one independent world (its own seed). Delays count the days from the
    beginning of ``start_day`` to the end of the day of the first alarm on or after it
    (:func:`course.metrics.first_alarm`); false alarms are the alarms in the world without
    drift, over its 10 monitored weeks (70 days). The model is never retrained.

    Parameters
    ----------
    labs : list of DriftLab
    size : {"moderate", "strong"}, default="strong"
    start_day : int, default=84
    monitors : list of str, optional
        Keys of ``MONITORS`` (default: all).

    kinds : tuple of str, default=("covariate", "prior", "concept")
        The kinds of drift to include.

    Returns
    -------
    pandas.DataFrame
        One row per monitor: for each kind, ``"<kind> detected"`` (worlds in which it fired)
        and ``"<kind> median delay"`` (days, over the worlds where it fired); then
        ``"false alarms"`` (alarms summed over the worlds without drift) and ``"checks"``
        (checks summed over those worlds).

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, monitor_detection
    >>> lab = DriftLab(seed=0, n_customers=80)
    >>> table = monitor_detection([lab], monitors=["amount PSI >= 0.1"], kinds=("covariate",))
    >>> table.columns.tolist()
    ['covariate detected', 'covariate median delay', 'false alarms', 'checks']
    """
    monitors = list(MONITORS) if monitors is None else list(monitors)
    rows = {}
    for monitor in monitors:
        row = {}
        for kind in _kinds_with_calm(kinds)[1:]:
            delays = []
            for lab in labs:
                run = lab.run(kind, size, start_day, "never")
                days, alarms = monitor_alarms(monitor, run.weekly, run.daily)
                delays.append(first_alarm(alarms, check_days=days, start_day=start_day).detection_delay_days)
            fired = [d for d in delays if not np.isnan(d)]
            row[f"{kind} detected"] = f"{len(fired)} of {len(labs)}"
            row[f"{kind} median delay"] = float(np.median(fired)) if fired else np.nan
        false_alarms = checks = 0
        for lab in labs:
            run = lab.run(None, None, None, "never")
            _, alarms = monitor_alarms(monitor, run.weekly, run.daily)
            false_alarms += int(alarms.sum())
            checks += len(alarms)
        row["false alarms"] = false_alarms
        row["checks"] = checks
        rows[monitor] = row
    return pd.DataFrame(rows).T


def performance_estimates(lab, *, size="strong", start_day=START_DAYS[0], kinds=KINDS):
    """Confidence-based estimates from the probabilities against the truth, after the drift's start.

    Without labels, a calibrated probability ``p`` is the expected fraud of its payment:
    the alerts' expected precision is the mean ``p`` of the alerts, the expected frauds
    caught the sum of their ``p``, and the expected share of frauds caught the alerts' sum
    of ``p`` over all payments' sum of ``p`` (as NannyML's confidence-based performance
    estimation does). The truth counts the frauds (the simulator's labels, all of which the
    bank eventually receives in this module's bank). Never retrained; the days from
    ``start_day`` on (all monitored days for the world without drift).

    Parameters
    ----------
    lab : DriftLab
    size : {"moderate", "strong"}, default="strong"
    start_day : int, default=84

    kinds : tuple of str, default=("covariate", "prior", "concept")
        The kinds of drift to include.

    Returns
    -------
    pandas.DataFrame
        One row per world: estimated_precision, precision, precision_gap (truth minus
        estimate) with gap_low / gap_high (95% day-bootstrap interval), estimated_caught,
        caught, estimated_share_caught, share_caught, share_gap, share_gap_low, share_gap_high.

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, performance_estimates
    >>> table = performance_estimates(DriftLab(n_customers=80), kinds=("concept",))
    >>> bool(table.loc["no drift", "estimated_precision"] > 0)
    True
    """
    rows = {}
    for kind in _kinds_with_calm(kinds):
        days = _run_days(lab, kind, size, start_day, "never")
        if kind is not None:
            days = days[days.index >= start_day]
        a, c, e, f, ef = (
            days[k].to_numpy() for k in ("alerts", "caught", "estimated_caught", "frauds", "estimated_frauds")
        )
        precision_gap = _bootstrap(lambda a, c, e: (c.sum() - e.sum()) / a.sum(), a, c, e)
        share_gap = _bootstrap(lambda c, e, f, ef: c.sum() / f.sum() - e.sum() / ef.sum(), c, e, f, ef)
        rows[_label(kind)] = {
            "estimated_precision": e.sum() / a.sum(),
            "precision": c.sum() / a.sum(),
            "precision_gap": precision_gap.estimate,
            "precision_gap_low": precision_gap.low,
            "precision_gap_high": precision_gap.high,
            "estimated_caught": e.sum(),
            "caught": c.sum(),
            "estimated_share_caught": e.sum() / ef.sum(),
            "share_caught": c.sum() / f.sum(),
            "share_gap": share_gap.estimate,
            "share_gap_low": share_gap.low,
            "share_gap_high": share_gap.high,
        }
    return pd.DataFrame(rows).T


def policy_costs(lab, *, sizes=SIZES, start_day=START_DAYS[0], kinds=KINDS):
    """The EUR cost of each retraining policy from the drift's start to the last day.

    Parameters
    ----------
    lab : DriftLab
    sizes : tuple of str, default=("moderate", "strong")
    start_day : int, default=84

    kinds : tuple of str, default=("covariate", "prior", "concept")
        The kinds of drift to include.

    Returns
    -------
    pandas.DataFrame
        One row per (kind, size), after a first row ``("no drift", "-")`` (the same days of
        the world without drift: what a retrain changes by the luck of a new window alone):
        ``cost <policy>`` for each policy, ``retrains <policy>`` and ``saving <policy>``
        (the cost of never retraining minus the policy's, positive = cheaper) with
        ``saving <policy> low`` / ``high``, its 95% day-bootstrap interval, for the two
        retraining policies.

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, policy_costs
    >>> table = policy_costs(DriftLab(n_customers=80), sizes=("strong",), kinds=("prior",))
    >>> table.index.tolist()
    [('no drift', '-'), ('prior', 'strong')]
    """
    rows = {}
    combinations = [(None, None)] + [(kind, size) for kind in _kinds_with_calm(kinds)[1:] for size in sizes]
    for kind, size in combinations:
        daily = {
            policy: _run_days(lab, kind, size, start_day, policy)["cost"][lambda c: c.index >= start_day].to_numpy()
            for policy in POLICIES
        }
        row = {f"cost {policy}": daily[policy].sum() for policy in POLICIES}
        for policy in POLICIES[1:]:
            weekly = lab.run(kind, size, start_day, policy).weekly
            row[f"retrains {policy}"] = int(weekly["retrain"].sum())
            saving = _bootstrap(lambda n, p: n.sum() - p.sum(), daily["never"], daily[policy])
            row[f"saving {policy}"] = saving.estimate
            row[f"saving {policy} low"] = saving.low
            row[f"saving {policy} high"] = saving.high
        rows[(kind, size) if kind is not None else (_NO_DRIFT, "-")] = row
    table = pd.DataFrame(rows).T
    table.index.names = ["kind", "size"]
    return table


def first_day_triage(lab, *, size="strong", start_day=START_DAYS[0], kinds=KINDS):
    """What a bank can see on the drift's first day, before any fraud report.

    Parameters
    ----------
    lab : DriftLab
    size : {"moderate", "strong"}, default="strong"
    start_day : int, default=84

    kinds : tuple of str, default=("covariate", "prior", "concept")
        The kinds of drift to include.

    Returns
    -------
    pandas.DataFrame
        One row per world: payments and alerts that day, the control chart's upper limit,
        alerts against the reference days' mean (``alert_ratio``), that day's PSI of the
        amounts and of the scores against the model's reference, the alerts' estimated
        precision (mean probability) and their precision (what the analysts' verdicts on
        the day's alerts show within hours).

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, first_day_triage
    >>> table = first_day_triage(DriftLab(n_customers=80), kinds=("covariate",))
    >>> bool(table.loc["covariate", "alert_ratio"] > table.loc["no drift", "alert_ratio"])
    True
    """
    rows = {}
    for kind in _kinds_with_calm(kinds):
        world = lab.world(kind, size, start_day)
        model = lab.model(world, DEPLOY_DAY)
        today = world.day == start_day
        p = model.predict_proba(world.X[today])
        amount, y = world.amount[today], world.is_fraud[today]
        alerts = _alerts(p, amount)
        one = np.zeros(p.size, dtype=np.int64)
        rows[_label(kind)] = {
            "payments": int(today.sum()),
            "alerts": int(alerts.sum()),
            "upper_limit": model.limits.upper,
            "alert_ratio": alerts.sum() / model.limits.center,
            "psi_amount": float(psi_by_period(model.reference_amounts, amount, periods=one).iloc[0]),
            "psi_score": float(psi_by_period(model.reference_scores, p, periods=one).iloc[0]),
            "estimated_precision": float(p[alerts].mean()) if alerts.any() else np.nan,
            "precision": float(y[alerts].mean()) if alerts.any() else np.nan,
        }
    return pd.DataFrame(rows).T


def calibration_check(lab):
    """Are the deployed model's probabilities calibrated enough to estimate precision?

    Compares, on the monitored weeks of the world without drift, the alerts' estimated
    precision (mean probability) with their precision, for the deployed logistic regression
    (trained on 28 days at the natural fraud rate) and for the same model recalibrated with
    scikit-learn's ``CalibratedClassifierCV`` (sigmoid, on a frozen model trained on the
    first 21 days, calibrated on the last 7: about 40 frauds).

    Parameters
    ----------
    lab : DriftLab

    Returns
    -------
    pandas.DataFrame
        One row per model: alerts, estimated_precision, precision, gap (precision minus
        estimate) with gap_low / gap_high (95% day-bootstrap interval), and
        ``probability_per_fraud`` (sum of the probabilities over the number of frauds: 1
        when the probabilities are calibrated in the large).

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, calibration_check
    >>> calibration_check(DriftLab(n_customers=150)).index.tolist()
    ['logistic regression (deployed)', 'recalibrated (sigmoid, last 7 days)']
    """
    world = lab.world()
    deployed = lab.model(world, DEPLOY_DAY)
    first, end = deployed.window
    known = labels_as_of(world.transactions, _START + pd.Timedelta(days=DEPLOY_DAY), maturity_days=LABEL_DELAY_DAYS)
    y_known = known.to_numpy(dtype=np.int8, na_value=0)
    train = (world.day >= first) & (world.day < end - 7)
    calibrate = (world.day >= end - 7) & (world.day < end)
    with threadpool_limits(limits=1):
        base = make_fraud_model("logreg").fit(world.X[train], y_known[train])
        recalibrated = CalibratedClassifierCV(FrozenEstimator(base), method="sigmoid").fit(
            world.X[calibrate], y_known[calibrate]
        )
    monitored = world.day >= DEPLOY_DAY
    amount, y = world.amount[monitored], world.is_fraud[monitored]
    day = world.day[monitored] - DEPLOY_DAY
    rows = {}
    for name, p in (
        ("logistic regression (deployed)", deployed.predict_proba(world.X[monitored])),
        ("recalibrated (sigmoid, last 7 days)", recalibrated.predict_proba(world.X[monitored])[:, 1]),
    ):
        alerts = _alerts(p, amount)
        daily = [
            np.bincount(day, weights=w, minlength=N_DAYS - DEPLOY_DAY)
            for w in (alerts, alerts & (y == 1), np.where(alerts, p, 0.0))
        ]
        gap = _bootstrap(lambda a, c, e: (c.sum() - e.sum()) / a.sum(), *daily)
        rows[name] = {
            "alerts": int(alerts.sum()),
            "estimated_precision": float(p[alerts].mean()),
            "precision": float(y[alerts].mean()),
            "gap": gap.estimate,
            "gap_low": gap.low,
            "gap_high": gap.high,
            "probability_per_fraud": float(p.sum() / y.sum()),
        }
    return pd.DataFrame(rows).T


# -- what the explorer shows -----------------------------------------------------------------

#: Weekly series the explorer draws, per (kind, size, start_day, policy).
EXPLORER_SERIES = (
    "psi_score",
    "psi_amount",
    "ks_score",
    "ks_score_pvalue",
    "alerts_per_day",
    "alarm_days",
    "upper_limit",
    "estimated_precision",
    "precision",
    "estimated_share_caught",
    "share_caught",
    "cost",
    "cumulative_cost",
    "model_day",
    "retrain",
)


@dataclass(frozen=True, eq=False)
class DriftExplorerData:
    """Every combination the drift explorer offers, precomputed (plain arrays).

    Made by :func:`drift_explorer_data`; read by :func:`drift_explorer_numbers`.

    Attributes
    ----------
    weeks : numpy.ndarray of int
        The monitored weeks, 10 to 19.
    kinds, sizes, start_days, policies : tuple
        The values each control offers.
    series : dict
        ``(kind, size, start_day, policy) -> {name: numpy.ndarray over weeks}`` for every
        name of ``EXPLORER_SERIES``.
    calm_cumulative_cost : numpy.ndarray
        Cumulative cost of the world without drift (never retrained), for comparison.

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, drift_explorer_data
    >>> data = drift_explorer_data(DriftLab(n_customers=80), kinds=("prior",), sizes=("strong",), start_days=(84,))
    >>> sorted(data.series)[0]
    ('prior', 'strong', 84, 'every 4 weeks')
    """

    weeks: np.ndarray
    kinds: tuple
    sizes: tuple
    start_days: tuple
    policies: tuple
    series: dict
    calm_cumulative_cost: np.ndarray


def _explorer_series(run):
    weekly = run.weekly
    upper = run.daily["upper"].groupby(run.daily.index // 7).first()
    with np.errstate(invalid="ignore", divide="ignore"):
        estimated_share = weekly["estimated_caught"] / weekly["estimated_frauds"]
    series = {
        "psi_score": weekly["psi_score"],
        "psi_amount": weekly["psi_amount"],
        "ks_score": weekly["ks_score"],
        "ks_score_pvalue": weekly["ks_score_pvalue"],
        "alerts_per_day": weekly["alerts_per_day"],
        "alarm_days": weekly["alarm_days"],
        "upper_limit": upper,
        "estimated_precision": weekly["estimated_precision"],
        "precision": weekly["precision"],
        "estimated_share_caught": estimated_share,
        "share_caught": weekly["recall"],
        "cost": weekly["cost"],
        "cumulative_cost": weekly["cost"].cumsum(),
        "model_day": weekly["model_day"],
        "retrain": weekly["retrain"],
    }
    arrays = {name: np.asarray(values.to_numpy()) for name, values in series.items()}
    for array in arrays.values():
        array.flags.writeable = False
    return arrays


def drift_explorer_data(lab, *, kinds=KINDS, sizes=SIZES, start_days=START_DAYS, policies=POLICIES):
    """Precompute every combination of the drift explorer (a policy run per combination).

    Parameters
    ----------
    lab : DriftLab
    kinds, sizes, start_days, policies : tuple
        The values offered by each control (default: all of the module's).

    Returns
    -------
    DriftExplorerData

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, drift_explorer_data
    >>> data = drift_explorer_data(DriftLab(n_customers=80), kinds=("concept",), sizes=("strong",), start_days=(84,))
    >>> data.series["concept", "strong", 84, "never"]["cumulative_cost"].shape
    (10,)
    """
    for name, values, allowed in (("kinds", kinds, KINDS), ("sizes", sizes, SIZES), ("policies", policies, POLICIES)):
        unknown = [v for v in values if v not in allowed]
        if unknown or not values:
            raise ValueError(f"{name} must be a non-empty tuple of {allowed}, got {values!r}.")
    series = {
        (kind, size, start_day, policy): _explorer_series(lab.run(kind, size, start_day, policy))
        for kind in kinds
        for size in sizes
        for start_day in start_days
        for policy in policies
    }
    calm = lab.run(None, None, None, "never").weekly["cost"].cumsum().to_numpy()
    return DriftExplorerData(
        weeks=np.arange(DEPLOY_DAY // 7, N_DAYS // 7),
        kinds=tuple(kinds),
        sizes=tuple(sizes),
        start_days=tuple(start_days),
        policies=tuple(policies),
        series=series,
        calm_cumulative_cost=calm,
    )


def drift_explorer_numbers(data, kind, size, start_day, policy, week):
    """The numbers the drift explorer shows for one choice of its controls (a plain dict).

    Parameters
    ----------
    data : DriftExplorerData
    kind, size, start_day, policy
        One value of each control.
    week : int
        The week under the cursor (10 to 19).

    Returns
    -------
    dict
        week, model_day (the retrain day of the model in use), retrains (so far),
        psi_score, psi_amount, ks_score, ks_score_pvalue, alerts_per_day, alarm_days,
        estimated_precision, precision, estimated_share_caught, share_caught, cost (that
        week, EUR), then the cumulative cost to that week of each policy
        (``cumulative_cost_<policy>``) and of the world without drift.

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, drift_explorer_data, drift_explorer_numbers
    >>> data = drift_explorer_data(DriftLab(n_customers=80), kinds=("prior",), sizes=("strong",), start_days=(84,))
    >>> numbers = drift_explorer_numbers(data, "prior", "strong", 84, "never", 12)
    >>> numbers["week"], numbers["model_day"], numbers["retrains"]
    (12, 70, 0)
    """
    key = (kind, size, start_day, policy)
    if key not in data.series:
        raise ValueError(
            f"no precomputed run for kind={kind!r}, size={size!r}, start_day={start_day!r}, policy={policy!r}: "
            f"the explorer offers kinds {data.kinds}, sizes {data.sizes}, start days {data.start_days}, "
            f"policies {data.policies}."
        )
    if week not in data.weeks:
        raise ValueError(f"week must be one of the monitored weeks {data.weeks[0]} to {data.weeks[-1]}, got {week!r}.")
    i = int(week - data.weeks[0])
    s = data.series[key]
    numbers = {
        "week": int(week),
        "model_day": int(s["model_day"][i]),
        "retrains": int(s["retrain"][:i].sum()),
    }
    for name in ("psi_score", "psi_amount", "ks_score", "ks_score_pvalue", "alerts_per_day"):
        numbers[name] = float(s[name][i])
    numbers["alarm_days"] = int(s["alarm_days"][i])
    for name in ("estimated_precision", "precision", "estimated_share_caught", "share_caught", "cost"):
        numbers[name] = float(s[name][i])
    for other in data.policies:
        numbers[f"cumulative_cost_{other}"] = float(data.series[kind, size, start_day, other]["cumulative_cost"][i])
    numbers["cumulative_cost_no_drift"] = float(data.calm_cumulative_cost[i])
    return numbers

"""The money side of a fraud alert: what each decision costs, and the thresholds it implies.

Conventions, used everywhere in the course:

- every alert is reviewed by an analyst and costs ``review_cost``;
- a false alarm (a genuine transaction flagged) also costs ``friction_cost``: a blocked
  card, a call to the customer, a customer who may leave;
- a caught fraud is assumed to be **stopped**: it costs only its review;
- a missed fraud costs its amount (``fraud_loss="amount"``) or a fixed ``fraud_loss``.

The reference is "flag nothing": every fraud is lost and nothing is reviewed. The
*savings* of a threshold are the cost of flagging nothing minus its cost.

With a calibrated fraud probability ``p``, an alert on a payment of amount ``a`` is worth
raising when ``review + (1 - p) friction <= p a``, that is when
``p >= (review + friction) / (a + friction)``: :func:`expected_loss_decisions` applies
this per transaction; :func:`fraud_by_score_band` shows, band by band, what the frauds at
each score are worth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from course._validation import check_amounts, check_binary_labels, check_same_length, check_scalar, check_scores
from course.metrics.threshold_sweep import ThresholdSweep, evenly_spaced_index

__all__ = [
    "CostModel",
    "check_cost_model",
    "least_cost_threshold",
    "capacity_threshold",
    "cost_curve",
    "expected_loss_decisions",
    "fraud_by_score_band",
]


def _check_money(value, name, *, allow_none=False, strictly_positive=False):
    if value is None and allow_none:
        return None
    boundaries = "neither" if strictly_positive else "left"
    return check_scalar(value, name, float, min_val=0, include_boundaries=boundaries, finite=True)


@dataclass(frozen=True)
class CostModel:
    """What alerts, false alarms and missed frauds cost, in money.

    Parameters
    ----------
    review_cost : float, default=3.0
        Cost of reviewing one alert (analyst time), paid for every flagged transaction.
    friction_cost : float, default=5.0
        Extra cost of a false alarm (customer friction), paid for every genuine
        transaction flagged.
    fraud_loss : "amount" or float, default="amount"
        Loss caused by a missed fraud: its transaction amount (``"amount"``, which needs
        the amounts) or a fixed cost per missed fraud. A caught fraud is assumed stopped.
    capacity_per_day : float or None, default=None
        How many alerts the review team can handle per day. ``None`` means no limit.
        When set, :func:`least_cost_threshold` only considers thresholds whose alerts
        per day fit, and results report ``within_capacity``.

    The default values are illustrative, not market figures: set your own.

    Examples
    --------
    >>> from course.metrics import CostModel
    >>> model = CostModel(review_cost=2.0, friction_cost=10.0, fraud_loss=100.0)
    >>> model.expected_cost(alerts=5, false_positives=3, false_negatives=1)
    140.0
    """

    review_cost: float = 3.0
    friction_cost: float = 5.0
    fraud_loss: str | float = "amount"
    capacity_per_day: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "review_cost", _check_money(self.review_cost, "review_cost"))
        object.__setattr__(self, "friction_cost", _check_money(self.friction_cost, "friction_cost"))
        if isinstance(self.fraud_loss, str):
            if self.fraud_loss != "amount":
                raise ValueError(
                    f'fraud_loss must be "amount" (a missed fraud costs its amount) or a number, '
                    f"got {self.fraud_loss!r}."
                )
        else:
            object.__setattr__(self, "fraud_loss", _check_money(self.fraud_loss, "fraud_loss"))
        object.__setattr__(
            self,
            "capacity_per_day",
            _check_money(self.capacity_per_day, "capacity_per_day", allow_none=True, strictly_positive=True),
        )

    @property
    def uses_amounts(self) -> bool:
        """True when a missed fraud costs its own amount."""
        return self.fraud_loss == "amount"

    def expected_cost(self, *, alerts, false_positives, false_negatives, missed_fraud_amount=None):
        """Total cost of one or many operating points (numbers or arrays).

        ``review_cost * alerts + friction_cost * false_positives + missed-fraud loss``,
        where the missed-fraud loss is ``missed_fraud_amount`` (the summed amounts of the
        missed frauds) when ``fraud_loss="amount"``, else ``fraud_loss * false_negatives``.

        Examples
        --------
        >>> from course.metrics import CostModel
        >>> CostModel(review_cost=1.0, friction_cost=4.0).expected_cost(
        ...     alerts=10, false_positives=6, false_negatives=2, missed_fraud_amount=250.0)
        284.0
        """
        if self.uses_amounts:
            if missed_fraud_amount is None:
                raise ValueError(
                    'CostModel(fraud_loss="amount") needs the transaction amounts: pass amounts=... '
                    "(or use a fixed fraud_loss, e.g. CostModel(fraud_loss=150.0))."
                )
            missed = missed_fraud_amount
        else:
            missed = self.fraud_loss * false_negatives
        # plain operators: numbers stay Python numbers (fast), arrays stay arrays
        return self.review_cost * alerts + self.friction_cost * false_positives + missed


def check_cost_model(cost_model, *, default=None):
    """Return ``cost_model`` if it is a :class:`CostModel`; ``default`` when it is None and a default is given.

    The one check of a ``cost_model`` argument, shared by every function and widget that takes one.

    Parameters
    ----------
    cost_model : CostModel or None
        What the caller passed.
    default : CostModel, optional
        Returned when ``cost_model`` is None; without it, None is an error.

    Returns
    -------
    CostModel

    Raises
    ------
    TypeError
        When ``cost_model`` is anything else (a dict of costs, a number...).

    Examples
    --------
    >>> from course.metrics import CostModel, check_cost_model
    >>> check_cost_model(None, default=CostModel()).review_cost
    3.0
    >>> check_cost_model({"review_cost": 1})
    Traceback (most recent call last):
    ...
    TypeError: cost_model must be a course.metrics.CostModel, got dict.
    """
    if cost_model is None and default is not None:
        return default
    if not isinstance(cost_model, CostModel):
        raise TypeError(f"cost_model must be a course.metrics.CostModel, got {type(cost_model).__name__}.")
    return cost_model


def _check_sweep(sweep):
    if not isinstance(sweep, ThresholdSweep):
        raise TypeError(f"sweep must be a course.metrics.ThresholdSweep, got {type(sweep).__name__}.")
    return sweep


def _candidate_costs(sweep, cost_model):
    """Costs at every operating point of ``sweep``, lowest threshold first, flag-nothing last."""
    sweep, cost_model = _check_sweep(sweep), check_cost_model(cost_model)
    points = sweep._operating_points()
    costs = sweep._cost(points, cost_model)
    return points, costs


def least_cost_threshold(sweep, cost_model):
    """The threshold of least expected cost on the data of ``sweep``.

    Every distinct score is a candidate threshold (flag ``score >= threshold``), plus
    ``inf`` (flag nothing). When ``cost_model.capacity_per_day`` is set, only thresholds
    whose alerts per day fit the capacity are candidates (flagging nothing always fits).

    Ties: when several thresholds share the least cost, the **highest** one is returned
    (the same cost with the fewest alerts).

    Parameters
    ----------
    sweep : ThresholdSweep
        Labels, scores and (for ``fraud_loss="amount"``) amounts.
    cost_model : CostModel

    Returns
    -------
    threshold : float
        ``inf`` means that flagging nothing is cheapest.

    Examples
    --------
    >>> from course.metrics import ThresholdSweep, CostModel, least_cost_threshold
    >>> sweep = ThresholdSweep([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], amounts=[10, 20, 500, 80])
    >>> least_cost_threshold(sweep, CostModel(review_cost=1.0, friction_cost=5.0))
    0.35
    """
    points, costs = _candidate_costs(sweep, cost_model)
    if cost_model.capacity_per_day is not None:
        fits = sweep._within_capacity(points["alerts"], cost_model.capacity_per_day)
        costs = np.where(fits, costs, np.inf)
    best = costs.min()
    # the last index of the minimum is the highest threshold (thresholds are ascending)
    index = int(np.flatnonzero(costs == best)[-1])
    return float(points["threshold"][index])


def capacity_threshold(sweep, capacity_per_day):
    """The lowest threshold whose alerts per day fit the review capacity.

    Alerts only fall as the threshold rises, so this is the threshold that catches the most
    fraud within the capacity. Alerts per day are ``alerts / sweep.n_days`` (see
    :class:`ThresholdSweep`), so the sweep needs timestamps.

    Parameters
    ----------
    sweep : ThresholdSweep
        Built with ``timestamps``.
    capacity_per_day : float
        Alerts the team can review per day (> 0).

    Returns
    -------
    threshold : float
        A distinct score of the data, or ``inf`` when even the highest score gives more
        alerts per day than the capacity (only flagging nothing fits).

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import ThresholdSweep, capacity_threshold
    >>> days = np.array(["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02"], dtype="datetime64[s]")
    >>> sweep = ThresholdSweep([0, 1, 0, 1], [0.2, 0.9, 0.6, 0.7], timestamps=days)
    >>> capacity_threshold(sweep, 1.0)  # 2 days: at most 2 alerts
    0.7
    """
    capacity_per_day = _check_money(capacity_per_day, "capacity_per_day", strictly_positive=True)
    points = sweep._operating_points()
    fits = sweep._within_capacity(points["alerts"], capacity_per_day)
    # alerts fall as the threshold rises: the first point that fits is the lowest threshold
    return float(points["threshold"][int(np.argmax(fits))])


def cost_curve(sweep, cost_model, *, max_points=2000):
    """Expected cost against the threshold: the numbers behind :class:`course.plots.CostCurveDisplay`.

    Keys: ``thresholds`` and ``costs`` (at most ``max_points`` distinct scores, plus the
    least-cost threshold so that its marker sits on the line), ``best_threshold`` and
    ``best_cost`` (from :func:`least_cost_threshold`, on every threshold, ``inf`` = flag
    nothing), ``cost_flag_nothing``, and ``capacity_threshold`` (``None`` without a
    capacity).

    Parameters
    ----------
    sweep : course.metrics.ThresholdSweep
    cost_model : course.metrics.CostModel
    max_points : int, default=2000
        Most thresholds kept for the curve.

    Returns
    -------
    dict

    Examples
    --------
    >>> from course.metrics import ThresholdSweep, CostModel
    >>> from course.metrics import cost_curve
    >>> sweep = ThresholdSweep([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], amounts=[10, 20, 500, 80])
    >>> data = cost_curve(sweep, CostModel(review_cost=1.0, friction_cost=5.0))
    >>> data["best_threshold"], data["best_cost"], data["cost_flag_nothing"]
    (0.35, 8.0, 580.0)
    """
    _check_sweep(sweep)
    check_cost_model(cost_model)
    best = least_cost_threshold(sweep, cost_model)
    drawn = sweep.thresholds[evenly_spaced_index(sweep.thresholds.size, max_points)]
    if np.isfinite(best):
        drawn = np.union1d(drawn, [best])
    costs = sweep.at(drawn, cost_model=cost_model)["expected_cost"].to_numpy()
    capacity = None
    if cost_model.capacity_per_day is not None:
        capacity = capacity_threshold(sweep, cost_model.capacity_per_day)
    return {
        "thresholds": drawn,
        "costs": costs,
        "best_threshold": best,
        "best_cost": sweep.at(best, cost_model=cost_model, zero_division=0.0).expected_cost,
        "cost_flag_nothing": sweep.cost_flag_nothing(cost_model),
        "capacity_threshold": capacity,
    }


def expected_loss_decisions(y_prob, *, amounts=None, cost_model=None):
    """Flag each transaction whose expected loss if let through exceeds the cost of an alert.

    With a calibrated fraud probability ``p``, an alert costs ``review + (1 - p) * friction``
    (every alert is reviewed; a genuine one also costs friction) and letting the payment
    through costs ``p * loss`` (its amount, or the fixed ``fraud_loss``). Flag when the alert
    is not dearer::

        review + (1 - p) friction <= p loss   <=>   p (loss + friction) >= review + friction

    Each transaction gets its own break-even probability, ``(review + friction) / (loss +
    friction)``: a large payment is flagged at a lower probability than a small one. One
    threshold for every payment is the special case where all amounts are equal. The rule
    is only as good as the probabilities: with a rebalanced or stale model, ``p`` is not a
    probability of fraud and the rule flags the wrong payments (modules 01 and 06). The
    team's capacity is not taken into account.

    Parameters
    ----------
    y_prob : array-like of shape (n,)
        Fraud probabilities, in [0, 1].
    amounts : array-like of shape (n,), default=None
        Transaction amounts; needed when ``cost_model.fraud_loss == "amount"``.
    cost_model : CostModel, default=None
        ``None`` means ``CostModel()`` (review 3, friction 5, a missed fraud costs its amount).

    Returns
    -------
    numpy.ndarray of bool, shape (n,)
        True for the transactions to flag.

    Examples
    --------
    >>> from course.metrics import CostModel, expected_loss_decisions
    >>> # break-even: (3 + 5) / (amount + 5) -> 0.0615 for 125, 0.5333 for 10
    >>> expected_loss_decisions([0.07, 0.07, 0.6], amounts=[125.0, 10.0, 10.0], cost_model=CostModel())
    array([ True, False,  True])
    """
    from course.metrics.calibration import check_probabilities

    cost_model = check_cost_model(cost_model, default=CostModel())
    probabilities = check_probabilities(y_prob)
    if cost_model.uses_amounts:
        if amounts is None:
            raise ValueError(
                'CostModel(fraud_loss="amount") needs the transaction amounts: pass amounts=... '
                "(or use a fixed fraud_loss, e.g. CostModel(fraud_loss=150.0))."
            )
        loss = check_amounts(amounts)
        check_same_length(y_prob=probabilities, amounts=loss)
    else:
        loss = cost_model.fraud_loss
    friction = cost_model.friction_cost
    return probabilities * (loss + friction) >= cost_model.review_cost + friction


def fraud_by_score_band(y_true, y_score, *, bands, amounts=None):
    """Transactions grouped by score band: how many, how often fraud, and what the frauds are worth.

    Read next to the scores, it answers two questions. Are the scores probabilities
    (``mean_score`` against ``fraud_rate`` in each band; module 06 does this properly, with
    intervals)? And, with amounts, what does a transaction of the band put at risk
    (``fraud_amount_per_transaction``): the number to weigh against the cost of an alert.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    y_score : array-like of shape (n,)
        Scores (fraud probabilities).
    bands : array-like of float
        Increasing band edges; a transaction belongs to ``[edge_i, edge_i+1)``, the last band
        includes its upper edge. Transactions outside ``[bands[0], bands[-1]]`` are an error.
    amounts : array-like of shape (n,), default=None
        Adds ``mean_fraud_amount`` (NaN for a band without fraud) and
        ``fraud_amount_per_transaction`` (the band's fraud amount over its transactions).

    Returns
    -------
    pandas.DataFrame
        One row per band (index: the band as text, e.g. ``"[0.05, 0.1)"``), columns
        ``transactions``, ``frauds``, ``mean_score``, ``fraud_rate``, and with amounts the two
        money columns. Empty bands are kept, with NaN rates.

    Examples
    --------
    >>> from course.metrics import fraud_by_score_band
    >>> table = fraud_by_score_band([0, 1, 0, 1], [0.02, 0.04, 0.5, 0.9], bands=[0, 0.1, 1],
    ...                             amounts=[10.0, 30.0, 20.0, 300.0])
    >>> print(table[["transactions", "fraud_rate", "mean_fraud_amount", "fraud_amount_per_transaction"]].to_string())
              transactions  fraud_rate  mean_fraud_amount  fraud_amount_per_transaction
    band
    [0, 0.1)             2         0.5               30.0                          15.0
    [0.1, 1]             2         0.5              300.0                         150.0
    """
    labels = check_binary_labels(y_true, require_both=False)
    scores = check_scores(y_score)
    check_same_length(y_true=labels, y_score=scores)
    edges = np.asarray(bands, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or not np.isfinite(edges).all() or (np.diff(edges) <= 0).any():
        raise ValueError(f"bands must be at least two increasing, finite edges, got {bands!r}.")
    if scores.min() < edges[0] or scores.max() > edges[-1]:
        raise ValueError(
            f"scores run from {scores.min():.4g} to {scores.max():.4g}, outside the bands "
            f"[{edges[0]:g}, {edges[-1]:g}]: widen the first or last edge."
        )
    band = np.clip(np.searchsorted(edges, scores, side="right") - 1, 0, edges.size - 2)
    names = [f"[{lo:g}, {hi:g})" for lo, hi in zip(edges[:-2], edges[1:-1])] + [f"[{edges[-2]:g}, {edges[-1]:g}]"]
    frame = pd.DataFrame({"band": band, "fraud": labels.astype(np.float64), "score": scores})
    money = amounts is not None
    if money:
        values = check_amounts(amounts)
        check_same_length(y_true=labels, amounts=values)
        frame["fraud_amount"] = values * labels
    grouped = frame.groupby("band")
    table = pd.DataFrame(index=pd.RangeIndex(edges.size - 1))
    table["transactions"] = grouped.size().reindex(table.index, fill_value=0).astype(np.int64)
    table["frauds"] = grouped["fraud"].sum().reindex(table.index, fill_value=0).astype(np.int64)
    table["mean_score"] = grouped["score"].mean().reindex(table.index)
    table["fraud_rate"] = table["frauds"] / table["transactions"].where(table["transactions"] > 0)
    if money:
        fraud_amount = grouped["fraud_amount"].sum().reindex(table.index, fill_value=0.0)
        table["mean_fraud_amount"] = fraud_amount / table["frauds"].where(table["frauds"] > 0)
        table["fraud_amount_per_transaction"] = fraud_amount / table["transactions"].where(table["transactions"] > 0)
    table.index = pd.Index(names, name="band")
    return table

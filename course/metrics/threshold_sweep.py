"""The threshold engine: sort the scores once, then answer any threshold in O(log n).

A transaction is flagged when ``score >= threshold`` (scikit-learn's convention), ties
included exactly. The engine keeps, for each distinct score in ascending order, how many
transactions, frauds and fraud amounts lie strictly below it; one ``np.searchsorted``
then gives the confusion matrix of any threshold.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass
from numbers import Real

import numpy as np
import pandas as pd

from course._validation import (
    check_amounts,
    check_binary_labels,
    check_same_length,
    check_scalar,
    check_scores,
    check_timestamp_days,
)

__all__ = ["ThresholdSweep", "ThresholdResult"]


@dataclass(frozen=True)
class ThresholdResult:
    """What happens at one threshold: counts, rates, alert volume and money.

    ``alerts_per_day`` is ``None`` without timestamps; ``expected_cost``, ``savings`` and
    ``cost_flag_nothing`` are ``None`` without a cost model; ``within_capacity`` is
    ``None`` unless the cost model sets ``capacity_per_day``. ``to_dict()`` gives a dict.
    Made by :meth:`ThresholdSweep.at`.

    Attributes
    ----------
    threshold : float
        Transactions with ``score >= threshold`` are flagged.
    tp, fp, fn, tn : int
        Confusion-matrix counts.
    alerts : int
        ``tp + fp``.
    precision, recall, f1, fpr : float
        Precision is ``zero_division`` when nothing is flagged.
    alerts_per_day : float or None
    expected_cost, cost_flag_nothing, savings : float or None
        Money, under the cost model; ``savings = cost_flag_nothing - expected_cost``.
    within_capacity : bool or None
        ``alerts_per_day`` at most the cost model's ``capacity_per_day``.

    Examples
    --------
    >>> from course.metrics import CostModel, ThresholdSweep
    >>> sweep = ThresholdSweep([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], amounts=[10, 20, 500, 80])
    >>> result = sweep.at(0.35, cost_model=CostModel(review_cost=1.0, friction_cost=5.0))
    >>> result.tp, result.fp, result.recall, result.savings
    (2, 1, 1.0, 572.0)
    >>> result.to_dict()["alerts_per_day"] is None
    True
    """

    threshold: float
    tp: int
    fp: int
    fn: int
    tn: int
    alerts: int
    precision: float
    recall: float
    f1: float
    fpr: float
    alerts_per_day: float | None = None
    expected_cost: float | None = None
    cost_flag_nothing: float | None = None
    savings: float | None = None
    within_capacity: bool | None = None

    def to_dict(self) -> dict:
        """The result as a plain ``dict`` (field name -> value)."""
        return asdict(self)


def _check_zero_division(zero_division):
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return zero_division
    elif (
        isinstance(zero_division, Real)
        and not isinstance(zero_division, bool)
        and (zero_division in (0.0, 1.0) or math.isnan(zero_division))
    ):
        return float(zero_division)
    raise ValueError(f'zero_division must be "warn", 0.0, 1.0 or np.nan, got {zero_division!r}.')


def _warn_undefined_precision():
    from sklearn.exceptions import UndefinedMetricWarning

    warnings.warn(
        "Precision is ill-defined when nothing is flagged (no alerts): set to 0.0. "
        "Use zero_division to choose the value and silence this warning.",
        UndefinedMetricWarning,
        stacklevel=3,
    )


def _check_thresholds(threshold):
    try:
        array = np.asarray(threshold, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.ndim > 1:
        raise ValueError(f"threshold must be a number or a 1-D array of numbers, got {str(threshold)[:80]}.")
    if np.isnan(array).any():
        raise ValueError("threshold must not be NaN.")
    return array


def _count_dtype(n):
    """int32 counts when they cannot overflow (cumsum is several times faster), else int64."""
    return np.int32 if 2 * n < np.iinfo(np.int32).max else np.int64


def evenly_spaced_index(length, max_points):
    """At most ``max_points`` indices into ``range(length)``, evenly spaced, both ends kept.

    ``max_points=None`` keeps every index. Used to draw long curves with few points.

    Examples
    --------
    >>> from course.metrics.threshold_sweep import evenly_spaced_index
    >>> evenly_spaced_index(10, 4).tolist()
    [0, 3, 6, 9]
    """
    if max_points is None:
        return np.arange(length)
    max_points = check_scalar(max_points, "max_points", int, min_val=2)
    if length <= max_points:
        return np.arange(length)
    return np.unique(np.linspace(0, length - 1, int(max_points)).round().astype(np.int64))


class ThresholdSweep:
    """Every threshold of a scored set of transactions, answered in O(log n).

    Builds in O(n log n) (one stable sort); then ``at(threshold)`` costs one
    ``np.searchsorted`` on the sorted distinct scores. A transaction is **flagged** when
    ``score >= threshold``, as in scikit-learn; tied scores are all flagged or all not.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine. Both classes must be present.
    y_score : array-like of shape (n,)
        Model scores (higher = more suspicious); finite numbers.
    amounts : array-like of shape (n,), default=None
        Non-negative transaction amounts; needed by ``CostModel(fraud_loss="amount")``.
    timestamps : array-like of datetimes of shape (n,), default=None
        Needed for alerts per day. **Alerts per day** = alerts / ``n_days``, where
        ``n_days`` is the number of calendar days from the first transaction's day to the
        last one's, both included (days without transactions count: the team works them).
        Time zone-aware timestamps use their local calendar day.

    Attributes
    ----------
    thresholds : ndarray
        The distinct scores, ascending: every threshold that gives a different result.
        Any threshold between two of them gives the result of the upper one.
    n_positives, n_negatives : int
        Frauds and genuine transactions.
    n_days : int or None
        Calendar days spanned (``None`` without timestamps).
    total_fraud_amount : float or None
        Sum of the fraud amounts (``None`` without amounts).

    Notes
    -----
    Precision when nothing is flagged (0 alerts) is undefined; it follows scikit-learn's
    ``zero_division``: ``"warn"`` (default) gives 0.0 with an ``UndefinedMetricWarning``,
    or pass ``zero_division=0.0``, ``1.0`` or ``np.nan``. Recall, FPR and F1 are always
    defined because both classes are present (F1 = 2 tp / (2 tp + fp + fn)).

    Examples
    --------
    >>> from course.metrics import ThresholdSweep
    >>> sweep = ThresholdSweep([0, 0, 1, 1, 0], [0.1, 0.5, 0.5, 0.9, 0.2])
    >>> r = sweep.at(0.5)  # the two tied 0.5 scores are both flagged
    >>> (r.tp, r.fp, r.fn, r.tn), round(r.precision, 3)
    ((2, 1, 0, 2), 0.667)
    >>> sweep.at([0.3, 0.95], zero_division=0.0)[["threshold", "alerts", "recall"]]
       threshold  alerts  recall
    0       0.30       3     1.0
    1       0.95       0     0.0
    >>> round(sweep.roc_auc(), 4), round(sweep.average_precision(), 4)
    (0.9167, 0.8333)
    """

    def __init__(self, y_true, y_score, *, amounts=None, timestamps=None):
        labels = check_binary_labels(y_true)
        scores = check_scores(y_score)
        amounts = None if amounts is None else check_amounts(amounts)
        days = None if timestamps is None else check_timestamp_days(timestamps)
        check_same_length(y_true=labels, y_score=scores, amounts=amounts, timestamps=days)
        order = np.argsort(scores, kind="stable")
        self._order = order
        self._sorted_scores = scores[order]
        self._sorted_labels = labels[order]
        self._sorted_amounts = None if amounts is None else amounts[order]
        self._days = days
        self._build()

    def _build(self):
        scores, labels = self._sorted_scores, self._sorted_labels
        n = scores.size
        starts = np.flatnonzero(np.r_[True, scores[1:] != scores[:-1]])
        self.thresholds = scores[starts]
        self.thresholds.flags.writeable = False
        # index j (0..m) = "flag every distinct score >= thresholds[j]"; j = m flags nothing
        bounds = np.append(starts, n)
        self._n_below = bounds
        self._pos_below = np.r_[0, np.cumsum(labels, dtype=_count_dtype(n))][bounds]
        self.n_positives = int(self._pos_below[-1])
        self.n_negatives = int(n - self.n_positives)
        self._n = int(n)
        if self._sorted_amounts is None:
            self._fraud_amount_below = None
            self.total_fraud_amount = None
        else:
            fraud_amounts = np.where(labels == 1, self._sorted_amounts, 0.0)
            self._fraud_amount_below = np.r_[0.0, np.cumsum(fraud_amounts)][bounds]
            self.total_fraud_amount = float(self._fraud_amount_below[-1])
        self.n_days = None if self._days is None else int(self._days.max() - self._days.min() + 1)
        self._points = None

    # -- construction helpers -------------------------------------------------------------

    def subset(self, mask):
        """The sweep of the transactions where ``mask`` is true, without sorting again (O(n)).

        ``mask`` is a boolean array in the original order of the transactions. ``n_days``
        is recomputed from the kept timestamps. Used e.g. to compare prevalences.

        Examples
        --------
        >>> import numpy as np
        >>> from course.metrics import ThresholdSweep
        >>> sweep = ThresholdSweep([0, 1, 0, 1], [0.1, 0.9, 0.3, 0.4])
        >>> sweep.subset(np.array([True, True, True, False])).n_positives
        1
        """
        mask = np.asarray(mask)
        if mask.dtype != bool or mask.shape != (self._n,):
            raise ValueError(f"mask must be a boolean array of shape ({self._n},), got {mask.dtype} {mask.shape}.")
        keep = mask[self._order]
        child = object.__new__(type(self))
        # the kept transactions keep their relative order: child index = rank among the kept
        child._order = (np.cumsum(mask, dtype=_count_dtype(self._n)) - 1)[self._order[keep]]
        child._sorted_scores = self._sorted_scores[keep]
        child._sorted_labels = self._sorted_labels[keep]
        frauds = int(child._sorted_labels.sum())
        if frauds == 0 or frauds == child._sorted_labels.size:
            raise ValueError(
                f"The subset holds {frauds} fraud(s) among {child._sorted_labels.size} transactions: "
                "it needs both frauds and genuine transactions."
            )
        child._sorted_amounts = None if self._sorted_amounts is None else self._sorted_amounts[keep]
        child._days = None if self._days is None else self._days[mask]
        child._build()
        return child

    # -- vectorized core ----------------------------------------------------------------

    def _index(self, thresholds):
        """Index j of the operating point of each threshold (number of distinct scores below it)."""
        return np.searchsorted(self.thresholds, thresholds, side="left")

    def _counts(self, index):
        """Confusion counts (arrays) at operating point indices ``index``."""
        fn = self._pos_below[index]
        alerts = self._n - self._n_below[index]
        tp = self.n_positives - fn
        fp = alerts - tp
        tn = self.n_negatives - fp
        counts = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "alerts": alerts}
        if self._fraud_amount_below is not None:
            counts["missed_fraud_amount"] = self._fraud_amount_below[index]
        return counts

    def _operating_points(self):
        """Counts at every operating point (index 0..m), thresholds ascending, inf last. Cached."""
        if self._points is None:
            points = self._counts(np.arange(self.thresholds.size + 1))
            points["threshold"] = np.append(self.thresholds, np.inf)
            self._points = points
        return self._points

    def _cost(self, counts, cost_model):
        return cost_model.expected_cost(
            alerts=counts["alerts"],
            false_positives=counts["fp"],
            false_negatives=counts["fn"],
            missed_fraud_amount=counts.get("missed_fraud_amount"),
        )

    def cost_flag_nothing(self, cost_model):
        """Cost of flagging nothing: every fraud is lost (the reference for savings).

        Examples
        --------
        >>> from course.metrics import ThresholdSweep, CostModel
        >>> ThresholdSweep([0, 1, 1], [0.2, 0.6, 0.9], amounts=[50, 100, 400]).cost_flag_nothing(CostModel())
        500.0
        """
        return float(
            cost_model.expected_cost(
                alerts=0,
                false_positives=0,
                false_negatives=self.n_positives,
                missed_fraud_amount=self.total_fraud_amount,
            )
        )

    def _require_days(self, what):
        if self.n_days is None:
            raise ValueError(f"{what} needs timestamps: build ThresholdSweep(..., timestamps=...).")

    def _within_capacity(self, alerts, capacity_per_day):
        self._require_days("A review capacity per day")
        return alerts / self.n_days <= capacity_per_day

    def _rates(self, counts, zero_division):
        tp, fp, fn, alerts = counts["tp"], counts["fp"], counts["fn"], counts["alerts"]
        empty = alerts == 0
        if np.any(empty) and zero_division == "warn":
            _warn_undefined_precision()
        fill = 0.0 if zero_division == "warn" else zero_division
        precision = np.where(empty, fill, tp / np.maximum(alerts, 1))
        return {
            "precision": precision,
            "recall": tp / self.n_positives,
            "f1": 2 * tp / (2 * tp + fp + fn),
            "fpr": fp / self.n_negatives,
        }

    # -- public queries -----------------------------------------------------------------

    def at(self, threshold, *, cost_model=None, zero_division="warn"):
        """The result of flagging ``score >= threshold``.

        Parameters
        ----------
        threshold : float or array-like of float
            One threshold, or many (vectorized).
        cost_model : CostModel, default=None
            Adds ``expected_cost``, ``cost_flag_nothing`` and ``savings`` (= cost of
            flagging nothing - expected cost), and ``within_capacity`` when the model has
            a ``capacity_per_day``.
        zero_division : "warn", 0.0, 1.0 or np.nan, default="warn"
            Precision when nothing is flagged, as in scikit-learn.

        Returns
        -------
        ThresholdResult for one threshold, or a ``pandas.DataFrame`` with one row per
        threshold and the same fields as columns (the columns that would be ``None`` are
        left out).

        Examples
        --------
        >>> from course.metrics import ThresholdSweep, CostModel
        >>> sweep = ThresholdSweep([0, 1, 1], [0.2, 0.6, 0.9], amounts=[50, 100, 400])
        >>> r = sweep.at(0.7, cost_model=CostModel(review_cost=1.0, friction_cost=2.0))
        >>> r.alerts, r.expected_cost, r.savings  # one alert; the 100 fraud is missed
        (1, 101.0, 399.0)
        """
        zero_division = _check_zero_division(zero_division)
        if cost_model is not None:
            from course.metrics.costs import check_cost_model  # costs imports this module

            cost_model = check_cost_model(cost_model)
        if type(threshold) is float and not math.isnan(threshold):  # fast path for sliders
            return self._at_scalar(threshold, cost_model, zero_division)
        thresholds = _check_thresholds(threshold)
        if thresholds.ndim == 0:
            return self._at_scalar(float(thresholds), cost_model, zero_division)
        counts = self._counts(self._index(thresholds))
        columns = {"threshold": thresholds}
        columns.update((k, counts[k]) for k in ("tp", "fp", "fn", "tn", "alerts"))
        columns.update(self._rates(counts, zero_division))
        if self.n_days is not None:
            columns["alerts_per_day"] = counts["alerts"] / self.n_days
        if cost_model is not None:
            cost = self._cost(counts, cost_model)
            nothing = self.cost_flag_nothing(cost_model)
            columns["expected_cost"] = np.asarray(cost, dtype=np.float64)
            columns["cost_flag_nothing"] = np.full(thresholds.size, nothing)
            columns["savings"] = nothing - columns["expected_cost"]
            if cost_model.capacity_per_day is not None:
                columns["within_capacity"] = self._within_capacity(counts["alerts"], cost_model.capacity_per_day)
        return pd.DataFrame(columns)

    def _at_scalar(self, threshold, cost_model, zero_division):
        # Plain Python arithmetic on one point: the same formulas as ``_rates`` and
        # ``CostModel.expected_cost``, without the overhead of numpy on 0-d arrays.
        j = int(self.thresholds.searchsorted(threshold, side="left"))
        fn = int(self._pos_below[j])
        alerts = self._n - int(self._n_below[j])
        tp = self.n_positives - fn
        fp = alerts - tp
        if alerts:
            precision = tp / alerts
        else:
            if zero_division == "warn":
                _warn_undefined_precision()
            precision = 0.0 if zero_division == "warn" else zero_division
        per_day = None if self.n_days is None else alerts / self.n_days
        cost = nothing = savings = within = None
        if cost_model is not None:
            missed = None if self._fraud_amount_below is None else float(self._fraud_amount_below[j])
            cost = float(
                cost_model.expected_cost(
                    alerts=alerts,
                    false_positives=fp,
                    false_negatives=fn,
                    missed_fraud_amount=missed,
                )
            )
            nothing = self.cost_flag_nothing(cost_model)
            savings = nothing - cost
            if cost_model.capacity_per_day is not None:
                within = bool(self._within_capacity(alerts, cost_model.capacity_per_day))
        return ThresholdResult(
            threshold=threshold,
            tp=tp,
            fp=fp,
            fn=fn,
            tn=self.n_negatives - fp,
            alerts=alerts,
            precision=precision,
            recall=tp / self.n_positives,
            f1=2 * tp / (2 * tp + fp + fn),
            fpr=fp / self.n_negatives,
            alerts_per_day=per_day,
            expected_cost=cost,
            cost_flag_nothing=nothing,
            savings=savings,
            within_capacity=within,
        )

    def curve(self, *, cost_model=None, max_points=None):
        """Every distinct threshold (ascending) with its results, as a DataFrame for plots.

        Parameters
        ----------
        cost_model : CostModel, default=None
            Adds the cost columns, as in :meth:`at`.
        max_points : int, default=None
            Keep at most this many rows, evenly spaced in threshold rank and always
            including the lowest and highest thresholds. ``None`` keeps every row.
            Downsampling is for drawing only: compute metrics on the full sweep.

        Returns
        -------
        pandas.DataFrame
            One row per distinct score (no "flag nothing" row: every row has alerts, so
            precision is always defined). Columns as in :meth:`at`.

        Examples
        --------
        >>> import numpy as np
        >>> from course.metrics import ThresholdSweep
        >>> rng = np.random.default_rng(0)
        >>> sweep = ThresholdSweep(rng.integers(0, 2, 10_000), rng.random(10_000))
        >>> len(sweep.curve(max_points=500))
        500
        """
        return self.at(self._curve_thresholds(max_points), cost_model=cost_model, zero_division=0.0)

    def _curve_thresholds(self, max_points):
        return self.thresholds[evenly_spaced_index(self.thresholds.size, max_points)]

    def precision_recall_curve(self, *, max_points=None):
        """``(precision, recall, thresholds)``, exactly as ``sklearn.metrics.precision_recall_curve``.

        Thresholds ascending; the last precision/recall pair is (1, 0) and has no threshold.
        ``max_points`` keeps at most that many thresholds, evenly spaced in rank (for
        drawing; see :func:`evenly_spaced_index`), computed without building the full curve.

        Examples
        --------
        >>> from course.metrics import ThresholdSweep
        >>> p, r, t = ThresholdSweep([0, 1, 1], [0.1, 0.4, 0.8]).precision_recall_curve()
        >>> p.tolist(), r.tolist(), t.tolist()
        ([0.6666666666666666, 1.0, 1.0, 1.0], [1.0, 1.0, 0.5, 0.0], [0.1, 0.4, 0.8])
        """
        index = evenly_spaced_index(self.thresholds.size, max_points)
        counts = self._counts(index)
        precision = counts["tp"] / counts["alerts"]
        recall = counts["tp"] / self.n_positives
        return np.append(precision, 1.0), np.append(recall, 0.0), self.thresholds[index]

    def roc_curve(self, *, max_points=None):
        """``(fpr, tpr, thresholds)``, as ``sklearn.metrics.roc_curve(..., drop_intermediate=False)``.

        Thresholds descending, starting at ``inf`` (flag nothing: the point (0, 0)).
        ``max_points`` keeps at most that many points, as in :meth:`precision_recall_curve`.

        Examples
        --------
        >>> from course.metrics import ThresholdSweep
        >>> fpr, tpr, t = ThresholdSweep([0, 1, 1], [0.1, 0.4, 0.8]).roc_curve()
        >>> fpr.tolist(), tpr.tolist(), t.tolist()
        ([0.0, 0.0, 0.0, 1.0], [0.0, 0.5, 1.0, 1.0], [inf, 0.8, 0.4, 0.1])
        """
        m = self.thresholds.size
        index = m - evenly_spaced_index(m + 1, max_points)  # m (flag nothing) first
        counts = self._counts(index)
        thresholds = np.append(self.thresholds, np.inf)[index]
        return counts["fp"] / self.n_negatives, counts["tp"] / self.n_positives, thresholds

    def _at_each_score(self):
        """Frauds and genuines at each distinct score, and tp / alerts at that threshold (int64)."""
        pos_below = self._pos_below.astype(np.int64)
        frauds = np.diff(pos_below)
        genuines = np.diff(self._n_below) - frauds
        tp = self.n_positives - pos_below[:-1]
        return frauds, genuines, tp, self._n - self._n_below[:-1]

    def average_precision(self):
        """Average precision, equal to ``sklearn.metrics.average_precision_score``.

        ``sum_j (R_j - R_{j+1}) P_j`` over the distinct thresholds (no interpolation):
        each distinct score holding frauds adds its share of the frauds times the
        precision of flagging from that score up.

        Examples
        --------
        >>> from course.metrics import ThresholdSweep
        >>> ThresholdSweep([0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8]).average_precision()
        1.0
        """
        frauds, _, tp, alerts = self._at_each_score()
        has = frauds > 0
        return float(np.sum(frauds[has] * (tp[has] / alerts[has])) / self.n_positives)

    def roc_auc(self):
        """Area under the ROC curve (trapezoids, ties as diagonals), equal to ``roc_auc_score``.

        Each distinct score adds a trapezoid: its genuines (width) times the mean of the
        true positive counts just above it and from it (ties drawn as a diagonal).

        Examples
        --------
        >>> from course.metrics import ThresholdSweep
        >>> ThresholdSweep([0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8]).roc_auc()
        1.0
        """
        frauds, genuines, tp, _ = self._at_each_score()
        twice_area = int(np.dot(genuines, 2 * tp - frauds))  # exact integer: (tp + tp_above) summed
        return twice_area / (2 * self.n_positives * self.n_negatives)

    @property
    def prevalence(self) -> float:
        """Share of frauds: the precision of flagging everything, and the AP of a constant score."""
        return self.n_positives / self._n

    def __len__(self):
        return self._n

    def __repr__(self):
        extras = "".join(
            [
                ", amounts" if self.total_fraud_amount is not None else "",
                f", n_days={self.n_days}" if self.n_days is not None else "",
            ]
        )
        return (
            f"ThresholdSweep(n={self._n}, frauds={self.n_positives}, "
            f"distinct thresholds={self.thresholds.size}{extras})"
        )

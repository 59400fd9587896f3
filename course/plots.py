"""Plots of the threshold engine, in scikit-learn's ``...Display`` style.

- :class:`CostCurveDisplay`: expected cost against the threshold, least-cost marker.
- :func:`precision_recall_display`, :func:`roc_display`: scikit-learn's own
  ``PrecisionRecallDisplay`` / ``RocCurveDisplay``, fed from a :class:`ThresholdSweep`
  with at most ``max_points`` points, so that a million transactions draw fast.

Every function takes ``ax=None``: ``None`` opens a new pyplot figure, as scikit-learn does;
widgets pass the axes of their own Agg figure.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import PrecisionRecallDisplay, RocCurveDisplay

from course.metrics import ThresholdSweep, cost_curve

__all__ = ["CostCurveDisplay", "precision_recall_display", "roc_display"]

DEFAULT_MAX_POINTS = 2000


def _new_axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def _check_sweep(sweep):
    if not isinstance(sweep, ThresholdSweep):
        raise TypeError(f"sweep must be a course.metrics.ThresholdSweep, got {type(sweep).__name__}.")
    return sweep


class CostCurveDisplay:
    """Expected cost against the threshold, with the least-cost threshold marked.

    Create it with :meth:`from_predictions` or :meth:`from_sweep`. A dashed line shows
    the cost of flagging nothing; with a review capacity, a dotted vertical line shows
    the lowest threshold that fits it (thresholds to its left give too many alerts).

    Parameters
    ----------
    thresholds, costs : ndarray
        The curve (see :func:`cost_curve`).
    best_threshold, best_cost : float
        Least-cost threshold (``inf`` = flag nothing) and its cost.
    cost_flag_nothing : float
    capacity_threshold : float or None, default=None

    Attributes
    ----------
    line_, best_marker_, flag_nothing_line_, capacity_line_ : matplotlib artists
        ``capacity_line_`` is at x=NaN (invisible) without a capacity; ``best_marker_`` is
        empty when flagging nothing is cheapest.
    ax_, figure_ : the matplotlib Axes and Figure.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import CostModel
    >>> from course.plots import CostCurveDisplay
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2_000) < 0.05).astype(int)
    >>> score = rng.random(2_000) + y
    >>> amount = rng.gamma(2.0, 50.0, 2_000)
    >>> display = CostCurveDisplay.from_predictions(
    ...     y, score, amounts=amount, cost_model=CostModel(review_cost=2.0, friction_cost=8.0))
    >>> bool(display.best_cost < display.cost_flag_nothing)
    True
    """

    def __init__(self, *, thresholds, costs, best_threshold, best_cost, cost_flag_nothing, capacity_threshold=None):
        self._set_fields(thresholds, costs, best_threshold, best_cost, cost_flag_nothing, capacity_threshold)

    def _set_fields(self, thresholds, costs, best_threshold, best_cost, cost_flag_nothing, capacity_threshold):
        self.thresholds = np.asarray(thresholds, dtype=np.float64)
        self.costs = np.asarray(costs, dtype=np.float64)
        self.best_threshold = float(best_threshold)
        self.best_cost = float(best_cost)
        self.cost_flag_nothing = float(cost_flag_nothing)
        self.capacity_threshold = capacity_threshold

    @classmethod
    def from_sweep(
        cls, sweep, cost_model, *, max_points=DEFAULT_MAX_POINTS, ax=None, name=None, relative=False, **kwargs
    ):
        """Plot the cost curve of a :class:`ThresholdSweep` (kwargs go to ``ax.plot``)."""
        display = cls(**cost_curve(sweep, cost_model, max_points=max_points))
        return display.plot(ax=ax, name=name, relative=relative, **kwargs)

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_score,
        *,
        cost_model,
        amounts=None,
        timestamps=None,
        max_points=DEFAULT_MAX_POINTS,
        ax=None,
        name=None,
        relative=False,
        **kwargs,
    ):
        """Plot the cost curve from labels, scores and (for amount-based losses) amounts.

        Parameters
        ----------
        y_true, y_score, amounts, timestamps : array-like
            As in :class:`course.metrics.ThresholdSweep`. ``timestamps`` are needed only
            when ``cost_model.capacity_per_day`` is set.
        cost_model : CostModel
        max_points : int, default=2000
            Points drawn (the least cost is always computed on every threshold).
        ax : matplotlib Axes, default=None
        name : str, default=None
            Legend label of the curve.
        relative : bool, default=False
            Draw cost / cost of flagging nothing (see :meth:`plot`).
        """
        sweep = ThresholdSweep(y_true, y_score, amounts=amounts, timestamps=timestamps)
        return cls.from_sweep(sweep, cost_model, max_points=max_points, ax=ax, name=name, relative=relative, **kwargs)

    def plot(self, ax=None, *, name=None, relative=False, **kwargs):
        """Draw on ``ax`` (a new figure when ``None``) and return ``self``.

        ``relative=True`` draws cost / cost of flagging nothing (1.0 = flag nothing, below
        1 the model saves money) on a fixed y-axis from 0 to 1.5: the axes then never
        change, which lets widgets move the curve without redrawing the figure.
        """
        ax = _new_axes(ax)
        self.relative_ = bool(relative)
        kwargs.setdefault("label", name or "expected cost")
        (self.line_,) = ax.plot(self.thresholds, self.costs, **kwargs)
        self.flag_nothing_line_ = ax.axhline(
            self.cost_flag_nothing, linestyle="--", color="0.5", linewidth=1, label="flag nothing"
        )
        (self.best_marker_,) = ax.plot([], [], "o", color="C3", label="least cost")
        has_capacity = self.capacity_threshold is not None
        self.capacity_line_ = ax.axvline(
            np.nan,
            linestyle=":",
            color="C2",
            linewidth=1.2,
            label="capacity limit" if has_capacity else "_capacity limit",
        )
        ax.set_xlabel("Threshold (flag score >= threshold)")
        ax.set_ylabel("Cost / cost of flagging nothing" if self.relative_ else "Expected cost")
        self.ax_, self.figure_ = ax, ax.figure
        self._update_artists()
        ax.legend(loc="best", fontsize="small")
        return self

    def set_data(self, data):
        """Show new numbers (a :func:`cost_curve` dict) by moving the existing artists.

        Widgets use this so that a figure is built once. Returns ``self``.
        """
        self._set_fields(**data)
        self._update_artists()
        return self

    def update(self, sweep, cost_model, *, max_points=DEFAULT_MAX_POINTS):
        """Recompute for a new cost model and move the existing artists (see :meth:`set_data`)."""
        return self.set_data(cost_curve(sweep, cost_model, max_points=max_points))

    def _update_artists(self):
        """Move the artists to the current numbers; y from 0 to 1.5x the cost of flagging nothing.

        Flagging many transactions can cost far more than flagging nothing: the y-axis is
        cut there so that the region of interest stays readable.
        """
        scale = 1.0
        if self.relative_:
            scale = 1.0 / self.cost_flag_nothing if self.cost_flag_nothing > 0 else np.nan
        self.line_.set_data(self.thresholds, self.costs * scale)
        self.flag_nothing_line_.set_ydata([self.cost_flag_nothing * scale] * 2)
        if np.isfinite(self.best_threshold):
            self.best_marker_.set_data([self.best_threshold], [self.best_cost * scale])
        else:
            self.best_marker_.set_data([], [])
        x = self.capacity_threshold
        x = x if x is not None and np.isfinite(x) else np.nan
        self.capacity_line_.set_xdata([x, x])
        self.ax_.relim()
        self.ax_.autoscale_view(scalex=True, scaley=False)
        top = 1.5 if self.relative_ else 1.5 * max(self.cost_flag_nothing, self.best_cost)
        self.ax_.set_ylim(0, top if top > 0 else 1.0)


def precision_recall_display(
    sweep, *, ax=None, max_points=DEFAULT_MAX_POINTS, name=None, plot_chance_level=True, **kwargs
):
    """scikit-learn's ``PrecisionRecallDisplay`` for a sweep, drawn from at most ``max_points``.

    The legend's average precision is computed on every threshold; the chance level is
    the prevalence. Extra kwargs go to ``PrecisionRecallDisplay.plot``.

    Parameters
    ----------
    sweep : course.metrics.ThresholdSweep
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    max_points : int, default=2000
        Most points of the curve drawn.
    name : str, optional
        Legend label of the curve.
    plot_chance_level : bool, default=True
        Also draw the chance line: the precision of a constant score (= prevalence).
    **kwargs
        Passed to ``PrecisionRecallDisplay.plot``.

    Returns
    -------
    sklearn.metrics.PrecisionRecallDisplay

    Examples
    --------
    >>> from course.metrics import ThresholdSweep
    >>> from course.plots import precision_recall_display
    >>> display = precision_recall_display(ThresholdSweep([0, 1, 0, 1], [0.1, 0.8, 0.3, 0.4]))
    >>> display.average_precision
    1.0
    """
    _check_sweep(sweep)
    precision, recall, _ = sweep.precision_recall_curve(max_points=max_points)
    display = PrecisionRecallDisplay(
        precision=precision,
        recall=recall,
        average_precision=sweep.average_precision(),
        prevalence_pos_label=sweep.prevalence,
        pos_label=1,
    )
    return display.plot(ax=_new_axes(ax), name=name, plot_chance_level=plot_chance_level, **kwargs)


def roc_display(sweep, *, ax=None, max_points=DEFAULT_MAX_POINTS, name=None, plot_chance_level=True, **kwargs):
    """scikit-learn's ``RocCurveDisplay`` for a sweep, drawn from at most ``max_points``.

    The legend's ROC-AUC is computed on every threshold. Extra kwargs go to
    ``RocCurveDisplay.plot``.

    Parameters
    ----------
    sweep : course.metrics.ThresholdSweep
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    max_points : int, default=2000
        Most points of the curve drawn.
    name : str, optional
        Legend label of the curve.
    plot_chance_level : bool, default=True
        Also draw the diagonal of random scores.
    **kwargs
        Passed to ``RocCurveDisplay.plot``.

    Returns
    -------
    sklearn.metrics.RocCurveDisplay

    Examples
    --------
    >>> from course.metrics import ThresholdSweep
    >>> from course.plots import roc_display
    >>> roc_display(ThresholdSweep([0, 1, 0, 1], [0.1, 0.8, 0.3, 0.4])).roc_auc
    1.0
    """
    _check_sweep(sweep)
    fpr, tpr, _ = sweep.roc_curve(max_points=max_points)
    display = RocCurveDisplay(fpr=fpr, tpr=tpr, roc_auc=sweep.roc_auc(), pos_label=1)
    return display.plot(ax=_new_axes(ax), name=name, plot_chance_level=plot_chance_level, **kwargs)

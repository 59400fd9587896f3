"""Move the alert threshold and see what it costs: counts, rates, alerts per day, money."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from course.lessons.thresholds_and_costs import threshold_numbers
from course.metrics import CostModel, ThresholdSweep, capacity_threshold, check_cost_model, cost_curve
from course.plots import CostCurveDisplay, precision_recall_display, roc_display
from course.widgets.base import Explorer, numbers_html, value_html

__all__ = ["ThresholdExplorer"]

DEFAULT_FIXED_FRAUD_LOSS = 100.0


class ThresholdExplorer(Explorer):
    """Threshold slider, cost inputs and capacity; confusion matrix, rates, alerts, money.

    A thin layer over :class:`course.metrics.ThresholdSweep`: the scores are sorted once,
    and a slider move costs one binary search plus a blit of three markers (on the
    precision-recall curve, the ROC curve and the cost-vs-threshold curve).

    Parameters
    ----------
    y_true, y_score : array-like of shape (n,)
        Labels (1 = fraud) and model scores.
    amounts : array-like of shape (n,), default=None
        Transaction amounts; without them only a fixed fraud loss is offered.
    timestamps : array-like of datetimes, default=None
        Enables alerts per day and the capacity input.
    cost_model : CostModel, default=None
        Initial costs. ``None``: ``CostModel()`` with amounts, else
        ``CostModel(fraud_loss=100.0)``.
    threshold : float, default=None
        Initial threshold; ``None``: 0.5 if the scores span it, else their midpoint.
    max_points : int, default=2000
        Points drawn per curve (all numbers use every transaction).

    Controls (attributes): ``threshold_slider`` ("Threshold"), ``review_cost``
    ("Review cost"), ``friction_cost`` ("Friction cost"), ``fraud_loss_mode``
    ("Fraud loss": ``"amount"`` or ``"fixed"``), ``fixed_fraud_loss`` ("Fixed loss"),
    ``capacity`` ("Capacity/day", 0 = no limit, disabled without timestamps), and the
    buttons ``least_cost_button`` and ``capacity_button`` that move the slider.
    The slider's top value (just above the highest score) flags nothing.

    Displayed numbers: see :func:`threshold_numbers`.

    Examples
    --------
    >>> import numpy as np
    >>> from course.widgets import ThresholdExplorer
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(5_000) < 0.02).astype(int)
    >>> explorer = ThresholdExplorer(y, rng.random(5_000) + y, amounts=rng.gamma(2.0, 40.0, 5_000))
    >>> explorer.threshold_slider.value = 0.9
    >>> explorer.displayed["alerts"] == explorer.sweep.at(0.9).alerts
    True
    """

    labels = {
        "fpr": "False positive rate",
        "f1": "F1",
        "alerts_per_day": "Alerts per day",
        "expected_cost": "Expected cost",
        "cost_flag_nothing": "Cost of flagging nothing",
        "savings": "Savings vs flagging nothing",
        "least_cost_threshold": "Least-cost threshold",
        "least_cost": "Least cost",
        "capacity_threshold": "Lowest threshold within capacity",
        "within_capacity": "Within capacity",
    }
    formats = {
        "threshold": "{:.4g}",
        "alerts_per_day": "{:,.1f}",
        "expected_cost": "{:,.0f}",
        "cost_flag_nothing": "{:,.0f}",
        "savings": "{:,.0f}",
        "least_cost": "{:,.0f}",
        "least_cost_threshold": "{:.4g}",
        "capacity_threshold": "{:.4g}",
    }

    def __init__(
        self, y_true, y_score, *, amounts=None, timestamps=None, cost_model=None, threshold=None, max_points=2000
    ):
        self.sweep = ThresholdSweep(y_true, y_score, amounts=amounts, timestamps=timestamps)
        self.max_points = max_points
        has_amounts = self.sweep.total_fraud_amount is not None
        cost_model = check_cost_model(
            cost_model, default=CostModel() if has_amounts else CostModel(fraud_loss=DEFAULT_FIXED_FRAUD_LOSS)
        )
        if cost_model.uses_amounts and not has_amounts:
            raise ValueError('cost_model uses fraud_loss="amount" but no amounts were given: pass amounts=....')
        if cost_model.capacity_per_day is not None and self.sweep.n_days is None:
            raise ValueError("cost_model has a capacity_per_day but no timestamps were given: pass timestamps=....")
        self._cost_curve_cache = (None, None)

        low, high = float(self.sweep.thresholds[0]), float(self.sweep.thresholds[-1])
        step = (high - low) / 1000 or 1e-3
        if threshold is None:
            threshold = 0.5 if low <= 0.5 <= high else (low + high) / 2
        self.threshold_slider = widgets.FloatSlider(
            value=threshold,
            min=low,
            max=high + step,
            step=step,
            description="Threshold",
            readout_format=".3f" if high - low >= 0.5 else ".4g",
            continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )
        money = dict(min=0.0, max=1e12, style={"description_width": "initial"}, layout=widgets.Layout(width="170px"))
        self.review_cost = widgets.BoundedFloatText(value=cost_model.review_cost, description="Review cost", **money)
        self.friction_cost = widgets.BoundedFloatText(
            value=cost_model.friction_cost, description="Friction cost", **money
        )
        modes = [("Its amount", "amount"), ("Fixed", "fixed")] if has_amounts else [("Fixed", "fixed")]
        self.fraud_loss_mode = widgets.ToggleButtons(
            options=modes,
            value="amount" if cost_model.uses_amounts else "fixed",
            description="Fraud loss",
            style={"button_width": "80px"},
        )
        self.fixed_fraud_loss = widgets.BoundedFloatText(
            value=DEFAULT_FIXED_FRAUD_LOSS if cost_model.uses_amounts else cost_model.fraud_loss,
            description="Fixed loss",
            disabled=cost_model.uses_amounts,
            **money,
        )
        self.capacity = widgets.BoundedFloatText(
            value=cost_model.capacity_per_day or 0.0,
            description="Capacity/day",
            disabled=self.sweep.n_days is None,
            tooltip="Alerts the team can review per day (0 = no limit). Needs timestamps.",
            **money,
        )
        self.least_cost_button = widgets.Button(description="Least-cost threshold")
        self.capacity_button = widgets.Button(description="Fit capacity", disabled=self.sweep.n_days is None)
        self.least_cost_button.on_click(lambda _: self._move_slider(self.displayed.get("least_cost_threshold")))
        self.capacity_button.on_click(lambda _: self._move_slider(self._capacity_threshold()))
        self.fraud_loss_mode.observe(self._toggle_fixed_loss, names="value")
        super().__init__(
            controls=[
                self.threshold_slider,
                self.review_cost,
                self.friction_cost,
                self.fraud_loss_mode,
                self.fixed_fraud_loss,
                self.capacity,
            ],
            figsize=(10.5, 3.2),
        )

    @property
    def cost_model(self):
        """The CostModel set by the controls (ValueError if they are invalid)."""
        capacity = self.capacity.value if self.capacity.value > 0 and self.sweep.n_days is not None else None
        fraud_loss = "amount" if self.fraud_loss_mode.value == "amount" else self.fixed_fraud_loss.value
        return CostModel(
            review_cost=self.review_cost.value,
            friction_cost=self.friction_cost.value,
            fraud_loss=fraud_loss,
            capacity_per_day=capacity,
        )

    def _cost_curve(self, cost_model):
        """Cost curve data for ``cost_model``, recomputed only when the costs change."""
        cached_model, data = self._cost_curve_cache
        if cached_model != cost_model:
            data = cost_curve(self.sweep, cost_model, max_points=self.max_points)
            self._cost_curve_cache = (cost_model, data)
        return data

    def _capacity_threshold(self):
        if self.capacity.value > 0 and self.sweep.n_days is not None:
            return capacity_threshold(self.sweep, self.capacity.value)
        return None

    def _move_slider(self, threshold):
        if threshold is None:
            return
        self.threshold_slider.value = float(min(threshold, self.threshold_slider.max))

    def _toggle_fixed_loss(self, change):
        self.fixed_fraud_loss.disabled = change["new"] == "amount"

    # -- Explorer hooks -----------------------------------------------------------------

    def _layout(self):
        row = lambda *children: widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap"))
        controls = widgets.VBox(
            [
                row(self.threshold_slider, self.least_cost_button, self.capacity_button),
                row(self.review_cost, self.friction_cost, self.capacity),
                row(self.fraud_loss_mode, self.fixed_fraud_loss),
            ]
        )
        return widgets.VBox([controls, self.image, self.numbers])

    def _build_figure(self, figure):
        ax_pr, ax_roc, ax_cost = figure.subplots(1, 3)
        small = {"fontsize": "small"}
        self.pr_display = precision_recall_display(self.sweep, ax=ax_pr, max_points=self.max_points)
        self.roc_display = roc_display(self.sweep, ax=ax_roc, max_points=self.max_points)
        cost_model = self.cost_model
        self._drawn_cost_model = cost_model
        # relative costs keep the axes fixed: a cost change only moves (blits) the curve
        self.cost_display = CostCurveDisplay(**self._cost_curve(cost_model)).plot(ax=ax_cost, relative=True)
        for ax in (ax_pr, ax_roc, ax_cost):
            ax.legend(loc="best", fontsize="x-small")
            ax.xaxis.label.set_size("small")
            ax.yaxis.label.set_size("small")
            ax.tick_params(labelsize="x-small")
        ax_pr.set_title("Precision-recall", **small)
        ax_roc.set_title("ROC", **small)
        ax_cost.set_title("Expected cost (1 = flag nothing)", **small)
        marker = {"marker": "o", "color": "k", "markersize": 6, "linestyle": "none"}  # current threshold
        self.pr_marker = self._animate(ax_pr.plot([], [], **marker)[0])
        self.roc_marker = self._animate(ax_roc.plot([], [], **marker)[0])
        for artist in (self.cost_display.line_, self.cost_display.best_marker_, self.cost_display.capacity_line_):
            self._animate(artist)
        self.cost_marker = self._animate(ax_cost.plot([], [], **marker)[0])
        self.cost_threshold_line = self._animate(ax_cost.axvline(np.nan, color="k", linewidth=0.8))

    def _compute(self):
        self._computed_cost_model = cost_model = self.cost_model  # built once per update, drawn in _draw
        return threshold_numbers(self.sweep, self.threshold_slider.value, cost_model, self._cost_curve(cost_model))

    def _draw(self, values):
        cost_model = self._computed_cost_model
        if cost_model != self._drawn_cost_model:
            self.cost_display.set_data(self._cost_curve(cost_model))
            self._drawn_cost_model = cost_model
        t = values["threshold"]
        self.pr_marker.set_data([values["recall"]], [values["precision"]])
        self.roc_marker.set_data([values["fpr"]], [values["recall"]])
        nothing = values["cost_flag_nothing"]
        self.cost_marker.set_data([t], [values["expected_cost"] / nothing if nothing > 0 else np.nan])
        self.cost_threshold_line.set_xdata([t, t])

    def _numbers_html(self, values):
        v = lambda name: value_html(name, values[name], self.formats.get(name))
        matrix = (
            '<table class="hsml-confusion">'
            "<tr><th></th><th>flagged</th><th>not flagged</th></tr>"
            f"<tr><th>fraud</th><td>TP {v('tp')}</td><td>FN {v('fn')}</td></tr>"
            f"<tr><th>genuine</th><td>FP {v('fp')}</td><td>TN {v('tn')}</td></tr></table>"
        )
        rest = {k: val for k, val in values.items() if k not in ("tp", "fp", "fn", "tn")}
        return numbers_html(rest, explorer=type(self).__name__, labels=self.labels, formats=self.formats, prefix=matrix)

"""Move the as-of date and the maturity window: what the bank knows then, against what it will know."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from course.lessons.late_labels import METRICS, late_label_numbers, late_label_positions
from course.widgets.base import Explorer, numbers_html

__all__ = ["LateLabelExplorer"]

_METRIC_LABELS = {key: label for label, key in METRICS.items()}


class LateLabelExplorer(Explorer):
    """As-of date and maturity window -> frauds known by payment day, the delay curve, a metric as of then.

    A thin layer over :func:`course.lessons.late_labels.late_label_positions`: every
    position (as-of date x maturity window) is computed once, when the explorer is built; a
    slider move is a lookup (:func:`course.lessons.late_labels.late_label_numbers`) and a
    blit of the moving artists.

    Parameters
    ----------
    df : pandas.DataFrame
        The scored payments (``timestamp``, ``is_fraud``, ``label_available_at``).
    y_score : array-like of shape (len(df),)
        The model's scores.
    threshold : float
        Flag ``score >= threshold`` (for precision and recall).
    report_curve : callable, optional
        The delay curve (days -> share of reports within that many days), e.g. a
        :class:`course.lessons.late_labels.ReportDelayCurve`; drawn in the middle panel.
    max_days_after : int, default=120
        The last as-of date, in days after the scored period.
    maturity_days : sequence of int, default=(0, 7, 14, 30, 45, 60)
        The maturity windows offered: a payment without report counts as genuine once it is
        that many days old (0 = at once).
    metric : {"average_precision", "precision", "recall"}, default="average_precision"

    Controls (attributes): ``as_of_slider`` ("As of": days after the scored period, the
    date as label), ``maturity_slider`` ("Maturity"), ``metric_buttons`` ("Metric").
    Displayed numbers: see :func:`course.lessons.late_labels.late_label_numbers`.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.widgets import LateLabelExplorer
    >>> df = simulate_transactions(300, 600, 40, seed=0)
    >>> explorer = LateLabelExplorer(df, df["amount"].to_numpy(), threshold=150.0, max_days_after=30)
    >>> explorer.as_of_slider.value = 30
    >>> explorer.displayed["known_frauds"] <= explorer.displayed["eventual_frauds"]
    True
    """

    labels = {
        "days_after": "Days after the scored period",
        "maturity_days": "Maturity window (days)",
        "known_frauds": "Frauds known on that date",
        "eventual_frauds": "Frauds known eventually",
        "share_reported": "Share of the frauds known",
        "labelled_payments": "Payments with a label",
        "payments": "Payments scored",
        "metric_as_of": "Metric as of the date",
        "metric_eventual": "Metric with the eventual labels",
        "difference": "Difference (as of - eventual)",
    }
    formats = {
        "share_reported": "{:.1%}",
        "metric_as_of": "{:.3f}",
        "metric_eventual": "{:.3f}",
        "difference": "{:+.3f}",
    }

    def __init__(
        self,
        df,
        y_score,
        *,
        threshold,
        report_curve=None,
        max_days_after=120,
        maturity_days=(0, 7, 14, 30, 45, 60),
        metric="average_precision",
    ):
        if metric not in _METRIC_LABELS:
            raise ValueError(f"metric must be one of {sorted(_METRIC_LABELS)}, got {metric!r}.")
        self.positions = late_label_positions(
            df,
            y_score,
            threshold=threshold,
            max_days_after=max_days_after,
            maturity_days=maturity_days,
            report_curve=report_curve,
        )
        self.report_curve = report_curve
        end = self.positions.period_end
        self.as_of_slider = widgets.SelectionSlider(
            options=[
                (f"{(end + np.timedelta64(int(k), 'D')).date()} (+{k} d)", int(k)) for k in self.positions.days_after
            ],
            index=0,
            description="As of",
            continuous_update=True,
            layout=widgets.Layout(width="480px"),
        )
        self.maturity_slider = widgets.SelectionSlider(
            options=[(f"{m} days", int(m)) for m in self.positions.maturity_days],
            index=0,
            description="Maturity",
            continuous_update=True,
            layout=widgets.Layout(width="320px"),
        )
        self.metric_buttons = widgets.ToggleButtons(
            options=[(label, key) for label, key in METRICS.items()],
            value=metric,
            description="Metric",
            style={"button_width": "150px"},
        )
        # (index=, not value=: ipywidgets leaves the label empty when value=0 is given at construction)
        super().__init__(controls=[self.as_of_slider, self.maturity_slider, self.metric_buttons], figsize=(11.0, 3.1))

    # -- Explorer hooks -----------------------------------------------------------------------

    def _layout(self):
        row = lambda *children: widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap"))
        return widgets.VBox(
            [row(self.as_of_slider, self.maturity_slider), row(self.metric_buttons), self.image, self.numbers]
        )

    def _build_figure(self, figure):
        positions = self.positions
        ax_days, ax_curve, ax_metric = figure.subplots(1, 3, gridspec_kw={"width_ratios": [1.25, 1.0, 1.0]})
        small = {"fontsize": "small"}
        n_days = positions.payment_days.size
        x = np.arange(n_days)
        ax_days.bar(x, positions.eventual_frauds_by_day, width=0.85, color="0.82", label="known eventually")
        self.known_bars = [
            self._animate(bar)
            for bar in ax_days.bar(
                x, positions.known_frauds_by_day[0], width=0.85, color="C3", label="known on the date"
            )
        ]
        top = max(1, int(positions.eventual_frauds_by_day.max()))
        self.immature_span = self._animate(
            ax_days.add_patch(
                Rectangle((n_days, 0), 0, top * 1.5, color="C0", alpha=0.12, linewidth=0, label="genuine not known yet")
            )
        )
        ax_days.set_xlim(-0.6, n_days - 0.4)
        ax_days.set_ylim(0, top * 1.5)  # room for the legend above the bars
        ticks = x[:: max(1, n_days // 5)]
        ax_days.set_xticks(ticks, [positions.payment_days[i].strftime("%b %d") for i in ticks])
        ax_days.set_title("Frauds by payment day", **small)
        ax_days.legend(loc="upper left", fontsize="x-small")

        ages = positions.mean_age_days
        share = positions.known_frauds_by_day.sum(axis=1) / max(1, positions.eventual_frauds_by_day.sum())
        grid = np.linspace(0.0, float(ages.max()), 200)
        if self.report_curve is not None:
            ax_curve.plot(grid, self.report_curve(grid), color="C0", label="delay curve")
        ax_curve.plot(ages, share, color="0.6", linestyle="--", label="share known (mean age)")
        self.curve_point = self._animate(ax_curve.plot([], [], "o", color="k", markersize=6)[0])
        ax_curve.set_xlim(0, float(ages.max()))
        ax_curve.set_ylim(0, 1.05)
        ax_curve.set_xlabel("days since payment", **small)
        ax_curve.set_title("Share of frauds reported", **small)
        ax_curve.legend(loc="lower right", fontsize="x-small")

        days_after = positions.days_after
        self.metric_line = self._animate(ax_metric.plot([], [], color="C3", label="as of the date")[0])
        self.eventual_line = self._animate(ax_metric.axhline(np.nan, color="0.3", linestyle=":", label="eventually"))
        self.metric_point = self._animate(ax_metric.plot([], [], "o", color="k", markersize=6)[0])
        ax_metric.set_title("The chosen metric: as of the date vs eventually", **small)
        ax_metric.set_xlim(0, max(1, int(days_after.max())))
        ax_metric.set_ylim(0, 1.02)
        ax_metric.set_xlabel("days after the scored period", **small)
        ax_metric.legend(loc="lower right", fontsize="x-small")
        for ax in (ax_days, ax_curve, ax_metric):
            ax.tick_params(labelsize="x-small")

    def _compute(self):
        return late_label_numbers(
            self.positions, self.as_of_slider.value, self.maturity_slider.value, self.metric_buttons.value
        )

    def _draw(self, values):
        positions = self.positions
        a = int(np.flatnonzero(positions.days_after == values["days_after"])[0])
        m = int(np.flatnonzero(positions.maturity_days == values["maturity_days"])[0])
        for bar, height in zip(self.known_bars, positions.known_frauds_by_day[a]):
            bar.set_height(height)
        # payment days whose payments are not all mature: day index i is mature once
        # i + 1 + maturity <= as-of (both counted in days from the first payment day)
        as_of = positions.payment_days.size + values["days_after"]
        first_immature = min(max(0, as_of - values["maturity_days"]), positions.payment_days.size)
        self.immature_span.set_x(first_immature - 0.5)
        self.immature_span.set_width(max(0.0, positions.payment_days.size - first_immature))
        self.curve_point.set_data([positions.mean_age_days[a]], [values["share_reported"]])
        metric = self.metric_buttons.value
        self.metric_line.set_data(positions.days_after, positions.values[metric][m])
        self.metric_point.set_data([values["days_after"]], [values["metric_as_of"]])
        self.eventual_line.set_ydata([values["metric_eventual"]] * 2)

    def _numbers_html(self, values):
        metric = _METRIC_LABELS[self.metric_buttons.value]
        labels = dict(
            self.labels,
            metric_as_of=f"{metric.capitalize()} as of the date",
            metric_eventual=f"{metric.capitalize()} with the eventual labels",
        )
        date = (self.positions.period_end + np.timedelta64(values["days_after"], "D")).date()
        prefix = f'<div class="hsml-date">Labels as known on {html.escape(str(date))} (midnight)</div>'
        return numbers_html(values, explorer=type(self).__name__, labels=labels, formats=self.formats, prefix=prefix)

"""Choose a drift and a retraining policy, then scrub through the weeks: monitors, estimates, money."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from course.lessons.drift import DriftExplorerData, drift_explorer_numbers
from course.widgets.base import Explorer, png_bytes

__all__ = ["DriftExplorer"]

_POLICY_STYLE = {"never": "C3", "every 4 weeks": "C0", "monitor-triggered": "C2"}


class DriftExplorer(Explorer):
    """Drift kind, size, start day and retraining policy; a week slider; every run precomputed.

    Four panels over the monitored weeks: the deployed model's monitors (PSI of the score
    and of the amount, KS statistic of the score, with the 0.1 and 0.25 rules of thumb);
    alerts per day against the control chart's daily upper limit (log scale); the alerts'
    precision and the share of fraud caught, estimated from the probabilities (known the
    day after) against their values once the labels arrive; and the cumulative cost in EUR
    of each retraining policy, with the world without drift for comparison. A dashed line
    marks the drift's start, open circles the retrains of the chosen policy, the grey
    cursor the week whose numbers are listed. Every line is drawn over fixed axes: a change
    of the drift or the policy redraws the lines from precomputed arrays, a week move only
    the cursor.

    Parameters
    ----------
    data : course.lessons.drift.DriftExplorerData
        From :func:`course.lessons.drift.drift_explorer_data`.
    kind, size, start_day, policy : optional
        Initial values (default: the first offered of each).
    week : int, optional
        Initial week (default: the first monitored week).

    Controls (attributes): ``kind`` ("Drift"), ``size`` ("Size"), ``start_day`` ("Starts on
    day"), ``policy`` ("Retraining") as toggle buttons, and ``week_slider`` ("Week").
    Displayed numbers: see :func:`course.lessons.drift.drift_explorer_numbers`.

    Examples
    --------
    >>> from course.lessons.drift import DriftLab, drift_explorer_data
    >>> from course.widgets import DriftExplorer
    >>> data = drift_explorer_data(DriftLab(n_customers=80), kinds=("prior",), sizes=("strong",), start_days=(84,))
    >>> explorer = DriftExplorer(data)
    >>> explorer.week_slider.value = 15
    >>> explorer.displayed["week"], explorer.displayed["model_day"]
    (15, 70)
    """

    labels = {
        "week": "Week",
        "model_day": "Model in use: trained for day",
        "retrains": "Retrains so far",
        "psi_score": "PSI of the score",
        "psi_amount": "PSI of the amount",
        "ks_score": "KS statistic of the score",
        "ks_score_pvalue": "KS p-value",
        "alerts_per_day": "Alerts per day",
        "alarm_days": "Days above the control limit (of 7)",
        "estimated_precision": "Precision, estimated (no labels)",
        "precision": "Precision, once labels arrive",
        "estimated_share_caught": "Share of fraud caught, estimated",
        "share_caught": "Share of fraud caught, once labels arrive",
        "cost": "Cost this week (EUR)",
        "cumulative_cost_never": "Cumulative cost, never retrain (EUR)",
        "cumulative_cost_every 4 weeks": "Cumulative cost, every 4 weeks (EUR)",
        "cumulative_cost_monitor-triggered": "Cumulative cost, monitor-triggered (EUR)",
        "cumulative_cost_no_drift": "Cumulative cost without drift (EUR)",
    }
    formats = {
        "psi_score": "{:.3f}",
        "psi_amount": "{:.3f}",
        "ks_score": "{:.3f}",
        "ks_score_pvalue": "{:.2g}",
        "alerts_per_day": "{:.1f}",
        "estimated_precision": "{:.2f}",
        "precision": "{:.2f}",
        "estimated_share_caught": "{:.2f}",
        "share_caught": "{:.2f}",
        "cost": "{:,.0f}",
        "cumulative_cost_never": "{:,.0f}",
        "cumulative_cost_every 4 weeks": "{:,.0f}",
        "cumulative_cost_monitor-triggered": "{:,.0f}",
        "cumulative_cost_no_drift": "{:,.0f}",
    }

    def __init__(self, data, *, kind=None, size=None, start_day=None, policy=None, week=None):
        if not isinstance(data, DriftExplorerData):
            raise TypeError(
                f"data must be a DriftExplorerData (course.lessons.drift.drift_explorer_data), got {type(data).__name__}."
            )
        self.data = data
        offered = {
            "kind": data.kinds,
            "size": data.sizes,
            "start_day": data.start_days,
            "policy": data.policies,
            "week": tuple(int(w) for w in data.weeks),
        }
        for name, value in (
            ("kind", kind),
            ("size", size),
            ("start_day", start_day),
            ("policy", policy),
            ("week", week),
        ):
            if value is not None and value not in offered[name]:
                raise ValueError(f"{name}={value!r} was not precomputed: the data offer {name} in {offered[name]}.")
        toggles = {"style": {"button_width": "auto"}}
        self.kind = widgets.ToggleButtons(
            options=list(data.kinds), value=kind or data.kinds[0], description="Drift", **toggles
        )
        self.size = widgets.ToggleButtons(
            options=list(data.sizes), value=size or data.sizes[0], description="Size", **toggles
        )
        self.start_day = widgets.ToggleButtons(
            options=list(data.start_days),
            value=start_day or data.start_days[0],
            description="Starts on day",
            style={"button_width": "auto", "description_width": "initial"},
        )
        self.policy = widgets.ToggleButtons(
            options=list(data.policies), value=policy or data.policies[0], description="Retraining", **toggles
        )
        weeks = data.weeks
        self.week_slider = widgets.IntSlider(
            value=int(weeks[0] if week is None else week),
            min=int(weeks[0]),
            max=int(weeks[-1]),
            step=1,
            description="Week",
            continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )
        self._drawn_key = None
        self._data_background = None
        super().__init__(
            controls=[self.kind, self.size, self.start_day, self.policy, self.week_slider], figsize=(9.2, 4.2)
        )

    def _layout(self):
        column = widgets.VBox(self.controls[:-1])
        return widgets.VBox([column, self.week_slider, self.image, self.numbers])

    # -- Explorer hooks -----------------------------------------------------------------

    def _series(self):
        return self.data.series[self.kind.value, self.size.value, self.start_day.value, self.policy.value]

    def _build_figure(self, figure):
        data = self.data
        weeks = data.weeks
        (ax_monitor, ax_alerts), (ax_precision, ax_cost) = figure.subplots(2, 2, sharex=True)
        self.axes = (ax_monitor, ax_alerts, ax_precision, ax_cost)
        every = list(data.series.values())

        def top(name, margin=1.1, floor=0.0):
            return max(floor, margin * max(np.nanmax(s[name]) for s in every))

        small = {"fontsize": "small"}
        ax_monitor.set_title("Monitors against the model's reference", **small)
        ax_monitor.set_ylim(0, top("psi_score", floor=0.3))
        for level in (0.1, 0.25):
            ax_monitor.axhline(level, color="0.6", linestyle=":", linewidth=0.8)
        ax_alerts.set_title("Alerts per day (log scale)", **small)
        ax_alerts.set_yscale("log")
        ax_alerts.set_ylim(0.5, top("alerts_per_day", margin=1.5, floor=10))
        ax_precision.set_title("Alerts' precision and share of fraud caught", **small)
        ax_precision.set_ylim(0, 1.05)
        ax_cost.set_title("Cumulative cost (EUR)", **small)
        ax_cost.set_ylim(0, max(top("cumulative_cost"), 1.1 * float(np.max(data.calm_cumulative_cost))))
        for ax in self.axes:
            ax.set_xlim(weeks[0] - 0.5, weeks[-1] + 0.5)
            ax.tick_params(labelsize="x-small")
        ax_precision.set_xlabel("week", fontsize="small")
        ax_cost.set_xlabel("week", fontsize="small")

        nan = np.full(weeks.size, np.nan)
        line = lambda ax, **style: self._animate(ax.plot(weeks, nan, **style)[0])
        self.psi_score_line = line(ax_monitor, color="C0", marker=".", label="PSI score")
        self.psi_amount_line = line(ax_monitor, color="C1", marker=".", label="PSI amount")
        self.ks_line = line(ax_monitor, color="C4", linestyle="--", label="KS statistic score")
        self.alerts_line = line(ax_alerts, color="C0", marker=".", label="alerts per day")
        self.upper_line = line(
            ax_alerts, color="C3", drawstyle="steps-mid", linewidth=0.8, label="control limit (daily)"
        )
        self.estimated_line = line(ax_precision, color="k", linestyle="--", label="precision, estimated")
        self.precision_line = line(ax_precision, color="k", marker=".", label="precision, labels")
        self.estimated_share_line = line(ax_precision, color="C1", linestyle="--", label="caught, estimated")
        self.share_line = line(ax_precision, color="C1", marker=".", label="caught, labels")
        # the world without drift never changes: drawn once, with the axes
        self.calm_line = ax_cost.plot(weeks, data.calm_cumulative_cost, color="0.6", linestyle=":", label="no drift")[0]
        self.cost_lines = {
            policy: line(ax_cost, color=_POLICY_STYLE.get(policy, "C5"), label=policy) for policy in data.policies
        }
        self.start_lines = [
            self._animate(ax.axvline(np.nan, color="k", linestyle="--", linewidth=1.0)) for ax in self.axes
        ]
        self.retrain_marks = self._animate(
            ax_cost.plot([], [], "o", markerfacecolor="none", markeredgecolor="k", label="retrain")[0]
        )
        self._series_artists = list(self._animated)
        # drawn last, over a cached picture of the series: a week move only redraws these
        self.cursors = [self._animate(ax.axvline(np.nan, color="0.5", linewidth=6, alpha=0.25)) for ax in self.axes]
        for ax in self.axes:
            ax.legend(loc="upper left", fontsize="xx-small", ncols=2)

    def _compute(self):
        return drift_explorer_numbers(
            self.data, self.kind.value, self.size.value, self.start_day.value, self.policy.value, self.week_slider.value
        )

    def _key(self):
        return (self.kind.value, self.size.value, self.start_day.value, self.policy.value)

    def render_png(self):
        """PNG of the figure: the series are redrawn only when the drift or the policy changed."""
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # animated artists are left out of this draw
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._data_background = None
        if self._data_background is None or self._drawn_key != self._key():
            canvas.restore_region(self._background)
            for artist in self._series_artists:
                self.figure.draw_artist(artist)
            self._data_background = canvas.copy_from_bbox(self.figure.bbox)
            self._drawn_key = self._key()
        else:
            canvas.restore_region(self._data_background)
        for artist in self.cursors:
            self.figure.draw_artist(artist)
        return png_bytes(canvas.buffer_rgba())

    def _draw(self, values):
        if self._drawn_key == self._key() and self._data_background is not None:
            for artist in self.cursors:
                artist.set_xdata([values["week"], values["week"]])
            return
        s = self._series()
        weeks = self.data.weeks
        self.psi_score_line.set_ydata(s["psi_score"])
        self.psi_amount_line.set_ydata(s["psi_amount"])
        self.ks_line.set_ydata(s["ks_score"])
        self.alerts_line.set_ydata(np.maximum(s["alerts_per_day"], 0.5))
        self.upper_line.set_ydata(s["upper_limit"])
        self.estimated_line.set_ydata(s["estimated_precision"])
        self.precision_line.set_ydata(s["precision"])
        self.estimated_share_line.set_ydata(s["estimated_share_caught"])
        self.share_line.set_ydata(s["share_caught"])
        for policy, artist in self.cost_lines.items():
            artist.set_ydata(
                self.data.series[self.kind.value, self.size.value, self.start_day.value, policy]["cumulative_cost"]
            )
            artist.set_linewidth(2.4 if policy == self.policy.value else 1.0)
        retrained = np.flatnonzero(s["retrain"])
        self.retrain_marks.set_data(weeks[retrained] + 0.5, s["cumulative_cost"][retrained])
        start_week = self.start_day.value / 7 - 0.5  # the boundary before the drift's first day
        for artist in self.start_lines:
            artist.set_xdata([start_week, start_week])
        for artist in self.cursors:
            artist.set_xdata([values["week"], values["week"]])

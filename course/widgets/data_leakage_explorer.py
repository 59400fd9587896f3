"""Switch a leak on and off: validation against launch, and the optimism of every leak at once."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from course.lessons.data_leakage import LEAKS, leak_table
from course.widgets.base import Explorer, value_html

__all__ = ["LeakageExplorer"]

_VERSIONS = (("Leaky", "leaky"), ("Fixed", "fixed"))
_COLORS = {"leaky": "C3", "fixed": "C0"}


class LeakageExplorer(Explorer):
    """One slider over the leaks, one toggle between the leak and its fix.

    For the chosen leak and version it shows the protocol's validation score, the launch
    score of the model it produced, their gap (the optimism), each with its 95% day-level
    interval, for average precision and ROC-AUC; and, whatever the version, the fixed model
    minus the leaky one on the same launch days. The left panel keeps every leak's AP
    optimism in view (leaky and fixed bars with their intervals). Every number is computed
    when the explorer is built (:func:`course.lessons.data_leakage.leak_table`): a move only
    looks up and blits.

    Parameters
    ----------
    results : dict of str -> ProtocolResult
        The protocols evaluated by :meth:`course.lessons.data_leakage.LeakageStudy.evaluate`,
        holding every protocol the leaks name.
    leaks : dict of str -> Leak, optional
        The slider's positions, in order; defaults to
        :data:`course.lessons.data_leakage.LEAKS`.

    Attributes
    ----------
    leak_slider : ipywidgets.SelectionSlider
        "Leak": the leak's key as value, its label on screen.
    version : ipywidgets.ToggleButtons
        "Version": ``"leaky"`` or ``"fixed"``.
    table : dict
        ``{(leak, version): numbers}`` (see :func:`course.lessons.data_leakage.leak_numbers`).

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
    >>> from course.lessons.data_leakage import Leak, LeakageStudy, post_outcome_inputs
    >>> from course.models import make_fraud_model
    >>> from course.widgets import LeakageExplorer
    >>> df = simulate_transactions(300, 600, 90, seed=1)
    >>> study = LeakageStudy(df, train_days=35, gap_days=7, validation_days=21)
    >>> X = build_features(df)[FEATURE_COLUMNS]
    >>> results = {
    ...     "honest": study.evaluate(make_fraud_model("logreg"), X),
    ...     "post_outcome": study.evaluate(make_fraud_model("logreg"), X.join(post_outcome_inputs(df)),
    ...                                    X_launch=X.join(post_outcome_inputs(df, at_payment=True))),
    ... }
    >>> leaks = {"none": Leak("none", "", "honest", "honest"),
    ...          "post_outcome": Leak("post-outcome columns", "availability", "post_outcome", "honest")}
    >>> explorer = LeakageExplorer(results, leaks=leaks)
    >>> explorer.leak_slider.value = "post_outcome"
    >>> explorer.displayed["optimism_ap"] > 0.2
    True
    """

    labels = {"ap": "Average precision", "roc_auc": "ROC-AUC"}

    def __init__(self, results, *, leaks=None):
        self.leaks = dict(LEAKS if leaks is None else leaks)
        self.table = leak_table(results, leaks=self.leaks)
        self.keys = list(self.leaks)
        self.leak_slider = widgets.SelectionSlider(
            options=[(leak.label, key) for key, leak in self.leaks.items()],
            value=self.keys[0],
            description="Leak",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="520px"),
        )
        self.version = widgets.ToggleButtons(
            options=list(_VERSIONS), value="leaky", description="Version", style={"button_width": "70px"}
        )
        super().__init__(controls=[self.leak_slider, self.version], figsize=(10.5, 3.4))

    def _layout(self):
        """The slider, then the version toggle (the slider's long readout needs the room), figure, numbers."""
        return widgets.VBox([self.leak_slider, self.version, self.image, self.numbers])

    def _series(self, name, version):
        return np.array([self.table[key, version][name] for key in self.keys])

    def _build_figure(self, figure):
        ax_bars, ax_ap, ax_auc = figure.subplots(1, 3, gridspec_kw={"width_ratios": [1.6, 1, 1]})
        positions = np.arange(len(self.keys))[::-1]  # first leak on top
        for offset, (label, version) in zip((0.18, -0.18), _VERSIONS):
            estimate = self._series("optimism_ap", version)
            errors = [
                estimate - self._series("optimism_ap_low", version),
                self._series("optimism_ap_high", version) - estimate,
            ]
            ax_bars.barh(
                positions + offset,
                estimate,
                height=0.34,
                color=_COLORS[version],
                alpha=0.75,
                xerr=errors,
                error_kw={"elinewidth": 0.8, "capsize": 2},
                label=label,
            )
        ax_bars.axvline(0, color="k", linewidth=0.8)
        ax_bars.set_yticks(positions, [leak.label for leak in self.leaks.values()], fontsize="x-small")
        ax_bars.set_xlabel("optimism of AP (validation - launch)", fontsize="small")
        ax_bars.set_title("Every leak: AP optimism, 95% intervals", fontsize="small")
        ax_bars.legend(fontsize="x-small", loc="lower right")
        self._positions = dict(zip(self.keys, positions))
        self.highlight = self._animate(
            ax_bars.plot([], [], "s", markersize=11, markerfacecolor="none", markeredgecolor="k", markeredgewidth=1.5)[
                0
            ]
        )
        self.windows = {}
        for ax, short, title in ((ax_ap, "ap", "Average precision"), (ax_auc, "roc_auc", "ROC-AUC")):
            lows = np.concatenate(
                [self._series(f"{p}_{short}_low", v) for p in ("validation", "launch") for _, v in _VERSIONS]
            )
            bottom = 0.0 if short == "ap" else max(0.0, np.floor(np.nanmin(lows) * 20) / 20)
            ax.set_xlim(-0.5, 1.5)
            ax.set_ylim(bottom, 1.0)
            ax.set_xticks([0, 1], ["validation", "launch"], fontsize="small")
            ax.set_title(title, fontsize="small")
            line = self._animate(ax.plot([], [], "o-", markersize=6, linewidth=1.5)[0])
            whiskers = self._animate(ax.plot([], [], "-", linewidth=3, alpha=0.45)[0])
            self.windows[short] = (line, whiskers)
        for ax in (ax_bars, ax_ap, ax_auc):
            ax.tick_params(labelsize="x-small")

    def _compute(self):
        return dict(self.table[self.leak_slider.value, self.version.value])

    def _draw(self, values):
        version = self.version.value
        offset = 0.18 if version == "leaky" else -0.18
        self.highlight.set_data([values["optimism_ap"]], [self._positions[self.leak_slider.value] + offset])
        for short, (line, whiskers) in self.windows.items():
            line.set_data([0, 1], [values[f"validation_{short}"], values[f"launch_{short}"]])
            line.set_color(_COLORS[version])
            whiskers.set_data(
                [0, 0, np.nan, 1, 1],
                [
                    values[f"validation_{short}_low"],
                    values[f"validation_{short}_high"],
                    np.nan,
                    values[f"launch_{short}_low"],
                    values[f"launch_{short}_high"],
                ],
            )
            whiskers.set_color(_COLORS[version])

    def _numbers_html(self, values):
        def cell(name):
            return (
                f"{value_html(name, values[name])} [{value_html(name + '_low', values[name + '_low'])}, "
                f"{value_html(name + '_high', values[name + '_high'])}]"
            )

        rows = (("validation", "Validation"), ("launch", "Launch"), ("optimism", "Optimism (validation - launch)"))
        body = "".join(
            f"<tr><th style='text-align:left'>{label}</th><td>{cell(f'{part}_ap')}</td>"
            f"<td>{cell(f'{part}_roc_auc')}</td></tr>"
            for part, label in rows
        )
        body += (
            "<tr><th style='text-align:left'>Launch: fixed - leaky (same days)</th>"
            f"<td>{cell('launch_ap_fixed_minus_leaky')}</td><td>{cell('launch_roc_auc_fixed_minus_leaky')}</td></tr>"
        )
        leak = self.leaks[self.leak_slider.value]
        caption = html.escape(f"{leak.label} ({self.version.value})" + (f", a {leak.kind} leak" if leak.kind else ""))
        return (
            f'<div class="hsml-numbers" data-explorer="{type(self).__name__}">'
            f"<div>{caption}: estimate [95% interval]</div>"
            "<table class='hsml-leakage'><tr><th></th><th>Average precision</th><th>ROC-AUC</th></tr>"
            f"{body}</table></div>"
        )

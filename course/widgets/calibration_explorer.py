"""Choose a model, a calibration and the bins: reliability diagram, ECE, Brier and money, next to the raw model."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.ticker import FuncFormatter

from course.lessons.calibration import METHOD_LABELS, MODEL_LABELS, calibration_views
from course.widgets.base import Explorer, value_html

__all__ = ["CalibrationExplorer"]

_FLOOR = 1e-5  # bins without a fraud are drawn at this rate on the log axis
_LOG_FLOOR = np.log10(_FLOOR)


def _log10(values, floor=_FLOOR):
    """Positions on the diagram: log10 of probabilities, drawn on linear axes (affine: fast to redraw)."""
    return np.log10(np.clip(np.asarray(values, dtype=np.float64), floor, 1.0))


_ROWS = (
    ("ece", "Expected calibration error"),
    ("brier", "Brier score"),
    ("log_loss", "Log loss"),
    ("mean_predicted", "Mean probability"),
    ("bins_off", "Bins off their 95% interval"),
    ("alerts_per_day", "Alerts per day (expected-loss rule)"),
    ("cost", "Cost of the rule, launch weeks (EUR)"),
)


class CalibrationExplorer(Explorer):
    """Model, calibration method, bins and undersampling rate: is the model calibrated, and what is it worth?

    Left: the reliability diagram (mean probability against the observed fraud rate of each
    bin, log axes, with the 95% Wilson interval of each bin's rate) of the chosen
    probabilities and of the same model uncalibrated. Right: the cost of the expected-loss
    rule (:func:`course.metrics.expected_loss_decisions`) on the launch weeks with each,
    relative to flagging nothing. Every choice is computed once by
    :func:`course.lessons.calibration.calibration_views` when the explorer is built; a
    control change only looks it up and redraws.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Labels of the transactions judged on (the launch weeks).
    probabilities : dict of (str, float, str) -> array-like of shape (n,)
        From :func:`course.lessons.calibration.explorer_probabilities`: keys
        ``(model, beta, method)``, with a ``"none"`` entry for every ``(model, beta)``.
    amounts : array-like of shape (n,)
    n_days : int
        Days covered, for alerts per day.
    cost_model : CostModel, default=None
        ``None``: review 3, friction 5, a missed fraud costs its amount.
    bins : sequence of int, default=(5, 10, 20, 40)
        The positions of the "Bins" slider.
    model, beta, method : optional
        The first view; default: the first model, its largest ``beta``, ``"none"``.
    n_bins : int, default=10
    strategy : {"quantile", "uniform"}, default="quantile"

    Controls (attributes): ``model_dropdown`` ("Model"), ``beta_slider`` ("Genuines kept
    (β)", the undersampling rate; enabled for the undersampled model only),
    ``method_buttons`` ("Calibration"), ``bins_slider`` ("Bins") and ``strategy_buttons``
    ("Binning"). Displayed numbers: :func:`course.lessons.calibration.calibration_view`.

    Examples
    --------
    >>> import numpy as np
    >>> from course.widgets import CalibrationExplorer
    >>> rng = np.random.default_rng(0)
    >>> p = rng.beta(0.5, 40, 3_000); y = (rng.random(3_000) < p).astype(int)
    >>> probabilities = {("logreg", 1.0, "none"): np.clip(5 * p, 0, 1), ("logreg", 1.0, "sigmoid"): p}
    >>> explorer = CalibrationExplorer(y, probabilities, amounts=rng.gamma(2, 50, 3_000), n_days=10)
    >>> explorer.method_buttons.value = "sigmoid"
    >>> explorer.displayed["ece"] < explorer.displayed["ece_uncalibrated"]
    True
    """

    formats = {
        "ece": "{:.5f}",
        "ece_uncalibrated": "{:.5f}",
        "brier": "{:.5f}",
        "brier_uncalibrated": "{:.5f}",
        "log_loss": "{:.4f}",
        "log_loss_uncalibrated": "{:.4f}",
        "mean_predicted": "{:.3%}",
        "mean_predicted_uncalibrated": "{:.3%}",
        "fraud_rate": "{:.3%}",
        "alerts_per_day": "{:,.1f}",
        "alerts_per_day_uncalibrated": "{:,.1f}",
        "cost": "{:,.0f}",
        "cost_uncalibrated": "{:,.0f}",
        "cost_flag_nothing": "{:,.0f}",
        "cost_saved": "{:,.0f}",
    }

    def __init__(
        self,
        y_true,
        probabilities,
        *,
        amounts,
        n_days,
        cost_model=None,
        bins=(5, 10, 20, 40),
        model=None,
        beta=None,
        method="none",
        n_bins=10,
        strategy="quantile",
    ):
        bins = sorted({int(b) for b in bins})
        self.views = calibration_views(
            y_true,
            probabilities,
            amounts=amounts,
            n_days=n_days,
            cost_model=cost_model,
            bins=bins,
            strategies=("quantile", "uniform"),
        )
        keys = list(dict.fromkeys(key[:3] for key in self.views))
        self.models = list(dict.fromkeys(key[0] for key in keys))
        self.betas = {m: sorted({key[1] for key in keys if key[0] == m}, reverse=True) for m in self.models}
        self.methods = {key[:2]: [k[2] for k in keys if k[:2] == key[:2]] for key in keys}
        model = self.models[0] if model is None else model
        if model not in self.models:
            raise ValueError(f"model must be one of {self.models}, got {model!r}.")
        beta = self.betas[model][0] if beta is None else float(beta)
        if beta not in self.betas[model]:
            raise ValueError(f"beta must be one of {self.betas[model]} for {model!r}, got {beta!r}.")
        if method not in self.methods[(model, beta)]:
            raise ValueError(f"method must be one of {self.methods[(model, beta)]}, got {method!r}.")
        if n_bins not in bins:
            raise ValueError(f"n_bins must be one of {bins}, got {n_bins!r}.")
        if strategy not in ("quantile", "uniform"):
            raise ValueError(f'strategy must be "quantile" or "uniform", got {strategy!r}.')
        # the undersampling slider lists the shares of the model that has several
        shares = max(self.betas.values(), key=len)
        self.model_dropdown = widgets.Dropdown(
            options=[(MODEL_LABELS.get(m, m), m) for m in self.models],
            value=model,
            description="Model",
            layout=widgets.Layout(width="360px"),
        )
        self.beta_slider = widgets.SelectionSlider(
            options=[(f"{b:.0%}" if b >= 0.01 else f"{b:.1%}", b) for b in shares],
            value=beta if beta in shares else shares[0],
            description="Genuines kept (β)",
            disabled=len(self.betas[model]) < 2,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="360px"),
        )
        all_methods = list(dict.fromkeys(m for methods in self.methods.values() for m in methods))
        self.method_buttons = widgets.ToggleButtons(
            options=[(METHOD_LABELS.get(m, m), m) for m in all_methods],
            value=method,
            description="Calibration",
            style={"button_width": "120px"},
        )
        self.bins_slider = widgets.SelectionSlider(
            options=bins,
            value=n_bins,
            description="Bins",
            continuous_update=True,
            layout=widgets.Layout(width="300px"),
        )
        self.strategy_buttons = widgets.ToggleButtons(
            options=[("quantile", "quantile"), ("uniform", "uniform")],
            value=strategy,
            description="Binning",
            style={"button_width": "80px"},
        )
        self.model_dropdown.observe(self._model_changed, names="value")
        super().__init__(
            controls=[
                self.model_dropdown,
                self.beta_slider,
                self.method_buttons,
                self.bins_slider,
                self.strategy_buttons,
            ],
            figsize=(9.6, 3.4),
        )

    @property
    def choice(self):
        """The current ``(model, beta, method, n_bins, strategy)``: a key of :attr:`views`."""
        model = self.model_dropdown.value
        betas = self.betas[model]
        beta = self.beta_slider.value if len(betas) > 1 else betas[0]
        return (model, beta, self.method_buttons.value, self.bins_slider.value, self.strategy_buttons.value)

    def table(self, n_bins=10, strategy="quantile"):
        """Every model and calibration at one binning, as a DataFrame (one row per choice).

        Parameters
        ----------
        n_bins : int, default=10
            One of the explorer's bins.
        strategy : {"quantile", "uniform"}, default="quantile"

        Returns
        -------
        pandas.DataFrame
            Index (``model``, ``beta``, ``method``); columns: the numbers of
            :func:`course.lessons.calibration.calibration_view`.

        Examples
        --------
        >>> import numpy as np
        >>> from course.widgets import CalibrationExplorer
        >>> rng = np.random.default_rng(0)
        >>> p = rng.beta(0.5, 40, 3_000); y = (rng.random(3_000) < p).astype(int)
        >>> explorer = CalibrationExplorer(y, {("m", 1.0, "none"): p}, amounts=rng.gamma(2, 50, 3_000), n_days=10)
        >>> explorer.table().index.tolist()
        [('m', 1.0, 'none')]
        """
        rows = {key[:3]: view["numbers"] for key, view in self.views.items() if key[3:] == (n_bins, strategy)}
        if not rows:
            raise ValueError(f"no view with {n_bins!r} {strategy!r} bins: bins are {list(self.bins_slider.options)}.")
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index = pd.MultiIndex.from_tuples(table.index, names=["model", "beta", "method"])
        return table

    def _model_changed(self, change):
        self.beta_slider.disabled = len(self.betas[change["new"]]) < 2

    # -- Explorer hooks -----------------------------------------------------------------

    def _layout(self):
        row = lambda *children: widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap"))
        controls = widgets.VBox(
            [
                row(self.model_dropdown, self.beta_slider),
                row(self.method_buttons),
                row(self.bins_slider, self.strategy_buttons),
            ]
        )
        return widgets.VBox([controls, self.image, self.numbers])

    def _build_figure(self, figure):
        ax_rel, ax_cost = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        # log axes drawn as log10 values on linear axes: a log scale's non-affine transform doubles the redraw time
        ax_rel.plot(
            [_LOG_FLOOR, 0], [_LOG_FLOOR, 0], color="0.5", linestyle="--", linewidth=1, label="perfectly calibrated"
        )
        ax_rel.set(
            xlim=(_LOG_FLOOR, 0),
            ylim=(_LOG_FLOOR - 0.2, 0),
            xticks=range(int(_LOG_FLOOR), 1),
            yticks=range(int(_LOG_FLOOR), 1),
        )
        ax_rel.set_xlabel("mean predicted probability in the bin", fontsize="small")
        ax_rel.set_ylabel("observed fraud rate", fontsize="small")
        ax_rel.set_title("Reliability (launch weeks; ▼ = bin without fraud)", fontsize="small")
        styles = {"uncalibrated": ("C3", 0.45), "chosen": ("C0", 1.0)}
        self._reliability = {}
        for name, (color, alpha) in styles.items():
            bars = self._animate(LineCollection([], colors=color, alpha=alpha, linewidths=1.2))
            ax_rel.add_collection(bars)
            line = self._animate(
                ax_rel.plot(
                    [],
                    [],
                    "o-",
                    color=color,
                    alpha=alpha,
                    markersize=4,
                    label="uncalibrated" if name == "uncalibrated" else "chosen",
                )[0]
            )
            empty = self._animate(ax_rel.plot([], [], "v", color=color, alpha=alpha, markersize=5)[0])
            self._reliability[name] = (bars, line, empty)
        ax_rel.legend(fontsize="x-small", loc="upper left")
        percent = FuncFormatter(lambda exponent, _: f"{10.0**exponent:.{max(0, -round(exponent) - 2)}%}")
        for axis in (ax_rel.xaxis, ax_rel.yaxis):
            axis.set_major_formatter(percent)
        ax_rel.tick_params(labelsize="x-small")
        # costs relative to flagging nothing; the axis fits every choice, so a change only blits
        relative = [
            v["numbers"][k] / v["numbers"]["cost_flag_nothing"]
            for v in self.views.values()
            for k in ("cost", "cost_uncalibrated")
            if v["numbers"]["cost_flag_nothing"] > 0
        ]
        top = max([1.0, *relative]) * 1.15
        ax_cost.axhline(1.0, color="k", linestyle=":", linewidth=1, label="flag nothing")
        ax_cost.set(xlim=(-0.6, 1.6), ylim=(0, top), xticks=[0, 1])
        ax_cost.set_xticklabels(["uncalibrated", "chosen"], fontsize="x-small")
        ax_cost.set_ylabel("cost / cost of flagging nothing", fontsize="small")
        ax_cost.set_title("Expected-loss rule, launch weeks", fontsize="small")
        ax_cost.tick_params(labelsize="x-small")
        ax_cost.legend(fontsize="x-small", loc="upper right")
        self._bars = [self._animate(ax_cost.bar([x], [0.0], color=c, width=0.6)[0]) for x, c in ((0, "C3"), (1, "C0"))]

    def _compute(self):
        view = self.views.get(self.choice)
        if view is None:
            model, beta, method = self.choice[:3]
            raise ValueError(
                f"{METHOD_LABELS.get(method, method)} is not available for this model: "
                f"choose one of {self.methods[(model, beta)]}."
            )
        return dict(view["numbers"])

    def _draw(self, values):
        view = self.views[self.choice]
        for name, table in (("uncalibrated", view["table_uncalibrated"]), ("chosen", view["table"])):
            bars, line, empty = self._reliability[name]
            x = _log10(table["mean_predicted"].to_numpy())
            rate = table["fraud_rate"].to_numpy()
            low = _log10(table["rate_low"].to_numpy(), floor=_FLOOR / 1.6)
            high = _log10(table["rate_high"].to_numpy())
            bars.set_segments(np.stack([np.column_stack([x, low]), np.column_stack([x, high])], axis=1))
            line.set_data(x, _log10(rate))
            zero = rate == 0
            empty.set_data(x[zero], np.full(zero.sum(), _LOG_FLOOR))
        nothing = values["cost_flag_nothing"]
        for bar, cost in zip(self._bars, (values["cost_uncalibrated"], values["cost"])):
            bar.set_height(cost / nothing if nothing > 0 else 0.0)

    def _numbers_html(self, values):
        def cell(name):
            return value_html(name, values[name], self.formats.get(name))

        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(label)}</th><td>{cell(name + '_uncalibrated')}</td>"
            f"<td>{cell(name)}</td></tr>"
            for name, label in _ROWS
        )
        model, beta, method, n_bins, strategy = self.choice
        title = (
            f"{MODEL_LABELS.get(model, model)}"
            + (f", β = {beta:.0%}" if len(self.betas[model]) > 1 else "")
            + f"; {n_bins} {strategy} bins"
        )
        table = (
            f"<table class='hsml-calibration'><caption>{html.escape(title)}</caption>"
            f"<tr><th></th><th>uncalibrated</th><th>{html.escape(METHOD_LABELS.get(method, method))}</th></tr>"
            f"{rows}</table>"
        )
        summary = (
            f"<div class='hsml-list'><div class='hsml-item'>Observed fraud rate: {cell('fraud_rate')}</div>"
            f"<div class='hsml-item'>Cost of flagging nothing: EUR {cell('cost_flag_nothing')}</div>"
            f"<div class='hsml-item'>Saved by this calibration: EUR {cell('cost_saved')}</div></div>"
        )
        return (
            f'<div class="hsml-numbers" data-explorer="{type(self).__name__}" '
            f'style="display:flex;gap:2em;align-items:flex-start">{table}{summary}</div>'
        )

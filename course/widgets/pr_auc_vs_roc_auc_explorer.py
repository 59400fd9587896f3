"""Change how rare fraud is and watch ROC stay put while precision-recall collapses."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from course.lessons.pr_auc_vs_roc_auc import base_rate_numbers, prevalence_grid
from course.metrics import PrevalenceSampler, ThresholdSweep
from course.plots import precision_recall_display, roc_display
from course.widgets.base import Explorer

__all__ = ["BaseRateExplorer"]


class BaseRateExplorer(Explorer):
    """A prevalence slider: ROC and ROC-AUC barely move, precision-recall and AP fall.

    The same model scores are evaluated on nested subsamples of the data at other fraud
    prevalences (see :class:`PrevalenceSampler`). Grey curves show the full data; coloured
    curves the chosen prevalence; the dashed line of the PR panel is the precision of a
    constant score (= prevalence). The numbers give two no-skill levels of average
    precision: a constant score's (exactly the prevalence) and random scores' expected AP,
    higher when the sample holds few frauds. Every slider position is computed when the explorer is built, so a
    move only looks up and blits.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n,)
        Labels (1 = fraud) and model scores.
    seed : int or numpy.random.Generator
        Fixes the subsamples.
    prevalences : array-like of float, default=None
        Slider positions; default :func:`prevalence_grid` (about 20 log-spaced values).
    max_points : int, default=2000
        Points drawn per curve.

    Controls: ``prevalence_slider`` ("Prevalence", a ``SelectionSlider`` whose values are
    the target prevalences). Displayed numbers: see :func:`base_rate_numbers`.

    Examples
    --------
    >>> import numpy as np
    >>> from course.widgets import BaseRateExplorer
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(5_000) < 0.1).astype(int)
    >>> explorer = BaseRateExplorer(y, rng.normal(size=5_000) + 2 * y, seed=0)
    >>> explorer.prevalence_slider.value = explorer.prevalences[0]
    >>> explorer.displayed["frauds"] < explorer.sweep.n_positives
    True
    """

    labels = {
        "prevalence": "Prevalence (this sample)",
        "target_prevalence": "Target prevalence",
        "natural_prevalence": "Prevalence (full data)",
        "roc_auc": "ROC-AUC",
        "average_precision": "Average precision",
        "constant_score_average_precision": "AP of a constant score (= prevalence)",
        "random_scores_average_precision": "AP of random scores (expected)",
    }
    formats = {
        "prevalence": "{:.2%}",
        "target_prevalence": "{:.2%}",
        "natural_prevalence": "{:.2%}",
        "constant_score_average_precision": "{:.5f}",
        "random_scores_average_precision": "{:.5f}",
    }

    def __init__(self, y_true, y_score, *, seed, prevalences=None, max_points=2000):
        self.sweep = ThresholdSweep(y_true, y_score)
        self.sampler = PrevalenceSampler(y_true, seed=seed)
        self.max_points = max_points
        if prevalences is None:
            prevalences = prevalence_grid(self.sampler.n_frauds, self.sampler.n_genuines)
        prevalences = np.unique(np.asarray(prevalences, dtype=np.float64))
        if prevalences.size == 0 or not ((prevalences > 0) & (prevalences < 1)).all():
            raise ValueError("prevalences must be numbers strictly between 0 and 1.")
        self.prevalences = [float(p) for p in prevalences]
        self._results = {
            p: base_rate_numbers(self.sweep, self.sampler, p, max_points=max_points) for p in self.prevalences
        }
        natural = self.sampler.natural_prevalence
        start = min(self.prevalences, key=lambda p: abs(p - natural))
        self.prevalence_slider = widgets.SelectionSlider(
            options=[(f"{p:.2%}", p) for p in self.prevalences],
            value=start,
            description="Prevalence",
            continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )
        super().__init__(controls=[self.prevalence_slider], figsize=(7.2, 3.3))

    def _build_figure(self, figure):
        ax_roc, ax_pr = figure.subplots(1, 2)
        grey = {"color": "0.75", "linewidth": 1}
        full_roc = roc_display(self.sweep, ax=ax_roc, max_points=self.max_points, name="full data", curve_kwargs=grey)
        full_pr = precision_recall_display(
            self.sweep,
            ax=ax_pr,
            max_points=self.max_points,
            name="full data",
            plot_chance_level=False,
            curve_kwargs=grey,
        )
        for display in (full_roc, full_pr):
            display.line_.set_label("full data")
        self.roc_line = self._animate(ax_roc.plot([], [], color="C0", label="this prevalence")[0])
        self.pr_line = self._animate(ax_pr.plot([], [], color="C0", drawstyle="steps-post", label="this prevalence")[0])
        self.constant_score_line = self._animate(
            ax_pr.axhline(np.nan, color="k", linestyle="--", linewidth=1, label="constant score (= prevalence)")
        )
        for ax, title in ((ax_roc, "ROC"), (ax_pr, "Precision-recall")):
            ax.set_title(title, fontsize="small")
            ax.legend(loc="lower right" if ax is ax_roc else "upper right", fontsize="x-small")
            ax.xaxis.label.set_size("small")
            ax.yaxis.label.set_size("small")
            ax.tick_params(labelsize="x-small")

    def _compute(self):
        numbers, self._curves = self._results[self.prevalence_slider.value]
        return numbers

    def _draw(self, values):
        curves = self._curves
        self.roc_line.set_data(curves["fpr"], curves["tpr"])
        self.pr_line.set_data(curves["recall"], curves["precision"])
        level = values["constant_score_average_precision"]
        self.constant_score_line.set_ydata([level, level])

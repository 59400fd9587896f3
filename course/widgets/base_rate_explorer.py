"""Change how rare fraud is and watch ROC stay put while precision-recall collapses."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from course.metrics import PrevalenceSampler, ThresholdSweep
from course.plots import precision_recall_display, roc_display
from course.widgets.base import Explorer

__all__ = ["BaseRateExplorer", "base_rate_numbers", "prevalence_grid"]


def prevalence_grid(n_frauds, n_genuines, *, points=21, min_frauds=20, high=0.5):
    """Log-spaced prevalences for the slider, from low to ``high``, natural prevalence included.

    The lowest keeps at least ``min_frauds`` frauds (fewer would make the curves noise),
    and never exceeds the natural prevalence.

    Parameters
    ----------
    n_frauds, n_genuines : int
        Class sizes of the data the sampler draws from.
    points : int, default=21
        Number of log-spaced prevalences (the natural prevalence is added to them).
    min_frauds : int, default=20
        Fewest frauds in a sample at the lowest prevalence.
    high : float, default=0.5
        The highest prevalence.

    Returns
    -------
    numpy.ndarray
        Increasing prevalences.

    Examples
    --------
    >>> from course.widgets.base_rate_explorer import prevalence_grid
    >>> grid = prevalence_grid(1_000, 99_000, points=4)  # natural prevalence: 1%
    >>> [round(float(p), 4) for p in grid]
    [0.0002, 0.0027, 0.01, 0.037, 0.5]
    """
    natural_prevalence = n_frauds / (n_frauds + n_genuines)
    floor = min(natural_prevalence, min_frauds / (min_frauds + n_genuines))
    top = max(high, natural_prevalence)
    grid = np.geomspace(floor, top, points)
    return np.unique(np.append(grid, natural_prevalence))


def base_rate_numbers(sweep, sampler, prevalence, *, max_points=2000):
    """What the explorer shows at one prevalence (pure function).

    Returns ``(numbers, curves)``: ``numbers`` has prevalence (realized), target_prevalence,
    natural_prevalence, frauds, genuines, roc_auc, average_precision and
    no_skill_average_precision (= the realized prevalence: the AP of random scores);
    ``curves`` has ``fpr``, ``tpr``, ``precision``, ``recall`` (at most ``max_points``).

    Parameters
    ----------
    sweep : course.metrics.ThresholdSweep
        Scores and labels at the natural prevalence.
    sampler : course.metrics.PrevalenceSampler
        Resamples the same rows to another prevalence.
    prevalence : float
        The target prevalence.
    max_points : int, default=2000
        Most points of each curve.

    Returns
    -------
    (dict, dict)

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import PrevalenceSampler, ThresholdSweep
    >>> from course.metrics import PrevalenceSampler
    >>> from course.widgets.base_rate_explorer import base_rate_numbers
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(4_000) < 0.2).astype(int)
    >>> score = rng.normal(size=4_000) + 1.5 * y
    >>> sweep, sampler = ThresholdSweep(y, score), PrevalenceSampler(y, seed=0)
    >>> rare, _ = base_rate_numbers(sweep, sampler, 0.01)
    >>> common, _ = base_rate_numbers(sweep, sampler, 0.2)
    >>> round(rare["roc_auc"], 2), round(common["roc_auc"], 2)  # barely moves
    (0.86, 0.84)
    >>> round(rare["average_precision"], 2), round(common["average_precision"], 2)  # falls
    (0.25, 0.63)
    """
    frauds, genuines = sampler.counts(prevalence)
    if (frauds, genuines) == (sampler.n_frauds, sampler.n_genuines):
        sub = sweep
    else:
        sub = sweep.subset(sampler.mask(prevalence))
    fpr, tpr, _ = sub.roc_curve(max_points=max_points)
    precision, recall, _ = sub.precision_recall_curve(max_points=max_points)
    numbers = {
        "prevalence": sub.prevalence,
        "target_prevalence": float(prevalence),
        "natural_prevalence": sampler.natural_prevalence,
        "frauds": sub.n_positives,
        "genuines": sub.n_negatives,
        "roc_auc": sub.roc_auc(),
        "average_precision": sub.average_precision(),
        "no_skill_average_precision": sub.prevalence,
    }
    return numbers, {"fpr": fpr, "tpr": tpr, "precision": precision, "recall": recall}


class BaseRateExplorer(Explorer):
    """A prevalence slider: ROC and ROC-AUC barely move, precision-recall and AP fall.

    The same model scores are evaluated on nested subsamples of the data at other fraud
    prevalences (see :class:`PrevalenceSampler`). Grey curves show the full data; coloured
    curves the chosen prevalence; the dashed line of the PR panel is the no-skill level
    (= prevalence). Every slider position is computed when the explorer is built, so a
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
        "prevalence": "Prevalence (this sample)", "target_prevalence": "Target prevalence",
        "natural_prevalence": "Prevalence (full data)", "roc_auc": "ROC-AUC",
        "average_precision": "Average precision", "no_skill_average_precision": "No-skill AP (= prevalence)",
    }
    formats = {
        "prevalence": "{:.2%}", "target_prevalence": "{:.2%}", "natural_prevalence": "{:.2%}",
        "no_skill_average_precision": "{:.4f}",
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
        self._results = {p: base_rate_numbers(self.sweep, self.sampler, p, max_points=max_points)
                         for p in self.prevalences}
        natural = self.sampler.natural_prevalence
        start = min(self.prevalences, key=lambda p: abs(p - natural))
        self.prevalence_slider = widgets.SelectionSlider(
            options=[(f"{p:.2%}", p) for p in self.prevalences], value=start, description="Prevalence",
            continuous_update=True, layout=widgets.Layout(width="420px"),
        )
        super().__init__(controls=[self.prevalence_slider], figsize=(7.2, 3.3))

    def _build_figure(self, figure):
        ax_roc, ax_pr = figure.subplots(1, 2)
        grey = {"color": "0.75", "linewidth": 1}
        full_roc = roc_display(self.sweep, ax=ax_roc, max_points=self.max_points, name="full data",
                               curve_kwargs=grey)
        full_pr = precision_recall_display(self.sweep, ax=ax_pr, max_points=self.max_points, name="full data",
                                           plot_chance_level=False, curve_kwargs=grey)
        for display in (full_roc, full_pr):
            display.line_.set_label("full data")
        self.roc_line = self._animate(ax_roc.plot([], [], color="C0", label="this prevalence")[0])
        self.pr_line = self._animate(
            ax_pr.plot([], [], color="C0", drawstyle="steps-post", label="this prevalence")[0]
        )
        self.no_skill_line = self._animate(ax_pr.axhline(np.nan, color="k", linestyle="--", linewidth=1,
                                                          label="no skill (= prevalence)"))
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
        level = values["no_skill_average_precision"]
        self.no_skill_line.set_ydata([level, level])

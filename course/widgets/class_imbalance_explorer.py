"""Move the undersampling rate: ROC-AUC stays flat, the top of the ranking slips, probabilities climb."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter, PercentFormatter

from course._validation import check_binary_labels, check_same_length, check_scores
from course.lessons.class_imbalance import undersampling_numbers
from course.widgets.base import Explorer

__all__ = ["ImbalanceExplorer"]


class ImbalanceExplorer(Explorer):
    """An undersampling slider: ROC-AUC barely moves, AP and precision@k slip, predicted fraud rates climb.

    Each slider position is a model trained with a share ``beta`` of the genuine
    transactions kept (all frauds kept), scored on the same untouched test period. The
    left panel shows average precision, ROC-AUC and precision@k against ``beta``; the right
    panel the mean predicted probability (the fraud rate the model expects), the same
    after the prior correction ``p' = beta p / (beta p - p + 1)``, and the true rate. Every
    number is computed when the explorer is built, so a move only looks up and blits.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Test labels (1 = fraud).
    scores_by_beta : dict of float -> array-like of shape (n,)
        Test probabilities of each model, by ``beta`` (e.g. from
        :func:`course.lessons.class_imbalance.undersampling_scores`).
    k : int, default=100
        Alerts reviewed, for precision@k.
    train_fraud_rate : float, optional
        Fraud rate of the training data before undersampling (shows the rate each model saw).
    threshold : float, default=0.5
        Fixed threshold of the "flagged" numbers.

    Controls: ``beta_slider`` ("Genuines kept (β)", a ``SelectionSlider`` over the betas,
    from 1 = no undersampling down to the smallest). Displayed numbers: see
    :func:`undersampling_numbers`.

    Examples
    --------
    >>> import numpy as np
    >>> from course.widgets import ImbalanceExplorer
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2_000) < 0.02).astype(int)
    >>> raw = rng.normal(size=2_000) + 2 * y
    >>> scores = {b: 1 / (1 + np.exp(-(raw - 4 + np.log(1 / b)))) for b in (1.0, 0.1)}
    >>> explorer = ImbalanceExplorer(y, scores, k=20)
    >>> explorer.beta_slider.value = 0.1
    >>> explorer.displayed["mean_predicted"] > explorer.displayed["mean_corrected"]
    True
    """

    labels = {
        "beta": "Genuines kept (β)",
        "training_fraud_rate": "Fraud rate the model trained on",
        "average_precision": "Average precision",
        "roc_auc": "ROC-AUC",
        "precision_at_k": "Precision@k",
        "fraud_rate": "True fraud rate (test)",
        "mean_predicted": "Mean predicted probability",
        "mean_corrected": "Mean corrected probability",
        "flagged": "Flagged at 0.5",
        "flagged_corrected": "Flagged at 0.5 (corrected)",
    }
    formats = {
        "beta": "{:.0%}",
        "training_fraud_rate": "{:.2%}",
        "fraud_rate": "{:.2%}",
        "mean_predicted": "{:.2%}",
        "mean_corrected": "{:.2%}",
        "flagged": "{:.2%}",
        "flagged_corrected": "{:.2%}",
    }

    def __init__(self, y_true, scores_by_beta, *, k=100, train_fraud_rate=None, threshold=0.5):
        labels = check_binary_labels(y_true)
        if not isinstance(scores_by_beta, dict) or not scores_by_beta:
            raise ValueError("scores_by_beta must be a non-empty dict: beta -> test probabilities.")
        self._results = {}
        for beta, scores in sorted(scores_by_beta.items(), reverse=True):
            scores = check_scores(scores, name=f"scores_by_beta[{beta!r}]")
            check_same_length(y_true=labels, scores=scores)
            self._results[float(beta)] = undersampling_numbers(
                labels, scores, beta, k=k, train_fraud_rate=train_fraud_rate, threshold=threshold
            )
        self.betas = list(self._results)
        self.k = k
        self.labels = {
            **type(self).labels,
            "precision_at_k": f"Precision@{k} (test period)",
            "flagged": f"Flagged at {threshold:g}",
            "flagged_corrected": f"Flagged at {threshold:g} (corrected)",
        }
        self.beta_slider = widgets.SelectionSlider(
            options=[(f"{beta:.0%}" if beta >= 0.01 else f"{beta:.1%}", beta) for beta in self.betas],
            value=self.betas[0],
            description="Genuines kept (β)",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"),
        )
        super().__init__(controls=[self.beta_slider], figsize=(7.6, 3.0))

    def table(self):
        """Every slider position's numbers as a DataFrame, one row per ``beta`` (index).

        Examples
        --------
        >>> import numpy as np
        >>> from course.widgets import ImbalanceExplorer
        >>> y = np.array([0, 0, 0, 1] * 50)
        >>> explorer = ImbalanceExplorer(y, {1.0: np.tile([0.1, 0.2, 0.3, 0.4], 50)}, k=10)
        >>> explorer.table()[["roc_auc", "mean_predicted"]].round(2).to_dict("records")
        [{'roc_auc': 1.0, 'mean_predicted': 0.25}]
        """
        return pd.DataFrame([self._results[beta] for beta in self.betas]).set_index("beta")

    def _series(self, name):
        return np.array([self._results[beta][name] for beta in self.betas])

    def _build_figure(self, figure):
        ax_rank, ax_proba = figure.subplots(1, 2)
        betas = np.array(self.betas)
        for name, label in (
            ("average_precision", "average precision"),
            ("roc_auc", "ROC-AUC"),
            ("precision_at_k", f"precision@{self.k}"),
        ):
            ax_rank.plot(betas, self._series(name), marker="o", markersize=3, label=label)
        ax_rank.set_ylim(0, 1.02)
        ax_rank.set_title("Ranking: ROC-AUC flat, the top slips", fontsize="small")
        ax_proba.plot(
            betas, self._series("mean_predicted"), marker="o", markersize=3, color="C3", label="mean predicted"
        )
        ax_proba.plot(
            betas, self._series("mean_corrected"), marker="o", markersize=3, color="C2", label="mean corrected"
        )
        ax_proba.axhline(
            self._results[self.betas[0]]["fraud_rate"], color="k", linestyle="--", linewidth=1, label="true fraud rate"
        )
        ax_proba.set_yscale("log")
        levels = np.r_[
            self._series("mean_predicted"), self._series("mean_corrected"), self._results[self.betas[0]]["fraud_rate"]
        ]
        levels = levels[levels > 0]
        if levels.size:
            ax_proba.set_ylim(levels.min() / 1.6, levels.max() * 1.6)
        ax_proba.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
        ax_proba.yaxis.set_minor_formatter(NullFormatter())
        ax_proba.set_title("Probabilities: inflated, then corrected", fontsize="small")
        self.rank_cursor = self._animate(ax_rank.axvline(betas[0], color="0.4", linewidth=1))
        self.proba_cursor = self._animate(ax_proba.axvline(betas[0], color="0.4", linewidth=1))
        self.raw_point = self._animate(ax_proba.plot([], [], "o", color="C3", markersize=7)[0])
        self.corrected_point = self._animate(ax_proba.plot([], [], "o", color="C2", markersize=7)[0])
        for ax in (ax_rank, ax_proba):
            if len(betas) > 1:
                ax.set_xscale("log")
                ax.set_xlim(betas.max() * 1.3, betas.min() / 1.3)  # left: no undersampling
                ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
                ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_xlabel("share of genuines kept (β)", fontsize="small")
            ax.legend(fontsize="x-small", loc="lower left" if ax is ax_rank else "upper left")
            ax.tick_params(labelsize="x-small")

    def _compute(self):
        return dict(self._results[self.beta_slider.value])

    def _draw(self, values):
        beta = values["beta"]
        self.rank_cursor.set_xdata([beta, beta])
        self.proba_cursor.set_xdata([beta, beta])
        self.raw_point.set_data([beta], [values["mean_predicted"]])
        self.corrected_point.set_data([beta], [values["mean_corrected"]])

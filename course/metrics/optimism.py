"""Validation against launch: a ranking metric in both windows and their gap, the optimism.

A leak shows as **optimism**: the score a protocol reports in validation minus the score
the model it produced gets on the weeks after launch. Both numbers are noisy (a few
hundred frauds, correlated within a day), so each comes with a day-level interval
(:class:`course.metrics.DayBootstrap`: whole days resampled with replacement, the ranking
metrics exact as in scikit-learn). The two windows are different days: their days are
resampled independently (a stratified block bootstrap), and the interval of the optimism
is the percentile interval of the differences of the two windows' draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course._validation import check_binary_labels, check_rng, check_same_length, check_scores
from course.metrics.bootstrap import BootstrapResult, DayBootstrap, _percentile_result

__all__ = ["RANKING_METRICS", "Optimism", "optimism"]

#: The ranking metrics :func:`optimism` reports, in this order.
RANKING_METRICS = ("average_precision", "roc_auc")


@dataclass(frozen=True)
class Optimism:
    """One metric in validation, at launch, and their difference (validation - launch).

    Attributes
    ----------
    metric : str
        ``"average_precision"`` or ``"roc_auc"``.
    validation, launch, optimism : BootstrapResult
        Each with its day-level interval.
    validation_draws, launch_draws : numpy.ndarray
        The metric on every resample of either window (what :meth:`difference` pairs).
    resampling : tuple or None
        ``(seed, n_resamples, confidence_level)`` when ``seed`` was an int: two results with
        the same ``resampling`` drew the same days from the same days of a window.

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import optimism
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2_000) < 0.05).astype(int)
    >>> days = np.repeat(np.arange(20), 100)
    >>> gap = optimism(y, rng.random(2_000) + y, y, rng.random(2_000) + y, days_val=days, days_launch=days)
    >>> gap["roc_auc"].inside_noise
    True
    """

    metric: str
    validation: BootstrapResult
    launch: BootstrapResult
    optimism: BootstrapResult
    validation_draws: np.ndarray = field(default=None, repr=False, compare=False)
    launch_draws: np.ndarray = field(default=None, repr=False, compare=False)
    resampling: tuple | None = field(default=None, repr=False, compare=False)

    def difference(self, other, *, window="launch"):
        """This metric minus ``other``'s in one window, paired: on the same resampled days.

        Valid when both were computed on the same rows of that window (the caller checks
        it) with the same int seed; no new bootstrap is run.

        Parameters
        ----------
        other : Optimism
            The same metric of another model.
        window : {"launch", "validation"}, default="launch"

        Returns
        -------
        BootstrapResult
            Inside the noise when its interval contains 0.

        Examples
        --------
        >>> import numpy as np
        >>> from course.metrics import optimism
        >>> rng = np.random.default_rng(0)
        >>> y = (rng.random(2_000) < 0.05).astype(int)
        >>> days = np.repeat(np.arange(20), 100)
        >>> good = optimism(y, rng.random(2_000) + y, y, rng.random(2_000) + y, days_val=days, days_launch=days)
        >>> poor = optimism(y, rng.random(2_000) + y, y, rng.random(2_000) + 0.3 * y, days_val=days, days_launch=days)
        >>> good["roc_auc"].difference(poor["roc_auc"]).low > 0
        True
        """
        if window not in ("launch", "validation"):
            raise ValueError(f'window must be "launch" or "validation", got {window!r}.')
        if not isinstance(other, Optimism) or other.metric != self.metric:
            raise ValueError(f"other must be the Optimism of the same metric ({self.metric!r}).")
        if self.resampling is None or self.resampling != other.resampling:
            raise ValueError(
                "the two results were not resampled alike (same int seed, n_resamples and confidence level): "
                "their draws cannot be paired."
            )
        mine, theirs = getattr(self, window), getattr(other, window)
        draws = getattr(self, f"{window}_draws") - getattr(other, f"{window}_draws")
        return _percentile_result(mine.estimate - theirs.estimate, draws, mine.confidence_level, mine.n_days)

    @property
    def inside_noise(self):
        """True when the optimism's interval contains 0."""
        return self.optimism.contains(0.0)

    def __str__(self):
        return (
            f"{self.metric}: validation {self.validation.format('.3f')}, launch {self.launch.format('.3f')}, "
            f"optimism {self.optimism.format('.3f')}"
        )


def optimism(
    y_val, score_val, y_launch, score_launch, *, days_val, days_launch, n_resamples=200, confidence_level=0.95, seed=0
):
    """Validation score, launch score and their gap (the optimism), with day-level intervals.

    Parameters
    ----------
    y_val, score_val : array-like of shape (n_val,)
        Labels (1 = fraud) and scores of the validation rows, as the protocol reports them.
    y_launch, score_launch : array-like of shape (n_launch,)
        Labels and scores of the launch window, scored with what is known at scoring time.
    days_val, days_launch : array-like
        The day of each row of either window; at least 2 days in each.
    n_resamples : int, default=200
    confidence_level : float, default=0.95
    seed : int or numpy.random.Generator, default=0
        The two windows draw their days from independent streams spawned from it. With an
        int, two calls on the same days draw the same resamples, so their results pair
        (:meth:`Optimism.difference`).

    Returns
    -------
    dict
        ``{"average_precision": Optimism, "roc_auc": Optimism}``. Each ``estimate`` equals
        scikit-learn's metric on all the rows (the optimism: their difference).

    Examples
    --------
    >>> import numpy as np
    >>> from course.metrics import optimism
    >>> rng = np.random.default_rng(1)
    >>> y = (rng.random(4_000) < 0.05).astype(int)
    >>> days = np.repeat(np.arange(40), 100)
    >>> leaky = optimism(y, rng.random(4_000) + 3 * y, y, rng.random(4_000) + 0.5 * y,
    ...                  days_val=days, days_launch=days)
    >>> leaky["average_precision"].optimism.low > 0
    True
    """
    for window, y, score, days in (
        ("val", y_val, score_val, days_val),
        ("launch", y_launch, score_launch, days_launch),
    ):
        check_binary_labels(y, name=f"y_{window}")
        check_scores(score, name=f"score_{window}")
        check_same_length(**{f"y_{window}": y, f"score_{window}": score, f"days_{window}": np.asarray(days)})
    resampling = None
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        resampling = (int(seed), n_resamples, confidence_level)
    val_stream, launch_stream = check_rng(seed).spawn(2)
    settings = {"n_resamples": n_resamples, "confidence_level": confidence_level}
    try:
        val = DayBootstrap(days_val, seed=val_stream, **settings)
        launch = DayBootstrap(days_launch, seed=launch_stream, **settings)
    except ValueError as error:
        raise ValueError(f"{error} (days_val: the validation window, days_launch: the launch window)") from None
    results = {}
    for metric in RANKING_METRICS:
        v_estimate, v_draws = val._ranking_draws(y_val, score_val, metric)
        l_estimate, l_draws = launch._ranking_draws(y_launch, score_launch, metric)
        results[metric] = Optimism(
            metric,
            _percentile_result(v_estimate, v_draws, val.confidence_level, val.n_days),
            _percentile_result(l_estimate, l_draws, launch.confidence_level, launch.n_days),
            _percentile_result(
                v_estimate - l_estimate, v_draws - l_draws, val.confidence_level, val.n_days + launch.n_days
            ),
            v_draws,
            l_draws,
            resampling,
        )
    return results

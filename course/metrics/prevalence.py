"""Subsamples of one labelled dataset at another fraud prevalence (base rate)."""

from __future__ import annotations

import numpy as np

from course._validation import check_binary_labels, check_rng

__all__ = ["PrevalenceSampler"]


class PrevalenceSampler:
    """Nested random subsamples of one labelled dataset, at any fraud prevalence.

    Statistically honest: a subsample is drawn **within each class**, so the score
    distribution of frauds and of genuines is unchanged (in expectation) and any change in
    a metric comes from the prevalence alone. To lower the prevalence, all genuines are
    kept and frauds are subsampled; to raise it, all frauds are kept and genuines are
    subsampled. Each class is shuffled once with ``seed``, and a subsample keeps the first
    transactions of that order, so subsamples are **nested**: a lower prevalence keeps a
    subset of the frauds of a higher one (the slider moves monotonically, no reshuffle).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    seed : int or numpy.random.Generator
        Fixes the shuffles: same seed, same subsamples.

    Examples
    --------
    >>> from course.metrics import PrevalenceSampler
    >>> sampler = PrevalenceSampler([1] * 10 + [0] * 90, seed=0)
    >>> sampler.natural_prevalence, sampler.counts(0.05)  # (frauds, genuines) kept
    (0.1, (5, 90))
    >>> int(sampler.mask(0.05).sum())
    95
    """

    def __init__(self, y_true, *, seed):
        self._labels = check_binary_labels(y_true)
        rng = check_rng(seed)
        frauds = np.flatnonzero(self._labels == 1)
        genuines = np.flatnonzero(self._labels == 0)
        self.n_frauds, self.n_genuines = frauds.size, genuines.size
        self._rank = np.empty(self._labels.size, dtype=np.int64)  # position in its class's shuffle
        self._rank[frauds] = rng.permutation(frauds.size)
        self._rank[genuines] = rng.permutation(genuines.size)

    @property
    def natural_prevalence(self):
        """The share of frauds in the full data."""
        return self.n_frauds / (self.n_frauds + self.n_genuines)

    def counts(self, prevalence):
        """``(frauds, genuines)`` kept for a target prevalence (at least one of each).

        The realized prevalence, ``frauds / (frauds + genuines)``, is the target rounded
        to whole transactions.
        """
        p = float(prevalence)
        if not 0.0 < p < 1.0:
            raise ValueError(f"prevalence must be strictly between 0 and 1, got {prevalence!r}.")
        if p <= self.natural_prevalence:
            frauds = round(p * self.n_genuines / (1 - p))
            return min(max(frauds, 1), self.n_frauds), self.n_genuines
        genuines = round(self.n_frauds * (1 - p) / p)
        return self.n_frauds, min(max(genuines, 1), self.n_genuines)

    def mask(self, prevalence):
        """Boolean mask (original order) of the transactions kept at ``prevalence``."""
        frauds, genuines = self.counts(prevalence)
        return np.where(self._labels == 1, self._rank < frauds, self._rank < genuines)

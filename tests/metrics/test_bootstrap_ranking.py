"""DayBootstrap's ranking metrics: every draw equals scikit-learn on the resampled rows."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from course.metrics import DayBootstrap


@pytest.mark.parametrize("rate, decimals", [(0.01, None), (0.05, 1), (0.4, 2)])
def test_each_draw_is_the_metric_of_the_resampled_rows(rate, decimals):
    rng = np.random.default_rng(7)
    n = 4_000
    days = rng.integers(0, 25, n)
    y = (rng.random(n) < rate).astype(int)
    scores = rng.random(n) + y * rng.random(n)
    if decimals is not None:  # many ties, across classes and days
        scores = np.round(scores, decimals)
    boot = DayBootstrap(days, n_resamples=30, seed=2)
    for kind, function in (("average_precision", average_precision_score), ("roc_auc", roc_auc_score)):
        estimate, draws = boot._ranking_draws(y, scores, kind)
        assert estimate == pytest.approx(function(y, scores), abs=1e-12)
        for r in (0, 11, 29):
            weights = boot.counts[r][boot.day_index]  # a day drawn twice counts its rows twice
            assert draws[r] == pytest.approx(function(y, scores, sample_weight=weights), abs=1e-12)
            rows = boot.rows(r)
            assert draws[r] == pytest.approx(function(y[rows], scores[rows]), abs=1e-12)


def test_a_resample_without_fraud_is_an_error():
    days = np.arange(40) // 2
    y = np.zeros(40, dtype=int)
    y[0] = 1  # one fraud, on day 0 only: most resamples miss it
    with pytest.raises(ValueError, match="a resample holds no fraud"):
        DayBootstrap(days, n_resamples=20, seed=0).average_precision(y, np.linspace(0, 1, 40))

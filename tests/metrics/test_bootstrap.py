"""DayBootstrap: exact ranking metrics on every draw, intervals, differences, bad input."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from course.metrics import BootstrapResult, DayBootstrap, day_bootstrap


@pytest.fixture(scope="module")
def tied_data():
    rng = np.random.default_rng(4)
    n = 3_000
    days = rng.integers(0, 12, n)
    y = (rng.random(n) < 0.04).astype(int)
    score = np.round(rng.normal(size=n) + 1.3 * y, 1)  # rounding: many ties, across days
    other = np.round(rng.normal(size=n) + 0.9 * y, 1)
    return days, y, score, other


@pytest.mark.parametrize(
    "metric, reference", [("average_precision", average_precision_score), ("roc_auc", roc_auc_score)]
)
def test_every_draw_equals_scikit_learn_on_the_resampled_rows(tied_data, metric, reference):
    days, y, score, _ = tied_data
    boot = DayBootstrap(days, n_resamples=12, seed=1)
    estimate, draws = boot._ranking_draws(y, score, metric)
    assert estimate == pytest.approx(reference(y, score), abs=1e-12)
    for r in range(boot.n_resamples):
        rows = boot.rows(r)
        assert draws[r] == pytest.approx(reference(y[rows], score[rows]), abs=1e-12)


@pytest.mark.parametrize("max_fpr", [0.001, 0.01, 0.1, 0.5, 1.0])
def test_partial_roc_auc_of_every_draw_equals_scikit_learn(tied_data, max_fpr):
    days, y, score, other = tied_data
    boot = DayBootstrap(days, n_resamples=10, seed=1)
    for scores in (score, other + np.random.default_rng(0).normal(0, 1e-3, y.size)):  # ties, then none
        estimate, draws = boot._partial_roc_auc_draws(y, scores, max_fpr)
        assert estimate == pytest.approx(roc_auc_score(y, scores, max_fpr=max_fpr), abs=1e-12)
        for r in range(boot.n_resamples):
            rows = boot.rows(r)
            assert draws[r] == pytest.approx(roc_auc_score(y[rows], scores[rows], max_fpr=max_fpr), abs=1e-12)
    gap = boot.partial_roc_auc_difference(y, score, other, max_fpr=max_fpr)
    assert gap.estimate == pytest.approx(
        roc_auc_score(y, score, max_fpr=max_fpr) - roc_auc_score(y, other, max_fpr=max_fpr), abs=1e-12
    )
    with pytest.raises(ValueError, match="max_fpr"):
        boot.partial_roc_auc(y, score, max_fpr=0.0)


def test_differences_are_taken_on_the_same_draws(tied_data):
    days, y, score, other = tied_data
    boot = DayBootstrap(days, n_resamples=50, seed=2)
    gap = boot.average_precision_difference(y, score, other)
    a, b = boot.average_precision(y, score), boot.average_precision(y, other)
    assert gap.estimate == pytest.approx(a.estimate - b.estimate)
    _, draws_a = boot._ranking_draws(y, score, "average_precision")
    _, draws_b = boot._ranking_draws(y, other, "average_precision")
    assert gap.standard_error == pytest.approx(np.std(draws_a - draws_b, ddof=1))
    assert boot.roc_auc_difference(y, score, score).estimate == 0.0
    assert not gap.contains(0.0) and gap.low < gap.estimate < gap.high


def test_generic_statistic_matches_the_fast_path(tied_data):
    days, y, score, _ = tied_data
    boot = DayBootstrap(days, n_resamples=20, seed=3)
    fast = boot.average_precision(y, score)
    slow = boot.statistic(average_precision_score, y, score)
    assert fast.low == pytest.approx(slow.low) and fast.high == pytest.approx(slow.high)
    shortcut = day_bootstrap(np.mean, y, days=days, n_resamples=20, seed=3)
    assert isinstance(shortcut, BootstrapResult) and shortcut.estimate == pytest.approx(y.mean())


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="single day"):
        DayBootstrap([1, 1, 1])
    with pytest.raises(ValueError, match="NaN"):
        DayBootstrap([1.0, np.nan])
    boot = DayBootstrap([0, 0, 1, 1], n_resamples=5, seed=0)
    with pytest.raises(ValueError, match="one value per transaction"):
        boot.average_precision([1, 0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="one class only"):
        boot.roc_auc([0, 0, 0, 0], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="no fraud"):
        DayBootstrap([0, 0, 1, 1, 2, 2], n_resamples=50, seed=0).average_precision(
            [1, 0, 0, 0, 0, 0], [0.9, 0.1, 0.2, 0.3, 0.4, 0.5]
        )


@pytest.mark.parametrize("mean", [False, True])
def test_column_sums_equal_the_general_statistic(mean):
    rng = np.random.default_rng(3)
    days = rng.integers(0, 12, size=300)
    values = np.column_stack([rng.normal(size=300), rng.exponential(size=300)])
    boot = DayBootstrap(days, n_resamples=50, seed=2)
    fast = boot.column_sums(values, mean=mean)
    slow = boot.statistic(lambda v: v.mean(axis=0) if mean else v.sum(axis=0), values)
    for field in ("estimate", "low", "high", "standard_error"):
        assert getattr(fast, field) == pytest.approx(getattr(slow, field)), field


def test_column_sums_refuse_bad_values():
    boot = DayBootstrap([0, 0, 1, 1], n_resamples=3, seed=0)
    with pytest.raises(ValueError, match="NaN or infinite"):
        boot.column_sums([1.0, np.nan, 2.0, 3.0])
    with pytest.raises(ValueError, match="days has 4, values has 3"):
        boot.column_sums([1.0, 2.0, 3.0])

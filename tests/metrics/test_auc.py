"""Pairwise ROC-AUC, trapezoid PR-AUC vs average precision, daily precision@k."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

import course.metrics.auc as auc_module
from course.metrics import (
    daily_precision_at_k,
    pairwise_roc_auc,
    precision_at_k,
    prevalence_weights,
    trapezoid_pr_auc,
)


@pytest.fixture
def tied_scores():
    rng = np.random.default_rng(3)
    y = (rng.random(3_000) < 0.05).astype(int)
    score = np.round(rng.normal(size=3_000) + 1.2 * y, 1)  # rounding makes many ties
    return y, score


def test_pairwise_count_equals_roc_auc_with_ties_and_chunks(tied_scores, monkeypatch):
    y, score = tied_scores
    expected = roc_auc_score(y, score)
    assert pairwise_roc_auc(y, score) == pytest.approx(expected, abs=1e-12)
    monkeypatch.setattr(auc_module, "_PAIRS_PER_CHUNK", 1_000)  # many chunks, same count
    assert pairwise_roc_auc(y, score) == pytest.approx(expected, abs=1e-12)


def test_a_perfect_a_reversed_and_an_all_tied_ranking():
    y = [0, 0, 1, 1, 1]
    assert pairwise_roc_auc(y, [0.1, 0.2, 0.3, 0.4, 0.5]) == 1.0
    assert pairwise_roc_auc(y, [0.5, 0.4, 0.3, 0.2, 0.1]) == 0.0
    assert pairwise_roc_auc(y, [0.3] * 5) == 0.5


def test_sampled_pairs_estimate_and_reproducibility(tied_scores):
    y, score = tied_scores
    exact = roc_auc_score(y, score)
    n_pairs = 20_000
    estimate = pairwise_roc_auc(y, score, n_pairs=n_pairs, seed=1)
    standard_error = np.sqrt(exact * (1 - exact) / n_pairs)
    assert abs(estimate - exact) < 4 * standard_error
    assert estimate == pairwise_roc_auc(y, score, n_pairs=n_pairs, seed=1)
    assert estimate != pairwise_roc_auc(y, score, n_pairs=n_pairs, seed=2)
    assert estimate == pairwise_roc_auc(y, score, n_pairs=n_pairs, seed=np.random.default_rng(1))


def test_pairwise_input_checks():
    with pytest.raises(ValueError, match="pass a seed"):
        pairwise_roc_auc([0, 1], [0.1, 0.2], n_pairs=10)
    with pytest.raises(ValueError, match="only used with n_pairs"):
        pairwise_roc_auc([0, 1], [0.1, 0.2], seed=0)
    for bad in (0, -5, 2.5, True):
        with pytest.raises((TypeError, ValueError), match="n_pairs"):
            pairwise_roc_auc([0, 1], [0.1, 0.2], n_pairs=bad, seed=0)
    with pytest.raises(ValueError, match="one class only"):
        pairwise_roc_auc([0, 0], [0.1, 0.2])
    with pytest.raises(ValueError, match="NaN"):
        pairwise_roc_auc([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="y_true has 2, y_score has 3"):
        pairwise_roc_auc([0, 1], [0.1, 0.2, 0.3])


def test_trapezoid_is_optimistic_for_coarse_scores(tied_scores):
    y, score = tied_scores
    prevalence = float(np.mean(y))
    # no skill: the chord from (0, 1) to (1, prevalence) versus the prevalence itself
    assert trapezoid_pr_auc(y, np.zeros(y.size)) == pytest.approx((1 + prevalence) / 2)
    assert average_precision_score(y, np.zeros(y.size)) == pytest.approx(prevalence)
    # three risk bands: the trapezoid credits far more than any threshold delivers
    bands = np.digitize(score, [0.5, 1.5])
    assert trapezoid_pr_auc(y, bands) > average_precision_score(y, bands) + 0.1


def test_trapezoid_is_close_to_average_precision_when_scores_are_distinct():
    rng = np.random.default_rng(0)
    y = (rng.random(20_000) < 0.02).astype(int)
    score = rng.normal(size=20_000) + 2.5 * y
    assert trapezoid_pr_auc(y, score) == pytest.approx(average_precision_score(y, score), abs=0.01)


def test_trapezoid_input_checks():
    with pytest.raises(ValueError, match="one class only"):
        trapezoid_pr_auc([1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="0 \\(genuine\\) and 1 \\(fraud\\)"):
        trapezoid_pr_auc([0, 2], [0.1, 0.2])


@pytest.mark.parametrize("prevalence", [0.001, 0.05, 0.5, 0.9])
def test_prevalence_weights_move_the_base_rate_and_only_precision(tied_scores, prevalence):
    y, score = tied_scores
    weights = prevalence_weights(y, prevalence)
    assert np.all(weights[y == 1] == 1.0)
    assert weights[y == 1].sum() / weights.sum() == pytest.approx(prevalence)
    assert roc_auc_score(y, score, sample_weight=weights) == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    assert average_precision_score(y, np.zeros(y.size), sample_weight=weights) == pytest.approx(prevalence)


def test_rarer_fraud_lowers_average_precision(tied_scores):
    y, score = tied_scores
    aps = [average_precision_score(y, score, sample_weight=prevalence_weights(y, p)) for p in (0.2, 0.05, 0.005)]
    assert aps[0] > aps[1] > aps[2]


def test_prevalence_weights_input_checks():
    for bad in (0, 1, -0.1, 1.5, "0.1", True, np.nan):
        with pytest.raises((TypeError, ValueError), match="prevalence"):
            prevalence_weights([0, 1], bad)
    with pytest.raises(ValueError, match="one class only"):
        prevalence_weights([0, 0], 0.1)


def test_daily_precision_at_k_averages_days_with_the_tie_rule():
    days = [1, 1, 1, 1, 2, 2, 2]
    y = [1, 0, 1, 0, 0, 1, 0]
    score = [0.9, 0.5, 0.5, 0.1, 0.8, 0.7, 0.2]
    # day 1, k=2: 0.9 (fraud) + one place for two tied at 0.5 (one fraud): 1.5 / 2
    # day 2, k=2: 0.8 (genuine), 0.7 (fraud): 1 / 2
    assert daily_precision_at_k(y, score, days=days, k=2) == pytest.approx((0.75 + 0.5) / 2)
    order = [6, 3, 0, 5, 2, 4, 1]
    shuffled_days, shuffled_y, shuffled_score = [np.asarray(a)[order] for a in (days, y, score)]
    assert daily_precision_at_k(shuffled_y, shuffled_score, days=shuffled_days, k=2) == pytest.approx((0.75 + 0.5) / 2)


def test_daily_precision_at_k_on_one_day_is_precision_at_k(tied_scores):
    y, score = tied_scores
    for k in (1, 10, 150):
        assert daily_precision_at_k(y, score, days=np.zeros(y.size), k=k) == pytest.approx(precision_at_k(y, score, k))


def test_daily_precision_at_k_divides_by_k_on_a_short_day():
    # day 2 has one transaction (a fraud) for a budget of 2: unused capacity finds nothing
    assert daily_precision_at_k([1, 1, 1], [0.3, 0.2, 0.1], days=[1, 1, 2], k=2) == pytest.approx((1.0 + 0.5) / 2)


def test_daily_precision_at_k_input_checks():
    with pytest.raises(ValueError, match="k == 0, must be >= 1"):
        daily_precision_at_k([0, 1], [0.1, 0.2], days=[1, 1], k=0)
    with pytest.raises(ValueError, match="missing values"):
        daily_precision_at_k([0, 1], [0.1, 0.2], days=[1, None], k=1)
    with pytest.raises(ValueError, match="NaN"):
        daily_precision_at_k([0, 1], [0.1, np.nan], days=[1, 1], k=1)


def _ap_of_ranking(labels_in_rank_order):
    """Average precision of a ranking without ties: mean over frauds of the precision at their rank."""
    labels = np.asarray(labels_in_rank_order, dtype=float)
    ranks = np.arange(1, labels.shape[-1] + 1)
    precision = np.cumsum(labels, axis=-1) / ranks
    return (precision * labels).sum(axis=-1) / labels.sum(axis=-1)


def test_expected_random_average_precision_equals_the_mean_over_every_order():
    import itertools

    from course.metrics import expected_random_average_precision

    assert _ap_of_ranking([0, 1, 1, 0]) == pytest.approx(average_precision_score([0, 1, 1, 0], [4, 3, 2, 1]))
    for labels in ([1, 0, 1, 0], [1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0]):
        orders = np.array(sorted(set(itertools.permutations(labels))))
        assert expected_random_average_precision(sum(labels), len(labels)) == pytest.approx(
            _ap_of_ranking(orders).mean(), abs=1e-12
        )


def test_expected_random_average_precision_is_above_the_prevalence_and_converges():
    from course.metrics import expected_random_average_precision

    # the figures: 5 frauds in 2,000 -> about 0.0061, not the prevalence 0.0025
    assert expected_random_average_precision(5, 2_000) == pytest.approx(0.00608, abs=1e-5)
    rng = np.random.default_rng(0)
    positions = np.argpartition(rng.random((10_000, 2_000)), 5, axis=1)[:, :5]  # 5 frauds at random places
    rankings = np.zeros((10_000, 2_000))
    np.put_along_axis(rankings, positions, 1.0, axis=1)
    simulated = _ap_of_ranking(rankings).mean()
    assert simulated == pytest.approx(expected_random_average_precision(5, 2_000), rel=0.08)  # about 4 standard errors
    ratios = [expected_random_average_precision(p, 100 * p) / 0.01 for p in (5, 50, 500, 5_000)]
    assert all(a > b > 1 for a, b in zip(ratios, ratios[1:]))
    assert ratios[-1] < 1.003
    # a constant score gets the prevalence exactly
    y = np.r_[np.ones(5), np.zeros(1_995)]
    assert average_precision_score(y, np.zeros(2_000)) == pytest.approx(5 / 2_000)


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((0, 10), ValueError, "n_frauds"),
        ((11, 10), ValueError, "cannot exceed"),
        ((1.5, 10), TypeError, "n_frauds"),
        ((1, True), TypeError, "bool"),
    ],
)
def test_expected_random_average_precision_checks_its_counts(args, error, message):
    from course.metrics import expected_random_average_precision

    with pytest.raises(error, match=message):
        expected_random_average_precision(*args)


def test_pairwise_refuses_more_pairs_than_useful_before_allocating():
    with pytest.raises(ValueError, match=r"n_pairs=1,000,000,000,000 is more than 100,000,000 pairs"):
        pairwise_roc_auc([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.3], n_pairs=10**12, seed=0)


def test_pairwise_draws_in_chunks_with_the_same_answer(monkeypatch):
    y = np.array([0, 1] * 50)
    score = np.random.default_rng(3).random(100)
    whole = pairwise_roc_auc(y, score, n_pairs=50_000, seed=1)
    monkeypatch.setattr(auc_module, "_PAIRS_PER_CHUNK", 7_000)  # 8 chunks: memory bounded by the chunk
    chunked = pairwise_roc_auc(y, score, n_pairs=50_000, seed=1)
    assert chunked == pytest.approx(roc_auc_score(y, score), abs=0.01)
    assert whole == pytest.approx(chunked, abs=0.01)

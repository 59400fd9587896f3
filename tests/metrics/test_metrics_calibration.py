"""Calibration metrics: hand-worked bins, agreement with scikit-learn and scipy, bad input, determinism."""

import numpy as np
import pytest
from scipy.stats import binomtest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss

from course.metrics import (
    CostModel,
    calibration_report,
    ece_noise_floor,
    expected_calibration_error,
    expected_loss_decisions,
    fraud_forecast,
    reliability_table,
)

# Six transactions, worked by hand with 2 uniform bins (edges 0, 0.5, 1):
#   p      0.1 0.2 0.3 | 0.6 0.7 0.9
#   fraud  0   0   1   | 0   1   1
# bin 0: mean 0.2, rate 1/3, gap -0.1333; bin 1: mean 0.7333, rate 2/3, gap +0.0667
# ECE = 3/6 * 0.1333 + 3/6 * 0.0667 = 0.1
Y = np.array([0, 0, 1, 0, 1, 1])
P = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.9])


def _rare_fraud(n=20_000, seed=0):
    rng = np.random.default_rng(seed)
    p = np.clip(rng.beta(0.3, 40.0, n), 0, 1)
    y = (rng.random(n) < p).astype(int)
    return y, p


def test_reliability_table_on_the_hand_worked_example():
    table = reliability_table(Y, P, n_bins=2)
    assert table.index.tolist() == [0, 1]
    assert table["transactions"].tolist() == [3, 3]
    assert table["frauds"].tolist() == [1, 2]
    np.testing.assert_allclose(table["mean_predicted"], [0.2, 2.2 / 3])
    np.testing.assert_allclose(table["fraud_rate"], [1 / 3, 2 / 3])
    np.testing.assert_allclose(table["gap"], [0.2 - 1 / 3, 2.2 / 3 - 2 / 3])
    np.testing.assert_allclose(table["weight"], [0.5, 0.5])
    assert table[["low_edge", "high_edge"]].to_numpy().tolist() == [[0.0, 0.5], [0.5, 1.0]]


def test_ece_on_the_hand_worked_example():
    assert expected_calibration_error(Y, P, n_bins=2) == pytest.approx(0.1, abs=1e-12)


def test_ece_weights_bins_by_their_transactions():
    # bin 0 holds 4 transactions (gap 0.1), bin 1 holds 1 (gap 0.5): weighted 0.18, unweighted 0.3
    y = [0, 0, 0, 0, 0]
    p = [0.1, 0.1, 0.1, 0.1, 0.5 + 1e-9]
    assert expected_calibration_error(y, p, n_bins=2) == pytest.approx((4 * 0.1 + 0.5) / 5, abs=1e-8)


def test_a_probability_on_an_inner_edge_goes_to_the_lower_bin_as_in_scikit_learn():
    table = reliability_table([0, 1], [0.5, 0.5], n_bins=2)
    assert table.index.tolist() == [0]


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [1, 5, 10, 30])
def test_bins_agree_with_scikit_learns_calibration_curve(strategy, n_bins):
    y, p = _rare_fraud()
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    table = reliability_table(y, p, n_bins=n_bins, strategy=strategy)
    np.testing.assert_allclose(table["fraud_rate"], prob_true, rtol=1e-12)
    np.testing.assert_allclose(table["mean_predicted"], prob_pred, rtol=1e-12)
    # and the ECE is the weighted mean of the table's gaps
    ece = expected_calibration_error(y, p, n_bins=n_bins, strategy=strategy)
    assert ece == pytest.approx(float((table["weight"] * table["gap"].abs()).sum()), rel=1e-10)


def test_quantile_bins_hold_about_the_same_number_of_transactions():
    y, p = _rare_fraud(10_000)
    table = reliability_table(y, p, n_bins=10, strategy="quantile")
    assert table["transactions"].tolist() == [1000] * 10


def test_uniform_bins_crowd_rare_fraud_into_the_first_bin():
    y, p = _rare_fraud()
    table = reliability_table(y, p, n_bins=10, strategy="uniform")
    assert table.loc[0, "weight"] > 0.95


@pytest.mark.parametrize("interval", ["wilson", "exact"])
def test_intervals_equal_scipy_binomtest(interval):
    y, p = _rare_fraud(5_000, seed=3)
    table = reliability_table(y, p, n_bins=8, strategy="quantile", interval=interval, confidence_level=0.9)
    for _, row in table.iterrows():
        ci = binomtest(int(row["frauds"]), int(row["transactions"])).proportion_ci(0.9, method=interval)
        assert row["rate_low"] == pytest.approx(ci.low, abs=1e-10)
        assert row["rate_high"] == pytest.approx(ci.high, abs=1e-10)
    assert ((table["rate_low"] <= table["fraud_rate"]) & (table["fraud_rate"] <= table["rate_high"])).all()


def test_intervals_at_zero_and_all_frauds():
    table = reliability_table([0, 0, 0, 1, 1, 1], [0.1, 0.1, 0.1, 0.9, 0.9, 0.9], n_bins=2, interval="exact")
    assert table["rate_low"].iloc[0] == 0.0 and table["rate_high"].iloc[0] > 0.5
    assert table["rate_high"].iloc[1] == 1.0 and table["rate_low"].iloc[1] < 0.5
    assert table["inside"].tolist() == [True, True]


def test_a_calibrated_model_scores_near_its_noise_floor_and_an_inflated_one_far_above():
    y, p = _rare_fraud(20_000, seed=1)
    floor = ece_noise_floor(p, n_bins=10, strategy="quantile", n_resamples=200, seed=0)
    calibrated = expected_calibration_error(y, p, n_bins=10, strategy="quantile")
    inflated = expected_calibration_error(y, np.clip(3 * p, 0, 1), n_bins=10, strategy="quantile")
    assert calibrated < np.quantile(floor, 0.99)
    assert inflated > 5 * np.quantile(floor, 0.99)
    # when every bin over-predicts, the ECE is the gap between the means, whatever the bins
    for strategy, n_bins in (("uniform", 10), ("quantile", 20)):
        assert expected_calibration_error(y, np.clip(3 * p, 0, 1), n_bins=n_bins, strategy=strategy) == pytest.approx(
            np.clip(3 * p, 0, 1).mean() - y.mean(), rel=0.05
        )


def test_noise_floor_matches_a_plain_loop():
    p = np.random.default_rng(4).uniform(0, 0.05, 500)
    fast = ece_noise_floor(p, n_bins=5, strategy="quantile", n_resamples=30, seed=7)
    rng = np.random.default_rng(7)
    slow = [
        expected_calibration_error((rng.random((1, p.size)) < p)[0].astype(int), p, n_bins=5, strategy="quantile")
        for _ in range(30)
    ]
    np.testing.assert_allclose(fast, slow, rtol=1e-12)


def test_noise_floor_is_deterministic_given_the_seed():
    p = np.random.default_rng(4).uniform(0, 0.05, 500)
    a = ece_noise_floor(p, n_resamples=20, seed=3)
    b = ece_noise_floor(p, n_resamples=20, seed=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, ece_noise_floor(p, n_resamples=20, seed=4))


def test_calibration_report_agrees_with_scikit_learn():
    y, p = _rare_fraud(3_000, seed=2)
    report = calibration_report(y, p, n_bins=10, strategy="quantile")
    assert report["brier"] == pytest.approx(brier_score_loss(y, p))
    assert report["log_loss"] == pytest.approx(log_loss(y, p))
    assert report["ece"] == expected_calibration_error(y, p, n_bins=10, strategy="quantile")
    assert report["mean_predicted"] == pytest.approx(p.mean())
    assert report["fraud_rate"] == pytest.approx(y.mean())


def test_calibration_report_on_a_quiet_day_without_fraud():
    report = calibration_report([0, 0, 0], [0.01, 0.02, 0.0])
    assert report["fraud_rate"] == 0.0
    assert report["brier"] == pytest.approx((0.01**2 + 0.02**2) / 3)


def test_fraud_forecast_by_hand_and_against_simulation():
    forecast = fraud_forecast([0.5] * 100)
    assert forecast["expected"] == 50.0 and forecast["standard_deviation"] == 5.0
    assert forecast["low"] == pytest.approx(50 - 1.959964 * 5, abs=1e-5)
    p = np.random.default_rng(0).beta(0.3, 40.0, 3_000)
    forecast = fraud_forecast(p)
    counts = (np.random.default_rng(1).random((4_000, p.size)) < p).sum(axis=1)
    coverage = np.mean((counts >= forecast["low"]) & (counts <= forecast["high"]))
    assert 0.93 < coverage < 0.97
    assert fraud_forecast([0.0, 0.0])["low"] == 0.0


def test_expected_loss_rule_by_hand():
    model = CostModel(review_cost=3.0, friction_cost=5.0)
    # break-even (3 + 5) / (amount + 5): 0.0615 for 125, 0.5333 for 10; exactly at break-even flags (>=)
    flags = expected_loss_decisions([0.07, 0.07, 0.6, 8 / 105], amounts=[125.0, 10.0, 10.0, 100.0], cost_model=model)
    assert flags.tolist() == [True, False, True, True]
    assert flags.dtype == bool
    fixed = CostModel(review_cost=3.0, friction_cost=5.0, fraud_loss=75.0)  # break-even 8 / 80 = 0.1
    assert expected_loss_decisions([0.09, 0.1, 0.5], cost_model=fixed).tolist() == [False, True, True]


def test_expected_loss_rule_is_the_cheaper_of_the_two_expected_costs():
    rng = np.random.default_rng(0)
    p, amounts = rng.random(2_000) * 0.2, rng.gamma(1.5, 60.0, 2_000)
    model = CostModel(review_cost=4.0, friction_cost=7.0)
    alert = model.review_cost + (1 - p) * model.friction_cost
    let_through = p * amounts
    flags = expected_loss_decisions(p, amounts=amounts, cost_model=model)
    np.testing.assert_array_equal(flags, alert <= let_through + 1e-12)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: expected_calibration_error([0, 1], [0.2, 1.2]), "between 0 and 1"),
        (lambda: expected_calibration_error([0, 1], [0.2, np.nan]), "NaN"),
        (lambda: expected_calibration_error([0, 1, 1], [0.2, 0.3]), "one value per transaction"),
        (lambda: expected_calibration_error([0, 2], [0.2, 0.3]), "only 0"),
        (lambda: expected_calibration_error([0, 1], [0.2, 0.3], n_bins=0), "n_bins"),
        (lambda: expected_calibration_error([0, 1], [0.2, 0.3], n_bins=2.5), "n_bins"),
        (lambda: expected_calibration_error([0, 1], [0.2, 0.3], strategy="equal"), "strategy"),
        (lambda: expected_calibration_error([], []), "empty"),
        (lambda: reliability_table([0, 1], [[0.2, 0.8], [0.3, 0.7]]), "one-dimensional"),
        (lambda: reliability_table([0, 1], [0.2, 0.3], interval="bayes"), "interval"),
        (lambda: reliability_table([0, 1], [0.2, 0.3], confidence_level=1.0), "confidence_level"),
        (lambda: ece_noise_floor([0.2, 0.3], n_resamples=0), "n_resamples"),
        (lambda: ece_noise_floor([0.2, 0.3], seed=-1), "seed"),
        (lambda: fraud_forecast([-0.1, 0.3]), "between 0 and 1"),
        (lambda: expected_loss_decisions([0.1, 0.2], cost_model=CostModel()), "amounts"),
        (lambda: expected_loss_decisions([0.1, 0.2], amounts=[1.0], cost_model=CostModel()), "one value"),
        (lambda: expected_loss_decisions([0.1, 2.0], amounts=[1.0, 1.0]), "between 0 and 1"),
        (lambda: expected_loss_decisions([0.1], amounts=[-1.0]), "negative"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_inputs_are_not_modified():
    y, p = Y.copy(), P.copy()
    reliability_table(y, p, n_bins=3, strategy="quantile")
    expected_calibration_error(y, p)
    ece_noise_floor(p, n_resamples=5)
    np.testing.assert_array_equal(y, Y)
    np.testing.assert_array_equal(p, P)

"""CostModel on a hand-checked example; least-cost and capacity thresholds against brute force."""

import numpy as np
import pandas as pd
import pytest

from course.metrics import CostModel, ThresholdSweep, capacity_threshold, least_cost_threshold

# Five transactions, checked by hand:
#   score   0.9  0.8  0.6  0.6  0.2
#   fraud   1    0    1    0    1
#   amount  200  50   80   30   500
Y = [1, 0, 1, 0, 1]
SCORE = [0.9, 0.8, 0.6, 0.6, 0.2]
AMOUNT = [200.0, 50.0, 80.0, 30.0, 500.0]


def test_cost_model_on_a_hand_checked_example():
    sweep = ThresholdSweep(Y, SCORE, amounts=AMOUNT)
    by_amount = CostModel(review_cost=2.0, friction_cost=10.0, fraud_loss="amount")
    # t = 0.6: 4 alerts (2 frauds, 2 false alarms), the 500 fraud is missed
    r = sweep.at(0.6, cost_model=by_amount)
    assert (r.alerts, r.fp, r.fn) == (4, 2, 1)
    assert r.expected_cost == 4 * 2.0 + 2 * 10.0 + 500.0 == 528.0
    assert r.cost_flag_nothing == 780.0
    assert r.savings == 252.0
    # fixed loss of 100 per missed fraud
    fixed = CostModel(review_cost=2.0, friction_cost=10.0, fraud_loss=100.0)
    assert sweep.at(0.6, cost_model=fixed).expected_cost == 8.0 + 20.0 + 100.0
    assert sweep.at(0.95, cost_model=fixed, zero_division=0.0).expected_cost == 300.0  # flag nothing
    # flag everything: 5 reviews, 2 false alarms, nothing missed
    assert sweep.at(0.0, cost_model=by_amount).expected_cost == 10.0 + 20.0


def brute_force_costs(y, score, amounts, model, thresholds):
    y, score, amounts = map(np.asarray, (y, score, amounts))
    costs = []
    for t in thresholds:
        flagged = score >= t
        missed = (y == 1) & ~flagged
        loss = amounts[missed].sum() if model.uses_amounts else model.fraud_loss * missed.sum()
        costs.append(model.review_cost * flagged.sum() + model.friction_cost * (flagged & (y == 0)).sum() + loss)
    return np.array(costs)


@pytest.mark.parametrize("seed", range(6))
def test_least_cost_threshold_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 60
    y = (rng.random(n) < 0.3).astype(int)
    y[:2] = [0, 1]
    score = np.round(rng.random(n) * 0.5 + 0.4 * y, 1)  # many ties
    amounts = np.round(rng.gamma(1.5, 40.0, n))  # whole amounts: exact cost ties happen
    model = CostModel(
        review_cost=float(rng.integers(1, 5)),
        friction_cost=float(rng.integers(0, 20)),
        fraud_loss="amount" if seed % 2 else 60.0,
    )
    candidates = np.append(np.unique(score), np.inf)
    costs = brute_force_costs(y, score, amounts, model, candidates)
    best = candidates[np.flatnonzero(costs == costs.min())[-1]]  # ties: the highest threshold
    sweep = ThresholdSweep(y, score, amounts=amounts)
    assert least_cost_threshold(sweep, model) == best
    np.testing.assert_allclose(sweep.at(candidates, cost_model=model, zero_division=0.0)["expected_cost"], costs)


def test_least_cost_ties_choose_the_highest_threshold_and_inf_means_flag_nothing():
    # every threshold costs the same when reviewing costs exactly what a missed fraud costs
    sweep = ThresholdSweep([1, 1, 0], [0.9, 0.5, 0.1])
    same = CostModel(review_cost=1.0, friction_cost=0.0, fraud_loss=1.0)
    # t=0.9: 1 + 1 missed = 2; t=0.5: 2; t=inf: 2 missed = 2; t=0.1: 3
    assert least_cost_threshold(sweep, same) == np.inf
    cheap_review = CostModel(review_cost=0.5, friction_cost=0.0, fraud_loss=1.0)
    assert least_cost_threshold(sweep, cheap_review) == 0.5


def _stamps(n_days, n, rng):
    return pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, n_days * 86_400, n), unit="s")


@pytest.mark.parametrize("seed", range(4))
def test_capacity_threshold_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 80
    y = (rng.random(n) < 0.2).astype(int)
    y[:2] = [0, 1]
    score = np.round(rng.random(n), 1)
    stamps = _stamps(4, n, rng)
    sweep = ThresholdSweep(y, score, timestamps=stamps)
    for capacity in [0.1, 1.0, 2.5, 5.0, 19.0, 20.0, 1e6]:
        fits = [t for t in np.unique(score) if (score >= t).sum() / sweep.n_days <= capacity]
        expected = min(fits) if fits else np.inf
        assert capacity_threshold(sweep, capacity) == expected, capacity


def test_least_cost_respects_capacity():
    rng = np.random.default_rng(11)
    n = 200
    y = (rng.random(n) < 0.3).astype(int)
    score = np.round(rng.random(n) * 0.6 + 0.3 * y, 2)
    amounts = rng.gamma(2.0, 100.0, n)
    stamps = _stamps(5, n, rng)
    sweep = ThresholdSweep(y, score, amounts=amounts, timestamps=stamps)
    free = CostModel(review_cost=1.0, friction_cost=1.0)
    capped = CostModel(review_cost=1.0, friction_cost=1.0, capacity_per_day=3.0)
    unconstrained = least_cost_threshold(sweep, free)
    assert sweep.at(unconstrained).alerts_per_day > 3.0  # the cap bites in this example
    best = least_cost_threshold(sweep, capped)
    assert sweep.at(best, zero_division=0.0).alerts_per_day <= 3.0
    assert best >= capacity_threshold(sweep, 3.0)
    assert sweep.at(best, cost_model=capped, zero_division=0.0).within_capacity
    # brute force over the thresholds that fit
    candidates = np.append(np.unique(score), np.inf)
    table = sweep.at(candidates, cost_model=capped, zero_division=0.0)
    fitting = table[table["within_capacity"]]
    cheapest = np.flatnonzero(fitting["expected_cost"] == fitting["expected_cost"].min())
    assert best == fitting["threshold"].iloc[cheapest[-1]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"review_cost": -1.0}, "review_cost"),
        ({"friction_cost": float("nan")}, "friction_cost"),
        ({"fraud_loss": "mean"}, "fraud_loss"),
        ({"fraud_loss": -5.0}, "fraud_loss"),
        ({"capacity_per_day": 0}, "capacity_per_day"),
        ({"review_cost": "3"}, "review_cost"),
    ],
)
def test_cost_model_validation(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        CostModel(**kwargs)


def test_cost_model_is_frozen_and_hashable():
    model = CostModel(review_cost=2, friction_cost=1, fraud_loss=50, capacity_per_day=10)
    assert model.review_cost == 2.0 and isinstance(model.review_cost, float)
    with pytest.raises(AttributeError):
        model.review_cost = 3.0
    assert hash(model) == hash(CostModel(review_cost=2.0, friction_cost=1.0, fraud_loss=50.0, capacity_per_day=10.0))


def test_capacity_threshold_needs_timestamps_and_a_positive_capacity():
    sweep = ThresholdSweep([0, 1], [0.1, 0.9])
    with pytest.raises(ValueError, match="needs timestamps"):
        capacity_threshold(sweep, 5)
    with pytest.raises(ValueError, match="capacity_per_day"):
        capacity_threshold(sweep, -1)


def test_expected_loss_decisions_flags_at_each_amounts_break_even():
    from course.metrics import expected_loss_decisions

    model = CostModel(review_cost=3.0, friction_cost=5.0)
    # break-even (3 + 5) / (amount + 5): 0.0615 for 125, 0.5333 for 10, 0.0762 for 100
    flags = expected_loss_decisions(
        [0.07, 0.07, 0.6, 0.08, 0.07], amounts=[125.0, 10.0, 10.0, 100.0, 100.0], cost_model=model
    )
    assert flags.tolist() == [True, False, True, True, False]
    assert flags.dtype == bool
    # with a fixed loss of 75: one break-even for all, (3 + 5) / 80 = 0.1
    fixed = CostModel(review_cost=3.0, friction_cost=5.0, fraud_loss=75.0)
    assert expected_loss_decisions([0.09, 0.1, 0.5], cost_model=fixed).tolist() == [False, True, True]


def test_expected_loss_decisions_minimise_the_expected_cost_of_each_transaction():
    from course.metrics import expected_loss_decisions

    rng = np.random.default_rng(2)
    p, amounts = rng.random(2_000), rng.gamma(2.0, 60.0, 2_000)
    model = CostModel(review_cost=2.0, friction_cost=7.0)
    flags = expected_loss_decisions(p, amounts=amounts, cost_model=model)
    cost_if_flagged = model.review_cost + (1 - p) * model.friction_cost
    cost_if_passed = p * amounts
    chosen = np.where(flags, cost_if_flagged, cost_if_passed)
    assert np.all(chosen <= np.minimum(cost_if_flagged, cost_if_passed) + 1e-12)
    # so no single threshold has a lower expected cost on calibrated probabilities
    for t in np.linspace(0, 1, 41):
        single = np.where(p >= t, cost_if_flagged, cost_if_passed)
        assert chosen.sum() <= single.sum() + 1e-9


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda f: f([0.1, 0.2], cost_model=CostModel()), "amounts"),
        (lambda f: f([0.1, 0.2], amounts=[1.0], cost_model=CostModel()), "one value"),
        (lambda f: f([0.1, 2.0], amounts=[1.0, 1.0]), "between 0 and 1"),
        (lambda f: f([0.1, np.nan], amounts=[1.0, 1.0]), "NaN"),
        (lambda f: f([0.1], amounts=[-1.0]), "negative"),
    ],
)
def test_expected_loss_decisions_reject_bad_input(call, message):
    from course.metrics import expected_loss_decisions

    with pytest.raises(ValueError, match=message):
        call(expected_loss_decisions)
    with pytest.raises(TypeError, match="CostModel"):
        expected_loss_decisions([0.1], amounts=[1.0], cost_model={"review_cost": 1})


def test_fraud_by_score_band_counts_rates_and_money():
    from course.metrics import fraud_by_score_band

    y = [0, 1, 0, 0, 1, 1]
    score = [0.01, 0.04, 0.05, 0.2, 0.6, 1.0]
    amounts = [10.0, 20.0, 30.0, 40.0, 300.0, 100.0]
    table = fraud_by_score_band(y, score, bands=[0, 0.05, 0.5, 1], amounts=amounts)
    assert table.index.tolist() == ["[0, 0.05)", "[0.05, 0.5)", "[0.5, 1]"]
    assert table["transactions"].tolist() == [2, 2, 2]  # 0.05 opens the second band, 1.0 closes the last
    assert table["frauds"].tolist() == [1, 0, 2]
    assert table["fraud_rate"].tolist() == [0.5, 0.0, 1.0]
    assert table["mean_score"].tolist() == pytest.approx([0.025, 0.125, 0.8])
    assert table["mean_fraud_amount"].iloc[0] == 20.0 and np.isnan(table["mean_fraud_amount"].iloc[1])
    assert table["fraud_amount_per_transaction"].tolist() == [10.0, 0.0, 200.0]
    without_money = fraud_by_score_band(y, score, bands=[0, 0.5, 1.5, 2])
    assert "mean_fraud_amount" not in without_money
    assert without_money["transactions"].tolist() == [4, 2, 0] and np.isnan(without_money["fraud_rate"].iloc[2])


def test_fraud_by_score_band_rejects_bad_bands():
    from course.metrics import fraud_by_score_band

    with pytest.raises(ValueError, match="increasing"):
        fraud_by_score_band([0, 1], [0.1, 0.2], bands=[0, 0.5, 0.5, 1])
    with pytest.raises(ValueError, match="outside the bands"):
        fraud_by_score_band([0, 1], [0.1, 0.9], bands=[0, 0.5])
    with pytest.raises(ValueError, match="one value per transaction"):
        fraud_by_score_band([0, 1], [0.1, 0.2], bands=[0, 1], amounts=[1.0])


def test_a_cost_model_that_is_not_one_is_a_clear_type_error():
    sweep = ThresholdSweep([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.7], amounts=[5.0, 10.0, 5.0, 20.0])
    for call in (
        lambda: sweep.at(0.5, cost_model="x"),
        lambda: sweep.at([0.2, 0.5], cost_model={"review_cost": 1}),
        lambda: least_cost_threshold(sweep, "x"),
    ):
        with pytest.raises(TypeError, match="cost_model must be a course.metrics.CostModel, got"):
            call()
    with pytest.raises(TypeError, match="sweep must be a course.metrics.ThresholdSweep"):
        least_cost_threshold("sweep", CostModel())

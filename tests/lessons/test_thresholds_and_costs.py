"""course.lessons.thresholds_and_costs: money of decisions, the amount-aware scorer, capacity, fraud-rate shifts."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV

from course.lessons.thresholds_and_costs import (
    cost_by_capacity,
    decision_costs,
    make_savings_scorer,
    operating_points_by_period,
    savings_score,
    shifted_threshold,
    threshold_by_fraud_rate,
)
from course.metrics import CostModel, ThresholdSweep, least_cost_threshold

MODEL = CostModel(review_cost=2.0, friction_cost=6.0)


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    n = 4_000
    y = (rng.random(n) < 0.04).astype(int)
    score = 1 / (1 + np.exp(-(rng.normal(size=n) + 2.5 * y - 3.5)))
    amounts = np.round(rng.gamma(2.0, 40.0, n), 2)
    stamps = pd.Timestamp("2024-03-04") + pd.to_timedelta(np.sort(rng.integers(0, 21 * 86_400, n)), unit="s")
    return y, score, amounts, stamps


# -- decision_costs / savings_score -------------------------------------------------------


@pytest.mark.parametrize("cost_model", [MODEL, CostModel(review_cost=1.0, friction_cost=3.0, fraud_loss=90.0)])
def test_decision_costs_agree_with_the_threshold_engine(data, cost_model):
    y, score, amounts, _ = data
    sweep = ThresholdSweep(y, score, amounts=amounts)
    for threshold in (0.05, 0.2, float(np.sort(score)[-30])):
        engine = sweep.at(threshold, cost_model=cost_model)
        costs = decision_costs(y, (score >= threshold).astype(int), amounts=amounts, cost_model=cost_model)
        assert costs["alerts"] == engine.alerts
        assert costs["false_positives"] == engine.fp
        assert costs["false_negatives"] == engine.fn
        assert costs["expected_cost"] == pytest.approx(engine.expected_cost)
        assert costs["savings"] == pytest.approx(engine.savings)


def test_review_cost_is_paid_on_every_alert_not_only_false_alarms():
    costs = decision_costs(
        [1, 1, 0], [1, 1, 1], amounts=[100, 100, 5], cost_model=CostModel(review_cost=10.0, friction_cost=0.0)
    )
    assert costs["expected_cost"] == 30.0  # three alerts reviewed, nothing missed
    assert costs["savings"] == 170.0


def test_savings_score_is_decision_costs_savings(data):
    y, score, amounts, _ = data
    pred = (score >= 0.1).astype(int)
    expected = decision_costs(y, pred, amounts=amounts, cost_model=MODEL)["savings"]
    assert savings_score(y, pred, amount=amounts, cost_model=MODEL) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y_pred": [0, 2, 1]}, "y_pred must hold only 0"),
        ({"amounts": [1.0, -2.0, 3.0]}, "negative"),
        ({"amounts": [1.0, 2.0]}, "one value per transaction"),
        ({"amounts": None}, "needs the transaction amounts"),
        ({"y_pred": [0.2, 0.9, 0.4]}, "y_pred must hold only 0"),
    ],
)
def test_decision_costs_name_the_problem(kwargs, message):
    arguments = {"y_pred": [0, 1, 1], "amounts": [1.0, 2.0, 3.0], **kwargs}
    with pytest.raises(ValueError, match=message):
        decision_costs([0, 1, 1], arguments["y_pred"], amounts=arguments["amounts"])


def test_decision_costs_refuses_a_wrong_cost_model():
    with pytest.raises(TypeError, match="CostModel"):
        decision_costs([0, 1], [0, 1], amounts=[1, 2], cost_model={"review_cost": 1})


# -- the scorer in TunedThresholdClassifierCV ------------------------------------------


def _fitted_model(data):
    y, score, _, _ = data
    X = np.log(score / (1 - score)).reshape(-1, 1)
    return X, LogisticRegression().fit(X[:2000], y[:2000])


def test_tuned_threshold_equals_the_exact_least_cost_threshold(data):
    y, _, amounts, _ = data
    X, model = _fitted_model(data)
    X_val, y_val, amount_val = X[2000:], y[2000:], amounts[2000:]
    probabilities = model.predict_proba(X_val)[:, 1]
    sweep = ThresholdSweep(y_val, probabilities, amounts=amount_val)
    with sklearn.config_context(enable_metadata_routing=True):
        tuned = TunedThresholdClassifierCV(
            model,
            scoring=make_savings_scorer(MODEL),
            cv="prefit",
            refit=False,
            thresholds=sweep.thresholds,
            store_cv_results=True,
        ).fit(X_val, y_val, amount=amount_val)
    assert tuned.best_threshold_ == least_cost_threshold(sweep, MODEL)
    assert tuned.best_score_ == pytest.approx(sweep.at(tuned.best_threshold_, cost_model=MODEL).savings)
    shipped = FixedThresholdClassifier(model, threshold=tuned.best_threshold_, response_method="predict_proba")
    assert np.array_equal(shipped.predict(X_val), (probabilities >= tuned.best_threshold_).astype(int))


def test_scorer_uses_each_amount(data):
    y, _, amounts, _ = data
    X, model = _fitted_model(data)
    with sklearn.config_context(enable_metadata_routing=True):
        scorer = make_savings_scorer(MODEL)
        small = scorer(model, X, y, amount=amounts)
        large = scorer(model, X, y, amount=amounts * 10)
    assert large > small  # frauds caught are worth ten times more


def test_fixed_loss_scorer_needs_no_metadata(data):
    y, _, _, _ = data
    X, model = _fitted_model(data)
    fixed = CostModel(review_cost=2.0, friction_cost=6.0, fraud_loss=80.0)
    score = make_savings_scorer(fixed)(model, X, y)
    assert score == pytest.approx(decision_costs(y, model.predict(X), cost_model=fixed)["savings"])


# -- capacity ---------------------------------------------------------------------------


def test_cost_by_capacity(data):
    y, score, amounts, stamps = data
    sweep = ThresholdSweep(y, score, amounts=amounts, timestamps=stamps)
    free_per_day = sweep.at(least_cost_threshold(sweep, MODEL), zero_division=0.0).alerts_per_day
    capacities = [free_per_day / 4, free_per_day / 2, free_per_day * 2]
    table = cost_by_capacity(sweep, MODEL, capacities)
    assert table["capacity_per_day"].tolist()[1:] == capacities
    assert table["extra_cost"].iloc[0] == 0.0
    assert (table["alerts_per_day"].iloc[1:] <= table["capacity_per_day"].iloc[1:]).all()
    assert table["capacity_binds"].tolist() == [False, True, True, False]
    assert table["extra_cost"].iloc[1] > table["extra_cost"].iloc[2] > 0  # less capacity, more cost
    assert table["extra_cost"].iloc[3] == 0.0
    limited = CostModel(2.0, 6.0, capacity_per_day=capacities[0])
    assert table["threshold"].iloc[1] == least_cost_threshold(sweep, limited)


def test_cost_by_capacity_checks_its_input(data):
    y, score, amounts, stamps = data
    with pytest.raises(ValueError, match="timestamps"):
        cost_by_capacity(ThresholdSweep(y, score, amounts=amounts), MODEL, [10])
    sweep = ThresholdSweep(y, score, amounts=amounts, timestamps=stamps)
    with pytest.raises(ValueError, match="positive"):
        cost_by_capacity(sweep, MODEL, [10, 0])
    with pytest.raises(TypeError, match="ThresholdSweep"):
        cost_by_capacity((y, score), MODEL, [10])


# -- fraud rate ---------------------------------------------------------------------------


def test_shifted_threshold_is_bayes_rule():
    # a score calibrated at rate a: posterior odds = likelihood ratio * prior odds
    rng = np.random.default_rng(0)
    ratio = np.exp(rng.normal(size=50))
    odds = lambda p: p / (1 - p)
    old, new = 0.005, 0.02
    p_old = ratio * odds(old) / (1 + ratio * odds(old))
    p_new = ratio * odds(new) / (1 + ratio * odds(new))
    # the model says p_old; the chance of fraud at the new rate is p_new. Keeping "alert when
    # the chance of fraud >= t" means flagging p_old >= shifted_threshold(t, old_rate=old, new_rate=new)
    np.testing.assert_allclose(shifted_threshold(p_new, old_rate=old, new_rate=new), p_old)
    # ...and a threshold set at the old rate moves down when fraud becomes more common
    assert shifted_threshold(0.3, old_rate=old, new_rate=new) < 0.3
    assert shifted_threshold(0.3, old_rate=new, new_rate=old) > 0.3
    assert shifted_threshold(0.3, old_rate=old, new_rate=old) == pytest.approx(0.3)
    # one threshold, several new rates (broadcast)
    many = shifted_threshold(0.3, old_rate=old, new_rate=[old, new])
    np.testing.assert_allclose(many, [0.3, shifted_threshold(0.3, old_rate=old, new_rate=new)])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 1.0}, "threshold must be strictly between 0 and 1"),
        ({"old_rate": 0.0}, "old_rate"),
        ({"new_rate": 1.5}, "new_rate"),
        ({"threshold": [[0.2]]}, "threshold"),
    ],
)
def test_shifted_threshold_checks_its_input(kwargs, message):
    arguments = {"threshold": 0.2, "old_rate": 0.01, "new_rate": 0.02, **kwargs}
    with pytest.raises(ValueError, match=message):
        shifted_threshold(arguments.pop("threshold"), **arguments)


def test_threshold_by_fraud_rate(data):
    y, score, amounts, _ = data
    natural = y.mean()
    rates = [natural / 4, natural, natural * 3]
    table = threshold_by_fraud_rate(y, score, amounts=amounts, cost_model=MODEL, fraud_rates=rates, seed=1)
    assert table["fraud_rate"].iloc[1] == pytest.approx(natural)
    assert table["threshold"].iloc[1] == least_cost_threshold(ThresholdSweep(y, score, amounts=amounts), MODEL)
    assert table["threshold"].is_monotonic_decreasing  # more fraud, lower threshold
    assert table["fraud_rate"].iloc[0] == pytest.approx(rates[0], rel=0.05)
    again = threshold_by_fraud_rate(y, score, amounts=amounts, cost_model=MODEL, fraud_rates=rates, seed=1)
    pd.testing.assert_frame_equal(table, again)
    with pytest.raises(ValueError, match="fraud rate == 0.0, must be > 0"):
        threshold_by_fraud_rate(y, score, amounts=amounts, fraud_rates=[0.0], seed=1)
    with pytest.raises(ValueError, match="amounts"):
        threshold_by_fraud_rate(y, score, fraud_rates=[0.01], seed=1)


# -- monitoring -----------------------------------------------------------------------------


def test_operating_points_by_period_add_up(data):
    y, score, amounts, stamps = data
    threshold = 0.3
    model = CostModel(2.0, 6.0, capacity_per_day=5.0)
    table = operating_points_by_period(
        y, score, timestamps=stamps, threshold=threshold, amounts=amounts, cost_model=model
    )
    assert len(table) == 3  # three weeks starting on a Monday
    assert table["transactions"].sum() == len(y)
    assert table["days"].tolist() == [7, 7, 7]
    whole = decision_costs(y, (score >= threshold).astype(int), amounts=amounts, cost_model=model)
    assert table["alerts"].sum() == whole["alerts"]
    assert table["savings"].sum() == pytest.approx(whole["savings"])
    assert (table["within_capacity"] == (table["alerts_per_day"] <= 5.0)).all()
    week = np.asarray(stamps < pd.Timestamp("2024-03-11"))
    first = ThresholdSweep(y[week], score[week]).at(threshold)
    assert table["precision"].iloc[0] == pytest.approx(first.precision)
    assert table["recall"].iloc[0] == pytest.approx(first.recall)


def test_operating_points_by_period_checks_its_input(data):
    y, score, amounts, stamps = data
    with pytest.raises(TypeError, match="threshold must be an instance of float"):
        operating_points_by_period(y, score, timestamps=stamps, threshold=None)
    with pytest.raises(ValueError, match="amounts"):
        operating_points_by_period(y, score, timestamps=stamps, threshold=0.5, cost_model=MODEL)
    with pytest.raises(ValueError, match="datetimes"):
        operating_points_by_period(y, score, timestamps=np.arange(len(y)), threshold=0.5)


def test_decision_rule_gaps_price_each_rule_and_bootstrap_the_difference():
    from course.lessons.thresholds_and_costs import decision_costs, decision_rule_gaps
    from course.metrics import DayBootstrap, expected_loss_decisions

    rng = np.random.default_rng(3)
    n = 3_000
    days = rng.integers(0, 15, n)
    y = (rng.random(n) < 0.03).astype(int)
    p = np.clip(0.03 + 0.4 * y + rng.normal(0, 0.08, n), 0, 1)
    amounts = rng.gamma(2.0, 60.0, n)
    model = CostModel(review_cost=3.0, friction_cost=5.0)
    rules = {
        "threshold 0.2": p >= 0.2,
        "expected loss": expected_loss_decisions(p, amounts=amounts, cost_model=model),
    }
    table = decision_rule_gaps(y, rules, amounts=amounts, days=days, cost_model=model, n_resamples=40, seed=1)
    for name, flags in rules.items():
        money = decision_costs(y, flags.astype(int), amounts=amounts, cost_model=model)
        assert table.loc[name, "expected_cost"] == pytest.approx(money["expected_cost"])
        assert table.loc[name, "alerts"] == money["alerts"]
        assert table.loc[name, "frauds_caught"] == money["true_positives"]
    assert (
        np.isnan(table.loc["threshold 0.2", "cost_difference"]) and table.loc["threshold 0.2", "inside_noise"] is None
    )
    gap = table.loc["expected loss"]
    assert gap["cost_difference"] == pytest.approx(
        table.loc["expected loss", "expected_cost"] - table.loc["threshold 0.2", "expected_cost"]
    )
    # the interval equals the one from recomputing the costs on the resampled rows
    boot = DayBootstrap(days, n_resamples=40, seed=1)
    draws = []
    for r in range(40):
        rows = boot.rows(r)
        cost = [
            decision_costs(y[rows], rules[name][rows].astype(int), amounts=amounts[rows], cost_model=model)[
                "expected_cost"
            ]
            for name in ("expected loss", "threshold 0.2")
        ]
        draws.append(cost[0] - cost[1])
    assert gap["low"] == pytest.approx(np.quantile(draws, 0.025)) and gap["high"] == pytest.approx(
        np.quantile(draws, 0.975)
    )
    assert gap["inside_noise"] == bool(gap["low"] <= 0 <= gap["high"])
    alerts_draws = [
        rules["expected loss"][boot.rows(r)].sum() - rules["threshold 0.2"][boot.rows(r)].sum() for r in range(40)
    ]
    assert gap["alerts_difference"] == rules["expected loss"].sum() - rules["threshold 0.2"].sum()
    assert gap["alerts_low"] == pytest.approx(np.quantile(alerts_draws, 0.025))
    assert gap["alerts_high"] == pytest.approx(np.quantile(alerts_draws, 0.975))
    with pytest.raises(ValueError, match="reference"):
        decision_rule_gaps(y, rules, amounts=amounts, days=days, reference="nope")
    with pytest.raises(ValueError, match="non-empty dict"):
        decision_rule_gaps(y, {}, amounts=amounts, days=days)

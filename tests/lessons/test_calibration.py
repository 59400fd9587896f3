"""course.lessons.calibration: the study's windows, calibrations against scikit-learn, money, forecasts, drift."""

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from course.data import simulate_transactions
from course.lessons.calibration import (
    DEFAULT_COST_MODEL,
    MODEL_NAMES,
    CalibrationStudy,
    calibrated_probabilities,
    calibration_summary,
    calibration_view,
    calibration_views,
    compare_calibrations,
    daily_forecast,
    ece_by_binning,
    explorer_probabilities,
    fit_calibration_study,
    fit_calibrator,
    fraud_rate_drift,
    isotonic_overfitting,
    money_of_calibration,
    ranking_versus_money,
    threshold_versus_calibration,
)
from course.lessons.class_imbalance import correct_undersampled_probabilities
from course.lessons.thresholds_and_costs import decision_costs
from course.metrics import (
    CostModel,
    DayBootstrap,
    ThresholdSweep,
    expected_calibration_error,
    expected_loss_decisions,
    least_cost_threshold,
)

WORLD = {"n_customers": 300, "n_terminals": 600, "n_days": 50, "seed": 1}
PERIODS = {"train_days": 25, "gap_days": 5, "test_days": 20, "calibration_days": 8}


@pytest.fixture(scope="module")
def study():
    return fit_calibration_study(simulate_transactions(**WORLD), **PERIODS, beta=0.1, extra_betas=(0.3,))


@pytest.fixture(scope="module")
def calibrated(study):
    return {name: calibrated_probabilities(study, name) for name in MODEL_NAMES}


def _synthetic(n=6_000, days=12, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.beta(0.5, 40.0, n)
    y = (rng.random(n) < p).astype(int)
    return y, p, np.round(rng.gamma(2.0, 50.0, n), 2), np.repeat(np.arange(days), n // days)


# -- the study ---------------------------------------------------------------------------------


def test_windows_follow_each_other_in_time_without_overlap(study):
    assert study.train["day"].max() < study.calibration["day"].min()
    assert study.calibration["day"].max() < study.launch["day"].min()
    assert study.calibration["day"].min() - study.train["day"].max() == PERIODS["gap_days"] + 1
    assert study.calibration["day"].nunique() == PERIODS["calibration_days"]
    assert study.launch["day"].nunique() == PERIODS["test_days"] - PERIODS["calibration_days"]
    for frame, X, y in (
        (study.train, study.X_train, study.y_train),
        (study.calibration, study.X_calibration, study.y_calibration),
        (study.launch, study.X_launch, study.y_launch),
    ):
        assert len(frame) == len(X) == len(y)
        np.testing.assert_array_equal(frame["is_fraud"].to_numpy(), y)


def test_betas_say_how_each_model_saw_the_classes(study):
    genuines, frauds = int((study.y_train == 0).sum()), int(study.y_train.sum())
    assert study.betas["logreg"] == study.betas["hgb"] == 1.0
    assert study.betas["class_weight"] == pytest.approx(frauds / genuines)  # balanced: genuine weight / fraud weight
    assert study.betas["undersample"] == pytest.approx(0.1, abs=1 / genuines)
    assert sorted(study.undersampled) == [0.1, 0.3]
    assert study.undersampled[0.1] is study.models["undersample"]
    np.testing.assert_array_equal(study.probabilities(0.1), study.probabilities("undersample"))


def test_probabilities_are_the_models_own(study):
    for name, model in study.models.items():
        np.testing.assert_allclose(study.probabilities(name), model.predict_proba(study.X_launch)[:, 1])
        np.testing.assert_allclose(
            study.probabilities(name, "calibration"), model.predict_proba(study.X_calibration)[:, 1]
        )


def test_the_study_is_deterministic(study):
    again = fit_calibration_study(simulate_transactions(**WORLD), **PERIODS, beta=0.1, models=("undersample", "hgb"))
    for name in ("undersample", "hgb"):
        np.testing.assert_array_equal(again.probabilities(name), study.probabilities(name))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"models": ("svm",)}, "models must name"),
        ({"models": ()}, "models must name"),
        ({"calibration_days": 20}, "calibration_days"),
        ({"calibration_days": 0}, "calibration_days"),
        ({"test_days": 200}, "covers days"),
    ],
)
def test_bad_study_arguments(kwargs, message):
    arguments = {**PERIODS, "models": ("logreg",), **kwargs}
    with pytest.raises(ValueError, match=message):
        fit_calibration_study(simulate_transactions(**WORLD), **arguments)


def test_a_window_without_fraud_is_refused():
    world = simulate_transactions(
        60,
        120,
        30,
        seed=0,
        large_amount_rate=0.0,
        compromised_terminal_rate=0.0,
        leaked_card_rate=0.0,
        card_testing_rate=0.0,
    )
    with pytest.raises(ValueError, match="one class only"):
        fit_calibration_study(world, train_days=15, gap_days=2, test_days=10, calibration_days=4, models=("logreg",))


def test_unknown_model_and_window(study):
    with pytest.raises(ValueError, match="window"):
        study.probabilities("logreg", "test")
    with pytest.raises(ValueError, match="no model"):
        study.probabilities("svm")


# -- calibrations --------------------------------------------------------------------------------


def test_prior_correction_is_module_01s_formula(study, calibrated):
    raw = study.probabilities("undersample")
    np.testing.assert_allclose(
        calibrated["undersample"]["prior"],
        np.clip(correct_undersampled_probabilities(raw, study.betas["undersample"]), 0, 1),
    )
    np.testing.assert_array_equal(calibrated["logreg"]["prior"], study.probabilities("logreg"))  # beta = 1
    np.testing.assert_array_equal(calibrated["undersample"]["none"], raw)


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_calibrators_equal_scikit_learns_on_the_calibration_window(study, calibrated, method):
    model = study.models["undersample"]
    expected = (
        CalibratedClassifierCV(FrozenEstimator(model), method=method)
        .fit(study.X_calibration, study.y_calibration)
        .predict_proba(study.X_launch)[:, 1]
    )
    np.testing.assert_allclose(calibrated["undersample"][method], expected)


def test_a_frozen_model_is_never_refitted(study):
    model = study.models["logreg"]
    before = model[-1].coef_.copy()
    fit_calibrator(model, study.X_calibration, study.y_calibration, method="isotonic")
    np.testing.assert_array_equal(model[-1].coef_, before)
    with pytest.raises(ValueError, match="sigmoid"):
        fit_calibrator(model, study.X_calibration, study.y_calibration, method="temperature")


def test_calibration_moves_the_mean_towards_the_fraud_rate(study, calibrated):
    rate = study.y_launch.mean()
    # class weights inflate the probabilities many times; any calibration brings them back
    for method in ("prior", "sigmoid", "isotonic"):
        assert abs(calibrated["class_weight"][method].mean() - rate) < abs(
            calibrated["class_weight"]["none"].mean() - rate
        )
    # on its own window, a sigmoid calibrator predicts about the window's fraud rate (a logistic fit)
    calibrator = fit_calibrator(study.models["undersample"], study.X_calibration, study.y_calibration)
    on_window = calibrator.predict_proba(study.X_calibration)[:, 1].mean()
    assert on_window == pytest.approx(study.y_calibration.mean(), rel=0.1)


def test_calibrated_probabilities_bad_input(study):
    with pytest.raises(ValueError, match="methods"):
        calibrated_probabilities(study, "logreg", methods=["platt"])
    with pytest.raises(ValueError, match="no model"):
        calibrated_probabilities(study, 0.5)
    with pytest.raises(TypeError, match="CalibrationStudy"):
        calibrated_probabilities({"logreg": None}, "logreg")


# -- tables ---------------------------------------------------------------------------------------


def test_summary_agrees_with_scikit_learn():
    y, p, _, _ = _synthetic()
    table = calibration_summary(y, {"calibrated": p, "inflated": np.clip(5 * p, 0, 1)})
    row = table.loc["calibrated"]
    assert row["roc_auc"] == pytest.approx(roc_auc_score(y, p))
    assert row["average_precision"] == pytest.approx(average_precision_score(y, p))
    assert row["brier"] == pytest.approx(brier_score_loss(y, p))
    assert row["ece_quantile"] == expected_calibration_error(y, p, n_bins=10, strategy="quantile")
    assert row["ece_quantile"] < row["ece_quantile_floor"] < table.loc["inflated", "ece_quantile"]
    assert table.loc["inflated", "roc_auc"] == pytest.approx(row["roc_auc"])  # an increasing map: same ranking


def test_ece_by_binning_rows_are_the_metric():
    y, p, _, _ = _synthetic()
    table = ece_by_binning(y, p, bins=(5, 20), n_resamples=20)
    for (strategy, n_bins), row in table.iterrows():
        assert row["ece"] == expected_calibration_error(y, p, n_bins=n_bins, strategy=strategy)
        assert row["floor_median"] <= row["floor_95"]
        assert row["bins_with_a_fraud"] <= row["filled_bins"] <= n_bins


def test_ranking_versus_money_by_hand():
    y, p, amounts, days = _synthetic()
    inflated = np.sqrt(p)  # increasing: same order
    table, changed, gap = ranking_versus_money(y, inflated, p, amounts=amounts, days=days)
    assert table.loc["before", "roc_auc"] == table.loc["after", "roc_auc"]
    assert table.loc["before", "average_precision"] == table.loc["after", "average_precision"]
    before = expected_loss_decisions(inflated, amounts=amounts, cost_model=DEFAULT_COST_MODEL)
    after = expected_loss_decisions(p, amounts=amounts, cost_model=DEFAULT_COST_MODEL)
    assert changed == int((before != after).sum()) > 0
    cost_before = decision_costs(y, before.astype(int), amounts=amounts, cost_model=DEFAULT_COST_MODEL)
    cost_after = decision_costs(y, after.astype(int), amounts=amounts, cost_model=DEFAULT_COST_MODEL)
    assert table.loc["before", "expected_cost"] == pytest.approx(cost_before["expected_cost"])
    assert gap.estimate == pytest.approx(cost_after["expected_cost"] - cost_before["expected_cost"])
    assert gap.low <= gap.estimate <= gap.high
    assert table.loc["after", "alerts_per_day"] == pytest.approx(after.sum() / 12)


def test_cost_and_brier_differences_use_the_same_draws_as_the_generic_bootstrap():
    y, p, amounts, days = _synthetic(seed=3)
    doubled = np.clip(2 * p, 0, 1)
    table = compare_calibrations(
        y, {"true": p, "doubled": doubled}, amounts=amounts, days=days, reference="true", seed=5
    )
    assert table.loc["true", ["brier_diff", "cost_diff"]].tolist() == [0.0, 0.0]

    def brier_gap(labels, a, b):
        return np.mean((a - labels) ** 2) - np.mean((b - labels) ** 2)

    generic = DayBootstrap(days, seed=5).statistic(brier_gap, y, doubled, p)
    assert table.loc["doubled", "brier_diff"] == pytest.approx(generic.estimate)
    assert table.loc["doubled", "brier_diff_low"] == pytest.approx(generic.low)
    assert table.loc["doubled", "brier_diff_high"] == pytest.approx(generic.high)


def test_comparisons_are_deterministic_given_the_seed():
    y, p, amounts, days = _synthetic(seed=4)
    probabilities = {"true": p, "halved": p / 2}
    a = compare_calibrations(y, probabilities, amounts=amounts, days=days, reference="true", seed=1)
    b = compare_calibrations(y, probabilities, amounts=amounts, days=days, reference="true", seed=1)
    c = compare_calibrations(y, probabilities, amounts=amounts, days=days, reference="true", seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc["halved", "cost_diff_low"] != c.loc["halved", "cost_diff_low"]


def test_compare_calibrations_bad_input():
    y, p, amounts, days = _synthetic()
    with pytest.raises(ValueError, match="reference"):
        compare_calibrations(y, {"a": p}, amounts=amounts, days=days, reference="b")
    with pytest.raises(ValueError, match="between 0 and 1"):
        compare_calibrations(y, {"a": p * 50}, amounts=amounts, days=days, reference="a")
    with pytest.raises(ValueError, match="one value per transaction"):
        compare_calibrations(y, {"a": p[:-1]}, amounts=amounts, days=days, reference="a")
    with pytest.raises(ValueError, match="one value per transaction"):
        compare_calibrations(y, {"a": p}, amounts=amounts, days=days[:-1], reference="a")


def test_isotonic_is_calibrated_on_its_own_window(study):
    table = isotonic_overfitting(study, "undersample", calibration_days=(4, 8))
    for days in (4, 8):
        isotonic = table.loc[(days, "isotonic")]
        assert isotonic["ece_window"] == pytest.approx(0.0, abs=1e-12)
        assert isotonic["brier_window"] <= table.loc[(days, "sigmoid"), "brier_window"]
        window = study.calibration["day"] < study.calibration["day"].min() + days
        assert isotonic["frauds"] == int(study.y_calibration[window.to_numpy()].sum())
    assert table.loc[(4, "sigmoid"), "launch_at_zero"] == 0
    with pytest.raises(ValueError, match="calibration_days"):
        isotonic_overfitting(study, "logreg", calibration_days=(9,))


def test_money_of_calibration_is_raw_minus_calibrated():
    y, p, amounts, days = _synthetic()
    table = money_of_calibration(y, {"m": np.clip(10 * p, 0, 1)}, {"m": p}, amounts=amounts, days=days)
    row = table.loc["m"]
    assert row["saving"] == pytest.approx(row["cost_raw"] - row["cost_calibrated"])
    assert row["saving_low"] <= row["saving"] <= row["saving_high"]
    assert row["inside_noise"] == (row["saving_low"] <= 0 <= row["saving_high"])
    with pytest.raises(ValueError, match="same models"):
        money_of_calibration(y, {"m": p}, {"n": p}, amounts=amounts, days=days)


def test_daily_forecast_by_hand():
    y, p, amounts, days = _synthetic()
    table = daily_forecast(y, p, amounts=amounts, days=days)
    flags = expected_loss_decisions(p, amounts=amounts, cost_model=DEFAULT_COST_MODEL)
    for day, row in table.iterrows():
        on = days == day
        assert row["alerts"] == int(flags[on].sum())
        assert row["expected_frauds"] == pytest.approx(p[on].sum())
        assert row["expected_frauds_in_alerts"] == pytest.approx(p[on & flags].sum())
        assert row["frauds"] == int(y[on].sum())
        assert row["inside"] == (row["frauds_low"] <= row["frauds"] <= row["frauds_high"])
    assert table.index.tolist() == list(range(12))


def test_threshold_versus_calibration(study, calibrated):
    table, threshold, gap = threshold_versus_calibration(
        study, "undersample", calibrated=calibrated["undersample"]["prior"]
    )
    sweep = ThresholdSweep(
        study.y_calibration,
        study.probabilities("undersample", "calibration"),
        amounts=study.calibration["amount"].to_numpy(),
    )
    assert threshold == least_cost_threshold(sweep, DEFAULT_COST_MODEL)
    flagged = (study.probabilities("undersample") >= threshold).astype(int)
    money = decision_costs(study.y_launch, flagged, amounts=study.amounts_launch, cost_model=DEFAULT_COST_MODEL)
    assert table.loc["tuned threshold, raw scores", "expected_cost"] == pytest.approx(money["expected_cost"])
    assert gap.estimate == pytest.approx(
        table.loc["expected-loss rule, calibrated", "expected_cost"] - money["expected_cost"]
    )


def test_a_drift_leaves_the_models_inputs_before_it_untouched(study):
    from course.data import FEATURE_COLUMNS, Drift, build_features

    start = int(study.launch["day"].min())
    original = simulate_transactions(**WORLD)
    drifted = simulate_transactions(**WORLD, drift=Drift(start_day=start, fraud_rate_multiplier=3.0))
    # the features of every earlier day (what the model and the calibrator saw) are the same
    before = build_features(drifted)[FEATURE_COLUMNS][drifted["day"] < start].reset_index(drop=True)
    expected = build_features(original)[FEATURE_COLUMNS][original["day"] < start].reset_index(drop=True)
    pd.testing.assert_frame_equal(before, expected)
    # with a multiplier of 1 the world is the study's own: fraud_rate_drift uses its launch weeks as they are
    pd.testing.assert_frame_equal(simulate_transactions(**WORLD, drift=Drift(start_day=start)), original)


def test_fraud_rate_drift_reproduces_the_study_and_moves_the_rate(study):
    table = fraud_rate_drift(study, multipliers=(1.0, 3.0), world=WORLD)
    wave, mix = table.loc[("fraud wave", 1.0)], table.loc[("mix only", 1.0)]
    # multiplier 1: the simulated launch weeks are the study's, and the correction is the identity
    assert wave["fraud_rate"] == pytest.approx(study.y_launch.mean())
    assert wave["mean_predicted"] == pytest.approx(study.probabilities("logreg").mean())
    pd.testing.assert_series_equal(wave, mix, check_names=False)
    assert wave["mean_corrected"] == pytest.approx(wave["mean_predicted"])
    assert table.loc[("mix only", 3.0), "fraud_rate"] == pytest.approx(3 * study.y_launch.mean(), rel=0.05)
    assert table.loc[("fraud wave", 3.0), "fraud_rate"] > wave["fraud_rate"]
    # more fraud, same probabilities: the correction raises them
    for change in ("fraud wave", "mix only"):
        row = table.loc[(change, 3.0)]
        assert row["mean_corrected"] > row["mean_predicted"]
    with pytest.raises(ValueError, match="method"):
        fraud_rate_drift(study, method="prior", world=WORLD)
    with pytest.raises(ValueError, match="multiplier"):
        fraud_rate_drift(study, multipliers=(0.0,), world=WORLD)


# -- the explorer's numbers -----------------------------------------------------------------------


def test_explorer_probabilities_cover_every_model_and_share(study, calibrated):
    probabilities = explorer_probabilities(study, known=calibrated)
    keys = {key[:2] for key in probabilities}
    assert keys == {("logreg", 1.0), ("hgb", 1.0), ("class_weight", 1.0), ("undersample", 0.1), ("undersample", 0.3)}
    for name in ("logreg", "class_weight"):
        for method in ("none", "prior", "sigmoid", "isotonic"):
            np.testing.assert_array_equal(probabilities[(name, 1.0, method)], calibrated[name][method])
    np.testing.assert_array_equal(probabilities[("undersample", 0.1, "prior")], calibrated["undersample"]["prior"])
    fresh = calibrated_probabilities(study, 0.3, methods=["prior"])["prior"]
    np.testing.assert_allclose(probabilities[("undersample", 0.3, "prior")], fresh)


def test_views_equal_the_one_view_function():
    y, p, amounts, _ = _synthetic()
    probabilities = {
        ("m", 1.0, "none"): np.clip(4 * p, 0, 1),
        ("m", 1.0, "sigmoid"): p,
        ("u", 0.5, "none"): np.sqrt(p),
        ("u", 0.5, "prior"): p,
    }
    cost_model = CostModel(review_cost=2.0, friction_cost=4.0)
    views = calibration_views(y, probabilities, amounts=amounts, n_days=12, cost_model=cost_model, bins=(5, 10))
    assert len(views) == 4 * 2 * 2
    for key, view in views.items():
        model, beta, method, n_bins, strategy = key
        expected = calibration_view(
            y,
            probabilities[key[:3]],
            probabilities[(model, beta, "none")],
            amounts=amounts,
            n_days=12,
            cost_model=cost_model,
            n_bins=n_bins,
            strategy=strategy,
        )
        assert view["numbers"] == pytest.approx(expected)
        assert view["numbers"]["ece"] == pytest.approx(
            expected_calibration_error(y, probabilities[key[:3]], n_bins=n_bins, strategy=strategy)
        )


def test_view_numbers_by_hand():
    y = np.array([1, 0, 0, 0, 1, 0])
    p = np.array([0.9, 0.1, 0.1, 0.1, 0.2, 0.1])
    amounts = np.array([100.0, 10.0, 10.0, 10.0, 50.0, 10.0])
    view = calibration_view(y, p, p, amounts=amounts, n_days=2, n_bins=2, strategy="uniform")
    # rule (review 3, friction 5): 0.9 * 105 >= 8 flags the first; 0.2 * 55 = 11 >= 8 flags the fifth
    assert view["alerts_per_day"] == 1.0
    assert view["cost"] == 2 * 3.0
    assert view["cost_flag_nothing"] == 150.0
    assert view["cost_saved"] == 0.0
    assert view["brier"] == pytest.approx(np.mean((p - y) ** 2))


def test_views_bad_input():
    y, p, amounts, _ = _synthetic()
    with pytest.raises(ValueError, match="'none'"):
        calibration_views(y, {("m", 1.0, "sigmoid"): p}, amounts=amounts, n_days=12)
    with pytest.raises(ValueError, match="tuples"):
        calibration_views(y, {"m": p}, amounts=amounts, n_days=12)
    with pytest.raises(ValueError, match="strategies"):
        calibration_views(y, {("m", 1.0, "none"): p}, amounts=amounts, n_days=12, strategies=("equal",))
    with pytest.raises(ValueError, match="n_days"):
        calibration_view(y, p, p, amounts=amounts, n_days=0)


def test_study_type_is_checked():
    for function in (isotonic_overfitting, explorer_probabilities):
        with pytest.raises(TypeError, match="CalibrationStudy"):
            function("study", "logreg") if function is isotonic_overfitting else function("study")
    assert CalibrationStudy.__dataclass_params__.frozen

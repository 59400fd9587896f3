"""course.lessons.drift: worlds that drift from one day, models under the label delay, policies, tables."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from course.data import Drift
from course.lessons import drift as lesson
from course.lessons.drift import (
    DEPLOY_DAY,
    LABEL_DELAY_DAYS,
    MONITORS,
    POLICIES,
    TRAIN_DAYS,
    DriftLab,
    drift_explorer_data,
    drift_explorer_numbers,
    drift_settings,
    evaluate_week,
    feature_psi,
    first_day_triage,
    fit_deployed_model,
    monitor_alarms,
    monitor_detection,
    performance_estimates,
    policy_costs,
    run_policy,
    signature_table,
    simulate_world,
)

SMALL = 200  # customers: about 800 frauds over the 140 days, enough for every table


@pytest.fixture(scope="module")
def lab():
    return DriftLab(seed=0, n_customers=SMALL)


# -- the worlds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("covariate", "amount_factor", 1.5),
        ("prior", "fraud_rate_multiplier", 3.0),
        ("concept", "new_pattern", "compromised_terminal"),
    ],
)
def test_drift_settings_give_the_simulator_one_change(kind, field, value):
    drift, settings = drift_settings(kind, "strong", 84)
    assert isinstance(drift, Drift) and drift.start_day == 84
    assert getattr(drift, field) == value
    rate = settings["compromised_terminal_rate"]
    assert rate == (0.00028 if kind == "concept" else 0.0)  # skimmers exist only as the concept drift


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("seasonal", "strong", 84), "kind must be one of"),
        (("prior", "huge", 84), "size must be one of"),
        (("prior", "strong", 10), "start_day must be a day from 70"),
        (("prior", "strong", 140), "start_day must be a day from 70"),
        (("prior", "strong", 84.0), "start_day must be a day from 70"),
    ],
)
def test_drift_settings_refuse_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        drift_settings(*args)


def test_a_drift_leaves_the_days_before_its_start_alone(lab):
    calm, drifted = lab.world(), lab.world("covariate", "strong", 84)
    before = calm.day < 84
    assert (drifted.day < 84).sum() == before.sum()
    assert np.array_equal(calm.amount[before], drifted.amount[drifted.day < 84])
    assert np.array_equal(calm.is_fraud[before], drifted.is_fraud[drifted.day < 84])
    np.testing.assert_allclose(calm.X[before], drifted.X[drifted.day < 84], rtol=1e-9)
    after = drifted.amount[drifted.day >= 84].mean() / calm.amount[calm.day >= 84].mean()
    assert 1.3 < after < 1.6  # genuine amounts x1.5; injected frauds keep theirs


def test_the_concept_drift_brings_a_pattern_the_past_never_had():
    drift, settings = drift_settings("concept", "strong", 84)
    df = lesson.simulate_transactions(
        SMALL, 2 * SMALL, lesson.N_DAYS, seed=0, drift=drift, maturity_days=LABEL_DELAY_DAYS, **settings
    )
    skimmed = df["fraud_scenario"] == "compromised_terminal"
    assert skimmed.any() and df.loc[skimmed, "day"].min() >= 84
    assert len(df) == simulate_world("concept", "strong", 84, n_customers=SMALL).day.size


# -- the deployed model ------------------------------------------------------------------------


def test_the_model_trains_on_the_28_days_that_end_14_days_before_it_goes_live(lab):
    model = lab.model(lab.world(), 98)
    assert model.window == (98 - LABEL_DELAY_DAYS - TRAIN_DAYS, 98 - LABEL_DELAY_DAYS)
    world = lab.world()
    in_window = (world.day >= model.window[0]) & (world.day < model.window[1])
    assert model.reference_scores.size == in_window.sum()
    assert np.array_equal(model.reference_amounts, world.amount[in_window])


def _with_label_times(world, label_available_at):
    transactions = world.transactions.assign(label_available_at=label_available_at)
    return dataclasses.replace(world, transactions=transactions)


def test_a_retrain_uses_only_the_labels_known_on_its_day(lab):
    world = lab.world()
    retrain_day = 98
    as_of = pd.Timestamp("2024-01-01") + pd.Timedelta(days=retrain_day)
    labels = world.transactions["label_available_at"]
    later = labels > as_of
    assert (later & (world.transactions["is_fraud"] == 1)).any(), "the test needs frauds reported after the retrain"
    # rewriting what happens after the retrain day cannot change the model
    postponed = _with_label_times(world, labels.where(~later, labels + pd.Timedelta(days=300)))
    same = fit_deployed_model(postponed, retrain_day)
    base = fit_deployed_model(world, retrain_day)
    np.testing.assert_array_equal(same.reference_scores, base.reference_scores)
    # ...while labels known at once (the future leaking in) do change it: the test can fail
    instant = _with_label_times(world, world.transactions["timestamp"])
    assert not np.allclose(fit_deployed_model(instant, retrain_day).reference_scores, base.reference_scores)


@pytest.mark.parametrize("day", [69, 140, 84.0, True])
def test_fit_deployed_model_refuses_a_day_without_a_full_window(lab, day):
    with pytest.raises(ValueError, match="retrain_day must be a day from 70 to 139"):
        fit_deployed_model(lab.world(), day)


# -- weeks, monitors and policies --------------------------------------------------------------


def test_a_week_record_adds_up(lab):
    world = lab.world("prior", "strong", 84)
    week = evaluate_week(world, lab.model(world, DEPLOY_DAY), 14)
    r = week.record
    assert r["alerts"] == int(week.alerts.sum()) == int(week.daily["alerts"].sum())
    assert r["payments"] == week.rows.size == int((world.week == 14).sum())
    assert r["precision"] == pytest.approx(r["caught"] / r["alerts"])
    assert r["estimated_precision"] == pytest.approx(week.probabilities[week.alerts].mean())
    assert r["estimated_frauds"] == pytest.approx(week.probabilities.sum())
    assert r["cost"] == pytest.approx(week.costs.sum()) == pytest.approx(week.daily["cost"].sum())
    assert week.daily.index.tolist() == list(range(98, 105))
    with pytest.raises(ValueError, match="week must be a monitored week, 10 to 19"):
        evaluate_week(world, lab.model(world, DEPLOY_DAY), 9)


def test_costs_follow_the_cost_model():
    alerts = np.array([True, True, False, False])
    y = np.array([1, 0, 1, 0])
    costs = lesson._costs(alerts, y, np.array([50.0, 20.0, 80.0, 10.0]))
    assert costs.tolist() == [3.0, 8.0, 80.0, 0.0]  # review; review + friction; the missed amount; nothing


def test_the_alert_rule_is_the_expected_loss_rule():
    # p * (amount + 5) >= 3 + 5: at p = 0.1 an alert pays from an amount of 75
    assert lesson._alerts(np.array([0.1, 0.1, 0.5]), np.array([75.0, 74.9, 11.0])).tolist() == [True, False, True]


def test_policies_retrain_when_they_say(lab):
    never = lab.run("covariate", "strong", 84, "never").weekly
    assert set(never["model_day"]) == {DEPLOY_DAY} and not never["retrain"].any()
    scheduled = lab.run("covariate", "strong", 84, "every 4 weeks").weekly
    assert scheduled["model_day"].unique().tolist() == [70, 98, 126]
    triggered = lab.run("covariate", "strong", 84, "monitor-triggered", trigger="amount PSI >= 0.1").weekly
    fired = triggered["psi_amount"] >= 0.1
    assert triggered["retrain"].iloc[:-1].tolist() == fired.iloc[:-1].tolist()
    assert fired.any(), "amounts x1.5 move the amounts' distribution"
    changes = triggered.index[triggered["retrain"]] + 1
    assert (triggered.loc[changes, "model_day"].to_numpy() == 7 * changes.to_numpy()).all()


def test_a_run_strings_its_weeks_together(lab):
    run = lab.run("concept", "strong", 84, "every 4 weeks")
    assert run.weekly.index.tolist() == list(range(10, 20))
    assert run.daily.index.tolist() == list(range(70, 140))
    assert run.costs.sum() == pytest.approx(run.weekly["cost"].sum())
    assert int(run.alerts.sum()) == int(run.weekly["alerts"].sum())
    assert np.all(np.diff(run.rows) > 0)


def test_run_policy_without_a_lab_gives_the_same_run(lab):
    world = lab.world("prior", "strong", 84)
    plain = run_policy(world, "every 4 weeks")
    cached = lab.run("prior", "strong", 84, "every 4 weeks")
    pd.testing.assert_frame_equal(plain.weekly, cached.weekly, rtol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"policy": "sometimes"}, "policy must be one of"),
        ({"policy": "never", "trigger": "gut feeling"}, "trigger must be one of"),
    ],
)
def test_run_policy_refuses_unknown_policies(lab, kwargs, message):
    with pytest.raises(ValueError, match=message):
        run_policy(lab.world(), **kwargs)


def test_monitor_alarms_name_the_last_day_of_each_check(lab):
    run = lab.run("covariate", "strong", 84, "never")
    days, alarms = monitor_alarms("score PSI >= 0.25", run.weekly, run.daily)
    assert days.tolist() == [7 * w + 6 for w in range(10, 20)]
    assert alarms.tolist() == (run.weekly["psi_score"] >= 0.25).tolist()
    days, alarms = monitor_alarms("alerts/day outside 3-sigma limits", run.weekly, run.daily)
    assert days.tolist() == list(range(70, 140)) and alarms.tolist() == run.daily["outside"].tolist()
    with pytest.raises(ValueError, match="monitor must be one of"):
        monitor_alarms("psi", run.weekly, run.daily)


def test_models_and_weeks_before_the_drift_are_computed_once(lab):
    calm, drifted = lab.world(), lab.world("prior", "strong", 84)
    assert lab.model(calm, 70) is lab.model(drifted, 70)
    assert lab.model(calm, 98) is lab.model(drifted, 98)  # its window [56, 84) ends at the start
    assert lab.model(calm, 126) is not lab.model(drifted, 126)
    shared = lab.evaluate(drifted, lab.model(drifted, 70), 11)
    direct = evaluate_week(drifted, lab.model(drifted, 70), 11)
    for name, value in direct.record.items():
        assert shared.record[name] == pytest.approx(value, rel=1e-9, nan_ok=True), name


def test_the_same_seed_gives_the_same_runs():
    one = DriftLab(seed=3, n_customers=60).run("prior", "strong", 84, "every 4 weeks").weekly
    two = DriftLab(seed=3, n_customers=60).run("prior", "strong", 84, "every 4 weeks").weekly
    pd.testing.assert_frame_equal(one, two)
    other = DriftLab(seed=4, n_customers=60).run("prior", "strong", 84, "every 4 weeks").weekly
    assert not one["cost"].equals(other["cost"])


# -- the module's tables ----------------------------------------------------------------------


def test_signature_table(lab):
    table = signature_table(lab, kinds=("covariate", "concept"))
    assert table.index.tolist() == ["no drift", "covariate", "concept"]
    assert table.loc["no drift", "extra_cost_per_day"] == 0.0
    assert table.loc["covariate", "alerts_per_day_after"] > 2 * table.loc["no drift", "alerts_per_day_after"]
    assert table.loc["covariate", "max_psi_amount"] > 0.1 > table.loc["concept", "max_psi_amount"]
    low, high = table.loc["concept", ["extra_cost_low", "extra_cost_high"]]
    assert low <= table.loc["concept", "extra_cost_per_day"] <= high


def test_feature_psi_moves_the_amount_features_only_under_covariate_drift(lab):
    table = feature_psi(lab, 12, kinds=("covariate", "prior"))
    assert table.index.tolist() == list(lesson.FEATURE_COLUMNS)
    assert table.loc["amount", "covariate"] > 0.1
    assert table.loc["hour_of_day"].max() < 0.05


def test_monitor_detection_counts_worlds_and_false_alarms(lab):
    table = monitor_detection(
        [lab], monitors=["amount PSI >= 0.1", "alerts/day outside 3-sigma limits"], kinds=("covariate",)
    )
    assert table.loc["amount PSI >= 0.1", "covariate detected"] in ("0 of 1", "1 of 1")
    assert table.loc["alerts/day outside 3-sigma limits", "checks"] == 70
    assert table.loc["amount PSI >= 0.1", "checks"] == 10
    delay = table.loc["alerts/day outside 3-sigma limits", "covariate median delay"]
    assert np.isnan(delay) or 1 <= delay <= 56
    with pytest.raises(ValueError, match="kinds must be a non-empty tuple"):
        monitor_detection([lab], kinds=("weather",))
    assert set(MONITORS) >= set(table.index)


def test_performance_estimates_are_the_probabilities_of_the_alerts(lab):
    table = performance_estimates(lab, kinds=("concept",))
    run = lab.run("concept", "strong", 84, "never")
    world = lab.world("concept", "strong", 84)
    after = world.day[run.rows] >= 84
    alerts, p, y = run.alerts[after], run.probabilities[after], world.is_fraud[run.rows][after]
    assert table.loc["concept", "estimated_precision"] == pytest.approx(p[alerts].mean())
    assert table.loc["concept", "precision"] == pytest.approx(y[alerts].mean())
    assert table.loc["concept", "estimated_share_caught"] == pytest.approx(p[alerts].sum() / p.sum())
    assert table.loc["concept", "share_caught"] == pytest.approx(y[alerts].sum() / y.sum())


def test_policy_costs_are_the_runs_costs_after_the_start(lab):
    table = policy_costs(lab, sizes=("strong",), kinds=("prior",))
    for policy in POLICIES:
        run = lab.run("prior", "strong", 84, policy)
        assert table.loc[("prior", "strong"), f"cost {policy}"] == pytest.approx(run.daily["cost"].loc[84:].sum())
    saving = table.loc[("prior", "strong"), "saving every 4 weeks"]
    expected = table.loc[("prior", "strong"), "cost never"] - table.loc[("prior", "strong"), "cost every 4 weeks"]
    assert saving == pytest.approx(expected)


def test_first_day_triage_reads_one_day(lab):
    table = first_day_triage(lab, kinds=("covariate",))
    world = lab.world("covariate", "strong", 84)
    assert table.loc["covariate", "payments"] == int((world.day == 84).sum())
    assert table.loc["covariate", "psi_amount"] > table.loc["no drift", "psi_amount"]


# -- the explorer's data ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer_data(lab):
    return drift_explorer_data(lab, kinds=("prior", "covariate"), sizes=("strong",), start_days=(84,))


def test_explorer_numbers_are_the_runs(lab, explorer_data):
    numbers = drift_explorer_numbers(explorer_data, "covariate", "strong", 84, "monitor-triggered", 15)
    run = lab.run("covariate", "strong", 84, "monitor-triggered").weekly
    assert numbers["psi_score"] == pytest.approx(run.loc[15, "psi_score"])
    assert numbers["precision"] == pytest.approx(run.loc[15, "precision"], nan_ok=True)
    assert numbers["model_day"] == run.loc[15, "model_day"]
    assert numbers["retrains"] == int(run.loc[:14, "retrain"].sum())
    assert numbers["cumulative_cost_monitor-triggered"] == pytest.approx(run.loc[:15, "cost"].sum())
    never = lab.run("covariate", "strong", 84, "never").weekly
    assert numbers["cumulative_cost_never"] == pytest.approx(never.loc[:15, "cost"].sum())
    calm = lab.run(None, None, None, "never").weekly
    assert numbers["cumulative_cost_no_drift"] == pytest.approx(calm.loc[:15, "cost"].sum())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("concept", "strong", 84, "never", 12), "no precomputed run for kind='concept'"),
        (("prior", "moderate", 84, "never", 12), "no precomputed run"),
        (("prior", "strong", 84, "never", 20), "week must be one of the monitored weeks 10 to 19"),
    ],
)
def test_explorer_numbers_refuse_what_was_not_precomputed(explorer_data, args, message):
    with pytest.raises(ValueError, match=message):
        drift_explorer_numbers(explorer_data, *args)


def test_explorer_data_refuses_unknown_values(lab):
    with pytest.raises(ValueError, match="policies must be a non-empty tuple"):
        drift_explorer_data(lab, policies=("sometimes",))

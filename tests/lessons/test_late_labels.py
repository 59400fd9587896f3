"""course.lessons.late_labels: hand-worked examples, scikit-learn's definitions, bad inputs, determinism."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import average_precision_score, precision_score, recall_score

from course.data import build_features, labels_as_of, simulate_transactions
from course.lessons.late_labels import (
    compare_training_windows,
    evaluation_as_of,
    eventual_labels,
    fit_on_window,
    fit_report_delay,
    fraud_rate_by_day,
    fraud_rate_by_week,
    late_label_numbers,
    late_label_positions,
    naive_report_delays,
    ranking_metrics,
    report_delay_table,
    simulated_report_delay,
    with_intervals,
)
from course.lessons.thresholds_and_costs import decision_costs
from course.metrics import CostModel

START = pd.Timestamp("2024-01-01")


def frame(paid_days, report_days, is_fraud):
    """Transactions with times in days since START (a report NaN = never reported)."""
    paid = START + pd.to_timedelta(np.asarray(paid_days, dtype=float), unit="D")
    report = START + pd.to_timedelta(np.asarray(report_days, dtype=float), unit="D")
    return pd.DataFrame(
        {"timestamp": paid, "is_fraud": np.asarray(is_fraud, dtype=np.int8), "label_available_at": report}
    )


@pytest.fixture(scope="module")
def hand():
    """7 payments seen on day 10: three reports by then (delays 1, 2, 4), the rest censored.

    Kaplan-Meier by hand: events at 1 (7 at risk), 2 (6 at risk), a censoring at 3, then 4
    (4 at risk: the event and three payments censored at 10), so S = 6/7, 5/7, 15/28;
    reported within 4 days: F = 1/7, 2/7, 13/28.
    """
    return frame(
        paid_days=[0, 0, 0, 0, 0, 7, 7],
        report_days=[2, 4, 12, np.nan, np.nan, 8, np.nan],
        is_fraud=[1, 1, 1, 0, 0, 1, 0],
    )


@pytest.fixture(scope="module")
def world():
    df = simulate_transactions(300, 600, 70, seed=4)
    return df, build_features(df)


# -- eventual labels, the delay curve ------------------------------------------------------------


def test_eventual_labels_keep_unreported_frauds_genuine(hand):
    assert eventual_labels(hand).tolist() == [1, 1, 1, 0, 0, 1, 0]
    never = frame([0, 0], [np.nan, 3], [1, 1])
    assert eventual_labels(never).tolist() == [0, 1]


def test_kaplan_meier_matches_the_hand_computation(hand):
    curve = fit_report_delay(hand, START + pd.Timedelta(days=10), horizon_days=5)
    assert (curve.n_payments, curve.n_reports) == (7, 3)
    assert curve.reported_within_horizon == pytest.approx(13 / 28)
    assert curve(np.array([0.5, 1, 2, 3, 4, 5, 50])) == pytest.approx([0, 4 / 13, 8 / 13, 8 / 13, 1, 1, 1])
    assert curve.median_days() == 2.0  # the first delay where the curve reaches one half
    # the naive sample: reports received by day 10 only
    assert sorted(naive_report_delays(hand, START + pd.Timedelta(days=10))) == [1.0, 2.0, 4.0]


def test_kaplan_meier_equals_scipy_on_censored_data(hand):
    durations = [2, 4, 1, 10, 10, 10, 3]
    reported = [True, True, True, False, False, False, False]
    direct = stats.ecdf(
        stats.CensoredData(
            uncensored=[d for d, r in zip(durations, reported) if r],
            right=[d for d, r in zip(durations, reported) if not r],
        )
    )
    curve = fit_report_delay(hand, START + pd.Timedelta(days=10), horizon_days=5)
    grid = np.linspace(0, 5, 21)
    assert curve(grid) == pytest.approx(direct.cdf.evaluate(grid) / direct.cdf.evaluate(5.0))


def test_the_bootstrap_curves_equal_scipy_on_repeated_payments():
    """The weighted product-limit of the day bootstrap is scipy's Kaplan-Meier of the repeated rows."""
    from course.lessons.late_labels import _ReportCurves

    rng = np.random.default_rng(7)
    durations = np.round(rng.uniform(0, 30, 400), 1)  # rounded: ties, also between events and censorings
    reported = rng.random(400) < 0.3
    weights = rng.integers(0, 3, 400)
    delays = np.array([2.0, 5.5, 10.0, 20.0])
    got = _ReportCurves(durations, reported, 25.0, delays).values(weights)
    rows = np.repeat(np.arange(400), weights)
    cdf = stats.ecdf(
        stats.CensoredData(uncensored=durations[rows][reported[rows]], right=durations[rows][~reported[rows]])
    ).cdf
    within = cdf.evaluate(25.0)
    assert got[:4] == pytest.approx(cdf.evaluate(delays) / within)
    assert got[4] == cdf.quantiles[np.argmax(cdf.probabilities >= 0.5 * within)]
    observed = np.sort(durations[rows][reported[rows]])
    assert got[5:9] == pytest.approx(np.searchsorted(observed, delays, side="right") / observed.size)
    assert got[9] == observed[(observed.size + 1) // 2 - 1]  # the lower median: half the reports by then


def test_the_delay_uses_only_what_is_known_on_the_date(hand):
    """A fraud not reported by the date looks like any other payment: its truth must not matter."""
    as_of = START + pd.Timedelta(days=10)
    relabelled = hand.assign(is_fraud=np.where(hand["label_available_at"] <= as_of, hand["is_fraud"], 0))
    a, b = fit_report_delay(hand, as_of, horizon_days=5), fit_report_delay(relabelled, as_of, horizon_days=5)
    grid = np.linspace(0, 5, 11)
    assert a(grid) == pytest.approx(b(grid))


def test_dropping_the_censored_payments_overstates_fast_reports(world):
    df, _ = world
    as_of = pd.Timestamp("2024-03-01")
    recent = df[df["timestamp"] >= as_of - pd.Timedelta(days=45)]
    table = report_delay_table(recent, as_of, horizon_days=40, days=(7, 14), n_resamples=30, seed=1)
    assert list(table.columns) == ["simulator", "kaplan_meier", "km_low", "km_high", "naive", "naive_low", "naive_high"]
    assert (
        table.loc[["within 7 days", "within 14 days"], "naive"]
        > table.loc[["within 7 days", "within 14 days"], "kaplan_meier"]
    ).all()
    assert (table["km_low"] <= table["kaplan_meier"]).all() and (table["kaplan_meier"] <= table["km_high"]).all()
    curve = fit_report_delay(recent, as_of, horizon_days=40)  # scipy's estimate, the notebook's curve
    assert table.loc[["within 7 days", "within 14 days"], "kaplan_meier"].to_numpy() == pytest.approx(curve([7, 14]))
    assert table.loc["median delay (days)", "kaplan_meier"] == curve.median_days()
    again = report_delay_table(recent, as_of, horizon_days=40, days=(7, 14), n_resamples=30, seed=1)
    pd.testing.assert_frame_equal(table, again)


def test_simulated_report_delay_is_the_lognormal_given_the_horizon():
    assert simulated_report_delay(7, horizon_days=1e9) == pytest.approx(0.5)
    assert simulated_report_delay(30, horizon_days=30) == pytest.approx(1.0)
    law = stats.lognorm(s=1.0, scale=7.0)
    assert simulated_report_delay(14, horizon_days=56) == pytest.approx(law.cdf(14) / law.cdf(56))
    assert simulated_report_delay(3, horizon_days=20, median_days=3, sigma=0.5) == pytest.approx(
        0.5 / stats.lognorm(s=0.5, scale=3).cdf(20)
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda df: fit_report_delay(df, START + pd.Timedelta(days=10), horizon_days=11), "longer than the follow-up"),
        (lambda df: fit_report_delay(df, START + pd.Timedelta(days=10), horizon_days=0), "horizon_days == 0"),
        (lambda df: fit_report_delay(df, START + pd.Timedelta(days=10), horizon_days=0.5), "No report received"),
        (lambda df: fit_report_delay(df, START, horizon_days=5), "No payment was made before"),
        (lambda df: fit_report_delay(df, None, horizon_days=5), "as_of must be a date"),
        (lambda df: fit_report_delay(df.drop(columns="is_fraud"), "2024-01-11", horizon_days=5), "is_fraud"),
        (lambda df: fit_report_delay(df.to_numpy(), "2024-01-11", horizon_days=5), "pandas DataFrame"),
        (lambda df: fit_report_delay(df.iloc[:0], "2024-01-11", horizon_days=5), "empty DataFrame"),
        (lambda df: fit_report_delay(df, "2024-01-11", horizon_days=5)(np.nan), "finite and >= 0"),
        (lambda df: fit_report_delay(df, "2024-01-11", horizon_days=5)(-1.0), "finite and >= 0"),
        (lambda df: simulated_report_delay(-1, horizon_days=5), "finite and >= 0"),
        (lambda df: simulated_report_delay(1, horizon_days=5, sigma=0), "sigma == 0"),
        (lambda df: report_delay_table(df, "2024-01-11", horizon_days=5, days=(6,)), "days must be delays"),
    ],
)
def test_bad_input_to_the_delay_functions_is_named(hand, call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call(hand)


# -- the censoring cliff ----------------------------------------------------------------------------


def test_delay_corrected_rate_by_hand():
    """Day 0: 4 payments, 1 fraud known (age 2: curve 0.5 => expected share 0.5). Day 1: 2 payments aged 1."""
    df = frame(
        paid_days=[0, 0, 0, 0, 1, 1], report_days=[1, 5, np.nan, np.nan, 1.5, np.nan], is_fraud=[1, 1, 0, 0, 1, 0]
    )
    table = fraud_rate_by_day(df, START + pd.Timedelta(days=2), report_curve=lambda d: np.minimum(d / 4, 1.0))
    day0, day1 = table.iloc[0], table.iloc[1]
    assert (day0["payments"], day0["known_frauds"], day0["eventual_frauds"]) == (4, 1, 2)
    assert day0["expected_share_reported"] == pytest.approx(0.5)
    assert day0["known_rate"] == pytest.approx(0.25)
    assert day0["corrected_rate"] == pytest.approx(1 / (4 * 0.5))
    assert day0["eventual_rate"] == pytest.approx(0.5)
    assert (day1["payments"], day1["known_frauds"]) == (2, 1)
    assert day1["corrected_rate"] == pytest.approx(1 / (2 * 0.25))


def test_weekly_rates_pool_the_days_and_correct_the_cliff(world):
    df, _ = world
    as_of = pd.Timestamp("2024-03-01")
    curve = lambda d: simulated_report_delay(d, horizon_days=120)
    weekly = fraud_rate_by_week(df, as_of, report_curve=curve, weeks=3, n_resamples=30, seed=0)
    by_day = fraud_rate_by_day(df[df["timestamp"] >= as_of - pd.Timedelta(days=21)], as_of, report_curve=curve)
    assert weekly["payments"].sum() == by_day["payments"].sum()
    assert weekly["known_frauds"].sum() == by_day["known_frauds"].sum()
    assert (weekly["known_frauds"] <= weekly["eventual_frauds"]).all()
    assert weekly.loc[1, "known_rate"] < weekly.loc[1, "eventual_rate"]  # the cliff
    assert weekly["known_rate_diff"].to_numpy() == pytest.approx(
        (weekly["known_rate"] - weekly["eventual_rate"]).to_numpy()
    )
    pd.testing.assert_frame_equal(
        weekly, fraud_rate_by_week(df, as_of, report_curve=curve, weeks=3, n_resamples=30, seed=0)
    )
    with pytest.raises(ValueError, match="midnight"):
        fraud_rate_by_week(df, "2024-03-01 12:00", report_curve=curve)
    with pytest.raises(TypeError, match="report_curve must be callable"):
        fraud_rate_by_week(df, as_of, report_curve=0.5)
    with pytest.raises(ValueError, match="weeks == 0"):
        fraud_rate_by_week(df, as_of, report_curve=curve, weeks=0)


# -- metrics on the labels known -----------------------------------------------------------------


def test_ranking_metrics_follow_scikit_learn_on_the_labelled_payments():
    rng = np.random.default_rng(0)
    y = (rng.random(2_000) < 0.05).astype(float)
    score = np.round(rng.random(2_000) + 0.6 * y, 2)  # rounded: many ties
    y_known = np.where(rng.random(2_000) < 0.2, np.nan, y)
    got = ranking_metrics(y_known, score, threshold=0.9)
    keep = ~np.isnan(y_known)
    assert got["labelled"] == keep.sum() and got["frauds"] == y_known[keep].sum()
    assert got["precision"] == pytest.approx(precision_score(y_known[keep], score[keep] >= 0.9))
    assert got["recall"] == pytest.approx(recall_score(y_known[keep], score[keep] >= 0.9))
    assert got["average_precision"] == pytest.approx(average_precision_score(y_known[keep], score[keep]))


def test_ranking_metrics_are_undefined_with_one_class_known():
    only_frauds = ranking_metrics([1, 1, np.nan], [0.9, 0.2, 0.5], threshold=0.5)
    assert np.isnan(only_frauds["precision"]) and np.isnan(only_frauds["average_precision"])
    assert only_frauds["recall"] == 0.5
    nothing_flagged = ranking_metrics([1, 0, 0], [0.3, 0.2, 0.1], threshold=0.5)
    assert np.isnan(nothing_flagged["precision"]) and nothing_flagged["recall"] == 0.0
    with pytest.raises(ValueError, match="y_known must hold"):
        ranking_metrics([2, 0], [0.1, 0.2], threshold=0.5)
    with pytest.raises(ValueError, match="one value per transaction"):
        ranking_metrics([1, 0, 1], [0.1, 0.2], threshold=0.5)
    with pytest.raises(ValueError, match="NaN or infinite"):
        ranking_metrics([1, 0], [0.1, np.nan], threshold=0.5)


@pytest.fixture(scope="module")
def scored(world):
    df, _ = world
    test = df[df["timestamp"] >= "2024-02-10"].reset_index(drop=True)
    rng = np.random.default_rng(1)
    score = np.round(rng.random(len(test)) + 0.5 * test["is_fraud"].to_numpy(), 3)
    return test, score


def test_evaluation_as_of_equals_metrics_on_labels_as_of(scored):
    test, score = scored
    dates = ["2024-03-12", "2024-03-20", "2024-05-01"]
    for maturity in (0, 30):
        table = evaluation_as_of(test, score, dates, threshold=0.8, maturity_days=maturity, n_resamples=20, seed=0)
        for date in dates:
            expected = ranking_metrics(labels_as_of(test, date, maturity_days=maturity), score, threshold=0.8)
            row = table.loc[date]
            assert row["labelled"] == expected["labelled"] and row["known_frauds"] == expected["frauds"]
            for metric in ("precision", "recall", "average_precision"):
                assert row[metric] == pytest.approx(expected[metric], nan_ok=True), (maturity, date, metric)
        final = ranking_metrics(eventual_labels(test), score, threshold=0.8)
        assert table.loc["eventual", "average_precision"] == pytest.approx(final["average_precision"])
        assert (table.loc["eventual", ["precision_diff", "precision_diff_low", "precision_diff_high"]] == 0).all()
    with pytest.raises(ValueError, match="as_of_dates is empty"):
        evaluation_as_of(test, score, [], threshold=0.8)
    with pytest.raises(ValueError, match="maturity_days == -1"):
        evaluation_as_of(test, score, dates, threshold=0.8, maturity_days=-1)


def test_labels_known_so_far_bias_precision_down(scored):
    test, score = scored
    table = evaluation_as_of(test, score, ["2024-03-11"], threshold=0.8, n_resamples=20)
    assert table.loc["2024-03-11", "precision"] < table.loc["eventual", "precision"]


def test_every_explorer_position_equals_ranking_metrics_on_labels_as_of(scored):
    test, score = scored
    positions = late_label_positions(test, score, threshold=0.8, max_days_after=40, maturity_days=(0, 14, 30))
    assert positions.values["precision"].shape == (3, 41)
    end = positions.period_end
    for days_after in (0, 5, 17, 40):
        for maturity in (0, 14, 30):
            as_of = end + pd.Timedelta(days=days_after)
            expected = ranking_metrics(labels_as_of(test, as_of, maturity_days=maturity), score, threshold=0.8)
            numbers = late_label_numbers(positions, days_after, maturity, "average_precision")
            assert numbers["labelled_payments"] == expected["labelled"]
            assert numbers["known_frauds"] == expected["frauds"]
            assert numbers["metric_as_of"] == pytest.approx(expected["average_precision"], nan_ok=True)
            for metric in ("precision", "recall"):
                got = late_label_numbers(positions, days_after, maturity, metric)["metric_as_of"]
                assert got == pytest.approx(expected[metric], nan_ok=True), (days_after, maturity, metric)
    known_by_day = positions.known_frauds_by_day[10]
    as_of = end + pd.Timedelta(days=10)
    reported = (test["is_fraud"] == 1) & (test["label_available_at"] <= as_of)
    assert known_by_day.tolist() == reported.groupby(test["timestamp"].dt.normalize()).sum().tolist()


def test_late_label_numbers_refuses_unknown_positions(scored):
    test, score = scored
    positions = late_label_positions(test, score, threshold=0.8, max_days_after=5, maturity_days=(0, 30))
    numbers = late_label_numbers(positions, 5, 30, "recall")
    assert numbers["difference"] == pytest.approx(numbers["metric_as_of"] - numbers["metric_eventual"], nan_ok=True)
    with pytest.raises(ValueError, match="not a precomputed position"):
        late_label_numbers(positions, 6, 0, "recall")
    with pytest.raises(ValueError, match="not a precomputed position"):
        late_label_numbers(positions, 0, 7, "recall")
    with pytest.raises(ValueError, match="metric must be one of"):
        late_label_numbers(positions, 0, 0, "f1")
    with pytest.raises(ValueError, match="whole number"):
        late_label_numbers(positions, 1.5, 0, "recall")
    with pytest.raises(TypeError, match="LateLabelPositions"):
        late_label_numbers({}, 0, 0, "recall")
    with pytest.raises(ValueError, match="repeated"):
        late_label_positions(test, score, threshold=0.8, maturity_days=(0, 0))
    with pytest.raises(ValueError, match="whole days"):
        late_label_positions(test, score, threshold=0.8, maturity_days=(0.5,))


# -- training windows --------------------------------------------------------------------------------


def test_fit_on_window_takes_the_labels_known_on_the_date(world):
    df, features = world
    _, train, y = fit_on_window(df, features, "2024-03-01", gap_days=0, window_days=14)
    days = df.loc[train, "timestamp"].dt.normalize()
    assert (days.min(), days.max()) == (pd.Timestamp("2024-02-16"), pd.Timestamp("2024-02-29"))
    known = labels_as_of(df.loc[train], "2024-03-01", maturity_days=0).to_numpy(dtype=int)
    assert y.tolist() == known.tolist()
    assert y.sum() < eventual_labels(df.loc[train]).sum()  # recent frauds not reported yet are labelled genuine
    _, _, y_oracle = fit_on_window(df, features, "2024-03-01", gap_days=0, window_days=14, labels="eventual")
    assert y_oracle.tolist() == eventual_labels(df.loc[train]).tolist()
    with pytest.raises(ValueError, match="midnight"):
        fit_on_window(df, features, "2024-03-01 06:00", gap_days=0, window_days=14)
    with pytest.raises(ValueError, match="'known' or 'eventual'"):
        fit_on_window(df, features, "2024-03-01", gap_days=0, window_days=14, labels="truth")
    with pytest.raises(ValueError, match="window_days"):
        fit_on_window(df, features, "2024-03-01", gap_days=0, window_days=0)
    with pytest.raises(ValueError, match="one row per transaction"):
        fit_on_window(df, features.iloc[:10], "2024-03-01", gap_days=0, window_days=14)


def test_compare_training_windows_counts_money_as_decision_costs(world):
    df, features = world
    windows = {"fresh": (0, 21, "known"), "gap": (14, 21, "known")}
    table = compare_training_windows(
        df,
        features,
        "2024-02-20",
        windows,
        test_days=14,
        alerts_per_day=4,
        reference="gap",
        cost_model=CostModel(),
        n_resamples=30,
        seed=0,
    )
    model, _, _ = fit_on_window(df, features, "2024-02-20", gap_days=0, window_days=21)
    test = ((df["timestamp"] >= "2024-02-20") & (df["timestamp"] < "2024-03-05")).to_numpy()
    score = model.predict_proba(features.loc[test])[:, 1]
    flagged = (score >= np.sort(score)[-56]).astype(int)
    y = eventual_labels(df)[test]
    money = decision_costs(y, flagged, amounts=df.loc[test, "amount"].to_numpy(), cost_model=CostModel())
    assert table.loc["fresh", "savings"] == pytest.approx(money["savings"])
    assert table.loc["fresh", "average_precision"] == pytest.approx(average_precision_score(y, score))
    assert table.loc["fresh", "recall"] == pytest.approx(money["true_positives"] / y.sum())
    assert table.loc["fresh", "savings_diff"] == pytest.approx(
        table.loc["fresh", "savings"] - table.loc["gap", "savings"]
    )
    assert (table.loc["gap", ["savings_diff", "savings_diff_low", "savings_diff_high"]] == 0).all()
    assert table.loc["fresh", "frauds_labelled_genuine"] > table.loc["gap", "frauds_labelled_genuine"]
    again = compare_training_windows(
        df,
        features,
        "2024-02-20",
        windows,
        test_days=14,
        alerts_per_day=4,
        reference="gap",
        cost_model=CostModel(),
        n_resamples=30,
        seed=0,
    )
    pd.testing.assert_frame_equal(table, again)
    with pytest.raises(ValueError, match="reference="):
        compare_training_windows(df, features, "2024-02-20", windows, test_days=14, alerts_per_day=4, reference="x")
    with pytest.raises(ValueError, match="must be \\(gap_days, window_days, labels\\)"):
        compare_training_windows(
            df, features, "2024-02-20", {"a": (0, 21)}, test_days=14, alerts_per_day=4, reference="a"
        )
    with pytest.raises(ValueError, match="alerts_per_day == 0"):
        compare_training_windows(df, features, "2024-02-20", windows, test_days=14, alerts_per_day=0, reference="gap")
    with pytest.raises(TypeError, match="CostModel"):
        compare_training_windows(
            df,
            features,
            "2024-02-20",
            windows,
            test_days=14,
            alerts_per_day=4,
            reference="gap",
            cost_model={"review_cost": 1},
        )


def test_with_intervals_formats_each_difference():
    table = pd.DataFrame(
        {
            "savings": [100.0, 250.0],
            "savings_diff": [0.0, 150.0],
            "savings_diff_low": [0.0, -20.0],
            "savings_diff_high": [0.0, 310.0],
        }
    )
    shown = with_intervals(table, ["savings"], spec={"savings": "{:+,.0f}"})
    assert shown.columns.tolist() == ["savings", "savings diff (95% CI)"]
    assert shown["savings diff (95% CI)"].tolist() == ["+0 (+0 to +0)", "+150 (-20 to +310)"]
    assert (
        with_intervals(table, ["savings"], scale=0.01)["savings diff (95% CI)"].iloc[1] == "+1.500 (-0.200 to +3.100)"
    )
    with pytest.raises(ValueError, match="no columns"):
        with_intervals(table, ["recall"])
    with pytest.raises(TypeError, match="DataFrame"):
        with_intervals(table.to_numpy(), ["savings"])

"""ThresholdSweep: exact agreement with scikit-learn (ties included), tie semantics, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from course.metrics import CostModel, ThresholdResult, ThresholdSweep
from course.metrics.threshold_sweep import evenly_spaced_index


def tied_data(seed, n=1_500, decimals=1):
    """Labels and scores with many ties: scores rounded to ``decimals`` (about 10**decimals values)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(int)
    score = np.round(np.clip(rng.normal(0.4 + 0.25 * y, 0.2), 0, 1), decimals)
    return y, score


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("decimals", [1, 2, 6])
def test_curves_and_areas_agree_with_sklearn(seed, decimals):
    y, score = tied_data(seed, decimals=decimals)
    sweep = ThresholdSweep(y, score)

    precision, recall, thresholds = sweep.precision_recall_curve()
    expected = precision_recall_curve(y, score)
    np.testing.assert_array_equal(thresholds, expected[2])
    np.testing.assert_allclose(precision, expected[0], rtol=1e-15, atol=0)
    np.testing.assert_allclose(recall, expected[1], rtol=1e-15, atol=0)

    fpr, tpr, roc_thresholds = sweep.roc_curve()
    expected = roc_curve(y, score, drop_intermediate=False)
    np.testing.assert_array_equal(roc_thresholds, expected[2])
    np.testing.assert_allclose(fpr, expected[0], rtol=1e-15, atol=0)
    np.testing.assert_allclose(tpr, expected[1], rtol=1e-15, atol=0)

    np.testing.assert_allclose(sweep.average_precision(), average_precision_score(y, score), rtol=1e-12)
    np.testing.assert_allclose(sweep.roc_auc(), roc_auc_score(y, score), rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_confusion_matrix_agrees_with_sklearn_at_every_kind_of_threshold(seed):
    y, score = tied_data(seed)
    sweep = ThresholdSweep(y, score)
    # exactly on tied scores, between them, below the minimum, above the maximum
    candidates = np.r_[np.unique(score), np.unique(score) + 0.05, -1.0, 2.0, np.inf, -np.inf]
    table = sweep.at(candidates, zero_division=0.0)
    for threshold, row in zip(candidates, table.itertuples()):
        tn, fp, fn, tp = confusion_matrix(y, score >= threshold, labels=[0, 1]).ravel()
        assert (row.tp, row.fp, row.fn, row.tn) == (tp, fp, fn, tn)
        one = sweep.at(float(threshold), zero_division=0.0)
        assert (one.tp, one.fp, one.fn, one.tn) == (tp, fp, fn, tn)


def test_ties_are_flagged_together_with_greater_or_equal():
    sweep = ThresholdSweep([0, 1, 0, 1, 1], [0.2, 0.5, 0.5, 0.5, 0.9])
    at_tie = sweep.at(0.5)
    assert (at_tie.tp, at_tie.fp, at_tie.alerts) == (3, 1, 4)
    just_above = sweep.at(np.nextafter(0.5, 1.0))
    assert (just_above.tp, just_above.fp, just_above.alerts) == (1, 0, 1)
    assert sweep.thresholds.tolist() == [0.2, 0.5, 0.9]


@pytest.mark.parametrize("seed", [0, 5])
def test_vectorized_equals_scalar(seed):
    rng = np.random.default_rng(seed)
    y, score = tied_data(seed, n=400)
    amounts = rng.gamma(2.0, 30.0, y.size)
    timestamps = pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 5 * 86_400, y.size), unit="s")
    sweep = ThresholdSweep(y, score, amounts=amounts, timestamps=timestamps)
    model = CostModel(review_cost=2.0, friction_cost=7.0, capacity_per_day=20)
    thresholds = np.r_[np.linspace(-0.1, 1.1, 37), np.unique(score)]
    table = sweep.at(thresholds, cost_model=model, zero_division=np.nan)
    assert list(table.columns) == [f for f in ThresholdResult.__dataclass_fields__]
    for threshold, row in zip(thresholds, table.to_dict("records")):
        one = sweep.at(float(threshold), cost_model=model, zero_division=np.nan).to_dict()
        assert one.keys() == row.keys()
        for key, value in one.items():
            np.testing.assert_allclose(value, row[key], rtol=1e-12, err_msg=key)


def test_result_fields_match_their_definitions():
    y, score = tied_data(7, n=600)
    amounts = np.random.default_rng(7).gamma(2.0, 30.0, y.size)
    sweep = ThresholdSweep(y, score, amounts=amounts)
    model = CostModel(review_cost=1.5, friction_cost=4.0)
    r = sweep.at(0.5, cost_model=model)
    flagged = score >= 0.5
    fraud = y == 1
    assert r.alerts == flagged.sum() and r.tp == (flagged & fraud).sum()
    assert r.precision == pytest.approx(r.tp / r.alerts)
    assert r.recall == pytest.approx(r.tp / fraud.sum())
    assert r.fpr == pytest.approx(r.fp / (~fraud).sum())
    assert r.f1 == pytest.approx(2 * r.precision * r.recall / (r.precision + r.recall))
    missed = amounts[fraud & ~flagged].sum()
    assert r.expected_cost == pytest.approx(1.5 * r.alerts + 4.0 * r.fp + missed)
    assert r.cost_flag_nothing == pytest.approx(amounts[fraud].sum())
    assert r.savings == pytest.approx(r.cost_flag_nothing - r.expected_cost)
    assert r.alerts_per_day is None and r.within_capacity is None


def test_precision_when_nothing_is_flagged_follows_zero_division():
    sweep = ThresholdSweep([0, 1], [0.2, 0.8])
    with pytest.warns(UndefinedMetricWarning):
        assert sweep.at(0.9).precision == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sweep.at(0.9, zero_division=1.0).precision == 1.0
        assert np.isnan(sweep.at(0.9, zero_division=np.nan).precision)
        assert sweep.at([0.9], zero_division=0.0)["precision"].tolist() == [0.0]
    with pytest.raises(ValueError, match="zero_division"):
        sweep.at(0.9, zero_division=0.5)


def test_alerts_per_day_counts_calendar_days_first_to_last_inclusive():
    # 3 transactions over Jan 1 and Jan 4: 4 calendar days (the empty Jan 2-3 count)
    stamps = pd.to_datetime(["2024-01-01 09:00", "2024-01-01 23:59", "2024-01-04 00:01"])
    sweep = ThresholdSweep([0, 1, 1], [0.1, 0.7, 0.9], timestamps=stamps)
    assert sweep.n_days == 4
    assert sweep.at(0.5).alerts_per_day == pytest.approx(2 / 4)
    # time-zone aware: the local calendar day counts (23:30 in New York is the next day in UTC)
    local = pd.DatetimeIndex(["2024-01-01 23:30", "2024-01-01 08:00"]).tz_localize("America/New_York")
    assert ThresholdSweep([0, 1], [0.1, 0.9], timestamps=local).n_days == 1


def test_curve_downsampling_keeps_both_ends():
    rng = np.random.default_rng(0)
    sweep = ThresholdSweep(rng.integers(0, 2, 5_000), rng.random(5_000))
    curve = sweep.curve(max_points=300)
    assert len(curve) == 300
    assert curve["threshold"].iloc[0] == sweep.thresholds[0]
    assert curve["threshold"].iloc[-1] == sweep.thresholds[-1]
    assert curve["threshold"].is_monotonic_increasing
    assert len(sweep.curve()) == sweep.thresholds.size
    precision, _, thresholds = sweep.precision_recall_curve(max_points=100)
    assert thresholds.size == 100 and precision.size == 101
    fpr, _, roc_thresholds = sweep.roc_curve(max_points=100)
    assert fpr[0] == 0 and np.isinf(roc_thresholds[0]) and fpr[-1] == 1
    assert evenly_spaced_index(5, 10).tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="max_points"):
        sweep.curve(max_points=1)


def test_subset_equals_a_fresh_sweep():
    rng = np.random.default_rng(3)
    y, score = tied_data(3, n=800)
    amounts = rng.gamma(2.0, 30.0, y.size)
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10 * 86_400, y.size), unit="s")
    mask = rng.random(y.size) < 0.6
    sub = ThresholdSweep(y, score, amounts=amounts, timestamps=stamps).subset(mask)
    fresh = ThresholdSweep(y[mask], score[mask], amounts=amounts[mask], timestamps=stamps[mask])
    np.testing.assert_array_equal(sub.thresholds, fresh.thresholds)
    np.testing.assert_array_equal(sub._order, fresh._order)
    assert sub.n_days == fresh.n_days
    model = CostModel()
    pd.testing.assert_frame_equal(sub.curve(cost_model=model), fresh.curve(cost_model=model))
    inner = rng.random(mask.sum()) < 0.5  # a subset of a subset
    np.testing.assert_array_equal(
        sub.subset(inner).thresholds, ThresholdSweep(y[mask][inner], score[mask][inner]).thresholds
    )
    with pytest.raises(ValueError, match="both frauds and genuine"):
        ThresholdSweep(y, score).subset(y == 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y_true": [0, 1, 1], "y_score": [0.1, 0.2]}, "one value per transaction"),
        ({"y_true": [0, 1], "y_score": [0.1, np.nan]}, "NaN or infinite"),
        ({"y_true": [0, 1], "y_score": [0.1, np.inf]}, "NaN or infinite"),
        ({"y_true": [1, 1], "y_score": [0.1, 0.2]}, "one class only"),
        ({"y_true": [0, 2], "y_score": [0.1, 0.2]}, "only 0"),
        ({"y_true": [0, 1], "y_score": [[0.1, 0.2], [0.3, 0.4]]}, "one-dimensional"),
        ({"y_true": [0, 1], "y_score": [0.1, 0.2], "amounts": [5.0, -1.0]}, "negative"),
        ({"y_true": [0, 1], "y_score": [0.1, 0.2], "timestamps": ["2024-01-01", None]}, "NaT"),
        ({"y_true": [0, 1], "y_score": [0.1, 0.2], "timestamps": ["2024-01-01"]}, "one value per transaction"),
        ({"y_true": [0, 1], "y_score": [0.1, 0.2], "timestamps": [3, 4]}, "got numbers"),
        ({"y_true": [0, 1], "y_score": [0.1, 0.2], "timestamps": ["monday", "tuesday"]}, "must be datetimes"),
    ],
)
def test_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ThresholdSweep(**kwargs)


def test_bad_thresholds_and_missing_inputs_are_named():
    sweep = ThresholdSweep([0, 1], [0.1, 0.9])
    with pytest.raises(ValueError, match="NaN"):
        sweep.at(float("nan"))
    with pytest.raises(ValueError, match="threshold"):
        sweep.at([[0.1, 0.2]])
    with pytest.raises(ValueError, match="needs the transaction amounts"):
        sweep.at(0.5, cost_model=CostModel(fraud_loss="amount"))
    with pytest.raises(ValueError, match="needs timestamps"):
        sweep.at(0.5, cost_model=CostModel(fraud_loss=10.0, capacity_per_day=5))

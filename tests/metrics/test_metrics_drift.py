"""Model-free drift monitors: PSI on the reference's deciles, weekly KS, control limits, first alarm."""

import math

import numpy as np
import pytest
from scipy.stats import ks_2samp

from course.metrics import (
    PSI_FLOOR,
    AlarmTiming,
    control_limits,
    first_alarm,
    ks_by_period,
    population_stability_index,
    psi_by_period,
)


def _psi(ref_shares, cur_shares):
    r, c = np.maximum(ref_shares, PSI_FLOOR), np.maximum(cur_shares, PSI_FLOOR)
    return float(np.sum((c - r) * np.log(c / r)))


# -- PSI, worked by hand -----------------------------------------------------------------------


def test_psi_of_a_sample_against_itself_is_zero():
    reference = np.random.default_rng(0).gamma(2.0, 30.0, 1000)
    assert population_stability_index(reference, reference) == 0.0


def test_psi_two_bins_by_hand():
    # median of 1..10 is 5.5: reference shares 0.5 / 0.5; current 2 of 8 below, 6 of 8 above
    reference = np.arange(1.0, 11.0)
    current = np.array([1.0, 2, 6, 7, 8, 9, 10, 11])
    expected = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.75 - 0.5) * math.log(0.75 / 0.5)
    assert population_stability_index(reference, current, n_bins=2) == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(0.274653, abs=1e-6)


def test_psi_deciles_by_hand():
    # reference 0..99: deciles 9.9, 19.8, ..., 89.1; current 50..149 puts 10 values in each of
    # the bins 5 to 8 (50-59, 60-69, 70-79, 80-89 shifted by the edges) and 60 above 89.1
    reference = np.arange(100.0)
    current = np.arange(50.0, 150.0)
    cur_bins = np.searchsorted(np.quantile(reference, np.arange(1, 10) / 10), current, side="right")
    cur_shares = np.bincount(cur_bins, minlength=10) / 100
    assert cur_shares.tolist() == [0, 0, 0, 0, 0, 0.1, 0.1, 0.1, 0.1, 0.6]
    expected = _psi(np.full(10, 0.1), cur_shares)
    assert population_stability_index(reference, current) == pytest.approx(expected, abs=1e-12)
    assert population_stability_index(reference, current) == pytest.approx(4.346303, abs=1e-6)


def test_an_empty_bin_counts_as_the_floor_not_zero():
    # every current value above the median: the lower bin is empty (share 0 -> 0.0001)
    reference = np.arange(1.0, 11.0)
    current = np.array([6.0, 7, 8, 9])
    expected = (PSI_FLOOR - 0.5) * math.log(PSI_FLOOR / 0.5) + (1 - 0.5) * math.log(1 / 0.5)
    psi = population_stability_index(reference, current, n_bins=2)
    assert math.isfinite(psi)
    assert psi == pytest.approx(expected, abs=1e-12)
    assert psi == pytest.approx(4.604, abs=1e-3)


def test_the_floor_is_a_parameter():
    reference, current = np.arange(1.0, 11.0), np.array([6.0, 7, 8, 9])
    loose = population_stability_index(reference, current, n_bins=2, floor=0.01)
    expected = (0.01 - 0.5) * math.log(0.01 / 0.5) + 0.5 * math.log(2)
    assert loose == pytest.approx(expected, abs=1e-12)


def test_a_value_on_an_edge_goes_to_the_bin_above():
    # median of 1..5 is 3: bins (-inf, 3) and [3, inf); reference 2/5 below, 3/5 from 3 up
    reference = np.array([1.0, 2, 3, 4, 5])
    on_edge = population_stability_index(reference, np.array([3.0, 3.0]), n_bins=2)
    assert on_edge == pytest.approx(_psi([0.4, 0.6], [0.0, 1.0]), abs=1e-12)


def test_values_outside_the_reference_range_fall_in_the_outer_bins():
    reference = np.arange(1.0, 11.0)
    far = population_stability_index(reference, np.array([-1e6, 1e6]), n_bins=2)
    assert far == pytest.approx(0.0, abs=1e-12)  # one in each half, as in the reference


def test_equal_quantiles_merge_bins():
    # 0,0,0,1,1 at quartiles 0.25/0.5/0.75: edges 0, 0, 1 -> bins (<0), [0, 1), [1, inf)
    reference = np.array([0.0, 0, 0, 1, 1])
    current = np.array([0.0, 0, 1, 1])
    expected = _psi([0.0, 0.6, 0.4], [0.0, 0.5, 0.5])  # the bin below 0 is empty in both: no term
    assert population_stability_index(reference, current, n_bins=4) == pytest.approx(expected, abs=1e-12)


def test_a_mostly_zero_feature_hides_its_rare_values():
    # 95% zeros: every decile is 0, so all values share the bin [0, inf): PSI sees nothing
    reference = np.r_[np.zeros(95), np.full(5, 0.2)]
    current = np.r_[np.zeros(80), np.full(20, 0.9)]
    assert population_stability_index(reference, current) == pytest.approx(0.0, abs=1e-12)


def test_bins_come_from_the_reference_not_from_the_current_sample():
    rng = np.random.default_rng(1)
    reference, current = rng.normal(0, 1, 2000), rng.normal(0.5, 2, 500)
    psi = population_stability_index(reference, current)
    swapped_bins = population_stability_index(current, reference)  # bins from the other sample
    assert abs(psi - swapped_bins) > 0.05
    edges = np.quantile(reference, np.arange(1, 10) / 10)
    shares = [np.bincount(np.searchsorted(edges, x, side="right"), minlength=10) / x.size for x in (reference, current)]
    assert psi == pytest.approx(_psi(*shares), abs=1e-12)


def test_psi_is_deterministic_and_order_free():
    rng = np.random.default_rng(2)
    reference, current = rng.gamma(2, 30, 3000), rng.gamma(2, 36, 800)
    first = population_stability_index(reference, current)
    assert population_stability_index(reference[::-1], rng.permutation(current)) == first
    assert population_stability_index(list(reference), list(current)) == first


@pytest.mark.parametrize(
    ("reference", "current", "kwargs", "message"),
    [
        ([1.0, np.nan, 3.0], [1.0, 2.0], {}, "reference has 1 NaN"),
        ([1.0, 2.0, 3.0], [1.0, np.inf], {}, "current has 1 NaN or infinite"),
        ([], [1.0], {}, "reference is empty"),
        ([1.0, 2.0], [], {}, "current is empty"),
        ([[1.0, 2.0], [3.0, 4.0]], [1.0], {}, "one-dimensional"),
        ([1.0, 2.0, 3.0], ["a", "b"], {}, "current must be numeric"),
        ([1.0, 2.0, 3.0], [1.0], {"n_bins": 1}, "n_bins == 1, must be >= 2"),
        ([1.0, 2.0, 3.0], [1.0], {"floor": 0.0}, "floor == 0.0, must be > 0.0"),
        ([1.0, 2.0, 3.0], [1.0], {"floor": 1.0}, "floor == 1.0, must be < 1.0"),
    ],
)
def test_psi_refuses_bad_input(reference, current, kwargs, message):
    with pytest.raises(ValueError, match=message):
        population_stability_index(reference, current, **kwargs)


def test_psi_refuses_a_fractional_number_of_bins():
    with pytest.raises(TypeError, match="n_bins"):
        population_stability_index([1.0, 2.0, 3.0], [1.0], n_bins=2.5)


# -- PSI and KS per period --------------------------------------------------------------------


def test_psi_by_period_equals_the_psi_of_each_period():
    rng = np.random.default_rng(3)
    reference = rng.gamma(2, 30, 2000)
    values = np.r_[rng.gamma(2, 30, 700), rng.gamma(2, 45, 700), rng.gamma(2, 30, 5)]
    periods = np.repeat([12, 10, 11], [700, 700, 5])
    result = psi_by_period(reference, values, periods=periods)
    assert result.index.tolist() == [10, 11, 12]
    for period in (10, 11, 12):
        expected = population_stability_index(reference, values[periods == period])
        assert result.loc[period] == pytest.approx(expected, abs=1e-12)


def test_psi_by_period_refuses_mismatched_periods():
    with pytest.raises(ValueError, match="values has 3, periods has 2"):
        psi_by_period([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], periods=[0, 1])
    with pytest.raises(ValueError, match="periods contains NaN"):
        psi_by_period([1.0, 2.0, 3.0], [1.0, 2.0], periods=[0.0, np.nan])


def test_ks_by_period_is_scipy_per_period():
    rng = np.random.default_rng(4)
    reference = rng.normal(0, 1, 500)
    values = np.r_[rng.normal(0, 1, 200), rng.normal(0.3, 1, 200)]
    periods = np.repeat([7, 8], 200)
    result = ks_by_period(reference, values, periods=periods)
    assert result.columns.tolist() == ["statistic", "pvalue"]
    for period in (7, 8):
        expected = ks_2samp(reference, values[periods == period])
        assert result.loc[period, "statistic"] == pytest.approx(expected.statistic)
        assert result.loc[period, "pvalue"] == pytest.approx(expected.pvalue)
    assert result.loc[8, "statistic"] > result.loc[7, "statistic"]


def test_ks_hand_example_and_method():
    result = ks_by_period(np.arange(100.0), np.arange(50.0, 150.0), periods=np.zeros(100), method="asymp")
    assert result["statistic"].iloc[0] == 0.5
    with pytest.raises(ValueError, match='method must be "auto", "exact" or "asymp"'):
        ks_by_period([1.0, 2.0], [1.0], periods=[0], method="fast")


# -- control limits ---------------------------------------------------------------------------


def test_control_limits_by_hand():
    limits = control_limits([10, 12, 8, 10, 10])
    sigma = math.sqrt((0 + 4 + 4 + 0 + 0) / 4)
    assert (limits.center, limits.sigma) == (10.0, pytest.approx(sigma))
    assert limits.upper == pytest.approx(10 + 3 * sigma)
    assert limits.lower == pytest.approx(10 - 3 * sigma)
    assert limits.outside([10, 14.2, 14.3, 5.7, 5.8]).tolist() == [False, False, True, True, False]


def test_the_lower_limit_stops_at_zero():
    limits = control_limits([0, 1, 5, 0, 2])
    assert limits.lower == 0.0
    assert not limits.outside([0]).any()  # a day without alerts is not below a zero limit


@pytest.mark.parametrize(
    ("counts", "kwargs", "error", "message"),
    [
        ([5], {}, ValueError, "at least 2 days"),
        ([5, np.nan], {}, ValueError, "reference_counts has 1 NaN"),
        ([5, 6], {"n_sigma": 0}, ValueError, "n_sigma == 0, must be > 0.0"),
        ([5, 6], {"n_sigma": "3"}, TypeError, "n_sigma"),
    ],
)
def test_control_limits_refuse_bad_input(counts, kwargs, error, message):
    with pytest.raises(error, match=message):
        control_limits(counts, **kwargs)


# -- first alarm ------------------------------------------------------------------------------


def test_detection_delay_counts_from_the_start_day_to_the_end_of_the_check_day():
    # weekly checks end on days 69, 76, 83; the drift starts on day 70 (a Monday of week 10)
    timing = first_alarm([False, True, True], check_days=[69, 76, 83], start_day=70)
    assert timing == AlarmTiming(first_alarm_day=76, detection_delay_days=7.0, false_alarms=0, checks_before_start=1)


def test_a_daily_alarm_on_the_first_day_has_a_delay_of_one_day():
    timing = first_alarm([False, True], check_days=[83, 84], start_day=84)
    assert timing.detection_delay_days == 1.0


def test_alarms_before_the_start_are_false_alarms_not_detections():
    timing = first_alarm([True, True, False, False], check_days=[62, 69, 76, 83], start_day=77)
    assert timing.first_alarm_day is None
    assert math.isnan(timing.detection_delay_days)
    assert (timing.false_alarms, timing.checks_before_start) == (2, 3)


def test_a_check_that_straddles_the_start_counts_as_detection():
    # a week of days 77-83 holds the drift's first day (80): its alarm is a detection after 4 days
    timing = first_alarm([False, True], check_days=[76, 83], start_day=80)
    assert (timing.first_alarm_day, timing.detection_delay_days, timing.false_alarms) == (83, 4.0, 0)


@pytest.mark.parametrize(
    ("alarms", "check_days", "start_day", "error", "message"),
    [
        ([0.5, 1.0], [1, 2], 1, ValueError, "alarms must be a one-dimensional array of booleans"),
        ([True, False], [1.5, 2.5], 1, ValueError, "check_days must be a one-dimensional array of whole days"),
        ([True, False], [2, 2], 1, ValueError, "strictly increasing"),
        ([True, False], [1, 2, 3], 1, ValueError, "alarms has 2, check_days has 3"),
        ([True], [1], True, TypeError, "start_day"),
        ([True], [1], 1.5, TypeError, "start_day"),
    ],
)
def test_first_alarm_refuses_bad_input(alarms, check_days, start_day, error, message):
    with pytest.raises(error, match=message):
        first_alarm(alarms, check_days=check_days, start_day=start_day)

"""course.metrics.optimism: validation and launch scores, their gap, and day-level intervals."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from course.metrics import RANKING_METRICS, optimism


def _window(seed, n=3_000, n_days=20, signal=1.0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.05).astype(int)
    return y, rng.random(n) + signal * y * rng.random(n), np.repeat(np.arange(n_days), n // n_days)


@pytest.fixture(scope="module")
def windows():
    return _window(0, signal=2.0), _window(1, n=4_000, n_days=40, signal=0.5)


def test_estimates_are_scikit_learns_metrics_and_their_difference(windows):
    (y_v, s_v, d_v), (y_l, s_l, d_l) = windows
    result = optimism(y_v, s_v, y_l, s_l, days_val=d_v, days_launch=d_l)
    assert list(result) == list(RANKING_METRICS)
    for metric, function in (("average_precision", average_precision_score), ("roc_auc", roc_auc_score)):
        gap = result[metric]
        assert gap.metric == metric
        assert gap.validation.estimate == pytest.approx(function(y_v, s_v), abs=1e-12)
        assert gap.launch.estimate == pytest.approx(function(y_l, s_l), abs=1e-12)
        assert gap.optimism.estimate == pytest.approx(gap.validation.estimate - gap.launch.estimate, abs=1e-12)
        for interval in (gap.validation, gap.launch, gap.optimism):
            assert interval.low <= interval.estimate <= interval.high
        assert gap.validation.n_days == 20 and gap.launch.n_days == 40


def test_a_strong_leak_is_outside_the_noise_and_no_leak_is_inside(windows):
    (y_v, s_v, d_v), (y_l, s_l, d_l) = windows
    leaky = optimism(y_v, s_v, y_l, s_l, days_val=d_v, days_launch=d_l)
    assert leaky["average_precision"].optimism.low > 0
    assert not leaky["average_precision"].inside_noise
    same = optimism(y_l, s_l, y_l, s_l, days_val=d_l, days_launch=d_l)
    assert same["roc_auc"].optimism.estimate == 0.0
    assert same["roc_auc"].inside_noise


def test_the_windows_are_resampled_independently(windows):
    """The optimism's spread is that of a difference of independent windows: wider than either window."""
    (y_v, s_v, d_v), (y_l, s_l, d_l) = windows
    gap = optimism(y_v, s_v, y_l, s_l, days_val=d_v, days_launch=d_l, n_resamples=400)["average_precision"]
    assert gap.optimism.standard_error > max(gap.validation.standard_error, gap.launch.standard_error)
    expected = np.hypot(gap.validation.standard_error, gap.launch.standard_error)
    assert gap.optimism.standard_error == pytest.approx(expected, rel=0.2)


def test_same_seed_same_intervals_other_seed_other_draws(windows):
    (y_v, s_v, d_v), (y_l, s_l, d_l) = windows
    first = optimism(y_v, s_v, y_l, s_l, days_val=d_v, days_launch=d_l, seed=3)
    again = optimism(y_v, s_v, y_l, s_l, days_val=d_v, days_launch=d_l, seed=3)
    other = optimism(y_v, s_v, y_l, s_l, days_val=d_v, days_launch=d_l, seed=4)
    assert first["roc_auc"].optimism == again["roc_auc"].optimism
    assert first["roc_auc"].optimism.low != other["roc_auc"].optimism.low
    assert first["roc_auc"].optimism.estimate == other["roc_auc"].optimism.estimate


def test_str_reads_as_a_sentence(windows):
    (y_v, s_v, d_v), (y_l, s_l, d_l) = windows
    text = str(optimism(y_v, s_v, y_l, s_l, days_val=d_v, days_launch=d_l)["average_precision"])
    assert text.startswith("average_precision: validation 0.") and "optimism" in text and "95% CI" in text


@pytest.mark.parametrize(
    "change, message",
    [
        ({"y_val": np.zeros(3_000, dtype=int)}, "y_val holds one class only"),
        ({"score_launch": np.full(4_000, np.nan)}, "score_launch has 4000 NaN"),
        ({"days_val": np.zeros(3_000)}, "single day"),
        ({"days_launch": np.arange(10)}, "score_launch has 4000, days_launch has 10"),
        ({"n_resamples": 1}, "n_resamples"),
        ({"confidence_level": 1.5}, "confidence_level"),
    ],
)
def test_bad_input_is_named(windows, change, message):
    (y_v, s_v, d_v), (y_l, s_l, d_l) = windows
    arguments = {
        "y_val": y_v,
        "score_val": s_v,
        "y_launch": y_l,
        "score_launch": s_l,
        "days_val": d_v,
        "days_launch": d_l,
    }
    arguments.update(change)
    positional = [arguments.pop(name) for name in ("y_val", "score_val", "y_launch", "score_launch")]
    with pytest.raises(ValueError, match=message):
        optimism(*positional, **arguments)

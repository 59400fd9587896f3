"""LateLabelExplorer driven from code: the numbers and artists equal the precomputed positions."""

import re

import numpy as np
import pandas as pd
import pytest

from course.data import labels_as_of, simulate_transactions
from course.lessons.late_labels import late_label_numbers, ranking_metrics, simulated_report_delay
from course.widgets import LateLabelExplorer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def scored():
    df = simulate_transactions(300, 600, 45, seed=2)
    test = df[df["timestamp"] >= "2024-01-25"].reset_index(drop=True)  # 21 payment days
    rng = np.random.default_rng(3)
    return test, np.round(rng.random(len(test)) + 0.5 * test["is_fraud"].to_numpy(), 3)


@pytest.fixture(scope="module")
def explorer(scored):
    test, score = scored
    return LateLabelExplorer(
        test,
        score,
        threshold=0.8,
        max_days_after=60,
        maturity_days=(0, 14, 30),
        report_curve=lambda d: simulated_report_delay(d, horizon_days=120),
    )


def html_values(html):
    return dict(re.findall(r'class="hsml-value" data-name="([^"]+)" data-value="([^"]*)"', html))


def test_controls_and_first_view(explorer):
    assert explorer.as_of_slider.description == "As of"
    assert explorer.as_of_slider.value == 0
    assert explorer.as_of_slider.label.startswith("2024-02-15")  # the midnight after the last payment day
    assert explorer.maturity_slider.description == "Maturity"
    assert [value for _, value in explorer.maturity_slider.options] == [0, 14, 30]
    assert explorer.metric_buttons.value == "average_precision"
    assert explorer.error is None
    assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("metric", ["average_precision", "precision", "recall"])
def test_every_move_shows_the_engine_numbers(explorer, scored, metric):
    test, score = scored
    explorer.metric_buttons.value = metric
    for days_after, maturity in ((0, 0), (7, 14), (25, 30), (60, 0)):
        explorer.as_of_slider.value = days_after
        explorer.maturity_slider.value = maturity
        shown = explorer.displayed
        assert shown == late_label_numbers(explorer.positions, days_after, maturity, metric)
        as_of = pd.Timestamp("2024-02-15") + pd.Timedelta(days=days_after)
        expected = ranking_metrics(labels_as_of(test, as_of, maturity_days=maturity), score, threshold=0.8)
        assert shown["metric_as_of"] == pytest.approx(expected[metric], nan_ok=True)
        assert shown["labelled_payments"] == expected["labelled"]
        in_html = html_values(explorer.numbers.value)
        assert set(in_html) == set(shown)
        assert int(in_html["known_frauds"]) == shown["known_frauds"]
        assert as_of.strftime("%Y-%m-%d") in explorer.numbers.value
        # the artists follow: known bars, the as-of point, the metric point
        heights = [bar.get_height() for bar in explorer.known_bars]
        assert heights == explorer.positions.known_frauds_by_day[days_after].tolist()
        assert explorer.metric_point.get_data()[0][0] == days_after
        assert explorer.curve_point.get_data()[1][0] == pytest.approx(shown["share_reported"])


def test_the_shaded_days_are_those_with_immature_payments(explorer):
    """21 payment days; as of k days after them with maturity m, day i is mature when i + 1 + m <= 21 + k."""
    explorer.maturity_slider.value = 30
    explorer.as_of_slider.value = 0
    assert explorer.immature_span.get_x() == pytest.approx(-0.5) and explorer.immature_span.get_width() == 21
    explorer.as_of_slider.value = 16  # days 0..6 mature (6 + 1 + 30 = 37 = 21 + 16)
    assert explorer.immature_span.get_x() == pytest.approx(6.5) and explorer.immature_span.get_width() == 14
    explorer.maturity_slider.value = 0
    assert explorer.immature_span.get_width() == 0


def test_one_class_known_shows_undefined_not_a_number(scored):
    """With a 30-day maturity the morning after a 21-day period, no genuine payment is known: precision is NaN."""
    test, score = scored
    explorer = LateLabelExplorer(test, score, threshold=0.8, max_days_after=5, maturity_days=(30,), metric="precision")
    assert np.isnan(explorer.displayed["metric_as_of"])
    assert "undefined" in explorer.numbers.value


def test_bad_inputs_are_named(scored):
    test, score = scored
    with pytest.raises(ValueError, match="metric must be one of"):
        LateLabelExplorer(test, score, threshold=0.8, metric="f1")
    with pytest.raises(ValueError, match="NaN or infinite"):
        LateLabelExplorer(test, np.full(len(test), np.nan), threshold=0.8)
    with pytest.raises(ValueError, match="one value per transaction"):
        LateLabelExplorer(test, score[:-1], threshold=0.8)
    with pytest.raises(ValueError, match="needs the columns"):
        LateLabelExplorer(test.drop(columns="label_available_at"), score, threshold=0.8)


def test_same_inputs_same_pictures(scored):
    test, score = scored
    a = LateLabelExplorer(test, score, threshold=0.8, max_days_after=10)
    b = LateLabelExplorer(test, score, threshold=0.8, max_days_after=10)
    a.as_of_slider.value = b.as_of_slider.value = 7
    assert a.displayed == b.displayed
    assert bytes(a.image.value) == bytes(b.image.value)

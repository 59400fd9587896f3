"""DriftExplorer driven from code: every control shows the precomputed engine's numbers, fast."""

import re
import time

import numpy as np
import pytest

from course.lessons.drift import DriftLab, drift_explorer_data, drift_explorer_numbers
from course.widgets import DriftExplorer
from course.widgets.base import format_value

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def data():
    lab = DriftLab(seed=0, n_customers=120)
    return drift_explorer_data(lab, kinds=("covariate", "concept"), sizes=("strong",), start_days=(84, 98))


def html_values(html):
    """data-name -> data-value of the numbers panel, as a browser test reads them."""
    return dict(re.findall(r'class="hsml-value" data-name="([^"]+)" data-value="([^"]*)"', html))


def engine(explorer):
    return drift_explorer_numbers(
        explorer.data,
        explorer.kind.value,
        explorer.size.value,
        explorer.start_day.value,
        explorer.policy.value,
        explorer.week_slider.value,
    )


@pytest.fixture(scope="module")
def explorer(data):
    return DriftExplorer(data)


def reset(explorer, week=10):
    explorer.kind.value, explorer.size.value, explorer.start_day.value = "covariate", "strong", 84
    explorer.policy.value, explorer.week_slider.value = "never", week


def test_controls_offer_what_was_precomputed(explorer):
    reset(explorer)
    assert explorer.week_slider.description == "Week"
    assert (explorer.week_slider.min, explorer.week_slider.max) == (10, 19)
    assert list(explorer.kind.options) == ["covariate", "concept"]
    assert list(explorer.start_day.options) == [84, 98]
    assert list(explorer.policy.options) == ["never", "every 4 weeks", "monitor-triggered"]
    assert bytes(explorer.image.value[:8]) == PNG_SIGNATURE


@pytest.mark.parametrize(
    ("control", "value"),
    [("week_slider", 13), ("kind", "concept"), ("start_day", 98), ("policy", "every 4 weeks"), ("week_slider", 19)],
)
def test_each_control_shows_the_engine_numbers(explorer, control, value):
    reset(explorer, week=16)
    getattr(explorer, control).value = value
    assert explorer.error is None
    expected = engine(explorer)
    assert explorer.displayed == pytest.approx(expected, nan_ok=True)
    shown = html_values(explorer.numbers.value)
    assert set(shown) == set(expected)
    for name, number in expected.items():
        assert float(shown[name]) == pytest.approx(number, nan_ok=True), name
        text = re.search(rf'data-name="{re.escape(name)}" data-value="[^"]*">([^<]*)<', explorer.numbers.value)
        assert text.group(1) == format_value(number, explorer.formats.get(name)), name


def test_the_picture_changes_with_the_week_and_with_the_drift(explorer):
    reset(explorer)
    first = bytes(explorer.image.value)
    explorer.week_slider.value = 15
    moved = bytes(explorer.image.value)
    explorer.kind.value = "concept"
    other = bytes(explorer.image.value)
    assert len({first, moved, other}) == 3
    explorer.kind.value = "covariate"
    explorer.week_slider.value = 10
    assert bytes(explorer.image.value) == first  # the same state draws the same picture


def test_lines_follow_the_chosen_run(data):
    explorer = DriftExplorer(data, kind="concept", policy="every 4 weeks")  # initial values from the constructor
    series = data.series["concept", "strong", 84, "every 4 weeks"]
    np.testing.assert_allclose(explorer.psi_score_line.get_ydata(), series["psi_score"])
    np.testing.assert_allclose(
        explorer.cost_lines["never"].get_ydata(), data.series["concept", "strong", 84, "never"]["cumulative_cost"]
    )
    assert explorer.cost_lines["every 4 weeks"].get_linewidth() > explorer.cost_lines["never"].get_linewidth()
    retrain_weeks = data.weeks[series["retrain"]] + 0.5
    np.testing.assert_allclose(explorer.retrain_marks.get_xdata(), retrain_weeks)


def test_a_week_move_is_a_lookup_and_a_blit(explorer):
    reset(explorer)
    start = time.perf_counter()
    for week in range(10, 20):
        explorer.week_slider.value = week
    per_move = (time.perf_counter() - start) / 10
    assert per_move < 1.0  # a guard against a fit or a full redraw sneaking in, not the speed goal (benchmarks/)


def test_bad_input_is_refused(data):
    with pytest.raises(TypeError, match="data must be a DriftExplorerData"):
        DriftExplorer({"series": {}})
    with pytest.raises(ValueError, match="kind='prior' was not precomputed: the data offer"):
        DriftExplorer(data, kind="prior")
    with pytest.raises(ValueError, match="week=25 was not precomputed"):
        DriftExplorer(data, week=25)

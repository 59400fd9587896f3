"""CalibrationExplorer driven from code: the numbers on screen equal course.lessons.calibration.calibration_view."""

import re

import numpy as np
import pytest

from course.lessons.calibration import calibration_view
from course.metrics import CostModel, reliability_table
from course.widgets import CalibrationExplorer
from course.widgets.base import format_value

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COSTS = CostModel(review_cost=3.0, friction_cost=5.0)


@pytest.fixture(scope="module")
def launch():
    """Launch weeks' labels, amounts and the probabilities of three models, several calibrations."""
    rng = np.random.default_rng(11)
    n = 8_000
    p = np.clip(rng.beta(0.4, 50.0, n), 0, 1)
    y = (rng.random(n) < p).astype(int)
    amounts = np.round(rng.gamma(2.0, 60.0, n), 2)

    def inflate(q, beta):  # what undersampling at beta does to calibrated probabilities
        return q / (q + beta * (1 - q))

    probabilities = {
        ("logreg", 1.0, "none"): np.clip(p * 1.1, 0, 1),
        ("logreg", 1.0, "sigmoid"): p,
        ("class_weight", 1.0, "none"): inflate(p, 0.01),
        ("class_weight", 1.0, "sigmoid"): p,
    }
    for beta in (0.2, 0.05):
        probabilities[("undersample", beta, "none")] = inflate(p, beta)
        probabilities[("undersample", beta, "prior")] = p
    return y, probabilities, amounts


def explorer_of(launch, **kwargs):
    y, probabilities, amounts = launch
    return CalibrationExplorer(
        y, probabilities, amounts=amounts, n_days=14, cost_model=COSTS, bins=(5, 10, 20), **kwargs
    )


def html_values(html):
    return dict(re.findall(r'class="hsml-value" data-name="([^"]+)" data-value="([^"]*)"', html))


def html_texts(html):
    return dict(re.findall(r'class="hsml-value" data-name="([^"]+)" data-value="[^"]*">([^<]*)<', html))


def expected_numbers(launch, explorer):
    y, probabilities, amounts = launch
    model, beta, method, n_bins, strategy = explorer.choice
    return calibration_view(
        y,
        probabilities[(model, beta, method)],
        probabilities[(model, beta, "none")],
        amounts=amounts,
        n_days=14,
        cost_model=COSTS,
        n_bins=n_bins,
        strategy=strategy,
    )


def test_every_control_shows_the_engines_numbers(launch):
    explorer = explorer_of(launch, model="undersample", beta=0.2, method="prior")
    assert explorer.beta_slider.description == "Genuines kept (β)"
    assert not explorer.beta_slider.disabled
    moves = [
        (explorer.beta_slider, 0.05),
        (explorer.method_buttons, "none"),
        (explorer.bins_slider, 20),
        (explorer.strategy_buttons, "uniform"),
        (explorer.model_dropdown, "class_weight"),
        (explorer.method_buttons, "sigmoid"),
        (explorer.bins_slider, 5),
        (explorer.model_dropdown, "logreg"),
    ]
    for control, value in moves:
        control.value = value
        assert explorer.error is None
        expected = expected_numbers(launch, explorer)
        assert explorer.displayed == pytest.approx(expected), (control.description, value)
        on_screen = html_values(explorer.numbers.value)
        assert set(on_screen) == set(expected)
        for name, text in html_texts(explorer.numbers.value).items():
            assert text == format_value(explorer.displayed[name], explorer.formats.get(name)).replace("&", "&amp;")
        assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)
    assert explorer.beta_slider.disabled  # logreg has one model only


def test_the_diagram_draws_the_reliability_tables(launch):
    y, probabilities, _ = launch
    explorer = explorer_of(launch, model="undersample", beta=0.05, method="prior", n_bins=10)
    bars, line, _ = explorer._reliability["chosen"]
    table = reliability_table(y, probabilities[("undersample", 0.05, "prior")], n_bins=10, strategy="quantile")
    np.testing.assert_allclose(line.get_xdata(), np.log10(np.clip(table["mean_predicted"], 1e-5, 1)))
    np.testing.assert_allclose(line.get_ydata(), np.log10(np.clip(table["fraud_rate"], 1e-5, 1)))
    assert len(bars.get_segments()) == len(table)
    raw = reliability_table(y, probabilities[("undersample", 0.05, "none")], n_bins=10, strategy="quantile")
    np.testing.assert_allclose(
        explorer._reliability["uncalibrated"][1].get_xdata(), np.log10(np.clip(raw["mean_predicted"], 1e-5, 1))
    )
    nothing = explorer.displayed["cost_flag_nothing"]
    assert explorer._bars[1].get_height() == pytest.approx(explorer.displayed["cost"] / nothing)
    assert explorer._bars[0].get_height() == pytest.approx(explorer.displayed["cost_uncalibrated"] / nothing)


def test_calibration_helps_the_inflated_models(launch):
    explorer = explorer_of(launch, model="undersample", beta=0.05, method="prior")
    shown = explorer.displayed
    assert shown["ece"] < shown["ece_uncalibrated"]
    assert shown["brier"] < shown["brier_uncalibrated"]
    assert shown["alerts_per_day"] < shown["alerts_per_day_uncalibrated"]
    assert shown["cost_saved"] == pytest.approx(shown["cost_uncalibrated"] - shown["cost"])
    assert shown["cost_saved"] > 0


def test_table_lists_every_choice(launch):
    explorer = explorer_of(launch)
    table = explorer.table(n_bins=10, strategy="quantile")
    assert len(table) == 8
    assert table.loc[("undersample", 0.05, "prior"), "ece"] == pytest.approx(
        explorer.views[("undersample", 0.05, "prior", 10, "quantile")]["numbers"]["ece"]
    )
    with pytest.raises(ValueError, match="bins"):
        explorer.table(n_bins=7)


def test_a_method_a_model_lacks_is_said_not_raised(launch):
    explorer = explorer_of(launch, model="logreg", method="sigmoid")
    explorer.method_buttons.value = "prior"  # logreg was given no prior correction
    assert explorer.error is not None and "not available" in explorer.error
    assert explorer.displayed == {}
    assert "hsml-error" in explorer.numbers.value
    explorer.method_buttons.value = "none"
    assert explorer.error is None and explorer.displayed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"model": "svm"}, "model must be one of"),
        ({"model": "undersample", "beta": 0.3}, "beta must be one of"),
        ({"method": "platt"}, "method must be one of"),
        ({"n_bins": 7}, "n_bins must be one of"),
        ({"strategy": "equal"}, "strategy"),
    ],
)
def test_bad_initial_choices(launch, kwargs, message):
    with pytest.raises(ValueError, match=message):
        explorer_of(launch, **kwargs)


def test_bad_probabilities(launch):
    y, probabilities, amounts = launch
    with pytest.raises(ValueError, match="'none'"):
        CalibrationExplorer(
            y, {("m", 1.0, "sigmoid"): probabilities[("logreg", 1.0, "sigmoid")]}, amounts=amounts, n_days=14
        )
    with pytest.raises(ValueError, match="one value per transaction"):
        CalibrationExplorer(y[:-1], probabilities, amounts=amounts[:-1], n_days=14)
    with pytest.raises(ValueError, match="between 0 and 1"):
        CalibrationExplorer(
            y, {("m", 1.0, "none"): 1.5 + probabilities[("logreg", 1.0, "none")]}, amounts=amounts, n_days=14
        )


def test_inputs_are_not_modified(launch):
    y, probabilities, amounts = launch
    before = {key: value.copy() for key, value in probabilities.items()}
    explorer_of(launch)
    for key, value in probabilities.items():
        np.testing.assert_array_equal(value, before[key])

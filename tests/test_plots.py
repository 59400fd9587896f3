"""course.plots: the data behind the plots (not their pixels)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from course.metrics import CostModel, ThresholdSweep, capacity_threshold, cost_curve, least_cost_threshold
from course.plots import CostCurveDisplay, precision_recall_display, roc_display


@pytest.fixture
def data():
    rng = np.random.default_rng(4)
    n = 3_000
    y = (rng.random(n) < 0.05).astype(int)
    score = np.round(rng.random(n) * 0.7 + 0.3 * y, 3)
    amounts = rng.gamma(2.0, 60.0, n)
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10 * 86_400, n), unit="s")
    return y, score, amounts, stamps


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_cost_curve_marks_the_least_cost_threshold(data):
    y, score, amounts, _ = data
    model = CostModel(review_cost=2.0, friction_cost=6.0)
    ax = Figure().add_subplot()
    display = CostCurveDisplay.from_predictions(y, score, amounts=amounts, cost_model=model, ax=ax, max_points=200)
    sweep = ThresholdSweep(y, score, amounts=amounts)
    best = least_cost_threshold(sweep, model)
    assert display.ax_ is ax and display.best_threshold == best
    x, y_marker = display.best_marker_.get_data()
    assert x[0] == best and y_marker[0] == pytest.approx(sweep.at(best, cost_model=model).expected_cost)
    # the drawn curve has at most max_points + the best point, all costs exact
    assert len(display.thresholds) <= 201 and best in display.thresholds
    np.testing.assert_allclose(display.costs, sweep.at(display.thresholds, cost_model=model)["expected_cost"])
    assert display.costs.min() == pytest.approx(display.best_cost)
    assert display.flag_nothing_line_.get_ydata()[0] == pytest.approx(amounts[y == 1].sum())


def test_cost_curve_relative_capacity_and_update(data):
    y, score, amounts, stamps = data
    sweep = ThresholdSweep(y, score, amounts=amounts, timestamps=stamps)
    capped = CostModel(review_cost=2.0, friction_cost=6.0, capacity_per_day=5.0)
    display = CostCurveDisplay.from_sweep(sweep, capped, ax=Figure().add_subplot(), relative=True)
    nothing = display.cost_flag_nothing
    np.testing.assert_allclose(display.line_.get_ydata(), display.costs / nothing)
    assert display.ax_.get_ylim() == (0, 1.5)
    assert display.capacity_line_.get_xdata()[0] == capacity_threshold(sweep, 5.0)
    line = display.line_
    display.update(sweep, CostModel(review_cost=20.0, friction_cost=6.0))
    assert display.line_ is line  # same artist, moved
    assert display.best_threshold == least_cost_threshold(sweep, CostModel(review_cost=20.0, friction_cost=6.0))
    assert np.isnan(display.capacity_line_.get_xdata()[0])


def test_cost_curve_data_when_flagging_nothing_is_cheapest():
    sweep = ThresholdSweep([0, 0, 1], [0.9, 0.8, 0.1], amounts=[10, 10, 5])
    data = cost_curve(sweep, CostModel(review_cost=1.0, friction_cost=1.0))
    assert data["best_threshold"] == np.inf and data["best_cost"] == data["cost_flag_nothing"] == 5.0
    display = CostCurveDisplay(**data).plot(ax=Figure().add_subplot())
    assert len(display.best_marker_.get_xdata()) == 0


def test_sklearn_displays_fed_from_a_sweep(data):
    y, score, _, _ = data
    sweep = ThresholdSweep(y, score)
    pr = precision_recall_display(sweep, ax=Figure().add_subplot(), max_points=100)
    assert pr.average_precision == sweep.average_precision()
    assert pr.line_.get_xdata().size <= 101
    assert pr.chance_level_.get_ydata()[0] == pytest.approx(y.mean())
    roc = roc_display(sweep, ax=Figure().add_subplot(), max_points=100)
    assert roc.roc_auc == sweep.roc_auc() and roc.line_.get_xdata().size <= 100


def test_wrong_inputs_are_named():
    sweep = ThresholdSweep([0, 1], [0.1, 0.9])
    with pytest.raises(TypeError, match="ThresholdSweep"):
        roc_display([0, 1])
    with pytest.raises(TypeError, match="CostModel"):
        cost_curve(sweep, {"review_cost": 1})

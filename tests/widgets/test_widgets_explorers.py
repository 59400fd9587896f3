"""Explorers driven from code: set a control, the numbers on screen equal the engine's."""

import re

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

from course.lessons.pr_auc_vs_roc_auc import base_rate_numbers
from course.metrics import (
    CostModel,
    PrevalenceSampler,
    ThresholdSweep,
    capacity_threshold,
    expected_random_average_precision,
    least_cost_threshold,
)
from course.widgets import BaseRateExplorer, Explorer, ThresholdExplorer
from course.widgets.base import format_value

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(8)
    n = 4_000
    y = (rng.random(n) < 0.04).astype(int)
    score = np.round(1 / (1 + np.exp(-(rng.normal(size=n) * 1.2 + 2.2 * y - 2))), 3)
    amounts = rng.gamma(2.0, 50.0, n)
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 7 * 86_400, n), unit="s")
    return y, score, amounts, stamps


def html_values(html):
    """data-name -> data-value of the numbers panel, as a browser test would read them."""
    return dict(re.findall(r'class="hsml-value" data-name="([^"]+)" data-value="([^"]*)"', html))


def test_threshold_explorer_shows_the_engine_numbers(data):
    y, score, amounts, stamps = data
    explorer = ThresholdExplorer(y, score, amounts=amounts, timestamps=stamps)
    sweep = ThresholdSweep(y, score, amounts=amounts, timestamps=stamps)
    assert explorer.threshold_slider.description == "Threshold"
    for threshold in (0.2, 0.35, 0.5, 0.8):
        explorer.threshold_slider.value = threshold
        model = explorer.cost_model
        expected = sweep.at(threshold, cost_model=model, zero_division=np.nan)
        shown = explorer.displayed
        for name in (
            "tp",
            "fp",
            "fn",
            "tn",
            "alerts",
            "precision",
            "recall",
            "fpr",
            "f1",
            "alerts_per_day",
            "expected_cost",
            "savings",
            "cost_flag_nothing",
        ):
            assert shown[name] == pytest.approx(getattr(expected, name)), name
        assert shown["least_cost_threshold"] == least_cost_threshold(sweep, model)
        # the HTML carries the same numbers, readable by name
        in_html = html_values(explorer.numbers.value)
        assert set(in_html) == set(shown)
        assert int(in_html["tp"]) == expected.tp
        assert float(in_html["precision"]) == pytest.approx(expected.precision)
        assert f'data-name="recall" data-value="{expected.recall!r}">{expected.recall:.3f}<' in explorer.numbers.value
    assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)


def test_threshold_explorer_cost_controls_and_buttons(data):
    y, score, amounts, stamps = data
    explorer = ThresholdExplorer(y, score, amounts=amounts, timestamps=stamps, threshold=0.3)
    sweep = explorer.sweep
    explorer.review_cost.value = 8.0
    explorer.friction_cost.value = 1.0
    explorer.fraud_loss_mode.value = "fixed"
    assert not explorer.fixed_fraud_loss.disabled
    explorer.fixed_fraud_loss.value = 250.0
    model = CostModel(review_cost=8.0, friction_cost=1.0, fraud_loss=250.0)
    assert explorer.cost_model == model
    assert explorer.displayed["expected_cost"] == pytest.approx(sweep.at(0.3, cost_model=model).expected_cost)
    best = least_cost_threshold(sweep, model)
    # the drawn cost curve moved with the costs (relative to flagging nothing)
    np.testing.assert_allclose(
        explorer.cost_display.line_.get_ydata(),
        sweep.at(explorer.cost_display.thresholds, cost_model=model)["expected_cost"] / (250.0 * y.sum()),
    )
    explorer.least_cost_button.click()
    assert explorer.threshold_slider.value == pytest.approx(best)
    assert explorer.displayed["expected_cost"] == pytest.approx(explorer.displayed["least_cost"])

    explorer.capacity.value = 20.0
    assert explorer.cost_model.capacity_per_day == 20.0
    expected_capacity = capacity_threshold(sweep, 20.0)
    assert explorer.displayed["capacity_threshold"] == expected_capacity
    explorer.capacity_button.click()
    assert explorer.threshold_slider.value == pytest.approx(expected_capacity)
    assert explorer.displayed["within_capacity"] is True
    assert explorer.displayed["alerts_per_day"] <= 20.0


def widget_tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widget_tree(child)


def test_threshold_explorer_layout_holds_every_control(data):
    y, score, amounts, _ = data
    explorer = ThresholdExplorer(y, score, amounts=amounts)
    shown = list(widget_tree(explorer.widget))
    for control in (
        *explorer.controls,
        explorer.least_cost_button,
        explorer.capacity_button,
        explorer.image,
        explorer.numbers,
    ):
        assert any(control is w for w in shown), control.description if hasattr(control, "description") else control


def test_threshold_explorer_marker_follows_the_slider(data):
    y, score, amounts, _ = data
    explorer = ThresholdExplorer(y, score, amounts=amounts)
    explorer.threshold_slider.value = 0.45
    r = explorer.sweep.at(0.45)
    assert explorer.pr_marker.get_data()[0][0] == pytest.approx(r.recall)
    assert explorer.pr_marker.get_data()[1][0] == pytest.approx(r.precision)
    assert explorer.roc_marker.get_data()[0][0] == pytest.approx(r.fpr)
    first_png = bytes(explorer.image.value)
    explorer.threshold_slider.value = 0.7
    assert bytes(explorer.image.value) != first_png
    assert "alerts_per_day" not in explorer.displayed and explorer.capacity.disabled


def test_threshold_explorer_top_of_slider_flags_nothing(data):
    y, score, _, _ = data
    explorer = ThresholdExplorer(y, score)  # no amounts: a fixed fraud loss
    assert explorer.fraud_loss_mode.options == ("fixed",) or explorer.fraud_loss_mode.value == "fixed"
    explorer.threshold_slider.value = explorer.threshold_slider.max
    assert explorer.displayed["alerts"] == 0
    assert np.isnan(explorer.displayed["precision"])
    assert 'data-name="precision" data-value="nan">undefined<' in explorer.numbers.value
    assert explorer.displayed["savings"] == 0.0


def test_threshold_explorer_rejects_inconsistent_inputs(data):
    y, score, _, _ = data
    with pytest.raises(ValueError, match="no amounts"):
        ThresholdExplorer(y, score, cost_model=CostModel(fraud_loss="amount"))
    with pytest.raises(ValueError, match="no timestamps"):
        ThresholdExplorer(y, score, cost_model=CostModel(fraud_loss=5.0, capacity_per_day=3))
    with pytest.raises(TypeError, match="CostModel"):
        ThresholdExplorer(y, score, cost_model={"review_cost": 1})


def test_prevalence_sampler_is_nested_honest_and_reproducible():
    y = np.r_[np.ones(50, int), np.zeros(450, int)]
    sampler = PrevalenceSampler(y, seed=3)
    assert sampler.natural_prevalence == 0.1
    low, lower = sampler.mask(0.05), sampler.mask(0.02)
    assert (lower <= low).all()  # nested
    assert low[y == 0].all()  # lowering the prevalence keeps every genuine
    assert sampler.counts(0.05) == (24, 450) and low.sum() == 474
    high = sampler.mask(0.5)
    assert high[y == 1].all() and high.sum() == 100  # raising it keeps every fraud
    assert (sampler.mask(0.2) >= high).all()
    np.testing.assert_array_equal(PrevalenceSampler(y, seed=3).mask(0.05), low)
    assert not np.array_equal(PrevalenceSampler(y, seed=4).mask(0.05), low)
    with pytest.raises(ValueError, match="strictly between"):
        sampler.counts(0.0)


def test_base_rate_numbers_equal_a_fresh_sweep_of_the_subsample():
    rng = np.random.default_rng(1)
    y = (rng.random(3_000) < 0.2).astype(int)
    score = np.round(rng.normal(size=3_000) + 1.5 * y, 2)
    sweep, sampler = ThresholdSweep(y, score), PrevalenceSampler(y, seed=0)
    numbers, curves = base_rate_numbers(sweep, sampler, 0.02, max_points=500)
    mask = sampler.mask(0.02)
    fresh = ThresholdSweep(y[mask], score[mask])
    assert numbers["frauds"] == y[mask].sum() and numbers["genuines"] == (y == 0).sum()
    assert numbers["roc_auc"] == pytest.approx(fresh.roc_auc(), rel=1e-12)
    assert numbers["average_precision"] == pytest.approx(fresh.average_precision(), rel=1e-12)
    realized = mask[y == 1].sum() / mask.sum()
    assert numbers["constant_score_average_precision"] == numbers["prevalence"] == pytest.approx(realized)
    # random scores: the exact expectation, above the prevalence with few frauds
    random_ap = expected_random_average_precision(int(y[mask].sum()), int(mask.sum()))
    assert numbers["random_scores_average_precision"] == pytest.approx(random_ap, rel=1e-12)
    assert numbers["random_scores_average_precision"] > numbers["prevalence"]
    assert curves["fpr"].size <= 500


def test_base_rate_explorer_roc_stays_pr_falls():
    rng = np.random.default_rng(2)
    y = (rng.random(6_000) < 0.2).astype(int)
    score = rng.normal(size=6_000) + 1.5 * y
    explorer = BaseRateExplorer(y, score, seed=0, prevalences=[0.01, 0.05, 0.2])
    shown = {}
    for p in explorer.prevalences:
        explorer.prevalence_slider.value = p
        shown[p] = dict(explorer.displayed)
        in_html = html_values(explorer.numbers.value)
        assert float(in_html["average_precision"]) == shown[p]["average_precision"]
        np.testing.assert_allclose(explorer.constant_score_line.get_ydata(), shown[p]["prevalence"])
    assert abs(shown[0.01]["roc_auc"] - shown[0.2]["roc_auc"]) < 0.05
    assert shown[0.01]["average_precision"] < shown[0.05]["average_precision"] < shown[0.2]["average_precision"]
    assert shown[0.01]["prevalence"] == pytest.approx(0.01, rel=0.05)
    assert explorer.prevalence_slider.description == "Prevalence"
    assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)


class SquareExplorer(Explorer):
    """The example of the base module's docstring, used to test the base itself."""

    def __init__(self):
        self.x_slider = widgets.FloatSlider(description="x", min=0, max=2, value=1)
        self.draws = 0
        super().__init__(controls=[self.x_slider], figsize=(3, 2))

    def _build_figure(self, figure):
        ax = figure.add_subplot()
        xs = np.linspace(0, 2, 50)
        ax.plot(xs, xs**2)
        self.point = self._animate(ax.plot([], [], "o")[0])

    def _compute(self):
        if self.x_slider.value > 1.9:
            raise ValueError("x is too large for this example.")
        return {"x": self.x_slider.value, "square": self.x_slider.value**2}

    def _draw(self, values):
        self.point.set_data([values["x"]], [values["square"]])


def test_explorer_base_blits_reports_errors_and_formats():
    explorer = SquareExplorer()
    assert explorer.displayed == {"x": 1.0, "square": 1.0}
    background = explorer._background
    explorer.x_slider.value = 1.5
    assert explorer.displayed["square"] == 2.25
    assert explorer._background is background  # only the moving artist was redrawn
    assert explorer.point.get_animated()
    assert 'data-explorer="SquareExplorer"' in explorer.numbers.value
    explorer.x_slider.value = 1.95
    assert explorer.error == "x is too large for this example." and explorer.displayed == {}
    assert 'class="hsml-error"' in explorer.numbers.value
    explorer.x_slider.value = 0.5
    assert explorer.error is None and explorer.displayed["square"] == 0.25
    assert isinstance(explorer.widget, widgets.VBox) and explorer.image in explorer.widget.children
    explorer._invalidate()
    explorer.update()
    assert explorer._background is not background
    assert format_value(True) == "yes" and format_value(None) == "n/a" and format_value(float("inf")) == "∞"


def test_explorer_renders_for_high_density_screens_and_the_browser_scales_it_down():
    import io

    from PIL import Image

    explorer = SquareExplorer()  # figsize (3, 2) at 72 dpi: 216 x 144 CSS pixels
    image = Image.open(io.BytesIO(bytes(explorer.image.value)))
    assert image.size == (2 * 216, 2 * 144)  # twice the pixels...
    assert explorer.image.layout.width == "216px"  # ...shown at the figure's size
    assert explorer.image.layout.max_width == "100%"
    assert explorer.pixel_ratio == 2 and explorer.figure.dpi == 144
    assert 'width="216"' in explorer.static_html()  # a static page scales the picture down too
    for bad in (0, 5, 1.5, True):
        with pytest.raises(ValueError, match="pixel_ratio"):
            Explorer(controls=[], pixel_ratio=bad)


def test_png_bytes_decode_to_the_same_pixels():
    import io

    from PIL import Image

    from course.widgets.base import png_bytes

    rng = np.random.default_rng(0)
    for shape in [(1, 1, 4), (3, 5, 4), (40, 30, 3), (100, 64, 4)]:
        pixels = rng.integers(0, 256, shape, dtype=np.uint8)
        decoded = np.asarray(Image.open(io.BytesIO(png_bytes(pixels))))
        np.testing.assert_array_equal(decoded, pixels)
    flat = np.full((200, 300, 4), 255, dtype=np.uint8)  # a blank figure compresses to almost nothing
    assert len(png_bytes(flat)) < 2_000
    with pytest.raises(ValueError, match="uint8 pixels"):
        png_bytes(np.zeros((2, 2), dtype=np.uint8))

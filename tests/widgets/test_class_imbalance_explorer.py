"""ImbalanceExplorer driven from code: the numbers on screen equal course.lessons.class_imbalance's."""

import re

import numpy as np
import pytest

from course.lessons.class_imbalance import (
    correct_undersampled_probabilities,
    imbalance_metrics,
    undersampled_fraud_rate,
    undersampling_numbers,
)
from course.widgets import ImbalanceExplorer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def scores():
    """Test labels and the probabilities of models 'trained' at three undersampling rates."""
    rng = np.random.default_rng(5)
    y = (rng.random(3_000) < 0.02).astype(int)
    logit = rng.normal(size=3_000) + 2.5 * y - 5.0
    # undersampling at beta shifts a logistic model's intercept by log(1 / beta)
    by_beta = {beta: 1 / (1 + np.exp(-(logit + np.log(1 / beta)))) for beta in (1.0, 0.2, 0.02)}
    return y, by_beta


def html_values(html):
    return dict(re.findall(r'class="hsml-value" data-name="([^"]+)" data-value="([^"]*)"', html))


def test_slider_shows_the_numbers_of_each_model(scores):
    y, by_beta = scores
    explorer = ImbalanceExplorer(y, by_beta, k=30, train_fraud_rate=0.02)
    assert explorer.beta_slider.description == "Genuines kept (β)"
    assert explorer.betas == [1.0, 0.2, 0.02]
    assert explorer.beta_slider.value == 1.0  # starts without undersampling
    for beta in (0.02, 0.2, 1.0):
        explorer.beta_slider.value = beta
        shown = explorer.displayed
        expected = imbalance_metrics(y, by_beta[beta], k=30)
        for name in ("average_precision", "roc_auc", "precision_at_k", "mean_predicted", "fraud_rate"):
            assert shown[name] == pytest.approx(expected[name]), name
        assert shown["beta"] == beta
        assert shown["training_fraud_rate"] == pytest.approx(undersampled_fraud_rate(0.02, beta))
        corrected = correct_undersampled_probabilities(by_beta[beta], beta)
        assert shown["mean_corrected"] == pytest.approx(corrected.mean())
        assert shown["flagged"] == pytest.approx((by_beta[beta] >= 0.5).mean())
        in_html = html_values(explorer.numbers.value)
        assert set(in_html) == set(shown)
        assert float(in_html["mean_predicted"]) == pytest.approx(shown["mean_predicted"])
        # the markers follow the slider
        assert explorer.raw_point.get_data()[0][0] == beta
        assert explorer.rank_cursor.get_xdata()[0] == beta
        assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)
    assert "Precision@30" in explorer.numbers.value


def test_ranking_flat_probabilities_inflated_correction_restores(scores):
    y, by_beta = scores
    explorer = ImbalanceExplorer(y, by_beta, k=30)
    explorer.beta_slider.value = 1.0
    plain = dict(explorer.displayed)
    explorer.beta_slider.value = 0.02
    heavy = dict(explorer.displayed)
    assert heavy["roc_auc"] == pytest.approx(plain["roc_auc"])  # a shifted intercept keeps the order
    assert heavy["mean_predicted"] > 10 * plain["mean_predicted"]
    assert heavy["flagged"] > plain["flagged"]
    assert heavy["mean_corrected"] == pytest.approx(plain["mean_predicted"], rel=1e-6)
    assert "training_fraud_rate" not in heavy


def test_rejects_inconsistent_inputs(scores):
    y, by_beta = scores
    with pytest.raises(ValueError, match="non-empty dict"):
        ImbalanceExplorer(y, {})
    with pytest.raises(ValueError, match="one value per transaction"):
        ImbalanceExplorer(y, {1.0: by_beta[1.0][:-1]})
    with pytest.raises(ValueError, match="beta"):
        ImbalanceExplorer(y, {0.0: by_beta[1.0]})
    with pytest.raises(ValueError, match="NaN"):
        ImbalanceExplorer(y, {1.0: np.full(y.size, np.nan)})


def test_undersampling_numbers_without_training_rate():
    numbers = undersampling_numbers([0, 1, 0, 1], [0.1, 0.9, 0.4, 0.6], beta=0.5, k=2, threshold=0.55)
    assert numbers["flagged"] == 0.5
    assert list(numbers)[0] == "beta" and "training_fraud_rate" not in numbers


def test_table_holds_every_position(scores):
    y, by_beta = scores
    explorer = ImbalanceExplorer(y, by_beta, k=30)
    table = explorer.table()
    assert table.index.tolist() == [1.0, 0.2, 0.02]
    explorer.beta_slider.value = 0.2
    assert table.loc[0.2].to_dict() == {k: v for k, v in explorer.displayed.items() if k != "beta"}


@pytest.mark.parametrize("threshold", [np.nan, -0.1, 1.5, "0.5", True])
def test_a_threshold_that_is_not_a_probability_is_refused(scores, threshold):
    y, by_beta = scores
    with pytest.raises((TypeError, ValueError), match="threshold"):
        ImbalanceExplorer(y, by_beta, threshold=threshold)

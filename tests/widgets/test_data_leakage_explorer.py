"""LeakageExplorer driven from code: the numbers on screen are course.lessons.data_leakage's."""

import re

import numpy as np
import pytest

from course.data import FEATURE_COLUMNS, build_features, simulate_transactions
from course.lessons.data_leakage import Leak, LeakageStudy, leak_numbers, post_outcome_inputs
from course.models import make_fraud_model
from course.widgets import LeakageExplorer
from course.widgets.base import format_value

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEAKS = {
    "none": Leak("none (honest protocol)", "", "honest", "honest"),
    "post_outcome": Leak("post-outcome columns", "availability", "post_outcome", "honest"),
    "random_split": Leak("random row split", "time", "random_split", "honest"),
}


@pytest.fixture(scope="module")
def results():
    world = simulate_transactions(300, 600, 90, seed=1)
    X = build_features(world)[FEATURE_COLUMNS]
    study = LeakageStudy(world, train_days=35, gap_days=7, validation_days=21, n_resamples=50)
    development = np.flatnonzero(study.development)
    shuffled = np.random.default_rng(0).permutation(development)
    return {
        "honest": study.evaluate(make_fraud_model("logreg"), X),
        "post_outcome": study.evaluate(
            make_fraud_model("logreg"),
            X.join(post_outcome_inputs(world)),
            X_launch=X.join(post_outcome_inputs(world, at_payment=True)),
        ),
        "random_split": study.evaluate(
            make_fraud_model("logreg"),
            X,
            train=np.sort(shuffled[: len(shuffled) // 4 * 3]),
            validation=np.sort(shuffled[len(shuffled) // 4 * 3 :]),
        ),
    }


@pytest.fixture(scope="module")
def explorer(results):
    return LeakageExplorer(results, leaks=LEAKS)


def html_values(html):
    return dict(re.findall(r'class="hsml-value" data-name="([^"]+)" data-value="([^"]*)"', html))


def html_texts(html):
    return dict(re.findall(r'class="hsml-value" data-name="([^"]+)" data-value="[^"]*">([^<]*)<', html))


def test_every_position_and_version_shows_the_engine_numbers(explorer, results):
    assert explorer.leak_slider.description == "Leak" and explorer.version.description == "Version"
    assert [label for label, _ in explorer.leak_slider.options] == [leak.label for leak in LEAKS.values()]
    assert explorer.leak_slider.value == "none" and explorer.version.value == "leaky"
    for version in ("leaky", "fixed"):
        explorer.version.value = version
        for leak in LEAKS:
            explorer.leak_slider.value = leak
            expected = leak_numbers(results, leak, version, leaks=LEAKS)
            assert explorer.displayed == expected
            shown = html_values(explorer.numbers.value)
            assert set(shown) == set(expected)
            assert float(shown["optimism_ap"]) == expected["optimism_ap"]
            texts = html_texts(explorer.numbers.value)
            assert texts["launch_roc_auc_low"] == format_value(expected["launch_roc_auc_low"])
            assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)
            line, whiskers = explorer.windows["ap"]
            assert list(line.get_ydata()) == [expected["validation_ap"], expected["launch_ap"]]
            assert explorer.highlight.get_xdata()[0] == expected["optimism_ap"]
            assert LEAKS[leak].label in explorer.numbers.value


def test_the_version_toggle_changes_only_what_the_version_changes(explorer):
    explorer.leak_slider.value = "post_outcome"
    explorer.version.value = "leaky"
    leaky = dict(explorer.displayed)
    explorer.version.value = "fixed"
    fixed = dict(explorer.displayed)
    assert leaky["validation_ap"] > fixed["validation_ap"]
    assert leaky["optimism_ap"] > fixed["optimism_ap"]
    assert leaky["launch_ap_fixed_minus_leaky"] == fixed["launch_ap_fixed_minus_leaky"]


def test_the_same_study_seed_gives_the_same_numbers(results, explorer):
    again = LeakageExplorer(results, leaks=LEAKS)
    assert again.table == explorer.table
    world = simulate_transactions(300, 600, 90, seed=1)
    X = build_features(world)[FEATURE_COLUMNS]
    other_study = LeakageStudy(world, train_days=35, gap_days=7, validation_days=21, n_resamples=50, seed=5)
    other = LeakageExplorer(
        {
            "honest": other_study.evaluate(make_fraud_model("logreg"), X),
            "post_outcome": other_study.evaluate(
                make_fraud_model("logreg"),
                X.join(post_outcome_inputs(world)),
                X_launch=X.join(post_outcome_inputs(world, at_payment=True)),
            ),
        },
        leaks={key: LEAKS[key] for key in ("none", "post_outcome")},
    )
    key = ("post_outcome", "leaky")
    assert other.table[key]["validation_ap"] == explorer.table[key]["validation_ap"]  # same models
    assert other.table[key]["optimism_ap_low"] != explorer.table[key]["optimism_ap_low"]  # other resamples


def test_default_leaks_need_every_protocol(results):
    with pytest.raises(ValueError, match="results has no protocol \\['eventual_labels'\\]"):
        LeakageExplorer(results)
    with pytest.raises(ValueError, match="non-empty dict"):
        LeakageExplorer(results, leaks={})

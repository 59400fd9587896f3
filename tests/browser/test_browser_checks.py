"""The page-versus-engine comparison of the browser tests (plain Python, never skipped)."""

import math

from tests.browser.checks import mismatches, parse_data_value, wait_until


def test_data_values_parse_back():
    assert parse_data_value("") is None
    assert parse_data_value("true") is True and parse_data_value("false") is False
    assert parse_data_value("0.1") == 0.1 and parse_data_value("1093") == 1093.0
    assert math.isnan(parse_data_value("nan")) and parse_data_value("inf") == math.inf


def test_equal_numbers_pass_and_each_difference_is_named():
    expected = {"tp": 355, "precision": 0.245, "within": True, "least": math.inf, "undefined": math.nan}
    shown = {
        "tp": ("355", "355"),
        "precision": ("0.245", "0.245"),
        "within": ("true", "yes"),
        "least": ("inf", "∞"),
        "undefined": ("nan", "undefined"),
    }
    assert mismatches(shown, expected) == []
    wrong = {**shown, "tp": ("356", "356"), "within": ("false", "no")}
    assert mismatches(wrong, expected) == [
        "tp: page shows '356' ('356'), engine computes 355",
        "within: page shows 'false' ('no'), engine computes True",
    ]
    assert "names on the page" in mismatches({"tp": ("355", "355")}, expected)[0]


def test_text_is_checked_when_asked():
    shown = {"recall": ("0.6974459724950884", "0.70")}
    assert mismatches(shown, {"recall": 0.6974459724950884}) == []
    assert mismatches(shown, {"recall": 0.6974459724950884}, {"recall": "0.697"}) == [
        "recall: page text '0.70', expected '0.697'"
    ]


def test_wait_until_returns_the_last_problems():
    answers = iter([["not yet"], ["not yet"], []])
    assert wait_until(lambda: next(answers), timeout_s=5, interval_s=0) == []
    assert wait_until(lambda: ["never"], timeout_s=0, interval_s=0) == ["never"]

"""Visible tests of assignment 01_class_imbalance (autograded/source/01_class_imbalance/01_class_imbalance.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made examples;
the hidden tests in the source notebook check the exact values on the assignment's data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course.grading import Question
from course.grading.answer_types import describe_value, is_number


def _entries(result, keys):
    assert isinstance(result, dict), f"expected a dict, got {describe_value(result)}."
    missing = [key for key in keys if key not in result]
    assert not missing, f"the dict should have the entries {list(keys)}; missing: {missing}."
    not_numbers = [key for key in keys if not is_number(result[key])]
    assert not not_numbers, f"every entry should be a single number; not a number: {not_numbers}."
    return result


# --- 01-baseline --------------------------------------------------------------------------
baseline_question = Question("01-baseline", "The flag-nothing baseline")
_BASELINE_KEYS = ("accuracy", "recall", "frauds_missed", "fraud_amount_missed")
_FOUR_Y, _FOUR_AMOUNTS = np.array([0, 0, 0, 1]), np.array([10.0, 20.0, 30.0, 400.0])


@baseline_question.test(hint="Return a dict such as {'accuracy': ..., 'recall': ..., ...}, one number per entry.")
def baseline_returns_four_numbers(flag_nothing_report):
    """flag_nothing_report(y_true, amounts) returns a dict of the four numbers"""
    _entries(flag_nothing_report(_FOUR_Y.copy(), _FOUR_AMOUNTS.copy()), _BASELINE_KEYS)


@baseline_question.test(
    hint="Flagging nothing labels every genuine transaction correctly and every fraud wrongly: "
    "accuracy is the share of genuine transactions, recall is 0."
)
def baseline_accuracy_is_high_and_recall_zero(flag_nothing_report):
    """on 3 genuine payments and 1 fraud: accuracy 0.75, recall 0"""
    result = _entries(flag_nothing_report(_FOUR_Y.copy(), _FOUR_AMOUNTS.copy()), _BASELINE_KEYS)
    assert np.isclose(result["accuracy"], 0.75), (
        f"3 of the 4 transactions are labelled right, so accuracy should be 0.75, got {result['accuracy']!r}."
    )
    assert result["recall"] == 0, f"no fraud is caught, so recall should be 0, got {result['recall']!r}."


@baseline_question.test(hint="Money let through is a total in euros: at least 0, at most the sum of all amounts.")
def baseline_money_is_plausible(flag_nothing_report):
    """the fraud amount missed lies between 0 and the total of every amount"""
    result = _entries(flag_nothing_report(_FOUR_Y.copy(), _FOUR_AMOUNTS.copy()), _BASELINE_KEYS)
    total = float(_FOUR_AMOUNTS.sum())
    assert 0 <= result["fraud_amount_missed"] <= total, (
        f"fraud_amount_missed should be between 0 and {total} (all amounts), got {result['fraud_amount_missed']!r}."
    )


# --- 01-undersampling ---------------------------------------------------------------------
undersampling_question = Question("01-undersampling", "An undersampled model on a time split")
_UNDERSAMPLING_KEYS = ("n_test", "test_fraud_rate", "average_precision", "mean_predicted")


def _small_bank():
    """60 days of 40 made-up payments, 5% fraud, two features that carry some signal."""
    rng = np.random.default_rng(101)
    days = np.repeat(np.arange(60), 40)
    fraud = (rng.random(days.size) < 0.05).astype(np.int8)
    features = pd.DataFrame({"a": rng.normal(size=days.size) + 1.5 * fraud, "b": rng.normal(size=days.size)})
    return pd.DataFrame({"day": days, "is_fraud": fraud}), features


_SMALL_DF, _SMALL_X = _small_bank()


def _run_small(evaluate_undersampling):
    result = evaluate_undersampling(_SMALL_DF.copy(), _SMALL_X.copy(), 0.5, 0)
    return _entries(result, _UNDERSAMPLING_KEYS)


@undersampling_question.test(hint="Return a dict with n_test, test_fraud_rate, average_precision and mean_predicted.")
def undersampling_returns_four_numbers(evaluate_undersampling):
    """evaluate_undersampling(df, X, ratio, seed) returns a dict of the four numbers"""
    _run_small(evaluate_undersampling)


@undersampling_question.test(
    hint="Split with time_split(df, train_days=TRAIN_DAYS, gap_days=GAP_DAYS, test_days=TEST_DAYS): train on the "
    "past, score the later test period, and never resample the test rows (the sampler goes inside the pipeline)."
)
def undersampling_scores_the_whole_test_period(evaluate_undersampling, TRAIN_DAYS, GAP_DAYS, TEST_DAYS):
    """on 60 made-up days, every payment of the test period is scored, and only those"""
    result = _run_small(evaluate_undersampling)
    start = TRAIN_DAYS + GAP_DAYS
    in_test = (_SMALL_DF["day"] >= start) & (_SMALL_DF["day"] < start + TEST_DAYS)
    expected_rate = float(_SMALL_DF.loc[in_test, "is_fraud"].mean())
    assert result["n_test"] == int(in_test.sum()), (
        f"the test period (days {start} to {start + TEST_DAYS - 1}) holds {int(in_test.sum())} payments, "
        f"but n_test is {result['n_test']!r}."
    )
    assert np.isclose(result["test_fraud_rate"], expected_rate), (
        f"the test period's fraud rate is {expected_rate:.4f}, got {result['test_fraud_rate']!r}: "
        "the test rows must stay as they are (no resampling, no random split)."
    )


@undersampling_question.test(
    hint="average_precision and mean_predicted are computed from probabilities: both lie in [0, 1]."
)
def undersampling_numbers_are_shares(evaluate_undersampling):
    """average precision and the mean probability lie between 0 and 1"""
    result = _run_small(evaluate_undersampling)
    for key in ("average_precision", "mean_predicted"):
        assert 0 <= result[key] <= 1, f"{key} should lie between 0 and 1, got {result[key]!r}."


@undersampling_question.test(
    hint="Put RandomUnderSampler(sampling_strategy=ratio, random_state=seed) inside the imblearn Pipeline, "
    "between the scaler and the model."
)
def undersampling_inflates_the_probabilities(evaluate_undersampling):
    """trained at 1 fraud per 2 genuines, the model predicts far more fraud than the true 5%"""
    result = _run_small(evaluate_undersampling)
    assert result["mean_predicted"] > 2 * result["test_fraud_rate"], (
        f"after undersampling to ratio 0.5 the model should expect far more fraud than the real rate "
        f"({result['test_fraud_rate']:.3f}), but its mean probability is {result['mean_predicted']!r}: "
        "was the sampler used when fitting?"
    )


# --- 01-trained-rate ----------------------------------------------------------------------
trained_rate_question = Question("01-trained-rate", "The fraud rate an undersampled model learns")


@trained_rate_question.test(hint="A rate is a share between 0 and 1 (0.05 means 5%), not a percentage.")
def trained_rate_is_a_share(trained_fraud_rate):
    """trained_fraud_rate is a number between 0 and 1"""
    assert is_number(trained_fraud_rate) and 0 < trained_fraud_rate < 1, (
        f"trained_fraud_rate should be a share between 0 and 1, got {describe_value(trained_fraud_rate)}."
    )


@trained_rate_question.test(
    hint="Per 100 transactions: BASE_RATE * 100 frauds, all kept; (1 - BASE_RATE) * 100 genuines, of which a share "
    "BETA is kept. The rate is frauds / (frauds + genuines kept)."
)
def trained_rate_is_above_the_base_rate(trained_fraud_rate, BASE_RATE):
    """dropping genuine transactions raises the fraud rate above BASE_RATE"""
    assert is_number(trained_fraud_rate) and trained_fraud_rate > BASE_RATE, (
        f"keeping fewer genuines leaves a higher share of frauds: expected more than {BASE_RATE}, "
        f"got {describe_value(trained_fraud_rate)}."
    )


# --- 01-correction ------------------------------------------------------------------------
correction_question = Question("01-correction", "Correct the probabilities")
_PROBAS = np.array([0.0, 0.2, 0.5, 0.8])


@correction_question.test(hint="Work on the whole NumPy array at once and return an array of the same length.")
def correction_returns_an_array(correct_probabilities):
    """correct_probabilities(proba, beta) returns one number per probability"""
    result = np.asarray(correct_probabilities(_PROBAS.copy(), 0.1), dtype=float)
    assert result.shape == _PROBAS.shape, f"expected {len(_PROBAS)} corrected probabilities, got shape {result.shape}."


@correction_question.test(hint="A probability of 0 stays 0, and every corrected value is a probability.")
def correction_gives_probabilities(correct_probabilities):
    """0 stays 0 and every result lies between 0 and 1"""
    result = np.asarray(correct_probabilities(_PROBAS.copy(), 0.1), dtype=float)
    assert np.isclose(result[0], 0.0), f"a probability of 0 should stay 0, got {result[0]!r}."
    assert ((result >= 0) & (result <= 1)).all(), f"every corrected value should lie in [0, 1], got {result.tolist()}."


@correction_question.test(hint="The correction must not reorder transactions: a higher score stays higher.")
def correction_keeps_the_order(correct_probabilities):
    """the correction keeps the ranking (higher stays higher)"""
    result = np.asarray(correct_probabilities(_PROBAS.copy(), 0.1), dtype=float)
    assert (np.diff(result) > 0).all(), f"corrected values should increase with the probability, got {result.tolist()}."

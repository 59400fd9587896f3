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
baseline_question = Question("01-baseline", "What accuracy hides")
_BASELINE_KEYS = ("accuracy", "recall", "frauds_missed", "fraud_amount_missed")
# three genuine payments (10, 20, 30 euros) and two frauds (400 and 50 euros)
_FIVE_Y, _FIVE_AMOUNTS = np.array([0, 0, 0, 1, 1]), np.array([10.0, 20.0, 30.0, 400.0, 50.0])
_NOTHING = np.zeros(5, dtype=int)


def _report(decision_report, y_pred):
    return _entries(decision_report(_FIVE_Y.copy(), np.array(y_pred), _FIVE_AMOUNTS.copy()), _BASELINE_KEYS)


@baseline_question.test(hint="Return a dict such as {'accuracy': ..., 'recall': ..., ...}, one number per entry.")
def baseline_returns_four_numbers(decision_report):
    """decision_report(y_true, y_pred, amounts) returns a dict of the four numbers"""
    _report(decision_report, _NOTHING)


@baseline_question.test(
    hint=[
        "Flagging nothing labels every genuine payment correctly and every fraud wrongly: "
        "accuracy is the share of genuine payments, recall is 0.",
        "Accuracy counts the payments whose decision equals their label (flagged frauds and genuine payments "
        "let through) over all payments.",
    ]
)
def flag_nothing_is_accurate_and_catches_nothing(decision_report):
    """flagging nothing on 3 genuine payments and 2 frauds: accuracy 0.6, recall 0"""
    result = _report(decision_report, _NOTHING)
    assert np.isclose(result["accuracy"], 0.6), (
        f"3 of the 5 payments are labelled right, so accuracy should be 0.6, got {result['accuracy']!r}."
    )
    assert result["recall"] == 0, f"no fraud is caught, so recall should be 0, got {result['recall']!r}."


@baseline_question.test(
    hint=[
        "Your report must depend on y_pred: a rule that flags a fraud catches it.",
        "Recall = frauds flagged / all frauds: flagged and fraud at once (y_pred == 1 and y_true == 1), "
        "divided by the number of frauds, not by the number of alerts (that is precision).",
    ]
)
def a_rule_catches_frauds(decision_report):
    """a rule that flags the fraud of 400 and the genuine payment of 30 catches 1 of the 2 frauds"""
    result = _report(decision_report, [0, 0, 1, 1, 0])
    assert np.isclose(result["recall"], 0.5), (
        f"the rule flags one of the two frauds, so recall should be 0.5, got {result['recall']!r}."
    )


@baseline_question.test(
    hint=[
        "Money let through is a total in euros: at least 0, at most the sum of the frauds' amounts.",
        "Missed frauds are frauds the rule does NOT flag (y_true == 1 and y_pred == 0): count them and add up "
        "their amounts, not the amounts of the frauds caught nor of every payment let through.",
    ]
)
def money_missed_is_plausible(decision_report):
    """the fraud amount missed lies between 0 and the total of the frauds' amounts"""
    result = _report(decision_report, _NOTHING)
    total = float(_FIVE_AMOUNTS[_FIVE_Y == 1].sum())
    assert 0 <= result["fraud_amount_missed"] <= total, (
        f"fraud_amount_missed should be between 0 and {total} (the frauds' amounts), "
        f"got {result['fraud_amount_missed']!r}."
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
    hint=[
        "average_precision and mean_predicted are computed from probabilities: both lie in [0, 1].",
        "average_precision is sklearn.metrics.average_precision_score(labels, probabilities) on the test rows, "
        "not an accuracy of 0/1 predictions: the probabilities are predict_proba(...)[:, 1].",
    ]
)
def undersampling_numbers_are_shares(evaluate_undersampling):
    """average precision and the mean probability lie between 0 and 1"""
    result = _run_small(evaluate_undersampling)
    for key in ("average_precision", "mean_predicted"):
        assert 0 <= result[key] <= 1, f"{key} should lie between 0 and 1, got {result[key]!r}."


@undersampling_question.test(
    hint=[
        "Put RandomUnderSampler(sampling_strategy=ratio, random_state=seed) inside the imblearn Pipeline, "
        "between the scaler and the model.",
        "Exactly the three steps of the question, in that order: the scaler learns its means on every training "
        "row, then the sampler drops genuine rows, then the model is fitted; and use the seed you are given "
        "(random_state=seed), so that the grader can reproduce your numbers.",
    ]
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
trained_rate_question = Question("01-trained-rate", "What sampling_strategy does to the fraud rate")


@trained_rate_question.test(
    hint=[
        "Both are shares between 0 and 1 (0.05 means 5%), not percentages.",
        "sampling_strategy=RATIO means RATIO frauds per genuine payment after sampling: "
        "that is not a fraud rate (frauds per payment).",
    ]
)
def trained_rate_and_share_are_shares(trained_fraud_rate, genuine_share_kept):
    """trained_fraud_rate and genuine_share_kept are numbers between 0 and 1"""
    for name, value in (("trained_fraud_rate", trained_fraud_rate), ("genuine_share_kept", genuine_share_kept)):
        assert is_number(value) and 0 < value < 1, (
            f"{name} should be a share between 0 and 1, got {describe_value(value)}."
        )


@trained_rate_question.test(
    hint=[
        "Undersampling drops genuine payments only: the share of frauds goes up.",
        "After sampling there are RATIO frauds for 1 genuine payment, so RATIO frauds among 1 + RATIO payments.",
    ]
)
def trained_rate_is_above_the_base_rate(trained_fraud_rate, BASE_RATE):
    """dropping genuine transactions raises the fraud rate above BASE_RATE"""
    assert is_number(trained_fraud_rate) and trained_fraud_rate > BASE_RATE, (
        f"keeping fewer genuines leaves a higher share of frauds: expected more than {BASE_RATE}, "
        f"got {describe_value(trained_fraud_rate)}."
    )


@trained_rate_question.test(
    hint=[
        "Per 100 payments: 100 * BASE_RATE frauds, all kept, and 100 * (1 - BASE_RATE) genuine ones.",
        "How many genuine payments must remain for RATIO frauds per genuine one? Divide that by the genuine "
        "payments you started with (1 - BASE_RATE of the data, not all of it).",
    ]
)
def some_genuines_are_dropped(genuine_share_kept):
    """the sampler keeps a share of the genuine payments below 1"""
    assert is_number(genuine_share_kept) and genuine_share_kept < 1, (
        f"undersampling drops genuine payments: expected a share below 1, got {describe_value(genuine_share_kept)}."
    )


# --- 01-correction ------------------------------------------------------------------------
correction_question = Question("01-correction", "Probabilities for a new fraud rate")
_PROBAS = np.array([0.0, 0.2, 0.5, 0.8])


def _corrected(correct_probabilities, proba, trained_rate, live_rate):
    result = correct_probabilities(np.array(proba, dtype=float), trained_rate, live_rate)
    return np.asarray(result, dtype=float)


@correction_question.test(hint="Work on the whole NumPy array at once and return an array of the same length.")
def correction_returns_an_array(correct_probabilities):
    """correct_probabilities(proba, trained_rate, live_rate) returns one number per probability"""
    result = _corrected(correct_probabilities, _PROBAS, 0.1, 0.01)
    assert result.shape == _PROBAS.shape, f"expected {len(_PROBAS)} corrected probabilities, got shape {result.shape}."


@correction_question.test(
    hint=[
        "A probability of 0 stays 0, and every corrected value is a probability.",
        "Work with odds, p / (1 - p): the odds of fraud are what a change of fraud rate multiplies.",
    ]
)
def correction_gives_probabilities(correct_probabilities):
    """0 stays 0 and every result lies between 0 and 1"""
    result = _corrected(correct_probabilities, _PROBAS, 0.1, 0.01)
    assert np.isclose(result[0], 0.0), f"a probability of 0 should stay 0, got {result[0]!r}."
    assert ((result >= 0) & (result <= 1)).all(), f"every corrected value should lie in [0, 1], got {result.tolist()}."


@correction_question.test(hint="The correction must not reorder transactions: a higher score stays higher.")
def correction_keeps_the_order(correct_probabilities):
    """the correction keeps the ranking (higher stays higher)"""
    result = _corrected(correct_probabilities, _PROBAS, 0.1, 0.01)
    assert (np.diff(result) > 0).all(), f"corrected values should increase with the probability, got {result.tolist()}."


@correction_question.test(
    hint=[
        "A payment scored at the training fraud rate is an average payment of the training data: "
        "after the correction it is an average payment of the live data.",
        "Bayes' rule on odds: odds(corrected) = odds(p) x odds(live_rate) / odds(trained_rate), with "
        "odds(r) = r / (1 - r). Ratios of rates (live_rate / trained_rate) are not ratios of odds.",
        "Scaling the probability itself (p x live_rate / trained_rate) is right only at p = trained_rate; "
        "and a probability of exactly 1 has infinite odds: make sure it comes back as 1, not NaN.",
    ]
)
def the_training_rate_becomes_the_live_rate(correct_probabilities):
    """a probability equal to trained_rate (10%) becomes live_rate (1%)"""
    result = _corrected(correct_probabilities, [0.1], 0.1, 0.01)
    assert result.shape == (1,) and np.isclose(result[0], 0.01, rtol=0, atol=1e-12), (
        f"a payment scored at the training rate 0.1 should score the live rate 0.01, got {result.tolist()}."
    )


@correction_question.test(
    hint=[
        "The live fraud rate may be higher than the training one (a fraud wave): the probabilities then rise.",
        "Module 01's correct_undersampled_probabilities only lowers probabilities (0 < beta <= 1): "
        "write the correction from the odds instead.",
    ]
)
def a_fraud_wave_raises_the_probabilities(correct_probabilities):
    """trained at 0.3% fraud, scored in a wave at 0.6%: every probability between 0 and 1 rises"""
    proba = np.array([0.001, 0.2, 0.7])
    result = _corrected(correct_probabilities, proba, 0.003, 0.006)
    assert result.shape == proba.shape and (result > proba).all() and (result < 1).all(), (
        f"with twice the fraud rate, probabilities should rise (and stay below 1): {proba.tolist()} became "
        f"{result.tolist()}."
    )

"""Visible tests of assignment 06_calibration (autograded/source/06_calibration/06_calibration.ipynb).

Visible tests check the shape of an answer and teach on tiny hand-made examples one can
work out by hand (review EUR 3, friction EUR 5); the hidden tests in the source notebook
compare with values fixed when the assignment was written: unsorted scores, unequal bins,
probabilities of 1, ties at the break-even, and the assignment's own data.
"""

from __future__ import annotations

import math

import numpy as np

from course.grading import Question
from course.grading.answer_types import describe_value, is_number

REVIEW, FRICTION = 3.0, 5.0


def _as_int_array(result, length, what):
    array = np.asarray(result)
    assert array.shape == (length,), (
        f"{what} should hold one bin number per transaction ({length}), got {describe_value(result)}."
    )
    assert array.dtype.kind in "iu", f"{what} should hold whole numbers (bin numbers), got dtype {array.dtype}."
    return array


# --- 06-bins ------------------------------------------------------------------------------------
bins_question = Question("06-bins", "Equal-count bins by score")
_SORTED = np.array([0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.2, 0.3, 0.5, 0.9])


@bins_question.test(
    hint=[
        "Return a NumPy array of integers, one bin number per transaction, in the order of the transactions.",
        "np.argsort(y_prob, kind='stable') gives the positions of the transactions from the lowest score up.",
        "Cut those sorted positions with np.array_split(order, n_bins); every position in group g gets bin g.",
    ]
)
def bins_are_one_int_per_transaction(equal_count_bins):
    """equal_count_bins(y_prob, n_bins) returns one integer bin number per transaction"""
    _as_int_array(equal_count_bins(_SORTED.copy(), 4), _SORTED.size, "equal_count_bins(y_prob, 4)")


@bins_question.test(
    hint=[
        "Ten transactions in four bins: np.array_split puts the two left over in the first two groups.",
        "Count the transactions of each bin with np.bincount(bins): it should read [3, 3, 2, 2].",
    ]
)
def bins_have_equal_counts(equal_count_bins):
    """10 transactions in 4 bins: 3, 3, 2 and 2 transactions, bins numbered 0 to 3"""
    bins = _as_int_array(equal_count_bins(_SORTED.copy(), 4), _SORTED.size, "equal_count_bins(y_prob, 4)")
    assert bins.min() == 0 and bins.max() == 3, f"4 bins are numbered 0 to 3, got {sorted(set(bins.tolist()))}."
    counts = np.bincount(bins).tolist()
    assert counts == [3, 3, 2, 2], f"np.array_split of 10 positions into 4 groups gives 3, 3, 2, 2; got {counts}."


@bins_question.test(
    hint=[
        "Bin 0 holds the LOWEST scores and the last bin the highest.",
        "Sort in increasing order of the score (np.argsort), not decreasing.",
    ]
)
def lowest_scores_are_in_bin_0(equal_count_bins):
    """the lowest scores are in bin 0, the highest in the last bin"""
    bins = _as_int_array(equal_count_bins(_SORTED.copy(), 5), _SORTED.size, "equal_count_bins(y_prob, 5)")
    assert bins[0] == 0 and bins[-1] == 4, (
        f"with scores in increasing order, the first transaction is in bin 0 and the last in bin 4; got {bins.tolist()}."
    )


# --- 06-ece ------------------------------------------------------------------------------------
ece_question = Question("06-ece", "Expected calibration error from bins")
# bin 0: scores 0.1, 0.1 (mean 0.1), no fraud (rate 0): gap 0.1 -> the model over-predicts
# bin 1: scores 0.4, 0.6 (mean 0.5), both frauds (rate 1): gap 0.5 -> it under-predicts
# ECE = 2/4 * 0.1 + 2/4 * 0.5 = 0.3
_Y, _P, _BINS = np.array([0, 0, 1, 1]), np.array([0.1, 0.1, 0.4, 0.6]), np.array([0, 0, 1, 1])


@ece_question.test(hint="Return one number: a weighted average of the bins' gaps.")
def ece_is_one_number(expected_calibration_error):
    """expected_calibration_error(y_true, y_prob, bins) returns one number"""
    result = expected_calibration_error(_Y.copy(), _P.copy(), _BINS.copy())
    assert is_number(result), f"expected one number, got {describe_value(result)}."


@ece_question.test(
    hint=[
        "In each bin, compare the mean predicted probability with the observed fraud rate.",
        "The gap of a bin is the ABSOLUTE difference: a bin that over-predicts and one that under-predicts do not cancel.",
        "Bin 0: |0.1 - 0| = 0.1; bin 1: |0.5 - 1| = 0.5; each bin holds half of the transactions.",
    ]
)
def ece_on_a_hand_worked_example(expected_calibration_error):
    """two bins of two transactions with gaps 0.1 and 0.5: ECE 0.3"""
    result = expected_calibration_error(_Y.copy(), _P.copy(), _BINS.copy())
    assert is_number(result) and math.isclose(result, 0.3, abs_tol=1e-9), (
        f"bin 0 predicts 0.1 and sees no fraud, bin 1 predicts 0.5 and sees only frauds: expected 0.3, got {result!r}."
    )


@ece_question.test(hint="A model whose every bin predicts exactly its fraud rate has an ECE of 0.")
def ece_of_a_calibrated_toy_is_zero(expected_calibration_error):
    """predicted = observed in every bin: ECE 0"""
    result = expected_calibration_error(np.array([0, 1, 0, 0]), np.array([0.5, 0.5, 0.0, 0.0]), np.array([1, 1, 0, 0]))
    assert is_number(result) and math.isclose(result, 0.0, abs_tol=1e-12), f"expected 0, got {result!r}."


# --- 06-prior --------------------------------------------------------------------------------
prior_question = Question("06-prior", "The prior correction of an undersampled model")


@prior_question.test(hint="Return a NumPy array of probabilities, one per input probability.")
def prior_returns_an_array(prior_correction):
    """prior_correction(p, sample_fraud_rate, population_fraud_rate) returns one probability per input"""
    result = prior_correction(np.array([0.1, 0.5]), 0.2, 0.01)
    array = np.asarray(result, dtype=float)
    assert array.shape == (2,), f"expected 2 probabilities, got {describe_value(result)}."


@prior_question.test(
    hint=[
        "A transaction scored at the sample's fraud rate is, for the model, an average transaction.",
        "After the correction it should get the population's fraud rate: an average transaction of the real world.",
        "Work with the odds p / (1 - p): undersampling multiplied them by odds(sample rate) / odds(population rate).",
    ]
)
def the_sample_rate_maps_to_the_population_rate(prior_correction):
    """a score equal to the sample's fraud rate (0.2) becomes the population's (0.01)"""
    result = float(np.asarray(prior_correction(np.array([0.2]), 0.2, 0.01), dtype=float)[0])
    assert math.isclose(result, 0.01, abs_tol=1e-9), (
        f"with a sample fraud rate of 0.2 and a population rate of 0.01, a score of 0.2 should become 0.01; got {result!r}."
    )


@prior_question.test(hint="The correction never changes the order of the scores: a higher score stays higher.")
def the_correction_keeps_the_order(prior_correction):
    """the corrected probabilities keep the order of the scores, and lower them"""
    p = np.array([0.05, 0.2, 0.5, 0.8])
    result = np.asarray(prior_correction(p.copy(), 0.2, 0.01), dtype=float)
    assert np.all(np.diff(result) > 0), f"increasing scores should stay increasing, got {result.tolist()}."
    assert np.all(result < p), f"undersampling inflated the probabilities: each must come down, got {result.tolist()}."


# --- 06-calibrate ------------------------------------------------------------------------------
calibrate_question = Question("06-calibrate", "Calibrate a fitted model on a later window")


@calibrate_question.test(
    hint=[
        "calibrated = CalibratedClassifierCV(FrozenEstimator(model), method='sigmoid'), then .fit(...) on a window.",
        "FrozenEstimator keeps the fitted model as it is: without it, CalibratedClassifierCV refits copies of it.",
    ]
)
def calibrated_is_a_fitted_sigmoid_of_the_frozen_model(calibrated, model):
    """calibrated is a fitted CalibratedClassifierCV (sigmoid) around FrozenEstimator(model)"""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator

    assert isinstance(calibrated, CalibratedClassifierCV), (
        f"calibrated should be a CalibratedClassifierCV, got {type(calibrated).__name__}."
    )
    assert hasattr(calibrated, "calibrated_classifiers_"), "calibrated is not fitted yet: call calibrated.fit(...)."
    assert calibrated.method == "sigmoid", f"use method='sigmoid' (Platt), got {calibrated.method!r}."
    frozen = calibrated.estimator
    assert isinstance(frozen, FrozenEstimator) and frozen.estimator is model, (
        "wrap the fitted model: CalibratedClassifierCV(FrozenEstimator(model), ...), so that it is never refitted."
    )


@calibrate_question.test(
    hint=[
        "brier_before: the Brier score of model's probabilities on the test window.",
        "brier_after: the Brier score of calibrated's probabilities on the same test window.",
        "brier_score_loss(y_test, estimator.predict_proba(X_test)[:, 1]) for each of the two.",
    ]
)
def brier_scores_are_those_of_the_test_window(brier_before, brier_after, calibrated, model, X_test, y_test):
    """brier_before and brier_after are the Brier scores of model and calibrated on the test window"""
    for name, value, estimator in (("brier_before", brier_before, model), ("brier_after", brier_after, calibrated)):
        assert is_number(value), f"{name} should be one number, got {describe_value(value)}."
        p = estimator.predict_proba(X_test)[:, 1]
        expected = float(np.mean((p - np.asarray(y_test)) ** 2))
        assert math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12), (
            f"{name} should be the Brier score on the test window ({expected:.6f}), got {value!r}."
        )


# --- 06-money ------------------------------------------------------------------------------------
money_question = Question("06-money", "What calibration is worth in EUR")
# review 3, friction 5; frauds: the first payment only
# raw p = 0.5 everywhere: 0.5 x (amount + 5) >= 8 flags all four -> 4 reviews + 3 false alarms = 12 + 15 = 27
# calibrated p = [0.2, 0.01, 0.01, 0.01]: only 0.2 x 205 = 41 >= 8 -> one review = 3
_MONEY = {
    "y": np.array([1, 0, 0, 0]),
    "raw": np.array([0.5, 0.5, 0.5, 0.5]),
    "calibrated": np.array([0.2, 0.01, 0.01, 0.01]),
    "amounts": np.array([200.0, 50.0, 20.0, 30.0]),
}


def _saving(function, raw="raw", calibrated="calibrated"):
    return function(
        _MONEY["y"].copy(), _MONEY[raw].copy(), _MONEY[calibrated].copy(), _MONEY["amounts"].copy(), REVIEW, FRICTION
    )


@money_question.test(
    hint="Return one number in EUR: the cost with the raw probabilities minus the cost with the calibrated ones."
)
def saving_is_one_number(calibration_saving):
    """calibration_saving(...) returns one number"""
    result = _saving(calibration_saving)
    assert is_number(result), f"expected one number (EUR), got {describe_value(result)}."


@money_question.test(hint="With the same probabilities on both sides, the decisions are the same: nothing is saved.")
def same_probabilities_save_nothing(calibration_saving):
    """the same probabilities twice: a saving of 0"""
    result = _saving(calibration_saving, calibrated="raw")
    assert is_number(result) and math.isclose(result, 0.0, abs_tol=1e-9), f"expected 0, got {result!r}."


@money_question.test(
    hint=[
        "Flag a payment when p x (amount + friction) >= review + friction, for each set of probabilities.",
        "Cost of the flags: review for every alert, friction for every false alarm, the amount of every missed fraud.",
        "Raw: four alerts, three false alarms (27 EUR). Calibrated: one alert, the fraud (3 EUR). Saving: 27 - 3.",
    ]
)
def saving_on_a_hand_worked_example(calibration_saving):
    """four payments: the rule costs 27 with the raw probabilities and 3 with the calibrated ones"""
    result = _saving(calibration_saving)
    assert is_number(result) and math.isclose(result, 24.0, abs_tol=1e-9), (
        f"the raw probabilities flag all four payments (12 review + 15 friction), the calibrated ones only the "
        f"fraud (3 review): expected a saving of 24, got {result!r}."
    )

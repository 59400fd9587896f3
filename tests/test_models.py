import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from course.data import simulate_transactions
from course.models import fit_holdout, make_fraud_model

PERIODS = dict(train_days=30, gap_days=7, test_days=14)


@pytest.fixture(scope="module")
def small():
    return simulate_transactions(300, 600, 60, seed=1)


@pytest.fixture(scope="module")
def hgb_holdout(small):
    return fit_holdout(small, kind="hgb", **PERIODS)


def test_holdout_is_time_ordered_and_aligned(hgb_holdout):
    holdout = hgb_holdout
    assert holdout.train["day"].max() + PERIODS["gap_days"] < holdout.test["day"].min()
    assert len(holdout.scores) == len(holdout.test) == len(holdout.X_test) == len(holdout.y_test)
    assert np.all((holdout.scores >= 0) & (holdout.scores <= 1))


def test_reference_model_ranks_better_than_chance(hgb_holdout):
    assert roc_auc_score(hgb_holdout.y_test, hgb_holdout.scores) > 0.75


def test_holdout_is_reproducible(small):
    a = fit_holdout(small, kind="logreg", **PERIODS)
    b = fit_holdout(small, kind="logreg", **PERIODS)
    assert a.scores.tobytes() == b.scores.tobytes()
    assert roc_auc_score(a.y_test, a.scores) > 0.75


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="kind must be one of"):
        make_fraud_model("forest")
    with pytest.raises(ValueError, match="seed"):
        make_fraud_model("hgb", seed=-1)

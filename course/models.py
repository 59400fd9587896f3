"""The course's reference fraud model and the scored hold-out period every module reuses.

Modules 01-03 all need the same thing: a reasonable model trained on the past and the
scores it gives to a later, unseen period. It lives here once, so that every notebook
sees the same model and the same numbers.

>>> from course.models import fit_holdout
>>> holdout = fit_holdout()                              # doctest: +SKIP
>>> holdout.y_test.mean(), holdout.scores.mean()         # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from course._validation import check_rng
from course.data import FEATURE_COLUMNS, build_features, load_transactions, time_split

__all__ = ["MODEL_KINDS", "DEFAULT_PERIODS", "make_fraud_model", "Holdout", "fit_holdout"]

MODEL_KINDS = ("hgb", "logreg")

#: Days of the canonical dataset used for training, left out while labels arrive, and tested on.
DEFAULT_PERIODS = {"train_days": 70, "gap_days": 14, "test_days": 35}


def make_fraud_model(kind="logreg", *, seed=0, class_weight=None):
    """Return an unfitted fraud classifier of the course.

    Parameters
    ----------
    kind : {"logreg", "hgb"}, default="logreg"
        ``"logreg"``: a standardized ``LogisticRegression`` (fast, linear; the default
        everywhere in the course). ``"hgb"``: a ``HistGradientBoostingClassifier`` (100
        shallow trees, no early stopping, which with a few hundred frauds stops far too soon).
    seed : int
        Seed of the model's own randomness.
    class_weight : None, "balanced" or dict
        Passed to the estimator (see module 01 for why and when).

    Returns
    -------
    estimator : scikit-learn classifier

    Examples
    --------
    >>> from course.models import make_fraud_model
    >>> make_fraud_model("logreg").steps[-1][0]
    'logisticregression'
    """
    if kind not in MODEL_KINDS:
        raise ValueError(f"kind must be one of {MODEL_KINDS}, got {kind!r}.")
    check_rng(seed)
    if kind == "hgb":
        return HistGradientBoostingClassifier(
            max_iter=100,
            learning_rate=0.1,
            max_leaf_nodes=15,
            min_samples_leaf=50,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=seed,
            class_weight=class_weight,
        )
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, class_weight=class_weight))


@dataclass(frozen=True)
class Holdout:
    """A model trained on one period and the scores it gives to a later period.

    Attributes
    ----------
    train, test : pandas.DataFrame
        The transactions of each period (columns as in :func:`course.data.load_transactions`).
    X_train, X_test : pandas.DataFrame
        Their model inputs (:data:`course.data.FEATURE_COLUMNS`).
    y_train, y_test : numpy.ndarray of int8
        Ground-truth labels (``is_fraud``).
    model : fitted scikit-learn classifier
    scores : numpy.ndarray of float64
        ``model.predict_proba(X_test)[:, 1]``: the fraud probability of each test transaction.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.models import fit_holdout
    >>> small = simulate_transactions(300, 600, 60, seed=1)
    >>> holdout = fit_holdout(small, kind="logreg", train_days=30, gap_days=7, test_days=14)
    >>> len(holdout.test) == len(holdout.X_test) == len(holdout.y_test) == len(holdout.scores)
    True
    >>> bool(holdout.train["timestamp"].max() < holdout.test["timestamp"].min())
    True
    """

    train: pd.DataFrame
    test: pd.DataFrame
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: np.ndarray
    y_test: np.ndarray
    model: object
    scores: np.ndarray


def fit_holdout(df=None, *, kind="logreg", seed=0, train_days=None, gap_days=None, test_days=None):
    """Train the course model on the first period and score a later, unseen period.

    The split is by time, with a gap between training and test that stands for the weeks a
    bank waits for chargebacks (module 05 treats late labels properly; here the training
    labels are the ground truth).

    Parameters
    ----------
    df : pandas.DataFrame, optional
        Transactions; defaults to the canonical dataset (:func:`course.data.load_transactions`).
    kind : {"logreg", "hgb"}, default="logreg"
        The model (see :func:`make_fraud_model`).
    seed : int
        Seed of the model's randomness.
    train_days, gap_days, test_days : int, optional
        Period lengths; default to :data:`DEFAULT_PERIODS`.

    Returns
    -------
    Holdout

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.models import fit_holdout
    >>> small = simulate_transactions(300, 600, 60, seed=1)
    >>> holdout = fit_holdout(small, kind="logreg", train_days=30, gap_days=7, test_days=14)
    >>> holdout.scores.shape == holdout.y_test.shape
    True
    """
    if df is None:
        df = load_transactions()
    periods = dict(DEFAULT_PERIODS)
    for name, value in (("train_days", train_days), ("gap_days", gap_days), ("test_days", test_days)):
        if value is not None:
            periods[name] = value
    train_mask, test_mask = time_split(df, **periods)
    features = build_features(df)[FEATURE_COLUMNS]
    y = df["is_fraud"].to_numpy(dtype=np.int8)
    if y[train_mask].min() == y[train_mask].max():
        raise ValueError("The training period holds one class only: use a longer training period or more data.")
    model = make_fraud_model(kind, seed=seed)
    X_train, X_test = features[train_mask], features[test_mask]
    # One thread: the same model bit for bit, and on a small shared machine (2 cores, other
    # work running) OpenMP threads that wait for each other make gradient boosting 5-20x slower.
    with threadpool_limits(limits=1):
        model.fit(X_train, y[train_mask])
        scores = model.predict_proba(X_test)[:, 1].astype(np.float64)
    return Holdout(
        train=df[train_mask].reset_index(drop=True),
        test=df[test_mask].reset_index(drop=True),
        X_train=X_train.reset_index(drop=True),
        X_test=X_test.reset_index(drop=True),
        y_train=y[train_mask],
        y_test=y[test_mask],
        model=model,
        scores=scores,
    )

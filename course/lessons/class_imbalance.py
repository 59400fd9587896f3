"""Class imbalance: baselines, four ways to train, honest evaluation and prior correction.

Module 01 of the course. What lives here:

- :func:`majority_baseline`: the "flag nothing" model, its accuracy and the money it lets through.
- :func:`imbalance_metrics`: ranking quality (average precision, ROC-AUC, precision@k) and
  the mean predicted probability next to the true fraud rate.
- :func:`make_strategy`: the four training strategies (``"plain"``, ``"class_weight"``,
  ``"undersample"``, ``"smote"``), each an imbalanced-learn ``Pipeline`` so that
  resampling only ever touches the data the pipeline is fitted on (the training fold).
- :func:`compare_strategies`: fit them on a training period, score a later test period.
- :func:`resampling_leak_comparison`: SMOTE before the split (leaky) against SMOTE inside
  the pipeline (honest), like with like (same split of the real rows, same scaling, the
  leaky score also at the real fraud rate), with the mechanism measured.
- :func:`undersampled_fraud_rate` and :func:`correct_undersampled_probabilities`: what
  undersampling does to probabilities, and the prior correction that undoes it
  (Dal Pozzolo et al., "Calibrating Probability with Undersampling for Unbalanced
  Classification", 2015).
- :func:`undersampling_scores`: test scores of models trained at several undersampling
  rates (what :class:`course.widgets.ImbalanceExplorer` shows).

Notation: ``beta`` is the share of genuine (majority) transactions kept by random
undersampling, 0 < beta <= 1; every fraud is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from course._validation import (
    check_amounts,
    check_binary_labels,
    check_rng,
    check_same_length,
    check_scalar,
    check_scores,
)
from course.metrics import precision_at_k, prevalence_weights
from course.models import make_fraud_model

__all__ = [
    "STRATEGIES",
    "DEFAULT_BETAS",
    "KeepShareOfGenuines",
    "majority_baseline",
    "imbalance_metrics",
    "make_strategy",
    "training_fraud_share",
    "StrategyComparison",
    "compare_strategies",
    "LeakComparison",
    "LEAK_EVALUATIONS",
    "resampling_leak_comparison",
    "undersampled_fraud_rate",
    "correct_undersampled_probabilities",
    "undersampling_scores",
    "undersampling_numbers",
]

#: The four ways to train of module 01, in the order the course shows them.
STRATEGIES = ("plain", "class_weight", "undersample", "smote")

#: Undersampling rates (share of genuine transactions kept) shown by the explorer.
DEFAULT_BETAS = (1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01)

_METRIC_COLUMNS = ["average_precision", "roc_auc", "precision_at_k", "mean_predicted", "fraud_rate"]


def _check_share(value, name, *, allow_one=True):
    boundaries = "right" if allow_one else "neither"
    return check_scalar(value, name, float, min_val=0, max_val=1, include_boundaries=boundaries)


def _check_seed(seed):
    """An int ``random_state`` for scikit-learn and imbalanced-learn, from what ``check_rng`` accepts.

    The same seeds as everywhere in the course (a non-negative int or a
    ``numpy.random.Generator``), refused with the same message; a Generator gives an int
    drawn from it, so one generator passed down a chain of fits stays reproducible.
    """
    rng = check_rng(seed)
    if isinstance(seed, np.random.Generator):
        return int(rng.integers(np.iinfo(np.int32).max))
    return int(seed)


def _check_features(X, name):
    shape = getattr(X, "shape", None)
    if shape is None:
        X = np.asarray(X, dtype=np.float64)
        shape = X.shape
    if len(shape) != 2:
        raise ValueError(f"{name} must be two-dimensional (one row per transaction), got shape {shape}.")
    if shape[0] == 0:
        raise ValueError(f"{name} is empty: at least one transaction is needed.")
    return X


def _rows(X, index):
    return X.iloc[index] if hasattr(X, "iloc") else np.asarray(X)[index]


class KeepShareOfGenuines:
    """Sampling strategy for ``RandomUnderSampler``: keep a share ``beta`` of the genuines.

    imbalanced-learn accepts a callable ``sampling_strategy``; this one is evaluated on
    the labels the sampler sees (the training fold), keeps ``round(beta * genuines)``
    genuine transactions (at least one) and every fraud.

    Parameters
    ----------
    beta : float
        Share of genuine transactions kept, 0 < beta <= 1.

    Examples
    --------
    >>> from course.lessons.class_imbalance import KeepShareOfGenuines
    >>> KeepShareOfGenuines(0.1)([0] * 95 + [1] * 5)
    {0: 10}
    """

    def __init__(self, beta):
        self.beta = _check_share(beta, "beta")

    def __call__(self, y):
        genuines = int((np.asarray(y) == 0).sum())
        return {0: max(1, int(round(self.beta * genuines)))}

    def __repr__(self):
        return f"KeepShareOfGenuines(beta={self.beta!r})"


def majority_baseline(y_true, amounts):
    """What the "flag nothing" model scores: near-perfect accuracy, no fraud caught.

    Predicting the majority class (genuine) for every transaction is right on every
    genuine one, so its accuracy equals ``1 - fraud rate``; it catches no fraud and lets
    the whole fraud amount through.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    amounts : array-like of shape (n,)
        Transaction amounts (non-negative).

    Returns
    -------
    dict
        ``accuracy``, ``recall`` (0.0 when there are frauds, NaN without any),
        ``fraud_rate``, ``frauds_missed`` (int) and ``fraud_amount_missed`` (the money let through).

    Examples
    --------
    >>> from course.lessons.class_imbalance import majority_baseline
    >>> report = majority_baseline([0, 0, 0, 1], [10.0, 20.0, 30.0, 400.0])
    >>> report["accuracy"], report["recall"], report["fraud_amount_missed"]
    (0.75, 0.0, 400.0)
    """
    labels = check_binary_labels(y_true, require_both=False)
    money = check_amounts(amounts)
    check_same_length(y_true=labels, amounts=money)
    frauds = labels == 1
    n_frauds = int(frauds.sum())
    return {
        "accuracy": float(1.0 - frauds.mean()),
        "recall": 0.0 if n_frauds else float("nan"),
        "fraud_rate": float(frauds.mean()),
        "frauds_missed": n_frauds,
        "fraud_amount_missed": float(money[frauds].sum()),
    }


def imbalance_metrics(y_true, y_score, *, k=100):
    """Ranking quality and probability level of one set of scores.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        1 for fraud, 0 for genuine; both classes needed.
    y_score : array-like of shape (n,)
        Predicted fraud probabilities (or scores: then ``mean_predicted`` means little).
    k : int, default=100
        Alerts reviewed, for ``precision_at_k``.

    Returns
    -------
    dict
        ``average_precision`` (PR-AUC), ``roc_auc``, ``precision_at_k`` (share of frauds among
        the k highest scores of this one ranking, e.g. of a whole test period: not the
        *daily* precision@k of :func:`course.metrics.daily_precision_at_k`),
        ``mean_predicted`` (the mean probability: the fraud rate the model expects) and
        ``fraud_rate`` (the true one). A calibrated model has ``mean_predicted`` close to
        ``fraud_rate``, but a matching mean is not calibration: the probabilities must also
        match the fraud rate within each score band (module 06). The three ranking metrics
        ignore the probability level.

    Examples
    --------
    >>> from course.lessons.class_imbalance import imbalance_metrics
    >>> metrics = imbalance_metrics([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.4], k=1)
    >>> metrics["roc_auc"], metrics["precision_at_k"], metrics["fraud_rate"]
    (1.0, 1.0, 0.25)
    """
    labels = check_binary_labels(y_true)
    scores = check_scores(y_score)
    check_same_length(y_true=labels, y_score=scores)
    return {
        "average_precision": float(average_precision_score(labels, scores)),
        "roc_auc": float(roc_auc_score(labels, scores)),
        "precision_at_k": float(precision_at_k(labels, scores, k)),
        "mean_predicted": float(scores.mean()),
        "fraud_rate": float(labels.mean()),
    }


def make_strategy(strategy, *, kind="logreg", seed=0, beta=0.05, smote_ratio=0.1, k_neighbors=5):
    """One of the four ways to train on imbalanced data, as an imbalanced-learn ``Pipeline``.

    Steps: ``scale`` (``StandardScaler``: SMOTE's nearest neighbours need comparable
    features), ``resample`` (a sampler, or ``"passthrough"``) and ``model``
    (:func:`course.models.make_fraud_model`). An imbalanced-learn pipeline resamples only
    in ``fit``: ``predict_proba`` and any test data are never resampled, and inside
    cross-validation each training fold is resampled on its own.

    Parameters
    ----------
    strategy : {"plain", "class_weight", "undersample", "smote"}
        ``"plain"``: the data as it is. ``"class_weight"``: ``class_weight="balanced"``
        (each class weighs half of the loss). ``"undersample"``: ``RandomUnderSampler``
        keeping a share ``beta`` of the genuines. ``"smote"``: ``SMOTE`` adds synthetic
        frauds until frauds / genuines = ``smote_ratio``.
    kind : {"logreg", "hgb"}, default="logreg"
        The model (see :func:`course.models.make_fraud_model`).
    seed : int, default=0
        Seed of the sampler and the model.
    beta : float, default=0.05
        Share of genuines kept by ``"undersample"``, 0 < beta <= 1 (1 = no resampling).
    smote_ratio : float, default=0.1
        Frauds per genuine after ``"smote"``, 0 < smote_ratio <= 1.
    k_neighbors : int, default=5
        Neighbours SMOTE interpolates between.

    Returns
    -------
    imblearn.pipeline.Pipeline
        Unfitted.

    Examples
    --------
    >>> from course.lessons.class_imbalance import make_strategy
    >>> [name for name, _ in make_strategy("smote").steps]
    ['scale', 'resample', 'model']
    >>> make_strategy("undersample", beta=0.1).named_steps["resample"].sampling_strategy
    KeepShareOfGenuines(beta=0.1)
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}.")
    seed = _check_seed(seed)
    beta = _check_share(beta, "beta")
    smote_ratio = _check_share(smote_ratio, "smote_ratio")
    sampler = "passthrough"
    if strategy == "undersample" and beta < 1:
        sampler = RandomUnderSampler(sampling_strategy=KeepShareOfGenuines(beta), random_state=seed)
    elif strategy == "smote":
        sampler = SMOTE(sampling_strategy=smote_ratio, k_neighbors=k_neighbors, random_state=seed)
    class_weight = "balanced" if strategy == "class_weight" else None
    model = make_fraud_model(kind, seed=seed, class_weight=class_weight)
    return Pipeline([("scale", StandardScaler()), ("resample", sampler), ("model", model)])


def training_fraud_share(pipeline, y_train):
    """Share of fraud in what a fitted strategy pipeline was trained on (after resampling/weights).

    ``class_weight="balanced"`` gives each class half of the weight: 0.5. A resampler's
    fitted ``sampling_strategy_`` says how many genuines it kept (undersampling) or frauds
    it made (SMOTE).

    Parameters
    ----------
    pipeline : fitted Pipeline from :func:`make_strategy`
    y_train : array-like of shape (n,)
        The labels it was fitted on.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.class_imbalance import make_strategy, training_fraud_share
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(1_000, 2)), np.r_[np.ones(50, int), np.zeros(950, int)]
    >>> training_fraud_share(make_strategy("undersample", beta=0.1).fit(X, y), y)
    0.3448275862068966
    """
    labels = check_binary_labels(y_train)
    steps = getattr(pipeline, "named_steps", {})
    if "resample" not in steps or "model" not in steps:
        raise ValueError(
            "pipeline must come from course.lessons.class_imbalance.make_strategy (steps scale, resample, model)."
        )
    frauds, genuines = int(labels.sum()), int((labels == 0).sum())
    sampler = steps["resample"]
    if sampler != "passthrough":
        if not hasattr(sampler, "sampling_strategy_"):
            raise ValueError("pipeline is not fitted: call pipeline.fit(X_train, y_train) first.")
        ((label, count),) = sampler.sampling_strategy_.items()
        if int(label) == 0:  # undersampling: count = genuines kept
            genuines = int(count)
        else:  # SMOTE: count = synthetic frauds added
            frauds += int(count)
    model = steps["model"]
    estimator = model.steps[-1][1] if hasattr(model, "steps") else model
    if getattr(estimator, "class_weight", None) == "balanced":
        return 0.5
    return frauds / (frauds + genuines)


@dataclass(frozen=True)
class StrategyComparison:
    """Result of :func:`compare_strategies`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per strategy (index), columns ``average_precision``, ``roc_auc``,
        ``precision_at_k``, ``mean_predicted``, ``fraud_rate`` (see
        :func:`imbalance_metrics`) and ``training_fraud_share`` (see :func:`training_fraud_share`).
    scores : dict of str -> numpy.ndarray
        Test-period fraud probabilities of each strategy.
    models : dict of str -> fitted Pipeline
        The pipeline of each strategy (:func:`make_strategy`), fitted on the training period.

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.class_imbalance import compare_strategies
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2_000) < 0.05).astype(int)
    >>> X = rng.normal(size=(2_000, 2)) + y[:, None]
    >>> comparison = compare_strategies(X[:1_500], y[:1_500], X[1_500:], y[1_500:],
    ...                                 strategies=["plain", "class_weight"], k=20)
    >>> comparison.table.columns.tolist()
    ['average_precision', 'roc_auc', 'precision_at_k', 'mean_predicted', 'fraud_rate', 'training_fraud_share']
    >>> sorted(comparison.scores), comparison.scores["plain"].shape
    (['class_weight', 'plain'], (500,))
    """

    table: pd.DataFrame
    scores: dict
    models: dict


def compare_strategies(
    X_train, y_train, X_test, y_test, *, strategies=STRATEGIES, kind="logreg", seed=0, k=100, beta=0.05, smote_ratio=0.1
):
    """Fit each training strategy on a training period and score a later test period.

    Give it a time-ordered split (e.g. :func:`course.data.time_split`): the model is
    trained on the past and judged on the future, as it will be used. Every strategy sees
    the same rows; resampling happens inside each pipeline, on the training rows only, and
    the test rows are scored as they are.

    Parameters
    ----------
    X_train, X_test : array-like or DataFrame of shape (n, n_features)
    y_train, y_test : array-like of shape (n,)
        1 for fraud, 0 for genuine; both classes needed in each.
    strategies : sequence of str, default=STRATEGIES
    kind, seed, beta, smote_ratio
        Passed to :func:`make_strategy`.
    k : int, default=100
        Alerts reviewed, for precision@k.

    Returns
    -------
    StrategyComparison

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.class_imbalance import compare_strategies
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(4_000) < 0.03).astype(int)
    >>> X = rng.normal(size=(4_000, 3)) + y[:, None]
    >>> result = compare_strategies(X[:3_000], y[:3_000], X[3_000:], y[3_000:], k=20)
    >>> result.table.index.tolist()
    ['plain', 'class_weight', 'undersample', 'smote']
    >>> bool(result.table.loc["class_weight", "mean_predicted"] > result.table.loc["plain", "mean_predicted"])
    True
    """
    X_train = _check_features(X_train, "X_train")
    X_test = _check_features(X_test, "X_test")
    train_labels = check_binary_labels(y_train, name="y_train")
    test_labels = check_binary_labels(y_test, name="y_test")
    check_same_length(X_train=X_train, y_train=train_labels)
    check_same_length(X_test=X_test, y_test=test_labels)
    strategies = list(strategies)
    if not strategies:
        raise ValueError("strategies is empty: name at least one of " + ", ".join(STRATEGIES) + ".")
    rows, scores, models = {}, {}, {}
    for name in strategies:
        pipeline = make_strategy(name, kind=kind, seed=seed, beta=beta, smote_ratio=smote_ratio)
        pipeline.fit(X_train, train_labels)
        proba = pipeline.predict_proba(X_test)[:, 1].astype(np.float64)
        rows[name] = {
            **imbalance_metrics(test_labels, proba, k=k),
            "training_fraud_share": training_fraud_share(pipeline, train_labels),
        }
        scores[name], models[name] = proba, pipeline
    table = pd.DataFrame.from_dict(rows, orient="index")[[*_METRIC_COLUMNS, "training_fraud_share"]]
    table.index.name = "strategy"
    return StrategyComparison(table=table, scores=scores, models=models)


@dataclass(frozen=True)
class LeakComparison:
    """Result of :func:`resampling_leak_comparison`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per evaluation (index ``evaluation``), columns ``average_precision``,
        ``roc_auc``, ``fraud_rate``, ``frauds``, ``test_rows``, ``synthetic_test_rows``.
    mechanism : pandas.Series
        How close the leaky training set sits to the test frauds:
        ``median_distance_honest`` and ``median_distance_leaky`` (from each real test fraud
        to the nearest training fraud, in standardized units), ``test_frauds_closer_in_leaky``
        (share of test frauds with a nearer training fraud in the leaky training set),
        ``synthetic_training_frauds`` and ``synthetic_next_to_a_test_fraud`` (share of them
        nearer to a test fraud than to any training fraud: blurred copies of the answers).
    test_index : numpy.ndarray of int
        Positions (in ``X``) of the real test rows, the same for both recipes.
    y_test : numpy.ndarray
        Their labels.
    scores : dict of str -> numpy.ndarray
        ``"leaky"`` and ``"honest"``: each model's scores on the real test rows (to
        bootstrap their difference).

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.class_imbalance import resampling_leak_comparison
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(3_000) < 0.03).astype(int)
    >>> X = rng.normal(size=(3_000, 3)) + y[:, None]
    >>> leak = resampling_leak_comparison(X, y)
    >>> sorted(leak.scores), leak.scores["honest"].shape == leak.y_test.shape
    (['honest', 'leaky'], True)
    """

    table: pd.DataFrame
    mechanism: pd.Series
    test_index: np.ndarray
    y_test: np.ndarray
    scores: dict


#: Row names of :func:`resampling_leak_comparison`'s table, in order.
LEAK_EVALUATIONS = (
    "leaky, as reported",  # its test set holds the synthetic frauds
    "leaky, at the real fraud rate",  # the same scores, genuines weighted back to the real rate
    "leaky model, real test rows",
    "honest, real test rows",  # SMOTE inside the pipeline
)


def _nearest_distance(points, reference):
    """Distance from each row of ``points`` to its nearest row of ``reference`` (Euclidean)."""
    from sklearn.neighbors import NearestNeighbors

    return NearestNeighbors(n_neighbors=1).fit(reference).kneighbors(points)[0][:, 0]


def resampling_leak_comparison(X, y, *, test_size=0.3, kind="logreg", seed=0, smote_ratio=0.1):
    """SMOTE before the split (leaky) against SMOTE inside the pipeline (honest), like with like.

    The leaky recipe, a common mistake: oversample the whole data set with SMOTE, then
    split it into training and test. Both recipes here share everything else:

    - the **same split of the real rows** (stratified, ``test_size``, ``seed``); in the leaky
      recipe the synthetic rows, made from *all* frauds, are then split at random in the
      same proportion, as a split of the oversampled data would do;
    - the **same scaling**: both interpolate in standardized features (the leaky recipe
      standardizes all rows before SMOTE; the honest pipeline its training rows);
    - the same model (``kind``) and ``smote_ratio``.

    The table compares the leaky number as a leaky notebook reports it (its test set holds
    the synthetic frauds, so its fraud rate is about ``smote_ratio``), the same number
    weighted to the real fraud rate (average precision only compares at one prevalence),
    the leaky model on the real test rows only, and the honest model on the same rows.
    ``mechanism`` measures the leak itself: synthetic neighbours of test frauds in training.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n, n_features)
    y : array-like of shape (n,)
        1 for fraud, 0 for genuine.
    test_size : float, default=0.3
        Share of rows in the test part, 0 < test_size < 1.
    kind, seed, smote_ratio
        As in :func:`make_strategy`.

    Returns
    -------
    LeakComparison

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.class_imbalance import resampling_leak_comparison
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(3_000) < 0.03).astype(int)
    >>> X = rng.normal(size=(3_000, 3)) + y[:, None]
    >>> leak = resampling_leak_comparison(X, y)
    >>> leak.table["synthetic_test_rows"].tolist()[0] > 0, leak.table["synthetic_test_rows"].tolist()[3]
    (True, 0)
    >>> bool(leak.mechanism["median_distance_leaky"] < leak.mechanism["median_distance_honest"])
    True
    """
    X = _check_features(X, "X")
    labels = check_binary_labels(y, name="y")
    check_same_length(X=X, y=labels)
    test_size = _check_share(test_size, "test_size", allow_one=False)
    smote_ratio = _check_share(smote_ratio, "smote_ratio")
    rng_seed = _check_seed(seed)
    n = labels.size
    train, test = train_test_split(np.arange(n), test_size=test_size, stratify=labels, random_state=rng_seed)

    # Leaky: standardize and oversample every row, then split the synthetic rows like the real ones.
    scaled = StandardScaler().fit_transform(np.asarray(X, dtype=np.float64))
    X_all, y_all = SMOTE(sampling_strategy=smote_ratio, random_state=rng_seed).fit_resample(scaled, labels)
    synthetic = np.arange(n, y_all.size)  # imbalanced-learn appends the synthetic rows
    synthetic_in_test = np.random.default_rng(rng_seed).random(synthetic.size) < test_size
    leaky_train = np.r_[train, synthetic[~synthetic_in_test]]
    leaky_test = np.r_[test, synthetic[synthetic_in_test]]
    leaky = make_strategy("plain", kind=kind, seed=rng_seed).fit(X_all[leaky_train], y_all[leaky_train])
    leaky_scores = leaky.predict_proba(X_all[leaky_test])[:, 1].astype(np.float64)
    leaky_labels = y_all[leaky_test]
    real = slice(0, test.size)  # the real test rows come first in leaky_test

    # Honest: the pipeline standardizes and oversamples the training rows only.
    honest = make_strategy("smote", kind=kind, seed=rng_seed, smote_ratio=smote_ratio)
    honest.fit(_rows(X, train), labels[train])
    honest_scores = honest.predict_proba(_rows(X, test))[:, 1].astype(np.float64)

    real_rate = float(labels[test].mean())
    to_real_rate = prevalence_weights(leaky_labels, real_rate)
    evaluations = {
        LEAK_EVALUATIONS[0]: (leaky_labels, leaky_scores, None, int(synthetic_in_test.sum())),
        LEAK_EVALUATIONS[1]: (leaky_labels, leaky_scores, to_real_rate, int(synthetic_in_test.sum())),
        LEAK_EVALUATIONS[2]: (labels[test], leaky_scores[real], None, 0),
        LEAK_EVALUATIONS[3]: (labels[test], honest_scores, None, 0),
    }
    rows = {}
    for name, (truth, score, weight, n_synthetic) in evaluations.items():
        fraud_weight = truth if weight is None else truth * weight
        rows[name] = {
            "average_precision": float(average_precision_score(truth, score, sample_weight=weight)),
            "roc_auc": float(roc_auc_score(truth, score, sample_weight=weight)),
            "fraud_rate": float(fraud_weight.sum() / (truth.size if weight is None else weight.sum())),
            "frauds": int(truth.sum()),
            "test_rows": int(truth.size),
            "synthetic_test_rows": n_synthetic,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "evaluation"

    test_frauds = scaled[test][labels[test] == 1]
    train_frauds = scaled[train][labels[train] == 1]
    synthetic_train = X_all[synthetic[~synthetic_in_test]]
    honest_distance = _nearest_distance(test_frauds, train_frauds)
    leaky_distance = _nearest_distance(test_frauds, np.vstack([train_frauds, synthetic_train]))
    to_test = _nearest_distance(synthetic_train, test_frauds)
    to_train = _nearest_distance(synthetic_train, train_frauds)
    mechanism = pd.Series(
        {
            "median_distance_honest": float(np.median(honest_distance)),
            "median_distance_leaky": float(np.median(leaky_distance)),
            "test_frauds_closer_in_leaky": float(np.mean(leaky_distance < honest_distance)),
            "synthetic_training_frauds": int(synthetic_train.shape[0]),
            "synthetic_next_to_a_test_fraud": float(np.mean(to_test < to_train)),
        },
        dtype=object,
    )
    return LeakComparison(
        table=table,
        mechanism=mechanism,
        test_index=np.asarray(test),
        y_test=labels[test],
        scores={"leaky": leaky_scores[real], "honest": honest_scores},
    )


def undersampled_fraud_rate(fraud_rate, beta):
    """Fraud rate of the training data after keeping a share ``beta`` of the genuines.

    With fraud rate ``pi`` and every fraud kept, ``pi_s = pi / (pi + beta * (1 - pi))``.
    A model fitted on the undersampled data learns this rate, so its mean predicted
    probability moves from ``pi`` up to about ``pi_s``.

    Parameters
    ----------
    fraud_rate : float or array-like
        The original fraud rate ``pi``, 0 <= pi <= 1.
    beta : float
        Share of genuines kept, 0 < beta <= 1.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> from course.lessons.class_imbalance import undersampled_fraud_rate
    >>> round(undersampled_fraud_rate(0.01, beta=0.1), 4)  # 1 fraud for 9.9 genuines kept
    0.0917
    """
    beta = _check_share(beta, "beta")
    pi = np.asarray(fraud_rate, dtype=np.float64)
    if not np.isfinite(pi).all() or (pi < 0).any() or (pi > 1).any():
        raise ValueError(f"fraud_rate must lie between 0 and 1, got {fraud_rate!r}.")
    result = pi / (pi + beta * (1.0 - pi))
    return float(result) if result.ndim == 0 else result


def correct_undersampled_probabilities(proba, beta):
    """Undo undersampling: ``p' = beta p / (beta p - p + 1)`` (Dal Pozzolo et al., 2015).

    A model trained on data where only a share ``beta`` of the genuines was kept predicts
    probabilities ``p`` that are too high for the real world; this maps them back. The
    map is increasing, so the ranking (ROC-AUC, average precision, precision@k) does not
    change: only the probabilities, and so any fixed threshold, do.

    Parameters
    ----------
    proba : array-like of shape (n,)
        Probabilities from the model trained on undersampled data, in [0, 1].
    beta : float
        Share of genuines kept when training, 0 < beta <= 1.

    Returns
    -------
    numpy.ndarray of shape (n,)

    Examples
    --------
    >>> from course.lessons.class_imbalance import correct_undersampled_probabilities
    >>> correct_undersampled_probabilities([0.0917, 0.5, 1.0], beta=0.1).round(4)
    array([0.01  , 0.0909, 1.    ])
    """
    beta = _check_share(beta, "beta")
    p = check_scores(proba, name="proba")
    if (p < 0).any() or (p > 1).any():
        raise ValueError("proba must hold probabilities between 0 and 1.")
    return beta * p / (beta * p - p + 1.0)


def undersampling_scores(X_train, y_train, X_test, *, betas=DEFAULT_BETAS, kind="logreg", seed=0, known_scores=None):
    """Test-period probabilities of models trained at several undersampling rates.

    One ``make_strategy("undersample", beta=b)`` pipeline per rate, fitted on the training
    rows; ``beta=1`` is the plain model.

    Parameters
    ----------
    X_train, X_test : array-like or DataFrame of shape (n, n_features)
    y_train : array-like of shape (n,)
    betas : sequence of float, default=DEFAULT_BETAS
        Shares of genuines kept, each 0 < beta <= 1.
    kind, seed
        As in :func:`make_strategy`.
    known_scores : dict of float -> array-like, optional
        Test probabilities already at hand, by ``beta`` (e.g. ``{1.0: plain_scores}`` from
        :func:`compare_strategies` with the same ``kind`` and ``seed``): used as they are,
        not fitted again.

    Returns
    -------
    dict of float -> numpy.ndarray
        Uncorrected test probabilities by ``beta``, in decreasing ``beta`` order.

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.class_imbalance import undersampling_scores
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2_000) < 0.05).astype(int)
    >>> X = rng.normal(size=(2_000, 2)) + y[:, None]
    >>> scores = undersampling_scores(X[:1_500], y[:1_500], X[1_500:], betas=[1.0, 0.1])
    >>> bool(scores[0.1].mean() > scores[1.0].mean())
    True
    """
    X_train = _check_features(X_train, "X_train")
    X_test = _check_features(X_test, "X_test")
    labels = check_binary_labels(y_train, name="y_train")
    check_same_length(X_train=X_train, y_train=labels)
    checked = sorted({_check_share(b, "beta") for b in betas}, reverse=True)
    if not checked:
        raise ValueError("betas is empty: give at least one share of genuines to keep.")
    known = {
        _check_share(b, "beta"): check_scores(v, name=f"known_scores[{b!r}]") for b, v in (known_scores or {}).items()
    }
    scores = {}
    for beta in checked:
        if beta in known:
            check_same_length(X_test=X_test, **{f"known_scores[{beta!r}]": known[beta]})
            scores[beta] = known[beta]
            continue
        pipeline = make_strategy("undersample", kind=kind, seed=seed, beta=beta).fit(X_train, labels)
        scores[beta] = pipeline.predict_proba(X_test)[:, 1].astype(np.float64)
    return scores


def undersampling_numbers(y_true, y_score, beta, *, k=100, train_fraud_rate=None, threshold=0.5):
    """What the explorer shows for one model trained with a share ``beta`` of the genuines kept.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Test labels, 1 for fraud.
    y_score : array-like of shape (n,)
        Test probabilities of the model trained on undersampled data (uncorrected).
    beta : float
        Share of genuines kept when training, 0 < beta <= 1.
    k : int, default=100
        Alerts reviewed, for precision@k.
    train_fraud_rate : float, optional
        Fraud rate of the training data before undersampling; adds ``training_fraud_rate``
        (the rate the model saw, :func:`course.lessons.class_imbalance.undersampled_fraud_rate`).
    threshold : float, default=0.5
        The fixed threshold for ``flagged`` and ``flagged_corrected``.

    Returns
    -------
    dict
        ``beta``, [``training_fraud_rate``], ``average_precision``, ``roc_auc``,
        ``precision_at_k``, ``fraud_rate`` (true, test), ``mean_predicted`` (raw),
        ``mean_corrected`` (after the prior correction), ``flagged`` and ``flagged_corrected``
        (share of test transactions at or above ``threshold``, raw and corrected).

    Examples
    --------
    >>> from course.lessons.class_imbalance import undersampling_numbers
    >>> numbers = undersampling_numbers([0, 0, 0, 1], [0.2, 0.3, 0.6, 0.9], beta=0.1, k=1)
    >>> numbers["roc_auc"], numbers["flagged"], numbers["flagged_corrected"]
    (1.0, 0.5, 0.0)
    """
    threshold = check_scalar(threshold, "threshold", float, min_val=0, max_val=1)
    metrics = imbalance_metrics(y_true, y_score, k=k)
    scores = check_scores(y_score)
    corrected = correct_undersampled_probabilities(scores, beta)
    numbers = {"beta": float(beta)}
    if train_fraud_rate is not None:
        numbers["training_fraud_rate"] = undersampled_fraud_rate(train_fraud_rate, beta)
    numbers.update(
        average_precision=metrics["average_precision"],
        roc_auc=metrics["roc_auc"],
        precision_at_k=metrics["precision_at_k"],
        fraud_rate=metrics["fraud_rate"],
        mean_predicted=metrics["mean_predicted"],
        mean_corrected=float(corrected.mean()),
        flagged=float((scores >= threshold).mean()),
        flagged_corrected=float((corrected >= threshold).mean()),
    )
    return numbers

"""Module 06: probability calibration, and why a decision in money needs it when ranking does not.

The study of the module (:func:`fit_calibration_study`) splits the course's data in time:
models are trained on the first 70 days, a gap of 14 days follows (chargebacks arrive), then
the **calibration window** (the next 14 days) is where a calibrator may learn, and the
**launch weeks** (the last 21 days) are where every number is judged. Four models are
trained, as in module 01: a plain logistic regression, gradient boosting, a class-weighted
and an undersampled logistic regression.

- :func:`calibrated_probabilities`: the launch probabilities of a model, uncalibrated, with
  the exact prior correction, and calibrated by scikit-learn's ``CalibratedClassifierCV``
  (sigmoid or isotonic) on the calibration window, the fitted model wrapped in a
  ``FrozenEstimator``.
- :func:`calibration_summary`, :func:`ece_by_binning`: how calibrated each model is, and how
  the binning rule moves the ECE, next to its noise floor.
- :func:`ranking_versus_money`: a monotone recalibration leaves ROC-AUC and AP unchanged and
  changes the money decisions.
- :func:`compare_calibrations`, :func:`isotonic_overfitting`: prior correction vs sigmoid vs
  isotonic, and isotonic with a hundred frauds.
- :func:`money_of_calibration`, :func:`daily_forecast`, :func:`threshold_versus_calibration`:
  the expected-loss rule (:func:`course.metrics.expected_loss_decisions`) in EUR, the daily
  forecast of alerts and frauds, and a tuned threshold against calibration.
- :func:`fraud_rate_drift`: when the fraud rate moves, the probabilities go stale, and the
  prior-shift correction and what it needs.
- :func:`explorer_probabilities`, :func:`calibration_views`, :func:`calibration_view`: what
  :class:`course.widgets.CalibrationExplorer` precomputes and shows.

Every comparison of two numbers comes with a day-level bootstrap interval of their
difference (:func:`course.metrics.day_bootstrap`): whole days are resampled, because the
frauds of one day come in bursts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from threadpoolctl import threadpool_limits

from course._validation import check_amounts, check_binary_labels, check_same_length, check_scalar
from course.data import FEATURE_COLUMNS, Drift, build_features, load_transactions, simulate_transactions, time_split
from course.data.dataset import CANONICAL_SEED
from course.lessons.class_imbalance import correct_undersampled_probabilities, make_strategy
from course.metrics import (
    BootstrapResult,
    CostModel,
    DayBootstrap,
    PrevalenceSampler,
    ThresholdSweep,
    calibration_report,
    check_cost_model,
    ece_noise_floor,
    expected_calibration_error,
    expected_loss_decisions,
    fraud_forecast,
    least_cost_threshold,
    reliability_table,
)
from course.metrics.calibration import BINNING_STRATEGIES, _SortedProbabilities, _table_from_sums, check_probabilities
from course.models import DEFAULT_PERIODS, make_fraud_model

__all__ = [
    "MODEL_NAMES",
    "MODEL_LABELS",
    "METHODS",
    "METHOD_LABELS",
    "DEFAULT_COST_MODEL",
    "CalibrationStudy",
    "fit_calibration_study",
    "fit_calibrator",
    "calibrated_probabilities",
    "calibration_summary",
    "ece_by_binning",
    "ranking_versus_money",
    "compare_calibrations",
    "isotonic_overfitting",
    "money_of_calibration",
    "daily_forecast",
    "threshold_versus_calibration",
    "fraud_rate_drift",
    "explorer_probabilities",
    "calibration_view",
    "calibration_views",
]

#: The four models of the module (module 01's ways to train).
MODEL_NAMES = ("logreg", "hgb", "class_weight", "undersample")
MODEL_LABELS = {
    "logreg": "logistic regression",
    "hgb": "gradient boosting",
    "class_weight": "class-weighted logistic regression",
    "undersample": "undersampled logistic regression",
}
#: Ways to get probabilities from a fitted model: as it is, the exact prior correction, or a
#: calibrator fitted on the calibration window.
METHODS = ("none", "prior", "sigmoid", "isotonic")
METHOD_LABELS = {
    "none": "uncalibrated",
    "prior": "prior correction",
    "sigmoid": "sigmoid (Platt)",
    "isotonic": "isotonic",
}
#: The costs of module 03: review 3, friction 5, a missed fraud costs its amount.
DEFAULT_COST_MODEL = CostModel(review_cost=3.0, friction_cost=5.0)

_WINDOWS = ("calibration", "launch")


@dataclass(frozen=True)
class CalibrationStudy:
    """Three windows in time, the module's four fitted models and their probabilities.

    Attributes
    ----------
    train, calibration, launch : pandas.DataFrame
        The transactions of each window (columns of :func:`course.data.load_transactions`).
    X_train, X_calibration, X_launch : pandas.DataFrame
        Their model inputs (:data:`course.data.FEATURE_COLUMNS`).
    y_train, y_calibration, y_launch : numpy.ndarray of int8
        Their labels (``is_fraud``).
    models : dict of str -> fitted estimator
        By name (:data:`MODEL_NAMES`).
    betas : dict of str -> float
        The share of genuines each model was trained with relative to the frauds: 1.0 for
        the plain models, the share kept for ``"undersample"``, and for ``"class_weight"``
        the ratio of a genuine's weight to a fraud's (what the prior correction needs).
    undersampled : dict of float -> fitted estimator
        Undersampled logistic regressions by share of genuines kept (the explorer's slider);
        ``undersampled[betas["undersample"]] is models["undersample"]``.
    scores : dict of (str or float, str) -> numpy.ndarray
        Uncalibrated fraud probabilities by (model name or undersampling share, window), for
        the windows ``"calibration"`` and ``"launch"``.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.calibration import fit_calibration_study
    >>> world = simulate_transactions(300, 600, 50, seed=1)
    >>> study = fit_calibration_study(world, train_days=25, gap_days=5, test_days=20, calibration_days=8,
    ...                               models=("logreg", "undersample"), beta=0.1)
    >>> sorted(study.models), study.betas["logreg"], study.launch["day"].min() - study.calibration["day"].max()
    (['logreg', 'undersample'], 1.0, np.int32(1))
    >>> study.probabilities("undersample").shape == study.y_launch.shape
    True
    """

    train: pd.DataFrame
    calibration: pd.DataFrame
    launch: pd.DataFrame
    X_train: pd.DataFrame
    X_calibration: pd.DataFrame
    X_launch: pd.DataFrame
    y_train: np.ndarray
    y_calibration: np.ndarray
    y_launch: np.ndarray
    models: dict
    betas: dict
    undersampled: dict
    scores: dict

    def probabilities(self, name, window="launch"):
        """Uncalibrated fraud probabilities of a model on a window.

        Parameters
        ----------
        name : str or float
            A model name, or a share of genuines kept (an undersampled model).
        window : {"calibration", "launch"}, default="launch"

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> from course.data import simulate_transactions
        >>> from course.lessons.calibration import fit_calibration_study
        >>> study = fit_calibration_study(simulate_transactions(300, 600, 50, seed=1), train_days=25,
        ...                               gap_days=5, test_days=20, calibration_days=8, models=("logreg",))
        >>> study.probabilities("logreg", "calibration").shape == study.y_calibration.shape
        True
        """
        if window not in _WINDOWS:
            raise ValueError(f"window must be one of {_WINDOWS}, got {window!r}.")
        if (name, window) not in self.scores:
            known = sorted(map(str, {key for key, _ in self.scores}))
            raise ValueError(f"no model {name!r} in this study; it has {known}.")
        return self.scores[(name, window)]

    @property
    def amounts_launch(self):
        """Amounts of the launch transactions (numpy array)."""
        return self.launch["amount"].to_numpy(dtype=np.float64)

    @property
    def days_launch(self):
        """Day of each launch transaction (numpy array): the blocks of the day bootstrap."""
        return self.launch["day"].to_numpy()


def _fit(estimator, X, y):
    with threadpool_limits(limits=1):  # the same model bit for bit, and fast on a busy 2-core machine
        return estimator.fit(X, y)


def _predict(model, X):
    with threadpool_limits(limits=1):
        return model.predict_proba(X)[:, 1].astype(np.float64)


def _kept_share(pipeline, y_train):
    """Share of the training genuines an undersampling pipeline kept (1.0 without a sampler)."""
    sampler = pipeline.named_steps["resample"]
    if sampler == "passthrough":
        return 1.0
    return float(next(iter(sampler.sampling_strategy_.values()))) / int((np.asarray(y_train) == 0).sum())


def fit_calibration_study(
    df=None,
    *,
    models=MODEL_NAMES,
    beta=0.05,
    extra_betas=(),
    calibration_days=14,
    train_days=None,
    gap_days=None,
    test_days=None,
    seed=0,
):
    """Train the module's models on the first period; score the calibration window and the launch weeks.

    The split is :func:`course.data.time_split` with :data:`course.models.DEFAULT_PERIODS`
    (70 training days, a gap of 14, 35 test days); the test period is cut in two by time:
    the first ``calibration_days`` days are the calibration window, the rest the launch weeks.

    Parameters
    ----------
    df : pandas.DataFrame, optional
        Transactions; defaults to the course's dataset.
    models : sequence of str, default=MODEL_NAMES
        Which of ``"logreg"``, ``"hgb"``, ``"class_weight"``, ``"undersample"`` to train.
    beta : float, default=0.05
        Share of genuines kept by ``"undersample"``.
    extra_betas : sequence of float, default=()
        More undersampled logistic regressions to train (for the explorer), by share kept.
    calibration_days : int, default=14
        Length of the calibration window; the launch weeks are what is left of the test period.
    train_days, gap_days, test_days : int, optional
        Default to :data:`course.models.DEFAULT_PERIODS`.
    seed : int, default=0
        Seed of the models and of the undersampling.

    Returns
    -------
    CalibrationStudy

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.calibration import fit_calibration_study
    >>> study = fit_calibration_study(simulate_transactions(300, 600, 50, seed=1), train_days=25,
    ...                               gap_days=5, test_days=20, calibration_days=8, models=("logreg",))
    >>> len(study.calibration) + len(study.launch) > 0, study.calibration["day"].nunique()
    (True, 8)
    """
    if df is None:
        df = load_transactions()
    names = list(models)
    unknown = [name for name in names if name not in MODEL_NAMES]
    if unknown or not names:
        raise ValueError(f"models must name some of {MODEL_NAMES}, got {list(models)!r}.")
    periods = dict(DEFAULT_PERIODS)
    for key, value in (("train_days", train_days), ("gap_days", gap_days), ("test_days", test_days)):
        if value is not None:
            periods[key] = value
    calibration_days = check_scalar(
        calibration_days, "calibration_days", int, min_val=1, max_val=periods["test_days"] - 1
    )
    train_mask, test_mask = time_split(df, **periods)
    test_days_index = df["day"].to_numpy()
    first_test_day = int(test_days_index[test_mask].min())
    calibration_mask = test_mask & (test_days_index < first_test_day + calibration_days)
    launch_mask = test_mask & ~calibration_mask

    features = build_features(df)[FEATURE_COLUMNS]
    y = df["is_fraud"].to_numpy(dtype=np.int8)
    masks = {"train": train_mask, "calibration": calibration_mask, "launch": launch_mask}
    frames = {name: df[mask].reset_index(drop=True) for name, mask in masks.items()}
    X = {name: features[mask].reset_index(drop=True) for name, mask in masks.items()}
    labels = {name: y[mask] for name, mask in masks.items()}
    for name, values in labels.items():
        if values.min() == values.max():
            raise ValueError(f"The {name} window holds one class only: use longer periods or more data.")

    fitted, betas = {}, {}
    n_frauds = int(labels["train"].sum())
    n_genuines = int(labels["train"].size - n_frauds)
    for name in names:
        if name == "logreg":
            fitted[name], betas[name] = _fit(make_fraud_model("logreg", seed=seed), X["train"], labels["train"]), 1.0
        elif name == "hgb":
            fitted[name], betas[name] = _fit(make_fraud_model("hgb", seed=seed), X["train"], labels["train"]), 1.0
        elif name == "class_weight":
            fitted[name] = _fit(make_strategy("class_weight", seed=seed), X["train"], labels["train"])
            # "balanced": weight n / (2 n_class); a genuine's weight over a fraud's = n_frauds / n_genuines
            betas[name] = n_frauds / n_genuines
    undersampled = {}
    if "undersample" in names or extra_betas:
        for share in dict.fromkeys([beta, *extra_betas]):  # keeps the order, drops repeats
            pipeline = _fit(make_strategy("undersample", beta=share, seed=seed), X["train"], labels["train"])
            undersampled[float(share)] = pipeline
    if "undersample" in names:
        fitted["undersample"] = undersampled[float(beta)]
        betas["undersample"] = _kept_share(undersampled[float(beta)], labels["train"])
    scores = {}
    for window in _WINDOWS:
        for name, model in fitted.items():
            scores[(name, window)] = _predict(model, X[window])
        for share, model in undersampled.items():
            scores[(share, window)] = (
                scores[("undersample", window)] if model is fitted.get("undersample") else _predict(model, X[window])
            )
    return CalibrationStudy(
        train=frames["train"],
        calibration=frames["calibration"],
        launch=frames["launch"],
        X_train=X["train"],
        X_calibration=X["calibration"],
        X_launch=X["launch"],
        y_train=labels["train"],
        y_calibration=labels["calibration"],
        y_launch=labels["launch"],
        models=fitted,
        betas=betas,
        undersampled=undersampled,
        scores=scores,
    )


def fit_calibrator(model, X_calibration, y_calibration, *, method="sigmoid"):
    """Calibrate a fitted model on later data: ``CalibratedClassifierCV(FrozenEstimator(model))``.

    The model is frozen (never refitted); the calibrator (Platt's sigmoid on the model's
    decision function, or an isotonic step function) learns on the calibration window only.

    Parameters
    ----------
    model : fitted classifier
    X_calibration, y_calibration
        A window after the training period (never the period you will judge on).
    method : {"sigmoid", "isotonic"}, default="sigmoid"

    Returns
    -------
    sklearn.calibration.CalibratedClassifierCV
        Fitted; ``predict_proba`` gives calibrated probabilities.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from course.lessons.calibration import fit_calibrator
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(2_000, 1)), (rng.random(2_000) < 0.1).astype(int)
    >>> model = LogisticRegression(class_weight="balanced").fit(X[:1_000], y[:1_000])
    >>> calibrated = fit_calibrator(model, X[1_000:], y[1_000:])
    >>> bool(abs(calibrated.predict_proba(X[1_000:])[:, 1].mean() - y[1_000:].mean()) < 0.01)
    True
    """
    if method not in ("sigmoid", "isotonic"):
        raise ValueError(f'method must be "sigmoid" or "isotonic", got {method!r}.')
    calibrator = CalibratedClassifierCV(FrozenEstimator(model), method=method)
    with threadpool_limits(limits=1):
        return calibrator.fit(X_calibration, y_calibration)


def calibrated_probabilities(study, name, *, methods=METHODS):
    """Launch probabilities of one model: uncalibrated, prior-corrected, sigmoid, isotonic.

    ``"prior"`` is the exact prior correction of module 01, ``p' = beta p / (beta p - p + 1)``
    with the model's ``study.betas`` (the identity for a model trained on the natural mix);
    ``"sigmoid"`` and ``"isotonic"`` are :func:`fit_calibrator` on the calibration window.

    Parameters
    ----------
    study : CalibrationStudy
    name : str or float
        A model name, or a share of genuines kept (one of ``study.undersampled``).
    methods : sequence of str, default=METHODS

    Returns
    -------
    dict of str -> numpy.ndarray
        By method, in the order asked.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.calibration import calibrated_probabilities, fit_calibration_study
    >>> study = fit_calibration_study(simulate_transactions(300, 600, 50, seed=1), train_days=25, gap_days=5,
    ...                               test_days=20, calibration_days=8, models=("undersample",), beta=0.1)
    >>> p = calibrated_probabilities(study, "undersample")
    >>> list(p), bool(p["prior"].mean() < p["none"].mean())
    (['none', 'prior', 'sigmoid', 'isotonic'], True)
    """
    if not isinstance(study, CalibrationStudy):
        raise TypeError(f"study must be a CalibrationStudy (fit_calibration_study), got {type(study).__name__}.")
    methods = list(methods)
    bad = [m for m in methods if m not in METHODS]
    if bad or not methods:
        raise ValueError(f"methods must name some of {METHODS}, got {methods!r}.")
    if isinstance(name, str):
        model, beta = study.models.get(name), study.betas.get(name)
    else:
        model = study.undersampled.get(float(name))
        beta = _kept_share(model, study.y_train) if model is not None else None
    if model is None:
        raise ValueError(
            f"no model {name!r} in this study: models {sorted(study.models)}, "
            f"undersampled at {sorted(study.undersampled)}."
        )
    raw = study.probabilities(name)
    result = {}
    for method in methods:
        if method == "none":
            result[method] = raw
        elif method == "prior":
            # clipped: the formula can exceed 1 by a rounding error (1.5e-14) at p = 1
            result[method] = np.clip(correct_undersampled_probabilities(raw, beta), 0.0, 1.0) if beta < 1 else raw
        else:
            calibrator = fit_calibrator(model, study.X_calibration, study.y_calibration, method=method)
            result[method] = _predict(calibrator, study.X_launch)
    return result


def _check_probability_dict(y_true, probabilities, name="probabilities"):
    labels = check_binary_labels(y_true)
    if not isinstance(probabilities, dict) or not probabilities:
        raise ValueError(f"{name} must be a non-empty dict: label -> fraud probabilities.")
    checked = {}
    for key, values in probabilities.items():
        values = check_probabilities(values, name=f"{name}[{key!r}]")
        check_same_length(y_true=labels, **{f"{name}[{key!r}]": values})
        checked[key] = values
    return labels, checked


def calibration_summary(y_true, probabilities, *, n_bins=10, seed=0):
    """Ranking and calibration of several models side by side, with the ECE's noise floor.

    Parameters
    ----------
    y_true : array-like of shape (n,)
    probabilities : dict of str -> array-like of shape (n,)
        Fraud probabilities by model.
    n_bins : int, default=10
        Bins of the ECE (uniform and quantile).
    seed : int, default=0
        Of the noise floor's label draws.

    Returns
    -------
    pandas.DataFrame
        One row per model: ``roc_auc``, ``average_precision``, ``fraud_rate``,
        ``mean_predicted``, ``brier``, ``log_loss``, ``ece_uniform``, ``ece_quantile`` and
        ``ece_quantile_floor`` (the 95th percentile of :func:`course.metrics.ece_noise_floor`
        with quantile bins: a calibrated model stays below it 19 times in 20).

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.calibration import calibration_summary
    >>> rng = np.random.default_rng(0)
    >>> p = rng.beta(0.5, 50, 5_000); y = (rng.random(5_000) < p).astype(int)
    >>> table = calibration_summary(y, {"calibrated": p, "inflated": np.clip(4 * p, 0, 1)})
    >>> bool(table.loc["inflated", "ece_quantile"] > table.loc["inflated", "ece_quantile_floor"])
    True
    >>> table.loc["calibrated", "roc_auc"] == table.loc["inflated", "roc_auc"]
    np.True_
    """
    labels, checked = _check_probability_dict(y_true, probabilities)
    rows = {}
    for key, p in checked.items():
        report = calibration_report(labels, p, n_bins=n_bins, strategy="uniform")
        floor = ece_noise_floor(p, n_bins=n_bins, strategy="quantile", n_resamples=200, seed=seed)
        rows[key] = {
            "roc_auc": float(roc_auc_score(labels, p)),
            "average_precision": float(average_precision_score(labels, p)),
            "fraud_rate": report["fraud_rate"],
            "mean_predicted": report["mean_predicted"],
            "brier": report["brier"],
            "log_loss": report["log_loss"],
            "ece_uniform": report["ece"],
            "ece_quantile": expected_calibration_error(labels, p, n_bins=n_bins, strategy="quantile"),
            "ece_quantile_floor": float(np.quantile(floor, 0.95)),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    return table


def ece_by_binning(y_true, y_prob, *, bins=(5, 10, 20, 50), strategies=BINNING_STRATEGIES, n_resamples=200, seed=0):
    """How the binning rule moves the ECE of one model, next to the ECE of a calibrated one.

    Parameters
    ----------
    y_true : array-like of shape (n,)
    y_prob : array-like of shape (n,)
    bins : sequence of int, default=(5, 10, 20, 50)
    strategies : sequence of {"uniform", "quantile"}, default=BINNING_STRATEGIES
    n_resamples : int, default=200
        Label draws of the noise floor.
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        Index (``strategy``, ``n_bins``); columns ``ece``, ``floor_median`` and ``floor_95``
        (median and 95th percentile of :func:`course.metrics.ece_noise_floor`),
        ``filled_bins`` and ``bins_with_a_fraud``.

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.calibration import ece_by_binning
    >>> rng = np.random.default_rng(0)
    >>> p = rng.beta(0.5, 50, 5_000); y = (rng.random(5_000) < p).astype(int)
    >>> table = ece_by_binning(y, p, bins=(5, 20), n_resamples=50)
    >>> table.index.tolist()
    [('uniform', 5), ('uniform', 20), ('quantile', 5), ('quantile', 20)]
    """
    labels = check_binary_labels(y_true, require_both=False)
    p = check_probabilities(y_prob)
    check_same_length(y_true=labels, y_prob=p)
    rows = []
    for strategy in strategies:
        for n_bins in bins:
            table = reliability_table(labels, p, n_bins=n_bins, strategy=strategy)
            floor = ece_noise_floor(p, n_bins=n_bins, strategy=strategy, n_resamples=n_resamples, seed=seed)
            rows.append(
                {
                    "strategy": strategy,
                    "n_bins": int(n_bins),
                    "ece": expected_calibration_error(labels, p, n_bins=n_bins, strategy=strategy),
                    "floor_median": float(np.median(floor)),
                    "floor_95": float(np.quantile(floor, 0.95)),
                    "filled_bins": len(table),
                    "bins_with_a_fraud": int((table["frauds"] > 0).sum()),
                }
            )
    return pd.DataFrame(rows).set_index(["strategy", "n_bins"])


def _check_money_inputs(y_true, amounts, days, cost_model):
    labels = check_binary_labels(y_true)
    money = check_amounts(amounts)
    days = np.asarray(days)
    check_same_length(y_true=labels, amounts=money, days=days)
    return labels, money, days, check_cost_model(cost_model, default=DEFAULT_COST_MODEL)


def _cost(cost_model, labels, flagged, amounts):
    """Expected cost of hard decisions (CostModel.expected_cost), fast enough for a bootstrap."""
    fraud = labels == 1
    return float(
        cost_model.expected_cost(
            alerts=int(flagged.sum()),
            false_positives=int((flagged & ~fraud).sum()),
            false_negatives=int((fraud & ~flagged).sum()),
            missed_fraud_amount=float(amounts[fraud & ~flagged].sum()),
        )
    )


def _decision_row(cost_model, labels, flagged, amounts, n_days):
    fraud = labels == 1
    return {
        "alerts_per_day": float(flagged.sum()) / n_days,
        "frauds_caught": int((flagged & fraud).sum()),
        "fraud_amount_missed": float(amounts[fraud & ~flagged].sum()),
        "expected_cost": _cost(cost_model, labels, flagged, amounts),
    }


def _row_costs(cost_model, labels, flagged, amounts):
    """Each transaction's share of the expected cost (their sum is :func:`_cost`): linear in the rows."""
    fraud = labels == 1
    missed = amounts if cost_model.uses_amounts else np.full(labels.size, float(cost_model.fraud_loss))
    return (
        cost_model.review_cost * flagged + cost_model.friction_cost * (flagged & ~fraud) + missed * (fraud & ~flagged)
    )


def _cost_difference(cost_model, labels, flags_a, flags_b, amounts, days, seed):
    """Day-bootstrap interval of cost(a) - cost(b), both on the same drawn days."""
    rows = _row_costs(cost_model, labels, flags_a, amounts) - _row_costs(cost_model, labels, flags_b, amounts)
    result = DayBootstrap(days, seed=seed).column_sums(rows)
    return BootstrapResult(
        estimate=float(result.estimate[0]),
        low=float(result.low[0]),
        high=float(result.high[0]),
        standard_error=float(result.standard_error[0]),
        confidence_level=result.confidence_level,
        n_resamples=result.n_resamples,
        n_days=result.n_days,
    )


def ranking_versus_money(y_true, before, after, *, amounts, days, cost_model=None, seed=0):
    """A monotone recalibration: the same ranking, other money decisions.

    Parameters
    ----------
    y_true : array-like of shape (n,)
    before, after : array-like of shape (n,)
        Probabilities before and after an increasing map (e.g. the prior correction).
    amounts : array-like of shape (n,)
    days : array-like of shape (n,)
        Day of each transaction (blocks of the bootstrap; alerts per day).
    cost_model : CostModel, default=DEFAULT_COST_MODEL
    seed : int, default=0

    Returns
    -------
    table : pandas.DataFrame
        Rows ``before`` and ``after``: ``roc_auc``, ``average_precision``,
        ``mean_predicted``, ``alerts_per_day``, ``frauds_caught``, ``fraud_amount_missed``
        and ``expected_cost`` of the expected-loss rule.
    decisions_changed : int
        Transactions flagged by one and not by the other.
    cost_difference : course.metrics.BootstrapResult
        Expected cost after minus before, with its day-bootstrap interval.

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.calibration import ranking_versus_money
    >>> rng = np.random.default_rng(0)
    >>> days = np.repeat(np.arange(10), 300); p = rng.beta(0.5, 40, 3_000)
    >>> y = (rng.random(3_000) < p).astype(int); amounts = rng.gamma(2, 50, 3_000)
    >>> table, changed, gap = ranking_versus_money(y, np.sqrt(p), p, amounts=amounts, days=days)
    >>> table.loc["before", "roc_auc"] == table.loc["after", "roc_auc"], changed > 0
    (np.True_, True)
    """
    labels, money, days, cost_model = _check_money_inputs(y_true, amounts, days, cost_model)
    _, checked = _check_probability_dict(labels, {"before": before, "after": after})
    n_days = len(np.unique(days))
    rows, flags = {}, {}
    for key, p in checked.items():
        flags[key] = expected_loss_decisions(p, amounts=money, cost_model=cost_model)
        rows[key] = {
            "roc_auc": float(roc_auc_score(labels, p)),
            "average_precision": float(average_precision_score(labels, p)),
            "mean_predicted": float(p.mean()),
            **_decision_row(cost_model, labels, flags[key], money, n_days),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    changed = int((flags["before"] != flags["after"]).sum())
    return table, changed, _cost_difference(cost_model, labels, flags["after"], flags["before"], money, days, seed)


def compare_calibrations(
    y_true, probabilities, *, amounts, days, reference, cost_model=None, n_bins=10, strategy="quantile", seed=0
):
    """Several calibrations of one model on the launch weeks, each against a reference.

    Parameters
    ----------
    y_true : array-like of shape (n,)
    probabilities : dict of str -> array-like of shape (n,)
        Fraud probabilities by method (e.g. from :func:`calibrated_probabilities`).
    amounts, days : array-like of shape (n,)
    reference : str
        The key of ``probabilities`` every other is compared with.
    cost_model : CostModel, default=DEFAULT_COST_MODEL
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="quantile"
        Binning of the ECE.
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        One row per method: ``brier``, ``log_loss``, ``ece``, ``mean_predicted``,
        ``alerts_per_day``, ``expected_cost``; then the differences with the reference on
        the same drawn days, ``brier_diff`` (with ``brier_diff_low`` and ``brier_diff_high``)
        and ``cost_diff`` (with ``cost_diff_low`` and ``cost_diff_high``): an interval that
        contains 0 means the difference is inside the noise.

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.calibration import compare_calibrations
    >>> rng = np.random.default_rng(0)
    >>> days = np.repeat(np.arange(10), 300); p = rng.beta(0.5, 40, 3_000)
    >>> y = (rng.random(3_000) < p).astype(int); amounts = rng.gamma(2, 50, 3_000)
    >>> table = compare_calibrations(y, {"true": p, "doubled": np.clip(2 * p, 0, 1)}, amounts=amounts,
    ...                              days=days, reference="true")
    >>> float(table.loc["true", "brier_diff"]), bool(table.loc["doubled", "brier_diff"] > 0)
    (0.0, True)
    """
    labels, money, days, cost_model = _check_money_inputs(y_true, amounts, days, cost_model)
    _, checked = _check_probability_dict(labels, probabilities)
    if reference not in checked:
        raise ValueError(f"reference must be one of {list(checked)}, got {reference!r}.")
    n_days = len(np.unique(days))
    keys = list(checked)
    flags = {key: expected_loss_decisions(p, amounts=money, cost_model=cost_model) for key, p in checked.items()}
    ref = keys.index(reference)
    # Brier and cost are sums over transactions: their differences with the reference, on
    # the same drawn days (the draws of DayBootstrap(days, seed=seed))
    squared = np.column_stack([(checked[key] - labels) ** 2 for key in keys])
    costs = np.column_stack([_row_costs(cost_model, labels, flags[key], money) for key in keys])
    boot = DayBootstrap(days, seed=seed)
    brier_gap = boot.column_sums(squared - squared[:, [ref]], mean=True)
    cost_gap = boot.column_sums(costs - costs[:, [ref]])
    rows = {}
    for i, key in enumerate(keys):
        report = calibration_report(labels, checked[key], n_bins=n_bins, strategy=strategy)
        decisions = _decision_row(cost_model, labels, flags[key], money, n_days)
        rows[key] = {
            "brier": report["brier"],
            "log_loss": report["log_loss"],
            "ece": report["ece"],
            "mean_predicted": report["mean_predicted"],
            "alerts_per_day": decisions["alerts_per_day"],
            "expected_cost": decisions["expected_cost"],
            "brier_diff": brier_gap.estimate[i],
            "brier_diff_low": brier_gap.low[i],
            "brier_diff_high": brier_gap.high[i],
            "cost_diff": cost_gap.estimate[i],
            "cost_diff_low": cost_gap.low[i],
            "cost_diff_high": cost_gap.high[i],
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "method"
    return table


def isotonic_overfitting(study, name, *, calibration_days=(4, 8, 14), n_bins=10):
    """Sigmoid and isotonic calibrators fitted on shorter or longer calibration windows.

    The window starts where the calibration window starts and lasts ``calibration_days``;
    every calibrator is judged on the same launch weeks. Isotonic regression fits a step
    function with as many steps as the data allow: on its own window it is perfectly
    calibrated by construction (ECE 0 on its steps), and with few frauds it learns their
    noise, down to probability 0 for whole stretches of scores.

    Parameters
    ----------
    study : CalibrationStudy
    name : str or float
        A model name or an undersampling share of the study.
    calibration_days : sequence of int, default=(4, 8, 14)
        Each at most the study's calibration window.
    n_bins : int, default=10
        Quantile bins of the ECE.

    Returns
    -------
    pandas.DataFrame
        Index (``days``, ``method``); columns ``frauds`` (in the window), ``brier_window``,
        ``brier_launch``, ``log_loss_launch``, ``ece_window``, ``ece_launch``,
        ``distinct_probabilities`` (on the launch weeks), ``launch_at_zero`` (launch
        transactions given probability 0) and ``launch_frauds_at_zero``.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.calibration import fit_calibration_study, isotonic_overfitting
    >>> study = fit_calibration_study(simulate_transactions(300, 600, 50, seed=1), train_days=25, gap_days=5,
    ...                               test_days=20, calibration_days=8, models=("logreg",))
    >>> table = isotonic_overfitting(study, "logreg", calibration_days=(8,))
    >>> float(table.loc[(8, "isotonic"), "ece_window"]) < 1e-12
    True
    """
    if not isinstance(study, CalibrationStudy):
        raise TypeError(f"study must be a CalibrationStudy (fit_calibration_study), got {type(study).__name__}.")
    model = study.models.get(name) if isinstance(name, str) else study.undersampled.get(float(name))
    if model is None:
        raise ValueError(f"no model {name!r} in this study.")
    window_days = study.calibration["day"].to_numpy()
    available = len(np.unique(window_days))
    rows = []
    for length in calibration_days:
        length = check_scalar(length, "calibration_days", int, min_val=1, max_val=available)
        inside = window_days < window_days.min() + length
        X_window, y_window = study.X_calibration[inside], study.y_calibration[inside]
        for method in ("sigmoid", "isotonic"):
            calibrator = fit_calibrator(model, X_window, y_window, method=method)
            p_window, p_launch = _predict(calibrator, X_window), _predict(calibrator, study.X_launch)
            window_report = calibration_report(y_window, p_window, n_bins=n_bins, strategy="quantile")
            launch_report = calibration_report(study.y_launch, p_launch, n_bins=n_bins, strategy="quantile")
            at_zero = p_launch == 0
            rows.append(
                {
                    "days": length,
                    "method": method,
                    "frauds": int(y_window.sum()),
                    "brier_window": window_report["brier"],
                    "brier_launch": launch_report["brier"],
                    "log_loss_launch": launch_report["log_loss"],
                    "ece_window": window_report["ece"],
                    "ece_launch": launch_report["ece"],
                    "distinct_probabilities": int(np.unique(p_launch).size),
                    "launch_at_zero": int(at_zero.sum()),
                    "launch_frauds_at_zero": int((at_zero & (study.y_launch == 1)).sum()),
                }
            )
    return pd.DataFrame(rows).set_index(["days", "method"])


def money_of_calibration(y_true, uncalibrated, calibrated, *, amounts, days, cost_model=None, seed=0):
    """The expected-loss rule with raw against calibrated probabilities, per model, in money.

    Parameters
    ----------
    y_true : array-like of shape (n,)
    uncalibrated, calibrated : dict of str -> array-like of shape (n,)
        Probabilities by model, with the same keys.
    amounts, days : array-like of shape (n,)
    cost_model : CostModel, default=DEFAULT_COST_MODEL
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        One row per model: ``alerts_per_day_raw``, ``alerts_per_day_calibrated``,
        ``cost_raw``, ``cost_calibrated``, ``saving`` (raw minus calibrated) with
        ``saving_low`` and ``saving_high`` (day bootstrap), and ``inside_noise`` (the
        interval contains 0).

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.calibration import money_of_calibration
    >>> rng = np.random.default_rng(0)
    >>> days = np.repeat(np.arange(10), 300); p = rng.beta(0.5, 40, 3_000)
    >>> y = (rng.random(3_000) < p).astype(int); amounts = rng.gamma(2, 50, 3_000)
    >>> table = money_of_calibration(y, {"m": np.clip(20 * p, 0, 1)}, {"m": p}, amounts=amounts, days=days)
    >>> bool(table.loc["m", "saving"] > 0), bool(table.loc["m", "inside_noise"])
    (True, False)
    """
    labels, money, days, cost_model = _check_money_inputs(y_true, amounts, days, cost_model)
    _, raw = _check_probability_dict(labels, uncalibrated, "uncalibrated")
    _, fixed = _check_probability_dict(labels, calibrated, "calibrated")
    if set(raw) != set(fixed):
        raise ValueError(f"uncalibrated and calibrated must have the same models, got {list(raw)} and {list(fixed)}.")
    n_days = len(np.unique(days))
    keys = list(raw)
    flags_raw = [expected_loss_decisions(raw[key], amounts=money, cost_model=cost_model) for key in keys]
    flags_fixed = [expected_loss_decisions(fixed[key], amounts=money, cost_model=cost_model) for key in keys]

    saving = DayBootstrap(days, seed=seed).column_sums(
        np.column_stack(
            [
                _row_costs(cost_model, labels, a, money) - _row_costs(cost_model, labels, b, money)
                for a, b in zip(flags_raw, flags_fixed)
            ]
        ),
    )
    rows = {}
    for i, key in enumerate(keys):
        rows[key] = {
            "alerts_per_day_raw": flags_raw[i].sum() / n_days,
            "alerts_per_day_calibrated": flags_fixed[i].sum() / n_days,
            "cost_raw": _cost(cost_model, labels, flags_raw[i], money),
            "cost_calibrated": _cost(cost_model, labels, flags_fixed[i], money),
            "saving": float(saving.estimate[i]),
            "saving_low": float(saving.low[i]),
            "saving_high": float(saving.high[i]),
            "inside_noise": bool(saving.low[i] <= 0 <= saving.high[i]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    return table


def daily_forecast(y_true, y_prob, *, amounts, days, cost_model=None, confidence_level=0.95):
    """What the probabilities forecast for each day, next to what happened.

    For each day: the alerts the expected-loss rule sends (known at once), the frauds the
    probabilities expect among those alerts (``sum(p)`` over the flagged transactions: the
    analysts' confirmed frauds) and among all transactions (:func:`course.metrics.fraud_forecast`),
    and the observed counts once the labels are in.

    Parameters
    ----------
    y_true : array-like of shape (n,)
    y_prob : array-like of shape (n,)
    amounts, days : array-like of shape (n,)
    cost_model : CostModel, default=DEFAULT_COST_MODEL
    confidence_level : float, default=0.95
        Of each day's interval on the number of frauds.

    Returns
    -------
    pandas.DataFrame
        Index ``day``; columns ``alerts``, ``expected_frauds_in_alerts``,
        ``frauds_in_alerts``, ``expected_frauds``, ``frauds_low``, ``frauds_high``,
        ``frauds`` and ``inside`` (the observed count lies in the interval).

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.calibration import daily_forecast
    >>> rng = np.random.default_rng(0)
    >>> days = np.repeat(np.arange(5), 2_000); p = rng.beta(0.5, 40, 10_000)
    >>> y = (rng.random(10_000) < p).astype(int); amounts = rng.gamma(2, 50, 10_000)
    >>> table = daily_forecast(y, p, amounts=amounts, days=days)
    >>> table.columns.tolist()[:3], len(table)
    (['alerts', 'expected_frauds_in_alerts', 'frauds_in_alerts'], 5)
    """
    labels, money, days, cost_model = _check_money_inputs(y_true, amounts, days, cost_model)
    p = check_probabilities(y_prob)
    check_same_length(y_true=labels, y_prob=p)
    flags = expected_loss_decisions(p, amounts=money, cost_model=cost_model)
    rows = {}
    for day in np.unique(days):
        on = days == day
        forecast = fraud_forecast(p[on], confidence_level=confidence_level)
        frauds = int(labels[on].sum())
        rows[day] = {
            "alerts": int(flags[on].sum()),
            "expected_frauds_in_alerts": float(p[on & flags].sum()),
            "frauds_in_alerts": int(labels[on & flags].sum()),
            "expected_frauds": forecast["expected"],
            "frauds_low": forecast["low"],
            "frauds_high": forecast["high"],
            "frauds": frauds,
            "inside": bool(forecast["low"] <= frauds <= forecast["high"]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "day"
    return table


def threshold_versus_calibration(study, name, *, calibrated, cost_model=None, seed=0):
    """One threshold tuned in money against the per-transaction rule with calibrated probabilities.

    The threshold is the least-cost threshold of the model's **raw** scores on the
    calibration window (:func:`course.metrics.least_cost_threshold`, each amount counted);
    the rule is :func:`course.metrics.expected_loss_decisions`. All three are judged on the
    launch weeks.

    Parameters
    ----------
    study : CalibrationStudy
    name : str
        The model.
    calibrated : array-like
        The model's calibrated launch probabilities.
    cost_model : CostModel, default=DEFAULT_COST_MODEL
    seed : int, default=0

    Returns
    -------
    table : pandas.DataFrame
        Rows ``tuned threshold, raw scores``, ``expected-loss rule, raw probabilities`` and
        ``expected-loss rule, calibrated``: ``alerts_per_day``, ``frauds_caught``,
        ``fraud_amount_missed``, ``expected_cost``.
    threshold : float
        The tuned threshold.
    cost_difference : course.metrics.BootstrapResult
        Cost of the calibrated rule minus that of the tuned threshold (day bootstrap).

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.calibration import (calibrated_probabilities, fit_calibration_study,
    ...                                         threshold_versus_calibration)
    >>> study = fit_calibration_study(simulate_transactions(300, 600, 50, seed=1), train_days=25, gap_days=5,
    ...                               test_days=20, calibration_days=8, models=("logreg",))
    >>> calibrated = calibrated_probabilities(study, "logreg", methods=["sigmoid"])["sigmoid"]
    >>> table, threshold, gap = threshold_versus_calibration(study, "logreg", calibrated=calibrated)
    >>> len(table), 0 < threshold <= 1
    (3, True)
    """
    if not isinstance(study, CalibrationStudy):
        raise TypeError(f"study must be a CalibrationStudy (fit_calibration_study), got {type(study).__name__}.")
    cost_model = check_cost_model(cost_model, default=DEFAULT_COST_MODEL)
    labels, money, days = study.y_launch, study.amounts_launch, study.days_launch
    calibrated = check_probabilities(calibrated, name="calibrated")
    check_same_length(y_launch=labels, calibrated=calibrated)
    tuning = ThresholdSweep(
        study.y_calibration, study.probabilities(name, "calibration"), amounts=study.calibration["amount"].to_numpy()
    )
    threshold = least_cost_threshold(tuning, cost_model)
    raw = study.probabilities(name)
    flags = {
        "tuned threshold, raw scores": raw >= threshold,
        "expected-loss rule, raw probabilities": expected_loss_decisions(raw, amounts=money, cost_model=cost_model),
        "expected-loss rule, calibrated": expected_loss_decisions(calibrated, amounts=money, cost_model=cost_model),
    }
    n_days = len(np.unique(days))
    table = pd.DataFrame.from_dict(
        {key: _decision_row(cost_model, labels, flagged, money, n_days) for key, flagged in flags.items()},
        orient="index",
    )
    gap = _cost_difference(
        cost_model,
        labels,
        flags["expected-loss rule, calibrated"],
        flags["tuned threshold, raw scores"],
        money,
        days,
        seed,
    )
    return table, float(threshold), gap


def _shift_to_fraud_rate(p, old_rate, new_rate):
    """Bayes' rule for a new base rate: the odds of fraud are multiplied by odds(new) / odds(old)."""
    factor = (new_rate / (1 - new_rate)) / (old_rate / (1 - old_rate))
    return p * factor / (p * factor + 1 - p)


def fraud_rate_drift(
    study, *, name="logreg", method="none", multipliers=(1.0, 2.0, 3.0), world=None, n_bins=10, seed=0
):
    """The same probabilities when the fraud rate of the launch weeks moves, and the prior-shift correction.

    Two kinds of change, each at the ``multipliers`` of the fraud rate:

    - ``"fraud wave"``: :func:`course.data.simulate_transactions` with the study's seed and a
      :class:`course.data.Drift` whose ``fraud_rate_multiplier`` applies from the first
      launch day. The training and calibration windows are byte-identical to the study's,
      so the same fitted model meets the change only on the launch weeks. More compromised
      terminals and leaked cards also change the features (recent frauds on a terminal or card).
    - ``"mix only"``: the study's own launch weeks, subsampled within each class
      (:class:`course.metrics.PrevalenceSampler`) to ``multiplier`` times their fraud rate:
      frauds and genuine payments look exactly as before, only their mix changes.

    The reference is the launch weeks without any change (multiplier 1): the
    prior-shift correction multiplies the odds of every probability by
    ``odds(new rate) / odds(reference rate)``, the new rate being the one observed (known
    only once the labels are in: module 05). It is exact in expectation for a change of mix
    when the probabilities were calibrated at the reference rate.

    Parameters
    ----------
    study : CalibrationStudy
        Built on the course's dataset (or on ``world``).
    name : str, default="logreg"
    method : {"none", "sigmoid", "isotonic"}, default="none"
        The probabilities: the model's own, or calibrated on the study's calibration window.
    multipliers : sequence of float, default=(1.0, 2.0, 3.0)
    world : dict, optional
        Arguments of ``simulate_transactions`` that built the study's data; default: the
        course's dataset (``seed=CANONICAL_SEED``, default sizes).
    n_bins : int, default=10
        Quantile bins of the ECE.
    seed : int, default=0
        Of the subsamples and of the noise floor.

    Returns
    -------
    pandas.DataFrame
        Index (``change``, ``multiplier``); columns ``fraud_rate``, ``frauds``,
        ``mean_predicted``, ``roc_auc``, ``ece`` (of the stale probabilities), then after the
        prior-shift correction ``mean_corrected``, ``ece_corrected`` and ``ece_floor`` (95th
        percentile of the ECE a calibrated model would show there,
        :func:`course.metrics.ece_noise_floor`).

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.calibration import fit_calibration_study, fraud_rate_drift
    >>> world = dict(n_customers=300, n_terminals=600, n_days=50, seed=1)
    >>> study = fit_calibration_study(simulate_transactions(**world), train_days=25, gap_days=5,
    ...                               test_days=20, calibration_days=8, models=("logreg",))
    >>> table = fraud_rate_drift(study, multipliers=(1.0, 3.0), world=world)
    >>> bool(table.loc[("fraud wave", 3.0), "fraud_rate"] > table.loc[("fraud wave", 1.0), "fraud_rate"])
    True
    """
    if not isinstance(study, CalibrationStudy):
        raise TypeError(f"study must be a CalibrationStudy (fit_calibration_study), got {type(study).__name__}.")
    if method not in ("none", "sigmoid", "isotonic"):
        raise ValueError(f'method must be "none", "sigmoid" or "isotonic", got {method!r}.')
    model = study.models.get(name)
    if model is None:
        raise ValueError(f"no model {name!r} in this study: {sorted(study.models)}.")
    multipliers = [check_scalar(m, "multiplier", float, min_val=0.0, include_boundaries="neither") for m in multipliers]
    scorer = (
        model if method == "none" else fit_calibrator(model, study.X_calibration, study.y_calibration, method=method)
    )
    reference_rate = float(study.y_launch.mean())
    world = dict(world) if world is not None else {"seed": CANONICAL_SEED}
    start, end = int(study.launch["day"].min()), int(study.launch["day"].max())

    def row(labels, p):
        corrected = _shift_to_fraud_rate(p, reference_rate, float(labels.mean()))
        floor = ece_noise_floor(corrected, n_bins=n_bins, strategy="quantile", n_resamples=200, seed=seed)
        return {
            "fraud_rate": float(labels.mean()),
            "frauds": int(labels.sum()),
            "mean_predicted": float(p.mean()),
            "roc_auc": float(roc_auc_score(labels, p)),
            "ece": expected_calibration_error(labels, p, n_bins=n_bins, strategy="quantile"),
            "mean_corrected": float(corrected.mean()),
            "ece_corrected": expected_calibration_error(labels, corrected, n_bins=n_bins, strategy="quantile"),
            "ece_floor": float(np.quantile(floor, 0.95)),
        }

    p_launch, sampler = _predict(scorer, study.X_launch), PrevalenceSampler(study.y_launch, seed=seed)
    rows = {}
    for multiplier in multipliers:
        if multiplier == 1.0:  # no change: the world is the study's own (same seed, byte-identical days)
            rows[("fraud wave", multiplier)] = row(study.y_launch, p_launch)
            continue
        drifted = simulate_transactions(**world, drift=Drift(start_day=start, fraud_rate_multiplier=multiplier))
        launch = ((drifted["day"] >= start) & (drifted["day"] <= end)).to_numpy()
        X = build_features(drifted)[FEATURE_COLUMNS][launch]
        rows[("fraud wave", multiplier)] = row(
            drifted.loc[launch, "is_fraud"].to_numpy(dtype=np.int8), _predict(scorer, X)
        )
    for multiplier in multipliers:
        kept = sampler.mask(min(reference_rate * multiplier, 0.5))
        rows[("mix only", multiplier)] = row(study.y_launch[kept], p_launch[kept])
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["change", "multiplier"])
    return table


def explorer_probabilities(study, *, methods=METHODS, known=None):
    """Every choice the calibration explorer offers, computed once: launch probabilities by key.

    Parameters
    ----------
    study : CalibrationStudy
    methods : sequence of str, default=METHODS
    known : dict of str -> dict of str -> array-like, optional
        Probabilities already computed by :func:`calibrated_probabilities` for some models
        (``{name: {method: probabilities}}``): used as they are, not fitted again.

    Returns
    -------
    dict of (str, float, str) -> numpy.ndarray
        Keys ``(model, beta, method)``: ``beta`` is the share of genuines kept for
        ``"undersample"`` (one key per ``study.undersampled``) and 1.0 for the other models.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.calibration import explorer_probabilities, fit_calibration_study
    >>> study = fit_calibration_study(simulate_transactions(300, 600, 50, seed=1), train_days=25, gap_days=5,
    ...                               test_days=20, calibration_days=8, models=("logreg", "undersample"),
    ...                               beta=0.2, extra_betas=(0.05,))
    >>> sorted({key[:2] for key in explorer_probabilities(study)})
    [('logreg', 1.0), ('undersample', 0.05), ('undersample', 0.2)]
    """
    if not isinstance(study, CalibrationStudy):
        raise TypeError(f"study must be a CalibrationStudy (fit_calibration_study), got {type(study).__name__}.")
    methods = list(methods)
    known = dict(known or {})
    main_share = next(
        (share for share, model in study.undersampled.items() if model is study.models.get("undersample")), None
    )

    def probabilities_of(model_key, known_name):
        given = known.get(known_name, {}) if known_name is not None else {}
        missing = [m for m in methods if m not in given]
        computed = calibrated_probabilities(study, model_key, methods=missing) if missing else {}
        return {
            m: check_probabilities(given[m], name=f"known[{known_name!r}][{m!r}]") if m in given else computed[m]
            for m in methods
        }

    result = {}
    for name in study.models:
        if name != "undersample":
            for method, p in probabilities_of(name, name).items():
                result[(name, 1.0, method)] = p
    for share in sorted(study.undersampled, reverse=True):
        for method, p in probabilities_of(share, "undersample" if share == main_share else None).items():
            result[("undersample", share, method)] = p
    return result


def _unbinned_numbers(labels, p, money, n_days, cost_model):
    """The numbers of one set of probabilities that do not depend on the bins."""
    flags = expected_loss_decisions(p, amounts=money, cost_model=cost_model)
    return {
        "brier": float(brier_score_loss(labels, p, pos_label=1)),
        "log_loss": float(log_loss(labels, p, labels=[0, 1])),
        "mean_predicted": float(p.mean()),
        "alerts_per_day": float(flags.sum()) / n_days,
        "cost": _cost(cost_model, labels, flags, money),
    }


def _binned_numbers(ranked, n_bins, strategy):
    """The ECE, the bins off their interval, and the reliability table of one binning.

    ``ranked`` is the :class:`course.metrics.calibration._SortedProbabilities` of the
    probabilities (sorted once for every binning); the table is
    :func:`course.metrics.reliability_table`'s, with its 95% Wilson intervals.
    """
    table = _table_from_sums(*ranked.sums(n_bins, strategy), ranked.p.size, 0.95, "wilson")
    ece = float((table["weight"] * table["gap"].abs()).sum())
    return {"ece": ece, "bins_off": int((~table["inside"]).sum())}, table


_VIEW_ORDER = ("ece", "brier", "log_loss", "mean_predicted", "bins_off", "alerts_per_day", "cost")


def _view(chosen, uncalibrated, fraud_rate, cost_flag_nothing):
    numbers = {}
    for name in _VIEW_ORDER:
        numbers[name] = chosen[name]
        numbers[name + "_uncalibrated"] = uncalibrated[name]
    numbers.update(
        fraud_rate=fraud_rate, cost_flag_nothing=cost_flag_nothing, cost_saved=uncalibrated["cost"] - chosen["cost"]
    )
    return numbers


def _check_view_inputs(y_true, amounts, n_days, cost_model, n_bins, strategy):
    labels = check_binary_labels(y_true)
    money = check_amounts(amounts)
    check_same_length(y_true=labels, amounts=money)
    n_days = check_scalar(n_days, "n_days", int, min_val=1)
    cost_model = check_cost_model(cost_model, default=DEFAULT_COST_MODEL)
    return labels, money, n_days, cost_model


def calibration_view(
    y_true, y_prob, y_prob_uncalibrated, *, amounts, n_days, cost_model=None, n_bins=10, strategy="quantile"
):
    """The numbers the calibration explorer shows for one choice, next to the uncalibrated model.

    Parameters
    ----------
    y_true : array-like of shape (n,)
    y_prob, y_prob_uncalibrated : array-like of shape (n,)
        The chosen probabilities and those of the same model uncalibrated.
    amounts : array-like of shape (n,)
    n_days : int
        Days covered (for alerts per day).
    cost_model : CostModel, default=DEFAULT_COST_MODEL
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="quantile"

    Returns
    -------
    dict
        For the chosen probabilities and, with the suffix ``_uncalibrated``, the raw ones:
        ``ece``, ``brier``, ``log_loss``, ``mean_predicted``, ``bins_off`` (bins whose
        mean probability lies outside the 95% Wilson interval of their fraud rate),
        ``alerts_per_day`` and ``cost`` (the expected-loss rule); plus ``fraud_rate``,
        ``cost_flag_nothing`` and ``cost_saved`` (uncalibrated cost minus chosen cost).

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.calibration import calibration_view
    >>> rng = np.random.default_rng(0)
    >>> p = rng.beta(0.5, 40, 3_000); y = (rng.random(3_000) < p).astype(int)
    >>> view = calibration_view(y, p, np.clip(10 * p, 0, 1), amounts=rng.gamma(2, 50, 3_000), n_days=10)
    >>> bool(view["ece"] < view["ece_uncalibrated"]), bool(view["cost_saved"] > 0)
    (True, True)
    """
    labels, money, n_days, cost_model = _check_view_inputs(y_true, amounts, n_days, cost_model, n_bins, strategy)
    parts = []
    for name, values in (("y_prob", y_prob), ("y_prob_uncalibrated", y_prob_uncalibrated)):
        p = check_probabilities(values, name=name)
        check_same_length(y_true=labels, **{name: p})
        binned, _ = _binned_numbers(_SortedProbabilities(labels, p), n_bins, strategy)
        parts.append({**_unbinned_numbers(labels, p, money, n_days, cost_model), **binned})
    nothing = _cost(cost_model, labels, np.zeros(labels.size, dtype=bool), money)
    return _view(parts[0], parts[1], float(labels.mean()), nothing)


def calibration_views(
    y_true, probabilities, *, amounts, n_days, cost_model=None, bins=(5, 10, 20, 40), strategies=BINNING_STRATEGIES
):
    """Every view of the calibration explorer, computed once (what a control change looks up).

    Parameters
    ----------
    y_true : array-like of shape (n,)
    probabilities : dict of (str, float, str) -> array-like of shape (n,)
        From :func:`explorer_probabilities`: keys ``(model, beta, method)``; every
        ``(model, beta)`` needs its ``"none"`` entry (the uncalibrated reference).
    amounts : array-like of shape (n,)
    n_days : int
    cost_model : CostModel, default=DEFAULT_COST_MODEL
    bins : sequence of int, default=(5, 10, 20, 40)
    strategies : sequence of {"uniform", "quantile"}, default=BINNING_STRATEGIES

    Returns
    -------
    dict of (str, float, str, int, str) -> dict
        Keys ``(model, beta, method, n_bins, strategy)``; values hold ``numbers`` (equal to
        :func:`calibration_view` for that choice), ``table`` and ``table_uncalibrated`` (the
        reliability tables, :func:`course.metrics.reliability_table`).

    Examples
    --------
    >>> import numpy as np
    >>> from course.lessons.calibration import calibration_view, calibration_views
    >>> rng = np.random.default_rng(0)
    >>> p = rng.beta(0.5, 40, 3_000); y = (rng.random(3_000) < p).astype(int); a = rng.gamma(2, 50, 3_000)
    >>> views = calibration_views(y, {("m", 1.0, "none"): 3 * p / (1 + 2 * p), ("m", 1.0, "sigmoid"): p},
    ...                           amounts=a, n_days=10, bins=(10,), strategies=("quantile",))
    >>> views[("m", 1.0, "sigmoid", 10, "quantile")]["numbers"] == calibration_view(
    ...     y, p, 3 * p / (1 + 2 * p), amounts=a, n_days=10, n_bins=10, strategy="quantile")
    True
    """
    labels, money, n_days, cost_model = _check_view_inputs(y_true, amounts, n_days, cost_model, 1, "uniform")
    if not isinstance(probabilities, dict) or not probabilities:
        raise ValueError("probabilities must be a non-empty dict: (model, beta, method) -> fraud probabilities.")
    checked = {}
    for key, values in probabilities.items():
        if not (isinstance(key, tuple) and len(key) == 3):
            raise ValueError(f"probabilities keys must be (model, beta, method) tuples, got {key!r}.")
        checked[key] = check_probabilities(values, name=f"probabilities[{key!r}]")
        check_same_length(y_true=labels, **{f"probabilities[{key!r}]": checked[key]})
    missing = sorted({key[:2] for key in checked if key[:2] + ("none",) not in checked})
    if missing:
        raise ValueError(f"every model needs its uncalibrated probabilities (method 'none'); missing for {missing}.")
    bins = [check_scalar(n, "n_bins", int, min_val=1) for n in bins]
    bad = [s for s in strategies if s not in BINNING_STRATEGIES]
    if bad or not bins or not strategies:
        raise ValueError(f"give some bins and strategies among {BINNING_STRATEGIES}, got {bins!r}, {strategies!r}.")
    nothing = _cost(cost_model, labels, np.zeros(labels.size, dtype=bool), money)
    fraud_rate = float(labels.mean())
    unbinned = {key: _unbinned_numbers(labels, p, money, n_days, cost_model) for key, p in checked.items()}
    ranked = {key: _SortedProbabilities(labels, p) for key, p in checked.items()}
    views = {}
    for strategy in strategies:
        for n_bins in bins:
            binned = {key: _binned_numbers(ranked[key], n_bins, strategy) for key in checked}
            for key in checked:
                reference = key[:2] + ("none",)
                chosen = {**unbinned[key], **binned[key][0]}
                uncalibrated = {**unbinned[reference], **binned[reference][0]}
                views[key + (n_bins, strategy)] = {
                    "numbers": _view(chosen, uncalibrated, fraud_rate, nothing),
                    "table": binned[key][1],
                    "table_uncalibrated": binned[reference][1],
                }
    return views

"""Module 04: data leakage, each kind measured as the gap between validation and launch.

A leak is information in the training or validation data that the model will not have when
it scores a payment. Its measure here is **optimism**: the score a protocol reports in
validation minus the score its model gets on the launch weeks that follow (a
time-respecting holdout nobody tuned on), each with a day-level interval
(:func:`course.metrics.optimism`).

- **Availability**: :data:`COLUMN_AVAILABILITY` declares when each column becomes known
  relative to the payment; :func:`availability_audit` reads it and
  :func:`keep_known_at_scoring` keeps only what is known at scoring time, naming every
  rejected column and why.
- **The study**: :class:`LeakageStudy` holds the periods (train, gap, validation, then
  launch) and evaluates a protocol (:meth:`LeakageStudy.evaluate`) into a
  :class:`ProtocolResult`; :func:`protocol_table` puts results side by side and
  :func:`compare_protocols` compares two on the same rows (paired by day);
  :func:`single_feature_roc_auc` screens columns that separate the classes too well;
  :func:`fraud_mix` shows how the kinds of fraud differ between two windows.
- **Leaky inputs, built on purpose**: :func:`post_outcome_inputs` (the trap columns, as in
  a later extract or as they stand at payment time), :func:`eventual_label_terminal_risk`
  (terminal risk computed as if every fraud were known the second after it happened),
  :func:`fraud_rate_by_id` (a target encoding fitted on whatever rows you give it).
- **The honest alternative for IDs**: :func:`target_encoded_model`, scikit-learn's
  ``TargetEncoder`` (cross fitting) inside a ``Pipeline`` in front of the course's model.
- **The explorer's numbers**: :data:`LEAKS` (each leak and its fix), :func:`leak_numbers`
  and :func:`leak_table` (every leak and version at once).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import TargetEncoder
from threadpoolctl import threadpool_limits

from course._validation import check_binary_labels, check_same_length, check_scalar, check_scores, check_transactions
from course.data import FEATURE_COLUMNS, SCENARIOS, build_features, time_split
from course.metrics import RANKING_METRICS, optimism
from course.models import make_fraud_model

__all__ = [
    "AT_PAYMENT",
    "AFTER_OUTCOME",
    "NEVER",
    "COLUMN_AVAILABILITY",
    "LeakageError",
    "LeakageWarning",
    "availability_audit",
    "keep_known_at_scoring",
    "post_outcome_inputs",
    "eventual_label_terminal_risk",
    "fraud_rate_by_id",
    "target_encoded_model",
    "ProtocolResult",
    "LeakageStudy",
    "protocol_table",
    "compare_protocols",
    "single_feature_roc_auc",
    "fraud_mix",
    "Leak",
    "LEAKS",
    "leak_numbers",
    "leak_table",
]

AT_PAYMENT = "at payment"
AFTER_OUTCOME = "after the outcome"
NEVER = "never"
_KNOWN = (AT_PAYMENT, AFTER_OUTCOME, NEVER)

_RAW_COLUMNS = {
    "transaction_id": (AT_PAYMENT, "assigned when the authorization request arrives"),
    "timestamp": (AT_PAYMENT, "the moment of the payment"),
    "day": (AT_PAYMENT, "the payment's date"),
    "customer_id": (AT_PAYMENT, "the card presented"),
    "terminal_id": (AT_PAYMENT, "the terminal that sends the request"),
    "amount": (AT_PAYMENT, "in the authorization request"),
    "is_fraud": (NEVER, "the label itself: what the model is asked to predict"),
    "fraud_scenario": (NEVER, "the simulator's record of how a fraud was made; no bank holds it"),
    "label_available_at": (AFTER_OUTCOME, "the time of the fraud report, or 30 days later for a genuine payment"),
    "chargeback_amount": (
        AFTER_OUTCOME,
        "filled when the cardholder reports the fraud, days to weeks later (median 7 days)",
    ),
    "case_status": (AFTER_OUTCOME, "set when a fraud report or a dispute opens a case, after the payment"),
    "card_blocked_after": (
        AFTER_OUTCOME,
        "true when a fraud report blocks the card within the 7 days after the payment",
    ),
}

#: When each column of the transactions and of ``build_features`` becomes known, relative to
#: the payment: column -> (``"at payment"``, ``"after the outcome"`` or ``"never"``, why).
COLUMN_AVAILABILITY = {
    **_RAW_COLUMNS,
    **{
        name: (AT_PAYMENT, "computed by build_features from earlier payments and the reports already in")
        for name in FEATURE_COLUMNS
        if name not in _RAW_COLUMNS
    },
}

_UNDECLARED = "undeclared"
_TIMING_DAYS = {"train_days": 49, "gap_days": 14, "validation_days": 21}


class LeakageError(ValueError):
    """Model inputs were asked for that are not known when a payment is scored (the message names each)."""


class LeakageWarning(UserWarning):
    """Columns not known when a payment is scored were dropped (the message names each and why)."""


def _check_availability(availability):
    if availability is None:
        return COLUMN_AVAILABILITY
    if not isinstance(availability, dict):
        raise ValueError(f"availability must be a dict column -> (when known, why), got {type(availability).__name__}.")
    for name, entry in availability.items():
        if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] in _KNOWN):
            raise ValueError(
                f"availability[{name!r}] must be a pair (when known, why) with when known one of {_KNOWN}, "
                f"got {entry!r}."
            )
    return availability


def _column_names(columns):
    names = list(columns.columns) if isinstance(columns, pd.DataFrame) else list(columns)
    bad = [name for name in names if not isinstance(name, str)]
    if bad:
        raise ValueError(f"column names must be strings, got {bad[:5]!r}.")
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ValueError(f"columns appear more than once: {duplicated}.")
    return names


def availability_audit(columns, *, availability=None):
    """When each column becomes known relative to the payment, and whether a model may use it.

    Parameters
    ----------
    columns : list of str or pandas.DataFrame
        The candidate model inputs (a DataFrame: its columns).
    availability : dict, optional
        Column -> (when known, why), when known being ``"at payment"``, ``"after the
        outcome"`` or ``"never"``. Defaults to :data:`COLUMN_AVAILABILITY`.

    Returns
    -------
    pandas.DataFrame
        One row per column, in the given order (index ``column``): ``known``, ``usable``
        (True only for ``"at payment"``) and ``why``. A column missing from the table is
        ``"undeclared"`` and not usable: declare when it becomes known before using it.

    Examples
    --------
    >>> from course.lessons.data_leakage import availability_audit
    >>> audit = availability_audit(["amount", "chargeback_amount", "my_feature"])
    >>> audit[["known", "usable"]].to_dict("index")["chargeback_amount"]
    {'known': 'after the outcome', 'usable': False}
    >>> audit.loc["my_feature", "known"]
    'undeclared'
    """
    table = _check_availability(availability)
    rows = []
    for name in _column_names(columns):
        known, why = table.get(
            name, (_UNDECLARED, "not in the availability table: declare when it becomes known before using it")
        )
        rows.append({"column": name, "known": known, "usable": known == AT_PAYMENT, "why": why})
    return pd.DataFrame(rows, columns=["column", "known", "usable", "why"]).set_index("column")


def keep_known_at_scoring(X, *, availability=None, errors="raise"):
    """Keep the columns of ``X`` known when a payment is scored; name every other one and why.

    Parameters
    ----------
    X : pandas.DataFrame
        Candidate model inputs.
    availability : dict, optional
        See :func:`availability_audit`.
    errors : {"raise", "drop"}, default="raise"
        ``"raise"``: a :class:`LeakageError` naming each column not known at scoring time
        and why. ``"drop"``: return ``X`` without them and warn (:class:`LeakageWarning`)
        with the same message.

    Returns
    -------
    pandas.DataFrame
        ``X`` restricted to the usable columns (a copy), in their order.

    Examples
    --------
    >>> import pandas as pd
    >>> from course.lessons.data_leakage import keep_known_at_scoring
    >>> extract = pd.DataFrame({"amount": [12.5], "card_blocked_after": [True]})
    >>> try:
    ...     keep_known_at_scoring(extract)
    ... except ValueError as error:
    ...     print(error)
    1 column is not known when the payment is scored, so it cannot be a model input:
    - card_blocked_after (after the outcome): true when a fraud report blocks the card within the 7 days after the payment
    """
    if not isinstance(X, pd.DataFrame):
        raise ValueError(f"X must be a pandas DataFrame of candidate inputs, got {type(X).__name__}.")
    if errors not in ("raise", "drop"):
        raise ValueError(f'errors must be "raise" or "drop", got {errors!r}.')
    audit = availability_audit(X, availability=availability)
    rejected = audit[~audit["usable"]]
    if len(rejected):
        count = f"{len(rejected)} column is" if len(rejected) == 1 else f"{len(rejected)} columns are"
        lines = [f"- {name} ({row.known}): {row.why}" for name, row in rejected.iterrows()]
        message = f"{count} not known when the payment is scored, so it cannot be a model input:\n" + "\n".join(lines)
        if len(rejected) > 1:
            message = message.replace("so it cannot be", "so they cannot be")
        if errors == "raise":
            raise LeakageError(message)
        warnings.warn(message, LeakageWarning, stacklevel=2)
    return X.loc[:, audit.index[audit["usable"]]].copy()


def post_outcome_inputs(df, *, at_payment=False):
    """The three post-outcome trap columns as numeric model inputs.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions with ``chargeback_amount``, ``case_status`` and ``card_blocked_after``.
    at_payment : bool, default=False
        ``False``: the values of the extract, taken after the outcome (what a careless
        training set holds). ``True``: the values the columns hold when the payment is
        scored: no chargeback, no case, no block yet (all 0), which is all a deployed
        model would ever see.

    Returns
    -------
    pandas.DataFrame
        Float columns ``chargeback_amount``, ``case_status`` (1 for ``"fraud_confirmed"``,
        else 0) and ``card_blocked_after`` (1 or 0), aligned with ``df.index``.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.data_leakage import post_outcome_inputs
    >>> df = simulate_transactions(100, 200, 30, seed=0)
    >>> later, at_payment = post_outcome_inputs(df), post_outcome_inputs(df, at_payment=True)
    >>> bool(later["case_status"].max() == 1), float(at_payment.to_numpy().max())
    (True, 0.0)
    """
    names = ["chargeback_amount", "case_status", "card_blocked_after"]
    check_transactions(df, names, what="post_outcome_inputs")
    if at_payment:
        return pd.DataFrame(0.0, index=df.index, columns=names)
    return pd.DataFrame(
        {
            "chargeback_amount": df["chargeback_amount"].astype(float),
            "case_status": (df["case_status"] == "fraud_confirmed").astype(float),
            "card_blocked_after": df["card_blocked_after"].astype(float),
        },
        index=df.index,
    )


def eventual_label_terminal_risk(df):
    """Terminal risk computed with labels nobody had yet: every fraud known one second after it.

    The same features as ``build_features``' ``terminal_known_fraud_rate_{7d,28d}`` (the
    share of frauds among the terminal's payments in the window), but counting each fraud as
    if it had been reported one second after it happened, never-reported frauds included.
    This is what a feature computed from the final label table gives: the payment's own label
    stays out, the labels of the payments just before it do not.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions as for :func:`course.data.build_features`.

    Returns
    -------
    pandas.DataFrame
        Columns ``terminal_known_fraud_rate_7d`` and ``terminal_known_fraud_rate_28d``
        (named as the honest features, so they replace them in a model), aligned with
        ``df.index``.

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features
    >>> from course.lessons.data_leakage import eventual_label_terminal_risk
    >>> df = simulate_transactions(200, 400, 40, seed=0)
    >>> honest = build_features(df)["terminal_known_fraud_rate_28d"]
    >>> eventual = eventual_label_terminal_risk(df)["terminal_known_fraud_rate_28d"]
    >>> bool((eventual >= honest).all()), bool((eventual > honest).any())
    (True, True)
    """
    check_transactions(df, ["timestamp", "is_fraud", "label_available_at"], what="eventual_label_terminal_risk")
    fraud = (df["is_fraud"] == 1).to_numpy()
    label_time = df["label_available_at"].copy()
    label_time[fraud] = df["timestamp"][fraud] + pd.Timedelta(seconds=1)
    columns = ["terminal_known_fraud_rate_7d", "terminal_known_fraud_rate_28d"]
    return build_features(df.assign(label_available_at=label_time))[columns]


def fraud_rate_by_id(ids, y_true, *, fit_rows):
    """Each row's ID encoded by that ID's fraud rate over ``fit_rows`` (a plain target encoding).

    Leaky whenever ``fit_rows`` include the rows the encoding is then evaluated on: their
    own labels are inside their feature. scikit-learn's ``TargetEncoder`` inside a
    ``Pipeline`` (:func:`target_encoded_model`) is the honest way.

    Parameters
    ----------
    ids : array-like of shape (n,)
        The ID of each row (a terminal, a card).
    y_true : array-like of shape (n,)
        Labels, 1 = fraud.
    fit_rows : array-like of bool, shape (n,)
        The rows whose labels the encoding is computed from (at least one).

    Returns
    -------
    numpy.ndarray of float, shape (n,)
        The fraud rate of the row's ID over ``fit_rows``; an ID absent from them gets the
        fraud rate of all ``fit_rows``.

    Examples
    --------
    >>> from course.lessons.data_leakage import fraud_rate_by_id
    >>> fraud_rate_by_id([7, 7, 8, 9], [1, 0, 0, 1], fit_rows=[True, True, True, False]).tolist()
    [0.5, 0.5, 0.0, 0.3333333333333333]
    """
    y = check_binary_labels(y_true, require_both=False)
    ids = np.asarray(ids)
    rows = np.asarray(fit_rows)
    if rows.dtype != bool:
        raise ValueError(f"fit_rows must be a boolean mask (True = use the row's label), got dtype {rows.dtype}.")
    check_same_length(ids=ids, y_true=y, fit_rows=rows)
    if not rows.any():
        raise ValueError("fit_rows selects no row: the encoding needs at least one labelled row.")
    rates = pd.Series(y[rows], dtype=float).groupby(ids[rows]).mean()
    return pd.Series(ids).map(rates).fillna(float(y[rows].mean())).to_numpy(dtype=float)


def target_encoded_model(id_columns, *, seed=0):
    """The course's logistic regression behind scikit-learn's ``TargetEncoder`` of some ID columns.

    ``TargetEncoder`` cross-fits: during ``fit`` each training row is encoded with rates
    learned on the other folds, so no row sees its own label; at ``predict`` the rates of
    all the training rows are used. Inside the ``Pipeline`` it is fitted on the training
    rows only, whatever split is used.

    Parameters
    ----------
    id_columns : list of str
        The ID columns to encode (e.g. ``["terminal_id"]``); other columns pass through.
    seed : int, default=0
        Seed of the encoder's shuffled folds.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted: ``target_encoding`` (a ``ColumnTransformer``) then ``model``
        (``course.models.make_fraud_model("logreg")``).

    Examples
    --------
    >>> from course.lessons.data_leakage import target_encoded_model
    >>> list(target_encoded_model(["terminal_id"]).named_steps)
    ['target_encoding', 'model']
    """
    if isinstance(id_columns, str) or not list(id_columns):
        raise ValueError(f"id_columns must be a non-empty list of column names, got {id_columns!r}.")
    seed = check_scalar(seed, "seed", int, min_val=0)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    encoder = ColumnTransformer(
        [("ids", TargetEncoder(target_type="binary", cv=folds), list(id_columns))],
        remainder="passthrough",
        verbose_feature_names_out=False,
    )
    return Pipeline([("target_encoding", encoder), ("model", make_fraud_model("logreg", seed=seed))])


@dataclass(frozen=True)
class ProtocolResult:
    """What one protocol reports in validation, and what its model does at launch.

    Attributes
    ----------
    model : fitted estimator
    y_val, score_val, days_val : numpy.ndarray
        Validation rows: labels, scores, days.
    y_launch, score_launch, days_launch : numpy.ndarray
        Launch rows (scored with what is known at scoring time).
    metrics : dict
        ``{"average_precision": Optimism, "roc_auc": Optimism}`` (see
        :func:`course.metrics.optimism`).

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
    >>> from course.lessons.data_leakage import LeakageStudy
    >>> from course.models import make_fraud_model
    >>> df = simulate_transactions(300, 600, 90, seed=1)
    >>> study = LeakageStudy(df, train_days=35, gap_days=7, validation_days=21)
    >>> result = study.evaluate(make_fraud_model("logreg"), build_features(df)[FEATURE_COLUMNS])
    >>> result.metrics["average_precision"].validation.estimate > 0
    True
    """

    model: object
    y_val: np.ndarray
    score_val: np.ndarray
    days_val: np.ndarray
    y_launch: np.ndarray
    score_launch: np.ndarray
    days_launch: np.ndarray
    metrics: dict


class LeakageStudy:
    """The module's design: train, a gap, validation (the development data), then launch.

    Days count from the first day of ``df``: training ``[0, train_days)``, a gap of
    ``gap_days`` (labels arriving), validation for ``validation_days`` (these three form the
    development period, the data a team has when it builds the model), then the launch
    window: every later day, scored by the model trained on the training rows.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions (``day``, ``is_fraud``), e.g. :func:`course.data.load_transactions`.
    train_days, gap_days, validation_days : int, default=49, 14, 21
    n_resamples : int, default=200
        Bootstrap resamples of the days for every interval.
    seed : int, default=0
        Seed of the bootstrap: every protocol of the study resamples the same days, so two
        protocols scored on the same rows compare pairwise (:func:`compare_protocols`).

    Attributes
    ----------
    y, days : numpy.ndarray
        Labels (``is_fraud``) and days of every row of ``df``.
    train, validation, development, launch : numpy.ndarray of bool
        Row masks; ``development`` is every day before the launch window.

    Examples
    --------
    >>> from course.data import simulate_transactions
    >>> from course.lessons.data_leakage import LeakageStudy
    >>> study = LeakageStudy(simulate_transactions(100, 200, 60, seed=0), train_days=21, gap_days=7,
    ...                      validation_days=14)
    >>> int(study.days[study.launch].min()), int(study.days[study.development].max())
    (42, 41)
    """

    def __init__(self, df, *, train_days=49, gap_days=14, validation_days=21, n_resamples=200, seed=0):
        check_transactions(df, ["day", "is_fraud"], what="LeakageStudy")
        self.y = check_binary_labels(df["is_fraud"].to_numpy(), name="is_fraud")
        self.days = df["day"].to_numpy()
        self.train, self.validation = time_split(
            df, train_days=train_days, gap_days=gap_days, test_days=validation_days
        )
        first, last = int(self.days.min()), int(self.days.max())
        launch_start = first + train_days + gap_days + validation_days
        if launch_start > last:
            raise ValueError(
                f"The data covers days {first}..{last}: training {train_days} days, a gap of {gap_days} and "
                f"validation for {validation_days} days leave no day for the launch window."
            )
        self.development = self.days < launch_start
        self.launch = ~self.development
        if self.y[self.launch].min() == self.y[self.launch].max():
            raise ValueError("The launch window holds one class only: use a longer dataset.")
        self.n_resamples = check_scalar(n_resamples, "n_resamples", int, min_val=2)
        # an int: every protocol of the study resamples the same days, so protocols pair
        self.seed = check_scalar(seed, "seed", int, min_val=0)

    def evaluate(self, model, X, *, train=None, validation=None, X_launch=None):
        """Fit ``model`` on the training rows, score validation and launch, measure the optimism.

        Parameters
        ----------
        model : scikit-learn classifier
            Cloned before fitting (the argument is left untouched).
        X : pandas.DataFrame
            Model inputs of every row of the study's ``df`` (as the protocol builds them).
        train, validation : array-like of bool or int, optional
            The protocol's rows (masks or positions); default: the study's time split.
        X_launch : pandas.DataFrame, optional
            Inputs of every row as they are **at scoring time** (the launch rows are taken
            from it); default ``X``. Give it when the protocol's inputs differ from what a
            deployed model can see (post-outcome columns, eventual labels).

        Returns
        -------
        ProtocolResult

        Examples
        --------
        >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
        >>> from course.lessons.data_leakage import LeakageStudy
        >>> from course.models import make_fraud_model
        >>> df = simulate_transactions(300, 600, 90, seed=1)
        >>> study = LeakageStudy(df, train_days=35, gap_days=7, validation_days=21)
        >>> result = study.evaluate(make_fraud_model("logreg"), build_features(df)[FEATURE_COLUMNS])
        >>> sorted(result.metrics)
        ['average_precision', 'roc_auc']
        """
        train = self._rows(self.train if train is None else train, "train")
        validation = self._rows(self.validation if validation is None else validation, "validation")
        X = self._inputs(X, "X")
        X_launch = X if X_launch is None else self._inputs(X_launch, "X_launch")
        if list(X_launch.columns) != list(X.columns):
            raise ValueError(
                f"X_launch must have the columns of X, in the same order (the inputs the model is trained on); "
                f"X has {list(X.columns)}, X_launch {list(X_launch.columns)}."
            )
        in_train = np.zeros(self.y.size, dtype=bool)
        in_train[train] = True
        if in_train[validation].any():
            raise ValueError("train and validation share rows: a row cannot be both trained and validated on.")
        if self.y[train].min() == self.y[train].max():
            raise ValueError("The training rows hold one class only: use a longer training period.")
        model = clone(model)
        with threadpool_limits(limits=1):  # the same model bit for bit, and fast on a busy 2-core machine
            model.fit(X.iloc[train], self.y[train])
            score_val = model.predict_proba(X.iloc[validation])[:, 1]
            score_launch = model.predict_proba(X_launch.loc[self.launch])[:, 1]
        launch = np.flatnonzero(self.launch)
        metrics = optimism(
            self.y[validation],
            score_val,
            self.y[launch],
            score_launch,
            days_val=self.days[validation],
            days_launch=self.days[launch],
            n_resamples=self.n_resamples,
            seed=self.seed,
        )
        return ProtocolResult(
            model,
            self.y[validation],
            score_val,
            self.days[validation],
            self.y[launch],
            score_launch,
            self.days[launch],
            metrics,
        )

    def _rows(self, rows, name):
        rows = np.asarray(rows)
        if rows.dtype == bool:
            if rows.shape != self.y.shape:
                raise ValueError(f"{name} must be a mask of {self.y.size} rows, got shape {rows.shape}.")
            rows = np.flatnonzero(rows)
        elif rows.dtype.kind not in "iu" or rows.ndim != 1:
            raise ValueError(f"{name} must be a boolean mask or integer row positions, got dtype {rows.dtype}.")
        if rows.size == 0:
            raise ValueError(f"{name} selects no row.")
        if self.launch[rows].any():
            raise ValueError(f"{name} holds rows of the launch window: the launch weeks are for judging only.")
        return rows

    def _inputs(self, X, name):
        if not isinstance(X, pd.DataFrame):
            raise ValueError(f"{name} must be a pandas DataFrame of model inputs, got {type(X).__name__}.")
        if len(X) != self.y.size:
            raise ValueError(f"{name} must hold every row of the study ({self.y.size}), got {len(X)} rows.")
        return X.reset_index(drop=True)


def _interval(result):
    return f"{result.estimate:.3f} [{result.low:.3f}, {result.high:.3f}]"


def protocol_table(results, *, metric="average_precision"):
    """Validation, launch and optimism of several protocols, each with its 95% interval.

    Parameters
    ----------
    results : dict of str -> ProtocolResult
        By protocol name, in display order.
    metric : {"average_precision", "roc_auc"}, default="average_precision"

    Returns
    -------
    pandas.DataFrame
        Index: protocol. Columns ``validation``, ``launch`` and ``optimism`` as text
        ``"0.637 [0.557, 0.720]"`` (estimate [interval]), and ``inside the noise`` (the
        optimism's interval contains 0).

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
    >>> from course.lessons.data_leakage import LeakageStudy, protocol_table
    >>> from course.models import make_fraud_model
    >>> df = simulate_transactions(300, 600, 90, seed=1)
    >>> study = LeakageStudy(df, train_days=35, gap_days=7, validation_days=21)
    >>> honest = study.evaluate(make_fraud_model("logreg"), build_features(df)[FEATURE_COLUMNS])
    >>> protocol_table({"honest": honest}).columns.tolist()
    ['validation', 'launch', 'optimism', 'inside the noise']
    """
    if metric not in RANKING_METRICS:
        raise ValueError(f"metric must be one of {RANKING_METRICS}, got {metric!r}.")
    if not isinstance(results, dict) or not results:
        raise ValueError("results must be a non-empty dict: protocol name -> ProtocolResult.")
    rows = {}
    for name, result in results.items():
        if not isinstance(result, ProtocolResult):
            raise ValueError(f"results[{name!r}] must be a ProtocolResult, got {type(result).__name__}.")
        gap = result.metrics[metric]
        rows[name] = {
            "validation": _interval(gap.validation),
            "launch": _interval(gap.launch),
            "optimism": _interval(gap.optimism),
            "inside the noise": gap.inside_noise,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "protocol"
    return table


def fraud_mix(df, study, result):
    """The kinds of fraud in the validation and launch windows, and how well a model ranks each at launch.

    Fraud comes in episodes (a compromised terminal, a leaked card), so a few weeks hold a
    lumpy mix of kinds, and a model does not rank every kind equally well: the mix alone can
    open a gap between validation and launch, with no leak at all.

    Parameters
    ----------
    df : pandas.DataFrame
        The study's transactions, with ``fraud_scenario`` (the simulator's record of how each
        fraud was made: for analysis only, never a model input).
    study : LeakageStudy
        Its ``validation`` and ``launch`` windows.
    result : ProtocolResult
        A protocol of that study (its launch scores).

    Returns
    -------
    pandas.DataFrame
        One row per kind of fraud: ``validation share`` and ``launch share`` (of the frauds
        of each window), and ``launch ROC-AUC`` (the frauds of that kind against every
        genuine payment of the launch window; NaN when the window holds none of that kind).

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
    >>> from course.lessons.data_leakage import LeakageStudy, fraud_mix
    >>> from course.models import make_fraud_model
    >>> df = simulate_transactions(300, 600, 90, seed=1)
    >>> study = LeakageStudy(df, train_days=35, gap_days=7, validation_days=21)
    >>> honest = study.evaluate(make_fraud_model("logreg"), build_features(df)[FEATURE_COLUMNS])
    >>> mix = fraud_mix(df, study, honest)
    >>> mix.columns.tolist(), round(float(mix["launch share"].sum()), 6)
    (['validation share', 'launch share', 'launch ROC-AUC'], 1.0)
    """
    check_transactions(df, ["fraud_scenario", "is_fraud"], what="fraud_mix")
    if not isinstance(study, LeakageStudy):
        raise ValueError(f"study must be a LeakageStudy, got {type(study).__name__}.")
    if not isinstance(result, ProtocolResult):
        raise ValueError(f"result must be a ProtocolResult, got {type(result).__name__}.")
    if len(df) != study.y.size or result.y_launch.size != study.launch.sum():
        raise ValueError(
            "df, study and result must describe the same transactions (the study's df and one of its protocols)."
        )
    scenario = df["fraud_scenario"].astype(str).to_numpy()
    kinds = [kind for kind in SCENARIOS if kind != "genuine"]
    fraud = study.y == 1
    table = pd.DataFrame(index=pd.Index(kinds, name="kind of fraud"))
    for window, rows in (("validation", study.validation), ("launch", study.launch)):
        counts = pd.Series(scenario[rows & fraud]).value_counts()
        table[f"{window} share"] = counts.reindex(kinds, fill_value=0) / max(int(counts.sum()), 1)
    launch_kind = scenario[study.launch]
    genuine = result.y_launch == 0
    aucs = []
    for kind in kinds:
        chosen = launch_kind == kind
        if not chosen.any():
            aucs.append(np.nan)
            continue
        rows = genuine | chosen
        aucs.append(roc_auc_score(chosen[rows].astype(int), result.score_launch[rows]))
    table["launch ROC-AUC"] = aucs
    return table


def single_feature_roc_auc(X, y_true):
    """How well each column alone separates frauds from genuine payments (direction-free ROC-AUC).

    A quick screen for leaks: a single column that ranks almost every fraud above almost
    every genuine payment is more likely to carry the outcome than to predict it.

    Parameters
    ----------
    X : pandas.DataFrame
        Numeric (or boolean) columns, no NaN.
    y_true : array-like of shape (n,)
        Labels, 1 = fraud.

    Returns
    -------
    pandas.Series
        ``max(AUC, 1 - AUC)`` per column (0.5 = no information, 1 = perfect), named
        ``"single-feature ROC-AUC"``, highest first.

    Examples
    --------
    >>> import pandas as pd
    >>> from course.lessons.data_leakage import single_feature_roc_auc
    >>> X = pd.DataFrame({"amount": [5.0, 80.0, 70.0, 60.0], "chargeback_amount": [0.0, 80.0, 0.0, 60.0]})
    >>> single_feature_roc_auc(X, [0, 1, 0, 1]).round(3).to_dict()
    {'chargeback_amount': 1.0, 'amount': 0.75}
    """
    if not isinstance(X, pd.DataFrame):
        raise ValueError(f"X must be a pandas DataFrame, got {type(X).__name__}.")
    y = check_binary_labels(y_true)
    check_same_length(X=X, y_true=y)
    values = {}
    for name in X.columns:
        column = X[name]
        if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
            raise ValueError(f"column {name!r} is not numeric (dtype {column.dtype}): encode it first.")
        score = check_scores(column.to_numpy(dtype=float), name=f"column {name!r}")
        auc = roc_auc_score(y, score)
        values[name] = max(auc, 1.0 - auc)
    return pd.Series(values, name="single-feature ROC-AUC").sort_values(ascending=False, kind="stable")


@dataclass(frozen=True)
class Leak:
    """One leak of the explorer: a label, its kind, and the protocols of its leaky and fixed versions.

    Attributes
    ----------
    label : str
        Shown on the slider.
    kind : str
        ``"availability"``, ``"time"``, ``"entity"``, ``"preprocessing"`` (or ``""``).
    leaky, fixed : str
        Keys of the protocols in the results dict.

    Examples
    --------
    >>> from course.lessons.data_leakage import LEAKS
    >>> LEAKS["same_card"].fixed
    'card_grouped_split'
    """

    label: str
    kind: str
    leaky: str
    fixed: str


#: The explorer's leaks, in the order of the checklist, each with the protocols it compares.
LEAKS = {
    "none": Leak("none (honest protocol)", "", "honest", "honest"),
    "post_outcome": Leak("post-outcome columns", "availability", "post_outcome", "honest"),
    "random_split": Leak("random row split", "time", "random_split", "honest"),
    "eventual_labels": Leak("risk from eventual labels", "time", "eventual_labels", "honest"),
    "same_card": Leak("same card on both sides", "entity", "card_random_split", "card_grouped_split"),
    "encoding_all_rows": Leak(
        "encoding fitted on all rows", "preprocessing", "terminal_rate_all_rows", "terminal_encoder_pipeline"
    ),
    "scaler_before_split": Leak("scaler fitted before the split", "preprocessing", "scaler_before_split", "honest"),
}

_SHORT = {"average_precision": "ap", "roc_auc": "roc_auc"}


def _check_leak(results, leak, leaks):
    if leak not in leaks:
        raise ValueError(f"Unknown leak {leak!r}: choose one of {list(leaks)}.")
    chosen = leaks[leak]
    if not isinstance(results, dict):
        raise ValueError(f"results must be a dict: protocol name -> ProtocolResult, got {type(results).__name__}.")
    missing = [name for name in dict.fromkeys((chosen.leaky, chosen.fixed)) if name not in results]
    if missing:
        raise ValueError(f"results has no protocol {missing} (needed by the leak {leak!r}); it has {list(results)}.")
    leaky, fixed = results[chosen.leaky], results[chosen.fixed]
    if not (np.array_equal(leaky.y_launch, fixed.y_launch) and np.array_equal(leaky.days_launch, fixed.days_launch)):
        raise ValueError(f"The protocols of {leak!r} were not scored on the same launch rows.")
    return chosen, leaky, fixed


def _version_numbers(result):
    numbers = {}
    for metric in RANKING_METRICS:
        short = _SHORT[metric]
        for part in ("validation", "launch", "optimism"):
            interval = getattr(result.metrics[metric], part)
            numbers[f"{part}_{short}"] = interval.estimate
            numbers[f"{part}_{short}_low"] = interval.low
            numbers[f"{part}_{short}_high"] = interval.high
    return numbers


def compare_protocols(a, b, *, window="launch"):
    """Protocol ``a`` minus protocol ``b`` on the same rows of one window, paired by day.

    Both protocols scored the same rows (the launch window always; the validation window
    when they share their validation rows) and were evaluated by the same
    :class:`LeakageStudy`, which resamples the same days for every protocol: the difference
    is computed on each of those resamples, so its interval is that of the difference, and
    no new bootstrap is run.

    Parameters
    ----------
    a, b : ProtocolResult
        Two protocols of one study.
    window : {"launch", "validation"}, default="launch"

    Returns
    -------
    dict
        ``{"average_precision": BootstrapResult, "roc_auc": BootstrapResult}`` of a - b;
        inside the noise when the interval contains 0.

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
    >>> from course.lessons.data_leakage import LeakageStudy, compare_protocols
    >>> from course.models import make_fraud_model
    >>> df = simulate_transactions(300, 600, 90, seed=1)
    >>> study = LeakageStudy(df, train_days=35, gap_days=7, validation_days=21)
    >>> honest = study.evaluate(make_fraud_model("logreg"), build_features(df)[FEATURE_COLUMNS])
    >>> compare_protocols(honest, honest)["roc_auc"].estimate
    0.0
    """
    if window not in ("launch", "validation"):
        raise ValueError(f'window must be "launch" or "validation", got {window!r}.')
    for name, result in (("a", a), ("b", b)):
        if not isinstance(result, ProtocolResult):
            raise ValueError(f"{name} must be a ProtocolResult, got {type(result).__name__}.")
    suffix = "launch" if window == "launch" else "val"
    same_rows = np.array_equal(getattr(a, f"y_{suffix}"), getattr(b, f"y_{suffix}")) and np.array_equal(
        getattr(a, f"days_{suffix}"), getattr(b, f"days_{suffix}")
    )
    if not same_rows:
        raise ValueError(
            f"The two protocols did not score the same {window} rows: a paired comparison needs the same rows "
            "(protocols with other validation rows compare by their optimism)."
        )
    return {metric: a.metrics[metric].difference(b.metrics[metric], window=window) for metric in RANKING_METRICS}


def _launch_difference(leaky, fixed):
    """Fixed minus leaky at launch (zeros when the leak's two versions are one protocol)."""
    if leaky is fixed:
        differences = dict.fromkeys(RANKING_METRICS)
    else:
        differences = compare_protocols(fixed, leaky)
    numbers = {}
    for metric, difference in differences.items():
        name = f"launch_{_SHORT[metric]}_fixed_minus_leaky"
        numbers[name] = 0.0 if difference is None else difference.estimate
        numbers[f"{name}_low"] = 0.0 if difference is None else difference.low
        numbers[f"{name}_high"] = 0.0 if difference is None else difference.high
    return numbers


def leak_numbers(results, leak, version, *, leaks=None):
    """The numbers the leakage explorer shows for one leak, leaky or fixed.

    Parameters
    ----------
    results : dict of str -> ProtocolResult
        Holds the protocols named by the leaks.
    leak : str
        A key of ``leaks``.
    version : {"leaky", "fixed"}
    leaks : dict of str -> Leak, optional
        Defaults to :data:`LEAKS`.

    Returns
    -------
    dict
        For ``m`` in ``ap`` and ``roc_auc``: ``validation_m``, ``launch_m`` and
        ``optimism_m``, each with ``_low`` and ``_high`` (95% interval) of the chosen
        version; and ``launch_m_fixed_minus_leaky`` with its interval: the fixed model minus
        the leaky one on the same launch days (paired), whatever the version shown (0 when
        the leak's two versions are one protocol).

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
    >>> from course.lessons.data_leakage import LeakageStudy, leak_numbers
    >>> from course.models import make_fraud_model
    >>> df = simulate_transactions(300, 600, 90, seed=1)
    >>> study = LeakageStudy(df, train_days=35, gap_days=7, validation_days=21)
    >>> results = {"honest": study.evaluate(make_fraud_model("logreg"), build_features(df)[FEATURE_COLUMNS])}
    >>> numbers = leak_numbers(results, "none", "fixed")
    >>> numbers["launch_ap_fixed_minus_leaky"]
    0.0
    """
    leaks = LEAKS if leaks is None else leaks
    if version not in ("leaky", "fixed"):
        raise ValueError(f'version must be "leaky" or "fixed", got {version!r}.')
    _, leaky, fixed = _check_leak(results, leak, leaks)
    shown = leaky if version == "leaky" else fixed
    return {**_version_numbers(shown), **_launch_difference(leaky, fixed)}


def leak_table(results, *, leaks=None):
    """Every leak's numbers, leaky and fixed: what the explorer precomputes.

    Parameters
    ----------
    results : dict of str -> ProtocolResult
    leaks : dict of str -> Leak, optional
        Defaults to :data:`LEAKS`.

    Returns
    -------
    dict
        ``{(leak, version): numbers}``, each equal to :func:`leak_numbers` of that pair.

    Examples
    --------
    >>> from course.data import simulate_transactions, build_features, FEATURE_COLUMNS
    >>> from course.lessons.data_leakage import Leak, LeakageStudy, leak_table
    >>> from course.models import make_fraud_model
    >>> df = simulate_transactions(300, 600, 90, seed=1)
    >>> study = LeakageStudy(df, train_days=35, gap_days=7, validation_days=21)
    >>> results = {"honest": study.evaluate(make_fraud_model("logreg"), build_features(df)[FEATURE_COLUMNS])}
    >>> sorted(leak_table(results, leaks={"none": Leak("none", "", "honest", "honest")}))
    [('none', 'fixed'), ('none', 'leaky')]
    """
    leaks = LEAKS if leaks is None else leaks
    if not isinstance(leaks, dict) or not leaks:
        raise ValueError("leaks must be a non-empty dict: key -> Leak.")
    table = {}
    for leak in leaks:
        _, leaky, fixed = _check_leak(results, leak, leaks)
        difference = _launch_difference(leaky, fixed)
        for version, shown in (("leaky", leaky), ("fixed", fixed)):
            table[leak, version] = {**_version_numbers(shown), **difference}
    return table

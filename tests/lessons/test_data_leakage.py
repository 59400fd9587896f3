"""course.lessons.data_leakage: the availability audit, the leaky inputs, the study and the explorer's numbers."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from course.data import COLUMNS, FEATURE_COLUMNS, POST_OUTCOME_COLUMNS, build_features, simulate_transactions
from course.lessons.data_leakage import (
    AFTER_OUTCOME,
    AT_PAYMENT,
    COLUMN_AVAILABILITY,
    LEAKS,
    NEVER,
    Leak,
    LeakageError,
    LeakageStudy,
    LeakageWarning,
    ProtocolResult,
    availability_audit,
    compare_protocols,
    eventual_label_terminal_risk,
    fraud_mix,
    fraud_rate_by_id,
    keep_known_at_scoring,
    leak_numbers,
    leak_table,
    post_outcome_inputs,
    protocol_table,
    single_feature_roc_auc,
    target_encoded_model,
)
from course.models import make_fraud_model

TRAPS = ("chargeback_amount", "case_status", "card_blocked_after")


@pytest.fixture(scope="module")
def world():
    return simulate_transactions(300, 600, 90, seed=1)


@pytest.fixture(scope="module")
def features(world):
    return build_features(world)[FEATURE_COLUMNS]


@pytest.fixture(scope="module")
def study(world):
    return LeakageStudy(world, train_days=35, gap_days=7, validation_days=21, n_resamples=50)


@pytest.fixture(scope="module")
def results(world, features, study):
    post = study.evaluate(
        make_fraud_model("logreg"),
        features.join(post_outcome_inputs(world)),
        X_launch=features.join(post_outcome_inputs(world, at_payment=True)),
    )
    return {"honest": study.evaluate(make_fraud_model("logreg"), features), "post_outcome": post}


# --- availability ---------------------------------------------------------------------------


def test_every_column_of_the_data_and_of_the_features_is_declared():
    assert set(COLUMNS) | set(FEATURE_COLUMNS) == set(COLUMN_AVAILABILITY)
    for name in POST_OUTCOME_COLUMNS:
        assert COLUMN_AVAILABILITY[name][0] == AFTER_OUTCOME, name
    assert COLUMN_AVAILABILITY["is_fraud"][0] == COLUMN_AVAILABILITY["fraud_scenario"][0] == NEVER
    assert all(COLUMN_AVAILABILITY[name][0] == AT_PAYMENT for name in FEATURE_COLUMNS)


def test_the_audit_rejects_the_traps_and_undeclared_columns_in_order(world):
    audit = availability_audit(list(world.columns) + ["blocked_flag"])
    assert audit.index.tolist() == list(world.columns) + ["blocked_flag"]
    rejected = audit.index[~audit["usable"]].tolist()
    assert rejected == ["is_fraud", "fraud_scenario", *POST_OUTCOME_COLUMNS, "blocked_flag"]
    assert audit.loc["blocked_flag", "known"] == "undeclared"
    assert "chargeback" not in audit.loc["amount", "why"] and "report" in audit.loc["chargeback_amount", "why"]


def test_keep_known_at_scoring_names_each_trap_and_why(world):
    with pytest.raises(LeakageError) as raised:
        keep_known_at_scoring(world)
    message = str(raised.value)
    assert message.startswith("6 columns are not known when the payment is scored, so they cannot be")
    for name in ("is_fraud", "fraud_scenario", *POST_OUTCOME_COLUMNS):
        assert f"- {name} (" in message
    assert "(after the outcome): filled when the cardholder reports the fraud" in message
    with pytest.warns(LeakageWarning, match="card_blocked_after"):
        kept = keep_known_at_scoring(world, errors="drop")
    assert kept.columns.tolist() == ["transaction_id", "timestamp", "day", "customer_id", "terminal_id", "amount"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to reject: no warning
        assert keep_known_at_scoring(kept).equals(kept)


def test_a_custom_table_is_checked():
    table = {"refund_total": (AFTER_OUTCOME, "sum of the chargebacks"), "amount": (AT_PAYMENT, "in the request")}
    audit = availability_audit(["amount", "refund_total"], availability=table)
    assert audit["usable"].tolist() == [True, False]
    with pytest.raises(ValueError, match="availability\\['amount'\\] must be a pair"):
        availability_audit(["amount"], availability={"amount": ("soon", "?")})


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: availability_audit(["amount", "amount"]), "more than once"),
        (lambda: availability_audit([1, 2]), "must be strings"),
        (lambda: keep_known_at_scoring(["amount"]), "pandas DataFrame"),
        (lambda: keep_known_at_scoring(pd.DataFrame({"amount": [1.0]}), errors="ignore"), '"raise" or "drop"'),
    ],
)
def test_availability_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- leaky inputs -----------------------------------------------------------------------------


def test_post_outcome_inputs_later_and_at_payment(world):
    later = post_outcome_inputs(world)
    assert later.columns.tolist() == list(TRAPS) and later.index.equals(world.index)
    assert later["case_status"].sum() == (world["case_status"] == "fraud_confirmed").sum()
    assert later["chargeback_amount"].equals(world["chargeback_amount"].astype(float))
    at_payment = post_outcome_inputs(world, at_payment=True)
    assert (at_payment.to_numpy() == 0).all() and at_payment.columns.tolist() == list(TRAPS)
    with pytest.raises(ValueError, match="missing from df"):
        post_outcome_inputs(world.drop(columns="case_status"))


def test_eventual_labels_count_earlier_frauds_at_once_but_not_the_payment_itself(world):
    honest = build_features(world)[["terminal_known_fraud_rate_7d", "terminal_known_fraud_rate_28d"]]
    eventual = eventual_label_terminal_risk(world)
    assert eventual.columns.tolist() == honest.columns.tolist()
    assert (eventual.to_numpy() >= honest.to_numpy() - 1e-12).all()
    assert (eventual.to_numpy() > honest.to_numpy()).any()
    # a terminal's first transaction has no earlier payment: its eventual risk is 0 even if it is a fraud
    first = world.sort_values("timestamp").groupby("terminal_id").head(1)
    frauds_first = first[first["is_fraud"] == 1].index
    assert len(frauds_first) > 0 and (eventual.loc[frauds_first].to_numpy() == 0).all()
    assert world["label_available_at"].equals(simulate_transactions(300, 600, 90, seed=1)["label_available_at"])


def test_fraud_rate_by_id_uses_only_the_fit_rows():
    ids = np.array([5, 5, 5, 6, 6, 7])
    y = np.array([1, 0, 1, 0, 0, 1])
    fit = np.array([True, True, False, True, True, False])
    assert fraud_rate_by_id(ids, y, fit_rows=fit).tolist() == [0.5, 0.5, 0.5, 0.0, 0.0, 0.25]
    assert fraud_rate_by_id(ids, y, fit_rows=np.ones(6, bool)).tolist()[:3] == [2 / 3] * 3
    with pytest.raises(ValueError, match="boolean mask"):
        fraud_rate_by_id(ids, y, fit_rows=[1, 0, 1, 0, 1, 0])
    with pytest.raises(ValueError, match="selects no row"):
        fraud_rate_by_id(ids, y, fit_rows=np.zeros(6, bool))
    with pytest.raises(ValueError, match="ids has 6, y_true has 5"):
        fraud_rate_by_id(ids, y[:5], fit_rows=fit)


def test_target_encoded_model_cross_fits_inside_the_pipeline(world, features):
    model = target_encoded_model(["terminal_id"], seed=3)
    X = features.assign(terminal_id=world["terminal_id"]).iloc[:20_000]
    y = world["is_fraud"].to_numpy()[:20_000]
    model.fit(X, y)
    encoder = model.named_steps["target_encoding"].named_transformers_["ids"]
    assert encoder.cv.random_state == 3
    assert model.predict_proba(X.iloc[:5]).shape == (5, 2)
    with pytest.raises(ValueError, match="non-empty list"):
        target_encoded_model("terminal_id")


# --- the study --------------------------------------------------------------------------------


def test_study_periods(study):
    days = study.days
    assert (days[study.train] < 35).all() and days[study.validation].min() == 42
    assert days[study.validation].max() == 62 and days[study.launch].min() == 63
    assert not (study.development & study.launch).any() and (study.development | study.launch).all()


def test_study_bad_input(world):
    with pytest.raises(ValueError, match="leave no day for the launch window"):
        LeakageStudy(world, train_days=60, gap_days=7, validation_days=23)
    with pytest.raises(ValueError, match="needs the columns"):
        LeakageStudy(world.drop(columns="day"))
    with pytest.raises(ValueError, match="n_resamples"):
        LeakageStudy(world, train_days=35, gap_days=7, validation_days=21, n_resamples=1)


def test_evaluate_scores_validation_and_launch(results, study, features):
    honest = results["honest"]
    assert isinstance(honest, ProtocolResult)
    assert honest.y_val.size == study.validation.sum() and honest.y_launch.size == study.launch.sum()
    assert honest.score_launch == pytest.approx(honest.model.predict_proba(features[study.launch])[:, 1])
    gap = honest.metrics["average_precision"]
    assert gap.validation.estimate == pytest.approx(average_precision_score(honest.y_val, honest.score_val))
    assert gap.launch.estimate == pytest.approx(average_precision_score(honest.y_launch, honest.score_launch))


def test_the_post_outcome_protocol_is_optimistic(results):
    post, honest = results["post_outcome"].metrics, results["honest"].metrics
    assert post["average_precision"].validation.estimate > honest["average_precision"].validation.estimate + 0.15
    assert post["average_precision"].optimism.low > 0
    assert post["average_precision"].optimism.estimate > honest["average_precision"].optimism.estimate + 0.15


def test_evaluate_is_deterministic_and_leaves_the_model_unfitted(study, features, results):
    model = make_fraud_model("logreg")
    again = study.evaluate(model, features)
    assert not hasattr(model[-1], "coef_")
    assert np.array_equal(again.score_launch, results["honest"].score_launch)
    assert again.metrics["roc_auc"].optimism == results["honest"].metrics["roc_auc"].optimism


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"train": "validation"}, "share rows"),
        ({"train": "launch"}, "rows of the launch window"),
        ({"X_launch": "fewer columns"}, "X_launch must have the columns of X"),
        ({"X": "short"}, "must hold every row"),
        ({"train": "floats"}, "boolean mask or integer"),
    ],
)
def test_evaluate_bad_input(study, features, arguments, message):
    rows = {"validation": study.validation, "launch": study.launch, "floats": np.ones(3)}
    kwargs = {}
    X = features
    for name, value in arguments.items():
        if name == "train":
            kwargs["train"] = rows[value]
        elif name == "X_launch":
            kwargs["X_launch"] = features.iloc[:, :3]
        else:
            X = features.iloc[:10]
    with pytest.raises(ValueError, match=message):
        study.evaluate(make_fraud_model("logreg"), X, **kwargs)


def test_protocol_table(results):
    table = protocol_table(results, metric="roc_auc")
    assert table.index.tolist() == ["honest", "post_outcome"]
    post = results["post_outcome"].metrics["roc_auc"]
    assert table.loc["post_outcome", "optimism"] == (
        f"{post.optimism.estimate:.3f} [{post.optimism.low:.3f}, {post.optimism.high:.3f}]"
    )
    assert table.loc["post_outcome", "inside the noise"] == post.inside_noise
    with pytest.raises(ValueError, match="metric must be one of"):
        protocol_table(results, metric="accuracy")
    with pytest.raises(ValueError, match="must be a ProtocolResult"):
        protocol_table({"x": 1})


def test_compare_protocols_pairs_the_study_draws(results, study, features):
    honest, post = results["honest"], results["post_outcome"]
    at_launch = compare_protocols(honest, post)
    for metric in ("average_precision", "roc_auc"):
        difference = at_launch[metric]
        expected = honest.metrics[metric].launch.estimate - post.metrics[metric].launch.estimate
        assert difference.estimate == pytest.approx(expected, abs=1e-12)
        assert difference.low <= difference.estimate <= difference.high
        assert difference.n_resamples == 50
    in_validation = compare_protocols(post, honest, window="validation")["average_precision"]
    assert in_validation.estimate > 0 and in_validation.low > 0
    assert compare_protocols(honest, honest)["roc_auc"].standard_error == 0.0


def test_compare_protocols_refuses_what_does_not_pair(results, world, features, study):
    development = np.flatnonzero(study.development)
    other_rows = study.evaluate(
        make_fraud_model("logreg"), features, train=development[::2], validation=development[1::2]
    )
    with pytest.raises(ValueError, match="did not score the same validation rows"):
        compare_protocols(results["honest"], other_rows, window="validation")
    assert compare_protocols(results["honest"], other_rows)["average_precision"].n_days == 27  # launch pairs
    other_seed = LeakageStudy(world, train_days=35, gap_days=7, validation_days=21, n_resamples=50, seed=9)
    with pytest.raises(ValueError, match="not resampled alike"):
        compare_protocols(results["honest"], other_seed.evaluate(make_fraud_model("logreg"), features))
    with pytest.raises(ValueError, match='"launch" or "validation"'):
        compare_protocols(results["honest"], results["honest"], window="test")


def test_fraud_mix_shares_and_ranking_by_kind(world, study, results):
    mix = fraud_mix(world, study, results["honest"])
    assert mix.index.tolist() == ["large_amount", "compromised_terminal", "leaked_card", "card_testing"]
    frauds = world[(world["is_fraud"] == 1).to_numpy() & study.launch]
    expected = frauds["fraud_scenario"].astype(str).value_counts(normalize=True)
    for kind in mix.index:
        assert mix.loc[kind, "launch share"] == pytest.approx(expected.get(kind, 0.0))
    assert mix["validation share"].sum() == pytest.approx(1.0)
    launch = world[study.launch]
    kind = (launch["fraud_scenario"] == "leaked_card").to_numpy()
    rows = kind | (launch["is_fraud"] == 0).to_numpy()
    expected_auc = roc_auc_score(kind[rows], results["honest"].score_launch[rows])
    assert mix.loc["leaked_card", "launch ROC-AUC"] == pytest.approx(expected_auc)
    with pytest.raises(ValueError, match="must be a LeakageStudy"):
        fraud_mix(world, None, results["honest"])


def test_single_feature_roc_auc_ranks_the_traps_first(world, features, study):
    extract = features.join(post_outcome_inputs(world))
    ranking = single_feature_roc_auc(extract[study.train], study.y[study.train])
    assert set(ranking.index[:3]) == {"chargeback_amount", "case_status", "card_blocked_after"}
    assert (ranking >= 0.5).all() and ranking.is_monotonic_decreasing
    flipped = single_feature_roc_auc(-extract[["amount"]], study.y)
    assert flipped["amount"] == pytest.approx(single_feature_roc_auc(extract[["amount"]], study.y)["amount"])
    with pytest.raises(ValueError, match="not numeric"):
        single_feature_roc_auc(world[["case_status"]], study.y)
    with pytest.raises(ValueError, match="NaN"):
        single_feature_roc_auc(pd.DataFrame({"x": [np.nan] * len(world)}), study.y)


# --- the explorer's numbers -------------------------------------------------------------------

LEAKS_HERE = {
    "none": Leak("none", "", "honest", "honest"),
    "post_outcome": Leak("post-outcome columns", "availability", "post_outcome", "honest"),
}


def test_leak_numbers_of_each_version(results):
    leaky = leak_numbers(results, "post_outcome", "leaky", leaks=LEAKS_HERE)
    fixed = leak_numbers(results, "post_outcome", "fixed", leaks=LEAKS_HERE)
    post, honest = results["post_outcome"].metrics, results["honest"].metrics
    assert leaky["validation_ap"] == post["average_precision"].validation.estimate
    assert leaky["optimism_roc_auc_high"] == post["roc_auc"].optimism.high
    assert fixed["launch_ap"] == honest["average_precision"].launch.estimate
    difference = honest["average_precision"].launch.estimate - post["average_precision"].launch.estimate
    assert leaky["launch_ap_fixed_minus_leaky"] == pytest.approx(difference, abs=1e-12)
    assert leaky["launch_ap_fixed_minus_leaky"] == fixed["launch_ap_fixed_minus_leaky"]
    assert len(leaky) == 24 and all(isinstance(v, float) for v in leaky.values())
    none = leak_numbers(results, "none", "leaky", leaks=LEAKS_HERE)
    assert none["launch_roc_auc_fixed_minus_leaky_high"] == 0.0


def test_leak_table_equals_leak_numbers(results):
    table = leak_table(results, leaks=LEAKS_HERE)
    assert set(table) == {(k, v) for k in LEAKS_HERE for v in ("leaky", "fixed")}
    for (leak, version), numbers in table.items():
        assert numbers == leak_numbers(results, leak, version, leaks=LEAKS_HERE)


def test_the_module_leaks_follow_the_checklist():
    assert [leak.kind for leak in LEAKS.values()] == [
        "",
        "availability",
        "time",
        "time",
        "entity",
        "preprocessing",
        "preprocessing",
    ]


def test_leak_numbers_bad_input(results):
    with pytest.raises(ValueError, match="Unknown leak 'typo'"):
        leak_numbers(results, "typo", "leaky", leaks=LEAKS_HERE)
    with pytest.raises(ValueError, match='"leaky" or "fixed"'):
        leak_numbers(results, "none", "both", leaks=LEAKS_HERE)
    with pytest.raises(ValueError, match="results has no protocol \\['post_outcome'\\]"):
        leak_numbers({"honest": results["honest"]}, "post_outcome", "leaky", leaks=LEAKS_HERE)

"""course.lessons.class_imbalance: baselines, the four strategies, the leak, and the prior correction."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from course.lessons.class_imbalance import (
    LEAK_EVALUATIONS,
    STRATEGIES,
    KeepShareOfGenuines,
    compare_strategies,
    correct_undersampled_probabilities,
    imbalance_metrics,
    majority_baseline,
    make_strategy,
    resampling_leak_comparison,
    training_fraud_share,
    undersampled_fraud_rate,
    undersampling_scores,
)


def _data(n, rate, seed, shift=1.5):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < rate).astype(int)
    X = rng.normal(size=(n, 3))
    X[:, 0] += shift * y
    X[:, 1] += 0.7 * shift * y
    return X, y


@pytest.fixture(scope="module")
def split():
    X, y = _data(6_000, 0.03, seed=1)
    return X[:4_000], y[:4_000], X[4_000:], y[4_000:]


def test_majority_baseline_is_accurate_and_useless():
    y = np.r_[np.zeros(990, int), np.ones(10, int)]
    amounts = np.r_[np.full(990, 20.0), np.full(10, 150.0)]
    report = majority_baseline(y, amounts)
    assert report == {
        "accuracy": 0.99,
        "recall": 0.0,
        "fraud_rate": 0.01,
        "frauds_missed": 10,
        "fraud_amount_missed": 1500.0,
    }
    assert np.isnan(majority_baseline([0, 0], [1.0, 2.0])["recall"])


@pytest.mark.parametrize(
    "y, amounts, message",
    [
        ([0, 1], [1.0, -2.0], "negative"),
        ([0, 1, 0], [1.0, 2.0], "one value per transaction"),
        ([0, 2], [1.0, 2.0], "only 0"),
        ([0, 1], [1.0, np.nan], "NaN"),
    ],
)
def test_majority_baseline_rejects_bad_input(y, amounts, message):
    with pytest.raises(ValueError, match=message):
        majority_baseline(y, amounts)


def test_imbalance_metrics_agree_with_scikit_learn(split):
    _, _, X_test, y_test = split
    score = X_test[:, 0] / 10 + 0.5
    metrics = imbalance_metrics(y_test, score, k=30)
    assert metrics["average_precision"] == pytest.approx(average_precision_score(y_test, score))
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(y_test, score))
    top = np.argsort(-score)[:30]
    assert metrics["precision_at_k"] == pytest.approx(y_test[top].mean())
    assert metrics["mean_predicted"] == pytest.approx(score.mean())
    assert metrics["fraud_rate"] == pytest.approx(y_test.mean())
    with pytest.raises(ValueError, match="one class only"):
        imbalance_metrics([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="NaN"):
        imbalance_metrics([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="k == 0, must be >= 1"):
        imbalance_metrics([0, 1], [0.1, 0.2], k=0)


def test_make_strategy_builds_the_four_pipelines():
    for name in STRATEGIES:
        pipeline = make_strategy(name)
        assert [step for step, _ in pipeline.steps] == ["scale", "resample", "model"]
    assert make_strategy("plain").named_steps["resample"] == "passthrough"
    assert make_strategy("undersample", beta=1.0).named_steps["resample"] == "passthrough"
    assert make_strategy("class_weight").named_steps["model"].steps[-1][1].class_weight == "balanced"
    assert type(make_strategy("smote").named_steps["resample"]).__name__ == "SMOTE"
    assert make_strategy("plain", kind="hgb").named_steps["model"].__class__.__name__ == (
        "HistGradientBoostingClassifier"
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"strategy": "oversample"}, "strategy must be one of"),
        ({"strategy": "undersample", "beta": 0}, "beta"),
        ({"strategy": "undersample", "beta": 1.5}, "beta"),
        ({"strategy": "smote", "smote_ratio": -1}, "smote_ratio"),
        ({"strategy": "plain", "seed": 1.5}, "seed"),
        ({"strategy": "plain", "seed": -1}, "seed must be a non-negative int or a numpy.random.Generator"),
    ],
)
def test_make_strategy_rejects_bad_settings(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make_strategy(**kwargs)


def test_resampling_touches_the_training_data_only(split):
    X_train, y_train, X_test, y_test = split
    pipeline = make_strategy("undersample", beta=0.1).fit(X_train, y_train)
    kept = pipeline.named_steps["resample"].sample_indices_
    assert kept.size == y_train.sum() + round(0.1 * (y_train == 0).sum())
    # predicting never resamples: one probability per test row, in order
    assert pipeline.predict_proba(X_test).shape == (len(y_test), 2)
    # the fraud share the model saw follows the formula of undersampled_fraud_rate
    share = training_fraud_share(pipeline, y_train)
    assert share == pytest.approx(undersampled_fraud_rate(y_train.mean(), 0.1), rel=1e-3)


def test_training_fraud_share_of_each_strategy(split):
    X_train, y_train, _, _ = split
    shares = {
        name: training_fraud_share(make_strategy(name, smote_ratio=0.2).fit(X_train, y_train), y_train)
        for name in STRATEGIES
    }
    assert shares["plain"] == pytest.approx(y_train.mean())
    assert shares["class_weight"] == 0.5
    assert shares["smote"] == pytest.approx(0.2 / 1.2, rel=1e-3)
    with pytest.raises(ValueError, match="not fitted"):
        training_fraud_share(make_strategy("smote"), y_train)
    with pytest.raises(ValueError, match="make_strategy"):
        training_fraud_share(object(), y_train)


def test_compare_strategies_ranking_holds_probabilities_move(split):
    X_train, y_train, X_test, y_test = split
    result = compare_strategies(X_train, y_train, X_test, y_test, k=40, beta=0.1)
    table = result.table
    assert table.index.tolist() == list(STRATEGIES)
    assert table.columns.tolist() == [
        "average_precision",
        "roc_auc",
        "precision_at_k",
        "mean_predicted",
        "fraud_rate",
        "training_fraud_share",
    ]
    # ranking barely moves, while every rebalancing strategy inflates the probabilities
    assert table["roc_auc"].max() - table["roc_auc"].min() < 0.02
    assert table.loc["plain", "mean_predicted"] == pytest.approx(y_test.mean(), abs=0.01)
    for name in ("class_weight", "undersample", "smote"):
        assert table.loc[name, "mean_predicted"] > 2 * table.loc["plain", "mean_predicted"]
    for name, scores in result.scores.items():
        assert table.loc[name, "average_precision"] == pytest.approx(average_precision_score(y_test, scores))
    # same seed, same bytes
    again = compare_strategies(X_train, y_train, X_test, y_test, strategies=["smote"], k=40, beta=0.1)
    assert np.array_equal(again.scores["smote"], result.scores["smote"])


def test_compare_strategies_rejects_bad_input(split):
    X_train, y_train, X_test, y_test = split
    with pytest.raises(ValueError, match="one value per transaction"):
        compare_strategies(X_train, y_train[:-1], X_test, y_test)
    with pytest.raises(ValueError, match="one class only"):
        compare_strategies(X_train, np.zeros_like(y_train), X_test, y_test)
    with pytest.raises(ValueError, match="two-dimensional"):
        compare_strategies(X_train[:, 0], y_train, X_test, y_test)
    with pytest.raises(ValueError, match="strategies is empty"):
        compare_strategies(X_train, y_train, X_test, y_test, strategies=[])


def test_smote_before_the_split_compared_like_with_like():
    X, y = _data(5_000, 0.03, seed=2, shift=1.0)
    leak = resampling_leak_comparison(X, y, test_size=0.3, smote_ratio=0.3, seed=3)
    table = leak.table
    reported, weighted, real_rows, honest = LEAK_EVALUATIONS
    assert table.index.tolist() == list(LEAK_EVALUATIONS)
    assert table.loc[reported, "synthetic_test_rows"] > 0 and table.loc[honest, "synthetic_test_rows"] == 0
    # the leaky test set is full of synthetic frauds: a far higher fraud rate and a flattering AP
    assert table.loc[reported, "fraud_rate"] > 5 * table.loc[honest, "fraud_rate"]
    assert table.loc[reported, "average_precision"] > table.loc[honest, "average_precision"] + 0.2
    # weighted to the real rate, the same test set is read at the honest one's prevalence
    assert table.loc[weighted, "fraud_rate"] == pytest.approx(table.loc[honest, "fraud_rate"])
    assert table.loc[weighted, "average_precision"] < table.loc[reported, "average_precision"]
    assert table.loc[weighted, "roc_auc"] == pytest.approx(table.loc[reported, "roc_auc"])  # weights do not move it
    # both recipes are judged on the same real rows
    assert table.loc[real_rows, "test_rows"] == table.loc[honest, "test_rows"] == leak.test_index.size
    assert (
        table.loc[real_rows, "test_rows"] + table.loc[reported, "synthetic_test_rows"]
        == table.loc[reported, "test_rows"]
    )
    np.testing.assert_array_equal(leak.y_test, y[leak.test_index])
    assert table.loc[real_rows, "average_precision"] == pytest.approx(
        average_precision_score(leak.y_test, leak.scores["leaky"])
    )
    assert table.loc[honest, "average_precision"] == pytest.approx(
        average_precision_score(leak.y_test, leak.scores["honest"])
    )
    # the mechanism: the leaky training set holds near-copies of the test frauds
    mechanism = leak.mechanism
    assert mechanism["median_distance_leaky"] < 0.5 * mechanism["median_distance_honest"]
    assert mechanism["test_frauds_closer_in_leaky"] > 0.9
    assert 0 < mechanism["synthetic_next_to_a_test_fraud"] < 1
    again = resampling_leak_comparison(X, y, test_size=0.3, smote_ratio=0.3, seed=3)
    assert again.table.equals(table)
    with pytest.raises(ValueError, match="test_size"):
        resampling_leak_comparison(X, y, test_size=1.0)


def test_prior_correction_undoes_undersampling():
    rates = np.array([0.001, 0.005, 0.02, 0.3])
    for beta in (1.0, 0.5, 0.1, 0.01):
        inflated = undersampled_fraud_rate(rates, beta)
        assert np.all(inflated >= rates)
        assert correct_undersampled_probabilities(inflated, beta) == pytest.approx(rates)
    assert undersampled_fraud_rate(0.01, 1.0) == pytest.approx(0.01)
    # increasing map: the ranking does not change
    p = np.linspace(0, 1, 11)
    assert np.all(np.diff(correct_undersampled_probabilities(p, 0.05)) > 0)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: undersampled_fraud_rate(0.01, 0.0), "beta"),
        (lambda: undersampled_fraud_rate(1.2, 0.5), "fraud_rate"),
        (lambda: correct_undersampled_probabilities([0.2, 1.3], 0.5), "between 0 and 1"),
        (lambda: correct_undersampled_probabilities([0.2, np.nan], 0.5), "NaN"),
        (lambda: correct_undersampled_probabilities([0.2], True), "beta"),
    ],
)
def test_prior_correction_rejects_bad_input(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


def test_undersampling_scores_inflate_and_correction_recovers_the_rate():
    X, y = _data(30_000, 0.01, seed=4)
    X_train, y_train, X_test, y_test = X[:20_000], y[:20_000], X[20_000:], y[20_000:]
    scores = undersampling_scores(X_train, y_train, X_test, betas=[0.05, 1.0, 0.2])
    assert list(scores) == [1.0, 0.2, 0.05]
    means = [scores[b].mean() for b in scores]
    assert means[0] < means[1] < means[2]
    for beta, proba in scores.items():
        corrected = correct_undersampled_probabilities(proba, beta).mean()
        assert corrected == pytest.approx(y_test.mean(), rel=0.35)
        assert roc_auc_score(y_test, proba) == pytest.approx(roc_auc_score(y_test, scores[1.0]), abs=0.02)
    plain = compare_strategies(X_train, y_train, X_test, y_test, strategies=["plain"]).scores["plain"]
    assert np.array_equal(scores[1.0], plain)
    reused = undersampling_scores(X_train, y_train, X_test, betas=[1.0], known_scores={1.0: plain[::-1]})
    assert np.array_equal(reused[1.0], plain[::-1])
    with pytest.raises(ValueError, match="one value per transaction"):
        undersampling_scores(X_train, y_train, X_test, betas=[1.0], known_scores={1.0: plain[:5]})
    with pytest.raises(ValueError, match="betas is empty"):
        undersampling_scores(X_train, y_train, X_test, betas=[])


def test_keep_share_of_genuines_keeps_at_least_one():
    assert KeepShareOfGenuines(0.001)([0] * 10 + [1] * 3) == {0: 1}
    assert repr(KeepShareOfGenuines(0.25)) == "KeepShareOfGenuines(beta=0.25)"
    with pytest.raises(ValueError, match="beta"):
        KeepShareOfGenuines(2)


def test_a_flexible_model_exploits_the_near_copies_a_linear_one_barely():
    # what module 01 says: gradient-boosted trees memorise the synthetic neighbours of the test frauds
    X, y = _data(6_000, 0.03, seed=0, shift=1.0)
    _, _, real_rows, honest = LEAK_EVALUATIONS
    trees = resampling_leak_comparison(X, y, kind="hgb", smote_ratio=0.3, seed=0).table["average_precision"]
    linear = resampling_leak_comparison(X, y, kind="logreg", smote_ratio=0.3, seed=0).table["average_precision"]
    assert trees[real_rows] > trees[honest] + 0.1
    assert abs(linear[real_rows] - linear[honest]) < 0.02


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0", None])
def test_seed_check_agrees_with_check_rng(seed):
    from course._validation import check_rng
    from course.lessons.class_imbalance import _check_seed

    with pytest.raises(ValueError) as ours:
        _check_seed(seed)
    with pytest.raises(ValueError) as theirs:
        check_rng(seed)
    assert str(ours.value) == str(theirs.value)


def test_a_generator_seed_is_accepted_like_everywhere_else():
    from course.lessons.class_imbalance import _check_seed

    assert _check_seed(7) == 7
    first, again = _check_seed(np.random.default_rng(3)), _check_seed(np.random.default_rng(3))
    assert first == again and isinstance(first, int) and first >= 0
    make_strategy("undersample", seed=np.random.default_rng(0))

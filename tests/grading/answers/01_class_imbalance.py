"""Common wrong answers to 01_class_imbalance: each must lose the points of its question, and only those.

answer cell grade_id -> {why it is wrong: code that replaces the whole answer cell}
The pipeline test grades the k-th wrong answer of every answer cell in one submission.
"""

_PIPELINE = (
    "    pipeline = Pipeline([('scale', StandardScaler()),\n"
    "                         ('undersample', RandomUnderSampler(sampling_strategy=ratio, random_state=seed)),\n"
    "                         ('model', LogisticRegression(max_iter=1000))])\n"
)

WRONG_ANSWERS = {
    "01-baseline-answer": {
        "the mean fraud amount, not the total let through": (
            "def flag_nothing_report(y_true, amounts):\n"
            "    y_true, amounts = np.asarray(y_true), np.asarray(amounts, dtype=float)\n"
            "    return {'accuracy': float((y_true == 0).mean()), 'recall': 0.0,\n"
            "            'frauds_missed': int(y_true.sum()), 'fraud_amount_missed': float(amounts[y_true == 1].mean())}"
        ),
        "accuracy as the share of frauds (the metric inverted)": (
            "def flag_nothing_report(y_true, amounts):\n"
            "    y_true, amounts = np.asarray(y_true), np.asarray(amounts, dtype=float)\n"
            "    return {'accuracy': float(y_true.mean()), 'recall': 0.0,\n"
            "            'frauds_missed': int(y_true.sum()), 'fraud_amount_missed': float(amounts[y_true == 1].sum())}"
        ),
    },
    "01-undersampling-answer": {
        "accuracy as the metric instead of average precision": (
            "from sklearn.metrics import accuracy_score\n\n\n"
            "def evaluate_undersampling(df, X, ratio, seed):\n"
            "    train, test = time_split(df, train_days=TRAIN_DAYS, gap_days=GAP_DAYS, test_days=TEST_DAYS)\n"
            "    labels = df['is_fraud'].to_numpy()\n"
            + _PIPELINE
            + "    proba = pipeline.fit(X[train], labels[train]).predict_proba(X[test])[:, 1]\n"
            "    return {'n_test': int(test.sum()), 'test_fraud_rate': float(labels[test].mean()),\n"
            "            'average_precision': float(accuracy_score(labels[test], proba >= 0.5)),\n"
            "            'mean_predicted': float(proba.mean())}"
        ),
        "random split instead of a time split": (
            "from sklearn.model_selection import train_test_split\n\n\n"
            "def evaluate_undersampling(df, X, ratio, seed):\n"
            "    labels = df['is_fraud'].to_numpy()\n"
            "    X_train, X_test, y_train, y_test = train_test_split(X, labels, test_size=0.25, stratify=labels,\n"
            "                                                        random_state=seed)\n"
            + _PIPELINE
            + "    proba = pipeline.fit(X_train, y_train).predict_proba(X_test)[:, 1]\n"
            "    return {'n_test': int(len(y_test)), 'test_fraud_rate': float(y_test.mean()),\n"
            "            'average_precision': float(average_precision_score(y_test, proba)),\n"
            "            'mean_predicted': float(proba.mean())}"
        ),
        "undersampling the whole data before the split (the test rows are resampled too)": (
            "def evaluate_undersampling(df, X, ratio, seed):\n"
            "    labels = df['is_fraud'].to_numpy()\n"
            "    sampler = RandomUnderSampler(sampling_strategy=ratio, random_state=seed)\n"
            "    sampler.fit_resample(X, labels)\n"
            "    kept = np.zeros(len(labels), dtype=bool)\n"
            "    kept[sampler.sample_indices_] = True\n"
            "    train, test = time_split(df, train_days=TRAIN_DAYS, gap_days=GAP_DAYS, test_days=TEST_DAYS)\n"
            "    train, test = train & kept, test & kept\n"
            "    pipeline = Pipeline([('scale', StandardScaler()), ('model', LogisticRegression(max_iter=1000))])\n"
            "    proba = pipeline.fit(X[train], labels[train]).predict_proba(X[test])[:, 1]\n"
            "    return {'n_test': int(test.sum()), 'test_fraud_rate': float(labels[test].mean()),\n"
            "            'average_precision': float(average_precision_score(labels[test], proba)),\n"
            "            'mean_predicted': float(proba.mean())}"
        ),
    },
    "01-trained-rate-answer": {
        "base rate divided by beta (forgets that the frauds are kept)": "trained_fraud_rate = BASE_RATE / BETA",
        "base rate times beta (undersampling lowers nothing: frauds are all kept)": (
            "trained_fraud_rate = BASE_RATE * BETA"
        ),
    },
    "01-correction-answer": {
        "scales the probabilities by beta instead of correcting the odds": (
            "def correct_probabilities(proba, beta):\n    return beta * np.asarray(proba, dtype=float)"
        ),
        "applies the undersampling once more (inflates) instead of undoing it": (
            "def correct_probabilities(proba, beta):\n"
            "    proba = np.asarray(proba, dtype=float)\n"
            "    return proba / (proba + beta * (1 - proba))"
        ),
    },
}

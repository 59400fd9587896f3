"""Answer corpora of 01_class_imbalance, graded through the real nbgrader pipeline (tests/grading).

WRONG_ANSWERS: answer cell grade_id -> {why it is wrong: code that replaces the whole cell};
each must lose the points of its question, and only those; for every question at least one
passes the visible check and is caught by the hidden tests only.
RIGHT_ANSWERS: answer cell grade_id -> {which correct variant: code}; each must earn full marks.
The pipeline grades the k-th answer of every cell together in one submission.
"""

_PIPELINE = (
    "    pipeline = Pipeline([('scale', StandardScaler()),\n"
    "                         ('undersample', RandomUnderSampler(sampling_strategy=ratio, random_state=seed)),\n"
    "                         ('model', LogisticRegression(max_iter=1000))])\n"
)
_RESULT = (
    "    return {'n_test': int(test.sum()), 'test_fraud_rate': float(labels[test].mean()),\n"
    "            'average_precision': float(average_precision_score(labels[test], proba)),\n"
    "            'mean_predicted': float(proba.mean())}"
)
_SPLIT = (
    "    train, test = time_split(df, train_days=TRAIN_DAYS, gap_days=GAP_DAYS, test_days=TEST_DAYS)\n"
    "    labels = df['is_fraud'].to_numpy()\n"
)


def _report(accuracy, recall, missed, amount, setup=""):
    return (
        "def decision_report(y_true, y_pred, amounts):\n"
        "    y_true, y_pred, amounts = np.asarray(y_true), np.asarray(y_pred), np.asarray(amounts, dtype=float)\n"
        "    frauds, flagged = y_true == 1, y_pred == 1\n"
        f"{setup}"
        f"    return {{'accuracy': float({accuracy}), 'recall': float({recall}),\n"
        f"            'frauds_missed': int({missed}), 'fraud_amount_missed': float({amount})}}"
    )


_ACCURACY = "(frauds == flagged).mean()"
_RECALL = "(frauds & flagged).sum() / frauds.sum()"
_MISSED = "(frauds & ~flagged).sum()"
_AMOUNT = "amounts[frauds & ~flagged].sum()"


def _correction(body):
    return f"def correct_probabilities(proba, trained_rate, live_rate):\n    proba = np.asarray(proba, dtype=float)\n{body}"


_ODDS_FACTOR = "    factor = (live_rate / (1 - live_rate)) / (trained_rate / (1 - trained_rate))\n"

WRONG_ANSWERS = {
    "01-baseline-answer": {
        # hidden only: right for the flag-nothing model, whatever the decisions
        "accuracy as the share of genuine payments (the flag-nothing formula), whatever the decisions": _report(
            "1 - frauds.mean()", _RECALL, _MISSED, _AMOUNT
        ),
        "the module's flag-nothing baseline, whatever the decisions (a lookup, not a report)": (
            "from course.lessons.class_imbalance import majority_baseline\n\n\n"
            "def decision_report(y_true, y_pred, amounts):\n"
            "    report = majority_baseline(y_true, amounts)\n"
            "    return {key: report[key] for key in ('accuracy', 'recall', 'frauds_missed', 'fraud_amount_missed')}"
        ),
        "frauds missed counted as every payment let through": _report(_ACCURACY, _RECALL, "(~flagged).sum()", _AMOUNT),
        "the amount of the frauds caught, not of those missed": _report(
            _ACCURACY, _RECALL, _MISSED, "amounts[frauds & flagged].sum()"
        ),
    },
    "01-undersampling-answer": {
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
        "the scaler fitted after the sampler, on the undersampled rows": (
            "def evaluate_undersampling(df, X, ratio, seed):\n"
            + _SPLIT
            + "    pipeline = Pipeline([('undersample', RandomUnderSampler(sampling_strategy=ratio, random_state=seed)),\n"
            "                         ('scale', StandardScaler()), ('model', LogisticRegression(max_iter=1000))])\n"
            "    proba = pipeline.fit(X[train], labels[train]).predict_proba(X[test])[:, 1]\n" + _RESULT
        ),
        "the sampler's random_state fixed at 0 instead of seed": (
            "def evaluate_undersampling(df, X, ratio, seed):\n"
            + _SPLIT
            + _PIPELINE.replace("random_state=seed", "random_state=0")
            + "    proba = pipeline.fit(X[train], labels[train]).predict_proba(X[test])[:, 1]\n"
            + _RESULT
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
            "    proba = pipeline.fit(X[train], labels[train]).predict_proba(X[test])[:, 1]\n" + _RESULT
        ),
    },
    "01-trained-rate-answer": {
        "RATIO read as the fraud rate, and as the share of genuine payments kept": (
            "trained_fraud_rate = RATIO\ngenuine_share_kept = RATIO"
        ),
        "the genuine share forgets that genuine payments are 1 - BASE_RATE of the data (off by 2.5e-4)": (
            "trained_fraud_rate = RATIO / (1 + RATIO)\ngenuine_share_kept = BASE_RATE / RATIO"
        ),
        "the trained rate as RATIO, the share right": (
            "trained_fraud_rate = RATIO\ngenuine_share_kept = BASE_RATE / ((1 - BASE_RATE) * RATIO)"
        ),
        "the module's formula with beta = RATIO, and beta = RATIO": (
            "trained_fraud_rate = BASE_RATE / (BASE_RATE + RATIO * (1 - BASE_RATE))\ngenuine_share_kept = RATIO"
        ),
    },
    "01-correction-answer": {
        "odds form that divides by zero at p = 1 (NaN for a certain fraud)": _correction(
            _ODDS_FACTOR + "    odds = proba / (1 - proba) * factor\n    return odds / (1 + odds)"
        ),
        "the rate ratio in place of the odds ratio": _correction(
            "    beta = live_rate / trained_rate\n    return beta * proba / (beta * proba - proba + 1)"
        ),
        "applies the shift backwards (from live to trained)": _correction(
            _ODDS_FACTOR + "    return proba / (proba + factor * (1 - proba))"
        ),
        "the module's undersampling correction, which refuses a fraud rate that rose (beta > 1)": (
            "from course.lessons.class_imbalance import correct_undersampled_probabilities\n\n\n"
            + _correction(_ODDS_FACTOR + "    return correct_undersampled_probabilities(proba, beta=factor)")
        ),
    },
}

RIGHT_ANSWERS = {
    "01-baseline-answer": {
        "scikit-learn's accuracy_score and recall_score, numpy scalars": (
            "from sklearn.metrics import accuracy_score, recall_score\n\n\n"
            "def decision_report(y_true, y_pred, amounts):\n"
            "    missed = (np.asarray(y_true) == 1) & (np.asarray(y_pred) == 0)\n"
            "    return {'accuracy': accuracy_score(y_true, y_pred), 'recall': recall_score(y_true, y_pred),\n"
            "            'frauds_missed': missed.sum(), 'fraud_amount_missed': np.asarray(amounts)[missed].sum()}"
        ),
        "a confusion matrix": (
            "from sklearn.metrics import confusion_matrix\n\n\n"
            "def decision_report(y_true, y_pred, amounts):\n"
            "    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()\n"
            "    missed = (np.asarray(y_true) == 1) & (np.asarray(y_pred) == 0)\n"
            "    return {'accuracy': (tp + tn) / (tn + fp + fn + tp), 'recall': tp / (tp + fn),\n"
            "            'frauds_missed': fn, 'fraud_amount_missed': float(np.dot(missed, amounts))}"
        ),
        "a pandas DataFrame": (
            "import pandas as pd\n\n\n"
            "def decision_report(y_true, y_pred, amounts):\n"
            "    t = pd.DataFrame({'fraud': y_true, 'flag': y_pred, 'amount': amounts})\n"
            "    missed = t[(t['fraud'] == 1) & (t['flag'] == 0)]\n"
            "    return {'accuracy': (t['fraud'] == t['flag']).mean(),\n"
            "            'recall': t.loc[t['fraud'] == 1, 'flag'].mean(),\n"
            "            'frauds_missed': len(missed), 'fraud_amount_missed': missed['amount'].sum()}"
        ),
        "a Python loop": (
            "def decision_report(y_true, y_pred, amounts):\n"
            "    right = caught = frauds = missed = 0\n"
            "    money = 0.0\n"
            "    for label, flag, amount in zip(y_true, y_pred, amounts):\n"
            "        right += int(label == flag)\n"
            "        if label == 1:\n"
            "            frauds += 1\n"
            "            if flag == 1:\n"
            "                caught += 1\n"
            "            else:\n"
            "                missed += 1\n"
            "                money += amount\n"
            "    return {'accuracy': right / len(y_true), 'recall': caught / frauds,\n"
            "            'frauds_missed': missed, 'fraud_amount_missed': money}"
        ),
    },
    "01-undersampling-answer": {
        "scaler, sampler and model applied by hand to the training rows (the same steps)": (
            "def evaluate_undersampling(df, X, ratio, seed):\n"
            + _SPLIT
            + "    scaler = StandardScaler().fit(X[train])\n"
            "    sampler = RandomUnderSampler(sampling_strategy=ratio, random_state=seed)\n"
            "    X_kept, y_kept = sampler.fit_resample(scaler.transform(X[train]), labels[train])\n"
            "    model = LogisticRegression(max_iter=1000).fit(X_kept, y_kept)\n"
            "    proba = model.predict_proba(scaler.transform(X[test]))[:, 1]\n" + _RESULT
        ),
        "make_pipeline (other step names), pandas rows and a numpy mean": (
            "from imblearn.pipeline import make_pipeline\n\n\n"
            "def evaluate_undersampling(df, X, ratio, seed):\n"
            "    train, test = time_split(df, train_days=TRAIN_DAYS, gap_days=GAP_DAYS, test_days=TEST_DAYS)\n"
            "    pipeline = make_pipeline(StandardScaler(), RandomUnderSampler(sampling_strategy=ratio, random_state=seed),\n"
            "                             LogisticRegression(max_iter=1000))\n"
            "    pipeline.fit(X.loc[train], df.loc[train, 'is_fraud'])\n"
            "    proba = pipeline.predict_proba(X.loc[test])[:, 1]\n"
            "    test_labels = df.loc[test, 'is_fraud']\n"
            "    return {'n_test': len(test_labels), 'test_fraud_rate': test_labels.mean(),\n"
            "            'average_precision': average_precision_score(test_labels, proba), 'mean_predicted': np.mean(proba)}"
        ),
        "numpy arrays in, the day column compared by hand": (
            "def evaluate_undersampling(df, X, ratio, seed):\n"
            "    day = df['day'].to_numpy()\n"
            "    start = day.min()\n"
            "    train = day < start + TRAIN_DAYS\n"
            "    test = (day >= start + TRAIN_DAYS + GAP_DAYS) & (day < start + TRAIN_DAYS + GAP_DAYS + TEST_DAYS)\n"
            "    features, labels = X.to_numpy(), df['is_fraud'].to_numpy()\n"
            + _PIPELINE
            + "    proba = pipeline.fit(features[train], labels[train]).predict_proba(features[test])[:, 1]\n"
            + _RESULT
        ),
    },
    "01-trained-rate-answer": {
        "per 100 payments, step by step": (
            "frauds = 100 * BASE_RATE\n"
            "genuines = 100 * (1 - BASE_RATE)\n"
            "genuines_kept = frauds / RATIO\n"
            "trained_fraud_rate = frauds / (frauds + genuines_kept)\n"
            "genuine_share_kept = genuines_kept / genuines"
        ),
        "odds: the base odds over the trained odds": (
            "trained_fraud_rate = 1 / (1 + 1 / RATIO)\ngenuine_share_kept = (BASE_RATE / (1 - BASE_RATE)) / RATIO"
        ),
        "exact fractions, then floats": (
            "from fractions import Fraction\n"
            "_r, _b = Fraction(RATIO).limit_denominator(), Fraction(BASE_RATE).limit_denominator()\n"
            "trained_fraud_rate = float(_r / (1 + _r))\n"
            "genuine_share_kept = float(_b / ((1 - _b) * _r))"
        ),
        "numpy scalars, the trained rate put back into the module's formula to find beta": (
            "trained_fraud_rate = np.float64(RATIO) / (1 + RATIO)\n"
            "# module 01: trained = b / (b + beta (1 - b)), solved for beta\n"
            "genuine_share_kept = np.float64(BASE_RATE) * (1 - trained_fraud_rate) / (trained_fraud_rate * (1 - BASE_RATE))"
        ),
    },
    "01-correction-answer": {
        "odds form with the certain cases handled apart": _correction(
            _ODDS_FACTOR + "    with np.errstate(divide='ignore', invalid='ignore'):\n"
            "        odds = proba / (1 - proba) * factor\n"
            "        return np.where(proba == 1, 1.0, odds / (1 + odds))"
        ),
        "logit shift with scipy (logit(1) = inf, expit(inf) = 1)": (
            "from scipy.special import expit, logit\n\n\n"
            + _correction(
                "    shift = logit(live_rate) - logit(trained_rate)\n"
                "    with np.errstate(divide='ignore'):\n"
                "        return expit(logit(proba) + shift)"
            )
        ),
        "a Python loop, returned as an array": (
            "def correct_probabilities(proba, trained_rate, live_rate):\n"
            "    factor = (live_rate / (1 - live_rate)) / (trained_rate / (1 - trained_rate))\n"
            "    out = []\n"
            "    for p in proba:\n"
            "        out.append(1.0 if p == 1 else factor * p / (factor * p + 1 - p))\n"
            "    return np.array(out)"
        ),
        "odds clipped away from 0 and 1 (within 1e-9 of the limits)": _correction(
            _ODDS_FACTOR + "    p = np.clip(proba, 1e-15, 1 - 1e-15)\n"
            "    odds = p / (1 - p) * factor\n"
            "    return odds / (1 + odds)"
        ),
    },
}

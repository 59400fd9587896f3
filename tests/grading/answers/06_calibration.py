"""Answers to 06_calibration graded through the real nbgrader pipeline (tests/grading).

WRONG_ANSWERS: answer cell grade_id -> {why it is wrong: code that replaces the whole answer cell};
each must lose the points of its question, and only those.
RIGHT_ANSWERS: answer cell grade_id -> {which alternative: code}; each must earn full marks.
The pipeline grades the k-th answer of every answer cell together in one submission.
"""

_BINS_TEMPLATE = (
    "def equal_count_bins(y_prob, n_bins):\n"
    "    order = {order}\n"
    "    bins = np.empty(order.size, dtype=int)\n"
    "    for number, positions in enumerate(np.array_split(order, n_bins)):\n"
    "        bins[positions] = number\n"
    "    return bins\n"
)

_PRIOR_TEMPLATE = (
    "def prior_correction(p, sample_fraud_rate, population_fraud_rate):\n"
    "    p = np.asarray(p, dtype=float)\n"
    "    odds = lambda q: q / (1 - q)\n"
    "{body}"
)

_CALIBRATE_TEMPLATE = (
    "calibrated = CalibratedClassifierCV({estimator}, method={method!r}).fit({X}, {y})\n"
    "brier_before = brier_score_loss(y_test, model.predict_proba(X_test)[:, 1])\n"
    "brier_after = brier_score_loss(y_test, calibrated.predict_proba(X_test)[:, 1])\n"
)

_MONEY_TEMPLATE = (
    "def calibration_saving(y_true, p_raw, p_calibrated, amounts, review_cost, friction_cost):\n"
    "    y_true, amounts = np.asarray(y_true), np.asarray(amounts, dtype=float)\n"
    "\n"
    "    def cost(p):\n"
    "        flagged = {rule}\n"
    "        return (review_cost * flagged.sum() + friction_cost * (flagged & (y_true == 0)).sum()\n"
    "                + amounts[~flagged & (y_true == 1)].sum())\n"
    "\n"
    "    return float({saving})\n"
)
_RULE = "np.asarray(p, dtype=float) * (amounts + friction_cost) >= review_cost + friction_cost"

WRONG_ANSWERS = {
    "06-bins-answer": {
        "bins by position in the data, not by score": _BINS_TEMPLATE.format(order="np.arange(len(y_prob))"),
        "bin 0 holds the highest scores (sorted in decreasing order)": _BINS_TEMPLATE.format(
            order="np.argsort(-np.asarray(y_prob), kind='stable')"
        ),
    },
    "06-ece-answer": {
        "ECE without bin weights (the plain mean of the bins' gaps)": (
            "def expected_calibration_error(y_true, y_prob, bins):\n"
            "    y_true, y_prob, bins = np.asarray(y_true, dtype=float), np.asarray(y_prob, dtype=float), np.asarray(bins)\n"
            "    gaps = [abs(y_prob[bins == b].mean() - y_true[bins == b].mean()) for b in np.unique(bins)]\n"
            "    return float(np.mean(gaps))\n"
        ),
        "every number from 0 to the largest bin counted as a bin (empty ones give 0 / 0)": (
            "def expected_calibration_error(y_true, y_prob, bins):\n"
            "    bins = np.asarray(bins)\n"
            "    counts = np.bincount(bins)\n"
            "    mean_p = np.bincount(bins, weights=y_prob) / counts\n"
            "    rate = np.bincount(bins, weights=y_true) / counts\n"
            "    return float(np.sum(counts / bins.size * np.abs(mean_p - rate)))\n"
        ),
    },
    "06-prior-answer": {
        "probabilities scaled by the ratio of the fraud rates, not their odds": _PRIOR_TEMPLATE.format(
            body="    return p * population_fraud_rate / sample_fraud_rate\n"
        ),
        "the correction inverted (odds multiplied by odds(sample) / odds(population))": _PRIOR_TEMPLATE.format(
            body=(
                "    factor = odds(sample_fraud_rate) / odds(population_fraud_rate)\n"
                "    return factor * p / (factor * p + 1 - p)\n"
            )
        ),
    },
    "06-calibrate-answer": {
        "calibrated on the training window, the data the model learnt from": _CALIBRATE_TEMPLATE.format(
            estimator="FrozenEstimator(model)", method="sigmoid", X="X_train", y="y_train"
        ),
        "isotonic fitted on the test window (judged on the data it learnt from)": _CALIBRATE_TEMPLATE.format(
            estimator="FrozenEstimator(model)", method="isotonic", X="X_test", y="y_test"
        ),
    },
    "06-money-answer": {
        "a payment exactly at the break-even is not flagged (> instead of >=)": _MONEY_TEMPLATE.format(
            rule=_RULE.replace(">=", ">"), saving="cost(p_raw) - cost(p_calibrated)"
        ),
        "friction left out of the rule (flag when p x amount >= review)": _MONEY_TEMPLATE.format(
            rule="np.asarray(p, dtype=float) * amounts >= review_cost", saving="cost(p_raw) - cost(p_calibrated)"
        ),
    },
}

RIGHT_ANSWERS = {
    "06-bins-answer": {
        "ordinal ranks from scipy, groups sized as np.array_split": (
            "from scipy.stats import rankdata\n"
            "\n"
            "\n"
            "def equal_count_bins(y_prob, n_bins):\n"
            "    ranks = rankdata(y_prob, method='ordinal') - 1  # ties ranked in order of appearance\n"
            "    sizes = [len(group) for group in np.array_split(np.arange(len(y_prob)), n_bins)]\n"
            "    return np.repeat(np.arange(n_bins), sizes)[ranks]\n"
        ),
        "plain Python: sorted() is stable, divmod sizes the groups": (
            "def equal_count_bins(y_prob, n_bins):\n"
            "    n = len(y_prob)\n"
            "    order = sorted(range(n), key=lambda i: y_prob[i])\n"
            "    base, extra = divmod(n, n_bins)\n"
            "    bins, start = [0] * n, 0\n"
            "    for number in range(n_bins):\n"
            "        size = base + (1 if number < extra else 0)\n"
            "        for i in order[start:start + size]:\n"
            "            bins[i] = number\n"
            "        start += size\n"
            "    return np.array(bins)\n"
        ),
    },
    "06-ece-answer": {
        "pandas groupby": (
            "import pandas as pd\n"
            "\n"
            "\n"
            "def expected_calibration_error(y_true, y_prob, bins):\n"
            "    frame = pd.DataFrame({'y': y_true, 'p': y_prob, 'bin': bins})\n"
            "    per_bin = frame.groupby('bin').agg(n=('y', 'size'), rate=('y', 'mean'), mean_p=('p', 'mean'))\n"
            "    return float((per_bin['n'] / len(frame) * (per_bin['mean_p'] - per_bin['rate']).abs()).sum())\n"
        ),
        "the algebraic shortcut: sum over bins of |sum p - sum y|, divided by N": (
            "def expected_calibration_error(y_true, y_prob, bins):\n"
            "    _, index = np.unique(bins, return_inverse=True)\n"
            "    predicted = np.bincount(index, weights=np.asarray(y_prob, dtype=float))\n"
            "    frauds = np.bincount(index, weights=np.asarray(y_true, dtype=float))\n"
            "    return float(np.abs(predicted - frauds).sum() / len(index))\n"
        ),
    },
    "06-prior-answer": {
        "module 01's correction with beta derived from the two rates": (
            "from course.lessons.class_imbalance import correct_undersampled_probabilities\n"
            "\n"
            "\n"
            "def prior_correction(p, sample_fraud_rate, population_fraud_rate):\n"
            "    odds = lambda q: q / (1 - q)\n"
            "    beta = odds(population_fraud_rate) / odds(sample_fraud_rate)  # the share of genuines kept\n"
            "    return correct_undersampled_probabilities(np.asarray(p, dtype=float), beta)\n"
        ),
        "in log-odds with scipy's logit and expit (p = 1 -> +inf -> 1)": (
            "from scipy.special import expit, logit\n"
            "\n"
            "\n"
            "def prior_correction(p, sample_fraud_rate, population_fraud_rate):\n"
            "    shift = logit(population_fraud_rate) - logit(sample_fraud_rate)\n"
            "    return expit(logit(np.asarray(p, dtype=float)) + shift)\n"
        ),
    },
    "06-calibrate-answer": {
        "Brier scores written out with NumPy": (
            "calibrated = CalibratedClassifierCV(FrozenEstimator(model), method='sigmoid')\n"
            "calibrated.fit(X_cal, y_cal)\n"
            "brier_before = float(np.mean((model.predict_proba(X_test)[:, 1] - y_test) ** 2))\n"
            "brier_after = float(np.mean((calibrated.predict_proba(X_test)[:, 1] - y_test) ** 2))\n"
        ),
        "ensemble=False and another cv said out loud (a frozen model: the same calibrator)": (
            "calibrated = CalibratedClassifierCV(FrozenEstimator(model), method='sigmoid', ensemble=False, cv=3)\n"
            "calibrated.fit(X_cal, y_cal)\n"
            "brier_before = brier_score_loss(y_test, model.predict_proba(X_test)[:, 1])\n"
            "brier_after = brier_score_loss(y_test, calibrated.predict_proba(X_test)[:, 1])\n"
        ),
    },
    "06-money-answer": {
        "one payment at a time, in Python": (
            "def calibration_saving(y_true, p_raw, p_calibrated, amounts, review_cost, friction_cost):\n"
            "    def cost(probabilities):\n"
            "        total = 0.0\n"
            "        for label, p, amount in zip(y_true, probabilities, amounts):\n"
            "            if p * (amount + friction_cost) >= review_cost + friction_cost:\n"
            "                total += review_cost + (friction_cost if label == 0 else 0.0)\n"
            "            elif label == 1:\n"
            "                total += amount\n"
            "        return total\n"
            "\n"
            "    return cost(p_raw) - cost(p_calibrated)\n"
        ),
        "the course's rule and costs (course.metrics, module 03)": (
            "from course.lessons.thresholds_and_costs import decision_costs\n"
            "from course.metrics import CostModel, expected_loss_decisions\n"
            "\n"
            "\n"
            "def calibration_saving(y_true, p_raw, p_calibrated, amounts, review_cost, friction_cost):\n"
            "    costs = CostModel(review_cost=review_cost, friction_cost=friction_cost)\n"
            "    spent = [decision_costs(y_true, expected_loss_decisions(p, amounts=amounts, cost_model=costs).astype(int),\n"
            "                            amounts=amounts, cost_model=costs)['expected_cost'] for p in (p_raw, p_calibrated)]\n"
            "    return spent[0] - spent[1]\n"
        ),
    },
}

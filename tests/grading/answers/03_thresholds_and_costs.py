"""Common wrong answers to 03_thresholds_and_costs: each must lose the points of its question, and only those.

answer cell grade_id -> {why it is wrong: code that replaces the whole answer cell}
The pipeline test grades the k-th wrong answer of every answer cell in one submission.
"""

_TUNED_TEMPLATE = (
    "def business_savings(y_true, y_pred, amount):\n"
    "    y_true, y_pred, amount = np.asarray(y_true), np.asarray(y_pred), np.asarray(amount, dtype=float)\n"
    "    flagged, fraud = y_pred == 1, y_true == 1\n"
    "    missed = amount[~flagged & fraud].sum()\n"
    "    return amount[fraud].sum() - ({reviews} + FRICTION_COST * (flagged & ~fraud).sum() + missed)\n"
    "\n"
    "\n"
    "with sklearn.config_context(enable_metadata_routing=True):\n"
    "    scorer = make_scorer(business_savings).set_score_request(amount=True)\n"
    "    tuned = TunedThresholdClassifierCV(model, scoring={scoring}, thresholds=candidate_thresholds,\n"
    "                                       cv='prefit', refit=False)\n"
    "    tuned.fit(X_val, y_val{fit_amount})\n"
)

_CAPACITY_TEMPLATE = (
    "def best_threshold_within_capacity(y_true, scores, amounts, thresholds, n_days, capacity_per_day,\n"
    "                                   review_cost, friction_cost):\n"
    "    best, best_cost = np.inf, np.inf\n"
    "    for threshold in sorted(thresholds):\n"
    "        flagged = scores {compare} threshold\n"
    "        alerts = int(flagged.sum())\n"
    "        if {per_day} > capacity_per_day:\n"
    "            continue\n"
    "        cost = review_cost * alerts + friction_cost * (flagged & (y_true == 0)).sum()\n"
    "        cost += amounts[~flagged & (y_true == 1)].sum()\n"
    "        if cost <= best_cost:\n"
    "            best, best_cost = float(threshold), cost\n"
    "    return best\n"
)


def _capacity(compare=">=", per_day="alerts / n_days"):
    return _CAPACITY_TEMPLATE.format(compare=compare, per_day=per_day)


WRONG_ANSWERS = {
    "03-cost-answer": {
        "review cost counted on false alarms only (a caught fraud is reviewed too)": (
            "def expected_cost(y_true, y_pred, amounts, review_cost, friction_cost):\n"
            "    false_alarms = ((y_pred == 1) & (y_true == 0)).sum()\n"
            "    return (review_cost + friction_cost) * false_alarms + amounts[(y_pred == 0) & (y_true == 1)].sum()"
        ),
        "a missed fraud counted once, not at its amount": (
            "def expected_cost(y_true, y_pred, amounts, review_cost, friction_cost):\n"
            "    alerts = (y_pred == 1).sum()\n"
            "    false_alarms = ((y_pred == 1) & (y_true == 0)).sum()\n"
            "    return review_cost * alerts + friction_cost * false_alarms + ((y_pred == 0) & (y_true == 1)).sum()"
        ),
    },
    "03-savings-answer": {
        "friction of false alarms forgotten": (
            "def savings(y_true, y_pred, amounts, review_cost, friction_cost):\n"
            "    missed = amounts[(y_pred == 0) & (y_true == 1)].sum()\n"
            "    return amounts[y_true == 1].sum() - (review_cost * (y_pred == 1).sum() + missed)"
        ),
        "sign flipped: cost of the decisions minus the cost of flagging nothing": (
            "def savings(y_true, y_pred, amounts, review_cost, friction_cost):\n"
            "    cost = review_cost * (y_pred == 1).sum() + friction_cost * ((y_pred == 1) & (y_true == 0)).sum()\n"
            "    cost += amounts[(y_pred == 0) & (y_true == 1)].sum()\n"
            "    return cost - amounts[y_true == 1].sum()"
        ),
    },
    "03-capacity-answer": {
        "> instead of >= (payments scored exactly at the threshold are not flagged)": _capacity(compare=">"),
        "capacity per period confused with per day (alerts of the whole period against the daily capacity)": (
            _capacity(per_day="alerts")
        ),
        "review cost counted on false alarms only": _capacity().replace(
            "cost = review_cost * alerts + friction_cost", "cost = (review_cost + friction_cost)"
        ),
    },
    "03-tuned-answer": {
        "review cost counted on false alarms only": _TUNED_TEMPLATE.format(
            reviews="REVIEW_COST * (flagged & ~fraud).sum()", scoring="scorer", fit_amount=", amount=amount_val"
        ),
        "the default scoring (balanced accuracy), not money": _TUNED_TEMPLATE.format(
            reviews="REVIEW_COST * flagged.sum()", scoring="'balanced_accuracy'", fit_amount=""
        ),
    },
}

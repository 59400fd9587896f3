"""Answer corpora of 03_thresholds_and_costs, graded through the real nbgrader pipeline (tests/grading).

WRONG_ANSWERS: answer cell grade_id -> {why it is wrong: code that replaces the whole cell};
each must lose the points of its question, and only those; for every question at least one
passes the visible check and is caught by the hidden tests only.
RIGHT_ANSWERS: answer cell grade_id -> {which correct variant: code}; each must earn full marks.
The pipeline grades the k-th answer of every cell together in one submission.
"""

_COST_HEAD = "def expected_cost(y_true, y_pred, amounts, review_cost, friction_cost, claim_cost):\n"
_SAVINGS_HEAD = "def savings(y_true, y_pred, amounts, review_cost, friction_cost, claim_cost):\n"
_ARRAYS = "    y_true, y_pred, amounts = np.asarray(y_true), np.asarray(y_pred), np.asarray(amounts, dtype=float)\n"
_TERMS = (
    "    alerts = (y_pred == 1).sum()\n"
    "    false_alarms = ((y_pred == 1) & (y_true == 0)).sum()\n"
    "    missed = (y_pred == 0) & (y_true == 1)\n"
)

_CAPACITY_TEMPLATE = (
    "def best_threshold_within_capacity(y_true, scores, amounts, days, thresholds, capacity_per_day,\n"
    "                                   review_cost, friction_cost, claim_cost):\n"
    "    y_true, scores, amounts, days = np.asarray(y_true), np.asarray(scores), np.asarray(amounts), np.asarray(days)\n"
    "    best, best_cost = np.inf, np.inf\n"
    "    for threshold in sorted(thresholds):\n"
    "        flagged = scores {compare} threshold\n"
    "        alerts = int(flagged.sum())\n"
    "        if {load} > capacity_per_day:\n"
    "            continue\n"
    "        missed = ~flagged & (y_true == 1)\n"
    "        cost = review_cost * alerts + friction_cost * (flagged & (y_true == 0)).sum()\n"
    "        cost += amounts[missed].sum(){claim}\n"
    "        if cost {better} best_cost:\n"
    "            best, best_cost = float(threshold), cost\n"
    "    return best\n"
)


def _capacity(
    compare=">=", load="pd.Series(flagged).groupby(days).sum().max()", claim=" + claim_cost * missed.sum()", better="<="
):
    return _CAPACITY_TEMPLATE.format(compare=compare, load=load, claim=claim, better=better)


_SAVINGS_FUNCTION = (
    "def business_savings(y_true, y_pred, amount{default}):\n"
    "    y_true, y_pred, amount = np.asarray(y_true), np.asarray(y_pred), np.asarray(amount, dtype=float)\n"
    "    flagged, fraud = y_pred == 1, y_true == 1\n"
    "    cost = REVIEW_COST * flagged.sum() + FRICTION_COST * (flagged & ~fraud).sum()\n"
    "    cost += amount[~flagged & fraud].sum() + {claim} * (~flagged & fraud).sum()\n"
    "    return amount[fraud].sum() + {claim} * fraud.sum() - cost\n"
    "\n"
    "\n"
)


def _tuned(
    scorer="make_scorer(business_savings).set_score_request(amount=True)",
    fit=", amount=amount_val",
    default="",
    claim="CLAIM_COST",
    setup="",
):
    return (
        setup
        + _SAVINGS_FUNCTION.format(default=default, claim=claim)
        + "with sklearn.config_context(enable_metadata_routing=True):\n"
        f"    scorer = {scorer}\n"
        "    tuned = TunedThresholdClassifierCV(model, scoring=scorer, thresholds=candidate_thresholds,\n"
        "                                       cv='prefit', refit=False)\n"
        f"    tuned.fit(X_val, y_val{fit})\n"
    )


WRONG_ANSWERS = {
    "03-cost-answer": {
        "review cost counted on false alarms only (a caught fraud is reviewed too)": (
            _COST_HEAD
            + _ARRAYS
            + _TERMS
            + "    return (review_cost + friction_cost) * false_alarms + amounts[missed].sum() + claim_cost * missed.sum()"
        ),
        "a claim counted for every fraud, caught or missed": (
            _COST_HEAD
            + _ARRAYS
            + _TERMS
            + "    return (review_cost * alerts + friction_cost * false_alarms + amounts[missed].sum()\n"
            "            + claim_cost * (y_true == 1).sum())"
        ),
        "claim cost forgotten (the course's cost model, not the bank's)": (
            _COST_HEAD
            + _ARRAYS
            + _TERMS
            + "    return review_cost * alerts + friction_cost * false_alarms + amounts[missed].sum()"
        ),
        "a missed fraud counted once, not at its amount": (
            _COST_HEAD
            + _ARRAYS
            + _TERMS
            + "    return review_cost * alerts + friction_cost * false_alarms + (1 + claim_cost) * missed.sum()"
        ),
    },
    "03-savings-answer": {
        "friction of false alarms forgotten": (
            _SAVINGS_HEAD
            + _ARRAYS
            + _TERMS
            + "    nothing = amounts[y_true == 1].sum() + claim_cost * (y_true == 1).sum()\n"
            "    return nothing - (review_cost * alerts + amounts[missed].sum() + claim_cost * missed.sum())"
        ),
        "sign flipped: cost of the decisions minus the cost of flagging nothing": (
            _SAVINGS_HEAD
            + _ARRAYS
            + _TERMS
            + "    nothing = amounts[y_true == 1].sum() + claim_cost * (y_true == 1).sum()\n"
            "    cost = review_cost * alerts + friction_cost * false_alarms + amounts[missed].sum() + claim_cost * missed.sum()\n"
            "    return cost - nothing"
        ),
        "claims in the decisions' cost but not in the reference": (
            _SAVINGS_HEAD
            + _ARRAYS
            + _TERMS
            + "    cost = review_cost * alerts + friction_cost * false_alarms + amounts[missed].sum() + claim_cost * missed.sum()\n"
            "    return amounts[y_true == 1].sum() - cost"
        ),
        "claim cost forgotten on both sides": (
            _SAVINGS_HEAD
            + _ARRAYS
            + _TERMS
            + "    cost = review_cost * alerts + friction_cost * false_alarms + amounts[missed].sum()\n"
            "    return amounts[y_true == 1].sum() - cost"
        ),
    },
    "03-capacity-answer": {
        "> instead of >= (payments scored exactly at the threshold are not flagged)": _capacity(compare=">"),
        "capacity checked on the average day, not on the busiest one": _capacity(load="alerts / len(np.unique(days))"),
        "claim cost forgotten": _capacity(claim=""),
        "the lowest of equal least costs, not the highest": _capacity(better="<"),
    },
    "03-tuned-answer": {
        "business_savings closes over amount_val, fitted without metadata (right only in amount_val's row order)": (
            _tuned(scorer="make_scorer(business_savings)", fit="", default="=amount_val")
        ),
        "the course's make_savings_scorer, which knows no claim cost": _tuned(
            scorer="make_savings_scorer(CostModel(review_cost=REVIEW_COST, friction_cost=FRICTION_COST))",
            setup="from course.lessons.thresholds_and_costs import make_savings_scorer\n"
            "from course.metrics import CostModel\n\n\n",
        ),
        "claim cost forgotten in business_savings": _tuned(claim="0.0"),
        "the default scoring (balanced accuracy), not money": _tuned(scorer="'balanced_accuracy'", fit=""),
    },
}

RIGHT_ANSWERS = {
    "03-cost-answer": {
        "a Python loop": (
            _COST_HEAD + "    total = 0.0\n"
            "    for label, flag, amount in zip(y_true, y_pred, amounts):\n"
            "        if flag == 1:\n"
            "            total += review_cost + (friction_cost if label == 0 else 0.0)\n"
            "        elif label == 1:\n"
            "            total += amount + claim_cost\n"
            "    return total"
        ),
        "pandas, numpy scalars returned": (
            _COST_HEAD + "    t = pd.DataFrame({'fraud': y_true, 'flag': y_pred, 'amount': amounts})\n"
            "    missed = t[(t['flag'] == 0) & (t['fraud'] == 1)]\n"
            "    return (review_cost * t['flag'].sum() + friction_cost * ((t['flag'] == 1) & (t['fraud'] == 0)).sum()\n"
            "            + missed['amount'].sum() + claim_cost * len(missed))"
        ),
        "a confusion matrix and a dot product": (
            "from sklearn.metrics import confusion_matrix\n\n\n"
            + _COST_HEAD
            + "    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()\n"
            "    missed = (np.asarray(y_true) == 1) & (np.asarray(y_pred) == 0)\n"
            "    return float(review_cost * (tp + fp) + friction_cost * fp + np.dot(missed, amounts) + claim_cost * fn)"
        ),
        "per-payment costs with np.where, summed": (
            _COST_HEAD
            + _ARRAYS
            + "    per_payment = np.where(y_pred == 1, review_cost + friction_cost * (y_true == 0),\n"
            "                           (amounts + claim_cost) * (y_true == 1))\n"
            "    return per_payment.sum()"
        ),
    },
    "03-savings-answer": {
        "one cost helper, called twice": (
            _SAVINGS_HEAD + _ARRAYS + "    def cost(flags):\n"
            "        missed = (flags == 0) & (y_true == 1)\n"
            "        return (review_cost * flags.sum() + friction_cost * ((flags == 1) & (y_true == 0)).sum()\n"
            "                + amounts[missed].sum() + claim_cost * missed.sum())\n"
            "    return cost(np.zeros_like(y_pred)) - cost(y_pred)"
        ),
        "what each alert saves or costs, summed": (
            _SAVINGS_HEAD + _ARRAYS + "    flagged = y_pred == 1\n"
            "    caught = flagged & (y_true == 1)\n"
            "    return float((amounts[caught] + claim_cost).sum() - review_cost * flagged.sum()\n"
            "                 - friction_cost * (flagged & (y_true == 0)).sum())"
        ),
        "a Python loop": (
            _SAVINGS_HEAD + "    saved = 0.0\n"
            "    for label, flag, amount in zip(y_true, y_pred, amounts):\n"
            "        if flag == 1:\n"
            "            saved -= review_cost\n"
            "            saved += amount + claim_cost if label == 1 else -friction_cost\n"
            "    return saved"
        ),
    },
    "03-capacity-answer": {
        "pandas: alerts per day with groupby, costs in a table": (
            "def best_threshold_within_capacity(y_true, scores, amounts, days, thresholds, capacity_per_day,\n"
            "                                   review_cost, friction_cost, claim_cost):\n"
            "    t = pd.DataFrame({'fraud': np.asarray(y_true), 'score': np.asarray(scores),\n"
            "                      'amount': np.asarray(amounts, dtype=float), 'day': np.asarray(days)})\n"
            "    rows = []\n"
            "    for threshold in thresholds:\n"
            "        flag = t['score'] >= threshold\n"
            "        busiest = flag.groupby(t['day']).sum().max()\n"
            "        missed = ~flag & (t['fraud'] == 1)\n"
            "        cost = (review_cost * flag.sum() + friction_cost * (flag & (t['fraud'] == 0)).sum()\n"
            "                + t.loc[missed, 'amount'].sum() + claim_cost * missed.sum())\n"
            "        rows.append((threshold, busiest, cost))\n"
            "    table = pd.DataFrame(rows, columns=['threshold', 'busiest', 'cost'])\n"
            "    fit = table[table['busiest'] <= capacity_per_day]\n"
            "    if fit.empty:\n"
            "        return np.inf\n"
            "    return fit.loc[np.isclose(fit['cost'], fit['cost'].min()), 'threshold'].max()"
        ),
        "all thresholds at once with numpy broadcasting": (
            "def best_threshold_within_capacity(y_true, scores, amounts, days, thresholds, capacity_per_day,\n"
            "                                   review_cost, friction_cost, claim_cost):\n"
            "    y, s, a = np.asarray(y_true), np.asarray(scores), np.asarray(amounts, dtype=float)\n"
            "    grid = np.asarray(thresholds, dtype=float)\n"
            "    flags = s[None, :] >= grid[:, None]\n"
            "    day_ids = np.unique(np.asarray(days), return_inverse=True)[1]\n"
            "    per_day = np.stack([flags[:, day_ids == d].sum(axis=1) for d in range(day_ids.max() + 1)], axis=1)\n"
            "    missed = ~flags & (y == 1)\n"
            "    cost = (review_cost * flags.sum(axis=1) + friction_cost * (flags & (y == 0)).sum(axis=1)\n"
            "            + (missed * a).sum(axis=1) + claim_cost * missed.sum(axis=1))\n"
            "    fits = per_day.max(axis=1) <= capacity_per_day\n"
            "    if not fits.any():\n"
            "        return np.inf\n"
            "    least = cost[fits].min()\n"
            "    return grid[fits & np.isclose(cost, least)].max()"
        ),
        "thresholds from the highest down, a strict < keeps the highest of equal costs, a dict of days": (
            "def best_threshold_within_capacity(y_true, scores, amounts, days, thresholds, capacity_per_day,\n"
            "                                   review_cost, friction_cost, claim_cost):\n"
            "    best, best_cost = np.inf, np.inf\n"
            "    for threshold in sorted(thresholds, reverse=True):\n"
            "        per_day, cost = {}, 0.0\n"
            "        for label, score, amount, day in zip(y_true, scores, amounts, days):\n"
            "            if score >= threshold:\n"
            "                per_day[day] = per_day.get(day, 0) + 1\n"
            "                cost += review_cost + (friction_cost if label == 0 else 0.0)\n"
            "            elif label == 1:\n"
            "                cost += amount + claim_cost\n"
            "        if max(per_day.values(), default=0) > capacity_per_day:\n"
            "            continue\n"
            "        if cost < best_cost - 1e-9:\n"
            "            best, best_cost = threshold, cost\n"
            "    return best"
        ),
    },
    "03-tuned-answer": {
        "pandas inside business_savings, amounts routed as a pandas Series": (
            "def business_savings(y_true, y_pred, amount):\n"
            "    t = pd.DataFrame({'fraud': np.asarray(y_true), 'flag': np.asarray(y_pred), 'amount': np.asarray(amount)})\n"
            "    caught = t[(t['flag'] == 1) & (t['fraud'] == 1)]\n"
            "    false_alarms = ((t['flag'] == 1) & (t['fraud'] == 0)).sum()\n"
            "    return (caught['amount'].sum() + CLAIM_COST * len(caught) - REVIEW_COST * t['flag'].sum()\n"
            "            - FRICTION_COST * false_alarms)\n\n\n"
            "with sklearn.config_context(enable_metadata_routing=True):\n"
            "    scorer = make_scorer(business_savings, response_method='predict').set_score_request(amount=True)\n"
            "    tuned = TunedThresholdClassifierCV(model, scoring=scorer, thresholds=candidate_thresholds,\n"
            "                                       cv='prefit', refit=False)\n"
            "    tuned.fit(X_val, y_val, amount=holdout.test['amount'])\n"
        ),
        "a Python loop in business_savings, greater_is_better spelled out": _tuned(
            scorer="make_scorer(business_savings, greater_is_better=True).set_score_request(amount=True)"
        ).replace(
            _SAVINGS_FUNCTION.format(default="", claim="CLAIM_COST"),
            "def business_savings(y_true, y_pred, amount):\n"
            "    saved = 0.0\n"
            "    for label, flag, money in zip(y_true, y_pred, amount):\n"
            "        if flag == 1:\n"
            "            saved += (money + CLAIM_COST - REVIEW_COST) if label == 1 else -(REVIEW_COST + FRICTION_COST)\n"
            "    return saved\n\n\n",
        ),
        "the savings as what the caught frauds save minus what the alerts cost, amounts routed as a list": _tuned(
            scorer="make_scorer(business_savings, response_method='predict').set_score_request(amount=True)",
            fit=", amount=list(amount_val)",
        ).replace(
            _SAVINGS_FUNCTION.format(default="", claim="CLAIM_COST"),
            "def business_savings(y_true, y_pred, amount):\n"
            "    y_true, y_pred, amount = np.asarray(y_true), np.asarray(y_pred), np.asarray(amount, dtype=float)\n"
            "    caught = (y_pred == 1) & (y_true == 1)\n"
            "    alerts_cost = REVIEW_COST * (y_pred == 1).sum() + FRICTION_COST * ((y_pred == 1) & (y_true == 0)).sum()\n"
            "    return float((amount[caught] + CLAIM_COST).sum() - alerts_cost)\n\n\n",
        ),
    },
}

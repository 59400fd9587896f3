"""Answer corpora of 07_drift, graded through the real nbgrader pipeline (tests/grading).

WRONG_ANSWERS: answer cell grade_id -> {why it is wrong: code that replaces the whole cell};
each must lose the points of its question, and only those.
RIGHT_ANSWERS: answer cell grade_id -> {which correct variant: code}; each must earn full marks.
"""

_PSI_TEMPLATE = """\
def psi_terms(reference, current):
    reference, current = np.asarray(reference, dtype=float), np.asarray(current, dtype=float)
    edges = np.unique(np.quantile({binned}, np.arange(1, N_BINS) / N_BINS))
    n_bins = edges.size + 1
    r = np.bincount(np.searchsorted(edges, reference, side="{side}"), minlength=n_bins) / reference.size
    c = np.bincount(np.searchsorted(edges, current, side="{side}"), minlength=n_bins) / current.size
    {floor}
    return {term}


weekly_psi = pd.Series({{week: psi_terms(reference_amounts, values).sum() for week, values in weekly_amounts.items()}})
"""


def _psi(
    binned="reference",
    side="right",
    floor="r, c = np.maximum(r, PSI_FLOOR), np.maximum(c, PSI_FLOOR)",
    term="(c - r) * np.log(c / r)",
):
    return _PSI_TEMPLATE.format(binned=binned, side=side, floor=floor, term=term)


_ALARM_TEMPLATE = """\
def first_alarm(weekly_psi, threshold, start_day):
    weeks, values = list(weekly_psi.index), list(weekly_psi)
    for k in range(1, len(weeks)):
        week = int(weeks[k])
        if {fires} and {after}:
            return week, {delay}
    return None, None
"""


def _alarm(
    fires="values[k] >= threshold and values[k - 1] >= threshold",
    after="7 * week + 6 >= start_day",
    delay="7 * week + 7 - start_day",
):
    return _ALARM_TEMPLATE.format(fires=fires, after=after, delay=delay)


_POLICY_TEMPLATE = """\
def training_set(day):
    end = day - {delay}
    rows = ((bank["day"] >= end - WINDOW_DAYS) & (bank["day"] < end)).to_numpy()
    {labels}


def policy_cost(retrain_days):
    day = bank["day"].to_numpy()
    total = 0.0
    for start, end in zip(retrain_days, list(retrain_days[1:]) + [N_DAYS]):
        rows, labels = training_set(start)
        model = fit_model(X[rows], labels)
        total += cost_of(model, (day >= max(start, EVALUATION_START)) & (day < end))
    return total


costs = {{name: policy_cost(days) for name, days in POLICIES.items()}}
best_policy = min(costs, key=costs.get)
"""
_KNOWN_LABELS = (
    "known = labels_as_of(bank, START_DATE + pd.Timedelta(days=day), maturity_days=LABEL_DELAY_DAYS)\n"
    "    return rows, known[rows].to_numpy(dtype=int)"
)


def _policy(delay="LABEL_DELAY_DAYS", labels=_KNOWN_LABELS):
    return _POLICY_TEMPLATE.format(delay=delay, labels=labels)


WRONG_ANSWERS = {
    "07-psi-answer": {
        "bins from the current week instead of the reference": _psi(binned="current"),
        "a zero bin gives infinity (no floor)": _psi(floor="pass"),
        "PSI terms without the log ratio": _psi(term="c - r"),
    },
    "07-alarm-answer": {
        "an alarm before the drift's start taken as the detection": _alarm(after="True"),
        "> instead of >= (a PSI exactly at the threshold)": _alarm(
            fires="values[k] > threshold and values[k - 1] > threshold"
        ),
        "detection counted from the first day of the alarm's week": _alarm(delay="7 * week - start_day"),
    },
    "07-estimate-answer": {
        "weeks without alerts dropped": (
            "def estimated_precision(proba, alerts, weeks):\n"
            "    return pd.Series(proba[alerts]).groupby(weeks[alerts]).mean()\n"
        ),
        "0 instead of NaN for a week without alerts": (
            "def estimated_precision(proba, alerts, weeks):\n"
            "    out = {}\n"
            "    for week in np.unique(weeks):\n"
            "        picked = proba[(weeks == week) & alerts]\n"
            "        out[week] = picked.mean() if picked.size else 0.0\n"
            "    return pd.Series(out)\n"
        ),
        "the mean probability of all the week's payments, not of its alerts": (
            "def estimated_precision(proba, alerts, weeks):\n    return pd.Series(proba).groupby(weeks).mean()\n"
        ),
    },
    "07-policy-answer": {
        "a retrain that uses labels not known yet (the eventual truth, is_fraud)": _policy(
            labels='return rows, bank["is_fraud"].to_numpy()[rows].astype(int)'
        ),
        "labels read at the end of the data instead of on the retrain day": _policy(
            labels=(
                "known = labels_as_of(bank, START_DATE + pd.Timedelta(days=N_DAYS), maturity_days=LABEL_DELAY_DAYS)\n"
                "    return rows, known[rows].to_numpy(dtype=int)"
            )
        ),
        "no label delay: the window ends on the retrain day, with the eventual labels": _policy(
            delay="0", labels='return rows, bank["is_fraud"].to_numpy()[rows].astype(int)'
        ),
    },
}

RIGHT_ANSWERS = {
    "07-psi-answer": {
        "pandas cut on the reference's edges, a zero share replaced by the floor": (
            "def psi_terms(reference, current):\n"
            "    edges = np.unique(np.quantile(reference, [k / 10 for k in range(1, 10)]))\n"
            "    bins = [-np.inf, *edges, np.inf]\n"
            "    r = pd.cut(pd.Series(reference), bins, right=False).value_counts(sort=False, normalize=True)\n"
            "    c = pd.cut(pd.Series(current), bins, right=False).value_counts(sort=False, normalize=True)\n"
            "    r = r.to_numpy().astype(float)\n"
            "    c = c.to_numpy().astype(float)\n"
            "    r[r == 0], c[c == 0] = PSI_FLOOR, PSI_FLOOR\n"
            "    return (c - r) * np.log(c / r)\n"
            "\n"
            "\n"
            "weekly_psi = pd.Series(\n"
            "    [float(np.sum(psi_terms(reference_amounts, weekly_amounts[w]))) for w in sorted(weekly_amounts)],\n"
            "    index=sorted(weekly_amounts),\n"
            ")\n"
        ),
        "np.digitize and a plain Python loop over the bins": (
            "import math\n"
            "\n"
            "\n"
            "def psi_terms(reference, current):\n"
            "    edges = sorted(set(np.quantile(np.asarray(reference), np.arange(1, 10) / 10).tolist()))\n"
            "    counts_r = np.bincount(np.digitize(reference, edges), minlength=len(edges) + 1).tolist()\n"
            "    counts_c = np.bincount(np.digitize(current, edges), minlength=len(edges) + 1).tolist()\n"
            "    terms = []\n"
            "    for nr, nc in zip(counts_r, counts_c):\n"
            "        r, c = max(nr / len(reference), PSI_FLOOR), max(nc / len(current), PSI_FLOOR)\n"
            "        terms.append((c - r) * math.log(c / r))\n"
            "    return np.array(terms)\n"
            "\n"
            "\n"
            "weekly_psi = pd.Series({w: sum(psi_terms(reference_amounts, v)) for w, v in weekly_amounts.items()})\n"
        ),
    },
    "07-alarm-answer": {
        "pandas shift": (
            "def first_alarm(weekly_psi, threshold, start_day):\n"
            "    fired = (weekly_psi >= threshold) & (weekly_psi.shift(1) >= threshold)\n"
            "    ends = pd.Series(weekly_psi.index * 7 + 6, index=weekly_psi.index)\n"
            "    hits = fired[fired & (ends >= start_day)]\n"
            "    if hits.empty:\n"
            "        return None, None\n"
            "    week = int(hits.index[0])\n"
            "    return week, int(ends[week] + 1 - start_day)\n"
        ),
        "numpy arrays, delay as a float": (
            "def first_alarm(weekly_psi, threshold, start_day):\n"
            "    weeks = weekly_psi.index.to_numpy()\n"
            "    above = weekly_psi.to_numpy() >= threshold\n"
            "    fired = np.r_[False, above[1:] & above[:-1]] & (weeks * 7 + 6 >= start_day)\n"
            "    if not fired.any():\n"
            "        return None, None\n"
            "    week = weeks[np.argmax(fired)]\n"
            "    return int(week), float(7 * (week + 1) - start_day)\n"
        ),
    },
    "07-estimate-answer": {
        "numpy sums per week": (
            "def estimated_precision(proba, alerts, weeks):\n"
            "    labels = np.unique(weeks)\n"
            "    sums = np.array([proba[(weeks == w) & alerts].sum() for w in labels])\n"
            "    counts = np.array([((weeks == w) & alerts).sum() for w in labels])\n"
            "    with np.errstate(invalid='ignore'):\n"
            "        return pd.Series(sums / counts, index=labels)\n"
        ),
        "a DataFrame and reindex": (
            "def estimated_precision(proba, alerts, weeks):\n"
            "    frame = pd.DataFrame({'p': proba, 'alert': alerts, 'week': weeks})\n"
            "    means = frame[frame['alert']].groupby('week')['p'].mean()\n"
            "    return means.reindex(sorted(set(weeks.tolist())))\n"
        ),
    },
    "07-policy-answer": {
        "labels by hand from the report times, models cached": (
            "def training_set(day):\n"
            "    as_of = START_DATE + pd.Timedelta(days=day)\n"
            "    first, end = day - LABEL_DELAY_DAYS - WINDOW_DAYS, day - LABEL_DELAY_DAYS\n"
            "    rows = bank['day'].between(first, end - 1).to_numpy()\n"
            "    reported = (bank['is_fraud'] == 1) & (bank['label_available_at'] <= as_of)\n"
            "    return rows, reported.to_numpy()[rows].astype(int)\n"
            "\n"
            "\n"
            "_models = {}\n"
            "\n"
            "\n"
            "def policy_cost(retrain_days):\n"
            "    day = bank['day'].to_numpy()\n"
            "    total = 0.0\n"
            "    bounds = list(retrain_days) + [N_DAYS]\n"
            "    for k, start in enumerate(retrain_days):\n"
            "        if start not in _models:\n"
            "            _models[start] = fit_model(X[training_set(start)[0]], training_set(start)[1])\n"
            "        use = (day >= EVALUATION_START) & (day >= start) & (day < bounds[k + 1])\n"
            "        total += cost_of(_models[start], use)\n"
            "    return total\n"
            "\n"
            "\n"
            "costs = {name: policy_cost(days) for name, days in POLICIES.items()}\n"
            "best_policy = sorted(costs.items(), key=lambda item: item[1])[0][0]\n"
        ),
    },
}

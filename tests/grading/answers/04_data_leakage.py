"""Answer corpora of 04_data_leakage, graded through the real nbgrader pipeline (tests/grading).

WRONG_ANSWERS: answer cell grade_id -> {why it is wrong: code that replaces the whole cell};
each must lose the points of its question, and only those.
RIGHT_ANSWERS: answer cell grade_id -> {which correct variant: code}; each must earn full marks.
"""

_SPLIT = (
    "def grouped_time_split(df, validation_cards, *, train_days, gap_days, validation_days):\n"
    "    day = df['day'].to_numpy()\n"
    "    first = {first}\n"
    "    start = first + train_days + {gap}\n"
    "    card = np.isin(df['customer_id'].to_numpy(), np.asarray(list(validation_cards)))\n"
    "    train = (day >= first) & (day < first + train_days){train_cards}\n"
    "    validation = (day >= start) & (day < start + validation_days) & card\n"
    "    return train, validation\n"
)

_TERMINAL_RISK = (
    "def known_terminal_frauds(payments, window_days):\n"
    "    times = payments['timestamp'].to_numpy()\n"
    "    delay = pd.to_timedelta(payments['report_delay_days']{fill}, unit='D').to_numpy()\n"
    "    reported_at = times + delay\n"
    "    fraud = payments['is_fraud'].to_numpy() == 1\n"
    "    window = np.timedelta64(int(window_days * 86400), 's')\n"
    "    counts = np.zeros(len(payments), dtype=int)\n"
    "    for rows in payments.groupby('terminal_id').indices.values():\n"
    "        t = times[rows]\n"
    "        earlier = (t[None, :] < t[:, None]) & (t[None, :] {start} t[:, None] - window)\n"
    "        known = fraud[rows][None, :] & {known}\n"
    "        counts[rows] = (earlier & known).sum(axis=1)\n"
    "    return counts\n"
)


def _terminal_risk(fill="", start=">=", known="(reported_at[rows][None, :] <= t[:, None])"):
    return _TERMINAL_RISK.format(fill=fill, start=start, known=known)


_OPTIMISM = (
    "def launch_optimism(model, terminal_rates, fallback_rate, launch_frame, validation_ap):\n"
    "    {rates}\n"
    "    inputs = launch_frame[FEATURE_COLUMNS].assign(terminal_rate=rates.to_numpy())\n"
    "    scores = model.predict_proba(inputs)[:, 1]\n"
    "    return {result}\n"
)
_LOOKUP = "rates = launch_frame['terminal_id'].map(terminal_rates).fillna(fallback_rate)"

WRONG_ANSWERS = {
    "04-audit-answer": {
        "an undeclared field taken as known at the payment": (
            "def usable_at_scoring(sources, known_after_days):\n"
            "    return [column for column, fields in sources.items()\n"
            "            if all(known_after_days.get(field, 0) <= 0 for field in fields)]\n"
        ),
        "a leak column kept under another name (the column's own name looked up, not its fields)": (
            "def usable_at_scoring(sources, known_after_days):\n"
            "    return [column for column in sources if known_after_days.get(column, 0) <= 0]\n"
        ),
        "a column kept when any of its fields is known (one late field is enough to leak)": (
            "def usable_at_scoring(sources, known_after_days):\n"
            "    return [column for column, fields in sources.items()\n"
            "            if any(known_after_days.get(field, 1) <= 0 for field in fields)]\n"
        ),
    },
    "04-split-answer": {
        "the gap forgotten: validation starts the day after training": _SPLIT.format(
            first="day.min()", gap="0", train_cards=" & ~card"
        ),
        "the same card on both sides: training keeps the validation cards": _SPLIT.format(
            first="day.min()", gap="gap_days", train_cards=""
        ),
        "a random split of the rows, ignoring time": (
            "def grouped_time_split(df, validation_cards, *, train_days, gap_days, validation_days):\n"
            "    card = np.isin(df['customer_id'].to_numpy(), np.asarray(list(validation_cards)))\n"
            "    rng = np.random.default_rng(0)\n"
            "    pick = rng.random(len(df)) < 0.75\n"
            "    return pick & ~card, ~pick & card\n"
        ),
    },
    "04-terminal-risk-answer": {
        "frauds never reported counted as reported at once (missing delays taken as 0)": _terminal_risk(
            fill=".fillna(0)"
        ),
        "eventual labels: every earlier fraud counted, reported or not": _terminal_risk(known="np.ones_like(earlier)"),
        "reported strictly before the payment (a report at the payment's time missed)": _terminal_risk(
            known="(reported_at[rows][None, :] < t[:, None])"
        ),
    },
    "04-optimism-answer": {
        "the terminal rates computed from the launch labels (an encoding fitted on the rows it scores)": (
            _OPTIMISM.format(
                rates="rates = launch_frame.groupby('terminal_id')['is_fraud'].transform('mean')",
                result="validation_ap - average_precision_score(launch_frame['is_fraud'], scores)",
            )
        ),
        "launch minus validation (the sign of the optimism flipped)": _OPTIMISM.format(
            rates=_LOOKUP, result="average_precision_score(launch_frame['is_fraud'], scores) - validation_ap"
        ),
        "ROC-AUC at launch instead of average precision": "from sklearn.metrics import roc_auc_score\n\n"
        + _OPTIMISM.format(rates=_LOOKUP, result="validation_ap - roc_auc_score(launch_frame['is_fraud'], scores)"),
    },
}

RIGHT_ANSWERS = {
    "04-audit-answer": {
        "a list comprehension with a set of the known fields": (
            "def usable_at_scoring(sources, known_after_days):\n"
            "    known = {field for field, days in known_after_days.items() if days <= 0}\n"
            "    return [column for column, fields in sources.items() if set(fields) <= known]\n"
        ),
        "pandas: the latest field of each column": (
            "def usable_at_scoring(sources, known_after_days):\n"
            "    timing = pd.Series(known_after_days, dtype=float)\n"
            "    latest = {c: timing.reindex(f).max(skipna=False) for c, f in sources.items()}\n"
            "    return [c for c, days in latest.items() if days <= 0]\n"
        ),
    },
    "04-split-answer": {
        "course.data.time_split for the days, then the cards": (
            "from course.data import time_split\n"
            "\n"
            "def grouped_time_split(df, validation_cards, *, train_days, gap_days, validation_days):\n"
            "    train, validation = time_split(df, train_days=train_days, gap_days=gap_days,\n"
            "                                   test_days=validation_days)\n"
            "    card = df['customer_id'].isin(list(validation_cards)).to_numpy()\n"
            "    return train & ~card, validation & card\n"
        ),
        "pandas between on the days": (
            "def grouped_time_split(df, validation_cards, *, train_days, gap_days, validation_days):\n"
            "    first = int(df['day'].min())\n"
            "    start = first + train_days + gap_days\n"
            "    card = df['customer_id'].isin(set(int(c) for c in validation_cards))\n"
            "    train = df['day'].between(first, first + train_days - 1) & ~card\n"
            "    validation = df['day'].between(start, start + validation_days - 1) & card\n"
            "    return train.to_numpy(), validation.to_numpy()\n"
        ),
    },
    "04-terminal-risk-answer": {
        "a loop over the payments of each terminal, in Python": (
            "def known_terminal_frauds(payments, window_days):\n"
            "    window = pd.Timedelta(days=window_days)\n"
            "    reported = payments['timestamp'] + pd.to_timedelta(payments['report_delay_days'], unit='D')\n"
            "    counts = [0] * len(payments)\n"
            "    for _, group in payments.groupby('terminal_id'):\n"
            "        positions = [payments.index.get_loc(i) for i in group.index]\n"
            "        items = list(zip(positions, group['timestamp'], group['is_fraud'], reported[group.index]))\n"
            "        for position, t, _, _ in items:\n"
            "            counts[position] = sum(1 for _, s, fraud, r in items\n"
            "                                   if fraud == 1 and t - window <= s < t and pd.notna(r) and r <= t)\n"
            "    return np.array(counts)\n"
        ),
        "sorted times per terminal and searchsorted over the known frauds": (
            "def known_terminal_frauds(payments, window_days):\n"
            "    t = payments['timestamp'].to_numpy()\n"
            "    reported = t + pd.to_timedelta(payments['report_delay_days'], unit='D').to_numpy()\n"
            "    frauds = payments.index[(payments['is_fraud'] == 1) & payments['report_delay_days'].notna()]\n"
            "    window = np.timedelta64(int(window_days * 86400), 's')\n"
            "    out = pd.Series(0, index=payments.index)\n"
            "    for terminal, group in payments.groupby('terminal_id'):\n"
            "        mine = [i for i in frauds if payments.at[i, 'terminal_id'] == terminal]\n"
            "        for i in mine:  # each known fraud counts for the later payments it is known at, in the window\n"
            "            later = group.index[(t[group.index] > t[i]) & (t[group.index] <= t[i] + window)\n"
            "                                & (t[group.index] >= reported[i])]\n"
            "            out[later] += 1\n"
            "    return out\n"
        ),
    },
    "04-optimism-answer": {
        "numpy, a dict lookup per payment": (
            "def launch_optimism(model, terminal_rates, fallback_rate, launch_frame, validation_ap):\n"
            "    table = terminal_rates.to_dict()\n"
            "    rate = np.array([table.get(t, fallback_rate) for t in launch_frame['terminal_id']])\n"
            "    inputs = launch_frame[FEATURE_COLUMNS].copy()\n"
            "    inputs['terminal_rate'] = rate\n"
            "    launch_ap = average_precision_score(launch_frame['is_fraud'].to_numpy(), model.predict_proba(inputs)[:, 1])\n"
            "    return validation_ap - launch_ap\n"
        ),
        "a numpy scalar, reindex with fill_value": (
            "def launch_optimism(model, terminal_rates, fallback_rate, launch_frame, validation_ap):\n"
            "    rate = terminal_rates.reindex(launch_frame['terminal_id'].to_numpy(), fill_value=fallback_rate)\n"
            "    inputs = launch_frame.loc[:, FEATURE_COLUMNS].assign(terminal_rate=rate.to_numpy())\n"
            "    return np.float64(validation_ap) - average_precision_score(launch_frame['is_fraud'],\n"
            "                                                             model.predict_proba(inputs)[:, 1])\n"
        ),
    },
}

"""Answer corpora of 05_late_labels: wrong answers the grader must catch, right ones it must accept.

answer cell grade_id -> {why it is wrong / what differs: code that replaces the whole answer cell}
The pipeline test grades the k-th answer of every answer cell in one submission: each wrong
answer must lose the points of its question and only those; each right answer must earn full
marks. Written from how learners go wrong with late labels: the labels of a later extract used
on an earlier date, ``<`` or ``>`` where the rule says ``<=`` (and NaN compared with ``>``),
immature payments counted as genuine, censored payments dropped, the delay correction taken
at the mean age, off-by-one windows.
"""

WRONG_ANSWERS = {
    "05-labels-answer": {
        # caught by the visible check (the fraud reported on day 35 is known on day 30)
        "eventual labels used as of the date (any report counts, even one that comes later)": (
            "def labels_on(payments, as_of, maturity_days):\n"
            "    fraud = payments['reported_at'].notna().to_numpy()\n"
            "    mature = (payments['paid_at'] + maturity_days <= as_of).to_numpy()\n"
            "    return pd.Series(np.where(fraud, 1.0, np.where(mature, 0.0, np.nan)), index=payments.index)\n"
        ),
        # caught by the hidden tests only: a report at exactly as_of is known
        "report time compared with < where the rule says <= (a report at the very moment is missed)": (
            "def labels_on(payments, as_of, maturity_days):\n"
            "    fraud = (payments['reported_at'] < as_of).to_numpy()\n"
            "    mature = (payments['paid_at'] + maturity_days <= as_of).to_numpy()\n"
            "    return pd.Series(np.where(fraud, 1.0, np.where(mature, 0.0, np.nan)), index=payments.index)\n"
        ),
        # caught by the visible check: NaN > as_of is False, so a payment without report becomes a fraud
        "report time compared with > (not reported later = fraud): a payment never reported becomes a fraud": (
            "def labels_on(payments, as_of, maturity_days):\n"
            "    fraud = ~(payments['reported_at'] > as_of).to_numpy()\n"
            "    mature = (payments['paid_at'] + maturity_days <= as_of).to_numpy()\n"
            "    return pd.Series(np.where(fraud, 1.0, np.where(mature, 0.0, np.nan)), index=payments.index)\n"
        ),
        # caught by the visible check: the 5-day-old payment is labelled genuine
        "immature genuine payments counted (every payment made by as_of without report is genuine)": (
            "def labels_on(payments, as_of, maturity_days):\n"
            "    fraud = (payments['reported_at'] <= as_of).to_numpy()\n"
            "    made = (payments['paid_at'] <= as_of).to_numpy()\n"
            "    return pd.Series(np.where(fraud, 1.0, np.where(made, 0.0, np.nan)), index=payments.index)\n"
        ),
    },
    "05-delays-answer": {
        # caught by the visible check (no censored observation)
        "censored payments dropped: only the reports received so far (the naive estimate)": (
            "def delay_observations(payments, as_of):\n"
            "    reported = payments[payments['reported_at'] <= as_of]\n"
            "    return stats.CensoredData(uncensored=(reported['reported_at'] - reported['paid_at']).to_numpy())\n"
        ),
        # caught by the hidden tests only: a report at exactly as_of is an event
        "report time compared with < where the rule says <=": (
            "def delay_observations(payments, as_of):\n"
            "    before = payments[payments['paid_at'] < as_of]\n"
            "    reported = (before['reported_at'] < as_of).to_numpy()\n"
            "    delays = (before['reported_at'] - before['paid_at']).to_numpy()\n"
            "    ages = (as_of - before['paid_at']).to_numpy()\n"
            "    return stats.CensoredData(uncensored=delays[reported], right=ages[~reported])\n"
        ),
        # caught by the hidden tests only: a payment made after as_of does not exist yet
        "payments made after the date followed too (censored at age 0)": (
            "def delay_observations(payments, as_of):\n"
            "    reported = (payments['reported_at'] <= as_of).to_numpy()\n"
            "    delays = (payments['reported_at'] - payments['paid_at']).to_numpy()\n"
            "    ages = np.maximum(as_of - payments['paid_at'].to_numpy(), 0.0)\n"
            "    return stats.CensoredData(uncensored=delays[reported], right=ages[~reported])\n"
        ),
        # caught by the visible check: the fraud reported on day 9 is an event on day 6
        "eventual reports used as events (a report that comes after the date counted)": (
            "def delay_observations(payments, as_of):\n"
            "    before = payments[payments['paid_at'] < as_of]\n"
            "    reported = before['reported_at'].notna().to_numpy()\n"
            "    delays = (before['reported_at'] - before['paid_at']).to_numpy()\n"
            "    ages = (as_of - before['paid_at']).to_numpy()\n"
            "    return stats.CensoredData(uncensored=delays[reported], right=ages[~reported])\n"
        ),
    },
    "05-corrected-answer": {
        # caught by the visible check (0.25 instead of 0.5)
        "no correction: the rate as known today": (
            "def corrected_fraud_rate(payments, as_of, first_day, report_share):\n"
            "    recent = payments[(payments['paid_at'] >= first_day) & (payments['paid_at'] < as_of)]\n"
            "    return float((recent['reported_at'] <= as_of).mean())\n"
        ),
        # caught by the hidden tests only: the reports that come after as_of are not known on it
        "eventual reports counted (the extract's later reports used on the date)": (
            "def corrected_fraud_rate(payments, as_of, first_day, report_share):\n"
            "    recent = payments[(payments['paid_at'] >= first_day) & (payments['paid_at'] < as_of)]\n"
            "    known = recent['reported_at'].notna().sum()\n"
            "    return known / report_share((as_of - recent['paid_at']).to_numpy()).sum()\n"
        ),
        # caught by the hidden tests only: the share of a curve at the mean age is not the mean share
        "expected share taken at the mean age instead of summed per payment": (
            "def corrected_fraud_rate(payments, as_of, first_day, report_share):\n"
            "    recent = payments[(payments['paid_at'] >= first_day) & (payments['paid_at'] < as_of)]\n"
            "    known = (recent['reported_at'] <= as_of).sum()\n"
            "    mean_age = (as_of - recent['paid_at']).mean()\n"
            "    return known / (len(recent) * report_share(np.array([mean_age]))[0])\n"
        ),
        # caught by the hidden tests only: the day first_day is part of the period
        "first day left out (> where the question says from first_day included)": (
            "def corrected_fraud_rate(payments, as_of, first_day, report_share):\n"
            "    recent = payments[(payments['paid_at'] > first_day) & (payments['paid_at'] < as_of)]\n"
            "    known = (recent['reported_at'] <= as_of).sum()\n"
            "    return known / report_share((as_of - recent['paid_at']).to_numpy()).sum()\n"
        ),
    },
    "05-precision-answer": {
        # caught by the visible check (1/3 instead of 1/2)
        "unknown labels counted as genuine (every alert without report so far is a false alarm)": (
            "def precision_as_of(payments, as_of, maturity_days):\n"
            "    alerts = payments[payments['alert']]\n"
            "    return float((alerts['reported_at'] <= as_of).mean())\n"
        ),
        # caught by the hidden tests only: on the date, a later report is not known
        "eventual labels used as of the date": (
            "def precision_as_of(payments, as_of, maturity_days):\n"
            "    alerts = payments[payments['alert']]\n"
            "    fraud = alerts['reported_at'].notna()\n"
            "    genuine = ~fraud & (alerts['paid_at'] + maturity_days <= as_of)\n"
            "    return fraud.sum() / (fraud.sum() + genuine.sum())\n"
        ),
        # caught by the hidden tests only: a report at exactly as_of is known
        "report time compared with < where the rule says <=": (
            "def precision_as_of(payments, as_of, maturity_days):\n"
            "    alerts = payments[payments['alert']]\n"
            "    fraud = alerts['reported_at'] < as_of\n"
            "    genuine = ~fraud & (alerts['paid_at'] + maturity_days <= as_of)\n"
            "    return fraud.sum() / (fraud.sum() + genuine.sum())\n"
        ),
    },
    "05-window-answer": {
        # caught by the hidden tests only (with no maturity the visible example cannot tell)
        "maturity ignored: the freshest whole days": (
            "def training_mask(payments, today, window_days, maturity_days):\n"
            "    day = np.floor(payments['paid_at'].to_numpy())\n"
            "    return (day >= today - window_days) & (day < today)\n"
        ),
        # caught by the visible check: day 10 has not happened yet
        "off by one: day d taken as mature when d + maturity_days <= today (its last hours are not)": (
            "def training_mask(payments, today, window_days, maturity_days):\n"
            "    day = np.floor(payments['paid_at'].to_numpy())\n"
            "    last = today - maturity_days\n"
            "    return (day > last - window_days) & (day <= last)\n"
        ),
        # caught by the visible check: a window of window_days + 1 days
        "one day too many in the window (>= where the window starts)": (
            "def training_mask(payments, today, window_days, maturity_days):\n"
            "    day = np.floor(payments['paid_at'].to_numpy())\n"
            "    last = today - maturity_days - 1\n"
            "    return (day >= last - window_days) & (day <= last)\n"
        ),
    },
}

RIGHT_ANSWERS = {
    "05-labels-answer": {
        "nullable integers with <NA> (as course.data.labels_as_of returns)": (
            "def labels_on(payments, as_of, maturity_days):\n"
            "    fraud = (payments['reported_at'] <= as_of).to_numpy()\n"
            "    mature = (payments['paid_at'] + maturity_days <= as_of).to_numpy()\n"
            "    values = pd.array(np.where(fraud, 1, 0), dtype='Int8')\n"
            "    values[~fraud & ~mature] = pd.NA\n"
            "    return pd.Series(values, index=payments.index)\n"
        ),
        "a loop over the payments": (
            "def labels_on(payments, as_of, maturity_days):\n"
            "    labels = []\n"
            "    for paid, reported in zip(payments['paid_at'], payments['reported_at']):\n"
            "        if reported <= as_of:\n"
            "            labels.append(1.0)\n"
            "        elif paid + maturity_days <= as_of:\n"
            "            labels.append(0.0)\n"
            "        else:\n"
            "            labels.append(float('nan'))\n"
            "    return pd.Series(labels, index=payments.index, dtype=float)\n"
        ),
    },
    "05-delays-answer": {
        "scipy's right_censored constructor": (
            "def delay_observations(payments, as_of):\n"
            "    before = payments[payments['paid_at'] < as_of]\n"
            "    reported = (before['reported_at'] <= as_of).to_numpy()\n"
            "    times = np.where(reported, before['reported_at'] - before['paid_at'], as_of - before['paid_at'])\n"
            "    return stats.CensoredData.right_censored(times, ~reported)\n"
        ),
        "plain lists from a loop": (
            "def delay_observations(payments, as_of):\n"
            "    events, censored = [], []\n"
            "    for paid, reported in zip(payments['paid_at'], payments['reported_at']):\n"
            "        if paid >= as_of:\n"
            "            continue\n"
            "        if reported <= as_of:\n"
            "            events.append(reported - paid)\n"
            "        else:\n"
            "            censored.append(as_of - paid)\n"
            "    return stats.CensoredData(uncensored=events, right=censored)\n"
        ),
    },
    "05-corrected-answer": {
        "NumPy arrays, a NumPy float returned": (
            "def corrected_fraud_rate(payments, as_of, first_day, report_share):\n"
            "    paid, reported = payments['paid_at'].to_numpy(), payments['reported_at'].to_numpy()\n"
            "    keep = (paid >= first_day) & (paid < as_of)\n"
            "    return np.sum(reported[keep] <= as_of) / np.sum(report_share(as_of - paid[keep]))\n"
        ),
        "a loop over the payments, the curve applied once to the ages collected": (
            "def corrected_fraud_rate(payments, as_of, first_day, report_share):\n"
            "    known, ages = 0, []\n"
            "    for paid, reported in zip(payments['paid_at'], payments['reported_at']):\n"
            "        if first_day <= paid < as_of:\n"
            "            known += reported <= as_of\n"
            "            ages.append(as_of - paid)\n"
            "    return known / report_share(np.array(ages)).sum()\n"
        ),
    },
    "05-precision-answer": {
        "the mean of the known labels of the alerts (NumPy)": (
            "def precision_as_of(payments, as_of, maturity_days):\n"
            "    alerts = payments[payments['alert']]\n"
            "    fraud = (alerts['reported_at'] <= as_of).to_numpy()\n"
            "    known = fraud | (alerts['paid_at'] + maturity_days <= as_of).to_numpy()\n"
            "    return float(fraud[known].mean())\n"
        ),
        "query strings and counts": (
            "def precision_as_of(payments, as_of, maturity_days):\n"
            "    alerts = payments.query('alert')\n"
            "    frauds = len(alerts.query('reported_at <= @as_of'))\n"
            "    genuine = len(alerts.query('~(reported_at <= @as_of) and paid_at + @maturity_days <= @as_of'))\n"
            "    return frauds / (frauds + genuine)\n"
        ),
    },
    "05-window-answer": {
        "on the payment times: from today - maturity - window up to today - maturity (excluded)": (
            "def training_mask(payments, today, window_days, maturity_days):\n"
            "    paid = payments['paid_at'].to_numpy()\n"
            "    return (paid >= today - maturity_days - window_days) & (paid < today - maturity_days)\n"
        ),
        "the list of days, then isin": (
            "def training_mask(payments, today, window_days, maturity_days):\n"
            "    last = today - maturity_days - 1\n"
            "    days = list(range(last - window_days + 1, last + 1))\n"
            "    return payments['paid_at'].astype(int).isin(days).to_numpy()\n"
        ),
    },
}

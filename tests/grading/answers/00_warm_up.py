"""Answer corpora of 00_warm_up, graded through the real nbgrader pipeline (tests/grading).

WRONG_ANSWERS: answer cell grade_id -> {why it is wrong: code that replaces the whole cell};
each must lose the points of its question, and only those; for every question at least one
passes the visible check and is caught by the hidden tests only.
RIGHT_ANSWERS: answer cell grade_id -> {which correct variant: code}; each must earn full marks.
The pipeline grades the k-th answer of every cell together in one submission.
"""

WRONG_ANSWERS = {
    "00-base-rate-answer": {
        # every one passes the visible check (a number between 0 and 1: even the percentage,
        # 0.41, looks like a share here); only the hidden test catches them
        "rounded to 4 decimals although the question asks for every digit": (
            "base_rate = round(df['is_fraud'].mean(), 4)"
        ),
        "mean of the daily rates (each day weighs the same, whatever its payments)": (
            "base_rate = df.groupby('day')['is_fraud'].mean().mean()"
        ),
        "frauds divided by genuine payments (the odds, not the share)": (
            "base_rate = df['is_fraud'].sum() / (df['is_fraud'] == 0).sum()"
        ),
        "a percentage, not a share": "base_rate = 100 * df['is_fraud'].mean()",
    },
    "00-fraud-loss-answer": {
        "every transaction's amount, not only the frauds'": "fraud_loss = df['amount'].sum()",
        "the average fraud, not the total": "fraud_loss = df.loc[df['is_fraud'] == 1, 'amount'].mean()",
        "the genuine payments' amounts (the filter inverted)": (
            "fraud_loss = df.loc[df['is_fraud'] == 0, 'amount'].sum()"
        ),
        "the number of frauds, not their money": "fraud_loss = df['is_fraud'].sum()",
    },
    "00-share-above-answer": {
        "at or above instead of strictly above (ties at the threshold)": (
            "def share_of_frauds_above(df, threshold):\n"
            "    return float((df.loc[df['is_fraud'] == 1, 'amount'] >= threshold).mean())"
        ),
        "P(fraud | amount > threshold) instead of P(amount > threshold | fraud)": (
            "def share_of_frauds_above(df, threshold):\n"
            "    return float(df.loc[df['amount'] > threshold, 'is_fraud'].mean())"
        ),
        "share of all payments above the threshold, frauds or not": (
            "def share_of_frauds_above(df, threshold):\n    return float((df['amount'] > threshold).mean())"
        ),
        "share of the fraud money above the threshold, not of the frauds": (
            "def share_of_frauds_above(df, threshold):\n"
            "    frauds = df.loc[df['is_fraud'] == 1, 'amount']\n"
            "    return float(frauds[frauds > threshold].sum() / frauds.sum())"
        ),
    },
    "00-rate-by-day-answer": {
        "values indexed by position, not by day": (
            "def fraud_rate_by_day(df):\n    return df.groupby('day')['is_fraud'].mean().reset_index(drop=True)"
        ),
        "frauds of the day divided by every transaction of the period (wrong denominator)": (
            "def fraud_rate_by_day(df):\n    return df.groupby('day')['is_fraud'].sum() / len(df)"
        ),
        "sorted by rate, highest first, not by day": (
            "def fraud_rate_by_day(df):\n    return df.groupby('day')['is_fraud'].mean().sort_values(ascending=False)"
        ),
        "frauds filtered before grouping (a day without fraud disappears)": (
            "def fraud_rate_by_day(df):\n"
            "    frauds = df[df['is_fraud'] == 1].groupby('day').size()\n"
            "    return (frauds / df.groupby('day').size()).dropna()"
        ),
    },
}

RIGHT_ANSWERS = {
    "00-base-rate-answer": {
        "count divided by length (a numpy float)": "base_rate = df['is_fraud'].sum() / len(df)",
        "numpy on the column's values, as a Python float": ("base_rate = float(np.mean(df['is_fraud'].to_numpy()))"),
        "value_counts with normalize=True": "base_rate = df['is_fraud'].value_counts(normalize=True).loc[1]",
        "plain Python over a list": ("labels = df['is_fraud'].tolist()\nbase_rate = sum(labels) / len(labels)"),
    },
    "00-fraud-loss-answer": {
        "amount times label, summed": "fraud_loss = (df['amount'] * df['is_fraud']).sum()",
        "a dot product, as a Python float": (
            "fraud_loss = float(np.dot(df['amount'].to_numpy(), df['is_fraud'].to_numpy()))"
        ),
        "groupby on the label": "fraud_loss = df.groupby('is_fraud')['amount'].sum().loc[1]",
        "a Python loop": (
            "fraud_loss = 0.0\n"
            "for amount, label in zip(df['amount'], df['is_fraud']):\n"
            "    if label == 1:\n"
            "        fraud_loss += amount"
        ),
    },
    "00-share-above-answer": {
        "numpy arrays, a numpy float returned": (
            "def share_of_frauds_above(df, threshold):\n"
            "    amounts = df['amount'].to_numpy()[df['is_fraud'].to_numpy() == 1]\n"
            "    return (amounts > threshold).sum() / amounts.size"
        ),
        "a query and a count": (
            "def share_of_frauds_above(df, threshold):\n"
            "    frauds = df.query('is_fraud == 1')\n"
            "    return len(frauds[frauds['amount'] > threshold]) / len(frauds)"
        ),
        "a Python loop over the rows": (
            "def share_of_frauds_above(df, threshold):\n"
            "    frauds = above = 0\n"
            "    for amount, label in zip(df['amount'], df['is_fraud']):\n"
            "        if label == 1:\n"
            "            frauds += 1\n"
            "            above += amount > threshold\n"
            "    return above / frauds"
        ),
    },
    "00-rate-by-day-answer": {
        "groupby mean (sorted by default)": "def fraud_rate_by_day(df):\n    return df.groupby('day')['is_fraud'].mean()",
        "frauds per day over payments per day": (
            "def fraud_rate_by_day(df):\n    return df.groupby('day')['is_fraud'].sum() / df.groupby('day').size()"
        ),
        "a crosstab normalized by row": (
            "def fraud_rate_by_day(df):\n    return pd.crosstab(df['day'], df['is_fraud'], normalize='index')[1]"
        ),
        "a loop over the sorted days": (
            "def fraud_rate_by_day(df):\n"
            "    rates = {}\n"
            "    for day in sorted(df['day'].unique()):\n"
            "        rates[day] = df.loc[df['day'] == day, 'is_fraud'].mean()\n"
            "    return pd.Series(rates)"
        ),
    },
}

"""Common wrong answers to 00_warm_up: each must lose the points of its question, and only those.

answer cell grade_id -> {why it is wrong: code that replaces the whole answer cell}
The pipeline test grades the k-th wrong answer of every answer cell in one submission.
"""

WRONG_ANSWERS = {
    "00-base-rate-answer": {
        "share of genuine transactions, not of frauds": "base_rate = (df['is_fraud'] == 0).mean()",
        "a percentage, not a share": "base_rate = 100 * df['is_fraud'].mean()",
    },
    "00-fraud-loss-answer": {
        "every transaction's amount, not only the frauds'": "fraud_loss = df['amount'].sum()",
        "the average fraud, not the total": "fraud_loss = df.loc[df['is_fraud'] == 1, 'amount'].mean()",
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
    },
    "00-rate-by-day-answer": {
        "frauds of the day divided by every transaction of the week (wrong denominator)": (
            "def fraud_rate_by_day(df):\n    return df.groupby('day')['is_fraud'].sum() / len(df)"
        ),
        "frauds counted per day, not a rate": (
            "def fraud_rate_by_day(df):\n    return df.groupby('day')['is_fraud'].sum()"
        ),
    },
}

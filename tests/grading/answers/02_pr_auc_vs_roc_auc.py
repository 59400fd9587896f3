"""Common wrong answers to 02_pr_auc_vs_roc_auc: each must lose the points of its question, and only those.

answer cell grade_id -> {why it is wrong: code that replaces the whole answer cell}
The pipeline test grades the k-th wrong answer of every answer cell in one submission.
"""

WRONG_ANSWERS = {
    "02-precision-at-k-answer": {
        "ties broken by row order (the first rows in the file win)": (
            "def precision_at_k(y_true, scores, k):\n"
            "    order = np.argsort(-np.asarray(scores, dtype=float), kind='stable')\n"
            "    return float(np.asarray(y_true)[order[:k]].mean())"
        ),
        "k larger than the number of transactions silently reviews them all (no error)": (
            "def precision_at_k(y_true, scores, k):\n"
            "    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)\n"
            "    k = min(k, len(scores))\n"
            "    kth = np.sort(scores)[::-1][k - 1]\n"
            "    above, tied = scores > kth, scores == kth\n"
            "    return float((y_true[above].sum() + (k - above.sum()) * y_true[tied].sum() / tied.sum()) / k)"
        ),
    },
    "02-card-precision-answer": {
        "transactions counted, not cards (a card with two frauds fills two reviews)": (
            "def card_precision_one_day(cards, y_true, scores, k):\n"
            "    return metrics.precision_at_k(y_true, scores, k)"
        ),
        "a card's score is the mean of its payments' scores, not the highest": (
            "def card_precision_one_day(cards, y_true, scores, k):\n"
            "    day = pd.DataFrame({'card': cards, 'fraud': y_true, 'score': scores})\n"
            "    per_card = day.groupby('card').agg(fraud=('fraud', 'max'), score=('score', 'mean'))\n"
            "    return metrics.precision_at_k(per_card['fraud'], per_card['score'], k)"
        ),
        "ties between cards broken by card order (head(k) after sorting)": (
            "def card_precision_one_day(cards, y_true, scores, k):\n"
            "    day = pd.DataFrame({'card': cards, 'fraud': y_true, 'score': scores})\n"
            "    per_card = day.groupby('card').agg(fraud=('fraud', 'max'), score=('score', 'max'))\n"
            "    top = per_card.sort_values('score', ascending=False, kind='stable').head(k)\n"
            "    return float(top['fraud'].sum() / k)"
        ),
    },
    "02-no-skill-answer": {
        "0.5, the no-skill level of ROC-AUC, whatever the labels": (
            "def no_skill_average_precision(y_true):\n    return 0.5"
        ),
        "the trapezoid under the no-skill curve, (1 + prevalence) / 2": (
            "def no_skill_average_precision(y_true):\n    return (1 + float(np.mean(y_true))) / 2"
        ),
    },
    "02-average-precision-answer": {
        "the trapezoid area under the precision-recall curve instead of average precision": (
            "from sklearn.metrics import auc, precision_recall_curve\n"
            "_p, _r, _ = precision_recall_curve(y, df['score_a'])\n"
            "average_precision_a = auc(_r, _p)\n"
            "_p, _r, _ = precision_recall_curve(y, df['score_b'])\n"
            "average_precision_b = auc(_r, _p)"
        ),
        "ROC-AUC instead of average precision": (
            "average_precision_a = roc_auc_score(y, df['score_a'])\n"
            "average_precision_b = roc_auc_score(y, df['score_b'])"
        ),
    },
    "02-ship-answer": {
        "transaction-level precision per day, not card-level": (
            "card_precision_a = metrics.daily_precision_at_k(y, df['score_a'], days=df['day'], k=BUDGET)\n"
            "card_precision_b = metrics.daily_precision_at_k(y, df['score_b'], days=df['day'], k=BUDGET)\n"
            "ship = 'A' if card_precision_a > card_precision_b else 'B'"
        ),
        "ship the model with the higher ROC-AUC": (
            "card_precision_a = metrics.card_precision_at_k(y, df['score_a'], card_ids=df['customer_id'], days=df['day'], k=BUDGET)\n"
            "card_precision_b = metrics.card_precision_at_k(y, df['score_b'], card_ids=df['customer_id'], days=df['day'], k=BUDGET)\n"
            "ship = 'A' if roc_auc_score(y, df['score_a']) > roc_auc_score(y, df['score_b']) else 'B'"
        ),
        "BUDGET cards over the whole four weeks, not BUDGET cards a day": (
            "_one_period = np.zeros(len(df))\n"
            "card_precision_a = metrics.card_precision_at_k(y, df['score_a'], card_ids=df['customer_id'], days=_one_period, k=BUDGET)\n"
            "card_precision_b = metrics.card_precision_at_k(y, df['score_b'], card_ids=df['customer_id'], days=_one_period, k=BUDGET)\n"
            "ship = 'A' if card_precision_a > card_precision_b else 'B'"
        ),
    },
}

"""Answer corpora of 02_pr_auc_vs_roc_auc, graded through the real nbgrader pipeline (tests/grading).

WRONG_ANSWERS: answer cell grade_id -> {why it is wrong: code that replaces the whole cell};
each must lose the points of its question, and only those; for every question at least one
passes the visible check and is caught by the hidden tests only.
RIGHT_ANSWERS: answer cell grade_id -> {which correct variant: code}; each must earn full marks.
The pipeline grades the k-th answer of every cell together in one submission.
"""

_MONEY = "def fraud_amount_in_top_k(y_true, scores, amounts, k):\n"
_K_CHECK = "    if not 1 <= k <= len(scores):\n        raise ValueError(f'k must be between 1 and {len(scores)}')\n"
_CARD = "def card_precision_one_day(cards, y_true, scores, k, blocked):\n"


def _daily_card_precision(remove_found, days="df['day']"):
    """Ship-cell code: daily card precision@BUDGET written by hand, with or without the Handbook's removal."""
    found = (
        "        found |= set(per_card.index[(per_card['score'] > kth) & (per_card['fraud'] == 1)])\n"
        if remove_found
        else ""
    )
    return (
        "def _card_precision(scores):\n"
        "    found, daily = set(), []\n"
        f"    for _, one in df.assign(score=scores, period={days}).groupby('period'):\n"
        "        one = one[~one['customer_id'].isin(list(found))]\n"
        "        per_card = one.groupby('customer_id').agg(fraud=('is_fraud', 'max'), score=('score', 'max'))\n"
        "        kth = per_card['score'].nlargest(BUDGET).iloc[-1]\n"
        "        daily.append(metrics.precision_at_k(per_card['fraud'], per_card['score'], BUDGET))\n"
        f"{found}"
        "    return float(np.mean(daily))\n\n\n"
        "card_precision_a = _card_precision(df['score_a'])\n"
        "card_precision_b = _card_precision(df['score_b'])\n"
    )


WRONG_ANSWERS = {
    "02-precision-at-k-answer": {
        "ties broken by row order (the first rows win)": (
            _MONEY + _K_CHECK + "    order = np.argsort(-np.asarray(scores, dtype=float), kind='stable')[:k]\n"
            "    return float((np.asarray(y_true) * np.asarray(amounts, dtype=float))[order].sum())"
        ),
        "k larger than the number of transactions silently reviews them all (no error)": (
            _MONEY + "    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)\n"
            "    money = np.where(y_true == 1, np.asarray(amounts, dtype=float), 0.0)\n"
            "    k = max(1, min(k, len(scores)))\n"
            "    kth = np.sort(scores)[::-1][k - 1]\n"
            "    above, tied = scores > kth, scores == kth\n"
            "    return float(money[above].sum() + (k - above.sum()) * money[tied].sum() / tied.sum())"
        ),
        "every tied transaction counted in full (a top k of more than k reviews)": (
            _MONEY + _K_CHECK + "    scores = np.asarray(scores, dtype=float)\n"
            "    kth = np.sort(scores)[::-1][k - 1]\n"
            "    return float(np.asarray(amounts)[(scores >= kth) & (np.asarray(y_true) == 1)].sum())"
        ),
        "positions used as labels on pandas Series (right on arrays, wrong rows on a Series)": (
            _MONEY + _K_CHECK + "    s = np.asarray(scores, dtype=float)\n"
            "    kth = np.sort(s)[::-1][k - 1]\n"
            "    above, tied = np.flatnonzero(s > kth), np.flatnonzero(s == kth)\n"
            "    money = 0.0\n"
            "    for i in above:\n"
            "        money += amounts[i] * y_true[i]\n"
            "    for i in tied:\n"
            "        money += (k - len(above)) / len(tied) * amounts[i] * y_true[i]\n"
            "    return float(money)"
        ),
    },
    "02-card-precision-answer": {
        "blocked cards ignored (a card found yesterday counts as a new find today)": (
            _CARD
            + "    day = pd.DataFrame({'card': np.asarray(cards), 'fraud': np.asarray(y_true), 'score': scores})\n"
            "    per_card = day.groupby('card').agg(fraud=('fraud', 'max'), score=('score', 'max'))\n"
            "    return metrics.precision_at_k(per_card['fraud'], per_card['score'], k)"
        ),
        "blocked cards dropped from the top k after ranking (fewer than k reviews)": (
            _CARD
            + "    day = pd.DataFrame({'card': np.asarray(cards), 'fraud': np.asarray(y_true), 'score': scores})\n"
            "    per_card = day.groupby('card').agg(fraud=('fraud', 'max'), score=('score', 'max'))\n"
            "    top = per_card.sort_values('score', ascending=False).head(k)\n"
            "    top = top[~top.index.isin(list(blocked))]\n"
            "    return float(top['fraud'].sum() / k)"
        ),
        "a card labelled by its highest-scored payment, not by any fraud": (
            _CARD
            + "    day = pd.DataFrame({'card': np.asarray(cards), 'fraud': np.asarray(y_true), 'score': scores})\n"
            "    day = day[~day['card'].isin(list(blocked))]\n"
            "    per_card = day.sort_values('score', ascending=False).drop_duplicates('card')\n"
            "    return metrics.precision_at_k(per_card['fraud'], per_card['score'], k)"
        ),
        "ties between cards broken by card order (head(k) after sorting)": (
            _CARD
            + "    day = pd.DataFrame({'card': np.asarray(cards), 'fraud': np.asarray(y_true), 'score': scores})\n"
            "    day = day[~day['card'].isin(list(blocked))]\n"
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
        "the exact expected AP of random scores, not the constant score's": (
            "def no_skill_average_precision(y_true):\n"
            "    n, p = len(y_true), int(np.sum(y_true))\n"
            "    harmonic = np.sum(1 / np.arange(1, n + 1))\n"
            "    return float((p - 1) / (n - 1) + (n - p) / (n * (n - 1)) * harmonic)"
        ),
        "the prevalence of the assignment's data, whatever the labels given": (
            "def no_skill_average_precision(y_true):\n    return float(y.mean())"
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
        "the average precision of the genuine class (pos_label=0)": (
            "average_precision_a = average_precision_score(y, df['score_a'], pos_label=0)\n"
            "average_precision_b = average_precision_score(y, df['score_b'], pos_label=0)"
        ),
        "the two models swapped": (
            "average_precision_a = average_precision_score(y, df['score_b'])\n"
            "average_precision_b = average_precision_score(y, df['score_a'])"
        ),
    },
    "02-ship-answer": {
        "cards found on earlier days reviewed again (no removal)": (
            _daily_card_precision(remove_found=False) + "ship = 'A' if card_precision_a > card_precision_b else 'B'"
        ),
        "transaction-level precision per day, not card-level": (
            "card_precision_a = metrics.daily_precision_at_k(y, df['score_a'], days=df['day'], k=BUDGET)\n"
            "card_precision_b = metrics.daily_precision_at_k(y, df['score_b'], days=df['day'], k=BUDGET)\n"
            "ship = 'A' if card_precision_a > card_precision_b else 'B'"
        ),
        "the course's card precision with the removal switched off": (
            "card_precision_a = metrics.card_precision_at_k(y, df['score_a'], card_ids=df['customer_id'],\n"
            "                                               days=df['day'], k=BUDGET, remove_detected_cards=False)\n"
            "card_precision_b = metrics.card_precision_at_k(y, df['score_b'], card_ids=df['customer_id'],\n"
            "                                               days=df['day'], k=BUDGET, remove_detected_cards=False)\n"
            "ship = 'A' if card_precision_a > card_precision_b else 'B'"
        ),
        "ship the model with the higher ROC-AUC": (
            _daily_card_precision(remove_found=True)
            + "ship = 'A' if roc_auc_score(y, df['score_a']) > roc_auc_score(y, df['score_b']) else 'B'"
        ),
        "BUDGET cards over the whole four weeks, not BUDGET cards a day": (
            _daily_card_precision(remove_found=True, days="0")
            + "ship = 'A' if card_precision_a > card_precision_b else 'B'"
        ),
    },
}

RIGHT_ANSWERS = {
    "02-precision-at-k-answer": {
        "pandas: nlargest for the k-th score, the tied share by hand": (
            _MONEY
            + _K_CHECK
            + "    t = pd.DataFrame({'fraud': np.asarray(y_true), 'score': np.asarray(scores, dtype=float),\n"
            "                      'amount': np.asarray(amounts, dtype=float)})\n"
            "    t['money'] = t['amount'] * t['fraud']\n"
            "    kth = t['score'].nlargest(k).iloc[-1]\n"
            "    above, tied = t[t['score'] > kth], t[t['score'] == kth]\n"
            "    return above['money'].sum() + (k - len(above)) / len(tied) * tied['money'].sum()"
        ),
        "groups of equal scores taken whole while they fit, then a share of the next group": (
            _MONEY + _K_CHECK + "    t = pd.DataFrame({'score': np.asarray(scores, dtype=float),\n"
            "                      'money': np.asarray(amounts, dtype=float) * (np.asarray(y_true) == 1)})\n"
            "    groups = t.groupby('score')['money'].agg(['sum', 'size']).sort_index(ascending=False)\n"
            "    left, found = k, 0.0\n"
            "    for total, size in zip(groups['sum'], groups['size']):\n"
            "        take = min(left, size)\n"
            "        found += total * take / size\n"
            "        left -= take\n"
            "        if left == 0:\n"
            "            break\n"
            "    return found"
        ),
        "plain Python lists": (
            _MONEY + _K_CHECK + "    rows = list(zip(list(scores), list(y_true), list(amounts)))\n"
            "    kth = sorted((s for s, _, _ in rows), reverse=True)[k - 1]\n"
            "    above = [(f, a) for s, f, a in rows if s > kth]\n"
            "    tied = [(f, a) for s, f, a in rows if s == kth]\n"
            "    share = (k - len(above)) / len(tied)\n"
            "    return sum(a for f, a in above if f == 1) + share * sum(a for f, a in tied if f == 1)"
        ),
        "np.partition for the k-th score, a numpy float returned": (
            _MONEY + _K_CHECK + "    s, y = np.asarray(scores, dtype=float), np.asarray(y_true)\n"
            "    money = np.asarray(amounts, dtype=float) * (y == 1)\n"
            "    kth = np.partition(s, s.size - k)[s.size - k]\n"
            "    above, tied = s > kth, s == kth\n"
            "    return money[above].sum() + (k - above.sum()) * money[tied].sum() / tied.sum()"
        ),
    },
    "02-card-precision-answer": {
        "numpy only: np.unique and np.maximum.at, the tie rule by hand": (
            _CARD
            + "    cards, y_true, scores = np.asarray(cards), np.asarray(y_true), np.asarray(scores, dtype=float)\n"
            "    keep = ~np.isin(cards, list(blocked))\n"
            "    ids, which = np.unique(cards[keep], return_inverse=True)\n"
            "    card_score = np.full(ids.size, -np.inf)\n"
            "    card_fraud = np.zeros(ids.size)\n"
            "    np.maximum.at(card_score, which, scores[keep])\n"
            "    np.maximum.at(card_fraud, which, y_true[keep])\n"
            "    kth = np.sort(card_score)[::-1][k - 1]\n"
            "    above, tied = card_score > kth, card_score == kth\n"
            "    return (card_fraud[above].sum() + (k - above.sum()) * card_fraud[tied].sum() / tied.sum()) / k"
        ),
        "a dict per card in plain Python": (
            _CARD + "    best, fraud = {}, {}\n"
            "    for card, label, score in zip(cards, y_true, scores):\n"
            "        if card in blocked:\n"
            "            continue\n"
            "        best[card] = max(best.get(card, score), score)\n"
            "        fraud[card] = max(fraud.get(card, 0), label)\n"
            "    kth = sorted(best.values(), reverse=True)[k - 1]\n"
            "    above = [c for c in best if best[c] > kth]\n"
            "    tied = [c for c in best if best[c] == kth]\n"
            "    found = sum(fraud[c] for c in above) + (k - len(above)) / len(tied) * sum(fraud[c] for c in tied)\n"
            "    return found / k"
        ),
        "pandas groupby and the course's precision_at_k, blocked cards filtered with np.isin": (
            _CARD + "    cards = np.asarray(cards)\n"
            "    keep = ~np.isin(cards, list(blocked))\n"
            "    day = pd.Series(np.asarray(scores)[keep]).groupby(cards[keep]).max()\n"
            "    label = pd.Series(np.asarray(y_true)[keep]).groupby(cards[keep]).max()\n"
            "    return metrics.precision_at_k(label.loc[day.index], day, k)"
        ),
    },
    "02-no-skill-answer": {
        "scikit-learn on a constant score": (
            "def no_skill_average_precision(y_true):\n    return average_precision_score(y_true, np.zeros(len(y_true)))"
        ),
        "count over length in plain Python": (
            "def no_skill_average_precision(y_true):\n    return sum(y_true) / len(y_true)"
        ),
        "pandas mean (a numpy float)": ("def no_skill_average_precision(y_true):\n    return pd.Series(y_true).mean()"),
        "numpy count_nonzero": (
            "def no_skill_average_precision(y_true):\n    return np.count_nonzero(y_true) / np.size(y_true)"
        ),
    },
    "02-average-precision-answer": {
        "numpy arrays, Python floats": (
            "average_precision_a = float(average_precision_score(y, df['score_a'].to_numpy()))\n"
            "average_precision_b = float(average_precision_score(y, df['score_b'].to_numpy()))"
        ),
        "the step sum over scikit-learn's precision-recall curve": (
            "from sklearn.metrics import precision_recall_curve\n"
            "_p, _r, _ = precision_recall_curve(y, df['score_a'])\n"
            "average_precision_a = -np.sum(np.diff(_r) * _p[:-1])\n"
            "_p, _r, _ = precision_recall_curve(y, df['score_b'])\n"
            "average_precision_b = -np.sum(np.diff(_r) * _p[:-1])"
        ),
        "the course's threshold sweep": (
            "average_precision_a = metrics.ThresholdSweep(y, df['score_a']).average_precision()\n"
            "average_precision_b = metrics.ThresholdSweep(y, df['score_b']).average_precision()"
        ),
        "by hand: precision at each distinct score times the frauds it adds": (
            "def _ap(scores):\n"
            "    t = pd.DataFrame({'fraud': y, 'score': scores}).groupby('score')['fraud'].agg(['sum', 'size'])\n"
            "    t = t.sort_index(ascending=False)\n"
            "    precision = t['sum'].cumsum() / t['size'].cumsum()\n"
            "    return float((precision * t['sum']).sum() / y.sum())\n\n\n"
            "average_precision_a = _ap(df['score_a'])\n"
            "average_precision_b = _ap(df['score_b'])"
        ),
    },
    "02-ship-answer": {
        "the course's card precision@k, whose default is the Handbook's removal": (
            "card_precision_a = metrics.card_precision_at_k(y, df['score_a'], card_ids=df['customer_id'],\n"
            "                                               days=df['day'], k=BUDGET)\n"
            "card_precision_b = metrics.card_precision_at_k(y, df['score_b'], card_ids=df['customer_id'],\n"
            "                                               days=df['day'], k=BUDGET)\n"
            "ship = 'A' if card_precision_a > card_precision_b else 'B'"
        ),
        "day by day with the course's precision_at_k, found cards removed": (
            _daily_card_precision(remove_found=True) + "ship = 'A' if card_precision_a > card_precision_b else 'B'"
        ),
        "found cards kept in a dict of days, numpy scalars, ship from a comparison": (
            "def _card_precision(scores):\n"
            "    t = df.assign(score=np.asarray(scores))\n"
            "    found, daily = set(), []\n"
            "    for day in sorted(t['day'].unique()):\n"
            "        one = t[(t['day'] == day) & ~t['customer_id'].isin(list(found))]\n"
            "        cards = one.groupby('customer_id').agg(fraud=('is_fraud', 'max'), score=('score', 'max'))\n"
            "        cards = cards.sort_values('score', ascending=False)\n"
            "        kth = cards['score'].iloc[BUDGET - 1]\n"
            "        above, tied = cards[cards['score'] > kth], cards[cards['score'] == kth]\n"
            "        daily.append((above['fraud'].sum() + (BUDGET - len(above)) / len(tied) * tied['fraud'].sum()) / BUDGET)\n"
            "        found.update(above.index[above['fraud'] == 1])\n"
            "    return np.mean(daily)\n\n\n"
            "card_precision_a = _card_precision(df['score_a'])\n"
            "card_precision_b = _card_precision(df['score_b'])\n"
            "ship = np.array(['A', 'B'])[int(card_precision_b > card_precision_a)]"
        ),
        "one table of (day, card), then the days in order": (
            "_cards = (df.assign(a=df['score_a'], b=df['score_b'])\n"
            "          .groupby(['day', 'customer_id'])[['is_fraud', 'a', 'b']].max().reset_index())\n\n\n"
            "def _card_precision(column):\n"
            "    found, total = [], 0.0\n"
            "    days = sorted(_cards['day'].unique())\n"
            "    for day in days:\n"
            "        one = _cards[(_cards['day'] == day) & ~_cards['customer_id'].isin(found)]\n"
            "        kth = np.sort(one[column].to_numpy())[::-1][BUDGET - 1]\n"
            "        above, tied = one[one[column] > kth], one[one[column] == kth]\n"
            "        total += (above['is_fraud'].sum() + (BUDGET - len(above)) * tied['is_fraud'].mean()) / BUDGET\n"
            "        found += above.loc[above['is_fraud'] == 1, 'customer_id'].tolist()\n"
            "    return total / len(days)\n\n\n"
            "card_precision_a, card_precision_b = _card_precision('a'), _card_precision('b')\n"
            "ship = 'B' if card_precision_b > card_precision_a else 'A'"
        ),
    },
}

"""Transactions for the course: the simulator, leak-free features, splits and the shipped dataset.

>>> from course.data import load_transactions, build_features, FEATURE_COLUMNS, time_split
>>> df = load_transactions()                      # the canonical dataset (checked)  # doctest: +SKIP
>>> X = build_features(df)[FEATURE_COLUMNS]       # model inputs known at transaction time  # doctest: +SKIP
"""

from course.data.dataset import DatasetError, datasets_dir, load_transactions
from course.data.drift import Drift
from course.data.features import FEATURE_COLUMNS, build_features
from course.data.labels import labels_as_of
from course.data.scenarios import SCENARIOS
from course.data.simulate import COLUMNS, POST_OUTCOME_COLUMNS, simulate_transactions
from course.data.split import time_split

__all__ = [
    "load_transactions",
    "datasets_dir",
    "DatasetError",
    "time_split",
    "build_features",
    "FEATURE_COLUMNS",
    "simulate_transactions",
    "Drift",
    "labels_as_of",
    "SCENARIOS",
    "COLUMNS",
    "POST_OUTCOME_COLUMNS",
]

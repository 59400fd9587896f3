"""Small simulated frames shared by the tests of ``course.data`` (kept small: the suite must stay fast)."""

import pytest

from course.data import simulate_transactions


@pytest.fixture(scope="session")
def small_df():
    """About 35,000 transactions over 60 days, default preset."""
    return simulate_transactions(300, 600, 60, seed=11)


@pytest.fixture(scope="session")
def fraud_rich_df():
    """A small world with many frauds, to measure label delays and features on frauds."""
    return simulate_transactions(
        200, 400, 90, seed=5, leaked_card_rate=0.01, compromised_terminal_rate=0.002, card_testing_rate=0.005
    )

"""Drift: how the simulated world changes from a given day (off by default)."""

from __future__ import annotations

from dataclasses import dataclass

from course._validation import check_scalar

__all__ = ["Drift"]

FRAUD_SCENARIOS = ("large_amount", "compromised_terminal", "leaked_card", "card_testing")


@dataclass(frozen=True)
class Drift:
    """A change in the simulated world from ``start_day`` on; days before it are untouched.

    Pass it to :func:`course.data.simulate_transactions` as ``drift=Drift(...)``. With the
    same seed, every transaction before ``start_day`` is byte-identical with and without
    the drift, so a model trained on the early days meets the change only in the later ones.

    Parameters
    ----------
    start_day : int
        First day (counted from 0, the simulation's first day) on which the change holds.
    amount_factor : float, default=1.0
        Covariate shift: every genuine spending amount from ``start_day`` on is multiplied
        by this factor (1.25 = customers spend 25% more). Frauds copied from genuine
        spending (leaked cards) follow; injected fraud amounts do not.
    fraud_rate_multiplier : float, default=1.0
        Change in fraud volume: every fraud scenario's daily rate is multiplied by this
        factor from ``start_day`` on (2.0 = twice as many new compromised terminals,
        leaked cards, large-amount and card-testing attacks a day). The ``handbook``
        preset's fixed rule "amount > 220 is fraud" is not a rate and does not change.
    new_pattern : str or None, default=None
        A new fraud pattern: the named scenario (``"large_amount"``,
        ``"compromised_terminal"``, ``"leaked_card"`` or ``"card_testing"``) does not
        exist before ``start_day`` and runs at its usual rate from then on.

    Examples
    --------
    >>> from course.data import Drift, simulate_transactions
    >>> drift = Drift(start_day=20, new_pattern="card_testing")
    >>> df = simulate_transactions(200, 400, 30, seed=0, drift=drift)
    >>> int((df.loc[df.day < 20, "fraud_scenario"] == "card_testing").sum())
    0
    """

    start_day: int
    amount_factor: float = 1.0
    fraud_rate_multiplier: float = 1.0
    new_pattern: str | None = None

    def __post_init__(self):
        day = self.start_day
        check_scalar(day, "Drift.start_day", int, min_val=0)
        for name, low_ok in (("amount_factor", False), ("fraud_rate_multiplier", True)):
            value = getattr(self, name)
            boundaries = "left" if low_ok else "neither"
            check_scalar(value, f"Drift.{name}", float, min_val=0, include_boundaries=boundaries, finite=True)
        if self.new_pattern is not None and self.new_pattern not in FRAUD_SCENARIOS:
            raise ValueError(
                f"Drift.new_pattern must be None or one of {list(FRAUD_SCENARIOS)}, got {self.new_pattern!r}."
            )

    def day_factors(self, n_days, scenario):
        """Return the per-day multiplier of ``scenario``'s rate (a float list of ``n_days``)."""
        before = 0.0 if self.new_pattern == scenario else 1.0
        start = min(self.start_day, n_days)
        return [before] * start + [float(self.fraud_rate_multiplier)] * (n_days - start)

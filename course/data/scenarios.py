"""Fraud scenarios, set as daily rates per terminal or per customer, and the presets.

Rates (not absolute counts) keep the fraud prevalence the same at every size: twice the
customers, twice the leaked cards. Each scenario is vectorized over (day, entity) grids:
one uniform draw per terminal-day or customer-day decides whether an attack starts there.

Scenarios (the ``fraud_scenario`` column):

``large_amount``
    A stolen card used once for a large purchase (injected row): amount log-normal with
    median 350, at any terminal, at any hour. The ``handbook`` preset instead uses the
    peer's rule: every genuine transaction above 220 is relabelled fraud.
``compromised_terminal``
    A terminal is compromised (e.g. a skimmer) and every transaction on it during the
    next ``compromised_terminal_days`` days (the start day included) is fraud.
``leaked_card``
    A card's credentials leak: for ``leaked_card_days`` days, each of its transactions is
    fraud with probability ``leaked_card_share`` and its amount is multiplied by
    ``leaked_card_amount_factor``.
``card_testing``
    A burst of small amounts (0.50 to 5.00) on a card within minutes at one terminal,
    to test that stolen credentials work; burst size is 2 + Poisson(mean - 2).
"""

from __future__ import annotations

import numpy as np

__all__ = ["SCENARIOS", "PRESETS", "SETTINGS"]

SCENARIOS = ("genuine", "large_amount", "compromised_terminal", "leaked_card", "card_testing")
GENUINE, LARGE_AMOUNT, COMPROMISED_TERMINAL, LEAKED_CARD, CARD_TESTING = range(5)

# name: (kind, meaning). kind: "probability", "positive", "positive_int", "threshold".
SETTINGS = {
    "large_amount_rate": ("probability", "chance per customer per day of a large-amount fraud"),
    "large_amount_threshold": (
        "threshold",
        "None, or the amount above which a genuine transaction is relabelled fraud (handbook rule)",
    ),
    "compromised_terminal_rate": ("probability", "chance per terminal per day that it gets compromised"),
    "compromised_terminal_days": ("positive_int", "days a compromised terminal's transactions are fraud"),
    "leaked_card_rate": ("probability", "chance per customer per day that the card's credentials leak"),
    "leaked_card_days": ("positive_int", "days during which a leaked card is used by fraudsters"),
    "leaked_card_share": ("probability", "share of a leaked card's transactions that are fraud"),
    "leaked_card_amount_factor": ("positive", "amount multiplier of a leaked card's fraudulent transactions"),
    "card_testing_rate": ("probability", "chance per customer per day of a card-testing burst"),
    "card_testing_burst_mean": ("positive", "mean number of transactions in a card-testing burst (>= 2)"),
    "unreported_share": ("probability", "share of frauds the cardholder never reports"),
    "report_delay_median_days": ("positive", "median delay between a fraud and its report (log-normal)"),
    "report_delay_sigma": ("positive", "sigma of the log-normal report delay (tail heaviness)"),
    "report_horizon_days": ("positive_int", "reports later than this many days after the transaction never arrive"),
    "maturity_days": ("positive_int", "days after which a transaction without fraud report is taken as genuine"),
    "dispute_rate": ("probability", "share of genuine transactions disputed by the cardholder, then rejected"),
}

_LABEL_DEFAULTS = {
    "unreported_share": 0.10,
    "report_delay_median_days": 7.0,
    "report_delay_sigma": 1.0,
    "report_horizon_days": 120,
    "maturity_days": 30,
    "dispute_rate": 0.001,
}


def _default_preset(n_customers, n_terminals):
    """Realistic prevalence (about 0.5%) at every size: all four scenarios, set as rates."""
    return {
        "large_amount_rate": 0.0015,
        "large_amount_threshold": None,
        "compromised_terminal_rate": 0.00007,
        "compromised_terminal_days": 28,
        "leaked_card_rate": 0.0003,
        "leaked_card_days": 14,
        "leaked_card_share": 1 / 3,
        "leaked_card_amount_factor": 5.0,
        "card_testing_rate": 0.0003,
        "card_testing_burst_mean": 5.0,
        **_LABEL_DEFAULTS,
    }


def _handbook_preset(n_customers, n_terminals):
    """The peer's model: amount > 220 is fraud, 2 terminals and 3 cards compromised a day.

    The peer's absolute daily counts become rates at the requested size, so its fraud
    rate scales as 1/size exactly as the peer's does (0.84% at 5000/10000, 3.6% at 1000/2000).
    """
    return {
        **_default_preset(n_customers, n_terminals),
        "large_amount_rate": 0.0,
        "large_amount_threshold": 220.0,
        "compromised_terminal_rate": min(1.0, 2.0 / n_terminals),
        "leaked_card_rate": min(1.0, 3.0 / n_customers),
        "card_testing_rate": 0.0,
    }


PRESETS = {"default": _default_preset, "handbook": _handbook_preset}


def resolve_settings(preset, n_customers, n_terminals, overrides):
    """Return the preset's settings updated with ``overrides``, every value checked."""
    if preset not in PRESETS:
        raise ValueError(f"Unknown preset {preset!r}: choose one of {sorted(PRESETS)}.")
    unknown = sorted(set(overrides) - set(SETTINGS))
    if unknown:
        raise ValueError(f"Unknown rate or setting(s) {unknown}. Known settings: {sorted(SETTINGS)}.")
    settings = {**PRESETS[preset](n_customers, n_terminals), **overrides}
    for name, value in settings.items():
        settings[name] = _check_setting(name, value)
    if settings["card_testing_burst_mean"] < 2:
        raise ValueError(
            f"card_testing_burst_mean must be >= 2 (a burst has at least 2 transactions), "
            f"got {settings['card_testing_burst_mean']!r}."
        )
    return settings


def _check_setting(name, value):
    kind, meaning = SETTINGS[name]
    if kind == "threshold" and value is None:
        return None
    is_number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not is_number or not np.isfinite(value):
        raise ValueError(f"{name} ({meaning}) must be a finite number, got {value!r}.")
    if kind == "probability" and not 0 <= value <= 1:
        raise ValueError(f"{name} ({meaning}) must be a probability in [0, 1], got {value!r}.")
    if kind in ("positive", "threshold") and value <= 0:
        raise ValueError(f"{name} ({meaning}) must be > 0, got {value!r}.")
    if kind == "positive_int":
        if value != int(value) or value < 1:
            raise ValueError(f"{name} ({meaning}) must be a whole number >= 1, got {value!r}.")
        return int(value)
    return float(value)


def daily_rates(rate, day_factors):
    """Per-day probabilities: ``rate`` times the drift's day factors, checked to stay <= 1."""
    rates = rate * np.asarray(day_factors, dtype=np.float64)
    if rates.max(initial=0.0) > 1:
        raise ValueError(
            f"A fraud rate of {rate} times the drift's fraud_rate_multiplier exceeds 1 "
            "(a daily probability): lower one of them."
        )
    return rates


def start_events(stream, day_rates, n_entities):
    """Bool grid (n_days, n_entities): an attack starts on this entity that day."""
    draws = stream.random((len(day_rates), n_entities), dtype=np.float32)
    return draws < day_rates.astype(np.float32)[:, None]


def active_windows(events, duration):
    """Bool grid: some attack started within the last ``duration`` days (today included)."""
    started = np.cumsum(events, axis=0, dtype=np.int32)
    active = started.copy()
    active[duration:] -= started[:-duration]
    return active > 0


def inject_large_amounts(streams, events, n_terminals):
    """Rows (customer, terminal, seconds, amount) of one large fraudulent purchase per event."""
    day, customer = np.nonzero(events)  # day-major: events of early days come first
    n = day.size
    seconds = day.astype(np.int64) * 86400 + (streams[0].random(n) * 86400).astype(np.int64)
    terminal = streams[1].integers(0, n_terminals, n, dtype=np.int32)
    amount = np.round(streams[2].lognormal(np.log(350.0), 0.5, n), 2)
    return customer.astype(np.int32), terminal, seconds, amount


def inject_card_testing(streams, events, n_terminals, burst_mean):
    """Rows (customer, terminal, seconds, amount) of card-testing bursts, one per event."""
    day, customer = np.nonzero(events)
    n_bursts = day.size
    sizes = 2 + streams[0].poisson(burst_mean - 2, n_bursts)
    starts = day.astype(np.int64) * 86400 + (streams[1].random(n_bursts) * 82800).astype(np.int64)
    terminals = streams[2].integers(0, n_terminals, n_bursts, dtype=np.int32)
    burst = np.repeat(np.arange(n_bursts), sizes)
    first_row = np.cumsum(sizes) - sizes
    gaps = streams[3].exponential(60.0, burst.size)
    gaps[first_row] = 0.0
    elapsed = np.cumsum(gaps)
    elapsed -= elapsed[first_row][burst]
    day_end = (day.astype(np.int64) * 86400 + 86399)[burst]
    seconds = np.minimum(starts[burst] + elapsed.astype(np.int64), day_end)
    amount = np.round(streams[4].uniform(0.5, 5.0, burst.size), 2)
    return customer[burst].astype(np.int32), terminals[burst], seconds, amount

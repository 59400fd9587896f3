"""Stop-gap for ``course.metrics.BootstrapResult`` until the teaching-truth issue lands on main.

The announced API (``day_bootstrap`` returns a ``BootstrapResult`` with ``estimate``, ``low``,
``high``, ``standard_error`` and ``str(result) -> "0.653 (95% CI 0.612 to 0.690)"``) is
mirrored here so that module 04 can be written now; this file is deleted when the real one is
merged and :mod:`course.metrics.optimism` imports it instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BootstrapResult:
    """A statistic and its bootstrap confidence interval."""

    estimate: float
    low: float
    high: float
    standard_error: float
    confidence_level: float = 0.95

    def __str__(self):
        return f"{self.estimate:.3f} ({self.confidence_level:.0%} CI {self.low:.3f} to {self.high:.3f})"

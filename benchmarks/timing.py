"""The timer every benchmark script uses (imported as ``timing``: scripts run from this folder)."""

from __future__ import annotations

import time


def best_time(function, repeat, number=1, clock=time.perf_counter):
    """Best time of ``number`` calls, over ``repeat`` runs, per call (seconds), on ``clock``."""
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        for _ in range(number):
            function()
        best = min(best, (clock() - start) / number)
    return best

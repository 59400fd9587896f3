"""Speed of a DriftExplorer update: the week slider, and a change of drift or policy.

    .venv/bin/python benchmarks/bench_drift_explorer.py [--repeat 20] [--full]

The explorer draws precomputed policy runs (:func:`course.lessons.drift.drift_explorer_data`):
a control change only looks up arrays and redraws. By default the data hold the three kinds
of drift, strong, starting on day 84, and the three policies (what an update touches does
not depend on how many combinations are stored); ``--full`` precomputes every combination,
as module 07's notebook does, and prints how long that takes. Each update time is the median
of ``--repeat`` updates, measured in this one process (the machine is shared).

Goal (the brief): an update (compute + redraw + PNG) <= 50 ms. A missed goal is printed
("goal missed: ..."), not asserted: the exit status is 0 unless the script crashes.
"""

from __future__ import annotations

import argparse
import os
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np

from course.lessons.drift import DriftLab, drift_explorer_data
from course.widgets import DriftExplorer

GOAL_UPDATE_MS = 50.0


def median_ms(updates):
    """Median wall time in ms of calling each function of ``updates`` once."""
    times = []
    for update in updates:
        start = time.perf_counter()
        update()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--full", action="store_true", help="precompute every combination, as the notebook does")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    start = time.perf_counter()
    lab = DriftLab(seed=0)
    if args.full:
        data = drift_explorer_data(lab)
    else:
        data = drift_explorer_data(lab, sizes=("strong",), start_days=(84,))
    print(f"precompute {len(data.series)} policy runs:        {time.perf_counter() - start:7.2f} s (once)")
    start = time.perf_counter()
    explorer = DriftExplorer(data)
    print(f"DriftExplorer construction:          {1000 * (time.perf_counter() - start):7.1f} ms (once)")

    weeks = [int(w) for w in data.weeks]

    def move_week(week):
        return lambda: setattr(explorer.week_slider, "value", week)

    moves = [move_week(weeks[(i + 1) % len(weeks)]) for i in range(args.repeat)]
    week_ms = median_ms(moves)
    kinds, policies = list(data.kinds), list(data.policies)

    def change(i):
        if i % 2:
            return lambda: setattr(explorer.kind, "value", kinds[(kinds.index(explorer.kind.value) + 1) % len(kinds)])
        return lambda: setattr(
            explorer.policy, "value", policies[(policies.index(explorer.policy.value) + 1) % len(policies)]
        )

    toggle_ms = median_ms([change(i) for i in range(args.repeat)])
    assert explorer.error is None, explorer.error
    print(f"explorer update, week slider moved:  {week_ms:7.1f} ms (compute + cursor blit + PNG)")
    print(f"explorer update, drift/policy:       {toggle_ms:7.1f} ms (compute + redraw of the lines + PNG)")
    print(f"PNG size: {len(explorer.image.value):,} bytes")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    goals = {
        f"explorer update, week slider <= {GOAL_UPDATE_MS:g} ms": week_ms <= GOAL_UPDATE_MS,
        f"explorer update, drift or policy <= {GOAL_UPDATE_MS:g} ms": toggle_ms <= GOAL_UPDATE_MS,
    }
    for goal, met in goals.items():
        print(f"{'met        ' if met else 'goal missed:'} {goal}")
    missed = [goal for goal, met in goals.items() if not met]
    print(f"goal missed: {len(missed)} of {len(goals)}" if missed else f"all {len(goals)} goals met")


if __name__ == "__main__":
    main()

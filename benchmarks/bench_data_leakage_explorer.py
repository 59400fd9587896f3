"""Speed of a LeakageExplorer update (compute + redraw + PNG) at the module's sizes.

    .venv/bin/python benchmarks/bench_data_leakage_explorer.py [--repeat 5]

Synthetic, seeded protocols (``numpy.random.default_rng(0)``) at the sizes of module 04: a
validation window of 21 days (about 41,000 payments) and a launch window of 36 days (about
70,000), 0.5% fraud, every protocol of ``course.lessons.data_leakage.LEAKS``. An update is a
slider move or a version toggle: a look-up in the table built with the explorer, a blit of
the moving artists and a PNG. Timings are the median and the worst wall time of
``--repeat`` passes over every slider position and version, and the mean CPU time (the
machine is shared: wall time includes waiting for a core). The goal (<= 50 ms per
update) is printed, not asserted: the exit status is 0 unless the script crashes.
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np

from course.lessons.data_leakage import LEAKS, ProtocolResult
from course.metrics import optimism
from course.widgets import LeakageExplorer

GOAL_UPDATE_MS = 50.0


def synthetic_results(seed=0, n_resamples=200):
    """A ProtocolResult per protocol of LEAKS: scores of a different strength in each window."""
    rng = np.random.default_rng(seed)
    days_val = np.repeat(np.arange(63, 84), 1_950)
    days_launch = np.repeat(np.arange(84, 120), 1_950)
    y_val = (rng.random(days_val.size) < 0.005).astype(int)
    y_launch = (rng.random(days_launch.size) < 0.005).astype(int)
    names = sorted({name for leak in LEAKS.values() for name in (leak.leaky, leak.fixed)})
    results = {}
    for k, name in enumerate(names):
        strength_val, strength_launch = 2.0 + 0.3 * k, 2.0
        score_val = rng.normal(size=y_val.size) + strength_val * y_val
        score_launch = rng.normal(size=y_launch.size) + strength_launch * y_launch
        metrics = optimism(
            y_val,
            score_val,
            y_launch,
            score_launch,
            days_val=days_val,
            days_launch=days_launch,
            n_resamples=n_resamples,
            seed=seed,  # one seed for every protocol: their draws pair (Optimism.difference)
        )
        results[name] = ProtocolResult(None, y_val, score_val, days_val, y_launch, score_launch, days_launch, metrics)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    results = synthetic_results()
    start = time.perf_counter()
    explorer = LeakageExplorer(results)
    build = time.perf_counter() - start
    print(
        f"{len(LEAKS)} leaks x 2 versions; validation {results['honest'].y_val.size:,} payments, "
        f"launch {results['honest'].y_launch.size:,}"
    )
    print(f"build LeakageExplorer (table of every position, figure): {build * 1e3:8.1f} ms")

    updates = []
    cpu_start = time.process_time()
    for _ in range(args.repeat):
        for version in ("fixed", "leaky"):
            start = time.perf_counter()
            explorer.version.value = version
            updates.append(time.perf_counter() - start)
            for leak in list(LEAKS)[1:] + list(LEAKS)[:1]:
                start = time.perf_counter()
                explorer.leak_slider.value = leak
                updates.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_start) / len(updates) * 1e3
    median, worst = statistics.median(updates) * 1e3, max(updates) * 1e3
    print(
        f"one update (compute + redraw + PNG), {len(updates)} updates: median {median:6.1f} ms, "
        f"worst {worst:6.1f} ms (goal <= {GOAL_UPDATE_MS:g} ms); CPU time {cpu:.1f} ms per update"
    )
    if median > GOAL_UPDATE_MS:
        print(f"goal missed: the median update takes {median:.1f} ms > {GOAL_UPDATE_MS:g} ms")


if __name__ == "__main__":
    main()

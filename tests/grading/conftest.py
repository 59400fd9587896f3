"""Fixtures of the grading tests: the graded batch of each assignment (``grading_batch.py``).

The batches this run needs are built once, at the first test that asks for one, in
parallel (``HSML_GRADING_WORKERS`` processes, 2 by default; each assignment has its own
course copy and gradebook); the tests then only read them.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
from grading_batch import ASSIGNMENTS, TIMINGS, WORKERS, timed_build


@pytest.fixture(scope="session")
def batches(request, tmp_path_factory):
    """{assignment: Batch, or the exception that stopped its build} for the selected tests."""
    wanted = sorted(
        {
            item.callspec.params["batch"]
            for item in request.session.items
            if "batch" in getattr(getattr(item, "callspec", None), "params", {})
        }
    )
    roots = {a: tmp_path_factory.mktemp(f"course-{a}") / "autograded" for a in wanted}
    results = {}
    if WORKERS > 1 and len(wanted) > 1:
        with ProcessPoolExecutor(min(WORKERS, len(wanted)), mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {a: pool.submit(timed_build, a, roots[a]) for a in wanted}
            for assignment, future in futures.items():
                try:
                    results[assignment] = future.result()
                except Exception as exc:  # reported by the tests of that assignment only
                    results[assignment] = exc
    else:
        for assignment in wanted:
            try:
                results[assignment] = timed_build(assignment, roots[assignment])
            except Exception as exc:
                results[assignment] = exc
    TIMINGS.extend(b.timings["summary"] for b in results.values() if not isinstance(b, Exception))
    return results


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def batch(request, batches):
    """The graded batch of one assignment."""
    result = batches[request.param]
    if isinstance(result, Exception):
        raise result
    return result


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.write_sep("-", f"grading pipeline timings ({WORKERS} worker(s))")
        for line in TIMINGS:
            terminalreporter.write_line(line)

"""Fixtures of the grading tests: the graded batch of each assignment (``grading_batch.py``).

The batches are the slowest part of ``make test`` and mostly wait on one kernel at a time,
so they are built **in the background from the start of the run**: as soon as collection
ends, ``HSML_GRADING_WORKERS`` processes (1 by default: the other core runs the notebooks,
unit and browser tests meanwhile) start grading every selected assignment, each in its own
course copy and gradebook. The grading tests themselves run last and only read the batches.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
from grading_batch import ASSIGNMENTS, TIMINGS, WORKERS, timed_build

PREFETCH = pytest.StashKey[dict]()


def _wanted(items):
    return sorted(
        {
            item.callspec.params["batch"]
            for item in items
            if "batch" in getattr(getattr(item, "callspec", None), "params", {})
        }
    )


def pytest_collection_modifyitems(session, config, items):
    """Grading tests last: by the time they run, the background batches are (nearly) done."""
    grading = [item for item in items if "batch" in getattr(getattr(item, "callspec", None), "params", {})]
    if grading:
        rest = [item for item in items if item not in set(grading)]
        items[:] = rest + grading


def pytest_collection_finish(session):
    wanted = _wanted(session.items)
    if not wanted or session.config.option.collectonly:
        return
    factory = session.config._tmp_path_factory  # pytest's tmp_path_factory, before any fixture exists
    roots = {a: factory.mktemp(f"course-{a}") / "autograded" for a in wanted}
    pool = ProcessPoolExecutor(min(WORKERS, len(wanted)), mp_context=multiprocessing.get_context("spawn"))
    futures = {a: pool.submit(timed_build, a, roots[a]) for a in wanted}
    session.config.stash[PREFETCH] = {"pool": pool, "futures": futures}


@pytest.fixture(scope="session")
def batches(request):
    """{assignment: Batch, or the exception that stopped its build} for the selected tests."""
    prefetch = request.config.stash.get(PREFETCH, None)
    if prefetch is None:
        pytest.fail("the grading batches were not started (pytest_collection_finish of tests/grading/conftest.py)")
    results = {}
    for assignment, future in prefetch["futures"].items():
        try:
            results[assignment] = future.result()
        except Exception as exc:  # reported by the tests of that assignment only
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


def pytest_sessionfinish(session):
    prefetch = session.config.stash.get(PREFETCH, None)
    if prefetch is not None:
        prefetch["pool"].shutdown(wait=True, cancel_futures=True)


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.write_sep("-", f"grading pipeline timings ({WORKERS} worker(s), in the background)")
        for line in TIMINGS:
            terminalreporter.write_line(line)

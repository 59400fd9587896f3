"""Fixtures of the grading tests: the batch of one assignment, built once (``grading_batch.py``)."""

from __future__ import annotations

import time

import pytest
from grading_batch import ASSIGNMENTS, TIMEOUT, TIMINGS, build_batch


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def batch(request, tmp_path_factory):
    """The graded batch of one assignment (built once per assignment, then only read)."""
    assignment = request.param
    start = time.perf_counter()
    result = build_batch(assignment, tmp_path_factory.mktemp(f"course-{assignment}") / "autograded")
    total = time.perf_counter() - start
    per_student = {r.student: r.seconds for r in result.reports["autograde"].results if r.graded}
    t = result.timings
    TIMINGS.append(
        f"{assignment}: batch {total:.1f} s = import nbgrader {t['import nbgrader']:.1f} + release {t['release']:.1f} "
        f"+ autograde {t['autograde']:.1f} ({len(per_student)} graded; solution {per_student.get('solution', 0):.1f} s, "
        f"endless loop {per_student.get(result.loop_student, 0):.1f} s at timeout {TIMEOUT:g} s) + feedback {t['feedback']:.1f}"
    )
    return result


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.write_sep("-", "grading pipeline timings")
        for line in TIMINGS:
            terminalreporter.write_line(line)

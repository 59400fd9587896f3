"""The cohort tests: fast unit tests always; the end-to-end hub test (marker ``hub``) only when asked.

The end-to-end test starts PostgreSQL, JupyterHub and three learner servers and takes minutes,
so ``make test`` reports it as skipped with the command that runs it: ``make test-hub``
(``pytest tests/hub -m hub``).
"""

from __future__ import annotations

import pytest

RUN_IT = "the end-to-end hub test runs with `make test-hub` (pytest tests/hub -m hub): it takes a few minutes"


def pytest_collection_modifyitems(config, items):
    selected = config.getoption("markexpr", "") or ""
    if "hub" in selected and "not hub" not in selected:
        return
    for item in items:
        if item.get_closest_marker("hub"):
            item.add_marker(pytest.mark.skip(reason=RUN_IT))


def pytest_terminal_summary(terminalreporter):
    from tests.hub.cohort import TIMINGS

    if TIMINGS:
        terminalreporter.write_sep("-", "cohort on a hub: timings and memory (this machine, shared: noisy)")
        for line in TIMINGS:
            terminalreporter.write_line(line)

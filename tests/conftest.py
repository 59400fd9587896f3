"""Suite-wide guards for the course's tests.

The notebook harness itself lives in ``tests/modules/harness.py`` (loaded by the root
``conftest.py`` so that it also serves ``pytest modules/NB.ipynb``).
"""

import pytest


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """A run that collected nothing must never look like a pass: say so, loudly."""
    if exitstatus != pytest.ExitCode.NO_TESTS_COLLECTED:
        return
    terminalreporter.write_sep("!", "NO TESTS WERE COLLECTED: THIS RUN FAILED", red=True, bold=True)
    terminalreporter.write_line(
        "pytest exits with status 5 when nothing is collected, and CI treats that as a failure:\n"
        "a suite that runs nothing proves nothing. Check the paths you passed, the -k / -m\n"
        "expressions, and [tool.pytest.ini_options] testpaths / norecursedirs in pyproject.toml.",
        red=True,
    )

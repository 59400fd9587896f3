"""Fixtures of the browser tests: one JupyterLab server and one Chromium for the whole run.

- Chromium is the system's (Debian's ``chromium``, installed by ``make test`` through
  ``scripts/ensure_chromium.sh`` when it can be), or the one named by ``HSML_CHROMIUM``,
  driven by the ``playwright`` package. ``playwright install`` is never used. Without a
  Chromium, every browser test is SKIPPED with the reason and how to enable them.
- Server and browser are started once (module scope: all browser tests live in
  ``test_browser_notebooks.py``, so they are stopped before the rest of the suite runs)
  and always stopped, also when a test fails.
- Each test records its timings with ``record_property("browser_timing", {...})``; they
  are printed at the end of every run (``pytest_terminal_summary``), whatever ``-s``/``-q``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.lab_server import LabServer

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_ENABLE = (
    "To enable them: run `make test` as root where apt-get works (it installs Debian's chromium), "
    "or `sudo apt-get install chromium`, or set HSML_CHROMIUM=/path/to/chromium. "
    "Never `playwright install`."
)
TIMINGS = pytest.StashKey[list]()


def find_chromium():
    """``(path, None)`` of the Chromium to drive, or ``(None, why not)``."""
    named = os.environ.get("HSML_CHROMIUM", "").strip()
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named, None
        return None, f"HSML_CHROMIUM={named} is not an executable file."
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path, None
    return None, f"no Chromium found ({', '.join(CHROMIUM_NAMES)} not on PATH, HSML_CHROMIUM unset)."


@pytest.fixture(scope="module")
def chromium_path():
    # (without the playwright package, test_browser_notebooks.py is skipped at import, with the reason)
    path, why_not = find_chromium()
    if path is None:
        pytest.skip(f"browser tests skipped: {why_not} {HOW_TO_ENABLE}")
    return path


@pytest.fixture(scope="module")
def lab_server(chromium_path, tmp_path_factory):
    server = LabServer(REPO_ROOT, tmp_path_factory.mktemp("lab"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def browser_context(browser):
    """One context for all notebooks: Lab's scripts are downloaded once, then cached."""
    context = browser.new_context(viewport={"width": 1500, "height": 1400})
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context):
    """A fresh page (tab) per notebook; ``?reset`` in the URL keeps Lab from restoring another's layout."""
    page = browser_context.new_page()
    try:
        yield page
    finally:
        page.close()


# -- timings in the terminal summary ------------------------------------------------------


def pytest_configure(config):
    config.stash[TIMINGS] = []


@pytest.fixture
def record_timing(request, record_property):
    """``record_timing(dict)``: keeps a test's timings (JUnit property and terminal summary)."""

    def record(timing):
        record_property("browser_timing", timing)
        request.config.stash[TIMINGS].append(timing)

    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    rows = config.stash.get(TIMINGS, [])
    if not rows:
        return
    write = terminalreporter.write_line
    terminalreporter.write_sep("-", "browser: time per notebook and slider-to-screen latency")
    write("(wall-clock on this machine, shared with other work: noisy; latency goal < 200 ms)")
    for row in rows:
        line = (
            f"{row['notebook']}: total {row['total_s']:.1f} s (open {row['open_s']:.1f} s, "
            f"run all {row['run_all_s']:.1f} s, interact {row['interact_s']:.1f} s)"
        )
        latencies = row.get("key_latency_ms")
        if latencies:
            ordered = sorted(latencies)
            line += (
                f"; key press -> numbers painted: median {ordered[len(ordered) // 2]:.0f} ms, "
                f"max {ordered[-1]:.0f} ms over {len(ordered)} presses"
            )
        if row.get("input_latency_ms"):
            line += "; input -> numbers: " + ", ".join(f"{ms:.0f} ms" for ms in row["input_latency_ms"])
        if row.get("note"):
            line += f"; {row['note']}"
        write(line)

"""Fixtures of the browser tests: one JupyterLab server and one Chromium for the whole run.

- Chromium is the system's (Debian's ``chromium``, installed by ``make test`` through
  ``scripts/ensure_chromium.sh`` when it can be), or the one named by ``HSML_CHROMIUM``,
  driven by the ``playwright`` package. ``playwright install`` is never used. Without a
  Chromium, every browser test is SKIPPED with the reason and how to enable them.
- Server and browser are started once (module scope: all browser tests live in
  ``test_browser_notebooks.py``, so they are stopped before the rest of the suite runs)
  and always stopped, also when a test fails. Chromium starts while the server boots.
- JupyterLab's front end is loaded ONCE, in one tab (``lab_tab``); each test opens its
  notebook in that Lab and closes it (without saving) at its end. Before each test, the
  ``page`` fixture makes sure no notebook and no dialog is left over (else it reloads Lab):
  the selectors of ``lab_page`` assume one notebook on the page.
- Each test records its timings with ``record_property("browser_timing", {...})``; they
  are printed at the end of every run (``pytest_terminal_summary``), whatever ``-s``/``-q``.
"""

from __future__ import annotations

import os
import shutil
import time
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
SETUP_TIMINGS = pytest.StashKey[dict]()
LAB_LOAD_TIMEOUT_MS = 120_000


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
def lab_server(chromium_path, tmp_path_factory, request):
    server = LabServer(REPO_ROOT, tmp_path_factory.mktemp("lab"))
    start = time.monotonic()
    try:
        server.launch()
        request.getfixturevalue("browser")  # Chromium starts while the server boots
        server.wait_until_up()
        request.config.stash[SETUP_TIMINGS]["server_and_browser_s"] = time.monotonic() - start
        yield server
    finally:
        server.stop()
        request.config.stash[SETUP_TIMINGS].setdefault("close_errors", []).extend(server.close_errors)


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
    context = browser.new_context(viewport={"width": 1500, "height": 1400})
    try:
        yield context
    finally:
        context.close()


class LabTab:
    """The tab with JupyterLab loaded. :meth:`clean` hands it over with no document open
    and no dialog; when closing what an earlier test left does not get there, the tab is
    replaced by a new one with a fresh Lab (a new tab: a dirty notebook's "Leave site?"
    prompt cannot block it)."""

    def __init__(self, context, server, config):
        self.context, self.server, self.config = context, server, config
        self.tab = None

    def fresh(self):
        from tests.browser.lab_page import load_lab

        if self.tab is not None:
            self.tab.close()
        start = time.monotonic()
        self.tab = self.context.new_page()
        load_lab(self.tab, self.server, LAB_LOAD_TIMEOUT_MS)
        self.config.stash[SETUP_TIMINGS].setdefault("lab_load_s", []).append(time.monotonic() - start)
        return self.tab

    def clean(self):
        from tests.browser.lab_page import close_documents

        try:
            if close_documents(self.tab):
                return self.tab
        except Exception as error:  # the page itself is broken (a crash, a navigation)
            print(f"Lab's tab is unusable ({error}): a new one is opened")
        return self.fresh()

    def close(self):
        if self.tab is not None:
            self.tab.close()


@pytest.fixture(scope="module")
def lab_tab(browser_context, lab_server, request):
    """One tab with JupyterLab loaded, for all notebooks of the module."""
    lab = LabTab(browser_context, lab_server, request.config)
    try:
        lab.fresh()
        yield lab
    finally:
        lab.close()


@pytest.fixture
def page(lab_tab):
    """The Lab tab with no document open and no dialog: what a test's notebook must find
    (the selectors of ``lab_page`` assume one notebook on the page)."""
    return lab_tab.clean()


# -- timings in the terminal summary ------------------------------------------------------


def pytest_configure(config):
    config.stash[TIMINGS] = []
    config.stash[SETUP_TIMINGS] = {}


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
    setup = config.stash.get(SETUP_TIMINGS, {})
    if setup:
        loads = setup.get("lab_load_s", [])
        write(
            f"once: server and Chromium up {setup.get('server_and_browser_s', float('nan')):.1f} s; "
            f"JupyterLab's front end loaded {len(loads)} time(s): "
            + ", ".join(f"{seconds:.1f} s" for seconds in loads)
            + " (each notebook then opens in it)"
        )
        for problem in setup.get("close_errors", []):
            write(f"WARNING: {problem}")
    for row in rows:
        line = (
            f"{row['notebook']}: total {row['total_s']:.1f} s (open {row['open_s']:.1f} s, "
            f"run all {row['run_all_s']:.1f} s, interact {row['interact_s']:.1f} s, "
            f"screenshot and close {row['close_s']:.1f} s)"
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

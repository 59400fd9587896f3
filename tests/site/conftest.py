"""Fixtures of the website and app tests: one site build, one axe-core, one Voila server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from course_tools.refresher_app import build_app, voila_command, write_token_config
from course_tools.site import build_site
from tests.browser.conftest import CHROMIUM_ARGS, find_chromium
from tests.browser.lab_server import free_port
from tests.site.timings import TIMINGS

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
AXE_DIR = REPO_ROOT / "build" / "axe"


def pytest_collection_modifyitems(items):
    """Tests of the built website need the modules executed: marked, so that make test-fast skips them."""
    for item in items:
        if "site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.notebooks)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The website, built once from build/executed/ (left by the notebook tests) or by running the modules."""
    start = time.perf_counter()
    report = build_site(tmp_path_factory.mktemp("site"))
    TIMINGS.append(
        f"site: {len(report.pages)} pages in {time.perf_counter() - start:.1f} s ("
        + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
        + f"; notebooks run now: {', '.join(report.executed_now) or 'none'})"
    )
    return report


@pytest.fixture(scope="session")
def axe_script():
    """Path of axe.min.js (npm's axe-core, the version of tests/site/package-lock.json)."""
    target = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not target.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("accessibility tests skipped: npm is not installed (it installs axe-core).")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, AXE_DIR / name)
        result = subprocess.run(
            [npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=AXE_DIR, capture_output=True, text=True
        )
        if result.returncode != 0 or not target.is_file():
            pytest.fail(f"npm ci of axe-core failed: {result.stderr.strip()[-500:]}")
    return target


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    path, why_not = find_chromium()
    if path is None:
        pytest.skip(f"browser tests skipped: {why_not}")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


def run_axe(page, axe_script):
    """axe-core's serious and critical violations on ``page``: ``[(rule, impact, first target)]``."""
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], v["nodes"][0]["target"] if v["nodes"] else None)
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class VoilaServer:
    """``make refresher``'s Voila on a free port, with its token in a private config dir; stopped for sure."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.token = os.urandom(12).hex()
        self.app = self.workdir / "app"
        self.connections = self.workdir / "connections"
        self.process = None

    def start(self):
        build_app(self.app)
        config = self.workdir / "config"
        write_token_config(config, self.token)
        self.connections.mkdir()
        command = [*voila_command(self.app, self.port, config), f"--Voila.connection_dir_root={self.connections}"]
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config)}
        env.pop("JUPYTER_TOKEN", None)
        self.log = open(self.workdir / "voila.log", "w")
        self.process = subprocess.Popen(command, cwd=self.app, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("00_index.ipynb"), timeout=5)
                return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Voila did not start: see {self.workdir / 'voila.log'}")

    def url(self, page, *, token=True):
        return f"http://127.0.0.1:{self.port}/voila/render/{page}" + (f"?token={self.token}" if token else "")

    def newest_connection_file(self):
        files = sorted(self.connections.rglob("kernel-*.json"), key=lambda p: p.stat().st_mtime)
        return files[-1] if files else None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture(scope="session")
def voila(chromium, tmp_path_factory):
    server = VoilaServer(tmp_path_factory.mktemp("voila"))
    try:
        yield server.start()
    finally:
        server.stop()


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.section("website and app")
        for line in TIMINGS:
            terminalreporter.write_line(line)


__all__ = ["run_axe", "json"]

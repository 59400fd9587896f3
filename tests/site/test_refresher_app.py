"""The explorers as an app without code (make refresher): Voila pages in a real Chromium."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from jupyter_client import BlockingKernelClient

from tests.browser import lab_page
from tests.browser.checks import mismatches, wait_until
from tests.browser.spec import NOTEBOOKS, MainWidget
from tests.browser.test_browser_notebooks import KERNEL_STATE
from tests.site.conftest import TIMINGS, run_axe

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
APP_PAGES = [name for name, spec in sorted(NOTEBOOKS.items()) if isinstance(spec, MainWidget)]
pytestmark = pytest.mark.browser


def _engine(voila, spec):
    client = BlockingKernelClient(connection_file=str(voila.newest_connection_file()))
    client.load_connection_file()
    client.start_channels()
    out = []
    try:
        engine = "\n".join("    " + line for line in spec.engine_code.splitlines())
        code = KERNEL_STATE.format(engine=engine, slider_attribute=spec.kind.slider_attribute)
        client.execute_interactive(
            code,
            store_history=False,
            timeout=60,
            output_hook=lambda m: out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
        )
    finally:
        client.stop_channels()
    return json.loads("".join(out).strip().splitlines()[-1])


def test_app_index_is_accessible_and_token_protected(voila, chromium, axe_script):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", voila.port, timeout=10)
    connection.request("GET", "/voila/render/00_index.ipynb")
    response = connection.getresponse()
    assert response.status in (302, 403) and "login" in (response.getheader("Location") or "login"), (
        f"the app answers without its token: {response.status}"
    )
    connection.close()
    tab = chromium.new_page()
    try:
        tab.goto(voila.url("00_index.ipynb"))
        tab.wait_for_selector("a[href*='voila/render/']", timeout=60_000)
        violations = run_axe(tab, axe_script)
    finally:
        tab.close()
    assert not violations, f"app index: axe-core finds {violations}"


@pytest.mark.parametrize("name", APP_PAGES)
def test_each_explorer_moves_in_the_app(voila, chromium, axe_script, name):
    spec = NOTEBOOKS[name]
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        start = time.perf_counter()
        tab.goto(voila.url(f"{name}.ipynb"), timeout=240_000)
        tab.wait_for_selector(".hsml-numbers", timeout=240_000)
        rendered = time.perf_counter() - start
        assert "def " not in tab.inner_text("body"), f"{name}: the app shows code"
        handle = lab_page.slider_handle(tab.locator("body"), spec.kind.slider)
        handle.focus()
        tab.keyboard.press(spec.key)

        def problems():
            state = _engine(voila, spec)
            shown, error = lab_page.read_numbers(tab.locator(".hsml-numbers").first)
            return [f"error shown: {error}"] if error else mismatches(shown, state["numbers"])

        left = wait_until(problems, 30)
        assert not left, f"{name}: after a key press, page and engine disagree: {left}"
        violations = run_axe(tab, axe_script)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"app-{name}.png"), full_page=True)
        TIMINGS.append(f"app {name}: rendered in {rendered:.1f} s, slider moved and checked")
    finally:
        tab.close()
    assert not violations, f"{name} in the app: axe-core finds {violations}"

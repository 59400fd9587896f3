"""The explorers as an app without code (make refresher): which cells a page runs (plain Python),
then the Voila pages in a real Chromium (marker ``browser``)."""

from __future__ import annotations

import doctest
import html
import json
import re
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client import BlockingKernelClient

from course_tools import refresher_app
from course_tools.refresher_app import APP_KEEP_TAG, MAIN_WIDGET_MARKER, app_notebook, needed_cells
from course_tools.site import MODULES, executed_notebook
from tests.browser import lab_page
from tests.browser.checks import mismatches, parse_data_value, wait_until
from tests.browser.spec import NOTEBOOKS, MainWidget
from tests.browser.test_browser_notebooks import KERNEL_STATE
from tests.site.conftest import run_axe
from tests.site.timings import TIMINGS

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
APP_PAGES = [name for name, spec in sorted(NOTEBOOKS.items()) if isinstance(spec, MainWidget)]


# --- which cells a page keeps: plain Python, no browser ------------------------------------------


def _kept(cells, explorer="explorer = Explorer(x)"):
    return needed_cells(cells, explorer)


def test_keeps_what_the_explorer_reads_and_what_that_reads_in_order():
    cells = ["import numpy as np", "a = np.ones(3)", "b = a * 2", "print(b.sum())", "x = a + 1", "c = b - 1"]
    assert _kept(cells) == ["import numpy as np", "a = np.ones(3)", "x = a + 1"]


@pytest.mark.parametrize(
    "binding",
    [
        "x = 1",
        "x, (y, *z) = 1, (2, 3, 4)",
        "x = y = 0",
        "x: int = 1",
        "x = 0\nx += 1",
        "for x in range(3):\n    pass",
        "with open(__file__) as x:\n    pass",
        "import x",
        "import numpy as x",
        "from os import path as x",
        "from os import x",
        "def x():\n    return 1",
        "class x:\n    pass",
        "if (x := 3):\n    pass",
        "values = [(x := v) for v in range(3)]",
        "try:\n    pass\nexcept Exception:\n    x = 1",
        "del x",
    ],
)
def test_every_kind_of_binding_keeps_the_cell(binding):
    assert _kept(["other = 1", binding, "another = 2"]) == [binding]


@pytest.mark.parametrize(
    "change",
    [
        "x[0] = 1",
        "x.attribute = 1",
        "x[0] += 1",
        "x.a.b[1] = 2",
        "del x[0]",
        "x.append(4)",
        "x.drop(columns='a', inplace=True)",
        "x.fit(X, y).score(X, y)",
        "for v in range(3):\n    x.append(v)",
        "x[0], y = 1, 2",
    ],
)
def test_a_change_in_place_keeps_the_cell(change):
    cells = ["x = [1, 2, 3]", "y = 0", change, "z = 1"]
    kept = _kept(cells)
    assert kept[0] == "x = [1, 2, 3]" and change in kept and "z = 1" not in kept


def test_a_function_call_or_a_used_result_is_not_taken_as_a_change():
    # documented assumption: the course's functions leave their inputs alone
    for cell in ("show(x)", "total = x.count(1)", "summary(x).round(3)"):
        assert _kept(["x = [1]", cell]) == ["x = [1]"], cell


def test_a_cell_is_not_kept_for_names_it_binds_before_reading_them():
    cells = [
        "name, table = 'a', 1",  # the names the later loops bind for themselves
        "x = 1",
        "for name in ['b']:\n    print(name)",
        "table = 2\nprint(table)",
    ]
    assert _kept(cells, "explorer = Explorer(x)\nfor name in ['c']:\n    print(name)") == ["x = 1"]
    # reading before binding does need the earlier cell
    assert _kept(["x = 1", "x = x + 1"]) == ["x = 1", "x = x + 1"]
    assert _kept(["x = 1", "x += 1"]) == ["x = 1", "x += 1"]


def test_a_function_reads_names_when_it_is_called_so_later_cells_count():
    cells = ["def scale(v):\n    return v * factor", "unused = 0", "factor = 3", "x = scale(2)"]
    assert _kept(cells) == [cells[0], "factor = 3", "x = scale(2)"]


def test_reads_follow_comprehensions_lambdas_and_classes():
    cells = ["k = 2", "m = 3", "n = 4", "x = [v * k for v in range(3)]\nf = lambda: m\nclass C:\n    size = n"]
    assert _kept(cells) == cells


def test_a_cell_that_does_not_parse_is_kept_with_every_cell_before_it():
    cells = ["a = 1", "!pip list", "b = 2", "x = 3"]
    assert _kept(cells) == ["a = 1", "!pip list", "x = 3"]
    cells = ["a = 1", "%%time\nb = 2", "c = 3", "x = 4"]
    assert _kept(cells) == ["a = 1", "%%time\nb = 2", "x = 4"]


@pytest.mark.parametrize(
    "opaque",
    [
        "def bump():\n    global counter\n    counter = 1",
        "exec('x = 2')",
        "eval('1')",
        "globals()['x'] = 2",
        "from os.path import *",
        "def record(v):\n    log.append(v)",
        "%run other.py",
    ],
)
def test_code_whose_effect_the_text_hides_keeps_cells(opaque):
    cells = ["a = 1", opaque, "b = 2", "x = 3"]
    kept = _kept(cells)
    assert opaque in kept and "a = 1" in kept, kept
    if not opaque.startswith(("%", "!")):  # it may change names in any cell: nothing is left out
        assert kept == cells


def test_an_explorer_that_does_not_parse_keeps_every_cell():
    assert _kept(["a = 1", "b = 2"], "%time explorer = Explorer(a)") == ["a = 1", "b = 2"]


def test_a_cell_tagged_app_keep_is_kept_with_what_it_needs():
    cells = [
        nbformat.v4.new_code_cell("a = 1"),
        nbformat.v4.new_code_cell("b = a + 1"),
        nbformat.v4.new_code_cell("c = 3"),
        nbformat.v4.new_markdown_cell("Some text"),
        nbformat.v4.new_code_cell(""),
        nbformat.v4.new_code_cell("x = 4"),
    ]
    assert _kept(cells) == [cells[5]]
    cells[1].metadata["tags"] = [APP_KEEP_TAG]
    kept = _kept(cells)
    assert kept == [cells[0], cells[1], cells[5]] and all(k is c for k, c in zip(kept, [cells[0], cells[1], cells[5]]))


def test_the_app_page_runs_only_the_cells_its_explorer_needs(monkeypatch):
    monkeypatch.setattr(
        refresher_app, "refresher_markdown", lambda nb, name: "# Refresher\n\n## Interview one-liner\nSay it."
    )
    module = nbformat.v4.new_notebook()
    module.cells = [
        nbformat.v4.new_markdown_cell("# A module"),
        nbformat.v4.new_code_cell("data = load()"),
        nbformat.v4.new_code_cell("figure = plot(data)"),
        nbformat.v4.new_code_cell("scores = score(data)"),
        nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\n# main-widget\nexplorer = Explorer(scores)\nexplorer"),
        nbformat.v4.new_code_cell("after = 1"),
    ]
    page = app_notebook(module, module)
    code = [cell.source for cell in page.cells if cell.cell_type == "code"]
    assert code[:3] == ["%%capture\ndata = load()", "%%capture\nscores = score(data)", module.cells[4].source]
    assert len(code) == 4 and code[3] == refresher_app.ACCESSIBILITY_CELL


def test_the_examples_of_the_module_run():
    result = doctest.testmod(refresher_app, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3 and result.failed == 0


def _module_cells(name):
    cells = nbformat.read(MODULES / f"{name}.ipynb", as_version=4).cells
    position = next(i for i, cell in enumerate(cells) if MAIN_WIDGET_MARKER in cell.source.splitlines()[:3])
    return cells[:position], cells[position]


@pytest.mark.parametrize("name", APP_PAGES)
def test_the_app_page_holds_what_the_browser_engine_reads(name):
    """The browser test asks the page's kernel for the engine's numbers: every name it reads must be there."""
    before, explorer = _module_cells(name)
    page = [*needed_cells(before, explorer), explorer]
    engine_needs = needed_cells([*before, explorer], NOTEBOOKS[name].engine_code)
    missing = [cell for cell in engine_needs if not any(cell is kept for kept in page)]
    assert not missing, (
        f"{name}: tests/browser/spec.py's engine reads names that only these cells of the module bind, and the "
        f"app page leaves them out: {[cell.source.splitlines()[:2] for cell in missing]}. Make the explorer cell "
        f"use them, or give the cell that binds them the cell tag '{APP_KEEP_TAG}' (course_tools.refresher_app)."
    )


# --- the pages in Voila, in Chromium -------------------------------------------------------------


PANEL_VALUES = re.compile(r'class="hsml-value" data-name="([^"]+)" data-value="([^"]*)"')

# In the page's kernel: the explorer's numbers panel with its main slider where the whole module left it
# (the browser may have moved a FloatSlider onto its step when it drew it), then the slider put back.
PANEL_AT = """
def _hsml_panel_at(explorer, key, start):
    slider = explorer.{slider_attribute}
    now = getattr(slider, key)
    with slider.hold_sync():  # the browser never sees the excursion
        setattr(slider, key, start)
        panel = explorer.numbers.value
        setattr(slider, key, now)
    return panel

print(json.dumps(_hsml_panel_at(explorer, {key!r}, {start!r})))
del _hsml_panel_at
"""


def _panel_numbers(panel):
    return {html.unescape(k): (html.unescape(v), "") for k, v in PANEL_VALUES.findall(panel)}


def _whole_module_start(name, spec):
    """The whole module's explorer as it left it: its panel's numbers and its main slider's setting.

    From the module's run in build/executed/ (the widget state that nbclient saves), where no
    browser moved anything: ``({name: (data-value, "")}, key, value)``, key ``"value"`` or ``"index"``.
    """
    executed, _ = executed_notebook(MODULES / f"{name}.ipynb")
    state = executed.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    models = [model.get("state", {}) | {"model_name": model.get("model_name")} for model in state.values()]
    panels = [m["value"] for m in models if f'data-explorer="{spec.kind.name}"' in str(m.get("value", ""))]
    sliders = [
        m
        for m in models
        if m["model_name"].endswith("SliderModel") and spec.kind.slider in str(m.get("description", ""))
    ]
    assert len(panels) == 1 and len(sliders) == 1, (
        f"{name}: the executed module's widget state holds {len(panels)} numbers panel(s) of "
        f"{spec.kind.name} and {len(sliders)} slider(s) labelled {spec.kind.slider!r}; expected one of each"
    )
    key = "index" if sliders[0]["model_name"] == "SelectionSliderModel" else "value"
    return _panel_numbers(panels[0]), key, sliders[0][key]


def _run_in_page(voila, code):
    """Run ``code`` in the newest page's kernel; the JSON of the last line it prints."""
    client = BlockingKernelClient(connection_file=str(voila.newest_connection_file()))
    client.load_connection_file()
    client.start_channels()
    out = []
    try:
        client.execute_interactive(
            code,
            store_history=False,
            timeout=60,
            output_hook=lambda m: out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
        )
    finally:
        client.stop_channels()
    return json.loads("".join(out).strip().splitlines()[-1])


def _engine(voila, spec):
    engine = "\n".join("    " + line for line in spec.engine_code.splitlines())
    return _run_in_page(voila, KERNEL_STATE.format(engine=engine, slider_attribute=spec.kind.slider_attribute))


@pytest.mark.browser
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


@pytest.mark.browser
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
        # the page runs only the cells its explorer needs: where the whole module leaves its explorer,
        # the page's explorer shows the same numbers
        whole_module, key, start_value = _whole_module_start(name, spec)
        code = "import json\n" + PANEL_AT.format(
            slider_attribute=spec.kind.slider_attribute, key=key, start=start_value
        )
        page = {k: parse_data_value(v) for k, (v, _) in _panel_numbers(_run_in_page(voila, code)).items()}
        differ = [
            line.replace("page shows", "whole module").replace("engine computes", "app page")
            for line in mismatches(whole_module, page)
        ]
        assert not differ, f"{name}: the app page's explorer differs from the whole module's: {differ}"
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

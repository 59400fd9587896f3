"""Every module notebook in a real JupyterLab, in a real Chromium, used as a learner would.

For each ``modules/*.ipynb`` (new modules are picked up by the glob): open it (in the
JupyterLab that the ``page`` fixture loaded once for all notebooks), Run All Cells from
the menu, wait until every code cell ran and the kernel is idle, fail on any error output.
Then, as its spec says (``spec.py``), use its main widget: press keys on the slider
handle (each press timed until the new numbers are painted), drag the handle, type into
number inputs, and check after each step that the numbers on the page equal what the
course's engine computes, in the same kernel, for the new control values.
A screenshot of each notebook lands in ``build/screenshots/<notebook>.png``. Then the
notebook is closed without saving, its kernel shut down, and the repository's file must
still hold no outputs.

``HSML_BROWSER_NOTEBOOKS`` (a glob from the repository root, default ``modules/*.ipynb``)
runs the same test on other notebooks, e.g. a stand-in under ``build/`` while a module is
being written; their names must have a spec.

A self-paced learner's exercise (``exercises/<name>.ipynb``, as ``EXERCISES`` in
``spec.py`` says) is opened too: its setup cells run, an answer is typed into one answer
cell, and that question's ``check`` must pass and be recorded in the learner's progress.
"""

from __future__ import annotations

import json
import os
import time
from glob import glob
from pathlib import Path

import pytest

from tests.browser import checks
from tests.browser.spec import EXERCISES, NOTEBOOKS, MainWidget, main_widget_cells, spec_problem

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need the playwright package (the test extra): `make setup`."
)
PlaywrightTimeoutError = sync_api.TimeoutError

from tests.browser import lab_page  # noqa: E402  (needs playwright)

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
NOTEBOOK_GLOB = os.environ.get("HSML_BROWSER_NOTEBOOKS", "modules/*.ipynb")
PATHS = sorted(glob(NOTEBOOK_GLOB, root_dir=REPO_ROOT))
OPEN_TIMEOUT_MS = 120_000  # generous: the machine is shared, a cold kernel start is slow under load
RUN_ALL_TIMEOUT_MS = 240_000
UPDATE_TIMEOUT_MS = 30_000
SETTLE_TIMEOUT_S = 30.0

# Run in the notebook's kernel: the control's value and what the engine says the widget shows.
KERNEL_STATE = """
def _hsml_browser_state(explorer):
    import json
    import numpy as np
    from course.widgets.base import format_value
{engine}
    slider = explorer.{slider_attribute}

    def plain(value):
        if isinstance(value, np.generic):
            return value.item()
        raise TypeError(f"cannot report a {{type(value).__name__}}")

    return json.dumps({{
        "widget": type(explorer).__name__,
        "slider_value": slider.value,
        "numbers": numbers,
        "texts": {{name: format_value(value, explorer.formats.get(name)) for name, value in numbers.items()}},
        "error": explorer.error,
    }}, default=plain)

print(_hsml_browser_state(explorer))
del _hsml_browser_state
"""


def kernel_state(server, notebook, spec):
    kind = spec.kind
    engine = "\n".join("    " + line for line in spec.engine_code.splitlines())
    code = KERNEL_STATE.format(engine=engine, slider_attribute=kind.slider_attribute)
    try:
        output = server.run_in_kernel(notebook, code, timeout=60)
    except RuntimeError as error:
        pytest.fail(
            f"{notebook}: could not ask the kernel for `explorer`'s numbers (the '# main-widget' "
            f"cell must assign the widget to `explorer`):\n{error}"
        )
    state = json.loads(output.strip().splitlines()[-1])
    assert state["widget"] == kind.name, f"{notebook}: `explorer` is a {state['widget']}, the spec says {kind.name}"
    return state


class PageChecker:
    """Compares the numbers on the page with the engine's, until they agree (or time is up)."""

    def __init__(self, server, notebook, spec, panel):
        self.server, self.notebook, self.spec, self.panel = server, notebook, spec, panel
        self.kind = spec.kind
        self.state = None

    def problems(self, also=None):
        self.state = kernel_state(self.server, self.notebook, self.spec)
        shown, error = lab_page.read_numbers(self.panel)
        if error is not None or self.state["error"] is not None:
            return [f"the widget shows an error: {error or self.state['error']}"]
        texts = self.state["texts"] if self.kind.check_text else None
        found = checks.mismatches(shown, self.state["numbers"], texts)
        return found + (also(self.state) if also else [])

    def settle(self, step, also=None):
        """Wait until page and engine agree (and ``also(state)`` has no complaint); the state."""
        problems = checks.wait_until(lambda: self.problems(also), SETTLE_TIMEOUT_S)
        assert not problems, f"{self.notebook}, {step}:\n  " + "\n  ".join(problems)
        return self.state


def use_main_widget(page, server, notebook, spec: MainWidget, cell_index, timing):
    """Drive the main widget as a learner and check the numbers after each step."""
    kind = spec.kind
    widget_cell = lab_page.cell(page, cell_index)
    panel = widget_cell.locator(f".hsml-numbers[data-explorer='{kind.name}']")
    try:
        panel.wait_for(state="attached", timeout=UPDATE_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pytest.fail(
            f"{notebook}: no {kind.name} numbers panel in the output of the '# main-widget' cell "
            f"(cell {cell_index + 1}); its output reads: {widget_cell.inner_text()[:1000]!r}"
        )
    widget_cell.locator(".jupyter-widgets").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    content = panel.locator("xpath=..")  # the HTML widget's content: replaced at every update
    checker = PageChecker(server, notebook, spec, panel)
    before = checker.settle("as first shown")

    handle = lab_page.slider_handle(widget_cell, kind.slider)
    assert handle.count() == 1, f"{notebook}: expected one slider labelled {kind.slider!r}, found {handle.count()}"
    latencies = []
    for press in range(1, spec.presses + 1):
        try:
            latencies.append(lab_page.timed_key_press(page, handle, content, spec.key, UPDATE_TIMEOUT_MS))
        except AssertionError as error:
            raise AssertionError(f"{notebook}: {spec.key} press {press} on the {kind.slider} slider: {error}") from None
    timing["key_latency_ms"] = latencies
    moved = checker.settle(
        f"after {spec.presses} x {spec.key} on the {kind.slider} slider",
        also=lambda s: [] if s["slider_value"] != before["slider_value"] else ["the slider value did not change"],
    )

    if spec.drag_to is not None:
        lab_page.drag_handle(page, handle, spec.drag_to)
        dragged = checker.settle(
            f"after dragging the {kind.slider} slider to {spec.drag_to:.0%} of its track",
            also=lambda s: [] if s["slider_value"] != moved["slider_value"] else ["the drag did not move the slider"],
        )
        assert dragged["numbers"] != moved["numbers"], f"{notebook}: the drag changed no number"
        moved = dragged

    timing["input_latency_ms"] = []
    for label, value in spec.inputs:
        previous = moved["numbers"]
        try:
            timing["input_latency_ms"].append(
                lab_page.timed(
                    page,
                    content,
                    lambda label=label, value=value: lab_page.type_number(widget_cell, label, value),
                    UPDATE_TIMEOUT_MS,
                )
            )
        except AssertionError as error:
            raise AssertionError(f"{notebook}: typing {value} into {label!r}: {error}") from None
        moved = checker.settle(
            f"after typing {value} into {label!r}",
            also=lambda s, previous=previous, label=label: (
                [] if s["numbers"] != previous else [f"typing into {label!r} changed no number"]
            ),
        )


def kernel_and_server_errors(server, log_offset, watch):
    """What went wrong out of the page's sight, as a sentence, or None: tracebacks the kernel
    published (widget callbacks: Lab shows them only in its Log Console) or the server logged."""
    found = []
    if watch is not None:
        found += [f"the kernel raised:\n{text[-3000:]}" for text in watch.errors()]
    log = server.log_path.read_text(errors="replace")[log_offset:]
    if "Traceback (most recent call last)" in log:
        found.append(f"the server logged:\n{log[-3000:]}")
    return "\n".join(found) or None


def cells_meant_to_raise(notebook):
    """Cell numbers (from 1) tagged ``raises-exception`` or marked ``# NBVAL_RAISES_EXCEPTION``."""
    found = set()
    for number, cell in enumerate(notebook["cells"], start=1):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        tags = cell.get("metadata", {}).get("tags", [])
        if "raises-exception" in tags or source.lstrip().startswith("# NBVAL_RAISES_EXCEPTION"):
            found.add(number)
    return found


def saved_outputs(path, stored):
    """True when the notebook file changed during the test and now holds outputs (a save by Lab;
    an engineer editing the file meanwhile is not an error)."""
    now = path.read_bytes()
    if now == stored:
        return False
    cells = json.loads(now)["cells"]
    return any(cell.get("outputs") or cell.get("execution_count") for cell in cells if cell["cell_type"] == "code")


def screenshot_and_close(page, server, notebook, screenshot, scroll_to=None):
    """Save a screenshot (``scroll_to``: a locator to center first), then close the notebook
    without saving and shut its kernel down, so that the next test finds an empty Lab. Never
    raises: a failure here must not hide the test's own (the next test's ``page`` fixture
    reloads Lab if a notebook or a dialog is left)."""
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    try:
        if scroll_to is not None:  # the whole widget in view: controls, figure, numbers
            scroll_to.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(screenshot))
    except Exception as error:
        print(f"no screenshot of {notebook}: {error}")
    try:
        if not lab_page.close_documents(page):
            print(f"closing {notebook} left a notebook or a dialog on the page: Lab is reloaded before the next test")
    except Exception as error:
        print(f"could not close {notebook} in Lab: {error}")
    try:  # shuts its kernel down (the wait for its exit overlaps the next test's start)
        server.close_session(notebook, wait=False)
    except OSError as error:
        print(f"could not shut down the kernel of {notebook}: {error}")


@pytest.mark.parametrize("notebook", PATHS, ids=[Path(path).stem for path in PATHS])
def test_notebook_runs_and_its_main_widget_answers(notebook, lab_server, page, record_timing):
    stem = Path(notebook).stem
    stored = (REPO_ROOT / notebook).read_bytes()
    problem = spec_problem(stem, json.loads(stored))
    assert problem is None, problem
    spec = NOTEBOOKS[stem]
    widget_output = watch = None
    log_offset = len(lab_server.log_path.read_text(errors="replace"))
    timing = {"notebook": stem}
    start = time.monotonic()
    try:
        lab_page.open_notebook(page, notebook, OPEN_TIMEOUT_MS)
        timing["open_s"] = time.monotonic() - start

        ran, total = lab_page.run_all_cells(page, RUN_ALL_TIMEOUT_MS)
        timing["run_all_s"] = time.monotonic() - start - timing["open_s"]
        meant_to_raise = cells_meant_to_raise(json.loads(stored))
        errors = [error for error in lab_page.page_errors(page) if error["cell"] not in meant_to_raise]
        assert not errors, f"{notebook}: error output after Run All:\n" + "\n".join(
            f"--- cell {error['cell']}:\n{error['text']}" for error in errors
        )
        assert ran == total, (
            f"{notebook}: Run All stopped, only {ran} of {total} code cells ran. A cell meant to raise "
            "needs the cell tag `raises-exception` (JupyterLab then runs on; nbval honours it too)."
        )

        interact_start = time.monotonic()
        watch = lab_server.watch_kernel(notebook)
        if isinstance(spec, MainWidget):
            cell_index = main_widget_cells(json.loads(stored))[0]
            use_main_widget(page, lab_server, notebook, spec, cell_index, timing)
            widget_output = lab_page.cell(page, cell_index).locator(".jp-OutputArea").first
            errors = [error for error in lab_page.page_errors(page) if error["cell"] not in meant_to_raise]
            assert not errors, f"{notebook}: error output after using the widget: {errors}"
        else:
            timing["note"] = "no main widget (spec): run all and errors only"
        timing["interact_s"] = time.monotonic() - interact_start
        problems = kernel_and_server_errors(lab_server, log_offset, watch)
        assert problems is None, f"{notebook}: while the learner used the notebook, {problems}"
    except (AssertionError, PlaywrightTimeoutError) as error:
        problems = kernel_and_server_errors(lab_server, log_offset, watch)
        if problems is None:
            raise
        raise AssertionError(f"{error}\n--- meanwhile {problems}") from error
    finally:
        close_start = time.monotonic()
        if watch is not None:
            watch.close()
        screenshot_and_close(page, lab_server, notebook, SCREENSHOTS / f"{stem}.png", widget_output)
        timing["close_s"] = time.monotonic() - close_start
    # after closing: a save when the notebook closed would show here
    assert not saved_outputs(REPO_ROOT / notebook, stored), f"JupyterLab saved outputs into {notebook}"
    timing["total_s"] = time.monotonic() - start
    record_timing(timing)


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_an_exercise_runs_its_setup_and_a_learners_check(exercise, lab_server, page, record_timing):
    spec = EXERCISES[exercise]
    notebook = f"exercises/{exercise}.ipynb"
    stored = (REPO_ROOT / notebook).read_bytes()
    position = {cell.get("id"): i for i, cell in enumerate(json.loads(stored)["cells"])}
    timing = {"notebook": notebook, "note": "setup cells, then one typed answer and its check"}
    watch = None
    log_offset = len(lab_server.log_path.read_text(errors="replace"))
    start = time.monotonic()
    try:
        lab_page.open_notebook(page, notebook, OPEN_TIMEOUT_MS)
        timing["open_s"] = time.monotonic() - start
        for cell_id in spec.setup_cells:
            lab_page.run_cell(page, position[cell_id], RUN_ALL_TIMEOUT_MS)
        timing["run_all_s"] = time.monotonic() - start - timing["open_s"]
        interact_start = time.monotonic()
        watch = lab_server.watch_kernel(notebook)
        lab_page.replace_cell_source(page, position[spec.answer_cell], spec.answer)
        lab_page.run_cell(page, position[spec.answer_cell], UPDATE_TIMEOUT_MS)
        lab_page.run_cell(page, position[spec.check_cell], UPDATE_TIMEOUT_MS)
        timing["interact_s"] = time.monotonic() - interact_start
        errors = lab_page.page_errors(page)
        assert not errors, f"{notebook}: error output in the learner's first steps:\n" + "\n".join(
            f"--- cell {error['cell']}:\n{error['text']}" for error in errors
        )
        shown = lab_page.output_text(page, position[spec.check_cell])
        assert spec.expect in shown, f"{notebook}: the check cell shows {shown!r}, expected {spec.expect!r}"
        recorded = json.loads(lab_server.progress_path.read_text(encoding="utf-8"))["questions"]
        assert recorded.get(spec.question_id, {}).get("last") == "passed", (
            f"{notebook}: the passed check is not in the learner's progress file: {recorded}"
        )
        problems = kernel_and_server_errors(lab_server, log_offset, watch)
        assert problems is None, f"{notebook}: while the learner worked, {problems}"
    finally:
        close_start = time.monotonic()
        if watch is not None:
            watch.close()
        screenshot_and_close(page, lab_server, notebook, SCREENSHOTS / f"exercise-{exercise}.png")
        timing["close_s"] = time.monotonic() - close_start
    assert not saved_outputs(REPO_ROOT / notebook, stored), f"JupyterLab saved into {notebook}"
    timing["total_s"] = time.monotonic() - start
    record_timing(timing)

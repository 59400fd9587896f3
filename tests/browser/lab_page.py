"""What a learner does in JupyterLab, as playwright calls: open, Run All, use a widget.

Selectors are those of JupyterLab 4.6 and ipywidgets 8.1 (checked against the rendered
DOM): an error output is a ``.jp-OutputArea-output`` of mime type
``application/vnd.jupyter.stderr`` holding the traceback (Lab renders error outputs as
stderr text), sliders are noUiSlider handles ``.noUi-handle`` inside ``.widget-slider``,
number inputs are ``.widget-text input``.
"""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# Resolves to {ran, total} once the kernel is idle and every code cell has run, or one
# stopped the run with an error; false while running.
RUN_ALL_DONE = (
    """() => {
  const panel = document.querySelector('%s');
  if (!panel) return false;
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
  const ran = prompts.filter(p => /^\\[\\d+\\]:$/.test(p)).length;
  const failed = panel.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
    || [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
         .some(e => e.textContent.includes('Traceback'));
  return status === 'idle' && (ran === prompts.length || failed) ? {ran, total: prompts.length} : false;
}"""
    % PANEL
)

# Every problem a learner would see in the outputs: tracebacks, error outputs, widgets
# that failed to render. Each entry: {cell, text}.
PAGE_ERRORS = (
    """() => {
  const cells = [...document.querySelectorAll('%s .jp-Cell')];
  const problems = [];
  cells.forEach((cell, index) => {
    for (const output of cell.querySelectorAll('.jp-OutputArea-output')) {
      const mime = output.dataset.mimeType || '';
      const text = output.textContent;
      if (mime === 'application/vnd.jupyter.error'
          || (mime === 'application/vnd.jupyter.stderr' && /Traceback|^\\s*\\w+(Error|Exception)\\b/m.test(text))
          || /Error displaying widget|Error rendering output item/.test(text)) {
        problems.push({cell: index + 1, text: text.slice(0, 3000)});
      }
    }
  });
  return problems;
}"""
    % PANEL
)

# Times one key press: from its keydown to the first animation frame after the numbers
# panel changed (the frame that paints them). Armed before the press; the ARM is reset
# by the next arming.
ARM_LATENCY_PROBE = """(content) => {
  const probe = window.__hsmlProbe = {start: null, end: null};
  const observer = new MutationObserver(() => {
    if (probe.start === null) return;
    observer.disconnect();
    requestAnimationFrame(() => { probe.end = performance.now(); });
  });
  observer.observe(content, {childList: true, subtree: true, characterData: true});
  document.addEventListener('keydown', () => { probe.start = performance.now(); }, {capture: true, once: true});
}"""

READ_NUMBERS = """(panel) => ({
  values: [...panel.querySelectorAll('.hsml-value')].map(e => [e.dataset.name, e.dataset.value, e.textContent]),
  error: panel.querySelector('.hsml-error')?.textContent ?? null,
})"""


# The notebook ``path`` is the only notebook in Lab, it is the current document, and its
# kernel is connected and idle. The execution indicator also says "idle" before any kernel
# exists ("No Kernel"), so the kernel's name must be shown too.
NOTEBOOK_READY = (
    """(path) => {
  const panels = document.querySelectorAll('.jp-NotebookPanel');
  const panel = document.querySelector('%s');
  if (panels.length !== 1 || panel === null || window.jupyterapp.shell.currentWidget?.context?.path !== path) return false;
  const name = panel.querySelector('.jp-Toolbar-kernelName')?.textContent.trim();
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
  return Boolean(name) && name !== 'No Kernel' && status === 'idle' && panel.querySelector('.jp-Cell') !== null;
}"""
    % PANEL
)

# Closes every document in Lab's main area WITHOUT saving and without a dialog: disposing a
# document widget skips the "Save your work?" question of its close request, and disposing
# a document's last widget disposes the document (its context). Then reports what is left.
CLOSE_DOCUMENTS = """() => {
  for (const widget of [...window.jupyterapp.shell.widgets('main')]) {
    if (widget.context !== undefined) widget.dispose();
  }
  return {
    notebooks: document.querySelectorAll('.jp-NotebookPanel').length,
    dialogs: document.querySelectorAll('.jp-Dialog').length,
  };
}"""


def load_lab(page, server, timeout_ms):
    """Load JupyterLab's front end in ``page`` with a fresh workspace (``?reset``): no document
    open. Needs the server's ``--LabApp.expose_app_in_browser`` (``window.jupyterapp``)."""
    page.goto(server.url("lab", reset=""))
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout_ms, polling=100)
    page.evaluate("() => { window.jupyterapp.restored.then(() => { window.__hsmlRestored = true; }); }")
    page.wait_for_function("() => window.__hsmlRestored === true", timeout=timeout_ms, polling=100)


def open_notebook(page, notebook, timeout_ms):
    """Open ``notebook`` (path from the server root) in the Lab loaded in ``page`` with Lab's
    own ``docmanager:open`` command; wait until it is the only notebook and its kernel is idle."""
    page.evaluate(
        "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'}); }",
        notebook,
    )
    page.wait_for_function(NOTEBOOK_READY, arg=notebook, timeout=timeout_ms, polling=100)


def close_documents(page):
    """Close every open document without saving (no dialog); True when no notebook and no
    dialog is left on the page (else the caller should load Lab anew, in a new tab)."""
    left = page.evaluate(CLOSE_DOCUMENTS)
    return left["notebooks"] == 0 and left["dialogs"] == 0


def run_all_cells(page, timeout_ms):
    """Run > Run All Cells from the menu bar; wait until done. Returns ``(ran, total)`` code cells."""
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    done = page.wait_for_function(RUN_ALL_DONE, timeout=timeout_ms, polling=100).json_value()
    return done["ran"], done["total"]


def page_errors(page):
    """The error outputs on the page, as ``[{cell, text}]`` (cell numbered from 1)."""
    return page.evaluate(PAGE_ERRORS)


def cell(page, index):
    """The locator of the notebook's cell at ``index`` (0-based, as in the .ipynb file)."""
    return page.locator(f"{PANEL} .jp-Cell").nth(index)


def slider_handle(widget, label):
    """The handle of the slider labelled ``label`` inside ``widget``."""
    slider = widget.locator(".widget-slider").filter(has=widget.page.locator(".widget-label", has_text=label))
    return slider.locator(".noUi-handle")


def timed(page, numbers_content, action, timeout_ms):
    """Run ``action`` (which ends with a key press); milliseconds from that key's keydown
    until the explorer's numbers (``numbers_content``) are painted anew."""
    numbers_content.evaluate(ARM_LATENCY_PROBE)
    action()
    try:
        page.wait_for_function("window.__hsmlProbe.end !== null", timeout=timeout_ms, polling="raf")
    except PlaywrightTimeoutError:
        raise AssertionError(f"the numbers on the page did not change within {timeout_ms / 1000:.0f} s") from None
    return page.evaluate("window.__hsmlProbe.end - window.__hsmlProbe.start")


def timed_key_press(page, handle, numbers_content, key, timeout_ms):
    """Press ``key`` on the slider handle; milliseconds until the new numbers are painted."""
    handle.focus()
    return timed(page, numbers_content, lambda: page.keyboard.press(key), timeout_ms)


def drag_handle(page, handle, fraction):
    """Drag ``handle`` with the mouse to ``fraction`` (0-1) of its slider's track."""
    handle.scroll_into_view_if_needed()
    track = handle.locator("xpath=ancestor::div[contains(@class, 'noUi-base')]").bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + fraction * track["width"], box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()


def type_number(widget, label, value):
    """Type ``value`` into the number input labelled ``label`` and press Enter."""
    field = widget.locator(".widget-text").filter(has=widget.page.locator(".widget-label", has_text=label))
    box = field.locator("input")
    box.fill(str(value))
    box.press("Enter")


def read_numbers(panel):
    """The numbers shown by an explorer: ``({name: (data-value, text)}, error text or None)``."""
    shown = panel.evaluate(READ_NUMBERS)
    return {name: (value, text) for name, value, text in shown["values"]}, shown["error"]


# Resolves once the cell at an index has an execution count and the kernel is idle.
CELL_RAN = (
    """([index, before]) => {
  const panel = document.querySelector('%s');
  const cell = panel?.querySelectorAll('.jp-Cell')[index];
  const prompt = cell?.querySelector('.jp-InputPrompt')?.textContent.trim() ?? '';
  const status = panel?.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
  return /^\\[\\d+\\]:$/.test(prompt) && prompt !== before && status === 'idle';
}"""
    % PANEL
)


def run_cell(page, index, timeout_ms):
    """Select the cell at ``index`` (0-based, as in the .ipynb file), Shift+Enter; wait until it ran."""
    target = cell(page, index)
    target.scroll_into_view_if_needed()
    before = target.locator(".jp-InputPrompt").inner_text().strip()
    target.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(CELL_RAN, arg=[index, before], timeout=timeout_ms, polling=100)


def replace_cell_source(page, index, text):
    """Replace the code of the cell at ``index`` with ``text``, as pasted by a learner (no auto-indent)."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)


def output_text(page, index):
    """The text of the outputs of the cell at ``index``."""
    return cell(page, index).locator(".jp-OutputArea").first.inner_text()

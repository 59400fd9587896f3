"""The explorers as an app without code: ``python -m course_tools.refresher_app`` (``make refresher``).

One Voila page per module: its two-minute refresher (the same text as the website's,
from :func:`course_tools.site.refresher_markdown`) and its main explorer, live. The page is
the module's own code up to its explorer, run silently (``%%capture``): nothing is copied,
and Voila strips the sources, so a reader sees text, numbers and the explorer only.

Served on 127.0.0.1 with a token, as ``make lab`` is: the token is passed in a configuration
file readable by its owner only, never on the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from course_tools import REPO_ROOT
from course_tools.site import BUILD, EXECUTED, MODULES, executed_notebook, refresher_markdown

APP = BUILD / "app"
MAIN_WIDGET_MARKER = "# main-widget"
# Widgets render without accessible names: each slider handle gets its label's text, and the
# explorer's picture an alt text that points to the numbers beside it (axe-core checks both).
ACCESSIBILITY_CELL = """from IPython.display import Javascript, display

display(Javascript(r\"\"\"
function hsmlLabelWidgets() {
  document.querySelectorAll('.widget-slider').forEach((slider) => {
    const label = slider.querySelector('.widget-label')?.textContent.trim() || 'value';
    slider.querySelectorAll('.noUi-handle').forEach((h) => h.setAttribute('aria-label', label));
  });
  document.querySelectorAll('.widget-image img, img.widget-image').forEach((img) => {
    if (!img.getAttribute('alt')) {
      const numbers = document.querySelector('.hsml-numbers');
      const name = numbers ? numbers.dataset.explorer : 'the explorer';
      img.setAttribute('alt', 'Charts of ' + name + ' at its current settings; its numbers are listed below.');
    }
  });
  // a wide table or text that scrolls sideways must be reachable by keyboard
  document.querySelectorAll('.jp-RenderedHTMLCommon, .jp-OutputArea-output').forEach((region) => {
    if (region.scrollWidth > region.clientWidth && !region.hasAttribute('tabindex')) {
      region.setAttribute('tabindex', '0');
    }
  });
}
hsmlLabelWidgets();
new MutationObserver(hsmlLabelWidgets).observe(document.body, {childList: true, subtree: true});
\"\"\"))
"""

__all__ = ["app_notebook", "build_app", "voila_command", "main"]


def _is_main_widget(cell):
    return cell.cell_type == "code" and MAIN_WIDGET_MARKER in cell.source.splitlines()[:3]


def _without_links(markdown):
    """The refresher's text for the app: links to notebooks lead nowhere in Voila, so keep their words."""
    import re

    return re.sub(r"\[([^\]]+)\]\((?![a-z]+:)[^)]*\)", r"\1", markdown)


def app_notebook(module, executed):
    """The app page of one module: refresher text, then its code up to the explorer, silent.

    Parameters
    ----------
    module : nbformat.NotebookNode
        The module notebook as stored (no outputs).
    executed : nbformat.NotebookNode
        The same notebook executed (for the refresher's numbers).

    Returns
    -------
    nbformat.NotebookNode or None
        None for a module without a main explorer.
    """
    cells = module.cells
    position = next((i for i, cell in enumerate(cells) if _is_main_widget(cell)), None)
    if position is None:
        return None
    name = module.metadata.get("hsml_name", "")
    text = refresher_markdown(executed, name)
    text = _without_links("\n".join(line for line in text.splitlines() if not line.startswith("*Two minutes.*")))
    page = nbformat.v4.new_notebook(metadata=module.metadata)
    page.cells.append(nbformat.v4.new_markdown_cell(text.split("\n## Interview one-liner")[0]))
    page.cells.append(nbformat.v4.new_markdown_cell("## Explore it yourself"))
    for cell in cells[:position]:
        if cell.cell_type == "code" and cell.source.strip():
            page.cells.append(nbformat.v4.new_code_cell("%%capture\n" + cell.source))
    page.cells.append(nbformat.v4.new_code_cell(cells[position].source))
    page.cells.append(nbformat.v4.new_code_cell(ACCESSIBILITY_CELL))
    one_liner = text.split("\n## Interview one-liner", 1)[1] if "## Interview one-liner" in text else ""
    if one_liner.strip():
        page.cells.append(nbformat.v4.new_markdown_cell("## Interview one-liner\n" + one_liner))
    return page


def build_app(out=APP, *, executed_dir=EXECUTED):
    """Write one app page per module with an explorer into ``out``, and an index page.

    Parameters
    ----------
    out : pathlib.Path
    executed_dir : pathlib.Path
        Cache of executed notebooks (see :func:`course_tools.site.executed_notebook`).

    Returns
    -------
    list of pathlib.Path
        The pages written, index first.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.ipynb"):
        old.unlink()
    pages = []
    for path in sorted(MODULES.glob("[0-9][0-9]_*.ipynb")):
        module = nbformat.read(path, as_version=4)
        if not any(_is_main_widget(cell) for cell in module.cells):
            continue
        module.metadata["hsml_name"] = path.stem
        executed, _ = executed_notebook(path, cache_dir=executed_dir)
        page = app_notebook(module, executed)
        page.metadata.pop("hsml_name", None)
        target = out / path.name
        nbformat.write(page, target)
        pages.append(target)
    links = "\n".join(f"- [{p.stem.replace('_', ' ')}](voila/render/{p.name})" for p in pages)
    index = nbformat.v4.new_notebook()
    index.cells.append(
        nbformat.v4.new_markdown_cell(
            "# High-Stakes ML: the explorers\n\nEach page gives a module's essentials in two minutes and its "
            f"explorer to move, without any code.\n\n{links}\n"
        )
    )
    nbformat.write(index, out / "00_index.ipynb")
    return [out / "00_index.ipynb", *pages]


def voila_command(folder, port, config_dir):
    """The Voila command line (no token in it: the token is in ``config_dir/voila.json``).

    Parameters
    ----------
    folder : pathlib.Path
        The app pages.
    port : int
    config_dir : pathlib.Path
        A private folder holding ``voila.json``; passed as ``JUPYTER_CONFIG_DIR``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> command = voila_command(Path("build/app"), 8866, Path("/tmp/x"))
    >>> "--Voila.ip=127.0.0.1" in command, any("token" in part for part in command)
    (True, False)
    """
    return [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--VoilaConfiguration.file_allowlist=['.*\\.(png|jpg|gif|svg)']",
    ]


def write_token_config(config_dir, token):
    """Write ``voila.json`` with the token into ``config_dir`` (mode 700, file mode 600)."""
    config_dir = Path(config_dir)
    config_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = config_dir / "voila.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"Voila": {"token": token}}, handle)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("REFRESHER_PORT", "8866")))
    parser.add_argument("--build-only", action="store_true", help="write the pages, do not serve them")
    args = parser.parse_args(argv)
    pages = build_app()
    print(f"Wrote {len(pages)} pages into {APP.relative_to(REPO_ROOT)}/")
    if args.build_only:
        return 0
    token = os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    with tempfile.TemporaryDirectory(prefix="hsml-voila-") as config_dir:
        write_token_config(config_dir, token)
        env = {**os.environ, "JUPYTER_CONFIG_DIR": config_dir}
        env.pop("JUPYTER_TOKEN", None)
        print(
            "\nThe explorers without code. Open this address in your browser:\n\n"
            f"    http://127.0.0.1:{args.port}/voila/render/00_index.ipynb?token={token}\n\n"
            "Stop the server with Ctrl-C.\n",
            flush=True,
        )
        try:
            return subprocess.call(voila_command(APP, args.port, config_dir), env=env, cwd=APP)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())

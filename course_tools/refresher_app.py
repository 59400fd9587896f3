"""The explorers as an app without code: ``python -m course_tools.refresher_app`` (``make refresher``).

One Voila page per module: its two-minute refresher (the same text as the website's,
from :func:`course_tools.site.refresher_markdown`) and its main explorer, live. The page is
the module's own code cells that its explorer needs, run silently (``%%capture``): nothing
is copied, and Voila strips the sources, so a reader sees text, numbers and the explorer only.

Which cells the explorer needs is a backward def-use slice (:func:`needed_cells`): the
explorer cell (the code cell whose first lines hold ``# main-widget``) reads names; the
cells before it that bind or change those names are kept, then the cells those read, and
so on. Figures, quizzes and tables the explorer never reads are left out (a page still pays
for its kernel, the imports, and the data and fits its explorer uses). A module cell tagged ``app-keep``
(the Jupyter cell tag) is kept with everything it needs, whether the explorer reads it or
not: for a name that something else reads in the page's kernel, e.g. a test that inspects
the kernel (``tests/site/test_refresher_app.py`` checks that the browser spec's engines
find every name they read, and names the tag when one is missing).

Served on 127.0.0.1 with a token, as ``make lab`` is: the token is passed in a configuration
file readable by its owner only, never on the command line.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import secrets
import subprocess
import symtable
import sys
import tempfile
from pathlib import Path

import nbformat

from course_tools import REPO_ROOT
from course_tools.site import BUILD, EXECUTED, MODULES, executed_notebook, refresher_markdown

APP = BUILD / "app"
MAIN_WIDGET_MARKER = "# main-widget"
APP_KEEP_TAG = "app-keep"
# Names that read or bind variables the code does not spell out: slicing cannot follow them.
_OPAQUE_NAMES = frozenset({"exec", "eval", "globals", "locals", "vars", "get_ipython", "__import__"})
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

__all__ = ["app_notebook", "build_app", "needed_cells", "voila_command", "main"]


def _is_main_widget(cell):
    return cell.cell_type == "code" and MAIN_WIDGET_MARKER in cell.source.splitlines()[:3]


def _without_links(markdown):
    """The refresher's text for the app: links to notebooks lead nowhere in Voila, so keep their words."""
    import re

    return re.sub(r"\[([^\]]+)\]\((?![a-z]+:)[^)]*\)", r"\1", markdown)


# --- which cells the explorer needs -------------------------------------------------------------


class _Opaque(Exception):
    """Raised for code whose effect on names the text does not show (``global``, ``exec``, ``import *``)."""


def _source(cell):
    return cell if isinstance(cell, str) else cell["source"]


def _is_code(cell):
    return isinstance(cell, str) or cell.get("cell_type", "code") == "code"


def _tags(cell):
    return () if isinstance(cell, str) else cell.get("metadata", {}).get("tags", ())


def _flat_targets(target):
    """The simple targets inside a (possibly nested, starred) tuple or list target."""
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _flat_targets(element)
    elif isinstance(target, ast.Starred):
        yield from _flat_targets(target.value)
    else:
        yield target


def _root_name(node):
    """``x`` for ``x``, ``x.a``, ``x[i].b`` or ``x.f(...).g``; None for ``f(x).g``, ``(a + b).c``, ..."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                return None  # f(x).a: the chain starts at a function's result
            node = node.func
        else:
            node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _store_targets(node):
    if isinstance(node, (ast.Assign, ast.Delete)):
        return node.targets
    if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.comprehension)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    return []


def _changed_in_place(tree):
    """Names changed without being rebound: ``x[i] = v``, ``x.a += v``, ``del x[i]``, a bare ``x.m(...)``."""
    changed = set()
    for node in ast.walk(tree):
        for target in _store_targets(node):
            for simple in _flat_targets(target):
                if isinstance(simple, (ast.Attribute, ast.Subscript)) and (name := _root_name(simple)):
                    changed.add(name)
        if isinstance(node, ast.Expr):
            call = node.value.value if isinstance(node.value, ast.Await) else node.value
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and (name := _root_name(call.func)):
                changed.add(name)
    return changed


def _function_changes_a_global(tree):
    """Whether a function body changes in place a name that is not its own (so calls elsewhere change it)."""
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        arguments = node.args
        own = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
        own |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        body = node.body if isinstance(node.body, list) else [node.body]
        for statement in body:
            own |= {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        if any(_changed_in_place(statement) - own for statement in body):
            return True
    return False


def _symtable_reads(source, bound):
    """Names that code reads from the cell's level: at once (less ``bound``), or later, in a function."""
    table = symtable.symtable(source, "<cell>", "exec")
    reads = {s.get_name() for s in table.get_symbols() if s.is_referenced()} - bound
    scopes = list(table.get_children())
    while scopes:  # function, lambda, class and comprehension bodies: their names may be read at any time
        scope = scopes.pop()
        reads |= {s.get_name() for s in scope.get_symbols() if s.is_global() and s.is_referenced()}
        scopes.extend(scope.get_children())
    return reads


def _target_names(target):
    return {t.id for t in _flat_targets(target) if isinstance(t, ast.Name)}


def _target_reads(target, bound):
    """What a store target reads itself: ``x`` and ``i`` in ``x[i] = v``."""
    parts = [t for t in _flat_targets(target) if not isinstance(t, ast.Name)]
    return set().union(*(_symtable_reads(ast.unparse(t), bound) for t in parts))


def _sure_binds(statement):
    """Names a simple statement binds whenever it runs (a ``for`` or an ``if`` may not run its body)."""
    if isinstance(statement, ast.Assign):
        return set().union(*(_target_names(t) for t in statement.targets))
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and isinstance(statement.target, ast.Name):
        return {statement.target.id} if getattr(statement, "value", None) is not None else set()
    if isinstance(statement, ast.Import):
        return {alias.asname or alias.name.split(".")[0] for alias in statement.names}
    if isinstance(statement, ast.ImportFrom):
        return {alias.asname or alias.name for alias in statement.names}
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    return set()


def _reads(statements, bound):
    """Names that statements read before they bind them themselves; ``bound`` grows as they bind."""
    free = set()
    for statement in statements:
        if isinstance(statement, (ast.For, ast.AsyncFor)):
            free |= _symtable_reads(ast.unparse(statement.iter), bound) | _target_reads(statement.target, bound)
            free |= _reads(statement.body, bound | _target_names(statement.target))
            free |= _reads(statement.orelse, set(bound))
        elif isinstance(statement, (ast.While, ast.If)):
            free |= _symtable_reads(ast.unparse(statement.test), bound)
            free |= _reads(statement.body, set(bound)) | _reads(statement.orelse, set(bound))
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                free |= _symtable_reads(ast.unparse(item.context_expr), bound)
                if item.optional_vars is not None:
                    free |= _target_reads(item.optional_vars, bound)
                    bound |= _target_names(item.optional_vars)
            free |= _reads(statement.body, bound)
        elif isinstance(statement, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            free |= _reads(statement.body, set(bound)) | _reads(statement.orelse, set(bound))
            free |= _reads(statement.finalbody, set(bound))
            for handler in statement.handlers:
                if handler.type is not None:
                    free |= _symtable_reads(ast.unparse(handler.type), bound)
                free |= _reads(handler.body, bound | ({handler.name} if handler.name else set()))
        else:  # a simple statement, def, class or match: read as a whole
            free |= _symtable_reads(ast.unparse(statement), bound)
            if isinstance(statement, ast.Delete):
                bound -= set().union(*(_target_names(t) for t in statement.targets))
            bound |= _sure_binds(statement)
    return free


def _names(source):
    """``(reads, binds, changes)`` of a cell's code; None when it does not parse (IPython magics, ``!``).

    Raises ``_Opaque`` for code whose effect on names the text does not show.
    """
    try:
        tree = ast.parse(source)
        table = symtable.symtable(source, "<cell>", "exec")
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Global)
            or (isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names))
            or (isinstance(node, ast.Name) and node.id in _OPAQUE_NAMES)
        ):
            raise _Opaque
    if _function_changes_a_global(tree):
        raise _Opaque
    try:
        reads = _reads(tree.body, set())
    except SyntaxError:  # a part that cannot stand alone, e.g. a top-level ``await`` (IPython runs it)
        return None
    binds = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    binds |= {n.target.id for n in ast.walk(tree) if isinstance(n, ast.NamedExpr)}  # := inside a comprehension
    return reads, binds, _changed_in_place(tree)


def needed_cells(cells, explorer):
    """The code cells that ``explorer`` depends on, in their order: a backward def-use slice.

    A cell is kept when it binds a name that the explorer or a kept cell reads: by
    assignment (plain, augmented, annotated, to a tuple), ``for`` or ``with ... as`` target,
    import, ``def`` or ``class``, or ``:=``; or when it changes such a name in place: a
    subscript or attribute store (``x[i] = v``, ``x.a = v``, ``del x[i]``), or a method called
    as a statement of its own (``df.drop(columns=c, inplace=True)``, ``lst.append(v)``). What
    a kept cell reads, in its own code or in the functions it defines, is needed in turn,
    whatever the order (a function may read a name bound after its ``def``).

    Conservative where the text cannot tell. A cell that does not parse (an IPython magic,
    a ``!`` line) is kept, with every cell before it. A ``global`` statement, ``exec``,
    ``eval``, ``globals``, ``locals``, ``vars``, ``get_ipython``, ``__import__``,
    ``from m import *``, or a function that changes in place a name it does not own, in any
    cell, keeps every cell. A cell tagged ``app-keep`` is kept, with what it needs. Not seen
    as changes: passing a name to a function (``f(x)``) and using a method's result
    (``y = x.pop()``), as the course's functions leave their inputs alone; nor is what an
    import does besides binding its name.

    Parameters
    ----------
    cells : list of str or of nbformat.NotebookNode
        The module's cells before the explorer, in order (markdown and empty cells are left out).
    explorer : str or nbformat.NotebookNode
        The explorer cell, or its source.

    Returns
    -------
    list
        The kept items of ``cells``, in their order (the same objects).

    Examples
    --------
    >>> cells = [
    ...     "import numpy as np",
    ...     "y = np.arange(5)",
    ...     "print(y.sum())",
    ...     "figure = np.histogram(y)",
    ...     "scores = y * 2.0",
    ...     "scores[0] = 10.0",
    ... ]
    >>> needed_cells(cells, "explorer = Explorer(y, scores)")
    ['import numpy as np', 'y = np.arange(5)', 'scores = y * 2.0', 'scores[0] = 10.0']

    A magic does not parse: it is kept, with every cell before it.

    >>> needed_cells(["a = 1", "%time b = 2", "c = 3"], "explorer = Explorer(c)")
    ['a = 1', '%time b = 2', 'c = 3']
    """
    code = [cell for cell in cells if _is_code(cell) and _source(cell).strip()]
    try:
        target = _names(_source(explorer))
        names = [_names(_source(cell)) for cell in code]
    except _Opaque:
        return code
    if target is None:
        return code
    unreadable = [i for i, found in enumerate(names) if found is None]
    kept = set(range(unreadable[-1] + 1)) if unreadable else set()
    kept |= {i for i, cell in enumerate(code) if APP_KEEP_TAG in _tags(cell)}
    needed = set(target[0]).union(*(names[i][0] for i in kept if names[i] is not None))
    while True:
        more = {
            i for i, found in enumerate(names) if i not in kept and found is not None and (found[1] | found[2]) & needed
        }
        if not more:
            return [cell for i, cell in enumerate(code) if i in kept]
        kept |= more
        needed |= set().union(*(names[i][0] for i in more))


def app_notebook(module, executed):
    """The app page of one module: refresher text, then the code its explorer needs, silent.

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
    for cell in needed_cells(cells[:position], cells[position]):
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

"""Keep every notebook in one canonical stored form: ``python -m course_tools.notebooks``.

``normalize PATH...`` rewrites notebooks in the stored form and ``check PATH...``
reports every violation (exit status 1 when there is one). ``make normalize`` and
the hygiene test (``tests/test_notebook_hygiene.py``) both use this module.

The stored form: nbformat 4.5, outputs and execution counts cleared, the
``python3`` kernel, stable cell ids, sorted keys, one-space indent, a trailing
newline. nbgrader cell metadata is kept exactly as it is.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4.rwbase import rejoin_lines, strip_transient

__all__ = [
    "RULES",
    "MODULE_ONLY_RULES",
    "Violation",
    "describe_cell",
    "normalize_notebook",
    "dumps_notebook",
    "normalize",
    "check_notebook",
    "notebook_paths",
]

from course_tools import REPO_ROOT

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# Saved state that belongs to one run on one machine, never to the stored notebook.
_VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")
_VOLATILE_NOTEBOOK_METADATA = ("widgets",)

# Absolute paths of an author's machine: /work/..., /root/..., /home/..., /Users/...,
# C:\Users\... A URL such as https://example.org/home/ is not a path of the machine.
_MACHINE_PATH = re.compile(r"(?<![\w.:/~-])/(?:work|root|home|Users)/|\b[A-Z]:\\[^\\\s]+\\")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_OBJECTIVES = re.compile(r"learning (?:objectives?|goals|outcomes)|what you(?:'ll| will) learn", re.I)
_TAKEAWAY = re.compile(r"take-?aways?|summary|key points|what to remember", re.I)
_RAISES_MARKER = re.compile(r"^\s*#\s*NBVAL_RAISES_EXCEPTION\s*$", re.MULTILINE)
_VALID_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")

#: The rules ``check_notebook`` knows, with what each one asks.
RULES = {
    "nbformat": "the file is a valid nbformat 4 notebook",
    "stored-form": "the file equals its normalized form (no outputs, no execution counts, stable ids)",
    "kernelspec": "the notebook names the python3 kernel",
    "syntax": "every code cell is valid Python (IPython magics allowed)",
    "machine-paths": "no absolute path of the author's machine (/work/, /root/, /home/, C:\\...)",
    "objectives": "a module notebook has a 'Learning objectives' heading",
    "takeaway": "a module notebook has a 'Take-away' (or 'Summary') section",
}
#: The rules that apply only to module notebooks (``modules/``), not to assignments.
MODULE_ONLY_RULES = ("objectives", "takeaway")


@dataclass(frozen=True)
class Violation:
    """One broken rule, located at a notebook and, when it applies, a cell.

    Made by :func:`check_notebook`; ``str()`` gives the line printed for a person.

    Attributes
    ----------
    path : str
        The notebook, relative to the repository when inside it.
    rule : str
        The rule's name, e.g. ``"stored-form"``.
    message : str
        What is wrong.
    cell : str, default=""
        The cell (see :func:`describe_cell`); empty for the notebook as a whole.

    Examples
    --------
    >>> from course_tools.notebooks import Violation
    >>> print(Violation("modules/00_start_here.ipynb", "stored-form", "holds 2 output(s)", "cell 3"))
    modules/00_start_here.ipynb, cell 3: holds 2 output(s) [stored-form]
    """

    path: str
    rule: str
    message: str
    cell: str = ""

    def __str__(self):
        where = f"{self.path}, {self.cell}" if self.cell else self.path
        return f"{where}: {self.message} [{self.rule}]"


def _display_path(path):
    path = Path(path).resolve()
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def describe_cell(index, cell):
    """Name a cell so that a person finds it: its position (from 1), id and first line.

    Parameters
    ----------
    index : int
        The cell's position in the notebook, from 0.
    cell : dict
        The cell.

    Returns
    -------
    str

    Examples
    --------
    >>> describe_cell(2, {"cell_type": "code", "id": "a1", "source": "# NBVAL_CHECK_OUTPUT\\nprint(1)"})
    "cell 3 (code, id 'a1': 'print(1)')"
    """
    source = cell.get("source", "")
    if isinstance(source, list):  # the stored JSON splits sources into lines
        source = "".join(source)
    lines = [line.strip() for line in source.splitlines()]
    first_line = next((line for line in lines if line and not line.startswith("# NBVAL_")), "")
    if len(first_line) > 50:
        first_line = first_line[:47] + "..."
    cell_id = cell.get("id")
    id_part = f", id {cell_id!r}" if cell_id else ""
    return f"cell {index + 1} ({cell.get('cell_type', '?')}{id_part}: {first_line!r})"


def _read_json(path):
    text = Path(path).read_text(encoding="utf-8")
    return text, json.loads(text)


def _as_v4(data):
    """The notebook as a version-4 NotebookNode; version 3 files are converted."""
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise ValueError("not a Jupyter notebook (no 'cells' list at the top level)")
    if data.get("nbformat") == 4:
        return strip_transient(rejoin_lines(nbformat.from_dict(copy.deepcopy(data))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nbformat.reads(json.dumps(data), as_version=4)


def _stable_id(position, cell, taken):
    seed = f"{position}\n{cell.get('cell_type')}\n{cell.get('source', '')}"
    for attempt in range(1000):
        candidate = hashlib.sha1(f"{seed}\n{attempt}".encode()).hexdigest()[:8]
        if candidate not in taken:
            return candidate
    raise RuntimeError("could not find a free cell id")  # pragma: no cover


def normalize_notebook(nb):
    """Return a copy of ``nb`` in the canonical stored form.

    Parameters
    ----------
    nb : dict or nbformat.NotebookNode
        A notebook of nbformat version 4 (version 3 is converted).

    Returns
    -------
    nbformat.NotebookNode
        nbformat 4.5; code cells without outputs or execution counts; the
        ``python3`` kernelspec; every cell with an id. Ids already valid and unique
        are kept; missing or duplicated ones are derived from the cell's position
        and source, so normalizing twice gives the same bytes. nbgrader metadata
        is untouched.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    >>> nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"})]
    >>> clean = normalize_notebook(nb)
    >>> clean.cells[0].outputs, clean.metadata.kernelspec.name, clean.nbformat_minor
    ([], 'python3', 5)
    """
    nb = _as_v4(dict(nb))
    nb.nbformat, nb.nbformat_minor = 4, 5
    metadata = nb.setdefault("metadata", nbformat.NotebookNode())
    metadata["kernelspec"] = nbformat.from_dict(KERNELSPEC)
    if isinstance(metadata.get("language_info"), dict):
        metadata["language_info"].pop("version", None)  # the author's patch release
    for key in _VOLATILE_NOTEBOOK_METADATA:
        metadata.pop(key, None)

    taken = set()
    for position, cell in enumerate(nb.cells):
        cell_id = cell.get("id")
        if not (isinstance(cell_id, str) and _VALID_ID.match(cell_id)) or cell_id in taken:
            cell["id"] = _stable_id(position, cell, taken | {c.get("id") for c in nb.cells})
        taken.add(cell["id"])
        cell.setdefault("metadata", nbformat.NotebookNode())
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(nb)
    return nb


def dumps_notebook(nb):
    """The exact text a notebook is stored as: sorted keys, 1-space indent, final newline.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A version 4 notebook (normalize it first for the course's stored form).

    Returns
    -------
    str

    Examples
    --------
    >>> import nbformat
    >>> text = dumps_notebook(normalize_notebook(nbformat.v4.new_notebook()))
    >>> text.endswith("\\n"), text.splitlines()[1]
    (True, ' "cells": [],')
    """
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def notebook_paths(paths):
    """Expand files and folders into a sorted list of notebook files.

    Folders are searched recursively; ``.ipynb_checkpoints`` copies are skipped.
    A path that does not exist is an error, so a typo never checks nothing.

    Parameters
    ----------
    paths : iterable of str or pathlib.Path
        Notebook files and folders.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    FileNotFoundError
        A path does not exist.
    ValueError
        A file is not a ``.ipynb`` notebook.

    Examples
    --------
    >>> notebook_paths(["modules"])[0].name
    '00_start_here.ipynb'
    """
    found = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.update(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.suffix == ".ipynb" and path.is_file():
            found.add(path)
        elif not path.exists():
            raise FileNotFoundError(f"{raw}: no such file or folder.")
        else:
            raise ValueError(f"{raw}: not a notebook (.ipynb) nor a folder.")
    return sorted(found)


def normalize(paths):
    """Rewrite the given notebooks (files or folders) in the stored form.

    Returns the list of files that changed. A file that is not a readable
    notebook raises ``ValueError`` naming it, and nothing is written for it.

    Parameters
    ----------
    paths : iterable of str or pathlib.Path
        Notebook files and folders (see :func:`notebook_paths`).

    Returns
    -------
    list of pathlib.Path
        The files rewritten.

    Examples
    --------
    >>> normalize(["modules/00_start_here.ipynb"])  # already in stored form
    []
    """
    changed = []
    for path in notebook_paths(paths):
        try:
            text, data = _read_json(path)
            stored = dumps_notebook(normalize_notebook(data))
        except (ValueError, nbformat.ValidationError) as exc:
            raise ValueError(f"{_display_path(path)}: cannot normalize: {exc}") from None
        if stored != text:
            path.write_text(stored, encoding="utf-8")
            changed.append(path)
    return changed


def _stored_form_problems(text, data, display, clean_text):
    problems = []
    for index, cell in enumerate(data.get("cells", [])):
        where = describe_cell(index, cell)
        if cell.get("outputs"):
            problems.append(Violation(display, "stored-form", f"holds {len(cell['outputs'])} output(s)", where))
        if cell.get("execution_count") is not None:
            problems.append(Violation(display, "stored-form", "holds an execution count", where))
        if not cell.get("id"):
            problems.append(Violation(display, "stored-form", "has no cell id", where))
        volatile = [key for key in _VOLATILE_CELL_METADATA if key in cell.get("metadata", {})]
        if volatile:
            problems.append(Violation(display, "stored-form", f"holds run-time metadata {volatile}", where))
    if (data.get("nbformat"), data.get("nbformat_minor")) != (4, 5):
        problems.append(
            Violation(
                display,
                "stored-form",
                f"is nbformat {data.get('nbformat')}.{data.get('nbformat_minor')}, the stored form is 4.5",
            )
        )
    if not problems and text != clean_text:
        problems.append(
            Violation(
                display,
                "stored-form",
                "differs from its normalized form (key order, indent, ids, metadata or final newline)",
            )
        )
    if problems:
        hint = f"run `make normalize` (or python -m course_tools.notebooks normalize {display})"
        last = problems[-1]
        problems[-1] = Violation(last.path, last.rule, f"{last.message}; {hint}", last.cell)
    return problems


def _syntax_problems(nb, display):
    from IPython.core.inputtransformer2 import TransformerManager

    transformer = TransformerManager()
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or _RAISES_MARKER.search(cell.source):
            continue
        if {"raises-exception", "nbval-raises-exception"} & set(cell.metadata.get("tags", [])):
            continue
        try:
            code = transformer.transform_cell(cell.source)
            compile(code, "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        except SyntaxError as exc:
            problems.append(
                Violation(display, "syntax", f"SyntaxError at line {exc.lineno}: {exc.msg}", describe_cell(index, cell))
            )
    return problems


def _headings(nb):
    return [h for cell in nb.cells if cell.cell_type == "markdown" for h in _HEADING.findall(cell.source)]


def check_notebook(path, *, rules=None, module=None):
    """Return the list of :class:`Violation` of the stored-notebook rules for one file.

    Parameters
    ----------
    path : str or pathlib.Path
        The notebook file.
    rules : iterable of str, optional
        Names from :data:`RULES`; all of them by default.
    module : bool, optional
        Whether the module-notebook rules (learning objectives, take-away) apply.
        By default they apply to notebooks in a folder named ``modules``.

    Returns
    -------
    list of Violation
        Empty when the notebook follows every rule. Each violation names the
        notebook and, when it applies, the cell (position from 1, id, first line).

    Examples
    --------
    >>> check_notebook("modules/00_start_here.ipynb")
    []
    """
    path = Path(path)
    rules = list(RULES) if rules is None else list(rules)
    unknown = sorted(set(rules) - set(RULES))
    if unknown:
        raise ValueError(f"Unknown rule(s) {unknown}; the rules are {sorted(RULES)}.")
    if module is None:
        module = path.resolve().parent.name == "modules"
    if not module:
        rules = [rule for rule in rules if rule not in MODULE_ONLY_RULES]
    display = _display_path(path)

    try:
        text, data = _read_json(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = _as_v4(data)
            if data.get("nbformat") != 4:
                raise ValueError(f"nbformat {data.get('nbformat')}, not 4")
            nbformat.validate(nbformat.from_dict(copy.deepcopy(data)))
            clean_text = dumps_notebook(normalize_notebook(data))
    except (OSError, ValueError, nbformat.ValidationError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [Violation(display, "nbformat", f"is not a valid nbformat 4 notebook: {reason}")]

    found = []
    if "stored-form" in rules:
        found += _stored_form_problems(text, data, display, clean_text)
    if "kernelspec" in rules:
        name = data.get("metadata", {}).get("kernelspec", {}).get("name")
        if name != "python3":
            found.append(Violation(display, "kernelspec", f"names kernel {name!r}, not 'python3'"))
    if "syntax" in rules:
        found += _syntax_problems(nb, display)
    if "machine-paths" in rules:
        for index, cell in enumerate(nb.cells):
            match = _MACHINE_PATH.search(cell.source)
            if match:
                found.append(
                    Violation(
                        display,
                        "machine-paths",
                        f"mentions the machine path {match.group(0)!r}: use a path relative to the repository",
                        describe_cell(index, cell),
                    )
                )
    headings = _headings(nb)
    if "objectives" in rules and not any(_OBJECTIVES.search(h) for h in headings):
        found.append(Violation(display, "objectives", "has no '## Learning objectives' heading (put it first)"))
    if "takeaway" in rules and not any(_TAKEAWAY.search(h) for h in headings):
        found.append(Violation(display, "takeaway", "has no '## Take-away' section (put it at the end)"))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_tools.notebooks", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in [
        ("normalize", "rewrite notebooks in the stored form"),
        ("check", "report every notebook that breaks a rule (exit status 1)"),
    ]:
        command = commands.add_parser(name, help=help_text)
        command.add_argument("paths", nargs="+", metavar="PATH", help="notebook files or folders")
    args = parser.parse_args(argv)
    try:
        paths = notebook_paths(args.paths)
        if args.command == "normalize":
            changed = normalize(paths)
            for path in changed:
                print(f"normalized {_display_path(path)}")
            print(f"{len(paths)} notebook(s), {len(changed)} rewritten.")
            return 0
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    violations = [v for path in paths for v in check_notebook(path)]
    for violation in violations:
        print(violation)
    print(f"{len(paths)} notebook(s), {len(violations)} violation(s).")
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())

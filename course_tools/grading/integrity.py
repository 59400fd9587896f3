"""What a submission's code touches that an honest answer never needs: flags for the instructor.

The grading kernel runs learner code in the same process as the hidden tests, so a learner
who reaches the interpreter's machinery can try to change a verdict. The sandbox and the
guard (``sandbox.py``, ``kernel.py``) stop the attacks known so far; this scan reads the
submitted code, outside any kernel, and lists what deserves a human look:

- the interpreter's machinery: ``get_ipython``, ``builtins``/``__builtins__``, ``sys.modules``,
  ``sys.settrace``, ``gc``, ``ctypes``, ``importlib``, ``exec``/``eval``/``compile``/``__import__``,
  IPython's input or AST transformers, dunder attributes that reach globals or code;
- other processes: ``subprocess``, ``multiprocessing``, ``os.system``/``popen``/``fork``/``exec*``/
  ``spawn*``/``kill``/``_exit``, ``pty``, ``signal``, ``socket``, ``threading``, shell escapes (``!cmd``);
- a rebinding of a name the hidden tests use that the locked setup defined (``_expect``,
  ``check``, ``df``...), or an assignment to an attribute of a module (``np.allclose = ...``,
  ``pd.Series.mean = ...``).

A flag is not a verdict: the instructor reads the code (the report names the cell).
"""

from __future__ import annotations

import ast
import re

from course_tools.grading.cells import cell_role, grade_id

__all__ = ["protected_names", "scan_notebook", "metadata_problems"]

MODULES = {
    "builtins": "builtins",
    "gc": "gc",
    "ctypes": "ctypes",
    "importlib": "importlib",
    "subprocess": "subprocess",
    "multiprocessing": "multiprocessing",
    "pty": "pty",
    "signal": "signal",
    "socket": "socket",
    "threading": "threading",
    "_thread": "threading",
    "inspect": "inspect",
    "sqlite3": "sqlite3",
}
NAMES = {
    "get_ipython": "get_ipython",
    "__builtins__": "builtins",
    "exec": "exec",
    "eval": "eval",
    "compile": "compile",
    "__import__": "__import__",
    "globals": "globals()",
    "breakpoint": "breakpoint",
}
ATTRIBUTES = {
    ("sys", "modules"): "sys.modules",
    ("sys", "settrace"): "sys.settrace",
    ("sys", "setprofile"): "sys.setprofile",
    ("sys", "_getframe"): "sys._getframe",
    ("sys", "excepthook"): "sys.excepthook",
    ("sys", "stdout"): "sys.stdout",
    ("sys", "stderr"): "sys.stderr",
}
OS_CALLS = {"system", "popen", "fork", "forkpty", "kill", "killpg", "_exit", "setsid", "abort"}
OS_PREFIXES = ("exec", "spawn", "posix_spawn")
DUNDERS = {"__globals__", "__code__", "__subclasses__", "__builtins__", "__closure__", "__dict__", "__class__"}
TRANSFORMERS = ("input_transformers", "ast_transformers", "input_transformer_manager", "events")
# An absolute path with at least two parts, or one that climbs out of the working folder.
_PATH = re.compile(r"^(/[^/\s]+/\S*|\.\./\S*)$")


def _python(source: str) -> tuple[str, list[str]]:
    """Source without IPython's magics and shell escapes (which are flagged themselves)."""
    lines, found = [], []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("!") or stripped.startswith("%%bash") or stripped.startswith("%%sh"):
            found.append("a shell command (!...)")
            lines.append("")
        elif stripped.startswith("%"):
            if stripped.startswith(("%system", "%sx")):
                found.append("a shell command (%system)")
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines), found


# Names that hold modules in a notebook of this course (plus whatever the submission imports).
MODULE_ALIASES = {"np", "pd", "numpy", "pandas", "math", "builtins", "sys", "os", "sklearn", "scipy", "course"}


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


class _Scan(ast.NodeVisitor):
    def __init__(self, protected):
        self.protected = protected
        self.found: list[str] = []
        self.depth = 0
        self.modules = set(MODULE_ALIASES)

    def flag(self, what):
        if what not in self.found:
            self.found.append(what)

    def _scoped(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_FunctionDef(self, node):
        self._bind(node.name)
        self._scoped(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._bind(node.name)
        self._scoped(node)

    visit_Lambda = _scoped
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _scoped

    def _bind(self, name):
        if self.depth == 0 and name in self.protected:
            self.flag(f"rebinds {name!r} (the hidden tests use it)")

    def visit_Global(self, node):
        for name in node.names:
            if name in self.protected:
                self.flag(f"rebinds {name!r} (the hidden tests use it)")

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._bind(node.id)
        elif node.id in NAMES:
            self.flag(f"uses {NAMES[node.id]}")

    def visit_Import(self, node):
        for alias in node.names:
            self.modules.add((alias.asname or alias.name).split(".")[0])
            root = alias.name.split(".")[0]
            if root in MODULES:
                self.flag(f"imports {MODULES[root]}")
            if root == "IPython":
                self.flag("imports IPython")
            self._bind((alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node):
        root = (node.module or "").split(".")[0]
        if root in MODULES:
            self.flag(f"imports {MODULES[root]}")
        if root == "IPython":
            self.flag("imports IPython")
        for alias in node.names:
            if root == "os" and (alias.name in OS_CALLS or alias.name.startswith(OS_PREFIXES)):
                self.flag(f"uses os.{alias.name}")
            if root == "sys" and ("sys", alias.name) in ATTRIBUTES:
                self.flag(f"uses {ATTRIBUTES['sys', alias.name]}")
            self._bind(alias.asname or alias.name)

    def visit_Attribute(self, node):
        dotted = _dotted(node)
        if isinstance(node.ctx, (ast.Store, ast.Del)) and dotted.split(".")[0] in self.modules:
            self.flag(f"patches {dotted}")  # np.allclose = ..., pd.Series.mean = ...
        base = node.value.id if isinstance(node.value, ast.Name) else None
        if (base, node.attr) in ATTRIBUTES:
            self.flag(f"uses {ATTRIBUTES[base, node.attr]}")
        if base == "os" and (node.attr in OS_CALLS or node.attr.startswith(OS_PREFIXES)):
            self.flag(f"uses os.{node.attr}")
        if node.attr in DUNDERS:
            self.flag(f"reaches {node.attr}")
        if node.attr.startswith(TRANSFORMERS):
            self.flag(f"touches IPython's {node.attr}")
        self.generic_visit(node)

    def visit_Constant(self, node):  # getattr(obj, "input_transformers_post"), paths of the machine
        if not isinstance(node.value, str):
            return
        if node.value.startswith(("input_transformers", "ast_transformers")):
            self.flag(f"names IPython's {node.value}")
        elif _PATH.match(node.value):
            self.flag(f"names the path {node.value[:60]!r} (outside its own folder)")


def protected_names(source_nb) -> set[str]:
    """Names a test cell uses that a read-only (setup) cell defines, plus ``_expect`` and ``check``.

    Parameters
    ----------
    source_nb : nbformat.NotebookNode
        The assignment's source notebook (with its hidden tests).

    Returns
    -------
    set of str

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> setup = nbformat.v4.new_code_cell("import numpy as np\\ndf = load()\\nrate = 3")
    >>> setup.metadata["nbgrader"] = {"locked": True, "grade": False, "solution": False}
    >>> tests = nbformat.v4.new_code_cell("assert np.isclose(answer, df.x.mean())")
    >>> tests.metadata["nbgrader"] = {"locked": True, "grade": True, "solution": False, "grade_id": "t"}
    >>> nb.cells = [setup, tests]
    >>> sorted(protected_names(nb))
    ['_expect', 'check', 'df', 'np']
    """
    defined, used = set(), set()
    for cell in source_nb.cells:
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_python(cell.source)[0])
        except SyntaxError:
            continue
        role = cell_role(cell)
        for node in ast.walk(tree):
            if role == "readonly":
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    defined.add(node.id)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    defined.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif role == "tests" and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                used.add(node.id)
    return (defined & used) | {"_expect", "check"}


def scan_notebook(nb, protected: set[str]) -> list[str]:
    """Flags of the learner's code in ``nb``: ``"cell 3 ('q1-answer'): uses get_ipython"``...

    Test and read-only cells are skipped: nbgrader puts them back from the gradebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A submitted notebook.
    protected : set of str
        Names the learner must not rebind (:func:`protected_names`).

    Returns
    -------
    list of str

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("import builtins\\nbuiltins.abs = lambda x: 0\\n_expect = None")]
    >>> scan_notebook(nb, {"_expect"})
    ["cell 0: imports builtins; rebinds '_expect' (the hidden tests use it)"]
    >>> nb.cells = [nbformat.v4.new_code_cell("def share(df, t):\\n    return (df.amount > t).mean()")]
    >>> scan_notebook(nb, {"df"})
    []
    """
    flags = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code" or cell_role(cell) in ("tests", "readonly"):
            continue
        source, found = _python(cell.get("source", ""))
        scan = _Scan(protected)
        scan.found = list(found)
        try:
            scan.visit(ast.parse(source))
        except SyntaxError:
            pass  # it will fail when run; nothing to flag
        if scan.found:
            gid = grade_id(cell)
            where = f"cell {index}" + (f" ({gid!r})" if gid else "")
            flags.append(f"{where}: {'; '.join(scan.found)}")
    return flags


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def metadata_problems(submitted, source) -> list[str]:
    """How the nbgrader metadata of ``submitted`` differs from the assignment's ``source``.

    Each problem names the cell (position and ``grade_id``) and what was changed.

    Parameters
    ----------
    submitted, source : nbformat.NotebookNode

    Returns
    -------
    list of str

    Examples
    --------
    >>> import nbformat
    >>> src = nbformat.v4.new_notebook()
    >>> cell = nbformat.v4.new_code_cell("check('q')")
    >>> cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "q-tests", "points": 1}
    >>> src.cells = [cell]
    >>> sub = nbformat.from_dict(src)
    >>> sub.cells[0].metadata["nbgrader"]["grade"] = False
    >>> metadata_problems(sub, src)
    ["cell 0 ('q-tests') is a test cell of the assignment but is marked as a read-only cell here (its nbgrader metadata was edited)"]
    """
    known = {grade_id(c): c for c in source.cells if grade_id(c)}
    problems, seen = [], {}
    for index, cell in enumerate(submitted.cells):
        meta = _nbgrader(cell)
        if not meta:
            continue
        gid = meta.get("grade_id")
        if not gid:
            problems.append(f"cell {index} has nbgrader metadata without a grade_id (it was deleted)")
            continue
        if gid in seen:
            problems.append(f"cells {seen[gid]} and {index} share the grade_id {gid!r} (a cell was duplicated)")
            continue
        seen[gid] = index
        original = known.get(gid)
        if original is None:
            problems.append(f"cell {index} has the grade_id {gid!r}, which the assignment does not have")
            continue
        where = f"cell {index} ({gid!r})"
        if cell.get("cell_type") != original.get("cell_type"):
            problems.append(
                f"{where} is a {cell.get('cell_type')} cell here, a {original.get('cell_type')} cell in the assignment"
            )
        if cell_role(cell) != cell_role(original):
            problems.append(
                f"{where} is {_ROLE_NAMES[cell_role(original)]} of the assignment but is marked as "
                f"{_ROLE_NAMES[cell_role(cell)]} here (its nbgrader metadata was edited)"
            )
        elif float(meta.get("points", 0) or 0) != float(_nbgrader(original).get("points", 0) or 0):
            problems.append(
                f"{where} is worth {meta.get('points')} point(s) here, {_nbgrader(original).get('points', 0)} in the assignment"
            )
        elif bool(meta.get("locked")) != bool(_nbgrader(original).get("locked")):
            problems.append(f"{where} is {'locked' if meta.get('locked') else 'unlocked'} here, not in the assignment")
    return problems


_ROLE_NAMES = {
    "answer": "an answer cell",
    "tests": "a test cell",
    "manual": "a hand-graded answer",
    "readonly": "a read-only cell",
    "task": "a task",
    "plain": "a plain cell",
}

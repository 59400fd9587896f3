"""Write assignments as readable Python files; build the nbgrader notebooks from them.

An assignment's source of truth is ``autograded/authoring/<assignment>.py``, cells
separated by ``# %%`` markers (the py:percent style that editors and jupytext know)::

    # %% [markdown]                         a markdown cell (lines start with "# ")
    # %%                                    a plain code cell
    # %% readonly id=00-setup               a locked code cell (add [markdown] for text)
    # %% answer id=00-base-rate-answer      code the learner writes (### BEGIN/END SOLUTION)
    # %% tests id=00-base-rate-tests points=1    check("...") then ### BEGIN/END HIDDEN TESTS
    # %% manual id=00-accuracy-trap points=2     a markdown answer graded by hand

:func:`build_notebook` turns it into the notebook nbgrader reads (cell metadata schema 3),
:func:`lint_notebook` reports broken authoring rules, :func:`scaffold_assignment` starts
a new assignment from a working template.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from course_tools import REPO_ROOT
from course_tools.grading.cells import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_SOLUTION,
    cell_role,
    checked_question_ids,
    grade_id,
    points,
    questions,
)

__all__ = [
    "parse_source",
    "build_notebook",
    "build_file",
    "same_cells",
    "lint_notebook",
    "assignment_questions",
    "scaffold_assignment",
    "REPO_ROOT",
]

_HEADER = re.compile(r"^# %%(?P<rest>.*)$")
_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_ASSIGNMENT = re.compile(r"^(?P<number>\d\d)_[a-z0-9_]+$")
_KINDS = {"code", "readonly", "answer", "tests", "manual"}


def _nbgrader_meta(kind: str, cell_id: str, cell_points: float | None) -> dict:
    flags = {
        "readonly": (False, False, True),
        "answer": (False, True, False),
        "tests": (True, False, True),
        "manual": (True, True, False),
    }[kind]
    meta = {
        "grade": flags[0],
        "solution": flags[1],
        "locked": flags[2],
        "grade_id": cell_id,
        "schema_version": 3,
        "task": False,
    }
    if flags[0]:
        meta["points"] = cell_points
    return meta


def parse_source(text: str, *, name: str = "<source>") -> list[dict]:
    """Split a readable source into cells: ``{"kind", "markdown", "id", "points", "source"}``.

    Parameters
    ----------
    text : str
        The readable source, cells separated by ``# %%`` markers (see the module docstring).
    name : str, default="<source>"
        The file name used in error messages.

    Returns
    -------
    list of dict
        One dict per cell: ``kind`` (``code``, ``readonly``, ``answer``, ``tests`` or
        ``manual``), ``markdown``, ``id``, ``points``, ``line`` (of the marker) and ``source``.

    Raises
    ------
    ValueError
        Naming the line of any malformed marker.

    Examples
    --------
    >>> from course_tools.grading.authoring import parse_source
    >>> parse_source("# %% answer id=q1-answer\\nx = 1\\n")
    [{'kind': 'answer', 'markdown': False, 'id': 'q1-answer', 'points': None, 'line': 1, 'source': 'x = 1'}]
    """
    cells, current = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match is None:
            if current is not None:
                current["lines"].append((number, line))
            continue
        words = match["rest"].split()
        markdown = "[markdown]" in words
        words = [w for w in words if w != "[markdown]"]
        options = dict(w.split("=", 1) for w in words if "=" in w)
        kinds = [w for w in words if "=" not in w] or ["code"]
        where = f"{name}, line {number}"
        if len(kinds) > 1 or kinds[0] not in _KINDS or set(options) - {"id", "points"}:
            raise ValueError(
                f"{where}: cannot read the cell marker {line!r}. Expected e.g. "
                "'# %% answer id=00-base-rate-answer' or '# %% tests id=00-x-tests points=1'."
            )
        kind = kinds[0]
        if kind == "manual":
            markdown = True
        if kind != "code" and not _ID.match(options.get("id", "")):
            raise ValueError(f"{where}: a {kind} cell needs id=... (letters, digits, '-' and '_').")
        if kind in ("tests", "manual"):
            try:
                cell_points = float(options["points"])
            except (KeyError, ValueError):
                raise ValueError(f"{where}: a {kind} cell needs points=N (a number above 0).") from None
            if not cell_points > 0:
                raise ValueError(f"{where}: points must be above 0, got {options['points']}.")
            cell_points = int(cell_points) if cell_points.is_integer() else cell_points
        elif "points" in options:
            raise ValueError(f"{where}: only tests and manual cells carry points.")
        else:
            cell_points = None
        if kind in ("answer", "tests") and markdown:
            raise ValueError(f"{where}: {kind} cells are code cells; a markdown answer is a 'manual' cell.")
        current = {
            "kind": kind,
            "markdown": markdown,
            "id": options.get("id"),
            "points": cell_points,
            "lines": [],
            "line": number,
        }
        cells.append(current)
    for cell in cells:
        lines = cell.pop("lines")
        if cell["markdown"]:
            for number, line in lines:
                if line.strip() and not (line == "#" or line.startswith("# ")):
                    raise ValueError(f"{name}, line {number}: markdown lines start with '# ', got {line!r}.")
            body = [line[2:] if line.startswith("# ") else "" for _, line in lines]
        else:
            body = [line for _, line in lines]
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        cell["source"] = "\n".join(body)
    if not cells:
        raise ValueError(f"{name}: no '# %%' cell markers found.")
    return cells


def build_notebook(text: str, *, name: str = "<source>") -> nbformat.NotebookNode:
    """Build the nbgrader source notebook (with solutions and hidden tests) from a readable source.

    Parameters
    ----------
    text : str
        The readable source (see :func:`parse_source`).
    name : str, default="<source>"
        The file name used in error messages.

    Returns
    -------
    nbformat.NotebookNode
        A valid notebook; nbgrader cells carry metadata schema 3 and their id as cell id.

    Examples
    --------
    >>> nb = build_notebook('# %% answer id=q1-answer\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION\\n')
    >>> nb.cells[0].metadata.nbgrader["solution"], nb.cells[0].id
    (True, 'q1-answer')
    """
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    seen = set()
    for index, spec in enumerate(parse_source(text, name=name)):
        maker = nbformat.v4.new_markdown_cell if spec["markdown"] else nbformat.v4.new_code_cell
        cell = maker(spec["source"])
        cell.id = spec["id"] or f"cell-{index:02d}"  # stable ids: rebuilding gives the same bytes
        if spec["kind"] != "code":
            if spec["id"] in seen:
                raise ValueError(f"{name}, line {spec['line']}: id {spec['id']!r} is used twice.")
            seen.add(spec["id"])
            cell.metadata["nbgrader"] = _nbgrader_meta(spec["kind"], spec["id"], spec["points"])
        notebook.cells.append(cell)
    nbformat.validate(notebook)
    return notebook


def build_file(source: Path, output: Path | None = None) -> Path:
    """Build ``autograded/authoring/<a>.py`` into ``autograded/source/<a>/<a>.ipynb``; return the path.

    Parameters
    ----------
    source : pathlib.Path
        The readable source file.
    output : pathlib.Path, optional
        Where to write the notebook; by default ``source/<a>/<a>.ipynb`` beside the
        source's ``authoring/`` folder.

    Returns
    -------
    pathlib.Path
        The notebook written, in the course's stored form.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from course_tools.grading.authoring import build_file
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     source = Path(tmp, "authoring", "09_demo.py")
    ...     source.parent.mkdir()
    ...     _ = source.write_text("# %% answer id=09-x-answer\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION\\n")
    ...     build_file(source).relative_to(Path(tmp).resolve()).as_posix()
    'source/09_demo/09_demo.ipynb'
    """
    source = Path(source)
    if output is None:
        output = source.resolve().parent.parent / "source" / source.stem / f"{source.stem}.ipynb"
    from course_tools.notebooks import dumps_notebook, normalize_notebook  # the course's one stored form

    notebook = build_notebook(source.read_text(encoding="utf-8"), name=str(source))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(dumps_notebook(normalize_notebook(notebook)), encoding="utf-8")
    return output


def _signature(nb) -> list[tuple]:
    def source(cell):
        text = cell.get("source", "")
        return ("".join(text) if isinstance(text, list) else text).strip()

    return [(c["cell_type"], source(c), c.get("metadata", {}).get("nbgrader")) for c in nb["cells"]]


def same_cells(nb_a, nb_b) -> bool:
    """True if both notebooks have the same cells: types, sources and nbgrader metadata.

    Cell ids, outputs and notebook metadata are not compared.

    Parameters
    ----------
    nb_a, nb_b : dict
        Notebooks (``nbformat`` nodes or the parsed JSON).

    Returns
    -------
    bool

    Examples
    --------
    >>> from course_tools.grading.authoring import build_notebook, same_cells
    >>> a = build_notebook("# %%\\nx = 1\\n")
    >>> same_cells(a, build_notebook("# %%\\nx = 1\\n")), same_cells(a, build_notebook("# %%\\nx = 2\\n"))
    (True, False)
    """
    return _signature(nb_a) == _signature(nb_b)


def assignment_questions(assignment: str) -> list[str]:
    """Ids of the questions registered by ``course/grading/questions/<assignment>.py``.

    Parameters
    ----------
    assignment : str
        An assignment name, e.g. ``"00_warm_up"``.

    Returns
    -------
    list of str
        Sorted; empty for an assignment without a question module.

    Examples
    --------
    >>> from course_tools.grading.authoring import assignment_questions
    >>> assignment_questions("00_warm_up")
    ['00-base-rate', '00-fraud-loss', '00-rate-by-day', '00-share-above']
    """
    from course.grading.checks import _REGISTRY, question_ids

    question_ids()
    suffix = f".questions.{assignment}"
    return sorted(qid for qid, q in _REGISTRY.items() if q._origin.endswith(suffix))


def lint_notebook(nb, assignment: str) -> list[str]:
    """Broken authoring rules in a source notebook, as readable sentences (empty: all good).

    Parameters
    ----------
    nb : dict
        A source notebook (with solutions and hidden tests).
    assignment : str
        Its assignment name, e.g. ``"00_warm_up"``: every question registered by
        ``course/grading/questions/<assignment>.py`` must be checked by a test cell.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import nbformat
    >>> from course_tools.grading.authoring import REPO_ROOT, build_notebook, lint_notebook
    >>> nb = nbformat.read(REPO_ROOT / "autograded/source/00_warm_up/00_warm_up.ipynb", as_version=4)
    >>> lint_notebook(nb, "00_warm_up")
    []
    >>> nb = build_notebook("# %% answer id=00-x-answer\\nx = 1\\n")
    >>> print("\\n".join(lint_notebook(nb, "00_warm_up")))
    cell 0 (00-x-answer): an answer cell needs '### BEGIN SOLUTION' and '### END SOLUTION'.
    question '00-base-rate' is registered but no test cell calls check('00-base-rate').
    question '00-fraud-loss' is registered but no test cell calls check('00-fraud-loss').
    question '00-rate-by-day' is registered but no test cell calls check('00-rate-by-day').
    question '00-share-above' is registered but no test cell calls check('00-share-above').
    no auto-graded question (a 'tests' cell with points).
    """
    from course.grading.checks import question_ids

    problems, seen = [], set()
    known = set(question_ids())
    own = assignment_questions(assignment)
    checked = []
    for index, cell in enumerate(nb["cells"]):
        role = cell_role(cell)
        if role == "plain":
            continue
        gid = grade_id(cell)
        where = f"cell {index} ({gid})"
        meta = cell["metadata"]["nbgrader"]
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if meta.get("schema_version") != 3:
            problems.append(f"{where}: nbgrader metadata must have schema_version 3.")
        if not gid or not _ID.match(gid):
            problems.append(f"{where}: grade_id must be letters, digits, '-' and '_'.")
        elif gid in seen:
            problems.append(f"{where}: grade_id {gid!r} is used twice.")
        seen.add(gid)
        if role == "answer" and (BEGIN_SOLUTION not in source or END_SOLUTION not in source):
            problems.append(f"{where}: an answer cell needs '{BEGIN_SOLUTION}' and '{END_SOLUTION}'.")
        if role in ("tests", "manual") and not points(cell) > 0:
            problems.append(f"{where}: a graded cell needs points above 0.")
        if role == "tests":
            ids = checked_question_ids(source)
            first_line = next((line for line in source.splitlines() if line.strip()), "")
            if not ids or not first_line.lstrip().startswith("check("):
                problems.append(f'{where}: a test cell starts with check("question-id") (the visible tests).')
            for qid in ids:
                if qid not in known:
                    problems.append(f"{where}: check({qid!r}) names no registered question.")
            checked += ids
            if BEGIN_HIDDEN not in source:
                problems.append(
                    f"{where}: a test cell needs hidden tests ('{BEGIN_HIDDEN}') that catch common wrong answers."
                )
    if not own:
        problems.append(f"no visible tests: course/grading/questions/{assignment}.py registers no question.")
    for qid in own:
        if qid not in checked:
            problems.append(f"question {qid!r} is registered but no test cell calls check({qid!r}).")
    if not any(not q.manual and q.test_ids for q in questions(nb)):
        problems.append("no auto-graded question (a 'tests' cell with points).")
    return problems


_TEMPLATE_SOURCE = """\
# Readable source of autograded/source/{name}/{name}.ipynb: edit this file, then
#     python -m course_tools.grading build autograded/authoring/{name}.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/{name}.py.

# %% [markdown]
# # {title}
#
# What this assignment is about, in two sentences.

# %% readonly id={p}-setup
from course import check
from course.grading.expect import Expect

_expect = Expect()  # hidden tests' comparisons, captured before any learner code runs

# %% [markdown]
# ## Question 1 (1 point)
#
# Store in `answer` the number of ...

# %% answer id={p}-first-answer
### BEGIN SOLUTION
answer = 42
### END SOLUTION

# %% tests id={p}-first-tests points=1
check("{p}-first")
### BEGIN HIDDEN TESTS
_expect.equal(answer, 42, what="answer")
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 (1 point, graded by hand)
#
# Explain in two sentences why ...

# %% manual id={p}-explain points=1
# The model answer the graders compare with.
"""

_TEMPLATE_QUESTIONS = '''\
"""Visible tests of assignment {name} (autograded/source/{name}/{name}.ipynb)."""

from __future__ import annotations

import numbers

from course.grading import Question

first = Question("{p}-first", "The first question")


@first.test(hint=["A whole number: count the rows, do not add their amounts.", "len(df) counts the rows."])
def answer_is_a_whole_number(answer):
    """answer is a whole number"""
    is_whole = isinstance(answer, numbers.Integral) and not isinstance(answer, bool)
    assert is_whole, f"answer should be a whole number, got {{type(answer).__name__}}."
'''

_TEMPLATE_ANSWERS = '''\
"""Answer corpora of {name}, graded through the real nbgrader pipeline (tests/grading).

WRONG_ANSWERS: answer cell grade_id -> {{why it is wrong: code that replaces the whole cell}};
each must lose the points of its question, and only those.
RIGHT_ANSWERS: answer cell grade_id -> {{which correct variant: code}}; each must earn full marks.
"""

WRONG_ANSWERS = {{
    "{p}-first-answer": {{
        "off by one": "answer = 41",
    }},
}}

RIGHT_ANSWERS = {{
    "{p}-first-answer": {{
        "a numpy integer": "import numpy as np\\nanswer = np.int64(42)",
    }},
}}
'''


def scaffold_assignment(name: str, repo: Path = REPO_ROOT) -> list[Path]:
    """Create a new assignment from a working template; return the files written.

    Writes the readable source, its visible tests, its wrong answers and the built
    notebook. Refuses to overwrite anything.

    Parameters
    ----------
    name : str
        Two digits, ``_`` and lowercase words, e.g. ``"04_drift"``.
    repo : pathlib.Path, default=REPO_ROOT
        The repository to write into.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    ValueError
        ``name`` is not of the expected form.
    FileExistsError
        One of the files exists already.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from course_tools.grading.authoring import scaffold_assignment
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for path in scaffold_assignment("09_demo", repo=Path(tmp)):
    ...         print(path.relative_to(tmp).as_posix())
    autograded/authoring/09_demo.py
    course/grading/questions/09_demo.py
    tests/grading/answers/09_demo.py
    autograded/source/09_demo/09_demo.ipynb
    """
    match = _ASSIGNMENT.match(name)
    if match is None:
        raise ValueError(f"assignment names look like '04_drift' (two digits, '_', lowercase words), got {name!r}.")
    prefix = match["number"]
    repo = Path(repo)
    files = {
        repo / "autograded" / "authoring" / f"{name}.py": _TEMPLATE_SOURCE,
        repo / "course" / "grading" / "questions" / f"{name}.py": _TEMPLATE_QUESTIONS,
        repo / "tests" / "grading" / "answers" / f"{name}.py": _TEMPLATE_ANSWERS,
    }
    notebook = repo / "autograded" / "source" / name / f"{name}.ipynb"
    existing = [str(path) for path in [*files, notebook] if path.exists()]
    if existing:
        raise FileExistsError(f"not overwriting existing files: {', '.join(existing)}")
    title = name[3:].replace("_", " ").capitalize()
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(name=name, p=prefix, title=title), encoding="utf-8")
    build_file(repo / "autograded" / "authoring" / f"{name}.py", notebook)
    return [*files, notebook]

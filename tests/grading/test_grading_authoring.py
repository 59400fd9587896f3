"""Readable sources, notebook building, authoring rules, the new-assignment template, and
the conventions every assignment of autograded/source/ must follow (no nbgrader needed)."""

from __future__ import annotations

import importlib.util
import runpy
import sys

import nbformat
import pytest
from grading_batch import ASSIGNMENTS, REPO, SOURCE, load_wrong_answers

import course.grading.checks as checks
from course_tools.grading.authoring import build_notebook, lint_notebook, parse_source, same_cells, scaffold_assignment
from course_tools.grading.cells import cell_role, questions

AUTHORING = REPO / "autograded" / "authoring"


def test_markers_build_cells_with_nbgrader_schema_3_metadata():
    nb = build_notebook(
        "# %% [markdown]\n# # Title\n#\n# Text\n\n# %% readonly id=s\nimport math\n\n"
        "# %% answer id=a\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n\n"
        "# %% tests id=t points=2\ncheck('q')\n\n# %% manual id=m points=1.5\n# Because.\n"
    )
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code", "code", "markdown"]
    assert nb.cells[0].source == "# Title\n\nText"
    meta = [c.metadata.get("nbgrader") for c in nb.cells]
    assert meta[0] is None
    assert meta[1] == {
        "grade": False,
        "solution": False,
        "locked": True,
        "grade_id": "s",
        "schema_version": 3,
        "task": False,
    }
    assert meta[2] == {
        "grade": False,
        "solution": True,
        "locked": False,
        "grade_id": "a",
        "schema_version": 3,
        "task": False,
    }
    assert meta[3] == {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "t",
        "points": 2,
        "schema_version": 3,
        "task": False,
    }
    assert meta[4]["grade"] and meta[4]["solution"] and meta[4]["points"] == 1.5
    assert [cell_role(c) for c in nb.cells] == ["plain", "readonly", "answer", "tests", "manual"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("x = 1\n", "no '# %%' cell markers"),
        ("# %% answr id=a\n", "cannot read the cell marker"),
        ("# %% answer\n", "needs id="),
        ("# %% tests id=t\n", "needs points=N"),
        ("# %% tests id=t points=0\n", "points must be above 0"),
        ("# %% answer id=a points=1\n", "only tests and manual cells carry points"),
        ("# %% [markdown] answer id=a\n", "a markdown answer is a 'manual' cell"),
        ("# %% [markdown]\nnot a comment\n", "markdown lines start with '# '"),
        ("# %% answer id=a\n# %% answer id=a\n", "used twice"),
    ],
)
def test_malformed_sources_are_refused_with_the_line(text, problem):
    with pytest.raises(ValueError, match=problem):
        build_notebook(text, name="demo.py")


def test_parse_source_reports_the_line_number():
    with pytest.raises(ValueError, match="demo.py, line 3"):
        parse_source("# %%\nx = 1\n# %% tests id=t\n", name="demo.py")


def test_lint_names_each_broken_rule():
    nb = build_notebook(
        "# %% answer id=a\nx = 1\n\n# %% tests id=t points=1\nassert x == 1\n\n"
        "# %% tests id=u points=1\ncheck('no-such-question')\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS\n"
    )
    problems = "\n".join(lint_notebook(nb, "99_nothing"))
    assert "needs '### BEGIN SOLUTION'" in problems
    assert "starts with check(" in problems
    assert "needs hidden tests" in problems
    assert "names no registered question" in problems
    assert "registers no question" in problems


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_follows_the_authoring_rules(assignment):
    for path in sorted((SOURCE / assignment).glob("*.ipynb")):
        problems = lint_notebook(nbformat.read(path, as_version=4), assignment)
        assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_has_valid_wrong_answers(assignment):
    wrong = load_wrong_answers(assignment)
    assert wrong is not None, (
        f"Missing tests/grading/answers/{assignment}.py: list the common wrong answers of every question "
        "(docs/AUTHORING.md, 'Wrong answers')."
    )
    nbs = [nbformat.read(p, as_version=4) for p in sorted((SOURCE / assignment).glob("*.ipynb"))]
    answer_ids = {c.metadata.nbgrader["grade_id"] for nb in nbs for c in nb.cells if cell_role(c) == "answer"}
    unknown = set(wrong) - answer_ids
    assert not unknown, f"wrong answers for cells that are not answer cells: {sorted(unknown)}"
    for answer_id, cases in wrong.items():
        assert isinstance(cases, dict) and cases, f"{answer_id}: expected {{why: code}}"
        for why, code in cases.items():
            compile(code, f"{assignment}:{answer_id}:{why}", "exec")
    uncovered = [g.name for nb in nbs for g in questions(nb) if not g.manual and not set(g.answer_ids) & set(wrong)]
    assert not uncovered, f"questions without a wrong answer: {uncovered}"


@pytest.mark.parametrize("source", sorted(AUTHORING.glob("*.py")), ids=lambda p: p.stem)
def test_every_notebook_is_built_from_its_readable_source(source):
    target = SOURCE / source.stem / f"{source.stem}.ipynb"
    assert target.is_file(), f"{target} is missing: python -m course_tools.grading build {source.relative_to(REPO)}"
    built = build_notebook(source.read_text(encoding="utf-8"), name=str(source))
    assert same_cells(built, nbformat.read(target, as_version=4)), (
        f"{target.relative_to(REPO)} differs from {source.relative_to(REPO)}: "
        f"python -m course_tools.grading build {source.relative_to(REPO)}"
    )


def test_new_assignment_template_works_end_to_end(tmp_path, capsys):
    files = scaffold_assignment("97_template_demo", tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "autograded/authoring/97_template_demo.py",
        "course/grading/questions/97_template_demo.py",
        "tests/grading/answers/97_template_demo.py",
        "autograded/source/97_template_demo/97_template_demo.ipynb",
    ]
    name = "tmp_questions.questions.97_template_demo"  # a module name that ends like the real ones
    spec = importlib.util.spec_from_file_location(name, files[1])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        nb = nbformat.read(files[3], as_version=4)
        assert lint_notebook(nb, "97_template_demo") == []
        runpy.run_path(str(files[0]))  # the readable source is the solution: visible and hidden tests pass
        assert "✓ 97-first" in capsys.readouterr().out
    finally:
        sys.modules.pop(name)
        checks._REGISTRY.pop("97-first", None)
    with pytest.raises(FileExistsError):
        scaffold_assignment("97_template_demo", tmp_path)
    with pytest.raises(ValueError, match="two digits"):
        scaffold_assignment("Template", tmp_path)

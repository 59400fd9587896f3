"""The in-kernel corpus grader (``corpus.py``) on a small assignment: it must tell right from wrong."""

from __future__ import annotations

import nbformat
import pytest
from corpus import grade_corpora

from course_tools.grading.authoring import build_notebook
from course_tools.grading.cells import questions

SOURCE = (
    "# %% answer id=q1-answer\n### BEGIN SOLUTION\ndef double(x):\n    return 2 * x\n### END SOLUTION\n"
    "# %% tests id=q1-tests points=2\nassert double(3) == 6\n"
    "# %% answer id=q2-answer\n### BEGIN SOLUTION\ntotal = 10\n### END SOLUTION\n"
    "# %% tests id=q2-tests points=1\nassert total == 10\n"
)


@pytest.fixture
def assignment(tmp_path):
    folder = tmp_path / "course" / "source" / "01_demo"
    folder.mkdir(parents=True)
    nb = build_notebook(SOURCE)
    nbformat.write(nb, folder / "01_demo.ipynb")
    return folder / "01_demo.ipynb", questions(nb)


def test_wrong_answers_lose_right_ones_earn_and_the_source_runs(assignment, tmp_path):
    path, groups = assignment
    corpora = {
        "wrong": {"q1-answer": {"adds": "def double(x):\n    return x + 2", "raises": "def double(x):\n    1 / 0"}},
        "right": {"q1-answer": {"shift": "def double(x):\n    return x << 1"}, "q2-answer": {"sum": "total = 4 + 6"}},
    }
    run = grade_corpora(path, groups, corpora, tmp_path / "progress.json")
    assert run.source_failure is None
    scores = {(a.kind, a.label): (a.score, a.errors, a.restored) for a in run.answers}
    assert scores == {
        ("wrong", "adds"): (0.0, {"q1-tests": "AssertionError"}, True),
        ("wrong", "raises"): (0.0, {"q1-tests": "ZeroDivisionError"}, True),
        ("right", "shift"): (2.0, {}, True),
        ("right", "sum"): (1.0, {}, True),
    }


def test_an_answer_that_leaves_the_kernel_biased_is_reported(tmp_path):
    folder = tmp_path / "course" / "source" / "01_demo"
    folder.mkdir(parents=True)
    source = "# %% readonly id=setup\nFACTOR = 2\n" + SOURCE.replace("return 2 * x", "return FACTOR * x")
    nb = build_notebook(source)
    nbformat.write(nb, folder / "01_demo.ipynb")
    # wrong, and it rebinds a name of the setup cell that the solution does not bind again
    corpora = {"wrong": {"q1-answer": {"triples": "FACTOR = 3\ndef double(x):\n    return FACTOR * x"}}}
    [answer] = grade_corpora(folder / "01_demo.ipynb", questions(nb), corpora, tmp_path / "progress.json").answers
    assert answer.score == 0 and not answer.restored


def test_a_broken_source_is_named_at_its_cell(tmp_path):
    folder = tmp_path / "course" / "source" / "01_demo"
    folder.mkdir(parents=True)
    nb = build_notebook(SOURCE.replace("return 2 * x", "return 2 * y"))
    nbformat.write(nb, folder / "01_demo.ipynb")
    run = grade_corpora(folder / "01_demo.ipynb", questions(nb), {}, tmp_path / "progress.json")
    assert run.source_failure is not None and "q1-tests" in run.source_failure and "NameError" in run.source_failure

"""The learner versions shipped in exercises/: in sync with their sources, and secret-free.

``course_tools.grading.exercises`` makes them (``make exercises``). The fast tests here
regenerate each one in this process and compare; the test marked ``grading`` compares them
with what nbgrader's own ``generate_assignment`` released in the pipeline's batch.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from grading_batch import ASSIGNMENTS, SOURCE

from course_tools.grading.cells import BEGIN_HIDDEN, BEGIN_SOLUTION, cell_role, grade_id
from course_tools.grading.cli import main
from course_tools.grading.exercises import (
    EXERCISES_DIR,
    HEADER_IDS,
    leaked_secrets,
    learner_version,
    stale_exercises,
    write_exercises,
)


def test_every_assignment_ships_an_up_to_date_learner_version():
    assert ASSIGNMENTS, "no assignment source: nothing to ship"
    stale = stale_exercises()
    assert not stale, "stale learner versions in exercises/:\n  " + "\n  ".join(str(s) for s in stale)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_learner_version_holds_no_solution_and_no_hidden_test(assignment):
    exercise = EXERCISES_DIR / f"{assignment}.ipynb"
    if not exercise.exists():
        pytest.fail(f"{exercise.name} is missing: run make exercises")
    source = SOURCE / assignment / f"{assignment}.ipynb"
    leaks = leaked_secrets(exercise, source)
    assert not leaks, f"exercises/{exercise.name} shows solution or hidden-test lines: {leaks[:5]}"
    nb = nbformat.read(exercise, as_version=4)
    for cell in nb.cells:
        assert BEGIN_SOLUTION not in cell.source and BEGIN_HIDDEN not in cell.source, grade_id(cell) or cell.id
        if cell_role(cell) == "answer":
            assert "raise NotImplementedError()" in cell.source, f"{grade_id(cell)} is shipped without a stub"
    assert [cell.id for cell in nb.cells[:2]] == list(HEADER_IDS)
    assert "hint(" in nb.cells[0].source and "solution(" in nb.cells[0].source and "progress()" in nb.cells[0].source


def test_a_stale_or_missing_or_orphan_learner_version_is_named_with_the_command(tmp_path, capsys):
    root, out = tmp_path / "autograded", tmp_path / "exercises"
    sources = root / "source"
    shutil.copytree(SOURCE / "00_warm_up", sources / "00_warm_up")
    shutil.copytree(SOURCE / "01_class_imbalance", sources / "01_class_imbalance")
    shutil.copy(SOURCE.parent / "nbgrader_config.py", root)
    write_exercises(["00_warm_up"], source_dir=sources, out=out)
    (out / "09_gone.ipynb").write_text("{}", encoding="utf-8")
    notebook = sources / "00_warm_up" / "00_warm_up.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[0].source += "\n\nA sentence the author added."
    nbformat.write(nb, notebook)

    problems = {
        path.name: reason for path, reason in ((s.path, s.reason) for s in stale_exercises(source_dir=sources, out=out))
    }
    assert set(problems) == {"00_warm_up.ipynb", "01_class_imbalance.ipynb", "09_gone.ipynb"}
    assert problems["00_warm_up.ipynb"].startswith("out of date") and "make exercises" in problems["00_warm_up.ipynb"]
    assert (
        problems["01_class_imbalance.ipynb"].startswith("missing")
        and "make exercises" in problems["01_class_imbalance.ipynb"]
    )
    assert "delete it" in problems["09_gone.ipynb"]

    assert main(["--root", str(root), "exercises", "--check", "--out", str(out)]) == 1
    assert "STALE" in capsys.readouterr().out
    (out / "09_gone.ipynb").unlink()
    assert main(["--root", str(root), "exercises", "--out", str(out), "00_warm_up"]) == 0
    assert "Wrote 1 learner version(s)" in capsys.readouterr().out
    assert [s.path.name for s in stale_exercises(source_dir=sources, out=out)] == ["01_class_imbalance.ipynb"]
    regenerated = nbformat.read(out / "00_warm_up.ipynb", as_version=4)
    assert regenerated.cells[2].source.endswith("A sentence the author added.")
    assert regenerated == learner_version(notebook)


@pytest.mark.grading
def test_a_learner_version_is_nbgraders_release_plus_the_self_paced_header(batch):
    shipped = nbformat.read(EXERCISES_DIR / f"{batch.assignment}.ipynb", as_version=4)
    cells = [cell for cell in shipped.cells if cell.id not in HEADER_IDS]
    for name, released in batch.released.items():
        assert name == batch.assignment
        assert [c.id for c in cells] == [c.id for c in released.cells]
        for ours, theirs in zip(cells, released.cells):
            assert ours.source == theirs.source, f"{ours.id}: the source differs from nbgrader's release"
            assert ours.metadata == theirs.metadata, f"{ours.id}: the metadata (checksums, locks) differ"


def test_the_secret_scan_finds_a_leaked_solution_and_hidden_test(tmp_path):
    source = SOURCE / "00_warm_up" / "00_warm_up.ipynb"
    leaky = learner_version(source)
    original = nbformat.read(source, as_version=4)
    by_id = {cell.id: cell for cell in original.cells}
    for cell in leaky.cells:
        if cell_role(cell) in ("answer", "tests"):
            cell.source = by_id[cell.id].source  # as if the release had kept the solution and hidden tests
    path = tmp_path / "00_warm_up.ipynb"
    nbformat.write(leaky, path)
    leaks = leaked_secrets(path, source)
    assert 'base_rate = df["is_fraud"].mean()' in leaks
    assert any(line.startswith(("assert", "_expect.")) for line in leaks)  # a hidden test's line

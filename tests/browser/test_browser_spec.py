"""The browser spec covers every module notebook (runs without a browser: never skipped)."""

import json
from glob import glob
from pathlib import Path

import pytest

from tests.browser.spec import (
    EXERCISES,
    NOTEBOOKS,
    MainWidget,
    NoMainWidget,
    WidgetKind,
    main_widget_cells,
    spec_problem,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(glob("modules/*.ipynb", root_dir=REPO_ROOT))


def test_there_are_module_notebooks():
    assert MODULES, "no notebook in modules/: the browser tests would test nothing"


@pytest.mark.parametrize("notebook", MODULES, ids=[Path(path).stem for path in MODULES])
def test_every_module_notebook_has_a_spec_that_matches_it(notebook):
    problem = spec_problem(Path(notebook).stem, json.loads((REPO_ROOT / notebook).read_text()))
    assert problem is None, problem


def _notebook(*sources):
    return {"cells": [{"cell_type": "code", "source": source} for source in sources]}


def test_spec_problems_are_caught():
    marked = "# NBVAL_IGNORE_OUTPUT\n# main-widget\nexplorer = make()\nexplorer"
    assert main_widget_cells(_notebook("x = 1", marked)) == [1]
    assert main_widget_cells(_notebook("# main-widget\n# NBVAL_IGNORE_OUTPUT\nexplorer")) == []
    assert "no entry" in spec_problem("99_not_in_the_spec", _notebook(marked))
    assert "exactly one" in spec_problem("03_thresholds_and_costs", _notebook("x = 1"))
    assert "exactly one" in spec_problem("03_thresholds_and_costs", _notebook(marked, marked))
    assert "says it has none" in spec_problem("00_start_here", _notebook(marked))
    assert spec_problem("00_start_here", _notebook("x = 1")) is None
    assert spec_problem("03_thresholds_and_costs", _notebook(marked)) is None


def test_a_widget_without_engine_code_is_refused():
    kind = WidgetKind(name="X", slider="x", slider_attribute="x_slider", engine=None)
    with pytest.raises(ValueError, match="engine code"):
        MainWidget(kind)
    assert MainWidget(kind, engine="numbers = {}").engine_code == "numbers = {}"


def test_no_main_widget_says_why():
    reasons = [spec.reason for spec in NOTEBOOKS.values() if isinstance(spec, NoMainWidget)]
    assert all(reason.strip() for reason in reasons)


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_every_exercise_attempt_matches_its_shipped_exercise(exercise, tmp_path):
    import numpy as np

    from course.grading import check
    from course.grading.tracking import using_progress_file

    spec = EXERCISES[exercise]
    path = REPO_ROOT / "exercises" / f"{exercise}.ipynb"
    assert path.is_file(), f"EXERCISES names {exercise}, but exercises/{exercise}.ipynb does not exist"
    cells = {cell.get("id"): cell for cell in json.loads(path.read_text())["cells"]}
    for cell_id in (*spec.setup_cells, spec.answer_cell, spec.check_cell):
        assert cell_id in cells, f"exercises/{exercise}.ipynb has no cell {cell_id!r}"
    assert f'check("{spec.question_id}")' in "".join(cells[spec.check_cell]["source"])
    namespace = {"np": np}
    exec(spec.answer, namespace)  # the typed answer passes the visible check (its tests bring their own data)
    with using_progress_file(tmp_path / "progress.json"):
        check(spec.question_id, namespace)

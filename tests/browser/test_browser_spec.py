"""The browser spec covers every module notebook (runs without a browser: never skipped)."""

import json
from glob import glob
from pathlib import Path

import pytest

from tests.browser.spec import NOTEBOOKS, MainWidget, NoMainWidget, WidgetKind, main_widget_cells, spec_problem

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

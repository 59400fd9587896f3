"""Every committed notebook is stored clean: one test per notebook and rule.

The rules live in ``course_tools.notebooks`` (``python -m course_tools.notebooks check PATH`` reports
the same violations); ``make normalize`` fixes the stored form.
"""

from pathlib import Path

import pytest

from course_tools.notebooks import MODULE_ONLY_RULES, RULES, check_notebook, notebook_paths

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_FOLDERS = [REPO_ROOT / "modules", REPO_ROOT / "autograded" / "source", REPO_ROOT / "exercises"]
NOTEBOOKS = notebook_paths([folder for folder in NOTEBOOK_FOLDERS if folder.is_dir()])


def test_the_start_notebook_is_among_the_checked_ones():
    assert REPO_ROOT / "modules" / "00_start_here.ipynb" in NOTEBOOKS


CASES = [
    pytest.param(notebook, rule, id=f"{notebook.relative_to(REPO_ROOT)}-{rule}")
    for notebook in NOTEBOOKS
    for rule in sorted(RULES)
    if rule not in MODULE_ONLY_RULES or notebook.parent.name == "modules"
]


@pytest.mark.parametrize("notebook, rule", CASES)
def test_notebook_follows_rule(notebook, rule):
    violations = check_notebook(notebook, rules=[rule])
    assert not violations, f"{RULES[rule]}:\n" + "\n".join(str(v) for v in violations)

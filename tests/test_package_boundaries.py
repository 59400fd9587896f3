"""The learner's package holds what a learner uses, and nothing of the course's tooling.

``course`` is imported in every learner kernel (and may be installed without the
repository); ``course_tools`` is the instructors' and maintainers' tooling.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOOLING = ("nbgrader", "nbconvert", "jupyter_server", "course_tools")


def _course_modules():
    return sorted(
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for path in (REPO / "course").rglob("*.py")
        if "questions" not in path.parts and path.name != "__main__.py"
    )


def test_importing_every_course_module_imports_no_tooling():
    code = (
        "import importlib, json, sys\n"
        f"for name in {_course_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "import course.grading.questions as q; q.load_all()\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(TOOLING)!r}))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing course loads the tooling packages {loaded}: move that code to course_tools/"


@pytest.mark.parametrize("path", sorted((REPO / "course").rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
def test_course_locates_nothing_outside_the_package_but_the_dataset(path):
    text = path.read_text(encoding="utf-8")
    if path.relative_to(REPO).as_posix() == "course/_locations.py":
        return  # the one place: datasets_dir() and assignment_sources_dir() build on it (each overridable)
    assert not re.search(r"Path\(__file__\)\.resolve\(\)\.parent|parents\[\d\]", text), (
        f"{path.relative_to(REPO)} finds files through its own location: only course/_locations.py may."
    )


@pytest.mark.parametrize("path", sorted((REPO / "modules").glob("*.ipynb")), ids=lambda p: p.name)
def test_module_notebooks_never_import_the_tooling(path):
    assert "course_tools" not in path.read_text(encoding="utf-8"), f"{path.name} imports course_tools"

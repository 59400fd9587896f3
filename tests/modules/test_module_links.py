"""Links in the module notebooks open something: every relative link points to an existing file.

A module's ``## Practise`` section links its exercise as ``../exercises/NN_name.ipynb``
(relative to ``modules/``, so that JupyterLab opens it from the notebook), and the start
notebook's map links every module and exercise. A link to a file that is not there is a
dead end for a learner studying alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODULES = sorted((REPO / "modules").glob("*.ipynb"))
# [text](target) and <a href="target">, without URLs (scheme:) and in-page anchors (#...)
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|href=[\"']([^\"']+)[\"']")


def relative_links(notebook: Path) -> list[str]:
    """The relative link targets of the markdown cells of ``notebook``, without their #anchor."""
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for match in _LINK.finditer(source):
            target = (match.group(1) or match.group(2)).split("#", 1)[0]
            if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                found.append(target)
    return found


def test_links_are_found(tmp_path):
    assert relative_links(REPO / "modules" / "00_start_here.ipynb"), "the start notebook's map links the modules"
    sample = tmp_path / "links-sample.ipynb"
    cells = [
        {"cell_type": "markdown", "source": "[the exercise](../exercises/04_x.ipynb) (20 min), [web](https://a.b/c)"},
        {"cell_type": "markdown", "source": '<a href="../exercises/05_y.ipynb#q1">go</a> [up](#top)'},
    ]
    sample.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert relative_links(sample) == ["../exercises/04_x.ipynb", "../exercises/05_y.ipynb"]


@pytest.mark.parametrize("notebook", MODULES, ids=[p.stem for p in MODULES])
def test_every_exercise_link_of_a_module_points_to_a_shipped_exercise(notebook):
    links = [link for link in relative_links(notebook) if "exercises/" in link]
    for link in links:
        assert link.startswith("../exercises/"), (
            f"{notebook.name} links {link!r}: link an exercise relative to modules/, as ../exercises/NN_name.ipynb"
        )
    missing = [link for link in links if not (notebook.parent / link).resolve().is_file()]
    assert not missing, (
        f"{notebook.name} links exercise(s) that do not exist: {missing}. The learner versions are generated "
        "from autograded/source/ by `make exercises`."
    )


@pytest.mark.parametrize("notebook", MODULES, ids=[p.stem for p in MODULES])
def test_every_relative_link_of_a_module_points_to_a_file(notebook):
    missing = [link for link in relative_links(notebook) if not (notebook.parent / link).resolve().exists()]
    assert not missing, f"{notebook.name} links files that do not exist (relative to modules/): {missing}"

"""The website (make site): every page, its links and figures, the refreshers' numbers, accessibility."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from course_tools.site import REFRESHER_TAG, SiteError, cell_errors, check_site, refresher_markdown
from tests.site.conftest import run_axe

REPO_ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted((REPO_ROOT / "modules").glob("[0-9][0-9]_*.ipynb"))
TAUGHT = [p for p in MODULES if p.stem != "00_start_here"]


def _recorded_text(name, cell_id):
    recording = json.loads((REPO_ROOT / "tests/modules/expected_outputs" / f"{name}.json").read_text())
    outputs = recording["cells"][cell_id]["outputs"]
    return "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream").strip()


@pytest.mark.parametrize("path", TAUGHT, ids=lambda p: p.stem)
def test_every_module_tags_checked_cells_for_its_refresher(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if c.cell_type == "code" and REFRESHER_TAG in c.metadata.get("tags", [])]
    assert tagged, f"{path.name}: tag the code cells whose numbers carry the lesson '{REFRESHER_TAG}'"
    for cell in tagged:
        assert cell.source.startswith("# NBVAL_CHECK_OUTPUT"), (
            f"{path.name}: cell {cell.id} is quoted by the refresher, so its output must be checked "
            "(# NBVAL_CHECK_OUTPUT): the refresher never shows a number the tests do not check."
        )


def test_every_page_exists(site):
    pages = set(site.pages)
    expected = {"index.html", "refreshers/index.html", "docs/GLOSSARY.html", "search.html"}
    expected |= {f"modules/{p.stem}.html" for p in MODULES}
    expected |= {f"refreshers/{p.stem}.html" for p in TAUGHT}
    expected |= {f"exercises/{p.stem}.html" for p in sorted((REPO_ROOT / "exercises").glob("*.ipynb"))}
    assert expected <= pages, f"missing pages: {sorted(expected - pages)}"


@pytest.mark.parametrize("path", TAUGHT, ids=lambda p: p.stem)
def test_refresher_quotes_the_notebooks_checked_outputs(site, path):
    page = (site.html.parent / "source" / "refreshers" / f"{path.stem}.md").read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and REFRESHER_TAG in cell.metadata.get("tags", []):
            recorded = _recorded_text(path.stem, cell.id)
            if recorded:
                assert recorded in page, f"{path.stem}: the refresher does not quote cell {cell.id}'s checked output"


def test_refresher_needs_its_parts():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\n\n## Take-away\n\nIt matters.")])
    with pytest.raises(SiteError, match="Interview angle"):
        refresher_markdown(nb, "99_x")
    nb.cells.append(nbformat.v4.new_markdown_cell("## Interview angle\n\nSay it in money."))
    with pytest.raises(SiteError, match="no code cell is tagged"):
        refresher_markdown(nb, "99_x")
    cell = nbformat.v4.new_code_cell("print(1)", metadata={"tags": [REFRESHER_TAG]})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb.cells.append(cell)
    text = refresher_markdown(nb, "99_x")
    assert "It matters." in text and "Say it in money." in text and "```text\n1\n```" in text


def test_refresher_quotes_prints_split_over_several_messages_as_one_block():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# T\n\n## Take-away\n\nIt matters."),
            nbformat.v4.new_markdown_cell("## Interview angle\n\nSay it."),
        ]
    )
    cell = nbformat.v4.new_code_cell("print(1); print(2)", metadata={"tags": [REFRESHER_TAG]})
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stdout", text="2\n"),
    ]
    nb.cells.append(cell)
    assert "```text\n1\n2\n```" in refresher_markdown(nb, "99_x")


def test_a_cell_error_is_named():
    cell = nbformat.v4.new_code_cell("1 / 0")
    cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="", traceback=[])]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x"), cell])
    assert cell_errors(nb) == [(2, "1 / 0", "ZeroDivisionError")]


def test_broken_links_and_missing_alt_text_are_named(tmp_path):
    (tmp_path / "index.html").write_text(
        '<p id="top"><a href="other.html">x</a> <a href="index.html#nowhere">y</a> <img src="a.png"></p>'
    )
    with pytest.raises(SiteError) as info:
        check_site(tmp_path)
    message = str(info.value)
    assert "other.html points to a missing page" in message
    assert "#nowhere points to a missing anchor" in message
    assert "a.png has no alt text" in message


@pytest.mark.browser
@pytest.mark.parametrize(
    "page", ["index.html", "modules/03_thresholds_and_costs.html", "refreshers/03_thresholds_and_costs.html"]
)
def test_pages_have_no_serious_accessibility_violation(site, chromium, axe_script, page):
    tab = chromium.new_page()
    try:
        tab.goto((site.html / page).as_uri())
        violations = run_axe(tab, axe_script)
    finally:
        tab.close()
    assert not violations, f"{page}: axe-core finds {violations}"

"""course_tools.notebooks: the stored form of notebooks and the rules the hygiene test applies."""

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_tools.notebooks import check_notebook, dumps_notebook, main, normalize, normalize_notebook

NBGRADER_ANSWER = {
    "grade": False,
    "solution": True,
    "locked": False,
    "grade_id": "q1-answer",
    "schema_version": 3,
    "task": False,
}


def _module_notebook(*extra_cells):
    return new_notebook(
        cells=[
            new_markdown_cell("# Module\n\n## Learning objectives\n\n- learn"),
            new_code_cell("x = 1 + 1"),
            *extra_cells,
            new_markdown_cell("## Take-away\n\n- remember"),
        ]
    )


def _write(folder, nb, name="01_demo.ipynb", stored=True):
    path = folder / name
    path.write_text(dumps_notebook(normalize_notebook(nb)) if stored else nbformat.writes(nb), encoding="utf-8")
    return path


@pytest.fixture
def modules_dir(tmp_path):
    folder = tmp_path / "modules"
    folder.mkdir()
    return folder


def test_normalize_clears_outputs_keeps_nbgrader_metadata_and_is_stable():
    answer = new_code_cell("### BEGIN SOLUTION\nx = 2\n### END SOLUTION", metadata={"nbgrader": NBGRADER_ANSWER})
    answer.outputs = [new_output("stream", name="stdout", text="2\n")]
    answer.execution_count = 7
    answer.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    nb = new_notebook(cells=[answer], metadata={"kernelspec": {"name": "ir", "display_name": "R"}})
    del nb.cells[0]["id"]
    nb.nbformat_minor = 4

    clean = normalize_notebook(nb)
    cell = clean.cells[0]
    assert (cell.outputs, cell.execution_count) == ([], None)
    assert cell.metadata == {"nbgrader": NBGRADER_ANSWER}
    assert clean.metadata.kernelspec.name == "python3" and clean.nbformat_minor == 5
    text = dumps_notebook(clean)
    assert text == dumps_notebook(normalize_notebook(nb)), "ids must not depend on the run"
    assert text == dumps_notebook(normalize_notebook(json.loads(text))), "normalizing twice changes nothing"
    assert text.endswith("}\n") and '\n "cells": [' in text


def test_duplicate_ids_are_replaced_and_valid_ones_kept():
    nb = new_notebook(cells=[new_code_cell("a = 1"), new_code_cell("b = 2"), new_code_cell("c = 3")])
    nb.cells[0]["id"], nb.cells[1]["id"], nb.cells[2]["id"] = "keep-me", "keep-me", "other"
    ids = [cell.id for cell in normalize_notebook(nb).cells]
    assert ids[0] == "keep-me" and ids[2] == "other" and len(set(ids)) == 3


def test_a_clean_module_notebook_has_no_violation(modules_dir):
    assert check_notebook(_write(modules_dir, _module_notebook())) == []


def test_outputs_and_execution_counts_are_reported_with_notebook_and_cell(modules_dir):
    printing = new_code_cell("print('fraud rate')")
    printing.outputs = [new_output("stream", name="stdout", text="fraud rate\n")]
    printing.execution_count = 3
    path = _write(modules_dir, _module_notebook(printing), stored=False)

    messages = [str(v) for v in check_notebook(path, rules=["stored-form"])]
    assert any("01_demo.ipynb, cell 3 (code" in m and "holds 1 output(s)" in m for m in messages), messages
    assert any("cell 3" in m and "execution count" in m for m in messages), messages
    assert "make normalize" in messages[-1]
    normalize([path])
    assert check_notebook(path) == []


def test_a_syntax_error_is_reported_with_its_cell_and_magics_are_allowed(modules_dir):
    nb = _module_notebook(
        new_code_cell("%matplotlib inline\n!echo hi\nawait something()"), new_code_cell("def broken(:\n    pass")
    )
    violations = check_notebook(_write(modules_dir, nb), rules=["syntax"])
    assert len(violations) == 1
    assert "cell 4 (code" in str(violations[0]) and "'def broken(:'" in str(violations[0])
    assert "SyntaxError at line 1" in str(violations[0])


def test_cells_marked_to_raise_are_not_syntax_checked(modules_dir):
    nb = _module_notebook(new_code_cell("# NBVAL_RAISES_EXCEPTION\ndef broken(:"))
    assert check_notebook(_write(modules_dir, nb), rules=["syntax"]) == []


@pytest.mark.parametrize(
    "source, flagged",
    [
        ("df = load('/work/main/datasets/x.csv')", True),
        ("open('/home/ana/data.csv')", True),
        ("open('/root/data.csv')", True),
        ("open(r'C:\\Users\\ana\\data.csv')", True),
        ("url = 'https://example.org/home/page'", False),
        ("path = 'datasets/transactions.csv.gz'", False),
    ],
)
def test_machine_paths(modules_dir, source, flagged):
    violations = check_notebook(_write(modules_dir, _module_notebook(new_code_cell(source))), rules=["machine-paths"])
    assert bool(violations) is flagged
    if flagged:
        assert "cell 3 (code" in str(violations[0])


def test_module_rules_apply_only_to_module_notebooks(tmp_path, modules_dir):
    bare = new_notebook(cells=[new_code_cell("x = 1")])
    found = {v.rule for v in check_notebook(_write(modules_dir, bare))}
    assert found == {"objectives", "takeaway"}
    assignment = tmp_path / "source"
    assignment.mkdir()
    assert check_notebook(_write(assignment, bare)) == []


def test_wrong_kernel_and_invalid_files_are_reported(modules_dir):
    nb = _module_notebook()
    text = dumps_notebook(normalize_notebook(nb)).replace('"name": "python3"', '"name": "julia-1.10"')
    path = modules_dir / "01_julia.ipynb"
    path.write_text(text, encoding="utf-8")
    assert "names kernel 'julia-1.10'" in str(check_notebook(path, rules=["kernelspec"])[0])

    broken = modules_dir / "02_broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    (violation,) = check_notebook(broken)
    assert violation.rule == "nbformat" and "02_broken.ipynb" in str(violation)
    with pytest.raises(ValueError, match="02_broken.ipynb: cannot normalize"):
        normalize([broken])


def test_unknown_rule_is_an_error(modules_dir):
    with pytest.raises(ValueError, match="Unknown rule"):
        check_notebook(_write(modules_dir, _module_notebook()), rules=["spelling"])


def test_command_line(modules_dir, capsys):
    dirty = new_code_cell("1 + 1")
    dirty.outputs = [new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    path = _write(modules_dir, _module_notebook(dirty), stored=False)
    assert main(["check", str(modules_dir)]) == 1
    assert "1 notebook(s), " in capsys.readouterr().out
    assert main(["normalize", str(path)]) == 0
    assert main(["check", str(path)]) == 0
    assert main(["check", str(modules_dir / "missing.ipynb")]) == 2
    assert "no such file" in capsys.readouterr().err

"""The notebook harness itself: it must fail when it should, and name the notebook and cell.

Runs pytest (in-process, with pytester) on small notebooks in a temporary folder, with
the harness loaded as a plugin, as ``make test`` and ``make snapshot`` use it.
"""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbval.plugin import get_sanitize_patterns

from course_tools.notebooks import dumps_notebook, normalize_notebook
from tests.modules import harness
from tests.modules.harness import REPO_ROOT, SANITIZE_FILE
from tests.modules.notebook_items import source_digest

pytest_plugins = ["pytester"]

EXPECTED_DIR = Path(__file__).parent / "expected_outputs"
CHECKED = "# NBVAL_CHECK_OUTPUT\nprint(answer)"


def _notebook(folder, name, *sources):
    nb = new_notebook(cells=[new_markdown_cell("# Demo")] + [new_code_cell(s) for s in sources])
    for position, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{position}"
    (folder / f"{name}.ipynb").write_text(dumps_notebook(normalize_notebook(nb)), encoding="utf-8")


def _recording(folder, name, cells):
    (folder / f"{name}.json").write_text(json.dumps({"cells": cells}), encoding="utf-8")


def _stdout(text):
    return {
        "outputs": [{"output_type": "stream", "name": "stdout", "text": text}],
        "source_sha256": source_digest(CHECKED),
    }


def _pytest(pytester, *args):
    result = pytester.runpytest_inprocess(
        "-p", "tests.modules.harness", "-p", "no:cacheprovider", "-q", "-rA", "--color=no", *args
    )
    return result.ret, result.stdout.str()


@pytest.fixture
def course_root(pytester, monkeypatch):
    # executed copies of these demo notebooks must not land beside the course's (build/executed/)
    monkeypatch.setattr(harness, "EXECUTED_DIR", pytester.path / "executed")
    pytester.makeini("[pytest]\ncourse_notebooks = modules\ncourse_expected_outputs = expected\n")
    for folder in ("modules", "expected"):
        pytester.mkdir(folder)
    return pytester


def test_record_then_check(course_root):
    modules, expected = course_root.path / "modules", course_root.path / "expected"
    _notebook(modules, "good", "answer = 6 * 7", CHECKED, "# NBVAL_IGNORE_OUTPUT\nprint(object())")
    _notebook(modules, "broken", "answer = 1", CHECKED, "raise RuntimeError('boom')")

    status, out = _pytest(course_root, "--record-expected-outputs", "modules")
    assert status == 1, out  # the broken notebook fails...
    assert "NOT RECORDED: modules/broken.ipynb" in out
    assert not (expected / "broken.json").exists()  # ...and is not recorded
    assert json.loads((expected / "good.json").read_text())["cells"] == {"cell-2": _stdout("42\n")}

    # The recorded notebook grows every kind of trouble, so that one kernel is enough.
    (modules / "broken.ipynb").unlink()
    _notebook(
        modules,
        "good",
        "answer = 6 * 7",
        CHECKED,
        "# NBVAL_IGNORE_OUTPUT\nprint(object())",
        "# NBVAL_CHECK_OUTPUT\nprint(answer * 2)",
        "# NBVAL_CHECK_OUTPUT\nprint(answer + 1)",
        "# NBVAL_CHECK_OUTPUT\nprint(answer - 1)",
        "def broken(:\n    pass",
    )
    recording = json.loads((expected / "good.json").read_text())
    recording["cells"].update(
        {
            "cell-4": {**_stdout("0\n"), "source_sha256": source_digest("# NBVAL_CHECK_OUTPUT\nprint(answer * 2)")},
            "cell-6": {**_stdout("41\n"), "source_sha256": source_digest("print(answer - 2)")},  # stale
            "gone": _stdout("0\n"),  # a cell that no longer exists
        }
    )
    (expected / "good.json").write_text(json.dumps(recording))

    status, out = _pytest(course_root, "modules")
    assert status == 1, out
    assert "PASSED modules/good.ipynb::Cell 1" in out  # the recorded output was compared and matched
    assert "FAILED modules/good.ipynb::Cell 3 - Notebook cell execution failed" in out
    assert "Cell 3: Cell outputs differ" in out and "'0\\n' == '84\\n'" in out
    assert (
        "modules/good.ipynb, cell 6 (code, id 'cell-5': 'print(answer + 1)'): marked # NBVAL_CHECK_OUTPUT "
        "but no expected output is recorded in expected/good.json; "
        "run `make snapshot NB=modules/good.ipynb`"
    ) in out
    assert "modules/good.ipynb, cell 7 (code, id 'cell-6': 'print(answer - 1)'): the cell's source changed" in out
    assert "FAILED modules/good.ipynb::Cell 6 - Notebook cell execution failed" in out and "SyntaxError" in out
    assert "expected/good.json records cell id(s) ['gone']" in out
    assert out.splitlines()[-1].startswith("5 failed, 3 passed")


def test_nbval_own_collection_is_refused():
    config = SimpleNamespace(
        stash={},
        pluginmanager=SimpleNamespace(has_plugin=lambda name: True),
        option=SimpleNamespace(nbval=False, nbval_lax=True),
    )
    with pytest.raises(pytest.UsageError, match="Do not pass --nbval or --nbval-lax"):
        harness.pytest_configure(config)


@pytest.mark.parametrize(
    "text, sanitized",
    [
        ("<Figure at 0x7f3a2b1c9d90>", "<Figure at <address>>"),
        ("CPU times: user 1.2 s, sys: 3 ms\nWall time: 1.3 s\n", "CPU times: <time>\nWall time: <time>\n"),
        ("1.23 ms ± 45.6 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)", "<timeit>"),
        ("fit took 2.31 s.", "fit took <duration>."),
        ("saved to /tmp/pytest-of-root/x.csv", "saved to <tmp-path>"),
        ("precision 0.8123 at 500 alerts/day, p99 35 ms, cost EUR 0x12", None),  # real numbers stay
    ],
)
def test_sanitize_rules(text, sanitized):
    patterns = get_sanitize_patterns(SANITIZE_FILE.read_text(encoding="utf-8"))
    result = text
    for regex, replace in patterns:
        result = re.sub(regex, replace, result)
    assert result == (text if sanitized is None else sanitized)
    again = result
    for regex, replace in patterns:
        again = re.sub(regex, replace, again)
    assert again == result, "sanitizing twice must change nothing"


def test_every_recording_belongs_to_a_module_notebook():
    for recording in EXPECTED_DIR.glob("*.json"):
        notebook = REPO_ROOT / "modules" / f"{recording.stem}.ipynb"
        assert notebook.exists(), f"{recording.relative_to(REPO_ROOT)} records a notebook that is gone: delete it"
        assert json.loads(recording.read_text())["notebook"] == f"modules/{notebook.name}"


def test_assignment_sources_run_and_learner_versions_never_do(pytester):
    pytester.makeini(
        "[pytest]\ncourse_notebooks = modules\ncourse_assignment_sources = source\ncourse_expected_outputs = expected\n"
    )
    for folder in ("modules", "source/01_demo", "exercises", "expected"):
        (pytester.path / folder).mkdir(parents=True)
    _notebook(pytester.path / "source" / "01_demo", "01_demo", "answer = 6 * 7", "assert answer == 42")
    _notebook(pytester.path / "exercises", "01_demo", "raise NotImplementedError()", "assert answer == 42")

    status, out = _pytest(pytester, "source", "exercises")
    assert status == 0, out
    assert "PASSED source/01_demo/01_demo.ipynb::Cell 1" in out
    assert "exercises/01_demo.ipynb" not in out  # a learner version is never collected
    assert out.splitlines()[-1].startswith("2 passed")


def test_an_executed_module_is_kept_as_soon_as_its_last_cell_passes(course_root, monkeypatch, tmp_path):
    # the website and app tests of the same run read it: written at the end, it came too late
    executed = tmp_path / "executed"
    monkeypatch.setattr(harness, "EXECUTED_DIR", executed)
    _notebook(course_root.path / "modules", "good", "answer = 42", "print(answer)")
    _notebook(course_root.path / "modules", "broken", "answer = 42", "1 / 0")
    course_root.makepyfile(
        test_after=f"""
        from pathlib import Path

        def test_the_passed_notebook_is_there_already():
            assert (Path({str(executed)!r}) / "good.ipynb").is_file()
            assert not (Path({str(executed)!r}) / "broken.ipynb").exists()
        """
    )
    status, out = _pytest(course_root, "modules/good.ipynb", "modules/broken.ipynb", "test_after.py")
    assert "PASSED test_after.py::test_the_passed_notebook_is_there_already" in out, out
    assert status == 1  # the broken notebook's failing cell

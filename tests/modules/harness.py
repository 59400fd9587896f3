"""The notebook harness: every notebook in ``modules/`` runs under nbval in plain ``pytest``.

Loaded for every pytest run by the repository's root ``conftest.py``, so both
``make test`` and ``pytest modules/01_class_imbalance.ipynb`` use it.

- Every code cell must run without error, in a kernel of the current environment,
  with a per-cell timeout (60 s) and the sanitizing rules of ``tests/nbval_sanitize.cfg``.
- Cells marked ``# NBVAL_CHECK_OUTPUT`` have their output compared with an expected
  output. Notebooks are committed without outputs, so the expected outputs live
  beside the tests, in ``tests/modules/expected_outputs/<notebook>.json``, keyed by
  cell id and by a hash of the cell's source; this harness puts them back into the
  cells when it collects the notebook. A marked cell without a recording, or whose
  source changed since it was recorded, fails and says which cell and what to run.
- ``pytest --record-expected-outputs modules/NB.ipynb`` (``make snapshot``) runs the
  notebook and (re)writes its recording, but only when every cell ran.

nbval's own ``--nbval``/``--nbval-lax`` collection is refused: it would run the same
notebooks a second time without their expected outputs, and ``autograded/`` holds
student notebooks that must never run under nbval (their stubs raise by design).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile

from course.notebooks import describe_cell

REPO_ROOT = Path(__file__).resolve().parents[2]
CELL_TIMEOUT_SECONDS = 60.0
SANITIZE_FILE = REPO_ROOT / "tests" / "nbval_sanitize.cfg"
NBVAL_DEFAULT_CELL_TIMEOUT = 2000.0
# nbval never compares these (unless --nbdime), so they are not recorded either.
NOT_COMPARED = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}
RECORDINGS = pytest.StashKey[list]()
RECORD_MESSAGES = pytest.StashKey[list]()


def pytest_addoption(parser):
    group = parser.getgroup("course notebooks", "High-Stakes ML notebook harness")
    group.addoption(
        "--record-expected-outputs", action="store_true", default=False,
        help="run the module notebooks and (re)write the expected outputs of their "
             "# NBVAL_CHECK_OUTPUT cells (what `make snapshot` runs)",
    )
    parser.addini("course_notebooks", "folder of the notebooks the harness runs", default="modules")
    parser.addini(
        "course_expected_outputs", "folder of the recorded expected outputs",
        default="tests/modules/expected_outputs",
    )


def _nbval_active(config):
    return config.pluginmanager.has_plugin("nbval")


def pytest_configure(config):
    config.stash[RECORDINGS] = []
    if not _nbval_active(config):
        if config.option.record_expected_outputs:
            raise pytest.UsageError("--record-expected-outputs needs nbval: drop -p no:nbval.")
        return
    option = config.option
    if option.nbval or option.nbval_lax:
        raise pytest.UsageError(
            "Do not pass --nbval or --nbval-lax: the course's harness (tests/modules/harness.py) "
            "already runs every notebook of modules/ with its recorded expected outputs, and "
            "nbval must never run the student notebooks of autograded/."
        )
    if option.nbval_cell_timeout == NBVAL_DEFAULT_CELL_TIMEOUT:
        option.nbval_cell_timeout = CELL_TIMEOUT_SECONDS
    if not option.nbval_kernel_name:
        option.nbval_current_env = True
    if not option.nbval_sanitize_with:
        option.nbval_sanitize_with = str(SANITIZE_FILE)


def _ini_path(config, name):
    return (config.rootpath / config.getini(name)).resolve()


def pytest_collect_file(file_path, parent):
    config = parent.config
    if file_path.suffix != ".ipynb" or not _nbval_active(config):
        return None
    if file_path.resolve().parent != _ini_path(config, "course_notebooks"):
        return None
    return CourseNotebook.from_parent(parent, path=file_path)


def source_digest(source):
    """The hash that ties a recorded output to the exact source of its cell."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _display(path):
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


class CourseNotebook(IPyNbFile):
    """nbval's notebook collector in lax mode, with expected outputs put back from disk."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False  # lax mode: only marked cells are compared
        self.expected_path = _ini_path(self.config, "course_expected_outputs") / f"{self.path.stem}.json"
        self.recording = self.config.option.record_expected_outputs
        self.recorded = {}
        self.cell_items = []
        if self.recording:
            self.config.stash[RECORDINGS].append(self)

    def _load_expected(self):
        if not self.expected_path.exists():
            return {}
        try:
            return json.loads(self.expected_path.read_text(encoding="utf-8"))["cells"]
        except (ValueError, KeyError) as exc:
            raise pytest.UsageError(
                f"{_display(self.expected_path)} is not a valid recording ({exc}): "
                f"re-record it with `make snapshot NB={_display(self.path)}`."
            ) from None

    def collect(self):
        expected = {} if self.recording else self._load_expected()
        snapshot_hint = f"run `make snapshot NB={_display(self.path)}` and commit the recording"
        for item in super().collect():
            cell = item.cell
            index = next(i for i, c in enumerate(self.nb.cells) if c is cell)
            where = f"{_display(self.path)}, {describe_cell(index, cell)}"
            # Outputs come only from the recording, never from the committed file.
            cell.outputs, cell.execution_count = [], None
            item.expected_output_problem = None
            if item.options["check"] and not self.recording:
                entry = expected.get(cell.get("id"))
                if not cell.get("id"):
                    item.expected_output_problem = f"{where}: has no cell id; run `make normalize`, then {snapshot_hint}."
                elif entry is None:
                    item.expected_output_problem = (
                        f"{where}: marked # NBVAL_CHECK_OUTPUT but no expected output is recorded "
                        f"in {_display(self.expected_path)}; {snapshot_hint}."
                    )
                elif entry.get("source_sha256") != source_digest(cell.source):
                    item.expected_output_problem = (
                        f"{where}: the cell's source changed since its expected output was recorded "
                        f"(stale recording); {snapshot_hint}."
                    )
                else:
                    cell.outputs = [nbformat.from_dict(output) for output in entry["outputs"]]
                    cell.execution_count = 1  # nbval only compares cells that "ran"
            cell_item = CourseCell.from_parent(
                self, name=item.name, cell_num=item.cell_num, cell=cell, options=item.options
            )
            cell_item.expected_output_problem = item.expected_output_problem
            self.cell_items.append(cell_item)
            yield cell_item
        if not self.recording:
            marked = {item.cell.get("id") for item in self.cell_items if item.options["check"]}
            orphans = sorted(set(expected) - marked)
            if orphans:
                yield OrphanRecordings.from_parent(self, name="expected outputs", orphans=orphans)

    def record(self, item):
        outputs = []
        for output in item.test_outputs or []:
            kept = {"output_type": output["output_type"]}
            for key in ("name", "text", "ename", "evalue"):
                if key in output:
                    kept[key] = item.sanitize(output[key])
            if "data" in output:
                kept["data"] = {
                    mime: item.sanitize(value) for mime, value in output["data"].items()
                    if mime not in NOT_COMPARED
                }
                kept["metadata"] = {}
            outputs.append(kept)
        self.recorded[item.cell["id"]] = {"source_sha256": source_digest(item.cell.source), "outputs": outputs}


class ExpectedOutputProblem(Exception):
    """A checked cell whose expected output is missing or stale."""


class CourseCell(IPyNbCell):
    """One code cell: nbval runs it; then the harness checks or records its expected output."""

    expected_output_problem = None
    passed = False

    def runtest(self):
        super().runtest()  # always run it: the cells after it need its state
        if self.expected_output_problem:
            raise ExpectedOutputProblem(self.expected_output_problem)
        if self.parent.recording and self.options["check"]:
            self.parent.record(self)
        self.passed = True

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ExpectedOutputProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class OrphanRecordings(pytest.Item):
    """Fails when the recording holds cells that are gone or no longer marked."""

    def __init__(self, *, orphans, **kwargs):
        super().__init__(**kwargs)
        self.orphans = orphans

    def runtest(self):
        parent = self.parent
        raise pytest.fail.Exception(
            f"{_display(parent.expected_path)} records cell id(s) {self.orphans} that "
            f"{_display(parent.path)} no longer has or no longer marks # NBVAL_CHECK_OUTPUT; "
            f"run `make snapshot NB={_display(parent.path)}`.",
            pytrace=False,
        )

    def reportinfo(self):
        return self.parent.path, None, f"{_display(self.parent.path)}::expected outputs"


def pytest_sessionfinish(session):
    """In record mode, write the recording of every notebook whose cells all ran and passed."""
    messages = session.config.stash.setdefault(RECORD_MESSAGES, [])
    for notebook in session.config.stash.get(RECORDINGS, []):
        failed = [item.name for item in notebook.cell_items if not item.passed]
        if failed or not notebook.cell_items:
            messages.append((False, (
                f"NOT RECORDED: {_display(notebook.path)}: {failed or 'no cell'} did not run and pass; "
                "expected outputs are only recorded from a complete, clean run."
            )))
            continue
        if notebook.recorded:
            content = {
                "_comment": "Expected outputs of the # NBVAL_CHECK_OUTPUT cells. Written by "
                            "`make snapshot`; do not edit by hand.",
                "notebook": _display(notebook.path),
                "cells": notebook.recorded,
            }
            notebook.expected_path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            notebook.expected_path.write_text(text, encoding="utf-8")
            message = f"recorded {len(notebook.recorded)} cell(s) in {_display(notebook.expected_path)}"
        else:
            notebook.expected_path.unlink(missing_ok=True)
            message = "no # NBVAL_CHECK_OUTPUT cell, nothing to record"
        messages.append((True, f"{_display(notebook.path)}: {message}"))


def pytest_terminal_summary(terminalreporter, config):
    for ok, message in config.stash.get(RECORD_MESSAGES, []):
        terminalreporter.write_line(message, green=ok, red=not ok)

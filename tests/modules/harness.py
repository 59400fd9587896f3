"""The notebook harness: every notebook in ``modules/`` runs under nbval in plain ``pytest``,
and so does an assignment's SOURCE notebook (``autograded/source/NN_name/NN_name.ipynb``) when
its path is given (``make test`` runs the sources in the grading tests instead:
``tests/grading/corpus.py`` runs each cell by cell, then grades its answer corpora in that kernel).

Loaded for every pytest run by the repository's root ``conftest.py``, so both
``make test`` and ``pytest modules/01_class_imbalance.ipynb`` use it.

- An assignment's source notebook holds its solutions and its visible and hidden tests:
  run cell by cell, a broken solution or test is reported at its cell (the grading
  pipeline, ``tests/grading``, grades the same notebook through nbgrader as a whole).
  The learner versions (``autograded/release/``, ``exercises/``) are never collected:
  their stubs raise ``NotImplementedError`` by design.

- Every code cell must run without error, in a kernel of the current environment,
  with a per-cell timeout (60 s) and the sanitizing rules of ``tests/nbval_sanitize.cfg``.
- Cells marked ``# NBVAL_CHECK_OUTPUT`` have their output compared with an expected
  output. Notebooks are committed without outputs, so the expected outputs live
  beside the tests, in ``tests/modules/expected_outputs/<notebook>.json``, keyed by
  cell id and by a hash of the cell's source; the collector puts them back into the
  cells when it reads the notebook (``notebook_items.py``). A marked cell without a
  recording, or whose source changed since it was recorded, fails and says which
  cell and what to run.
- ``pytest --record-expected-outputs modules/NB.ipynb`` (``make snapshot``) runs the
  notebook and (re)writes its recording, but only when every cell ran and passed.

Every test run records learner progress (``check``, quizzes) in a temporary file, never in
the progress file of the person running the tests: ``HSML_PROGRESS_FILE`` is pointed at a
temporary folder for the session (kernels inherit it).

nbval's own ``--nbval``/``--nbval-lax`` collection is refused: it would run the same
notebooks a second time without their expected outputs, and ``autograded/`` holds
student notebooks that must never run under nbval (their stubs raise by design).
With ``-p no:nbval`` (``make test-fast``) no notebook is collected.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CELL_TIMEOUT_SECONDS = 60.0
SANITIZE_FILE = REPO_ROOT / "tests" / "nbval_sanitize.cfg"
NBVAL_DEFAULT_CELL_TIMEOUT = 2000.0
RECORDINGS = pytest.StashKey[list]()  # the notebooks run in record mode
NOTEBOOKS = pytest.StashKey[list]()  # every module notebook collected
# Executed copies of the module notebooks (all cells ran and passed), for the website
# (course_tools.site): make test runs each notebook once, and the site reuses its outputs.
EXECUTED_DIR = REPO_ROOT / "build" / "executed"
RECORD_MESSAGES = pytest.StashKey[list]()
PROGRESS_FILE_ENV = "HSML_PROGRESS_FILE"  # course.grading.tracking reads it
SAVED_PROGRESS_ENV = pytest.StashKey[tuple]()


def pytest_addoption(parser):
    group = parser.getgroup("course notebooks", "High-Stakes ML notebook harness")
    group.addoption(
        "--record-expected-outputs",
        action="store_true",
        default=False,
        help="run the module notebooks and (re)write the expected outputs of their "
        "# NBVAL_CHECK_OUTPUT cells (what `make snapshot` runs)",
    )
    parser.addini("course_notebooks", "folder of the notebooks the harness runs", default="modules")
    parser.addini(
        "course_assignment_sources",
        "folder of the assignments' source notebooks (<folder>/NN_name/NN_name.ipynb) the harness runs",
        default="autograded/source",
    )
    parser.addini(
        "course_expected_outputs",
        "folder of the recorded expected outputs",
        default="tests/modules/expected_outputs",
    )


def nbval_active(config):
    return config.pluginmanager.has_plugin("nbval")


def ini_path(config, name):
    return (config.rootpath / config.getini(name)).resolve()


def display(path, root=REPO_ROOT):
    """A path as the person reading the message sees it: relative to the repository."""
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)


def pytest_configure(config):
    config.stash[RECORDINGS] = []
    config.stash[RECORD_MESSAGES] = []
    folder = tempfile.mkdtemp(prefix="hsml-progress-")
    config.stash[SAVED_PROGRESS_ENV] = (os.environ.get(PROGRESS_FILE_ENV), folder)
    os.environ[PROGRESS_FILE_ENV] = os.path.join(folder, "progress.json")
    config.stash[NOTEBOOKS] = []
    if not nbval_active(config):
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


def pytest_unconfigure(config):
    saved, folder = config.stash.get(SAVED_PROGRESS_ENV, (None, None))
    if folder is None:
        return
    if saved is None:
        os.environ.pop(PROGRESS_FILE_ENV, None)
    else:
        os.environ[PROGRESS_FILE_ENV] = saved
    shutil.rmtree(folder, ignore_errors=True)


def pytest_collect_file(file_path, parent):
    config = parent.config
    if file_path.suffix != ".ipynb" or not nbval_active(config):
        return None
    folder = file_path.resolve().parent
    if folder == ini_path(config, "course_notebooks"):
        from tests.modules.notebook_items import CourseNotebook  # imports nbval, only when it runs

        return CourseNotebook.from_parent(parent, path=file_path)
    if folder.parent == ini_path(config, "course_assignment_sources"):
        from tests.modules.notebook_items import AssignmentSourceNotebook

        return AssignmentSourceNotebook.from_parent(parent, path=file_path)
    return None


def pytest_sessionfinish(session):
    """In record mode, write the recordings. (Each module notebook that fully passed was written
    to ``EXECUTED_DIR`` as soon as its last cell passed, for the website tests of the same run.)"""
    messages = session.config.stash[RECORD_MESSAGES]
    for notebook in session.config.stash[RECORDINGS]:
        show = notebook.display
        if not notebook.cell_items:  # collected but not selected (another NB= was asked for)
            continue
        failed = [item.name for item in notebook.cell_items if not item.passed]
        if failed:
            messages.append(
                (
                    False,
                    (
                        f"NOT RECORDED: {show(notebook.path)}: {failed} did not run and pass; "
                        "expected outputs are only recorded from a complete, clean run."
                    ),
                )
            )
            continue
        if notebook.recorded:
            content = {
                "_comment": "Expected outputs of the # NBVAL_CHECK_OUTPUT cells. Written by "
                "`make snapshot`; do not edit by hand.",
                "notebook": show(notebook.path),
                "cells": notebook.recorded,
            }
            notebook.expected_path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            notebook.expected_path.write_text(text, encoding="utf-8")
            message = f"recorded {len(notebook.recorded)} cell(s) in {show(notebook.expected_path)}"
        else:
            notebook.expected_path.unlink(missing_ok=True)
            message = "no # NBVAL_CHECK_OUTPUT cell, nothing to record"
        messages.append((True, f"{show(notebook.path)}: {message}"))


def pytest_terminal_summary(terminalreporter, config):
    for ok, message in config.stash.get(RECORD_MESSAGES, []):
        terminalreporter.write_line(message, green=ok, red=not ok)

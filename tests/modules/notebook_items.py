"""nbval's collector and cell item, with the expected outputs recorded beside the tests.

Used by ``harness.py`` (read its docstring first); imported only when nbval is active.
"""

from __future__ import annotations

import copy
import hashlib
import json

import nbformat
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile

from course_tools.notebooks import describe_cell
from tests.modules import harness

# Run in a module's kernel after its last cell: the state of its widgets, as JSON on stdout.
WIDGET_STATE_CODE = (
    "import json as _hsml_json\n"
    "from ipywidgets import Widget as _HsmlWidget\n"
    "print(_hsml_json.dumps(_HsmlWidget.get_manager_state(drop_defaults=False)))\n"
    "del _hsml_json, _HsmlWidget\n"
)

# nbval never compares these (unless --nbdime), so they are not recorded either.
NOT_COMPARED = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}


def source_digest(source):
    """The hash that ties a recorded output to the exact source of its cell."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


class ExpectedOutputProblem(Exception):
    """A checked cell whose expected output is missing or stale."""


class CourseNotebook(IPyNbFile):
    """nbval's notebook collector in lax mode, with the expected outputs put back from disk."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False  # lax mode: only marked cells are compared
        self.expected_path = harness.ini_path(self.config, "course_expected_outputs") / f"{self.path.stem}.json"
        self.recording = self.config.option.record_expected_outputs
        self.recorded = {}
        self.cell_items = []
        # module notebooks only: the website and app show them (course_tools.site)
        self.shows_on_site = self.path.resolve().parent == harness.ini_path(self.config, "course_notebooks")
        self.config.stash[harness.NOTEBOOKS].append(self)
        if self.recording:
            self.config.stash[harness.RECORDINGS].append(self)

    def display(self, path):
        return harness.display(path, root=self.config.rootpath)

    def _load_expected(self):
        if not self.expected_path.exists():
            return {}
        try:
            return json.loads(self.expected_path.read_text(encoding="utf-8"))["cells"]
        except (ValueError, KeyError) as exc:
            raise pytest.UsageError(
                f"{self.display(self.expected_path)} is not a valid recording ({exc}): "
                f"re-record it with `make snapshot NB={self.display(self.path)}`."
            ) from None

    def _expected_output_problem(self, cell, index, expected):
        """Put the recorded outputs into ``cell``, or say why they cannot be used."""
        where = f"{self.display(self.path)}, {describe_cell(index, cell)}"
        hint = f"run `make snapshot NB={self.display(self.path)}` and commit the recording"
        entry = expected.get(cell.get("id"))
        if not cell.get("id"):
            return f"{where}: has no cell id; run `make normalize`, then {hint}."
        if entry is None:
            return (
                f"{where}: marked # NBVAL_CHECK_OUTPUT but no expected output is recorded "
                f"in {self.display(self.expected_path)}; {hint}."
            )
        if entry.get("source_sha256") != source_digest(cell.source):
            return (
                f"{where}: the cell's source changed since its expected output was recorded (stale recording); {hint}."
            )
        cell.outputs = [nbformat.from_dict(output) for output in entry["outputs"]]
        cell.execution_count = 1  # nbval only compares cells that "ran"
        return None

    def collect(self):
        expected = {} if self.recording else self._load_expected()
        for item in super().collect():  # nbval reads self.nb and yields one item per code cell
            cell = item.cell
            # Outputs come only from the recording, never from the committed file.
            cell.outputs, cell.execution_count = [], None
            cell_item = CourseCell.from_parent(
                self, name=item.name, cell_num=item.cell_num, cell=cell, options=item.options
            )
            if item.options["check"] and not self.recording:
                index = next(i for i, c in enumerate(self.nb.cells) if c is cell)
                cell_item.expected_output_problem = self._expected_output_problem(cell, index, expected)
            self.cell_items.append(cell_item)
            yield cell_item
        marked = {item.cell.get("id") for item in self.cell_items if item.options["check"]}
        orphans = sorted(set(expected) - marked)
        if orphans:
            yield OrphanRecordings.from_parent(self, name="expected outputs", orphans=orphans)

    def widget_state(self):
        """The kernel's widget state, as Jupyter saves it in a notebook's metadata (or None).

        The app test compares its pages' explorers with the whole module's from it, and the
        website's pages show the widgets as they were left.
        """
        kernel = getattr(self, "kernel", None)
        if kernel is None or not kernel.is_alive():
            return None
        printed = []

        def keep_stdout(message):
            if message["msg_type"] == "stream" and message["content"].get("name") == "stdout":
                printed.append(message["content"]["text"])

        try:
            reply = kernel.kc.execute_interactive(
                WIDGET_STATE_CODE, store_history=False, timeout=60, output_hook=keep_stdout
            )
        except Exception:  # a kernel that cannot answer: the copy is written without widget state
            return None
        if reply["content"]["status"] != "ok" or not printed:
            return None
        return json.loads("".join(printed))

    def write_executed(self, folder):
        """Write this notebook with the outputs it just produced, if every one of its cells passed."""
        if not self.cell_items or not all(item.passed for item in self.cell_items):
            return None
        executed = nbformat.from_dict(copy.deepcopy(dict(self.nb)))
        state = self.widget_state()
        if state and state.get("state"):
            executed.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": state}
        by_id = {item.cell.get("id"): item.executed_outputs for item in self.cell_items}
        for cell in executed.cells:
            if cell.cell_type == "code":
                cell.outputs = [nbformat.from_dict(o) for o in by_id.get(cell.get("id"), [])]
                cell.execution_count = None
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(executed, folder / self.path.name)
        return folder / self.path.name

    def record(self, item):
        """Keep what nbval compares of a checked cell's fresh outputs, sanitized."""
        outputs = []
        for output in item.test_outputs or []:
            kept = {"output_type": output["output_type"]}
            for key in ("name", "text", "ename", "evalue"):
                if key in output:
                    kept[key] = item.sanitize(output[key])
            if "data" in output:
                kept["data"] = {
                    mime: item.sanitize(value) for mime, value in output["data"].items() if mime not in NOT_COMPARED
                }
                kept["metadata"] = {}
            outputs.append(kept)
        self.recorded[item.cell["id"]] = {"source_sha256": source_digest(item.cell.source), "outputs": outputs}


class AssignmentSourceNotebook(CourseNotebook):
    """An assignment's source notebook (solutions in place, visible and hidden tests): every
    cell must run. Its recordings, if a cell is ever marked, live in ``assignments/`` beside
    the modules' (the names are the same as the modules')."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        folder = harness.ini_path(self.config, "course_expected_outputs") / "assignments"
        self.expected_path = folder / f"{self.path.stem}.json"


class CourseCell(IPyNbCell):
    """One code cell: nbval runs it; then its expected output is checked or recorded."""

    expected_output_problem = None
    passed = False
    executed_outputs = ()

    def runtest(self):
        super().runtest()  # always run the cell: the cells after it need its state
        self.executed_outputs = [dict(output) for output in self.test_outputs or []]
        if self.expected_output_problem:
            raise ExpectedOutputProblem(self.expected_output_problem)
        if self.parent.recording and self.options["check"]:
            self.parent.record(self)
        self.passed = True
        if self is self.parent.cell_items[-1] and self.parent.shows_on_site:
            # now, not at the end of the session: the website and app tests of this same run
            # reuse it instead of running the notebook again
            self.parent.write_executed(harness.EXECUTED_DIR)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ExpectedOutputProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class OrphanRecordings(pytest.Item):
    """Fails when a recording holds cells that are gone or no longer marked."""

    def __init__(self, *, orphans, **kwargs):
        super().__init__(**kwargs)
        self.orphans = orphans

    def runtest(self):
        notebook = self.parent
        raise ExpectedOutputProblem(
            f"{notebook.display(notebook.expected_path)} records cell id(s) {self.orphans} that "
            f"{notebook.display(notebook.path)} no longer has or no longer marks # NBVAL_CHECK_OUTPUT; "
            f"run `make snapshot NB={notebook.display(notebook.path)}`."
        )

    def repr_failure(self, excinfo):
        return str(excinfo.value)

    def reportinfo(self):
        return self.parent.path, None, f"{self.parent.display(self.parent.path)}::expected outputs"

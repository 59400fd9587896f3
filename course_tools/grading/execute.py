"""nbgrader's ``Execute`` for this course: a sandboxed kernel, cell roles for the guard,
byte limits on outputs, and a kernel that dies said in one line.

:class:`GradingExecute` replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``
(``autograded/nbgrader_config.py``). It

- starts the kernel with :class:`~course_tools.grading.sandbox.SandboxedKernelManager`;
- tags every cell's ``execute_request`` with its role (``setup``, ``readonly``, ``tests`` or
  none for learner code): the kernel's guard (:mod:`course_tools.grading.kernel`) restores
  the grading environment before test and read-only cells, and says what it had to restore;
- keeps at most ``max_output_bytes`` of output per cell and ``max_notebook_output_bytes`` per
  notebook, as they arrive (a note says where output was cut);
- turns a kernel that died into :class:`KernelDied`, whose message names the cell.

What the guard restored, per (assignment, student), is in :data:`GUARD_REPORTS` for the
pipeline's report (the grader runs nbgrader in this process).
"""

from __future__ import annotations

import json

from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

from course_tools.grading.cells import cell_role, grade_id
from course_tools.grading.sandbox import SandboxedKernelManager

__all__ = ["GradingExecute", "KernelDied", "GUARD_REPORTS", "OUTPUT_CUT", "cut_outputs"]

#: (assignment, student) -> ["cell <id>: restored builtins.abs, ...", ...]
GUARD_REPORTS: dict[tuple[str, str], list[str]] = {}
OUTPUT_CUT = "[output cut: this cell printed more than {limit:,} bytes; the rest was not kept]"


class KernelDied(RuntimeError):
    """The kernel ended while running a cell; the message names the cell and what to do."""


def _size(output) -> int:
    return len(json.dumps(output, default=str))


def _note(limit: int) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stderr", text=OUTPUT_CUT.format(limit=limit) + "\n")


def cut_outputs(outputs: list, limit: int, *, note_limit: int | None = None) -> list:
    """``outputs`` kept up to ``limit`` bytes (a stream is cut inside its text), with a note where cut.

    Errors are always kept (they decide a test cell's grade).

    Parameters
    ----------
    outputs : list of dict
        A cell's outputs.
    limit : int
        Bytes of JSON kept at most.
    note_limit : int, optional
        The limit the note states (default: ``limit``).

    Returns
    -------
    list of dict

    Examples
    --------
    >>> from nbformat.notebooknode import NotebookNode
    >>> out = cut_outputs([NotebookNode(output_type="stream", name="stdout", text="x" * 500)], 100)
    >>> len(out[0].text) < 100, out[-1].text.startswith("[output cut")
    (True, True)
    """
    kept, used, cut = [], 0, False
    for output in outputs:
        size = _size(output)
        if output.get("output_type") == "error" or (not cut and used + size <= limit):
            kept.append(output)
            used += size
            continue
        if not cut:
            room = limit - used - 200
            if output.get("output_type") == "stream" and room > 0:
                output = NotebookNode(dict(output))
                output["text"] = output.get("text", "")[:room]
                kept.append(output)
            kept.append(_note(limit if note_limit is None else note_limit))
            cut = True
    return kept


def _role(cell, learner_ran: bool) -> str | None:
    role = cell_role(cell)
    if role == "tests":
        return "tests"
    if role == "readonly":
        return "readonly" if learner_ran else "setup"
    return None


class GradingExecute(Execute):
    """nbgrader's ``Execute`` in the sandbox, with cell roles, output limits and clear deaths."""

    max_output_bytes = Integer(200_000, help="bytes of output kept per cell").tag(config=True)
    max_notebook_output_bytes = Integer(1_000_000, help="bytes of output kept per notebook").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        kwargs.setdefault("shutdown_kernel", "immediate")  # the sandbox is thrown away whole
        super().__init__(*args, **kwargs)

    # -- one notebook -----------------------------------------------------------------------
    def preprocess(self, nb, resources=None, km=None):
        info = (resources or {}).get("nbgrader", {})
        self._key = (info.get("assignment", "?"), info.get("student", "?"))
        self._learner_ran = False
        self._role_now = None
        self._cell_now = None
        self._notebook_bytes = 0
        self._cell_bytes = {}
        self._cut = set()
        GUARD_REPORTS.setdefault(self._key, [])
        return super().preprocess(nb, resources, km)

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        original = kc.execute

        def execute(
            code, silent=False, store_history=True, user_expressions=None, allow_stdin=None, stop_on_error=True
        ):
            if self._role_now is None:
                return original(code, silent, store_history, user_expressions, allow_stdin, stop_on_error)
            content = dict(
                code=code,
                silent=silent,
                store_history=store_history,
                user_expressions=user_expressions or {},
                allow_stdin=False,
                stop_on_error=stop_on_error,
            )
            message = kc.session.msg("execute_request", content, metadata={"hsml_role": self._role_now})
            kc.shell_channel.send(message)
            return message["header"]["msg_id"]

        kc.execute = execute
        return kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)  # nbclient binds the sync name at class creation

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self._role_now = _role(cell, self._learner_ran)
        self._cell_now = (cell_index, grade_id(cell))
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except DeadKernelError:
            raise KernelDied(self._death_message(cell, cell_index)) from None
        finally:
            if self._role_now is None and cell.cell_type == "code" and cell.source.strip():
                self._learner_ran = True

    execute_cell = run_sync(async_execute_cell)

    def _death_message(self, cell, index) -> str:
        gid = grade_id(cell)
        where = f"'{gid}'" if gid else "a cell the learner added"
        before = next((grade_id(c) for c in reversed(self.nb.cells[:index]) if grade_id(c)), None)
        after = f", after '{before}'" if before and not gid else ""
        return (
            f"the kernel died while running cell {index} ({where}{after}): the learner's code ended the Python "
            "process (os._exit or sys.exit in a thread, a crash in a C library, or a sandbox limit such as the "
            "CPU time). Remove that code from the submitted notebook, grade again with --student, and note the change."
        )

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        restored = kwargs["execute_reply"].get("metadata", {}).get("hsml_guard")
        if restored:
            index, gid = self._cell_now
            GUARD_REPORTS[self._key].append(f"before cell {gid or index}: restored {', '.join(restored[:6])}")

    # -- outputs, capped as they arrive -----------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        if msg["msg_type"] == "error":  # errors are always kept: they decide the grade
            return super().output(outs, msg, display_id, cell_index)
        if cell_index in self._cut:
            return None
        out = super().output(outs, msg, display_id, cell_index)
        if out is None:
            return out
        size = _size(out)
        self._cell_bytes[cell_index] = self._cell_bytes.get(cell_index, 0) + size
        self._notebook_bytes += size
        over = self._notebook_bytes - self.max_notebook_output_bytes
        if self._cell_bytes[cell_index] > self.max_output_bytes or over > 0:
            limit = max(0, min(self.max_output_bytes, self._cell_bytes[cell_index] - max(over, 0)))
            outs[:] = cut_outputs(list(outs), limit, note_limit=self.max_output_bytes)
            self._cut.add(cell_index)
        return out

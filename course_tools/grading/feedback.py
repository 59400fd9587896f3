"""Keep hidden tests out of feedback, including the outputs of failing hidden tests.

nbgrader's ``ClearHiddenTests`` removes hidden tests from the source of a test cell, but
the cell's outputs were made by running them: a failing hidden ``assert`` prints its own
line, its message and the neighbouring lines in the traceback. :class:`HideHiddenTestOutputs`
runs before ``ClearHiddenTests`` (it needs the hidden text) and rewrites the outputs of
every test cell that holds hidden tests:

- an error raised by ``check(...)`` (a visible test) keeps its friendly message;
- any other error keeps its name only: "a hidden test failed", nothing more;
- output lines that quote a line of the hidden tests are dropped.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

from course_tools.grading.cells import BEGIN_HIDDEN, END_HIDDEN, MIN_SECRET_LENGTH, region_lines

__all__ = ["HideHiddenTestOutputs", "LimitOutputBytes", "scrub_outputs"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Errors whose messages come from the visible side (a check) or from the grader itself.
VISIBLE_ERRORS = frozenset({"CheckFailed", "CellTimeoutError"})
HIDDEN_FAILURE = (
    "a hidden test of this question failed (hidden tests and their messages are not shown). "
    "Re-read the question: the visible check cannot catch every mistake."
)


def _quotes_hidden(text: str, hidden: list[str]) -> bool:
    plain = _ANSI.sub("", text)
    return any(line in plain for line in hidden)


def scrub_outputs(outputs: list, hidden: list[str]) -> list:
    """Return ``outputs`` with every trace of the ``hidden`` lines removed (see module doc).

    Parameters
    ----------
    outputs : list of dict
        The outputs of a test cell (changed in place, and the kept ones returned).
    hidden : list of str
        The lines of its hidden tests; lines shorter than 8 characters are ignored.

    Returns
    -------
    list of dict
        Errors other than a visible check's keep their name only; stream lines and
        results that quote a hidden line are dropped.

    Examples
    --------
    >>> from course_tools.grading.feedback import scrub_outputs
    >>> outputs = [
    ...     {"output_type": "error", "ename": "AssertionError", "evalue": "",
    ...      "traceback": ["assert base_rate == 0.02"]},
    ...     {"output_type": "stream", "name": "stdout", "text": ">   assert base_rate == 0.02\\nok\\n"},
    ... ]
    >>> scrubbed = scrub_outputs(outputs, ["assert base_rate == 0.02"])
    >>> scrubbed[0]["evalue"][:30], scrubbed[1]["text"]
    ('a hidden test of this question', 'ok\\n')
    """
    hidden = [line.strip() for line in hidden if len(line.strip()) >= MIN_SECRET_LENGTH]
    cleaned = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "error":
            if output.get("ename") in VISIBLE_ERRORS:
                output["traceback"] = [line for line in output.get("traceback", []) if not _quotes_hidden(line, hidden)]
                if _quotes_hidden(output.get("evalue", ""), hidden):
                    output["evalue"] = HIDDEN_FAILURE
            else:
                output["evalue"] = HIDDEN_FAILURE
                output["traceback"] = [f"\x1b[0;31m{output.get('ename', 'Error')}\x1b[0m: {HIDDEN_FAILURE}"]
        elif kind == "stream":
            text = output.get("text", "")
            text = "".join(line for line in text.splitlines(keepends=True) if not _quotes_hidden(line, hidden))
            if not text:
                continue
            output["text"] = text
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if any(
                _quotes_hidden(value if isinstance(value, str) else "".join(value), hidden)
                for mime, value in data.items()
                if mime.startswith("text/")
            ):
                continue
        cleaned.append(output)
    return cleaned


class HideHiddenTestOutputs(Preprocessor):
    """nbgrader preprocessor: scrub the outputs of test cells that hold hidden tests.

    Put it before ``ClearHiddenTests`` in ``GenerateFeedback.preprocessors``.

    Attributes
    ----------
    enabled : bool, default=True
        nbgrader runs only enabled preprocessors.

    Examples
    --------
    >>> import nbformat
    >>> from course_tools.grading.feedback import HideHiddenTestOutputs
    >>> cell = nbformat.v4.new_code_cell(
    ...     'check("q1")\\n### BEGIN HIDDEN TESTS\\nassert rate < 0.1\\n### END HIDDEN TESTS')
    >>> cell.outputs = [nbformat.v4.new_output("stream", text="assert rate < 0.1\\n")]
    >>> cell, _ = HideHiddenTestOutputs().preprocess_cell(cell, {}, 0)
    >>> cell.outputs
    []
    """

    enabled = Bool(True, help="nbgrader registers its preprocessors enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        source = cell.get("source", "")
        if cell.get("cell_type") == "code" and BEGIN_HIDDEN in source:
            cell.outputs = scrub_outputs(cell.get("outputs", []), region_lines(source, BEGIN_HIDDEN, END_HIDDEN))
        return cell, resources


class LimitOutputBytes(Preprocessor):
    """nbgrader preprocessor: keep at most ``max_output_bytes`` of output per cell, with a note.

    The graded notebook is already capped while it runs
    (:class:`~course_tools.grading.execute.GradingExecute`); this keeps feedback small even
    for a notebook graded elsewhere. Put it in ``GenerateFeedback.preprocessors``.

    Attributes
    ----------
    enabled : bool, default=True
    max_output_bytes : int, default=200_000

    Examples
    --------
    >>> import nbformat
    >>> from course_tools.grading.feedback import LimitOutputBytes
    >>> cell = nbformat.v4.new_code_cell("print('x' * 10**6)")
    >>> cell.outputs = [nbformat.v4.new_output("stream", text="x" * 10**6)]
    >>> cell, _ = LimitOutputBytes().preprocess_cell(cell, {}, 0)
    >>> len(cell.outputs[0].text) < 200_000, cell.outputs[-1].text.startswith("[output cut")
    (True, True)
    """

    enabled = Bool(True, help="nbgrader registers its preprocessors enabled").tag(config=True)
    max_output_bytes = Integer(200_000, help="bytes of output kept per cell").tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        from course_tools.grading.execute import cut_outputs

        if cell.get("cell_type") == "code" and cell.get("outputs"):
            cell.outputs = cut_outputs(list(cell.outputs), self.max_output_bytes)
        return cell, resources

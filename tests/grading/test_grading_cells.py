"""Reading nbgrader notebooks (course_tools.grading.cells), scrubbing feedback (course_tools.grading.feedback)
and the per-cell grading timeouts (course_tools.grading.timeouts)."""

from __future__ import annotations

import nbformat

from course_tools.grading.authoring import build_notebook
from course_tools.grading.cells import checked_question_ids, questions, secret_lines, without_delimiters
from course_tools.grading.feedback import HIDDEN_FAILURE, HideHiddenTestOutputs, scrub_outputs
from course_tools.grading.pipeline import leaked_lines
from course_tools.grading.timeouts import CellTimeouts

SOURCE = """\
# %% readonly id=setup
data = [1, 2, 3]

# %% answer id=q1-answer
### BEGIN SOLUTION
total_of_data = sum(data)
### END SOLUTION

# %% answer id=q2-helper
def helper(values):
    ### BEGIN SOLUTION
    return max(values) - min(values)
    ### END SOLUTION

# %% answer id=q2-answer
### BEGIN SOLUTION
spread_of_data = helper(data)
### END SOLUTION

# %% tests id=q1-tests points=2
check("q1")
### BEGIN HIDDEN TESTS
assert total_of_data == 6, "expected 6"
### END HIDDEN TESTS

# %% tests id=q2-tests points=1
check("q2")
### BEGIN HIDDEN TESTS
assert spread_of_data == 2
### END HIDDEN TESTS

# %% manual id=q3-essay points=3
# A model answer graders compare with.
"""


def test_questions_group_answers_with_the_tests_that_follow():
    groups = questions(build_notebook(SOURCE))
    assert [(g.answer_ids, g.test_ids, g.points, g.manual) for g in groups] == [
        (["q1-answer", "q2-helper", "q2-answer"], ["q1-tests", "q2-tests"], 3.0, False),
        (["q3-essay"], [], 3.0, True),
    ]


def test_secret_lines_are_solutions_and_hidden_tests_only():
    nb = build_notebook(SOURCE)
    secrets = secret_lines(nb)
    assert "total_of_data = sum(data)" in secrets
    assert 'assert total_of_data == 6, "expected 6"' in secrets
    assert "A model answer graders compare with." in secrets
    assert "def helper(values):" not in secrets and 'check("q1")' not in secrets
    hidden_only = secret_lines(nb, solutions=False)
    assert "total_of_data = sum(data)" not in hidden_only and "assert spread_of_data == 2" in hidden_only


def test_without_delimiters_gives_the_learners_view_of_a_solution():
    source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"
    assert without_delimiters(source) == "def f():\n    return 1"
    assert without_delimiters('check("q")\n### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS') == 'check("q")'


def test_checked_question_ids():
    assert checked_question_ids("check(\"a-1\")\n  check('b_2')\nx = check") == ["a-1", "b_2"]


def _error(ename, evalue, traceback):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=traceback)


HIDDEN = ['assert total_of_data == 6, "expected 6"']


def test_a_failing_hidden_assert_shows_nothing_of_the_hidden_test():
    traceback = [
        "\x1b[31m---------\x1b[0m",
        'Cell In[5], line 3\n----> 3 \x1b[38;5;28massert\x1b[39m total_of_data == 6, "expected 6"',
        "AssertionError: expected 6",
    ]
    [output] = scrub_outputs([_error("AssertionError", "expected 6", traceback)], HIDDEN)
    assert output["evalue"] == HIDDEN_FAILURE
    assert "expected 6" not in "".join(output["traceback"])


def test_a_failing_visible_check_keeps_its_friendly_message():
    message = "✗ q1 (Total): 1 of 1 visible check failed."
    [output] = scrub_outputs(
        [_error("CheckFailed", message, [message, 'context: assert total_of_data == 6, "expected 6"'])], HIDDEN
    )
    assert output["evalue"] == message and output["traceback"] == [message]


def test_printed_lines_that_quote_hidden_tests_are_dropped():
    outputs = [
        nbformat.v4.new_output("stream", name="stdout", text='✓ q1 passed\nassert total_of_data == 6, "expected 6"\n')
    ]
    [output] = scrub_outputs(outputs, HIDDEN)
    assert output["text"] == "✓ q1 passed\n"


def test_the_preprocessor_only_touches_cells_with_hidden_tests():
    nb = build_notebook(SOURCE)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [_error("AssertionError", "expected 6", ["AssertionError: expected 6"])]
    nb, _ = HideHiddenTestOutputs().preprocess(nb, {})
    evalues = {cell.id: cell.outputs[0]["evalue"] for cell in nb.cells if cell.cell_type == "code"}
    assert evalues["q1-tests"] == evalues["q2-tests"] == HIDDEN_FAILURE
    assert evalues["q1-answer"] == "expected 6", "the learner's own errors stay as they are"


def test_leaked_lines_sees_through_html_and_colours():
    secrets = {"assert spread_of_data == 2"}
    html = '<span class="k">assert</span> spread_of_data <span class="o">==</span> 2'
    assert leaked_lines(html, secrets) == ["assert spread_of_data == 2"]
    assert leaked_lines("\x1b[1massert\x1b[0m spread_of_data == 2", secrets)
    assert leaked_lines("nothing here", secrets) == []


def test_cell_timeouts_spare_the_setup_cells():
    timeouts = CellTimeouts(learner=3, setup=60)
    readonly = {"cell_type": "code", "metadata": {"nbgrader": {"locked": True, "grade_id": "s"}}}
    tests = {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "locked": True, "points": 1}}}
    plain = {"cell_type": "code", "metadata": {}}
    assert (timeouts(readonly), timeouts(tests), timeouts(plain)) == (60, 3, 3)


def test_a_solution_line_quoted_in_the_question_is_not_secret():
    nb = build_notebook(
        "# %% [markdown]\n# Put it inside `with context(flag=True):` please.\n\n"
        "# %% answer id=a\nwith context(flag=True):\n    ### BEGIN SOLUTION\n    with context(flag=True):\n"
        "        result_value = compute()\n    ### END SOLUTION\n"
    )
    assert secret_lines(nb) == {"result_value = compute()"}

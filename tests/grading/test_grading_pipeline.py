"""The real nbgrader pipeline, once per assignment (see ``conftest.py`` for the batch).

Each test only reads the results of the batch: release, collect, autograde, feedback and
the grade export ran once for every assignment of ``autograded/source/``.
"""

from __future__ import annotations

import pytest

from course_tools.grading.cells import BEGIN_HIDDEN, cell_role, checked_question_ids, grade_id, secret_lines
from course_tools.grading.pipeline import leaked_lines

pytestmark = pytest.mark.grading


def _result(batch, student):
    return next(r for r in batch.reports["autograde"].results if r.student == student)


def _scores(batch, student):
    return {gid: grade.score for gid, grade in batch.grades[student].items() if grade.cell_type == "code"}


def test_release_holds_no_solution_and_no_hidden_test(batch):
    for name, released in batch.released.items():
        text = "\n".join(cell.source for cell in released.cells)
        leaks = leaked_lines(text, secret_lines(batch.source[name]))
        assert not leaks, f"{name}: the released notebook shows solution or hidden-test lines: {leaks}"
        assert BEGIN_HIDDEN not in text and "### BEGIN SOLUTION" not in text
        for cell in released.cells:
            if cell_role(cell) == "answer":
                assert "raise NotImplementedError()" in cell.source, f"{grade_id(cell)} is released without a stub"


def test_solution_earns_full_marks(batch):
    result = _result(batch, "solution")
    assert result.graded, result.reason
    assert batch.auto_max() > 0
    assert (result.score, result.max_score) == (batch.auto_max(), batch.auto_max())
    manual = [g for g in batch.grades["solution"].values() if g.cell_type == "markdown"]
    assert all(g.needs_manual_grade for g in manual), "an answered written question waits for a human grader"


def test_untouched_release_scores_zero(batch):
    result = _result(batch, "stub")
    assert result.graded, result.reason
    assert result.score == 0, _scores(batch, "stub")
    assert not any(g.needs_manual_grade for g in batch.grades["stub"].values())


def test_self_paced_help_and_the_progress_file_never_reach_a_grade(batch):
    # the solution submission calls hint(), solution() and progress() in every answer cell and
    # earns full marks (test_solution_earns_full_marks); the progress file said every question
    # passed, yet the untouched stub scores zero (test_untouched_release_scores_zero)
    assert '"last": "passed"' in batch.progress_before
    assert batch.progress_after == batch.progress_before, "grading recorded progress (or deleted the file)"
    outputs = "\n".join(
        output.get("text", "")
        for nb in batch.autograded("solution").values()
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )
    assert "shows nothing while the notebook is being graded" in outputs
    assert "Worked solution of" not in outputs and "Hint for" not in outputs


def test_every_question_has_common_wrong_answers(batch):
    assert batch.wrong_answers is not None, (
        f"No tests/grading/answers/{batch.assignment}.py: add the common wrong answers of every "
        "question there (docs/AUTHORING.md, 'Wrong answers')."
    )
    answered = set(batch.wrong_answers)
    missing = [g.name for g in batch.groups if not answered & set(g.answer_ids)]
    assert not missing, f"{batch.assignment}: questions without any wrong answer: {missing}"


def test_the_source_notebook_runs_cell_by_cell(batch):
    # solutions, visible and hidden tests, in one kernel, before the corpora are graded
    assert batch.corpus.source_failure is None, batch.corpus.source_failure


def _corpus(batch, kind):
    assert batch.corpus.source_failure is None, batch.corpus.source_failure
    graded = [answer for answer in batch.corpus.answers if answer.kind == kind]
    assert graded, f"{batch.assignment}: no {kind} answers were graded"
    return graded


def test_a_wrong_answer_loses_the_points_of_its_question(batch):
    problems = [
        f"{a.question.name} ({a.label!r}) still earns {a.score:g} of {a.question.points:g} points"
        for a in _corpus(batch, "wrong")
        if a.score != 0
    ]
    assert not problems, "\n".join(problems)


def test_corpus_answers_leave_the_solution_passing_after_them(batch):
    # otherwise an answer biased the grading of the next ones in the same kernel
    biased = [f"{a.answer_id}: {a.label!r}" for a in batch.corpus.answers if not a.restored]
    assert not biased, f"after these answers, the solution no longer passes its tests: {biased}"


def test_every_question_has_alternative_right_answers(batch):
    assert batch.right_answers, (
        f"No RIGHT_ANSWERS in tests/grading/answers/{batch.assignment}.py: add alternative correct "
        "implementations of every question (docs/AUTHORING.md, 'Right answers')."
    )
    missing = [g.name for g in batch.groups if not set(g.answer_ids) & set(batch.right_answers)]
    assert not missing, f"{batch.assignment}: questions without an alternative right answer: {missing}"


def test_alternative_right_answers_earn_full_marks(batch):
    problems = [
        f"{a.question.name} ({a.label!r}) earns {a.score:g} of {a.question.points:g} points"
        + (f" (its tests raised {a.errors})" if a.errors else "")
        for a in _corpus(batch, "right")
        if a.score != a.question.points
    ]
    assert not problems, f"{batch.assignment}: right answers that lose points:\n  " + "\n  ".join(problems)


def test_hidden_tests_catch_a_wrong_answer_the_visible_check_lets_through(batch):
    """A hidden test that no wrong answer makes fail proves nothing: each one must earn its place."""
    passed_visible = {}  # question -> wrong answers that passed its visible check, so were caught by hidden tests
    for answer in _corpus(batch, "wrong"):
        if not answer.caught_by_visible_check:
            passed_visible.setdefault(answer.question.name, []).append(answer.label)
    missing = [g.name for g in batch.groups if g.name not in passed_visible]
    assert not missing, (
        f"For {missing}, every wrong answer is caught by the visible check already: add a common wrong answer "
        "that only the hidden tests catch (or the hidden tests are not tested)."
    )


def test_tampered_test_cells_are_graded_with_the_original_tests(batch):
    student = batch.tampered_student
    result = _result(batch, student)
    assert result.graded, result.reason
    zeroed = batch.zeroed(student)
    for group in batch.groups:
        expected = 0 if group in zeroed else group.points
        assert batch.group_score(student, group) == expected, f"{group.name}: the tampered test cell was trusted"
    waiting = [gid for gid, g in batch.grades[student].items() if g.cell_type == "code" and g.needs_manual_grade]
    assert not waiting, f"test cells left waiting for a manual grade: {waiting}"
    cells = {grade_id(c): c for nb in batch.autograded(student).values() for c in nb.cells}
    for gid in batch.tampered:
        assert gid in cells and checked_question_ids(cells[gid].source), f"{gid} was not restored from the gradebook"


def test_endless_loop_times_out_and_scores_zero_on_its_question_only(batch):
    if batch.loop_student is None:
        pytest.skip("the timeout is the pipeline's: tested once, on grading_batch.LOOP_ASSIGNMENT")
    student = batch.loop_student
    result = _result(batch, student)
    assert result.graded, result.reason
    loop_cell = batch.loop_group.answer_ids[0]
    assert [t.split(":")[-1] for t in result.timed_out] == [loop_cell], f"timed out: {result.timed_out}"
    zeroed = batch.zeroed(student)
    assert any(group not in zeroed for group in batch.groups), "no question left to show the rest was graded"
    for group in batch.groups:
        expected = 0 if group in zeroed else group.points
        assert batch.group_score(student, group) == expected, group.name


def test_malformed_submissions_are_reported_kept_and_the_rest_is_graded(batch):
    collect = batch.reports["collect"]
    [(student, path, reason, kept)] = collect.malformed
    assert student == "not-json" and "not valid notebook JSON" in reason
    assert kept.read_bytes() == path.read_bytes(), "the malformed file must be kept as it came"
    assert any("MALFORMED not-json" in line for line in collect.lines())
    assert not batch.course.folder("submitted", "not-json", batch.assignment).exists()

    report = batch.reports["autograde"]
    failed = [r for r in report.failed if r.student not in batch.attacks]  # attacks.py has its own tests
    assert [r.student for r in failed] == ["not-json-direct"]
    assert "not valid notebook JSON" in failed[0].reason
    graded = {r.student for r in report.results if r.graded}
    assert {
        "solution",
        "stub",
        batch.tampered_student,
        *([batch.loop_student] if batch.loop_student else []),
    } <= graded


def test_feedback_shows_no_hidden_test(batch):
    report = batch.reports["feedback"]
    assert not report.withheld, f"feedback leaked hidden tests: {report.withheld}"
    students = {p.parent.parent.name for p in report.files}
    assert students == {r.student for r in batch.reports["autograde"].results if r.graded}
    for path in report.files:
        text = path.read_text(encoding="utf-8")
        assert not leaked_lines(text, secret_lines(batch.source[path.stem], solutions=False))
        assert BEGIN_HIDDEN not in text


def test_check_passes_on_the_solution_and_explains_on_the_stub(batch):
    for nb in batch.autograded("solution").values():
        for cell in nb.cells:
            for qid in checked_question_ids(cell.source) if cell_role(cell) == "tests" else []:
                text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
                assert f"✓ {qid}" in text, f"check({qid!r}) did not pass on the solution: {cell.outputs}"
    for nb in batch.autograded("stub").values():
        for cell in nb.cells:
            for qid in checked_question_ids(cell.source) if cell_role(cell) == "tests" else []:
                [error] = [o for o in cell.outputs if o.output_type == "error"][:1]
                assert error.ename == "CheckFailed", f"check({qid!r}) on the stub: {error.ename}"
                assert error.evalue.startswith(f"✗ {qid}")
                assert "not defined yet" in error.evalue or "NotImplementedError" in error.evalue


def test_grades_csv_has_every_graded_student(batch):
    path, rows = batch.reports["grades"]
    assert path.is_file()
    mine = {row["student_id"]: float(row["score"]) for row in rows if row["assignment"] == batch.assignment}
    assert mine["solution"] == batch.auto_max() and mine["stub"] == 0
    assert "not-json" not in mine

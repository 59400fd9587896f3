"""check("question-id"): the learner's instant verdict, and the Question registry behind it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import course
import course.grading.checks as checks
from course import hint, progress, solution
from course.grading import CheckFailed, Question, UnknownQuestion, check, get_question, hints, question_ids, tracking
from course.grading.tracking import read_progress, using_progress_file

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def double():
    """A throw-away registered question, removed from the registry afterwards."""
    question = Question("test-double", "Double a number")

    @question.test(hint="Multiply by 2.")
    def doubles_three(double):
        """double(3) is 6"""
        assert double(3) == 6, f"double(3) should be 6, got {double(3)!r}."

    @question.test
    def keeps_zero(double):
        assert double(0) == 0, f"double(0) should be 0, got {double(0)!r}."

    yield question
    checks._REGISTRY.pop("test-double", None)


def test_success_prints_a_short_verdict(double, capsys):
    check("test-double", {"double": lambda x: 2 * x})
    assert capsys.readouterr().out == "✓ test-double (Double a number): all 2 visible checks passed.\n"


def test_namespace_defaults_to_the_callers_globals(double, capsys):
    namespace = {"check": check}
    exec("def double(x):\n    return 2 * x\ncheck('test-double')", namespace)
    assert "✓ test-double" in capsys.readouterr().out


def test_failure_names_the_test_what_was_expected_and_a_hint(double):
    with pytest.raises(CheckFailed) as info:
        check("test-double", {"double": lambda x: x * x})
    message = str(info.value)
    assert message.startswith("✗ test-double (Double a number): 1 of 2 visible checks failed.")
    assert "✗ double(3) is 6" in message  # the docstring names the test
    assert "double(3) should be 6, got 9." in message
    assert "Hint: Multiply by 2." in message
    assert isinstance(info.value, AssertionError), "nbgrader must count it as a failed test"


def test_a_test_without_docstring_is_named_after_its_function(double):
    with pytest.raises(CheckFailed, match="✗ keeps zero"):
        check("test-double", {"double": lambda x: 2 * x + 1})


def test_missing_name_says_to_run_the_answer_cell(double):
    with pytest.raises(CheckFailed, match=r"(?s)`double` is not defined yet.*run that cell"):
        check("test-double", {})


def test_unanswered_stub_gets_one_short_message(double):
    def stub(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed) as info:
        check("test-double", {"double": stub})
    assert "not answered yet" in str(info.value)
    assert str(info.value).count("NotImplementedError") == 2  # once in the message, once in the code to replace


def test_an_error_in_the_learners_code_is_reported_plainly(double):
    with pytest.raises(CheckFailed, match=r"Running your code raised TypeError: boom"):
        check("test-double", {"double": lambda x: (_ for _ in ()).throw(TypeError("boom"))})


def test_unknown_id_lists_the_known_ones_and_suggests_the_closest(double):
    with pytest.raises(
        ValueError, match=r"Unknown question id 'test-doubel'\. Did you mean 'test-double'\?.*00-base-rate"
    ):
        check("test-doubel", {})


def test_jupyter_shows_the_message_alone():
    error = CheckFailed("✗ q: failed\n  detail")
    lines = error._render_traceback_()
    assert len(lines) == 2 and "✗ q: failed" in lines[0] and lines[1] == "  detail"
    with pytest.raises(UnknownQuestion) as info:
        check("no-such-question", {})
    assert len(info.value._render_traceback_()) == 1


def test_question_ids_are_checked_and_unique(double):
    with pytest.raises(ValueError, match="letters, digits"):
        Question("has space", "x")
    with pytest.raises(ValueError, match="already registered"):
        _register_elsewhere("test-double")
    assert Question("test-double", "free-standing", register=False) is not get_question("test-double")


def _register_elsewhere(question_id):
    namespace = {"Question": Question, "__name__": "some.other.module"}
    exec(f"Question({question_id!r}, 'again')", namespace)


def test_a_question_without_tests_is_an_authoring_error():
    with pytest.raises(RuntimeError, match="no visible tests"):
        Question("empty", "Nothing yet", register=False).run({})


def test_the_warm_up_questions_are_registered_and_check_is_exported():
    assert {"00-base-rate", "00-fraud-loss", "00-share-above", "00-rate-by-day"} <= set(question_ids())
    assert course.check is check


def test_a_question_id_must_be_a_string():
    with pytest.raises(ValueError, match="must be a string"):
        check(["00-base-rate"], {})


# --- hint, solution, progress: the self-paced learner's helpers ----------------------------


@pytest.fixture
def learner(tmp_path):
    """A new learner: an empty progress file of their own, no hint seen yet."""
    hints._SHOWN.clear()
    checks._LAST_VERDICTS.clear()
    with using_progress_file(tmp_path / "progress.json") as path:
        yield path
    hints._SHOWN.clear()


@pytest.fixture
def ladder():
    """A question whose first test has three hint levels and the second one."""
    question = Question("test-ladder", "Halve a number")

    @question.test(hint=["Divide.", "Divide by 2.", "Return x / 2."])
    def halves_four(halve):
        """halve(4) is 2"""
        assert halve(4) == 2, f"halve(4) should be 2, got {halve(4)!r}."

    @question.test(hint="Zero stays zero.")
    def keeps_zero(halve):
        """halve(0) is 0"""
        assert halve(0) == 0, f"halve(0) should be 0, got {halve(0)!r}."

    yield question
    checks._REGISTRY.pop("test-ladder", None)


def test_hint_goes_one_level_deeper_at_each_call(ladder, learner, capsys):
    hint("test-ladder")
    first = capsys.readouterr().out
    assert "level 1" in first and "1. Divide." in first and "1. Zero stays zero." in first
    assert "2. Divide by 2." not in first and 'Run hint("test-ladder") again' in first
    hint("test-ladder")
    second = capsys.readouterr().out
    assert "1. Divide." in second and "2. Divide by 2." in second and "3. Return" not in second
    hint("test-ladder")
    third = capsys.readouterr().out
    assert "3. Return x / 2." in third and "That is the deepest hint" in third
    assert "Once you have checked an answer of your own" in third  # no attempt yet
    hint("test-ladder")
    assert "3. Return x / 2." in capsys.readouterr().out  # stays at the deepest level


def test_hint_focuses_on_what_the_last_check_failed(ladder, learner, capsys):
    with pytest.raises(CheckFailed) as info:
        check("test-ladder", {"halve": lambda x: x - 2})  # halve(4) right, halve(0) wrong
    assert "Hint: Zero stays zero." in str(info.value)  # the check shows the first level
    assert 'hint("test-ladder")' in str(info.value)
    hint("test-ladder")
    out = capsys.readouterr().out
    assert "for the checks your last answer failed" in out
    assert "Zero stays zero." in out and "Divide" not in out
    assert 'solution("test-ladder") shows a worked solution' in out  # an attempt was made


def test_a_single_string_hint_still_works_and_bad_hints_are_refused(double, learner, capsys):
    assert get_question("test-double").tests[0].hints == ("Multiply by 2.",)
    assert get_question("test-double").tests[0].hint == "Multiply by 2."
    hint("test-double")
    assert "1. Multiply by 2." in capsys.readouterr().out
    question = Question("test-bad-hint", "x", register=False)
    for bad in ([], [""], ["ok", 3], 42):
        with pytest.raises(TypeError, match="hint"):
            question.test(hint=bad)


def test_solution_refuses_before_a_real_attempt_and_answers_after_one(learner, capsys):
    solution("00-share-above")
    assert "comes after you have tried" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="not defined yet"):  # the answer cell never ran: no attempt
        check("00-share-above", {})

    def share_of_frauds_above(df, threshold):  # the released stub: no attempt either
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not answered yet"):
        check("00-share-above", {"share_of_frauds_above": share_of_frauds_above})
    solution("00-share-above")
    assert "comes after you have tried" in capsys.readouterr().out
    assert not read_progress(learner)[0]["questions"]  # nothing recorded for non-attempts

    def share_of_frauds_above(df, threshold):  # a real attempt: a count instead of a share
        return int((df.loc[df["is_fraud"] == 1, "amount"] > threshold).sum())

    with pytest.raises(CheckFailed, match="visible checks? failed"):
        check("00-share-above", {"share_of_frauds_above": share_of_frauds_above})
    solution("00-share-above")
    out = capsys.readouterr().out
    assert out.startswith(
        "Worked solution of 00-share-above (Share of frauds above an amount), from autograded/source/00_warm_up/"
    )
    assert "def share_of_frauds_above(df, threshold):" in out
    assert "BEGIN SOLUTION" not in out and "raise NotImplementedError" not in out


def test_solution_never_shows_a_hidden_test(learner, capsys):
    import nbformat

    from course_tools.grading.cells import secret_lines

    source = REPO / "autograded" / "source" / "01_class_imbalance" / "01_class_imbalance.ipynb"
    hidden = secret_lines(nbformat.read(source, as_version=4), solutions=False)
    for question_id in checks.exercise_question_ids()["01_class_imbalance"]:
        tracking.record_check(question_id, "failed")
        solution(question_id)
        out = capsys.readouterr().out
        assert out.startswith(f"Worked solution of {question_id}"), out
        assert not [line for line in hidden if line in out]


def test_solution_says_the_instructor_has_it_where_the_sources_are_absent(learner, tmp_path, monkeypatch, capsys):
    tracking.record_check("00-base-rate", "passed")
    monkeypatch.setenv("HSML_ASSIGNMENT_SOURCES", str(tmp_path / "no-sources-here"))
    solution("00-base-rate")
    assert "your instructor has it" in capsys.readouterr().out


def test_progress_records_a_passed_and_a_failed_check_in_the_jupyter_data_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("HSML_PROGRESS_FILE", raising=False)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    path = tmp_path / "jupyter-data" / "high-stakes-ml" / "progress.json"
    assert tracking.progress_path() == path
    check("00-base-rate", {"base_rate": 0.0183})
    with pytest.raises(CheckFailed):
        check("00-fraud-loss", {"fraud_loss": -5.0, "df": None})
    records = json.loads(path.read_text())["questions"]
    assert records["00-base-rate"]["last"] == "passed" and records["00-fraud-loss"]["last"] == "failed"
    assert not list(path.parent.glob(".progress-*"))  # the atomic write left no temporary file
    report = progress()
    warm_up = next(row for row in report.exercises if row.name == "00_warm_up")
    assert warm_up.statuses == {
        "00-base-rate": "passed",
        "00-fraud-loss": "attempted",
        "00-share-above": "not started",
        "00-rate-by-day": "not started",
    }
    text = str(report)
    assert "00_warm_up" in text and "1 of 4" in text and str(path) in text
    assert "Next: exercises/00_warm_up.ipynb, question 00-fraud-loss" in text
    assert "<table>" in report._repr_html_()


def test_the_default_progress_file_is_outside_the_repository(monkeypatch):
    from jupyter_core.paths import jupyter_data_dir

    monkeypatch.delenv("HSML_PROGRESS_FILE", raising=False)
    path = tracking.progress_path()
    assert path.parent.parent == Path(jupyter_data_dir())
    assert REPO not in path.resolve().parents


def test_a_corrupted_progress_file_is_reported_and_replaced_never_crashing_a_check(learner, capsys):
    learner.write_text('{"version": 1, "questions": {"00-base-rate": ', encoding="utf-8")  # cut short
    assert "not valid JSON" in str(progress())
    check("00-base-rate", {"base_rate": 0.0183})
    captured = capsys.readouterr()
    assert "✓ 00-base-rate" in captured.out
    assert "was not a progress file" in captured.err and ".corrupt" in captured.err
    assert learner.with_name("progress.json.corrupt").read_text().startswith('{"version": 1')
    assert read_progress(learner) == (json.loads(learner.read_text()), None)
    learner.write_text('["a list"]', encoding="utf-8")  # valid JSON, wrong shape
    check("00-base-rate", {"base_rate": 0.0183})
    assert read_progress(learner)[0]["questions"]["00-base-rate"]["last"] == "passed"


def test_an_unwritable_progress_file_never_stops_a_check(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with using_progress_file(blocker / "progress.json"):
        with pytest.raises(CheckFailed):
            check("00-base-rate", {"base_rate": 3})
        captured = capsys.readouterr()
        assert "could not save your progress" in captured.err
        solution("00-base-rate")  # this kernel saw the attempt
        assert "Worked solution of 00-base-rate" in capsys.readouterr().out


def test_nothing_is_recorded_or_shown_while_nbgrader_grades(learner, monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    check("00-base-rate", {"base_rate": 0.0183})
    with pytest.raises(CheckFailed):
        check("00-fraud-loss", {"fraud_loss": -5.0, "df": None})
    assert not learner.exists()
    tracking.record_check("00-base-rate", "failed")
    tracking.record_quiz("01_class_imbalance", 0, 3, True)
    assert not learner.exists()
    capsys.readouterr()
    solution("00-fraud-loss")
    hint("00-fraud-loss")
    solution("no-such-question")  # not even an error: a graded cell must not break on it
    out = capsys.readouterr().out
    assert out.count("shows nothing while the notebook is being graded") == 3
    assert "fraud_loss =" not in out
    assert progress().graded and "being graded" in str(progress())


def test_an_unknown_id_lists_the_ids_of_its_exercise(learner):
    for helper in (check, hint, solution):
        with pytest.raises(UnknownQuestion) as info:
            helper("01-baselin") if helper is not check else check("01-baselin", {})
        message = str(info.value)
        assert "Did you mean '01-baseline'?" in message
        assert "The questions of exercise 01_class_imbalance: 01-baseline, 01-undersampling" in message
        assert "00-base-rate" not in message  # only that exercise's ids


def test_progress_file_env_is_isolated_in_tests():
    assert os.environ["HSML_PROGRESS_FILE"].endswith("progress.json")
    assert "hsml-progress-" in os.environ["HSML_PROGRESS_FILE"]


def test_progress_suggests_the_next_question_where_the_learner_is(learner):
    exercises = checks.exercise_question_ids()
    (first, first_ids), (second, second_ids), (third, third_ids) = list(exercises.items())[:3]
    assert progress().next_question == (first, first_ids[0])  # a new learner starts at the start
    tracking.record_check(second_ids[0], "passed")
    assert progress().next_question == (second, second_ids[1])  # stays in the exercise begun
    tracking.record_check(third_ids[-1], "failed")
    assert progress().next_question == (third, third_ids[-1])  # an attempt not passing comes first

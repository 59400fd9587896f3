"""check("question-id"): the learner's instant verdict, and the Question registry behind it."""

from __future__ import annotations

import pytest

import course
import course.grading.checks as checks
from course.grading import CheckFailed, Question, UnknownQuestion, check, get_question, question_ids


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

"""Quiz: the logic as plain functions, then the widget driven from code."""

import pytest

from course.grading.tracking import read_progress, using_progress_file
from course.widgets import NumericQuestion, Quiz, QuizQuestion
from course.widgets.quiz import parse_number


def test_multiple_choice_logic():
    q = QuizQuestion(
        "Raising the threshold gives...",
        ["more alerts", "fewer alerts"],
        "fewer alerts",
        explanation="Fewer scores pass a higher bar.",
    )
    assert q.check("fewer alerts").correct
    assert q.check("fewer alerts").text == "Correct. Fewer scores pass a higher bar."
    assert not q.check("more alerts").correct
    with pytest.raises(ValueError, match="not one of the options"):
        q.check("no idea")
    with pytest.raises(ValueError, match="not one of the options"):
        QuizQuestion("?", ["a", "b"], "c")
    with pytest.raises(ValueError, match="different"):
        QuizQuestion("?", ["a", "a"], "a")
    with pytest.raises(ValueError, match="at least two"):
        QuizQuestion("?", "ab", "a")


def test_numeric_logic_and_tolerance():
    q = NumericQuestion("Precision?", 0.3, tolerance=0.01, explanation="30 / 100.")
    assert q.check(0.305).correct and q.check("0.29").correct and q.check("30%").correct
    assert not q.check(0.32).correct
    assert NumericQuestion("Sum?", 0.3).check(0.1 + 0.2).correct  # float noise is not an error
    assert not NumericQuestion("Sum?", 0.3).check(0.3001).correct
    with pytest.raises(ValueError, match="not a number"):
        q.check("abc")
    with pytest.raises(ValueError, match="tolerance"):
        NumericQuestion("?", 1.0, tolerance=-1)
    assert parse_number(" 5 % ") == 0.05


@pytest.mark.parametrize(
    "text, number",
    [
        ("0,064", 0.064),  # a decimal comma (most of Europe): was read as 64
        ("1,5", 1.5),
        ("-0,5", -0.5),
        (",5", 0.5),
        ("6,4%", 0.064),
        ("0,125", 0.125),  # three decimals after 0: cannot be thousands
        ("1234,5", 1234.5),
        ("1,234,567", 1234567.0),  # several groups: thousands
        ("1,200.5", 1200.5),  # a decimal point after the comma: thousands
        ("1.200,5", 1200.5),  # and the other way round
        ("1 200", 1200.0),
        ("1\u202f200", 1200.0),  # a narrow no-break space, as some locales print it
        ("0.064", 0.064),
    ],
)
def test_parse_number_reads_decimal_commas_and_thousands(text, number):
    assert parse_number(text) == pytest.approx(number, rel=1e-12)


@pytest.mark.parametrize("text", ["1,200", "12,345", "999,999"])
def test_parse_number_refuses_a_comma_that_could_mean_either(text):
    with pytest.raises(ValueError, match="ambiguous.*without a comma"):
        parse_number(text)


@pytest.mark.parametrize("text", ["1,23,456", "1,2.5", "1.2.3", "1,2,3"])
def test_parse_number_refuses_broken_separators(text):
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text)


def test_an_ambiguous_answer_is_explained_not_marked_wrong():
    quiz = Quiz([NumericQuestion("Cost of one false positive (EUR)?", 1200.0)])
    assert "ambiguous" in quiz.answer(0, "1,200") and quiz.results[0] is None
    assert quiz.answer(0, "1200") == "Correct."


def test_quiz_driven_from_code():
    quiz = Quiz(
        [
            QuizQuestion(
                "Which stays put when fraud gets rarer?",
                ["ROC-AUC", "Average precision"],
                "ROC-AUC",
                explanation="ROC rates are computed within each class.",
            ),
            NumericQuestion("Recall with 8 of 10 frauds caught?", 0.8, tolerance=0.001),
        ]
    )
    assert quiz.results == [None, None] and quiz.score == 0
    assert quiz.answer(0, "Average precision").startswith("Not quite.")
    assert quiz.results[0] is False
    assert 'data-correct="false"' in quiz.feedback[0].value
    assert "ROC rates are computed within each class." in quiz.feedback[0].value
    assert quiz.answer(0, "ROC-AUC") == "Correct. ROC rates are computed within each class."
    assert quiz.inputs[0].value == "ROC-AUC" and 'data-correct="true"' in quiz.feedback[0].value
    assert quiz.answer(1, 0.8) == "Correct."
    assert quiz.answer(1, "80%") == "Correct." and quiz.score == 2
    # a learner pressing Check with nothing entered gets told, not a traceback
    quiz.inputs[1].value = ""
    quiz.check_buttons[1].click()
    assert quiz.results[1] is None and "Type a number first" in quiz.feedback[1].value
    assert quiz.answer(1, "eighty") == "'eighty' is not a number."
    with pytest.raises(ValueError, match="not one of the options"):
        quiz.answer(0, "F1")
    with pytest.raises(IndexError):
        quiz.answer(5, "x")


def test_quiz_escapes_learner_input_and_checks_questions():
    quiz = Quiz([NumericQuestion("?", 1.0)])
    quiz.answer(0, "<script>")
    assert "<script>" not in quiz.feedback[0].value
    with pytest.raises(ValueError, match="at least one"):
        Quiz([])
    with pytest.raises(TypeError, match="QuizQuestion"):
        Quiz(["What?"])


def test_a_named_quiz_records_each_checked_answer_in_progress(tmp_path):
    path = tmp_path / "progress.json"
    questions = [QuizQuestion("?", ["a", "b"], "a"), NumericQuestion("Half?", 0.5, tolerance=0.01)]
    with using_progress_file(path):
        quiz = Quiz(questions, name="99_demo")
        quiz.answer(0, "b")
        quiz.answer(0, "a")
        quiz.answer(1, "0,5")
        quiz.answer(1, "1,200")  # refused as ambiguous: not an answer, not recorded
        Quiz(questions).answer(0, "a")  # an unnamed quiz records nothing
    record = read_progress(path)[0]["quizzes"]
    assert list(record) == ["99_demo"]
    assert record["99_demo"]["n_questions"] == 2
    assert record["99_demo"]["answers"] == {"0": {"answers": 2, "correct": True}, "1": {"answers": 1, "correct": True}}


def test_a_quiz_name_must_be_a_string():
    with pytest.raises(ValueError, match="non-empty string"):
        Quiz([NumericQuestion("?", 1.0)], name="")

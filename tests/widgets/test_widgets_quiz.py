"""Quiz: the logic as plain functions, then the widget driven from code."""

import pytest

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
    assert parse_number("1,200") == 1200.0 and parse_number(" 5 % ") == 0.05


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


def test_a_decimal_comma_is_read_as_a_decimal_not_as_thousands():
    assert parse_number("0,064") == pytest.approx(0.064)  # not 64
    assert parse_number("12,5") == 12.5 and parse_number("-0,5") == -0.5 and parse_number("12,5%") == 0.125
    assert parse_number("1.200,5") == 1200.5
    assert parse_number("1,200") == 1200.0 and parse_number("12,345,678.5") == 12345678.5
    for ambiguous in ("1,2,3", "1,20.5", "0,064,1"):
        with pytest.raises(ValueError, match="ambiguous"):
            parse_number(ambiguous)
    question = NumericQuestion("Break-even probability?", 0.064, tolerance=0.0005)
    assert question.check("0,064").correct and not question.check("64").correct

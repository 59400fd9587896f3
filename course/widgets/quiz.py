"""Checked questions with instant feedback: multiple choice and numeric answers.

The logic (:class:`QuizQuestion`, :class:`NumericQuestion`, their ``check``) is plain Python;
:class:`Quiz` only wires it to ipywidgets. Prompts and explanations are course content
and may hold HTML; a learner's answer is always escaped.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from numbers import Real

import ipywidgets as widgets

__all__ = ["QuizQuestion", "NumericQuestion", "Feedback", "Quiz", "parse_number"]


@dataclass(frozen=True)
class Feedback:
    """The outcome of checking one answer: ``correct`` and the ``text`` shown.

    Attributes
    ----------
    correct : bool
    text : str
        "Correct." or "Not quite.", then the question's explanation.

    Examples
    --------
    >>> from course.widgets.quiz import Feedback, QuizQuestion
    >>> q = QuizQuestion("Which metric ignores the base rate?", ["ROC-AUC", "Precision"], "ROC-AUC",
    ...              explanation="ROC uses rates within each class.")
    >>> q.check("Precision")
    Feedback(correct=False, text='Not quite. ROC uses rates within each class.')
    """

    correct: bool
    text: str


def _feedback(correct, explanation):
    verdict = "Correct." if correct else "Not quite."
    return Feedback(correct, f"{verdict} {explanation}".strip())


@dataclass(frozen=True)
class QuizQuestion:
    """A multiple-choice question.

    Parameters
    ----------
    prompt : str
    options : sequence
        The choices shown (strings or numbers), all different.
    answer : object
        The right choice: one of ``options``.
    explanation : str, default=""
        Shown after every check, right or wrong.

    Examples
    --------
    >>> from course.widgets import QuizQuestion
    >>> q = QuizQuestion("Which metric ignores the base rate?", ["ROC-AUC", "Precision"], "ROC-AUC",
    ...              explanation="ROC uses rates within each class.")
    >>> q.check("Precision")
    Feedback(correct=False, text='Not quite. ROC uses rates within each class.')
    """

    prompt: str
    options: tuple
    answer: object
    explanation: str = ""

    def __post_init__(self):
        options = tuple(self.options) if not isinstance(self.options, str) else ()
        if len(options) < 2:
            raise ValueError("options must hold at least two choices.")
        if len(set(options)) != len(options):
            raise ValueError(f"options must all be different, got {list(options)}.")
        if self.answer not in options:
            raise ValueError(f"answer {self.answer!r} is not one of the options {list(options)}.")
        object.__setattr__(self, "options", options)

    def check(self, value):
        """Feedback for ``value`` (one of the options; ValueError otherwise)."""
        if value not in self.options:
            raise ValueError(f"{value!r} is not one of the options {list(self.options)}.")
        return _feedback(value == self.answer, self.explanation)


_GROUPS = {",": re.compile(r"\d{1,3}(?:,\d{3})+"), ".": re.compile(r"\d{1,3}(?:\.\d{3})+")}


def _with_decimal_point(text, original):
    """``text`` (no spaces, no sign, no %) with a decimal point and no separators, or ValueError."""
    if "," in text and "." in text:  # "1,234.5" or "1.234,5": the last separator marks the decimals
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        whole, _, fraction = text.rpartition(decimal)
        if grouping in fraction or not _GROUPS[grouping].fullmatch(whole):
            raise ValueError(f"{original!r} is not a number: its separators do not group thousands.")
        return whole.replace(grouping, "") + "." + fraction
    if text.count(",") > 1:  # "1,234,567": thousands only
        if not _GROUPS[","].fullmatch(text):
            raise ValueError(f"{original!r} is not a number: its commas do not group thousands.")
        return text.replace(",", "")
    if "," in text:
        whole, fraction = text.split(",")
        if re.fullmatch(r"[1-9]\d{0,2}", whole) and re.fullmatch(r"\d{3}", fraction):
            raise ValueError(
                f"{original!r} is ambiguous: a comma may separate thousands ({whole}{fraction}) or decimals "
                f"({float(whole + '.' + fraction):g}). Type it without a comma: {whole}{fraction} or "
                f"{float(whole + '.' + fraction):g}."
            )
        return whole + "." + fraction  # a decimal comma: "0,064", "1,5", "12,75"
    return text


def parse_number(value):
    """A learner's number: accepts numbers and text like "0.25", "0,25", "1,200.5" or "25%".

    A comma is read as a decimal comma ("0,064" is 0.064, "1,5" is 1.5) unless it groups
    thousands unambiguously: with several groups ("1,234,567"), or with a decimal point
    after it ("1,200.5"; and "1.200,5" the other way round). "1,200" could be either
    1200 or 1.2, so it is refused with a message that asks for one of them: a right
    answer must never be marked wrong because of a separator.

    Parameters
    ----------
    value : float or str
        A number, or text: spaces are ignored, a final ``%`` divides by 100.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Not a finite number, or a comma that could mean thousands or decimals.

    Examples
    --------
    >>> from course.widgets.quiz import parse_number
    >>> parse_number("25%"), parse_number("0,064"), parse_number("1,200.5"), parse_number("1 200"), parse_number(3)
    (0.25, 0.064, 1200.5, 1200.0, 3.0)
    >>> parse_number("1,200")
    Traceback (most recent call last):
    ...
    ValueError: '1,200' is ambiguous: a comma may separate thousands (1200) or decimals (1.2). Type it without a comma: 1200 or 1.2.
    """
    if isinstance(value, Real) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        text = re.sub(r"\s", "", value)  # spaces, also the narrow no-break space of "1 200"
        scale = 0.01 if text.endswith("%") else 1.0
        text = text.removesuffix("%")
        sign = text[0] if text[:1] in "+-" else ""
        text = _with_decimal_point(text[len(sign) :], value)
        try:
            number = float(sign + text) * scale
        except ValueError:
            raise ValueError(f"{value!r} is not a number.") from None
    else:
        raise ValueError(f"{value!r} is not a number.")
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number.")
    return number


@dataclass(frozen=True)
class NumericQuestion:
    """A question whose answer is a number, right within an absolute ``tolerance``.

    Parameters
    ----------
    prompt : str
    answer : float
    tolerance : float, default=0.0
        An answer ``x`` is right when ``abs(x - answer) <= tolerance``.
    explanation : str, default=""
        Shown after every check, right or wrong.

    Examples
    --------
    >>> from course.widgets import NumericQuestion
    >>> q = NumericQuestion("Precision with 30 TP and 70 FP?", 0.3, tolerance=0.005)
    >>> q.check("30%").correct, q.check(0.31).correct
    (True, False)
    """

    prompt: str
    answer: float
    tolerance: float = 0.0
    explanation: str = ""

    def __post_init__(self):
        object.__setattr__(self, "answer", parse_number(self.answer))
        tolerance = parse_number(self.tolerance)
        if tolerance < 0:
            raise ValueError(f"tolerance must be zero or positive, got {self.tolerance!r}.")
        object.__setattr__(self, "tolerance", tolerance)

    def check(self, value):
        """Feedback for ``value`` (a number or text such as "0.25" or "25%")."""
        number = parse_number(value)
        # a tiny relative slack so that 0.1 + 0.2 counts as 0.3
        slack = self.tolerance + 1e-9 * max(1.0, abs(self.answer))
        return _feedback(abs(number - self.answer) <= slack, self.explanation)


class Quiz:
    """Questions, each with a "Check" button and instant feedback with the explanation.

    Parameters
    ----------
    questions : list of QuizQuestion or NumericQuestion
    name : str, optional
        The quiz's name, by convention its module's (``"04_data_leakage"``). A named quiz
        records every checked answer in the learner's progress (``progress()`` shows it);
        an unnamed one records nothing.

    Attributes
    ----------
    inputs : list of ipywidgets
        One per question: ``RadioButtons`` (value = the chosen option, ``None`` at first)
        or ``Text`` (the typed number).
    check_buttons : list of ipywidgets.Button
    feedback : list of ipywidgets.HTML
        ``<div class="hsml-feedback" data-index=i data-correct="true|false">``.
    results : list of bool or None
        Outcome of the last check of each question (``None``: not checked yet).
    widget : ipywidgets.VBox

    Examples
    --------
    >>> from course.widgets import Quiz, QuizQuestion, NumericQuestion
    >>> quiz = Quiz([
    ...     QuizQuestion("Flag when score >= t. Raising t gives...", ["more alerts", "fewer alerts"], "fewer alerts"),
    ...     NumericQuestion("Recall with 8 of 10 frauds caught?", 0.8, tolerance=0.01),
    ... ])
    >>> quiz.answer(0, "fewer alerts")
    'Correct.'
    >>> quiz.answer(1, "70%"), quiz.score
    ('Not quite.', 1)
    """

    def __init__(self, questions, *, name=None):
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise ValueError(f"name must be a non-empty string such as '04_data_leakage', got {name!r}.")
        self.name = name
        questions = list(questions)
        if not questions:
            raise ValueError("A quiz needs at least one question.")
        for i, question in enumerate(questions):
            if not isinstance(question, (QuizQuestion, NumericQuestion)):
                raise TypeError(
                    f"question {i} must be a QuizQuestion or NumericQuestion, got {type(question).__name__}."
                )
        self.questions = questions
        self.inputs, self.check_buttons, self.feedback = [], [], []
        self.results = [None] * len(questions)
        self._texts = [""] * len(questions)
        blocks = []
        for i, question in enumerate(questions):
            prompt = widgets.HTML(
                f'<div class="hsml-question" data-index="{i}"><b>{i + 1}.</b> {question.prompt}</div>'
            )
            if isinstance(question, QuizQuestion):
                field = widgets.RadioButtons(options=question.options, value=None, layout=widgets.Layout(width="auto"))
            else:
                field = widgets.Text(placeholder="your answer (e.g. 0.25 or 25%)")
            button = widgets.Button(description="Check", button_style="primary")
            button.on_click(lambda _, index=i: self._check(index))
            feedback = widgets.HTML()
            self.inputs.append(field)
            self.check_buttons.append(button)
            self.feedback.append(feedback)
            blocks.append(widgets.VBox([prompt, field, widgets.HBox([button, feedback])]))
        self.widget = widgets.VBox(blocks)

    def _check(self, index):
        value = self.inputs[index].value
        question = self.questions[index]
        try:
            if value is None or (isinstance(value, str) and not value.strip()):
                multiple_choice = isinstance(question, QuizQuestion)
                raise ValueError("Choose an answer first." if multiple_choice else "Type a number first.")
            result = question.check(value)
        except ValueError as exc:
            self.results[index] = None
            self._texts[index] = str(exc)
            self.feedback[
                index
            ].value = f'<div class="hsml-feedback" data-index="{index}" data-correct="">{html.escape(str(exc))}</div>'
            return self._texts[index]
        self.results[index] = result.correct
        self._texts[index] = result.text
        if self.name is not None:  # never raises: trouble with the file is reported, the quiz goes on
            from course.grading.tracking import record_quiz

            record_quiz(self.name, index, len(self.questions), result.correct)
        mark = "✔" if result.correct else "✘"
        color = "#1a7f37" if result.correct else "#b42318"
        verdict = "Correct." if result.correct else "Not quite."
        self.feedback[index].value = (
            f'<div class="hsml-feedback" data-index="{index}" data-correct="{str(result.correct).lower()}" '
            f'style="color:{color}">{mark} <b>{verdict}</b> {question.explanation}</div>'
        )
        return result.text

    def answer(self, index, value):
        """Answer question ``index`` as a learner would (set the input, press Check).

        Returns the feedback text. For a multiple-choice question ``value`` must be one
        of its options; for a numeric one, a number or text such as "0.25" or "25%".
        """
        if not 0 <= index < len(self.questions):
            raise IndexError(f"question index {index} is out of range (0..{len(self.questions) - 1}).")
        field = self.inputs[index]
        if isinstance(field, widgets.RadioButtons):
            if value not in self.questions[index].options:
                raise ValueError(f"{value!r} is not one of the options {list(self.questions[index].options)}.")
            field.value = value
        else:
            field.value = value if isinstance(value, str) else repr(float(value))
        return self._check(index)

    @property
    def score(self):
        """Number of questions whose last check was right."""
        return sum(result is True for result in self.results)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

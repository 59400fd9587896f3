"""What the browser test does with each module notebook: the per-notebook interaction spec.

Every notebook in ``modules/`` must have an entry in :data:`NOTEBOOKS`, either

- :class:`MainWidget`: the notebook shows its main widget as ``explorer`` in a cell that
  starts with ``# NBVAL_IGNORE_OUTPUT`` then ``# main-widget``. The test moves the slider
  as a learner would (keys, then a drag), types into the listed number inputs, and checks
  that the numbers on the page equal what the course's engine computes in the same kernel
  for the new control values; or
- :class:`NoMainWidget`: the notebook has no such cell, on purpose (the reason is said).
  The test then only runs all cells, checks for errors and takes a screenshot.

A notebook without an entry, a ``MainWidget`` notebook without its ``# main-widget`` cell,
or a ``NoMainWidget`` notebook that has one, fails (``test_browser_spec.py`` says so even
where no browser is available).

A widget kind (:class:`WidgetKind`) says how to find the slider and how the engine computes
the numbers: ``engine`` is Python run in the notebook's kernel, with the widget bound to
``explorer``, that assigns the dict of numbers the widget must show to ``numbers``. It calls
the course's public functions directly, not the widget's cached state.
"""

from __future__ import annotations

from dataclasses import dataclass

MAIN_WIDGET_MARKER = ("# NBVAL_IGNORE_OUTPUT", "# main-widget")


@dataclass(frozen=True)
class WidgetKind:
    """A class of explorer: its name, its main slider, and the engine behind its numbers.

    Parameters
    ----------
    name : str
        ``type(explorer).__name__``.
    slider : str
        The slider's description as shown on screen (its label).
    slider_attribute : str
        The attribute of the explorer holding that slider (read in the kernel).
    engine : str or None
        Python code, run with ``explorer`` bound, that sets ``numbers`` to the dict the
        widget must display (``data-name`` -> value). ``None`` when the widget does not keep
        its inputs: each notebook's :class:`MainWidget` then gives it.
    check_text : bool, default=True
        Also compare each number's text with ``course.widgets.base.format_value(value,
        explorer.formats.get(name))`` (the default panel's formatting).
    """

    name: str
    slider: str
    slider_attribute: str
    engine: str | None
    check_text: bool = True


@dataclass(frozen=True)
class MainWidget:
    """How a learner uses a notebook's main widget.

    Parameters
    ----------
    kind : WidgetKind
    key : str, default="ArrowRight"
        The key pressed on the focused slider handle (timed, one press at a time).
    presses : int, default=5
        Number of timed key presses.
    drag_to : float or None, default=0.8
        After the keys, drag the handle to this fraction of the slider's track (a bigger
        move, so that counts change, not just the threshold). ``None``: no drag.
    inputs : tuple of (label, value)
        Number inputs (by their label) the learner then types into, pressing Enter.
    engine : str or None
        The engine code for this notebook (it may use the notebook's variables); ``None``:
        the kind's.
    """

    kind: WidgetKind
    key: str = "ArrowRight"
    presses: int = 5
    drag_to: float | None = 0.8
    inputs: tuple = ()
    engine: str | None = None

    def __post_init__(self):
        if (self.engine or self.kind.engine) is None:
            raise ValueError(f"a {self.kind.name} does not keep its inputs: give the notebook's engine code.")

    @property
    def engine_code(self):
        return self.engine or self.kind.engine


@dataclass(frozen=True)
class NoMainWidget:
    """The notebook has no main widget, on purpose; ``reason`` says why."""

    reason: str


THRESHOLD_EXPLORER = WidgetKind(
    name="ThresholdExplorer",
    slider="Threshold",
    slider_attribute="threshold_slider",
    engine=(
        "from course.metrics import cost_curve\n"
        "from course.lessons.thresholds_and_costs import threshold_numbers\n"
        "cost_model = explorer.cost_model\n"
        "numbers = threshold_numbers(explorer.sweep, explorer.threshold_slider.value, cost_model,\n"
        "                            cost_curve(explorer.sweep, cost_model, max_points=explorer.max_points))\n"
    ),
)

BASE_RATE_EXPLORER = WidgetKind(
    name="BaseRateExplorer",
    slider="Prevalence",
    slider_attribute="prevalence_slider",
    engine=(
        "from course.lessons.pr_auc_vs_roc_auc import base_rate_numbers\n"
        "numbers, _ = base_rate_numbers(explorer.sweep, explorer.sampler, explorer.prevalence_slider.value,\n"
        "                               max_points=explorer.max_points)\n"
    ),
)

# Keeps no labels nor scores: the notebook's own variables feed the engine.
IMBALANCE_EXPLORER = WidgetKind(
    name="ImbalanceExplorer",
    slider="Genuines kept",
    slider_attribute="beta_slider",
    engine=None,
)

# Keeps the precomputed table only: the notebook's protocols (`results`) feed the engine.
LEAKAGE_EXPLORER = WidgetKind(
    name="LeakageExplorer",
    slider="Leak",
    slider_attribute="leak_slider",
    engine=None,
)

LATE_LABEL_EXPLORER = WidgetKind(
    name="LateLabelExplorer",
    slider="As of",
    slider_attribute="as_of_slider",
    engine=(
        "from course.lessons.late_labels import late_label_numbers\n"
        "numbers = late_label_numbers(explorer.positions, explorer.as_of_slider.value,\n"
        "                             explorer.maturity_slider.value, explorer.metric_buttons.value)\n"
    ),
)

DRIFT_EXPLORER = WidgetKind(
    name="DriftExplorer",
    slider="Week",
    slider_attribute="week_slider",
    engine=(
        "from course.lessons.drift import drift_explorer_numbers\n"
        "numbers = drift_explorer_numbers(explorer.data, explorer.kind.value, explorer.size.value,\n"
        "                                 explorer.start_day.value, explorer.policy.value, explorer.week_slider.value)\n"
    ),
)

# Keeps only its precomputed views: the notebook's probabilities feed the engine.
CALIBRATION_EXPLORER = WidgetKind(
    name="CalibrationExplorer",
    slider="Genuines kept (β)",
    slider_attribute="beta_slider",
    engine=None,
)

NOTEBOOKS = {
    "00_start_here": NoMainWidget(
        "the welcome page: what the course is for, one printed accuracy example and a setup check"
    ),
    # slider positions: the 7 betas of course.lessons.class_imbalance.DEFAULT_BETAS, from 100% (left) down to 1%
    "01_class_imbalance": MainWidget(
        IMBALANCE_EXPLORER,
        presses=3,
        drag_to=1.0,
        engine=(
            "from course.lessons.class_imbalance import undersampling_numbers\n"
            "beta = explorer.beta_slider.value\n"
            "numbers = undersampling_numbers(y_test, scores_by_beta[beta], beta, k=K,\n"
            "                                train_fraud_rate=y_train.mean())\n"
        ),
    ),
    # starts at the natural prevalence; right = more frauds
    "02_pr_auc_vs_roc_auc": MainWidget(BASE_RATE_EXPLORER, presses=5, drag_to=0.9),
    # starts at the least-cost threshold within the capacity (cost_model limited_model: review 3, capacity 8)
    "03_thresholds_and_costs": MainWidget(
        THRESHOLD_EXPLORER,
        presses=5,
        drag_to=0.25,
        inputs=(("Review cost", 7.5), ("Capacity/day", 12)),
    ),
    # slider positions: the 7 leaks of course.lessons.data_leakage.LEAKS, from "none" (left); version "leaky"
    "04_data_leakage": MainWidget(
        LEAKAGE_EXPLORER,
        presses=5,
        drag_to=0.3,
        engine=(
            "from course.lessons.data_leakage import leak_numbers\n"
            "numbers = leak_numbers(results, explorer.leak_slider.value, explorer.version.value,\n"
            "                       leaks=explorer.leaks)\n"
        ),
    ),
    # starts the morning after the scored period (left), precision, labels known so far; right = later dates
    "05_late_labels": MainWidget(LATE_LABEL_EXPLORER, presses=5, drag_to=0.5),
    # starts at week 10 (the deployment) of the concept drift from day 84; right = later weeks
    "07_drift": MainWidget(DRIFT_EXPLORER, presses=5, drag_to=0.9),
    # starts on the undersampled model at beta = 5%, prior correction; slider positions 20%, 5%, 1% (left to right)
    "06_calibration": MainWidget(
        CALIBRATION_EXPLORER,
        presses=1,
        drag_to=0.0,
        engine=(
            "from course.lessons.calibration import calibration_view\n"
            "model, beta, method, n_bins, strategy = explorer.choice\n"
            "numbers = calibration_view(y, probabilities[(model, beta, method)], probabilities[(model, beta, 'none')],\n"
            "                           amounts=amounts, n_days=n_launch_days, n_bins=n_bins, strategy=strategy)\n"
        ),
    ),
}


@dataclass(frozen=True)
class ExerciseAttempt:
    """How a self-paced learner starts an exercise (``exercises/<name>.ipynb``) in the browser.

    The learner version's answer cells raise ``NotImplementedError`` by design, so the test
    never runs all cells: it runs the setup cells, types an answer of its own into one answer
    cell, runs it and then that question's check cell, whose output must show ``expect``.

    Parameters
    ----------
    setup_cells : tuple of str
        Ids of the cells run first, in order (the self-paced imports, the locked setup).
    answer_cell : str
        Id of the answer cell typed into (its whole content is replaced by ``answer``).
    answer : str
        A right answer, written as a learner would (not the source's solution).
    check_cell : str
        Id of the question's test cell: ``check("question_id")``.
    question_id : str
    expect : str
        Text the check cell's output must hold.
    """

    setup_cells: tuple
    answer_cell: str
    answer: str
    check_cell: str
    question_id: str
    expect: str


#: The exercises the browser test opens as a learner would (a few: each costs a kernel).
EXERCISES = {
    "01_class_imbalance": ExerciseAttempt(
        setup_cells=("self-paced-imports", "01-setup"),
        answer_cell="01-baseline-answer",
        answer=(
            "def decision_report(y_true, y_pred, amounts):\n"
            "    frauds = np.asarray(y_true) == 1\n"
            "    flagged = np.asarray(y_pred) == 1\n"
            "    amounts = np.asarray(amounts, dtype=float)\n"
            "    return {\n"
            '        "accuracy": float((frauds == flagged).mean()),\n'
            '        "recall": float((frauds & flagged).sum() / frauds.sum()),\n'
            '        "frauds_missed": int((frauds & ~flagged).sum()),\n'
            '        "fraud_amount_missed": float(amounts[frauds & ~flagged].sum()),\n'
            "    }\n"
        ),
        check_cell="01-baseline-tests",
        question_id="01-baseline",
        expect="✓ 01-baseline",
    ),
}


def main_widget_cells(notebook):
    """Indices (in the notebook's cell list) of the code cells marked as the main widget."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        lines = [line.strip() for line in source.strip().splitlines()[:2]]
        if cell["cell_type"] == "code" and tuple(lines) == MAIN_WIDGET_MARKER:
            found.append(index)
    return found


def spec_problem(stem, notebook):
    """Why the spec and the notebook disagree (a message), or None when they agree."""
    spec = NOTEBOOKS.get(stem)
    cells = main_widget_cells(notebook)
    if spec is None:
        return (
            f"modules/{stem}.ipynb has no entry in tests/browser/spec.py NOTEBOOKS: add a MainWidget "
            "(how a learner uses its main widget) or a NoMainWidget with the reason it has none."
        )
    if isinstance(spec, NoMainWidget):
        if cells:
            return (
                f"modules/{stem}.ipynb has a '# main-widget' cell (cell {cells[0] + 1}) but the spec says "
                f"it has none ({spec.reason}): update tests/browser/spec.py."
            )
        return None
    if len(cells) != 1:
        return (
            f"modules/{stem}.ipynb must have exactly one code cell starting with "
            f"'{MAIN_WIDGET_MARKER[0]}' then '{MAIN_WIDGET_MARKER[1]}' that shows `explorer` "
            f"(a {spec.kind.name}); found {len(cells)}."
        )
    return None

"""The course's interactive explorers and quiz, thin layers over :mod:`course.metrics`.

- :class:`ThresholdExplorer`: threshold, costs and capacity -> counts, rates, money.
- :class:`BaseRateExplorer`: prevalence -> ROC barely moves, precision-recall falls.
- :class:`ImbalanceExplorer`: undersampling rate -> ranking flat, probabilities inflated.
- :class:`DriftExplorer`: drift kind, size, start day, retraining policy -> monitors, estimates, money.
- :class:`Quiz`, :class:`QuizQuestion`, :class:`NumericQuestion`: checked questions.
- :class:`Explorer` (in :mod:`course.widgets.base`): the base to build new explorers.

Every explorer can be driven from code: set a control's ``value`` and read
``explorer.displayed`` (the numbers on screen, as a dict).
"""

from course.widgets.base import Explorer
from course.widgets.calibration_explorer import CalibrationExplorer
from course.widgets.class_imbalance_explorer import ImbalanceExplorer
from course.widgets.data_leakage_explorer import LeakageExplorer
from course.widgets.drift_explorer import DriftExplorer
from course.widgets.late_labels_explorer import LateLabelExplorer
from course.widgets.pr_auc_vs_roc_auc_explorer import BaseRateExplorer
from course.widgets.quiz import NumericQuestion, Quiz, QuizQuestion
from course.widgets.thresholds_and_costs_explorer import ThresholdExplorer

__all__ = [
    "Explorer",
    "ThresholdExplorer",
    "BaseRateExplorer",
    "ImbalanceExplorer",
    "LateLabelExplorer",
    "DriftExplorer",
    "Quiz",
    "QuizQuestion",
    "NumericQuestion",
    "LeakageExplorer",
    "CalibrationExplorer",
]

"""The threshold engine, the cost model and alert-budget metrics.

- :class:`ThresholdSweep`: sort once, then the confusion matrix, rates, alerts per day and
  cost of any threshold in O(log n); curves, average precision and ROC-AUC that equal
  scikit-learn's.
- :class:`CostModel`, :func:`least_cost_threshold`, :func:`capacity_threshold`: money.
- :func:`expected_loss_decisions`: flag when p x (amount + friction) >= review + friction;
  :func:`fraud_by_score_band`: what the frauds of each score band are worth.
- :func:`precision_at_k`, :func:`recall_at_k`, :func:`card_precision_at_k`,
  :func:`card_precision_at_k_by_day`: alert budgets.
- :func:`cost_curve`: expected cost against the threshold.
- :func:`daily_precision_at_k`: a team reviewing k alerts a day.
- :func:`pairwise_roc_auc`, :func:`trapezoid_pr_auc`, :func:`prevalence_weights`,
  :func:`expected_random_average_precision`: reading ROC-AUC and PR curves under rare fraud.
- :class:`PrevalenceSampler`: the same data at another base rate, by subsampling one class.
- :class:`DayBootstrap`, :func:`day_bootstrap`: intervals from resampling whole days.
- :func:`optimism`: a ranking metric in validation and at launch, and their gap (module 04).
- :func:`expected_loss_decisions`: flag when p x (amount + friction) >= review + friction.
- :func:`reliability_table`, :func:`expected_calibration_error`, :func:`ece_noise_floor`,
  :func:`calibration_report`, :func:`fraud_forecast`: are the probabilities right (module 06)?
- :func:`population_stability_index`, :func:`psi_by_period`, :func:`ks_by_period`,
  :func:`control_limits`, :func:`first_alarm`: model-free drift monitors (module 07).
"""

from course.metrics.auc import (
    expected_random_average_precision,
    pairwise_roc_auc,
    prevalence_weights,
    trapezoid_pr_auc,
)
from course.metrics.bootstrap import BootstrapResult, DayBootstrap, day_bootstrap
from course.metrics.calibration import (
    calibration_report,
    ece_noise_floor,
    expected_calibration_error,
    fraud_forecast,
    reliability_table,
)
from course.metrics.costs import (
    CostModel,
    capacity_threshold,
    check_cost_model,
    cost_curve,
    expected_loss_decisions,
    fraud_by_score_band,
    least_cost_threshold,
)
from course.metrics.drift import (
    PSI_FLOOR,
    AlarmTiming,
    ControlLimits,
    control_limits,
    first_alarm,
    ks_by_period,
    population_stability_index,
    psi_by_period,
)
from course.metrics.optimism import RANKING_METRICS, Optimism, optimism
from course.metrics.prevalence import PrevalenceSampler
from course.metrics.ranking import (
    card_precision_at_k,
    card_precision_at_k_by_day,
    daily_precision_at_k,
    precision_at_k,
    recall_at_k,
)
from course.metrics.threshold_sweep import ThresholdResult, ThresholdSweep

__all__ = [
    "ThresholdSweep",
    "ThresholdResult",
    "CostModel",
    "check_cost_model",
    "least_cost_threshold",
    "capacity_threshold",
    "cost_curve",
    "expected_loss_decisions",
    "fraud_by_score_band",
    "precision_at_k",
    "recall_at_k",
    "card_precision_at_k",
    "card_precision_at_k_by_day",
    "pairwise_roc_auc",
    "trapezoid_pr_auc",
    "prevalence_weights",
    "expected_random_average_precision",
    "daily_precision_at_k",
    "PrevalenceSampler",
    "BootstrapResult",
    "DayBootstrap",
    "day_bootstrap",
    "RANKING_METRICS",
    "Optimism",
    "optimism",
    "reliability_table",
    "expected_calibration_error",
    "ece_noise_floor",
    "calibration_report",
    "fraud_forecast",
    "PSI_FLOOR",
    "population_stability_index",
    "psi_by_period",
    "ks_by_period",
    "ControlLimits",
    "control_limits",
    "AlarmTiming",
    "first_alarm",
]

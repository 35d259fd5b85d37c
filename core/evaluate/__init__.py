"""Step 6, Test: the run's model on its locked test set, against the business goal of Step 1.

Plain Python (no UI); pages and the HTML report use the same tables and figures.

- ``load_eval_data(store, run_id, model=None) -> EvalData`` (``data.py``): the predictor and the
  test rows of the stored split (UserError when the data lacks the model's columns or holds a
  class the model never saw); ``current_data_issues`` for the project's newer data.
- ``evaluate_run(store, run_id) -> Evaluation`` (``evaluation.py``): everything below at once.
- ``metrics.py``: scikit-learn metrics with one-line meanings (``get_metrics_df``), confusion
  matrix with business cost per cell, ROC / PR / calibration tables, per-class table.
- ``performance.py``: ``measure``, ``get_baselines_df`` (leaderboard models on the test set),
  ``get_runs_df`` (earlier runs).
- ``threshold.py``: ``choose_threshold`` on validation (out-of-fold) predictions, applied to the
  test set; ``ThresholdResult.threshold_view(t)`` for a threshold moved by hand.
- ``value.py``: the ROI recomputed with measured performance (the rule is in its docstring).
- ``speed.py``: latency per row and batch throughput against the speed requirement.
- ``verdict.py``: each acceptance criterion with pass / fail, Go / No-Go, the sponsor paragraph.
- ``slices.py``: metric per slice, fairness between groups, robustness to missing features.
- ``checklist.py``: model / service / system checklist and the domain expert's review (review log).
- ``plots.py``: pure Plotly figures.
"""

from core.evaluate.data import EvalData, check_classes, check_columns, current_data_issues, load_eval_data
from core.evaluate.evaluation import Evaluation, evaluate_run

__all__ = ["EvalData", "Evaluation", "check_classes", "check_columns", "current_data_issues", "evaluate_run",
           "load_eval_data"]

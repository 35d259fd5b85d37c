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
- ``validation.py``: ``validation_set``, the predictions of rows the model did not learn from
  (out of fold, or held out) that every decision rule is chosen on.
- ``decision.py``: ``decide`` — the decision rule in money for every problem type (threshold,
  least expected cost, quantile shift) against the policies that need no model, with bootstrap
  intervals on the test rows; ``money.py``: its tables and sentences.
- ``threshold.py``: ``choose_threshold`` (exact search on validation predictions), applied to the
  test set; ``ThresholdResult.threshold_view(t)`` for a threshold moved by hand.
- ``value.py``: the measured value from measured quantities (today's cost − the model's) × cases.
- ``record.py``: the stored decision of an evaluated model (``record_decision``,
  ``current_decision`` with its staleness, ``ensure_decision``), read by Predict and promotion.
- ``speed.py``: latency per row and batch throughput against the speed requirement.
- ``verdict.py``: each acceptance criterion with pass / fail, Go / No-Go with its reasons, the
  sponsor paragraph.
- ``suspicion.py``, ``extrapolation.py``: too-good-to-be-true findings; test rows beyond the
  training range.
- ``slices.py``: metric per slice, fairness between groups, robustness to missing features.
- ``checklist.py``: model / service / system checklist and the domain expert's review (review log).
- ``plots.py``: pure Plotly figures.
"""

from core.evaluate.data import EvalData, check_classes, check_columns, current_data_issues, load_eval_data
from core.evaluate.evaluation import Evaluation, evaluate_run

__all__ = ["EvalData", "Evaluation", "check_classes", "check_columns", "current_data_issues", "evaluate_run",
           "load_eval_data"]

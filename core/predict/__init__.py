"""Operate: batch and what-if predictions, feedback, monitoring, drift and model versions.

Plain Python (no UI); AutoGluon is imported only when a predictor is loaded.

- ``check_batch``/``GuardReport``/``BatchRejected`` (``guard.py``): the column guard.
- ``score_batch``, ``score_rows``, ``check_for_model``, ``run_batch`` (``scoring.py``);
  ``python -m core.predict.worker BATCH_ID`` (``worker.py``) scores large files;
  ``refresh_batch``/``wait_for_batch`` watch it.
- ``decision_rule`` (the Test step's stored decision, see ``core.evaluate.record``), ``resolve_model``, ``register_run`` (``model.py``);
  ``get_inputs_df``, ``example_rows`` (``reference.py``) for the what-if form.
- ``get_batch_df``, ``export_csv``, ``export_excel``, ``neutralise`` (``exports.py``).
- ``add_feedback``, ``match_outcomes``, ``get_feedback_df`` (``feedback.py``).
- ``retraining_signal``, ``get_metrics_over_time_df``, ``get_drift_history_df`` (``monitor.py``);
  ``psi``, ``drift_report``, ``get_drift_df``, ``get_bins_df`` (``drift.py``); ``plot_*`` (``plots.py``).
- ``promote_run``, ``rollback``, ``get_versions_df``, ``get_history_df`` (``versions.py``).
- ``quickstart`` (``quickstart.py``), ``evaluate_model`` (``testset.py``), ``write_report``
  (``quick_report.py``): the command line's path from a file to a tested model.
"""

from core.predict.drift import drift_report, get_bins_df, get_drift_df, psi
from core.predict.exports import export_csv, export_excel, get_batch_df, neutralise, neutralise_frame, write_export
from core.predict.feedback import OutcomeMatch, add_feedback, get_feedback_df, match_outcomes
from core.predict.guard import BatchRejected, GuardIssue, GuardReport, check_batch
from core.predict.model import DecisionRule, decision_rule, register_run, resolve_model
from core.predict.monitor import RetrainingSignal, get_drift_history_df, get_metrics_over_time_df, retraining_signal
from core.predict.reference import example_rows, get_inputs_df
from core.predict.scoring import check_for_model, run_batch, score_batch, score_rows
from core.predict.versions import get_history_df, get_versions_df, promote_run, rollback
from core.predict.worker import refresh_batch, wait_for_batch

__all__ = [
    "BatchRejected", "GuardIssue", "GuardReport", "OutcomeMatch", "RetrainingSignal", "DecisionRule", "add_feedback",
    "check_batch", "check_for_model", "decision_rule", "drift_report", "example_rows", "export_csv",
    "export_excel", "get_batch_df", "get_bins_df", "get_drift_df", "get_drift_history_df", "get_feedback_df",
    "get_history_df", "get_inputs_df", "get_metrics_over_time_df", "get_versions_df", "match_outcomes", "neutralise",
    "neutralise_frame", "promote_run", "psi", "refresh_batch", "register_run", "resolve_model", "retraining_signal",
    "rollback", "run_batch", "score_batch", "score_rows", "wait_for_batch", "write_export",
]

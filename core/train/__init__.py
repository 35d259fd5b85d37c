"""Step 5, Train: AutoGluon in a background worker, live progress, baselines, experiment record.

Importing this package does not import AutoGluon (only the worker process does).

- ``TrainSettings``, ``PRESETS``, ``choose_metric`` (``settings.py``): what the user picks.
- ``start_training``, ``cancel_run``, ``refresh_stale_runs``, ``choose_model``, ``problem_type_of`` (``jobs.py``).
- ``compare_runs``, ``library_versions`` (``record.py``): the experiment record.
- ``get_leaderboard_df``, ``baseline_verdict`` (``leaderboard.py``): the leaderboard for pages.
- ``plan_validation``, ``prepare_validation`` (``validation.py``): validation that follows the split.
- ``python -m core.train.worker RUN_ID`` (``worker.py``): the worker itself.
- ``predict_script.py``: the standalone ``predict.py`` and ``model_card.json`` of each run.
"""

from core.train.jobs import (cancel_run, choose_model, problem_type_of, process_alive, refresh_stale_runs, run_log,
                             start_training)
from core.train.leaderboard import baseline_verdict, get_leaderboard_df
from core.train.record import compare_runs, library_versions
from core.train.settings import PRESETS, MetricChoice, TrainSettings, choose_metric

__all__ = [
    "PRESETS", "MetricChoice", "TrainSettings", "baseline_verdict", "cancel_run", "choose_metric", "choose_model",
    "compare_runs", "get_leaderboard_df", "library_versions", "problem_type_of", "process_alive", "refresh_stale_runs",
    "run_log",
    "start_training",
]

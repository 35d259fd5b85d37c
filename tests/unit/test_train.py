"""Step 5 without training: settings, the metric choice, the run row's guards, progress arithmetic, a storage error.

The worker itself (training in its own process, cancel, crash detection) is in ``tests/integration/test_train.py``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import Store
from core.errors import UserError
from core.models import utcnow
from core.store import projects, runs
from core.train import TrainSettings, cancel_run, choose_metric, refresh_stale_runs
from core.train.settings import ALLOWED_MODEL_TYPES, fit_arguments
from tests.helpers import TINY, churn_rows, new_project


# ---------------------------------------------------------------- settings


def test_settings_never_use_neural_networks_and_always_add_baselines():
    for preset in ("quick", "balanced", "best"):
        args = fit_arguments(TrainSettings(preset=preset))
        assert set(args["hyperparameters"]) <= set(ALLOWED_MODEL_TYPES)
        assert {"DUMMY", "LR"} <= set(args["hyperparameters"])
        assert {"NN_TORCH", "FASTAI", "TABPFNMIX", "REALMLP", "TABM", "MITRA"} <= set(args["excluded_model_types"])
        assert "GBM" not in args["excluded_model_types"] and args["num_gpus"] == 0
    explainable = fit_arguments(TrainSettings(explainable_only=True))
    assert set(explainable["hyperparameters"]) == {"LR", "RF", "DUMMY"} and not explainable["fit_weighted_ensemble"]
    assert "infer_limit" in fit_arguments(TrainSettings(fast_predictions=True))
    with pytest.raises(UserError):
        TrainSettings(preset="turbo")


def test_metric_follows_the_business_goal():
    assert choose_metric("binary").name == "f1"
    assert choose_metric("binary", {"acceptance": {"metrics": [{"metric": "recall", "value": 0.8}]}}).why_key \
        == "train.metric.why.f1_for_recall"
    assert choose_metric("binary", {"cost_matrix": {"fn": 200000, "fp": 500}}).name == "roc_auc"
    assert choose_metric("regression", {"acceptance": {"metrics": [{"metric": "R2"}]}}).name == "r2"
    assert choose_metric("regression").name == "root_mean_squared_error"
    assert choose_metric("multiclass").name == "accuracy"


# ---------------------------------------------------------------- the run row, no worker


def test_a_silent_run_is_failed_after_the_timeout(store: Store):
    project_id = projects.create_project(store, "Silent").id
    run = runs.create_run(store, project_id, dataset_id=None, recipe_id=None, settings={}, record={"host": "elsewhere"})
    assert refresh_stale_runs(store, timeout_s=30) == []
    runs.update_progress(store, run.id, progress=0.1)
    with store.sessions.begin() as session:
        from core import models as m

        session.get(m.TrainingRun, run.id).heartbeat_at = utcnow() - timedelta(seconds=120)
    assert refresh_stale_runs(store, timeout_s=30) == [run.id]
    failed = runs.get_run(store, run.id)
    assert failed.status == "failed" and failed.error["key"] == "train.error.stale_heartbeat"


def test_only_one_active_run_per_project_in_the_repository(store: Store):
    project_id = projects.create_project(store, "Guard").id
    first = runs.create_run(store, project_id, dataset_id=None, recipe_id=None, settings={}, record={})
    with pytest.raises(UserError):
        runs.create_run(store, project_id, dataset_id=None, recipe_id=None, settings={}, record={})
    runs.fail_run(store, first.id, "train.error.unexpected", {"detail": "x"})
    again = runs.create_run(store, project_id, dataset_id=None, recipe_id=None, settings={}, record={})
    assert again.status == "queued"


def test_cancel_before_the_worker_starts(store: Store):
    project_id = projects.create_project(store, "Early").id
    unspawned = runs.create_run(store, project_id, dataset_id=None, recipe_id=None, settings={}, record={})
    assert cancel_run(store, unspawned.id) == "cancelled"
    spawned = runs.create_run(store, project_id, dataset_id=None, recipe_id=None, settings={}, record={})
    runs.attach_process(store, spawned.id, pid=999_999, log_path="")
    assert cancel_run(store, spawned.id, wait=False) == "cancelling"  # the worker stops as soon as it starts


def test_eta_and_progress_from_time_budget_and_models():
    from core.train.progress import count_planned
    from core.train.reporter import Reporter

    reporter = Reporter(store=None, run_id=0, time_limit=60)
    assert 60 < reporter.eta() <= 65 and reporter.progress() < 0.05
    reporter.planned, reporter.done = 4, 2
    assert reporter.eta() < 10 and reporter.progress() == 0.5
    models = {"default": {"GBM": [{}, {}], "RF": [{"ag_args": {"problem_types": ["regression"]}}], "LR": {}}}
    assert count_planned(models, "binary", 1, 1) == 4 and count_planned(models, "regression", 1, 2) == 10


def test_storage_error_fails_the_run_with_a_clear_message(sqlite_store: Store):
    from core.preprocess import latest_recipe
    from core.train.jobs import experiment_record
    from core.train.paths import run_dir
    from core.train.worker import execute

    project_id = new_project(sqlite_store, "Full disk", churn_rows())
    saved = latest_recipe(sqlite_store, project_id)
    settings = TrainSettings(hyperparameters=TINY)
    record = experiment_record(sqlite_store, saved, settings, "binary", {"name": "f1", "why_key": ""}, "ana")
    run = runs.create_run(sqlite_store, project_id, dataset_id=saved.info.dataset_id, recipe_id=saved.info.id,
                          settings=settings.to_dict(), record=record)
    folder = run_dir(sqlite_store, project_id, run.id)
    folder.mkdir(parents=True)
    (folder / "model").write_text("a file where the model folder should go")
    assert execute(sqlite_store, run.id) == "failed"
    failed = runs.get_run(sqlite_store, run.id)
    assert failed.error["key"] == "train.error.storage" and failed.error["params"]["path"].endswith("model")

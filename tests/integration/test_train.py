"""Step 5: the worker end to end in its own process, progress/ETA, cancel, crash detection, record."""

from __future__ import annotations

import os
import signal
import time

import pytest

from core.db import Store
from core.errors import UserError
from core.store import runs
from core.train import (
    TrainSettings,
    cancel_run,
    compare_runs,
    get_leaderboard_df,
    process_alive,
    refresh_stale_runs,
    start_training,
)
from tests.helpers import TINY, TrainedRun, churn_rows, new_project, poll_run

SLOW = {"GBM": [{"num_boost_round": 400, "ag_args": {"name_suffix": f"_{i}"}} for i in range(60)]}


# ---------------------------------------------------------------- the worker end to end


def test_worker_trains_with_baselines_progress_and_record(churn_run: TrainedRun):
    run = runs.get_run(churn_run.store, churn_run.run_id)
    assert run.status == "succeeded", run.error
    board = get_leaderboard_df(run.leaderboard)
    assert set(board.loc[board["is_baseline"], "family"]) == {"baseline_constant", "baseline_linear"}
    assert board["model"].str.startswith("LightGBM").any() and board["note"].str.len().gt(10).all()
    assert board["predict_measured"].all() and board["predict_ms_per_1000"].gt(0).all()
    assert run.metrics["best_model"] == run.chosen_model and run.metrics["verdict"]["key"].startswith(
        "train.verdict.")
    assert run.progress == 1.0 and run.models_done == run.models_planned >= 4
    rec = run.record
    assert rec["versions"]["autogluon.tabular"] and rec["versions"]["pandas"] and rec["versions"]["python"]
    assert rec["dataset"]["content_hash"] and rec["recipe"]["number"] == 1 and rec["seed"] == 0
    assert rec["split"]["strategy"] == "stratified" and rec["metric"] == "f1" and rec["created_by"] == "ana"
    assert rec["timings"]["fit_s"] > 0 and rec["training_data"]["rows"] == rec["split"]["train"]


def test_progress_and_eta_are_written_while_running(churn_run: TrainedRun):
    running = [s for s in churn_run.snapshots if s["status"] == "running" and s["models_planned"]]
    assert running, [s["status"] for s in churn_run.snapshots]
    assert any(s["eta_seconds"] is not None and s["eta_seconds"] > 0 for s in running)
    assert any(0 < s["models_done"] < s["models_planned"] and s["leaderboard"] for s in running)
    assert all(s["heartbeat"] for s in running)


def test_test_rows_never_reach_autogluon(churn_run: TrainedRun):
    from autogluon.tabular import TabularPredictor

    run = runs.get_run(churn_run.store, churn_run.run_id)
    folder = churn_run.store.artefacts / "projects" / str(churn_run.project_id) / "runs" / str(run.id)
    trainer = TabularPredictor.load(str(folder / "model"), verbosity=0)._trainer
    assert trainer._num_rows_train + (trainer._num_rows_val or 0) == run.record["split"]["train"] == 160


def test_log_is_readable_and_free_of_torch_noise(churn_run: TrainedRun):
    run = runs.get_run(churn_run.store, churn_run.run_id)
    log = (churn_run.store.artefacts / run.log_path).read_text(encoding="utf-8")
    assert "Fitting model: LightGBM" in log and "torch" not in log.lower()


def test_compare_runs_side_by_side(churn_run: TrainedRun):
    table = compare_runs(churn_run.store, [churn_run.run_id, 999_999])
    assert list(table.columns) == [churn_run.run_id]
    assert table.loc["autogluon", churn_run.run_id] and table.loc["metric", churn_run.run_id] == "f1"


# ---------------------------------------------------------------- cancel, crash, second click


def _start_slow(store: Store, name: str) -> tuple[int, int]:
    project_id = new_project(store, name, churn_rows())
    run_id = start_training(store, project_id, TrainSettings(hyperparameters=SLOW, time_limit=120), "ana")
    poll_run(store, run_id, lambda r: r.models_done >= 2 or r.status in runs.FINAL)
    return project_id, run_id


def test_second_start_is_refused_and_cancel_stops_cleanly(sqlite_store: Store):
    project_id, run_id = _start_slow(sqlite_store, "Cancel me")
    with pytest.raises(UserError) as err:
        start_training(sqlite_store, project_id, TrainSettings(hyperparameters=TINY), "bo")
    assert err.value.key == "train.error.already_running"
    pid = runs.get_run(sqlite_store, run_id).pid
    t0 = time.monotonic()
    assert cancel_run(sqlite_store, run_id, grace_s=15) == "cancelled"
    assert time.monotonic() - t0 < 15
    run = runs.get_run(sqlite_store, run_id)
    assert run.error == {} and run.leaderboard and run.models_done < 60  # stopped between models, results kept
    poll_run(sqlite_store, run_id, lambda r: not process_alive(pid, run_id), timeout=10)
    assert runs.active_runs(sqlite_store, project_id) == []


def test_a_killed_worker_is_detected_with_its_log(sqlite_store: Store):
    project_id, run_id = _start_slow(sqlite_store, "Kill me")
    os.killpg(runs.get_run(sqlite_store, run_id).pid, signal.SIGKILL)
    poll_run(sqlite_store, run_id, lambda r: refresh_stale_runs(sqlite_store) or r.status == "failed", timeout=10)
    run = runs.get_run(sqlite_store, run_id)
    assert run.status == "failed" and run.error["key"] == "train.error.worker_died"
    assert "Fitting model" in run.log_tail
    assert runs.active_runs(sqlite_store, project_id) == []  # the project is usable again

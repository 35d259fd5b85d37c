"""Start, cancel and watch training runs (the worker runs in its own process and session)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.db import Store
from core.errors import UserError
from core.models import utcnow
from core.preprocess import SavedRecipe, get_saved_recipe, latest_recipe
from core.store import datasets, goals, projects, runs
from core.train.paths import LOG_NAME, log_relpath, read_log_tail, run_dir
from core.train.record import code_version, host, library_versions
from core.train.fitting import training_rows, validation_for
from core.train.settings import TrainSettings, choose_metric, normalise_metric
from core.train.validation import fit_plan

ROOT = Path(__file__).resolve().parents[2]
CANCEL_GRACE_S = 10.0
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _recipe(store: Store, project_id: int, recipe_id: int | None) -> SavedRecipe:
    saved = get_saved_recipe(store, recipe_id) if recipe_id else latest_recipe(store, project_id)
    if saved is None or saved.info.project_id != project_id:
        raise UserError("train.error.no_recipe")
    if saved.info.dataset_id is None or datasets.get_dataset(store, saved.info.dataset_id) is None:
        raise UserError("train.error.no_dataset")
    return saved


def problem_type_of(store: Store, saved: SavedRecipe, project: projects.ProjectInfo) -> str:
    """The recipe's problem type, else the project's, else proposed from the target's values."""
    kind = saved.recipe.target.problem_type or project.problem_type
    if kind:
        return kind
    from core.data import propose_problem_type

    df = datasets.load_dataframe(store, saved.info.dataset_id)
    return propose_problem_type(df[saved.recipe.target.column])


def experiment_record(store: Store, saved: SavedRecipe, settings: TrainSettings, problem_type: str,
                      metric: dict[str, str], created_by: str) -> dict[str, Any]:
    """What will produce this model: data, recipe, split, validation, settings, seed, versions, who and when.

    The validation is applied to the training rows here already, so bad input (one group, one
    date) is refused before a run is stored.
    """
    dataset = datasets.get_dataset(store, saved.info.dataset_id)
    split = saved.split
    args, plan = fit_plan(settings, metric["name"], split)
    validation = validation_for(training_rows(store, saved, problem_type), plan, problem_type, settings.seed)
    return {
        "dataset": {"id": dataset.id, "content_hash": dataset.content_hash, "label": dataset.label,
                    "rows": dataset.n_rows, "columns": dataset.n_cols},
        "recipe": {"id": saved.info.id, "number": saved.info.number},
        "split": {"strategy": split.strategy, "test_share": split.test_share, "seed": split.seed,
                  **split.counts(), "time_column": split.time_column, "group_column": split.group_column,
                  "cutoff": split.cutoff, "data_hash": split.data_hash},
        "problem_type": problem_type, "metric": metric["name"], "metric_why_key": metric["why_key"],
        "validation": validation.record, "settings": settings.to_dict(), "fit_arguments": _jsonable_args(args),
        "seed": settings.seed,
        "versions": library_versions(), "code_version": code_version(), "host": host(),
        "created_by": created_by, "requested_at": utcnow().isoformat(),
    }


def _jsonable_args(args: dict[str, Any]) -> dict[str, Any]:
    """The AutoGluon fit arguments that matter for reproduction (model list summarised)."""
    args = {k: v for k, v in args.items() if k not in ("excluded_model_types",)}
    args["hyperparameters"] = {k: len(v) if isinstance(v, list) else 1 for k, v in args["hyperparameters"].items()}
    return args


def start_training(store: Store, project_id: int, settings: TrainSettings | dict[str, Any] | None = None,
                   created_by: str = "", *, recipe_id: int | None = None) -> int:
    """Queue a run and start its worker process; returns the run id. One active run per project."""
    refresh_stale_runs(store, project_id=project_id)
    project = projects.get_project(store, project_id)
    if project is None:
        raise UserError("project.error.not_found", id=project_id)
    if store.engine.url.database in (None, "", ":memory:") and store.engine.url.get_backend_name() == "sqlite":
        raise UserError("train.error.memory_database")
    if runs.active_runs(store, project_id):
        raise UserError("train.error.already_running", run=runs.active_runs(store, project_id)[0].id)
    settings = settings if isinstance(settings, TrainSettings) else TrainSettings.from_dict(settings)
    saved = _recipe(store, project_id, recipe_id)
    problem_type = problem_type_of(store, saved, project)
    goal, _ = goals.load_goal(store, project_id)
    choice = choose_metric(problem_type, goal)
    metric = ({"name": normalise_metric(settings.metric, problem_type), "why_key": "train.metric.why.user"}
              if settings.metric else {"name": choice.name, "why_key": choice.why_key})
    record = experiment_record(store, saved, settings, problem_type, metric, created_by)
    run = runs.create_run(store, project_id, dataset_id=saved.info.dataset_id, recipe_id=saved.info.id,
                          settings=settings.to_dict(), record=record, created_by=created_by)
    _spawn(store, run)
    return run.id


def _spawn(store: Store, run: runs.RunInfo) -> None:
    """Start ``python -m core.train.worker RUN_ID`` in a new session, logging to the run folder."""
    relpath = log_relpath(run.project_id, run.id)
    env = {**os.environ, "DATABASE_URL": store.engine.url.render_as_string(hide_password=False),
           "ML_STUDIO_ARTEFACTS": str(store.artefacts), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # busy-waiting OpenMP threads slow a shared CPU badly
    try:
        folder = run_dir(store, run.project_id, run.id)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / LOG_NAME).open("ab") as log_file:
            proc = subprocess.Popen([sys.executable, "-m", "core.train.worker", str(run.id)], cwd=ROOT, env=env,
                                    stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
    except OSError as exc:
        runs.fail_run(store, run.id, "train.error.storage", {"path": exc.filename or "", "detail": exc.strerror})
        raise UserError("train.error.storage", path=exc.filename or "", detail=exc.strerror or str(exc)) from exc
    _CHILDREN[run.id] = proc
    runs.attach_process(store, run.id, pid=proc.pid, log_path=relpath)


def _reap() -> None:
    """Collect finished worker processes so they do not linger as zombies."""
    for run_id, proc in list(_CHILDREN.items()):
        if proc.poll() is not None:
            del _CHILDREN[run_id]


def process_alive(pid: int | None, run_id: int) -> bool:
    """Whether ``pid`` is still this run's worker (not a zombie, not a reused pid)."""
    import psutil

    _reap()
    if not pid:
        return False
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        cmdline = " ".join(proc.cmdline())
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True
    return "core.train.worker" in cmdline and str(run_id) in cmdline.split()


def _kill_group(pid: int | None, run_id: int, wait_s: float = 3.0) -> None:
    """Terminate the worker's process group (SIGTERM, then SIGKILL)."""
    if not process_alive(pid, run_id):
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:  # not a group leader (started by hand): the process alone
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
        except PermissionError:
            return
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and process_alive(pid, run_id):
            time.sleep(0.1)
        if not process_alive(pid, run_id):
            return


def cancel_run(store: Store, run_id: int, grace_s: float = CANCEL_GRACE_S, wait: bool = True) -> str | None:
    """Ask the worker to stop after the current model; kill its process group if it overstays."""
    status = runs.request_cancel(store, run_id)
    if status != runs.CANCELLING or not wait:
        return status
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        run = runs.get_run(store, run_id)
        if run is None or run.status in runs.FINAL:
            _reap()
            return None if run is None else run.status
        time.sleep(0.25)
    run = runs.get_run(store, run_id)
    if run.record.get("host") == host():
        _kill_group(run.pid, run_id)
    runs.fail_run(store, run_id, "train.status.cancel_forced", log_tail=read_log_tail(store, run.log_path),
                  status=runs.CANCELLED)
    return runs.get_run(store, run_id).status


def refresh_stale_runs(store: Store, timeout_s: float = 30.0, project_id: int | None = None) -> list[int]:
    """Mark active runs whose worker died (pid gone) or went silent (stale heartbeat) as failed."""
    ended = []
    now = utcnow()
    for run in runs.active_runs(store, project_id):
        same_host = run.record.get("host") == host()
        last = run.heartbeat_at or run.created_at
        stale = now - last > timedelta(seconds=timeout_s)
        dead = same_host and run.pid is not None and not process_alive(run.pid, run.id)
        if not (stale or dead):
            continue
        if same_host:
            _kill_group(run.pid, run.id)  # a hung worker must not linger as an orphan
        key = "train.error.worker_died" if dead else "train.error.stale_heartbeat"
        status = runs.CANCELLED if run.status == runs.CANCELLING else runs.FAILED
        runs.fail_run(store, run.id, key, {"seconds": round((now - last).total_seconds())},
                      log_tail=read_log_tail(store, run.log_path), status=status)
        ended.append(run.id)
    return ended


def choose_model(store: Store, run_id: int, model: str) -> None:
    """Use another leaderboard model for this run (also the default of its predict.py)."""
    from core.train.predict_script import set_card_model

    runs.set_chosen_model(store, run_id, model)
    run = runs.get_run(store, run_id)
    set_card_model(run_dir(store, run.project_id, run.id), model)


def run_log(store: Store, run_id: int, max_chars: int = 20_000) -> str:
    """The end of a run's log (for the page)."""
    run = runs.get_run(store, run_id)
    return read_log_tail(store, run.log_path, max_chars) if run else ""

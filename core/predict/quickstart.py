"""The command line's whole path in one call: data file → project → analysis → recipe → training → test.

Every step uses the same ``core`` functions as the pages, so a project made here opens in the
app like any other. Training runs in the usual worker process; progress lines go to
``progress`` (stderr on the command line). A failure before training removes the half-made
project; a failed training run stays, with its log, for inspection.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from core.analyze.warnings import engineer_warnings, split_entries
from core.data import positive_class_candidates, propose_problem_type, read_upload
from core.db import Store
from core.errors import UserError
from core.predict.model import register_run
from core.predict.quick_report import write_report
from core.predict.testset import evaluate_model
from core.preprocess import recipe_from_analysis, save_recipe_version
from core.report.goal_sheet import import_goal_json
from core.store import datasets, goals, projects, runs
from core.value import BusinessGoal
from core.analyze.saved import run_analysis
from core.store.paths import resolve
from core.train import TrainSettings, cancel_run, refresh_stale_runs, start_training

Progress = Callable[[str], None]
POLL_S = 1.0


def read_table(path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A data file read as the import page reads it, and its source description."""
    if not path.is_file():
        raise UserError("predict.cli.file_missing", path=str(path))
    result = read_upload(path.read_bytes(), path.name)
    return result.df, {"kind": result.source_kind, "filename": path.name, "encoding": result.encoding,
                       "delimiter": result.delimiter, "via": "cli"}


def _target(df: pd.DataFrame, target: str, positive: str | None) -> tuple[str, str | None]:
    """(problem type, positive class) for ``target``; UserError when the column or class is unknown."""
    if target not in df.columns:
        shown = ", ".join(str(c) for c in list(df.columns)[:15])
        raise UserError("predict.cli.bad_target", column=target, columns=shown)
    series = df[target]
    problem = propose_problem_type(series)
    if problem != "binary":
        return problem, None
    labels = {str(v) for v in series.dropna().unique()}
    if positive is not None and positive not in labels:
        raise UserError("predict.cli.bad_positive", value=positive, values=", ".join(sorted(labels)))
    return problem, positive if positive is not None else str(positive_class_candidates(series)[0])


def _prepare(store: Store, df: pd.DataFrame, source: dict[str, Any], name: str, target: str, problem: str,
             positive: str | None, say: Progress) -> tuple[int, list[dict[str, Any]]]:
    """Create the project, import, analyse and save the recipe; returns the project id and the warnings.

    Every warning-level finding (leakage suspects, ID-like columns, dates, …) and every split
    warning is said with its column names, since no page shows them to someone on a terminal.
    """
    project = projects.create_project(store, name, owner="cli")  # its origin is said from the data's source
    try:
        datasets.add_dataset_version(store, project.id, df, source=source, label=source["filename"], created_by="cli")
        projects.update_project(store, project.id, target_column=target, positive_class=positive, problem_type=problem)
        say(f"Analysing {len(df)} rows × {df.shape[1]} columns…")
        analysis = run_analysis(store, project.id)
        warnings = engineer_warnings(analysis.report)
        for warning in warnings:
            say(f"warning: {warning['message']}")
        recipe = recipe_from_analysis(analysis.report.to_dict(), target=target, problem_type=problem,
                                      positive_class=positive)
        saved = save_recipe_version(store, project.id, recipe, created_by="cli")
        for warning in split_entries(saved.split.warnings):
            say(f"warning: {warning['message']}")
            warnings.append(warning)
        say(f"Recipe v{saved.number}: dropped {', '.join(recipe.dropped()) or 'nothing'}; "
            f"split {saved.split.strategy}, {saved.split.counts()['test']} test rows held out.")
    except BaseException:
        projects.delete_project(store, project.id)
        raise
    return project.id, warnings


def wait_for_run(store: Store, run_id: int, say: Progress) -> runs.RunInfo:
    """Poll the run row until it ends, reporting each model; cancels the run on Ctrl-C."""
    last = None
    try:
        while True:
            run = runs.get_run(store, run_id)
            if run.status in runs.FINAL:
                return run
            shown = (run.status, run.models_done, run.current_model)
            if shown != last:
                eta = f", about {run.eta_seconds:.0f} s left" if run.eta_seconds else ""
                say(f"Training: {run.status}, {run.models_done}/{run.models_planned or '?'} models"
                    f"{' — ' + run.current_model if run.current_model else ''}{eta}")
                last = shown
            time.sleep(POLL_S)
            refresh_stale_runs(store, project_id=run.project_id)
    except KeyboardInterrupt:
        cancel_run(store, run_id, wait=False)
        raise


def read_goal(path: Path, problem: str) -> BusinessGoal:
    """A business goal exported from the Business page (JSON), checked against the data's problem type."""
    if not path.is_file():
        raise UserError("predict.cli.file_missing", path=str(path))
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise UserError("predict.cli.file_missing", path=str(path)) from exc
    goal = import_goal_json(content)
    wanted = goal.preconditions.problem_type
    if wanted and wanted != problem:
        raise UserError("predict.cli.goal_problem_type", goal=wanted, data=problem)
    return goal


def quickstart(store: Store, data: Path, target: str, *, positive_class: str | None = None,
               time_limit: float | None = None, project_name: str | None = None, goal: Path | None = None,
               say: Progress = lambda _m: None) -> dict[str, Any]:
    """Run every step on ``data`` (with the business goal of ``goal``); returns what the command prints."""
    started = time.monotonic()
    df, source = read_table(Path(data))
    problem, positive = _target(df, target, positive_class)
    business = read_goal(Path(goal), problem) if goal is not None else None
    name = project_name or f"{Path(data).stem} {datetime.now():%Y-%m-%d %H:%M:%S}"
    if projects.find_project(store, name) is not None:
        raise UserError("project.error.name_taken", name=name)
    settings = TrainSettings(preset="quick", time_limit=time_limit)
    say(f"Project '{name}': target '{target}' ({problem}{', positive class ' + positive if positive else ''}).")
    project_id, warnings = _prepare(store, df, source, name, target, problem, positive, say)
    try:
        if business is not None:
            if not business.preconditions.problem_type:
                business.preconditions.problem_type = problem
            goals.save_goal(store, project_id, business.to_dict())
            projects.update_project(store, project_id, currency=business.currency)  # money in the goal's currency
            say(f"Business goal: {business.title or Path(goal).name}.")
        run_id = start_training(store, project_id, settings, created_by="cli")
    except BaseException:
        projects.delete_project(store, project_id)
        raise
    say(f"Training run {run_id} started (Quick preset{f', {time_limit:g} s budget' if time_limit else ''}).")
    run = wait_for_run(store, run_id, say)
    if run.status != runs.SUCCEEDED:
        error = run.error or {"key": "train.error.unexpected", "params": {"detail": run.status}}
        raise UserError(error.get("key", "train.error.unexpected"), **(error.get("params") or {}))
    info = register_run(store, run_id)
    say(f"Training done: {info.model_name}. Testing on the locked test set…")
    result = evaluate_model(store, info)
    for found in result["model_warnings"]:
        say(f"warning: {found['message']}")
    for reason in result["decision"]["reasons"]:
        say(f"{result['verdict']}: {reason['text']}")
    report = write_report(store, result)
    return {"project_id": project_id, "project": name, "run_id": run_id, "problem_type": problem,
            "metrics": result["metrics"], "test_rows": result.get("rows"), "threshold": result.get("threshold"),
            "verdict": result.get("verdict"), "decision": result["decision"], "metrics_source": result.get("source"),
            "report_path": str(report), "model_path": str(resolve(store, info.path)), "model": info.model_name,
            "elapsed_s": round(time.monotonic() - started, 1), "warnings": warnings,
            "model_warnings": result["model_warnings"]}

"""Training runs (Step 5): the background job's row and its experiment record.

Statuses: ``queued`` → ``running`` → ``succeeded`` | ``failed`` | ``cancelled``; a cancel request
sets ``cancelling`` (the worker's flag). A failed run keeps why as a message ``{"key", "params"}``
(:class:`core.messages.Message`) and the end of its log, so the page can show both.

``chosen_model`` is the one place that says which model a run uses: the best one when it
finishes, another when the user picks it (:func:`set_chosen_model`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from core import models as m
from core.db import Store
from core.errors import UserError
from core.messages import Message
from core.models import utcnow

QUEUED, RUNNING, CANCELLING = "queued", "running", "cancelling"
SUCCEEDED, FAILED, CANCELLED = "succeeded", "failed", "cancelled"
ACTIVE = (QUEUED, RUNNING, CANCELLING)
FINAL = (SUCCEEDED, FAILED, CANCELLED)


def aware(value: datetime | None) -> datetime | None:
    """A timezone-aware UTC datetime (SQLite hands back naive ones)."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class RunInfo:
    """A training run as pages and the worker see it.

    ``chosen_model``: the model Step 6, Predict and ``predict.py`` use ("" until the run succeeded).
    ``error``: why it failed, ``{"key", "params"}`` ({} when nothing failed); ``log_tail``: its log's end.
    """

    id: int
    project_id: int
    dataset_id: int | None
    recipe_id: int | None
    status: str
    progress: float
    models_done: int
    models_planned: int
    current_model: str
    eta_seconds: float | None
    pid: int | None
    heartbeat_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    log_path: str
    settings: dict[str, Any]
    record: dict[str, Any]
    metrics: dict[str, Any]
    leaderboard: list[dict[str, Any]]
    chosen_model: str
    error: dict[str, Any]
    log_tail: str
    created_by: str
    created_at: datetime

    @property
    def is_active(self) -> bool:
        """Queued, running or being cancelled."""
        return self.status in ACTIVE

    @property
    def elapsed_s(self) -> float | None:
        """Seconds from start to finish (or to now while it runs)."""
        if self.started_at is None:
            return None
        return ((self.finished_at or utcnow()) - self.started_at).total_seconds()


def _info(r: m.TrainingRun) -> RunInfo:
    message = Message.of(r.error)
    return RunInfo(
        r.id, r.project_id, r.dataset_id, r.recipe_id, r.status, r.progress, r.models_done, r.models_planned,
        r.current_model, r.eta_seconds, r.pid, aware(r.heartbeat_at), aware(r.started_at), aware(r.finished_at),
        r.log_path, dict(r.settings), dict(r.record), dict(r.metrics), list(r.leaderboard), r.chosen_model or "",
        message.to_dict() if message else {}, r.log_tail or "", r.created_by, aware(r.created_at),
    )


def _active_query(project_id: int):  # noqa: ANN202 - SQLAlchemy select
    return select(m.TrainingRun).where(m.TrainingRun.project_id == project_id, m.TrainingRun.status.in_(ACTIVE))


def create_run(store: Store, project_id: int, *, dataset_id: int | None, recipe_id: int | None,
               settings: dict[str, Any], record: dict[str, Any], created_by: str = "") -> RunInfo:
    """A new queued run; refused while another run of the project is active."""
    with store.sessions.begin() as session:
        if session.get(m.Project, project_id, with_for_update=True) is None:
            raise UserError("project.error.not_found", id=project_id)
        row = m.TrainingRun(project_id=project_id, dataset_id=dataset_id, recipe_id=recipe_id, status=QUEUED,
                            settings=settings, record=record, created_by=created_by[:100])
        session.add(row)
        session.flush()  # takes the write lock first, then looks for a concurrent run
        other = session.scalar(_active_query(project_id).where(m.TrainingRun.id != row.id).limit(1))
        if other is not None:
            raise UserError("train.error.already_running", run=other.id)
        return _info(row)


def get_run(store: Store, run_id: int) -> RunInfo | None:
    """One run, or None."""
    with store.sessions() as session:
        row = session.get(m.TrainingRun, run_id)
        return _info(row) if row else None


def list_runs(store: Store, project_id: int) -> list[RunInfo]:
    """A project's runs, newest first."""
    with store.sessions() as session:
        rows = session.scalars(select(m.TrainingRun).where(m.TrainingRun.project_id == project_id)
                               .order_by(m.TrainingRun.id.desc()))
        return [_info(r) for r in rows]


def active_runs(store: Store, project_id: int | None = None) -> list[RunInfo]:
    """Runs still queued, running or cancelling (of one project, or all)."""
    query = select(m.TrainingRun).where(m.TrainingRun.status.in_(ACTIVE))
    if project_id is not None:
        query = query.where(m.TrainingRun.project_id == project_id)
    with store.sessions() as session:
        return [_info(r) for r in session.scalars(query.order_by(m.TrainingRun.id))]


def _update(store: Store, run_id: int, only_active: bool = True, **values: Any) -> str | None:
    """Set columns of a run; returns its status (None if gone). Finished runs stay as they are."""
    with store.sessions.begin() as session:
        row = session.get(m.TrainingRun, run_id)
        if row is None:
            return None
        if only_active and row.status not in ACTIVE:
            return row.status
        for key, value in values.items():
            setattr(row, key, value)
        return row.status


def attach_process(store: Store, run_id: int, *, pid: int, log_path: str) -> None:
    """Record the worker's pid and log file as soon as it is spawned."""
    _update(store, run_id, pid=pid, log_path=log_path)


def mark_started(store: Store, run_id: int, *, pid: int, log_path: str) -> str | None:
    """Record the worker's pid and log file; queued becomes running."""
    with store.sessions.begin() as session:
        row = session.get(m.TrainingRun, run_id)
        if row is None:
            return None
        row.pid, row.log_path, row.heartbeat_at = pid, log_path, utcnow()
        row.started_at = row.started_at or utcnow()
        if row.status == QUEUED:
            row.status = RUNNING
        return row.status


def heartbeat(store: Store, run_id: int) -> str | None:
    """The worker is alive; returns the status (``cancelling`` tells it to stop)."""
    return _update(store, run_id, heartbeat_at=utcnow())


def update_progress(store: Store, run_id: int, **values: Any) -> str | None:
    """Progress fields (progress, models_done, models_planned, current_model, eta_seconds, leaderboard)."""
    allowed = {"progress", "models_done", "models_planned", "current_model", "eta_seconds", "leaderboard", "record"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not progress fields: {sorted(unknown)}")
    return _update(store, run_id, heartbeat_at=utcnow(), **values)


def finish_run(store: Store, run_id: int, *, leaderboard: list[dict[str, Any]], metrics: dict[str, Any],
               record: dict[str, Any], chosen_model: str = "", status: str = SUCCEEDED) -> str | None:
    """Store the results; a run whose cancel was requested ends as cancelled.

    ``chosen_model`` defaults to the best model (``metrics["best_model"]``).
    """
    with store.sessions.begin() as session:
        row = session.get(m.TrainingRun, run_id)
        if row is None or row.status not in ACTIVE:
            return None if row is None else row.status
        row.status = CANCELLED if row.status == CANCELLING else status
        row.leaderboard, row.metrics, row.record = leaderboard, metrics, record
        row.chosen_model = str(chosen_model or metrics.get("best_model") or "")[:200]
        row.progress, row.eta_seconds, row.current_model = 1.0, 0.0, ""
        row.finished_at = row.heartbeat_at = utcnow()
        return row.status


def fail_run(store: Store, run_id: int, key: str, params: dict[str, Any] | None = None, *, log_tail: str = "",
             status: str = FAILED) -> str | None:
    """End an active run as failed (or cancelled) with a message key and the end of its log."""
    error = _jsonable(Message(key, dict(params or {})).to_dict())
    return _update(store, run_id, status=status, error=error, log_tail=log_tail[-20_000:], finished_at=utcnow(),
                   eta_seconds=None, current_model="")


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    """Parameters a JSON column can hold (anything else as its text, as before)."""
    return json.loads(json.dumps(value, default=str))


def request_cancel(store: Store, run_id: int) -> str | None:
    """Raise the cancel flag of an active run; returns the status after the request."""
    with store.sessions.begin() as session:
        row = session.get(m.TrainingRun, run_id)
        if row is None:
            return None
        if row.status == QUEUED and row.pid is None:
            row.status, row.finished_at = CANCELLED, utcnow()
        elif row.status in (QUEUED, RUNNING):  # a spawned worker sees the flag when it starts
            row.status = CANCELLING
        return row.status


def set_chosen_model(store: Store, run_id: int, model: str) -> None:
    """Choose the leaderboard model to use from now on (default: the best one)."""
    with store.sessions.begin() as session:
        row = session.get(m.TrainingRun, run_id)
        if row is None:
            raise UserError("train.error.run_missing", id=run_id)
        names = {r["model"] for r in row.leaderboard if r.get("can_infer", True)}
        if model not in names:
            raise UserError("train.error.unknown_model", model=model)
        row.chosen_model = model
